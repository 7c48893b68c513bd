#!/usr/bin/env bash
# Builds the npm package into pkg/: the full module (default features: every codec) with
# wasm-pack, the lean module (no HEIC or AVIF) with cargo + wasm-bindgen beside it as
# ossimg_lean.js / ossimg_lean_bg.wasm, then the JS wrappers (www/build-pkg.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm-pack --log-level warn build --release --target web --out-dir pkg
cargo build --quiet --lib --release --target wasm32-unknown-unknown --no-default-features --features webp-libwebp
wasm-bindgen "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/ossimg.wasm" \
  --target web --out-dir pkg --out-name ossimg_lean --no-typescript
node www/build-pkg.mjs
