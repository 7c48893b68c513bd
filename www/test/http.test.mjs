// The Worker's pure helpers in Node: HTTP conditionals and ranges, the derived ETag, and the
// signature verification against the reference vectors of docs/spec/signing.md that ali-oss
// cannot make (the Go SDK v2 vectors, V4 without a process, a CJK key).
import { test } from "node:test";
import assert from "node:assert/strict";
import { byteRange, conditionalStatus, derivedEtag } from "../src/http.js";
import { accessConfig, authenticate, checkReferer, constantTimeEqual, rawQuery } from "../src/oss-access.js";

const h = (o) => new Headers(o);

test("conditionalStatus: RFC 9110 precedence", () => {
  const v = { etag: '"a"', lastModified: "Wed, 01 Oct 2025 00:00:00 GMT" };
  const rows = [
    [{}, null],
    [{ "if-none-match": '"a"' }, 304],
    [{ "if-none-match": 'W/"a"' }, 304],
    [{ "if-none-match": '"b", "a"' }, 304],
    [{ "if-none-match": "*" }, 304],
    [{ "if-none-match": '"b"' }, null],
    [{ "if-none-match": '"b"', "if-modified-since": "Thu, 01 Jan 2026 00:00:00 GMT" }, null], // INM wins over IMS
    [{ "if-modified-since": "Thu, 01 Jan 2026 00:00:00 GMT" }, 304],
    [{ "if-modified-since": "Wed, 01 Oct 2025 00:00:00 GMT" }, 304],
    [{ "if-modified-since": "Tue, 30 Sep 2025 00:00:00 GMT" }, null],
    [{ "if-modified-since": "garbage" }, null],
    [{ "if-match": '"a"' }, null],
    [{ "if-match": '"b"' }, 412],
    [{ "if-match": "*" }, null],
    [{ "if-unmodified-since": "Tue, 30 Sep 2025 00:00:00 GMT" }, 412],
    [{ "if-unmodified-since": "Thu, 01 Jan 2026 00:00:00 GMT" }, null],
  ];
  for (const [headers, expected] of rows) assert.equal(conditionalStatus(h(headers), v), expected, JSON.stringify(headers));
  assert.equal(conditionalStatus(h({ "if-match": 'W/"a"' }), { etag: 'W/"a"' }), 412, "If-Match compares strongly");
});

test("byteRange: one range, suffix, open end, unsatisfiable, ignored forms, If-Range", () => {
  const rows = [
    ["bytes=0-9", { offset: 0, length: 10 }],
    ["bytes=10-", { offset: 10, length: 90 }],
    ["bytes=-5", { offset: 95, length: 5 }],
    ["bytes=-500", { offset: 0, length: 100 }],
    ["bytes=90-200", { offset: 90, length: 10 }],
    ["bytes=100-", "unsatisfiable"],
    ["bytes=150-160", "unsatisfiable"],
    ["bytes=-0", "unsatisfiable"],
    ["bytes=9-0", null],
    ["bytes=0-1,5-6", null],
    ["items=0-1", null],
    ["bytes=-", null],
  ];
  for (const [range, expected] of rows) assert.deepEqual(byteRange(h({ range }), 100), expected, range);
  assert.equal(byteRange(h({}), 100), null);
  assert.equal(byteRange(h({ range: "bytes=0-9", "if-range": '"old"' }), 100, { etag: '"new"' }), null);
  assert.deepEqual(byteRange(h({ range: "bytes=0-9", "if-range": '"new"' }), 100, { etag: '"new"' }), { offset: 0, length: 10 });
});

test("derivedEtag: strong, per spec, and it never spreads the source into a JS array (issue 13)", async () => {
  const bytes = new Uint8Array(4 * 1024 * 1024).fill(7);
  // The old code did `[...spec, ...bytes]`: iterating the bytes one by one.
  Object.defineProperty(bytes, Symbol.iterator, {
    value() {
      throw new Error("the source bytes were iterated");
    },
  });
  const a = await derivedEtag("", "image/resize,w_10", bytes);
  assert.match(a, /^"[0-9a-f]{24}"$/);
  assert.equal(await derivedEtag("", "image/resize,w_10", bytes), a);
  assert.notEqual(await derivedEtag("", "image/resize,w_11", bytes), a);
  assert.notEqual(await derivedEtag('"etag"', "image/resize,w_10"), a);
  assert.equal(await derivedEtag('"etag"', "image/resize,w_10"), await derivedEtag('"etag"', "image/resize,w_10", bytes));
});

test("constantTimeEqual", () => {
  assert.ok(constantTimeEqual("abc", "abc"));
  assert.ok(!constantTimeEqual("abc", "abd"));
  assert.ok(!constantTimeEqual("abc", "ab"));
  assert.ok(!constantTimeEqual("", "a"));
  assert.ok(constantTimeEqual("", ""));
});

/** authenticate() on a bare Request: "url" when valid, else the OSS error's code/EC. */
async function verdict(url, { keys, bucket, region = "cn-hangzhou", now, method = "GET", headers = {} }) {
  const access = accessConfig({ bucket, region, keys });
  const u = new URL(url);
  const key = decodeURIComponent(u.pathname.slice(1));
  try {
    return await authenticate(new Request(url, { method, headers }), access, key, rawQuery(u.search), now);
  } catch (err) {
    return `${err.code} ${err.ec ?? ""}`.trim();
  }
}

test("signing.md reference vectors the SDK tests give (Go SDK v2), V1", async () => {
  const go = { keys: { ak: "sk" }, bucket: "bucket", now: 1699807000_000 };
  assert.equal(await verdict("http://x/key?versionId=versionId&OSSAccessKeyId=ak&Expires=1699807420&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D", go), "url");
  assert.equal(await verdict("http://x/key%2B123?versionId=versionId&security-token=token&OSSAccessKeyId=ak&Expires=1699808204&Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D", go), "url");
  // In the path "+" is a literal plus: key+123 as sent.
  assert.equal(await verdict("http://x/key+123?versionId=versionId&security-token=token&OSSAccessKeyId=ak&Expires=1699808204&Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D", go), "url");
  assert.equal(await verdict("http://x/key?versionId=other&OSSAccessKeyId=ak&Expires=1699807420&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D", go), "SignatureDoesNotMatch 0002-00000040");
});

test("signing.md §2.5 more V4 vectors: no process, CJK key; malformed V4 parameters", async () => {
  const cfg = { keys: { ossimgTestAK01: "ossimgTestSecretKey0123456789AB" }, bucket: "examplebucket", now: 1767225000_000 };
  const base = "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20260101T000000Z&x-oss-expires=3600&x-oss-credential=ossimgTestAK01%2F20260101%2Fcn-hangzhou%2Foss%2Faliyun_v4_request";
  assert.equal(await verdict(`http://x/photos/cat.jpg?${base}&x-oss-signature=eecc983d6268ba4e00671ffaaf56e6dde9c82fa1e6621cdb148535e8790f3b29`, cfg), "url");
  assert.equal(await verdict(`http://x/photos/%E7%8C%AB%201.jpg?${base}&x-oss-signature=15279e557f657cefac449811be6d9c1c98241ec30e57ea1554c6d9c0369b25ae`, cfg), "url");
  const sig = "&x-oss-signature=eecc983d6268ba4e00671ffaaf56e6dde9c82fa1e6621cdb148535e8790f3b29";
  const rows = [
    [base.replace("OSS4-HMAC-SHA256", "OSS2") + sig, "InvalidArgument 0002-00000066"],
    [base, "AccessDenied 0002-00000219"],
    [`${base}&x-oss-signature=`, "AccessDenied 0002-00000220"],
    [base.replace("&x-oss-expires=3600", "") + sig, "AccessDenied 0002-00000215"],
    [base.replace(/&x-oss-credential=[^&]+/, "") + sig, "AccessDenied 0002-00000217"],
    [base.replace("x-oss-expires=3600", "x-oss-expires=0") + sig, "InvalidArgument 0002-00000232"],
    [base.replace("20260101T000000Z", "2026-01-01") + sig, "InvalidArgument"],
    [base.replace("%2Foss%2F", "%2Fs3%2F") + sig, "InvalidArgument"],
    [`${base}&x-oss-additional-headers=${sig}`, "InvalidArgument 0002-00000076"],
    [base.replace("cn-hangzhou", "cn-beijing") + sig, "SignatureDoesNotMatch 0002-00000040"],
    [base.replace("%2F20260101%2F", "%2F20260102%2F") + sig, "SignatureDoesNotMatch 0002-00000040"],
  ];
  for (const [query, expected] of rows) assert.equal(await verdict(`http://x/photos/cat.jpg?${query}`, cfg), expected, query);
});

test("no keys configured: signing is off, signature parameters are not verified", async () => {
  assert.equal(await verdict("http://x/a.jpg?OSSAccessKeyId=a&Expires=1&Signature=b", { keys: {}, bucket: "", now: 0 }), "anonymous");
});

test("Referer matching: wildcards, anchored start, open end, truncation", () => {
  const rules = accessConfig({ referer: { allowEmpty: true, allow: ["http://?.example.com", "https://a.com:8080"], block: [] } }).referer;
  const check = (referer) => {
    try {
      checkReferer(new Request("http://x/", { headers: referer ? { referer } : {} }), rules);
      return "pass";
    } catch (err) {
      return err.ec;
    }
  };
  assert.equal(check(""), "pass");
  assert.equal(check("http://a.example.com/x"), "pass");
  assert.equal(check("http://ab.example.com/x"), "0003-00000503");
  assert.equal(check("https://a.com:8080/p?q"), "pass");
  assert.equal(check("https://a.com/p"), "0003-00000503");
  const path = accessConfig({ referer: { allow: ["http://a.com"], truncatePath: true } }).referer;
  assert.doesNotThrow(() => checkReferer(new Request("http://x/", { headers: { referer: "http://a.com.evil.org/" } }), path)); // prefix match, as OSS
  const exact = accessConfig({ referer: { allow: ["http://a.com/index.html"] } }).referer;
  assert.throws(() => checkReferer(new Request("http://x/", { headers: { referer: "http://a.com/logo.html" } }), exact));
});
