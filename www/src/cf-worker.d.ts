// Types of "ossimg/cf-worker": a Cloudflare Worker module (see cf-worker.js for its config).
import type { ENGINE_BUDGET, OssErrorCode } from "./facts.js";

/** The `Code` of the Worker's OSS XML error bodies. */
export type { OssErrorCode };

/** Why an object was served unchanged (`x-ossimg-fallback`). */
export type Fallback = "source-too-large" | "oss-limit" | typeof ENGINE_BUDGET;
export interface Env {
  /** An R2 bucket binding: the origin (wins over ORIGIN_URL). */
  BUCKET?: unknown;
  /** An HTTP origin: objects are fetched from `<ORIGIN_URL><key>`; redirects are not followed. */
  ORIGIN_URL?: string;
  /** Per origin request, in ms (default 10000). */
  ORIGIN_TIMEOUT_MS?: string | number;
  /** Styles by name (`image/...`), or their JSON; at most 50. */
  STYLES?: Record<string, string> | string;
  /** Enabled style delimiters among `-_/!` (default "!"). */
  STYLE_DELIMITERS?: string;
  /** Origin key prefix of the text-mark fonts (default "_ossimg/fonts/"). */
  FONTS_PREFIX?: string;
  /** Cache-Control of results when the origin sends none (default "public, max-age=86400"). */
  CACHE_CONTROL?: string;
  /** "off" disables the Cache API. */
  CACHE?: string;
}

declare const worker: {
  fetch(request: Request, env: Env, ctx?: { waitUntil(promise: Promise<unknown>): void }): Promise<Response>;
};
export default worker;
