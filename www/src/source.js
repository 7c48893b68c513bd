// Reading a source object for processing, shared by the Cloudflare Worker (cf-worker.js)
// and the Web Worker's fetch (worker.js). A source is only buffered when it will be
// processed: one over 20 MB, or whose header is already over a limit, is handed back as a
// stream (the bytes read so far, then the rest) to be served unchanged.

import { concatBytes } from "./core.js";
import { ENGINE_BUDGET, MAX_SOURCE_BYTES } from "./facts.js";

/** Bytes read before the header is judged; enough for the headers of every format. */
const PROBE_BYTES = 256 * 1024;

/** The origin failed or its body cannot be trusted; `reason` is a short token. */
export class SourceError extends Error {
  constructor(reason, message, options) {
    super(message, options);
    this.name = "SourceError";
    this.reason = reason;
  }
}

/** The declared Content-Length, or null when absent or not a plain decimal. */
export function contentLength(headers) {
  const value = headers.get("content-length");
  return value !== null && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

/**
 * Why `bytes` must be served unchanged rather than processed with `spec` and `options`
 * (those the host is about to run), or null. `limits` are the budgets to try in order
 * ("oss": over an OSS limit, "workers": over what a 128 MB isolate can decode). Bytes that
 * are no image, or a header cut short, are not a limit: processing reports them (or reads
 * more).
 */
export function limitReason(api, bytes, spec, options, limits) {
  for (const limit of limits) {
    try {
      api.checkSource(bytes, spec, { ...options, limits: limit });
    } catch (err) {
      if (err?.code === "ImageTooLarge") return limit === "oss" ? "oss-limit" : ENGINE_BUDGET;
      return null;
    }
  }
  return null;
}

/**
 * Reads `response`'s body as a source. `judge(bytes)` (sync or async) gives the reason to
 * serve the object unchanged, or null (see limitReason); it sees the first bytes once and
 * the whole object at the end. Returns `{ bytes }` to process, or `{ fallback: reason,
 * body }` to serve unchanged: `body` is a stream of the whole object (a fresh one: chunks
 * already read come first) or, when the whole object was read, `bytes`. Throws
 * SourceError("truncated") when the body ends before its Content-Length and
 * SourceError("read-failed") when reading fails (timeout, reset).
 */
export async function readSource(response, judge) {
  const declared = contentLength(response.headers);
  if (declared !== null && declared > MAX_SOURCE_BYTES) return { fallback: "source-too-large", body: response.body };
  const chunks = [];
  let total = 0;
  let judged = false;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
      if (total > MAX_SOURCE_BYTES) return { fallback: "source-too-large", body: replay(chunks, reader) };
      if (!judged && total >= PROBE_BYTES && total !== declared) {
        judged = true;
        const reason = await judge(concatBytes(chunks, total));
        if (reason) return { fallback: reason, body: replay(chunks, reader) };
      }
    }
  } catch (err) {
    throw new SourceError("read-failed", `reading the source failed: ${err?.message ?? err}`, { cause: err });
  }
  if (declared !== null && total !== declared) {
    throw new SourceError("truncated", `the source ended after ${total} of ${declared} bytes`);
  }
  const bytes = concatBytes(chunks, total);
  const reason = await judge(bytes);
  return reason ? { fallback: reason, bytes } : { bytes };
}

/** A stream of `chunks` followed by what `reader` still has; errors pass through. */
function replay(chunks, reader) {
  const queued = chunks.slice();
  return new ReadableStream({
    async pull(controller) {
      if (queued.length > 0) {
        controller.enqueue(queued.shift());
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
