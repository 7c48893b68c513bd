// The browser / Web Worker / bundler entry, made for one wasm-bindgen glue module: the full
// build (index.js) or the lean one (lean.js). Instantiated by `await init()` (fetches the
// .wasm next to the glue) or `initSync(module)`.
import { createApi, defaultFontUrls } from "./core.js";
import { packagedFontUrls } from "./facts.js";

/** The entry's functions over one glue module: its default export and its namespace. */
export function browserEntry(initWasm, raw) {
  let instantiated = false;
  let pending;

  /**
   * Instantiates the module once (later calls return the same promise). `input` is
   * optional: a URL / Request / Response of the .wasm, its bytes, or a compiled
   * WebAssembly.Module; by default the glue's own .wasm (`ossimg_bg.wasm`,
   * `ossimg_lean_bg.wasm`) next to it is fetched.
   */
  function init(input) {
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

  /**
   * Synchronous instantiation from a WebAssembly.Module or the .wasm bytes (required here:
   * a page has no file to read synchronously).
   */
  function initSync(module) {
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
  function loadFonts(base) {
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

  return { init, initSync, loadFonts, ...api };
}
