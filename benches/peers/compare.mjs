// The shipped benchmark: our pkg/ossimg_bg.wasm against sharp, wasm-vips, photon and jSquash
// in one Node process, same inputs, interleaved rounds after warm-up, CPU-time medians.
//   node --expose-gc benches/peers/compare.mjs [--runs 9] [--warmup 2] [--only W1,W2] [--smoke]
// Writes benches/results.md, benches/results.svg and benches/peers/out/results.json.
// --smoke: tiny input, ours only, one run; checks that the harness and the package work.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import { ours, sharpPeer, wasmVipsPeers, photonPeer, jsquashPeer, peerPackages } from "./peers.mjs";
import { lanczosReference, gaussianReference, identityReference, psnrY } from "./quality.mjs";
import { markdown, svg } from "./report.mjs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "9" },
    warmup: { type: "string", default: "2" },
    only: { type: "string" },
    smoke: { type: "boolean", default: false },
  },
});
const gc = globalThis.gc ?? (() => {});
if (!globalThis.gc && !args.smoke) console.warn("run with node --expose-gc for stable figures");

// The smoke run needs nothing but our package (no peer install, no download).
const sharp = args.smoke ? null : (await import("sharp")).default;
const files = args.smoke ? null : await (await import("./inputs.mjs")).inputs();
const raw = async (bytes, channels = 3) => {
  const img = sharp(bytes);
  const { data, info } = await (channels === 4 ? img.ensureAlpha() : img.removeAlpha()).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels };
};

/** Workloads: input, output geometry and the float reference the output is scored against. */
async function workloads() {
  if (args.smoke) {
    // kodim23 (768×512, a committed fixture) made a JPEG by our own package.
    const { process: ossProcess } = await import("../../pkg/node.js");
    const png = readFileSync(new URL("../../tests/fixtures/kodim23.png", import.meta.url));
    const jpeg = ossProcess(png, "image/format,jpg/quality,Q_90").bytes;
    return [{ id: "W1", title: "smoke: 768×512 JPEG → resize,w_300 → JPEG q85", input: jpeg, ref: () => null, channels: 3 }];
  }
  const L = await raw(files.L), LP3 = await raw(files.LP3), M = await raw(files.M), MA = await raw(files.MA, 4), MV = await raw(files.MV);
  // W5e: every encoder is given the same pixels, our decode of L (our API takes encoded
  // bytes, and no lossless 12 MP container of sharp's decode fits the 20 MB source limit).
  const { process: ossProcess } = await import("../../pkg/node.js");
  const E = await raw(ossProcess(files.L, "image/format,png").bytes);
  return [
    { id: "W1", title: "12 MP JPEG → resize,w_300 → JPEG q85", input: files.L, ref: () => lanczosReference(L.data, L.width, L.height, 3, 300, 225), channels: 3 },
    // W1 on the Display P3 twin: what colour management costs (each peer runs its W1 op;
    // the reference is libvips' sRGB conversion, so a peer that ignores the profile scores low).
    { id: "W1p", op: "W1", title: "12 MP Display P3 JPEG → resize,w_300 → JPEG q85", input: files.LP3, ref: () => lanczosReference(LP3.data, LP3.width, LP3.height, 3, 300, 225), channels: 3 },
    { id: "W2", title: "1920×1080 JPEG → w1280 → lossy WebP q80", input: files.M, ref: () => lanczosReference(M.data, M.width, M.height, 3, 1280, 720), channels: 3 },
    { id: "W3", title: "1920×1080 RGBA PNG → 50 % → PNG", input: files.MA, ref: () => lanczosReference(MA.data, MA.width, MA.height, 4, 960, 540), channels: 4 },
    { id: "W4", title: "1920×1080 JPEG → Gaussian blur σ5 → JPEG q85", input: files.M, ref: () => gaussianReference(M.data, M.width, M.height, 3, 5), channels: 3 },
    { id: "W5d", title: "decode only, 12 MP JPEG", input: files.L, ref: () => null, channels: 3 },
    { id: "W5e", title: "encode only, 12 MP RGB → JPEG q85", input: null, jpeg: files.L, rgb: E.data, width: E.width, height: E.height, ref: () => identityReference(E.data, E.width, E.height, 3), channels: 3 },
    { id: "W6", title: "1920×1080 JPEG → rotate,45 → JPEG q85", input: files.M, ref: () => null, channels: 3 },
    { id: "W7", title: "1920×1080 JPEG → text watermark → JPEG q85", input: files.M, ref: () => null, channels: 3 },
    // A 12 MP iPhone HEIC (a committed fixture, BSD-3-Clause). No PSNR: the peer's decode
    // keeps the Display P3 numbers, ours converts them to sRGB, so neither is the reference.
    { id: "M1", title: "12 MP iPhone HEIC → resize,w_1280 → JPEG q85", input: readFileSync(new URL("../../tests/fixtures/pillowheif_arrow_iphone.heic", import.meta.url)), ref: () => null, channels: 3 },
    // M2 scores against the Lanczos reference of sharp's decode of the AVIF itself.
    { id: "M2", title: "1920×1080 AVIF → resize,w_300 → JPEG q85", input: files.MV, ref: () => lanczosReference(MV.data, MV.width, MV.height, 3, 300, 169), channels: 3 },
    { id: "M3", title: "1920×1080 JPEG → w1280 → AVIF (default quality; jSquash speed 6 q50, sharp effort 4 q50)", input: files.M, ref: () => lanczosReference(M.data, M.width, M.height, 3, 1280, 720), channels: 3 },
  ];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One timed call: process CPU time (all threads) and wall time, in ms. */
async function timed(op, ctx) {
  gc();
  const cpu0 = process.cpuUsage(), t0 = performance.now();
  const out = await op(ctx);
  const wall = performance.now() - t0, cpu = process.cpuUsage(cpu0);
  return { out, wall, cpu: (cpu.user + cpu.system) / 1000 };
}

async function main() {
  const initMs = {};
  const time = async (name, f) => { const t = performance.now(); const r = await f(); initMs[name] = performance.now() - t; return r; };
  const peers = [await time("ours", ours)];
  if (!args.smoke) {
    peers.push(await time("sharp", sharpPeer));
    const [vipsFull, vipsThumb] = await time("wasm-vips", wasmVipsPeers);
    initMs["wasm-vips-thumbnail"] = initMs["wasm-vips"];
    peers.push(vipsFull, vipsThumb, await time("photon", photonPeer), await time("jsquash", jsquashPeer));
  }
  const runs = args.smoke ? 1 : Number(args.runs), warmup = args.smoke ? 0 : Number(args.warmup);
  const only = args.only?.split(",");
  const results = [];
  for (const w of await workloads()) {
    if (only && !only.includes(w.id)) continue;
    const ref = w.ref();
    const active = [];
    for (const peer of peers) {
      const op = peer.ops[w.op ?? w.id];
      if (!op) continue;
      const ctx = peer.prep?.[w.op ?? w.id] ? await peer.prep[w.op ?? w.id](w) : w;
      const row = { workload: w.id, title: w.title, peer: peer.name, cpu: [], wall: [] };
      try {
        const first = await timed(op, ctx);
        row.firstCpu = first.cpu;
        row.outBytes = first.out.length;
        if (args.smoke) Object.defineProperty(row, "output", { value: first.out, enumerable: false });
        row.psnrY = w.id === "W5d" ? null : await score(first.out, ref, w.channels);
        for (let i = 1; i < warmup; i++) await op(ctx);
        active.push({ peer, op, ctx, row });
      } catch (e) {
        row.error = String(e?.message ?? e).slice(0, 120);
        results.push(row);
        console.log(`${w.id} ${peer.name}: ${row.error}`);
      }
    }
    for (let round = 0; round < runs; round++) {
      for (let k = 0; k < active.length; k++) {
        const a = active[(round + k) % active.length];
        const t = await timed(a.op, a.ctx);
        a.row.cpu.push(t.cpu);
        a.row.wall.push(t.wall);
      }
    }
    for (const a of active) {
      a.row.cpuMedian = median(a.row.cpu);
      a.row.wallMedian = median(a.row.wall);
      if (a.peer.peakMemory) a.row.wasmMemory = await a.peer.peakMemory(w.op ?? w.id, a.ctx);
      a.peer.cleanup?.[w.op ?? w.id]?.(a.ctx);
      results.push(a.row);
      const mem = a.row.wasmMemory ? ` mem ${(a.row.wasmMemory.after / 2 ** 20).toFixed(1)} MiB` : "";
      const q = a.row.psnrY == null ? "" : ` PSNR-Y ${a.row.psnrY.toFixed(2)} dB`;
      console.log(`${w.id} ${a.peer.name}: cpu ${a.row.cpuMedian.toFixed(1)} ms (first ${a.row.firstCpu.toFixed(1)}) wall ${a.row.wallMedian.toFixed(1)} ms, ${a.row.outBytes} B${q}${mem}`);
    }
  }
  // Our encode-only figure: (decode + encode) − decode, both medians of this run.
  const ourW5e = results.find((r) => r.workload === "W5e" && r.peer === "ours" && r.cpuMedian != null);
  const ourW5d = results.find((r) => r.workload === "W5d" && r.peer === "ours" && r.cpuMedian != null);
  if (ourW5e && ourW5d) {
    const at = results.indexOf(ourW5e) + 1;
    results.splice(at, 0, { ...ourW5e, peer: "ours-encode", cpuMedian: ourW5e.cpuMedian - ourW5d.cpuMedian, wallMedian: ourW5e.wallMedian - ourW5d.wallMedian, firstCpu: null, wasmMemory: null, derived: "W5e − W5d" });
  }
  const sizes = Object.fromEntries(peers.map((p) => {
    if (!p.wasmFiles.length) return [p.name, { raw: 0, gzip: 0 }];
    const bytes = p.wasmFiles.map((f) => readFileSync(f));
    return [p.name, { raw: bytes.reduce((n, b) => n + b.length, 0), gzip: bytes.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0) }];
  }));
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    runs, warmup,
    packages: peerPackages(),
    ourSpecs: peers[0].specs,
    initMs,
    sizes,
  };
  const out = new URL("./out/", import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(new URL("results.json", out), JSON.stringify({ meta, results }, null, 1));
  if (args.smoke) {
    const row = results[0];
    const { probe } = await import("../../pkg/node.js");
    const size = row?.output ? probe(row.output) : null;
    const ok = row && !row.error && size?.width === 300 && size?.height === 200 && row.wasmMemory.after < 32 * 2 ** 20;
    markdown(meta, results);
    svg(meta, results);
    if (!ok) throw new Error(`bench smoke failed: ${JSON.stringify({ ...row, output: undefined, size })}`);
    console.log(`bench smoke: ours ${row.cpuMedian.toFixed(1)} ms CPU, ${row.outBytes} B ${size.width}x${size.height}, wasm memory ${(row.wasmMemory.after / 2 ** 20).toFixed(1)} MiB`);
    return;
  }
  writeFileSync(new URL("../results.md", import.meta.url), markdown(meta, results));
  writeFileSync(new URL("../results.svg", import.meta.url), svg(meta, results));
  console.log("wrote benches/results.md, benches/results.svg, benches/peers/out/results.json");
}

/** PSNR-Y of an encoded output against the float reference (decoded by sharp). */
async function score(bytes, ref, channels) {
  if (!ref) return null;
  try {
    const img = await raw(Buffer.from(bytes), channels);
    if (img.width !== ref.width || img.height !== ref.height) return null;
    return psnrY(ref, img.data, channels);
  } catch {
    return null;
  }
}

await main();
