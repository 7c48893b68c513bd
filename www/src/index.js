// Browsers, Web Workers and bundlers ("browser" / "default" export condition), every codec
// (HEIC and AVIF included; `ossimg/lean` leaves those out for a smaller download):
//   import init, { process } from "ossimg"; await init(); process(bytes, spec);
// The same --target web build serves Node (node.js) and Cloudflare Workers (workerd.js),
// which are ready on import.
import initWasm, * as raw from "./ossimg.js";
import { browserEntry } from "./browser-entry.js";

const entry = browserEntry(initWasm, raw);
export default entry.init;
export const { init, initSync, loadFonts, process, processImage, probe, checkSource, splitStyleDelimiter, parse, version } = entry;
export { OssImageError, readInput, toBlob, toResponse } from "./core.js";
