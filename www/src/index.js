// Browsers, Web Workers and bundlers ("browser" / "default" export condition):
//   import init, { process } from "ossimg"; await init(); process(bytes, spec);
// The same --target web build serves Node (node.js) and Cloudflare Workers (workerd.js),
// which are ready on import.
import initWasm, * as raw from "./ossimg.js";
import { createApi, OssImageError } from "./core.js";

export { OssImageError };

let instantiated = false;
let pending;

/**
 * Instantiates the module once (later calls return the same promise). `input` is
 * optional: a URL / Request / Response of the .wasm, its bytes, or a compiled
 * WebAssembly.Module; by default `ossimg_bg.wasm` next to this file is fetched.
 */
export default function init(input) {
  pending ??= initWasm(input === undefined ? undefined : { module_or_path: input }).then(
    () => {
      instantiated = true;
    },
    (err) => {
      pending = undefined; // allow a retry, e.g. after a network error
      throw err;
    },
  );
  return pending;
}

export { init };

/** Synchronous instantiation from a WebAssembly.Module or the .wasm bytes. */
export function initSync(module) {
  raw.initSync({ module });
  instantiated = true;
  pending ??= Promise.resolve();
}

const api = createApi(() => {
  if (!instantiated) throw new Error("ossimg: call `await init()` (or initSync) before using the module");
  return raw;
});

export const { process, probe, parse, version, __trap } = api;
