#!/usr/bin/env bash
# The README's first command: set up this machine (idempotent; scripts/setup.sh), then
# serve the demo page and the example bucket through the Worker (scripts/serve.sh).
# Foreground: Ctrl-C stops the servers.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
bash scripts/setup.sh
echo
echo "== set up in $(( $(date +%s) - started )) s; starting the Worker and the demo page"
exec bash scripts/serve.sh "$@"
