"""Region profiles: the printed layout of a disclosure package, as data.

A profile says which tables are printed and in what order (with their printed numbers, titles,
columns and fixed rows), which function 类 are listed even when empty, how zero cells print, the
wording of fixed sentences (empty-table notes, zero-base growth), the Part 3 section titles, the
default glossary and the performance-table weight total. Composition (``yusuan.compose``) reads it;
adding a region means adding a YAML file here, not code.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yusuan.disclosure import KINDS
from yusuan.errors import InputError, InputProblem


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnSpec(_Spec):
    key: str = Field(description="column key of the contract (docs/disclosure-keys.md)")
    label: str
    group: str | None = Field(default=None, description="merged header above the column")
    omit_when_zero: bool = Field(default=False, description="printed only when some row has an amount in it")


class RowSpec(_Spec):
    """A fixed row (income side of T1/T4, the 三公 rows)."""

    key: str
    label: str
    role: Literal["item", "total", "subtotal", "group", "blank"] = "item"
    print_value: bool = Field(default=True, description="false: the template leaves this row's amount blank")
    omit_when_zero: bool = Field(default=False, description="printed only when it has an amount (e.g. 上年结转 in Shanghai)")


class TableSpec(_Spec):
    kind: str
    number: str = Field(default="", description="printed number, e.g. 表1")
    title: str = Field(description="printed title; {year} is replaced by the budget year")
    unit: Literal["万元", "元"] = "万元"
    thousands: bool = Field(default=False, description="print amounts with thousands separators (1,234.00)")
    zero_text: str = Field(default="", description="what a zero cell prints: '' (blank), '0', '0.00', '-' "
                                                    "(a dash, like a blank, prints no figure)")
    columns: list[ColumnSpec]
    rows: list[RowSpec] = Field(default_factory=list, description="fixed rows (income side, 三公 rows)")
    sources: str | None = Field(default=None, description="source group the function rows show (T5/T8/T9)")
    levels: list[Literal["类", "款", "项"]] = Field(
        default_factory=lambda: ["类", "款", "项"],
        description="function rows printed at these levels (['项']: only 项 rows; a code with nothing below it "
                    "is printed whatever its level)")
    split_rows: int | None = Field(
        default=None, ge=5, description="print the table in pieces of this many body rows, each on its own page "
                                        "under the repeated header (PDF and Word)")
    include_carryover: bool = Field(default=False, description="财政拨款 table: include last year's 财政拨款结转")
    list_classes: bool = Field(default=False, description="T1/T4: list the profile's function_classes even when empty")
    class_label: Literal["code", "numeral"] = Field(
        default="code", description="T1/T4 expenditure rows: code + name ('201 一般公共服务支出') or '一、一般公共服务支出'"
    )
    total_label: str = "合计"
    income_total_label: str = "收入总计"
    expenditure_total_label: str = "支出总计"
    empty_note: str | None = Field(default=None, description="sentence printed under an empty table; {year} {unit}")

    @model_validator(mode="after")
    def _known_kind(self) -> "TableSpec":
        if self.kind not in KINDS:
            raise ValueError(f"表类型“{self.kind}”不在约定之内（可用：{', '.join(KINDS)}）")
        return self


class SectionSpec(_Spec):
    id: str = Field(description="section id of the contract (summary, income, …, other.performance, glossary)")
    part: int = Field(ge=1, le=4)
    title: str = Field(description="printed title; {unit} and {year} are replaced")
    builder: str | None = Field(default=None, description="narrative builder; defaults to the id")


class PartSpec(_Spec):
    number: int = Field(ge=1, le=4)
    heading: str = Field(description="{unit} and {year} are replaced")


PROJECT_LABELS = {"basis": "设立的政策依据", "scale": "预算安排规模", "implementer": "项目承担单位",
                  "allocation": "资金分配情况", "period": "资金执行时间"}


class Wording(_Spec):
    zero_base: str = Field(description="how growth from a zero base is written: '增长100%' or '新增'")
    zero_base_template: str = Field(description="the change clause from a zero base; {change} is the amount")
    compare_prefix: str = Field(default="比上年预算", description="'比上年预算' / '比{last_year}年预算'")
    same: str = Field(default="与上年预算持平", description="the clause when nothing changed")
    reason_intro: str = Field(default="主要原因是", description="text before a reason")
    not_arranged: str = Field(default="未安排", description="'政府性基金预算未安排'")
    assets_year_offsets: list[int] | None = Field(
        default=None, description="years (relative to the budget year) an asset date 截至…年… may name; "
                                  "None: the year before for a budget (-1), the year itself for a final account (0)")
    empty_table: str = Field(description="Part 3 sentence for an empty table; {unit} {year} {budget} {title}")
    project_labels: dict[str, str] = Field(
        default_factory=lambda: dict(PROJECT_LABELS),
        description="labels of the project description lines: basis, scale, implementer, allocation, period",
    )
    phrasings: list[str] = Field(
        default_factory=lambda: ["standard"],
        description="phrasing families the narrative may use (yusuan.compose.phrasing.PHRASINGS); each statement "
                    "takes one, chosen from its subject and phrasing_seed")
    phrasing_seed: int = Field(default=0, description="varies which family each statement takes")


class PerformanceSpec(_Spec):
    weight_total: Decimal = Field(description="indicator weights add up to this (90 Xinjiang, 100 elsewhere)")
    level1: list[str] = Field(default_factory=list, description="allowed 一级 indicators")


class GlossarySpec(_Spec):
    term: str
    definition: str


class Profile(_Spec):
    name: str
    label: str = Field(description="Chinese name of the layout")
    title: str = Field(description="document title, e.g. '{unit}{year}年部门预算公开'")
    unit: Literal["万元", "元"] = "万元"
    share_rounding: Literal["half_up", "largest_remainder"] = "half_up"
    composable: bool = Field(default=True, description="false: a layout only for reading and checking published "
                                                       "files (e.g. final accounts), not for composing from facts")
    function_classes: list[str] = Field(default_factory=list, description="function 类 listed in T1/T4 even when empty")
    parts: list[PartSpec]
    sections: list[SectionSpec]
    tables: list[TableSpec]
    wording: Wording
    performance: PerformanceSpec
    glossary: list[GlossarySpec] = Field(default_factory=list, description="default glossary when the package has none")
    signature: bool = Field(default=True, description="sign with the unit name and date at the end")
    tables_after: str = Field(description="id of the section after which Part 2 (the tables) is printed")
    difference_reason_share: Decimal = Field(
        default=Decimal("0.10"), ge=0, le=1,
        description="final accounts: a 项 whose 决算 differs from the same year's published budget by more than this "
                    "share of it needs a stated reason (FB.DIFF.REASON; 0.10 = 10%)")

    @model_validator(mode="after")
    def _tables_placed(self) -> "Profile":
        if self.tables_after not in {s.id for s in self.sections}:
            raise ValueError(f"tables_after“{self.tables_after}”不是本版式中的说明章节")
        return self

    def table(self, kind: str) -> TableSpec | None:
        return next((t for t in self.tables if t.kind == kind), None)

    def section(self, id: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.id == id), None)

    def part(self, number: int) -> PartSpec | None:
        return next((p for p in self.parts if p.number == number), None)

    @property
    def share_rounding_text(self) -> str:
        return "最大余额法调整，合计为100%" if self.share_rounding == "largest_remainder" else "四舍五入保留两位小数"


def available() -> list[str]:
    """Names of the bundled profiles."""
    files = resources.files("yusuan.profiles")
    return sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=None)
def load_profile(name: str) -> Profile:
    """Load and validate a bundled profile by name; an unknown name is an InputError in Chinese."""
    names = available()
    if name not in names:
        raise InputError(f"地区版式 {name}", [InputProblem(f"地区版式“{name}”", f"不存在（可用：{', '.join(names)}）")])
    text = (resources.files("yusuan.profiles") / f"{name}.yaml").read_text(encoding="utf-8")
    return parse_profile(text, f"{name}.yaml")


def parse_profile(text: str, where: str) -> Profile:
    from yusuan.load import _DecimalLoader, explain, json_path

    try:
        data = yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        raise InputError(where, [InputProblem(where, f"YAML 格式错误：{exc}")]) from None
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise InputError(where, [InputProblem(f"{where}: {json_path(e['loc'])}", explain(e)) for e in exc.errors()]) from None
