// Load run against the Cloudflare Worker in local workerd (issue 7): the example bucket as
// the loopback origin, the Worker on 127.0.0.1, a warm-up, then N requests at concurrency C
// over a fixed mix of specs and sources (images, info JSON, styles, watermarks, passthrough,
// a missing key, an invalid spec). Every response is checked (status, OSS error code, type,
// Content-Length = body, magic number, probed format and size; every 10th image fully
// decoded); prints requests/s, p50/p99 latency and the VmRSS of the workerd process that runs
// the Worker before and after warm-up and at the end.
//
// By default the Worker is the `wrangler deploy` bundle run by Miniflare in one workerd with
// wrangler.toml's vars and no inspector. `--wrangler` runs it under `wrangler dev --local`
// instead, whose inspector proxy buffers every message while no DevTools is attached (its
// proxy workerd grows until it dies after a few thousand requests; reported, not checked).
//
//   node www/load.mjs [--requests 10000] [--concurrency 16] [--warmup 500] [--cache] [--wrangler]
//   node www/load.mjs --only resize   only the cases whose name holds "resize"
//   node www/load.mjs --smoke         200 requests at 4 after 50, no RSS limit (scripts/test.sh)
//
// Exits 1 on any failed check, any 5xx, a workerd process ending or restarting, the Worker's
// RSS growing after warm-up by more than --max-rss-growth % (default 10; not in --smoke), or
// the whole run taking over --max-seconds. The Worker's Cache API is off unless --cache, so
// every request is processed. The bundle is built from pkg/ at start, and wrangler dev
// restarts workerd when pkg/ changes: run under `flock /tmp/ossimg-pkg.lock` while others
// rebuild it. Everything listens on 127.0.0.1 and the child processes are stopped on exit,
// on errors and on Ctrl-C.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Miniflare } from "miniflare";
import { probe, process as processImage } from "ossimg";
import { freePort, requirePkg, serveBucket, startWorker, waitForWorker } from "./serve.mjs";
import { bundleOptions, bundleWorker, wranglerConfig } from "./worker-bundle.mjs";

const REQUEST_TIMEOUT_MS = 30_000;
/** Every n-th image response is decoded in full (decoding all would starve workerd of CPU). */
const FULL_DECODE_EVERY = 10;

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "16" },
    warmup: { type: "string", default: "500" },
    "max-rss-growth": { type: "string", default: "10" },
    "max-seconds": { type: "string", default: "1800" },
    cache: { type: "boolean", default: false },
    only: { type: "string" },
    smoke: { type: "boolean", default: false },
    wrangler: { type: "boolean", default: false },
  },
});
const smoke = args.smoke;
const requests = smoke ? 200 : positive("requests");
const concurrency = smoke ? 4 : positive("concurrency");
const warmup = smoke ? 50 : positive("warmup", true);
const maxRssGrowth = smoke ? Infinity : positive("max-rss-growth", true);
const maxSeconds = smoke ? 180 : positive("max-seconds");

function positive(name, zeroOk = false) {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) {
    console.error(`load: --${name} must be a ${zeroOk ? "non-negative" : "positive"} integer`);
    process.exit(2);
  }
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

/** `--only WORD`: the cases whose name holds WORD (to find which kind of request costs memory). */
const mix = args.only === undefined ? CASES : CASES.filter((c) => c.name.includes(args.only));
if (mix.length === 0) {
  console.error(`load: no case name holds ${JSON.stringify(args.only)}; names: ${CASES.map((c) => c.name).join(", ")}`);
  process.exit(2);
}

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

/**
 * The workerd processes under `rootPid` (found through /proc ppid links), VmRSS in kB:
 * `proxy` is wrangler dev's proxy (the process listening on the Worker's public port
 * `proxyPort`; null under Miniflare, which runs one workerd), `worker` the one that runs the
 * Worker; `pids`, the Worker's, change when wrangler restarts it (it reloads when pkg/ or
 * www/cf-worker changes) or it dies.
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
  const found = { worker: 0, proxy: 0, workerPids: [] };
  for (const [p, name] of nameOf) {
    if (name !== "workerd" || !under(p)) continue;
    try {
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "latin1"))?.[1] ?? 0);
      const isProxy = proxyPort !== null && readFileSync(`/proc/${p}/cmdline`, "latin1").includes(`=127.0.0.1:${proxyPort}\0`);
      found[isProxy ? "proxy" : "worker"] += rss;
      if (!isProxy) found.workerPids.push(p);
    } catch {
      // the process ended meanwhile
    }
  }
  if (found.worker === 0) throw new Error("no workerd process runs the Worker");
  return { ...found, pids: found.workerPids.join(",") };
}

const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;

/** RSS at each tenth of the run: the first sample once that many responses came back. */
function deciles(timeline, total, atEnd) {
  return Array.from({ length: 10 }, (_, i) => {
    const mark = Math.round(((i + 1) * total) / 10);
    const kb = timeline.find(([n]) => n >= mark)?.[1] ?? atEnd;
    return `${mark}: ${(kb / 1024).toFixed(0)}`;
  }).join(", ") + " MB";
}

/** Sends `count` requests at `parallel` over the mix; per-case failures, latencies (ms), 5xx count. */
async function run(workerUrl, count, parallel, signal) {
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
const vars = { ORIGIN_URL: `${origin.url}/`, ...(args.cache ? {} : { CACHE: "off" }) };
const runAbort = new AbortController();
let stopping = false;
let worker; // { rootPid, proxyPort, stop(), kill() }

/** `wrangler dev --local` in its own process group; workerd ends with the group. */
function startWranglerDev() {
  const wrangler = startWorker(workerPort, vars, "warn");
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

/** The wrangler bundle in Miniflare's workerd (a child of this process), wrangler.toml's vars. */
async function startMiniflare() {
  const out = mkdtempSync(join(tmpdir(), "ossimg-load-"));
  const removeBundle = () => rmSync(out, { recursive: true, force: true });
  let mf;
  try {
    bundleWorker(out);
    mf = new Miniflare({ ...bundleOptions(out), bindings: { ...wranglerConfig().vars, ...vars }, host: "127.0.0.1", port: workerPort });
    await mf.ready;
  } catch (err) {
    removeBundle();
    throw err;
  }
  const killWorkerd = () => {
    for (const p of workerdPids()) {
      try {
        process.kill(Number(p), "SIGKILL");
      } catch {
        // gone
      }
    }
  };
  return {
    rootPid: process.pid,
    proxyPort: null,
    stop: () => mf.dispose().catch(killWorkerd).finally(removeBundle),
    kill: () => {
      killWorkerd();
      removeBundle();
    },
  };
}

/** The pids of the workerd processes that run the Worker now ([] if none). */
function workerdPids() {
  try {
    return workerd(worker.rootPid, worker.proxyPort).workerPids;
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
  // workerd normally ends with wrangler or Miniflare's dispose; make sure before exiting.
  setTimeout(() => {
    worker?.kill();
    process.exit(code);
  }, 1500).unref();
}
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

try {
  worker = args.wrangler ? startWranglerDev() : await startMiniflare();
  if (stopping) worker.stop(); // stopped while it started
  if (!(await waitForWorker(workerUrl, () => stopping))) throw new Error(`the Worker did not answer at ${workerUrl}`);
  const sample = () => workerd(worker.rootPid, worker.proxyPort);
  const atStart = sample();
  const warm = await run(workerUrl, warmup, concurrency, runAbort.signal);
  const afterWarmup = sample();
  const peak = { ...afterWarmup };
  const pidSets = new Set([atStart.pids, afterWarmup.pids]);
  const answeredInWarmup = answered;
  const timeline = []; // [responses in the run, Worker RSS kB], once a second
  const sampler = setInterval(() => {
    try {
      const now = sample();
      timeline.push([answered - answeredInWarmup, now.worker]);
      peak.worker = Math.max(peak.worker, now.worker);
      peak.proxy = Math.max(peak.proxy, now.proxy);
      pidSets.add(now.pids);
    } catch {
      pidSets.add("none");
    }
  }, 1000);
  const started = performance.now();
  const main = await run(workerUrl, requests, concurrency, runAbort.signal);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const atEnd = sample();
  pidSets.add(atEnd.pids);
  if (stopping) throw new Error("stopped before the end");

  const sorted = main.latencies.sort((a, b) => a - b);
  const growth = (role) => ((atEnd[role] - afterWarmup[role]) / afterWarmup[role]) * 100;
  const rssLine = (role, label) =>
    `  ${label} RSS: ${mb(atStart[role])} at start, ${mb(afterWarmup[role])} after warm-up, ${mb(atEnd[role])} at the end (peak ${mb(Math.max(peak[role], atEnd[role]))}): ${growth(role) >= 0 ? "+" : ""}${growth(role).toFixed(1)} % after warm-up`;
  const failed = [...warm.failures, ...main.failures];
  const serverErrors = warm.serverErrors + main.serverErrors;
  console.log(
    [
      `load: ${requests} requests at concurrency ${concurrency} after ${warmup} warm-up, ${mix.length} kinds of request, Cache API ${args.cache ? "on" : "off"}, ${args.wrangler ? "wrangler dev" : "Miniflare"}`,
      `  ${(requests / seconds).toFixed(1)} requests/s over ${seconds.toFixed(1)} s; latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`,
      rssLine("worker", "Worker's workerd"),
      `  Worker's workerd RSS by responses in the run: ${deciles(timeline, requests, atEnd.worker)}`,
      ...(atStart.proxy > 0 ? [rssLine("proxy", "wrangler dev proxy workerd (not checked)")] : []),
      `  5xx: ${serverErrors}; failed checks: ${failed.reduce((n, [, f]) => n + f.count, 0)}; images probed ${imagesChecked}, decoded in full ${Math.floor(imagesChecked / FULL_DECODE_EVERY)}`,
      ...failed.map(([name, f]) => `  FAIL ${name}: ${f.count}x, first: ${f.first}`),
    ].join("\n"),
  );
  if (growth("worker") > maxRssGrowth) console.log(`  FAIL the Worker's workerd grew ${growth("worker").toFixed(1)} % after warm-up (limit ${maxRssGrowth} %)`);
  // A restart resets RSS and drops connections: the figures would mean nothing.
  if (pidSets.size > 1) console.log(`  FAIL the Worker's workerd ended or was restarted during the run (pids ${[...pidSets].join(" -> ")}): a crash, or pkg/ rebuilt (run under flock /tmp/ossimg-pkg.lock)`);
  const ok = failed.length === 0 && serverErrors === 0 && growth("worker") <= maxRssGrowth && pidSets.size === 1;
  stop(ok ? 0 : 1);
} catch (err) {
  console.error(`load: ${err?.message ?? err}`);
  stop(1);
}
