// Evidence for an exclusion in fidelity.mjs: how headless Chromium (Debian's, through
// playwright-core from www/) decodes a file, against ossimg and against libvips. Prints the
// mean absolute difference per RGB channel of each pair (Chromium's RGBA from
// createImageBitmap drawn on an OffscreenCanvas; alpha is not compared: use opaque files).
//
//   node tests/fidelity/chromium-vs.mjs FILE MIME    e.g. ../shared/corpus/formats/avif/
//                                                   linku_hato.profile0.8bpc.monochrome.avif image/avif
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import sharp from "sharp";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const { chromium } = createRequire(resolve(root, "www/package.json"))("playwright-core");
const { process: ossProcess } = await import(pathToFileURL(resolve(root, "pkg/node.js")).href);
const [file, mime] = process.argv.slice(2);
const bytes = readFileSync(file);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
const page = await browser.newPage();
const decoded = await page.evaluate(
  async ([b64, type]) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([data], { type }));
    const g = new OffscreenCanvas(bitmap.width, bitmap.height).getContext("2d");
    g.drawImage(bitmap, 0, 0);
    const rgba = g.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let s = "";
    for (let i = 0; i < rgba.length; i += 4096) s += String.fromCharCode(...rgba.subarray(i, i + 4096));
    return { width: bitmap.width, height: bitmap.height, rgba: btoa(s), version: navigator.userAgent };
  },
  [bytes.toString("base64"), mime],
);
await browser.close();
const chrome = { ...decoded, rgba: Buffer.from(decoded.rgba, "base64") };

const rgba = async (input) => {
  const { data, info } = await sharp(input).toColourspace("srgb").ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgba: data };
};
const mad = (a, b) => {
  if (a.width !== b.width || a.height !== b.height) return `sizes differ (${a.width}x${a.height} vs ${b.width}x${b.height})`;
  let sum = 0;
  for (let i = 0; i < a.rgba.length; i += 4) for (let c = 0; c < 3; c++) sum += Math.abs(a.rgba[i + c] - b.rgba[i + c]);
  return (sum / ((a.rgba.length / 4) * 3)).toFixed(2);
};
const ours = await rgba(Buffer.from(ossProcess(bytes, "image/auto-orient,0/format,png").bytes));
const vips = await rgba(bytes);
console.log(chrome.version.match(/Chrome\/[\d.]+/)?.[0] ?? chrome.version);
console.log(`Chromium vs ossimg:  MAD ${mad(chrome, ours)}`);
console.log(`Chromium vs libvips: MAD ${mad(chrome, vips)}`);
console.log(`ossimg vs libvips:   MAD ${mad(ours, vips)}`);
