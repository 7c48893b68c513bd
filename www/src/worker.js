// Web Worker side of ossimg/client (a module worker):
//   new Worker(new URL("ossimg/worker", import.meta.url), { type: "module" })
// In:  { id, bytes, spec, options }            (bytes: Uint8Array or ArrayBuffer, transferred)
// Out: { id, ok: true, result }                (result.bytes' buffer transferred)
//      { id, ok: false, error: { name, code, status, ec, message } }
// It always replies, also when the module fails to load or the instance traps.
import init, { OssImageError, process } from "./index.js";

const ready = init();

self.onmessage = async (event) => {
  const { id, bytes, spec, options } = event.data ?? {};
  try {
    await ready;
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
