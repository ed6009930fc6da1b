"""DOCX: body paragraphs and tables in document order. One grid cell per ``w:tc`` (a cell merged
across columns is one cell, as in the extracted-text format); the continuation of a vertically
merged cell is an empty cell. Locations: ``cell="T<table>R<row>C<cell>"``, paragraphs numbered."""

from __future__ import annotations

from pathlib import Path

from yusuan.disclosure import Location
from yusuan.read.blocks import Block, Grid, GridCell, Para
from yusuan.read.files import fail

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(element) -> str:
    """Paragraph texts of an element joined by newlines (w:t, tabs and breaks kept as spaces)."""
    paragraphs = []
    for p in element.iter(f"{W}p"):
        bits = []
        for node in p.iter():
            if node.tag == f"{W}t" and node.text:
                bits.append(node.text)
            elif node.tag in (f"{W}tab",):
                bits.append("\t")
            elif node.tag in (f"{W}br", f"{W}cr"):
                bits.append("\n")
        paragraphs.append("".join(bits))
    return "\n".join(paragraphs)


def _grid(tbl, number: int, file: str) -> Grid:
    grid = Grid(location=Location(file=file, cell=f"T{number}"))
    for r, tr in enumerate(tbl.findall(f"{W}tr"), start=1):
        row = []
        for c, tc in enumerate(tr.findall(f"{W}tc"), start=1):
            props = tc.find(f"{W}tcPr")
            vmerge = props.find(f"{W}vMerge") if props is not None else None
            continued = vmerge is not None and vmerge.get(f"{W}val") in (None, "continue")
            text = "" if continued else _text(tc)
            row.append(GridCell(text, Location(file=file, cell=f"T{number}R{r}C{c}")))
        grid.rows.append(row)
    return grid


def read_docx_blocks(path: Path) -> list[Block]:
    try:
        import docx  # python-docx
    except ImportError:  # pragma: no cover - a declared dependency
        raise fail(path, "缺少 python-docx，无法读取 Word 文件") from None
    try:
        document = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - any parse failure is an unusable file
        raise fail(path, "Word 文件已损坏或不是有效的 .docx，无法读取") from None
    blocks: list[Block] = []
    tables = paragraphs = 0
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            paragraphs += 1
            for line in _text(child).split("\n"):
                if line.strip():
                    blocks.append(Para(line, Location(file=path.name, paragraph=paragraphs)))
        elif child.tag == f"{W}tbl":
            tables += 1
            blocks.append(_grid(child, tables, path.name))
    return blocks
