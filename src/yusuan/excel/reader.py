"""Read an input workbook back into a ``BudgetPackage``.

Every value is read from a known cell, so every problem — a cell that cannot be read, or a fact the
model rejects — is reported with the file, sheet, row and column letter where it was typed.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from pydantic import ValidationError

from yusuan.errors import InputError, InputProblem, explain, json_path
from yusuan.excel import layout as L
from yusuan.excel.cells import CellError, amount_in, choice_in, code_and_name_in, code_in, date_in, int_in, text_in
from yusuan.model import BudgetPackage
from yusuan.model.origins import Origins, sheet_place
from yusuan.model.final import REASON_PATTERNS
from yusuan.model.package import SUBJECT_PATTERNS

_WHAT = {"source": "资金来源", "phase": "公开类别", "sangong": "“三公”经费项目", "format": "表格样式", "overview": "概况类别",
         "classification": "分类", "kind": "支出类型", "transfer": "转拨类型"}
Cell = tuple[str, int, str | None]  # sheet, row, column letter (None: the whole row)


def read_workbook(path: str | Path) -> BudgetPackage:
    """A budget workbook → ``BudgetPackage``; a final-account workbook (it has the sheet
    ``final_layout.MARKER``) → ``FinalAccount``."""
    from yusuan.excel import final_layout as F
    from yusuan.model.final import FinalAccount

    path = Path(path)
    wb = _open(path)
    final = F.MARKER in wb.sheetnames
    reader = _FinalReader(path, wb) if final else _Reader(path, wb)
    data = reader.read()
    if reader.problems:
        raise InputError(str(path), reader.problems)
    model = FinalAccount if final else BudgetPackage
    try:
        package = model.model_validate(data)
    except ValidationError as exc:
        raise InputError(str(path), [reader.locate(e) for e in exc.errors()]) from None
    return package.with_origins(reader.origins())  # type: ignore[return-value]


# The sheet of each top-level key: the place of a finding on a fact not typed anywhere (no economic lines at all).
_SHEET_OF = {
    "unit": L.UNIT, "operating_costs": L.UNIT, "overview": L.OVERVIEW, "basic": L.BASIC, "basic_economic": L.BASIC_ECONOMIC,
    "class_names": L.CLASS_NAMES, "projects": L.PROJECTS, "sangong": L.SANGONG, "procurement": L.PROCUREMENT,
    "assets": L.ASSETS, "last_year": L.LAST_YEAR, "glossary": L.GLOSSARY, "notes": L.NOTES, "performance": L.PERFORMANCE,
}


def _open(path: Path) -> Workbook:
    def fail(message: str) -> InputError:
        return InputError(str(path), [InputProblem(path.name, message)])

    if not path.is_file():
        raise fail("文件不存在")
    if not zipfile.is_zipfile(path):
        raise fail("不是有效的 Excel 工作簿（.xlsx）：文件可能已损坏、不完整，或是改了扩展名的其他文件")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        raise fail("不是有效的 Excel 工作簿（.xlsx）：文件可能已损坏、不完整，或是改了扩展名的其他文件") from None
    if "xl/workbook.xml" not in names:
        raise fail("不是 Excel 工作簿（.xlsx）：压缩包中没有工作簿内容")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            return load_workbook(path, data_only=True)
    except Exception:  # noqa: BLE001 - any parse failure of a damaged file is the same problem to the user
        raise fail("Excel 工作簿已损坏，无法打开（请用 Excel 打开后另存为 .xlsx 再试）") from None


class _Reader:
    def __init__(self, path: Path, wb: Workbook):
        self.path, self.wb = path, wb
        self.problems: list[InputProblem] = []
        self.cells: dict[tuple, Cell] = {}  # JSON path in the package data → where it was typed
        # names typed beside codes (“2050101 行政运行”): (classification, code, name, cell), in reading order
        self.typed_names: list[tuple[str, str, str, Cell]] = []

    # -------------------------------------------------------------- locations

    sheet_of = _SHEET_OF
    sheet_order = L.SHEET_ORDER

    def origins(self) -> Origins:
        cells = {(key,): (spec.name, None, None) for key, spec in self.sheet_of.items()}
        cells[("overview", "staffing")] = (L.STAFFING.name, None, None)
        cells.update(self.cells)
        return Origins(file=self.path.name, cells=cells)

    def where(self, sheet: str, row: int | None = None, col: str | None = None) -> str:
        return sheet_place(self.path.name, sheet, row, col)

    def problem(self, cell: Cell, message: str) -> None:
        self.problems.append(InputProblem(self.where(*cell), message))

    def locate(self, error: dict) -> InputProblem:
        loc = tuple(error["loc"])
        message = explain(error)
        if error["type"] == "too_short" and loc[-1:] == ("funding",):
            message = f"项目没有资金来源：请在工作表“{L.PROJECT_FUNDING.name}”中至少填写一行"
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.cells:
                return InputProblem(self.where(*self.cells[loc[:end]]), message)
        return InputProblem(f"{self.path.name}: {json_path(loc)}", message)

    # -------------------------------------------------------------- cells

    def convert(self, kind: str, cell, where: Cell):
        value = cell.value
        try:
            if kind in ("amount", "decimal"):
                return amount_in(value, cell.number_format)
            if kind == "int":
                return int_in(value)
            if kind in ("function", "economic", "economic_any"):
                code, name = code_and_name_in(value)
                lengths = {"function": (7,), "economic": (5,), "economic_any": (3, 5)}[kind]
                if code is not None and name is not None and code.isdigit() and len(code) in lengths:
                    self.typed_names.append(("function" if kind == "function" else "economic", code, name, where))
                return code
            if kind == "code":
                return code_in(value)
            if kind == "date":
                return date_in(value)
            if kind == "source" or kind.startswith("choice:"):
                name = "source" if kind == "source" else kind.split(":", 1)[1]
                return choice_in(value, L.CHOICES[name], _WHAT[name])
            return text_in(value)
        except CellError as exc:
            self.problem(where, str(exc))
            return None

    # -------------------------------------------------------------- sheets

    def read(self) -> dict:
        if not self.check_sheets():
            return {}
        data: dict = {}
        for spec in L.KEY_VALUE_SHEETS:
            self.key_values(spec, data)
        tables = {spec.name: self.table(spec) for spec in L.TABLE_SHEETS}
        self.overview(tables[L.OVERVIEW.name], data)
        self.plain_list(tables, L.BASIC, "basic", data)
        self.plain_list(tables, L.BASIC_ECONOMIC, "basic_economic", data)
        self.projects(tables, data)
        self.plain_list(tables, L.SANGONG, "sangong", data)
        self.vehicles(tables[L.VEHICLES.name], data)
        self.last_year(tables[L.LAST_YEAR.name], data)
        self.plain_list(tables, L.GLOSSARY, "glossary", data)
        self.notes(tables[L.NOTES.name], data)
        self.performance(tables, data)
        self.class_names(tables[L.CLASS_NAMES.name], data)
        return data

    def check_sheets(self) -> bool:
        """Whether every required sheet is there (each missing one is a problem)."""
        missing = [s.name for s in self.sheet_order if s.name not in self.wb.sheetnames and getattr(s, "required", True)]
        for name in missing:
            self.problems.append(InputProblem(
                self.path.name, f"缺少工作表“{name}”（请使用 yusuan template 生成的工作簿，不要删除或改名工作表）"
            ))
        return not missing

    def key_values(self, spec: L.KeyValueSheet, data: dict) -> None:
        ws = self.wb[spec.name]
        rows: dict[str, int] = {}
        for r in range(2, ws.max_row + 1):
            key, label = text_in(ws.cell(r, 4).value), text_in(ws.cell(r, 1).value)
            for name in (key, label):
                if name:
                    rows.setdefault(name.strip(), r)
        found: list[tuple[L.Field_, object]] = []
        for fld in spec.fields:
            r = rows.get(".".join(fld.path)) or rows.get(fld.label)
            if r is None:
                self.problem((spec.name, None, None), f"缺少“{fld.label}”一行（A列为名称，B列填写内容）")
                continue
            where = (spec.name, r, "B")
            self.cells[fld.path] = where
            found.append((fld, self.convert(fld.kind, ws.cell(r, 2), where)))
        if spec.optional_group and all(v is None for _, v in found):
            return
        for fld, value in found:
            if value is not None:
                target = data
                for part in fld.path[:-1]:
                    target = target.setdefault(part, {})
                target[fld.path[-1]] = value

    def table(self, spec: L.TableSheet) -> list[tuple[int, dict, dict]]:
        """(row number, {key: value}, {key: column letter}) for each non-blank data row."""
        if spec.name not in self.wb.sheetnames:
            return []  # an optional sheet (``TableSheet.required``) the workbook predates
        ws = self.wb[spec.name]
        by_key = {text_in(ws.cell(L.KEY_ROW, c).value): c for c in range(1, ws.max_column + 1)}
        by_label = {text_in(ws.cell(L.HEADER_ROW, c).value): c for c in range(1, ws.max_column + 1)}
        columns: dict[str, int] = {}
        for column in spec.columns:
            c = by_key.get(column.key) or by_label.get(column.label)
            if c is not None and not column.info:
                columns[column.key] = c
            elif c is None and column.required and not column.info:
                self.problem((spec.name, L.HEADER_ROW, None), f"缺少列“{column.label}”（第2行字段名应为 {column.key}）")
        if any(c.required and not c.info and c.key not in columns for c in spec.columns):
            return []
        # Without the hidden key row (deleted by hand) the data starts right under the headers.
        keyed = any(column.key in by_key for column in spec.columns)
        out = []
        for r in range(L.FIRST_DATA_ROW if keyed else L.KEY_ROW, ws.max_row + 1):
            raw = {key: ws.cell(r, c) for key, c in columns.items()}
            if all(text_in(cell.value) is None for cell in raw.values()):
                continue
            letters = {key: get_column_letter(c) for key, c in columns.items()}
            values = {}
            for key, cell in raw.items():
                value = self.convert(spec.column(key).kind, cell, (spec.name, r, letters[key]))
                if value is not None:
                    values[key] = value
            out.append((r, values, letters))
        return out

    # -------------------------------------------------------------- assembling the package data

    def register(self, path: tuple, sheet: str, row: int, letters: dict) -> None:
        self.cells[path] = (sheet, row, None)
        for key, letter in letters.items():
            self.cells[path + (key,)] = (sheet, row, letter)

    def plain_list(self, tables, spec: L.TableSheet, key: str, data: dict) -> None:
        sheet, items = spec.name, []
        for r, values, letters in tables[sheet]:
            self.register((key, len(items)), sheet, r, letters)
            items.append(values)
        if items:
            data[key] = items

    def overview(self, rows, data: dict) -> None:
        overview = data.setdefault("overview", {})
        institutions: list[str] = []
        for r, values, letters in rows:
            part, text = values.get("part"), values.get("text")
            if part is None:
                self.problem((L.OVERVIEW.name, r, letters["part"]), "缺少类别（主要职能 / 机构设置 / 下属单位 / 内设科室）")
                continue
            if text is None:
                continue
            if part == "institutions":
                self.cells[("overview", "institutions")] = (L.OVERVIEW.name, r, letters["text"])
                institutions.append(text)
                continue
            items = overview.setdefault(part, [])
            self.cells[("overview", part, len(items))] = (L.OVERVIEW.name, r, letters["text"])
            items.append(text)
        if institutions:
            overview["institutions"] = "\n".join(institutions)
        if not overview:
            del data["overview"]

    def projects(self, tables, data: dict) -> None:
        projects: list[dict] = []
        index: dict[str, int] = {}
        for r, values, letters in tables[L.PROJECTS.name]:
            name = values.get("name")
            if name in index:
                self.problem((L.PROJECTS.name, r, letters["name"]), f"项目名称“{name}”重复（第{self._row_of(index[name])}行已有）")
                continue
            if name is not None:
                index[name] = len(projects)
            self.register(("projects", len(projects)), L.PROJECTS.name, r, letters)
            self._transfer(values, ("projects", len(projects)), r, letters)
            projects.append({**values, "funding": []})
        for spec, key in ((L.PROJECT_FUNDING, "funding"), (L.PROJECT_ECONOMIC, "economic"), (L.PROJECT_ALLOCATION, "allocation")):
            for r, values, letters in tables[spec.name]:
                name = values.pop("project", None)
                if name not in index:
                    shown = f"“{name}”不在" if name else "为空，应填写"
                    self.problem((spec.name, r, letters["project"]), f"项目名称{shown}工作表“{L.PROJECTS.name}”中的项目名称")
                    continue
                i = index[name]
                items = projects[i].setdefault(key, [])
                self.register(("projects", i, key, len(items)), spec.name, r, letters)
                items.append(values)
        if projects:
            data["projects"] = projects

    def _transfer(self, values: dict, path: tuple, r: int, letters: dict) -> None:
        """The two transfer cells of a project row into ``Project.transfer``; one without the other is named."""
        kind, unit = values.pop("transfer_kind", None), values.pop("transfer_unit", None)
        if kind is None and unit is None:
            return
        if kind is None or unit is None:
            missing = "transfer_kind" if kind is None else "transfer_unit"
            label = next(c.label for c in L.PROJECTS.columns if c.key == missing)
            self.problem((L.PROJECTS.name, r, letters[missing]), f"“转拨本部门其他单位”与“收款单位”应同时填写，此处缺“{label}”")
            return
        values["transfer"] = {"kind": kind, "unit": unit}
        for key, column in (("kind", "transfer_kind"), ("unit", "transfer_unit")):
            self.cells[path + ("transfer", key)] = (L.PROJECTS.name, r, letters[column])

    def _row_of(self, i: int) -> int:
        return self.cells[("projects", i)][1]

    def vehicles(self, rows, data: dict) -> None:
        if not rows:
            return
        assets = data.setdefault("assets", {})
        assets["vehicles"] = []
        for r, values, letters in rows:
            self.register(("assets", "vehicles", len(assets["vehicles"])), L.VEHICLES.name, r, letters)
            assets["vehicles"].append(values)

    def last_year(self, rows, data: dict, spec: L.TableSheet = L.LAST_YEAR, patterns=SUBJECT_PATTERNS,
                  key: str = "last_year", example: str = "total、income:general、general:function:2200101") -> None:
        items: dict[str, object] = {}
        for r, values, letters in rows:
            subject = values.pop("subject", None)
            where = (spec.name, r, letters["subject"])
            if subject is None:
                self.problem(where, f"缺少科目键（如 {example}）")
                continue
            subject = subject.strip()
            if not any(re.fullmatch(p, subject) for p in patterns):
                self.problem(where, f"科目键“{subject}”无法识别（可用形式：{'、'.join(patterns)}）")
                continue
            if subject in items:
                self.problem(where, f"科目键“{subject}”重复")
                continue
            if key == "reasons":  # one text per subject
                self.cells[(key, subject)] = (spec.name, r, letters.get("reason"))
                items[subject] = values.get("reason")
                continue
            self.register((key, subject), spec.name, r, letters)
            items[subject] = values
        if items:
            data[key] = items

    def notes(self, rows, data: dict) -> None:
        notes: dict[str, object] = {}
        for r, values, letters in rows:
            key = values.get("key")
            if key is None or key in notes:
                self.problem((L.NOTES.name, r, letters["key"]), f"说明的标识{'为空' if key is None else f'“{key}”重复'}")
                continue
            self.cells[("notes", key)] = (L.NOTES.name, r, letters["text"])
            notes[key] = values.get("text")
        if notes:
            data["notes"] = notes

    def performance(self, tables, data: dict) -> None:
        tables_by_number: dict[int, dict] = {}
        order: list[dict] = []
        for r, values, letters in tables[L.PERFORMANCE.name]:
            number = values.pop("table", None)
            where = (L.PERFORMANCE.name, r, letters["table"])
            if number is None or number in tables_by_number:
                self.problem(where, "缺少表号" if number is None else f"表号 {number} 重复")
                continue
            self.register(("performance", len(order)), L.PERFORMANCE.name, r, letters)
            values["indicators"] = []
            tables_by_number[number] = values
            order.append(values)
        position = {id(t): i for i, t in enumerate(order)}
        for spec in (L.PERFORMANCE_EXTRA, L.INDICATORS):
            for r, values, letters in tables[spec.name]:
                number = values.pop("table", None)
                table = tables_by_number.get(number) if number is not None else None
                if table is None:
                    shown = f"表号 {number} 在" if number is not None else "缺少表号，应填写"
                    self.problem((spec.name, r, letters["table"]), f"{shown}工作表“{L.PERFORMANCE.name}”中{'没有' if number is not None else '的表号'}")
                    continue
                i = position[id(table)]
                if spec is L.PERFORMANCE_EXTRA:
                    extra = table.setdefault("extra", {})
                    self.cells[("performance", i, "extra", values.get("key"))] = (spec.name, r, letters["value"])
                    extra[values.get("key")] = values.get("value")
                    continue
                self.register(("performance", i, "indicators", len(table["indicators"])), spec.name, r, letters)
                table["indicators"].append(values)
        if order:
            data["performance"] = order


    def class_names(self, rows, data: dict) -> None:
        """Names listed on the 科目名称 sheet, and names typed beside codes elsewhere that the catalogue of the
        budget year lacks or names otherwise (a name equal to the catalogue's is not kept: it adds nothing).
        Two different names for one code are an input error: which one should print is the user's call."""
        from yusuan import catalog
        from yusuan.catalog import normalise_name

        given: dict[tuple[str, str], tuple[str, Cell]] = {}

        def give(kind: str, code: str, name: str, where: Cell, listed: bool) -> None:
            if not listed:
                year = (data.get("unit") or {}).get("budget_year")
                known = catalog.load(kind, year).name(code) if isinstance(year, int) and 2000 <= year <= 2100 else None  # type: ignore[arg-type]
                if known is not None and normalise_name(known) == normalise_name(name):
                    return  # picked from the drop-down list: the catalogue's own name
            key = (kind, code)
            if key in given:
                before, at = given[key]
                if normalise_name(before) != normalise_name(name):
                    self.problem(where, f"科目 {code} 的名称“{name}”与{self.where(*at)}填写的“{before}”不一致，请统一为一个名称")
                return
            given[key] = (name, where)

        for r, values, letters in rows:
            kind, code, name = values.get("classification"), values.get("code"), values.get("name")
            if kind is None or code is None or name is None:
                missing = "分类" if kind is None else "科目编码" if code is None else "科目名称"
                column = {"分类": "classification", "科目编码": "code", "科目名称": "name"}[missing]
                self.problem((L.CLASS_NAMES.name, r, letters[column]), f"缺少{missing}（每行填写分类、科目编码和科目名称）")
                continue
            give(kind, code.strip(), name.strip(), (L.CLASS_NAMES.name, r, letters["code"]), True)
        for kind, code, name, where in self.typed_names:
            give(kind, code, name, where, False)
        out: dict[str, dict[str, str]] = {}
        for (kind, code), (name, where) in given.items():
            out.setdefault(kind, {})[code] = name
            self.cells[("class_names", kind, code)] = where
        if out:
            data["class_names"] = out


class _FinalReader(_Reader):
    """The final-account workbook (``final_layout``) → the data of a ``FinalAccount``."""

    from yusuan.excel import final_layout as _F

    sheet_order = _F.SHEET_ORDER
    sheet_of = {
        "unit": _F.UNIT, "overview": L.OVERVIEW, "income": _F.INCOME, "spending": _F.SPENDING, "carryover": _F.CARRYOVER,
        "nonfiscal_balance_used": _F.BALANCES, "special_reserve_drawn": _F.BALANCES, "other_distribution": _F.BALANCES,
        "basic_economic": L.BASIC_ECONOMIC, "class_names": L.CLASS_NAMES, "sangong": _F.SANGONG,
        "operating_costs": _F.OPERATING_COSTS, "procurement": _F.PROCUREMENT, "assets": L.ASSETS, "reasons": _F.REASONS,
        "last_year": _F.LAST_YEAR, "glossary": L.GLOSSARY, "notes": L.NOTES,
        "performance_results": _F.PERFORMANCE_RESULTS,
    }

    def read(self) -> dict:
        F = self._F
        if not self.check_sheets():
            return {}
        data: dict = {"account": "final"}
        for spec in F.KEY_VALUE_SHEETS:
            self.key_values(spec, data)
        unit = data.setdefault("unit", {})
        unit["phase"] = "final"
        unit.setdefault("profile", "final_common")
        tables = {spec.name: self.table(spec) for spec in F.TABLE_SHEETS}
        self.overview(tables[L.OVERVIEW.name], data)
        for spec, key in ((F.INCOME, "income"), (F.SPENDING, "spending"), (F.CARRYOVER, "carryover"),
                          (L.BASIC_ECONOMIC, "basic_economic"), (F.SANGONG, "sangong"), (L.GLOSSARY, "glossary"),
                          (F.PERFORMANCE_RESULTS, "performance_results")):
            self.plain_list(tables, spec, key, data)
        self.vehicles(tables[L.VEHICLES.name], data)
        self.last_year(tables[F.REASONS.name], data, F.REASONS, {p: d for p, d in REASON_PATTERNS.items()}, "reasons",
                       "general:total、general:function:2010101、sangong:total")
        self.last_year(tables[F.LAST_YEAR.name], data, F.LAST_YEAR, F.LAST_YEAR_PATTERNS, "last_year",
                       "total、fiscal:total、sangong:total、operating_costs")
        self.notes(tables[L.NOTES.name], data)
        self.class_names(tables[L.CLASS_NAMES.name], data)
        return data
