"""Reading published disclosures back into ``yusuan.disclosure.Disclosure``.

API::

    result = read_file(path, profile="auto")   # -> ReadResult
    result.disclosure                           # the disclosure as printed (origin="read")
    result.findings                             # reading findings (category "reading", rules R.*)

``read_file`` dispatches on the file's content: extracted text (``text.py``), DOCX (``docx.py``),
XLSX (``xlsx.py``), HTML pages (``html.py``); PDF when ``pdf.py`` exists (it must provide ``read_pdf_blocks(path) -> list[Block]``,
paragraphs and grids in reading order, locations with ``page`` and ``bbox``); .doc/.xls/.wps via LibreOffice. Every format is
first turned into blocks (``blocks.py``: paragraphs and grids of cell strings with locations);
``document.py`` recognises tables (``tables.py``, ``summary_tables.py``), sentences
(``narrative.py``) and performance tables (``performance.py``) from the blocks. Whatever cannot be
read becomes a finding with its location, never silently dropped. Unusable input (empty, encrypted,
not a disclosure …) raises ``yusuan.errors.InputError`` with a Chinese message.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from yusuan.read.document import ReadResult, assemble
from yusuan.read.files import convert_legacy, fail, sniff, temp_dir

__all__ = ["ReadResult", "read_file", "read_blocks"]


def read_blocks(path: Path) -> list:
    kind = sniff(path)
    if kind == "text":
        from yusuan.read.text import read_text_blocks

        return read_text_blocks(path)
    if kind == "html":
        from yusuan.read.html import read_html_blocks

        return read_html_blocks(path)
    if kind == "docx":
        from yusuan.read.docx import read_docx_blocks

        return read_docx_blocks(path)
    if kind == "xlsx":
        from yusuan.read.xlsx import read_xlsx_blocks

        return read_xlsx_blocks(path)
    if kind == "pdf":
        try:
            pdf = importlib.import_module("yusuan.read.pdf")
        except ImportError:
            raise fail(path, "暂不支持读取 PDF 文件；请使用 Word（.docx）、Excel（.xlsx）或提取的文本") from None
        return pdf.read_pdf_blocks(path)
    with temp_dir() as tmp:  # legacy .doc/.xls/.wps
        converted = convert_legacy(path, Path(tmp))
        blocks = read_blocks(converted)
        for b in blocks:  # point locations at the file the user gave
            cells = [c for row in getattr(b, "rows", []) for c in row]
            for loc in [b.location] + [c.location for c in cells]:
                if loc is not None:
                    loc.file = path.name
        return blocks


def read_file(path: str | Path, profile: str = "auto") -> ReadResult:
    """Read a published disclosure file. Raises InputError when the file is unusable or is not a
    department budget/final-accounts disclosure at all."""
    path = Path(path)
    blocks = read_blocks(path)
    result = assemble(blocks, file=path.name, profile=profile)
    d = result.disclosure
    if not d.tables and not any(s.part == 3 for s in d.sections):
        raise fail(path, "没有找到部门预算（决算）公开的表格或情况说明，这似乎不是预算公开文件")
    return result
