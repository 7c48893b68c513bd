// Cloudflare Workers / workerd ("workerd" export condition): the .wasm is imported as a
// compiled WebAssembly.Module (workerd cannot compile wasm from bytes at run time) and
// instantiated synchronously on import. Fonts for text watermarks are the caller's
// (options.fonts): a Worker bundle has no file system; ossimg/cf-worker loads them itself.
//   import { process } from "ossimg";
import wasm from "./ossimg_bg.wasm";
import * as raw from "./ossimg.js";
import { instantiatedEntry, OssImageError, readInput, toBlob, toResponse } from "./core.js";

raw.initSync({ module: wasm });

const entry = instantiatedEntry(raw);
export default entry.init;
export const { init, initSync, loadFonts, process, processImage, probe, checkSource, splitStyleDelimiter, parse, version } = entry;
export { OssImageError, readInput, toBlob, toResponse };
