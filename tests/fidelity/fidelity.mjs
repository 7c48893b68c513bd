// Decode fidelity against libvips (through sharp): every `ok` file of the corpus manifest
// that libvips decodes is decoded by both to sRGB (first page, stored orientation, flattened
// on white) and compared by size and by the mean absolute difference per RGB channel.
// HEIC files (manifest-heic-avif.json) are compared against libheif instead: sharp's
// prebuilt libheif has no HEVC, so the reference is Debian's `heif-convert`
// (libheif-examples, installed by scripts/setup.sh --deps), the PNG of the primary image,
// made at run time (no reference pictures committed: the corpus is not ours to copy).
// AVIF files are compared against libvips (sharp decodes AV1). Old-style JPEG TIFFs, which
// the libtiff inside sharp cannot read (built without OJPEG), are compared against Debian's
// libtiff (`tiff2rgba`, libtiff-tools, installed by scripts/setup.sh --deps), which libvips
// would call on them. AVIF image sequences (.avifs), which neither sharp's libheif nor
// Debian's reads, are compared against libavif (Debian's `avifdec`, libavif-bin): like
// browsers, it shows a sequence's first frame from its tracks, as we do for a still result.
//
//   node tests/fidelity/fidelity.mjs [--pkg DIR] [--corpus DIR] [--all]
//
// --pkg picks the built package (default pkg/, e.g. an older build for a before/after
// table); --all prints every row instead of the worst ones. Exit code 1 when a file is over
// the threshold or refused by us and is not in EXCLUDED below.
import { readFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import sharp from "sharp";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const pkgDir = resolve(arg("--pkg", resolve(root, "pkg")));
const corpus = resolve(
  arg("--corpus", process.env.OSSIMG_CORPUS ?? resolve(root, "../shared/corpus")),
);
const showAll = process.argv.includes("--all");

/** Mean absolute difference per RGB channel (0–255) allowed after flattening on white. */
const MAX_MAD = 3;

/** Files allowed over MAX_MAD or refused by us, with the reason. Keep it short. */
const EXCLUDED = new Map([
  // Not colour: the two decoders disagree about something else.
  // libvips is the odd one out: frame 1 (100×50 at y 25) does not cover the 100×100 screen,
  // the file has no transparent index and background index 0 (blue). libvips (nsgif) gives
  // an RGB image, black (0,0,0) outside the frame; GIF89a §18 would paint the background
  // colour (blue); Chromium 156 leaves those pixels transparent (0,0,0,0) in <img>
  // drawImage, createImageBitmap and WebCodecs ImageDecoder frame 0 alike, and so do we
  // (`node tests/fidelity/gif-canvas-chromium.mjs` prints it). Flattened on white: MAD ≈ 128 on half the canvas.
  ["formats/gif/imagers_border_touching_layers.gif", "canvas outside frame 1: libvips black, Chromium and ossimg transparent, GIF89a background blue"],
  // libvips is the odd one out: the file is a ladder photo with a separate (planar) alpha
  // plane; libvips shows it as horizontal stripes (rows of the two planes interleaved),
  // our decode shows the photo, as Pillow ("La") does.
  ["formats/tiff/imagetiff_minisblack-2c-8b-alpha.tiff", "libvips misreads the planar grey + alpha (stripes); ours is the photo"],
]);

/**
 * Files that libvips misreads or cannot read, compared instead with libvips' decode of the
 * same picture stored another way (a sibling in the corpus): our decode must match that
 * within MAX_MAD like any other file. The reason says why libvips' own decode is not used.
 */
const SIBLINGS = new Map([
  // The libtiff inside sharp has no LZMA codec: libvips gives an all-black picture.
  ["formats/tiff/pillow_hopper_lzma.tif", ["formats/tiff/pillow_hopper_lzw.tif", "libvips has no LZMA"]],
  // libvips refuses tiled files with separate planes; the same picture, Deflate-striped.
  ["formats/tiff/pillow_tiff_tiled_planar_lzw.tiff", ["formats/tiff/pillow_tiff_adobe_deflate.tif", "libvips refuses tiled planar"]],
]);

/** Old-style JPEG TIFFs: sharp's libvips gives a blank white picture for them. */
const LIBTIFF = new Set(["formats/tiff/libtiffpic_zackthecat.tif"]);

const { process: ossProcess } = await import(pathToFileURL(resolve(pkgDir, "node.js")).href);
sharp.concurrency(1);

/** RGB bytes of `input` as libvips shows it: sRGB, first page, flattened on white (or with
 * its alpha dropped, for a sibling comparison: the sibling may lack the file's alpha). */
async function vipsRgb(input, flatten = true) {
  const decoded = sharp(input, { page: 0, failOn: "none", limitInputPixels: false }).toColourspace("srgb");
  const { data, info } = await (flatten ? decoded.flatten({ background: "#ffffff" }) : decoded.removeAlpha())
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function mad(a, b) {
  let sum = 0;
  const n = Math.min(a.data.length / a.channels, b.data.length / b.channels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      sum += Math.abs(a.data[i * a.channels + c] - b.data[i * b.channels + c]);
    }
  }
  return n ? sum / (n * 3) : 0;
}

/** `path` as a command-line decoder writes it (`tool IN OUT`, OUT named `out`), read as
 * libvips shows any file. */
async function decodedBy(tool, path, out) {
  const dir = mkdtempSync(resolve(tmpdir(), "ossimg-ref-"));
  try {
    execFileSync(tool, [path, resolve(dir, out)], { stdio: "ignore" });
    return await vipsRgb(readFileSync(resolve(dir, out)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A TIFF as libtiff's RGBA interface reads it. */
const libtiffRgb = (path) => decodedBy("tiff2rgba", path, "out.tif");

/** An AVIF image sequence's first frame as libavif decodes it. */
const libavifRgb = (path) => decodedBy("avifdec", path, "out.png");

/** The primary image of a HEIF file as libheif decodes it (heif-convert PNG → sRGB RGB). */
async function libheifRgb(path) {
  const dir = mkdtempSync(resolve(tmpdir(), "ossimg-heif-"));
  try {
    // heif-convert 1.15 writes every top-level image (out-1.png, out-2.png… when more than
    // one); heif-info lists them in the same order and marks the primary.
    const info = execFileSync("heif-info", [path], { encoding: "utf8" });
    const images = info.split("\n").filter((l) => /^image: /.test(l));
    const primary = Math.max(0, images.findIndex((l) => l.includes("primary")));
    execFileSync("heif-convert", [path, resolve(dir, "out.png")], { stdio: "ignore" });
    const files = readdirSync(dir).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const file = files.length === 1 ? files[0] : files[primary];
    return await vipsRgb(readFileSync(resolve(dir, file)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const heifFiles = JSON.parse(readFileSync(resolve(corpus, "manifest-heic-avif.json"), "utf8"))
  .files.filter((f) => f.expect === "ok" && /\.(heic|avifs?)$/.test(f.path));
// The 200 MP HEIC is a limits file: 0.8 GB of RGBA for each decoder.
const heifSkipped = new Set(["limits/pillowheif_200MP.heic"]);
// libvips is the odd one out: the monochrome AV1 stream says limited range (color_range 0);
// Chromium 156 expands it (black at 16), as we do (MAD 0.00), while libheif (1.15 and the
// 1.23 in sharp) and avifdec 0.11 write the codes as they are, greys pressed into 16..235, MAD
// 6.2 (`node tests/fidelity/chromium-vs.mjs FILE image/avif` prints the three MADs).
EXCLUDED.set("formats/avif/linku_hato.profile0.8bpc.monochrome.avif", "limited-range grey: libvips/libheif keep the codes, Chromium and ossimg expand them (MAD 0.00 to Chromium)");

const manifest = JSON.parse(readFileSync(resolve(corpus, "manifest.json"), "utf8"));
const rows = [];
const started = performance.now();
const entries = [
  ...manifest.files.filter((f) => f.expect === "ok"),
  ...heifFiles.filter((f) => !heifSkipped.has(f.path)),
];
for (const entry of entries) {
  const bytes = readFileSync(resolve(corpus, entry.path));
  const sibling = SIBLINGS.get(entry.path);
  let vips;
  try {
    if (entry.path.endsWith(".heic")) {
      vips = await libheifRgb(resolve(corpus, entry.path));
    } else if (LIBTIFF.has(entry.path)) {
      vips = await libtiffRgb(resolve(corpus, entry.path));
    } else if (entry.path.endsWith(".avifs")) {
      vips = await libavifRgb(resolve(corpus, entry.path));
    } else {
      vips = await vipsRgb(sibling ? readFileSync(resolve(corpus, sibling[0])) : bytes, !sibling);
    }
  } catch (e) {
    const tool = entry.path.endsWith(".heic")
      ? "libheif (heif-convert)"
      : LIBTIFF.has(entry.path)
        ? "libtiff (tiff2rgba)"
        : entry.path.endsWith(".avifs")
          ? "libavif (avifdec)"
          : undefined;
    if (tool) {
      // These references must exist: install them rather than pass without comparing.
      rows.push({ path: entry.path, status: "refused", detail: `no ${tool} reference (bash scripts/setup.sh --deps): ${String(e.message ?? e).slice(0, 40)}` });
      continue;
    }
    rows.push({ path: entry.path, status: "libvips cannot decode" });
    continue;
  }
  let ours;
  try {
    const out = ossProcess(bytes, "image/auto-orient,0/format,png");
    ours = await vipsRgb(Buffer.from(out.bytes), !sibling);
  } catch (e) {
    rows.push({ path: entry.path, status: "refused", detail: String(e.message ?? e).slice(0, 60) });
    continue;
  }
  if (ours.width !== vips.width || ours.height !== vips.height) {
    const detail = `${ours.width}x${ours.height} vs ${vips.width}x${vips.height}`;
    rows.push({ path: entry.path, status: "size differs", detail });
    continue;
  }
  const d = mad(ours, vips);
  const detail = sibling
    ? `vs libvips on ${sibling[0].split("/").pop()}: ${sibling[1]}`
    : LIBTIFF.has(entry.path)
      ? "vs libtiff's tiff2rgba: sharp's libtiff has no old-style JPEG"
      : entry.path.endsWith(".avifs")
        ? "vs libavif's avifdec: no libheif reads image sequences"
        : undefined;
  rows.push({ path: entry.path, status: d <= MAX_MAD ? "ok" : "over", mad: d, detail });
}
const seconds = (performance.now() - started) / 1000;

const failing = rows.filter(
  (r) => ["over", "refused", "size differs"].includes(r.status) && !EXCLUDED.has(r.path),
);
const compared = rows.filter((r) => r.mad !== undefined);
const shown = showAll
  ? rows
  : rows
      .filter((r) => r.status !== "ok" || r.mad > 1 || r.detail)
      .sort((a, b) => (b.mad ?? 1e9) - (a.mad ?? 1e9));
console.log("MAD    status                 file");
for (const r of shown) {
  const m = r.mad === undefined ? "   -  " : r.mad.toFixed(2).padStart(6);
  const why = EXCLUDED.has(r.path) ? ` [excluded: ${EXCLUDED.get(r.path)}]` : "";
  console.log(`${m} ${r.status.padEnd(22)} ${r.path}${r.detail ? ` (${r.detail})` : ""}${why}`);
}
const worst = compared
  .filter((r) => !EXCLUDED.has(r.path))
  .reduce((w, r) => (r.mad > (w?.mad ?? -1) ? r : w), undefined);
console.log(
  `\n${rows.length} ok files, ${compared.length} compared, ` +
    `${rows.filter((r) => r.status === "libvips cannot decode").length} libvips cannot decode, ` +
    `${rows.filter((r) => r.status === "refused").length} refused by us; ` +
    `${EXCLUDED.size} excluded; worst MAD not excluded ${worst ? `${worst.mad.toFixed(2)} (${worst.path})` : "-"}; ${seconds.toFixed(1)} s`,
);
if (failing.length) {
  console.log(`FAIL: ${failing.length} file(s) over MAD ${MAX_MAD}, refused or resized, not excluded`);
  process.exit(1);
}
