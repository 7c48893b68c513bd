#!/usr/bin/env bash
# The peer benchmark: our shipped pkg/ossimg_bg.wasm against sharp, wasm-vips, photon and
# jSquash in one Node process (benches/peers/compare.mjs). Installs the pinned peers
# (benches/peers/package-lock.json) on first use; builds pkg/ when it is missing.
# Writes benches/results.md and benches/results.svg. Arguments go to compare.mjs
# (--runs N, --warmup N, --only W1,W4).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f pkg/ossimg_bg.wasm ]; then
  flock /tmp/ossimg-pkg.lock bash scripts/build-pkg.sh
fi
if [ ! -d benches/peers/node_modules ] || [ benches/peers/package-lock.json -nt benches/peers/node_modules ]; then
  (cd benches/peers && npm ci --no-audit --no-fund)
fi
exec node --expose-gc benches/peers/compare.mjs "$@"
