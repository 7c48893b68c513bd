// Main-thread side: a small pool of module Web Workers (worker.js) so that pages never
// block on image work.
//   import { createProcessor } from "ossimg/client";
//   const p = createProcessor({ size: 2 });
//   const out = await p.process(bytes, "image/resize,w_300", { signal });
//   const got = await p.fetch("/photos/a.jpg", "image/resize,w_300");   // got.fallback: null or why not
import { hostError, OssImageError, toBytes } from "./core.js";
import { readSource, SourceError } from "./source.js";

/**
 * @param {object} [config]
 * @param {string | URL} [config.url] worker script (default: worker.js next to this file)
 * @param {number} [config.size] number of workers (default 1)
 * @param {number} [config.idleTimeoutMs] terminate a worker idle this long (default 10 s; 0 = never)
 */
export function createProcessor({ url, size = 1, idleTimeoutMs = 10_000 } = {}) {
  if (!Number.isInteger(size) || size < 1) throw new RangeError("ossimg: size must be a positive integer");
  const slots = Array.from({ length: size }, () => ({ worker: null, job: null, idleTimer: 0 }));
  const queue = [];
  let nextId = 1;
  let closed = false;

  function spawn(slot) {
    // The literal `new Worker(new URL(...), ...)` form lets bundlers (Vite, webpack) bundle the worker.
    const worker = url ? new Worker(url, { type: "module" }) : new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => {
      const job = slot.job;
      if (!job || data?.id !== job.id) return;
      finish(slot, job);
      if (data.ok) job.resolve(data.result);
      else job.reject(data.error?.name === "OssImageError" ? OssImageError.from(data.error) : toError(data.error));
    };
    // The script failed to load or threw outside onmessage: the worker is unusable.
    worker.onerror = (event) => {
      event.preventDefault?.();
      const job = slot.job;
      kill(slot);
      if (job) {
        finish(slot, job);
        job.reject(new Error(`ossimg: worker failed: ${event.message || "could not load the worker script"}`));
      }
    };
    slot.worker = worker;
    return worker;
  }

  function kill(slot) {
    clearTimeout(slot.idleTimer);
    slot.worker?.terminate();
    slot.worker = null;
  }

  function finish(slot, job) {
    job.signal?.removeEventListener("abort", job.onAbort);
    if (slot.job === job) slot.job = null;
    queueMicrotask(pump);
  }

  function pump() {
    if (closed) return;
    for (const slot of slots) {
      if (queue.length === 0) break;
      if (slot.job) continue;
      const job = queue.shift();
      slot.job = job;
      job.slot = slot;
      clearTimeout(slot.idleTimer);
      const worker = slot.worker ?? spawn(slot);
      try {
        worker.postMessage({ id: job.id, ...job.message }, job.transfer);
      } catch (err) {
        // DataCloneError: options that cannot be cloned (functions...).
        slot.job = null;
        job.signal?.removeEventListener("abort", job.onAbort);
        job.reject(err);
        queueMicrotask(pump);
        continue;
      }
      job.message = null;
    }
    for (const slot of slots) {
      if (!slot.job && slot.worker && idleTimeoutMs > 0) {
        clearTimeout(slot.idleTimer);
        slot.idleTimer = setTimeout(() => {
          if (!slot.job) kill(slot);
        }, idleTimeoutMs);
      }
    }
  }

  /** Queues `message` for a worker; settles with its answer. `bytes` are transferred. */
  function run(message, bytes, signal) {
    return new Promise((resolve, reject) => {
      if (closed) throw new Error("ossimg: processor terminated");
      signal?.throwIfAborted();
      const job = { id: nextId++, message: { ...message, bytes }, transfer: bytes ? [bytes.buffer] : [], signal, resolve, reject, slot: null };
      job.onAbort = () => {
        const reason = signal.reason;
        if (job.slot) {
          // Running: the only way to stop wasm is to end its worker; a new one starts on demand.
          const slot = job.slot;
          kill(slot);
          finish(slot, job);
        } else {
          const i = queue.indexOf(job);
          if (i >= 0) queue.splice(i, 1);
        }
        reject(reason);
      };
      signal?.addEventListener("abort", job.onAbort, { once: true });
      queue.push(job);
      pump();
    });
  }

  const processor = {
    /**
     * Processes `input` in a worker. With `transfer` (default true) the input's buffer is
     * moved to the worker and becomes detached for the caller; `transfer: false` copies.
     * Other fields of the third argument are the processing options (styles, objects...).
     */
    async process(input, spec, { signal, transfer = true, ...options } = {}) {
      if (typeof spec !== "string") throw new TypeError("ossimg: spec must be a string");
      let bytes = toBytes(input);
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      // Only a view that covers its whole buffer is transferred; anything else is copied,
      // so that no bytes outside the view are detached.
      if (!transfer || !whole || !(bytes.buffer instanceof ArrayBuffer)) bytes = bytes.slice();
      return run({ kind: "process", spec, options }, bytes, signal);
    },

    /**
     * Fetches `url` and processes it. A source over 20 MB, or whose header is over an OSS
     * limit, is not processed: the result is `{ original: true, fallback: reason, mime,
     * response }` with the object unchanged (a source over 20 MB is never buffered).
     * Otherwise the result of `process` with `fallback: null`. A missing object rejects
     * with OssImageError NoSuchFile (404), another failed fetch with InternalError.
     */
    async fetch(url, spec, { signal, ...options } = {}) {
      if (typeof spec !== "string") throw new TypeError("ossimg: spec must be a string");
      const response = await fetch(url, { signal });
      if (!response.ok) {
        response.body?.cancel().catch(() => {});
        throw response.status === 404 ? hostError("NoSuchFile") : new OssImageError(`The source answered ${response.status}.`, { code: "InternalError", status: 500 });
      }
      let read;
      try {
        read = await readSource(response, async (bytes) => (await run({ kind: "check", spec, options, limits: ["oss"] }, bytes.slice(), signal)).reason);
      } catch (err) {
        // An abort while the body streams surfaces as a read failure: report the abort.
        signal?.throwIfAborted();
        if (!(err instanceof SourceError)) throw err;
        throw new OssImageError(`The source object cannot be read: ${err.message}.`, { code: "InternalError", status: 500, cause: err });
      }
      if (read.fallback) {
        const mime = response.headers.get("content-type") ?? "application/octet-stream";
        const headers = { "content-type": mime, "x-ossimg-fallback": read.fallback };
        return { original: true, fallback: read.fallback, mime, response: new Response(read.bytes ?? read.body, { headers }) };
      }
      return { ...(await processor.process(read.bytes, spec, { signal, ...options })), fallback: null };
    },

    /** Ends every worker; queued and running calls reject. The processor cannot be reused. */
    terminate() {
      closed = true;
      const error = new Error("ossimg: processor terminated");
      for (const job of queue.splice(0)) {
        job.signal?.removeEventListener("abort", job.onAbort);
        job.reject(error);
      }
      for (const slot of slots) {
        const job = slot.job;
        kill(slot);
        if (job) {
          job.signal?.removeEventListener("abort", job.onAbort);
          slot.job = null;
          job.reject(error);
        }
      }
    },
  };
  return processor;
}

function toError(data) {
  const err = new Error(String(data?.message ?? "ossimg: worker error"));
  if (typeof data?.name === "string") err.name = data.name;
  return err;
}

export { OssImageError };
