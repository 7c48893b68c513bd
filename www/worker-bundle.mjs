// www/cf-worker as `wrangler deploy` bundles it, run in workerd through Miniflare: no
// `wrangler dev`, so no inspector proxy buffering messages. Shared by www/load.mjs and
// the cf-worker tests.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";

const workerDir = fileURLToPath(new URL("./cf-worker/", import.meta.url));
const wranglerBin = fileURLToPath(new URL("./node_modules/wrangler/bin/wrangler.js", import.meta.url));

/**
 * The package files `cf-worker.js` runs on, as Miniflare modules under `/app/` (tests that
 * run the Worker module itself rather than the bundle); `read(name)` gives a file of pkg/.
 */
export const workerPackageModules = (read) => [
  ...["cf-worker.js", "workerd.js", "source.js", "oss-access.js", "http.js", "core.js", "facts.js", "ossimg.js"].map((name) => ({ type: "ESModule", path: `/app/${name}`, contents: read(name) })),
  { type: "CompiledWasm", path: "/app/ossimg_bg.wasm", contents: read("ossimg_bg.wasm") },
];

/** wrangler.toml, as wrangler reads it (vars, compatibility date). */
export const wranglerConfig = () => unstable_readConfig({ config: join(workerDir, "wrangler.toml") });

/** Bundles www/cf-worker (or the Worker project in `cwd`) into `outDir` (`wrangler deploy --dry-run`); returns wrangler's log. */
export function bundleWorker(outDir, cwd = workerDir) {
  return execFileSync(process.execPath, [wranglerBin, "deploy", "--dry-run", "--outdir", outDir], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" },
    timeout: 120_000,
  });
}

/**
 * The bundle's modules in `outDir`: the entry `index.js`, the .wasm files it imports by name
 * and the data modules (the text-mark fonts, .ttf, wrangler.toml's [[rules]]).
 */
export function bundleModules(outDir) {
  const files = readdirSync(outDir);
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  const data = files.filter((f) => f.endsWith(".ttf"));
  if (!files.includes("index.js") || wasm.length === 0) throw new Error(`no index.js and .wasm in the bundle: ${files.join(", ")}`);
  return { entry: "index.js", wasm, data };
}

/** Miniflare options that run the bundle in `outDir`; add bindings, host, port. */
export function bundleOptions(outDir) {
  const { entry } = bundleModules(outDir);
  return {
    scriptPath: join(outDir, entry),
    modules: true,
    modulesRoot: outDir,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
      { type: "Data", include: ["**/*.ttf"] },
    ],
    compatibilityDate: wranglerConfig().compatibility_date,
    cf: false,
  };
}
