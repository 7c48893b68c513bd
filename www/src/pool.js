// The worker pool behind both async processors: ossimg/client (module Web Workers running
// worker.js) and ossimg/node (worker_threads running node-worker.js). The host hands in
// `spawn(onMessage, onFail)`, which starts one worker and returns
// `{ post(message, transfer), kill(), ref(), unref() }`; everything else (queue, abort, idle
// exit, a dead worker replaced, the request/answer protocol) is here.
//
// Protocol (worker.js and node-worker.js answer it):
//   in   { id, kind: "process", bytes, spec, options }
//        { id, kind: "process", pixels: { data, width, height }, spec, options }   (raw RGBA)
//        { id, kind: "probe", bytes }
//        { id, kind: "parse", spec, options }
//        { id, kind: "version" }
//        { id, kind: "check", bytes, spec, options, limits }   → { reason: string | null }
//   out  { id, ok: true, result } | { id, ok: false, error: { name, code, status, ec, message } }
import { hostError, isPixels, OssImageError, pixelBytes, readInput, readsFresh } from "./core.js";
import { limitReason as limitReasonOf, readSource, SourceError } from "./source.js";

function createPool({ size, idleTimeoutMs, spawn }) {
  if (!Number.isInteger(size) || size < 1) throw new RangeError("ossimg: size must be a positive integer");
  if (typeof idleTimeoutMs !== "number" || !(idleTimeoutMs >= 0)) throw new RangeError("ossimg: idleTimeoutMs must be a number >= 0");
  const slots = Array.from({ length: size }, () => ({ worker: null, job: null, idleTimer: undefined }));
  const queue = [];
  let nextId = 1;
  let closed = false;

  function start(slot) {
    const worker = spawn(
      (data) => {
        const job = slot.job;
        if (!job || data?.id !== job.id) return;
        finish(slot, job);
        if (data.ok) job.resolve(data.result);
        else job.reject(data.error?.name === "OssImageError" ? OssImageError.from(data.error) : toError(data.error));
      },
      // The worker died (failed to load, crashed, ran out of memory): unusable, replaced on demand.
      (message) => {
        if (slot.worker !== worker) return;
        const job = slot.job;
        kill(slot);
        if (job) {
          finish(slot, job);
          job.reject(new Error(`ossimg: worker failed: ${message || "could not load the worker script"}`));
        }
      },
    );
    slot.worker = worker;
    return worker;
  }

  function kill(slot) {
    clearTimeout(slot.idleTimer);
    const worker = slot.worker;
    slot.worker = null;
    worker?.kill();
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
      const worker = slot.worker ?? start(slot);
      worker.ref?.();
      try {
        worker.post({ id: job.id, ...job.message }, job.transfer);
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
      if (!slot.job && slot.worker) {
        // An idle worker never keeps a Node process alive.
        slot.worker.unref?.();
        if (idleTimeoutMs > 0) {
          clearTimeout(slot.idleTimer);
          slot.idleTimer = setTimeout(() => {
            if (!slot.job) kill(slot);
          }, idleTimeoutMs);
          slot.idleTimer?.unref?.();
        }
      }
    }
  }

  /** Queues `message` for a worker; settles with its answer. `transfer` buffers are moved. */
  function run(message, transfer, signal) {
    return new Promise((resolve, reject) => {
      if (closed) throw new Error("ossimg: processor terminated");
      signal?.throwIfAborted();
      const job = { id: nextId++, message, transfer, signal, resolve, reject, slot: null };
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

  function terminate() {
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
  }

  return { run, terminate };
}

/**
 * The bytes to post and what to transfer. By default the input is copied (one copy of just
 * the view's bytes), so the caller's buffer stays usable; with `transfer: true` a view that
 * covers its whole ArrayBuffer is moved (the caller's buffer becomes detached, length 0)
 * and anything else is still copied, so no bytes outside the view are detached.
 */
function outgoing(bytes, transfer) {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  // Uint8Array.prototype.slice: a Node Buffer's own slice() is a view, not a copy.
  const own = transfer && whole && bytes.buffer instanceof ArrayBuffer ? bytes : Uint8Array.prototype.slice.call(bytes);
  return [own, [own.buffer]];
}

/**
 * The input as bytes to post: what readInput read from a Blob, Request or Response is ours
 * to move; a stream's chunk may still be the caller's, so it is copied like bytes.
 */
async function incoming(input, transfer) {
  return outgoing(await readInput(input), transfer || readsFresh(input));
}

/** The processor over a pool: the API of ossimg/client and ossimg/node. */
export function createProcessorOn(poolConfig) {
  const pool = createPool(poolConfig);
  const checkSpec = (spec) => {
    if (typeof spec !== "string") throw new TypeError("ossimg: spec must be a string");
  };

  const processor = {
    /**
     * Processes `input` in a worker (bytes, Blob / File, Response or stream). `transfer`
     * (default false) moves the input's buffer instead of copying it. Other fields of the
     * third argument are the processing options (styles, objects, fonts, limits...).
     */
    async process(input, spec, { signal, transfer = false, ...options } = {}) {
      checkSpec(spec);
      if (isPixels(input)) {
        // Raw RGBA (ImageData): posted as { data, width, height }, copied unless transfer.
        const [data, moved] = outgoing(pixelBytes(input), transfer);
        return pool.run({ kind: "process", pixels: { data, width: input.width, height: input.height }, spec, options }, moved, signal);
      }
      const [bytes, moved] = await incoming(input, transfer);
      return pool.run({ kind: "process", bytes, spec, options }, moved, signal);
    },

    /** Header facts of `input` (see probe), read in a worker. */
    async probe(input, { signal, transfer = false } = {}) {
      const [bytes, moved] = await incoming(input, transfer);
      return pool.run({ kind: "probe", bytes }, moved, signal);
    },

    /** The canonical spec and what it needs (see parse), from a worker. */
    async parse(spec, { signal, ...options } = {}) {
      checkSpec(spec);
      return pool.run({ kind: "parse", spec, options }, [], signal);
    },

    /** The crate version, from a worker. */
    async version() {
      return pool.run({ kind: "version" }, [], undefined);
    },

    /**
     * Fetches `url` and processes it. A source over 20 MB, or whose header is over an OSS
     * limit, is not processed: the result is `{ kind: "original", original: true, fallback:
     * reason, mime, response }` with the object unchanged (a source over 20 MB is never
     * buffered). Otherwise the result of `process` with `fallback: null`. A missing object
     * rejects with OssImageError NoSuchFile (404), another failed fetch with InternalError.
     */
    async fetch(url, spec, { signal, ...options } = {}) {
      checkSpec(spec);
      const response = await fetch(url, { signal });
      if (!response.ok) {
        response.body?.cancel().catch(() => {});
        throw response.status === 404 ? hostError("NoSuchFile") : new OssImageError(`The source answered ${response.status}.`, { code: "InternalError", status: 500 });
      }
      let read;
      try {
        read = await readSource(response, async (bytes) => {
          const [copy, moved] = outgoing(bytes, false);
          return (await pool.run({ kind: "check", bytes: copy, spec, options, limits: ["oss"] }, moved, signal)).reason;
        });
      } catch (err) {
        // An abort while the body streams surfaces as a read failure: report the abort.
        signal?.throwIfAborted();
        if (!(err instanceof SourceError)) throw err;
        throw new OssImageError(`The source object cannot be read: ${err.message}.`, { code: "InternalError", status: 500, cause: err });
      }
      if (read.fallback) {
        const mime = response.headers.get("content-type") ?? "application/octet-stream";
        const headers = { "content-type": mime, "x-ossimg-fallback": read.fallback };
        return { kind: "original", original: true, fallback: read.fallback, mime, response: new Response(read.bytes ?? read.body, { headers }) };
      }
      return { ...(await processor.process(read.bytes, spec, { signal, transfer: true, ...options })), fallback: null };
    },

    /** Ends every worker; queued and running calls reject. The processor cannot be reused. */
    terminate() {
      pool.terminate();
    },
  };
  return processor;
}

function toError(data) {
  const err = new Error(String(data?.message ?? "ossimg: worker error"));
  if (typeof data?.name === "string") err.name = data.name;
  return err;
}

/**
 * Answers one protocol message with the synchronous `api` (an entry's exports); `post` sends
 * the reply (the result's bytes transferred). `prepare(kind, spec, options)` may await what
 * the call needs first (the browser worker's module and fonts); what it throws is the answer.
 */
export async function answer(api, data, post, prepare) {
  const { id, kind = "process", bytes, pixels, spec, options, limits } = data ?? {};
  try {
    await prepare?.(kind, spec, options);
    let result;
    if (kind === "check") result = { reason: limitReasonOf(api, bytes, spec, options, limits ?? ["oss"]) };
    else if (kind === "probe") result = api.probe(bytes);
    else if (kind === "parse") result = api.parse(spec, options);
    else if (kind === "version") result = api.version();
    else if (kind === "process") result = api.process(pixels ?? bytes, spec, options);
    else throw new TypeError(`ossimg: unknown message kind ${JSON.stringify(kind)}`);
    post({ id, ok: true, result }, result?.bytes ? [result.bytes.buffer] : []);
  } catch (err) {
    post({ id, ok: false, error: err instanceof OssImageError ? err.toJSON() : { name: err?.name ?? "Error", message: String(err?.message ?? err) } });
  }
}

/**
 * A module Web Worker's side of the protocol (worker.js, lean-worker.js) over a browser
 * entry: `init` starts loading its module at once; text marks fetch the packaged fonts first.
 */
export function serveWebWorker(scope, init, api) {
  const ready = init();
  scope.onmessage = async (event) => {
    await answer(
      api,
      event.data,
      (message, transfer) => scope.postMessage(message, transfer),
      async (kind, spec, options) => {
        await ready;
        if (kind === "process" && api.parse(spec, options).fonts.length > 0) await api.loadFonts();
      },
    );
  };
}
