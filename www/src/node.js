// Node ("node" export condition): instantiated on import, no init call needed.
//   import { process } from "ossimg";
import { readFileSync } from "node:fs";
import * as raw from "./ossimg.js";
import { instantiatedEntry, OssImageError } from "./core.js";

raw.initSync({ module: readFileSync(new URL("./ossimg_bg.wasm", import.meta.url)) });

const entry = instantiatedEntry(raw);
export default entry.init;
export const { init, initSync, process, probe, parse, version, __trap } = entry;
export { OssImageError };
