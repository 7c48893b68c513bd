// Example: the npm package in Node. `node www/example.mjs [input] [spec] [output]`
// (defaults: tests/fixtures/kodim23.png, a 300 px wide WebP, out/kodim23_w300_node.webp).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OssImageError, parse, probe, processImage, version } from "ossimg";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const [input = resolve(root, "tests/fixtures/kodim23.png"), spec = "image/resize,w_300/quality,q_80/format,webp", output = resolve(root, "out/kodim23_w300_node.webp")] =
  process.argv.slice(2);

const bytes = readFileSync(input);
const source = probe(bytes);
try {
  const started = performance.now();
  const out = processImage(bytes, spec);
  const ms = (performance.now() - started).toFixed(1);
  mkdirSync(dirname(output), { recursive: true });
  if (out.kind === "json") {
    writeFileSync(output, out.text);
    console.log(`ossimg ${version()} (node): ${input} -> ${output}: ${out.mime} in ${ms} ms`);
  } else {
    writeFileSync(output, out.bytes);
    console.log(
      `ossimg ${version()} (node): ${input} (${source.format} ${source.width}x${source.height}) -> ${output}: ` +
        `${out.mime} ${out.width ?? source.width}x${out.height ?? source.height}, ${out.bytes.length} bytes in ${ms} ms ` +
        `[${parse(spec).canonical}]`,
    );
  }
} catch (err) {
  if (!(err instanceof OssImageError)) throw err;
  console.error(`${err.status} ${err.code}${err.ec ? ` (EC ${err.ec})` : ""}: ${err.message}`);
  process.exit(1);
}
