// Where the time goes: runs one spec through the shipped package under V8's sampling
// profiler and prints the top functions by self time (wasm functions by their names).
//   node benches/peers/profile.mjs W1|W2|W3|W4|W5d|W6 [runs]      (inputs as compare.mjs)
//   node benches/peers/profile.mjs path/to/image 'image/...' [runs]
import { Session } from "node:inspector/promises";
import { readFileSync } from "node:fs";
import { process as ossProcess } from "../../pkg/node.js";
import { inputs } from "./inputs.mjs";
import { ours } from "./peers.mjs";

const [what = "W1", specOrRuns, runsArg] = process.argv.slice(2);
let bytes, spec, runs;
if (/^W\d/.test(what)) {
  const files = await inputs({ quiet: true });
  const { specs } = await ours();
  bytes = { W2: files.M, W3: files.MA, W4: files.M, W6: files.M, W7: files.M }[what] ?? files.L;
  spec = specs[what];
  runs = Number(specOrRuns ?? 10);
} else {
  bytes = readFileSync(what);
  spec = specOrRuns;
  runs = Number(runsArg ?? 10);
}
for (let i = 0; i < 2; i++) ossProcess(bytes, spec);
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 200 });
await session.post("Profiler.start");
for (let i = 0; i < runs; i++) ossProcess(bytes, spec);
const { profile } = await session.post("Profiler.stop");
const self = new Map();
const dt = profile.timeDeltas;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
let total = 0;
profile.samples.forEach((id, i) => {
  const n = byId.get(id);
  const name = n.callFrame.functionName || `(${n.callFrame.url.split("/").pop() || "anonymous"})`;
  self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0));
  total += dt[i] ?? 0;
});
console.log(`${spec}: ${(total / 1000 / runs).toFixed(1)} ms per call sampled, top self time:`);
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${name.slice(0, 110)}`);
}
