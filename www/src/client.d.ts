// Types of "ossimg/client": a pool of module Web Workers running "ossimg/worker".
import type { Input, Options, Result, Spec } from "./index.js";
export { OssImageError } from "./index.js";

export interface ProcessorConfig {
  /** The worker script (default: worker.js of this package). */
  url?: string | URL;
  /** Number of workers (default 1). */
  size?: number;
  /** Terminate a worker idle this long, in ms (default 10000; 0 = never). */
  idleTimeoutMs?: number;
}

export interface ProcessOptions extends Options {
  /** Aborting rejects with `signal.reason`; a running job's worker is terminated. */
  signal?: AbortSignal;
  /** Move the input's buffer to the worker (default true: the caller's buffer is detached). */
  transfer?: boolean;
}

export interface FetchOptions extends Options {
  /** Aborts the download and the processing. */
  signal?: AbortSignal;
}

/** The object unchanged: over 20 MB ("source-too-large") or over an OSS limit ("oss-limit"). */
export interface FallbackResult {
  original: true;
  fallback: "source-too-large" | "oss-limit" | (string & {});
  /** The origin's Content-Type. */
  mime: string;
  /** The object's bytes (streamed when over 20 MB: never buffered by the processor). */
  response: Response;
}

export type FetchResult = (Result & { fallback: null }) | FallbackResult;

export interface Processor {
  process(input: Input, spec: Spec, options?: ProcessOptions): Promise<Result>;
  /** Fetches `url` and processes it, or hands the object back unchanged when it is over a limit. */
  fetch(url: string | URL, spec: Spec, options?: FetchOptions): Promise<FetchResult>;
  /** Ends every worker; pending calls reject. */
  terminate(): void;
}

export function createProcessor(config?: ProcessorConfig): Processor;
