"""PDF with a text layer → blocks (paragraphs and grids of cells with page and box).

Characters and ruling lines come from pypdfium2 (``pdf_layout``); tables are the clusters of ruling
lines, cut into grids by ``pdf_tables``. Everything outside tables becomes paragraphs: lines are
joined while the sentence runs on (not indented, not numbered, at the page's usual line spacing),
also across a page break when the page ended in mid-sentence at the right margin.
A table that continues on the next page (nothing printed before it, same width) is re-cut with the
first part's columns and stitched to it, its repeated header rows dropped. Every cell and paragraph
carries ``Location(file, page, bbox)``, bbox in points with the origin at the top-left.
Unusable files (encrypted, damaged, scanned without a text layer) raise ``InputError``; a scanned
page inside a file with a text layer becomes an ``Unread`` block (a reading finding, R.PAGE.NO_TEXT).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from yusuan.amounts import normalise_text
from yusuan.disclosure import Location
from yusuan.errors import InputError, InputProblem
from yusuan.read.blocks import Block, Grid, Para, Unread
from yusuan.read.pdf_layout import FEW_CHARS, Line, PageLayout, join_words, read_page
from yusuan.read.pdf_tables import Region, collapse_merged, drop_empty_columns, grid_of_region, table_regions

# A page without text whose largest image covers this much of it is a scan (a logo or a stamp is smaller).
SCANNED_SHARE = 0.25
_PAGE_NUMBER = re.compile(r"^[-—－\s]*(第\s*)?\d{1,3}(\s*页)?[-—－\s]*(共\s*\d+\s*页)?$")


def fail(path: Path, message: str) -> InputError:
    return InputError(str(path), [InputProblem(path.name, message)])


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open with clear Chinese errors for encrypted, damaged and truncated files."""
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise fail(path, "PDF 文件设有打开密码（已加密），无法读取；请提供未加密的文件") from None
        raise fail(path, "PDF 文件已损坏或不完整（可能下载未完成），无法读取") from None


def read_layouts(path: Path) -> list[PageLayout]:
    doc = open_pdf(path)
    try:
        n = len(doc)
        if n == 0:
            raise fail(path, "PDF 文件没有页面")
        return [read_page(doc, i) for i in range(n)]
    finally:
        doc.close()


def read_pdf_blocks(path: Path) -> list[Block]:
    path = Path(path)
    pages = read_layouts(path)
    if sum(p.char_count for p in pages) == 0:
        raise fail(path, "扫描件（无文字层）：PDF 中没有可提取的文字，无法读取；请提供 Word/Excel 原件或带文字层的 PDF")
    blocks: list[Block] = []
    for page in pages:
        if page.char_count < FEW_CHARS and page.image_share >= SCANNED_SHARE:
            blocks.append(Unread(f"第{page.number}页是图片（扫描件），没有文字层，该页内容未读取；请提供带文字层的版本核对",
                                 Location(file=path.name, page=page.number, bbox=(0.0, 0.0, round(page.width, 1), round(page.height, 1)))))
            if not page.char_count:
                continue
        items = blocks_of_page(page, path.name)
        if blocks and items and isinstance(blocks[-1], Grid) and items[0][1] is not None \
                and continues(blocks[-1], items[0][1]):
            own, part = items.pop(0)
            prev = blocks[-1]
            # Re-cut the continuation with the first part's columns: a page whose optional columns
            # happen to be empty would otherwise get fewer columns. Not when the continuation rules
            # columns of its own (a performance table's indicator block after its header fields on
            # the page before): cut with the other part's edges its cells would run together.
            same = same_columns(prev.columns, part.region)  # type: ignore[attr-defined]
            stitch(prev, grid_of_region(part.region, part.lines, page, path.name, prev.columns) if same else own)  # type: ignore[attr-defined, arg-type]
        elif blocks and items and isinstance(blocks[-1], Para) and isinstance(items[0][0], Para) \
                and runs_over(blocks[-1], items[0][0]):
            nxt = items.pop(0)[0]
            blocks[-1].text += nxt.text  # type: ignore[union-attr]
            blocks[-1].open_end = nxt.open_end  # type: ignore[union-attr]
        blocks.extend(b for b, _ in items)
    for b in blocks:
        if isinstance(b, Grid):
            drop_empty_columns(b)
            collapse_merged(b)
    return blocks


# -- paragraphs ----------------------------------------------------------------------------------
def paragraphs(lines: list[Line], page: PageLayout, file: str) -> list[tuple[float, Para]]:
    """Lines outside tables into paragraphs: a line continues the paragraph when it is not indented,
    the previous line ran to the right margin and the vertical gap is a normal line gap."""
    lines = [ln for ln in lines if not (_PAGE_NUMBER.match(ln.text) and (ln.top > page.height * 0.85 or ln.bottom < page.height * 0.1))]
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    out: list[tuple[float, Para]] = []
    cur: list[Line] = []

    def flush() -> None:
        if cur:
            x0, top = min(ln.x0 for ln in cur), cur[0].top
            x1, bottom = max(ln.x1 for ln in cur), cur[-1].bottom
            text = "".join(_line_text(ln) for ln in cur)
            h = cur[-1].bottom - cur[-1].top
            out.append((top, Para(text, Location(file=file, page=page.number,
                                                  bbox=(round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))),
                                  indented=cur[0].x0 > left + 0.8 * (cur[0].bottom - cur[0].top),
                                  open_end=_prose(cur[-1]) and cur[-1].x1 >= right - 2.5 * h
                                  and not text.rstrip().endswith(_SENTENCE_END))))
            cur.clear()

    # The usual gap between lines of this page (double-spaced templates leave a whole line).
    gaps = sorted(b.top - a.bottom for a, b in zip(lines, lines[1:]) if 0 <= b.top - a.bottom < 3 * (a.bottom - a.top))
    spacing = gaps[len(gaps) // 2] if gaps else 0.0
    for ln in lines:
        if cur and not _runs_on(cur[-1], ln, left, right, spacing):
            flush()
        cur.append(ln)
    flush()
    return out


_ENUMERATOR = re.compile(r"^(（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+\s*[.、．](?!\d)|第[一二三四五六七八九十]+)")
_SENTENCE_END = tuple("。；;！？")  # not ：, which introduces what follows (主要原因：⏎…)


def runs_over(prev: Para, nxt: Para) -> bool:
    """The first paragraph of a page continues the last one of the page before: that one stopped at
    the right margin in mid-sentence, and this one starts at the left margin, not numbered."""
    return prev.open_end and not nxt.indented and not _ENUMERATOR.match(nxt.text.strip())


def _prose(ln: Line) -> bool:
    """A line of running text: no wide gap between its words (a label row such as
    编制部门：…    单位：元 is not)."""
    h = ln.bottom - ln.top
    return all(b.x0 - a.x1 <= 2 * h for a, b in zip(ln.words, ln.words[1:]))


def _runs_on(prev: Line, ln: Line, left: float, right: float, spacing: float = 0.0) -> bool:
    """The next line continues the paragraph: both are running text, the next starts at the left
    margin (a first-line indent starts a paragraph), is not numbered (（一）, 二、, 3.), follows at a
    normal line gap, and the previous line either ran to the right margin or stopped mid-sentence
    (a line break inside a sentence) without being a short numbered heading."""
    h = prev.bottom - prev.top
    # A line ending with a colon (主要原因：) is continued even across an empty line.
    gap = max(0.9 * h, spacing + 0.5 * h)
    if prev.text.rstrip().endswith(("：", ":")):
        gap = max(2.5 * h, gap)
    if not (_prose(prev) and _prose(ln)) or ln.top - prev.bottom >= gap:
        return False
    if ln.x0 > left + 0.8 * h or _ENUMERATOR.match(ln.text):
        return False
    if prev.x1 >= right - 2.5 * h:
        return True
    text = prev.text.rstrip()
    # a numbered line is a heading when short; one nearly as wide as the text is a numbered paragraph
    # whose next word did not fit (“5、…行政单位离退休⏎（项）。主要用于…”)
    heading = _ENUMERATOR.match(text) and prev.x1 < left + 0.8 * (right - left)
    return not text.endswith(_SENTENCE_END) and not heading and prev.x0 <= left + 3 * h


def _line_text(ln: Line) -> str:
    """Words far apart on one line (编制部门：…    单位：元) keep a space between them."""
    out = ""
    for i, w in enumerate(ln.words):
        if i and (w.x0 - ln.words[i - 1].x1) > 2 * (w.bottom - w.top):
            out += "  "
        elif i:
            out += join_words([ln.words[i - 1], w])[len(ln.words[i - 1].text):]
            continue
        out += w.text
    return out


@dataclass
class _TablePart:
    region: Region
    lines: list[Line]


def blocks_of_page(page: PageLayout, file: str) -> list[tuple[Block, _TablePart | None]]:
    regions = table_regions(page.rules)
    placed: list[tuple[float, Block, _TablePart | None]] = []
    rest = list(page.lines)
    for region in regions:
        inside = [ln for ln in rest if region.contains(ln)]
        if not inside:
            continue
        # Lines only partly inside (a title over the table's width) stay paragraphs.
        rest = [ln for ln in rest if not region.contains(ln)]
        placed.append((region.top, grid_of_region(region, inside, page, file), _TablePart(region, inside)))
    placed += [(top, para, None) for top, para in paragraphs(rest, page, file)]
    placed.sort(key=lambda tb: tb[0])
    return [(b, part) for _, b, part in placed]


# -- stitching -----------------------------------------------------------------------------------
def continues(prev: Grid, part: _TablePart) -> bool:
    """The next page's first block is a table as wide as the last table before it (no title between)."""
    box = prev.location.bbox if prev.location else None
    if not prev.rows or box is None:
        return False
    return abs(box[0] - part.region.x0) <= 6 and abs(box[2] - part.region.x1) <= 6


def same_columns(columns: list[float], region) -> bool:
    """Whether every vertical rule drawn inside ``region`` stands on one of ``columns`` (the column edges
    of the part before the page break): the continuation is cut like the part before it."""
    drawn = [r.pos for r in region.rules if r.orient == "v" and r.b - r.a >= 8 and region.x0 + 3 < r.pos < region.x1 - 3]
    return all(any(abs(p - c) <= 3 for c in columns) for p in drawn)


def stitch(prev: Grid, nxt: Grid) -> None:
    """Append the continuation's rows, dropping the header rows it repeats."""
    skip = 0
    while skip < len(nxt.rows) and skip < len(prev.rows) and \
            [normalise_text(c.text) for c in nxt.rows[skip]] == [normalise_text(c.text) for c in prev.rows[skip]] \
            and not any(re.match(r"^\d{3}", normalise_text(c.text)) for c in nxt.rows[skip]):
        skip += 1
    prev.rows.extend(nxt.rows[skip:])
