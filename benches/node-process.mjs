// Node timing of one `process` call through the built package (pkg/, made by
// scripts/setup.sh): median of 7 runs after a warm-up, beside the native figure of
// `cargo bench --bench process` for the same image and spec.
//   node benches/node-process.mjs [image] [spec]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { process as ossProcess } from "../pkg/node.js";

const corpusPhoto = fileURLToPath(new URL("../../shared/corpus/photos/nexus6p_4032x3024.jpg", import.meta.url));
const [path = corpusPhoto, spec = "image/resize,w_300/quality,Q_85"] = process.argv.slice(2);
const bytes = readFileSync(path);
ossProcess(bytes, spec);
const ms = [];
for (let i = 0; i < 7; i++) {
  const t = performance.now();
  ossProcess(bytes, spec);
  ms.push(performance.now() - t);
}
ms.sort((a, b) => a - b);
console.log(`wasm/node ${path} ${spec}: median ${ms[3].toFixed(1)} ms (min ${ms[0].toFixed(1)}, max ${ms[6].toFixed(1)}, n=7)`);
