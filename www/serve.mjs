// Local stack on 127.0.0.1 (scripts/serve.sh runs it; Ctrl-C stops everything):
//   origin  the example bucket (www/example-bucket/, fonts under _ossimg/fonts/)  :8788
//   Worker  www/cf-worker in workerd through `wrangler dev` (metrics off)         :8787
//   demo    www/demo/ with the package at /pkg/ and the bucket at /samples/       :8080
// Ports: OSSIMG_WORKER_PORT, OSSIMG_ORIGIN_PORT, OSSIMG_DEMO_PORT.
// `--check`: start, make one request to each, print what came back, stop (exit 0 / 1).
// Imported (www/load.mjs), it only exports the start-up helpers.
import { spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "./static-server.mjs";

const www = dirname(fileURLToPath(import.meta.url));
const root = dirname(www);
const pkg = join(root, "pkg");
const bucket = join(www, "example-bucket");
const check = process.argv.includes("--check");
const READY_TIMEOUT_MS = 120_000;

/** Exits with a hint unless pkg/ is built. */
export function requirePkg(tool) {
  if (existsSync(join(pkg, "cf-worker.js"))) return;
  console.error(`${tool}: pkg/ is not built: run bash scripts/setup.sh first`);
  process.exit(1);
}

/** A free port on 127.0.0.1. */
export async function freePort() {
  const probe = createServer();
  await new Promise((ok) => probe.listen(0, "127.0.0.1", ok));
  const free = probe.address().port;
  await new Promise((ok) => probe.close(ok));
  return free;
}

/** A port number from the environment, or a free one in --check mode, or the default. */
async function port(name, fallback) {
  if (process.env[name]) return Number(process.env[name]);
  return check ? freePort() : fallback;
}

/** The example bucket as an HTTP origin on 127.0.0.1:`port`, the package's fonts under _ossimg/fonts/. */
export function serveBucket(port) {
  return serveStatic(
    [
      ["/_ossimg/fonts/", join(pkg, "fonts")],
      ["/", bucket],
    ],
    { port },
  );
}

/**
 * `wrangler dev` of www/cf-worker in workerd on 127.0.0.1:`port` (metrics off), in its own
 * process group: killing the group stops workerd too. `vars`: Worker vars ({ ORIGIN_URL, ... }).
 */
export function startWorker(port, vars, logLevel) {
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  return spawn(
    process.execPath,
    [join(www, "node_modules/wrangler/bin/wrangler.js"), "dev", "--local", "--ip", "127.0.0.1", "--port", String(port), ...varArgs, "--show-interactive-dev-session=false", "--log-level", logLevel],
    {
      cwd: join(www, "cf-worker"),
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", DO_NOT_TRACK: "1", NO_COLOR: "1" },
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    },
  );
}

/** Waits until the Worker at `workerUrl` answers (bounded); `stopped()` ends the wait early. */
export async function waitForWorker(workerUrl, stopped) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !stopped()) {
    try {
      const res = await fetch(`${workerUrl}/photos/hopper.jpg`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      // 403: up, with PRIVATE on (the probe is not signed).
      if (res.ok || res.status === 403) return true;
    } catch {
      // not up yet
    }
    await new Promise((ok) => setTimeout(ok, 500));
  }
  return false;
}

async function main() {
  requirePkg("serve");
  const origin = await serveBucket(await port("OSSIMG_ORIGIN_PORT", 8788));
  const workerPort = await port("OSSIMG_WORKER_PORT", 8787);
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  const demo = await serveStatic(
    [
      ["/pkg/", pkg],
      ["/samples/", bucket],
      ["/", join(www, "demo")],
    ],
    { port: await port("OSSIMG_DEMO_PORT", 8080) },
  );

  const wrangler = startWorker(workerPort, { ORIGIN_URL: `${origin.url}/` }, check ? "warn" : "info");
  let stopping = false;
  function stop(code) {
    if (stopping) return;
    stopping = true;
    process.exitCode = code; // also when the loop empties before the timer below
    try {
      process.kill(-wrangler.pid, "SIGTERM");
    } catch {
      // already gone
    }
    origin.server.close();
    demo.server.close();
    origin.server.closeAllConnections();
    demo.server.closeAllConnections();
    setTimeout(() => process.exit(code), 500).unref();
  }
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));
  wrangler.on("exit", (code) => {
    if (!stopping) {
      console.error(`serve: wrangler exited (${code})`);
      stop(1);
    }
  });

  if (!(await waitForWorker(workerUrl, () => stopping))) {
    console.error(`serve: the Worker did not answer at ${workerUrl} within ${READY_TIMEOUT_MS / 1000} s`);
    stop(1);
  } else if (check) {
    const processed = await fetch(`${workerUrl}/photos/kodim23.png?x-oss-process=image/resize,w_300/format,webp`);
    const styled = await fetch(`${workerUrl}/photos/hopper.jpg!thumb`);
    const page = await fetch(`${demo.url}/`);
    const results = [
      `Worker resize: ${processed.status} ${processed.headers.get("content-type")} ${(await processed.arrayBuffer()).byteLength} bytes`,
      `Worker style:  ${styled.status} ${styled.headers.get("content-type")} ${(await styled.arrayBuffer()).byteLength} bytes`,
      `demo page:     ${page.status} ${(await page.text()).includes("<title>ossimg") ? "ossimg page" : "unexpected page"}`,
    ];
    console.log(results.join("\n"));
    const ok = processed.headers.get("content-type") === "image/webp" && styled.ok && page.ok;
    stop(ok ? 0 : 1);
  } else {
    console.log(`
  ossimg is running (Ctrl-C stops it):
    demo page      ${demo.url}/
    Worker         ${workerUrl}/photos/kodim23.png?x-oss-process=image/resize,w_300/format,webp
    a style        ${workerUrl}/photos/hopper.jpg!thumb
    the original   ${workerUrl}/photos/landscape-exif6.jpg
    origin bucket  ${origin.url}/  (www/example-bucket)
`);
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
