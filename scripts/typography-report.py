#!/usr/bin/env python3
"""Typography report: page-makeup and line-breaking figures of typeset PDFs.

    python3 scripts/typography-report.py BOOK.pdf [OTHER.pdf …] [--json]
                                         [--check] [--goal NAME=VALUE …]

prints one column per PDF (issue 14's table). With --check, every PDF is held
to the goal's thresholds (GOAL below, each overridable with --goal) and the
exit status is 1 when a figure misses, naming it. --json prints the figures
as JSON instead of the table.

What is measured, and how (everything from PyMuPDF's characters: glyph, its
advance box, baseline, font and size; nothing is parsed by hand):

Lines. The characters of a page are grouped by baseline (0.1 pt). A group in a
smaller size whose baseline sits just above or below a larger line (a note
marker, a superscript) belongs to that line. A line's size is the size most
of its characters have.

Body size: the size most characters of the document have.
Body text lines: lines in the body size, not all bold (run-in and level-3+
  headings), not a leader line (three dots in a row: contents) and with no gap
  over 4 em (tabular lines); the running head (a page's top line standing
  more than 1.4 leading above the next) and the folio (a line of only digits
  or roman numerals at the top or foot of the page) are not text at all.
  Headings are larger, notes smaller than the body size: neither is body.
Text edges: per page, L and R are the most common left and right ends of the
  body text lines (R from lines ending in a letter or digit, so hanging
  hyphens and punctuation do not move it); pages with fewer than three such
  lines borrow those of the same side (odd or even PDF page).
Full ("body") lines: body text lines whose right end is within 1 pt of R or
  beyond it. Paragraph last lines, centred and ragged lines fall out here.
  Only full lines are measured for spacing, rivers and hyphen share.

Word space: the horizontal gap between the advance boxes of two glyphs that a
  space separates, or of two glyphs more than 0.1 em apart (so a PDF that
  positions words without space glyphs is measured the same), in em of the
  line's size. A line's word space is the median of its gaps; the figure is
  the median / 90th percentile / maximum over full lines.
Natural space: the advance of U+0020 in the dominant body font, read with
  fontTools from that font file (the embedded font when it still has a cmap,
  else the file of the same PostScript name in --fonts, by default the
  project's fonts/). When neither is found, the 5th percentile of the line
  word spaces stands for it, and the report says so.
Loose lines: full lines whose word space exceeds 2 × natural.
Rivers: a wide space is one gap ≥ 1.5 × natural on a full line. Wide spaces
  on consecutive full lines of one page (baselines one leading apart) are
  linked when their horizontal extents overlap; a river is a linked group
  that reaches over 3 or more consecutive lines. Each group counts once.

Hyphenated line ends: full lines whose last glyph is a hyphen as drawn
  (U+002D, U+2010, U+2011 or U+00AD; ActualText is ignored for this, so a
  hyphen the typesetter marks as soft counts too), as a share of full lines;
  the longest run of consecutive text lines ending so.
Soft-marked: of those hyphens, how many extract (ActualText applied) as
  U+00AD or as nothing — the way a reader's copy/search drops them. When a
  PDF marks any, its unmarked line-end hyphens are taken for a compound's own
  hyphen and left out of the fragment and short-word counts below.
Fragments: at a hyphenated line end between letters, the letters before the
  hyphen back to a non-letter (left) and the letters that open the next text
  line (right, across a page turn too). Left < 2 and carried < 3 count.
Short words split: such breaks whose word has ≤ 5 letters (left + right).

Page makeup. A page's last baseline is that of its lowest line that is not a
  folio (notes included: a full page ends where its notes end).
Chapter starts: pages carrying a line in the chapter-heading size (the
  largest size seen on two or more pages, above 1.2 × body), or whose first
  line stands more than 3 leadings below the usual first baseline.
Full pages: pages with body text whose next page has body text and is not a
  chapter start, i.e. the chapter goes on overleaf.
Leading: the most common baseline step between consecutive body text lines.
Last-baseline heights: distinct last baselines of full pages (values within
  0.5 pt are one), and their spread (max − min) in pt.
Short pages: full pages whose last baseline stands more than half a leading
  above the most common one (the foot).
Off-grid pages: pages with a body text line whose baseline is not on
  origin + k × leading (± 0.5 pt); the origin is the most common first body
  baseline of the pages.
Facing pages differing: spreads (PDF pages 2k and 2k+1 counting from 1 — the
  first PDF page is a recto) whose two pages are both full and whose last
  baselines differ by more than 0.5 pt.
Hanging: the median amount (pt) by which full lines ending in a hyphen /
  in punctuation reach past R.
"""

import argparse
import json
import math
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

try:
    import pymupdf
except ImportError:  # pragma: no cover - reported to the user
    sys.exit("typography-report: needs PyMuPDF (pip install pymupdf)")

ROOT = Path(__file__).resolve().parent.parent
HYPHENS = "-\u2010\u2011\u00ad"
PUNCT = set(".,;:!?…»«“”„\"')]}’–—")
MARKER = re.compile(r"^([•◦‣▪–—*-]|\d{1,3}[.)]|[a-zა-ჰ][.)])$")
FOLIO = re.compile(r"^(\d+|[ivxlcdm]+|[IVXLCDM]+)$")

# The goal of issue 14: (figure, comparison, threshold).
GOAL = {
    "space_p90_em": ("<=", 0.40),
    "loose_lines": ("<=", 20),
    "rivers": ("<=", 1),
    "hyphen_share": ("<=", 0.40),
    "hyphen_run_max": ("<=", 2),
    "fragments_left": ("<=", 0),
    "fragments_carried": ("<=", 0),
    "short_words_split": ("<=", 0),
    # One foot, or a spread run a line long or short: at most three heights.
    "last_baseline_heights": ("<=", 3),
    "facing_pages_differ": ("<=", 0),
    "off_grid_pages": ("<=", 0),
    "hanging_hyphen_pt": (">=", 0.5),
    "soft_marked_hyphens": (">=", 1),
}

ROWS = [
    ("space", "word space per line, em: median / p90 / max"),
    ("loose_lines", "lines with spaces > 2× natural"),
    ("rivers", "rivers (wide spaces over 3+ lines)"),
    ("hyphen_share", "lines ending in a hyphen"),
    ("hyphen_run_max", "most hyphenated lines in a row"),
    ("soft_marked_hyphens", "line-end hyphens marked soft (of all)"),
    ("fragments", "fragments: < 2 letters left / < 3 carried"),
    ("short_words_split", "words of ≤ 5 letters split"),
    ("last_baseline_heights", "different last-baseline heights of full pages"),
    ("short_pages", "full pages ending one or more lines short"),
    ("off_grid_pages", "pages off the baseline grid"),
    ("facing_pages_differ", "facing pages whose last baselines differ"),
    ("hanging", "hanging hyphens / punctuation, pt"),
    ("natural_space_em", "natural word space, em (source)"),
    ("body_lines", "full body lines measured (pages)"),
]


class Line:
    """One baseline's glyphs on a page, left to right."""

    def __init__(self, page, y, chars):
        self.page = page
        self.y = y
        self.chars = sorted(chars, key=lambda c: c[1])
        sizes = Counter(round(c[4], 1) for c in self.chars if not c[0].isspace())
        self.size = sizes.most_common(1)[0][0] if sizes else round(self.chars[0][4], 1)
        ink = [c for c in self.chars if not c[0].isspace()]
        self.ink = ink
        self.x0 = ink[0][1] if ink else self.chars[0][1]
        self.x1 = ink[-1][2] if ink else self.chars[-1][2]
        self.text = "".join(c[0] for c in self.chars)
        self.bold = bool(ink) and all("bold" in c[5].lower() for c in ink)
        self.fonts = Counter(c[5] for c in ink)
        self.last = ink[-1][0] if ink else ""
        self.soft = None  # set for hyphen ends: does extraction drop it?
        self.role = "text"

    def gaps(self):
        """(x0, x1) of every word space: between glyphs a space separates,
        or that stand more than 0.1 em apart. The gap after a list marker
        opening the line is an indent, not a word space."""
        out = []
        prev = None
        spaced = False
        for c in self.chars:
            if c[0].isspace():
                spaced = True
                continue
            if prev is not None:
                gap = c[1] - prev[2]
                if spaced or gap > 0.1 * self.size:
                    out.append((prev[2], c[1]))
            prev = c
            spaced = False
        if out:
            first = "".join(c[0] for c in self.ink if c[2] <= out[0][0] + 0.01)
            if MARKER.match(first):
                out = out[1:]
        return out


def page_lines(page, flags):
    """The page's lines: characters grouped by baseline, small raised or
    lowered groups (note markers) folded into the line they sit on."""
    groups = defaultdict(list)
    raw = page.get_text("rawdict", flags=flags)
    for block in raw["blocks"]:
        for line in block.get("lines", []):
            if abs(line["dir"][1]) > 1e-3:
                continue  # rotated text is not body text
            for span in line["spans"]:
                for ch in span["chars"]:
                    x0, _, x1, _ = ch["bbox"]
                    y = round(ch["origin"][1], 1)
                    groups[y].append((ch["c"], x0, x1, y, span["size"], span["font"]))
    lines = [Line(page.number, y, cs) for y, cs in sorted(groups.items())]
    merged = []
    for ln in lines:
        host = None
        for other in lines:
            if other is ln or other.size < 1.15 * ln.size:
                continue
            dy = other.y - ln.y
            if (0 < dy <= 0.6 * other.size or 0 < -dy <= 0.35 * other.size) and (
                ln.x0 < other.x1 + 2 and ln.x1 > other.x0 - 2
            ):
                host = other
                break
        if host is None:
            merged.append(ln)
        else:
            host.chars = sorted(host.chars + ln.chars, key=lambda c: c[1])
            host.text = "".join(c[0] for c in host.chars)
    # Join lines whose baselines differ by rounding only.
    out = []
    for ln in merged:
        if out and abs(ln.y - out[-1].y) < 0.3 and abs(ln.size - out[-1].size) < 0.3:
            prev = out.pop()
            ln = Line(page.number, prev.y, prev.chars + ln.chars)
        out.append(ln)
    return out


def soft_marks(page, lines):
    """For hyphen-ended lines: does the default extraction (ActualText
    applied) give something other than a plain hyphen at the line end?"""
    wanted = [ln for ln in lines if ln.last in HYPHENS]
    if not wanted:
        return
    ends = {}
    raw = page.get_text("rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_INHIBIT_SPACES)
    for block in raw["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for ch in span["chars"]:
                    y = round(ch["origin"][1], 1)
                    if ch["c"].isspace():
                        continue
                    if y not in ends or ch["bbox"][2] >= ends[y][1] - 0.01:
                        ends[y] = (ch["c"], ch["bbox"][2])
    for ln in wanted:
        cands = [v for y, v in ends.items() if abs(y - ln.y) < 0.3]
        if not cands:
            ln.soft = True  # the hyphen extracts as nothing
            continue
        last = max(cands, key=lambda v: v[1])
        # Dropped: the line's last extracted glyph lies left of the hyphen.
        ln.soft = last[0] == "\u00ad" or last[1] < ln.x1 - 0.5 or last[0] not in HYPHENS


def mode(values, step=0.5):
    """The most common value, values binned to `step`; ties go to the larger."""
    if not values:
        return None
    c = Counter(round(v / step) * step for v in values)
    best = max(c.values())
    return max(v for v, n in c.items() if n == best)


def cluster(values, tol=0.5):
    """Values within `tol` of their neighbour are one: the groups, sorted."""
    groups = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def natural_space(doc, font_name, font_dirs, line_spaces):
    """The body font's space advance in em, and where it came from."""
    from io import BytesIO

    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        TTFont = None
    base = font_name.split("+", 1)[-1]
    if TTFont is not None:
        for pno in range(min(doc.page_count, 40)):
            for f in doc.get_page_fonts(pno):
                if f[3].split("+", 1)[-1].startswith(base):
                    try:
                        buf = doc.extract_font(f[0])[3]
                        tt = TTFont(BytesIO(buf))
                        cmap = tt.getBestCmap() if "cmap" in tt else None
                        if cmap and 0x20 in cmap:
                            return tt["hmtx"][cmap[0x20]][0] / tt["head"].unitsPerEm, "embedded font"
                    except Exception:
                        pass
                    full = f[3].split("+", 1)[-1]
                    for d in font_dirs:
                        for path in sorted(Path(d).glob("*.[ot]tf")):
                            try:
                                tt = TTFont(path, lazy=True)
                                if tt["name"].getDebugName(6) == full:
                                    cmap = tt.getBestCmap()
                                    adv = tt["hmtx"][cmap[0x20]][0]
                                    return adv / tt["head"].unitsPerEm, path.name
                            except Exception:
                                continue
    if line_spaces:
        q = statistics.quantiles(line_spaces, n=20)[0] if len(line_spaces) > 1 else line_spaces[0]
        return q, "5th percentile of lines"
    return 0.25, "assumed"


def classify(pages):
    """Body size, roles of lines (folio, running head, text) and the leading."""
    sizes = Counter()
    for lines in pages:
        for ln in lines:
            sizes[ln.size] += len(ln.ink)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    for lines in pages:
        if not lines:
            continue
        for ln in (lines[0], lines[-1]):
            if FOLIO.match(ln.text.strip()):
                ln.role = "folio"
    steps = []
    for lines in pages:
        bl = [ln for ln in lines if ln.role == "text" and abs(ln.size - body) < 0.3]
        steps += [b.y - a.y for a, b in zip(bl, bl[1:]) if 0 < b.y - a.y < 3 * body]
    leading = mode(steps, 0.05) or body * 1.2
    for lines in pages:
        text = [ln for ln in lines if ln.role == "text"]
        if len(text) >= 2 and text[1].y - text[0].y > 1.4 * leading and len(text[0].text) <= 100:
            if text[0].size <= body + 0.3:
                text[0].role = "running"
    for lines in pages:
        for ln in lines:
            if ln.role != "text":
                continue
            if abs(ln.size - body) >= 0.3:
                ln.role = "heading" if ln.size > body else "note"
            elif ln.bold:
                ln.role = "heading"
            elif "..." in ln.text.replace(" ", "") or "…" in ln.text:
                ln.role = "leader"
            elif any(g[1] - g[0] > 4 * ln.size for g in ln.gaps()):
                ln.role = "tabular"
            else:
                ln.role = "body"
    return body, leading


def edges(pages):
    """Per page (L, R): the most common left / right ends of its body lines."""
    per = {}
    side = {0: ([], []), 1: ([], [])}
    for pno, lines in enumerate(pages):
        body = [ln for ln in lines if ln.role == "body"]
        rights = [ln.x1 for ln in body if ln.last.isalnum()]
        lefts = [ln.x0 for ln in body]
        if len(rights) >= 3:
            per[pno] = (mode(lefts), mode(rights))
        side[pno % 2][0].extend(lefts)
        side[pno % 2][1].extend(rights)
    out = {}
    for pno in range(len(pages)):
        if pno in per:
            out[pno] = per[pno]
        else:
            lefts, rights = side[pno % 2]
            out[pno] = (mode(lefts), mode(rights))
    return out


def measure(path, font_dirs):
    doc = pymupdf.open(path)
    flags = pymupdf.TEXT_IGNORE_ACTUALTEXT | pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_INHIBIT_SPACES
    pages = []
    for page in doc:
        lines = page_lines(page, flags)
        soft_marks(page, lines)
        pages.append(lines)
    body, leading = classify(pages)
    edge = edges(pages)

    full = []  # (page, line)
    for pno, lines in enumerate(pages):
        r = edge[pno][1]
        for ln in lines:
            if ln.role == "body" and r is not None and ln.x1 >= r - 1.0:
                ln.full = True
                full.append(ln)
            else:
                ln.full = False
    fonts = Counter()
    for ln in full:
        fonts.update(ln.fonts)
    line_space = {}
    for ln in full:
        g = [(b - a) / ln.size for a, b in ln.gaps()]
        if g:
            line_space[id(ln)] = statistics.median(g)
    spaces = sorted(line_space.values())
    nat, nat_src = natural_space(doc, fonts.most_common(1)[0][0] if fonts else "", font_dirs, spaces)

    f = {"pdf": str(path), "pages": doc.page_count, "body_size": body, "leading": round(leading, 2)}
    f["natural_space_em"] = round(nat, 3)
    f["natural_space_source"] = nat_src
    f["body_lines"] = len(full)
    f["space_median_em"] = round(statistics.median(spaces), 3) if spaces else 0.0
    f["space_p90_em"] = round(statistics.quantiles(spaces, n=10)[-1], 3) if len(spaces) > 1 else f["space_median_em"]
    f["space_max_em"] = round(max(spaces), 3) if spaces else 0.0
    loose = [ln for ln in full if line_space.get(id(ln), 0) > 2 * nat]
    f["loose_lines"] = len(loose)
    f["loose_lines_at"] = ["p%d y%.0f" % (ln.page + 1, ln.y) for ln in loose]
    f["rivers_at"] = rivers_at(pages, nat, leading)
    f["rivers"] = len(f["rivers_at"])
    hyph(f, pages, full)
    makeup(f, pages, edge, body, leading)
    return f


def rivers_at(pages, nat, leading):
    """Linked groups of wide spaces reaching over 3+ consecutive full lines,
    as "p<page> y<first baseline>-<last> x<left>" for a reader to find."""
    found = []
    for lines in pages:
        rows = [ln for ln in lines if ln.full]
        wide = [[g for g in ln.gaps() if (g[1] - g[0]) / ln.size >= 1.5 * nat] for ln in rows]
        parent = {(i, j): (i, j) for i, gs in enumerate(wide) for j in range(len(gs))}

        def find(k):
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        for i in range(1, len(rows)):
            if abs(rows[i].y - rows[i - 1].y - leading) > 0.6:
                continue
            for j, a in enumerate(wide[i]):
                for k, b in enumerate(wide[i - 1]):
                    if a[0] < b[1] and b[0] < a[1]:
                        parent[find((i, j))] = find((i - 1, k))
        groups = defaultdict(list)
        for key in parent:
            groups[find(key)].append(key)
        for members in groups.values():
            rws = sorted({i for i, _ in members})
            if runs_of(rws) >= 3:
                x = min(wide[i][j][0] for i, j in members)
                found.append("p%d y%.0f-%.0f x%.0f" % (rows[0].page + 1, rows[rws[0]].y, rows[rws[-1]].y, x))
    return found


def runs_of(rows):
    """The longest run of consecutive numbers in a sorted list."""
    best = run = 1
    for a, b in zip(rows, rows[1:]):
        run = run + 1 if b == a + 1 else 1
        best = max(best, run)
    return best if rows else 0


def letters_back(text):
    n = 0
    for ch in reversed(text):
        if not ch.isalpha():
            break
        n += 1
    return n


def letters_forward(text):
    n = 0
    for ch in text:
        if not ch.isalpha():
            break
        n += 1
    return n


def hyph(f, pages, full):
    """Hyphen share, runs, soft marks, fragments and short words."""
    stream = [ln for lines in pages for ln in lines if ln.role == "body"]
    ends = [ln for ln in full if ln.last in HYPHENS]
    f["hyphen_ends"] = len(ends)
    f["hyphen_share"] = round(len(ends) / len(full), 3) if full else 0.0
    run = best = 0
    for ln in stream:
        run = run + 1 if ln.last in HYPHENS else 0
        best = max(best, run)
    f["hyphen_run_max"] = best
    hy = [ln for ln in stream if ln.last in HYPHENS]
    f["soft_marked_hyphens"] = sum(1 for ln in hy if ln.soft)
    f["line_end_hyphens"] = len(hy)
    marks = f["soft_marked_hyphens"] > 0
    left = carried = short = 0
    examples = []
    for a, b in zip(stream, stream[1:]):
        if a.last not in HYPHENS or (marks and not a.soft):
            continue
        ink = a.text.rstrip()[:-1]
        nxt = b.text.lstrip()
        lft, rgt = letters_back(ink), letters_forward(nxt)
        if not lft or not rgt:
            continue
        if lft < 2:
            left += 1
        if rgt < 3:
            carried += 1
        if lft + rgt <= 5:
            short += 1
            examples.append(ink[len(ink) - lft :] + "-" + nxt[:rgt])
    f["fragments_left"] = left
    f["fragments_carried"] = carried
    f["short_words_split"] = short
    f["short_word_examples"] = examples[:10]


def makeup(f, pages, edge, body, leading):
    """Chapter starts, full pages, feet, grid and facing pages."""
    bodied = [any(ln.role == "body" for ln in lines) for lines in pages]
    on_pages = defaultdict(set)
    for pno, lines in enumerate(pages):
        for ln in lines:
            if ln.role == "heading" and ln.size > 1.2 * body:
                on_pages[ln.size].add(pno)
    many = [s for s, ps in on_pages.items() if len(ps) >= 2]
    chapter_size = max(many) if many else None
    firsts = []
    for pno, lines in enumerate(pages):
        b = [ln for ln in lines if ln.role == "body"]
        if b:
            firsts.append(b[0].y)
    origin = mode(firsts) if firsts else 0.0
    starts = set()
    for pno, lines in enumerate(pages):
        text = [ln for ln in lines if ln.role not in ("folio", "running")]
        if chapter_size and any(ln.size == chapter_size for ln in text):
            starts.add(pno)
        elif text and text[0].y > origin + 3 * leading:
            starts.add(pno)
    fullp = [
        pno for pno in range(len(pages) - 1) if bodied[pno] and bodied[pno + 1] and pno + 1 not in starts
    ]
    last = {}
    for pno, lines in enumerate(pages):
        ys = [ln.y for ln in lines if ln.role not in ("folio",)]
        if ys:
            last[pno] = max(ys)
    feet = [last[p] for p in fullp if p in last]
    groups = cluster(feet)
    f["full_pages"] = len(fullp)
    f["chapter_starts"] = len(starts)
    f["last_baseline_heights"] = len(groups)
    f["last_baseline_spread_pt"] = round(max(feet) - min(feet), 1) if feet else 0.0
    foot = max(groups, key=lambda g: (len(g), g[0]))[0] if groups else 0.0
    short = [p + 1 for p in fullp if last.get(p, foot) < foot - 0.5 * leading]
    f["short_pages"] = len(short)
    f["short_page_numbers"] = short
    f["foot_baseline"] = round(foot, 1)
    f["full_page_last_baselines"] = {p + 1: round(last[p], 1) for p in fullp if p in last}
    off = []
    for pno, lines in enumerate(pages):
        for ln in lines:
            if ln.role != "body":
                continue
            k = round((ln.y - origin) / leading)
            if abs(ln.y - origin - k * leading) > 0.5:
                off.append(pno + 1)
                break
    f["off_grid_pages"] = len(off)
    f["off_grid_page_numbers"] = off
    fullset = set(fullp)
    differ = []
    for left in range(1, len(pages) - 1, 2):
        right = left + 1
        if left in fullset and right in fullset and abs(last[left] - last[right]) > 0.5:
            differ.append([left + 1, right + 1])
    f["facing_pages_differ"] = len(differ)
    f["facing_pages_differ_list"] = differ
    hang_h, hang_p = [], []
    for pno, lines in enumerate(pages):
        r = edge[pno][1]
        for ln in lines:
            if ln.full and ln.last in HYPHENS:
                hang_h.append(ln.x1 - r)
            elif ln.full and ln.last in PUNCT:
                hang_p.append(ln.x1 - r)
    f["hanging_hyphen_pt"] = round(max(0.0, statistics.median(hang_h)), 2) if hang_h else 0.0
    f["hanging_punct_pt"] = round(max(0.0, statistics.median(hang_p)), 2) if hang_p else 0.0


def cell(f, key):
    if key == "space":
        return "%.3f / %.3f / %.3f" % (f["space_median_em"], f["space_p90_em"], f["space_max_em"])
    if key == "hyphen_share":
        return "%.0f %% (%d)" % (100 * f["hyphen_share"], f["hyphen_ends"])
    if key == "soft_marked_hyphens":
        return "%d of %d" % (f["soft_marked_hyphens"], f["line_end_hyphens"])
    if key == "fragments":
        return "%d / %d" % (f["fragments_left"], f["fragments_carried"])
    if key == "last_baseline_heights":
        return "%d (%.1f pt apart)" % (f["last_baseline_heights"], f["last_baseline_spread_pt"])
    if key == "short_pages":
        return "%d of %d" % (f["short_pages"], f["full_pages"])
    if key == "hanging":
        return "%.1f / %.1f" % (f["hanging_hyphen_pt"], f["hanging_punct_pt"])
    if key == "natural_space_em":
        return "%.3f (%s)" % (f["natural_space_em"], f["natural_space_source"])
    if key == "body_lines":
        return "%d (%d)" % (f["body_lines"], f["pages"])
    return str(f[key])


def table(results, names):
    head = ["figure"] + names
    rows = [[label] + [cell(f, key) for f in results] for key, label in ROWS]
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |"]
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    return "\n".join(out)


def check(f, goal):
    """The figures that miss the goal, as sentences."""
    misses = []
    for key, (op, limit) in goal.items():
        v = f[key]
        ok = v <= limit if op == "<=" else v >= limit
        if not ok:
            misses.append("%s: %s = %s, goal %s %s" % (f["pdf"], key, v, op, limit))
    return misses


def parse_goal(items):
    goal = dict(GOAL)
    for item in items:
        m = re.match(r"^(\w+)\s*(<=|>=)?\s*=?\s*([-\d.]+)$", item)
        if not m or m.group(1) not in GOAL:
            sys.exit("typography-report: --goal %r: want NAME=VALUE with NAME one of %s" % (item, ", ".join(GOAL)))
        goal[m.group(1)] = (m.group(2) or GOAL[m.group(1)][0], float(m.group(3)))
    return goal


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--names", help="column names, comma-separated (default: file names)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 when a figure misses the goal")
    ap.add_argument("--goal", action="append", default=[], metavar="NAME=VALUE", help="override one threshold")
    ap.add_argument("--fonts", action="append", default=[], help="font directory for the natural space")
    a = ap.parse_args()
    font_dirs = a.fonts or [ROOT / "fonts"]
    results = []
    for p in a.pdfs:
        if not p.is_file():
            sys.exit("typography-report: %s: no such file" % p)
        results.append(measure(p, font_dirs))
    names = a.names.split(",") if a.names else [p.name if p.name != "book.pdf" else str(p) for p in a.pdfs]
    if a.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print(table(results, names))
    if a.check:
        goal = parse_goal(a.goal)
        misses = [m for f in results for m in check(f, goal)]
        if misses:
            print("\nmisses the goal:\n  " + "\n  ".join(misses), file=sys.stderr)
            sys.exit(1)
        print("\nmeets the goal", file=sys.stderr)


if __name__ == "__main__":
    main()
