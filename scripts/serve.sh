#!/usr/bin/env bash
# Serves the example bucket through the Cloudflare Worker (workerd via `wrangler dev`,
# metrics off) and the demo page, on 127.0.0.1 only; prints the URLs. Foreground: Ctrl-C
# stops it. Needs scripts/setup.sh first (pkg/ and www/node_modules).
# Ports: OSSIMG_WORKER_PORT (8787), OSSIMG_ORIGIN_PORT (8788), OSSIMG_DEMO_PORT (8080).
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false DO_NOT_TRACK=1
exec node www/serve.mjs "$@"
