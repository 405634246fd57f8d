#!/usr/bin/env python3
"""Makes the N-times book for the benchmarks, and the peers' inputs.

    python3 scripts/make-long-manuscript.py --times 25 --out /tmp/b25 [--peers]

writes

    OUT/manuscript/       the manuscript repeated N times, ready for tsigni:
                          each chapter file copied N times under new names
                          (05-discussion-r07.md), all listed in book.toml in
                          book order (01…06, 01…06, …); footnotes and citations
                          included; a cover outside it named absolutely.
    OUT/peers/            with --peers, the same text for the peers:
      chapters/*.md       for pandoc, footnote labels made unique per copy
                          (pandoc reads all its inputs as one document)
      metadata.yaml       title and language for pandoc
      references.json     the four references as CSL-JSON (family name + year)
      book.typ, cover.png an equivalent Typst document (see typst_document)
      bibliography.md     its bibliography list, for the LuaLaTeX twin

Only the standard library is used. With --times 1 the chapter files keep
their names, so the 1x book is the article itself.
"""

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_book_toml(text):
    """The few values needed: chapters, cover, title (book.toml is ours)."""

    def value(key):
        m = re.search(r'^%s\s*=\s*"((?:[^"\\]|\\.)*)"' % key, text, re.M)
        return m.group(1) if m else None

    m = re.search(r"^chapters\s*=\s*\[(.*?)\]", text, re.M | re.S)
    if not m:
        sys.exit("book.toml: no chapters list")
    chapters = re.findall(r'"([^"]+)"', m.group(1))
    return chapters, value("cover"), value("title") or "", value("language") or "ka"


def parse_references(text):
    """The hayagriva YAML of the manuscript: key → {author, date}. A tiny
    reader for the flat shape the manuscript uses, not a YAML parser."""
    refs = {}
    key = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith((" ", "\t")) and line.rstrip().endswith(":"):
            key = line.rstrip()[:-1].strip().strip("'\"")
            refs[key] = {}
        elif key is not None and ":" in line:
            k, v = line.strip().split(":", 1)
            refs[key][k.strip()] = v.strip().strip("'\"")
    return refs


def make_manuscript(src, times, out):
    text = (src / "book.toml").read_text(encoding="utf-8")
    chapters, cover, title, lang = parse_book_toml(text)
    dst = out / "manuscript"
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    for f in src.iterdir():
        if f.is_file() and f.name not in chapters and f.name != "book.toml":
            shutil.copy2(f, dst / f.name)
    names = []  # (new name, original name, copy number)
    for r in range(1, times + 1):
        for ch in chapters:
            if times == 1:
                name = ch
            else:
                stem, dot, ext = ch.rpartition(".")
                name = f"{stem}-r{r:0{max(2, len(str(times)))}d}.{ext}"
            shutil.copy2(src / ch, dst / name)
            names.append((name, ch, r))
    listed = ", ".join(json.dumps(n) for n, _, _ in names)
    text = re.sub(
        r"^chapters\s*=\s*\[.*?\]", lambda _: f"chapters = [{listed}]", text, flags=re.M | re.S
    )
    cover_abs = None
    if cover:
        cover_abs = (src / cover).resolve()
        # A cover inside the manuscript was copied with it; one outside is
        # named absolutely, and tsigni then needs --allow for its directory.
        if not (dst / cover).is_file():
            text = re.sub(
                r'^cover\s*=\s*".*?"', lambda _: f"cover = {json.dumps(str(cover_abs))}", text, flags=re.M
            )
    (dst / "book.toml").write_text(text, encoding="utf-8")
    return names, cover_abs, title, lang


# ---------------------------------------------------------------- citations

CITATION = re.compile(r"\[(@[^\[\]]*?)\]")
NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
NOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:\s?(.*)$")


def cite_text(body, refs):
    """`@snow1961, 96; @li1997` → `Snow, 1961: 96; Li, 1997`, as the CSL style prints it."""
    parts = []
    for one in body.split(";"):
        one = one.strip()
        m = re.match(r"@([\w:.#$%&+?<>~/-]+)\s*,?\s*(.*)$", one)
        if not m:
            return None
        ref = refs.get(m.group(1), {})
        s = ref.get("author", m.group(1))
        if ref.get("date"):
            s += ", " + ref["date"]
            if m.group(2):
                s += ": " + m.group(2)
        elif m.group(2):
            s += ", " + m.group(2)
        parts.append(s)
    return "(" + "; ".join(parts) + ")"


def csl_json(refs):
    items = []
    for key, r in refs.items():
        item = {"id": key, "type": "document"}
        if r.get("author"):
            item["author"] = [{"family": r["author"]}]
        if r.get("date"):
            year = re.match(r"\d{4}", r["date"])
            if year:
                item["issued"] = {"date-parts": [[int(year.group(0))]]}
        items.append(item)
    return items


# --------------------------------------------------------------------- Typst

SPECIAL = set("\\#*_$@<>[]`~/=+-\"'")


def typst_escape(s):
    """Markup-safe text: every character Typst might read as markup is
    escaped, so the text comes out as written."""
    out = []
    for c in s:
        if c in SPECIAL and c not in "-\"'=+":
            out.append("\\" + c)
        else:
            out.append(c)
    s = "".join(out)
    # Shorthands Typst would turn into other characters.
    s = s.replace("--", "-\\-").replace("-?", "-\\?").replace("...", ".\\..")
    return s


def line_start_safe(s):
    """A paragraph must not open with a list, enum or heading marker."""
    if re.match(r"[-+=]", s):
        return "\\" + s
    if re.match(r"\d+\.", s):
        return "#[]" + s
    return s


def typst_inline(s, refs, notes):
    """Markdown inline → Typst markup: **strong**, *emphasis*, notes, citations."""
    out = []
    pos = 0
    token = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|\[\^([^\]\s]+)\]|\[(@[^\[\]]*?)\]")
    for m in token.finditer(s):
        out.append(typst_escape(s[pos : m.start()]))
        if m.group(1) is not None:
            out.append("#strong[" + typst_inline(m.group(1), refs, notes) + "]")
        elif m.group(2) is not None:
            out.append("#emph[" + typst_inline(m.group(2), refs, notes) + "]")
        elif m.group(3) is not None:
            note = notes.get(m.group(3), "")
            out.append("#footnote[" + typst_inline(note, refs, notes) + "]")
        else:
            c = cite_text(m.group(4), refs)
            out.append(typst_escape(c if c else m.group(0)))
        pos = m.end()
    out.append(typst_escape(s[pos:]))
    return "".join(out)


def markdown_blocks(text):
    """The manuscript's Markdown as blocks: ('h', level, text), ('li', text),
    ('p', text), with footnote definitions taken out into a dict."""
    notes = {}
    blocks = []
    para = []
    item = None
    note = None

    def flush():
        nonlocal para, item, note
        if para:
            blocks.append(("p", " ".join(para)))
        if item is not None:
            blocks.append(("li", " ".join(item)))
        para, item, note = [], None, None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        m = NOTE_DEF.match(raw)
        if m:
            flush()
            note = m.group(1)
            notes[note] = m.group(2)
            continue
        if note is not None and raw.startswith((" ", "\t")):
            notes[note] += " " + line
            continue
        h = re.match(r"^(#{1,6})\s+(.*?)\s*(\{#[^}]*\})?\s*$", raw)
        if h:
            flush()
            blocks.append(("h", len(h.group(1)), h.group(2)))
            continue
        li = re.match(r"^\s*[-*+]\s+(.*)$", raw)
        if li:
            flush()
            item = [li.group(1)]
            continue
        if item is not None:
            item.append(line)
        else:
            note = None
            para.append(line)
    flush()
    return blocks, notes


def bibliography_entries(refs):
    """The twins' bibliography: "Author. Year." a reference, by author."""
    out = []
    for key, r in sorted(refs.items(), key=lambda kv: kv[1].get("author", kv[0])):
        entry = "%s. %s" % (r.get("author", key), r.get("date", "უ. თ."))
        out.append(entry if entry.endswith(".") else entry + ".")
    return out


def typst_document(texts, refs, title, lang, cover, bib_title):
    """One Typst document equivalent to tsigni's PDF: A5, the same margins,
    10 pt Noto Serif Georgian + Noto Serif on 13.5 pt, justified and hyphenated Georgian,
    a cover, a title page, the contents, each chapter on a new page, notes at
    the page foot, citations as plain text, the bibliography as a list."""
    out = [
        "#set document(title: [%s])" % typst_escape(title),
        "#set page(paper: \"a5\", margin: (inside: 18mm, outside: 15mm, top: 18mm, bottom: 20mm), numbering: \"1\")",
        # 10 pt on 13.5 pt, as tsigni sets it: a line box of exactly 1.25 em
        # (1 em above the baseline leaves room for a raised note number)
        # plus 1 pt of leading, and no extra space between paragraphs.
        '#set text(font: ("Noto Serif Georgian", "Noto Serif"), size: 10pt, lang: "%s", hyphenate: true, top-edge: 1em, bottom-edge: -0.25em)' % lang,
        "#set par(justify: true, first-line-indent: 1em, leading: 1pt, spacing: 1pt)",
        "#show heading.where(level: 1): it => { pagebreak(weak: true); it }",
        "",
    ]
    if cover:
        out.append('#page(margin: 0pt, numbering: none)[#image("cover.png", width: 100%, height: 100%, fit: "cover")]')
    out.append("#page(numbering: none)[#align(center + horizon)[#text(size: 16pt)[%s]]]" % typst_escape(title))
    out.append("#outline()")
    out.append("")
    for text in texts:
        blocks, notes = markdown_blocks(text)
        for b in blocks:
            if b[0] == "h":
                out.append("=" * b[1] + " " + typst_inline(b[2], refs, notes))
            elif b[0] == "li":
                out.append("- " + typst_inline(b[1], refs, notes))
            else:
                out.append(line_start_safe(typst_inline(b[1], refs, notes)))
            out.append("")
    out.append("= " + typst_escape(bib_title))
    out.append("")
    for entry in bibliography_entries(refs):
        out.append(typst_escape(entry))
        out.append("")
    return "\n".join(out) + "\n"


def make_peers(src, out, names, cover, title, lang):
    refs = parse_references((src / "references.yaml").read_text(encoding="utf-8"))
    peers = out / "peers"
    if peers.exists():
        shutil.rmtree(peers)
    (peers / "chapters").mkdir(parents=True)
    texts = []
    for name, original, r in names:
        text = (src / original).read_text(encoding="utf-8")
        texts.append(text)
        # pandoc reads every input file as one document: keep notes apart.
        text = NOTE_REF.sub(lambda m: f"[^{m.group(1)}-r{r}]", text)
        (peers / "chapters" / name).write_text(text, encoding="utf-8")
    (peers / "chapters.txt").write_text(
        "".join(str(peers / "chapters" / n) + "\n" for n, _, _ in names), encoding="utf-8"
    )
    (peers / "references.json").write_text(
        json.dumps(csl_json(refs), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (peers / "metadata.yaml").write_text(
        "title: %s\nlang: %s\n" % (json.dumps(title, ensure_ascii=False), lang), encoding="utf-8"
    )
    bib_title = "ბიბლიოგრაფია"
    m = re.search(r'^title\s*=\s*"(.*?)"', (src / "book.toml").read_text(encoding="utf-8").split("[bibliography]")[-1], re.M)
    if m:
        bib_title = m.group(1)
    # The same list for the LuaLaTeX twin, after the chapters (pandoc's
    # benchmarks read chapters.txt, which does not name it).
    (peers / "bibliography.md").write_text(
        "# %s\n\n" % bib_title + "".join(e + "\n\n" for e in bibliography_entries(refs)),
        encoding="utf-8",
    )
    if cover:
        shutil.copy2(cover, peers / "cover.png")
    (peers / "book.typ").write_text(
        typst_document(texts, refs, title, lang, cover, bib_title), encoding="utf-8"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, default=ROOT / "manuscript")
    ap.add_argument("--times", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--peers", action="store_true", help="also write pandoc's and Typst's inputs")
    a = ap.parse_args()
    if a.times < 1:
        sys.exit("--times must be at least 1")
    src = a.src.resolve()
    out = a.out.resolve()
    names, cover, title, lang = make_manuscript(src, a.times, out)
    if a.peers:
        make_peers(src, out, names, cover, title, lang)
    print(out / "manuscript")


if __name__ == "__main__":
    main()
