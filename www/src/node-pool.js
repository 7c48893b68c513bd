// "ossimg/node": the async API for Node servers. Processing runs on a pool of worker_threads
// (node-worker.js), so the event loop never waits for an image.
//   import { processImage, probe, createProcessor, toResponse } from "ossimg/node";
//   const out = await processImage(req, "image/resize,w_300");   // bytes, Blob, Response, stream
// The synchronous API stays in `import { processImage } from "ossimg"`. Importing this
// module loads no wasm on the main thread: each worker instantiates its own.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { OssImageError, readInput, toBlob, toResponse } from "./core.js";
import { createProcessorOn } from "./pool.js";

/** One worker per core but one (at least 1, at most 4): the main thread keeps a core. */
export const defaultPoolSize = () => Math.max(1, Math.min(4, availableParallelism() - 1));

/**
 * A pool of worker_threads with the API of ossimg/client: `process`, `probe`, `parse`,
 * `fetch`, `terminate`. Idle workers are unreferenced (they never keep the process alive)
 * and end after `idleTimeoutMs`; a worker that dies (out of memory, crash) is replaced.
 * @param {object} [config]
 * @param {number} [config.size] workers (default: cores − 1, 1..4)
 * @param {number} [config.idleTimeoutMs] end a worker idle this long (default 30 s; 0 = never)
 * @param {object} [config.resourceLimits] worker_threads resource limits of each worker
 * @param {string | URL} [config.url] the worker script (default: node-worker.js of this package)
 * @param {number} [config.nice] Linux: the workers' nice value (default 10: below the event
 *   loop's, so that it wins the CPU; 0 = same priority). Ignored on other systems.
 */
export function createProcessor({ size = defaultPoolSize(), idleTimeoutMs = 30_000, resourceLimits, url = new URL("./node-worker.js", import.meta.url), nice = 10 } = {}) {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new RangeError("ossimg: nice must be an integer 0..19");
  return createProcessorOn({
    size,
    idleTimeoutMs,
    spawn(onMessage, onFail) {
      // Not the parent's --input-type / --eval flags: a worker runs a file.
      const execArgv = globalThis.process.execArgv.filter((flag) => !/^--(input-type|eval|print)\b|^-[ep]$/.test(flag));
      const worker = new Worker(url, { execArgv, workerData: { nice }, ...(resourceLimits ? { resourceLimits } : {}) });
      let ended = false;
      worker.on("message", onMessage);
      worker.on("error", (err) => {
        ended = true;
        onFail(err?.message ?? String(err));
      });
      worker.on("exit", (code) => {
        if (!ended) onFail(`exited with code ${code}`);
        ended = true;
      });
      return {
        post: (message, transfer) => worker.postMessage(message, transfer),
        kill: () => {
          ended = true;
          worker.terminate();
        },
        ref: () => worker.ref(),
        unref: () => worker.unref(),
      };
    },
  });
}

let shared;
/** The pool behind the module-level helpers, created on first use (never keeps the process alive). */
export function defaultProcessor() {
  shared ??= createProcessor();
  return shared;
}

/** Runs an OSS spec in the default pool; resolves `{ kind: "image" | "json" | "original", ... }`. */
export const process = (input, spec, options) => defaultProcessor().process(input, spec, options);
/** `process` under the name that does not shadow Node's global `process`. */
export const processImage = process;
/** Header facts, read in the default pool. */
export const probe = (input, options) => defaultProcessor().probe(input, options);
/** The canonical spec and what it needs, from the default pool. */
export const parse = (spec, options) => defaultProcessor().parse(spec, options);

export { OssImageError, readInput, toBlob, toResponse };
