"""Catalogue rules (C.*): printed codes and names against the classification catalogue of the budget
year (``yusuan.catalog.load``).

The bundled catalogues are partial: an unknown code is then a warning that says so, never an error.
With an imported complete edition an unknown code is fatal: the rules are registered as fatal and
the engine softens their findings to warnings when the catalogue used was partial
(``soften_for_partial``).
"""

from __future__ import annotations

from typing import Iterator

from yusuan import catalog
from yusuan.disclosure import Row, Table
from yusuan.rules.registry import Context, Hit, rule
from yusuan.rules.tables_common import cell_location, code_of, coded, level_of, memo, printed_name_of, row_label

FUNCTION_TABLES = ("income_expenditure", "income", "expenditure", "fiscal_income_expenditure", "general_expenditure",
                   "general_project", "fund_expenditure", "capital_expenditure", "fiscal_expenditure")
ECONOMIC_TABLES = ("general_basic",)
PARTIAL_NOTE = "（内置目录为部分目录，未收录不一定有误；导入完整目录后可确认：yusuan catalog import）"


def load_catalog(ctx: Context, kind: str):
    """The budget year's catalogue, loaded once per check."""
    return catalog_for(ctx, kind, _year(ctx))


def catalog_for(ctx: Context, kind: str, year: int):
    """``catalog.load(kind, year)`` once per check: each load looks on disk for an imported edition and
    copies the bundled one. Shared by the rules, which only read it."""
    return memo(ctx, ("catalog", kind, year), lambda: catalog.load(kind, year))  # type: ignore[arg-type]


def _edition(cat) -> str:
    return f"内置部分目录（{cat.edition.split('-')[0]}版）" if cat.partial else f"{cat.edition}年目录"


def _year(ctx: Context) -> int:
    return ctx.disclosure.budget_year or 2023


def _heads(prefix: str) -> tuple[str, ...]:
    """The key prefixes of the rows a catalogue rule reads: a function table's project rows (p:) print a
    function code too."""
    return ("f:", "p:") if prefix == "f:" else (prefix,)


def _rows(ctx: Context, kinds: tuple[str, ...], prefix: str) -> tuple[tuple[Table, Row], ...]:
    """The coded rows of the given tables, listed once per check for the several rules reading them."""
    heads = _heads(prefix)
    return ctx.cached(("catalogue_rows", kinds, prefix), lambda: tuple(
        (table, row) for table in ctx.disclosure.tables if table.kind in kinds for row in table.rows
        if row.key.startswith(heads)))


def _names_match(ctx: Context, kind: str, cat, code: str, printed: str) -> bool | None:
    """``cat.names_match`` once per (code, printed name) per check: T1–T9 repeat the same rows."""
    return _match(_verdicts(ctx, kind), cat, code, printed)


def _verdicts(ctx: Context, kind: str) -> dict[tuple[str, str], bool | None]:
    """(code, printed name) → ``cat.names_match``: one dict per kind per check, fetched once by a walk of the rows."""
    return ctx.cached(("names_match", kind), dict)


_UNASKED = object()


def _match(verdicts: dict, cat, code: str, printed: str) -> bool | None:
    verdict = verdicts.get((code, printed), _UNASKED)
    if verdict is _UNASKED:
        verdict = verdicts[code, printed] = cat.names_match(code, printed)
    return verdict  # type: ignore[return-value]


def _unknown(kind: str, prefix: str, kinds: tuple[str, ...]):
    def check(ctx: Context) -> Iterator[Hit]:
        cat = load_catalog(ctx, kind)
        seen: set[str] = set()  # reported, or in the catalogue: each code is looked up once
        for table, row in _rows(ctx, kinds, prefix):
            code = code_of(row)
            if not code or code in seen:
                continue
            seen.add(code)
            if cat.get(code) is not None:
                continue
            what = "支出功能分类" if kind == "function" else "部门预算支出经济分类"
            note = PARTIAL_NOTE if cat.partial else ""
            inputs = {"目录": cat.edition, "部分目录": "是" if cat.partial else "否"}
            given = _given_name(ctx, kind, code)
            if cat.partial and ctx.package is not None and given is None and not row.name.strip():
                continue  # composed without a name: F.NAMES.MISSING reports it once, saying the catalogue lacks it
            if given is not None:
                inputs["录入名称"] = given
                note += f"，名称采用录入的“{given}”"
            yield Hit(message=f"{table.label}“{row_label(row)}”的科目编码 {code} 不在{_year(ctx)}年{what}目录中（{_edition(cat)}）{note}。",
                      location=cell_location(table, row, None), subject=row.key, stated=code, inputs=inputs)

    return check


def _given_name(ctx: Context, kind: str, code: str) -> str | None:
    """The name the facts give for ``code`` (``BudgetPackage.class_names``), when checking a composed package."""
    if ctx.package is None:
        return None
    return getattr(ctx.package.class_names, kind).get(code)


def _misnamed(ctx: Context, kind: str, prefix: str, kinds: tuple[str, ...]) -> tuple[tuple[Table, Row, str, str], ...]:
    """(table, row, code, printed name) of the coded rows whose printed name is not the catalogue's, in
    printed order; once per check: the 类 rule and the 款/项 rule below walk the same ~200 rows, and
    only these few are reported (each filters them by level)."""
    def build() -> tuple[tuple[Table, Row, str, str], ...]:
        cat = load_catalog(ctx, kind)
        verdicts = _verdicts(ctx, kind)
        out = []
        for table, row in _rows(ctx, kinds, prefix):
            if row.key.startswith("p:"):
                continue  # project rows print the project's 项 code; their name is checked as a 项 row would be
            code = code_of(row)
            printed = printed_name_of(ctx, row)
            if printed and _match(verdicts, cat, code, printed) is False and not renamed_only(ctx, cat, code, printed):
                out.append((table, row, code, printed))
        return tuple(out)

    return ctx.cached(("misnamed", kind, prefix, kinds), build)


def renamed_only(ctx: Context, cat, code: str, printed: str) -> bool:
    """The printed name is an earlier edition's name of this very class (医疗卫生与计划生育支出 for 210):
    W.CLASS.RENAMED reports it as an outdated name, once, naming the current one."""
    current = catalog.current_name(printed, _year(ctx))
    return current is not None and cat.names_match(code, current[0]) is True


def _names(kind: str, prefix: str, kinds: tuple[str, ...], levels: set[str] | None = None):
    def check(ctx: Context) -> Iterator[Hit]:
        cat = load_catalog(ctx, kind)
        for table, row, code, printed in _misnamed(ctx, kind, prefix, kinds):
            if levels is not None and level_of(row) not in levels:
                continue
            yield Hit(message=f"{table.label}科目 {code} 印为“{printed}”，{_edition(cat)}中的名称为“{cat.name(code)}”。",
                      location=cell_location(table, row, None), subject=row.key, stated=printed, expected=cat.name(code))

    return check


def _project_item_names(ctx: Context) -> Iterator[Hit]:
    cat = load_catalog(ctx, "function")
    table = ctx.table("general_project")
    if table is None:
        return
    for row in table.rows_where("p:"):
        code = code_of(row)
        printed = printed_name_of(ctx, row)
        if printed and _names_match(ctx, "function", cat, code, printed) is False and not renamed_only(ctx, cat, code, printed):
            yield Hit(message=f"{table.label}项目“{row.key.split(':', 2)[-1]}”的科目 {code} 印为“{printed}”，"
                              f"{_edition(cat)}中的名称为“{cat.name(code)}”。",
                      location=cell_location(table, row, None), subject=row.key, stated=printed, expected=cat.name(code))


def _parent(prefix: str, kinds: tuple[str, ...]):
    """A 项 row sits under its own 款 and 类 rows: the nearest 款/类 rows printed above it are its parents.
    A row whose own parent the table does not print at all is not misplaced but without its parent row
    (``*.HIER.PARENT``, a warning: the row may simply not be listed): one mistake, one finding."""

    def check(ctx: Context) -> Iterator[Hit]:
        for table in ctx.disclosure.tables:
            if table.kind not in kinds:
                continue
            entries = coded(ctx, table, prefix)  # (row, code, level), shared with the other table rules
            printed = {code for _row, code, _level in entries}
            if prefix == "f:" and coded(ctx, table, "p:"):  # project rows among them: at 项 level
                entries = tuple((row, code_of(row), "项" if row.key.startswith("p:") else level_of(row))
                                for row in table.rows if row.key.startswith(("f:", "p:")))
            current: dict[str, Row] = {}
            for row, code, level in entries:
                if level == "类":
                    current = {"类": row}
                    continue
                if level == "款":
                    current["款"] = row
                    above = current.get("类")
                    if above is not None and not code.startswith(code_of(above)) and code[:3] in printed:
                        yield _misplaced(table, row, above, code[:3])
                    continue
                if level == "项":
                    above = current.get("款")
                    if above is not None and not code.startswith(code_of(above)) and code[:5] in printed:
                        yield _misplaced(table, row, above, code[:5])

    return check


def _misplaced(table: Table, row: Row, above: Row, expected_parent: str) -> Hit:
    return Hit(message=f"{table.label}“{row_label(row)}”列在“{row_label(above)}”之下，但按编码应属于 {expected_parent}。",
               location=cell_location(table, row, None), subject=row.key, stated=code_of(above), expected=expected_parent)


def _level(prefix: str, kinds: tuple[str, ...], lengths: dict[int, str]):
    def check(ctx: Context) -> Iterator[Hit]:
        for table, row in _rows(ctx, kinds, prefix):
            if row.key.startswith("p:") or row.level is None:
                continue
            code = code_of(row)
            expected = lengths.get(len(code))
            if expected is None:
                yield Hit(message=f"{table.label}“{row_label(row)}”的编码 {code} 位数不对（应为 {'/'.join(map(str, lengths))} 位）。",
                          location=cell_location(table, row, None), subject=row.key, stated=code)
            elif expected != row.level:
                yield Hit(message=f"{table.label}“{row_label(row)}”标为{row.level}级，但 {len(code)} 位编码是{expected}级科目。",
                          location=cell_location(table, row, None), subject=row.key, stated=row.level, expected=expected)

    return check


def _order(prefix: str, kinds: tuple[str, ...]):
    def check(ctx: Context) -> Iterator[Hit]:
        for table in ctx.disclosure.tables:
            if table.kind not in kinds:
                continue
            last: Row | None = None
            last_code = ""
            for row, code, _level in coded(ctx, table, prefix):
                if last is not None and code < last_code and not last_code.startswith(code):
                    yield Hit(message=f"{table.label}“{row_label(row)}”排在“{row_label(last)}”之后，未按科目编码顺序排列。",
                              location=cell_location(table, row, None), subject=row.key, stated=code)
                last, last_code = row, code

    return check


def _reg(id: str, title: str, severity: str, reads: tuple[str, ...], func, doc: str) -> None:
    func.__doc__ = doc
    rule(id, title, severity, "catalogue", reads=reads)(func)


_reg("C.FUNCTION.CODE", "功能分类科目编码在目录中", "fatal", FUNCTION_TABLES, _unknown("function", "f:", FUNCTION_TABLES),
     "表中印出的功能分类编码须在预算年度的目录中。内置目录为部分目录时只作警告并说明原因；导入完整目录后为错误。")
_reg("C.FUNCTION.NAME", "功能分类科目名称与目录一致", "warning", FUNCTION_TABLES,
     _names("function", "f:", FUNCTION_TABLES, {"款", "项"}),
     "款级、项级科目名称与目录一致（忽略全半角、空格）。")
_reg("C.FUNCTION.CLASS_NAME", "功能分类类级科目名称与目录一致", "warning", FUNCTION_TABLES,
     _names("function", "f:", FUNCTION_TABLES, {"类"}),
     "类级科目名称与目录一致；表1、表4的类级行来自模板，名称不符通常说明模板未随新目录更新。")
_reg("C.FUNCTION.PROJECT_ITEM", "项目所属项级科目名称与目录一致", "warning", ("general_project",), _project_item_names,
     "项目支出表中每个项目行印出的项级科目名称与目录一致。")
_reg("C.FUNCTION.PARENT", "项级科目列在其所属款、类之下", "fatal", FUNCTION_TABLES, _parent("f:", FUNCTION_TABLES),
     "按行序，项级科目（及项目）紧随的款级行须是其编码前五位，款级行所在的类须是其编码前三位。")
_reg("C.FUNCTION.LEVEL", "功能分类科目级次与编码位数一致", "warning", FUNCTION_TABLES,
     _level("f:", FUNCTION_TABLES, {3: "类", 5: "款", 7: "项"}), "类 3 位、款 5 位、项 7 位。")
_reg("C.FUNCTION.ORDER", "功能分类科目按编码顺序排列", "info", FUNCTION_TABLES, _order("f:", FUNCTION_TABLES),
     "科目行按编码升序排列（上级在前）。")
_reg("C.ECONOMIC.CODE", "经济分类科目编码在目录中", "fatal", ECONOMIC_TABLES, _unknown("economic", "e:", ECONOMIC_TABLES),
     "基本支出表中的经济分类编码须在目录中；内置目录为部分目录时只作警告。")
_reg("C.ECONOMIC.NAME", "经济分类科目名称与目录一致", "warning", ECONOMIC_TABLES,
     _names("economic", "e:", ECONOMIC_TABLES), "经济分类类、款名称与目录一致（忽略全半角、空格）。")
_reg("C.ECONOMIC.PARENT", "经济分类款级科目列在其所属类之下", "fatal", ECONOMIC_TABLES, _parent("e:", ECONOMIC_TABLES),
     "按行序，经济分类款级行紧随的类级行须是其编码前三位。")
_reg("C.ECONOMIC.LEVEL", "经济分类科目级次与编码位数一致", "warning", ECONOMIC_TABLES,
     _level("e:", ECONOMIC_TABLES, {3: "类", 5: "款"}), "类 3 位、款 5 位。")
_reg("C.ECONOMIC.ORDER", "经济分类科目按编码顺序排列", "info", ECONOMIC_TABLES, _order("e:", ECONOMIC_TABLES),
     "经济分类行按编码升序排列。")


UNKNOWN_CODE_RULES = ("C.FUNCTION.CODE", "C.ECONOMIC.CODE")


def soften_for_partial(finding):
    """With a partial bundled catalogue an unknown code is at most a warning (applied by the engine), and an info
    when the facts give its name (nothing to correct, only not verified against a complete edition); so is
    a sum that misses its printed total only by rounding (``narrative_base.ROUNDING_MARK``), and listed rows
    short of their printed whole, which a row not listed explains as well (``tables_common.UNLISTED_MARK``)."""
    if finding.rule in UNKNOWN_CODE_RULES and finding.inputs.get("部分目录") == "是":
        if "录入名称" in finding.inputs and finding.severity in ("fatal", "warning"):
            # the user named a code the partial catalogue lacks: nothing to correct, only unverified
            return finding.model_copy(update={"severity": "info"})
        if finding.severity == "fatal":
            return finding.model_copy(update={"severity": "warning"})
    if (finding.inputs.get("舍入尾差") == "是" or finding.inputs.get("可能有未列示的行") == "是") \
            and finding.severity == "fatal":
        return finding.model_copy(update={"severity": "warning"})
    return finding
