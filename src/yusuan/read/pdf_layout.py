"""Characters, words, lines and ruling lines of one PDF page, from pypdfium2.

pypdfium2 gives every character with its box in one pass over the text page (much faster than
pdfplumber's object model); ruling lines are the page's thin path objects. Coordinates here are
PDF points with the origin at the TOP-left of the page (y grows downwards), as ``Location.bbox``.
"""

from __future__ import annotations

import ctypes
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw

RULE_THICKNESS = 3.0  # a path thinner than this (pt) in one direction is a ruling line
FEW_CHARS = 20  # a page with fewer characters than this may be a scan with a page number stamped on it


@dataclass
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1))


@dataclass
class Line:
    words: list[Word] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def text(self) -> str:
        return join_words(self.words)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1))


@dataclass
class Rule:
    """A horizontal (``h``) or vertical (``v``) ruling line: for h, y = its y and (a, b) its x span."""

    orient: str
    pos: float
    a: float
    b: float


@dataclass
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]
    rules: list[Rule]
    char_count: int
    image_share: float = 0.0  # the largest image's share of the page area (a scanned page: close to 1)


def _is_cjk(ch: str) -> bool:
    return ch > "\u2e80"


def join_words(words: list[Word]) -> str:
    """Words of one line back into text: CJK to CJK without a space, otherwise with one ("201 一般公共服务支出")."""
    out = ""
    for w in words:
        if out and not (_is_cjk(out[-1]) and _is_cjk(w.text[0])):
            out += " "
        out += w.text
    return out


class Display:
    """User space → what the reader sees: points from the top-left of the displayed page, after the
    page's /Rotate and crop box. The common case (no rotation, crop box at the origin) is a flip of
    y; anything else goes through pdfium's own page-to-device transform."""

    _SCALE = 100  # device units per point, for precision through integer device coordinates

    def __init__(self, page: pdfium.PdfPage):
        self.page = page
        self.width, self.height = page.get_size()
        left, bottom, _, _ = page.get_cropbox()
        self.fast = page.get_rotation() == 0 and abs(left) < 0.01 and abs(bottom) < 0.01
        self._x, self._y = ctypes.c_int(), ctypes.c_int()

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.fast:
            return x, self.height - y
        s = self._SCALE
        raw.FPDF_PageToDevice(self.page.raw, 0, 0, int(self.width * s), int(self.height * s), 0,
                              ctypes.c_double(x), ctypes.c_double(y), ctypes.byref(self._x), ctypes.byref(self._y))
        return self._x.value / s, self._y.value / s

    def user_box(self) -> tuple[float, float, float, float]:
        """The crop box (what a viewer shows) in user space: left, bottom, right, top."""
        return tuple(self.page.get_cropbox())  # type: ignore[return-value]

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of a user-space box as displayed."""
        (ax, ay), (bx, by) = self.point(x0, y0), self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


Box = tuple[float, float, float, float]  # left, bottom, right, top in user space


def _clip_box(obj, page_box: Box) -> Box:
    """The part of the page where a text object can show: the crop box cut by the bounding boxes of
    the object's clip paths. Some producers write a long text flow onto every page and let a clip
    rectangle show each page its own window; the rest is invisible and must not be read twice."""
    left, bottom, right, top = page_box
    clip = raw.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return page_box
    x, y = ctypes.c_float(), ctypes.c_float()
    for p in range(raw.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for s in range(raw.FPDFClipPath_CountPathSegments(clip, p)):
            seg = raw.FPDFClipPath_GetPathSegment(clip, p, s)
            if seg and raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                xs.append(x.value)
                ys.append(y.value)
        if xs:  # a non-rectangular clip is approximated by its bounding box (keeps more, never less)
            left, bottom, right, top = max(left, min(xs)), max(bottom, min(ys)), min(right, max(xs)), min(top, max(ys))
    return left, bottom, right, top


_SAMPLE = 8  # characters between two exact clip lookups


def _visible_boxes(textpage: pdfium.PdfTextPage, display: Display, n: int):
    """A function: character index → the user-space box it may show in.

    Every text object has its own clip handle (often one per character), and reading a clip path
    costs some twenty calls into pdfium; so the clip is looked up exactly every few characters, and
    a run between two lookups with the same box shares it (clip windows change rarely within a
    content stream; where they differ the run is split until they agree). Whoever would be dropped
    by a shared box is checked with its own lookup, so sharing can never hide a visible character."""
    page_box = display.user_box()
    tp, get_object = textpage.raw, raw.FPDFText_GetTextObject
    boxes: list[Box | None] = [None] * n

    def exact(i: int) -> Box:
        obj = get_object(tp, i)
        return _clip_box(obj, page_box) if obj else page_box

    def fill(a: int, b: int) -> None:  # boxes[a] and boxes[b] known
        if b - a <= 1:
            return
        if boxes[a] == boxes[b]:
            for k in range(a + 1, b):
                boxes[k] = boxes[a]
            return
        mid = (a + b) // 2
        boxes[mid] = exact(mid)
        fill(a, mid)
        fill(mid, b)

    samples = list(range(0, n, _SAMPLE)) + ([n - 1] if (n - 1) % _SAMPLE else [])
    for i in samples:
        boxes[i] = exact(i)
    for a, b in zip(samples, samples[1:]):
        fill(a, b)
    return boxes, exact


def page_chars(textpage: pdfium.PdfTextPage, display: Display) -> list[Char]:
    """The characters a viewer shows: those whose centre lies outside the crop box or outside their
    clip path are skipped."""
    n = raw.FPDFText_CountChars(textpage.raw)
    if n <= 0:
        return []
    boxes, exact = _visible_boxes(textpage, display, n)
    buf = ctypes.create_string_buffer((n + 1) * 2)
    raw.FPDFText_GetText(textpage.raw, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: n * 2].decode("utf-16-le", errors="replace")
    # x from the loose box (font advance); y from the baseline and the font size, so that every
    # character of a printed line shares one band whatever the font's ascent/descent or the glyph
    # (a comma or 一 has a tiny ink box) – and two wrapped lines of one cell stay apart.
    rect = raw.FS_RECTF()
    ref = ctypes.byref(rect)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    oref = (ctypes.byref(ox), ctypes.byref(oy))
    chars: list[Char] = []
    get_box, get_origin, get_size = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin, raw.FPDFText_GetFontSize
    tp = textpage.raw
    fast, height = display.fast, display.height
    for i, ch in enumerate(text):
        if ch.isspace() or ch in "\ufffe\x00\ufeff":
            continue
        if not get_box(tp, i, ref) or not get_origin(tp, i, *oref):
            continue
        if rect.right <= rect.left and rect.top <= rect.bottom:
            continue
        cx, cy = (rect.left + rect.right) / 2, (rect.bottom + rect.top) / 2
        vl, vb, vr, vt = boxes[i]
        if not (vl <= cx <= vr and vb <= cy <= vt):
            vl, vb, vr, vt = exact(i)  # the shared box said hidden: make sure with its own clip
            if not (vl <= cx <= vr and vb <= cy <= vt):
                continue
        size = get_size(tp, i)
        if not 1 <= size <= 100:
            size = max(rect.top - rect.bottom, rect.right - rect.left, 1.0)
        if fast:
            x0, x1, base = rect.left, rect.right, height - oy.value
        else:
            x0, _, x1, _ = display.box(rect.left, rect.bottom, rect.right, rect.top)
            base = display.point(ox.value, oy.value)[1]
        if x1 <= x0:
            continue
        chars.append(Char(ch, x0, base - 0.85 * size, x1, base + 0.15 * size))
    return chars


def _objects(page: pdfium.PdfPage, kind: int, max_depth: int = 3, form=None, level: int = 0):
    """The raw handles of the page's objects of one type, Form XObjects entered up to ``max_depth``
    levels: ``page.get_objects(filter=[kind], max_depth=max_depth)`` in the same order, without a
    Python wrapper object per page object (a ruled table page has thousands of paths, and the wrappers
    cost more than reading their bounds)."""
    if form is None:
        count, get, parent = raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, page.raw
    else:
        count, get, parent = raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, form
    n = count(parent)
    if n < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    get_type, form_type = raw.FPDFPageObj_GetType, raw.FPDF_PAGEOBJ_FORM
    for i in range(n):
        obj = get(parent, i)
        if not obj:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        t = get_type(obj)
        if t == kind:
            yield obj
        if t == form_type and level < max_depth - 1:
            yield from _objects(page, kind, max_depth, obj, level + 1)


class _Bounds:
    """``FPDFPageObj_GetBounds`` of a raw handle: (left, bottom, right, top), or None when pdfium cannot
    locate the object (where ``PdfObject.get_bounds`` raises)."""

    def __init__(self) -> None:
        self.l, self.b, self.r, self.t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
        self.refs = tuple(ctypes.byref(v) for v in (self.l, self.b, self.r, self.t))

    def __call__(self, obj) -> tuple[float, float, float, float] | None:
        if not raw.FPDFPageObj_GetBounds(obj, *self.refs):
            return None
        return self.l.value, self.b.value, self.r.value, self.t.value


def page_rules(page: pdfium.PdfPage, display: Display) -> list[Rule]:
    """Thin path objects (borders drawn as lines or as thin filled rectangles), as displayed."""
    rules: list[Rule] = []
    bounds = _Bounds()
    for obj in _objects(page, raw.FPDF_PAGEOBJ_PATH):
        box = bounds(obj)
        if box is None:
            continue  # a path without bounds draws nothing we can use
        x0, top, x1, bottom = display.box(*box)
        w, h = x1 - x0, bottom - top
        if h <= RULE_THICKNESS and w > RULE_THICKNESS:
            rules.append(Rule("h", (top + bottom) / 2, x0, x1))
        elif w <= RULE_THICKNESS and h > RULE_THICKNESS:
            rules.append(Rule("v", (x0 + x1) / 2, top, bottom))
        elif w > RULE_THICKNESS and h > RULE_THICKNESS and _is_rectangle(obj):
            rules += [Rule("h", top, x0, x1), Rule("h", bottom, x0, x1), Rule("v", x0, top, bottom), Rule("v", x1, top, bottom)]
    return rules


def image_share(page: pdfium.PdfPage, display: Display) -> float:
    """The largest image's share of the displayed page (0 when the page has no image)."""
    best = 0.0
    area = display.width * display.height or 1.0
    bounds = _Bounds()
    for obj in _objects(page, raw.FPDF_PAGEOBJ_IMAGE):
        box = bounds(obj)
        if box is None:
            continue  # an image without bounds shows nothing
        x0, top, x1, bottom = display.box(*box)
        w, h = min(x1, display.width) - max(x0, 0.0), min(bottom, display.height) - max(top, 0.0)
        if w > 0 and h > 0:
            best = max(best, w * h / area)
    return best


def _is_rectangle(obj) -> bool:
    """A stroked box (cell border drawn as one rectangle): 4–5 straight segments (``obj``: a raw handle)."""
    n = raw.FPDFPath_CountSegments(obj)
    if n not in (4, 5):
        return False
    stroke = ctypes.c_int()
    fill = ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
    return bool(stroke.value)


def _norm_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch) if ch in "０１２３４５６７８９．" else ch


# Full-width opening punctuation draws its ink in the right half of its box; a layout engine that
# compresses punctuation (“17.“2040605…”” set by LibreOffice) pulls the box left over the character before
# it, so its left edge lies before that character's. Ordered by where its ink starts, it stays in place.
_OPENING = frozenset("“‘（《【「『〔〈")


def _reading_x(c: Char) -> float:
    return c.x0 + (c.x1 - c.x0) / 2 if c.text in _OPENING else c.x0


def group_lines(chars: list[Char], rules: list[Rule] | None = None) -> list[Line]:
    """Characters into lines (by vertical overlap) and words (by horizontal gaps)."""
    if not chars:
        return []
    chars = sorted(chars, key=lambda c: ((c.top + c.bottom) / 2, c.x0))
    rows: list[list[Char]] = []
    span = (0.0, 0.0)
    for c in chars:
        # Same line when the character overlaps the line's band by half its own height (a glyph
        # with a small box, such as 一, still sits inside the band of its neighbours).
        overlap = min(c.bottom, span[1]) - max(c.top, span[0])
        if rows and overlap >= 0.5 * min(max(c.height, 1.0), span[1] - span[0]):
            rows[-1].append(c)
            if c.height > span[1] - span[0]:
                span = (min(span[0], c.top), max(span[1], c.bottom))
            continue
        rows.append([c])
        span = (c.top, c.bottom)
    walls = _Walls([r for r in rules or [] if r.orient == "v"])
    lines = []
    for row in rows:
        row.sort(key=_reading_x)
        lines.append(Line(split_words(row, walls)))
    lines.sort(key=lambda ln: (round(ln.top), ln.x0))
    return lines


class _Walls:
    """Vertical ruling lines sorted by x, to find those between two characters without testing all."""

    def __init__(self, walls: list[Rule]):
        self.walls = sorted(walls, key=lambda r: r.pos)
        self.xs = [r.pos for r in self.walls]

    def between(self, x0: float, x1: float, y: float) -> bool:
        """Some wall with x0 <= pos <= x1 spans y (a <= y <= b)."""
        walls = self.walls
        for k in range(bisect_left(self.xs, x0), bisect_right(self.xs, x1)):
            r = walls[k]
            if r.a <= y <= r.b:
                return True
        return False


def split_words(row: list[Char], walls: list[Rule] | _Walls | None = None) -> list[Word]:
    """A gap wider than ~0.6 of the character height separates words; a digit following CJK text
    with any visible gap also starts a new word (a number printed right after a label); so does a
    vertical ruling line between two characters (a cell border)."""
    if walls is not None and not isinstance(walls, _Walls):
        walls = _Walls(walls)
    if walls is not None and not walls.walls:
        walls = None
    words: list[Word] = []
    cur: list[Char] = []
    # The loop runs once per character of the page: heights and _is_cjk are inlined, and the
    # previous character's values carried over rather than read again.
    prev = None
    for c in row:
        text, height = c.text, c.bottom - c.top
        if cur:
            gap = c.x0 - prev.x1
            size = max(prev_height, height, 4.0)
            glued = prev_text > "\u2e80" and (text.isdigit() or text in "-.") and gap > 0.15 * size
            glued = glued or (prev_text.isdigit() and text > "\u2e80" and text not in "万元%" and gap > 0.15 * size)
            # the walls are looked at only when neither the gap nor the glyphs already split the word;
            # up to the glyph's middle at least: an opening bracket's box starts left of its ink (a
            # 《 printed just right of a cell border has its box's left edge on the other side of it)
            if gap > 0.6 * size or glued or (
                    walls is not None and walls.between(prev.x1 - 1.5, max(c.x0 + 1.5, (c.x0 + c.x1) / 2),
                                                        (c.top + c.bottom) / 2)):
                words.append(_word(cur))
                cur = []
        cur.append(c)
        prev, prev_text, prev_height = c, text, height
    if cur:
        words.append(_word(cur))
    return words


def _word(chars: list[Char]) -> Word:
    return Word("".join(_norm_char(c.text) for c in chars), min(c.x0 for c in chars), min(c.top for c in chars),
                max(c.x1 for c in chars), max(c.bottom for c in chars))


def read_page(doc: pdfium.PdfDocument, index: int) -> PageLayout:
    page = doc[index]
    try:
        display = Display(page)
        textpage = page.get_textpage()
        try:
            chars = page_chars(textpage, display)
        finally:
            textpage.close()
        rules = page_rules(page, display)
        # only a page with (almost) no text needs it: a scan, perhaps under a stamped page number
        images = image_share(page, display) if len(chars) < FEW_CHARS else 0.0
    finally:
        page.close()
    return PageLayout(index + 1, display.width, display.height, group_lines(chars, rules), rules, len(chars), images)
