// Types of the "ossimg" package. One declaration file serves every entry point
// (browser / default, node, workerd): they export the same names.
import type { ENGINE_BUDGET, OssErrorCode } from "./facts.js";

/** The OSS error codes (`Code` element of an OSS error), generated from the Rust crate. */
export type { OssErrorCode };

/** An `x-oss-process` value: `image/...`, `style/<name>`, or `""` for the original. */
export type Spec = `image/${string}` | `style/${string}` | `x-oss-process=${string}` | "" | (string & {});

/** Bytes accepted as input: a Uint8Array (Node Buffer included), an ArrayBuffer or any view. */
export type Input = Uint8Array | ArrayBuffer | ArrayBufferView;

/**
 * Raw RGBA pixels, processed without decoding (a canvas's ImageData fits): admitted like a
 * still PNG of that size; the output is PNG unless the spec says otherwise, an empty spec
 * encodes them as PNG, `info` is refused.
 */
export interface Pixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * What the async APIs (ossimg/node, ossimg/client, `readInput`) also read: a Blob or File,
 * a Request (its body), a Response (2xx), a web ReadableStream or a Node Readable (any
 * async iterable of chunks).
 */
export type AsyncInput = Input | Blob | Request | Response | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

export interface Options {
  /** Style registry for `style/<name>`: name → `image/...` content. */
  styles?: Record<string, string> | Map<string, string>;
  /** Watermark images by object key (see `parse(spec).objects`). */
  objects?: Record<string, Input> | Map<string, Input>;
  /** Font files by OSS font name (see `parse(spec).fonts`). */
  fonts?: Record<string, Input> | Map<string, Input>;
  /**
   * `"oss"` (default): the documented OSS limits; `"workers"`: fits a 128 MB isolate (the
   * wasm heap is capped; a call over it throws ImageTooLarge with `reason: "engine-budget"`).
   */
  limits?: "oss" | "workers";
  /** Reject unknown parameter keys (default true). */
  strict?: boolean;
  /** JPEG quality when the spec has no `quality` (1..100, default 90). */
  defaultJpegQuality?: number;
  /** WebP quality when the spec has no `quality` (1..100, default 85). */
  defaultWebpQuality?: number;
  /** AVIF quality when the spec has no `quality` (1..100, default 55; builds with AVIF). */
  defaultAvifQuality?: number;
  /** Apply the EXIF orientation when the spec has no `auto-orient` (default true). */
  autoOrient?: boolean;
  /** `rotate` makes animations static, as the vendor's rotate page says (default false). */
  compatStaticGifRotate?: boolean;
  /** Check rotate's 4,096 px limit on the image at that step, not the source (default false). */
  lenientRotateLimit?: boolean;
}

export type ImageMime = "image/jpeg" | "image/png" | "image/gif" | "image/webp" | "image/bmp" | "image/tiff";
export type FormatName = "jpg" | "png" | "gif" | "webp" | "bmp" | "tiff";

export interface ImageResult {
  kind: "image";
  bytes: Uint8Array;
  mime: ImageMime;
  format: FormatName;
  width: number;
  height: number;
  /** 1 for a still image. */
  frames: number;
}

/** The answer of `info` / `average-hue`: `json` parsed, `text` as OSS sends it. */
export interface JsonResult {
  kind: "json";
  /** `info`: `{ ImageWidth: { value: "128" }, ... }`; `average-hue`: `{ RGB: "0x5c783b" }`. */
  json: Record<string, any>;
  /** The raw JSON text (the body to serve). */
  text: string;
  mime: "application/json";
}

/** An empty spec: the input, served unchanged. */
export interface OriginalResult {
  kind: "original";
  bytes: Uint8Array;
  mime: ImageMime | "application/octet-stream";
  original: true;
}

export type Result = ImageResult | JsonResult | OriginalResult;

export interface ProbeResult {
  format: FormatName;
  mime: ImageMime;
  /** Stored width (before EXIF orientation); the canvas for animations. */
  width: number;
  height: number;
  frames: number;
  /** EXIF orientation 1..8 (1 when absent). */
  orientation: number;
  hasAlpha: boolean;
}

export interface ParseResult {
  /** The canonical spec: equal for specs that mean the same (a cache key). */
  canonical: string;
  /** Watermark object keys the spec needs (pass them as `options.objects`). */
  objects: string[];
  /** Font names the spec needs (pass them as `options.fonts`). */
  fonts: string[];
}

export class OssImageError extends Error {
  constructor(message: string, init?: { code?: OssErrorCode; status?: number; ec?: string | null; reason?: string; cause?: unknown });
  name: "OssImageError";
  code: OssErrorCode;
  /** HTTP status OSS answers with (400, 404, 500). */
  status: number;
  /** OSS diagnostic number, e.g. "0040-00000312", or null. */
  ec: string | null;
  /** `"engine-budget"`: the call (`limits: "workers"`) went over the engine memory budget (ImageTooLarge, 400). */
  reason?: typeof ENGINE_BUDGET | (string & {});
  toJSON(): { name: "OssImageError"; code: OssErrorCode; status: number; ec: string | null; reason?: string; message: string };
  static from(data: unknown): OssImageError;
}

/** What `init` accepts: where the .wasm is, its bytes, or a compiled module. */
export type InitInput = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Instantiates the module (browsers: fetches `ossimg_bg.wasm` next to the script by
 * default). Memoised; a no-op in Node and Cloudflare Workers, which are ready on import.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>;
export { init };
/**
 * Synchronous instantiation from a compiled module or the .wasm bytes: required in the
 * browser entry (a TypeError without it); a no-op in Node, workerd and the edge runtime.
 */
export function initSync(module: WebAssembly.Module | BufferSource | { module: WebAssembly.Module | BufferSource }): void;

/**
 * Runs an OSS spec, synchronously. Throws OssImageError (TypeError / RangeError for bad
 * arguments). In Node prefer `processImage` (the same function: `process` shadows Node's
 * global) or the async `ossimg/node`, which does not block the event loop.
 */
export function process(input: Input | Pixels, spec: Spec, options?: Options): Result;
/** `process` under a name that does not shadow Node's global `process`. */
export function processImage(input: Input | Pixels, spec: Spec, options?: Options): Result;
/** Reads any AsyncInput into bytes (a view, no copy, when it already is bytes). */
export function readInput(input: AsyncInput): Promise<Uint8Array>;
/** A Blob of a result: the image (its mime) or the JSON text. */
export function toBlob(out: Result): Blob;
/** A Response of a result: Content-Type its mime, Content-Length its size; `init` adds status and headers. */
export function toResponse(out: Result, init?: ResponseInit): Response;
/** Header facts without decoding pixels. Throws OssImageError for unknown or broken input. */
export function probe(input: Input): ProbeResult;
/**
 * Throws the ImageTooLarge OssImageError that `process(input, spec, options)` would give
 * when `input` is over `options.limits` ("oss" by default): bytes, sides, pixels, decode
 * budget, from the header. `spec` is the one about to run (`""`: none).
 */
export function checkSource(input: Input, spec: Spec, options?: Options): void;
/** `[object key, style name]` of a path in the delimiter form (`a.jpg!thumb`), or undefined. */
export function splitStyleDelimiter(path: string, delimiters: string): [string, string] | undefined;
/**
 * Loads the packaged fonts for text watermarks (`fonts/*.ttf` beside the module, or under
 * `base`). Needed once in browsers before a text mark without `options.fonts`; a no-op in
 * Node (read on demand) and in workerd (pass `options.fonts`).
 */
export function loadFonts(base?: string | URL): Promise<void>;
/** Validates a spec without pixels. Throws OssImageError. */
export function parse(spec: Spec, options?: Options): ParseResult;
/** The crate version. */
export function version(): string;
