// HTTP semantics of the Cloudflare Worker (no wasm here, so Node can test it directly):
// conditional requests (RFC 9110 §13), single byte ranges, the derived ETag of a result.

const encoder = new TextEncoder();

/** The entity tags of an If-Match / If-None-Match value; "*" stays "*". */
function tags(value) {
  return value.split(",").map((t) => t.trim()).filter(Boolean);
}

const opaque = (tag) => tag.replace(/^W\//, "");

/**
 * The status a conditional GET/HEAD gets for a representation with `etag` and
 * `lastModified` (HTTP date or null): 412, 304, or null (serve it).
 */
export function conditionalStatus(headers, { etag, lastModified }) {
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null) {
    const list = tags(ifMatch);
    // Strong comparison: a weak tag never matches.
    if (!list.includes("*") && !(etag && !etag.startsWith("W/") && list.includes(etag))) return 412;
  } else {
    const since = Date.parse(headers.get("if-unmodified-since") ?? "");
    const modified = Date.parse(lastModified ?? "");
    if (!Number.isNaN(since) && !Number.isNaN(modified) && modified > since) return 412;
  }
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    const list = tags(ifNoneMatch);
    if (list.includes("*") ? Boolean(etag) : Boolean(etag) && list.some((t) => opaque(t) === opaque(etag))) return 304;
    return null;
  }
  const since = Date.parse(headers.get("if-modified-since") ?? "");
  const modified = Date.parse(lastModified ?? "");
  if (!Number.isNaN(since) && !Number.isNaN(modified) && modified <= since) return 304;
  return null;
}

/**
 * A single `bytes=` range of an object of `size` bytes: `{ offset, length }`, "unsatisfiable"
 * (416), or null (no range, several ranges or a malformed one: the whole object, 200).
 * `If-Range` that does not match `etag` / `lastModified` also gives null.
 */
export function byteRange(headers, size, { etag, lastModified } = {}) {
  const value = headers.get("range");
  if (value === null) return null;
  const ifRange = headers.get("if-range");
  if (ifRange !== null && ifRange !== etag && ifRange !== lastModified) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    const length = Math.min(suffix, size);
    return { offset: size - length, length };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Number(m[2]);
  if (m[2] !== "" && end < start) return null;
  if (start >= size) return "unsatisfiable";
  return { offset: start, length: Math.min(end, size - 1) - start + 1 };
}

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * A strong ETag of a result: the origin's validator (or, without one, a digest of the
 * source bytes) and the canonical spec. The bytes are digested as they are, never copied.
 */
export async function derivedEtag(originTag, canonical, bytes) {
  const source = originTag || `sha256:${hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)))}`;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(`${source}\n${canonical}`)));
  return `"${hex(digest.subarray(0, 12))}"`;
}
