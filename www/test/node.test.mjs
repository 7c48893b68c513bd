// The package API in Node, imported by name as a user would: `import ... from "ossimg"`
// resolves to pkg/node.js through the "node" export condition (www/node_modules/ossimg is
// a link to ../../pkg made by build-pkg.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { greyPng } from "../test-images.mjs";
import init, { checkSource, OssImageError, parse, probe, process, splitStyleDelimiter, version } from "ossimg";
// The same module instances that "ossimg" uses: core.js and the glue are internal files
// (not in the exports map), reached by path only to trap the instance on purpose.
import { callWasm } from "../node_modules/ossimg/core.js";
import * as packageGlue from "../node_modules/ossimg/ossimg.js";

const fixture = (name) => readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url));
const hopper = fixture("hopper.jpg"); // 128x128 JPEG
const kodim = fixture("kodim23.png"); // 768x512 PNG
const animWebp = fixture("imagers_anim.webp"); // 200x200, 6 frames
const animGif = fixture("imagers_any-disposal.gif"); // 32x32, 5 frames

/** Traps the package's wasm instance inside a call, as a panic would. */
const trap = () => callWasm(packageGlue, (raw) => raw.__ossimgTrap());

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (bytes, prefix) => prefix.every((b, i) => bytes[i] === b);

function assertOssError(fn, { code, status, ec }) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof OssImageError, `expected OssImageError, got ${err?.constructor?.name}: ${err?.message}`);
    assert.ok(err instanceof Error);
    assert.equal(err.name, "OssImageError");
    assert.equal(err.code, code);
    assert.equal(err.status, status);
    if (ec !== undefined) assert.equal(err.ec, ec);
    assert.equal(typeof err.message, "string");
    assert.ok(err.message.length > 0);
    return true;
  });
}

test("the package resolves to the node entry and needs no init", async () => {
  const require = createRequire(import.meta.url);
  const manifest = require("ossimg/package.json");
  assert.equal(manifest.name, "ossimg");
  assert.equal(manifest.type, "module");
  assert.equal(version(), manifest.version);
  assert.match(import.meta.resolve("ossimg"), /\/node\.js$/);
  await init(); // a no-op in Node, kept for code shared with browsers
  const api = Object.keys(await import("ossimg"));
  assert.deepEqual(api.filter((name) => name.startsWith("_")), [], "no test hooks in the public API");
});

test("JPEG -> PNG resize (hopper.jpg 128x128)", () => {
  const out = process(hopper, "image/resize,w_64/format,png");
  assert.equal(out.mime, "image/png");
  assert.equal(out.format, "png");
  assert.deepEqual([out.width, out.height, out.frames], [64, 64, 1]);
  assert.ok(out.bytes instanceof Uint8Array);
  assert.ok(startsWith(out.bytes, PNG), "PNG signature");
  const view = new DataView(out.bytes.buffer, out.bytes.byteOffset);
  assert.deepEqual([view.getUint32(16), view.getUint32(20)], [64, 64], "IHDR size");
  assert.equal(out.bytes.byteOffset, 0);
  assert.equal(out.bytes.buffer.byteLength, out.bytes.length, "own buffer, transferable");
});

test("PNG -> JPEG resize with quality (kodim23.png 768x512)", () => {
  const out = process(kodim, "image/resize,w_300/quality,Q_85/format,jpg");
  assert.equal(out.mime, "image/jpeg");
  assert.deepEqual([out.width, out.height, out.frames], [300, 200, 1]);
  assert.ok(startsWith(out.bytes, [0xff, 0xd8, 0xff]), "JPEG SOI");
  assert.deepEqual(probe(out.bytes), { format: "jpg", mime: "image/jpeg", width: 300, height: 200, frames: 1, orientation: 1, hasAlpha: false });
});

test("animated WebP keeps its frames (imagers_anim.webp 200x200x6)", () => {
  const out = process(animWebp, "image/resize,w_100");
  assert.equal(out.mime, "image/webp");
  assert.deepEqual([out.width, out.height, out.frames], [100, 100, 6]);
  const p = probe(out.bytes);
  assert.deepEqual([p.format, p.width, p.height, p.frames], ["webp", 100, 100, 6]);
});

test("animated GIF keeps its frames (imagers_any-disposal.gif 32x32x5)", () => {
  const out = process(animGif, "image/resize,w_16");
  assert.equal(out.mime, "image/gif");
  assert.deepEqual([out.width, out.height, out.frames], [16, 16, 5]);
  assert.equal(new TextDecoder().decode(out.bytes.subarray(0, 6)), "GIF89a");
});

test("probe reads header facts of every fixture", () => {
  assert.deepEqual(probe(hopper), { format: "jpg", mime: "image/jpeg", width: 128, height: 128, frames: 1, orientation: 1, hasAlpha: false });
  const k = probe(kodim);
  assert.deepEqual([k.format, k.mime, k.width, k.height, k.frames], ["png", "image/png", 768, 512, 1]);
  const w = probe(animWebp);
  assert.deepEqual([w.format, w.mime, w.width, w.height, w.frames], ["webp", "image/webp", 200, 200, 6]);
  const g = probe(animGif);
  assert.deepEqual([g.format, g.mime, g.width, g.height, g.frames], ["gif", "image/gif", 32, 32, 5]);
  assertOssError(() => probe(new TextEncoder().encode("definitely not an image")), { code: "BadRequest", status: 400 });
});

test("errors are OssImageError with code, status and ec", () => {
  assertOssError(() => process(hopper, "image/resize,w_0"), { code: "InvalidArgument", status: 400, ec: "0040-00000312" });
  assertOssError(() => process(hopper, "image/resize,w_64,zz_1"), { code: "InvalidArgument", status: 400 });
  assertOssError(() => process(hopper, "style/missing"), { code: "NoSuchStyle", status: 404 });
  assertOssError(() => process(new Uint8Array([1, 2, 3, 4]), "image/resize,w_10"), { code: "BadRequest", status: 400 });
  try {
    process(hopper, "image/resize,w_0");
  } catch (err) {
    assert.deepEqual(Object.keys(err.toJSON()).sort(), ["code", "ec", "message", "name", "status"]);
    assert.deepEqual(JSON.parse(JSON.stringify(err)).ec, "0040-00000312");
    const copy = OssImageError.from(structuredClone(err.toJSON()));
    assert.ok(copy instanceof OssImageError);
    assert.equal(copy.code, "InvalidArgument");
  }
});

test("an empty spec returns a copy of the original", () => {
  const out = process(hopper, "");
  assert.equal(out.original, true);
  assert.equal(out.mime, "image/jpeg");
  assert.deepEqual(Buffer.from(out.bytes), hopper);
  assert.notEqual(out.bytes.buffer, hopper.buffer);
  const unknown = process(new Uint8Array([1, 2, 3]), "");
  assert.equal(unknown.mime, "application/octet-stream");
});

test("parse gives the canonical spec and the assets a spec needs", () => {
  const a = parse("image/format,png/resize,w_300");
  const b = parse("image/resize,w_300/format,png");
  assert.equal(a.canonical, b.canonical);
  assert.match(a.canonical, /^image\/resize,/);
  assert.equal(parse(a.canonical).canonical, a.canonical, "canonical form is a fixed point");
  assert.deepEqual([a.objects, a.fonts], [[], []]);
  assert.deepEqual(parse(""), { canonical: "", objects: [], fonts: [] });
  assertOssError(() => parse("image/resize,w_0"), { code: "InvalidArgument", status: 400, ec: "0040-00000312" });
  // A style resolves through options.styles.
  assert.equal(parse("style/small", { styles: { small: "image/resize,w_10" } }).canonical, parse("image/resize,w_10").canonical);
});

test("parse lists the watermark objects and fonts", () => {
  const b64 = (s) => Buffer.from(s).toString("base64url");
  const image = parse(`image/watermark,image_${b64("logo/panda.png")}`);
  assert.deepEqual(image.objects, ["logo/panda.png"]);
  const text = parse(`image/watermark,text_${b64("Hello")},type_${b64("wqy-zenhei")}`);
  assert.deepEqual(text.fonts, ["wqy-zenhei"]);
  assert.deepEqual(text.objects, []);
});

test("options: styles, limits, strict, qualities, autoOrient, Map and views", () => {
  const small = process(hopper, "style/small", { styles: new Map([["small", "image/resize,w_10/format,png"]]) });
  assert.deepEqual([small.mime, small.width], ["image/png", 10]);
  assert.equal(process(hopper, "image/resize,w_20", { limits: "workers", autoOrient: false, defaultJpegQuality: 70 }).width, 20);
  const lenient = process(hopper, "image/resize,w_20,zz_1", { strict: false });
  assert.equal(lenient.width, 20);
  assert.throws(() => process(hopper, "image/resize,w_20", { limits: "huge" }), TypeError);
  assert.throws(() => process(hopper, "image/resize,w_20", { style: {} }), TypeError, "unknown option key");
  assert.throws(() => process(hopper, "image/resize,w_20", { defaultWebpQuality: 0 }), RangeError);
  assert.throws(() => process(hopper, "image/resize,w_20", { strict: "yes" }), TypeError);
  assert.throws(() => process(hopper, "image/resize,w_20", { objects: { a: "not bytes" } }), TypeError);
  assert.throws(() => process(hopper, "image/resize,w_20", 42), TypeError);
  // Inputs: Buffer (above), Uint8Array view, ArrayBuffer, DataView.
  const padded = new Uint8Array(hopper.length + 10);
  padded.set(hopper, 5);
  const view = padded.subarray(5, 5 + hopper.length);
  assert.equal(process(view, "image/resize,w_8").width, 8);
  assert.equal(process(new Uint8Array(hopper).buffer, "image/resize,w_8").width, 8);
  assert.equal(process(new DataView(padded.buffer, 5, hopper.length), "image/resize,w_8").width, 8);
  assert.throws(() => process("hopper.jpg", "image/resize,w_8"), TypeError);
  assert.throws(() => process(hopper, 42), TypeError);
});

test("a trap becomes InternalError (500) and the next call runs on a fresh instance", () => {
  assertOssError(() => trap(), { code: "InternalError", status: 500, ec: null });
  const out = process(hopper, "image/resize,w_64/format,png");
  assert.deepEqual([out.width, out.height], [64, 64]);
  assertOssError(() => trap(), { code: "InternalError", status: 500 });
  assertOssError(() => trap(), { code: "InternalError", status: 500 });
  assert.equal(probe(hopper).width, 128);
});


// 12,288,000 px: the largest source Limits::workers() accepts from its header.
const fullWorkersPng = greyPng(4096, 3000);
// Over the 96 MiB heap cap with "workers" (measured without it: format,bmp 208 MiB, blur 103).
// format,bmp refuses inside an infallible allocation (a trap); blur inside try_reserve (an error).
const OVER_BUDGET_SPECS = ["image/format,bmp", "image/blur,r_50,s_50"];

test('"workers" limits: a call over the engine memory budget is ImageTooLarge with reason engine-budget', () => {
  for (const spec of OVER_BUDGET_SPECS) checkSource(fullWorkersPng, spec, { limits: "workers" }); // the header alone is within the limits
  for (const spec of OVER_BUDGET_SPECS) {
    assert.throws(
      () => process(fullWorkersPng, spec, { limits: "workers" }),
      (err) => {
        assert.ok(err instanceof OssImageError, `${spec}: ${err}`);
        assert.deepEqual([err.code, err.status, err.ec, err.reason], ["ImageTooLarge", 400, null, "engine-budget"], spec);
        assert.match(err.message, /engine memory budget/);
        assert.equal(OssImageError.from(JSON.parse(JSON.stringify(err))).reason, "engine-budget", "survives postMessage / JSON");
        return true;
      },
    );
    // The same instance (or its replacement after the trap) serves the next call.
    assert.equal(process(hopper, "image/resize,w_20", { limits: "workers" }).width, 20);
  }
  // The budget is the cause, not the image: without it the same call succeeds.
  const out = process(fullWorkersPng, "image/format,bmp");
  assert.deepEqual([out.format, out.width, out.height], ["bmp", 4096, 3000]);
  // A trap that no refused allocation caused stays an InternalError without a reason.
  assert.throws(() => trap(), (err) => err.code === "InternalError" && err.reason === undefined);
});

test('"workers" limits: wasm memory stays within the 96 MiB heap cap plus the static data and stack', async () => {
  const MB = 1024 * 1024;
  const pkgFile = (name) => new URL(`../node_modules/ossimg/${name}`, import.meta.url);
  const wasmBytes = readFileSync(pkgFile("ossimg_bg.wasm"));
  for (const [i, spec] of OVER_BUDGET_SPECS.entries()) {
    // A fresh raw instance (no wrapper) per spec: its memory only ever grows, so its size
    // after the call is the call's peak.
    const glue = await import(`${pkgFile("ossimg.js").href}?budget=${i}`);
    const { memory } = glue.initSync({ module: wasmBytes });
    const before = memory.buffer.byteLength; // static data and the shadow stack
    let thrown;
    try {
      glue.process(fullWorkersPng, spec, { limits: "workers" });
    } catch (err) {
      thrown = err;
    }
    const trapped = thrown instanceof WebAssembly.RuntimeError;
    assert.ok(trapped || thrown?.reason === "engine-budget", `${spec}: ${thrown}`);
    // After a trap the flag is still set for the wrapper to read; after an error it was cleared.
    assert.equal(glue.__ossimgBudgetExceeded(), trapped, spec);
    const peak = memory.buffer.byteLength;
    console.log(`workers ${spec}: ${trapped ? "trap" : "error"}, wasm memory ${(before / MB).toFixed(1)} → ${(peak / MB).toFixed(1)} MiB`);
    // The heap may grow the memory by 96 MiB beyond the static data and stack, no more.
    assert.ok(peak <= 96 * MB + before, `${spec}: ${peak} bytes`);
  }
});

test("checkSource: the limits a host uses to choose fallback over processing the spec", () => {
  const spec = "image/resize,w_100";
  checkSource(hopper, spec); // within every limit: no throw
  checkSource(hopper, spec, { limits: "workers" });
  checkSource(hopper, "style/thumb", { styles: { thumb: spec } });
  // 4200x4200 declared in a PNG header: 17.6 M px is within OSS but over the Workers budget.
  const header = Buffer.from(kodim.subarray(0, 33));
  header.writeUInt32BE(4200, 16);
  header.writeUInt32BE(4200, 20);
  assert.doesNotThrow(() => checkSource(header, spec, { limits: "oss" }));
  assertOssError(() => checkSource(header, spec, { limits: "workers" }), { code: "ImageTooLarge", status: 400, ec: "0040-00000012" });
  header.writeUInt32BE(30_001, 16);
  assertOssError(() => checkSource(header, spec), { code: "ImageTooLarge", status: 400, ec: "0040-00000009" });
  assertOssError(() => checkSource(new Uint8Array(8), spec), { code: "BadRequest", status: 400 });
  assert.throws(() => checkSource(hopper, undefined), TypeError, "the spec is required");
});

test("splitStyleDelimiter: photo.jpg!thumb names a style", () => {
  assert.deepEqual(splitStyleDelimiter("photos/a.jpg!thumb", "!"), ["photos/a.jpg", "thumb"]);
  assert.equal(splitStyleDelimiter("photos/a.jpg", "!"), undefined);
  assert.equal(splitStyleDelimiter("photos/a.jpg!thumb", ""), undefined, "no delimiter enabled");
});

const textSpec = `image/watermark,text_${Buffer.from("Hello 你好").toString("base64url")},size_40`;

test("a text watermark works with the packaged fonts and no options.fonts", () => {
  const out = process(hopper, textSpec);
  assert.deepEqual([out.mime, out.width, out.height], ["image/jpeg", 128, 128]);
  const plain = process(hopper, "image/format,jpg");
  assert.notDeepEqual(out.bytes, plain.bytes, "the text changed the pixels");
});
