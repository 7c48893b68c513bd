// The Cloudflare Worker ("ossimg/cf-worker") in workerd (Miniflare), against a real
// loopback HTTP origin and against R2: processing, styles, watermarks, passthrough,
// fallbacks, missing objects, origin faults and trap recovery. A second loopback server
// stands for "another host": it must never see a request.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { greyPng } from "../test-images.mjs";
import { Miniflare } from "miniflare";
import { probe } from "ossimg";
import { bundleOptions, bundleWorker, workerPackageModules } from "../worker-bundle.mjs";
import { DEFAULT_FONT_KEYS } from "../src/facts.js";

const pkgDir = dirname(fileURLToPath(import.meta.resolve("ossimg/package.json")));
const fixture = (name) => readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url));
const corpusDir = process.env.OSSIMG_CORPUS ?? fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
/** scripts/test.sh sets it: there a missing corpus fails the corpus tests instead of skipping them. */
const requireCorpus = process.env.OSSIMG_REQUIRE_CORPUS === "1";
const b64 = (s) => Buffer.from(s).toString("base64url");


const hopper = fixture("hopper.jpg"); // 128x128 JPEG
const logo = fixture("pngsuite_basn6a08.png"); // 32x32 RGBA
const big = Buffer.concat([hopper, Buffer.alloc(21 * 1024 * 1024 - hopper.length, 7)]); // > 20 MB
const overBudget = greyPng(4200, 4200); // 17.6 M px: within OSS, over Limits::workers()
const fullWorkers = greyPng(4096, 3000); // 12,288,000 px: within Limits::workers() by its header
const OBJECTS = {
  "photos/hopper.jpg": { body: hopper, type: "image/jpeg" },
  "photos/kodim23.png": { body: fixture("kodim23.png"), type: "image/png" },
  "photos/anim.gif": { body: fixture("imagers_any-disposal.gif"), type: "image/gif" },
  "logo/basn6a08.png": { body: logo, type: "image/png" },
  "dir with space/hop per.jpg": { body: hopper, type: "image/jpeg" },
  "big/21mb.jpg": { body: big, type: "image/jpeg" },
  "budget/4200.png": { body: overBudget, type: "image/png" },
  "budget/4096x3000.png": { body: fullWorkers, type: "image/png" },
  "text/not-an-image.txt": { body: Buffer.from("hello"), type: "text/plain" },
};
const bombPath = join(corpusDir, "limits/made_png_20000x20000_bomb.png");
if (existsSync(bombPath)) OBJECTS["bombs/20000.png"] = { body: readFileSync(bombPath), type: "image/png" };
for (const key of DEFAULT_FONT_KEYS) {
  OBJECTS[`_ossimg/fonts/${key}.ttf`] = { body: readFileSync(join(pkgDir, "fonts", `${key}.ttf`)), type: "font/ttf" };
}
const STYLES = { thumb: "image/resize,w_40/format,png", tiny: "image/resize,w_8" };

let origin; // the loopback HTTP origin
let elsewhere; // another host: must never be asked
const originLog = [];
const elsewhereLog = [];
let originUrl;
let elsewhereUrl;

function faultRoute(req, res, key) {
  const socket = req.socket;
  switch (key) {
    case "fault/500.jpg":
      res.writeHead(500).end("boom");
      return true;
    case "fault/503.jpg":
      res.writeHead(503).end();
      return true;
    case "fault/hang.jpg":
      return true; // never answers; the Worker's timeout must fire
    case "fault/redirect.jpg":
      res.writeHead(302, { location: `${elsewhereUrl}photos/hopper.jpg` }).end();
      return true;
    case "fault/cut.jpg": // closes mid-body
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ncontent-length: ${hopper.length}\r\n\r\n`);
      socket.write(hopper.subarray(0, 2000), () => socket.destroy());
      return true;
    case "fault/lying.jpg": // declares more than it sends, then ends cleanly
      socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ncontent-length: ${hopper.length + 500}\r\nconnection: close\r\n\r\n`), hopper]));
      return true;
    default:
      return false;
  }
}

before(async () => {
  elsewhere = createServer((req, res) => {
    elsewhereLog.push(req.url);
    res.writeHead(200, { "content-type": "image/jpeg" }).end(hopper);
  });
  origin = createServer((req, res) => {
    const key = decodeURIComponent(new URL(req.url, "http://x").pathname.replace(/^\/bucket\//, ""));
    originLog.push(key);
    if (faultRoute(req, res, key)) return;
    const object = OBJECTS[key];
    if (!object) return res.writeHead(404, { "content-type": "application/xml" }).end("<Error/>");
    res.writeHead(200, { "content-type": object.type, "content-length": object.body.length, etag: `"etag-${object.body.length}"`, "cache-control": "public, max-age=60" });
    res.end(object.body);
  });
  await Promise.all([origin, elsewhere].map((s) => new Promise((resolve) => s.listen(0, "127.0.0.1", resolve))));
  originUrl = `http://127.0.0.1:${origin.address().port}/bucket/`;
  elsewhereUrl = `http://127.0.0.1:${elsewhere.address().port}/`;
});

after(async () => {
  origin.closeAllConnections();
  await Promise.all([origin, elsewhere].map((s) => new Promise((resolve) => s.close(resolve))));
});

/**
 * The Worker from pkg/ in workerd, plus a test-only route that traps the wasm instance the
 * Worker uses (the internal core.js and glue modules are the Worker's own).
 */
async function startWorker(bindings, extra = {}) {
  const file = (name) => readFileSync(join(pkgDir, name));
  const entry = `
    import worker from "./cf-worker.js";
    import { callWasm } from "./core.js";
    import * as glue from "./ossimg.js";
    export default {
      async fetch(request, env, ctx) {
        if (new URL(request.url).pathname === "/__test/trap") {
          try { callWasm(glue, (raw) => raw.__ossimgTrap()); } catch (err) { return new Response(err.code, { status: err.status }); }
        }
        return worker.fetch(request, env, ctx);
      },
    };`;
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: "/app/entry.js", contents: entry },
      ...workerPackageModules(file),
    ],
    modulesRoot: "/",
    compatibilityDate: "2026-04-01",
    cf: false,
    bindings: { STYLES, ...bindings },
    ...extra,
  });
  await mf.ready;
  return mf;
}

async function get(mf, path, init) {
  const res = await mf.dispatchFetch(`http://img.test${path}`, init);
  const body = new Uint8Array(await res.arrayBuffer());
  return { res, body, status: res.status, header: (name) => res.headers.get(name) };
}

function assertOssXml({ res, body, status, header }, { code, statusCode, ec }) {
  assert.equal(status, statusCode, new TextDecoder().decode(body));
  assert.equal(header("content-type"), "application/xml");
  const xml = new TextDecoder().decode(body);
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error>/);
  assert.match(xml, new RegExp(`<Code>${code}</Code>`));
  const requestId = header("x-oss-request-id");
  assert.match(requestId, /^[0-9A-F]{24}$/);
  assert.match(xml, new RegExp(`<RequestId>${requestId}</RequestId>`));
  if (ec) {
    assert.equal(header("x-oss-ec"), ec);
    assert.match(xml, new RegExp(`<EC>${ec}</EC>`));
  }
  return { xml, res };
}

/** The behaviour both origins must share. */
function sharedSuite(name, start) {
  describe(name, () => {
    let mf;
    before(async () => {
      mf = await start();
    });
    after(async () => {
      await mf?.dispose();
    });

    test("resize + format: OSS semantics, headers derived", async () => {
      const r = await get(mf, "/photos/hopper.jpg?x-oss-process=image/resize,w_64/format,png");
      assert.equal(r.status, 200);
      assert.equal(r.header("content-type"), "image/png");
      assert.equal(Number(r.header("content-length")), r.body.length);
      assert.match(r.header("etag"), /^"[0-9a-f]{24}"$/);
      assert.ok(r.header("cache-control"));
      assert.match(r.header("x-oss-request-id"), /^[0-9A-F]{24}$/);
      const p = probe(r.body);
      assert.deepEqual([p.format, p.width, p.height], ["png", 64, 64]);
      // Same meaning, same canonical spec: the second answer comes from the Cache API.
      const again = await get(mf, "/photos/hopper.jpg?x-oss-process=image/format,png/resize,w_64");
      assert.equal(again.status, 200);
      assert.equal(again.header("x-ossimg-cache"), "hit");
      assert.equal(again.header("etag"), r.header("etag"));
      assert.deepEqual(again.body, r.body);
    });

    test("quality + format jpg, and info JSON", async () => {
      const r = await get(mf, "/photos/kodim23.png?x-oss-process=image/resize,w_300/quality,Q_85/format,jpg");
      assert.equal(r.status, 200);
      assert.equal(r.header("content-type"), "image/jpeg");
      assert.deepEqual([probe(r.body).width, probe(r.body).height], [300, 200]);
      const info = await get(mf, "/photos/anim.gif?x-oss-process=image/info");
      assert.equal(info.header("content-type"), "application/json");
      const json = JSON.parse(new TextDecoder().decode(info.body));
      assert.equal(json.ImageWidth.value, "32");
    });

    test("styles: style/<name>, the ! delimiter, NoSuchStyle", async () => {
      const a = await get(mf, "/photos/hopper.jpg?x-oss-process=style/thumb");
      assert.deepEqual([a.status, a.header("content-type"), probe(a.body).width], [200, "image/png", 40]);
      const b = await get(mf, "/photos/hopper.jpg!thumb");
      assert.deepEqual([b.status, probe(b.body).width], [200, 40]);
      assertOssXml(await get(mf, "/photos/hopper.jpg?x-oss-process=style/nope"), { code: "NoSuchStyle", statusCode: 404 });
      // An unknown style after "!" is part of the key: that object does not exist.
      assertOssXml(await get(mf, "/photos/hopper.jpg!nope"), { code: "NoSuchKey", statusCode: 404 });
    });

    test("a picture watermark is read from the same origin", async () => {
      const r = await get(mf, `/photos/hopper.jpg?x-oss-process=image/watermark,image_${b64("logo/basn6a08.png")},g_se`);
      assert.equal(r.status, 200, new TextDecoder().decode(r.body));
      assert.deepEqual([probe(r.body).width, probe(r.body).height], [128, 128]);
      const missing = await get(mf, `/photos/hopper.jpg?x-oss-process=image/watermark,image_${b64("logo/none.png")}`);
      assertOssXml(missing, { code: "WatermarkError", statusCode: 400, ec: "0040-00000025" });
    });

    test("a text watermark loads the fonts from the origin once", async () => {
      const spec = `image/watermark,text_${b64("Hello 你好")},size_30`;
      const before = originLog.length;
      const r = await get(mf, `/photos/hopper.jpg?x-oss-process=${spec}`);
      assert.equal(r.status, 200, new TextDecoder().decode(r.body));
      assert.deepEqual([r.header("content-type"), probe(r.body).width], ["image/jpeg", 128]);
      const plain = await get(mf, "/photos/hopper.jpg?x-oss-process=image/format,jpg");
      assert.notDeepEqual(r.body, plain.body, "the text changed the pixels");
      const again = await get(mf, `/photos/hopper.jpg?x-oss-process=${spec},color_FF0000`);
      assert.equal(again.status, 200);
      if (name.startsWith("HTTP")) {
        const fontRequests = originLog.slice(before).filter((k) => k.startsWith("_ossimg/fonts/"));
        assert.deepEqual(fontRequests.sort(), DEFAULT_FONT_KEYS.map((key) => `_ossimg/fonts/${key}.ttf`).sort(), "each font fetched once per isolate");
      }
    });

    test("passthrough: no x-oss-process streams the original with its headers", async () => {
      const r = await get(mf, "/photos/kodim23.png");
      assert.equal(r.status, 200);
      assert.deepEqual(Buffer.from(r.body), OBJECTS["photos/kodim23.png"].body);
      assert.equal(r.header("content-type"), "image/png");
      assert.equal(Number(r.header("content-length")), OBJECTS["photos/kodim23.png"].body.length);
      assert.ok(r.header("etag"));
      const spaced = await get(mf, "/dir%20with%20space/hop%20per.jpg");
      assert.deepEqual([spaced.status, spaced.body.length], [200, hopper.length]);
      const head = await get(mf, "/photos/hopper.jpg", { method: "HEAD" });
      assert.deepEqual([head.status, head.body.length, head.header("content-length")], [200, 0, String(hopper.length)]);
    });

    test("a source over 20 MB is streamed through unprocessed", async () => {
      const r = await get(mf, "/big/21mb.jpg?x-oss-process=image/resize,w_10");
      assert.equal(r.status, 200);
      assert.equal(r.header("x-ossimg-fallback"), "source-too-large");
      assert.equal(r.body.length, big.length);
      assert.ok(Buffer.from(r.body).equals(big));
    });

    test("a source over the isolate's budget falls back with engine-budget", async () => {
      const r = await get(mf, "/budget/4200.png?x-oss-process=image/resize,w_100");
      assert.equal(r.status, 200);
      assert.equal(r.header("x-ossimg-fallback"), "engine-budget");
      assert.ok(Buffer.from(r.body).equals(overBudget));
      // The check sees the spec about to run with its styles (checkSource(bytes, spec, options)).
      const styled = await get(mf, "/budget/4200.png!thumb");
      assert.deepEqual([styled.status, styled.header("x-ossimg-fallback")], [200, "engine-budget"]);
    });

    test("work over the engine memory budget falls back with engine-budget; the next request succeeds", async () => {
      // format,bmp traps on a refused allocation; blur fails through try_reserve.
      for (const spec of ["image/format,bmp", "image/blur,r_50,s_50"]) {
        const r = await get(mf, `/budget/4096x3000.png?x-oss-process=${spec}`);
        assert.equal(r.status, 200, `${spec}: ${new TextDecoder().decode(r.body).slice(0, 300)}`);
        assert.equal(r.header("x-ossimg-fallback"), "engine-budget", spec);
        assert.equal(r.header("content-type"), "image/png");
        assert.equal(Number(r.header("content-length")), fullWorkers.length);
        assert.ok(Buffer.from(r.body).equals(fullWorkers), spec);
        const next = await get(mf, "/photos/hopper.jpg?x-oss-process=image/resize,w_24");
        assert.deepEqual([next.status, probe(next.body).width], [200, 24]);
      }
      // Within the budget the same source is processed.
      const small = await get(mf, "/budget/4096x3000.png?x-oss-process=image/resize,w_100");
      assert.deepEqual([small.status, small.header("x-ossimg-fallback"), probe(small.body).width], [200, null, 100]);
    });

    test("a corpus bomb over the OSS pixel limit falls back with oss-limit", { skip: !requireCorpus && !OBJECTS["bombs/20000.png"] && "corpus absent" }, async () => {
      assert.ok(OBJECTS["bombs/20000.png"], `OSSIMG_REQUIRE_CORPUS=1 but ${bombPath} is missing`);
      const r = await get(mf, "/bombs/20000.png?x-oss-process=image/resize,w_100");
      assert.equal(r.status, 200);
      assert.equal(r.header("x-ossimg-fallback"), "oss-limit");
      assert.ok(Buffer.from(r.body).equals(OBJECTS["bombs/20000.png"].body));
    });

    test("NoSuchKey for a plain GET, NoSuchFile (0040-00000024) when processing", async () => {
      assertOssXml(await get(mf, "/photos/none.jpg"), { code: "NoSuchKey", statusCode: 404 });
      assertOssXml(await get(mf, "/photos/none.jpg?x-oss-process=image/resize,w_10"), { code: "NoSuchFile", statusCode: 404, ec: "0040-00000024" });
    });

    test("OSS XML errors: bad spec, not an image, bad key, bad method", async () => {
      const { xml } = assertOssXml(await get(mf, "/photos/hopper.jpg?x-oss-process=image/resize,w_0"), { code: "InvalidArgument", statusCode: 400, ec: "0040-00000312" });
      assert.match(xml, /<RecommendDoc>https:\/\/api\.aliyun\.com\/troubleshoot\?q=0040-00000312<\/RecommendDoc>/);
      assertOssXml(await get(mf, "/text/not-an-image.txt?x-oss-process=image/resize,w_10"), { code: "BadRequest", statusCode: 400 });
      assertOssXml(await get(mf, "/a%2F..%2Fphotos/hopper.jpg"), { code: "InvalidObjectName", statusCode: 400 });
      assertOssXml(await get(mf, "/photos/hopper.jpg", { method: "POST", body: "x" }), { code: "MethodNotAllowed", statusCode: 405 });
      const escaped = await get(mf, `/photos/hopper.jpg?x-oss-process=${encodeURIComponent("image/resize,w_<script>")}`);
      assert.doesNotMatch(new TextDecoder().decode(escaped.body), /<script>/);
    });

    test("a trap is answered as an error and the next request succeeds", async () => {
      const trap = await mf.dispatchFetch("http://img.test/__test/trap");
      assert.deepEqual([trap.status, await trap.text()], [500, "InternalError"]);
      const r = await get(mf, "/photos/hopper.jpg?x-oss-process=image/resize,w_20");
      assert.deepEqual([r.status, probe(r.body).width], [200, 20]);
    });
  });
}

sharedSuite("HTTP origin", () => startWorker({ ORIGIN_URL: originUrl, ORIGIN_TIMEOUT_MS: "800" }));

sharedSuite("R2 origin", async () => {
  const mf = await startWorker({}, { r2Buckets: ["BUCKET"] });
  const bucket = await mf.getR2Bucket("BUCKET");
  for (const [key, { body, type }] of Object.entries(OBJECTS)) await bucket.put(key, new Uint8Array(body), { httpMetadata: { contentType: type } });
  return mf;
});

describe("origin faults (HTTP origin)", () => {
  let mf;
  before(async () => {
    mf = await startWorker({ ORIGIN_URL: originUrl, ORIGIN_TIMEOUT_MS: "800", CACHE: "off" });
  });
  after(async () => {
    await mf?.dispose();
  });

  for (const [key, reason] of [
    ["fault/500.jpg", "status-500"],
    ["fault/503.jpg", "status-503"],
    ["fault/hang.jpg", "timeout"],
    ["fault/redirect.jpg", "redirect"],
  ]) {
    test(`${key}: 500 InternalError (${reason}), for plain and processing requests`, async () => {
      for (const query of ["", "?x-oss-process=image/resize,w_10"]) {
        const started = Date.now();
        const r = await get(mf, `/${key}${query}`);
        assertOssXml(r, { code: "InternalError", statusCode: 500 });
        assert.equal(r.header("x-ossimg-origin-error"), reason);
        assert.ok(Date.now() - started < 5000, "bounded by ORIGIN_TIMEOUT_MS");
      }
    });
  }

  test("a body cut short or shorter than its Content-Length is never a 200 with broken bytes", async () => {
    for (const key of ["fault/cut.jpg", "fault/lying.jpg"]) {
      const processed = await get(mf, `/${key}?x-oss-process=image/resize,w_10`);
      assertOssXml(processed, { code: "InternalError", statusCode: 500 });
      // Streamed through: the status line is already sent, so the body must fail, not end short.
      const res = await mf.dispatchFetch(`http://img.test/${key}`);
      const outcome = await res.arrayBuffer().then(
        (b) => (res.status === 200 ? `complete 200 with ${b.byteLength} bytes` : `status ${res.status}`),
        () => "body failed",
      );
      assert.ok(outcome === "body failed" || outcome.startsWith("status 5"), `${key}: ${outcome}`);
    }
  });

  test("a watermark key that tries to leave the origin reaches no other host", async () => {
    const before = originLog.length;
    for (const key of [`${elsewhereUrl}x.png`, "//127.0.0.1/x.png", "../outside.png", "logo/../../outside.png"]) {
      const r = await get(mf, `/photos/hopper.jpg?x-oss-process=image/watermark,image_${b64(key)}`);
      assert.equal(r.status >= 400 && r.status < 500, true, `${key}: ${r.status}`);
    }
    assert.deepEqual(elsewhereLog, [], "no request left the origin");
    const asked = originLog.slice(before);
    assert.ok(asked.every((k) => !k.includes("..") && !k.startsWith("outside")), asked.join(", "));
  });

  test("redirects are not followed", async () => {
    await get(mf, "/fault/redirect.jpg");
    assert.deepEqual(elsewhereLog, []);
  });
});

describe("config", () => {
  test("more than 50 styles is a configuration error", async () => {
    const styles = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`s${i}`, "image/resize,w_10"]));
    const mf = await startWorker({ ORIGIN_URL: originUrl, STYLES: JSON.stringify(styles) });
    try {
      const { xml } = assertOssXml(await get(mf, "/photos/hopper.jpg"), { code: "InternalError", statusCode: 500 });
      assert.match(xml, /at most 50/);
    } finally {
      await mf.dispose();
    }
  });
});

test("wrangler bundles www/cf-worker and the bundle serves requests", { timeout: 180_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), "ossimg-wrangler-"));
  try {
    const log = bundleWorker(out);
    const upload = log.match(/Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/);
    assert.ok(upload, log);
    console.log(`wrangler bundle: ${upload[0]}`);
    // Cloudflare's free plan takes Workers of up to 3 MB compressed (README "Cloudflare Worker").
    assert.ok(Number(upload[2].split(" ")[0]) * 1024 < 3_000_000, `over the free plan's 3 MB: ${upload[0]}`);
    const mf = new Miniflare({
      ...bundleOptions(out),
      bindings: { ORIGIN_URL: originUrl, STYLES },
    });
    try {
      const r = await get(mf, "/photos/hopper.jpg!thumb");
      assert.deepEqual([r.status, probe(r.body).width], [200, 40]);
      // A text mark draws with the fonts inside the bundle: the origin is not asked for them.
      const before = originLog.length;
      const t = await get(mf, `/photos/hopper.jpg?x-oss-process=image/watermark,text_${b64("Hello 你好")},size_30`);
      assert.equal(t.status, 200, new TextDecoder().decode(t.body));
      assert.deepEqual(originLog.slice(before).filter((k) => k.endsWith(".ttf")), []);
    } finally {
      await mf.dispose();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
