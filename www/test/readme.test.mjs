// The README's "Use" examples are the files in www/examples/, verbatim, and each of those
// files is run by a test: node-server.mjs by node-pool.test.mjs; page.js (with page.html),
// cf-worker.js and the two Next.js routes by scratch.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const RUN_BY = {
  "page.js": "scratch.test.mjs",
  "node-server.mjs": "node-pool.test.mjs",
  "cf-worker.js": "scratch.test.mjs",
  "next-edge-route.js": "scratch.test.mjs",
  "next-node-route.js": "scratch.test.mjs",
};

for (const [file, runner] of Object.entries(RUN_BY)) {
  test(`README shows examples/${file} verbatim, and ${runner} runs it`, () => {
    const text = readFileSync(new URL(`../examples/${file}`, import.meta.url), "utf8").trimEnd();
    assert.ok(readme.includes("```js\n" + text + "\n```"), `README.md lacks examples/${file} as a js block: copy it again`);
    const source = readFileSync(new URL(runner, import.meta.url), "utf8");
    assert.ok(source.includes(`"${file}"`) || source.includes(`examples/${file}`), `${runner} does not load examples/${file}`);
  });
}
