// The hand-written declarations (pkg/index.d.ts, client.d.ts) compile against a usage
// file, resolved through the package's export map ("types" condition).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

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
