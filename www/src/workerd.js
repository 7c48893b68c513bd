// Cloudflare Workers / workerd ("workerd" export condition): the .wasm is imported as a
// compiled WebAssembly.Module (workerd cannot compile wasm from bytes at run time) and
// instantiated synchronously on import.
//   import { process } from "ossimg";
import wasm from "./ossimg_bg.wasm";
import * as raw from "./ossimg.js";
import { createApi, OssImageError } from "./core.js";

raw.initSync({ module: wasm });

export { OssImageError };

/** Already instantiated; kept so that code written for browsers runs unchanged. */
export default function init() {
  return Promise.resolve();
}
export { init };
export function initSync() {}

const api = createApi(() => raw);
export const { process, probe, parse, version, __trap } = api;
