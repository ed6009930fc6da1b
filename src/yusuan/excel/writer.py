"""Write a package (or a blank template) as an input workbook laid out by ``layout``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from yusuan import catalog
from yusuan.errors import InputError, InputProblem
from yusuan.excel import layout as L
from yusuan.excel.cells import AMOUNT_FORMAT, amount_out
from yusuan.model import BudgetPackage
from yusuan.model.sources import GROUP_LABELS, SOURCE_GROUPS, Source, label_of

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_KV_FILL = PatternFill("solid", fgColor="F2F2F2")
_BOLD = Font(bold=True)
_EXCEL_CELL_LIMIT = 32767  # characters; Excel truncates or refuses longer text
_TEMPLATE_ROWS = 500  # rows that carry drop-down lists beyond the last filled one


def write_template(path: str | Path, year: int, stage: str = "budget") -> Path:
    """A blank input workbook for ``year`` (drop-down lists from that year's catalogues); ``stage="final"``
    gives the final-account (部门决算) workbook."""
    if stage == "final":
        return _save(_build_final(None, year), Path(path))
    return _save(_build(None, year), Path(path))


def write_workbook(package: BudgetPackage, path: str | Path) -> Path:
    """The package in the input layout; ``read_workbook`` gives back an identical package. A final account
    (``FinalAccount``) is written in the final-account layout (``final_layout``)."""
    from yusuan.model.final import FinalAccount

    if isinstance(package, FinalAccount):
        return _save(_build_final(package, package.unit.budget_year), Path(path))
    return _save(_build(package, package.unit.budget_year), Path(path))


def _save(wb: Workbook, path: Path) -> Path:
    part = path.with_name(f".{path.name}.part")
    try:
        wb.save(part)
        part.replace(path)  # atomic: a failed write never leaves half a workbook at ``path``
    except OSError as exc:
        raise InputError(str(path), [InputProblem(str(path), f"无法写入：{exc.strerror or exc}")]) from None
    finally:
        part.unlink(missing_ok=True)
    return path


class _Lists:
    """The hidden 目录 sheet: one column per drop-down list."""

    def __init__(self, ws: Worksheet, year: int, given=None):
        self.ws = ws
        self.ranges: dict[str, str] = {}
        functions = catalog.load("function", year)
        economic = catalog.load("economic", year)
        self.function_names = {c: e.name for c, e in functions.entries.items()}
        self.economic_names = {c: e.name for c, e in economic.entries.items()}
        # names the package gives (``class_names``) are shown beside codes; the lists keep the catalogue's
        self.given = {"function": dict(given.function), "economic": dict(given.economic)} if given else {"function": {}, "economic": {}}
        ws["A1"] = f"下拉列表来源（{year}年度科目目录：功能分类 {functions.edition}，经济分类 {economic.edition}），请勿修改"
        self._add("function", "功能分类科目（项）", [f"{c} {n}" for c, n in self.function_names.items() if len(c) == 7])
        self._add("economic", "经济分类科目（款）", [f"{c} {n}" for c, n in self.economic_names.items() if len(c) == 5])
        self._add("economic_any", "经济分类科目（类、款）", [f"{c} {n}" for c, n in self.economic_names.items()])
        for name, labels in L.CHOICES.items():
            self._add(f"choice:{name}" if name != "source" else "source", name, list(labels.values()))
        self._add("subject", "上年数科目键", subject_keys())

    def _add(self, kind: str, title: str, values: list[str]) -> None:
        col = len(self.ranges) + 1
        letter = get_column_letter(col)
        self.ws.cell(2, col, title).font = _BOLD
        for i, value in enumerate(values, start=3):
            self.ws.cell(i, col, value)
        self.ws.column_dimensions[letter].width = 30
        last = max(3, len(values) + 2)
        self.ranges[kind] = f"'{L.CATALOG}'!${letter}$3:${letter}${last}"

    def code_text(self, kind: str, code: str) -> str:
        names = self.function_names if kind == "function" else self.economic_names
        name = self.given[kind].get(code) or names.get(code)
        return f"{code} {name}" if name else code


def subject_keys() -> list[str]:
    keys = ["total", *(f"income:{g}" for g in SOURCE_GROUPS if g != "all"), *(f"income:{s.value}" for s in Source)]
    keys += ["expenditure:basic", "expenditure:project", "general:basic", "general:project", "general:total"]
    keys += [f"sangong:{k}" for k in ("total", *L.SANGONG_ITEMS)] + ["operating_costs"]
    return keys


def describe_subject(key: str, function_names: dict[str, str]) -> str:
    """A Chinese description of a last-year subject key (for the reader; never read back)."""
    kind, _, rest = key.partition(":")
    try:
        if key == "total":
            return "收支总预算"
        if key == "operating_costs":
            return "机关运行经费"
        if kind == "income":
            return f"收入：{label_of(rest)}"
        if kind == "expenditure":
            return {"basic": "支出：基本支出", "project": "支出：项目支出"}[rest]
        if kind == "general" and rest.startswith("function:"):
            code = rest.split(":", 1)[1]
            return f"一般公共预算：{code} {function_names.get(code, '')}".rstrip()
        if kind == "general":
            return f"一般公共预算：{ {'basic': '基本支出', 'project': '项目支出', 'total': '合计'}[rest] }"
        if kind == "sangong":
            return "“三公”经费：" + ({"total": "合计"} | L.SANGONG_ITEMS)[rest]
    except (KeyError, ValueError):
        pass
    return "（无法识别的科目键，可用形式见填写说明）"


# ------------------------------------------------------------------ building the workbook

def _build(package: BudgetPackage | None, year: int) -> Workbook:
    return _build_layout(package, year, L.SHEET_ORDER, L.KEY_VALUE_SHEETS, _instructions, table_rows)


def _build_final(account, year: int) -> Workbook:
    from yusuan.excel import final_layout as F

    return _build_layout(account, year, F.SHEET_ORDER, F.KEY_VALUE_SHEETS, _final_instructions, final_table_rows)


def _build_layout(package, year: int, sheet_order, key_value_sheets, instructions, rows_of) -> Workbook:
    """The workbook of one layout (budget or final account): the instructions sheet, every sheet of
    ``sheet_order`` filled from ``package`` (blank for a template) and the hidden lists of codes."""
    wb = Workbook()
    instructions(wb.active, year)
    sheets = {spec.name: wb.create_sheet(spec.name) for spec in sheet_order}
    lists = _Lists(wb.create_sheet(L.CATALOG), year, package.class_names if package else None)
    wb[L.CATALOG].sheet_state = "hidden"
    rows = rows_of(package, lists) if package else {}
    values = key_values(package, key_value_sheets) if package else {("unit", "budget_year"): year}
    for spec in sheet_order:
        ws = sheets[spec.name]
        if isinstance(spec, L.KeyValueSheet):
            _write_key_values(ws, spec, values, lists)
        else:
            _write_table(ws, spec, rows.get(spec.name, []), lists)
    return wb


def _write_instructions(ws: Worksheet, lines: list[tuple[str, bool]], sheets) -> None:
    """The instructions sheet: its (text, bold) lines, then one line per worksheet saying what it holds."""
    for i, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(i, 1, text)
        cell.font = Font(bold=bold, size=14 if i == 1 else 11)
    row = len(lines) + 1
    for spec in sheets:
        ws.cell(row, 1, f"{spec.name}：{spec.purpose}")
        row += 1
    ws.column_dimensions["A"].width = 150
    for r in range(1, row):
        ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")


def _final_instructions(ws: Worksheet, year: int) -> None:
    from yusuan.excel import final_layout as F

    ws.title = L.INSTRUCTIONS
    lines = [
        (f"部门决算公开录入工作簿（{year}年度）", True),
        ("", False),
        ("一、基本规则", True),
        ("1. 所有金额单位为万元，填数字，保留两位小数（计到元时最多四位小数）；不要填写负数。", False),
        ("2. 只填写明细（事实）。类级、款级金额，各类合计、小计，年末结转和结余，完成率、增减率一律不填，由系统根据明细推导："
         "年末结转和结余 = 年初结转和结余 + 本年收入 + 使用非财政拨款结余 − 本年支出 − 结余分配。", False),
        ("3. 年初预算数、全年预算数不知道时留空：留空表示未知（不印完成率），不是零。", False),
        ("4. 每张表第 1 行是中文表头，第 2 行（隐藏）是系统读取用的字段名，请勿删除或修改这两行；数据从第 3 行起填写，每条一行。", False),
        ("5. 不要改动工作表名称，也不要删除工作表；没有内容的表留空即可。", False),
        ("", False),
        ("二、科目编码与选项", True),
        ("1. 支出功能分类填 7 位项级科目编码（如 2010101），经济分类填 5 位款级科目编码（如 30201）；可从下拉列表选择“编码 名称”，也可只填编码。", False),
        (f"2. 下拉列表来自 {year} 年度科目目录（内置目录不完整）；列表中没有的科目请写成“编码 名称”，或在“科目名称”表中填写。", False),
        ("3. 资金来源、支出类型、“三公”经费项目、概况类别请从下拉列表中选择中文名称。", False),
        ("资金来源可选：" + "、".join(L.CHOICES["source"].values()), False),
        ("支出类型可选：" + "、".join(L.CHOICES["kind"].values()), False),
        ("", False),
        ("三、科目键", True),
        ("“差异原因”表：general:total 一般公共预算财政拨款支出合计；general:function:7位项级科目；fiscal:total 财政拨款支出；"
         "sangong:total “三公”经费合计。", False),
        ("“上年决算数及变动原因”表：total 收支总计；fiscal:total 财政拨款收支总计；sangong:total “三公”经费；operating_costs 机关运行经费；"
         "其余同部门预算（如 general:total）。", False),
        ("", False),
        ("四、各工作表", True),
    ]
    _write_instructions(ws, lines, F.SHEET_ORDER)


def _instructions(ws: Worksheet, year: int) -> None:
    ws.title = L.INSTRUCTIONS
    lines = [
        (f"部门预算公开录入工作簿（{year}年度）", True),
        ("", False),
        ("一、基本规则", True),
        ("1. 所有金额单位为万元，填数字，保留两位小数（计到元时最多四位小数）；不要填写负数。", False),
        ("2. 只填写明细（事实）。各类合计、小计、类级和款级金额、占比和增减率一律不填，由系统根据明细推导。", False),
        ("3. 每张表第 1 行是中文表头，第 2 行（隐藏）是系统读取用的字段名，请勿删除或修改这两行；数据从第 3 行起填写，每条一行，可在末尾续行。", False),
        ("4. 不要改动工作表名称，也不要删除工作表；没有内容的表留空即可。", False),
        ("", False),
        ("二、科目编码", True),
        ("1. 支出功能分类填 7 位项级科目编码（如 2200101），经济分类填 5 位款级科目编码（如 30201）；项目的经济分类可填 3 位类级或 5 位款级编码。", False),
        ("2. 可从下拉列表选择“编码 名称”，也可只填编码；目录已收录的科目，公开文本印出目录中的名称。", False),
        (f"3. 下拉列表来自 {year} 年度科目目录（内置目录不完整）。列表中没有的科目也可以填写：请写成“编码 名称”（如“2050101 行政运行”），"
         "或在“科目名称”表中填写（类、款级科目的名称也在那里填写），公开文本即印出该名称；没有名称的科目校验时会提示。编码位数不对则无法读取。", False),
        ("", False),
        ("三、资金来源与其他选项", True),
        ("资金来源、公开类别、“三公”经费项目、表格样式、概况类别请从下拉列表中选择中文名称。", False),
        ("资金来源可选：" + "、".join(L.CHOICES["source"].values()), False),
        ("", False),
        ("四、项目与绩效目标表", True),
        ("“项目”表每个项目一行；其资金来源、经济分类和资金分配分别填在后面三张表中，用项目名称关联。项目金额由资金来源相加，不另填。", False),
        ("“绩效目标表”每张表一行，用表号（1、2、3……）与“绩效指标”“绩效目标表附加字段”关联。指标值原样填写（如 =7个、>=90%）；以“=”开头时请先输入英文单引号，如 '=7个。", False),
        ("", False),
        ("五、上年数的科目键", True),
        ("total 收支总预算；income:来源或来源组（如 income:general、income:fiscal）；expenditure:basic / expenditure:project；", False),
        ("general:basic / general:project / general:total；general:function:7位功能科目；sangong:total / abroad / vehicle_purchase / vehicle_operation / reception；operating_costs 机关运行经费。", False),
        ("可用的来源组：" + "、".join(f"{k}（{v}）" for k, v in GROUP_LABELS.items() if k != "all"), False),
        ("", False),
        ("六、各工作表", True),
    ]
    _write_instructions(ws, lines, L.SHEET_ORDER)


def _put(ws: Worksheet, row: int, col: int, kind: str, value: object, lists: _Lists) -> None:
    cell = ws.cell(row, col)
    if value is None:
        if kind in ("amount", "decimal"):
            cell.number_format = AMOUNT_FORMAT
        return
    if kind in ("amount", "decimal"):
        cell.value, cell.number_format = amount_out(value)  # type: ignore[arg-type]
        return
    if kind == "date" and isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return
    if kind in ("function", "economic", "economic_any"):
        value = lists.code_text("function" if kind == "function" else "economic", str(value))
    elif kind == "source":
        value = L.CHOICES["source"][Source(value).value]
    elif kind.startswith("choice:"):
        value = L.CHOICES[kind.split(":", 1)[1]][str(value)]
    if isinstance(value, str) and len(value) > _EXCEL_CELL_LIMIT:
        raise InputError(ws.title, [InputProblem(f"工作表“{ws.title}” 第{row}行", f"文字长 {len(value)} 字，超过 Excel 单元格上限 {_EXCEL_CELL_LIMIT} 字，请分段")])
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text such as "=7个" stays text, never a formula
        cell.number_format = "@"


def _validation(ws: Worksheet, kind: str, ref: str, lists: _Lists) -> None:
    if kind == "project":
        formula = f"'{L.PROJECTS.name}'!$A${L.FIRST_DATA_ROW}:$A$5000"
    elif kind in lists.ranges:
        formula = lists.ranges[kind]
    else:
        return
    strict = kind == "source" or kind.startswith("choice:")
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
    dv.errorStyle = "stop" if strict else "warning"  # codes outside the (partial) catalogue stay allowed
    dv.errorTitle = "请从列表中选择"
    dv.error = "该值不在下拉列表中。" + ("" if strict else "目录不完整时可以保留，校验时会提示。")
    dv.add(ref)
    ws.add_data_validation(dv)


def _write_table(ws: Worksheet, spec: L.TableSheet, rows: list[dict], lists: _Lists) -> None:
    last = L.FIRST_DATA_ROW + len(rows) + _TEMPLATE_ROWS
    for col, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(col)
        head = ws.cell(L.HEADER_ROW, col, column.label)
        head.font, head.fill = _BOLD, _HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center")
        head.comment = Comment(f"字段：{column.key}" + (f"\n{column.note}" if column.note else ""), "yusuan")
        ws.cell(L.KEY_ROW, col, column.key)
        ws.column_dimensions[letter].width = column.width
        ws.column_dimensions[letter].hidden = column.hidden
        if column.kind in ("amount", "decimal"):
            ws.column_dimensions[letter].number_format = AMOUNT_FORMAT  # rows typed in later
        elif column.kind != "int":
            ws.column_dimensions[letter].number_format = "@"  # codes typed in stay text
        _validation(ws, column.kind, f"{letter}{L.FIRST_DATA_ROW}:{letter}{last}", lists)
        for r, row in enumerate(rows, start=L.FIRST_DATA_ROW):
            _put(ws, r, col, column.kind, row.get(column.key), lists)
    ws.row_dimensions[L.KEY_ROW].hidden = True
    ws.row_dimensions[L.HEADER_ROW].height = 30
    ws.freeze_panes = ws.cell(L.FIRST_DATA_ROW, 1)


def _write_key_values(ws: Worksheet, spec: L.KeyValueSheet, values: dict, lists: _Lists) -> None:
    for col, (title, width) in enumerate((("项目", 36), ("内容", 40), ("填写说明", 50), ("字段", 30)), start=1):
        head = ws.cell(1, col, title)
        head.font, head.fill = _BOLD, _HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions["D"].hidden = True
    for r, fld in enumerate(spec.fields, start=2):
        ws.cell(r, 1, fld.label).fill = _KV_FILL
        ws.cell(r, 3, fld.help)
        ws.cell(r, 4, ".".join(fld.path))
        _put(ws, r, 2, fld.kind, values.get(fld.path), lists)
        _validation(ws, fld.kind, f"B{r}", lists)
    ws.freeze_panes = "B2"


# ------------------------------------------------------------------ the package as rows

def key_values(package: BudgetPackage, sheets=None) -> dict[tuple[str, ...], object]:
    data = package.model_dump(mode="python")
    out: dict[tuple[str, ...], object] = {}
    for spec in sheets or L.KEY_VALUE_SHEETS:
        for fld in spec.fields:
            value: object = data
            for part in fld.path:
                value = value.get(part) if isinstance(value, dict) else None
            out[fld.path] = value
    return out


def _project_row(project) -> dict:
    """A project's row of the 项目 sheet: its own fields, the transfer in its two cells."""
    row = project.model_dump(exclude={"funding", "economic", "allocation", "transfer"})
    if project.transfer is not None:
        row["transfer_kind"], row["transfer_unit"] = project.transfer.kind, project.transfer.unit
    return row


def table_rows(package: BudgetPackage, lists: _Lists) -> dict[str, list[dict]]:
    p = package
    rows: dict[str, list[dict]] = {
        L.OVERVIEW.name: _overview_rows(p.overview),
        L.BASIC.name: [line.model_dump() for line in p.basic],
        L.BASIC_ECONOMIC.name: [line.model_dump() for line in p.basic_economic],
        L.PROJECTS.name: [_project_row(proj) for proj in p.projects],
        L.PROJECT_FUNDING.name: [{"project": x.name, **f.model_dump()} for x in p.projects for f in x.funding],
        L.PROJECT_ECONOMIC.name: [{"project": x.name, **e.model_dump()} for x in p.projects for e in x.economic],
        L.PROJECT_ALLOCATION.name: [{"project": x.name, **a.model_dump()} for x in p.projects for a in x.allocation],
        L.SANGONG.name: [line.model_dump() for line in p.sangong],
        L.VEHICLES.name: [v.model_dump() for v in p.assets.vehicles] if p.assets else [],
        L.LAST_YEAR.name: [
            {"subject": k, "label": describe_subject(k, lists.function_names), **v.model_dump()} for k, v in p.last_year.items()
        ],
        L.GLOSSARY.name: [g.model_dump() for g in p.glossary],
        L.CLASS_NAMES.name: _class_name_rows(p.class_names),
        L.NOTES.name: [{"key": k, "text": v} for k, v in p.notes.items()],
        L.PERFORMANCE.name: [
            {"table": n, **t.model_dump(exclude={"indicators", "extra"})} for n, t in enumerate(p.performance, start=1)
        ],
        L.PERFORMANCE_EXTRA.name: [
            {"table": n, "key": k, "value": v} for n, t in enumerate(p.performance, start=1) for k, v in t.extra.items()
        ],
        L.INDICATORS.name: [
            _indicator_row(n, i) for n, t in enumerate(p.performance, start=1) for i in t.indicators
        ],
    }
    return rows


def _class_name_rows(class_names) -> list[dict]:
    return [{"classification": kind, "code": code, "name": name}
            for kind, names in (("function", class_names.function), ("economic", class_names.economic))
            for code, name in names.items()]


def _overview_rows(ov) -> list[dict]:
    overview = [{"part": "functions", "text": t} for t in ov.functions]
    if ov.institutions:
        overview.append({"part": "institutions", "text": ov.institutions})
    overview += [{"part": "subordinate_units", "text": t} for t in ov.subordinate_units]
    overview += [{"part": "divisions", "text": t} for t in ov.divisions]
    return overview


def final_table_rows(account, lists: _Lists) -> dict[str, list[dict]]:
    """A final account's facts as the rows of the final-account workbook's table sheets."""
    from yusuan.excel import final_layout as F

    a = account
    return {
        L.OVERVIEW.name: _overview_rows(a.overview),
        F.INCOME.name: [line.model_dump() for line in a.income],
        F.SPENDING.name: [line.model_dump() for line in a.spending],
        F.CARRYOVER.name: [line.model_dump() for line in a.carryover],
        L.BASIC_ECONOMIC.name: [line.model_dump() for line in a.basic_economic],
        L.CLASS_NAMES.name: _class_name_rows(a.class_names),
        F.SANGONG.name: [line.model_dump() for line in a.sangong],
        L.VEHICLES.name: [v.model_dump() for v in a.assets.vehicles] if a.assets else [],
        F.REASONS.name: [{"subject": k, "label": F.describe_reason(k, lists.function_names), "reason": v}
                         for k, v in a.reasons.items()],
        F.LAST_YEAR.name: [{"subject": k, "label": describe_subject(k, lists.function_names)
                            if k != "fiscal:total" else "财政拨款收支总计", **v.model_dump()} for k, v in a.last_year.items()],
        F.PERFORMANCE_RESULTS.name: [r.model_dump() for r in a.performance_results],
        L.GLOSSARY.name: [g.model_dump() for g in a.glossary],
        L.NOTES.name: [{"key": k, "text": v} for k, v in a.notes.items()],
    }


def _indicator_row(table: int, indicator) -> dict:
    # The target is entered as printed; the model derives its reading from the text alone.
    return {"table": table, **indicator.model_dump(exclude={"target"}), "target": indicator.target.text}
