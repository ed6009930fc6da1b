"""Extracted-text format (as produced from a published Word file): one table cell per line,
tab-indented; a blank line ends a table row; lines without a leading tab are paragraphs.

A line without a tab that follows a cell in the same row continues that cell (a cell printed on
two lines, e.g. "公务用车购置及运行费" / "（小计）"). Locations carry the line number as
``cell="L<n>"`` (and ``paragraph`` = running paragraph index for paragraphs).
"""

from __future__ import annotations

import re
from pathlib import Path

from yusuan.disclosure import Location
from yusuan.read.blocks import Block, Grid, GridCell, Para

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


def blocks_from_text(text: str, file: str | None = None) -> list[Block]:
    """Split extracted text into paragraphs and grids (consecutive rows form one grid)."""
    blocks: list[Block] = []
    grid: Grid | None = None
    row: list[GridCell] = []
    paragraph_no = 0

    def end_row() -> None:
        nonlocal row, grid
        if row:
            if grid is None:
                grid = Grid(location=row[0].location)
                blocks.append(grid)
            grid.rows.append(row)
            row = []

    for n, raw in enumerate(text.splitlines(), start=1):
        line = _BOOKMARK.sub("", raw.rstrip("\r"))
        if not line.startswith("\t") and line.strip() == "":
            end_row()
            continue
        if line.startswith("\t"):
            row.append(GridCell(line.strip("\t"), Location(file=file, cell=f"L{n}")))
        elif row:  # continuation of the previous cell
            row[-1].text = f"{row[-1].text}\n{line.strip()}"
        else:
            paragraph_no += 1
            grid = None  # a paragraph ends the current grid
            blocks.append(Para(line.strip(), Location(file=file, paragraph=paragraph_no, cell=f"L{n}")))
    end_row()
    return blocks


def read_text_blocks(path: Path) -> list[Block]:
    from yusuan.read.files import read_bytes_as_text

    return blocks_from_text(read_bytes_as_text(path), file=path.name)
