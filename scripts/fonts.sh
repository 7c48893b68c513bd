#!/usr/bin/env bash
# Builds the default text-watermark fonts into www/fonts/ (gitignored; the npm package ships
# them as separate assets, never inside the .wasm): idempotent, Debian packages only.
#   wqy-microhei.ttf  face 0 of fonts-wqy-microhei's .ttc, subset to GB2312 + ASCII
#   dejavu-sans.ttf   DejaVuSans.ttf of fonts-dejavu-core, subset to Latin + punctuation
# Licences and versions: www/fonts/LICENSES.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

OUT=www/fonts
WQY_SRC=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
DEJAVU_SRC=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

missing=()
[ -f "$WQY_SRC" ] || missing+=(fonts-wqy-microhei)
[ -f "$DEJAVU_SRC" ] || missing+=(fonts-dejavu-core)
command -v pyftsubset >/dev/null || missing+=(fonttools)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Rebuild only when a source font or this script is newer than the result.
fresh() { [ -s "$1" ] && [ "$1" -nt "$2" ] && [ "$1" -nt scripts/fonts.sh ]; }

# Outlines only: no hinting (the rasteriser ignores it) and no OpenType layout (the
# watermark lays text out glyph by glyph, watermark.md §4.5).
SUBSET_FLAGS=(--no-hinting --layout-features= --notdef-outline --name-IDs='*' --name-languages='*' --drop-tables+=FFTM)

if fresh "$OUT/wqy-microhei.ttf" "$WQY_SRC"; then
  echo "$OUT/wqy-microhei.ttf is up to date"
else
  codepoints="$(mktemp)"
  # Every character of GB2312 (rows 0xA1-0xF7, cells 0xA1-0xFE) plus printable ASCII.
  python3 - "$codepoints" <<'PY'
import sys
points = set(range(0x20, 0x7F))
for row in range(0xA1, 0xF8):
    for cell in range(0xA1, 0xFF):
        try:
            points.add(ord(bytes([row, cell]).decode("gb2312")))
        except UnicodeDecodeError:
            pass
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"U+{p:04X}" for p in sorted(points)))
PY
  pyftsubset "$WQY_SRC" --font-number=0 --unicodes-file="$codepoints" "${SUBSET_FLAGS[@]}" \
    --output-file="$OUT/wqy-microhei.ttf"
  rm -f "$codepoints"
fi

if fresh "$OUT/dejavu-sans.ttf" "$DEJAVU_SRC"; then
  echo "$OUT/dejavu-sans.ttf is up to date"
else
  # Basic Latin, Latin-1, Latin Extended-A/B, general punctuation, currency signs.
  pyftsubset "$DEJAVU_SRC" --unicodes='U+0020-024F,U+2000-206F,U+20A0-20CF' "${SUBSET_FLAGS[@]}" \
    --output-file="$OUT/dejavu-sans.ttf"
fi

ls -l "$OUT"/*.ttf
