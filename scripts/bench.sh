#!/usr/bin/env bash
# tsigni against the tools people use today, side by side, in one run:
#   tsigni epub | pdf | all (release build)
#   pandoc  → EPUB 3 (--toc, --citeproc, the same embedded fonts and cover)
#   Typst   → PDF    (PyPI `typst`, the same fonts, A5, lang "ka", hyphenate)
# for the article and the article repeated 5, 25 and 100 times: median wall
# time (hyperfine, after a warm-up), peak memory (/usr/bin/time -v) and
# output size. Writes bench-results/README-table.md and the raw JSON.
#
#   bash scripts/bench.sh                     # everything (about 10 minutes on 2 cores)
#   bash scripts/bench.sh --sizes "1 5"       # fewer sizes
#   bash scripts/bench.sh --quick             # fewer runs, for a look
#   bash scripts/bench.sh --no-install        # use what is there, skip a missing peer
#   bash scripts/bench.sh --watch-only        # only the save-to-book latency of `tsigni watch`
#   bash scripts/bench.sh --watch-edits 50    # edits timed there (default 30)
#   TSIGNI=path/to/tsigni bash scripts/bench.sh   # skip `cargo build --release`
#   BENCH_REV=abc1234 …                       # the revision to name (default: git describe)
#   BENCH_OUT=dir bash scripts/bench.sh       # write the results elsewhere
#
# Installs what is missing (as root: apt-get install hyperfine time pandoc;
# pip install typst). No test depends on this script: timings never run in
# `cargo test`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES="1 5 25 100"
INSTALL=1
QUICK=0
WATCH_ONLY=0
WATCH_EDITS=30
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES="$2"; shift 2 ;;
        --no-install) INSTALL=0; shift ;;
        --quick) QUICK=1; shift ;;
        --watch-only) WATCH_ONLY=1; SIZES=""; shift ;;
        --watch-edits) WATCH_EDITS="$2"; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
OUT=${BENCH_OUT:-$ROOT/bench-results}
RAW=$OUT/raw
mkdir -p "$RAW"
say() { printf '\n== %s\n' "$*" >&2; }

# The commit measured; "-dirty" only for changes outside bench-results/ (the
# results of an earlier run are not a change to what is measured).
revision() {
    cd "$ROOT" || { echo '?'; return; }
    local rev
    rev=$(git rev-parse --short HEAD 2>/dev/null) || { echo '?'; return; }
    if git diff --quiet HEAD -- . ':(exclude)bench-results' 2>/dev/null; then echo "$rev"; else echo "$rev-dirty"; fi
}

# ---------------------------------------------------------------- the tools
apt_install() {
    [ "$INSTALL" = 1 ] || return 1
    command -v apt-get >/dev/null || return 1
    say "installing $* (apt)"
    if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq || true; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
HAVE_PANDOC=0
HAVE_TYPST=0
# The watch latency needs none of the peers.
if [ "$WATCH_ONLY" = 0 ]; then
    command -v hyperfine >/dev/null || apt_install hyperfine \
        || { echo "bench.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
    [ -x /usr/bin/time ] || apt_install time || echo "bench.sh: no /usr/bin/time: peak memory not measured" >&2
    HAVE_PANDOC=1
    command -v pandoc >/dev/null || apt_install pandoc || HAVE_PANDOC=0
    HAVE_TYPST=1
    if ! python3 -c "import typst" 2>/dev/null; then
        if [ "$INSTALL" = 1 ]; then say "installing typst (pip)"; python3 -m pip install -q typst || true; fi
        python3 -c "import typst" 2>/dev/null || HAVE_TYPST=0
    fi
    [ "$HAVE_PANDOC" = 1 ] || echo "bench.sh: pandoc not found: its column stays empty" >&2
    [ "$HAVE_TYPST" = 1 ] || echo "bench.sh: python typst not found: its column stays empty" >&2
fi

if [ -z "${TSIGNI:-}" ]; then
    say "cargo build --release"
    (cd "$ROOT" && cargo build --release --locked --quiet)
    TSIGNI=$ROOT/target/release/tsigni
fi
TSIGNI=$(realpath "$TSIGNI")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tsigni-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FONTS=$ROOT/fonts

# pandoc: --citeproc arrived in 2.11; older ones take the pandoc-citeproc filter.
PANDOC_CITE=()
if [ "$HAVE_PANDOC" = 1 ]; then
    if pandoc --help | grep -q -- '--citeproc'; then PANDOC_CITE=(--citeproc)
    elif command -v pandoc-citeproc >/dev/null; then PANDOC_CITE=(--filter pandoc-citeproc)
    fi
fi
EMBED=()
for f in "$FONTS"/*.ttf; do EMBED+=("--epub-embed-font=$f"); done

# Typst through its Python binding: the same call `python3 -c` would make.
cat >"$WORK/typst-compile.py" <<'EOF'
import sys, typst
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)
EOF

# ------------------------------------------------------------ the machine
# (--watch-only keeps the full run's record and notes its own in watch.json)
[ "$WATCH_ONLY" = 1 ] || {
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cores=$(nproc)"
    echo "cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
    echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "kernel=$(uname -sr)"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "tsigni=$("$TSIGNI" --version 2>/dev/null | head -1) (release, ${BENCH_REV:-$(revision)})"
    [ "$HAVE_PANDOC" = 1 ] && echo "pandoc=$(pandoc --version | head -1) ${PANDOC_CITE[*]}"
    [ "$HAVE_TYPST" = 1 ] && echo "typst=typst $(python3 -c 'import importlib.metadata as m; print(m.version("typst"))') (PyPI, $(python3 --version))"
    command -v hyperfine >/dev/null && echo "hyperfine=$(hyperfine --version)"
} >"$RAW/machine.txt"

# ----------------------------------------------------------------- timing
peak_kb() { # command… → peak RSS in kB of one run, or empty
    [ -x /usr/bin/time ] || return 0
    /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time.txt" || true
    sed -n 's/.*Maximum resident set size (kbytes): *//p' "$WORK/time.txt"
}
size_of() { stat -c %s "$1" 2>/dev/null || echo ""; }
pages_of() { command -v pdfinfo >/dev/null && pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p' || true; }

for n in $SIZES; do
    say "the manuscript ×$n"
    D=$WORK/x$n
    python3 "$ROOT/scripts/make-long-manuscript.py" --times "$n" --out "$D" --peers >/dev/null
    M=$D/manuscript
    P=$D/peers
    O=$D/out
    mkdir -p "$O/all"
    mapfile -t CHAPTERS <"$P/chapters.txt"

    names=(tsigni-epub tsigni-pdf tsigni-all)
    cmds=(
        "$TSIGNI epub --manuscript $M --output $O/tsigni.epub"
        "$TSIGNI pdf --manuscript $M --output $O/tsigni.pdf"
        "$TSIGNI all --manuscript $M --output $O/all/tsigni.epub"
    )
    pandoc_cmd=(pandoc --from markdown --to epub3 --toc "${PANDOC_CITE[@]}"
        --bibliography "$P/references.json" --csl "$M/style.csl"
        --metadata-file "$P/metadata.yaml" --metadata lang=ka
        --epub-cover-image "$P/cover.png" "${EMBED[@]}"
        -o "$O/pandoc.epub" "${CHAPTERS[@]}")
    typst_cmd=(python3 "$WORK/typst-compile.py" "$P/book.typ" "$O/typst.pdf" "$FONTS")
    if [ "$HAVE_PANDOC" = 1 ]; then
        names+=(pandoc-epub); cmds+=("${pandoc_cmd[*]}")
    fi
    if [ "$HAVE_TYPST" = 1 ]; then
        names+=(typst-pdf); cmds+=("${typst_cmd[*]}")
        if [ "$n" = "${SIZES%% *}" ]; then
            names+=(python-import-typst); cmds+=("python3 -c 'import typst'")
        fi
    fi

    # Fewer runs where one run takes seconds; always a warm-up first.
    if [ "$QUICK" = 1 ]; then runs=(--warmup 1 --runs 3)
    elif [ "$n" -le 5 ]; then runs=(--warmup 3 --min-runs 10)
    elif [ "$n" -le 25 ]; then runs=(--warmup 2 --min-runs 5)
    else runs=(--warmup 1 --runs 3)
    fi
    args=()
    for i in "${!cmds[@]}"; do args+=(--command-name "${names[$i]}" "${cmds[$i]}"); done
    (cd "$D" && hyperfine --shell=none "${runs[@]}" --style basic \
        --export-json "$RAW/hyperfine-x$n.json" "${args[@]}") >&2 \
        || echo "bench.sh: hyperfine failed for ×$n (a command exited non-zero)" >&2

    # Peak memory and size, one run each (after the warm-ups above).
    : >"$RAW/memory-x$n.tsv"
    for i in "${!cmds[@]}"; do
        # shellcheck disable=SC2086  # the command strings hold no spaces in words
        case "${names[$i]}" in
            python-import-typst) kb=$(peak_kb python3 -c 'import typst') ;;
            pandoc-epub) kb=$(peak_kb "${pandoc_cmd[@]}") ;;
            typst-pdf) kb=$(peak_kb "${typst_cmd[@]}") ;;
            *) kb=$(peak_kb ${cmds[$i]}) ;;
        esac
        case "${names[$i]}" in
            tsigni-epub) sz=$(size_of "$O/tsigni.epub"); pg="" ;;
            tsigni-pdf) sz=$(size_of "$O/tsigni.pdf"); pg=$(pages_of "$O/tsigni.pdf") ;;
            tsigni-all) sz=$(du -cb "$O"/all/* | tail -1 | cut -f1); pg=$(pages_of "$O/all/tsigni.pdf") ;;
            pandoc-epub) sz=$(size_of "$O/pandoc.epub"); pg="" ;;
            typst-pdf) sz=$(size_of "$O/typst.pdf"); pg=$(pages_of "$O/typst.pdf") ;;
            *) sz=""; pg="" ;;
        esac
        printf '%s\t%s\t%s\t%s\n' "${names[$i]}" "$kb" "$sz" "$pg" >>"$RAW/memory-x$n.tsv"
    done
done
# ------------------------------------------------------ tsigni watch latency
# `tsigni watch epub pdf` on a copy of the article; the driver appends a word
# to the last paragraph of a chapter WATCH_EDITS times and reads, for each
# save, the "rebuilt in N ms" line and the time from the save to the newer
# output's mtime.
say "tsigni watch: $WATCH_EDITS one-word edits of the article"
W=$WORK/watch
mkdir -p "$W"
cp -r "$ROOT/manuscript" "$W/manuscript"
"$TSIGNI" watch epub pdf --manuscript "$W/manuscript" --output "$W/out/book.epub" \
    >"$W/stdout.txt" 2>"$W/stderr.txt" &
WATCH_PID=$!
python3 - "$W" "$WATCH_EDITS" "$RAW/watch.json" "$WATCH_PID" "${BENCH_REV:-$(revision)}" <<'EOF' || { kill -INT "$WATCH_PID"; exit 2; }
import json, os, re, statistics, sys, time
from pathlib import Path

w, edits, out, pid, rev = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], sys.argv[5]
stdout = w / "stdout.txt"
outputs = [w / "out" / "book.epub", w / "out" / "book.pdf"]
chapter = w / "manuscript" / "03-method.md"

def rebuilds():
    return re.findall(r"rebuilt in (\d+) ms", stdout.read_text())

def wait_for(n, limit):
    start = time.monotonic()
    while len(rebuilds()) < n:
        if time.monotonic() - start > limit:
            sys.exit(f"bench.sh: tsigni watch did not rebuild ({n - 1} of {edits} edits)")
        time.sleep(0.001)

def cpu_seconds():  # user + system time of the watching process
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

wait_for(1, 60)
saves = []
cpu_before = cpu_seconds()
for i in range(edits):
    time.sleep(0.3)  # well past the 20 ms debounce: each save is its own rebuild
    text = chapter.read_text().rstrip() + " სიტყვა\n"
    saved = time.time()
    chapter.write_text(text)
    wait_for(i + 2, 30)
    newest = max(os.stat(p).st_mtime for p in outputs)
    saves.append((newest - saved) * 1000)
cpu_ms = (cpu_seconds() - cpu_before) * 1000 / edits
rebuilt = [int(ms) for ms in rebuilds()[1:]]
result = {
    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    "revision": rev,
    "edits": edits,
    "rebuilt_ms_median": statistics.median(rebuilt),
    "save_to_mtime_ms_median": statistics.median(saves),
    "cpu_ms_per_rebuild": round(cpu_ms, 1),
    "load_average": open("/proc/loadavg").read().split()[0],
    "rebuilt_ms": rebuilt,
    "save_to_mtime_ms": [round(s, 1) for s in saves],
}
out.write_text(json.dumps(result, indent=1))
print(f"tsigni watch: {edits} edits, median rebuilt in {result['rebuilt_ms_median']:.0f} ms, "
      f"save to output mtime {result['save_to_mtime_ms_median']:.0f} ms, CPU {cpu_ms:.0f} ms a rebuild "
      f"(load average {result['load_average']})", file=sys.stderr)
EOF
kill -INT "$WATCH_PID"
wait "$WATCH_PID" || echo "bench.sh: tsigni watch exited with $?" >&2
if [ "$WATCH_ONLY" = 1 ]; then
    echo "bench.sh: wrote $RAW/watch.json" >&2
    exit 0
fi

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RAW/machine.txt"

# ----------------------------------------------------------------- report
python3 - "$RAW" "$OUT/README-table.md" "$SIZES" <<'EOF'
import json, sys
from pathlib import Path

raw, out, sizes = Path(sys.argv[1]), Path(sys.argv[2]), [int(s) for s in sys.argv[3].split()]
machine = dict(l.split("=", 1) for l in (raw / "machine.txt").read_text().splitlines() if "=" in l)
res = {}   # (n, name) → dict(median, mean, stddev, min, kb, size, pages)
for n in sizes:
    f = raw / f"hyperfine-x{n}.json"
    if f.exists():
        for r in json.loads(f.read_text())["results"]:
            res[(n, r["command"])] = dict(median=r["median"], mean=r["mean"], stddev=r.get("stddev") or 0.0, min=r["min"], runs=len(r["times"]), cpu=r["user"] + r["system"])
    f = raw / f"memory-x{n}.tsv"
    if f.exists():
        for line in f.read_text().splitlines():
            name, kb, size, pages = (line.split("\t") + ["", "", ""])[:4]
            d = res.setdefault((n, name), {})
            d["kb"] = int(kb) if kb else None
            d["size"] = int(size) if size else None
            d["pages"] = int(pages) if pages else None

def t(n, name):
    return res.get((n, name), {}).get("median")
def fmt_t(s):
    if s is None: return "–"
    return f"{s*1000:.0f} ms" if s < 1 else f"{s:.2f} s"
def fmt_mb(kb):
    return "–" if not kb else f"{kb/1024:.0f} MB"
def fmt_size(b):
    if not b: return "–"
    return f"{b/1024:.0f} KiB" if b < 1024 * 1024 else f"{b/1048576:.1f} MiB"
def ratio(a, b):
    return "–" if a is None or b is None else f"{a/b:.2f}"

TOOLS = ["tsigni-epub", "tsigni-pdf", "tsigni-all", "pandoc-epub", "typst-pdf"]
L = []
L.append(f"Measured {machine.get('date','?')} on {machine.get('cores','?')} cores ({machine.get('cpu','?')}), "
         f"{machine.get('memory','?')}, {machine.get('kernel','?')}; load average {machine.get('load_before','?')} before, "
         f"{machine.get('load_after','?')} after.")
L.append("")
L.append(f"{machine.get('tsigni','tsigni')}; {machine.get('pandoc','no pandoc')}; {machine.get('typst','no typst')}; {machine.get('hyperfine','')}.")
L.append("")
first = sizes[0]
L.append(f"### The article (×{first}): medians")
L.append("")
L.append("| command | median | mean ± σ | CPU (user + sys) | runs | peak memory | output | tsigni / peer |")
L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
peer = {"tsigni-epub": "pandoc-epub", "tsigni-pdf": "typst-pdf"}
for name in TOOLS + ["python-import-typst"]:
    d = res.get((first, name))
    if not d or "median" not in d: continue
    r = ratio(d["median"], t(first, peer[name])) if name in peer else "–"
    if name == "tsigni-all" and t(first, "pandoc-epub") and t(first, "typst-pdf"):
        r = ratio(d["median"], t(first, "pandoc-epub") + t(first, "typst-pdf")) + " (of both)"
    out_ = fmt_size(d.get("size")) + (f", {d['pages']} pages" if d.get("pages") else "")
    L.append(f"| `{name}` | {fmt_t(d['median'])} | {fmt_t(d['mean'])} ± {d['stddev']*1000:.0f} ms | {fmt_t(d['cpu'])} | {d['runs']} | {fmt_mb(d.get('kb'))} | {out_} | {r} |")
L.append("")
L.append("### Scaling: the manuscript repeated N times (median wall time / peak memory / output size)")
L.append("")
L.append("| N | " + " | ".join(f"`{x}`" for x in TOOLS) + " | EPUB tsigni/pandoc | PDF tsigni/Typst |")
L.append("| ---: |" + " ---: |" * (len(TOOLS) + 2))
for n in sizes:
    cells = []
    for name in TOOLS:
        d = res.get((n, name), {})
        cells.append(f"{fmt_t(d.get('median'))} / {fmt_mb(d.get('kb'))} / {fmt_size(d.get('size'))}" if d else "–")
    L.append(f"| {n} | " + " | ".join(cells) + f" | {ratio(t(n,'tsigni-epub'), t(n,'pandoc-epub'))} | {ratio(t(n,'tsigni-pdf'), t(n,'typst-pdf'))} |")
L.append("")
L.append("CPU time (user + sys, mean), which a busy machine disturbs less than wall time:")
L.append("")
L.append("| N | " + " | ".join(f"`{x}`" for x in TOOLS) + " |")
L.append("| ---: |" + " ---: |" * len(TOOLS))
for n in sizes:
    L.append(f"| {n} | " + " | ".join(fmt_t(res.get((n, x), {}).get("cpu")) for x in TOOLS) + " |")
L.append("")
if len(sizes) > 1:
    last = sizes[-1]
    L.append(f"Growth ×{last} / ×{first} (median time): " + ", ".join(
        f"{name} {t(last,name)/t(first,name):.0f}×" for name in TOOLS if t(last, name) and t(first, name)) + ".")
    L.append("")

# The issue's targets (2 cores, release build).
L.append("### Targets")
L.append("")
L.append("| target | measured | met |")
L.append("| --- | --- | --- |")
def row(what, value, ok):
    L.append(f"| {what} | {value} | {'yes' if ok else '**no**'} |")
if t(1, "tsigni-all") is not None:
    both = (t(1, "tsigni-epub") or 0) + (t(1, "tsigni-pdf") or 0)
    row("article EPUB + PDF < 50 ms", f"`all` {fmt_t(t(1,'tsigni-all'))} (epub + pdf separately {fmt_t(both)})", t(1, "tsigni-all") < 0.05)
if t(25, "tsigni-all") is not None:
    row("×25 book (EPUB + PDF) < 1 s", f"`all` {fmt_t(t(25,'tsigni-all'))}", t(25, "tsigni-all") < 1.0)
if t(100, "tsigni-all") is not None and t(1, "tsigni-all") is not None:
    g = t(100, "tsigni-all") / t(1, "tsigni-all")
    row("linear: ×100 within 120× of ×1", f"`all` {g:.0f}×", g <= 120)
if res.get((100, "tsigni-all"), {}).get("kb"):
    kb = max(res.get((100, x), {}).get("kb") or 0 for x in ["tsigni-epub", "tsigni-pdf", "tsigni-all"])
    row("peak memory at ×100 < 200 MB", fmt_mb(kb), kb < 200 * 1024)
L.append("")
wj = raw / "watch.json"
if wj.exists():
    wr = json.loads(wj.read_text())
    L.append(f"`tsigni watch epub pdf`, {wr['edits']} one-word edits of the article: median rebuild "
             f"{wr['rebuilt_ms_median']:.0f} ms (\"rebuilt in\"), {wr['save_to_mtime_ms_median']:.0f} ms "
             f"from the save to the new output's mtime (20 ms of it the debounce), "
             f"{wr['cpu_ms_per_rebuild']:.0f} ms of CPU a rebuild.")
    L.append("")
L.append("Peers: pandoc builds the EPUB from the same Markdown with `--toc`, `--citeproc` (the same "
         "`style.csl`, the four references as CSL-JSON), the same cover and the five embedded TTF fonts "
         "(pandoc embeds them whole; tsigni subsets them). Typst compiles a `.typ` made from the same "
         "Markdown by `scripts/make-long-manuscript.py`: A5, the same margins, 10 pt Noto Serif "
         "Georgian + Noto Serif (system fonts ignored), `lang: \"ka\", hyphenate: true`, justified, the "
         "cover, a title page, `#outline()`, footnotes as `#footnote`, citations as plain text "
         "`(Snow, 1961: 96)` and the bibliography as a plain list (so Typst does no citation "
         "processing). Its time includes Python's start-up and `import typst` (`python-import-typst`).")
out.write_text("\n".join(L) + "\n")
print("\n".join(L))
EOF
echo >&2
echo "bench.sh: wrote $OUT/README-table.md and $RAW/" >&2
