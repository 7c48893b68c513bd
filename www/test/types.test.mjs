// The hand-written declarations (pkg/index.d.ts, client.d.ts, cf-worker.d.ts) and the
// generated facts.d.ts compile against a usage file, resolved through the package's export
// map ("types" condition); the error-code type covers every code the JS throws.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { HOST_ERRORS } from "../src/facts.js";

test("TypeScript declarations type-check (tsc --noEmit)", () => {
  const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
  const project = fileURLToPath(new URL("./types/tsconfig.json", import.meta.url));
  let output = "";
  try {
    output = execFileSync(process.execPath, [tsc, "-p", project], { encoding: "utf8", timeout: 120_000 });
  } catch (err) {
    assert.fail(`tsc failed:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
  assert.equal(output.trim(), "");
});

test("OssErrorCode covers every code the package throws", () => {
  const src = new URL("../src/", import.meta.url);
  const union = new Set([...readFileSync(new URL("facts.d.ts", src), "utf8").matchAll(/^ {2}\| "(\w+)";?$/gm)].map((m) => m[1]));
  assert.ok(union.has("InvalidArgument") && union.has("NoSuchKey"), `OssErrorCode parsed from facts.d.ts: ${[...union]}`);
  // The core's codes come from ErrorKind::ALL (tests/js_facts.rs); the JS's own are literals
  // (`code: "X"`), hostError("X") or accessError(status, "X") calls.
  const thrown = new Map();
  for (const file of readdirSync(src).filter((f) => f.endsWith(".js") && f !== "facts.js")) {
    const text = readFileSync(new URL(file, src), "utf8");
    for (const m of text.matchAll(/\bcode: "(\w+)"|\bhostError\("(\w+)"\)|\baccessError\(\d+, "(\w+)"/g)) thrown.set(m[1] ?? m[2] ?? m[3], file);
  }
  for (const code of Object.keys(HOST_ERRORS)) thrown.set(code, "facts.js HOST_ERRORS");
  assert.ok(thrown.size >= 4, [...thrown.keys()].join(", "));
  const missing = [...thrown].filter(([code]) => !union.has(code)).map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(missing, [], "codes thrown but missing from OssErrorCode: declare them in tests/js_facts.rs and regenerate (OSSIMG_WRITE_FACTS=1 cargo test --test js_facts)");
});
