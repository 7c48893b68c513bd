#!/usr/bin/env bash
# One-command set-up on Debian 12 as root, idempotent: installs what is missing (exact
# versions), builds the npm package into pkg/ and processes an example image natively
# (CLI) and in Node (the package). Uses only apt, crates.io, npm and the Rust dist server.
# Never set RUSTFLAGS: it would replace the +simd128 flag in .cargo/config.toml.
#
#   bash scripts/setup.sh          install what is missing, build pkg/, run the examples
#   bash scripts/setup.sh --deps   install what is missing only (scripts/test.sh runs this
#                                  first; a few seconds when everything is there)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

case "${1:-}" in
  "") deps_only=false ;;
  --deps) deps_only=true ;;
  *) echo "usage: bash scripts/setup.sh [--deps]" >&2; exit 2 ;;
esac

# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, or wasm-pack tries to fetch one.
WASM_BINDGEN_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; sub(/^version = "/, ""); sub(/"$/, ""); print; exit }' Cargo.lock)"
WASM_BINDGEN_VERSION="${WASM_BINDGEN_VERSION:-0.2.130}"
WASM_PACK_VERSION=0.15.1
CARGO_FUZZ_VERSION=0.13.2

step() { printf '\n== %s\n' "$*"; }

step "Rust: wasm32 target, clippy, rustfmt"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt

step "apt: clang-19 / llvm-19 / wasi-libc (libwebp for wasm32), chromium + chromedriver (browser tests), libheif-examples (heif-convert: the HEIC reference of the decode-fidelity test), libtiff-tools (tiff2rgba: its old-style JPEG TIFF reference), libavif-bin (avifdec: its AVIF sequence reference)"
missing=()
command -v clang-19 >/dev/null || missing+=(clang-19)
command -v llvm-ar-19 >/dev/null || missing+=(llvm-19)
[ -f /usr/include/wasm32-wasi/stdlib.h ] || missing+=(wasi-libc)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v heif-convert >/dev/null || missing+=(libheif-examples)
command -v tiff2rgba >/dev/null || missing+=(libtiff-tools)
command -v avifdec >/dev/null || missing+=(libavif-bin)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "all present"
fi

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION and wasm-pack $WASM_PACK_VERSION (from crates.io, never the GitHub binaries)"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  # No --locked: its lockfile pins a webpki-roots that crates.io no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked --force
fi
wasm-bindgen --version
wasm-pack --version

step "cargo-fuzz $CARGO_FUZZ_VERSION (from crates.io; scripts/fuzz.sh, run on the nightly toolchain)"
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
fi

step "npm ci (www/: miniflare, wrangler, vite, playwright-core, typescript; exact pins from package-lock.json)"
# npm ci always reinstalls from scratch: skip it while node_modules is from this lockfile.
lock_sum="$(sha256sum www/package-lock.json | cut -d' ' -f1)"
lock_stamp=www/node_modules/.ossimg-package-lock.sha256
if [ "$(cat "$lock_stamp" 2>/dev/null)" = "$lock_sum" ]; then
  echo "www/node_modules is installed from this package-lock.json"
else
  (cd www && npm ci --no-audit --no-fund)
  echo "$lock_sum" >"$lock_stamp"
fi

step "npm ci (tests/fidelity/: sharp, the libvips reference of the decode-fidelity test)"
(cd tests/fidelity && npm ci --no-audit --no-fund)

step "Default text-watermark fonts into www/fonts/ (Debian fonts-wqy-microhei, fonts-dejavu-core, fonttools)"
bash scripts/fonts.sh

if $deps_only; then
  exit 0
fi

step "Build the npm package into pkg/: full and lean modules (scripts/build-pkg.sh; wasm-opt off in Cargo.toml)"
bash scripts/build-pkg.sh

step "Example: native CLI"
mkdir -p out
cargo run --release --features cli -- tests/fixtures/kodim23.png 'image/resize,w_300/quality,Q_85/format,jpg' -o out/kodim23_w300.jpg

step "Example: Node through the package (import ... from \"ossimg\")"
node www/example.mjs tests/fixtures/kodim23.png 'image/resize,w_300/quality,q_80/format,webp' out/kodim23_w300_node.webp

step "Made"
ls -l pkg/ossimg_bg.wasm out/kodim23_w300.jpg out/kodim23_w300_node.webp
