// The two modules of the package: `ossimg` (every codec) and `ossimg/lean` (no HEIC or
// AVIF, for pages that only see JPEG, PNG, GIF, WebP, BMP and TIFF). Same API, same output
// for the formats both read; the lean one is smaller and refuses the rest with a clear 400.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import * as full from "ossimg";
import * as lean from "ossimg/lean";

const pkg = new URL("../node_modules/ossimg/", import.meta.url);
const fixture = (name) => readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url));
// In Node the lean browser entry takes its module from the caller.
lean.initSync(readFileSync(new URL("ossimg_lean_bg.wasm", pkg)));

test("lean and full give the same bytes for the formats both read", () => {
  for (const [name, spec] of [
    ["hopper.jpg", "image/resize,w_64/quality,Q_80"],
    ["kodim23.png", "image/resize,w_200/format,webp"],
    ["imagers_any-disposal.gif", "image/rotate,90"],
  ]) {
    const a = full.process(fixture(name), spec), b = lean.process(fixture(name), spec);
    assert.equal(a.mime, b.mime, name);
    assert.deepEqual(Buffer.from(a.bytes), Buffer.from(b.bytes), `${name} ${spec}`);
  }
});

test("HEIC: the full module decodes it, the lean one refuses it with a 400", () => {
  const heic = fixture("pillowheif_arrow_iphone.heic");
  const out = full.process(heic, "image/resize,w_300");
  assert.deepEqual([out.mime, out.width, out.height], ["image/jpeg", 300, 400]);
  assert.throws(
    () => lean.process(heic, "image/resize,w_300"),
    (err) => err instanceof lean.OssImageError && err.status === 400 && /HEIC/.test(err.message),
  );
});

test("format,avif: the full module encodes, the lean one answers 400 NotImplemented", () => {
  const out = full.process(fixture("hopper.jpg"), "image/format,avif");
  assert.equal(out.mime, "image/avif");
  assert.equal(new TextDecoder().decode(out.bytes.subarray(4, 12)), "ftypavif");
  assert.equal(full.probe(out.bytes).width, 128);
  assert.throws(
    () => lean.process(fixture("hopper.jpg"), "image/format,avif"),
    (err) => err instanceof lean.OssImageError && err.code === "NotImplemented" && err.status === 400,
  );
});

test("the lean module is the smaller download", (t) => {
  const gz = (file) => gzipSync(readFileSync(new URL(file, pkg)), { level: 9 }).length;
  const [fullGz, leanGz] = [gz("ossimg_bg.wasm"), gz("ossimg_lean_bg.wasm")];
  t.diagnostic(`gzip -9: full ${fullGz} B, lean ${leanGz} B`);
  assert.ok(leanGz < fullGz - 200_000, `lean ${leanGz} B vs full ${fullGz} B`);
});
