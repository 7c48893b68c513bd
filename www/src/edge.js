// Vercel / Next.js edge runtime ("edge-light" export condition): Next bundles a `.wasm?module`
// import as a compiled WebAssembly.Module (edge isolates cannot compile wasm from bytes),
// instantiated synchronously on import like workerd.js. Fonts for text marks: options.fonts.
//   import { processImage } from "ossimg";
import wasm from "./ossimg_bg.wasm?module";
import * as raw from "./ossimg.js";
import { instantiatedEntry, OssImageError, readInput, toBlob, toResponse } from "./core.js";

// Next evaluates edge routes in a vm context at build time, where the Module comes from the
// outer realm: the glue's `instanceof WebAssembly.Module` fails on it and it would be taken
// for bytes. A Module of any realm instantiates, so give it this realm's prototype.
const module = wasm instanceof WebAssembly.Module || Object.prototype.toString.call(wasm) !== "[object WebAssembly.Module]" ? wasm : Object.setPrototypeOf(wasm, WebAssembly.Module.prototype);
raw.initSync({ module });

const entry = instantiatedEntry(raw);
export default entry.init;
export const { init, initSync, loadFonts, process, processImage, probe, checkSource, splitStyleDelimiter, parse, version } = entry;
export { OssImageError, readInput, toBlob, toResponse };
