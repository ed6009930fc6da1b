"""Excel workbook (openpyxl): one sheet per table laid out as printed, a sheet of performance-target
tables, and a 校验报告 sheet when findings are given.

Each table sheet: title row, 编制部门/单位 row, merged header rows, amounts as numbers formatted
0.00, frozen header, print setup (landscape for wide tables, fit to width, header rows repeated).
"""

from __future__ import annotations

from copy import copy
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from yusuan.disclosure import Disclosure
from yusuan.findings import Finding
from yusuan.render.layout import DRAFT_MARK, PERF_WIDTHS, Grid, field_spans, grids, perf_layout

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "宋体"  # what Chinese Excel users have; LibreOffice substitutes Noto CJK
HEAD_FONT = Font(name=FONT, bold=True, size=10)
BODY_FONT = Font(name=FONT, size=10)
BOLD_FONT = Font(name=FONT, size=10, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
SEVERITY = {"fatal": "错误", "warning": "警告", "info": "提示"}
INVALID_SHEET_CHARS = set('[]:*?/\\')


def _sheet_name(g: Grid, used: set[str]) -> str:
    base = "".join(ch for ch in (f"{g.number}{g.title}" if g.number else g.title) if ch not in INVALID_SHEET_CHARS)
    name = base[:31]
    n = 2
    while name in used:
        name = f"{base[:28]}_{n}"
        n += 1
    used.add(name)
    return name


LINE_PT = 13.5


@lru_cache(maxsize=None)
def _align(horizontal: str | None = None, vertical: str = "center", wrap: bool = False, indent: int = 0) -> Alignment:
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap or None, indent=indent)


_STYLE_CACHE: dict[tuple, object] = {}


def _style(cell, font: Font, align: Alignment, border: Border | None = None, fill: PatternFill | None = None,
           fmt: str | None = None) -> None:
    """Style a cell, copying the style ids of an identically styled cell when there is one: openpyxl
    hashes every style object on assignment, which dominated the time to write a workbook."""
    key = (id(font), id(align), id(border), id(fill), fmt)
    cached = _STYLE_CACHE.get(key)
    if cached is not None and cell.parent.parent is cached[0]:
        cell._style = copy(cached[1])
        return
    cell.font, cell.alignment = font, align
    if border is not None:
        cell.border = border
    if fill is not None:
        cell.fill = fill
    if fmt is not None:
        cell.number_format = fmt
    _STYLE_CACHE[key] = (cell.parent.parent, copy(cell._style))


def _lines(text: str, width_units: float) -> int:
    units = sum(2 if ord(ch) > 0x2E80 else 1.1 for ch in text)
    return max(1, -(-int(units) // max(1, int(width_units - 1))))


def _merge(ws: Worksheet, start_row: int, start_column: int, end_row: int, end_column: int) -> None:
    """ws.merge_cells without its slow border pass: the covered cells keep the style (borders) they had."""
    rng = MergedCellRange(ws, f"{get_column_letter(start_column)}{start_row}:{get_column_letter(end_column)}{end_row}")
    ws.merged_cells.add(rng)
    for r in range(start_row, end_row + 1):
        for c in range(start_column, end_column + 1):
            if (r, c) == (start_row, start_column):
                continue
            old = ws._cells.get((r, c))
            mc = MergedCell(ws, row=r, column=c)
            if old is not None:
                mc._style = copy(old._style)
            ws._cells[(r, c)] = mc


def _draft_row(ws: Worksheet, ncols: int, draft: bool) -> int:
    """Returns the first row after the optional draft mark."""
    if not draft:
        return 1
    ws.cell(1, 1, DRAFT_MARK).font = Font(name=FONT, bold=True, size=14, color="C00000")
    ws.cell(1, 1).alignment = CENTER
    if ncols > 1:
        _merge(ws, start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.oddHeader.center.text = DRAFT_MARK
    ws.oddHeader.center.color = "C00000"
    return 2


def _print_setup(ws: Worksheet, landscape: bool, header_first: int | None, header_last: int | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if header_first is not None:
        ws.print_title_rows = f"{header_first}:{header_last}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _table_sheet(ws: Worksheet, g: Grid, unit_name: str, draft: bool) -> None:
    n = g.ncols
    top = _draft_row(ws, n, draft)
    ws.cell(top, 1, g.label).font = Font(name=FONT, bold=True, size=16)
    ws.cell(top, 1).alignment = CENTER
    _merge(ws, start_row=top, start_column=1, end_row=top, end_column=n)
    ws.row_dimensions[top].height = 28
    meta = top + 1
    ws.cell(meta, 1, f"编制部门：{unit_name}").font = BODY_FONT
    if n > 1:
        _merge(ws, start_row=meta, start_column=1, end_row=meta, end_column=max(1, n - 1))
    unit_cell = ws.cell(meta, n, f"单位：{g.unit}")
    unit_cell.font = BODY_FONT
    unit_cell.alignment = Alignment(horizontal="right")
    h0 = meta + 1
    for r in range(g.header_rows):
        for c in range(n):
            _style(ws.cell(h0 + r, c + 1), HEAD_FONT, CENTER, BORDER, HEAD_FILL)
    for h in g.heads:
        ws.cell(h0 + h.row, h.col + 1, h.text)
        if h.rowspan > 1 or h.colspan > 1:
            _merge(ws, start_row=h0 + h.row, start_column=h.col + 1,
                           end_row=h0 + h.row + h.rowspan - 1, end_column=h.col + h.colspan)
    b0 = h0 + g.header_rows
    for r, line in enumerate(g.body):
        for c, bc in enumerate(line):
            cell = ws.cell(b0 + r, c + 1)
            font = BOLD_FONT if bc.bold else BODY_FONT
            if bc.numeric and bc.value is not None:
                cell.value = bc.value  # stored as a number; Decimal keeps the printed digits
                _style(cell, font, _align("right"), BORDER, fmt="#,##0.00" if "," in bc.text else "0.00")
            elif bc.numeric:
                if bc.text:  # a dash printed for nothing
                    cell.value = bc.text
                _style(cell, font, _align("right"), BORDER, fmt="0.00")
            else:
                cell.value = bc.text or None
                _style(cell, font, _align(bc.align, wrap=True, indent=bc.indent), BORDER, fmt="@")
    for r, c, rs, cs in g.merges:
        _merge(ws, start_row=b0 + r, start_column=c + 1, end_row=b0 + r + rs - 1, end_column=c + cs)
    for _start, end in g.pieces()[:-1]:  # a split table: a page break after each piece (header rows repeat)
        from openpyxl.worksheet.pagebreak import Break

        ws.row_breaks.append(Break(id=b0 + end - 1))
    last = b0 + len(g.body) - 1
    if g.empty_note:
        note = ws.cell(last + 2, 1, g.empty_note)
        note.font = BODY_FONT
        note.alignment = Alignment(wrap_text=True, vertical="top")
        _merge(ws, start_row=last + 2, start_column=1, end_row=last + 2, end_column=n)
        ws.row_dimensions[last + 2].height = 30
    xl_widths = [round(w * 2 + 1, 1) for w in g.widths]  # em → Excel character units (a CJK char is 2)
    for c, w in enumerate(xl_widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    # Excel and LibreOffice do not grow rows for wrapped text in merged cells: set heights from the text.
    heights: dict[int, float] = {}
    for h in g.heads:
        lines = _lines(h.text, sum(xl_widths[h.col:h.col + h.colspan]))
        r = h0 + h.row + h.rowspan - 1
        heights[r] = max(heights.get(r, 0), lines * LINE_PT / h.rowspan + 4)
    for r, line in enumerate(g.body):
        need = max((_lines(bc.text, xl_widths[c]) for c, bc in enumerate(line) if not bc.numeric), default=1)
        heights[b0 + r] = need * LINE_PT + 4
    for r, height in heights.items():
        ws.row_dimensions[r].height = max(height, 18)
    ws.freeze_panes = ws.cell(b0, 1)
    _print_setup(ws, g.wide, h0, b0 - 1)


def _perf_sheet(ws: Worksheet, d: Disclosure) -> None:
    ncols = len(PERF_WIDTHS)
    row = _draft_row(ws, ncols, d.draft)
    xl_widths = [round(w * 2 + 1, 1) for w in PERF_WIDTHS]
    for c, w in enumerate(xl_widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    for i, p in enumerate(d.performance, start=1):
        t = perf_layout(p.table, d.budget_year, p.stated_total, i)
        ws.cell(row, 1, t.title).font = Font(name=FONT, bold=True, size=14)
        ws.cell(row, 1).alignment = CENTER
        _merge(ws, start_row=row, start_column=1, end_row=row, end_column=ncols)
        row += 1
        for line in t.fields:
            col = 1
            need = 1
            for text, span, is_label in field_spans(line, ncols):
                need = max(need, _lines(text, sum(xl_widths[col - 1:col - 1 + span])))
                cell = ws.cell(row, col, text or None)
                for k in range(1, span):
                    _style(ws.cell(row, col + k), BODY_FONT, CENTER, BORDER)
                _style(cell, BODY_FONT, CENTER if is_label else _align(wrap=True), BORDER)
                if span > 1:
                    _merge(ws, start_row=row, start_column=col, end_row=row, end_column=col + span - 1)
                col += span
            ws.row_dimensions[row].height = max(18, need * LINE_PT + 4)
            row += 1
        for c, h in enumerate(t.head, start=1):
            _style(ws.cell(row, c, h), HEAD_FONT, CENTER, BORDER, HEAD_FILL)
        need = max(_lines(h, xl_widths[c]) for c, h in enumerate(t.head))
        ws.row_dimensions[row].height = max(18, need * LINE_PT + 4)
        row += 1
        first = row
        for line in t.rows:
            need = max((_lines(text, xl_widths[c]) for c, text in enumerate(line)), default=1)
            ws.row_dimensions[row].height = max(18, need * LINE_PT + 4)
            for c, text in enumerate(line, start=1):
                _style(ws.cell(row, c, text or None), BODY_FONT, CENTER if c <= 2 else _align(wrap=True), BORDER)
            row += 1
        for r, c, rs in t.merges:
            _merge(ws, start_row=first + r, start_column=c + 1, end_row=first + r + rs - 1, end_column=c + 1)
        row += 1
        ws.row_breaks.append(Break(id=row - 1))  # each table starts a printed page
    _print_setup(ws, False, None, None)


def _findings_sheet(ws: Worksheet, findings: Iterable[Finding], draft: bool) -> None:
    head = ["序号", "级别", "规则", "类别", "位置", "说明", "所述", "应为", "差额"]
    widths = [6, 8, 22, 14, 30, 60, 12, 12, 10]
    row = _draft_row(ws, len(head), draft)
    for c, (h, w) in enumerate(zip(head, widths), start=1):
        cell = ws.cell(row, c, h)
        cell.border, cell.fill, cell.alignment, cell.font = BORDER, HEAD_FILL, CENTER, HEAD_FONT
        ws.column_dimensions[get_column_letter(c)].width = w
    header_row = row
    for i, f in enumerate(findings, start=1):
        row += 1
        values = [i, SEVERITY.get(f.severity, f.severity), f.rule, f.category,
                  f.location.describe() if f.location else "", f.message,
                  f.stated, f.expected, f.difference]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row, c, v)
            cell.border, cell.font = BORDER, BODY_FONT
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if c == 9 and v is not None:
                cell.number_format = "0.00"
        if f.severity == "fatal":
            ws.cell(row, 2).font = Font(name=FONT, size=10, bold=True, color="C00000")
    if row == header_row:
        ws.cell(row + 1, 1, "未发现问题。").font = BODY_FONT
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(head))}{max(row, header_row)}"
    _print_setup(ws, True, header_row, header_row)


def build_xlsx(d: Disclosure, findings: list[Finding] | None = None) -> Workbook:
    _STYLE_CACHE.clear()  # style ids belong to one workbook
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for g in grids(d):
        _table_sheet(wb.create_sheet(_sheet_name(g, used)), g, d.unit_name, d.draft)
    if d.performance:
        _perf_sheet(wb.create_sheet("项目支出绩效目标表"), d)
    if findings is not None:
        _findings_sheet(wb.create_sheet("校验报告"), findings, d.draft)
    if not wb.sheetnames:
        wb.create_sheet("说明").cell(1, 1, "本公开文件没有表格。")
    return wb


def _no_formulas(wb) -> None:
    """We never write formulas: printed texts such as "=7个" (a performance target) must stay text,
    but openpyxl stores any string starting with "=" as a formula, which Excel shows as an error."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def write_xlsx(d: Disclosure, path: Path, findings: list[Finding] | None = None) -> Path:
    wb = build_xlsx(d, findings)
    _no_formulas(wb)
    wb.save(path)
    return path
