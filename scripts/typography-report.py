#!/usr/bin/env python3
"""Typography report: page-makeup and line-breaking figures of typeset PDFs.

    python3 scripts/typography-report.py BOOK.pdf [OTHER.pdf …] [--json]
                  [--where] [--check] [--goal NAME=VALUE …] [--names A,B]

prints one column per PDF (issue 14's table). With --check, every PDF is held
to the goal's thresholds (GOAL below, each overridable with --goal) and the
exit status is 1 when a figure misses, naming it. --json prints the figures
as JSON instead of the table (--json-file writes them beside it); --where
lists the pages and lines behind each count (p<page> y<baseline> x<left>).

What is measured, and how (everything from PyMuPDF's characters: glyph, its
advance box, baseline, font and size; nothing is parsed by hand):

Lines. The characters of a page are grouped by baseline (0.1 pt). A group in a
smaller size whose baseline sits just above or below a larger line (a note
marker, a superscript) belongs to that line. A line's size is the size most
of its characters have.

Body size: the size most characters of the document have.
Body text lines: lines in the body size, not all bold (run-in and level-3+
  headings), not a leader line (three dots in a row, or two before a closing
  page number: contents; on a page with three such lines every line is a
  contents line) and with no gap over 4 em (tabular lines). The running head
  (a page's top line, not larger than the body, standing more than 1.4
  leading above the next, when such lines open at least a quarter of the
  pages: otherwise they are text, a paragraph's last line over a heading)
  and the folio (a line of only digits or roman
  numerals at the top or foot of the page) are not text at all.
  Headings are larger, notes (and anything else set smaller, such as a
  smaller block quote) smaller than the body size: neither is body.
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
  the longest run of consecutive body text lines ending so (notes and folios
  between them do not break a run, a heading or a contents line does).
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
Short / long pages: full pages whose last baseline stands more than half a
  leading above / below the foot: the most common last baseline of full
  pages (of two as common, the lower).
Off-grid pages: pages with a body text line whose baseline is not on
  origin + k × leading (± 0.5 pt); the origin is the most common first body
  baseline of the pages.
Facing pages differing: spreads (PDF pages 2k and 2k+1 counting from 1 — the
  first PDF page is a recto) whose two pages are both full and whose last
  baselines differ by more than 0.5 pt.
Page turns (main text: body lines and headings, notes aside). A widow: a
  page opening with a paragraph's last line (not full) whose paragraph began
  overleaf. An orphan: a page closing with a full line that opens its
  paragraph (the line before it is not a full body line on this page) and
  goes on overleaf. A heading at the foot: a page with body text whose last
  main-text line is a heading. A hyphen at a page turn: a page's last main-text line ends in a
  hyphen. Overfull: a full line ending in a letter or digit more than 1 pt
  past R.
Hanging: the median amount (pt) by which full lines ending in a hyphen /
  in punctuation reach past R, and by which full lines opening with
  punctuation (quotes, brackets, dashes; not indented) reach before L.
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

from typography_lines import (  # noqa: E402
    HYPHENS,
    OPENING,
    PUNCT,
    classify,
    cluster,
    edges,
    mode,
    natural_space,
    page_lines,
    soft_marks,
)

ROOT = Path(__file__).resolve().parent.parent

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
    # Met today: keep them so.
    "widows": ("<=", 0),
    "orphans": ("<=", 0),
    "headings_at_foot": ("<=", 0),
    "overfull_lines": ("<=", 0),
    # A PDF whose body the report cannot find must not pass.
    "body_lines": (">=", 1),
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
    ("short_pages", "full pages ending above / below the foot"),
    ("off_grid_pages", "pages off the baseline grid"),
    ("facing_pages_differ", "facing pages whose last baselines differ"),
    ("hanging", "hanging hyphens / punctuation / left, pt"),
    ("page_turns", "widows / orphans / headings at foot / overfull"),
    ("hyphens_at_page_turn", "hyphens at a page turn"),
    ("natural_space_em", "natural word space, em (source)"),
    ("body_lines", "full body lines measured (pages)"),
]


def measure(path, font_dirs):
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as e:  # PyMuPDF's errors vary by version: report any
        sys.exit("typography-report: %s: not a readable PDF (%s)" % (path, e))
    if not doc.is_pdf:
        sys.exit("typography-report: %s: not a PDF" % path)
    if doc.needs_pass:
        sys.exit("typography-report: %s: encrypted" % path)
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
    # Main-text lines in reading order; notes, folios and running heads
    # interleave without breaking it, a heading or a contents line does.
    text = [ln for lines in pages for ln in lines if ln.role not in ("note", "folio", "running")]
    ends = [ln for ln in full if ln.last in HYPHENS]
    f["hyphen_ends"] = len(ends)
    f["hyphen_share"] = round(len(ends) / len(full), 3) if full else 0.0
    run = best = 0
    for ln in text:
        run = run + 1 if ln.role == "body" and ln.last in HYPHENS else 0
        best = max(best, run)
    f["hyphen_run_max"] = best
    hy = [ln for ln in text if ln.role == "body" and ln.last in HYPHENS]
    f["soft_marked_hyphens"] = sum(1 for ln in hy if ln.soft)
    f["line_end_hyphens"] = len(hy)
    marks = f["soft_marked_hyphens"] > 0
    left, carried, short = [], [], []
    for a, b in zip(text, text[1:]):
        if a.role != "body" or b.role != "body" or a.last not in HYPHENS or (marks and not a.soft):
            continue
        ink = a.spaced()[:-1]
        nxt = b.spaced()
        lft, rgt = letters_back(ink), letters_forward(nxt)
        if not lft or not rgt:
            continue
        where = "p%d %s-%s" % (a.page + 1, ink[len(ink) - lft :], nxt[:rgt])
        if lft < 2:
            left.append(where)
        if rgt < 3:
            carried.append(where)
        if lft + rgt <= 5:
            short.append(where)
    f["fragments_left"], f["fragments_left_at"] = len(left), left
    f["fragments_carried"], f["fragments_carried_at"] = len(carried), carried
    f["short_words_split"], f["short_words_split_at"] = len(short), short


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
    long = [p + 1 for p in fullp if last.get(p, foot) > foot + 0.5 * leading]
    f["long_pages"] = len(long)
    f["long_page_numbers"] = long
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
    hanging(f, pages, edge)
    page_turns(f, pages, edge)


def page_turns(f, pages, edge):
    """What the page breaks leave: widows, orphans, headings at a page foot,
    hyphens at a page turn, and overfull lines."""
    stream = []  # (page, line) of main text: body lines and headings
    for pno, lines in enumerate(pages):
        stream += [(pno, ln) for ln in lines if ln.role in ("body", "heading")]
    widows, orphans, heads, turns = [], [], [], []
    for i, (pno, ln) in enumerate(stream):
        prev = stream[i - 1][1] if i else None
        nxt = stream[i + 1] if i + 1 < len(stream) else None
        first_on_page = i == 0 or stream[i - 1][0] != pno
        last_on_page = nxt is not None and nxt[0] != pno
        if ln.role == "body" and first_on_page and prev is not None:
            # A paragraph's last line opening a page, its paragraph begun before.
            if not ln.full and prev.role == "body" and prev.full:
                widows.append(pno + 1)
        if not last_on_page:
            continue
        if ln.role == "heading":
            if any(ln2.role == "body" for ln2 in pages[pno]):  # not a title or contents page
                heads.append(pno + 1)
        elif ln.full and nxt[1].role == "body":
            starts = prev is None or prev.role != "body" or not prev.full or stream[i - 1][0] != pno
            if starts:
                orphans.append(pno + 1)  # a paragraph's first line closing a page
            if ln.last in HYPHENS:
                turns.append(pno + 1)
    overfull = []
    for pno, lines in enumerate(pages):
        r = edge[pno][1]
        overfull += [pno + 1 for ln in lines if ln.full and ln.last.isalnum() and ln.x1 > r + 1.0]
    f["widows"], f["widow_pages"] = len(widows), widows
    f["orphans"], f["orphan_pages"] = len(orphans), orphans
    f["headings_at_foot"], f["heading_at_foot_pages"] = len(heads), heads
    f["hyphens_at_page_turn"], f["hyphen_at_page_turn_pages"] = len(turns), turns
    f["overfull_lines"], f["overfull_line_pages"] = len(overfull), overfull


def hanging(f, pages, edge):
    """How far full lines reach past the text block: a closing hyphen or
    punctuation past R, opening punctuation (of a line not indented) before L.
    Medians, in pt."""
    right_h, right_p, left = [], [], []
    for pno, lines in enumerate(pages):
        lft, r = edge[pno]
        for ln in lines:
            if not ln.full:
                continue
            if ln.last in HYPHENS:
                right_h.append(ln.x1 - r)
            elif ln.last in PUNCT:
                right_p.append(ln.x1 - r)
            if ln.ink and ln.ink[0][0] in OPENING and ln.x0 < lft + 2:
                left.append(lft - ln.x0)

    def median(xs):
        return round(max(0.0, statistics.median(xs)), 2) if xs else 0.0

    f["hanging_hyphen_pt"] = median(right_h)
    f["hanging_punct_pt"] = median(right_p)
    f["hanging_left_pt"] = median(left)


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
        return "%d / %d of %d" % (f["short_pages"], f.get("long_pages", 0), f["full_pages"])
    if key == "hanging":
        return "%.1f / %.1f / %.1f" % (f["hanging_hyphen_pt"], f["hanging_punct_pt"], f["hanging_left_pt"])
    if key == "page_turns":
        return "%d / %d / %d / %d" % (f["widows"], f["orphans"], f["headings_at_foot"], f["overfull_lines"])
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


WHERE = [
    ("loose_lines_at", "loose lines"),
    ("rivers_at", "rivers"),
    ("fragments_left_at", "fragments left"),
    ("fragments_carried_at", "fragments carried"),
    ("short_words_split_at", "short words split"),
    ("short_page_numbers", "short full pages"),
    ("long_page_numbers", "long full pages"),
    ("off_grid_page_numbers", "pages off the grid"),
    ("facing_pages_differ_list", "facing pages differing"),
    ("widow_pages", "widows"),
    ("orphan_pages", "orphans"),
    ("heading_at_foot_pages", "headings at a page foot"),
    ("hyphen_at_page_turn_pages", "hyphens at a page turn"),
    ("overfull_line_pages", "overfull lines"),
]


def where(results, names):
    """Where each counted thing is, for a reader to go and look."""
    out = []
    for f, name in zip(results, names):
        out.append("\n%s (pages are PDF pages from 1):" % name)
        out.append("  last baselines of full pages: %s" % f["full_page_last_baselines"])
        for key, label in WHERE:
            items = [str(i) for i in f[key]]
            out.append("  %s: %s" % (label, ", ".join(items) if items else "none"))
    return "\n".join(out)


# Counts the issue gave for the article (687 full body lines): a longer book
# is held to the same rate, its limit multiplied by each started block of
# this many lines (the x5 book, the article five times, gets five times).
PER_LINES = 700
COUNTED = ("loose_lines", "rivers")


def check_one(f, key, rule):
    """True when figure `key` misses its goal."""
    op, limit = rule
    if key in COUNTED:
        limit *= max(1, math.ceil(f["body_lines"] / PER_LINES))
    v = f[key]
    return not (v <= limit if op == "<=" else v >= limit)


def check(f, goal):
    """The figures that miss the goal, as sentences."""
    return [
        "%s: %s = %s, goal %s %s%s" % (
            f["pdf"], key, f[key], op, limit,
            " per %d body lines" % PER_LINES if key in COUNTED else "")
        for key, (op, limit) in goal.items()
        if check_one(f, key, (op, limit))
    ]


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
    ap.add_argument("--where", action="store_true", help="after the table, where each counted thing is")
    ap.add_argument("--json-file", type=Path, help="also write the figures as JSON to this file")
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
    goal = parse_goal(a.goal)
    for f in results:
        f["goal"] = {key: list(rule) for key, rule in goal.items()}
        f["misses"] = [key for key in goal if check_one(f, key, goal[key])]
    if a.json_file:
        a.json_file.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if a.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print(table(results, names))
        if a.where:
            print(where(results, names))
    if a.check:
        misses = [m for f in results for m in check(f, goal)]
        if misses:
            print("\nmisses the goal:\n  " + "\n  ".join(misses), file=sys.stderr)
            sys.exit(1)
        print("\nmeets the goal", file=sys.stderr)


if __name__ == "__main__":
    main()
