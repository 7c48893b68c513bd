// The browser entry (index.js + init) and the Web Worker pool (client.js + worker.js) in
// Debian's Chromium, driven by playwright-core (which never downloads a browser). The
// package and the fixtures are served from 127.0.0.1; every other host fails to resolve.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const pkgDir = dirname(fileURLToPath(import.meta.resolve("ossimg/package.json")));
const fixturesDir = fileURLToPath(new URL("../../tests/fixtures/", import.meta.url));
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".json": "application/json" };
const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>ossimg test</title>`;

let server;
let browser;
let origin;

function serveFile(res, base, rel) {
  const path = normalize(join(base, rel));
  if (!path.startsWith(base) || !existsSync(path) || !statSync(path).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
  res.end(readFileSync(path));
}

before(async () => {
  server = createServer((req, res) => {
    const { pathname } = new URL(req.url, "http://x");
    if (pathname === "/") res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    else if (pathname.startsWith("/pkg/")) serveFile(res, pkgDir, pathname.slice(5));
    else if (pathname.startsWith("/fixtures/")) serveFile(res, fixturesDir, pathname.slice(10));
    else res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
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
    let trap;
    try {
      m.__trap();
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
  assert.equal(typeof r.version, "string");
  assert.deepEqual(errors, []);
  await page.close();
});

test("client: worker pool processes, transfers, queues and reports OssImageError", async () => {
  const { page, errors } = await openPage();
  const r = await page.evaluate(async () => {
    const { createProcessor, OssImageError } = await import("/pkg/client.js");
    const load = async (name) => new Uint8Array(await (await fetch(`/fixtures/${name}`)).arrayBuffer());
    const p = createProcessor({ size: 2 });
    const inputs = await Promise.all(["hopper.jpg", "kodim23.png", "imagers_any-disposal.gif", "hopper.jpg"].map(load));
    const widths = [16, 100, 8, 40];
    const outs = await Promise.all(inputs.map((bytes, i) => p.process(bytes, `image/resize,w_${widths[i]}`)));
    const detached = inputs.map((b) => b.byteLength);

    const kept = await load("hopper.jpg");
    const copy = await p.process(kept, "image/resize,w_10/format,png", { transfer: false });

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
      copy: [copy.mime, copy.width],
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
  assert.ok(r.keptLength > 0, "transfer: false keeps the caller's buffer");
  assert.deepEqual(r.copy, ["image/png", 10]);
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
