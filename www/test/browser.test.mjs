// The browser entry (index.js + init) and the Web Worker pool (client.js + worker.js) in
// Debian's Chromium, driven by playwright-core (which never downloads a browser). The
// package and the fixtures are served from 127.0.0.1; every other host fails to resolve.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveStatic } from "../static-server.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const pkgDir = dirname(fileURLToPath(import.meta.resolve("ossimg/package.json")));
const fixturesDir = fileURLToPath(new URL("../../tests/fixtures/", import.meta.url));
const outDir = fileURLToPath(new URL("../../out/", import.meta.url));
const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>ossimg test</title>`;
const hopper = readFileSync(new URL("hopper.jpg", `file://${fixturesDir}`));
/** Generated objects: over 20 MB (never to be buffered), and a header over the OSS side limit. */
const BIG_BYTES = 21 * 1024 * 1024;
const wideHeader = (() => {
  const png = Buffer.from(readFileSync(new URL("kodim23.png", `file://${fixturesDir}`)).subarray(0, 4096));
  png.writeUInt32BE(40_000, 16);
  return png;
})();
const served = [];

/** The spec TRAP_WORKER answers by trapping. */
const TRAP_SPEC = "test/trap";
/**
 * A test-only module worker (served at /gen/trap-worker.js): the package's worker.js, plus
 * one spec it answers by trapping the wasm instance inside a call, as a panic would. The
 * package's own worker obeys no such message; this one reaches the instance through the
 * internal core.js and glue modules, the very ones worker.js runs on.
 */
const TRAP_WORKER = `
import "/pkg/worker.js";
import init from "/pkg/index.js";
import { callWasm } from "/pkg/core.js";
import * as glue from "/pkg/ossimg.js";

const serve = self.onmessage;
self.onmessage = async (event) => {
  if (event.data?.spec !== ${JSON.stringify(TRAP_SPEC)}) return serve(event);
  await init(); // memoised: the instance worker.js waits for
  try {
    callWasm(glue, (raw) => raw.__ossimgTrap());
  } catch (err) {
    self.postMessage({ id: event.data.id, ok: false, error: err.toJSON() });
  }
};
`;

let server;
let browser;
let origin;

function generated(pathname, req, res) {
  served.push(pathname);
  if (pathname === "/") return res.writeHead(200, { "content-type": "text/html" }).end(PAGE), true;
  if (pathname === "/gen/trap-worker.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(TRAP_WORKER), true;
  if (pathname === "/gen/wide.png") return res.writeHead(200, { "content-type": "image/png", "content-length": wideHeader.length }).end(wideHeader), true;
  if (pathname === "/gen/big.jpg") {
    // A JPEG header, then padding; written in chunks so a reader can stop early.
    res.writeHead(200, { "content-type": "image/jpeg", "content-length": BIG_BYTES });
    let sent = 0;
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const pump = () => {
      while (sent < BIG_BYTES) {
        const piece = sent === 0 ? Buffer.concat([hopper, chunk.subarray(hopper.length)]) : chunk.subarray(0, Math.min(chunk.length, BIG_BYTES - sent));
        sent += piece.length;
        if (!res.write(piece)) return res.once("drain", pump);
      }
      res.end();
    };
    pump();
    return true;
  }
  return false;
}

before(async () => {
  ({ server, url: origin } = await serveStatic(
    [
      ["/pkg/", pkgDir],
      ["/fixtures/", fixturesDir],
      ["/samples/", fileURLToPath(new URL("../example-bucket/", import.meta.url))],
      ["/demo/", fileURLToPath(new URL("../demo/", import.meta.url))],
    ],
    { onRequest: generated },
  ));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

async function openPage() {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(err));
  await page.goto(`${origin}/`);
  return { page, errors };
}

test("browser entry: init() once, then process / probe / parse; trap recovery", async () => {
  const { page, errors } = await openPage();
  const r = await page.evaluate(async () => {
    const m = await import("/pkg/index.js");
    let beforeInit;
    try {
      m.process(new Uint8Array(4), "image/resize,w_10");
    } catch (err) {
      beforeInit = err.message;
    }
    const inits = [m.default(), m.init()];
    await Promise.all(inits);
    const bytes = new Uint8Array(await (await fetch("/fixtures/hopper.jpg")).arrayBuffer());
    const out = m.process(bytes, "image/resize,w_64/format,png");
    let err;
    try {
      m.process(bytes, "image/resize,w_0");
    } catch (e) {
      err = { isOss: e instanceof m.OssImageError, code: e.code, status: e.status, ec: e.ec };
    }
    // The internal core.js and glue are the modules index.js runs on: trap its instance.
    const [core, glue] = await Promise.all([import("/pkg/core.js"), import("/pkg/ossimg.js")]);
    let trap;
    try {
      core.callWasm(glue, (raw) => raw.__ossimgTrap());
    } catch (e) {
      trap = { isOss: e instanceof m.OssImageError, code: e.code, status: e.status };
    }
    const after = m.process(bytes, "image/resize,w_32/format,jpg");
    return {
      beforeInit,
      sameInit: inits[0] === inits[1],
      out: { mime: out.mime, width: out.width, height: out.height, sig: [...out.bytes.subarray(1, 4)] },
      probe: m.probe(bytes),
      canonical: m.parse("image/format,png/resize,w_64").canonical,
      err,
      trap,
      after: { mime: after.mime, width: after.width },
      version: m.version(),
      testHooks: Object.keys(m).filter((name) => name.startsWith("_")),
    };
  });
  assert.match(r.beforeInit, /init\(\)/);
  assert.equal(r.sameInit, true, "init is memoised");
  assert.deepEqual(r.out, { mime: "image/png", width: 64, height: 64, sig: [0x50, 0x4e, 0x47] });
  assert.deepEqual([r.probe.format, r.probe.width, r.probe.height], ["jpg", 128, 128]);
  assert.match(r.canonical, /^image\/resize,/);
  assert.deepEqual(r.err, { isOss: true, code: "InvalidArgument", status: 400, ec: "0040-00000312" });
  assert.deepEqual(r.trap, { isOss: true, code: "InternalError", status: 500 });
  assert.deepEqual(r.after, { mime: "image/jpeg", width: 32 });
  assert.deepEqual(r.testHooks, [], "no test hooks in the public API");
  assert.equal(typeof r.version, "string");
  assert.deepEqual(errors, []);
  await page.close();
});

test("client: worker pool processes, transfers, queues and reports OssImageError", async () => {
  const { page, errors } = await openPage();
  const r = await page.evaluate(async () => {
    const { createProcessor, OssImageError, toBlob } = await import("/pkg/client.js");
    const load = async (name) => new Uint8Array(await (await fetch(`/fixtures/${name}`)).arrayBuffer());
    const p = createProcessor({ size: 2 });
    const inputs = await Promise.all(["hopper.jpg", "kodim23.png", "imagers_any-disposal.gif", "hopper.jpg"].map(load));
    const widths = [16, 100, 8, 40];
    const outs = await Promise.all(inputs.map((bytes, i) => p.process(bytes, `image/resize,w_${widths[i]}`, { transfer: true })));
    const detached = inputs.map((b) => b.byteLength);

    const kept = await load("hopper.jpg");
    const copy = await p.process(kept, "image/resize,w_10/format,png");
    // Blob / File / Response inputs, probe and parse in the pool, toBlob of a result.
    const file = new File([await load("hopper.jpg")], "hopper.jpg", { type: "image/jpeg" });
    const fromFile = await p.process(file, "image/resize,w_20/format,webp");
    const fromResponse = await p.process(await fetch("/fixtures/kodim23.png"), "image/info");
    const probed = await p.probe(file);
    const parsed = await p.parse("image/format,png/resize,w_1");
    const blob = toBlob(fromFile);
    const canvas = new OffscreenCanvas(20, 10);
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#3366cc";
    ctx.fillRect(0, 0, 20, 10);
    const fromImageData = await p.process(ctx.getImageData(0, 0, 20, 10), "image/resize,w_10");

    const styled = await p.process(await load("hopper.jpg"), "style/tiny", { styles: { tiny: "image/resize,w_12" } });

    let err;
    try {
      await p.process(await load("hopper.jpg"), "image/resize,w_0");
    } catch (e) {
      err = { isOss: e instanceof OssImageError, name: e.name, code: e.code, status: e.status, ec: e.ec };
    }
    let typeErr;
    try {
      await p.process("not bytes", "image/resize,w_10");
    } catch (e) {
      typeErr = e.name;
    }
    p.terminate();
    let afterTerminate;
    try {
      await p.process(await load("hopper.jpg"), "image/resize,w_10");
    } catch (e) {
      afterTerminate = e.message;
    }
    return {
      outs: outs.map((o) => [o.mime, o.width, o.height, o.frames, o.bytes.constructor.name]),
      detached,
      keptLength: kept.byteLength,
      copy: [copy.kind, copy.mime, copy.width],
      fromFile: [fromFile.kind, fromFile.mime, fromFile.width],
      fromResponse: [fromResponse.kind, fromResponse.json.ImageWidth.value, typeof fromResponse.text],
      probed: [probed.format, probed.width],
      canonical: parsed.canonical,
      blob: [blob.type, blob.size === fromFile.bytes.byteLength],
      fromImageData: [fromImageData.kind, fromImageData.mime, fromImageData.width, fromImageData.height],
      styled: styled.width,
      err,
      typeErr,
      afterTerminate,
    };
  });
  assert.deepEqual(r.outs, [
    ["image/jpeg", 16, 16, 1, "Uint8Array"],
    ["image/png", 100, 67, 1, "Uint8Array"],
    ["image/gif", 8, 8, 5, "Uint8Array"],
    ["image/jpeg", 40, 40, 1, "Uint8Array"],
  ]);
  assert.deepEqual(r.detached, [0, 0, 0, 0], "transfer: true detaches the caller's buffers");
  assert.ok(r.keptLength > 0, "the default (a copy) keeps the caller's buffer");
  assert.deepEqual(r.copy, ["image", "image/png", 10]);
  assert.deepEqual(r.fromFile, ["image", "image/webp", 20]);
  assert.deepEqual(r.fromResponse, ["json", "768", "string"]);
  assert.deepEqual(r.probed, ["jpg", 128]);
  assert.match(r.canonical, /^image\/resize,/);
  assert.deepEqual(r.blob, ["image/webp", true]);
  assert.deepEqual(r.fromImageData, ["image", "image/png", 10, 5]);
  assert.equal(r.styled, 12);
  assert.deepEqual(r.err, { isOss: true, name: "OssImageError", code: "InvalidArgument", status: 400, ec: "0040-00000312" });
  assert.equal(r.typeErr, "TypeError");
  assert.match(r.afterTerminate, /terminated/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("client: AbortSignal cancels queued and running jobs; the pool recovers", async () => {
  const { page, errors } = await openPage();
  const r = await page.evaluate(async () => {
    const { createProcessor } = await import("/pkg/client.js");
    const load = async (name) => new Uint8Array(await (await fetch(`/fixtures/${name}`)).arrayBuffer());
    const p = createProcessor({ size: 1, idleTimeoutMs: 200 });
    const outcome = (promise) => promise.then((o) => ["ok", o.width], (e) => ["rejected", e.name, String(e.message)]);

    // Already aborted: rejects at once with the signal's reason.
    const pre = await outcome(p.process(await load("hopper.jpg"), "image/resize,w_10", { signal: AbortSignal.abort() }));

    // One running job, one queued: abort the queued one, the running one completes.
    const queued = new AbortController();
    const first = outcome(p.process(await load("kodim23.png"), "image/resize,w_200"));
    const second = outcome(p.process(await load("hopper.jpg"), "image/resize,w_10", { signal: queued.signal }));
    queued.abort(new DOMException("stop", "AbortError"));
    const [firstResult, secondResult] = await Promise.all([first, second]);

    // Abort a running job: its worker is terminated and a new one serves the next job.
    const running = new AbortController();
    const third = outcome(p.process(await load("kodim23.png"), "image/resize,w_300/format,webp", { signal: running.signal }));
    running.abort();
    const thirdResult = await third;
    const fourth = await outcome(p.process(await load("hopper.jpg"), "image/resize,w_20"));

    // Idle workers are terminated and respawned on demand.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const fifth = await outcome(p.process(await load("hopper.jpg"), "image/resize,w_24"));
    p.terminate();
    return { pre, firstResult, secondResult, thirdResult, fourth, fifth };
  });
  assert.deepEqual(r.pre.slice(0, 2), ["rejected", "AbortError"]);
  assert.deepEqual(r.firstResult, ["ok", 200]);
  assert.deepEqual(r.secondResult, ["rejected", "AbortError", "stop"]);
  assert.deepEqual(r.thirdResult.slice(0, 2), ["rejected", "AbortError"]);
  assert.deepEqual(r.fourth, ["ok", 20]);
  assert.deepEqual(r.fifth, ["ok", 24]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("client.fetch: processes, falls back over a limit without buffering, reports a missing object", async () => {
  const { page, errors } = await openPage();
  const r = await page.evaluate(async () => {
    const { createProcessor } = await import("/pkg/client.js");
    const p = createProcessor();
    const ok = await p.fetch("/fixtures/kodim23.png", "image/resize,w_120/format,webp");
    const wide = await p.fetch("/gen/wide.png", "image/resize,w_10");
    const wideBytes = (await wide.response.arrayBuffer()).byteLength;
    const big = await p.fetch("/gen/big.jpg", "image/resize,w_10");
    // Read only the first chunk of the fallback stream, then stop: nothing else was buffered.
    const reader = big.response.body.getReader();
    const first = await reader.read();
    await reader.cancel();
    let missing;
    try {
      await p.fetch("/fixtures/none.png", "image/resize,w_10");
    } catch (e) {
      missing = [e.name, e.code, e.status, e.ec];
    }
    p.terminate();
    return {
      ok: [ok.fallback, ok.mime, ok.width, ok.height],
      wide: [wide.original, wide.fallback, wide.mime, wide.response.headers.get("x-ossimg-fallback"), wideBytes],
      big: [big.original, big.fallback, big.mime, first.value[0], first.value[1]],
      missing,
    };
  });
  assert.deepEqual(r.ok, [null, "image/webp", 120, 80]);
  assert.deepEqual(r.wide, [true, "oss-limit", "image/png", "oss-limit", wideHeader.length]);
  assert.deepEqual(r.big, [true, "source-too-large", "image/jpeg", 0xff, 0xd8]);
  assert.deepEqual(r.missing, ["OssImageError", "NoSuchFile", 404, "0040-00000024"]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("client: a trapped worker answers with an error and the next call succeeds", async () => {
  const { page, errors } = await openPage();
  const r = await page.evaluate(async (TRAP_SPEC) => {
    const { createProcessor } = await import("/pkg/client.js");
    const bytes = async () => new Uint8Array(await (await fetch("/fixtures/hopper.jpg")).arrayBuffer());
    // The package's worker obeys no trap message: it answers like any unknown spec.
    const plain = createProcessor();
    const refused = await plain.process(await bytes(), TRAP_SPEC).catch((e) => e.code);
    plain.terminate();
    // The test worker traps the instance inside a call; the same worker serves the next.
    const p = createProcessor({ url: "/gen/trap-worker.js" });
    const before = (await p.process(await bytes(), "image/resize,w_10")).width;
    let trap;
    try {
      await p.process(await bytes(), TRAP_SPEC);
    } catch (e) {
      trap = [e.name, e.code, e.status];
    }
    const afterTrap = (await p.process(await bytes(), "image/resize,w_30")).width;
    p.terminate();
    return { refused, before, trap, afterTrap };
  }, TRAP_SPEC);
  assert.deepEqual(r, { refused: "InvalidArgument", before: 10, trap: ["OssImageError", "InternalError", 500], afterTrap: 30 });
  assert.deepEqual(errors, []);
  await page.close();
});

test("demo page: sample processed, live validation, OSS error shown, file input; screenshot", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on("pageerror", (err) => errors.push(err));
  const wasmLoads = [];
  page.context().on("request", (request) => request.url().endsWith(".wasm") && wasmLoads.push(request.url()));
  await page.goto(`${origin}/demo/`);
  // The first sample is processed with the default spec on load.
  await page.waitForFunction(() => document.body.dataset.state === "done", null, { timeout: 60_000 });
  assert.match(await page.textContent("#after-facts"), /^300×200 · image\/webp · [\d.]+ KB · \d+ ms$/);
  assert.match(await page.textContent("#before-facts"), /768×512/);
  assert.match(await page.textContent("#spec-state"), /^✓ image\//);

  // Live validation while typing (parse in the worker), before anything runs.
  await page.fill("#spec", "image/resize,w_0");
  await page.waitForFunction(() => document.getElementById("spec-state").textContent.startsWith("✗"));
  assert.match(await page.textContent("#spec-state"), /✗ InvalidArgument 0040-00000312/);
  // Running it shows the OSS error.
  await page.click("#run");
  await page.waitForFunction(() => document.body.dataset.state === "error");
  assert.match(await page.textContent("#error"), /400 InvalidArgument \(EC 0040-00000312\)/);

  // A picked file, processed by the typed spec, then by an example spec (a circle as PNG).
  await page.fill("#spec", "image/resize,w_64");
  await page.setInputFiles("#file", fileURLToPath(new URL("hopper.jpg", `file://${fixturesDir}`)));
  await page.waitForFunction(() => document.body.dataset.state === "done" && document.getElementById("before-facts").textContent.startsWith("hopper.jpg"));
  assert.match(await page.textContent("#after-facts"), /^64×64 · image\/jpeg/);
  await page.click("text=circle");
  await page.waitForFunction(() => document.body.dataset.state === "done" && document.getElementById("after-facts").textContent.includes("image/png"));
  // resize never enlarges by default (limit_1, spec/resize.md): hopper stays 128 px.
  assert.match(await page.textContent("#after-facts"), /^128×128 · image\/png/);
  assert.equal(await page.isHidden("#error"), true);

  // One module load so far: the page runs no wasm, its one worker loaded it once (version,
  // every keystroke's parse and each process went to it). A run superseded while running
  // ends that worker (the only way to stop wasm), so the next step may load it again.
  assert.equal(wasmLoads.length, 1, wasmLoads.join(", "));

  await page.click("[data-key='photos/kodim23.png']");
  await page.click("text=text mark");
  await page.waitForFunction(() => document.body.dataset.state === "done" && document.getElementById("after-facts").textContent.startsWith("400×"));
  // Picking a sample then an example spec at once supersedes the first run: that abort is
  // not an error to show.
  assert.equal(await page.isHidden("#error"), true);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: `${outDir}/demo.png`, fullPage: true });
  assert.deepEqual(errors, []);

  await page.close();
});

/**
 * Installs two page helpers for the colour tests: `patches(source, w, h, via)` averages a
 * picture into w×h patches in the page's sRGB (drawn at the `via` size first, when given),
 * `patchMad(a, b)` the mean absolute difference per RGB channel of two such lists.
 */
function installPatchHelpers() {
  const draw = (source, w, h) => {
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(source, 0, 0, w, h);
    return canvas;
  };
  globalThis.patches = (source, w, h, via) =>
    draw(via ? draw(source, via[0], via[1]) : source, w, h).getContext("2d").getImageData(0, 0, w, h).data;
  globalThis.patchMad = (a, b) => {
    let sum = 0, n = 0;
    for (let i = 0; i < a.length; i += 4) for (let c = 0; c < 3; c++, n++) sum += Math.abs(a[i + c] - b[i + c]);
    return sum / n;
  };
}

test("demo page: a Display P3 photo shows the same colours before (browser, profile honoured) and after (ours, sRGB)", async (t) => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on("pageerror", (err) => errors.push(err));
  await page.goto(`${origin}/demo/`);
  await page.waitForFunction(() => document.body.dataset.state === "done", null, { timeout: 60_000 });
  await page.fill("#spec", "image/format,png");
  await page.click("[data-key='photos/kodim23-p3.jpg']");
  await page.waitForFunction(
    () =>
      document.body.dataset.state === "done" &&
      document.getElementById("before-facts").textContent.startsWith("photos/kodim23-p3.jpg") &&
      document.getElementById("after-facts").textContent.includes("image/png") &&
      document.getElementById("after").complete,
  );
  // Both pictures averaged into 48×32 patches in the page's sRGB: Chromium converts the
  // before picture through its P3 profile when it draws it. The control draws the before
  // bytes without that conversion (what a viewer that ignores the profile shows), so the
  // test could fail: a decoder that kept the P3 numbers would match the control instead.
  await page.evaluate(installPatchHelpers);
  const r = await page.evaluate(async () => {
    const before = document.getElementById("before"), after = document.getElementById("after");
    await Promise.all([before.decode(), after.decode()]);
    const bytes = await (await fetch(before.src)).blob();
    const unmanaged = await createImageBitmap(bytes, { colorSpaceConversion: "none" });
    const [b, a, u] = [before, after, unmanaged].map((source) => patches(source, 48, 32));
    return { managed: patchMad(b, a), unmanaged: patchMad(u, a) };
  });
  t.diagnostic(`MAD before vs after ${r.managed.toFixed(2)}, control (profile ignored) ${r.unmanaged.toFixed(2)}`);
  assert.ok(r.managed <= 1.5, `before vs after differ by ${r.managed.toFixed(2)} per channel`);
  assert.ok(r.unmanaged >= 3, `the control should differ (profile ignored): ${r.unmanaged.toFixed(2)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("demo page: an iPhone HEIC shows before (our decode: Chromium cannot show HEIC) and after with the right colours", async (t) => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on("pageerror", (err) => errors.push(err));
  await page.goto(`${origin}/demo/`);
  await page.waitForFunction(() => document.body.dataset.state === "done", null, { timeout: 60_000 });
  await page.fill("#spec", "image/resize,w_600/quality,Q_95");
  await page.click("[data-key='photos/iphone.heic']");
  await page.waitForFunction(
    () =>
      document.body.dataset.state === "done" &&
      document.getElementById("after-facts").textContent.startsWith("600×800 · image/jpeg") &&
      document.getElementById("before-facts").textContent.includes("shown as decoded by ossimg"),
    null,
    { timeout: 120_000 },
  );
  assert.match(await page.textContent("#before-facts"), /^photos\/iphone\.heic · 3024×4032 · /);
  // The after picture against the before one, both in the page's sRGB, averaged into
  // 12×16 patches (the before one through 600×800, the after one's size). Both are read
  // from the bytes the page shows them from: drawn from the <img> elements themselves,
  // the 3024×4032 one came 2.6 off (Chromium's display-sized decode of a large picture,
  // which is not ours to test). What remains is the w600 JPEG Q95 (4:2:0 chroma);
  // tests/fidelity/ holds the decode itself to libheif's within MAD 0.03 on this file.
  await page.evaluate(installPatchHelpers);
  const r = await page.evaluate(async () => {
    const shown = async (img) => createImageBitmap(await (await fetch(img.src)).blob());
    const [before, after] = await Promise.all(["before", "after"].map((id) => shown(document.getElementById(id))));
    const b = patches(before, 12, 16, [after.width, after.height]);
    return { mad: patchMad(b, patches(after, 12, 16)), width: before.width };
  });
  t.diagnostic(`before (our decode) vs after: MAD ${r.mad.toFixed(2)} per channel`);
  assert.equal(r.width, 3024);
  assert.ok(r.mad <= 1.5, `before vs after differ by ${r.mad.toFixed(2)}`);
  assert.deepEqual(errors, []);
  await page.close();
});
