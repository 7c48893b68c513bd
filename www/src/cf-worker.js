// A Cloudflare Worker that serves objects like OSS does ("ossimg/cf-worker"):
//   GET /<key>                          the object, streamed through unchanged (Range, If-*)
//   GET /<key>?x-oss-process=<spec>     the processed image (style/<name> included)
//   GET /<key>!<style>                  a style through the delimiter form
// Deploy: www/cf-worker/ (index.js builds the Worker with createHandler; wrangler.toml holds
// the config). Embed: `createHandler({ prefix: "/img/", origin, styles, access, ... })`.
//
// Config (env; createHandler options override them, README "Deploy in front of your bucket"):
//   BUCKET               an R2 binding: the origin (preferred when set), or
//   ORIGIN_URL           an HTTP origin: <ORIGIN_URL><key> (redirects are never followed)
//   ORIGIN_TIMEOUT_MS    per origin request (default 10000)
//   STYLES               { name: "image/..." } (or its JSON), at most 50
//   STYLE_DELIMITERS     enabled delimiters among "-_/!" (default "!"; "" disables)
//   FONTS_PREFIX         origin key prefix of text-mark fonts that override the bundled ones
//   CACHE_CONTROL        of processed results when the origin sends none (default "public, max-age=86400")
//   CACHE                "off" disables the Cache API
//   ON_ERROR             "original": serve the original when an image fails to process
//   AUTO_FORMAT          "webp": no format in the spec → WebP for clients that accept it (beyond OSS)
//   PRIVATE, OSS_BUCKET, OSS_REGION, OSS_ACCESS_KEYS, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET,
//   CLOCK_SKEW_SECONDS, SOURCE_PROTECTION, REFERER_*, CORS_*: the OSS access rules (oss-access.js)
//
// Sources over 20 MB or over an OSS limit, those a 128 MB isolate cannot decode
// (Limits::workers(), from the header) and those whose processing goes over the engine
// memory budget (a 96 MiB heap) are served unchanged with `x-ossimg-fallback: <reason>`.
// Errors are OSS XML with the OSS status, `x-oss-ec` and `x-oss-request-id`; every 5xx is
// logged with its request id. Nothing is fetched from anywhere but the origin: watermark
// pictures and override fonts are keys of the same origin.
import { checkSource, OssImageError, parse, probe, process as processImage, splitStyleDelimiter } from "./workerd.js";
import { hostError, ossErrorXml } from "./core.js";
import { DEFAULT_FONT_KEYS, ENGINE_BUDGET } from "./facts.js";
import { contentLength, limitReason, readSource, SourceError } from "./source.js";
import { accessConfig, accessError, aclDenied, authenticate, checkReferer, checkSourceProtection, corsHeaders, preflight, rawQuery } from "./oss-access.js";
import { byteRange, conditionalStatus, derivedEtag } from "./http.js";

const MAX_STYLES = 50;
const STYLE_NAME = /^[A-Za-z0-9_.-]{1,63}$/;
const MAX_KEY_BYTES = 1023;
/** The budgets tried before processing: OSS's own, then what the isolate can hold. */
const LIMITS = ["oss", "workers"];
const PASSED_HEADERS = ["content-type", "etag", "last-modified", "cache-control", "content-disposition", "content-language", "content-encoding", "expires"];
/** Request headers a passthrough forwards to an HTTP origin. */
const FORWARDED_HEADERS = ["range", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range"];
/** Codes that mean the spec (the client) is wrong, not the image: never served as the original. */
const SPEC_ERRORS = new Set(["InvalidArgument", "MissingArgument", "NoSuchStyle", "NotImplemented", "WatermarkError"]);

/** Watermark pictures and fonts are only bounded by the 20 MB source size. */
const anySize = () => null;

/**
 * A Worker handler (`{ fetch(request, env, ctx) }`). Options override the env settings of the
 * same meaning: `origin` (an R2 bucket binding or a base URL), `styles`, `styleDelimiters`,
 * `access` ({ private, bucket, region, keys, clockSkewSeconds, sourceProtection, referer, cors }),
 * `onError` ("original"), `autoFormat` ("webp"), `cacheControl`, `cache` (false), `fontsPrefix`,
 * `originTimeoutMs`; plus `prefix` (the path the handler is mounted under, e.g. "/img/"),
 * `fonts` (an async function giving the text-mark fonts by key, called on the first text mark)
 * and `now` (the clock in ms, for tests). Options are checked here: a bad one throws.
 */
export function createHandler(options = {}) {
  const prefix = normalisePrefix(options.prefix ?? "/");
  if (options.fonts !== undefined && typeof options.fonts !== "function") throw new TypeError("ossimg/cf-worker: fonts must be an async function returning { key: bytes }");
  if (options.now !== undefined && typeof options.now !== "function") throw new TypeError("ossimg/cf-worker: now must be a function returning ms");
  const now = options.now ?? Date.now;
  // With its origin in the options, the whole config is known now: check it at start.
  if (options.origin !== undefined) readConfig({}, options);
  const configs = new WeakMap();
  const configFor = (env) => {
    let entry = configs.get(env);
    if (!entry) {
      try {
        entry = { config: readConfig(env, options) };
      } catch (err) {
        entry = { error: err };
      }
      configs.set(env, entry);
    }
    if (entry.error) throw misconfigured(entry.error.message);
    return entry.config;
  };
  return {
    async fetch(request, env, ctx) {
      const requestId = newRequestId();
      const url = new URL(request.url);
      let config = null;
      try {
        config = configFor(env ?? {});
        const response = await handle(request, url, config, ctx, prefix, now);
        return finish(response, request, requestId, config);
      } catch (err) {
        const e = toOssError(err);
        if (e.status >= 500) {
          console.error(`ossimg ${requestId}: ${e.status} ${e.code} ${request.method} ${url.pathname}: ${e.message}${e.reason ? ` (${e.reason})` : ""}`);
        }
        return finish(errorResponse(e, requestId, url.host, request.method), request, requestId, config);
      }
    },
  };
}

export default createHandler();

/** Headers every answer carries: the request id, CORS, `Vary: Origin` when it depends on it. */
function finish(response, request, requestId, config) {
  const out = new Response(response.body, response);
  out.headers.set("x-oss-request-id", requestId);
  const cors = config?.access.cors;
  if (cors) {
    for (const [name, value] of Object.entries(corsHeaders(request, cors) ?? {})) out.headers.set(name, value);
    if (!cors.any) out.headers.append("vary", "Origin");
  }
  return out;
}

async function handle(request, url, config, ctx, prefix, now) {
  if (request.method === "OPTIONS") return new Response(null, { status: 200, headers: preflight(request, config.access.cors) });
  if (request.method !== "GET" && request.method !== "HEAD") throw hostError("MethodNotAllowed");
  if (!url.pathname.startsWith(prefix)) throw hostError("NoSuchKey");
  // The key as the client signed it (a delimiter style included).
  const signedKey = decodeKey(url.pathname.slice(prefix.length));
  checkKey(signedKey);
  const query = rawQuery(url.search);
  const access = config.access;
  const who = await authenticate(request, access, signedKey, query, now());
  if (who !== "header") checkReferer(request, access.referer);
  if (who === "anonymous" && access.private) throw aclDenied();

  // The spec exactly as sent: the core decodes it once and reads "+" as "+" (spec/README §1).
  const processParam = query.find(([name]) => name === "x-oss-process");
  let spec = processParam?.[1] ?? "";
  let key = signedKey;
  let throughStyle = /^style(\/|%2F)[^/%]+$/i.test(spec);
  if (!processParam && config.delimiters) {
    const split = splitStyleDelimiter(key, config.delimiters);
    if (split && Object.hasOwn(config.styles, split[1])) {
      key = split[0];
      spec = `style/${split[1]}`;
      throughStyle = true;
    }
  }
  if (who === "anonymous") checkSourceProtection(access.sourceProtection, key, throughStyle);
  const response = spec === "" ? await passthrough(request, config, key) : await processed(request, url, config, ctx, prefix, key, spec);
  const tag = cacheTag(key);
  if (tag) response.headers.set("cache-tag", tag);
  return response;
}

/** The purge handle of every variant of `key`: its path form (encodeKey), when within Cloudflare's 1024 characters. */
function cacheTag(key) {
  const tag = encodeKey(key);
  return tag.length <= 1024 ? tag : null;
}

/** The object unchanged: conditionals, a byte range and HEAD answered as the origin allows. */
async function passthrough(request, config, key) {
  const served = await config.origin.serve(key, request);
  if (served.status === 304) return notModified(served.headers);
  return streamed(served, request.method, {});
}

function notModified(from) {
  const headers = new Headers();
  for (const name of ["etag", "last-modified", "cache-control", "expires", "vary"]) {
    const value = from.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(null, { status: 304, headers });
}

const preconditionFailed = () => accessError(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.");

function invalidRange(size) {
  const err = accessError(416, "InvalidRange", "The requested range is not satisfiable.");
  err.headers = { "content-range": `bytes */${size}` };
  return err;
}

/** Throws 412, or returns a 304 Response, or null to go on. */
function conditional(request, validators) {
  const status = conditionalStatus(request.headers, validators);
  if (status === 412) throw preconditionFailed();
  return status === 304 ? notModified(new Headers(Object.entries(validators).filter(([, v]) => v))) : null;
}

async function processed(request, url, config, ctx, prefix, key, spec) {
  const options = { styles: config.styles, limits: "workers" };
  let plan = parse(spec, options);
  let vary = null;
  // AUTO_FORMAT (beyond OSS): an image answer with no format of its own follows Accept.
  if (config.autoFormat && !/(^|\/)(format,|info$|average-hue$)/.test(plan.canonical)) {
    vary = "Accept";
    if (/\bimage\/webp\b/i.test(request.headers.get("accept") ?? "")) {
      spec = `${plan.canonical}/format,webp`;
      plan = parse(spec, options);
    }
  }
  const cache = config.cache ? caches.default : null;
  const cacheKey = new Request(`${url.origin}${prefix}${encodeKey(key)}?x-oss-process=${encodeURIComponent(plan.canonical)}`);
  const hit = await cache?.match(cacheKey);
  if (hit) {
    const validators = { etag: hit.headers.get("etag"), lastModified: hit.headers.get("last-modified") };
    let early;
    try {
      early = conditional(request, validators);
    } catch (err) {
      hit.body?.cancel().catch(() => {});
      throw err;
    }
    if (early || request.method === "HEAD") hit.body?.cancel().catch(() => {});
    if (early) {
      copyHeaders(hit.headers, early.headers, ["cache-control", "vary"]);
      return early;
    }
    const response = new Response(request.method === "HEAD" ? null : hit.body, hit);
    response.headers.set("x-ossimg-cache", "hit");
    return response;
  }

  const source = await config.origin.get(key, "NoSuchFile");
  const originHeaders = source.response.headers;
  const originTag = originHeaders.get("etag") ?? originHeaders.get("last-modified") ?? "";
  const lastModified = originHeaders.get("last-modified");
  const cacheControl = originHeaders.get("cache-control") ?? config.cacheControl;
  // With a validator from the origin, a 304 needs no source bytes and no processing.
  let etag = originTag ? await derivedEtag(originTag, plan.canonical) : null;
  if (etag) {
    let early;
    try {
      early = conditional(request, { etag, lastModified });
    } catch (err) {
      cancel(source);
      throw err;
    }
    if (early) {
      cancel(source);
      early.headers.set("cache-control", cacheControl);
      if (vary) early.headers.set("vary", vary);
      return early;
    }
  }

  // Over an OSS limit, or over what the isolate can decode: serve the original.
  const overLimit = (bytes) => limitReason({ checkSource }, bytes, spec, options, LIMITS);
  const read = await readSource(source.response, overLimit).finally(source.done);
  if (read.fallback) {
    const fallback = read.bytes ? new Response(read.bytes, source.response) : new Response(read.body, source.response);
    return streamed(fallback, request.method, { "x-ossimg-fallback": read.fallback });
  }
  if (!etag) {
    etag = await derivedEtag("", plan.canonical, read.bytes);
    const early = conditional(request, { etag, lastModified });
    if (early) {
      early.headers.set("cache-control", cacheControl);
      if (vary) early.headers.set("vary", vary);
      return early;
    }
  }

  options.objects = await fetchObjects(config.origin, plan.objects);
  if (plan.fonts.length > 0) options.fonts = await textFonts(config);
  let out;
  try {
    out = processImage(read.bytes, spec, options);
  } catch (err) {
    // The header was within Limits::workers() but the work went over the heap cap.
    if (err?.reason === ENGINE_BUDGET) return streamed(new Response(read.bytes, source.response), request.method, { "x-ossimg-fallback": ENGINE_BUDGET });
    // ON_ERROR=original: an image that fails to process is served as it is.
    if (config.onError === "original" && !SPEC_ERRORS.has(err?.code) && looksLikeImage(read.bytes)) {
      console.warn(`ossimg: serving the original of ${JSON.stringify(key)}: ${err?.code ?? "Error"}: ${err?.message ?? err}`);
      return streamed(new Response(read.bytes, source.response), request.method, { "x-ossimg-fallback": "error" });
    }
    throw err;
  }
  const body = out.bytes ?? new TextEncoder().encode(out.text);
  const headers = new Headers({
    "content-type": out.mime,
    "content-length": String(body.byteLength),
    "cache-control": cacheControl,
    etag,
    "x-ossimg-cache": "miss",
  });
  if (lastModified) headers.set("last-modified", lastModified);
  if (vary) headers.set("vary", vary);
  const tag = cacheTag(key);
  if (tag) headers.set("cache-tag", tag);
  if (cache) ctx?.waitUntil?.(cache.put(cacheKey, new Response(body.slice(), { headers })).catch(() => {}));
  return new Response(request.method === "HEAD" ? null : body, { headers });
}

function copyHeaders(from, to, names) {
  for (const name of names) {
    const value = from.get(name);
    if (value !== null) to.set(name, value);
  }
}

function cancel(source) {
  source.done();
  source.response.body?.cancel().catch(() => {});
}

function looksLikeImage(bytes) {
  try {
    probe(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The origin's answer served unchanged: passed headers, the origin's status (200, 206),
 * exact length, never truncated silently.
 */
function streamed(response, method, extraHeaders) {
  const headers = new Headers(extraHeaders);
  for (const name of PASSED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (!headers.has("content-type")) headers.set("content-type", "application/octet-stream");
  const status = response.status === 206 ? 206 : 200;
  if (status === 206) headers.set("content-range", response.headers.get("content-range") ?? "");
  if (response.headers.get("accept-ranges") === "bytes") headers.set("accept-ranges", "bytes");
  const length = contentLength(response.headers);
  if (method === "HEAD") {
    response.body?.cancel().catch(() => {});
    if (length !== null) headers.set("content-length", String(length));
    return new Response(null, { status, headers });
  }
  if (length === null || response.body === null) return new Response(response.body, { status, headers });
  // FixedLengthStream sends Content-Length and errors the response when the origin ends
  // early, so a client never takes a cut object for a whole one.
  const fixed = new FixedLengthStream(length);
  response.body.pipeTo(fixed.writable).catch(() => {});
  return new Response(fixed.readable, { status, headers });
}

const TRUE = new Set(["true", "1", "on", "yes"]);
const FALSE = new Set(["false", "0", "off", "no", ""]);

function flag(name, value, fallback) {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "boolean") return value;
  const text = String(value).trim().toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw new Error(`${name} must be true or false, not ${JSON.stringify(String(value)).slice(0, 40)}`);
}

/** A list setting: an array, or a string of items separated by commas or white space. */
function list(value) {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  return String(value).split(/[\s,]+/).filter(Boolean);
}

/** A config object given as an object or as its JSON (wrangler vars may be either). */
function objectSetting(name, value, shape) {
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch (err) {
      throw new Error(`${name} is not JSON (${err.message})`);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${name} must be ${shape}`);
  return value;
}

function readStyles(styles) {
  if (styles === undefined || styles === null) return {};
  styles = objectSetting("STYLES", styles, 'an object { "name": "image/..." } or its JSON');
  const names = Object.keys(styles);
  if (names.length > MAX_STYLES) throw new Error(`STYLES has ${names.length} styles; at most ${MAX_STYLES}`);
  for (const name of names) {
    if (!STYLE_NAME.test(name) || typeof styles[name] !== "string") throw new Error(`STYLES: bad style ${JSON.stringify(name).slice(0, 70)}: names are [A-Za-z0-9_.-]{1,63}, values "image/..." strings`);
  }
  return { ...styles };
}

function readKeys(env, access) {
  if (access.keys !== undefined) return access.keys;
  let keys = {};
  if (env.OSS_ACCESS_KEYS !== undefined) {
    keys = objectSetting("OSS_ACCESS_KEYS", env.OSS_ACCESS_KEYS, 'a JSON object { "AccessKeyId": "secret" }');
  }
  if (env.OSS_ACCESS_KEY_ID !== undefined || env.OSS_ACCESS_KEY_SECRET !== undefined) {
    if (!env.OSS_ACCESS_KEY_ID || !env.OSS_ACCESS_KEY_SECRET) throw new Error("OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET go together");
    keys = { ...keys, [env.OSS_ACCESS_KEY_ID]: env.OSS_ACCESS_KEY_SECRET };
  }
  return keys;
}

function readAccess(env, access = {}) {
  const pick = (name, envName, read = (v) => v) => (access[name] !== undefined ? access[name] : env[envName] !== undefined ? read(env[envName]) : undefined);
  const referer = access.referer ?? {
    allowEmpty: flag("REFERER_ALLOW_EMPTY", env.REFERER_ALLOW_EMPTY, true),
    allow: list(env.REFERER_ALLOW) ?? [],
    block: list(env.REFERER_BLOCK) ?? [],
    truncateQueryString: flag("REFERER_TRUNCATE_QUERY", env.REFERER_TRUNCATE_QUERY, true),
    truncatePath: flag("REFERER_TRUNCATE_PATH", env.REFERER_TRUNCATE_PATH, false),
  };
  const cors = access.cors ?? {
    allowOrigins: list(env.CORS_ALLOW_ORIGINS) ?? [],
    allowHeaders: list(env.CORS_ALLOW_HEADERS),
    exposeHeaders: list(env.CORS_EXPOSE_HEADERS),
    maxAge: env.CORS_MAX_AGE === undefined ? undefined : Number(env.CORS_MAX_AGE),
  };
  for (const k of Object.keys(cors)) if (cors[k] === undefined) delete cors[k];
  return accessConfig({
    private: flag("PRIVATE", pick("private", "PRIVATE"), false),
    bucket: pick("bucket", "OSS_BUCKET") ?? "",
    region: pick("region", "OSS_REGION") ?? "",
    keys: readKeys(env, access),
    clockSkewSeconds: Number(pick("clockSkewSeconds", "CLOCK_SKEW_SECONDS") ?? 900),
    sourceProtection: list(pick("sourceProtection", "SOURCE_PROTECTION")) ?? null,
    referer,
    cors,
  });
}

function readConfig(env, options) {
  const styles = readStyles(options.styles ?? env.STYLES);
  const delimiters = options.styleDelimiters ?? env.STYLE_DELIMITERS ?? "!";
  if (!/^[-_/!]*$/.test(delimiters)) throw new Error("STYLE_DELIMITERS may only hold - _ / !");
  const timeoutMs = Number(options.originTimeoutMs ?? env.ORIGIN_TIMEOUT_MS ?? 10_000);
  if (!(timeoutMs > 0)) throw new Error("ORIGIN_TIMEOUT_MS must be a positive number");
  const source = options.origin ?? env.BUCKET ?? env.ORIGIN_URL;
  let origin;
  if (source && typeof source === "object" && typeof source.get === "function" && typeof source.head === "function") origin = r2Origin(source);
  else if (typeof source === "string" && source !== "") origin = httpOrigin(normaliseOriginUrl(source), timeoutMs);
  else throw new Error("set an R2 binding BUCKET or ORIGIN_URL (createHandler: origin)");
  const onError = options.onError ?? env.ON_ERROR ?? "";
  if (!["", "error", "original"].includes(onError)) throw new Error(`ON_ERROR must be "original" or unset, not ${JSON.stringify(String(onError)).slice(0, 40)}`);
  const autoFormat = options.autoFormat ?? env.AUTO_FORMAT ?? "";
  if (!["", "off", "webp"].includes(autoFormat)) throw new Error(`AUTO_FORMAT must be "webp" or unset, not ${JSON.stringify(String(autoFormat)).slice(0, 40)}`);
  const fontsPrefix = options.fontsPrefix ?? env.FONTS_PREFIX ?? (options.fonts ? "" : "_ossimg/fonts/");
  return {
    origin,
    styles,
    delimiters,
    fontsPrefix,
    bundledFonts: options.fonts ?? null,
    fontCache: new Map(),
    cacheControl: options.cacheControl ?? env.CACHE_CONTROL ?? "public, max-age=86400",
    cache: options.cache !== false && env.CACHE !== "off" && typeof caches !== "undefined",
    onError,
    autoFormat: autoFormat === "webp",
    access: readAccess(env, options.access),
  };
}

/** ORIGIN_URL as a base URL: http(s), no query or fragment, ending in "/" (else the last segment would be dropped). */
function normaliseOriginUrl(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`ORIGIN_URL is not a URL: ${JSON.stringify(text).slice(0, 80)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("ORIGIN_URL must be an http:// or https:// URL");
  if (url.search || url.hash || text.includes("?") || text.includes("#")) throw new Error("ORIGIN_URL must not have a query or a fragment");
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

function normalisePrefix(prefix) {
  if (typeof prefix !== "string") throw new TypeError("ossimg/cf-worker: prefix must be a string");
  let p = prefix.startsWith("/") ? prefix : `/${prefix}`;
  if (!p.endsWith("/")) p += "/";
  return p;
}

function misconfigured(message) {
  return new OssImageError(`The image service is misconfigured: ${message}.`, { code: "InternalError", status: 500 });
}

/**
 * An origin answers `get(key, missingCode)` with `{ response, done }`: a 2xx Response
 * (body unread) and a function that ends the request's timer once the body is read; and
 * `serve(key, request)` (passthrough) with a Response-like `{ status, headers, body }` whose
 * status is 200, 206 or 304. A missing object throws `missingCode` (NoSuchKey for a plain
 * GET, NoSuchFile when processing); any other failure throws SourceError.
 */
function r2Origin(bucket) {
  const call = async (fn) => {
    try {
      return await fn();
    } catch (err) {
      throw new SourceError("origin-failed", `the bucket failed: ${err?.message ?? err}`, { cause: err });
    }
  };
  const metaHeaders = (object) => {
    const headers = new Headers({ "content-length": String(object.size), etag: object.httpEtag, "last-modified": object.uploaded.toUTCString(), "accept-ranges": "bytes" });
    object.writeHttpMetadata(headers);
    return headers;
  };
  return {
    async get(key, missingCode) {
      const object = await call(() => bucket.get(key));
      if (object === null) throw hostError(missingCode);
      return { response: new Response(object.body, { headers: metaHeaders(object) }), done() {} };
    },
    async serve(key, request) {
      const wanted = request.headers;
      const conditional = request.method === "HEAD" || FORWARDED_HEADERS.some((name) => wanted.has(name));
      if (!conditional) {
        const object = await call(() => bucket.get(key));
        if (object === null) throw hostError("NoSuchKey");
        return { status: 200, headers: metaHeaders(object), body: object.body };
      }
      // HEAD, conditionals and ranges are decided from the metadata alone.
      const meta = await call(() => bucket.head(key));
      if (meta === null) throw hostError("NoSuchKey");
      const headers = metaHeaders(meta);
      const validators = { etag: meta.httpEtag, lastModified: headers.get("last-modified") };
      const status = conditionalStatus(wanted, validators);
      if (status === 412) throw preconditionFailed();
      if (status === 304) return { status: 304, headers, body: null };
      if (request.method === "HEAD") return { status: 200, headers, body: null };
      const range = byteRange(wanted, meta.size, validators);
      if (range === "unsatisfiable") throw invalidRange(meta.size);
      const object = await call(() => bucket.get(key, range ? { range, onlyIf: { etagMatches: meta.etag } } : {}));
      if (object === null) throw hostError("NoSuchKey");
      if (!object.body) throw new SourceError("changed", "the object changed while it was read");
      if (!range) return { status: 200, headers, body: object.body };
      headers.set("content-length", String(range.length));
      headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${meta.size}`);
      return { status: 206, headers, body: object.body };
    },
  };
}

function httpOrigin(base, timeoutMs) {
  const root = new URL(base);
  const request = async (key, missingCode, init, okStatuses) => {
    const target = new URL(encodeKey(key), root);
    // encodeKey leaves no "..", "?" or "#", so the target stays under the base.
    if (target.origin !== root.origin || !target.pathname.startsWith(root.pathname)) throw new SourceError("bad-key", "the key leaves the origin");
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const done = () => clearTimeout(timer);
    let response;
    try {
      response = await fetch(target, { ...init, redirect: "manual", signal: controller.signal });
    } catch (err) {
      done();
      throw new SourceError(controller.signal.aborted ? "timeout" : "origin-failed", `the origin failed: ${err?.message ?? err}`, { cause: err });
    }
    if (okStatuses.includes(response.status)) return { response, done };
    done();
    response.body?.cancel().catch(() => {});
    if (response.status === 404) throw hostError(missingCode);
    if (response.status === 412 && okStatuses.includes(206)) throw preconditionFailed();
    if (response.status === 416 && okStatuses.includes(206)) {
      const err = invalidRange("*");
      err.headers = { "content-range": response.headers.get("content-range") ?? "bytes */*" };
      throw err;
    }
    throw new SourceError(response.status >= 300 && response.status < 400 ? "redirect" : `status-${response.status}`, `the origin answered ${response.status}`);
  };
  return {
    async get(key, missingCode) {
      return request(key, missingCode, {}, [200, 201, 202, 203]);
    },
    async serve(key, req) {
      const headers = new Headers();
      for (const name of FORWARDED_HEADERS) {
        const value = req.headers.get(name);
        if (value !== null) headers.set(name, value);
      }
      const { response, done } = await request(key, "NoSuchKey", { method: req.method, headers }, [200, 203, 206, 304]);
      // A streamed object may take longer than the timeout: it only bounds the wait for headers.
      done();
      return response;
    },
  };
}

/** Watermark pictures: keys of the same origin; a missing one is left out (the core answers 0040-00000025). */
async function fetchObjects(origin, keys) {
  const objects = {};
  for (const key of keys) {
    checkKey(key);
    try {
      const { response, done } = await origin.get(key, "NoSuchFile");
      const read = await readSource(response, anySize).finally(done);
      if (read.bytes) objects[key] = read.bytes;
    } catch (err) {
      if (err?.code !== "NoSuchFile") throw err;
    }
  }
  return objects;
}

/**
 * The text-mark fonts: `<FONTS_PREFIX><key>.ttf` of the origin when FONTS_PREFIX is set and
 * the object exists, else the fonts shipped in the Worker (createHandler's `fonts`); read
 * once per isolate. A font found nowhere is a 500 of the service, never a missing object.
 */
async function textFonts(config) {
  const fonts = {};
  for (const key of DEFAULT_FONT_KEYS) {
    if (!config.fontCache.has(key)) config.fontCache.set(key, await findFont(config, key));
    fonts[key] = config.fontCache.get(key);
  }
  return fonts;
}

async function findFont(config, key) {
  if (config.fontsPrefix) {
    try {
      const { response, done } = await config.origin.get(`${config.fontsPrefix}${key}.ttf`, "NoSuchFile");
      const read = await readSource(response, anySize).finally(done);
      if (read.bytes) return read.bytes;
    } catch (err) {
      if (err?.code !== "NoSuchFile") throw err;
    }
  }
  if (config.bundledFonts) {
    config.bundled ??= Promise.resolve(config.bundledFonts()).catch((err) => {
      config.bundled = undefined;
      throw err;
    });
    const bundled = await config.bundled;
    const bytes = bundled instanceof Map ? bundled.get(key) : bundled?.[key];
    if (bytes) return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  }
  const where = config.fontsPrefix ? `<${config.fontsPrefix}${key}.ttf> on the origin, nor in the Worker bundle` : "in the Worker bundle (createHandler({ fonts })) and FONTS_PREFIX is not set";
  const err = new OssImageError(`The text-mark font ${key} is missing: not found ${where}.`, { code: "InternalError", status: 500 });
  err.reason = "font-missing";
  throw err;
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
  return new OssImageError(`Internal error: ${err?.message ?? err}`, { code: "InternalError", status: 500 });
}

function errorResponse(err, requestId, host, method) {
  const xml = ossErrorXml(err, requestId, host);
  const headers = { "content-type": "application/xml", "x-oss-request-id": requestId, "cache-control": "no-store", ...err.headers };
  if (err.ec) headers["x-oss-ec"] = err.ec;
  if (err.reason) headers["x-ossimg-origin-error"] = err.reason;
  return new Response(method === "HEAD" ? null : xml, { status: err.status, headers });
}
