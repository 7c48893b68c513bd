// Main-thread side: a small pool of module Web Workers (worker.js) so that pages never
// block on image work (the pool itself is pool.js, shared with ossimg/node).
//   import { createProcessor } from "ossimg/client";
//   const p = createProcessor({ size: 2 });
//   const out = await p.process(file, "image/resize,w_300", { signal });   // bytes, Blob/File, Response
//   const facts = await p.probe(file);   const { canonical } = await p.parse(spec);
//   const got = await p.fetch("/photos/a.jpg", "image/resize,w_300");   // got.fallback: null or why not
import { OssImageError, readInput, toBlob, toResponse } from "./core.js";
import { createProcessorOn } from "./pool.js";

/**
 * @param {object} [config]
 * @param {string | URL} [config.url] worker script (default: worker.js next to this file)
 * @param {number} [config.size] number of workers (default 1)
 * @param {number} [config.idleTimeoutMs] terminate a worker idle this long (default 10 s; 0 = never)
 * @param {boolean} [config.lean] run the lean module (lean-worker.js: no HEIC or AVIF, smaller)
 */
export function createProcessor({ url, size = 1, idleTimeoutMs = 10_000, lean = false } = {}) {
  return createProcessorOn({
    size,
    idleTimeoutMs,
    spawn(onMessage, onFail) {
      // The literal `new Worker(new URL(...), ...)` form lets bundlers (Vite, webpack) bundle the worker.
      const worker = url
        ? new Worker(url, { type: "module" })
        : lean
          ? new Worker(new URL("./lean-worker.js", import.meta.url), { type: "module" })
          : new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
      worker.onmessage = ({ data }) => onMessage(data);
      // The script failed to load or threw outside onmessage: the worker is unusable.
      worker.onerror = (event) => {
        event.preventDefault?.();
        onFail(event.message);
      };
      return { post: (message, transfer) => worker.postMessage(message, transfer), kill: () => worker.terminate() };
    },
  });
}

export { OssImageError, readInput, toBlob, toResponse };
