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

export interface Processor {
  process(input: Input, spec: Spec, options?: ProcessOptions): Promise<Result>;
  /** Ends every worker; pending calls reject. */
  terminate(): void;
}

export function createProcessor(config?: ProcessorConfig): Processor;
