"""Disclosure tables as printed grids, shared by every renderer.

A ``Grid`` is the table as it appears on paper: header cells with their spans (a column's ``group``
becomes a merged cell above it; code columns 类/款/项 sit under one 科目编码 cell), body rows of
already formatted text, relative column widths and whether the table needs a landscape page.
Word, Excel and HTML draw the same grid, so the three outputs cannot drift apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from yusuan.disclosure import Column, Disclosure, Row, Table
from yusuan.model.performance import PerformanceTable

DRAFT_MARK = "草稿（未通过校验）"
TEXT_COLUMNS = {"project_name"}
# More printed columns than this do not fit an A4 portrait page at a readable size.
PORTRAIT_MAX_COLUMNS = 8


def amount(value: Decimal | None) -> str:
    """Amounts print as 0.00 (two places, half-up as quantize does with ROUND_HALF_UP context)."""
    if value is None:
        return ""
    from decimal import ROUND_HALF_UP

    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class HeadCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class BodyCell:
    text: str = ""
    value: Decimal | None = None
    numeric: bool = False
    bold: bool = False
    indent: int = 0

    @property
    def align(self) -> str:
        """Amounts right, codes (all digits: 208, 05) centred, names left, in every format."""
        return "right" if self.numeric else "center" if self.text.isdigit() else "left"


@dataclass
class Grid:
    key: str
    number: str
    title: str
    unit: str
    header_rows: int
    heads: list[HeadCell]
    body: list[list[BodyCell]]
    widths: list[float]  # relative, in em of the body font
    empty_note: str | None = None
    anchor: str = ""
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # body (row, col, rowspan, colspan)
    split_rows: int | None = None  # print in pieces of this many body rows, each under the header

    def pieces(self) -> list[tuple[int, int]]:
        """Body row ranges [start, end) printed one per page under a repeated header: the whole body
        unless the table is split; a piece never ends inside a cell merged over several rows."""
        n = len(self.body)
        if not self.split_rows or n <= self.split_rows:
            return [(0, n)]
        out, start = [], 0
        while start < n:
            end = min(start + self.split_rows, n)
            while end < n and any(r < end < r + rs for r, _c, rs, _cs in self.merges):
                end += 1
            out.append((start, end))
            start = end
        return out

    @property
    def ncols(self) -> int:
        return len(self.widths)

    @property
    def wide(self) -> bool:
        return self.ncols > PORTRAIT_MAX_COLUMNS

    @property
    def label(self) -> str:
        return f"{self.number}{self.title}" if self.number else self.title

    def head_matrix(self) -> list[list[HeadCell | None]]:
        """Header as a full matrix: the HeadCell at its top-left position, None where it is spanned."""
        m: list[list[HeadCell | None]] = [[None] * self.ncols for _ in range(self.header_rows)]
        for h in self.heads:
            m[h.row][h.col] = h
        return m


# ---------------------------------------------------------------- helpers

def _code_parts(row: Row, depth: int) -> list[str]:
    code = row.code or ""
    if not code and ":" in row.key:
        code = row.key.split(":")[1]
    cuts = [(0, 3), (3, 5), (5, 7)][:depth]
    return [code[a:b] for a, b in cuts]


def _cell(row: Row, col: Column) -> BodyCell:
    c = row.cells.get(col.key)
    bold = row.role in ("total", "subtotal")
    if c is None:
        return BodyCell(bold=bold, numeric=col.key not in TEXT_COLUMNS)
    if col.key in TEXT_COLUMNS or (c.value is None and c.text and not _looks_numeric(c.text)):
        return BodyCell(text=c.text, bold=bold)
    return BodyCell(text=_printed(c.text, c.value), value=c.value, numeric=True, bold=bold)


def _printed(text: str, value: Decimal | None) -> str:
    """The cell's own text when it prints the value in the table's style (1,234.00; 0.00; a dash for
    nothing), else the value in two places."""
    t = text.strip()
    if value is None:
        return t if t in ("-", "—", "－") else ""
    if t != amount(value) and _STYLED.fullmatch(t) and Decimal(t.replace(",", "")) == value:
        return t
    return amount(value)


_STYLED = re.compile(r"-?\d{1,3}(,\d{3})+\.\d\d|-?\d+\.\d\d")  # 1,234.00 or 0.00


def _looks_numeric(text: str) -> bool:
    t = text.strip().replace(",", "").replace("　", "")
    try:
        Decimal(t)
        return True
    except Exception:
        return t in ("", "-")


def _width(texts: list[str], numeric: bool, lo: float, hi: float) -> float:
    if numeric:
        longest = max((len(t) for t in texts), default=4)
        return max(lo, min(hi, longest * 0.6 + 1.2))  # digits are about half an em wide
    longest = max((text_em(t) for t in texts), default=2)
    return max(lo, min(hi, longest + 1))


def text_em(text: str) -> float:
    """Printed width estimate in em: CJK characters one em, Latin letters, digits and signs about half."""
    return sum(1 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def _value_heads(columns: list[Column], start: int, two_rows: bool) -> list[HeadCell]:
    """Column labels, with a merged cell for each run of columns sharing a group."""
    heads: list[HeadCell] = []
    i = 0
    while i < len(columns):
        col = columns[i]
        if col.group and two_rows:
            j = i
            while j < len(columns) and columns[j].group == col.group:
                j += 1
            heads.append(HeadCell(col.group, 0, start + i, colspan=j - i))
            heads += [HeadCell(c.label, 1, start + k) for k, c in enumerate(columns[i:j], start=i)]
            i = j
        else:
            heads.append(HeadCell(col.label, 0, start + i, rowspan=2 if two_rows else 1))
            i += 1
    return heads


def _name_text(row: Row) -> str:
    return row.name or (row.code or "")


# ---------------------------------------------------------------- the three shapes

def _two_sided(table: Table) -> Grid:
    """T1/T4: income rows on the left, expenditure rows on the right, totals on one line."""
    income = [r for r in table.rows if r.side == "income"]
    spend = [r for r in table.rows if r.side == "expenditure"]
    used_in = {k for r in income for k in r.cells}
    used_ex = {k for r in spend for k in r.cells}
    cols_in = [c for c in table.columns if c.key in used_in] or table.columns[:1]
    cols_ex = [c for c in table.columns if c.key in used_ex] or table.columns[:1]
    fiscal = table.kind.startswith("fiscal")
    left_title, right_title = ("财政拨款收入", "财政拨款支出") if fiscal else ("收入", "支出")
    # a column group names the side (the profile's wording), spanning the side's label column too
    left_title = cols_in[0].group or left_title
    right_title = cols_ex[0].group or right_title
    nl, nr = 1 + len(cols_in), 1 + len(cols_ex)
    heads = [HeadCell(left_title, 0, 0, colspan=nl), HeadCell(right_title, 0, nl, colspan=nr),
             HeadCell("项目", 1, 0), HeadCell("功能分类", 1, nl)]
    heads += [HeadCell(c.label, 1, 1 + i) for i, c in enumerate(cols_in)]
    heads += [HeadCell(c.label, 1, nl + 1 + i) for i, c in enumerate(cols_ex)]

    def totals_last(rows: list[Row]) -> tuple[list[Row], list[Row]]:
        return [r for r in rows if r.role != "total"], [r for r in rows if r.role == "total"]

    body_in, tot_in = totals_last(income)
    body_ex, tot_ex = totals_last(spend)
    n = max(len(body_in), len(body_ex))
    lines: list[list[BodyCell]] = []

    def side(r: Row | None, cols: list[Column], with_code: bool) -> list[BodyCell]:
        if r is None:
            return [BodyCell()] + [BodyCell(numeric=True) for _ in cols]
        label = f"{r.code} {r.name}" if with_code and r.code and not r.name.startswith(r.code) else r.name
        bold = r.role in ("total", "subtotal")
        return [BodyCell(label, bold=bold, indent=0 if bold else 1)] + [_cell(r, c) for c in cols]

    for i in range(n):
        a = body_in[i] if i < len(body_in) else None
        b = body_ex[i] if i < len(body_ex) else None
        lines.append(side(a, cols_in, False) + side(b, cols_ex, True))
    for i in range(max(len(tot_in), len(tot_ex))):
        a = tot_in[i] if i < len(tot_in) else None
        b = tot_ex[i] if i < len(tot_ex) else None
        lines.append(side(a, cols_in, False) + side(b, cols_ex, True))
    widths = _widths_from(lines, name_cols={0, nl})
    return _grid(table, 2, heads, lines, widths)


def _coded(table: Table) -> Grid:
    """Tables keyed by classification codes: 类/款(/项) columns, the name, then the value columns."""
    economic = any(r.key.startswith("e:") for r in table.rows)
    depth = 2 if economic else 3
    kind_word = "经济分类" if economic else "功能分类"
    value_cols = list(table.columns)
    two_rows = True
    heads = [HeadCell(f"{kind_word}科目编码", 0, 0, colspan=depth)]
    heads += [HeadCell(w, 1, i) for i, w in enumerate(["类", "款", "项"][:depth])]
    heads.append(HeadCell(f"{kind_word}科目名称", 0, depth, rowspan=2))
    heads += _value_heads(value_cols, depth + 1, two_rows)
    lines: list[list[BodyCell]] = []
    merges: list[tuple[int, int, int, int]] = []
    for r in table.rows:
        bold = r.role in ("total", "subtotal")
        if r.role == "total" or not (r.code or ":" in r.key and r.key.split(":")[1][:1].isdigit()):
            codes = [BodyCell(bold=bold) for _ in range(depth)]
        else:
            codes = [BodyCell(p) for p in _code_parts(r, depth)]
            # A 类 row shows only the 类 code, a 款 row 类+款, as the national template prints them.
            keep = {"类": 1, "款": 2}.get(r.level or "", depth)
            for k in range(keep, depth):
                codes[k] = BodyCell()
        indent = {"类": 0, "款": 1, "项": 2}.get(r.level or "", 0)
        if r.key.startswith("p:"):
            indent = 2
        name = BodyCell(_name_text(r), bold=bold, indent=indent)
        lines.append(codes + [name] + [_cell(r, c) for c in value_cols])
        if r.role == "total":
            merges.append((len(lines) - 1, 0, 1, depth + 1))
            lines[-1][0] = BodyCell(_name_text(r) or "合计", bold=True)
    widths = [2.6 if k == 0 else 2.0 for k in range(depth)]  # 3- and 2-digit codes plus padding
    widths += _widths_from(lines, name_cols={depth}, start=depth)
    g = _grid(table, 2, heads, lines, widths)
    g.merges = merges
    return g


def _plain(table: Table) -> Grid:
    """Row label + value columns (T10 三公 and other short tables)."""
    two_rows = any(c.group for c in table.columns)
    heads = [HeadCell("项目", 0, 0, rowspan=2 if two_rows else 1)]
    heads += _value_heads(table.columns, 1, two_rows)
    lines = []
    for r in table.rows:
        bold = r.role in ("total", "subtotal")
        indent = 1 if r.key in ("sangong:vehicle_purchase", "sangong:vehicle_operation") else 0
        lines.append([BodyCell(r.name, bold=bold, indent=indent)] + [_cell(r, c) for c in table.columns])
    return _grid(table, 2 if two_rows else 1, heads, lines, _widths_from(lines, name_cols={0}))


def _widths_from(lines: list[list[BodyCell]], name_cols: set[int], start: int = 0) -> list[float]:
    if not lines:
        return []
    ncols = len(lines[0])
    out = []
    for j in range(start, ncols):
        texts = [ln[j].text for ln in lines if j < len(ln)]
        numeric = any(ln[j].numeric for ln in lines if j < len(ln))
        if j in name_cols:
            out.append(_width(texts, False, 6, 13))
        elif numeric:
            out.append(_width(texts, True, 4, 7))
        else:
            out.append(_width(texts, False, 4, 12))
    return out


def _grid(table: Table, header_rows: int, heads, lines, widths) -> Grid:
    if not widths:
        widths = [6.0] + [4.0] * (sum(h.colspan for h in heads if h.row == 0) - 1)
    return Grid(
        key=table.kind, number=table.number, title=table.title, unit=table.unit,
        header_rows=header_rows, heads=heads, body=lines, widths=widths,
        empty_note=table.empty_note, anchor=f"table-{table.kind}", split_rows=table.split_rows,
    )


def table_grid(table: Table) -> Grid:
    if any(r.side for r in table.rows):
        return _two_sided(table)
    if any(r.key.startswith(("f:", "e:", "p:")) for r in table.rows) or table.kind in (
        "income", "expenditure", "general_expenditure", "general_basic", "general_project",
        "fund_expenditure", "capital_expenditure", "fiscal_expenditure",
    ):
        return _coded(table)
    return _plain(table)


def grids(disclosure: Disclosure) -> list[Grid]:
    return [table_grid(t) for t in disclosure.tables]


# ---------------------------------------------------------------- performance-target tables

PERF_WIDTHS = [4.5, 5.5, 11, 5.5, 5, 4.5, 3.5, 6, 5]
PERF_HEAD = ["一级指标", "二级指标", "三级指标", "指标值", "指标值设置依据", "上年完成值", "指标分值权重", "指标赋分规则", "佐证资料"]


@dataclass
class PerfLayout:
    """A performance-target table: header fields (label, value) lines, then the indicator block."""

    title: str
    fields: list[list[tuple[str, str]]]  # each line: (label, value) pairs
    head: list[str]
    rows: list[list[str]]
    merges: list[tuple[int, int, int]]  # (row, col, rowspan) over indicator rows for 一级/二级
    anchor: str = ""


def perf_layout(t: PerformanceTable, budget_year: int | None, stated_total: Decimal | None, index: int) -> PerfLayout:
    total = stated_total if stated_total is not None else t.total
    fields: list[list[tuple[str, str]]] = []
    if t.budget_unit:
        fields.append([("预算单位", t.budget_unit)])
    line = [("项目名称", t.printed_name)]
    if t.owner:
        line.append(("项目负责人", t.owner))
    fields.append(line)
    for k, v in t.extra.items():
        fields.append([(k, v)])
    fields.append([("项目资金（万元）", ""), ("年度预算总额", amount(total)), ("其中：财政拨款", amount(t.fiscal)),
                   ("其他资金", amount(t.other))])
    fields.append([("项目总体目标" if t.format == "department" else "年度总体目标", t.goal)])
    detailed = t.format == "department" or any(
        i.basis or i.last_year or i.weight is not None or i.scoring or i.evidence for i in t.indicators)
    head = PERF_HEAD if detailed else PERF_HEAD[:4]
    rows = []
    for ind in t.indicators:
        r = [ind.level1, ind.level2, ind.name, ind.target.text]
        if detailed:
            r += [ind.basis or "", ind.last_year or "", "" if ind.weight is None else _plain_number(ind.weight),
                  ind.scoring or "", ind.evidence or ""]
        rows.append(r)
    merges = _merge_runs(rows, 0) + _merge_runs(rows, 1, within=0)
    year = f"（{budget_year}年）" if budget_year else ""
    # Area and transfer-detail tables carry their own full title (区域绩效目标表, 明细表); print it.
    title = t.title or f"项目支出绩效目标表{year}"
    return PerfLayout(title, fields, head, rows, merges, anchor=f"perf-{index}")


def _plain_number(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _merge_runs(rows: list[list[str]], col: int, within: int | None = None) -> list[tuple[int, int, int]]:
    """Runs of equal values in a column (inside one run of the parent column), like the printed tables."""
    out = []
    i = 0
    while i < len(rows):
        j = i + 1
        while j < len(rows) and rows[j][col] == rows[i][col] and (within is None or rows[j][within] == rows[i][within]):
            j += 1
        if j - i > 1:
            out.append((i, col, j - i))
        i = j
    return out


def field_spans(line: list[tuple[str, str]], ncols: int) -> list[tuple[str, int, bool]]:
    """Lay one header line of a performance table across ``ncols`` columns: (text, colspan, is_label).

    Labels take one column and values share the rest; a line with more pairs than fit is printed as
    one label and one value joining the rest, so nothing is dropped."""
    if 2 * len(line) > ncols:
        first, rest = line[0], line[1:]
        joined = "　".join(f"{k}：{v}" for k, v in ([first] if first[1] else []) + rest)
        line = [(first[0], joined)]
    cells: list[tuple[str, int, bool]] = []
    spare = ncols - 2 * len(line)
    for i, (label, value) in enumerate(line):
        share = spare // len(line) + (1 if i < spare % len(line) else 0)
        cells += [(label, 1, True), (value, 1 + share, False)]
    return cells


def body_spans(g: Grid) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """Merged body cells: {(row, col): (rowspan, colspan)} at each merge's first cell, and the set of
    cells it covers (not printed)."""
    spans, covered = {}, set()
    for r, c, rs, cs in g.merges:
        spans[(r, c)] = (rs, cs)
        covered.update((r + i, c + j) for i in range(rs) for j in range(cs) if (i, j) != (0, 0))
    return spans, covered


def perf_widths(t: PerfLayout) -> list[float]:
    """Relative column widths of a performance table (4 columns in the short form, 9 in the long)."""
    return PERF_WIDTHS[: len(t.head)] if len(t.head) < len(PERF_WIDTHS) else PERF_WIDTHS


def perf_merges(t: PerfLayout) -> tuple[dict[tuple[int, int], int], set[tuple[int, int]]]:
    """Merged 一级/二级 cells: {(row, col): rowspan} and the cells they cover."""
    spans, covered = {}, set()
    for r, c, rs in t.merges:
        spans[(r, c)] = rs
        covered.update((r + i, c) for i in range(1, rs))
    return spans, covered


# A line may not start with these marks, nor end with the opening ones (kinsoku).
_NO_LINE_START = set("）)〕】」』》，。、；：！？%")
_NO_LINE_END = set("（(〔【「『《")


def balanced_lines(text: str, width_em: float) -> list[str]:
    """A header label in lines of about equal width, when it needs more than one line in ``width_em``.

    Left to fill each line first, a label wraps with a lone character on its last line (一般公共预/算,
    功能分类科目编/码); printed headers break it evenly (一般公共/预算). Labels with spaces (财 政
    拨 款) or that fit are left as they are, and so is one no even split fits (the renderer wraps it)."""
    need = text_em(text)
    if width_em <= 0 or need <= width_em or " " in text.strip():
        return [text]
    widths = [text_em(ch) for ch in text]
    ends = [sum(widths[: i + 1]) for i in range(len(text))]  # em at the end of each character
    allowed = [i for i in range(len(text) - 1)
               if text[i + 1] not in _NO_LINE_START and text[i] not in _NO_LINE_END]
    first = math.ceil(need / width_em - 0.01)
    for lines in range(first, first + 3):
        cuts, prev = [], -1
        for k in range(1, lines):
            goal = need * k / lines
            options = [i for i in allowed if i > prev]
            if not options:
                break
            prev = min(options, key=lambda i: abs(ends[i] - goal))
            cuts.append(prev)
        bounds = [-1, *cuts, len(text) - 1]
        chunks = [text[a + 1: b + 1] for a, b in zip(bounds, bounds[1:])]
        if len(chunks) == lines and all(c and text_em(c) <= width_em + 0.01 for c in chunks):
            return chunks
    return [text]


def cell_lines(text: str, col_pt: list[float], col: int, span: int, size_pt: float, pad_pt: float) -> list[str]:
    """``balanced_lines`` for a label in the cell spanning columns ``col``…``col+span-1`` (widths in
    points) at ``size_pt``, less the cell's own left and right padding ``pad_pt`` (once per cell)."""
    return balanced_lines(text, (sum(col_pt[col:col + span]) - pad_pt) / size_pt)


# Page geometry shared by HTML/PDF (points; A4 with 15 mm side margins).
MM = 72 / 25.4
PAGE_MARGIN_MM = 15
USABLE_PT = {"portrait": (210 - 2 * PAGE_MARGIN_MM) * MM, "landscape": (297 - 2 * PAGE_MARGIN_MM) * MM}
CELL_PAD_EM = 0.6  # left+right padding of a cell, in em


def font_size(widths: list[float], landscape: bool, largest: float = 10.5, smallest: float = 6.5) -> float:
    """The largest body font (pt) at which the columns fit the usable page width."""
    avail = USABLE_PT["landscape" if landscape else "portrait"] * 0.97
    need = sum(widths) + CELL_PAD_EM * len(widths)
    return round(max(smallest, min(largest, avail / need)), 2)
