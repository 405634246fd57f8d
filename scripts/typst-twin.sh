#!/usr/bin/env bash
# The Typst twin of a tsigni book: the same text set by Typst 0.15 (PyPI
# `typst`) in the same geometry, for the typography report to stand beside.
#
#   scripts/typst-twin.sh [--times N] [--src MANUSCRIPT] OUT.pdf
#
# The Typst source is the one scripts/make-long-manuscript.py --peers writes
# (the benchmarks' peer): A5, tsigni's margins (inside 18, outside 15, top 18,
# bottom 20 mm), Noto Serif Georgian + Noto Serif from fonts/ only, 10 pt on
# 13.5 pt, lang "ka", hyphenated and justified, notes at the page foot, each
# chapter on a new page. pandoc's Typst writer is not used: the pandoc here
# (2.17) predates it.
#
# Then, for example:
#   python3 scripts/typography-report.py book.pdf OUT.pdf --names tsigni,Typst
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIMES=1
SRC="$ROOT/manuscript"
OUT=""
while (($#)); do
  case "$1" in
    --times) TIMES="$2"; shift 2 ;;
    --src) SRC="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) [[ -z "$OUT" ]] || { echo "typst-twin: one output only" >&2; exit 2; }; OUT="$1"; shift ;;
  esac
done
[[ -n "$OUT" ]] || { echo "usage: typst-twin.sh [--times N] [--src MANUSCRIPT] OUT.pdf" >&2; exit 2; }
python3 -c 'import typst' 2>/dev/null || { echo "typst-twin: needs the typst Python package (pip install typst)" >&2; exit 1; }

OUT_DIR="$(cd "$(dirname "$OUT")" && pwd)"
WORK="$(mktemp -d "$OUT_DIR/.typst-twin.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

python3 "$ROOT/scripts/make-long-manuscript.py" --times "$TIMES" --src "$SRC" --out "$WORK" --peers >/dev/null
python3 - "$WORK/peers/book.typ" "$OUT_DIR/$(basename "$OUT")" "$ROOT/fonts" <<'EOF'
import sys
import typst

typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)
EOF
echo "$OUT_DIR/$(basename "$OUT")"
