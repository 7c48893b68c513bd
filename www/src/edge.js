// Vercel / Next.js edge runtime ("edge-light" export condition): Next bundles a `.wasm?module`
// import as a compiled WebAssembly.Module (edge isolates cannot compile wasm from bytes),
// instantiated synchronously on import like workerd.js. Fonts for text marks: options.fonts.
//   import { processImage } from "ossimg";
import wasm from "./ossimg_bg.wasm?module";
import * as raw from "./ossimg.js";
import { instantiatedEntry, OssImageError, readInput, toBlob, toResponse } from "./core.js";

raw.initSync({ module: wasm });

const entry = instantiatedEntry(raw);
export default entry.init;
export const { init, initSync, loadFonts, process, processImage, probe, checkSource, splitStyleDelimiter, parse, version } = entry;
export { OssImageError, readInput, toBlob, toResponse };
