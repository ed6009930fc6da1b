"""HTML: a published web page (or the page ``yusuan build`` writes) as paragraphs and grids.

The page is parsed with lxml's HTML parser (lenient, as browsers are, with unclosed ``<p>`` and
``<td>``). What the reader sees is what a browser shows, in document order:

- every block element (``<p>``, ``<div>``, ``<h1>``…``<h6>``, ``<li>`` …) and every line ended by
  ``<br>`` is one paragraph; runs of spaces and line breaks of the source collapse to one space as a
  browser does (``&nbsp;`` and full-width spaces are kept: later steps normalise them). Headings
  need no mark-up of their own: ``<h2>``, a bold ``<p>`` and a plain ``<p>`` are recognised alike by
  their words, as in Word files.
- a data table is one grid. ``colspan``/``rowspan`` are expanded the way the Word reader sees merged
  cells: a cell spanning columns is one cell, and each row under a cell spanning rows gets one empty
  cell in its place (so that the following cells keep their columns). A ``<caption>`` is a paragraph
  before the table. A table that holds another table lays out the page (common on government sites):
  its cells are read as parts of the page, not as a grid.
- what is not shown is not read: ``<head>``, scripts, styles, forms, navigation menus (``<nav>``,
  which is also where our own page keeps its contents list) and elements marked ``hidden`` or
  ``display: none``.

Locations: tables ``cell="T<table>R<row>C<column>"`` (the column as in the expanded grid, from 1),
paragraphs numbered from 1 in document order.
"""

from __future__ import annotations

import re
from pathlib import Path

from yusuan.disclosure import Location
from yusuan.read.blocks import Block, Grid, GridCell, Para
from yusuan.read.files import fail

# Elements whose content is not shown on the page (or is site navigation, not the document).
_HIDDEN = {"head", "script", "style", "noscript", "template", "nav", "title", "meta", "link", "iframe", "object",
           "embed", "svg", "math", "button", "select", "input", "textarea", "option", "map", "area", "audio",
           "video", "canvas"}
# Elements that start a new line of text (HTML's block-level and list elements).
_BLOCK = {"html", "body", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
          "section", "article", "header", "footer", "main", "aside", "blockquote", "pre", "figure", "figcaption",
          "address", "center", "form", "fieldset", "legend", "hr", "caption", "details", "summary", "tr", "td",
          "th", "thead", "tbody", "tfoot", "colgroup", "col"}
_HTML_SPACE = " \t\n\r\f"  # HTML's collapsible white space: &nbsp; and full-width spaces are text
_COLLAPSE = re.compile(f"[{_HTML_SPACE}]+")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn", "hz-gb-2312"}
MAX_SPAN = 1000  # a colspan/rowspan larger than any printed table is a typing error, not a table
# A table cell with more text than this is an article laid out in a table (the longest cells of the
# disclosure tables, performance targets' 年度目标, run to a few hundred characters).
LAYOUT_CELL_CHARS = 1000


def decode_html(path: Path, data: bytes) -> str:
    """The page's text: a byte-order mark (UTF-8, UTF-16), else the ``<meta charset>`` it declares (GB2312/GBK read as
    their superset GB18030), else UTF-8, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = _CHARSET.search(data[:4096])
    candidates = []
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        candidates.append("gb18030" if name in _GB else name)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    raise fail(path, "网页的文字编码无法识别（应为 UTF-8 或 GB18030/GBK，并在 <meta charset> 中声明）")


def _tag(el) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None  # comments and processing instructions: None


def _shown(el) -> bool:
    return el.get("hidden") is None and not _DISPLAY_NONE.search(el.get("style") or "")


class _Lines:
    """Collects the text of an element tree as lines, the way a browser breaks it."""

    def __init__(self, on_table=None):
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.pre = 0
        self.on_table = on_table  # called with a <table> element; None: a table's text joins the lines

    def add(self, text: str | None) -> None:
        if text:
            self.buf.append(text if self.pre else _COLLAPSE.sub(" ", text))

    def flush(self) -> None:
        text = "".join(self.buf)
        self.buf = []
        for line in (text.split("\n") if self.pre else [text]):
            if line.strip():  # a line of &nbsp; or full-width spaces only is blank …
                self.lines.append(line.strip(_HTML_SPACE))  # … but they are kept around text, as shown

    def visit(self, el) -> None:
        tag = _tag(el)
        if tag is None or tag in _HIDDEN or not _shown(el):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table" and self.on_table is not None:
            self.flush()
            self.on_table(el)
            return
        block = tag in _BLOCK or tag == "table"
        if block:
            self.flush()
        self.pre += tag == "pre"
        self.add(el.text)
        for child in el:
            self.visit(child)
            self.add(child.tail)
        self.pre -= tag == "pre"
        if block:
            self.flush()


def cell_text(el) -> str:
    """A cell's lines joined by newlines, as the Word reader joins a cell's paragraphs."""
    lines = _Lines()
    lines.visit(el)
    lines.flush()
    return "\n".join(lines.lines)


def _rows(table) -> list:
    """The table's own rows in document order (not those of tables nested in its cells)."""
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _cells(tr) -> list:
    return [c for c in tr if _tag(c) in ("td", "th") and _shown(c)]


def _span(el, name: str) -> int:
    try:
        value = int(str(el.get(name, "1")).strip() or 1)
    except ValueError:
        return 1
    return min(max(value, 0), MAX_SPAN)


def is_layout_table(table) -> bool:
    """A table that arranges the page rather than printing data: it holds another table, a heading or
    a cell of article length (a menu beside the text), or it has a single cell."""
    if table.xpath(".//td//table | .//th//table | .//td//h1 | .//td//h2 | .//td//h3 | .//td//h4 | .//th//h1"):
        return True
    cells = [c for tr in _rows(table) for c in _cells(tr)]
    return len(cells) <= 1 or any(len(c.text_content()) > LAYOUT_CELL_CHARS for c in cells)


def expand(table, number: int, file: str | None) -> Grid:
    """The table as rows of cells: one cell per ``<td>``/``<th>``, and an empty cell where a cell from a
    row above spans down (once per spanning cell, however many columns it covers)."""
    grid = Grid(location=Location(file=file, cell=f"T{number}"))
    rows = [tr for tr in _rows(table) if _shown(tr)]
    below: dict[tuple[int, int], int] = {}  # (row, column) covered from above → columns the covering cell spans
    for r, tr in enumerate(rows):
        out: list[GridCell] = []
        col = 0

        def continuation() -> None:
            """Empty cells for the cells above spanning down into this row at the current column."""
            nonlocal col
            while (r, col) in below:
                width = below[(r, col)]
                out.append(GridCell("", Location(file=file, cell=f"T{number}R{r + 1}C{col + 1}")))
                col += width

        for td in _cells(tr):
            continuation()
            colspan = _span(td, "colspan") or 1
            rowspan = _span(td, "rowspan")
            rowspan = len(rows) - r if rowspan == 0 else rowspan  # rowspan="0": to the end of the table
            out.append(GridCell(cell_text(td), Location(file=file, cell=f"T{number}R{r + 1}C{col + 1}")))
            for down in range(r + 1, min(r + rowspan, len(rows))):
                below[(down, col)] = colspan
                for k in range(col + 1, col + colspan):
                    below.pop((down, k), None)
            col += colspan
        continuation()
        if out:
            grid.rows.append(out)
    return grid


class _Page:
    def __init__(self, file: str | None):
        self.file = file
        self.blocks: list[Block] = []
        self.tables = 0
        self.paragraphs = 0
        self.lines = _Lines(on_table=self.table)

    def emit_lines(self) -> None:
        self.lines.flush()
        for line in self.lines.lines:
            self.paragraphs += 1
            self.blocks.append(Para(line, Location(file=self.file, paragraph=self.paragraphs)))
        self.lines.lines = []

    def table(self, el) -> None:
        self.emit_lines()
        if is_layout_table(el):
            for tr in _rows(el):
                for td in _cells(tr):
                    self.lines.visit(td)
                    self.emit_lines()
            return
        for caption in el.xpath("./caption"):
            self.lines.visit(caption)
            self.emit_lines()
        self.tables += 1
        grid = expand(el, self.tables, self.file)
        if grid.rows:
            self.blocks.append(grid)

    def read(self, root) -> list[Block]:
        body = root.find("body")
        self.lines.visit(body if body is not None else root)
        self.emit_lines()
        return self.blocks


def read_html_blocks(path: Path) -> list[Block]:
    from lxml import etree
    from lxml import html as lxml_html

    text = decode_html(path, path.read_bytes())
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a str that declares its own encoding
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        raise fail(path, "网页文件无法解析（内容为空或不是 HTML）") from None
    return _Page(path.name).read(root)
