// Web Worker side of ossimg/client (a module worker):
//   new Worker(new URL("ossimg/worker", import.meta.url), { type: "module" })
// In:  { id, kind: "process", bytes, spec, options }   (bytes: Uint8Array or ArrayBuffer, transferred)
//      { id, kind: "check", bytes, spec, options, limits }   (why not to run spec on these bytes)
// Out: { id, ok: true, result }                         (result.bytes' buffer transferred;
//                                                        for "check": { reason: string | null })
//      { id, ok: false, error: { name, code, status, ec, message } }
// It always replies, also when the module fails to load or the instance traps (the next
// call then runs on a fresh instance). Text marks: the packaged fonts are fetched first.
import init, { checkSource, loadFonts, OssImageError, parse, process } from "./index.js";
import { limitReason } from "./source.js";

const ready = init();

self.onmessage = async (event) => {
  const { id, kind = "process", bytes, spec, options, limits } = event.data ?? {};
  try {
    await ready;
    if (kind === "check") {
      self.postMessage({ id, ok: true, result: { reason: limitReason({ checkSource }, bytes, spec, options, limits ?? ["oss"]) } });
      return;
    }
    if (parse(spec, options).fonts.length > 0) await loadFonts();
    const result = process(bytes, spec, options);
    self.postMessage({ id, ok: true, result }, result.bytes ? [result.bytes.buffer] : []);
  } catch (err) {
    self.postMessage({ id, ok: false, error: serializeError(err) });
  }
};

function serializeError(err) {
  if (err instanceof OssImageError) return err.toJSON();
  return { name: err?.name ?? "Error", message: String(err?.message ?? err) };
}
