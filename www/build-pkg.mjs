// Turns the two wasm builds into the npm package `ossimg` (scripts/build-pkg.sh runs all three):
//   wasm-pack build --release --target web --out-dir pkg   (the full module: every codec)
//   wasm-bindgen ... --out-name ossimg_lean                (the lean module: no HEIC or AVIF)
//   node www/build-pkg.mjs
// Copies the JS wrappers (www/src) and the fonts (www/fonts) into pkg/, writes pkg/package.json = ../pkg.json merged
// with wasm-pack's version and file list, and links www/node_modules/ossimg -> ../../pkg so
// that the tests here can `import ... from "ossimg"`.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { DEFAULT_FONT_KEYS } from "./src/facts.js";

const www = dirname(fileURLToPath(import.meta.url));
const root = dirname(www);
const pkg = join(root, "pkg");
const GLUE = "ossimg.js"; // the wrappers import these names
const WASM = "ossimg_bg.wasm";
const LEAN_GLUE = "ossimg_lean.js";
const LEAN_WASM = "ossimg_lean_bg.wasm";

function fail(message) {
  console.error(`build-pkg: ${message}`);
  process.exit(1);
}

const generatedPath = join(pkg, "package.json");
if (!existsSync(generatedPath)) fail(`${relative(root, generatedPath)} is missing: run wasm-pack build --release --target web --out-dir pkg first`);
const generated = JSON.parse(readFileSync(generatedPath, "utf8"));
const template = JSON.parse(readFileSync(join(root, "pkg.json"), "utf8"));

// wasm-pack names the files after the crate; the wrappers rely on that. A manifest that
// already has "exports" was merged by an earlier run (this script is idempotent).
const mergedBefore = generated.exports !== undefined;
const generatedFiles = (generated.files ?? []).filter((f) => !mergedBefore || !template.files.includes(f));
if (!mergedBefore && generated.main !== GLUE && generated.module !== GLUE) fail(`wasm-pack's entry is ${generated.module ?? generated.main}, expected ${GLUE} (was --target web used?)`);
for (const [glue, wasm] of [[GLUE, WASM], [LEAN_GLUE, LEAN_WASM]]) {
  for (const file of [glue, wasm]) {
    if (!existsSync(join(pkg, file))) fail(`pkg/${file} is missing: run bash scripts/build-pkg.sh`);
  }
  if (!/export \{[^}]*\binitSync\b/.test(readFileSync(join(pkg, glue), "utf8"))) fail(`pkg/${glue} has no initSync: build with --target web`);
  // Every import must be satisfied by the wasm-bindgen glue. An "env" import is a C symbol
  // (libc) that the C codecs need and nobody supplies: the module would not load anywhere.
  const wasmModule = new WebAssembly.Module(readFileSync(join(pkg, wasm)));
  const unresolved = WebAssembly.Module.imports(wasmModule).filter((i) => !i.module.endsWith("_bg.js"));
  if (unresolved.length > 0) {
    fail(`pkg/${wasm} imports symbols no one provides: ${unresolved.map((i) => `${i.module}.${i.name}`).join(", ")} (see src/codec/cshim.rs)`);
  }
}

// The fonts for text watermarks (scripts/fonts.sh builds them into www/fonts/). The entries
// load them on demand from pkg/fonts/; the core wasm never contains them.
const FONT_FILES = [...DEFAULT_FONT_KEYS.map((key) => `${key}.ttf`), "LICENSES.md"];
const fontsDir = join(www, "fonts");
const missingFonts = FONT_FILES.filter((f) => !existsSync(join(fontsDir, f)));
if (missingFonts.length > 0) fail(`www/fonts/ lacks ${missingFonts.join(", ")}: run bash scripts/fonts.sh first`);
mkdirSync(join(pkg, "fonts"), { recursive: true });
for (const file of FONT_FILES) copyFileSync(join(fontsDir, file), join(pkg, "fonts", file));

// The wrappers and their types.
const sources = readdirSync(join(www, "src")).filter((f) => f.endsWith(".js") || f.endsWith(".d.ts"));
for (const file of sources) copyFileSync(join(www, "src", file), join(pkg, file));
for (const file of template.files.filter((f) => !f.endsWith("/"))) {
  if (!existsSync(join(pkg, file))) fail(`pkg.json lists ${file}, which neither www/src nor the wasm builds provide`);
}

const merged = {
  name: template.name,
  version: generated.version,
  ...template,
  description: template.description ?? generated.description,
  license: template.license ?? generated.license,
  repository: template.repository ?? generated.repository,
  files: [...new Set([...template.files, ...generatedFiles])],
};
merged.version = generated.version;
writeFileSync(generatedPath, JSON.stringify(merged, null, 2) + "\n");

// www/node_modules/ossimg -> ../../pkg (relative, so the clone can move).
const modules = join(www, "node_modules");
mkdirSync(modules, { recursive: true });
const link = join(modules, "ossimg");
if (existsSync(link) || isLink(link)) rmSync(link, { recursive: true, force: true });
symlinkSync(relative(modules, pkg), link, "dir");

console.log(`build-pkg: pkg/package.json ${merged.name}@${merged.version}, ${sources.length} wrapper files`);
for (const wasm of [WASM, LEAN_WASM]) {
  const gzip = gzipSync(readFileSync(join(pkg, wasm)), { level: 9 }).length;
  console.log(`build-pkg: pkg/${wasm} ${statSync(join(pkg, wasm)).size} bytes, gzip -9 ${gzip} bytes`);
}
const jsBytes = sources.filter((f) => f.endsWith(".js")).reduce((sum, f) => sum + statSync(join(pkg, f)).size, statSync(join(pkg, GLUE)).size);
console.log(`build-pkg: JS ${jsBytes} bytes (wrappers + glue)`);
const fontBytes = FONT_FILES.filter((f) => f.endsWith(".ttf")).reduce((sum, f) => sum + statSync(join(pkg, "fonts", f)).size, 0);
console.log(`build-pkg: fonts ${fontBytes} bytes (loaded only for text watermarks)`);
console.log(`build-pkg: linked ${relative(root, link)} -> ${relative(modules, pkg)}`);

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
