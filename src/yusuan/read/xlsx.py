"""XLSX: every sheet top to bottom. A row with a single filled cell is a paragraph (titles, units,
text); rows with more cells are table rows (empty rows are skipped, paragraphs end a table). A cell
merged across columns is one grid cell (as in Word); the lower part of a vertical merge is empty.
Numbers stored as numbers are printed through their shortest repr (no float rounding).
Locations: ``cell="<sheet>!C5"``."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from yusuan.disclosure import Location
from yusuan.read.blocks import Block, Grid, GridCell, Para
from yusuan.read.files import fail


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


_PARAGRAPH = re.compile(r"^(第[一二三四]部分|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|附?表\s*\d+|表[一二三四五六七八九十]+|编制部门|单位[:：])")


# Sheets yusuan itself adds beside the disclosure (the check report) are not part of it.
_NOT_DISCLOSURE = {"校验报告"}
_META = re.compile(r"^(编制部门|编制单位|预算单位|单位)\s*[:：]")


def _paragraph_like(text: str) -> bool:
    """A single filled cell right below a table is a table row (“因公出国（境）费” with blank amounts)
    unless it reads like text: a heading, a table number or title, a unit line, or a long sentence."""
    from yusuan.read.performance import is_title
    from yusuan.read.tables import recognise_title

    t = text.strip()
    return bool(_PARAGRAPH.match(t)) or len(t) > 30 or recognise_title(t) is not None or is_title(t)


def read_xlsx_blocks(path: Path) -> list[Block]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(str(path), data_only=True)
        # Text typed with a leading "=" (a target such as "=7个") is stored as a formula with no
        # computed value; the formula text is then what the author wrote.
        formulas = openpyxl.load_workbook(str(path), data_only=False)
    except Exception:  # noqa: BLE001 - any parse failure is an unusable file
        raise fail(path, "Excel 文件已损坏或不是有效的 .xlsx，无法读取") from None
    blocks: list[Block] = []
    for sheet in workbook.worksheets:
        if sheet.title in _NOT_DISCLOSURE:
            continue
        covered: dict[tuple[int, int], bool] = {}  # (row, col) → True: skip (same row), False: empty
        for rng in sheet.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        covered[(r, c)] = c != rng.min_col
        grid: Grid | None = None
        raw_sheet = formulas[sheet.title]
        for r, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = []
            for c, value in enumerate(values, start=1):
                if value is None:
                    raw = raw_sheet.cell(row=r, column=c).value
                    if isinstance(raw, str) and raw.startswith("="):
                        value = raw
                if covered.get((r, c)) is True:
                    continue
                text = "" if (r, c) in covered else _cell_text(value)
                ref = f"{sheet.title}!{openpyxl.utils.get_column_letter(c)}{r}"
                cells.append(GridCell(text, Location(file=path.name, cell=ref)))
            full = cells
            cells = list(cells)
            while cells and not cells[-1].text.strip():
                cells.pop()
            filled = [c for c in cells if c.text.strip()]
            if not filled:
                continue
            if all(_META.match(c.text.strip()) for c in filled):
                # 编制部门：…  单位：万元 above a table is a line of text (the unit and the unit of
                # amounts), not the table's first row.
                grid = None
                blocks.append(Para("  ".join(c.text.strip() for c in filled), filled[0].location))
                continue
            if len(filled) == 1 and len(cells) <= 2 and cells[0].text.strip() and (grid is None or _paragraph_like(cells[0].text)):
                grid = None
                for line in filled[0].text.splitlines():
                    if line.strip():
                        blocks.append(Para(line, filled[0].location))
                continue
            if grid is None:
                grid = Grid(location=cells[0].location)
                blocks.append(grid)
            # A row of a table keeps its blank cells up to the table's width so far: the blank columns at the
            # right of a row (事业收入 … 其他收入 left empty) are columns of the header, not missing (Word and the
            # PDF reader keep them too); without them the row is narrower than its header and its figures
            # cannot be placed under it.
            width = max(len(r) for r in grid.rows) if grid.rows else 0
            grid.rows.append(full[:max(len(cells), width)])
    return blocks
