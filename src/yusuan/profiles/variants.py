"""Layout variants real publishers show, applied to a region profile as data.

A variant changes how the tables print, never what they say: which columns are printed (one merged
财政拨款 column, or only 一般公共预算 when the other budgets are empty), which function levels are
printed (only 项), the unit (元 / 万元), thousands separators, what a zero prints (blank, ``-``,
``0.00``), how the tables are numbered (表一 / 附表1 / 1.), their order, and whether long tables are
printed in pieces under a repeated header. ``apply_variants`` returns a modified copy that is still
a valid ``Profile``; several variants combine (at most one per family: unit, zero, numbering).

Interface agreed with ``yusuan.synth``: ``LAYOUT_VARIANTS``, ``apply_variants``, ``random_variants``.
"""

from __future__ import annotations

import random
import re
from typing import Callable, Iterable

from yusuan.errors import InputError, InputProblem
from yusuan.profiles import ColumnSpec, Profile, RowSpec, TableSpec

LAYOUT_VARIANTS: dict[str, str] = {
    "single_fiscal_column": "收支总表、收入总表和财政拨款收支总表只印一个“财政拨款收入”栏（不分一般公共预算、政府性基金、国有资本经营预算）",
    "general_only_column": "政府性基金、国有资本经营预算没有金额时不印这些栏和行，只印一般公共预算",
    "items_only": "功能分类表只印“项”级科目，不印“类”“款”小计行",
    "yuan": "各表金额单位为元",
    "wan_yuan": "各表金额单位为万元",
    "thousands": "金额加千位分隔符（1,234.56）",
    "dash_zero": "零值印“-”",
    "zero_decimals": "零值印“0.00”",
    "blank_zero": "零值留空",
    "numbering_chinese": "表格编号为“表一”“表二”……",
    "numbering_appendix": "表格编号为“附表1”“附表2”……",
    "numbering_dotted": "表格编号为“1.”“2.”……",
    "table_order": "表格按另一种常见顺序排列",
    "split_tables": "长表分页印刷，每页重复表头",
}

# One variant per family at most: they set the same thing.
FAMILIES: dict[str, tuple[str, ...]] = {
    "unit": ("yuan", "wan_yuan"),
    "zero": ("dash_zero", "zero_decimals", "blank_zero"),
    "numbering": ("numbering_chinese", "numbering_appendix", "numbering_dotted"),
}
# The order variants are applied in (ordering before numbering, so numbers follow the new order).
ORDER = ["single_fiscal_column", "general_only_column", "items_only", "yuan", "wan_yuan", "thousands", "dash_zero",
         "zero_decimals", "blank_zero", "table_order", "numbering_chinese", "numbering_appendix", "numbering_dotted",
         "split_tables"]

FUNCTION_KINDS = {"income", "expenditure", "general_expenditure", "fiscal_expenditure", "fund_expenditure",
                  "capital_expenditure", "general_project"}
# National order (DOMAIN.md T1–T10) and the Shanghai-like one (fund and capital tables before the basic ones).
NATIONAL_ORDER = ["income_expenditure", "income", "expenditure", "fiscal_income_expenditure", "general_expenditure",
                  "general_basic", "general_project", "fund_expenditure", "capital_expenditure", "fiscal_expenditure",
                  "sangong", "sangong_operating"]
OTHER_ORDER = ["income_expenditure", "income", "expenditure", "fiscal_income_expenditure", "general_expenditure",
               "fund_expenditure", "capital_expenditure", "fiscal_expenditure", "general_basic", "general_project",
               "sangong", "sangong_operating"]

# Income rows and columns that break 财政拨款 down by budget (and by own money / transfers).
FISCAL_PARTS = ["s:general_budget", "s:general", "s:general_transfer", "s:fund_budget", "s:fund", "s:fund_transfer",
                "s:capital_budget", "s:capital", "s:capital_transfer"]
OTHER_BUDGETS = ["s:fund_budget", "s:fund", "s:fund_transfer", "s:capital_budget", "s:capital", "s:capital_transfer"]
CARRYOVER_OTHER_BUDGETS = ["s:carryover_fund", "s:carryover_capital"]

_NUMERALS = "一二三四五六七八九十"
_ROW_NUMBER = re.compile(r"^(\d+)[.、]\s*")
_ROW_NUMERAL = re.compile(r"^[一二三四五六七八九十]+、")
SPLIT_ROWS = 18  # body rows per printed piece of a split table


def _numeral(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _NUMERALS[tens - 1]) + "十" + (_NUMERALS[ones - 1] if ones else "")


def _renumber_rows(rows: list[RowSpec]) -> list[RowSpec]:
    """Income rows numbered 1. 2. … in each 一、 二、 group stay numbered without gaps after rows were dropped."""
    out, n = [], 0
    for row in rows:
        if _ROW_NUMERAL.match(row.label):
            n = 0
        m = _ROW_NUMBER.match(row.label)
        if m:
            n += 1
            row = row.model_copy(update={"label": f"{n}{row.label[m.end(1):m.end(1) + 1]}{row.label[m.end():]}"})
        out.append(row)
    return out


def _fiscal_row_label(first: RowSpec) -> str:
    m = _ROW_NUMBER.match(first.label) or _ROW_NUMERAL.match(first.label)
    return (m.group(0) if m else "") + "财政拨款收入"


def _merge_fiscal_rows(rows: list[RowSpec]) -> list[RowSpec]:
    """The budget-by-budget income rows replaced by one 财政拨款收入 row (s:fiscal)."""
    has_fiscal = any(r.key == "s:fiscal" for r in rows)
    out: list[RowSpec] = []
    for row in rows:
        if row.key in FISCAL_PARTS:
            if not has_fiscal:
                out.append(RowSpec(key="s:fiscal", label=_fiscal_row_label(row), role="subtotal"))
                has_fiscal = True
            continue
        if row.key in CARRYOVER_OTHER_BUDGETS or row.key == "s:carryover_general":
            continue  # the carried-over 财政拨款 is one row too
        out.append(row)
    return _renumber_rows(out)


def single_fiscal_column(profile: Profile) -> Profile:
    tables = []
    for t in profile.tables:
        if t.kind == "income_expenditure":
            t = t.model_copy(update={"rows": _merge_fiscal_rows(t.rows)})
        elif t.kind == "income":
            columns, done = [], False
            for c in t.columns:
                if c.key == "s:fiscal" or c.key in FISCAL_PARTS:
                    if not done:
                        columns.append(ColumnSpec(key="s:fiscal", label="财政拨款收入", group=c.group
                                                  if c.group and "财政拨款" not in c.group.replace(" ", "") else None))
                        done = True
                    continue
                columns.append(c)
            t = t.model_copy(update={"columns": columns})
        elif t.kind == "fiscal_income_expenditure":
            rows = _merge_fiscal_rows(t.rows)
            columns = [c for c in t.columns if c.key in ("amount", "total")]
            columns = [c.model_copy(update={"label": "预算数"}) if c.key == "total" else c for c in columns]
            t = t.model_copy(update={"rows": rows, "columns": columns})
        tables.append(t)
    return profile.model_copy(update={"tables": tables})


def general_only_column(profile: Profile) -> Profile:
    """The fund and state-capital columns and rows printed only when they hold an amount."""
    tables = []
    for t in profile.tables:
        columns = [c.model_copy(update={"omit_when_zero": True}) if c.key in OTHER_BUDGETS else c for c in t.columns]
        rows = t.rows
        if t.kind in ("income_expenditure", "fiscal_income_expenditure"):
            rows = [r.model_copy(update={"omit_when_zero": True})
                    if r.key in OTHER_BUDGETS + CARRYOVER_OTHER_BUDGETS else r for r in t.rows]
        tables.append(t.model_copy(update={"columns": columns, "rows": rows}))
    return profile.model_copy(update={"tables": tables})


def _each_table(**update) -> Callable[[Profile], Profile]:
    def apply(profile: Profile) -> Profile:
        return profile.model_copy(update={"tables": [t.model_copy(update=update) for t in profile.tables]})
    return apply


def items_only(profile: Profile) -> Profile:
    return profile.model_copy(update={"tables": [
        t.model_copy(update={"levels": ["项"]}) if t.kind in FUNCTION_KINDS else t for t in profile.tables]})


def _numbered(style: Callable[[int], str] | None) -> Callable[[Profile], Profile]:
    def apply(profile: Profile) -> Profile:
        return profile.model_copy(update={"tables": [
            t.model_copy(update={"number": style(i) if style else ""}) for i, t in enumerate(profile.tables, start=1)]})
    return apply


def _style_of(number: str) -> Callable[[int], str] | None:
    """The numbering style a printed number shows (表1, 表一, 附表1, 1.), to renumber after reordering."""
    if not number:
        return None
    if number.startswith("附表"):
        return lambda i: f"附表{i}"
    if re.match(r"^表[一二三四五六七八九十]", number):
        return lambda i: f"表{_numeral(i)}"
    if re.match(r"^\d+\.$", number):
        return lambda i: f"{i}."
    return lambda i: f"表{i}"


def table_order(profile: Profile) -> Profile:
    kinds = [t.kind for t in profile.tables]
    for order in (OTHER_ORDER, NATIONAL_ORDER):
        ranked = sorted(profile.tables, key=lambda t: order.index(t.kind) if t.kind in order else len(order))
        if [t.kind for t in ranked] != kinds:
            break
    else:  # neither order differs (a profile of one or two tables): swap the last two
        ranked = profile.tables[:-2] + profile.tables[-2:][::-1]
    style = _style_of(profile.tables[0].number) if profile.tables else None
    return _numbered(style)(profile.model_copy(update={"tables": ranked})) if style else \
        profile.model_copy(update={"tables": ranked})


def split_tables(profile: Profile) -> Profile:
    return profile.model_copy(update={"tables": [t.model_copy(update={"split_rows": SPLIT_ROWS}) for t in profile.tables]})


APPLY: dict[str, Callable[[Profile], Profile]] = {
    "single_fiscal_column": single_fiscal_column,
    "general_only_column": general_only_column,
    "items_only": items_only,
    "yuan": _each_table(unit="元"),
    "wan_yuan": _each_table(unit="万元"),
    "thousands": _each_table(thousands=True),
    "dash_zero": _each_table(zero_text="-"),
    "zero_decimals": _each_table(zero_text="0.00"),
    "blank_zero": _each_table(zero_text=""),
    "numbering_chinese": _numbered(lambda i: f"表{_numeral(i)}"),
    "numbering_appendix": _numbered(lambda i: f"附表{i}"),
    "numbering_dotted": _numbered(lambda i: f"{i}."),
    "table_order": table_order,
    "split_tables": split_tables,
}
assert set(APPLY) == set(LAYOUT_VARIANTS) == set(ORDER)


def _problem(message: str) -> InputError:
    return InputError("版式变体", [InputProblem("版式变体", message)])


def apply_variants(profile: Profile, names: Iterable[str]) -> Profile:
    """A copy of ``profile`` with the named variants applied (in a fixed order, so the result does not
    depend on how the names are listed). Unknown names and two variants of one family are InputErrors."""
    wanted = list(dict.fromkeys(names))
    unknown = [n for n in wanted if n not in LAYOUT_VARIANTS]
    if unknown:
        raise _problem(f"没有名为“{'、'.join(unknown)}”的版式变体（可用：{', '.join(LAYOUT_VARIANTS)}）")
    for family, members in FAMILIES.items():
        clash = [n for n in wanted if n in members]
        if len(clash) > 1:
            raise _problem(f"版式变体“{'”与“'.join(clash)}”互相冲突，只能选一个")
    out = profile
    for name in ORDER:
        if name in wanted:
            out = APPLY[name](out)
    return Profile.model_validate(out.model_dump())  # a valid profile, sharing nothing with the original


def random_variants(profile: Profile, rng: random.Random) -> list[str]:
    """A plausible combination for ``profile``: each family at most once, each other variant or not,
    skipping variants that would change nothing (e.g. ``yuan`` when every table is already in 元)."""
    out: list[str] = []
    for members in FAMILIES.values():
        if rng.random() < 0.6:
            out.append(rng.choice(members))
    for name in ("single_fiscal_column", "general_only_column", "items_only", "thousands", "table_order",
                 "split_tables"):
        if rng.random() < 0.4:
            out.append(name)
    base = profile.model_dump()
    return [n for n in ORDER if n in out and apply_variants(profile, [n]).model_dump() != base]
