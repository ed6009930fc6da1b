"""Tables whose rows are labelled by words, not codes: T1 部门收支总体情况表 and T4 财政拨款收支预算
总体情况表 (income on the left, expenditure by function 类 on the right of the same printed row),
and T10 “三公”经费. Labels are matched to source keys by keywords, the ``其中`` lines by the group
they sit in (e.g. 一般公共预算拨款 under 二、上年结转结余 is ``s:carryover_general``)."""

from __future__ import annotations

import re

from yusuan.amounts import normalise_text
from yusuan.disclosure import Column, Row, Table
from yusuan.read.blocks import Grid, GridCell
from yusuan.read.tables import _Reader, _norm, parse_blank

_SUBTOTALS = {"s:fiscal", "s:current_year", "s:carryover", "s:general_budget", "s:fund_budget", "s:capital_budget",
              "s:unit_funds", "s:carryover_fiscal", "s:carryover_nonfiscal"}

# (keywords all present, key) – checked in order; carry-over labels when inside 上年结转结余.
_CURRENT = [
    (("本年收入",), "s:current_year"),
    # final accounts (决算) name the three budgets' 财政拨款 one by one, and what else funds the year
    (("一般公共预算财政拨款",), "s:general_budget"),
    (("政府性基金预算财政拨款",), "s:fund_budget"),
    (("国有资本经营预算财政拨款",), "s:capital_budget"),
    (("非财政拨款结余",), "nonfiscal_balance_used"),
    (("年初结转",), "s:carryover"),
    (("财政拨款收入",), "s:fiscal"),
    (("上年结转",), "s:carryover"),
    (("财政拨款结转",), "s:carryover_fiscal"),
    (("财政拨款",), "s:fiscal"),  # 一、财政拨款 / 财政拨款（补助）: one row for the three budgets
    (("上级", "一般公共预算"), "s:general_transfer"),
    (("上级", "政府性基金"), "s:fund_transfer"),
    (("上级", "国有资本"), "s:capital_transfer"),
    (("一般财力",), "s:general"),
    (("一般公共预算",), "s:general_budget"),
    (("政府性基金收入",), "s:fund"),
    (("基金预算",), "s:fund_budget"),
    (("政府性基金",), "s:fund_budget"),
    (("国有资本经营收入",), "s:capital"),
    (("国有资本经营预算",), "s:capital_budget"),
    (("财政专户",), "s:special_account"),
    (("单位资金",), "s:unit_funds"),
    (("事业收入",), "s:business"),
    (("上级补助",), "s:superior_subsidy"),
    (("附属单位",), "s:affiliated"),
    (("经营收入",), "s:operating"),
    (("其他收入",), "s:other"),
    (("收入总计",), "income_total"),
    (("总计",), "income_total"),
]
_CARRYOVER = [
    (("非财政拨款",), "s:carryover_nonfiscal"),
    (("财政拨款结转",), "s:carryover_fiscal"),
    (("一般公共预算",), "s:carryover_general"),
    (("基金",), "s:carryover_fund"),
    (("国有资本",), "s:carryover_capital"),
    (("财政专户",), "s:carryover_special_account"),
    (("单位资金",), "s:carryover_unit"),
    (("收入总计",), "income_total"),
    (("总计",), "income_total"),
]
_FISCAL = [
    (("本年收入",), "s:fiscal"),
    (("结转",), "s:carryover_fiscal"),
    (("一般公共预算财政拨款",), "s:general_budget"),
    (("政府性基金预算财政拨款",), "s:fund_budget"),
    (("国有资本经营预算财政拨款",), "s:capital_budget"),
    (("财政拨款",), "s:fiscal"),
    (("一般公共预算",), "s:general_budget"),
    (("政府性基金",), "s:fund_budget"),
    (("国有资本",), "s:capital_budget"),
    (("总计",), "income_total"),
]
_SANGONG = [
    (("购置及运行",), "sangong:vehicle"),
    (("购置",), "sangong:vehicle_purchase"),
    (("运行",), "sangong:vehicle_operation"),
    (("出国",), "sangong:abroad"),
    (("接待",), "sangong:reception"),
    (("合计",), "sangong:total"),
    (("总计",), "sangong:total"),
]
# Expenditure-side rows of the final accounts that are not function classes.
_EXPENDITURE_ROWS = [(("本年支出合计",), "expenditure_current_year", "subtotal"), (("结余分配",), "balance_distribution", "item"),
                     (("年末", "结转"), "carryover_end", "item")]
_FUNCTION_LABEL = re.compile(r"^(\d{3})\s*(.*)$", re.S)


def _match(label: str, table: list) -> str | None:
    norm = normalise_text(label)
    for words, key in table:
        if all(w in norm for w in words):
            return key
    return None


def _is_number(cell: GridCell) -> bool:
    return parse_blank(cell.text) or re.fullmatch(r"[+-]?[\d,.]+", _norm(cell)) is not None


def _function_row(reader: _Reader, cell: GridCell, values: list[GridCell], columns, index: int) -> Row | None:
    label = cell.text.strip()
    norm = _norm(cell)
    if not norm:
        if any(not parse_blank(v.text) for v in values):
            reader.warn("R.ROW.UNRECOGNISED", "支出栏有金额但没有功能分类名称", cell, index)
        return None
    special = next(((key, role) for words, key, role in _EXPENDITURE_ROWS if all(w in norm for w in words)), None)
    if special:
        row = Row(key=special[0], name=label, role=special[1], side="expenditure", location=reader.loc(cell, index))
    elif "总计" in norm or "合计" in norm:
        row = Row(key="expenditure_total", name=label, role="total", side="expenditure", location=reader.loc(cell, index))
    else:
        m = _FUNCTION_LABEL.match(label.replace("\u3000", " ").strip())
        if m:
            code, name = m.group(1), m.group(2).strip()
        else:  # "一、一般公共服务支出": a class printed by name, numbered with a numeral
            name = re.sub(r"^[一二三四五六七八九十]+[、.]\s*", "", label.strip())
            code = class_code(name)
            if code is None:
                reader.warn("R.ROW.UNRECOGNISED", f"无法识别的支出功能分类“{label}”", cell, index)
                return None
        row = Row(key=f"f:{code}", code=code, name=name, level="类", side="expenditure", location=reader.loc(cell, index))
    for i, (key, col_label) in enumerate(columns):
        row.cells[key] = reader.amount(values[i] if i < len(values) else None, index, col_label)
    return row


def class_code(name: str) -> str | None:
    """The 类 code of a function class printed by name only (the catalogue's names; a name cut
    short by a narrow column still matches its start)."""
    from yusuan import catalog

    norm = normalise_text(name)
    if not norm:
        return None
    classes = [(code, normalise_text(e.name)) for code, e in _function_catalog().entries.items() if len(code) == 3]
    for code, cname in classes:
        if cname == norm:
            return code
    starts = [code for code, cname in classes if len(norm) >= 4 and (cname.startswith(norm) or norm.startswith(cname))]
    return starts[0] if len(starts) == 1 else None


def _function_catalog():
    from yusuan import catalog

    return catalog.load("function", 2023)


def _income_row(reader: _Reader, cell: GridCell, value: GridCell | None, key: str, index: int) -> Row:
    role = "total" if key == "income_total" else "subtotal" if key in _SUBTOTALS else "item"
    row = Row(key=key, name=cell.text.strip(), role=role, side="income", location=reader.loc(cell, index))  # type: ignore[arg-type]
    row.cells["amount"] = reader.amount(value, index, "金额")
    return row


def _side_positions(header: list[list[GridCell]]) -> tuple[int, int, int, int]:
    """Columns of (income label, income amount, function, function amount) from a header row that
    prints 预算数 twice (a PDF may add empty columns); the plain four columns otherwise."""
    for row in header:
        texts = [_norm(c) for c in row]
        amounts = [j for j, t in enumerate(texts) if t in ("预算数", "决算数", "金额", "合计")]
        if len(amounts) >= 2:
            a1, a2 = amounts[0], amounts[1]
            labels = [j for j in range(a1 + 1, a2) if texts[j]]
            function = labels[0] if labels else a1 + 1
            return 0, a1, function, a2
    return 0, 1, 2, 3


def _printed_amount_label(header: list[list[GridCell]], default: str) -> str:
    """The income side's amount column as printed: 决算数 in final accounts."""
    texts = {_norm(c) for row in header for c in row}
    return "决算数" if "决算数" in texts else default


def _data_start(grid: Grid, words: tuple[str, ...]) -> int:
    """First row whose first cell carries one of ``words`` (tried in order of preference)."""
    for w in words:
        for i, row in enumerate(grid.rows):
            if row and w in _norm(row[0]):
                return i
    return len(grid.rows)


def read_income_expenditure(grid: Grid, title: str, number: str = "", unit: str = "万元"):
    """T1: [income label, amount, function 类, amount] per printed row."""
    table = Table(kind="income_expenditure", number=number, title=title.strip(), unit=unit,  # type: ignore[arg-type]
                  columns=[Column(key="amount", label="预算数")], location=grid.location)
    reader = _Reader(table, grid)
    income, expenditure = [], []
    in_carryover = False
    start = _data_start(grid, ("一、", "本年收入"))
    pos = _side_positions(grid.rows[:start])
    table.columns[0].label = _printed_amount_label(grid.rows[:start], "预算数")
    for i, cells in enumerate(grid.rows[start:], start=1):
        cells = list(cells) + [GridCell("")] * (max(pos) + 1 - len(cells))
        label, amount, function, fvalue = (cells[p] for p in pos)
        cells = [c for j, c in enumerate(cells) if j not in pos and j < max(pos)] + cells[max(pos) + 1:]
        cells = [GridCell("")] * 4 + cells  # what is left over is checked for stray figures below
        if _norm(label):
            if "上年结转" in _norm(label) and _norm(label).startswith("二"):
                in_carryover = True
            key = _match(label.text, _CARRYOVER if in_carryover and not _norm(label).startswith("二") else _CURRENT)
            if key is None:
                reader.warn("R.ROW.UNRECOGNISED", f"无法识别的收入项目“{label.text.strip()}”", label, i)
            elif key in {r.key for r in income}:
                reader.warn("R.ROW.DUPLICATE", f"收入项目“{label.text.strip()}”重复出现", label, i)
            else:
                income.append(_income_row(reader, label, amount, key, i))
        elif not parse_blank(amount.text):
            reader.warn("R.ROW.UNRECOGNISED", "收入栏有金额但没有项目名称", amount, i)
        row = _function_row(reader, function, [fvalue], [("amount", "预算数")], i)
        if row is not None:
            expenditure.append(row)
        extra = [c for c in cells[4:] if not parse_blank(c.text)]
        if extra:
            reader.warn("R.TABLE.EXTRA_CELLS", f"该行多出非空单元格“{extra[0].text.strip()}”，未读取", extra[0], i)
    table.rows = income + expenditure
    return table, reader.findings


_BUDGET_COLUMNS = [(("一般公共预算",), "s:general_budget"), (("政府性基金",), "s:fund_budget"),
                   (("国有资本",), "s:capital_budget"), (("合计",), "total"), (("小计",), "total"),
                   (("财政拨款",), "total"),
                   (("预算数",), "total"), (("决算数",), "total"), (("金额",), "total")]


def printed_budget_columns(labels: list[str], default: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The budget columns a header prints (合计 | 一般公共预算 | 政府性基金 | 国有资本经营预算, or only
    some of them), in printed order; ``default`` when a label is not one of them. A column the table
    does not print stays absent, not zero."""
    out: list[tuple[str, str]] = []
    for label in labels:
        key = _match(label, _BUDGET_COLUMNS) if label else None
        if key is None or key in {k for k, _ in out}:
            return default
        out.append((key, label))
    return out or default


def read_fiscal_income_expenditure(grid: Grid, title: str, number: str = "", unit: str = "万元"):
    """T4: [income label, amount, function 类, total, general, fund, capital] per printed row (or the
    budget columns the header prints)."""
    columns = [("total", "合计"), ("s:general_budget", "一般公共预算"), ("s:fund_budget", "政府性基金预算"),
               ("s:capital_budget", "国有资本经营预算")]
    start = _data_start(grid, ("一、", "本年收入", "财政拨款(补助)"))
    for row in grid.rows[:start]:  # the header row that labels the function column (功能分类 / 项目)
        texts = [_norm(c) for c in row]
        if len(texts) >= 4 and texts[2] and _match(texts[2], _BUDGET_COLUMNS) is None:
            columns = printed_budget_columns(texts[3:], columns)
    table = Table(kind="fiscal_income_expenditure", number=number, title=title.strip(), unit=unit,  # type: ignore[arg-type]
                  columns=[Column(key="amount", label="合计")] + [Column(key=k, label=l) for k, l in columns],
                  location=grid.location)
    reader = _Reader(table, grid)
    income, expenditure = [], []
    table.columns[0].label = _printed_amount_label(grid.rows[:start], "合计")
    in_carryover = False
    for i, cells in enumerate(grid.rows[start:], start=1):
        cells = list(cells) + [GridCell("")] * (7 - len(cells))
        label, amount, function = cells[0], cells[1], cells[2]
        if _norm(label):
            # the budgets listed under 年初财政拨款结转和结余 are carry-over (s:carryover_general …)
            key = _match(label.text, _CARRYOVER if in_carryover else _FISCAL)
            in_carryover = in_carryover or key == "s:carryover_fiscal"
            if key is None:
                reader.warn("R.ROW.UNRECOGNISED", f"无法识别的收入项目“{label.text.strip()}”", label, i)
            elif key in {r.key for r in income}:
                reader.warn("R.ROW.DUPLICATE", f"收入项目“{label.text.strip()}”重复出现", label, i)
            else:
                income.append(_income_row(reader, label, amount, key, i))
        elif not parse_blank(amount.text):
            reader.warn("R.ROW.UNRECOGNISED", "收入栏有金额但没有项目名称", amount, i)
        row = _function_row(reader, function, cells[3:3 + len(columns)], columns, i)
        if row is not None:
            expenditure.append(row)
        extra = [c for c in cells[3 + len(columns):] if not parse_blank(c.text)]
        if extra:
            reader.warn("R.TABLE.EXTRA_CELLS", f"该行多出非空单元格“{extra[0].text.strip()}”，未读取", extra[0], i)
    table.rows = income + expenditure
    return table, reader.findings


def read_sangong(grid: Grid, title: str, number: str = "", unit: str = "万元"):
    """T10: one row per 三公 item; the label may take more than one cell (“公务用车购置及运行费”“（小计）”)."""
    columns = [("total", "合计"), ("s:general_budget", "一般公共预算"), ("s:fund_budget", "政府性基金"),
               ("s:capital_budget", "国有资本经营预算")]
    pairs = next((i for i, row in enumerate(grid.rows)
                  if row and all(_norm(c) in ("预算数", "决算数") for c in row)), None)
    start = _data_start(grid, ("合计", "总计", "因公出国"))
    header = [[_norm(c) for c in row] for row in grid.rows[:start] if any(_norm(c) for c in row)]
    if pairs is None and header:
        # the lowest header row names the columns; an empty cell there sits under a label merged down
        lower, upper = header[-1], header[-2] if len(header) > 1 else []
        labels = [lower[j] or (upper[j] if j < len(upper) else "") for j in range(1, len(lower))]
        if labels and set(labels) == {"预算数", "决算数"}:
            # a final account's 三公 table with one row per item: 预算数 | 决算数 (docs/disclosure-keys.md)
            columns = [("budget" if label == "预算数" else "actual", label) for label in labels]
        else:
            columns = printed_budget_columns(labels, columns)
    table = Table(kind="sangong", number=number, title=title.strip(), unit=unit,  # type: ignore[arg-type]
                  columns=[Column(key=k, label=l) for k, l in columns], location=grid.location)
    reader = _Reader(table, grid)
    if pairs is not None:
        return _read_sangong_columnar(table, reader, grid, pairs)
    for i, cells in enumerate(grid.rows[start:], start=1):
        labels = []
        while len(labels) < len(cells) and not _is_number(cells[len(labels)]):
            labels.append(cells[len(labels)])
        label_text = "".join(c.text.replace("\n", "").strip() for c in labels)
        if not normalise_text(label_text):
            if not all(parse_blank(c.text) for c in cells):
                reader.warn("R.ROW.UNRECOGNISED", "“三公”经费表中有金额但没有项目名称", cells[0], i)
            continue
        key = _match(label_text, _SANGONG)
        if key is None and normalise_text(label_text) == "小计":
            key = "sangong:vehicle"  # the one 三公 item with parts: a bare 小计 row is 公务用车购置及运行费's
        if key is None or table.row(key) is not None:
            reader.warn("R.ROW.UNRECOGNISED", f"无法识别的“三公”经费项目“{label_text}”", cells[0], i)
            continue
        role = "total" if key == "sangong:total" else "subtotal" if key == "sangong:vehicle" else "item"
        row = Row(key=key, name=label_text, role=role, location=reader.loc(cells[0], i))  # type: ignore[arg-type]
        values = cells[len(labels):]
        for j, (ckey, clabel) in enumerate(columns):
            row.cells[ckey] = reader.amount(values[j] if j < len(values) else None, i, clabel)
        table.rows.append(row)
    return table, reader.findings


def _labels_under_merged(rows: list[list[GridCell]], items: int) -> list[GridCell] | None:
    """Word and HTML print a label merged down two header rows once, and leave an empty cell under it
    (合计 | 因公出国（境）费 | 公务用车购置及运行费 | 公务接待费 over ∅ | ∅ | 小计 | 购置费 | 运行费 | ∅): the item
    labels are the lower row with each empty cell taken from the upper row's label in turn, a label
    that is not merged down standing over the run of filled cells below it. None when the rows do not
    fit together so."""
    lower_at = next((i for i in range(len(rows) - 1, 0, -1) if len(rows[i]) == items), None)
    if lower_at is None:
        return None
    lower, upper = rows[lower_at], [c for c in rows[lower_at - 1] if _norm(c)]
    labels, i, j = [], 0, 0
    while i < len(upper) and j < len(lower):
        if not _norm(lower[j]):
            labels.append(upper[i])
            j += 1
        else:
            while j < len(lower) and _norm(lower[j]):
                labels.append(lower[j])
                j += 1
        i += 1
    return labels if i == len(upper) and j == len(lower) and len(labels) == items else None


def _read_sangong_columnar(table: Table, reader: _Reader, grid: Grid, pairs: int):
    """Final accounts: one column per item (合计 | 因公出国（境）费 | 小计 | 购置费 | 运行费 | 公务接待费),
    each split into 预算数 | 决算数, and one row of figures below. The item labels are the lowest header
    row with one non-empty cell per item (a PDF grid repeats labels merged down several rows)."""
    kinds = [_norm(c) for c in grid.rows[pairs]]
    items = len(kinds) // 2
    header = [row for row in grid.rows[:pairs] if len(row) == items and all(_norm(c) for c in row)]
    if not header:
        merged = _labels_under_merged(grid.rows[:pairs], items)
        header = [merged] if merged else []
    table.columns = [Column(key="budget", label="预算数"), Column(key="actual", label="决算数")]
    if not header or len(kinds) % 2:
        reader.warn("R.TABLE.HEADER", "“三公”经费表的表头无法对应到各项目，未读取", grid.rows[pairs][0], None)
        return table, reader.findings
    data = [row for row in grid.rows[pairs + 1:] if not all(parse_blank(c.text) for c in row)]
    values = data[0] if data else [GridCell("", c.location) for c in grid.rows[pairs]]
    for extra in data[1:]:
        reader.warn("R.ROW.UNRECOGNISED", "“三公”经费表中多出一行金额，未读取", extra[0], 2)
    for j, cell in enumerate(header[-1]):
        label = _norm(cell)
        key = "sangong:vehicle" if label == "小计" else _match(label, _SANGONG)
        if key is None or table.row(key) is not None:
            reader.warn("R.TABLE.HEADER", f"无法识别的“三公”经费项目“{cell.text.strip()}”，该列金额未读取", cell, 1)
            continue
        role = "total" if key == "sangong:total" else "subtotal" if key == "sangong:vehicle" else "item"
        row = Row(key=key, name=cell.text.strip(), role=role, location=reader.loc(cell, 1))  # type: ignore[arg-type]
        for k, column in enumerate(table.columns):
            position = 2 * j + (k if kinds[2 * j + k] == ("预算数", "决算数")[k] else 1 - k)
            row.cells[column.key] = reader.amount(values[position] if position < len(values) else None, 1, column.label)
        table.rows.append(row)
    return table, reader.findings


_SANGONG_OPERATING = [(("机关运行",), "operating_costs"), (("小计",), "sangong:vehicle")] + _SANGONG


def read_sangong_operating(grid: Grid, title: str, number: str = "", unit: str = "万元"):
    """(Shanghai) “三公”经费和机关运行经费预算表: printed either as one row of figures under a header
    (合计 | 因公出国(境)费 | 公务接待费 | 小计 | 购置费 | 运行费 | 机关运行经费) or one item per row.
    Either way the result has one row per item (``sangong:*``, ``operating_costs``) with ``amount``."""
    table = Table(kind="sangong_operating", number=number, title=title.strip(), unit=unit,  # type: ignore[arg-type]
                  columns=[Column(key="amount", label="预算数")], location=grid.location)
    reader = _Reader(table, grid)
    figures = [i for i, row in enumerate(grid.rows)
               if sum(1 for c in row if _norm(c) and _is_number(c)) >= 3 and all(_is_number(c) for c in row)]
    if figures:  # columnar: labels are the header texts above each column
        data = grid.rows[figures[0]]
        header = grid.rows[: figures[0]]
        for j, cell in enumerate(data):
            parts = [_norm(h[j]) for h in header if j < len(h) and _norm(h[j])]
            label = "".join(parts)
            # the lowest header cell names the column ("运行费" under "公务用车购置及运行费")
            key = (_match(parts[-1], _SANGONG_OPERATING) if parts else None) or (_match(label, _SANGONG_OPERATING) if label else None)
            if parts and key == _match(parts[-1], _SANGONG_OPERATING):
                label = parts[-1]
            if key is None:
                if not parse_blank(cell.text):
                    reader.warn("R.TABLE.HEADER", f"第{j + 1}列的表头“{label}”无法识别，该列金额未读取", cell, 1)
                continue
            if table.row(key) is not None:
                continue
            role = "total" if key == "sangong:total" else "subtotal" if key == "sangong:vehicle" else "item"
            row = Row(key=key, name=label, role=role, location=reader.loc(cell, 1))  # type: ignore[arg-type]
            row.cells["amount"] = reader.amount(cell, 1, label)
            table.rows.append(row)
        return table, reader.findings
    for i, cells in enumerate(grid.rows, start=1):  # one item per row
        labels = [c for c in cells if not _is_number(c)]
        values = [c for c in cells if _is_number(c)]
        label = "".join(c.text.replace("\n", "").strip() for c in labels)
        key = _match(label, _SANGONG_OPERATING) if label else None
        if key is None or table.row(key) is not None:
            if values and any(not parse_blank(v.text) for v in values):
                reader.warn("R.ROW.UNRECOGNISED", f"无法识别的项目“{label}”", cells[0], i)
            continue
        row = Row(key=key, name=label, role="total" if key == "sangong:total" else "item", location=reader.loc(cells[0], i))
        row.cells["amount"] = reader.amount(values[0] if values else None, i, "预算数")
        table.rows.append(row)
    return table, reader.findings
