// Types of "ossimg/node": the async API on a pool of worker_threads.
import type { AsyncInput, Options, ParseResult, Pixels, ProbeResult, Result, Spec } from "./index.js";
import type { Processor } from "./client.js";
export { OssImageError, readInput, toBlob, toResponse } from "./index.js";
export type { AsyncInput, Options, ParseResult, Pixels, ProbeResult, Result, Spec, Processor };
export type { ProcessOptions, ProbeOptions, FetchOptions, FetchResult, FallbackResult } from "./client.js";
import type { ProcessOptions, ProbeOptions } from "./client.js";

export interface NodeProcessorConfig {
  /** Number of worker threads (default: cores − 1, at least 1, at most 4). */
  size?: number;
  /** End a worker idle this long, in ms (default 30000; 0 = never). Idle workers never keep the process alive. */
  idleTimeoutMs?: number;
  /** worker_threads resource limits of each worker (a worker over them dies and is replaced). */
  resourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number; codeRangeSizeMb?: number; stackSizeMb?: number };
  /** The worker script (default: node-worker.js of this package). */
  url?: string | URL;
}

/** A pool of worker_threads with the API of ossimg/client. */
export function createProcessor(config?: NodeProcessorConfig): Processor;
/** The pool behind `process` / `probe` / `parse`, created on first use. */
export function defaultProcessor(): Processor;
/** The default pool size: cores − 1, at least 1, at most 4. */
export function defaultPoolSize(): number;
/** Runs an OSS spec in the default pool (does not block the event loop). */
export function process(input: AsyncInput | Pixels, spec: Spec, options?: ProcessOptions): Promise<Result>;
/** `process` under a name that does not shadow Node's global `process`: the one to use. */
export function processImage(input: AsyncInput | Pixels, spec: Spec, options?: ProcessOptions): Promise<Result>;
/** Header facts, read in the default pool. */
export function probe(input: AsyncInput, options?: ProbeOptions): Promise<ProbeResult>;
/** The canonical spec and what it needs, from the default pool. */
export function parse(spec: Spec, options?: Options & { signal?: AbortSignal }): Promise<ParseResult>;
