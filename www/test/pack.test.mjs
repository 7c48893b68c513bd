// The published shape: `npm pack` of pkg/ installed (offline, from the tarball) into a
// scratch project, then used as a user would: imported in Node, and bundled by Vite into
// a page that runs in Chromium (main-thread entry after `await init()`, and the Web Worker
// client). Also prints the package's sizes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { build } from "vite";
import { serveStatic } from "../static-server.mjs";

const pkgDir = dirname(fileURLToPath(import.meta.resolve("ossimg/package.json")));
const fixtures = fileURLToPath(new URL("../../tests/fixtures/", import.meta.url));
const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", timeout: 120_000, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } });

let scratch;
let tarball;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), "ossimg-pack-"));
  const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", scratch], pkgDir));
  tarball = join(scratch, packed[0].filename);
  const files = packed[0].files.map((f) => f.path);
  const gzip = gzipSync(readFileSync(join(pkgDir, "ossimg_bg.wasm")), { level: 9 }).length;
  const js = files.filter((f) => f.endsWith(".js")).reduce((sum, f) => sum + statSync(join(pkgDir, f)).size, 0);
  const fonts = files.filter((f) => f.startsWith("fonts/") && f.endsWith(".ttf")).reduce((sum, f) => sum + statSync(join(pkgDir, f)).size, 0);
  console.log(`npm pack: ${packed[0].filename} ${packed[0].size} bytes packed, ${packed[0].unpackedSize} unpacked, ${files.length} files; wasm gzip -9 ${gzip} bytes, JS ${js} bytes, fonts ${fonts} bytes`);
  const app = join(scratch, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  npm(["install", "--offline", "--no-save", tarball], app);
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("the tarball holds the package's files and no build leftovers", () => {
  const listing = JSON.parse(npm(["pack", "--dry-run", "--json"], pkgDir))[0].files.map((f) => f.path);
  for (const file of ["package.json", "index.js", "index.d.ts", "node.js", "workerd.js", "core.js", "source.js", "ossimg.js", "ossimg_bg.wasm", "lean.js", "lean-workerd.js", "lean-worker.js", "browser-entry.js", "ossimg_lean.js", "ossimg_lean_bg.wasm", "worker.js", "client.js", "client.d.ts", "cf-worker.js", "cf-worker.d.ts", "facts.js", "facts.d.ts"]) {
    assert.ok(listing.includes(file), `${file} in the tarball`);
  }
  assert.ok(!listing.some((f) => f.includes(".gitignore") || f.endsWith(".map")), listing.join(", "));
});

test("installed from the tarball: Node imports it ready to use", () => {
  const app = join(scratch, "app");
  const script = `
    import { readFileSync } from "node:fs";
    import { process, probe, parse } from "ossimg";
    const out = process(readFileSync(${JSON.stringify(join(fixtures, "kodim23.png"))}), "image/resize,w_200/format,jpg");
    console.log(JSON.stringify({ mime: out.mime, width: out.width, height: out.height, probe: probe(out.bytes).format, canonical: parse("image/format,png/resize,w_1").canonical }));`;
  const got = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: app, encoding: "utf8" }));
  assert.deepEqual(got, { mime: "image/jpeg", width: 200, height: 133, probe: "jpg", canonical: got.canonical });
  assert.match(got.canonical, /^image\/resize,/);
});

test("installed from the tarball: a Vite build of a page runs in Chromium", { timeout: 180_000 }, async () => {
  const app = join(scratch, "app");
  writeFileSync(
    join(app, "index.html"),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>scratch</title><script type="module" src="./main.js"></script>`,
  );
  writeFileSync(
    join(app, "main.js"),
    `import init, { process } from "ossimg";
     import { createProcessor } from "ossimg/client";
     window.result = (async () => {
       await init();
       const bytes = new Uint8Array(await (await fetch("./hopper.jpg")).arrayBuffer());
       const direct = process(bytes, "image/resize,w_32/format,png");
       const pool = createProcessor();
       const pooled = await pool.process(bytes, "image/resize,w_16/format,webp");
       pool.terminate();
       return { direct: [direct.mime, direct.width], pooled: [pooled.mime, pooled.width] };
     })();`,
  );
  mkdirSync(join(app, "public"));
  cpSync(join(fixtures, "hopper.jpg"), join(app, "public/hopper.jpg"));
  await build({ root: app, logLevel: "warn", worker: { format: "es" }, build: { outDir: join(app, "dist"), emptyOutDir: true } });
  const assets = readdirSync(join(app, "dist/assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `the .wasm is emitted: ${assets.join(", ")}`);

  const { server, url } = await serveStatic([["/", join(app, "dist")]]);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"] });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto(`${url}/`);
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(result, { direct: ["image/png", 32], pooled: ["image/webp", 16] });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
  }
});
