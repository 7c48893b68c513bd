// Deterministic benchmark inputs from real photographs that ship in the scikit-image 0.26.0
// wheel (PyPI): mosaics of cover-cropped, Lanczos3-upscaled photos plus seeded Gaussian
// "sensor grain", saved by the pinned sharp. Nothing large is committed; the files are
// rebuilt into .cache/ on first use and their sha256 prefixes printed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const CACHE = new URL("./.cache/", import.meta.url);
const PHOTOS = ["astronaut.png", "coffee.png", "chelsea.png", "motorcycle_left.png", "motorcycle_right.png", "rocket.jpg"];
const WHEEL = "scikit-image==0.26.0";

/** The six photos, from the wheel (pip download, no install; unzip only the data files). */
function photos() {
  const dir = new URL("photos/", CACHE);
  if (!PHOTOS.every((p) => existsSync(new URL(p, dir)))) {
    mkdirSync(dir, { recursive: true });
    const wheelDir = new URL("wheel/", CACHE).pathname;
    execFileSync("python3", ["-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", WHEEL, "-d", wheelDir], { stdio: "inherit" });
    const wheel = readdirSync(wheelDir).find((f) => f.startsWith("scikit_image-0.26.0") && f.endsWith(".whl"));
    if (!wheel) throw new Error(`no ${WHEEL} wheel in ${wheelDir}`);
    execFileSync("python3", ["-c", `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for name in sys.argv[3:]:
    open(sys.argv[2] + name, "wb").write(z.read("skimage/data/" + name))
`, wheelDir + wheel, dir.pathname, ...PHOTOS]);
  }
  return PHOTOS.map((p) => readFileSync(new URL(p, dir)));
}

/** Seeded standard normal numbers (mulberry32 + Box-Muller). */
function gaussian(seed) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** cols × rows cells of cw × ch, photos in turn (every other one mirrored), plus grain σ 3. */
async function mosaic(sharp, sources, cols, rows, cw, ch, seed) {
  const width = cols * cw, height = rows * ch;
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0; i < cols * rows; i++) {
    let cell = sharp(sources[i % sources.length]).removeAlpha().resize(cw, ch, { fit: "cover", kernel: "lanczos3" });
    if (Math.floor(i / sources.length) % 2 === 1) cell = cell.flop();
    const px = await cell.raw().toBuffer();
    const x0 = (i % cols) * cw, y0 = Math.floor(i / cols) * ch;
    for (let y = 0; y < ch; y++) px.copy(out, ((y0 + y) * width + x0) * 3, y * cw * 3, (y + 1) * cw * 3);
  }
  const noise = gaussian(seed);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(out[i] + 3 * noise())));
  return { out, width, height };
}

/** A soft elliptical alpha cut-out for the RGBA PNG. */
function withEllipseAlpha({ out, width, height }) {
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - width / 2) / (width * 0.48), dy = (y + 0.5 - height / 2) / (height * 0.48);
      const d = Math.sqrt(dx * dx + dy * dy);
      const alpha = Math.max(0, Math.min(1, (1.05 - d) / 0.15));
      const s = (y * width + x) * 3, t = (y * width + x) * 4;
      rgba[t] = out[s]; rgba[t + 1] = out[s + 1]; rgba[t + 2] = out[s + 2];
      rgba[t + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

/**
 * { L: 4000×3000 JPEG q90, LP3: the same mosaic in Display P3 with its profile embedded (as
 * phones shoot), M: 1920×1080 JPEG q90, MA: 1920×1080 RGBA PNG, MV: M as AVIF }.
 */
export async function inputs({ quiet = false } = {}) {
  const dir = new URL("images/", CACHE);
  const names = ["L.jpg", "LP3.jpg", "M.jpg", "MA.png"];
  if (!names.every((n) => existsSync(new URL(n, dir)))) {
    mkdirSync(dir, { recursive: true });
    const sharp = (await import("sharp")).default;
    const src = photos();
    const large = await mosaic(sharp, src, 4, 3, 1000, 1000, 1);
    const raw = (m, channels = 3) => ({ raw: { width: m.width, height: m.height, channels } });
    writeFileSync(new URL("L.jpg", dir), await sharp(large.out, raw(large)).jpeg({ quality: 90 }).toBuffer());
    // libvips' built-in Display P3 profile: the sRGB pixels converted to P3 and tagged.
    const p3 = sharp(large.out, raw(large)).withIccProfile("p3").jpeg({ quality: 90 });
    writeFileSync(new URL("LP3.jpg", dir), await p3.toBuffer());
    const medium = await mosaic(sharp, src, 3, 2, 640, 540, 2);
    writeFileSync(new URL("M.jpg", dir), await sharp(medium.out, raw(medium)).jpeg({ quality: 90 }).toBuffer());
    writeFileSync(new URL("MA.png", dir), await sharp(withEllipseAlpha(medium), raw(medium, 4)).png().toBuffer());
  }
  // MV: the same 1920×1080 picture as AVIF (M2's input), written once by sharp (libheif +
  // aom, quality 60, 4:2:0 8-bit): what a server or camera app typically serves.
  if (!existsSync(new URL("MV.avif", dir))) {
    const sharp = (await import("sharp")).default;
    const m = readFileSync(new URL("M.jpg", dir));
    writeFileSync(new URL("MV.avif", dir), await sharp(m).avif({ quality: 60, effort: 4, chromaSubsampling: "4:2:0" }).toBuffer());
  }
  names.push("MV.avif");
  const files = Object.fromEntries(names.map((n) => [n.split(".")[0], readFileSync(new URL(n, dir))]));
  if (!quiet) {
    for (const n of names) {
      const b = files[n.split(".")[0]];
      console.log(`input ${n}: ${b.length} B sha256 ${createHash("sha256").update(b).digest("hex").slice(0, 16)}`);
    }
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) await inputs();
