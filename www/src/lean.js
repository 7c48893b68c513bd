// `ossimg/lean` for browsers, Web Workers and bundlers: the same API as `ossimg` over the
// lean module (JPEG, PNG, GIF, WebP, BMP, TIFF; no HEIC or AVIF), smaller to fetch.
//   import init, { process } from "ossimg/lean"; await init(); process(bytes, spec);
import initWasm, * as raw from "./ossimg_lean.js";
import { browserEntry } from "./browser-entry.js";

const entry = browserEntry(initWasm, raw);
export default entry.init;
export const { init, initSync, loadFonts, process, processImage, probe, checkSource, splitStyleDelimiter, parse, version } = entry;
export { OssImageError, readInput, toBlob, toResponse } from "./core.js";
