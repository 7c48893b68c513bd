// The Cloudflare Worker in production (issue 13), in workerd (Miniflare) against a loopback
// HTTP origin and R2: the OSS access rules of docs/spec/signing.md with URLs signed by the
// official OSS Node SDK (ali-oss), source-image protection, Referer rules, CORS, conditional
// requests, ranges, HEAD, Cache-Tag, the bundled fonts, createHandler under a prefix,
// ON_ERROR=original, and the bugs of the issue.
import { after, before, describe, mock, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import OSS from "ali-oss";
import { Miniflare } from "miniflare";
import { probe } from "ossimg";
import { DEFAULT_FONT_KEYS } from "../src/facts.js";
import { workerPackageModules } from "../worker-bundle.mjs";

/** ali-oss's own signer (what its client puts in the Authorization header). */
const signUtils = createRequire(import.meta.url)("ali-oss/lib/common/signUtils.js");
const pkgDir = dirname(fileURLToPath(import.meta.resolve("ossimg/package.json")));
const fixture = (name) => readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url));
const b64 = (s) => Buffer.from(s).toString("base64url");
const text = (body) => new TextDecoder().decode(body);

const hopper = fixture("hopper.jpg"); // 128x128 JPEG
const logo = fixture("pngsuite_basn6a08.png"); // 32x32 RGBA
const brokenPng = Buffer.from(fixture("kodim23.png"));
brokenPng.fill(0x55, brokenPng.indexOf("IDAT") + 10, brokenPng.indexOf("IDAT") + 2000); // header fine, pixels not
const LAST_MODIFIED = "Wed, 01 Oct 2025 00:00:00 GMT";
const OBJECTS = {
  "photos/cat.jpg": { body: hopper, type: "image/jpeg" },
  "photos/猫 1.jpg": { body: hopper, type: "image/jpeg" },
  "photos/dog.png": { body: logo, type: "image/png" },
  "photos/a+b.jpg": { body: hopper, type: "image/jpeg" },
  "broken/kodim23.png": { body: brokenPng, type: "image/png" },
  "text/not-an-image.txt": { body: Buffer.from("hello"), type: "text/plain" },
};
const FONT_OBJECTS = Object.fromEntries(DEFAULT_FONT_KEYS.map((key) => [`fonts-override/${key}.ttf`, { body: readFileSync(join(pkgDir, "fonts", `${key}.ttf`)), type: "font/ttf" }]));
const STYLES = { thumb: "image/resize,w_40/format,png" };

// signing.md §1.5 / §2.5
const AK = "ossimgTestAK01";
const SK = "ossimgTestSecretKey0123456789AB";
const AK2 = "ossimgTestAK02"; // a second pair: key rotation
const SK2 = "anotherSecretForRotation0123456";
const BUCKET = "examplebucket";
const HOST = "examplebucket.oss-cn-hangzhou.aliyuncs.com";
const NOW_OK = 1767225000_000;

let origin;
let originUrl;
const originLog = [];

/** A loopback origin that answers conditionals and single ranges itself, like S3/OSS/nginx. */
before(async () => {
  origin = createServer((req, res) => {
    const key = decodeURIComponent(new URL(req.url, "http://x").pathname.replace(/^\/bucket\//, ""));
    originLog.push(`${req.method} ${key}`);
    const noValidator = key.startsWith("novalidator/");
    const object = OBJECTS[key.replace(/^novalidator\//, "")] ?? FONT_OBJECTS[key];
    if (!object) return res.writeHead(404, { "content-type": "application/xml" }).end("<Error/>");
    const etag = `"etag-${object.body.length}"`;
    const headers = { "content-type": object.type, "accept-ranges": "bytes", "cache-control": "public, max-age=60" };
    if (!noValidator) Object.assign(headers, { etag, "last-modified": LAST_MODIFIED });
    if (!noValidator && req.headers["if-none-match"] === etag) return res.writeHead(304, headers).end();
    if (!noValidator && req.headers["if-match"] && req.headers["if-match"] !== etag) return res.writeHead(412).end();
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    if (range) {
      const size = object.body.length;
      const start = Number(range[1]);
      if (start >= size) return res.writeHead(416, { "content-range": `bytes */${size}` }).end();
      const end = Math.min(range[2] === "" ? size - 1 : Number(range[2]), size - 1);
      res.writeHead(206, { ...headers, "content-length": end - start + 1, "content-range": `bytes ${start}-${end}/${size}` });
      return res.end(req.method === "HEAD" ? undefined : object.body.subarray(start, end + 1));
    }
    res.writeHead(200, { ...headers, "content-length": object.body.length });
    res.end(req.method === "HEAD" ? undefined : object.body);
  });
  await new Promise((resolve) => origin.listen(0, "127.0.0.1", resolve));
  originUrl = `http://127.0.0.1:${origin.address().port}/bucket/`;
});

after(async () => {
  origin.closeAllConnections();
  await new Promise((resolve) => origin.close(resolve));
});

/**
 * The package's Worker built with createHandler in workerd: the fonts as Data modules (as
 * wrangler bundles them), a settable clock (`/__test/now?ms=`), createHandler options from
 * the HANDLER binding (JSON), and a route that reports what a bad option throws.
 */
async function startWorker(bindings, { bundledFonts = true, r2 = false, stderr } = {}) {
  const file = (name) => readFileSync(join(pkgDir, name));
  const entry = `
    import { createHandler } from "./cf-worker.js";
    let nowMs = null;
    const fonts = async () => ({
      "wqy-microhei": (await import("./fonts/wqy-microhei.ttf")).default,
      "dejavu-sans": (await import("./fonts/dejavu-sans.ttf")).default,
    });
    let handler;
    export default {
      async fetch(request, env, ctx) {
        const url = new URL(request.url);
        if (url.pathname === "/__test/now") { nowMs = Number(url.searchParams.get("ms")); return new Response("ok"); }
        if (url.pathname === "/__test/bad-options") {
          try { createHandler(JSON.parse(url.searchParams.get("o"))); return new Response("accepted"); } catch (err) { return new Response(err.message, { status: 400 }); }
        }
        handler ??= createHandler({ ...JSON.parse(env.HANDLER ?? "{}"), now: () => nowMs ?? Date.now(), ...(env.NO_BUNDLED_FONTS ? {} : { fonts }) });
        return handler.fetch(request, env, ctx);
      },
    };`;
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: "/app/entry.js", contents: entry },
      ...workerPackageModules(file),
      ...DEFAULT_FONT_KEYS.map((key) => ({ type: "Data", path: `/app/fonts/${key}.ttf`, contents: file(`fonts/${key}.ttf`) })),
    ],
    modulesRoot: "/",
    compatibilityDate: "2026-04-01",
    cf: false,
    bindings: { STYLES, ...(r2 ? {} : { ORIGIN_URL: originUrl }), ...(bundledFonts ? {} : { NO_BUNDLED_FONTS: "1" }), ...bindings },
    ...(r2 ? { r2Buckets: ["BUCKET"] } : {}),
    ...(stderr ? { handleRuntimeStdio: (out, err) => { out.on("data", (d) => stderr.push(String(d))); err.on("data", (d) => stderr.push(String(d))); } } : {}),
  });
  await mf.ready;
  if (r2) {
    const bucket = await mf.getR2Bucket("BUCKET");
    for (const [key, { body, type }] of Object.entries(OBJECTS)) await bucket.put(key, new Uint8Array(body), { httpMetadata: { contentType: type } });
  }
  return mf;
}

async function get(mf, url, init) {
  const res = await mf.dispatchFetch(url.startsWith("http") ? url : `http://img.test${url}`, init);
  const body = new Uint8Array(await res.arrayBuffer());
  return { res, body, status: res.status, header: (name) => res.headers.get(name) };
}

const setNow = (mf, ms) => mf.dispatchFetch(`http://img.test/__test/now?ms=${ms}`).then((r) => r.text());

function assertOss(r, { status, code, ec, message }) {
  const xml = text(r.body);
  assert.equal(r.status, status, xml);
  assert.match(xml, new RegExp(`<Code>${code}</Code>`), xml);
  if (ec) {
    assert.equal(r.header("x-oss-ec"), ec, xml);
    assert.match(xml, new RegExp(`<EC>${ec}</EC>`));
  }
  if (message) assert.match(xml, new RegExp(`<Message>${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</Message>`));
  return xml;
}

const XML_TEXT = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'" };
const element = (xml, name) => new RegExp(`<${name}>([^]*?)</${name}>`).exec(xml)?.[1]?.replace(/&(lt|gt|amp|quot|apos);/g, (e) => XML_TEXT[e]);

/** URLs signed by ali-oss with its clock at `nowMs` (node:test's Date mock). */
function signed(nowMs, sign) {
  mock.timers.enable({ apis: ["Date"], now: nowMs });
  try {
    return sign(new OSS({ region: "oss-cn-hangzhou", accessKeyId: AK, accessKeySecret: SK, bucket: BUCKET, secure: true }));
  } finally {
    mock.timers.reset();
  }
}
const queryOf = (url) => new URL(url).searchParams;
const withoutParam = (url, name) => {
  const u = new URL(url);
  u.search = u.search.slice(1).split("&").filter((p) => !p.startsWith(`${name}=`)).join("&");
  return u.href;
};

const ACCESS_BINDINGS = { OSS_BUCKET: BUCKET, OSS_REGION: "cn-hangzhou", OSS_ACCESS_KEYS: JSON.stringify({ [AK]: SK, [AK2]: SK2 }) };

describe("signing.md §8 with ali-oss URLs (private bucket)", () => {
  let mf;
  // ali-oss at 2025-12-31T23:50:00Z with 600 s: Expires=1767225600 as in §1.5.
  const urlA = signed(NOW_OK, (c) => c.signatureUrl("photos/cat.jpg", { expires: 600 }));
  const urlB = signed(NOW_OK, (c) => c.signatureUrl("photos/cat.jpg", { expires: 600, process: "image/resize,w_100" }));
  const urlE = signed(NOW_OK, (c) => c.signatureUrl("photos/猫 1.jpg", { expires: 600 }));
  const urlStyle = signed(NOW_OK, (c) => c.signatureUrl("photos/cat.jpg", { expires: 600, process: "style/thumb" }));
  const urlHead = signed(NOW_OK, (c) => c.signatureUrl("photos/cat.jpg", { expires: 600, method: "HEAD" }));
  const url6 = signed(1767225009_000, (c) => c.signatureUrl("photos/cat.jpg", { expires: 600 }));
  let urlV4;
  let urlV4Host;
  before(async () => {
    // ali-oss V4 at 2026-01-01T00:00:00Z, 3600 s (§2.5).
    mock.timers.enable({ apis: ["Date"], now: Date.UTC(2026, 0, 1) });
    try {
      const client = new OSS({ region: "oss-cn-hangzhou", accessKeyId: AK, accessKeySecret: SK, bucket: BUCKET, secure: true, authorizationV4: true });
      urlV4 = await client.signatureUrlV4("GET", 3600, { queries: { "x-oss-process": "image/resize,w_100" } }, "photos/cat.jpg");
      urlV4Host = await client.signatureUrlV4("GET", 3600, { headers: { host: HOST }, queries: { "x-oss-process": "image/resize,w_100" } }, "photos/cat.jpg", ["host"]);
    } finally {
      mock.timers.reset();
    }
    mf = await startWorker({ ...ACCESS_BINDINGS, PRIVATE: "true", REFERER_ALLOW: "http://*.example.com", REFERER_ALLOW_EMPTY: "true" });
  });
  after(() => mf?.dispose());

  test("ali-oss signs what signing.md §1.5 and §2.5 say (the vectors are the SDK's)", () => {
    assert.equal(queryOf(urlA).get("Expires"), "1767225600");
    assert.equal(queryOf(urlA).get("Signature"), "VEhkZzf4P3wrOQGD02m2oI6VEVg=");
    assert.equal(queryOf(urlB).get("Signature"), "JPYJZQk4R25vi9pzzfYE9rAdzrg=");
    assert.equal(queryOf(urlStyle).get("Signature"), "NT8S6uciPcvqAA/ZACkUdtr1oP0=");
    assert.equal(queryOf(urlE).get("Signature"), "Xyv9YuOi146uAyKMR96CgB3IEq4=");
    assert.equal(queryOf(url6).get("Signature"), "hzlosPctgGQ+dVrc8sHRm0kUrkI=");
    assert.equal(queryOf(urlV4).get("x-oss-signature"), "9baba936758fa61c7a6d04b957dc37fe496904ae93260f3fd5ac35cf26445618");
    assert.equal(queryOf(urlV4Host).get("x-oss-signature"), "1af842af5e5b876f28c702351cfaa239923f00eca9eb890913b2efcba43b6466");
  });

  test("rows 1, 2, 13, style: signed V1 URLs are served", async () => {
    await setNow(mf, NOW_OK);
    const a = await get(mf, urlA);
    assert.equal(a.status, 200, text(a.body));
    assert.ok(Buffer.from(a.body).equals(hopper));
    const b = await get(mf, urlB);
    assert.deepEqual([b.status, probe(b.body).width], [200, 100]);
    const e = await get(mf, urlE);
    assert.equal(e.status, 200, text(e.body));
    const s = await get(mf, urlStyle);
    assert.deepEqual([s.status, probe(s.body).width], [200, 40]);
    const h = await get(mf, urlHead, { method: "HEAD" });
    assert.deepEqual([h.status, h.header("content-length")], [200, String(hopper.length)]);
  });

  test("row 3: the process removed → SignatureDoesNotMatch with OSS's diagnostic fields", async () => {
    await setNow(mf, NOW_OK);
    const r = await get(mf, withoutParam(urlB, "x-oss-process"));
    const xml = assertOss(r, { status: 403, code: "SignatureDoesNotMatch", ec: "0002-00000040", message: "The request signature we calculated does not match the signature you provided. Check your key and signing method." });
    assert.equal(element(xml, "OSSAccessKeyId"), AK);
    assert.equal(element(xml, "SignatureProvided"), "JPYJZQk4R25vi9pzzfYE9rAdzrg=");
    assert.equal(element(xml, "StringToSign"), "GET\n\n\n1767225600\n/examplebucket/photos/cat.jpg");
    assert.match(element(xml, "StringToSignBytes"), /^47 45 54 0A 0A 0A 31 /);
    // The order of OSS's body: the fields after HostId, EC last.
    assert.ok(xml.indexOf("<HostId>") < xml.indexOf("<OSSAccessKeyId>") && xml.indexOf("<StringToSignBytes>") < xml.indexOf("<EC>"));
  });

  test("rows 4, 5: V1 signs sub-resources only", async () => {
    await setNow(mf, NOW_OK);
    assertOss(await get(mf, `${urlA}&x-oss-process=image/resize,w_100`), { status: 403, code: "SignatureDoesNotMatch" });
    assert.equal((await get(mf, `${urlA}&v=3`)).status, 200);
  });

  test("row 6: a raw + in Signature, and %2B", async () => {
    await setNow(mf, NOW_OK);
    const raw = `http://img.test/photos/cat.jpg?OSSAccessKeyId=${AK}&Expires=1767225609&Signature=hzlosPctgGQ+dVrc8sHRm0kUrkI=`;
    assert.equal((await get(mf, raw)).status, 200);
    assert.equal((await get(mf, raw.replace("+", "%2B"))).status, 200);
  });

  test("rows 7, 8: expired (expiry before the signature)", async () => {
    await setNow(mf, 1767229300_000);
    const xml = assertOss(await get(mf, urlA), { status: 403, code: "AccessDenied", ec: "0002-00000069", message: "Request has expired." });
    assert.equal(element(xml, "Expires"), "2026-01-01T00:00:00.000Z");
    assert.equal(element(xml, "ServerTime"), "2026-01-01T01:01:40.000Z");
    assertOss(await get(mf, urlA.replace(/Signature=[^&]+/, "Signature=AAAA")), { status: 403, code: "AccessDenied", ec: "0002-00000069" });
  });

  test("rows 9, 10, 11: unknown key id, no Signature, bad Expires", async () => {
    await setNow(mf, NOW_OK);
    const xml = assertOss(await get(mf, urlA.replace(`OSSAccessKeyId=${AK}`, "OSSAccessKeyId=nobody")), { status: 403, code: "InvalidAccessKeyId" });
    assert.equal(element(xml, "OSSAccessKeyId"), "nobody");
    assertOss(await get(mf, withoutParam(urlA, "Signature")), { status: 403, code: "AccessDenied", ec: "0002-00000074" });
    assertOss(await get(mf, urlA.replace("Expires=1767225600", "Expires=abc")), { status: 400, code: "InvalidArgument", ec: "0002-00000070" });
  });

  test("row 12: a GET URL sent as HEAD → SignatureDoesNotMatch (the verb is signed)", async () => {
    await setNow(mf, NOW_OK);
    const r = await get(mf, urlA, { method: "HEAD" });
    assert.deepEqual([r.status, r.header("x-oss-ec")], [403, "0002-00000040"]);
    assert.equal(r.body.length, 0, "HEAD has no body");
  });

  test("rows 14, 20: the V4 URL, and with its process sent unencoded", async () => {
    await setNow(mf, NOW_OK);
    const r = await get(mf, urlV4);
    assert.deepEqual([r.status, probe(r.body).width], [200, 100], text(r.body));
    const raw = urlV4.replace(/x-oss-process=[^&]+/, "x-oss-process=image/resize,w_100");
    assert.notEqual(raw, urlV4);
    assert.equal((await get(mf, raw)).status, 200);
  });

  test("row 15: V4 signs every parameter", async () => {
    await setNow(mf, NOW_OK);
    const xml = assertOss(await get(mf, `${urlV4}&foo=bar`), { status: 403, code: "SignatureDoesNotMatch" });
    assert.match(element(xml, "CanonicalRequest"), /^GET\n\/examplebucket\/photos\/cat.jpg\nfoo=bar&x-oss-credential=/);
    assert.match(element(xml, "StringToSign"), /^OSS4-HMAC-SHA256\n20260101T000000Z\n20260101\/cn-hangzhou\/oss\/aliyun_v4_request\n[0-9a-f]{64}$/);
  });

  test("rows 16, 17, 18: V4 expired, not yet valid, expires out of range", async () => {
    await setNow(mf, 1767229300_000);
    assertOss(await get(mf, urlV4), { status: 403, code: "AccessDenied", ec: "0002-00000236", message: "Request has expired." });
    await setNow(mf, 1767224000_000);
    assertOss(await get(mf, urlV4), { status: 403, code: "AccessDenied", ec: "0002-00000235", message: "Request is not valid yet." });
    await setNow(mf, NOW_OK);
    assertOss(await get(mf, urlV4.replace("x-oss-expires=3600", "x-oss-expires=604801")), { status: 400, code: "InvalidArgument", ec: "0002-00000232" });
  });

  test("row 19: V4 with a signed Host: the same host / another host", async () => {
    await setNow(mf, NOW_OK);
    const same = await get(mf, urlV4Host);
    assert.equal(same.status, 200, text(same.body));
    const other = urlV4Host.replace(`https://${HOST}`, "http://img.test");
    assertOss(await get(mf, other), { status: 403, code: "SignatureDoesNotMatch" });
  });

  test("row 21: anonymous on a private bucket, whether the key exists or not", async () => {
    for (const path of ["/photos/cat.jpg", "/photos/none.jpg", "/photos/cat.jpg?x-oss-process=image/resize,w_10", "/photos/cat.jpg!thumb"]) {
      assertOss(await get(mf, path), { status: 403, code: "AccessDenied", ec: "0003-00000001", message: "You have no right to access this object because of bucket acl." });
    }
  });

  test("row 32: a URL-signed request is checked against the Referer rules", async () => {
    await setNow(mf, NOW_OK);
    assertOss(await get(mf, urlA, { headers: { referer: "http://evil.com/" } }), { status: 403, code: "AccessDenied", ec: "0003-00000503" });
    assert.equal((await get(mf, urlA, { headers: { referer: "http://www.example.com/page" } })).status, 200);
  });

  test("row 35: an Authorization header and a signed query together", async () => {
    await setNow(mf, NOW_OK);
    assertOss(await get(mf, urlA, { headers: { authorization: `OSS ${AK}:xyz` } }), { status: 400, code: "InvalidArgument" });
  });

  test("a signed missing key is 404 NoSuchKey; key rotation: the second pair works too", async () => {
    await setNow(mf, NOW_OK);
    const missing = signed(NOW_OK, (c) => c.signatureUrl("photos/none.jpg", { expires: 600 }));
    assertOss(await get(mf, missing), { status: 404, code: "NoSuchKey" });
    mock.timers.enable({ apis: ["Date"], now: NOW_OK });
    let rotated;
    try {
      rotated = new OSS({ region: "oss-cn-hangzhou", accessKeyId: AK2, accessKeySecret: SK2, bucket: BUCKET }).signatureUrl("photos/cat.jpg", { expires: 60, process: "image/resize,w_10" });
    } finally {
      mock.timers.reset();
    }
    const r = await get(mf, rotated);
    assert.deepEqual([r.status, probe(r.body).width], [200, 10], text(r.body));
  });

  test("header-signed V1 request (ali-oss's Authorization), and one with a skewed Date", async () => {
    const client = new OSS({ region: "oss-cn-hangzhou", accessKeyId: AK, accessKeySecret: SK, bucket: BUCKET });
    // ali-oss sends the time as x-oss-date and signs it in place of Date.
    const headers = { "x-oss-date": new Date(NOW_OK).toUTCString() };
    headers.authorization = client.authorization("GET", `/${BUCKET}/photos/cat.jpg`, {}, headers);
    await setNow(mf, NOW_OK);
    const r = await get(mf, "/photos/cat.jpg", { headers });
    assert.equal(r.status, 200, text(r.body));
    // Header-signed requests skip the Referer rules (§6).
    assert.equal((await get(mf, "/photos/cat.jpg", { headers: { ...headers, referer: "http://evil.com/" } })).status, 200);
    await setNow(mf, NOW_OK + 3600_000);
    assertOss(await get(mf, "/photos/cat.jpg", { headers }), { status: 403, code: "RequestTimeTooSkewed" });
  });
});

test("header-signed V4 request (ali-oss's authorizationV4), with a process", async () => {
  const mf = await startWorker({ ...ACCESS_BINDINGS, PRIVATE: "true" });
  try {
    await setNow(mf, NOW_OK);
    const headers = { "x-oss-date": "20251231T235000Z", "x-oss-content-sha256": "UNSIGNED-PAYLOAD" };
    const queries = { "x-oss-process": "image/resize,w_20" };
    headers.authorization = signUtils.authorizationV4(AK, SK, "cn-hangzhou", "GET", { headers, queries }, BUCKET, "photos/cat.jpg");
    assert.match(headers.authorization, /^OSS4-HMAC-SHA256 Credential=ossimgTestAK01\/20251231\/cn-hangzhou\/oss\/aliyun_v4_request,Signature=[0-9a-f]{64}$/);
    const r = await get(mf, "/photos/cat.jpg?x-oss-process=image%2Fresize%2Cw_20", { headers });
    assert.deepEqual([r.status, probe(r.body).width], [200, 20], text(r.body));
    assertOss(await get(mf, "/photos/cat.jpg?x-oss-process=image%2Fresize%2Cw_21", { headers }), { status: 403, code: "SignatureDoesNotMatch" });
  } finally {
    await mf.dispose();
  }
});

describe("public-read bucket: rows 22–31, 33, 34", () => {
  let pub;
  let protectedBucket;
  let referer;
  let refererNoList;
  const urlA = signed(NOW_OK, (c) => c.signatureUrl("photos/cat.jpg", { expires: 600 }));
  before(async () => {
    [pub, protectedBucket, referer, refererNoList] = await Promise.all([
      startWorker({ ...ACCESS_BINDINGS }),
      startWorker({ ...ACCESS_BINDINGS, SOURCE_PROTECTION: "jpg jpeg", STYLE_DELIMITERS: "!" }),
      startWorker({ REFERER_ALLOW_EMPTY: "false", REFERER_ALLOW: "http://*.example.com", REFERER_BLOCK: "http://bad.example.com" }),
      startWorker({ REFERER_ALLOW_EMPTY: "false" }),
    ]);
    for (const mf of [pub, protectedBucket]) await setNow(mf, NOW_OK);
  });
  after(() => Promise.all([pub, protectedBucket, referer, refererNoList].map((mf) => mf?.dispose())));

  test("row 22: anonymous processing on a public-read bucket", async () => {
    const r = await get(pub, "/photos/cat.jpg?x-oss-process=image/resize,w_100");
    assert.deepEqual([r.status, probe(r.body).width], [200, 100]);
  });

  test("row 34: a wrong signature on a public-read bucket is still refused", async () => {
    assertOss(await get(pub, urlA.replace(/Signature=[^&]+/, "Signature=AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D")), { status: 403, code: "SignatureDoesNotMatch" });
  });

  test("rows 23–27: source-image protection", async () => {
    const deny = { status: 403, code: "AccessDenied", ec: "0040-00000031" };
    assertOss(await get(protectedBucket, "/photos/cat.jpg"), deny);
    const head = await get(protectedBucket, "/photos/cat.jpg", { method: "HEAD" });
    assert.deepEqual([head.status, head.header("x-oss-ec"), head.body.length], [403, "0040-00000031", 0]);
    assertOss(await get(protectedBucket, "/photos/cat.jpg?x-oss-process=image/format,webp"), deny);
    assertOss(await get(protectedBucket, "/photos/other.JPEG"), deny); // suffixes compare case-insensitively
    const style = await get(protectedBucket, "/photos/cat.jpg?x-oss-process=style/thumb");
    assert.deepEqual([style.status, probe(style.body).width], [200, 40]);
    const styleEncoded = await get(protectedBucket, "/photos/cat.jpg?x-oss-process=style%2Fthumb");
    assert.equal(styleEncoded.status, 200);
    const delimited = await get(protectedBucket, "/photos/cat.jpg!thumb");
    assert.deepEqual([delimited.status, probe(delimited.body).width], [200, 40]);
    const signedOriginal = await get(protectedBucket, urlA);
    assert.equal(signedOriginal.status, 200, text(signedOriginal.body));
    assert.ok(Buffer.from(signedOriginal.body).equals(hopper));
    assert.equal((await get(protectedBucket, "/photos/dog.png")).status, 200);
  });

  test("rows 28–31: Referer allow and block lists", async () => {
    assertOss(await get(referer, "/photos/cat.jpg"), { status: 403, code: "AccessDenied", ec: "0003-00000501", message: "You are denied by bucket referer policy." });
    assert.equal((await get(referer, "/photos/cat.jpg", { headers: { referer: "http://www.example.com/a.html" } })).status, 200);
    assert.equal((await get(referer, "/photos/cat.jpg", { headers: { referer: "http://WWW.Example.com/a.html?x=1" } })).status, 200);
    assertOss(await get(referer, "/photos/cat.jpg", { headers: { referer: "https://www.example.com/" } }), { status: 403, code: "AccessDenied", ec: "0003-00000503" });
    assertOss(await get(referer, "/photos/cat.jpg", { headers: { referer: "http://bad.example.com/x" } }), { status: 403, code: "AccessDenied", ec: "0003-00000502" });
    assertOss(await get(referer, "/photos/cat.jpg", { headers: { referer: "http://evil.com/" } }), { status: 403, code: "AccessDenied", ec: "0003-00000503" });
    // "?" is one character; the query is dropped before matching.
    assert.equal((await get(referer, "/photos/cat.jpg", { headers: { referer: "http://a.example.com/?q=http://evil.com" } })).status, 200);
  });

  test("row 33: allowEmpty false with no allow list lets an empty Referer through", async () => {
    assert.equal((await get(refererNoList, "/photos/cat.jpg")).status, 200);
  });
});

describe("CORS", () => {
  let mf;
  let off;
  before(async () => {
    [mf, off] = await Promise.all([startWorker({ CORS_ALLOW_ORIGINS: "https://app.example.com https://*.example.org", CORS_MAX_AGE: "300" }), startWorker({})]);
  });
  after(() => Promise.all([mf?.dispose(), off?.dispose()]));

  test("preflight: an allowed origin gets the methods and headers; others get OSS's 403", async () => {
    const ok = await get(mf, "/photos/cat.jpg", { method: "OPTIONS", headers: { origin: "https://app.example.com", "access-control-request-method": "GET", "access-control-request-headers": "range, if-none-match" } });
    assert.equal(ok.status, 200);
    assert.equal(ok.header("access-control-allow-origin"), "https://app.example.com");
    assert.equal(ok.header("access-control-allow-methods"), "GET, HEAD");
    assert.equal(ok.header("access-control-allow-headers"), "range, if-none-match");
    assert.equal(ok.header("access-control-max-age"), "300");
    const wild = await get(mf, "/photos/cat.jpg", { method: "OPTIONS", headers: { origin: "https://x.example.org", "access-control-request-method": "GET" } });
    assert.equal(wild.status, 200);
    assertOss(await get(mf, "/photos/cat.jpg", { method: "OPTIONS", headers: { origin: "https://evil.com", "access-control-request-method": "GET" } }), { status: 403, code: "AccessForbidden" });
    assertOss(await get(mf, "/photos/cat.jpg", { method: "OPTIONS", headers: { origin: "https://app.example.com", "access-control-request-method": "PUT" } }), { status: 403, code: "AccessForbidden" });
    assertOss(await get(off, "/photos/cat.jpg", { method: "OPTIONS", headers: { origin: "https://app.example.com", "access-control-request-method": "GET" } }), { status: 403, code: "AccessForbidden", message: "CORSResponse: CORS is not enabled for this bucket." });
  });

  test("simple requests: allow-origin, expose-headers, Vary: Origin, on errors too", async () => {
    const r = await get(mf, "/photos/cat.jpg?x-oss-process=image/resize,w_10", { headers: { origin: "https://app.example.com" } });
    assert.equal(r.header("access-control-allow-origin"), "https://app.example.com");
    assert.match(r.header("access-control-expose-headers"), /ETag/);
    assert.match(r.header("vary"), /Origin/);
    const e = await get(mf, "/photos/none.jpg", { headers: { origin: "https://app.example.com" } });
    assert.deepEqual([e.status, e.header("access-control-allow-origin")], [404, "https://app.example.com"]);
    const other = await get(mf, "/photos/cat.jpg", { headers: { origin: "https://evil.com" } });
    assert.equal(other.header("access-control-allow-origin"), null);
    assert.equal((await get(off, "/photos/cat.jpg", { headers: { origin: "https://app.example.com" } })).header("access-control-allow-origin"), null);
  });
});

/** Conditionals, ranges, HEAD and Cache-Tag, against both origins. */
function httpSuite(name, start) {
  describe(`HTTP semantics (${name})`, () => {
    let mf;
    let noCache;
    before(async () => {
      [mf, noCache] = await Promise.all([start({}), start({ CACHE: "off" })]);
    });
    after(() => Promise.all([mf?.dispose(), noCache?.dispose()]));

    test("processed: strong ETag per canonical spec, 304 for If-None-Match (cache hit and miss), 412 for If-Match", async () => {
      for (const worker of [mf, noCache]) {
        const a = await get(worker, "/photos/cat.jpg?x-oss-process=image/resize,w_30/format,png");
        assert.equal(a.status, 200);
        const etag = a.header("etag");
        assert.match(etag, /^"[0-9a-f]{24}"$/);
        const same = await get(worker, "/photos/cat.jpg?x-oss-process=image/format,png/resize,w_30", { headers: { "if-none-match": etag } });
        assert.deepEqual([same.status, same.body.length, same.header("etag")], [304, 0, etag]);
        const head = await get(worker, "/photos/cat.jpg?x-oss-process=image/resize,w_30/format,png", { method: "HEAD", headers: { "if-none-match": `W/${etag}, "x"` } });
        assert.equal(head.status, 304);
        const other = await get(worker, "/photos/cat.jpg?x-oss-process=image/resize,w_31/format,png", { headers: { "if-none-match": etag } });
        assert.equal(other.status, 200, "another spec has another ETag");
        const failed = await get(worker, "/photos/cat.jpg?x-oss-process=image/resize,w_30/format,png", { headers: { "if-match": '"nope"' } });
        assertOss(failed, { status: 412, code: "PreconditionFailed" });
        const lastModified = a.header("last-modified");
        assert.ok(lastModified, "the origin's Last-Modified is passed");
        const ims = await get(worker, "/photos/cat.jpg?x-oss-process=image/resize,w_30/format,png", { headers: { "if-modified-since": lastModified } });
        assert.equal(ims.status, 304);
      }
    });

    test("passthrough: 304, 412, Range 206 / suffix / 416, HEAD, Accept-Ranges", async () => {
      const full = await get(mf, "/photos/cat.jpg");
      const etag = full.header("etag");
      assert.ok(etag);
      const nm = await get(mf, "/photos/cat.jpg", { headers: { "if-none-match": etag } });
      assert.deepEqual([nm.status, nm.body.length, nm.header("etag")], [304, 0, etag]);
      assertOss(await get(mf, "/photos/cat.jpg", { headers: { "if-match": '"other"' } }), { status: 412, code: "PreconditionFailed" });
      const part = await get(mf, "/photos/cat.jpg", { headers: { range: "bytes=10-109" } });
      assert.equal(part.status, 206);
      assert.equal(part.header("content-range"), `bytes 10-109/${hopper.length}`);
      assert.equal(part.header("content-length"), "100");
      assert.ok(Buffer.from(part.body).equals(hopper.subarray(10, 110)));
      const open = await get(mf, "/photos/cat.jpg", { headers: { range: `bytes=${hopper.length - 5}-` } });
      assert.deepEqual([open.status, open.body.length], [206, 5]);
      const beyond = await get(mf, "/photos/cat.jpg", { headers: { range: `bytes=${hopper.length + 10}-` } });
      assertOss(beyond, { status: 416, code: "InvalidRange" });
      assert.equal(beyond.header("content-range"), `bytes */${hopper.length}`);
      assert.equal(full.header("accept-ranges"), "bytes");
      const head = await get(mf, "/photos/cat.jpg", { method: "HEAD" });
      assert.deepEqual([head.status, head.body.length, head.header("content-length"), head.header("etag")], [200, 0, String(hopper.length), etag]);
    });

    test("Cache-Tag: the key, on originals, results, styles and 304s", async () => {
      const tag = "photos/%E7%8C%AB%201.jpg";
      assert.equal((await get(mf, "/photos/%E7%8C%AB%201.jpg")).header("cache-tag"), tag);
      assert.equal((await get(mf, "/photos/%E7%8C%AB%201.jpg?x-oss-process=image/resize,w_20")).header("cache-tag"), tag);
      assert.equal((await get(mf, "/photos/cat.jpg!thumb")).header("cache-tag"), "photos/cat.jpg");
      assert.equal((await get(mf, "/photos/a+b.jpg?x-oss-process=image/resize,w_20")).header("cache-tag"), "photos/a%2Bb.jpg");
    });
  });
}

httpSuite("HTTP origin", (b) => startWorker(b));
httpSuite("R2", (b) => startWorker(b, { r2: true }));

test("HEAD passthrough asks the HTTP origin for headers only", async () => {
  const mf = await startWorker({});
  try {
    const before = originLog.length;
    const r = await get(mf, "/photos/dog.png", { method: "HEAD" });
    assert.deepEqual([r.status, r.header("content-length")], [200, String(logo.length)]);
    assert.deepEqual(originLog.slice(before), ["HEAD photos/dog.png"]);
  } finally {
    await mf.dispose();
  }
});

describe("fonts", () => {
  const spec = `image/watermark,text_${b64("Hello 你好")},size_30`;

  test("text marks use the fonts in the bundle: no origin request, no FONTS_PREFIX", async () => {
    const mf = await startWorker({ CACHE: "off" });
    try {
      const before = originLog.length;
      const r = await get(mf, `/photos/cat.jpg?x-oss-process=${spec}`);
      assert.equal(r.status, 200, text(r.body));
      const plain = await get(mf, "/photos/cat.jpg?x-oss-process=image/format,jpg");
      assert.notDeepEqual(r.body, plain.body);
      assert.deepEqual(originLog.slice(before).filter((l) => l.includes(".ttf")), []);
    } finally {
      await mf.dispose();
    }
  });

  test("FONTS_PREFIX overrides from the origin; a missing override falls back to the bundle", async () => {
    const mf = await startWorker({ CACHE: "off", FONTS_PREFIX: "fonts-override/" });
    const missing = await startWorker({ CACHE: "off", FONTS_PREFIX: "nowhere/" });
    try {
      const before = originLog.length;
      assert.equal((await get(mf, `/photos/cat.jpg?x-oss-process=${spec}`)).status, 200);
      assert.deepEqual(originLog.slice(before).filter((l) => l.includes(".ttf")).sort(), DEFAULT_FONT_KEYS.map((k) => `GET fonts-override/${k}.ttf`).sort());
      assert.equal((await get(missing, `/photos/cat.jpg?x-oss-process=${spec}`)).status, 200);
    } finally {
      await Promise.all([mf.dispose(), missing.dispose()]);
    }
  });

  test("no font anywhere is a 500 of the service (logged), never 404 NoSuchFile", async () => {
    const logs = [];
    const mf = await startWorker({ CACHE: "off" }, { bundledFonts: false, stderr: logs });
    try {
      const r = await get(mf, `/photos/cat.jpg?x-oss-process=${spec}`);
      const xml = assertOss(r, { status: 500, code: "InternalError" });
      assert.match(xml, /text-mark font wqy-microhei is missing/);
      assert.doesNotMatch(xml, /NoSuchFile/);
    } finally {
      await mf.dispose();
    }
  });
});

describe("createHandler, ON_ERROR, logging", () => {
  test("createHandler under a path prefix, and bad options refused at creation", async () => {
    const mf = await startWorker({ HANDLER: JSON.stringify({ prefix: "/img/", styles: { small: "image/resize,w_16" } }) });
    try {
      const r = await get(mf, "/img/photos/cat.jpg!small");
      assert.deepEqual([r.status, probe(r.body).width], [200, 16]);
      const p = await get(mf, "/img/photos/cat.jpg?x-oss-process=image/resize,w_12");
      assert.deepEqual([p.status, probe(p.body).width], [200, 12]);
      assert.equal((await get(mf, "/img/photos/dog.png")).status, 200);
      assertOss(await get(mf, "/photos/cat.jpg"), { status: 404, code: "NoSuchKey" });
      for (const [options, message] of [
        [{ origin: "ftp://x/" }, /http/],
        [{ origin: "http://x/", styles: ["image/resize,w_1"] }, /STYLES must be an object/],
        [{ origin: "http://x/", access: { private: true } }, /PRIVATE needs at least one key pair/],
        [{ origin: "http://x/", onError: "retry" }, /ON_ERROR/],
      ]) {
        const res = await mf.dispatchFetch(`http://img.test/__test/bad-options?o=${encodeURIComponent(JSON.stringify(options))}`);
        assert.equal(res.status, 400, JSON.stringify(options));
        assert.match(await res.text(), message);
      }
    } finally {
      await mf.dispose();
    }
  });

  test("ON_ERROR=original serves an image that fails to process; off, it is the OSS error", async () => {
    const [on, off] = await Promise.all([startWorker({ ON_ERROR: "original", CACHE: "off" }), startWorker({ CACHE: "off" })]);
    try {
      const r = await get(on, "/broken/kodim23.png?x-oss-process=image/resize,w_10");
      assert.equal(r.status, 200, text(r.body));
      assert.equal(r.header("x-ossimg-fallback"), "error");
      assert.ok(Buffer.from(r.body).equals(brokenPng));
      assertOss(await get(off, "/broken/kodim23.png?x-oss-process=image/resize,w_10"), { status: 400, code: "BadRequest" });
      // Not an image, or a bad spec: still the error.
      assertOss(await get(on, "/text/not-an-image.txt?x-oss-process=image/resize,w_10"), { status: 400, code: "BadRequest" });
      assertOss(await get(on, "/photos/cat.jpg?x-oss-process=image/resize,w_0"), { status: 400, code: "InvalidArgument" });
    } finally {
      await Promise.all([on.dispose(), off.dispose()]);
    }
  });

  test("AUTO_FORMAT=webp: no format in the spec → WebP for Accept: image/webp, Vary: Accept, its own cache entry", async () => {
    const mf = await startWorker({ AUTO_FORMAT: "webp" });
    try {
      const webp = await get(mf, "/photos/cat.jpg?x-oss-process=image/resize,w_20", { headers: { accept: "image/avif,image/webp,*/*" } });
      assert.deepEqual([webp.status, webp.header("content-type"), webp.header("vary")], [200, "image/webp", "Accept"]);
      const jpeg = await get(mf, "/photos/cat.jpg?x-oss-process=image/resize,w_20", { headers: { accept: "image/jpeg" } });
      assert.deepEqual([jpeg.header("content-type"), jpeg.header("vary")], ["image/jpeg", "Accept"]);
      assert.notEqual(jpeg.header("etag"), webp.header("etag"));
      const fixed = await get(mf, "/photos/cat.jpg?x-oss-process=image/resize,w_20/format,png", { headers: { accept: "image/webp" } });
      assert.deepEqual([fixed.header("content-type"), fixed.header("vary")], ["image/png", null]);
    } finally {
      await mf.dispose();
    }
  });

  test("every 5xx is logged with its request id", async () => {
    const logs = [];
    const mf = await startWorker({ ORIGIN_URL: "http://127.0.0.1:9/", ORIGIN_TIMEOUT_MS: "500" }, { stderr: logs });
    try {
      const r = await get(mf, "/photos/cat.jpg");
      assert.equal(r.status, 500);
      const id = r.header("x-oss-request-id");
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.match(logs.join(""), new RegExp(`ossimg ${id}: 500 InternalError GET /photos/cat.jpg`));
    } finally {
      await mf.dispose();
    }
  });
});

describe("issue 13 bugs", () => {
  test("ORIGIN_URL without a trailing / keeps its last path segment", async () => {
    const mf = await startWorker({ ORIGIN_URL: originUrl.replace(/\/$/, "") });
    try {
      const r = await get(mf, "/photos/cat.jpg?x-oss-process=image/resize,w_10");
      assert.deepEqual([r.status, probe(r.body).width], [200, 10], text(r.body));
      assert.equal((await get(mf, "/photos/dog.png")).status, 200);
    } finally {
      await mf.dispose();
    }
  });

  test("the spec is handed to the core as sent: + stays literal, %25 is decoded once", async () => {
    const mf = await startWorker({});
    try {
      // Decoded by URLSearchParams first, "+" became " " and "%2531" became "1".
      const plus = await get(mf, "/photos/cat.jpg?x-oss-process=image/resize,w_10+");
      assert.match(assertOss(plus, { status: 400, code: "InvalidArgument" }), /The value: 10\+ of parameter: w/);
      assertOss(await get(mf, "/photos/cat.jpg?x-oss-process=image/resize,w_%2531%2530"), { status: 400, code: "InvalidArgument" });
      const once = await get(mf, "/photos/cat.jpg?x-oss-process=image%2Fresize%2Cw_%31%30");
      assert.deepEqual([once.status, probe(once.body).width], [200, 10]);
    } finally {
      await mf.dispose();
    }
  });

  test("an origin without ETag or Last-Modified: a stable ETag from the bytes, and 304", async () => {
    const mf = await startWorker({ CACHE: "off" });
    try {
      const a = await get(mf, "/novalidator/photos/cat.jpg?x-oss-process=image/resize,w_10");
      const b = await get(mf, "/novalidator/photos/cat.jpg?x-oss-process=image/resize,w_10");
      assert.equal(a.status, 200);
      assert.match(a.header("etag"), /^"[0-9a-f]{24}"$/);
      assert.equal(a.header("etag"), b.header("etag"));
      const c = await get(mf, "/novalidator/photos/cat.jpg?x-oss-process=image/resize,w_10", { headers: { "if-none-match": a.header("etag") } });
      assert.equal(c.status, 304);
    } finally {
      await mf.dispose();
    }
  });

  test("config: an unknown STYLES shape and a bad ORIGIN_URL are refused with a clear error", async () => {
    for (const [bindings, message] of [
      [{ STYLES: JSON.stringify(["image/resize,w_1"]) }, /STYLES must be an object/],
      [{ STYLES: "42" }, /STYLES must be an object/],
      [{ STYLES: "{not json" }, /STYLES is not JSON/],
      [{ ORIGIN_URL: "not a url" }, /ORIGIN_URL is not a URL/],
      [{ ORIGIN_URL: "http://x/?a=1" }, /ORIGIN_URL must not have a query/],
      [{ PRIVATE: "maybe" }, /PRIVATE must be true or false/],
      [{ PRIVATE: "true" }, /PRIVATE needs at least one key pair/],
    ]) {
      const logs = [];
      const mf = await startWorker(bindings, { stderr: logs });
      try {
        const xml = assertOss(await get(mf, "/photos/cat.jpg"), { status: 500, code: "InternalError" });
        assert.match(xml, /The image service is misconfigured: /);
        assert.match(xml, message, JSON.stringify(bindings));
      } finally {
        await mf.dispose();
      }
    }
  });
});
