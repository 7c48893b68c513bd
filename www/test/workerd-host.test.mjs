// www/workerd-host.mjs: the generated config runs a module Worker in a plain workerd, with
// every var reaching the Worker unchanged and outbound fetch() limited to loopback.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForWorker } from "../serve.mjs";
import { startWorkerd, workerdConfig } from "../workerd-host.mjs";

// Quotes, backslashes, control characters, non-ASCII and nested JSON: all must survive the
// Cap'n Proto text format.
const VARS = {
  PLAIN: "http://127.0.0.1:8788/",
  TRICKY: 'a "quoted" \\ back\\slash\nnew line\ttab \u0001 ünïcödé 图',
  STYLES: { thumb: "image/resize,w_200", nested: { list: [1, "two", null], quote: '"' } },
};
const WORKER = `
import { answer } from "./answer.js";
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/vars") return Response.json({ PLAIN: env.PLAIN, TRICKY: env.TRICKY, STYLES: env.STYLES });
    if (url.pathname === "/outbound") {
      try {
        const res = await fetch(url.searchParams.get("url"));
        return new Response(\`reached \${res.status}\`);
      } catch (err) {
        return new Response(\`refused: \${err.message}\`);
      }
    }
    return new Response(answer);
  },
};
`;

let dir;
let workerd;
let workerUrl;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "ossimg-workerd-host-"));
  writeFileSync(join(dir, "index.js"), WORKER);
  writeFileSync(join(dir, "answer.js"), 'export const answer = "up";\n');
  const port = await freePort();
  workerUrl = `http://127.0.0.1:${port}`;
  const config = workerdConfig({ modules: { esModules: ["index.js", "answer.js"], wasm: [] }, vars: VARS, compatibilityDate: "2026-04-01", port });
  // Piped: the refused connection below logs a stack trace; shown only if start-up fails.
  workerd = startWorkerd(dir, config, { stderr: "pipe" });
  let log = "";
  workerd.stderr.on("data", (chunk) => (log += chunk));
  let exited = false;
  workerd.on("exit", () => (exited = true));
  assert.ok(await waitForWorker(workerUrl, () => exited), `workerd answers; its log:\n${log}`);
});

after(() => {
  workerd?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

test("text and JSON vars reach the Worker unchanged; the first ES module is the entry", async () => {
  assert.equal(await (await fetch(`${workerUrl}/`)).text(), "up");
  assert.deepEqual(await (await fetch(`${workerUrl}/vars`)).json(), VARS);
});

test("fetch() reaches loopback and nothing else", async () => {
  const reached = await (await fetch(`${workerUrl}/outbound?url=${encodeURIComponent(`${workerUrl}/`)}`)).text();
  assert.equal(reached, "reached 200");
  // 10.0.0.1 is a private address: refused by the config before any packet is sent.
  const refused = await (await fetch(`${workerUrl}/outbound?url=${encodeURIComponent("http://10.0.0.1/")}`)).text();
  assert.match(refused, /^refused: /);
});
