// A Cloudflare Worker that serves objects like OSS does ("ossimg/cf-worker"):
//   GET /<key>                          the object, streamed through unchanged
//   GET /<key>?x-oss-process=<spec>     the processed image (style/<name> included)
//   GET /<key>!<style>                  a style through the delimiter form
// Deploy: www/cf-worker/ (index.js re-exports this module; wrangler.toml holds the config).
//
// Config (env):
//   BUCKET               an R2 binding: the origin (preferred when set), or
//   ORIGIN_URL           an HTTP origin: <ORIGIN_URL><key> (redirects are never followed)
//   ORIGIN_TIMEOUT_MS    per origin request (default 10000)
//   STYLES               { name: "image/..." } (or its JSON), at most 50
//   STYLE_DELIMITERS     enabled delimiters among "-_/!" (default "!"; "" disables)
//   FONTS_PREFIX         origin key prefix of the text-mark fonts (default "_ossimg/fonts/")
//   CACHE_CONTROL        of processed results when the origin sends none (default "public, max-age=86400")
//   CACHE                "off" disables the Cache API
//
// Sources over 20 MB or over an OSS limit, those a 128 MB isolate cannot decode
// (Limits::workers(), from the header) and those whose processing goes over the engine
// memory budget (a 96 MiB heap) are served unchanged with `x-ossimg-fallback: <reason>`.
// Errors are OSS XML with the OSS status, `x-oss-ec` and `x-oss-request-id`. Nothing is
// fetched from anywhere but the origin: watermark pictures and fonts are keys of the same origin.
import { checkSource, OssImageError, parse, process as processImage, splitStyleDelimiter } from "./workerd.js";
import { hostError, ossErrorXml } from "./core.js";
import { DEFAULT_FONT_KEYS, ENGINE_BUDGET } from "./facts.js";
import { contentLength, limitReason, readSource, SourceError } from "./source.js";

const MAX_STYLES = 50;
const STYLE_NAME = /^[A-Za-z0-9_.-]{1,63}$/;
const MAX_KEY_BYTES = 1023;
/** The budgets tried before processing: OSS's own, then what the isolate can hold. */
const LIMITS = ["oss", "workers"];
const PASSED_HEADERS = ["content-type", "etag", "last-modified", "cache-control", "content-disposition", "content-language"];

/** Watermark pictures and fonts are only bounded by the 20 MB source size. */
const anySize = () => null;
/** Fonts by key, per isolate: read from the origin once. */
const fontCache = new Map();

export default {
  async fetch(request, env, ctx) {
    const requestId = newRequestId();
    try {
      const response = await handle(request, env, ctx);
      response.headers.set("x-oss-request-id", requestId);
      return response;
    } catch (err) {
      return errorResponse(toOssError(err), requestId, new URL(request.url).host, request.method);
    }
  },
};

async function handle(request, env, ctx) {
  if (request.method !== "GET" && request.method !== "HEAD") {
    throw hostError("MethodNotAllowed");
  }
  const config = readConfig(env);
  const url = new URL(request.url);
  let key = decodeKey(url.pathname.slice(1));
  let spec = url.searchParams.get("x-oss-process") ?? "";
  if (!url.searchParams.has("x-oss-process") && config.delimiters) {
    const split = splitStyleDelimiter(key, config.delimiters);
    if (split && Object.hasOwn(config.styles, split[1])) {
      key = split[0];
      spec = `style/${split[1]}`;
    }
  }
  checkKey(key);
  const origin = config.origin;

  if (spec === "") {
    const source = await origin.get(key, "NoSuchKey", { stream: true });
    return streamed(source.response, request.method, {});
  }

  const options = { styles: config.styles, limits: "workers" };
  const plan = parse(spec, options);
  const cache = config.cache ? caches.default : null;
  const cacheKey = new Request(`${url.origin}/${encodeKey(key)}?x-oss-process=${encodeURIComponent(plan.canonical)}`);
  const hit = await cache?.match(cacheKey);
  if (hit) {
    const response = new Response(request.method === "HEAD" ? null : hit.body, hit);
    response.headers.set("x-ossimg-cache", "hit");
    return response;
  }

  const source = await origin.get(key, "NoSuchFile", {});
  // Over an OSS limit, or over what the isolate can decode: serve the original.
  const overLimit = (bytes) => limitReason({ checkSource }, bytes, spec, options, LIMITS);
  const read = await readSource(source.response, overLimit).finally(source.done);
  if (read.fallback) {
    const fallback = read.bytes ? new Response(read.bytes, source.response) : new Response(read.body, source.response);
    return streamed(fallback, request.method, { "x-ossimg-fallback": read.fallback });
  }

  options.objects = await fetchObjects(origin, plan.objects);
  if (plan.fonts.length > 0) options.fonts = await fetchFonts(origin, config.fontsPrefix);
  let out;
  try {
    out = processImage(read.bytes, spec, options);
  } catch (err) {
    // The header was within Limits::workers() but the work went over the heap cap.
    if (err?.reason !== ENGINE_BUDGET) throw err;
    return streamed(new Response(read.bytes, source.response), request.method, { "x-ossimg-fallback": ENGINE_BUDGET });
  }
  const body = out.bytes ?? new TextEncoder().encode(out.json);
  const headers = new Headers({
    "content-type": out.mime,
    "content-length": String(body.byteLength),
    "cache-control": source.response.headers.get("cache-control") ?? config.cacheControl,
    etag: await derivedEtag(source.response.headers.get("etag") ?? source.response.headers.get("last-modified") ?? "", plan.canonical, read.bytes),
    "x-ossimg-cache": "miss",
  });
  const lastModified = source.response.headers.get("last-modified");
  if (lastModified) headers.set("last-modified", lastModified);
  if (cache) ctx?.waitUntil?.(cache.put(cacheKey, new Response(body.slice(), { headers })).catch(() => {}));
  return new Response(request.method === "HEAD" ? null : body, { headers });
}

/** The origin's response served unchanged: passed headers, exact length, never truncated silently. */
function streamed(response, method, extraHeaders) {
  const headers = new Headers(extraHeaders);
  for (const name of PASSED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (!headers.has("content-type")) headers.set("content-type", "application/octet-stream");
  const length = contentLength(response.headers);
  if (method === "HEAD") {
    response.body?.cancel().catch(() => {});
    if (length !== null) headers.set("content-length", String(length));
    return new Response(null, { headers });
  }
  if (length === null || response.body === null) return new Response(response.body, { headers });
  // FixedLengthStream sends Content-Length and errors the response when the origin ends
  // early, so a client never takes a cut object for a whole one.
  const fixed = new FixedLengthStream(length);
  response.body.pipeTo(fixed.writable).catch(() => {});
  return new Response(fixed.readable, { headers });
}

function readConfig(env) {
  let styles = env.STYLES ?? {};
  if (typeof styles === "string") styles = JSON.parse(styles);
  const names = Object.keys(styles);
  if (names.length > MAX_STYLES) throw misconfigured(`STYLES has ${names.length} styles; at most ${MAX_STYLES}`);
  for (const name of names) {
    if (!STYLE_NAME.test(name) || typeof styles[name] !== "string") throw misconfigured(`STYLES: bad style ${JSON.stringify(name).slice(0, 70)}`);
  }
  const delimiters = env.STYLE_DELIMITERS ?? "!";
  if (!/^[-_/!]*$/.test(delimiters)) throw misconfigured("STYLE_DELIMITERS may only hold - _ / !");
  const timeoutMs = Number(env.ORIGIN_TIMEOUT_MS ?? 10_000);
  if (!(timeoutMs > 0)) throw misconfigured("ORIGIN_TIMEOUT_MS must be a positive number");
  let origin;
  if (env.BUCKET) origin = r2Origin(env.BUCKET);
  else if (env.ORIGIN_URL) origin = httpOrigin(String(env.ORIGIN_URL), timeoutMs);
  else throw misconfigured("set an R2 binding BUCKET or ORIGIN_URL");
  return {
    origin,
    styles,
    delimiters,
    fontsPrefix: env.FONTS_PREFIX ?? "_ossimg/fonts/",
    cacheControl: env.CACHE_CONTROL ?? "public, max-age=86400",
    cache: env.CACHE !== "off" && typeof caches !== "undefined",
  };
}

function misconfigured(message) {
  return new OssImageError(`The image service is misconfigured: ${message}.`, { code: "InternalError", status: 500 });
}

/**
 * An origin answers `get(key, missingCode)` with `{ response, done }`: a 2xx Response
 * (body unread) and a function that ends the request's timer once the body is read.
 * A missing object throws `missingCode` (NoSuchKey for a plain GET, NoSuchFile when
 * processing); any other failure throws SourceError.
 */
function r2Origin(bucket) {
  return {
    async get(key, missingCode) {
      let object;
      try {
        object = await bucket.get(key);
      } catch (err) {
        throw new SourceError("origin-failed", `the bucket failed: ${err?.message ?? err}`, { cause: err });
      }
      if (object === null) throw hostError(missingCode);
      const headers = new Headers({ "content-length": String(object.size), etag: object.httpEtag, "last-modified": object.uploaded.toUTCString() });
      object.writeHttpMetadata(headers);
      return { response: new Response(object.body, { headers }), done() {} };
    },
  };
}

function httpOrigin(base, timeoutMs) {
  const root = new URL(base);
  return {
    async get(key, missingCode, { stream } = {}) {
      const target = new URL(encodeKey(key), root);
      // encodeKey leaves no "..", "?" or "#", so the target stays under the base.
      if (target.origin !== root.origin || !target.pathname.startsWith(root.pathname)) throw new SourceError("bad-key", "the key leaves the origin");
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const done = () => clearTimeout(timer);
      let response;
      try {
        response = await fetch(target, { redirect: "manual", signal: controller.signal });
      } catch (err) {
        done();
        throw new SourceError(controller.signal.aborted ? "timeout" : "origin-failed", `the origin failed: ${err?.message ?? err}`, { cause: err });
      }
      if (response.status === 404) {
        done();
        response.body?.cancel().catch(() => {});
        throw hostError(missingCode);
      }
      if (response.status < 200 || response.status > 299) {
        done();
        response.body?.cancel().catch(() => {});
        throw new SourceError(response.status >= 300 && response.status < 400 ? "redirect" : `status-${response.status}`, `the origin answered ${response.status}`);
      }
      // A streamed object may take longer than the timeout: it only bounds the wait for headers.
      if (stream) done();
      return { response, done };
    },
  };
}

/** Watermark pictures: keys of the same origin; a missing one is left out (the core answers 0040-00000025). */
async function fetchObjects(origin, keys) {
  const objects = {};
  for (const key of keys) {
    checkKey(key);
    try {
      const { response, done } = await origin.get(key, "NoSuchFile", {});
      const read = await readSource(response, anySize).finally(done);
      if (read.bytes) objects[key] = read.bytes;
    } catch (err) {
      if (err?.code !== "NoSuchFile") throw err;
    }
  }
  return objects;
}

/** The default fonts from `<FONTS_PREFIX><key>.ttf` of the origin, once per isolate. */
async function fetchFonts(origin, prefix) {
  const fonts = {};
  for (const key of DEFAULT_FONT_KEYS) {
    if (!fontCache.has(key)) {
      const { response, done } = await origin.get(`${prefix}${key}.ttf`, "NoSuchFile", {});
      const read = await readSource(response, anySize).finally(done);
      if (!read.bytes) throw new SourceError("font-too-large", `font ${key} is over 20 MB`);
      fontCache.set(key, read.bytes);
    }
    fonts[key] = fontCache.get(key);
  }
  return fonts;
}

/** The path's key: one percent-decoding, as OSS does. */
function decodeKey(path) {
  try {
    return decodeURIComponent(path);
  } catch {
    throw hostError("InvalidObjectName");
  }
}

/** OSS object-name rules, plus what a path-based origin needs: no empty or dot segments. */
function checkKey(key) {
  const bytes = new TextEncoder().encode(key).byteLength;
  // eslint-disable-next-line no-control-regex
  const bad = bytes === 0 || bytes > MAX_KEY_BYTES || key.startsWith("/") || key.includes("\\") || /[\u0000-\u001f\u007f]/.test(key) || key.split("/").some((s) => s === "." || s === "..");
  if (bad) throw hostError("InvalidObjectName");
}

/** Each path segment percent-encoded: the key cannot add a query, a fragment or a dot segment. */
function encodeKey(key) {
  return key.split("/").map(encodeURIComponent).join("/");
}

/** A strong ETag of the result: the origin's validator (or the source bytes) and the canonical spec. */
async function derivedEtag(originTag, canonical, bytes) {
  const spec = new TextEncoder().encode(`${originTag}\n${canonical}`);
  const seed = originTag ? spec : new Uint8Array([...spec, ...bytes]);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", seed));
  const hex = [...digest.subarray(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `"${hex}"`;
}

function newRequestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
}

function toOssError(err) {
  if (err instanceof OssImageError) return err;
  if (err instanceof SourceError) {
    const e = new OssImageError(`The source object cannot be read: ${err.message}.`, { code: "InternalError", status: 500 });
    e.reason = err.reason;
    return e;
  }
  if (err instanceof SyntaxError) return misconfigured(`STYLES is not JSON (${err.message})`);
  return new OssImageError(`Internal error: ${err?.message ?? err}`, { code: "InternalError", status: 500 });
}

function errorResponse(err, requestId, host, method) {
  const xml = ossErrorXml(err, requestId, host);
  const headers = { "content-type": "application/xml", "x-oss-request-id": requestId, "cache-control": "no-store" };
  if (err.ec) headers["x-oss-ec"] = err.ec;
  if (err.reason) headers["x-ossimg-origin-error"] = err.reason;
  return new Response(method === "HEAD" ? null : xml, { status: err.status, headers });
}
