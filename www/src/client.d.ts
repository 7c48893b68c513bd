// Types of "ossimg/client": a pool of module Web Workers running "ossimg/worker".
import type { AsyncInput, Options, ParseResult, Pixels, ProbeResult, Result, Spec } from "./index.js";
export { OssImageError, readInput, toBlob, toResponse } from "./index.js";

export interface ProcessorConfig {
  /** The worker script (default: worker.js of this package). */
  url?: string | URL;
  /** Number of workers (default 1). */
  size?: number;
  /** Terminate a worker idle this long, in ms (default 10000; 0 = never). */
  idleTimeoutMs?: number;
  /** Run the lean module (lean-worker.js): no HEIC or AVIF, a smaller download (default false). */
  lean?: boolean;
}

export interface ProcessOptions extends Options {
  /** Aborting rejects with `signal.reason`; a running job's worker is terminated. */
  signal?: AbortSignal;
  /**
   * Move the input's buffer to the worker instead of copying it (default false). With true
   * the caller's ArrayBuffer is detached (length 0) after the call, when the input covers
   * its whole buffer; any other input is copied anyway.
   */
  transfer?: boolean;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  /** As for process (default false: copied). */
  transfer?: boolean;
}

export interface FetchOptions extends Options {
  /** Aborts the download and the processing. */
  signal?: AbortSignal;
}

/** The object unchanged: over 20 MB ("source-too-large") or over an OSS limit ("oss-limit"). */
export interface FallbackResult {
  kind: "original";
  original: true;
  fallback: "source-too-large" | "oss-limit" | (string & {});
  /** The origin's Content-Type. */
  mime: string;
  /** The object's bytes (streamed when over 20 MB: never buffered by the processor). */
  response: Response;
}

export type FetchResult = (Result & { fallback: null }) | FallbackResult;

export interface Processor {
  /** Processes bytes, a Blob / File, a Response or a stream in a worker. */
  process(input: AsyncInput | Pixels, spec: Spec, options?: ProcessOptions): Promise<Result>;
  /** Header facts, read in a worker. */
  probe(input: AsyncInput, options?: ProbeOptions): Promise<ProbeResult>;
  /** The canonical spec and what it needs, from a worker (no module on the calling thread). */
  parse(spec: Spec, options?: Options & { signal?: AbortSignal }): Promise<ParseResult>;
  /** The crate version, from a worker. */
  version(): Promise<string>;
  /** Fetches `url` and processes it, or hands the object back unchanged when it is over a limit. */
  fetch(url: string | URL, spec: Spec, options?: FetchOptions): Promise<FetchResult>;
  /** Ends every worker; pending calls reject. */
  terminate(): void;
}

export function createProcessor(config?: ProcessorConfig): Processor;
