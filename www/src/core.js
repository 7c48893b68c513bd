// Shared by every entry point (index.js, node.js, workerd.js, client.js). No wasm here:
// the entry points hand in the wasm-bindgen glue, so this file also loads in pages that
// only use the Web Worker client. The facts shared with the Rust crate are in facts.js,
// generated from it.
import { DEFAULT_FONT_KEYS, ENGINE_BUDGET, HOST_ERRORS, OVER_BUDGET_ERROR } from "./facts.js";

/**
 * An OSS image-processing error: `code` ("InvalidArgument"...), HTTP `status`, `ec` or null;
 * `reason` is "engine-budget" when the call went over the engine memory budget.
 */
export class OssImageError extends Error {
  constructor(message, { code = "InternalError", status = 500, ec = null, reason, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "OssImageError";
    this.code = code;
    this.status = status;
    this.ec = ec;
    if (reason !== undefined) this.reason = reason;
  }

  /** A plain object that survives structured clone (postMessage) and JSON. */
  toJSON() {
    const json = { name: this.name, code: this.code, status: this.status, ec: this.ec, message: this.message };
    if (this.reason !== undefined) json.reason = this.reason;
    return json;
  }

  /** Rebuilds an error from `toJSON()` output (or the raw error thrown by the wasm). */
  static from(data) {
    if (data instanceof OssImageError) return data;
    return new OssImageError(String(data?.message ?? "Internal error"), {
      code: typeof data?.code === "string" ? data.code : "InternalError",
      status: typeof data?.status === "number" ? data.status : 500,
      ec: typeof data?.ec === "string" ? data.ec : null,
      reason: typeof data?.reason === "string" ? data.reason : undefined,
    });
  }
}

/** What `process` throws over the engine memory budget (src/wasm.rs builds the same). */
function overBudget(cause) {
  return new OssImageError(OVER_BUDGET_ERROR.message, { ...OVER_BUDGET_ERROR, cause });
}

/** One of the errors only the hosts answer with (facts.js HOST_ERRORS), by its `code`. */
export function hostError(code) {
  const { message, ...init } = HOST_ERRORS[code];
  return new OssImageError(message, { code, ...init });
}

/**
 * The XML body OSS answers an error with; every host that answers HTTP uses this one.
 * `requestId` and `hostId` are the request's; text is escaped, so hostile input echoed in a
 * message stays text.
 */
export function ossErrorXml(err, requestId, hostId) {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<Error>",
    `  <Code>${escapeXml(err.code)}</Code>`,
    `  <Message>${escapeXml(err.message)}</Message>`,
    `  <RequestId>${escapeXml(requestId)}</RequestId>`,
    `  <HostId>${escapeXml(hostId)}</HostId>`,
    // Extra elements of some errors (SignatureDoesNotMatch's StringToSign...), in order.
    ...(err.details ?? []).map(([name, value]) => `  <${name}>${escapeXml(value)}</${name}>`),
    ...(err.ec ? [`  <EC>${escapeXml(err.ec)}</EC>`, `  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=${escapeXml(err.ec)}</RecommendDoc>`] : []),
    "</Error>",
    "",
  ].join("\n");
}

const XML_ENTITIES = { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" };

function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => XML_ENTITIES[c]);
}

const toString = Object.prototype.toString;

/**
 * Uint8Array view of the caller's bytes (no copy): a Uint8Array (Node Buffer included), any
 * other ArrayBufferView, an ArrayBuffer or SharedArrayBuffer. TypeError for anything else;
 * a Blob, Response or stream needs the async `readInput`.
 */
export function toBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const tag = toString.call(input);
  if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") return new Uint8Array(input);
  if (isAsyncSource(input)) {
    throw new TypeError("ossimg: a Blob, File, Response or stream must be read first: use an async API (ossimg/node, ossimg/client) or `await readInput(input)`");
  }
  throw new TypeError("ossimg: input must be a Uint8Array, an ArrayBuffer or an ArrayBufferView");
}

const isBlob = (x) => typeof Blob !== "undefined" && x instanceof Blob;
const isResponse = (x) => typeof Response !== "undefined" && x instanceof Response;
const isRequest = (x) => typeof Request !== "undefined" && x instanceof Request;
const isWebStream = (x) => typeof x?.getReader === "function";
const isAsyncIterable = (x) => x != null && typeof x[Symbol.asyncIterator] === "function";

/** Whether `readInput(x)` gives bytes nobody else holds (read from a Blob, Request or Response). */
export function readsFresh(x) {
  return isBlob(x) || isResponse(x) || isRequest(x);
}

function isAsyncSource(x) {
  return isBlob(x) || isResponse(x) || isRequest(x) || isWebStream(x) || isAsyncIterable(x);
}

/**
 * The one conversion every async path uses: bytes as `toBytes` takes them (no copy), or
 * read from a Blob / File, a Request (an upload), a Response (a non-2xx status is an error:
 * its body is not the image), a web ReadableStream or a Node Readable (any async iterable
 * of byte chunks).
 */
export async function readInput(input) {
  if (!isAsyncSource(input)) return toBytes(input);
  if (isBlob(input) || isRequest(input)) return new Uint8Array(await input.arrayBuffer());
  if (isResponse(input)) {
    if (!input.ok) {
      input.body?.cancel().catch(() => {});
      throw new OssImageError(`The source answered ${input.status}.`, { code: "InternalError", status: 500 });
    }
    return new Uint8Array(await input.arrayBuffer());
  }
  const chunks = [];
  let total = 0;
  const push = (chunk) => {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : toBytes(chunk);
    chunks.push(bytes);
    total += bytes.byteLength;
  };
  if (isAsyncIterable(input)) {
    for await (const chunk of input) push(chunk);
  } else {
    const reader = input.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      push(value);
    }
  }
  return concatBytes(chunks, total);
}

/** One Uint8Array of `chunks` (`total` bytes together); a single chunk is returned as it is. */
export function concatBytes(chunks, total) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * The result of the core with its `kind`: "image" (bytes, mime, format, width, height,
 * frames), "json" (`json` parsed, `text` the raw answer) or "original" (an empty spec: the
 * input, `original: true`). Idempotent: a result already shaped (from a worker) is kept.
 */
export function shapeResult(out) {
  if (out == null || typeof out !== "object" || typeof out.kind === "string") return out;
  if (typeof out.json === "string") return { kind: "json", json: JSON.parse(out.json), text: out.json, mime: out.mime };
  if (out.original === true) return { kind: "original", ...out };
  return { kind: "image", ...out };
}

/** A Blob of a result (image or original: its bytes and mime; json: its text). */
export function toBlob(out) {
  if (out?.kind === "json" || (typeof out?.text === "string" && out.bytes === undefined)) return new Blob([out.text], { type: out.mime ?? "application/json" });
  if (out?.bytes instanceof Uint8Array) return new Blob([out.bytes], { type: out.mime ?? "application/octet-stream" });
  throw new TypeError("ossimg: toBlob takes a result of process()");
}

/**
 * A Response of a result: status 200 unless `init.status`, Content-Type the result's mime
 * (headers in `init` are added; a content-type there wins), Content-Length its size.
 */
export function toResponse(out, init = {}) {
  const blob = toBlob(out);
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", blob.type);
  headers.set("content-length", String(blob.size));
  return new Response(blob, { ...init, headers });
}

/**
 * Raw RGBA pixels: an ImageData, or `{ data, width, height }` with `data` a Uint8Array /
 * Uint8ClampedArray of width × height × 4 bytes.
 */
export function isPixels(input) {
  return input != null && typeof input === "object" && !ArrayBuffer.isView(input) && ArrayBuffer.isView(input.data) && Number.isInteger(input.width) && Number.isInteger(input.height);
}

/** The RGBA bytes of a pixel source (no copy); TypeError / RangeError for a wrong one. */
export function pixelBytes({ data, width, height }) {
  if (width < 1 || height < 1 || width > 0xffffffff || height > 0xffffffff) throw new RangeError("ossimg: pixels need a positive width and height");
  const bytes = toBytes(data);
  if (bytes.byteLength !== width * height * 4) throw new RangeError(`ossimg: ${bytes.byteLength} bytes of pixels for ${width}x${height} RGBA (expected ${width * height * 4})`);
  return bytes;
}

function checkSpec(spec) {
  if (typeof spec !== "string") throw new TypeError("ossimg: spec must be a string");
  return spec;
}

/** The `./fonts/<key>.ttf` URL of each default font, relative to the package's files. */
export const defaultFontUrls = (base) => DEFAULT_FONT_KEYS.map((key) => [key, new URL(`./fonts/${key}.ttf`, base)]);

/**
 * The API of an entry whose module is instantiated on import (Node, workerd): `init`,
 * `initSync` and `loadFonts` do nothing, so that code written for browsers runs unchanged.
 */
export function instantiatedEntry(raw, hooks) {
  return { init: () => Promise.resolve(), initSync() {}, loadFonts: () => Promise.resolve(), ...createApi(() => raw, hooks) };
}

/** Whether `fonts` (an object, a Map or nothing) lacks one of the default font keys. */
function lacksDefaultFonts(fonts) {
  const has = fonts instanceof Map ? (key) => fonts.has(key) : (key) => fonts != null && Object.hasOwn(fonts, key);
  return DEFAULT_FONT_KEYS.some((key) => !has(key));
}

/** `options` with the default fonts under the caller's own (the caller's keys win). */
function withFonts(options, defaults) {
  const own = options.fonts;
  const fonts = own instanceof Map ? new Map([...Object.entries(defaults), ...own]) : { ...defaults, ...own };
  return { ...options, fonts };
}

/**
 * The public API over the wasm-bindgen glue `raw`. `ready()` returns the glue once the
 * module is instantiated, or throws when it is not (browsers before `await init()`).
 *
 * Error policy: the core throws an Error named "OssImageError" (turned into an
 * OssImageError instance); option type errors stay TypeError / RangeError; anything else
 * is a trap or a bug in the glue. A trap (WebAssembly.RuntimeError: unreachable, out of
 * memory; RangeError: stack overflow) leaves the instance in an unknown state, so it
 * becomes an InternalError (500) and the next call runs on a fresh instance; a trap from
 * an allocation the engine budget refused becomes the same ImageTooLarge error (reason
 * "engine-budget") that the core throws when it fails without trapping.
 */
export function createApi(ready, { defaultFonts } = {}) {
  const call = (fn) => callWasm(ready(), fn);
  const api = {
    /** Runs an OSS spec on `input`; see index.d.ts for the result shapes. */
    process(input, spec, options) {
      const pixels = isPixels(input) ? input : null;
      const bytes = pixels ? pixelBytes(pixels) : toBytes(input);
      checkSpec(spec);
      // A text mark needs glyphs: the entry supplies the packaged fonts unless the caller did.
      if (defaultFonts && lacksDefaultFonts(options?.fonts) && api.parse(spec, options).fonts.length > 0) {
        options = withFonts(options ?? {}, defaultFonts());
      }
      if (pixels) {
        // Admitted from the size first: pixels over a limit are never copied into the module.
        call((raw) => raw.checkPixels(pixels.width, pixels.height, spec, options));
        return shapeResult(freshIfOverBudget(ready, () => call((raw) => raw.processPixels(bytes, pixels.width, pixels.height, spec, options))));
      }
      return shapeResult(freshIfOverBudget(ready, () => call((raw) => raw.process(bytes, spec, options))));
    },
    /** Header facts without decoding pixels. */
    probe(input) {
      const bytes = toBytes(input);
      return call((raw) => raw.probe(bytes));
    },
    /**
     * Throws the ImageTooLarge OssImageError that `process(input, spec, options)` would give
     * when `input` is over `options.limits` ("oss" by default), judged from the header only.
     */
    checkSource(input, spec, options) {
      const bytes = toBytes(input);
      checkSpec(spec);
      return call((raw) => raw.checkSource(bytes, spec, options));
    },
    /** `[object key, style name]` of a path in the delimiter form (`a.jpg!thumb`), or undefined. */
    splitStyleDelimiter(path, delimiters) {
      return call((raw) => raw.splitStyleDelimiter(String(path), String(delimiters)));
    },
    /** Canonical spec plus the watermark objects and fonts it needs. */
    parse(spec, options) {
      checkSpec(spec);
      return call((raw) => raw.parse(spec, options));
    },
    /** The crate version. */
    version() {
      return call((raw) => raw.version());
    },
  };
  // The name to import in Node, where `process` would shadow the global `process`.
  api.processImage = api.process;
  return api;
}

/**
 * Runs `fn(raw)` on the glue `raw` under the error policy of createApi. Exported for the
 * tests of the trap recovery, which trap the instance through it (`raw.__ossimgTrap()`);
 * this module is not in the package's exports map.
 */
export function callWasm(raw, fn) {
  try {
    return fn(raw);
  } catch (err) {
    if (err instanceof OssImageError) throw err;
    if (err?.name === "OssImageError") throw OssImageError.from(err);
    // Bad options, reported by the core with an "ossimg:" prefix.
    if ((err instanceof TypeError || err instanceof RangeError) && String(err.message).startsWith("ossimg:")) throw err;
    // Asked before the swap: the flag lives in the trapped instance's memory.
    const overBudgetTrap = budgetExceeded(raw);
    replaceInstance(raw);
    if (overBudgetTrap) throw overBudget(err);
    throw new OssImageError(`Internal error: ${err?.message ?? err}`, { code: "InternalError", status: 500, cause: err });
  }
}

/** Processing calls the current instance has run since it was made. */
let processCalls = 0;

/**
 * Runs a processing call; when the engine budget refuses it on an instance that earlier
 * calls have used, runs it once more on a fresh instance. The budget caps how far the wasm
 * memory may grow, and that memory never shrinks: blocks an earlier call left scattered
 * (dlmalloc cannot move them) can refuse what a fresh instance holds, e.g. a 12 MP HEIC
 * after an AVIF encode. On a fresh instance the refusal stands.
 */
function freshIfOverBudget(ready, run) {
  const used = processCalls > 0;
  processCalls += 1;
  try {
    return run();
  } catch (err) {
    if (!used || err?.reason !== ENGINE_BUDGET) throw err;
    replaceInstance(ready());
    processCalls = 1;
    return run();
  }
}

/** Whether the trapped call had an allocation refused by the engine memory budget. */
function budgetExceeded(raw) {
  try {
    return raw.__ossimgBudgetExceeded() === true;
  } catch {
    return false;
  }
}

/**
 * Swaps the trapped instance for a fresh one now. `__ossimgReset` (no arguments, touches no
 * memory) schedules the swap and `version()` (no arguments either) performs it: the glue
 * swaps at the start of an export call, but only after copying that call's arguments into
 * the old instance's memory, so the swap must not happen on a call with arguments.
 */
function replaceInstance(raw) {
  processCalls = 0;
  try {
    raw.__ossimgReset();
    raw.version();
  } catch {
    // Nothing more to do here; the next call reports whatever is still wrong.
  }
}

