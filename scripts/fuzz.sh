#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer) on the nightly toolchain. Targets (fuzz/fuzz_targets):
#   spec_parse  the spec parser + canonical round trip
#   probe       header probing
#   pipeline    probe → limits → decode → actions → encode, fixed specs, tight limits
#   heif        HEIF containers (HEIC/AVIF): probe, info (Exif item), decode to PNG
#   av1         the AV1 decode primitive (codec::heif::av1): first byte = av1C length, then
#               the av1C payload and the item's OBUs; seeds in fuzz/seeds/av1/
#
#   bash scripts/fuzz.sh smoke [SECONDS]   replay tests/regressions + seeds, fuzz each target
#                                           SECONDS (default 60); what scripts/test.sh runs
#   bash scripts/fuzz.sh campaign          the long campaigns: 100 M runs of spec_parse,
#                                           20 M of probe, 5 M of pipeline, 1 M of heif,
#                                           1 M of av1, one after another
#                                           (one process, one core each), logs in
#                                           fuzz/logs/; hours on this machine (the parser
#                                           runs ~50-170 K/s, pipeline ~100-500/s)
#   bash scripts/fuzz.sh run TARGET RUNS   one target for RUNS executions
#
# Every run: -rss_limit_mb=512, -timeout=10 s per input. A crash, timeout or OOM stops the
# run with the input in fuzz/artifacts/TARGET/: minimise it (cargo +nightly fuzz tmin -a
# -s none TARGET FILE),
# save it as tests/regressions/TARGET-<what> and fix the bug; `cargo test --test regressions`
# replays that folder. Needs nightly + cargo-fuzz (scripts/setup.sh installs cargo-fuzz);
# without them this script says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: SKIPPED — the nightly toolchain is not installed (rustup toolchain install nightly)"
  exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: SKIPPED — cargo-fuzz is not installed (bash scripts/setup.sh installs it)"
  exit 0
fi

# CI keeps its build cache outside the clone (CARGO_TARGET_DIR): fuzz builds go in their
# own subfolder there so they never invalidate the main build.
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  export CARGO_TARGET_DIR="$CARGO_TARGET_DIR/fuzz"
fi

TARGETS=(spec_parse probe pipeline heif av1)
# One process on one core (libFuzzer's default; -jobs would fork and log to ./fuzz-N.log).
COMMON=(-rss_limit_mb=512 -timeout=10 -print_final_stats=1)

max_len() {
  case "$1" in
    spec_parse) echo 8192 ;;
    probe) echo 65536 ;;
    pipeline) echo 16384 ;;
    heif) echo 65536 ;;
    av1) echo 8192 ;;
  esac
}

# Seed corpora (regenerated each time, gitignored): spec strings from the specification
# and the tests, images from tests/fixtures and ../shared/corpus (or OSSIMG_CORPUS).
seed() {
  local seeds=fuzz/corpus/seeds
  rm -rf "$seeds" && mkdir -p "$seeds/spec_parse" "$seeds/probe" "$seeds/pipeline" "$seeds/heif"
  # AV1 items (committed; scripts/av1-fuzz-seeds.py cuts them): small AVIFs of our encoder,
  # and the first 3,000 bytes of the corpus' (10-bit, 4:4:4, monochrome, film grain...).
  cp -r fuzz/seeds/av1 "$seeds/av1"
  local i=0
  grep -rhoE '(x-oss-process=)?(image|style)/[A-Za-z0-9_,/%=.!+-]+' \
    docs/spec/ tests/*.rs src/ 2>/dev/null | sort -u | head -4000 |
    while IFS= read -r spec; do
      i=$((i + 1))
      printf '%s' "$spec" >"$seeds/spec_parse/$i"
    done || true
  local corpus="${OSSIMG_CORPUS:-../shared/corpus}"
  local n=0 size
  while IFS= read -r -d '' f; do
    # Seeds no longer than the target's -max_len: libFuzzer would only cut them.
    size=$(stat -c %s "$f")
    [ "$size" -le "$(max_len probe)" ] || continue
    n=$((n + 1))
    cp "$f" "$seeds/probe/$n"
    [ "$size" -lt "$(max_len pipeline)" ] || continue
    # The pipeline's first byte picks the spec: spread the images over the specs.
    { printf "\\x$(printf %02x $((n % 256)))"; cat "$f"; } >"$seeds/pipeline/$n"
  done < <(find tests/fixtures "$corpus" -type f \
    \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.gif' \
    -o -iname '*.webp' -o -iname '*.bmp' -o -iname '*.tif' -o -iname '*.tiff' \
    -o -iname '*.heic' -o -iname '*.avif' -o -iname '*.avifs' \) \
    -print0 2>/dev/null)
  # HEIF seeds: every HEIC/AVIF within the target's -max_len.
  while IFS= read -r -d '' f; do
    if [ "$(stat -c %s "$f")" -le "$(max_len heif)" ]; then cp "$f" "$seeds/heif/"; fi
  done < <(find tests/fixtures "$corpus" -type f \( -iname '*.heic' -o -iname '*.avif' -o -iname '*.avifs' \) -print0 2>/dev/null)
  echo "seeds: $(ls "$seeds/spec_parse" | wc -l) specs, $(ls "$seeds/probe" | wc -l) images for probe, $(ls "$seeds/pipeline" | wc -l) for pipeline, $(ls "$seeds/heif" | wc -l) for heif"
}

# -a: debug assertions (overflow checks) on; -s none: no ASan — the code under test is
# safe Rust plus libwebp (not instrumented either way), and this doubles the exec rate.
build() {
  cargo +nightly fuzz build -a -s none
}

# The built target: runs call it directly, so edits made meanwhile never rebuild mid-run.
binary() {
  local host
  host=$(rustc +nightly -vV | sed -n 's/^host: //p')
  echo "${CARGO_TARGET_DIR:-fuzz/target}/$host/release/$1"
}

# Replays the saved crash inputs of TARGET (a regression must not come back).
replay() {
  local target=$1 files=()
  shopt -s nullglob
  files=(tests/regressions/"$target"-*)
  shopt -u nullglob
  if [ "${#files[@]}" -gt 0 ]; then
    "$(binary "$target")" -rss_limit_mb=512 -timeout=10 "${files[@]}"
  fi
}

# fuzz TARGET LIMIT-FLAG [FLAGS...]: new inputs go to fuzz/corpus/TARGET, seeds are read from seeds/.
fuzz() {
  local target=$1 limit=$2 extra=("${@:3}")
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target" fuzz/logs
  local log="fuzz/logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
  echo "fuzz $target ($limit) → $log"
  if ! "$(binary "$target")" "${COMMON[@]}" -max_len="$(max_len "$target")" "$limit" "${extra[@]}" \
    -artifact_prefix="fuzz/artifacts/$target/" "fuzz/corpus/$target" \
    "fuzz/corpus/seeds/$target" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz $target: FAILED (input saved under fuzz/artifacts/$target/)" >&2
    return 1
  fi
  summary "$target" "$log"
}

# The final libFuzzer stats: executions, rate, peak RSS.
summary() {
  local target=$1 log=$2
  local runs rate rss
  final_stat() { awk -v k="stat::$1:" '$1 == k { v = $2 } END { print v }' "$log"; }
  runs=$(final_stat number_of_executed_units)
  rate=$(final_stat average_exec_per_sec)
  rss=$(final_stat peak_rss_mb)
  echo "fuzz $target: ${runs:-?} executions, ${rate:-?}/s, peak RSS ${rss:-?} MB, 0 crashes"
}

mode=${1:-smoke}
case "$mode" in
  smoke)
    seconds=${2:-60}
    build
    seed
    for t in "${TARGETS[@]}"; do replay "$t"; done
    # A fixed seed: CI repeats the same search instead of failing on a random new find
    # (campaigns explore with random seeds; what they find goes to tests/regressions).
    for t in "${TARGETS[@]}"; do fuzz "$t" "-max_total_time=$seconds" -seed=1; done
    ;;
  campaign)
    build
    seed
    for t in "${TARGETS[@]}"; do replay "$t"; done
    fuzz spec_parse -runs=100000000
    fuzz probe -runs=20000000
    fuzz pipeline -runs=5000000
    fuzz heif -runs=1000000
    fuzz av1 -runs=1000000
    ;;
  run)
    target=${2:?target}
    runs=${3:?runs}
    build
    seed
    replay "$target"
    fuzz "$target" "-runs=$runs"
    ;;
  *)
    echo "usage: $0 smoke [SECONDS] | campaign | run TARGET RUNS" >&2
    exit 2
    ;;
esac
