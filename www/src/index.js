// Browsers, Web Workers and bundlers ("browser" / "default" export condition):
//   import init, { process } from "ossimg"; await init(); process(bytes, spec);
// The same --target web build serves Node (node.js) and Cloudflare Workers (workerd.js),
// which are ready on import.
import initWasm, * as raw from "./ossimg.js";
import { createApi, defaultFontUrls, OssImageError, readInput, toBlob, toResponse } from "./core.js";
import { packagedFontUrls } from "./facts.js";

export { OssImageError, readInput, toBlob, toResponse };

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

/**
 * Synchronous instantiation from a WebAssembly.Module or the .wasm bytes (required here:
 * a page has no file to read synchronously).
 */
export function initSync(module) {
  if (module === undefined || module === null) throw new TypeError("ossimg: initSync(module) needs the compiled WebAssembly.Module or the .wasm bytes; use `await init()` to fetch it");
  raw.initSync({ module: module?.module ?? module });
  instantiated = true;
  pending ??= Promise.resolve();
}

let fonts;
let fontsPending;

/**
 * Fetches the packaged fonts (`fonts/*.ttf` next to this file, or under `base`) once, so
 * that `process` can draw text marks without `options.fonts`. Memoised; retried after a
 * failure.
 */
export function loadFonts(base) {
  // Literal URLs by default (packagedFontUrls), so that bundlers emit the fonts as assets.
  const urls = base === undefined ? packagedFontUrls() : defaultFontUrls(base);
  fontsPending ??= Promise.all(
    urls.map(async ([key, url]) => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`ossimg: font ${url} answered ${res.status}`);
      return [key, new Uint8Array(await res.arrayBuffer())];
    }),
  ).then(
    (entries) => {
      fonts = Object.fromEntries(entries);
    },
    (err) => {
      fontsPending = undefined;
      throw err;
    },
  );
  return fontsPending;
}

const api = createApi(
  () => {
    if (!instantiated) throw new Error("ossimg: call `await init()` (or initSync) before using the module");
    return raw;
  },
  {
    defaultFonts() {
      if (!fonts) throw new Error("ossimg: this spec draws text: call `await loadFonts()` first, or pass options.fonts");
      return fonts;
    },
  },
);

export const { process, processImage, probe, checkSource, splitStyleDelimiter, parse, version } = api;
