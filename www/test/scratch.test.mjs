// The package where developers already are: the `npm pack` tarball installed (offline) into
// scratch projects, each built or run by the real tool, pinned in test/scratch/package-lock.json
// (installed here with `npm ci`, from the npm registry only: Deno and Bun come as npm packages
// whose binaries are their platform packages).
//   - webpack 5 build of the page example (www/examples/page.{html,js}) in Chromium
//   - the same build served with `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'`
//   - Vite's dev server (not a build) serving the page example in Chromium
//   - Next.js build + start: an edge-runtime route ("edge-light") and a Node route (ossimg/node)
//   - Deno and Bun: `import ... from "ossimg"` and "ossimg/node" processing a JPEG
//   - the Cloudflare Worker example (www/examples/cf-worker.js) bundled by wrangler, in workerd
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { Miniflare } from "miniflare";
import { createServer as createViteServer } from "vite";
import { probe } from "ossimg";
import { serveStatic } from "../static-server.mjs";
import { bundleOptions, bundleWorker } from "../worker-bundle.mjs";

const tools = fileURLToPath(new URL("./scratch/", import.meta.url));
const examples = fileURLToPath(new URL("../examples/", import.meta.url));
const fixtures = fileURLToPath(new URL("../../tests/fixtures/", import.meta.url));
const pkgDir = fileURLToPath(new URL("../node_modules/ossimg/", import.meta.url));
const CSP = "script-src 'self' 'wasm-unsafe-eval'";
const env = { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", NEXT_TELEMETRY_DISABLED: "1", DENO_NO_UPDATE_CHECK: "1", DO_NOT_TRACK: "1" };
const run = promisify(execFile);

let apps;
let tarball;
let browser;

/** Installs the pinned tools (npm ci) unless the lockfile is what node_modules holds. */
function installTools() {
  const lock = readFileSync(join(tools, "package-lock.json"));
  const stamp = join(tools, "node_modules", ".ossimg-lock-sha256");
  const hash = createHash("sha256").update(lock).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return;
  const started = performance.now();
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: tools, env, stdio: ["ignore", "ignore", "inherit"], timeout: 600_000 });
  writeFileSync(stamp, hash);
  console.log(`scratch tools: npm ci in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** A scratch project under test/scratch/.apps (so it resolves the pinned tools) with the tarball installed. */
function app(name, files = {}) {
  const dir = mkdtempSync(join(apps, `${name}-`));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `scratch-${name}`, private: true, type: "module" }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  execFileSync("npm", ["install", "--offline", "--no-save", "--no-package-lock", tarball], { cwd: dir, env, stdio: ["ignore", "ignore", "inherit"], timeout: 120_000 });
  return dir;
}

const example = (name) => readFileSync(join(examples, name), "utf8");

async function freePort() {
  const server = createNetServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** The page example at `url`: picks kodim23.png (768x512) and waits for the 300 px WebP. */
async function checkPageExample(url, { expectCsp = false } = {}) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => msg.type() === "error" && !msg.text().startsWith("Failed to load resource") && problems.push(`console: ${msg.text()}`));
  page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && problems.push(`${r.status()} ${r.url()}`));
  try {
    const response = await page.goto(url);
    if (expectCsp) assert.equal(response.headers()["content-security-policy"], CSP);
    await page.evaluate(() => document.addEventListener("securitypolicyviolation", (e) => (window.violations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`)));
    await page.setInputFiles("input[type=file]", join(fixtures, "kodim23.png"));
    await page.waitForFunction(() => document.querySelector("img").naturalWidth > 0, null, { timeout: 60_000 });
    const got = await page.evaluate(() => ({ width: document.querySelector("img").naturalWidth, height: document.querySelector("img").naturalHeight, violations: window.violations ?? [] }));
    assert.deepEqual(got, { width: 300, height: 200, violations: [] });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
}

before(async () => {
  installTools();
  apps = join(tools, ".apps");
  mkdirSync(apps, { recursive: true });
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", apps], { cwd: pkgDir, env, encoding: "utf8", timeout: 120_000 }));
  tarball = join(apps, packed[0].filename);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"] });
});

after(async () => {
  await browser?.close();
  if (apps) rmSync(apps, { recursive: true, force: true });
});

let webpackDist;

test("webpack 5: the page example builds with no config and runs in Chromium", { timeout: 180_000 }, async () => {
  const dir = app("webpack", { "src/page.js": example("page.js") });
  const webpack = createRequire(join(tools, "package.json"))("webpack");
  const compiler = webpack({ mode: "production", context: dir, entry: "./src/page.js", output: { path: join(dir, "dist"), clean: true }, performance: { hints: false } });
  const stats = await new Promise((resolve, reject) => compiler.run((err, s) => (err ? reject(err) : compiler.close(() => resolve(s)))));
  assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
  const assets = Object.keys(stats.compilation.assets);
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `the .wasm is emitted: ${assets.join(", ")}`);
  writeFileSync(join(dir, "dist/index.html"), example("page.html").replace("./page.js", "./main.js"));
  webpackDist = join(dir, "dist");
  const { server, url } = await serveStatic([["/", webpackDist]]);
  try {
    await checkPageExample(`${url}/`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("a strict CSP page (script-src 'self' 'wasm-unsafe-eval'): the webpack build works, no violation", { timeout: 120_000 }, async () => {
  assert.ok(webpackDist, "the webpack test ran first");
  const { server, url } = await serveStatic([["/", webpackDist]], {
    onRequest(_path, _req, res) {
      res.setHeader("content-security-policy", CSP);
      return false;
    },
  });
  try {
    await checkPageExample(`${url}/`, { expectCsp: true });
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("Vite dev server (not a build): the page example in Chromium", { timeout: 180_000 }, async () => {
  const dir = app("vite-dev", { "index.html": example("page.html"), "page.js": example("page.js") });
  // What the README's Vite section asks for: ES workers, and ossimg kept out of the
  // dependency pre-bundling (it would move the .wasm away from the glue's import.meta.url).
  const server = await createViteServer({ root: dir, configFile: false, logLevel: "warn", clearScreen: false, server: { host: "127.0.0.1", port: await freePort(), strictPort: true }, worker: { format: "es" }, optimizeDeps: { exclude: ["ossimg"] } });
  await server.listen();
  try {
    await checkPageExample(server.resolvedUrls.local[0]);
  } finally {
    await server.close();
  }
});

test("Next.js (app router): build, then an edge-runtime route and a Node route answer", { timeout: 400_000 }, async () => {
  const dir = app("next", {
    "next.config.mjs": 'export default { serverExternalPackages: ["ossimg"] };\n',
    "app/layout.js": "export default function RootLayout({ children }) {\n  return <html><body>{children}</body></html>;\n}\n",
    "app/page.js": "export default function Page() {\n  return <p>ossimg</p>;\n}\n",
    "app/api/edge/route.js": example("next-edge-route.js"),
    "app/api/node/route.js": example("next-node-route.js"),
  });
  const next = join(tools, "node_modules/next/dist/bin/next");
  const started = performance.now();
  await run(process.execPath, [next, "build"], { cwd: dir, env, timeout: 300_000 });
  const buildSeconds = ((performance.now() - started) / 1000).toFixed(1);
  const port = await freePort();
  const server = spawn(process.execPath, [next, "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        await fetch(`${base}/`);
        break;
      } catch (err) {
        if (i > 100) throw new Error(`next start did not answer: ${log}`, { cause: err });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const jpeg = readFileSync(join(fixtures, "hopper.jpg"));
    for (const route of ["edge", "node"]) {
      const res = await fetch(`${base}/api/${route}?x-oss-process=image/resize,w_40/format,png`, { method: "POST", body: jpeg });
      const body = new Uint8Array(await res.arrayBuffer());
      assert.equal(res.status, 200, `${route}: ${new TextDecoder().decode(body.slice(0, 300))} ${log}`);
      assert.equal(res.headers.get("content-type"), "image/png");
      assert.deepEqual([probe(body).format, probe(body).width], ["png", 40], route);
    }
    const bad = await fetch(`${base}/api/edge?x-oss-process=image/resize,w_0`, { method: "POST", body: jpeg });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).ec, "0040-00000312");
    console.log(`next build ${buildSeconds} s`);
  } finally {
    server.kill();
  }
});

const RUNTIME_SCRIPT = `
import { readFileSync } from "node:fs";
import { processImage, probe } from "ossimg";
import * as pool from "ossimg/node";
const bytes = readFileSync(${JSON.stringify(join(fixtures, "hopper.jpg"))});
const out = processImage(bytes, "image/resize,w_32/format,png");
const pooled = await pool.processImage(new Blob([bytes]), "image/resize,w_16/format,webp");
console.log(JSON.stringify({ sync: [out.kind, out.mime, out.width], pool: [pooled.kind, pooled.mime, pooled.width], probe: probe(out.bytes).format }));
`;
const RUNTIME_RESULT = { sync: ["image", "image/png", 32], pool: ["image", "image/webp", 16], probe: "png" };

/** The first of `candidates` (paths under the tools' node_modules) that exists. */
function binary(candidates) {
  const found = candidates.map((c) => join(tools, "node_modules", c)).find((p) => existsSync(p));
  assert.ok(found, `none of ${candidates.join(", ")} is installed`);
  return found;
}

test("Deno (npm package deno): imports ossimg and ossimg/node, processes a JPEG", { timeout: 120_000 }, async () => {
  const dir = app("deno", { "main.mjs": RUNTIME_SCRIPT });
  const deno = binary(["@deno/linux-x64-glibc/deno", "@deno/linux-arm64-glibc/deno"]);
  const { stdout } = await run(deno, ["run", "--allow-read", "main.mjs"], { cwd: dir, env, timeout: 60_000 });
  assert.deepEqual(JSON.parse(stdout), RUNTIME_RESULT);
});

test("Bun (npm package bun): imports ossimg and ossimg/node, processes a JPEG", { timeout: 120_000 }, async () => {
  const dir = app("bun", { "main.mjs": RUNTIME_SCRIPT });
  const bun = binary(["bun/bin/bun.exe", "@oven/bun-linux-x64/bin/bun", "@oven/bun-linux-x64-baseline/bin/bun", "@oven/bun-linux-aarch64/bin/bun"]);
  const { stdout } = await run(bun, ["main.mjs"], { cwd: dir, env, timeout: 60_000 });
  assert.deepEqual(JSON.parse(stdout), RUNTIME_RESULT);
});

test("the Cloudflare Worker example, bundled by wrangler, serves an R2 object through a style", { timeout: 180_000 }, async () => {
  const dir = app("cf-worker", {
    "index.js": example("cf-worker.js"),
    "wrangler.toml": 'name = "scratch"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\nsend_metrics = false\n\n[[r2_buckets]]\nbinding = "BUCKET"\nbucket_name = "my-images"\n',
  });
  const out = join(dir, "out");
  bundleWorker(out, dir);
  const mf = new Miniflare({ ...bundleOptions(out), r2Buckets: ["BUCKET"] });
  try {
    const bucket = await mf.getR2Bucket("BUCKET");
    await bucket.put("photos/hopper.jpg", new Uint8Array(readFileSync(join(fixtures, "hopper.jpg"))), { httpMetadata: { contentType: "image/jpeg" } });
    const res = await mf.dispatchFetch("http://localhost/img/photos/hopper.jpg?x-oss-process=style/thumb");
    const body = new Uint8Array(await res.arrayBuffer());
    assert.equal(res.status, 200, new TextDecoder().decode(body));
    assert.deepEqual([probe(body).format, probe(body).width], ["jpg", 128], "resize never enlarges: hopper stays 128 px");
    const small = await mf.dispatchFetch("http://localhost/img/photos/hopper.jpg?x-oss-process=image/resize,w_50");
    assert.equal(probe(new Uint8Array(await small.arrayBuffer())).width, 50);
    assert.equal((await mf.dispatchFetch("http://localhost/elsewhere")).status, 404);
  } finally {
    await mf.dispose();
  }
});
