// `ossimg/lean` in Cloudflare Workers / workerd: as workerd.js, over the lean module (no
// HEIC or AVIF), for a smaller Worker bundle.
import wasm from "./ossimg_lean_bg.wasm";
import * as raw from "./ossimg_lean.js";
import { instantiatedEntry, OssImageError, readInput, toBlob, toResponse } from "./core.js";

raw.initSync({ module: wasm });

const entry = instantiatedEntry(raw);
export default entry.init;
export const { init, initSync, loadFonts, process, processImage, probe, checkSource, splitStyleDelimiter, parse, version } = entry;
export { OssImageError, readInput, toBlob, toResponse };
