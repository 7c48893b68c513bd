// Node ("node" export condition): instantiated on import, no init call needed.
//   import { process } from "ossimg";
import { readFileSync } from "node:fs";
import * as raw from "./ossimg.js";
import { instantiatedEntry, OssImageError, readInput, toBlob, toResponse } from "./core.js";
import { packagedFontUrls } from "./facts.js";

raw.initSync({ module: readFileSync(new URL("./ossimg_bg.wasm", import.meta.url)) });

let fonts;
/** The packaged fonts, read on the first text watermark (about 5 MB, so never at import). */
function defaultFonts() {
  fonts ??= Object.fromEntries(
    packagedFontUrls().map(([key, url]) => {
      try {
        return [key, readFileSync(url)];
      } catch (err) {
        throw new Error(`ossimg: the package's font ${url.pathname} cannot be read (${err.code ?? err.message}); pass options.fonts`, { cause: err });
      }
    }),
  );
  return fonts;
}

const entry = instantiatedEntry(raw, { defaultFonts });
export default entry.init;
export const { init, initSync, loadFonts, process, processImage, probe, checkSource, splitStyleDelimiter, parse, version } = entry;
export { OssImageError, readInput, toBlob, toResponse };
