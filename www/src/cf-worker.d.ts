// Types of "ossimg/cf-worker": a Cloudflare Worker module (see cf-worker.js for its config).
import type { ENGINE_BUDGET, OssErrorCode } from "./facts.js";

/** The `Code` of the Worker's OSS XML error bodies. */
export type { OssErrorCode };

/** Why an object was served unchanged (`x-ossimg-fallback`); "error" with ON_ERROR=original. */
export type Fallback = "source-too-large" | "oss-limit" | typeof ENGINE_BUDGET | "error";
/**
 * What the Worker uses of an R2 object (a structural subset of `R2Object` / `R2ObjectBody`
 * from @cloudflare/workers-types, so a real binding fits without that package).
 */
export interface R2ObjectLike {
  size: number;
  etag: string;
  httpEtag: string;
  uploaded: Date;
  writeHttpMetadata(headers: Headers): void;
}
export interface R2ObjectBodyLike extends R2ObjectLike {
  body: ReadableStream;
}
/** The methods of an R2 bucket binding the Worker calls (`R2Bucket` fits). */
export interface R2BucketLike {
  get(key: string, options?: { range?: { offset: number; length: number } | { suffix: number }; onlyIf?: { etagMatches?: string } | Headers }): Promise<R2ObjectBodyLike | R2ObjectLike | null>;
  head(key: string): Promise<R2ObjectLike | null>;
}

export interface Env {
  /** An R2 bucket binding: the origin (wins over ORIGIN_URL). */
  BUCKET?: R2BucketLike;
  /** An HTTP origin: objects are fetched from `<ORIGIN_URL><key>`; redirects are not followed. */
  ORIGIN_URL?: string;
  /** Per origin request, in ms (default 10000). */
  ORIGIN_TIMEOUT_MS?: string | number;
  /** Styles by name (`image/...`), or their JSON; at most 50. */
  STYLES?: Record<string, string> | string;
  /** Enabled style delimiters among `-_/!` (default "!"). */
  STYLE_DELIMITERS?: string;
  /** Origin key prefix of text-mark fonts that override the bundled ones (default: none with createHandler({ fonts }), else "_ossimg/fonts/"). */
  FONTS_PREFIX?: string;
  /** "original": serve the original (x-ossimg-fallback: error) when an image fails to process. */
  ON_ERROR?: string;
  /** "webp" (beyond OSS): a spec without a format answers WebP to clients that accept it. */
  AUTO_FORMAT?: string;
  /** "true": every request must be signed (OSS private ACL). */
  PRIVATE?: string | boolean;
  /** The bucket name clients sign with (not the R2 name). */
  OSS_BUCKET?: string;
  /** The region V4 signatures are scoped to, e.g. "cn-hangzhou". */
  OSS_REGION?: string;
  /** Secret: { AccessKeyId: secret } (JSON); several pairs for rotation. */
  OSS_ACCESS_KEYS?: string | Record<string, string>;
  /** Secret: one key pair (with OSS_ACCESS_KEY_SECRET). */
  OSS_ACCESS_KEY_ID?: string;
  OSS_ACCESS_KEY_SECRET?: string;
  /** How early a V4 URL may be used (seconds, default 900). */
  CLOCK_SKEW_SECONDS?: string | number;
  /** Protected suffixes ("jpg png", "*"): anonymous requests get them only through a style. */
  SOURCE_PROTECTION?: string;
  /** Referer allow / block lists (OSS wildcards `*` `?`), separated by commas or spaces. */
  REFERER_ALLOW?: string;
  REFERER_BLOCK?: string;
  /** "false": a request without Referer is refused when REFERER_ALLOW is set (default true). */
  REFERER_ALLOW_EMPTY?: string;
  REFERER_TRUNCATE_QUERY?: string;
  REFERER_TRUNCATE_PATH?: string;
  /** Allowed Origins ("*", "https://app.example.com", "https://*.example.org"). */
  CORS_ALLOW_ORIGINS?: string;
  CORS_ALLOW_HEADERS?: string;
  CORS_EXPOSE_HEADERS?: string;
  CORS_MAX_AGE?: string | number;
  /** Cache-Control of results when the origin sends none (default "public, max-age=86400"). */
  CACHE_CONTROL?: string;
  /** "off" disables the Cache API. */
  CACHE?: string;
}

export interface Handler {
  fetch(request: Request, env?: Env, ctx?: { waitUntil(promise: Promise<unknown>): void }): Promise<Response>;
}

export interface AccessOptions {
  private?: boolean;
  bucket?: string;
  region?: string;
  keys?: Record<string, string>;
  clockSkewSeconds?: number;
  sourceProtection?: string[];
  referer?: { allowEmpty?: boolean; allow?: string[]; block?: string[]; truncateQueryString?: boolean; truncatePath?: boolean };
  cors?: { allowOrigins: string[]; allowHeaders?: string[]; exposeHeaders?: string[]; maxAge?: number };
}

export interface HandlerOptions {
  /** The path the handler is mounted under ("/img/"); other paths answer 404. */
  prefix?: string;
  /** An R2 bucket binding or an HTTP base URL (wins over BUCKET / ORIGIN_URL). */
  origin?: R2BucketLike | string | URL;
  styles?: Record<string, string>;
  styleDelimiters?: string;
  /** Wins over the PRIVATE, OSS_*, REFERER_*, CORS_* settings of env. */
  access?: AccessOptions;
  onError?: "original" | "error";
  autoFormat?: "webp";
  cacheControl?: string;
  cache?: boolean;
  fontsPrefix?: string;
  originTimeoutMs?: number;
  /** The text-mark fonts by key (ArrayBuffer or bytes), loaded on the first text mark. */
  fonts?: () => Promise<Record<string, ArrayBuffer | Uint8Array>>;
  /** The clock in ms (tests). */
  now?: () => number;
}

/** A Worker handler; bad options throw here. */
export function createHandler(options?: HandlerOptions): Handler;

declare const worker: Handler;
export default worker;
