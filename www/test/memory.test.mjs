// Memory of the WebAssembly instance (issue 7): steady state over 1,000 calls, bombs refused
// before they allocate, and the peak of the "workers" limits profile. Each test instantiates
// pkg/ossimg_bg.wasm afresh through the wasm-bindgen glue (a new module URL per instance,
// so no test sees another's memory) and reads the instance's exported `memory`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { process as packageProcess } from "ossimg";
import { png } from "../test-images.mjs";

const pkgFile = (name) => new URL(`../node_modules/ossimg/${name}`, import.meta.url);
const wasmBytes = readFileSync(pkgFile("ossimg_bg.wasm"));
const fixture = (name) => readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url));

const MB = 1024 * 1024;
let instances = 0;

/** A fresh instance: the glue's functions plus its exported memory. */
async function freshInstance() {
  instances += 1;
  const glue = await import(`${pkgFile("ossimg.js").href}?instance=${instances}`);
  const exports = glue.initSync({ module: wasmBytes });
  return { glue, memoryBytes: () => exports.memory.buffer.byteLength };
}

/** Runs `process`; an OSS error (any thrown value with a status) counts as an answer. */
function tryProcess(glue, input, spec, options) {
  try {
    glue.process(input, spec, options);
    return "ok";
  } catch (err) {
    assert.ok(err && typeof err.status === "number", `not an OSS error: ${err}`);
    return err.status;
  }
}

// --- Hostile headers (the same shapes as tests/limits.rs) -------------------------------

/** A PNG declaring `w×h` RGBA pixels with one tiny IDAT. */
function pngHeader(w, h) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return png(ihdr, [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
}

/** A baseline JPEG header declaring `w×h`. */
function jpegHeader(w, h) {
  return Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 255, w >> 8, w & 255,
    3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
}

/** A GIF whose screen is `w×h`, with `frames` full-canvas frames of one byte of data. */
function gifHeader(w, h, frames) {
  const le = (v) => [v & 255, v >> 8];
  const bytes = [...Buffer.from("GIF89a"), ...le(w), ...le(h), 0x80, 0, 0, 0, 0, 0, 255, 255, 255];
  for (let i = 0; i < frames; i++) bytes.push(0x2c, 0, 0, 0, 0, ...le(w), ...le(h), 0, 2, 2, 0x4c, 0x01, 0);
  bytes.push(0x3b);
  return Buffer.from(bytes);
}

const bombs = [
  ["png 100000×100000", pngHeader(100_000, 100_000)],
  ["png 20000×20000 (400 M px)", pngHeader(20_000, 20_000)],
  ["png 15000×15000 with 8 bytes of data", pngHeader(15_000, 15_000)],
  ["jpeg 65500×65500", jpegHeader(65_500, 65_500)],
  ["gif 10000×10000 × 3 frames", gifHeader(10_000, 10_000, 3)],
  ["png 4096×3001 (over workers)", pngHeader(4096, 3001)],
  ["21 MB of zeros", new Uint8Array(21 * MB)],
];

// --- Tests ------------------------------------------------------------------------------

test("1,000 process calls on mixed inputs: wasm memory stops growing after the first pass", async () => {
  const { glue, memoryBytes } = await freshInstance();
  const inputs = [
    fixture("hopper.jpg"),
    fixture("kodim23.png"),
    fixture("imagers_anim.webp"),
    fixture("imagers_any-disposal.gif"),
    fixture("rgb24.bmp"),
    fixture("pillow_hopper_lzw.tif"),
    fixture("pngsuite_basn6a08.png"),
    fixture("Landscape_6.jpg"),
    pngHeader(20_000, 20_000),
    Buffer.from("not an image"),
  ];
  const specs = [
    "image/resize,w_100",
    "image/rotate,33/format,png",
    "image/blur,r_5,s_3/format,webp",
    "image/crop,w_50,h_50,g_center/format,gif",
    "image/info",
    "image/average-hue",
    "image/resize,w_0",
    "image/rounded-corners,r_20/quality,q_80",
    "image/sharpen,100/format,bmp",
    "image/circle,r_40/format,tiff",
  ];
  const sizes = [];
  const answers = new Set();
  for (let pass = 0; pass < 10; pass++) {
    for (const input of inputs) {
      for (const spec of specs) answers.add(tryProcess(glue, input, spec));
    }
    sizes.push(memoryBytes());
  }
  console.log(`wasm memory after each pass of 100 calls (MB): ${sizes.map((s) => (s / MB).toFixed(1)).join(" ")}`);
  assert.ok(answers.has("ok") && answers.has(400), `both results and errors: ${[...answers]}`);
  assert.deepEqual(sizes.slice(1), sizes.slice(1).map(() => sizes[0]), "memory grew after the first pass");
});

test("bombs and over-limit sources fail before the memory grows by 2 MB", async () => {
  const { glue, memoryBytes } = await freshInstance();
  for (const limits of ["oss", "workers"]) {
    for (const [name, bytes] of bombs) {
      const before = memoryBytes();
      const answer = tryProcess(glue, bytes, "image/resize,w_100", { limits });
      const grown = memoryBytes() - before;
      console.log(`${limits} ${name}: ${answer}, memory grew ${(grown / MB).toFixed(2)} MB`);
      assert.equal(answer, 400, `${limits} ${name}`);
      // The input itself is copied into the instance: only growth beyond it counts.
      assert.ok(grown <= 2 * MB + bytes.length, `${limits} ${name}: grew ${grown} bytes`);
    }
  }
});

test('the "workers" limits profile keeps wasm memory within 96 MiB plus the input', async () => {
  // The largest source the profile accepts (12,288,000 px), made by the package itself.
  const source = packageProcess(fixture("kodim23.png"), "image/resize,m_fixed,w_4096,h_3000,limit_0/format,jpg").bytes;
  const specs = ["image/resize,w_300", "image/rotate,90/format,webp", "image/rounded-corners,r_100/format,gif", "image/format,gif"];
  for (const spec of specs) {
    const { glue, memoryBytes } = await freshInstance();
    const before = memoryBytes();
    assert.equal(tryProcess(glue, source, spec, { limits: "workers" }), "ok", spec);
    const peak = memoryBytes();
    console.log(`workers ${spec}: wasm memory ${(before / MB).toFixed(1)} → ${(peak / MB).toFixed(1)} MB (input ${(source.length / MB).toFixed(1)} MB)`);
    assert.ok(peak <= 96 * MB + before + 2 * source.length, `${spec}: ${peak} bytes`);
  }
});

test("a call the engine budget refuses on a used instance runs again on a fresh one", () => {
  // Measured: on one instance under "workers", a 12 MP HEIC to w300, then an AVIF encode,
  // then the same HEIC went over the budget (the encode left the heap scattered, and wasm
  // memory never shrinks); the package now retries that call on a fresh instance.
  const heic = fixture("pillowheif_arrow_iphone.heic");
  const p3 = fixture("kodim23-p3.jpg");
  const options = { limits: "workers" };
  const sizes = [
    [heic, "image/resize,w_300"],
    [p3, "image/format,avif"],
    [heic, "image/resize,w_300"],
    [heic, "image/resize,w_300"],
  ].map(([input, spec]) => packageProcess(input, spec, options).width);
  assert.deepEqual(sizes, [300, 768, 300, 300]);
});
