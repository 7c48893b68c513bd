// OSS access rules for the Cloudflare Worker (docs/spec/signing.md): signed URLs (signature
// V1 and V4, as the OSS SDKs make them), the bucket ACL, hotlink protection (Referer),
// source-image protection, CORS. Everything is off unless configured, as on OSS. Pure
// functions over a Request and a config; WebCrypto only (HMAC-SHA1, HMAC-SHA256, SHA-256).
import { OssImageError } from "./core.js";

const encoder = new TextEncoder();

/** V1 sub-resources (signing.md §1.3); any `x-oss-*` key is one too. */
const SUBRESOURCES = new Set(
  ("acl append asyncFetch bucketInfo callback callback-var cloudboxes cname comp continuation-token cors delete " +
    "encryption endTime img inventory inventoryId lifecycle live location logging metaQuery objectInfo objectMeta " +
    "partNumber policy position qos qosInfo referer regionList replication replicationLocation replicationProgress " +
    "requestPayment resourceGroup response-cache-control response-content-disposition response-content-encoding " +
    "response-content-language response-content-type response-expires restore security-token sequential startTime " +
    "stat status style styleName symlink tagging transferAcceleration uploadId uploads versionId versioning versions " +
    "vod website worm wormExtend wormId").split(" "),
);
const V1_PARAMS = ["OSSAccessKeyId", "Expires", "Signature"];
const V4_ALGORITHM = "OSS4-HMAC-SHA256";
const MAX_V4_EXPIRES = 604_800;
const HEADER_SKEW_MS = 900_000;
const SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

/** An OSS access error; `details` are extra XML elements after HostId, in order. */
export function accessError(status, code, message, ec = null, details) {
  const err = new OssImageError(message, { code, status, ec });
  if (details) err.details = details;
  return err;
}

const denied = (message, ec, details) => accessError(403, "AccessDenied", message, ec, details);
const invalid = (message, ec) => accessError(400, "InvalidArgument", message, ec);
const isoTime = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, ".000Z");

/**
 * The raw query as `[name, value]` pairs in order, neither decoded (`value` null for a bare
 * name). `+` is kept: the spec reads it literally (spec/README §1); signing decodes it as a space.
 */
export function rawQuery(search) {
  const pairs = [];
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    pairs.push(eq < 0 ? [part, null] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return pairs;
}

/** A query key or value as the signers read it: `+` is a space, then one percent-decoding. */
function decodeQueryPart(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw invalid("A query parameter is not valid percent-encoded UTF-8.");
  }
}

/** The decoded query: `[name, value]`, value "" for a bare name. */
function decodedQuery(pairs) {
  return pairs.map(([k, v]) => [decodeQueryPart(k), v === null ? "" : decodeQueryPart(v)]);
}

const first = (query, name) => query.find(([k]) => k === name)?.[1];
const has = (query, name) => query.some(([k]) => k === name);

/**
 * The access config from its parts (validated; throws a message for a bad one) or null when
 * every rule is off. `keys`: { AccessKeyId: secret }.
 */
export function accessConfig({ private: isPrivate = false, bucket = "", region = "", keys = {}, clockSkewSeconds = 900, sourceProtection = null, referer = null, cors = null } = {}) {
  const keyMap = new Map(Object.entries(keys ?? {}));
  for (const [id, secret] of keyMap) {
    if (!/^[\x21-\x7e]{1,128}$/.test(id) || typeof secret !== "string" || secret === "") throw new Error(`access key ${JSON.stringify(id).slice(0, 40)}: a key id needs a non-empty secret`);
  }
  if (isPrivate && keyMap.size === 0) throw new Error("PRIVATE needs at least one key pair (OSS_ACCESS_KEYS or OSS_ACCESS_KEY_ID + OSS_ACCESS_KEY_SECRET)");
  if (keyMap.size > 0 && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(bucket)) throw new Error("signed URLs need OSS_BUCKET: the bucket name clients sign with");
  if (region.startsWith("oss-")) throw new Error(`OSS_REGION is written without "oss-" (cn-hangzhou, not ${region})`);
  if (!(Number.isFinite(clockSkewSeconds) && clockSkewSeconds >= 0)) throw new Error("CLOCK_SKEW_SECONDS must be a number ≥ 0");
  const protection = sourceProtection && sourceProtection.length > 0 ? sourceProtection.map((s) => s.toLowerCase().replace(/^\./, "")) : null;
  const refererRules = refererConfig(referer);
  const corsRules = corsConfig(cors);
  return {
    private: Boolean(isPrivate),
    bucket,
    region,
    keys: keyMap,
    skewMs: clockSkewSeconds * 1000,
    sourceProtection: protection,
    referer: refererRules,
    cors: corsRules,
  };
}

function refererConfig(referer) {
  if (!referer) return null;
  const { allowEmpty = true, allow = [], block = [], truncateQueryString = true, truncatePath = false } = referer;
  if (allowEmpty && allow.length === 0 && block.length === 0) return null;
  return { allowEmpty, allow: allow.map(globRegExp), block: block.map(globRegExp), truncateQueryString, truncatePath };
}

/** OSS wildcards: `*` any run, `?` one character; anchored at the start, open at the end, case-insensitive. */
function globRegExp(pattern) {
  if (typeof pattern !== "string" || pattern === "") throw new Error("a Referer pattern must be a non-empty string");
  const body = [...pattern].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&"))).join("");
  return new RegExp(`^${body}`, "is");
}

function corsConfig(cors) {
  if (!cors || !cors.allowOrigins || cors.allowOrigins.length === 0) return null;
  const { allowOrigins, allowHeaders = ["*"], exposeHeaders = ["ETag", "Content-Length", "Content-Range", "x-oss-request-id", "x-oss-ec", "x-ossimg-fallback"], maxAge = 600 } = cors;
  return {
    any: allowOrigins.includes("*"),
    origins: allowOrigins.map((o) => new RegExp(`^${o.split("*").map((p) => p.replace(/[\\^$.|?+()[\]{}]/g, "\\$&")).join(".*")}$`, "i")),
    allowHeaders: allowHeaders.map((h) => h.toLowerCase()),
    exposeHeaders,
    maxAge,
  };
}

/**
 * Who the request is: "anonymous", or "url" / "header" after a valid signature (throws the
 * OSS error otherwise). `key` is the decoded object key as signed (a delimiter style
 * included), `query` the raw query pairs, `nowMs` the clock.
 */
export async function authenticate(request, access, key, query, nowMs) {
  const names = query.map(([k]) => safeDecode(k));
  const hasV4 = names.includes("x-oss-signature-version") || names.includes("x-oss-signature");
  const hasV1 = V1_PARAMS.some((p) => names.includes(p));
  const authorization = request.headers.get("authorization");
  if (access.keys.size === 0) return "anonymous"; // signing is off: nothing to verify against
  if (authorization !== null && (hasV4 || hasV1)) throw invalid("A request carries either an Authorization header or a signature in its query, not both.");
  if (authorization !== null) {
    await verifyHeader(request, access, key, decodedQuery(query), authorization, nowMs);
    return "header";
  }
  if (hasV4) {
    await verifyV4(request, access, key, decodedQuery(query), nowMs);
    return "url";
  }
  if (hasV1) {
    await verifyV1(request, access, key, decodedQuery(query), nowMs);
    return "url";
  }
  return "anonymous";
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

function secretOf(access, accessKeyId) {
  const secret = access.keys.get(accessKeyId);
  if (secret === undefined) {
    throw accessError(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.", null, [["OSSAccessKeyId", accessKeyId]]);
  }
  return secret;
}

/** `x-oss-*` request headers, lower-cased, trimmed, sorted: `name:value\n` each (V1). */
function canonicalOssHeaders(headers) {
  const names = [...headers.keys()].filter((n) => n.startsWith("x-oss-")).sort();
  return names.map((n) => `${n}:${headers.get(n).trim()}\n`).join("");
}

/** `/bucket/key` plus the sub-resources of the query, decoded and sorted (V1, §1.3). */
function canonicalResourceV1(bucket, key, query) {
  const seen = new Map();
  for (const [k, v] of query) {
    if (V1_PARAMS.includes(k) || seen.has(k)) continue;
    if (SUBRESOURCES.has(k) || k.startsWith("x-oss-")) seen.set(k, v);
  }
  const sub = [...seen.keys()].sort(compareBytes).map((k) => (seen.get(k) === "" ? k : `${k}=${seen.get(k)}`));
  return `/${bucket}/${key}${sub.length > 0 ? `?${sub.join("&")}` : ""}`;
}

function stringToSignV1(request, access, key, query, dateOrExpires) {
  const h = (name) => request.headers.get(name) ?? "";
  return `${request.method}\n${h("content-md5")}\n${h("content-type")}\n${dateOrExpires}\n${canonicalOssHeaders(request.headers)}${canonicalResourceV1(access.bucket, key, query)}`;
}

async function checkV1(secret, accessKeyId, stringToSign, provided) {
  const expected = base64(await hmac("SHA-1", encoder.encode(secret), stringToSign));
  if (!constantTimeEqual(expected, provided)) {
    throw mismatch([
      ["OSSAccessKeyId", accessKeyId],
      ["SignatureProvided", provided],
      ["StringToSign", stringToSign],
      ["StringToSignBytes", hexBytes(stringToSign)],
    ]);
  }
}

const mismatch = (details) => accessError(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH, "0002-00000040", details);

async function verifyV1(request, access, key, query, nowMs) {
  const accessKeyId = first(query, "OSSAccessKeyId");
  const expires = first(query, "Expires");
  // Base64 has no space: a space is a "+" that was sent unencoded (§1.3).
  const signature = first(query, "Signature")?.replace(/ /g, "+");
  if (!signature) throw denied("Request lacks the Signature query parameter.", "0002-00000074");
  if (!accessKeyId || !expires) throw denied("Request lacks the OSSAccessKeyId or Expires query parameter.", "0002-00000068");
  if (!/^\d{1,12}$/.test(expires)) throw invalid("The Expires parameter must be a Unix time in seconds.", "0002-00000070");
  if (nowMs > Number(expires) * 1000) {
    throw denied("Request has expired.", "0002-00000069", [["Expires", isoTime(Number(expires) * 1000)], ["ServerTime", isoTime(nowMs)]]);
  }
  const secret = secretOf(access, accessKeyId);
  await checkV1(secret, accessKeyId, stringToSignV1(request, access, key, query, expires), signature);
}

/** A date of the form YYYYMMDDTHHMMSSZ in ms, or NaN. */
function parseAmzDate(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? "");
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

async function verifyV4(request, access, key, query, nowMs) {
  const version = first(query, "x-oss-signature-version");
  const credential = first(query, "x-oss-credential");
  const date = first(query, "x-oss-date");
  const expires = first(query, "x-oss-expires");
  const additional = first(query, "x-oss-additional-headers");
  const signature = first(query, "x-oss-signature");
  if (version !== V4_ALGORITHM) throw invalid(`Unsupported signature version ${JSON.stringify(version ?? "")}: only ${V4_ALGORITHM} is accepted.`, "0002-00000066");
  if (signature === undefined) throw denied("Request lacks the x-oss-signature query parameter.", "0002-00000219");
  if (signature === "") throw denied("The x-oss-signature query parameter is empty.", "0002-00000220");
  if (expires === undefined) throw denied("Request lacks the x-oss-expires query parameter.", "0002-00000215");
  if (credential === undefined) throw denied("Request lacks the x-oss-credential query parameter.", "0002-00000217");
  if (date === undefined) throw denied("Request lacks the x-oss-date query parameter.");
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[3] !== "oss" || parts[4] !== "aliyun_v4_request") throw invalid("x-oss-credential must be <AccessKeyId>/<date>/<region>/oss/aliyun_v4_request.");
  const t0 = parseAmzDate(date);
  if (Number.isNaN(t0)) throw invalid("x-oss-date must be a UTC time written YYYYMMDDTHHMMSSZ.");
  if (!/^\d{1,7}$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_V4_EXPIRES) throw invalid("x-oss-expires must be a whole number of seconds from 1 to 604800.", "0002-00000232");
  if (additional === "") throw invalid("x-oss-additional-headers is present but empty.", "0002-00000076");
  if (nowMs < t0 - access.skewMs) throw denied("Request is not valid yet.", "0002-00000235", [["ServerTime", isoTime(nowMs)]]);
  const end = t0 + Number(expires) * 1000;
  if (nowMs > end) throw denied("Request has expired.", "0002-00000236", [["Expires", isoTime(end)], ["ServerTime", isoTime(nowMs)]]);
  const [accessKeyId, scopeDate, region] = parts;
  const secret = secretOf(access, accessKeyId);
  const signedQuery = query.filter(([k]) => k !== "x-oss-signature");
  await checkV4(request, access, key, signedQuery, { accessKeyId, secret, date, scopeDate, region, additional: additional ?? "", signature });
}

async function checkV4(request, access, key, query, { accessKeyId, secret, date, scopeDate, region, additional, signature }) {
  const canonicalRequest = canonicalRequestV4(request, access.bucket, key, query, additional);
  const scope = `${scopeDate}/${region}/oss/aliyun_v4_request`;
  const stringToSign = `${V4_ALGORITHM}\n${date}\n${scope}\n${hex(await sha256(canonicalRequest))}`;
  // The key is derived from the server's own region and the signing day: another region or
  // a credential day that is not the x-oss-date day cannot match.
  let ok = false;
  if (region === access.region && scopeDate === date.slice(0, 8)) {
    let k = await hmac("SHA-256", encoder.encode(`aliyun_v4${secret}`), scopeDate);
    for (const part of [region, "oss", "aliyun_v4_request"]) k = await hmac("SHA-256", k, part);
    ok = constantTimeEqual(hex(await hmac("SHA-256", k, stringToSign)), signature);
  }
  if (!ok) {
    throw mismatch([
      ["OSSAccessKeyId", accessKeyId],
      ["SignatureProvided", signature],
      ["StringToSign", stringToSign],
      ["StringToSignBytes", hexBytes(stringToSign)],
      ["CanonicalRequest", canonicalRequest],
      ["CanonicalRequestBytes", hexBytes(canonicalRequest)],
    ]);
  }
}

/** RFC 3986 unreserved kept, every other UTF-8 byte %XX (upper-case); `/` kept only in paths. */
function v4Encode(text, keepSlash) {
  const out = encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? out.replace(/%2F/g, "/") : out;
}

function canonicalRequestV4(request, bucket, key, query, additional) {
  const uri = v4Encode(`/${bucket}/${key}`, true);
  const encoded = query.map(([k, v]) => [v4Encode(k, false), v4Encode(v, false)]);
  encoded.sort((a, b) => compareBytes(a[0], b[0]) || compareBytes(a[1], b[1]));
  const canonicalQuery = encoded.map(([k, v]) => (v === "" ? k : `${k}=${v}`)).join("&");
  const listed = additional === "" ? [] : additional.split(";").map((n) => n.trim().toLowerCase());
  const names = new Set(listed);
  for (const name of request.headers.keys()) {
    if (name === "content-type" || name === "content-md5" || name.startsWith("x-oss-")) names.add(name);
  }
  // The host the client addressed: request.url's (on Cloudflare the same as the Host header;
  // local proxies such as Miniflare's rewrite the header but keep the URL).
  const hostOf = () => new URL(request.url).host;
  const value = (name) => (name === "host" ? hostOf() : (request.headers.get(name) ?? "")).trim();
  const canonicalHeaders = [...names].sort().map((n) => `${n}:${value(n)}\n`).join("");
  const payload = request.headers.get("x-oss-content-sha256") ?? "UNSIGNED-PAYLOAD";
  return `${request.method}\n${uri}\n${canonicalQuery}\n${canonicalHeaders}\n${additional}\n${payload}`;
}

/** §3: `Authorization: OSS <ak>:<sig>` or `OSS4-HMAC-SHA256 Credential=…,Signature=…`. */
async function verifyHeader(request, access, key, query, authorization, nowMs) {
  const dateHeader = request.headers.get("x-oss-date") ?? request.headers.get("date");
  const v1 = /^OSS ([^:\s]+):(\S+)$/.exec(authorization);
  if (v1) {
    const t = Date.parse(dateHeader ?? "");
    checkSkew(t, dateHeader, nowMs);
    const secret = secretOf(access, v1[1]);
    await checkV1(secret, v1[1], stringToSignV1(request, access, key, query, dateHeader), v1[2]);
    return;
  }
  const v4 = /^OSS4-HMAC-SHA256 (.*)$/.exec(authorization);
  if (!v4) throw invalid("The Authorization header is neither OSS nor OSS4-HMAC-SHA256.");
  const fields = Object.fromEntries(v4[1].split(",").map((f) => f.trim().split("=")).map(([k, ...v]) => [k, v.join("=")]));
  const date = request.headers.get("x-oss-date") ?? "";
  const parts = (fields.Credential ?? "").split("/");
  if (parts.length !== 5 || parts[3] !== "oss" || parts[4] !== "aliyun_v4_request" || !fields.Signature) throw invalid("The OSS4-HMAC-SHA256 Authorization header is malformed.");
  checkSkew(parseAmzDate(date), date, nowMs);
  const [accessKeyId, scopeDate, region] = parts;
  const secret = secretOf(access, accessKeyId);
  await checkV4(request, access, key, query, { accessKeyId, secret, date, scopeDate, region, additional: fields.AdditionalHeaders ?? "", signature: fields.Signature });
}

function checkSkew(t, text, nowMs) {
  if (Number.isNaN(t)) throw denied("The request has no valid Date or x-oss-date header.");
  if (Math.abs(nowMs - t) > HEADER_SKEW_MS) {
    throw accessError(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", null, [
      ["MaxAllowedSkewMilliseconds", String(HEADER_SKEW_MS)],
      ["RequestTime", text],
      ["ServerTime", isoTime(nowMs)],
    ]);
  }
}

/** §6: throws the hotlink denial, or returns. */
export function checkReferer(request, rules) {
  if (!rules) return;
  let referer = request.headers.get("referer") ?? "";
  if (referer === "") {
    if (rules.allowEmpty || rules.allow.length === 0) return;
    throw denied("You are denied by bucket referer policy.", "0003-00000501");
  }
  if (rules.truncateQueryString) {
    referer = referer.replace(/[?#].*$/s, "");
    if (rules.truncatePath) referer = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(referer)?.[0] ?? referer;
  }
  if (rules.block.some((re) => re.test(referer))) throw denied("You are denied by bucket referer policy.", "0003-00000502");
  if (rules.allow.length === 0 || rules.allow.some((re) => re.test(referer))) return;
  throw denied("You are denied by bucket referer policy.", "0003-00000503");
}

/** §7: an anonymous request on a private bucket. */
export const aclDenied = () => denied("You have no right to access this object because of bucket acl.", "0003-00000001");

/** §5: an anonymous request for a protected original (not through a style). */
export function checkSourceProtection(suffixes, key, throughStyle) {
  if (!suffixes || throughStyle) return;
  const dot = key.lastIndexOf(".");
  const suffix = dot < 0 ? "" : key.slice(dot + 1).toLowerCase();
  if (suffixes.includes("*") || (dot >= 0 && suffixes.includes(suffix))) {
    throw denied("You are forbidden to access the source image; use an image style.", "0040-00000031");
  }
}

/** CORS response headers for `request` (none when CORS is off or the Origin is not allowed). */
export function corsHeaders(request, cors) {
  const origin = request.headers.get("origin");
  if (!cors || origin === null) return null;
  if (!cors.any && !cors.origins.some((re) => re.test(origin))) return null;
  const headers = { "access-control-allow-origin": cors.any ? "*" : origin };
  if (cors.exposeHeaders.length > 0) headers["access-control-expose-headers"] = cors.exposeHeaders.join(", ");
  return headers;
}

/** The answer to an OPTIONS preflight: headers to send with 200, or throws OSS's 403. */
export function preflight(request, cors) {
  if (!cors) throw accessError(403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.");
  const base = corsHeaders(request, cors);
  const method = request.headers.get("access-control-request-method");
  const asked = (request.headers.get("access-control-request-headers") ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  const headersOk = cors.allowHeaders.includes("*") || asked.every((h) => cors.allowHeaders.includes(h));
  if (!base || !["GET", "HEAD"].includes(method) || !headersOk) {
    throw accessError(403, "AccessForbidden", "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.");
  }
  const headers = { ...base, "access-control-allow-methods": "GET, HEAD", "access-control-max-age": String(cors.maxAge) };
  if (asked.length > 0) headers["access-control-allow-headers"] = asked.join(", ");
  return headers;
}

async function hmac(hash, keyBytes, message) {
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

async function sha256(text) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

function base64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

/** Each UTF-8 byte as two upper-case hex digits and a space (`StringToSignBytes`). */
function hexBytes(text) {
  return [...encoder.encode(text)].map((b) => `${b.toString(16).toUpperCase().padStart(2, "0")} `).join("");
}

/** Equal strings, in time independent of where they differ. */
export function constantTimeEqual(a, b) {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ (y[i % (y.length || 1)] ?? 0);
  return diff === 0;
}

function compareBytes(a, b) {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
