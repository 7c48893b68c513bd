// Load run against the Cloudflare Worker in local workerd (issue 7): the example bucket as
// the loopback origin, the Worker on 127.0.0.1, a warm-up, then N requests at concurrency C
// over a fixed mix of specs and sources (images, info JSON, styles, watermarks, passthrough,
// a missing key, an invalid spec). Every response is checked (status, OSS error code, type,
// Content-Length = body, magic number, probed format and size; every 10th image fully
// decoded). Prints requests/s, p50/p99 latency and the memory of the workerd process that
// runs the Worker: VmRSS (with its anonymous and file-backed parts) at start, after warm-up
// and at the end, every --sample-every responses, the growth over the second half of the run
// (a plateau reads ~0, a leak keeps its slope) and the engine's wasm linear memory (asked
// from a route that the run puts in front of the bundle; see PROBE_MODULES).
//
// Hosts (--host): `workerd` (default) runs the `wrangler deploy` bundle in a plain `workerd
// serve` with a generated config (www/workerd-host.mjs: wrangler.toml's vars, no inspector,
// nothing else in the process, no Cache API); `miniflare` runs it in Miniflare's workerd,
// which adds its entry and loopback services; `wrangler` runs `wrangler dev --local`, whose
// inspector proxy buffers every message while no DevTools is attached (its proxy workerd
// grows until it dies after a few thousand requests; reported, not checked). `--baseline`
// replaces our Worker by one that answers every request with the same short text: the same
// requests, the host's own memory growth. workerd's own native memory grows in steps under
// load even then (a constant Worker: 50 -> 190 MB over 100,000 requests, with a V8 heap
// under 16 MB), so compare the two in the same host.
//
//   node www/load.mjs [--requests 10000] [--concurrency 16] [--warmup 5000] [--host workerd|miniflare|wrangler] [--baseline] [--cache]
//   node www/load.mjs --only resize   only the cases whose name holds "resize"
//   node www/load.mjs --sample-every 1000 --v8-flags="--trace-gc"   plain workerd: the V8 heap after each GC too
//   node www/load.mjs --smoke         200 requests at 4 after 50, no RSS limit (scripts/test.sh)
//   node www/load.mjs --private       PRIVATE on: every request carries a V1 signed URL (signing.md)
// The report gives the workerd CPU time per request (utime + stime over the run / requests);
// with --only, per kind of request.
//
// Exits 1 on any failed check, any 5xx, a workerd process ending or restarting, the Worker's
// RSS growing after warm-up by more than --max-rss-growth % (default 10; not in --smoke), or
// the whole run taking over --max-seconds. The Worker's Cache API is off unless --cache
// (Miniflare and wrangler dev only), so every request is processed. The bundle is built from
// pkg/ at start, and wrangler dev restarts workerd when pkg/ changes: run under
// `flock /tmp/ossimg-pkg.lock` while others rebuild it. Everything listens on 127.0.0.1 and
// workerd is stopped on exit, on errors and on Ctrl-C.
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Miniflare } from "miniflare";
import { probe, process as processImage } from "ossimg";
import { freePort, requirePkg, serveBucket, startWorker, waitForWorker } from "./serve.mjs";
import { bundleModules, bundleOptions, bundleWorker, wranglerConfig } from "./worker-bundle.mjs";
import { startWorkerd, workerdConfig } from "./workerd-host.mjs";

const REQUEST_TIMEOUT_MS = 30_000;
/** Every n-th image response is decoded in full (decoding all would starve workerd of CPU). */
const FULL_DECODE_EVERY = 10;

const HOSTS = ["workerd", "miniflare", "wrangler"];
const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "16" },
    // Plain workerd reaches its RSS plateau after ~4,000 requests of this mix (Miniflare's then
    // saws up and down by ~20 MB); the JS heap and the wasm memory after a few hundred.
    warmup: { type: "string", default: "5000" },
    "sample-every": { type: "string", default: "1000" },
    "max-rss-growth": { type: "string", default: "10" },
    "max-seconds": { type: "string", default: "1800" },
    host: { type: "string", default: "workerd" },
    "v8-flags": { type: "string", default: "" },
    baseline: { type: "boolean", default: false },
    cache: { type: "boolean", default: false },
    only: { type: "string" },
    smoke: { type: "boolean", default: false },
    private: { type: "boolean", default: false },
  },
});
const smoke = args.smoke;
const requests = smoke ? 200 : positive("requests");
const concurrency = smoke ? 4 : positive("concurrency");
const warmup = smoke ? 50 : positive("warmup", true);
const sampleEvery = smoke ? 50 : positive("sample-every");
const maxRssGrowth = smoke ? Infinity : positive("max-rss-growth", true);
const maxSeconds = smoke ? 180 : positive("max-seconds");
const { host, baseline } = args;
if (!HOSTS.includes(host)) usage(`--host must be one of ${HOSTS.join(", ")}`);
if (args.cache && host === "workerd") usage("--cache needs --host miniflare or wrangler (plain workerd has no cache service)");
if (baseline && host === "wrangler") usage("--baseline runs under --host workerd or miniflare");
/** `--v8-flags="--trace-gc --max-heap-size=64"`: V8 flags for plain workerd (to look into its heap). */
const v8Flags = args["v8-flags"].split(" ").filter(Boolean);
if (v8Flags.length > 0 && host !== "workerd") usage("--v8-flags needs --host workerd");
/** With --trace-gc, workerd's GC lines are read: the V8 heap joins the RSS figures. */
const traceGc = v8Flags.includes("--trace-gc");

function usage(message) {
  console.error(`load: ${message}`);
  process.exit(2);
}

function positive(name, zeroOk = false) {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) usage(`--${name} must be a ${zeroOk ? "non-negative" : "positive"} integer`);
  return n;
}

const bucketDir = new URL("./example-bucket/", import.meta.url);
const object = (key) => readFileSync(new URL(key, bucketDir));
const b64 = (s) => Buffer.from(s).toString("base64url");
const KODIM = { w: 768, h: 512 };

/**
 * The mix, cycled in order. `expect`: the status and OSS error code, or for 200s the type
 * and what the spec implies (sizes from the source sizes in www/example-bucket/README.md;
 * a proportional side may round either way), or the exact object for a passthrough.
 */
const CASES = [
  { name: "resize", path: "photos/kodim23.png?x-oss-process=image/resize,w_200", expect: { mime: "image/png", w: 200, h: (KODIM.h * 200) / KODIM.w } },
  { name: "format webp", path: "photos/hopper.jpg?x-oss-process=image/format,webp", expect: { mime: "image/webp", w: 128, h: 128 } },
  // EXIF orientation 6: 1200x1800 stored, 1800x1200 upright.
  { name: "format png", path: "photos/landscape-exif6.jpg?x-oss-process=image/resize,w_100/format,png", expect: { mime: "image/png", w: 100, h: (1200 * 100) / 1800 } },
  { name: "format jpg", path: "photos/kodim23.png?x-oss-process=image/resize,w_160/format,jpg", expect: { mime: "image/jpeg", w: 160, h: (KODIM.h * 160) / KODIM.w } },
  { name: "crop", path: "photos/hopper.jpg?x-oss-process=image/crop,w_64,h_64,g_center", expect: { mime: "image/jpeg", w: 64, h: 64 } },
  { name: "rotate 90", path: "photos/kodim23.png?x-oss-process=image/resize,w_200/rotate,90", expect: { mime: "image/png", w: (KODIM.h * 200) / KODIM.w, h: 200 } },
  { name: "blur", path: "photos/hopper.jpg?x-oss-process=image/blur,r_3,s_2", expect: { mime: "image/jpeg", w: 128, h: 128 } },
  { name: "quality", path: "photos/kodim23.png?x-oss-process=image/resize,w_300/quality,q_60/format,jpg", expect: { mime: "image/jpeg", w: 300, h: 200 } },
  { name: "animated resize", path: "photos/anim.webp?x-oss-process=image/resize,w_50", expect: { mime: "image/webp", w: 50, h: 50, frames: 6 } },
  { name: "info", path: "photos/kodim23.png?x-oss-process=image/info", expect: { info: { Format: "png", ImageWidth: "768", ImageHeight: "512" } } },
  { name: "style thumb", path: "photos/kodim23.png!thumb", expect: { mime: "image/png", w: 200, h: 200 } },
  { name: "style small", path: "photos/kodim23.png?x-oss-process=style/small", expect: { mime: "image/webp", w: 640, h: (KODIM.h * 640) / KODIM.w } },
  // resize never enlarges by default (limit_1): hopper stays 128x128 under the logo.
  { name: "style logo (image mark)", path: "photos/hopper.jpg!logo", expect: { mime: "image/jpeg", w: 128, h: 128 } },
  { name: "text mark", path: `photos/hopper.jpg?x-oss-process=image/watermark,text_${b64("ossimg load")},size_20`, expect: { mime: "image/jpeg", w: 128, h: 128 } },
  { name: "passthrough", path: "photos/anim.webp", expect: { same: object("photos/anim.webp"), mime: "image/webp" } },
  { name: "passthrough jpeg", path: "photos/hopper.jpg", expect: { same: object("photos/hopper.jpg"), mime: "image/jpeg" } },
  { name: "missing key", path: "photos/missing.jpg", expect: { status: 404, code: "NoSuchKey" } },
  { name: "missing key + spec", path: "photos/missing.jpg?x-oss-process=image/resize,w_10", expect: { status: 404, code: "NoSuchFile" } },
  { name: "invalid spec", path: "photos/hopper.jpg?x-oss-process=image/resize,w_abc", expect: { status: 400, code: "InvalidArgument" } },
];

/** What the --baseline Worker answers to every request. */
const BASELINE_BODY = "ossimg load baseline";
const BASELINE_WORKER = `export default { fetch: () => new Response(${JSON.stringify(BASELINE_BODY)}, { headers: { "content-type": "text/plain" } }) };\n`;

/** The load run's own route in front of our Worker: the size of the engine's wasm linear memory. */
const WASM_MEMORY_PATH = "/__ossimg-load/wasm-memory";
/**
 * Modules put in front of our bundle for the run (never deployed): the tracker, evaluated
 * before the bundle, records each WebAssembly.Instance the glue creates (on import, and a
 * fresh one after a trap); the entry answers WASM_MEMORY_PATH with the latest instance's
 * memory size and hands every other request to the bundle.
 */
const PROBE_MODULES = {
  "load-entry.js": `import { wasmMemoryBytes } from "./load-wasm-tracker.js";
import worker from "./index.js";
export default {
  fetch: (request, env, ctx) => (new URL(request.url).pathname === ${JSON.stringify(WASM_MEMORY_PATH)} ? Response.json({ bytes: wasmMemoryBytes() }) : worker.fetch(request, env, ctx)),
};
`,
  "load-wasm-tracker.js": `const Instance = WebAssembly.Instance;
let latest = null;
WebAssembly.Instance = class extends Instance {
  constructor(module, imports) {
    super(module, imports);
    latest = this;
  }
};
export const wasmMemoryBytes = () => latest?.exports.memory?.buffer.byteLength ?? 0;
`,
};

/** `--only WORD`: the cases whose name holds WORD (to find which kind of request costs memory). */
const selected = args.only === undefined ? CASES : CASES.filter((c) => c.name.includes(args.only));
if (selected.length === 0) usage(`no case name holds ${JSON.stringify(args.only)}; names: ${CASES.map((c) => c.name).join(", ")}`);
/** --private: the key pair and bucket the Worker verifies V1 signed URLs with. */
const SIGNING = { OSS_BUCKET: "ossimg-load", OSS_REGION: "cn-hangzhou", OSS_ACCESS_KEYS: JSON.stringify({ loadAK: "loadSecretKey0123456789" }), PRIVATE: "true" };
/** A V1 signed path (signing.md §1), as ali-oss signs it: the process is a signed sub-resource. */
function signV1(path) {
  const [rawKey, query = ""] = path.split("?");
  const key = decodeURIComponent(rawKey);
  const expires = Math.floor(Date.now() / 1000) + 86_400;
  const process = query.startsWith("x-oss-process=") ? decodeURIComponent(query.slice("x-oss-process=".length)) : null;
  const resource = `/${SIGNING.OSS_BUCKET}/${key}${process === null ? "" : `?x-oss-process=${process}`}`;
  const signature = createHmac("sha1", "loadSecretKey0123456789").update(`GET\n\n\n${expires}\n${resource}`).digest("base64");
  return `${rawKey}?${query ? `${query}&` : ""}OSSAccessKeyId=loadAK&Expires=${expires}&Signature=${encodeURIComponent(signature)}`;
}
const signedMix = args.private ? selected.map((c) => ({ ...c, path: signV1(c.path) })) : selected;
const mix = baseline ? signedMix.map((c) => ({ ...c, expect: { body: BASELINE_BODY } })) : signedMix;

const MAGIC = {
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/png": (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  "image/webp": (b) => b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP",
};

let imagesChecked = 0;
/** Responses received so far (warm-up and run): the sampler files RSS under it. */
let answered = 0;

/** What is wrong with the response to `c` (null: nothing). */
function problem(c, status, headers, body) {
  const { expect } = c;
  const wantStatus = expect.status ?? 200;
  if (status !== wantStatus) return `status ${status}, want ${wantStatus}: ${body.toString("utf8", 0, 200)}`;
  if (expect.body) return body.toString() === expect.body ? null : `body ${body.toString("utf8", 0, 200)}, want ${expect.body}`;
  const length = headers.get("content-length");
  if (length !== null && Number(length) !== body.length) return `Content-Length ${length} but ${body.length} bytes`;
  const type = headers.get("content-type") ?? "";
  if (expect.code) {
    if (!type.startsWith("application/xml")) return `error type ${type}`;
    const code = /<Code>([^<]*)<\/Code>/.exec(body.toString())?.[1];
    return code === expect.code ? null : `error code ${code}, want ${expect.code}`;
  }
  if (expect.info) {
    if (!type.startsWith("application/json")) return `info type ${type}`;
    const info = JSON.parse(body.toString());
    const wrong = Object.entries(expect.info).find(([k, v]) => info[k]?.value !== v);
    return wrong ? `info ${wrong[0]} = ${info[wrong[0]]?.value}, want ${wrong[1]}` : null;
  }
  if (type !== expect.mime) return `type ${type}, want ${expect.mime}`;
  if (length === null) return "no Content-Length";
  if (expect.same) return body.equals(expect.same) ? null : `passthrough body differs (${body.length} of ${expect.same.length} bytes)`;
  if (!MAGIC[expect.mime](body)) return `not a ${expect.mime} by its magic number`;
  const got = probe(body);
  const near = (n, want) => Math.abs(n - want) < 1;
  if (got.mime !== expect.mime || !near(got.width, expect.w) || !near(got.height, expect.h) || got.frames !== (expect.frames ?? 1)) {
    return `probed ${got.mime} ${got.width}x${got.height} ${got.frames} frames, want ${expect.mime} ${expect.w}x${expect.h} ${expect.frames ?? 1}`;
  }
  imagesChecked += 1;
  if (imagesChecked % FULL_DECODE_EVERY === 0) processImage(body, "image/resize,w_1"); // throws if any frame is broken
  return null;
}

/** VmRSS and its anonymous and file-backed parts of process `pid`, in kB. */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "latin1");
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: field("VmRSS"), anon: field("RssAnon"), file: field("RssFile") };
}

/**
 * The workerd processes under `rootPid` (found through /proc ppid links), memory in kB:
 * `proxy` is wrangler dev's proxy (the process listening on the Worker's public port
 * `proxyPort`; null otherwise: plain workerd and Miniflare run one workerd), `worker` the one
 * that runs the Worker; `pids`, the Worker's, change when wrangler restarts it (it reloads
 * when pkg/ or www/cf-worker changes) or it dies.
 */
function workerd(rootPid, proxyPort) {
  const parentOf = new Map();
  const nameOf = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
      const close = stat.lastIndexOf(")");
      nameOf.set(entry, stat.slice(stat.indexOf("(") + 1, close));
      parentOf.set(entry, stat.slice(close + 2).split(" ")[1]);
    } catch {
      // the process ended meanwhile
    }
  }
  const under = (p) => {
    for (let at = parentOf.get(p); at !== undefined; at = parentOf.get(at)) if (at === String(rootPid)) return true;
    return false;
  };
  const found = { worker: { rss: 0, anon: 0, file: 0 }, proxy: 0, workerPids: [] };
  for (const [p, name] of nameOf) {
    if (name !== "workerd" || !under(p)) continue;
    try {
      const memory = memoryOf(p);
      if (proxyPort !== null && readFileSync(`/proc/${p}/cmdline`, "latin1").includes(`=127.0.0.1:${proxyPort}\0`)) {
        found.proxy += memory.rss;
      } else {
        for (const part of ["rss", "anon", "file"]) found.worker[part] += memory[part];
        found.workerPids.push(p);
      }
    } catch {
      // the process ended meanwhile
    }
  }
  if (found.worker.rss === 0) throw new Error("no workerd process runs the Worker");
  return { ...found, pids: found.workerPids.join(",") };
}

/** The V8 heap after the last GC in workerd's --trace-gc output, MB; major GCs seen. */
const v8Heap = { used: NaN, committed: NaN, majorGcs: 0 };
const GC_LINE = /ms: (Scavenge|Mark-Compact|Minor Mark-Sweep)\b.*? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/;

/** Files a line of workerd's stdout: a GC trace line updates v8Heap, anything else is echoed. */
function workerdStdoutLine(line) {
  const gc = GC_LINE.exec(line);
  if (!gc) {
    console.log(line);
    return;
  }
  v8Heap.used = Number(gc[2]);
  v8Heap.committed = Number(gc[3]);
  if (gc[1] === "Mark-Compact") v8Heap.majorGcs += 1;
}

const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;
const percent = (from, to) => `${to >= from ? "+" : ""}${(((to - from) / from) * 100).toFixed(1)} %`;

/**
 * Over the second half of the run's samples (`series`: { responses, rss } after warm-up):
 * the RSS growth from its first to its last sample and the least-squares slope in MB per
 * 1,000 responses. A plateau reads ~0 on both; a leak keeps the slope of the whole run.
 */
function secondHalf(series) {
  const half = series.slice(Math.floor(series.length / 2)).map((p) => [p.responses, p.rss]);
  if (half.length < 2) return "too few samples (lower --sample-every)";
  const n = half.length;
  const meanX = half.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = half.reduce((sum, [, y]) => sum + y, 0) / n;
  const covariance = half.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = half.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  const slope = ((covariance / variance) * 1000) / 1024;
  return `${percent(half[0][1], half.at(-1)[1])} from response ${half[0][0]} to ${half.at(-1)[0]}, slope ${slope >= 0 ? "+" : ""}${slope.toFixed(2)} MB per 1,000 responses`;
}

/** Sends `count` requests at `parallel` over the mix; per-case failures, latencies (ms), 5xx count. */
async function run(workerUrl, count, parallel, signal, onAnswer) {
  const latencies = [];
  const failures = new Map();
  let serverErrors = 0;
  let next = 0;
  const fail = (c, message) => {
    const f = failures.get(c.name) ?? { count: 0, first: message };
    f.count += 1;
    failures.set(c.name, f);
  };
  async function loop() {
    while (next < count && !signal.aborted) {
      const c = mix[next % mix.length];
      next += 1;
      const started = performance.now();
      try {
        const res = await fetch(`${workerUrl}/${c.path}`, { signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
        const body = Buffer.from(await res.arrayBuffer());
        latencies.push(performance.now() - started);
        answered += 1;
        onAnswer();
        if (res.status >= 500) serverErrors += 1;
        const wrong = problem(c, res.status, res.headers, body);
        if (wrong) fail(c, wrong);
      } catch (err) {
        fail(c, `${err?.name}: ${err?.cause?.message ?? err?.message ?? err}`); // a failed request, or a body that does not decode
      }
    }
  }
  await Promise.all(Array.from({ length: parallel }, loop));
  return { latencies, failures, serverErrors };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

requirePkg("load");
const origin = await serveBucket(0);
const workerPort = await freePort();
const workerUrl = `http://127.0.0.1:${workerPort}`;
/** What the run changes in wrangler.toml's vars (wrangler dev reads the rest itself). */
const varOverrides = { ORIGIN_URL: `${origin.url}/`, ...(args.cache ? {} : { CACHE: "off" }), ...(args.private ? SIGNING : {}) };
const vars = { ...wranglerConfig().vars, ...varOverrides };
const compatibilityDate = wranglerConfig().compatibility_date;
const runAbort = new AbortController();
let stopping = false;
let worker; // { rootPid, proxyPort, stop(), kill() }: kill() is synchronous (also runs on exit)

/** `wrangler dev --local` in its own process group; workerd ends with the group. */
function startWranglerDev() {
  const wrangler = startWorker(workerPort, varOverrides, "warn");
  wrangler.on("exit", (code) => {
    if (!stopping) {
      console.error(`load: wrangler exited (${code})`);
      stop(1);
    }
  });
  const signal = (name) => {
    try {
      process.kill(-wrangler.pid, name);
    } catch {
      // already gone
    }
  };
  return { rootPid: wrangler.pid, proxyPort: workerPort, stop: () => signal("SIGTERM"), kill: () => signal("SIGKILL") };
}

/**
 * A temporary folder with the Worker's modules: the baseline's index.js, or the wrangler
 * bundle behind PROBE_MODULES. `esModules`: the entry first; `wasm`: the bundle's .wasm.
 */
function workerModules() {
  const dir = mkdtempSync(join(tmpdir(), "ossimg-load-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    if (baseline) {
      writeFileSync(join(dir, "index.js"), BASELINE_WORKER);
      return { dir, remove, esModules: ["index.js"], wasm: [] };
    }
    bundleWorker(dir);
    for (const [name, source] of Object.entries(PROBE_MODULES)) writeFileSync(join(dir, name), source);
    const bundle = bundleModules(dir);
    return { dir, remove, esModules: [...Object.keys(PROBE_MODULES), bundle.entry], wasm: bundle.wasm, data: bundle.data };
  } catch (err) {
    remove();
    throw err;
  }
}

/** The Worker in a plain `workerd serve` (a child of this process). */
function startPlainWorkerd() {
  const modules = workerModules();
  const config = workerdConfig({ modules, vars, compatibilityDate, port: workerPort, v8Flags });
  const child = startWorkerd(modules.dir, config, { stdout: traceGc ? "pipe" : "inherit" });
  if (traceGc) createInterface({ input: child.stdout }).on("line", workerdStdoutLine);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`load: workerd exited (${code ?? signal})`);
      stop(1);
    }
  });
  return {
    rootPid: process.pid,
    proxyPort: null,
    stop: () => child.kill("SIGTERM"),
    kill: () => {
      child.kill("SIGKILL");
      modules.remove();
    },
  };
}

/** The Worker in Miniflare's workerd (a child of this process). */
async function startMiniflare() {
  const modules = workerModules();
  const entry = join(modules.dir, modules.esModules[0]);
  const workerOptions = baseline ? { scriptPath: entry, modules: true, modulesRoot: modules.dir, compatibilityDate, cf: false } : { ...bundleOptions(modules.dir), scriptPath: entry };
  const killWorkerd = () => {
    for (const p of workerdPids(process.pid, null)) {
      try {
        process.kill(Number(p), "SIGKILL");
      } catch {
        // gone
      }
    }
  };
  const mf = new Miniflare({ ...workerOptions, bindings: vars, host: "127.0.0.1", port: workerPort });
  try {
    await mf.ready;
  } catch (err) {
    killWorkerd();
    modules.remove();
    throw err;
  }
  return {
    rootPid: process.pid,
    proxyPort: null,
    stop: () => mf.dispose().catch(killWorkerd).finally(modules.remove),
    kill: () => {
      killWorkerd();
      modules.remove();
    },
  };
}

/** utime + stime of `pids` in clock ticks (1/100 s), NaN when one cannot be read. */
function cpuTicks(pids) {
  let total = 0;
  for (const pid of pids ?? []) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "latin1").replace(/^.*\) /s, "").split(" ");
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      return NaN;
    }
  }
  return pids?.length ? total : NaN;
}

/** The pids of the workerd processes that run the Worker now ([] if none). */
function workerdPids(rootPid, proxyPort) {
  try {
    return workerd(rootPid, proxyPort).workerPids;
  } catch {
    return [];
  }
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  runAbort.abort(new Error("stopping"));
  worker?.stop();
  origin.server.close();
  origin.server.closeAllConnections();
  // workerd normally ends on SIGTERM, with wrangler or Miniflare's dispose; make sure before exiting.
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on("exit", () => worker?.kill());
process.on("SIGINT", () => stop(130));
process.on("SIGTERM", () => stop(143));
process.on("uncaughtException", (err) => {
  console.error("load:", err);
  stop(1);
});
const runTimer = setTimeout(() => {
  console.error(`load: the run took over ${maxSeconds} s: stopped`);
  stop(1);
}, maxSeconds * 1000);
runTimer.unref();

const START = { workerd: startPlainWorkerd, miniflare: startMiniflare, wrangler: startWranglerDev };

try {
  worker = await START[host]();
  if (stopping) worker.stop(); // stopped while it started
  if (!(await waitForWorker(workerUrl, () => stopping))) throw new Error(`the Worker did not answer at ${workerUrl}`);
  const sample = () => workerd(worker.rootPid, worker.proxyPort);
  const atStart = sample();
  const pidSets = new Set([atStart.pids]);
  const peak = { worker: atStart.worker.rss, proxy: atStart.proxy };
  const record = (now) => {
    peak.worker = Math.max(peak.worker, now.worker.rss);
    peak.proxy = Math.max(peak.proxy, now.proxy);
    pidSets.add(now.pids);
    return now;
  };
  /**
   * Every `sampleEvery` responses (warm-up included): { responses, rss (kB), heap: V8 heap
   * MB used / committed after the last GC (--trace-gc), wasm: linear memory bytes (our
   * Worker under workerd or Miniflare; filled in when the probe answers) }.
   */
  const series = [];
  const wasmAnswers = [];
  const addPoint = (now) => {
    const point = { responses: answered, rss: now.worker.rss, heap: { ...v8Heap }, wasm: NaN };
    series.push(point);
    if (baseline || host === "wrangler") return;
    const asked = fetch(`${workerUrl}${WASM_MEMORY_PATH}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).then((res) => res.json());
    wasmAnswers.push(asked.then(({ bytes }) => (point.wasm = bytes)).catch(() => {}));
  };
  addPoint(atStart);
  const onAnswer = () => {
    if (answered % sampleEvery !== 0) return;
    try {
      addPoint(record(sample()));
    } catch {
      pidSets.add("none");
    }
  };
  // Once a second as well: the peak between samples.
  const sampler = setInterval(() => {
    try {
      record(sample());
    } catch {
      pidSets.add("none");
    }
  }, 1000);
  const warm = await run(workerUrl, warmup, concurrency, runAbort.signal, onAnswer);
  const afterWarmup = record(sample());
  const cpuBefore = cpuTicks(afterWarmup.workerPids);
  const started = performance.now();
  const main = await run(workerUrl, requests, concurrency, runAbort.signal, onAnswer);
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = ((cpuTicks(afterWarmup.workerPids) - cpuBefore) * 10) / requests;
  clearInterval(sampler);
  const atEnd = record(sample());
  if (series.at(-1).responses !== answered) addPoint(atEnd);
  await Promise.all(wasmAnswers);
  if (stopping) throw new Error("stopped before the end");

  const sorted = main.latencies.sort((a, b) => a - b);
  const growth = ((atEnd.worker.rss - afterWarmup.worker.rss) / afterWarmup.worker.rss) * 100;
  const parts = (m) => `${mb(m.worker.rss)} (anon ${mb(m.worker.anon)}, file ${mb(m.worker.file)})`;
  const failed = [...warm.failures, ...main.failures];
  const serverErrors = warm.serverErrors + main.serverErrors;
  const runSeries = series.filter((p) => p.responses >= warmup);
  const bySample = (label, format) => `  ${label} by responses: ${series.map((p) => `${p.responses}: ${format(p)}`).join(", ")}`;
  console.log(
    [
      `load: ${baseline ? "the constant baseline Worker" : "our Worker"} under ${host === "workerd" ? "plain workerd" : host === "miniflare" ? "Miniflare" : "wrangler dev"}: ${requests} requests at concurrency ${concurrency} after ${warmup} warm-up, ${mix.length} kinds of request, Cache API ${args.cache ? "on" : "off"}`,
      `  PRIVATE ${args.private ? "on: every request a V1 signed URL" : "off"}; workerd CPU ${Number.isFinite(cpuMs) ? cpuMs.toFixed(2) : "?"} ms per request (utime+stime over the run)`,
      `  ${(requests / seconds).toFixed(1)} requests/s over ${seconds.toFixed(1)} s; latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`,
      `  Worker's workerd RSS: ${parts(atStart)} at start, ${parts(afterWarmup)} after warm-up, ${parts(atEnd)} at the end; peak ${mb(peak.worker)}`,
      `  growth after warm-up: ${percent(afterWarmup.worker.rss, atEnd.worker.rss)}; over the second half of the run: ${secondHalf(runSeries)}`,
      bySample(`RSS MB (warm-up: the first ${warmup})`, (p) => (p.rss / 1024).toFixed(0)),
      ...(series.some((p) => p.wasm >= 0) ? [bySample("wasm linear memory MB", (p) => (p.wasm / 2 ** 20).toFixed(1))] : []),
      ...(traceGc ? [bySample(`V8 heap MB used / committed after the last GC (${v8Heap.majorGcs} major GCs)`, (p) => `${p.heap.used.toFixed(0)}/${p.heap.committed.toFixed(0)}`)] : []),
      ...(atStart.proxy > 0 ? [`  wrangler dev proxy workerd RSS (not checked): ${mb(atStart.proxy)} at start, ${mb(afterWarmup.proxy)} after warm-up, ${mb(atEnd.proxy)} at the end (peak ${mb(peak.proxy)})`] : []),
      `  5xx: ${serverErrors}; failed checks: ${failed.reduce((n, [, f]) => n + f.count, 0)}; images probed ${imagesChecked}, decoded in full ${Math.floor(imagesChecked / FULL_DECODE_EVERY)}`,
      ...failed.map(([name, f]) => `  FAIL ${name}: ${f.count}x, first: ${f.first}`),
    ].join("\n"),
  );
  if (growth > maxRssGrowth) console.log(`  FAIL the Worker's workerd grew ${growth.toFixed(1)} % after warm-up (limit ${maxRssGrowth} %)`);
  // A restart resets RSS and drops connections: the figures would mean nothing.
  if (pidSets.size > 1) console.log(`  FAIL the Worker's workerd ended or was restarted during the run (pids ${[...pidSets].join(" -> ")}): a crash, or pkg/ rebuilt (run under flock /tmp/ossimg-pkg.lock)`);
  const ok = failed.length === 0 && serverErrors === 0 && growth <= maxRssGrowth && pidSets.size === 1;
  stop(ok ? 0 : 1);
} catch (err) {
  console.error(`load: ${err?.message ?? err}`);
  stop(1);
}
