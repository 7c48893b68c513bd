#!/usr/bin/env bash
# Runs every check: native tests, clippy (native and wasm32), rustfmt, the package build,
# the wasm-bindgen tests in Node / a Chrome page / a Chrome Web Worker, and the node:test
# suites (package in Node, workerd via Miniflare, browser entry + Web Worker client in
# Chromium, TypeScript declarations). Installs what is missing first (scripts/setup.sh
# --deps), so it also runs on a fresh machine. The corpus tests fail without the corpus
# (../shared/corpus or OSSIMG_CORPUS); OSSIMG_REQUIRE_CORPUS=0 lets them skip instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false DO_NOT_TRACK=1
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export OSSIMG_REQUIRE_CORPUS="${OSSIMG_REQUIRE_CORPUS:-1}"
if [ -n "${RUSTFLAGS+set}" ]; then
  echo "RUSTFLAGS is set; it would replace the +simd128 flag of .cargo/config.toml: unset it" >&2
  exit 1
fi

step() { printf '\n== %s\n' "$*"; }

step "Set-up: install what is missing (scripts/setup.sh --deps)"
bash scripts/setup.sh --deps

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy (native, all targets)"
cargo clippy --all-targets -- -D warnings

step "cargo clippy (wasm32 lib)"
cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

step "cargo test (native)"
cargo test

step "cargo test: the patched jpeg-encoder's own unit tests (vendor/jpeg-encoder/PATCHED.md)"
cargo test --manifest-path vendor/jpeg-encoder/Cargo.toml --target-dir "${CARGO_TARGET_DIR:-target}/vendor" --lib

step "cargo test: CLI batch mode"
cargo test --features cli --test cli_batch

step "Build the npm package (pkg/): full and lean modules (scripts/build-pkg.sh)"
bash scripts/build-pkg.sh

step "Decode fidelity: every corpus file libvips decodes, ours vs sharp in sRGB, MAD <= 3 (tests/fidelity/)"
[ -d tests/fidelity/node_modules/sharp ] || (cd tests/fidelity && npm ci --no-audit --no-fund)
timeout 300 node tests/fidelity/fidelity.mjs

step "wasm-pack test --node"
wasm-pack test --node -- --test web

step "wasm-pack test --headless --chrome (page)"
WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --chrome -- --test web

step "wasm-pack test --headless --chrome (dedicated Web Worker)"
WASM_BINDGEN_USE_DEDICATED_WORKER=1 wasm-pack test --headless --chrome -- --test web

step "node:test (www/test: Node package API, ossimg/node pool + example server, workerd, Cloudflare Worker, Chromium page + Web Worker client + demo, npm pack + Vite, scratch projects: webpack 5, strict CSP, Vite dev server, Next.js edge + Node routes, Deno, Bun, Worker example; types)"
(cd www && timeout 1500 node --test --test-force-exit --test-timeout=600000 test/)

step "Local stack: wrangler dev + demo page answer, then stop (node www/serve.mjs --check)"
timeout 300 node www/serve.mjs --check

step "Worker load smoke: 200 checked requests at concurrency 4, plain workerd (node www/load.mjs --smoke)"
timeout 300 node www/load.mjs --smoke
step "Worker load smoke with PRIVATE on: every request a V1 signed URL (node www/load.mjs --smoke --private)"
timeout 300 node www/load.mjs --smoke --private

step "Benchmark smoke: benches/peers/compare.mjs --smoke (our package only, one small JPEG)"
timeout 120 node benches/peers/compare.mjs --smoke

step "fuzz smoke (replay tests/regressions and seeds, 60 s per target; skipped without nightly)"
bash scripts/fuzz.sh smoke 60

step "wasm sizes (full: every codec; lean: no HEIC or AVIF)"
for wasm in pkg/ossimg_bg.wasm pkg/ossimg_lean_bg.wasm; do
  echo "$wasm: $(stat -c %s "$wasm") bytes, gzip -9 $(gzip -9 -c "$wasm" | wc -c) bytes"
done
