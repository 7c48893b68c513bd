// Evidence for the GIF exclusion in fidelity.mjs: how headless Chromium shows the first
// frame of a GIF whose frame does not cover its screen. Prints, for <img> + drawImage,
// createImageBitmap and WebCodecs ImageDecoder, the RGBA of a pixel outside the frame and
// of one inside it.
//
//   node tests/fidelity/gif-canvas-chromium.mjs [GIF] [x y] [x y]
//
// Default: the corpus' imagers_border_touching_layers.gif, (50,5) outside, (50,50) inside.
// Needs /usr/bin/chromium (Debian's package).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const corpus = process.env.OSSIMG_CORPUS ?? resolve(root, "../shared/corpus");
const [gif = join(corpus, "formats/gif/imagers_border_touching_layers.gif"), ...xy] = process.argv.slice(2);
const [ox = 50, oy = 5, ix = 50, iy = 50] = xy.map(Number);
const b64 = readFileSync(gif).toString("base64");
const page = `<!doctype html><pre id=out>pending</pre><script>
(async () => {
  const lines = [];
  const bytes = Uint8Array.from(atob("${b64}"), (c) => c.charCodeAt(0));
  const blob = () => new Blob([bytes], { type: "image/gif" });
  const read = (source, w, h) => {
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext("2d");
    g.drawImage(source, 0, 0);
    const px = (x, y) => "(" + x + "," + y + ")=" + Array.from(g.getImageData(x, y, 1, 1).data).join(",");
    return px(${ox}, ${oy}) + " " + px(${ix}, ${iy});
  };
  try {
    const img = new Image();
    img.src = URL.createObjectURL(blob());
    await img.decode();
    lines.push("img drawImage       " + read(img, img.naturalWidth, img.naturalHeight));
    const bitmap = await createImageBitmap(blob());
    lines.push("createImageBitmap   " + read(bitmap, bitmap.width, bitmap.height));
    const { image } = await new ImageDecoder({ data: bytes, type: "image/gif" }).decode({ frameIndex: 0 });
    lines.push("ImageDecoder frame0 " + read(image, image.displayWidth, image.displayHeight));
  } catch (e) {
    lines.push("error " + e);
  }
  document.getElementById("out").textContent = lines.join("\\n");
})();
</script>`;
const dir = mkdtempSync(join(tmpdir(), "gif-canvas-"));
writeFileSync(join(dir, "page.html"), page);
const dom = execFileSync(
  "chromium",
  ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom", `file://${dir}/page.html`],
  { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
);
console.log(execFileSync("chromium", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
console.log(dom.match(/<pre id="out">([\s\S]*?)<\/pre>/)?.[1] ?? dom);
