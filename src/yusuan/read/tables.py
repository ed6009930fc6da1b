"""Recognising the ten disclosure tables from a grid of cell texts (shared by every format).

Input is a ``Grid`` (rows of cell strings with locations) plus the title printed above it; output
is a ``yusuan.disclosure.Table`` keyed per docs/disclosure-keys.md, and reading findings (``R.*``)
for whatever could not be read. Nothing here knows about files.

Columns follow the national template's order for each kind; the header is checked for the
expected labels in that order, and a header that does not match is reported (R.TABLE.HEADER)
rather than silently mapped. Codes may be printed split over 类/款/项 cells or joined in one cell.
"""

from __future__ import annotations

import re
from decimal import Decimal

from yusuan.amounts import AmountError, normalise_text, parse_amount
from yusuan.disclosure import Cell, Column, Location, Row, Table
from yusuan.findings import Finding
from yusuan.read.blocks import Grid, GridCell

# Title keywords → kind; the first match wins, so the more specific come first.
_TITLES: list[tuple[str, tuple[str, ...]]] = [
    ("sangong_operating", ("三公", "机关运行经费")),
    ("sangong", ("三公",)),
    # final accounts (决算, read as 预算): the fund and capital tables also name 财政拨款收入支出
    ("fund_expenditure", ("政府性基金预算财政拨款",)),
    ("capital_expenditure", ("国有资本经营预算财政拨款",)),
    ("general_basic", ("一般公共预算财政拨款基本支出",)),
    ("general_expenditure", ("一般公共预算财政拨款支出",)),
    ("fiscal_income_expenditure", ("财政拨款收入支出预算总表",)),
    ("income_expenditure", ("收入支出预算总表",)),
    ("fiscal_income_expenditure", ("财政拨款收支",)),
    ("income_expenditure", ("收支总体情况表",)),
    ("income_expenditure", ("收支预算总表",)),
    ("income", ("收入总体情况表",)),
    ("income", ("收入预算总表",)),
    ("expenditure", ("支出总体情况表",)),
    ("expenditure", ("支出预算总表",)),
    ("general_basic", ("一般公共预算基本支出",)),
    ("general_project", ("一般公共预算项目支出",)),
    ("general_expenditure", ("一般公共预算支出情况表",)),
    ("general_expenditure", ("一般公共预算支出功能分类",)),
    ("fund_expenditure", ("政府性基金预算支出",)),
    ("capital_expenditure", ("国有资本经营预算支出",)),
    ("fiscal_expenditure", ("财政拨款支出预算表",)),
    ("income", ("收入预算表",)),
    ("expenditure", ("支出预算表",)),
]

# (key, printed label, header keyword that must appear, in order)
_SOURCE_COLUMNS = [
    ("total", "总计", "总计"),
    ("s:fiscal", "财政拨款（补助）小计", "小计"),
    ("s:general", "一般公共预算", "一般公共预算"),
    ("s:general_transfer", "上级一般公共预算安排的转移支付", "上级一般公共预算"),
    ("s:fund", "政府性基金预算", "政府性基金预算"),
    ("s:fund_transfer", "上级政府性基金安排的转移支付", "上级政府性基金"),
    ("s:capital", "国有资本经营预算", "国有资本经营预算"),
    ("s:capital_transfer", "上级国有资本经营预算安排的转移支付", "上级国有资本经营预算"),
    ("s:special_account", "财政专户", "财政专户"),
    ("s:unit_funds", "单位资金", "单位资金"),
    ("s:carryover_fiscal", "财政拨款结转", "财政拨款结转"),
    ("s:carryover_nonfiscal", "非财政拨款结转结余", "非财政拨款结转"),
]
_BASIC_PROJECT = [("total", "合计", "合计"), ("basic", "基本支出", "基本支出"), ("project", "项目支出", "项目支出")]
_PERSONNEL_PUBLIC = [("total", "合计", "合计"), ("personnel", "人员经费", "人员经费"), ("public", "公用经费", "公用经费")]
_ECONOMIC_CLASSES = [
    ("e:301", "工资福利支出"), ("e:302", "商品和服务支出"), ("e:303", "对个人和家庭的补助"),
    ("e:307", "债务利息及费用支出"), ("e:309", "资本性支出（基本建设）"), ("e:310", "资本性支出"),
    ("e:311", "对企业补助（基本建设）"), ("e:312", "对企业补助"), ("e:313", "对社会保障基金补助"),
    ("e:399", "其他支出"),
]
_PROJECT_COLUMNS = [("total", "项目支出合计", "合计")] + [(k, label, label) for k, label in _ECONOMIC_CLASSES]
_SANGONG_COLUMNS = [("total", "合计", "合计"), ("s:general_budget", "一般公共预算", "一般公共预算"),
                    ("s:fund_budget", "政府性基金", "政府性基金"), ("s:capital_budget", "国有资本经营预算", "国有资本")]
_FISCAL_EXP_COLUMNS = [("total", "合计", "合计"), ("s:general_budget", "一般公共预算", "一般公共预算"),
                       ("s:fund_budget", "政府性基金预算", "政府性基金"), ("s:capital_budget", "国有资本经营预算", "国有资本")]

# Final accounts' fund / state-capital tables (政府性基金预算财政拨款收入支出决算表 …)
_FINAL_FUND_COLUMNS = [("carryover_start", "年初结转和结余", "年初结转"), ("income_current", "本年收入", "本年收入"),
                       ("total", "本年支出小计", "本年支出"), ("basic", "基本支出", "基本支出"),
                       ("project", "项目支出", "项目支出"), ("carryover_end", "年末结转和结余", "年末结转")]
_HEADER_WORDS = {"合计", "小计", "基本支出", "项目支出", "类", "款", "项", "科目名称"}

FUNCTION_TABLE_COLUMNS = {
    "income": _SOURCE_COLUMNS,
    "expenditure": _BASIC_PROJECT,
    "general_expenditure": _BASIC_PROJECT,
    "fund_expenditure": _BASIC_PROJECT,
    "capital_expenditure": _BASIC_PROJECT,
    "fiscal_expenditure": _BASIC_PROJECT,
}

_TOTAL_WORDS = {"合计", "总计"}
_CODE3 = re.compile(r"^\d{3}$")
_CODE2 = re.compile(r"^\d{2}$")
_CODE_JOINED = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?!\d)\s*(.*)$", re.S)


# A printed table number before (or on the line above) its title: 表1, 表一, 附表1, 表1-2, 1. / 1、
_NUMERAL_1_99 = r"(?:[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])(?!般)"  # not 一般…
TABLE_NUMBER = re.compile(
    r"^\s*(附?\s*表\s*(?:\d{1,2}(?=\d{4}年|\D|$)(?:\s*-\s*\d+)?|" + _NUMERAL_1_99 + ")"
    r"|\d{1,2}(?:\s*-\s*\d+)?[.、．](?:(?!\d)|(?=\d{4}年)))\s*")


def split_number(text: str) -> tuple[str, str]:
    """(printed table number without spaces, the rest) of a title line; ('', text) when it has none."""
    m = TABLE_NUMBER.match(text)
    if not m:
        return "", text
    return re.sub(r"\s+", "", m.group(1)).replace("．", "."), text[m.end():]


def recognise_title(text: str) -> str | None:
    """The table kind a printed title names, or None."""
    for line in text.splitlines() or [text]:
        # final accounts print the same tables as 决算; their layout is the budget's
        norm = normalise_text(split_number(line)[1]).replace("决算", "预算")
        norm = re.sub(r"^续表?|[(（]续(表)?[)）]$", "", norm)  # the title repeated over a continuation
        if not norm.endswith("表") or len(norm) > 40:
            continue
        for kind, words in _TITLES:
            if all(w in norm for w in words):
                return kind
    return None


def reading_finding(rule: str, message: str, location: Location | None, severity: str = "warning",
                    subject: str | None = None, stated: str | None = None) -> Finding:
    return Finding(rule=rule, severity=severity, category="reading", message=message, location=location,
                   subject=subject, stated=stated)


class _Reader:
    """Shared state while reading one grid: the table being filled and its findings."""

    def __init__(self, table: Table, grid: Grid):
        self.table = table
        self.grid = grid
        self.findings: list[Finding] = []

    def loc(self, cell: GridCell | None, row: int | None = None, column: str | None = None) -> Location:
        base = cell.location if cell is not None and cell.location is not None else Location()
        return base.model_copy(update={"table": self.table.label, "row": row, "column": column})

    def amount(self, cell: GridCell | None, row: int, column: str) -> Cell:
        text = cell.text if cell is not None else ""
        loc = self.loc(cell, row, column)
        try:
            value = parse_amount(text)
        except AmountError:
            self.findings.append(reading_finding(
                "R.NUMBER.UNPARSABLE", f"“{text.strip()}”不是可识别的金额，按空白处理", loc, stated=text.strip()))
            value = None
        return Cell(text=text.strip(), value=value, location=loc)

    def warn(self, rule: str, message: str, cell: GridCell | None, row: int | None = None) -> None:
        self.findings.append(reading_finding(rule, message, self.loc(cell, row)))

    def unrecognised(self, cells: list[GridCell], row: int) -> None:
        """A row no parser understood: reported with its text, never dropped silently."""
        text = " ".join(c.text.strip() for c in cells)[:40]
        self.warn("R.ROW.UNRECOGNISED", f"无法识别的行：“{text}”", cells[0], row)


def _norm(cell: GridCell | str) -> str:
    return normalise_text(cell.text if isinstance(cell, GridCell) else cell)


def _blank(cells: list[GridCell]) -> bool:
    return all(parse_blank(c.text) for c in cells)


def parse_blank(text: str) -> bool:
    return normalise_text(text) in {"", "-", "—", "--", "/", "－"}


def placeholder_row(cells: list[GridCell]) -> bool:
    """A template's “… …” row (rows left out of a specimen table): nothing to read, nothing wrong."""
    texts = [_norm(c) for c in cells]
    return any(texts) and all(re.fullmatch(r"[…．.。]*", t) for t in texts)


def _header_rows(grid: Grid, is_data) -> int:
    """Number of rows before the first data row."""
    for i, row in enumerate(grid.rows):
        if is_data(row):
            return i
    return len(grid.rows)


def _header_before_codes(grid: Grid) -> list[list[GridCell]]:
    """Rows before the first one that starts with a classification code (to see how codes are laid out)."""
    return grid.rows[: _header_rows(grid, lambda r: bool(r) and re.match(r"^\d{3}", _norm(r[0])) is not None)]


def _check_header(reader: _Reader, header: list[list[GridCell]], columns) -> None:
    text = "".join(_norm(c) for row in header for c in row)
    for key, label, keyword in columns:
        if normalise_text(keyword) not in text:
            first = header[0][0] if header and header[0] else None
            reader.warn("R.TABLE.HEADER", f"表头中没有找到“{keyword}”列，按标准格式的列序读取", first)
            return


def _printed_columns(header: list[list[GridCell]], columns, widths: list[int]):
    """The layout's fixed ``columns`` as far as this table prints them. A column whose keyword the header
    does not hold is left out, but only when the data rows are exactly as wide as the columns that are left
    (a header that merely words a column differently keeps the standard column order): a column the
    publisher did not print is unknown, and the values after it are not shifted into it."""
    cells = {_norm(c) for row in header for c in row} - {""}
    labels = {normalise_text(label): key for key, label, _ in columns} | {normalise_text(w): k for k, _, w in columns}

    def printed(key: str, label: str, keyword: str) -> bool:
        # a cell that is exactly another column's label (资本性支出（基本建设） beside 资本性支出) is that column's
        word = normalise_text(keyword)
        return any(c in (normalise_text(label), word) or (word in c and labels.get(c, key) == key) for c in cells)

    present = [c for c in columns if printed(*c)]
    if not present or len(present) == len(columns) or not widths or max(widths) != len(present):
        return columns
    return present


def _split_layout(header: list[list[GridCell]]) -> bool:
    """Codes printed in separate 类/款(/项) cells (the header has a 类 cell and a 款 cell)."""
    texts = {_norm(c) for row in header for c in row}
    return "类" in texts and "款" in texts


def _function_code(row: list[GridCell], split: bool, levels: int = 3):
    """(code, name, rest) for a classification row, ('total', name, rest) for 合计, None otherwise."""
    if not row:
        return None
    if split:
        n = levels
        parts = [_norm(c) for c in row[:n]]
        name_cell = row[n] if len(row) > n else GridCell("")
        if parts and _CODE3.match(parts[0]) and all(p == "" or _CODE2.match(p) for p in parts[1:]):
            code = "".join(parts)
            if "" in parts[1:] and any(parts[parts.index("", 1):]):
                return None  # a 项 without its 款: not a classification row
            return code, name_cell.text.strip(), row[n + 1:]
        # final accounts print the header's 类/款/项 labels inside the 合计 row
        if all(p in ("", "类", "款", "项") for p in parts) and _norm(name_cell) in _TOTAL_WORDS:
            return "total", name_cell.text.strip(), row[n + 1:]
        if not any(parts) and not _norm(name_cell) and len(row) > n + 1 and _norm(row[n + 1]) in _TOTAL_WORDS:
            return "total", row[n + 1].text.strip(), [GridCell("")] + row[n + 2:]
        if _norm(row[0]) in _TOTAL_WORDS:
            return "total", row[0].text.strip(), row[1:]
        return None
    first = _norm(row[0])
    if first in _TOTAL_WORDS:
        return "total", row[0].text.strip(), row[1:]
    compact = first.replace(" ", "")
    m = _CODE_JOINED.match(row[0].text.strip().replace(" ", "")) if compact[:3].isdigit() else None
    if not m:
        return None
    code, name = m.group(1), m.group(2).strip()
    if name:
        return code, name, row[1:]
    return code, (row[1].text.strip() if len(row) > 1 else ""), row[2:]


def join_broken_rows(rows: list[list[GridCell]], parse, width: int) -> list[list[GridCell]]:
    """A printed row broken in two (page break): the second part has no code of its own and the two
    parts together have the row's full width."""
    out: list[list[GridCell]] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        parsed = parse(row)
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if parsed is not None and nxt and len(row) < width and parse(nxt) is None and not nxt[0].text.strip() \
                and len(row) + len(nxt) <= width:
            out.append(row + rows[i + 1])
            i += 2
            continue
        out.append(row)
        i += 1
    return out


def _level(code: str) -> str | None:
    return {3: "类", 5: "款", 7: "项"}.get(len(code))


def _fill_values(reader: _Reader, row: Row, cells: list[GridCell], columns, index: int) -> None:
    for i, (key, label, _kw) in enumerate(columns):
        cell = cells[i] if i < len(cells) else None
        row.cells[key] = reader.amount(cell, index, label)
    extra = [c for c in cells[len(columns):] if not parse_blank(c.text)]
    if extra:
        reader.warn("R.TABLE.EXTRA_CELLS", f"该行多出 {len(extra)} 个非空单元格（“{extra[0].text.strip()}”），未读取",
                    extra[0], index)


def _new_table(kind: str, title: str, number: str, unit: str, grid: Grid, columns) -> Table:
    return Table(kind=kind, number=number, title=title.strip(), unit=unit,  # type: ignore[arg-type]
                 columns=[Column(key=k, label=label) for k, label, _ in columns], location=grid.location)


# Printed column labels → keys, for headers whose rows line up with the data (checked in order).
_LABEL_KEYS = [
    # final accounts (决算): the fund/capital tables' 本年支出 小计, the carry-over and the unit-side columns
    (("年初结转",), "carryover_start"), (("年末结转",), "carryover_end"), (("本年收入合计",), "total"),
    (("本年支出合计",), "total"), (("本年收入",), "income_current"), (("上级补助",), "s:superior_subsidy"),
    (("附属单位上缴",), "s:affiliated"), (("上缴上级",), "remit_superior"), (("经营支出",), "operating_expense"),
    (("对附属单位补助",), "affiliated_subsidy"),
    (("上级", "一般公共预算"), "s:general_transfer"), (("上级", "政府性基金"), "s:fund_transfer"),
    (("上级", "国有资本"), "s:capital_transfer"), (("非财政拨款",), "s:carryover_nonfiscal"),
    (("财政拨款结转",), "s:carryover_fiscal"), (("上年结转",), "s:carryover"), (("小计",), "s:fiscal"),
    (("财政拨款",), "s:fiscal"), (("一般公共预算",), "s:general"), (("政府性基金",), "s:fund"),
    (("国有资本",), "s:capital"), (("财政专户",), "s:special_account"), (("单位资金",), "s:unit_funds"),
    (("事业单位经营",), "s:operating"), (("经营收入",), "s:operating"), (("事业收入",), "s:business"),
    (("其他收入",), "s:other"), (("基本支出",), "basic"), (("项目支出",), "project"), (("人员经费",), "personnel"),
    (("公用经费",), "public"), (("合计",), "total"), (("总计",), "total"),
]


def columns_from_header(header: list[list[GridCell]], width: int, lead: int, subtotal: str | None = None):
    """Column (key, label, keyword) list read from header rows that line up with the data rows
    (every cell under its own label), or None when the header cannot say it unambiguously.
    ``subtotal``: the key a bare 小计 column stands for (本年支出 小计 in a final account's fund table)."""
    def key_of(label: str) -> str | None:
        if subtotal and label == "小计":
            return subtotal
        return next((k for words, k in _LABEL_KEYS if all(w in label for w in words)), None) if label else None

    aligned = [row for row in header if len(row) == width]
    found = _columns_aligned(aligned, width, lead, key_of) if aligned else None
    return found or _columns_under_groups(header, lead, key_of)


def _columns_under_groups(header: list[list[GridCell]], lead: int, key_of):
    """Columns of a two-row header printed with its merged cells collapsed (one cell per merged area,
    a vertically merged continuation left empty): each upper label either stands over an empty lower
    cell (a column of its own) or over the run of lower labels that follows (a group of columns)."""
    rows = [row for row in header if any(_norm(c) for c in row)]
    if len(rows) < 2:
        return None
    upper, lower = [_norm(c) for c in rows[-2]], [_norm(c) for c in rows[-1]]
    start = next((i for i, label in enumerate(upper) if key_of(label)), None)
    if start is None:
        return None
    values = upper[start:]
    below = (lower + [""] * lead)[lead:] + [""] * len(values)  # a reader may drop trailing empty cells
    out, seen, j = [], set(), 0
    for label in values:
        if not label:
            return None
        children = []
        while j < len(below) and below[j]:
            children.append(below[j])
            j += 1
        if not children:
            children, j = [""], j + 1
        for child in children:
            key = key_of(child) or key_of(label + child)
            if key is None or key in seen:
                return None
            seen.add(key)
            leaf = child if child and key_of(child) == key else label + child
            out.append((key, leaf, leaf))
    if any(below[j:]):
        return None
    return out or None


def _columns_aligned(aligned: list[list[GridCell]], width: int, lead: int, key_of):
    out, seen = [], set()

    for j in range(lead, width):
        parts = [_norm(row[j]) for row in aligned if _norm(row[j])]
        label = "".join(parts)
        # the lowest label names the column ("基本支出" under the group "一般公共预算支出"); a label
        # split over two rows ("事业单位"/"经营收入") is read whole
        key = (key_of(parts[-1]) if parts else None) or key_of(label)
        if key is None or key in seen:
            return None
        seen.add(key)
        leaf = parts[-1] if key_of(parts[-1]) == key else label
        out.append((key, leaf, leaf))
    return out or None


def read_function_table(kind: str, grid: Grid, title: str, number: str = "", unit: str = "万元"):
    columns = FUNCTION_TABLE_COLUMNS[kind]
    split = _split_layout(_header_before_codes(grid))
    start = _header_rows(grid, lambda r: _function_code(r, split) is not None)
    lead = 4 if split else 2
    if not split:  # the cells before the figures: 1 when code and name share a cell ("2080505 机关…")
        coded = next(((r, p) for r in grid.rows[start:] if (p := _function_code(r, split)) and p[0] != "total"), None)
        if coded is not None:
            lead = len(coded[0]) - len(coded[1][2])
    if start < len(grid.rows):
        header = grid.rows[:start]
        subtotal = "total" if kind in ("fund_expenditure", "capital_expenditure") else None
        # the first data row may be a 合计 row spanning the code and name cells: try the widest data row too
        # and a header whose 类/款/项 sit under one merged 科目编码 cell (two fewer cells than the data)
        widths = dict.fromkeys([len(grid.rows[start]), max(len(r) for r in grid.rows[start:])])
        tries = [(w, lead) for w in widths] + ([(w - 2, 2) for w in widths] if split else [])
        found = max((c for w, ld in tries if (c := columns_from_header(header, w, ld, subtotal))), key=len, default=None)
        if found is None and subtotal and "年初结转" in "".join(_norm(c) for r in header for c in r):
            found = _FINAL_FUND_COLUMNS  # 本年支出 split into 小计/基本支出/项目支出 below the header
        columns = found or columns
    table = _new_table(kind, title, number, unit, grid, columns)
    reader = _Reader(table, grid)
    # (a template prints 本年支出's sub-headers in its 合计 row: look there too)
    _check_header(reader, grid.rows[:start + (columns is _FINAL_FUND_COLUMNS)], columns)
    width = lead + len(columns)
    rows = join_broken_rows(grid.rows[start:], lambda r: _function_code(r, split), width)
    for i, cells in enumerate(rows, start=1):
        parsed = _function_code(cells, split)
        if parsed is None:
            if not _blank(cells) and not placeholder_row(cells):
                reader.unrecognised(cells, i)
            continue
        code, name, rest = parsed
        if code == "total":
            row = Row(key="total", name=name, role="total", location=reader.loc(cells[0], i))
            # a template prints the sub-headers (合计/基本支出/项目支出) inside its 合计 row
            rest = [GridCell("", c.location) if _norm(c) in _HEADER_WORDS else c for c in rest]
        else:
            row = Row(key=f"f:{code}", code=code, name=name, level=_level(code), location=reader.loc(cells[0], i))  # type: ignore[arg-type]
        _fill_values(reader, row, rest, columns, i)
        table.rows.append(row)
    return table, reader.findings


def read_basic_table(grid: Grid, title: str, number: str = "", unit: str = "万元"):
    """T6: economic 类/款 rows split into 人员经费 / 公用经费."""
    table = _new_table("general_basic", title, number, unit, grid, _PERSONNEL_PUBLIC)
    reader = _Reader(table, grid)

    def parse(cells: list[GridCell], split: bool):
        if not cells:
            return None
        if split:
            a, b = _norm(cells[0]), _norm(cells[1]) if len(cells) > 1 else ""
            if _CODE3.match(a) and (b == "" or _CODE2.match(b)):
                return a + b, cells[2].text.strip() if len(cells) > 2 else "", cells[3:]
            name = cells[2] if len(cells) > 2 else GridCell("")
            if not a and not b and _norm(name) in _TOTAL_WORDS:
                return "total", name.text.strip(), cells[3:]
        if _norm(cells[0]) in _TOTAL_WORDS:
            return "total", cells[0].text.strip(), cells[1:]
        m = re.match(r"^(\d{3}(?:\d{2})?)(?!\d)\s*(.*)$", cells[0].text.strip().replace(" ", ""), re.S)
        if m and not split:
            name = m.group(2) or (cells[1].text.strip() if len(cells) > 1 else "")
            return m.group(1), name, cells[1:] if m.group(2) else cells[2:]
        return None

    split = _split_layout(_header_before_codes(grid))
    start = _header_rows(grid, lambda r: parse(r, split) is not None)
    if _two_sided(grid.rows[:start]):
        return _read_basic_two_sided(table, reader, grid, start, parse, split)
    header_words = {_norm(c) for row in grid.rows[:start] for c in row}
    columns = _PERSONNEL_PUBLIC
    if "决算数" in header_words and not header_words & {"人员经费", "公用经费"}:
        columns = _ACTUAL  # one 决算数 column, economic rows one under the other (a composed Shanghai final account)
        table.columns = [Column(key="total", label="决算数")]
    else:
        widths = [len(p[2]) for r in grid.rows[start:] if (p := parse(r, split)) is not None]
        columns = _printed_columns(grid.rows[:start], columns, widths)
        table.columns = [Column(key=k, label=label) for k, label, _ in columns]
    _check_header(reader, grid.rows[:start], columns)
    for i, cells in enumerate(grid.rows[start:], start=1):
        parsed = parse(cells, split)
        if parsed is None:
            if not _blank(cells) and not placeholder_row(cells):
                reader.unrecognised(cells, i)
            continue
        code, name, rest = parsed
        if code == "total":
            row = Row(key="total", name=name, role="total", location=reader.loc(cells[0], i))
        else:
            row = Row(key=f"e:{code}", code=code, name=name, level="类" if len(code) == 3 else "款",
                      location=reader.loc(cells[0], i))
        _fill_values(reader, row, rest, columns, i)
        table.rows.append(row)
    return table, reader.findings


def read_project_table(grid: Grid, title: str, number: str = "", unit: str = "万元"):
    """T7: function 类/款 rows and one row per project under its 项 (key p:<项 code>:<project name>)."""
    columns = _PROJECT_COLUMNS
    table = _new_table("general_project", title, number, unit, grid, [("project_name", "项目名称", "项目名称")] + columns)
    reader = _Reader(table, grid)
    split = _split_layout(_header_before_codes(grid))
    start = _header_rows(grid, lambda r: _function_code(r, split) is not None)
    widths = [len(p[2]) - 1 for r in grid.rows[start:] if (p := _function_code(r, split)) is not None]
    columns = _printed_columns(grid.rows[:start], columns, widths)
    table.columns = [Column(key="project_name", label="项目名称")] + [Column(key=k, label=label) for k, label, _ in columns]
    _check_header(reader, grid.rows[:start], columns)
    for i, cells in enumerate(grid.rows[start:], start=1):
        parsed = _function_code(cells, split)
        if parsed is None:
            if not _blank(cells) and not placeholder_row(cells):
                reader.unrecognised(cells, i)
            continue
        code, name, rest = parsed
        project = rest[0] if rest else GridCell("")
        values = rest[1:]
        if code == "total" or (_norm(project) in _TOTAL_WORDS and not name):
            row = Row(key="total", name=project.text.strip() if not name else name, role="total", location=reader.loc(cells[0], i))
        elif len(code) == 7 and _norm(project):
            pname = re.sub(r"\s+", "", project.text.strip())
            row = Row(key=f"p:{code}:{pname}", code=code, name=name, level="项", location=reader.loc(cells[0], i))
            row.cells["project_name"] = Cell(text=project.text.strip(), location=reader.loc(project, i, "项目名称"))
        else:
            row = Row(key=f"f:{code}", code=code, name=name, level=_level(code), location=reader.loc(cells[0], i))  # type: ignore[arg-type]
        _fill_values(reader, row, values, columns, i)
        table.rows.append(row)
    return table, reader.findings


_ACTUAL = [("total", "决算数", "决算数")]


def _two_sided(header: list[list[GridCell]]) -> bool:
    """The final accounts' basic-spending table: personnel classes (301, 303) on the left, public
    ones (302, 310 …) on the right of the same printed row, each with one 决算数 column."""
    return any(sum(1 for c in row if _norm(c) == "决算数") == 2 for row in header)


def _read_basic_two_sided(table: Table, reader: _Reader, grid: Grid, start: int, parse, split: bool):
    """Rows ``e:<code>`` with ``total`` = the printed 决算数, 类 by 类 in code order;
    the two printed sums are rows ``personnel_total`` (人员经费合计) and ``public_total`` (公用经费合计)."""
    table.columns = [Column(key="total", label="决算数")]
    sides: tuple[list[Row], list[Row]] = ([], [])
    for i, cells in enumerate(grid.rows[start:], start=1):
        half = len(cells) // 2
        if len(cells) % 2:
            reader.warn("R.ROW.UNRECOGNISED", "左右两栏的单元格数不一致，该行未读取", cells[0], i)
            continue
        for side, part in enumerate((cells[:half], cells[half:])):
            if _blank(part):
                continue
            labels = [c for c in part if _norm(c) and not re.fullmatch(r"[\d,.-]+", _norm(c))]
            label = _norm(labels[0]) if labels else ""
            if label.endswith("合计") and label[:-2] in ("人员经费", "公用经费"):
                key = "personnel_total" if label.startswith("人员") else "public_total"
                row = Row(key=key, name=labels[0].text.strip(), role="total", location=reader.loc(labels[0], i))
                values = part[part.index(labels[0]) + 1:]
            else:
                parsed = parse(part, split)
                if parsed is None or parsed[0] == "total":
                    if not placeholder_row(part):
                        reader.unrecognised(part, i)
                    continue
                code, name, values = parsed
                row = Row(key=f"e:{code}", code=code, name=name, level="类" if len(code) == 3 else "款",
                          location=reader.loc(part[0], i))
            _fill_values(reader, row, values, _ACTUAL, i)
            sides[side].append(row)
    # the halves are a printing device: order the 类 groups by code (each group keeps its printed order)
    groups: dict[str, list[Row]] = {}
    for row in [r for r in sides[0] + sides[1] if r.code]:
        groups.setdefault(row.code[:3], []).append(row)
    table.rows = [r for code in sorted(groups) for r in groups[code]] + [r for r in sides[0] + sides[1] if not r.code]
    return table, reader.findings
