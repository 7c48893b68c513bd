// Node ("node" export condition): instantiated on import, no init call needed.
//   import { process } from "ossimg";
import { readFileSync } from "node:fs";
import * as raw from "./ossimg.js";
import { createApi, OssImageError } from "./core.js";

raw.initSync({ module: readFileSync(new URL("./ossimg_bg.wasm", import.meta.url)) });

export { OssImageError };

/** Already instantiated; kept so that code written for browsers runs unchanged. */
export default function init() {
  return Promise.resolve();
}
export { init };
export function initSync() {}

const api = createApi(() => raw);
export const { process, probe, parse, version, __trap } = api;
