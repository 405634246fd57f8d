#!/usr/bin/env bash
# The LuaLaTeX twin of a tsigni book: the same text set by LuaLaTeX +
# polyglossia (Georgian, hyph-ka) + fontspec, for the typography report.
#
#   scripts/latex-twin.sh [--times N] [--src MANUSCRIPT] [--no-microtype] OUT.pdf
#
# The text is the Typst twin's (scripts/make-long-manuscript.py --peers):
# its pandoc chapters, citations written out as the Typst twin writes them
# ("(Snow, 1961: 96)"), then its bibliography list (peers/bibliography.md),
# read by pandoc as CommonMark (quotes kept as written) into the template
# scripts/latex-twin.latex: A5, tsigni's margins (inside 18, outside 15,
# top 18, bottom 20 mm), twoside, Noto Serif Georgian + Noto Serif from
# fonts/ only (luaotfload's fallback for what the Georgian font lacks),
# 10 pt on 13.5 pt in PostScript points, justified and hyphenated, notes at
# the page foot, each chapter on a new page, one space after a full stop,
# pandoc's emergencystretch of 3 em, microtype's protrusion and expansion
# (off with --no-microtype); LaTeX's defaults otherwise (flush bottom,
# headings, notes, widow and club penalties).
#
# Needs lualatex and pandoc. Debian 12, not installed by
# scripts/install-validators.sh (no test uses LaTeX, and CI would carry
# 468 MB for a measuring tool):
#   apt-get install -y --no-install-recommends texlive-luatex \
#     texlive-latex-recommended texlive-latex-extra texlive-lang-other
# 41 packages (lmodern and texlive-base come with texlive-luatex), 159 MB
# download, 468 MB installed, 47 s here with apt-get update. polyglossia,
# fontspec and microtype are in -recommended, but polyglossia needs
# makecmds and xkeyval from -extra; hyph-ka is in -lang-other. The first
# run builds luaotfload's font-name cache (once, a few seconds).
#
# Then, for example:
#   python3 scripts/typography-report.py book.pdf OUT.pdf --names tsigni,LuaLaTeX
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIMES=1
SRC="$ROOT/manuscript"
OUT=""
MICROTYPE=1
while (($#)); do
  case "$1" in
    --times) TIMES="$2"; shift 2 ;;
    --src) SRC="$2"; shift 2 ;;
    --no-microtype) MICROTYPE=0; shift ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) [[ -z "$OUT" ]] || { echo "latex-twin: one output only" >&2; exit 2; }; OUT="$1"; shift ;;
  esac
done
[[ -n "$OUT" ]] || { echo "usage: latex-twin.sh [--times N] [--src MANUSCRIPT] [--no-microtype] OUT.pdf" >&2; exit 2; }
for t in lualatex pandoc; do
  command -v "$t" >/dev/null || { echo "latex-twin: needs $t (see the apt line in $0)" >&2; exit 1; }
done

OUT_DIR="$(cd "$(dirname "$OUT")" && pwd)"
PDF="$OUT_DIR/$(basename "$OUT")"
WORK="$(mktemp -d "$OUT_DIR/.latex-twin.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

python3 "$ROOT/scripts/make-long-manuscript.py" --times "$TIMES" --src "$SRC" --out "$WORK" --peers >/dev/null
# The Typst twin's citation text, so that both twins set the same words (its
# bibliography list is peers/bibliography.md, written by --peers).
python3 - "$ROOT/scripts/make-long-manuscript.py" "$SRC" "$WORK/peers" <<'EOF'
import importlib.util
import sys
from pathlib import Path

spec = importlib.util.spec_from_file_location("mlm", sys.argv[1])
mlm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mlm)
src, peers = Path(sys.argv[2]), Path(sys.argv[3])
refs = mlm.parse_references((src / "references.yaml").read_text(encoding="utf-8"))
chapters = [Path(p) for p in (peers / "chapters.txt").read_text(encoding="utf-8").splitlines()]
for p in chapters:
    text = p.read_text(encoding="utf-8")
    text = mlm.CITATION.sub(lambda m: mlm.cite_text(m.group(1), refs) or m.group(0), text)
    p.write_text(text, encoding="utf-8")
EOF

cd "$WORK/peers"
mapfile -t CHAPTERS < chapters.txt
COVER=()
[[ -f cover.png ]] && COVER=(-V cover=cover.png)
MT=()
((MICROTYPE)) && MT=(-V microtype=true)
pandoc -f commonmark_x-smart-fancy_lists-raw_tex-tex_math_dollars -t latex-smart \
  --template "$ROOT/scripts/latex-twin.latex" --metadata-file metadata.yaml \
  -V fontdir="$ROOT/fonts" "${COVER[@]}" "${MT[@]}" \
  "${CHAPTERS[@]}" bibliography.md -o book.tex
# Twice: the contents are written on the first run and set on the second.
for _ in 1 2; do
  lualatex --interaction=nonstopmode --halt-on-error book.tex >lualatex.log 2>&1 || {
    tail -40 lualatex.log >&2; echo "latex-twin: lualatex failed (log above)" >&2; exit 1; }
done
cp book.pdf "$PDF"
echo "$PDF"
