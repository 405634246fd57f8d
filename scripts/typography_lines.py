"""Lines of a typeset PDF page as the typography report reads them:
glyphs grouped by baseline, note markers folded in, and each line's role
(body, heading, note, folio, running head, contents). The rules are stated
in typography-report.py's docstring."""

import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pymupdf

HYPHENS = "-\u2010\u2011\u00ad"
PUNCT = set(".,;:!?…»«“”„\"')]}’–—")  # may close a line
OPENING = set("„“«‹([\"'—–")  # may open one
MARKER = re.compile(r"^([•◦‣▪–—*-]|\d{1,3}[.)]|[a-zა-ჰ][.)])$")
# Dot leaders: three dots in a row, or two before a page number at the end.
LEADER = re.compile(r"(\.\s*){3}|…|(\.\s*){2}([0-9]+|[ivxlcdm]+)\s*$")
FOLIO = re.compile(r"^(\d+|[ivxlcdm]+|[IVXLCDM]+)$")


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
        self._spaced = None
        self.role = "text"

    def spaced(self):
        """The line's text with one space at every word space, whether the
        PDF draws space glyphs or only moves the next word along."""
        if self._spaced is None:
            starts = {round(g[1], 3) for g in self.gaps()}
            out = []
            for c in self.ink:
                if round(c[1], 3) in starts:
                    out.append(" ")
                out.append(c[0])
            self._spaced = "".join(out)
        return self._spaced

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
    heads, text_pages = [], 0
    for lines in pages:
        text = [ln for ln in lines if ln.role == "text"]
        text_pages += len(text) >= 2
        if len(text) >= 2 and text[1].y - text[0].y > 1.4 * leading and len(text[0].text) <= 100:
            if text[0].size <= body + 0.3:
                heads.append(text[0])
    # Running heads recur on page after page; a book without them still has
    # the odd page opening with a paragraph's last line over a heading, and
    # that line is text (a widow), not a head.
    if len(heads) >= max(2, text_pages / 4):
        for ln in heads:
            ln.role = "running"
    for lines in pages:
        for ln in lines:
            if ln.role != "text":
                continue
            if abs(ln.size - body) >= 0.3:
                ln.role = "heading" if ln.size > body else "note"
            elif ln.bold:
                ln.role = "heading"
            elif LEADER.search(ln.text):
                ln.role = "leader"
            elif any(g[1] - g[0] > 4 * ln.size for g in ln.gaps()):
                ln.role = "tabular"
            else:
                ln.role = "body"
    # A contents page: its wrapped entries are contents lines too.
    for lines in pages:
        if sum(ln.role == "leader" for ln in lines) >= 3:
            for ln in lines:
                if ln.role == "body":
                    ln.role = "leader"
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


def natural_space(doc, font_name, font_dirs, line_spaces):
    """The body font's space advance in em, and where it came from."""
    from io import BytesIO

    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        TTFont = None
    def plain(name):
        """A font name without subset tag, spaces, hyphens or case:
        PyMuPDF shortens and respells the names it reports."""
        return re.sub(r"[\s_-]", "", name.split("+", 1)[-1]).lower()

    base = plain(font_name)
    if TTFont is not None and base:
        for pno in range(min(doc.page_count, 40)):
            for f in doc.get_page_fonts(pno):
                if plain(f[3]).startswith(base):
                    try:
                        buf = doc.extract_font(f[0])[3]
                        tt = TTFont(BytesIO(buf))
                        cmap = tt.getBestCmap() if "cmap" in tt else None
                        adv = tt["hmtx"][cmap[0x20]][0] if cmap and 0x20 in cmap else 0
                        # A subsetter may keep the cmap but empty the glyphs
                        # it did not draw (LuaTeX's space is glue, never a
                        # glyph: advance 0): then the font file tells.
                        if adv > 0:
                            return adv / tt["head"].unitsPerEm, "embedded font"
                    except Exception:
                        pass
                    full = plain(f[3])
                    for d in font_dirs:
                        for path in sorted(Path(d).glob("*.[ot]tf")):
                            try:
                                tt = TTFont(path, lazy=True)
                                if plain(tt["name"].getDebugName(6) or "") == full:
                                    cmap = tt.getBestCmap()
                                    adv = tt["hmtx"][cmap[0x20]][0]
                                    return adv / tt["head"].unitsPerEm, path.name
                            except Exception:
                                continue
    if line_spaces:
        q = statistics.quantiles(line_spaces, n=20)[0] if len(line_spaces) > 1 else line_spaces[0]
        return q, "5th percentile of lines"
    return 0.25, "assumed"
