"""The disclosure as printed: every table cell and every narrative figure, with its location.

Two roads lead here and the checks cannot tell them apart:
- ``yusuan.compose`` builds it from facts + a region profile (our own package), and
- ``yusuan.read`` builds it from a published file (DOCX, XLSX, PDF, extracted text).
Amounts are what the document states (parsed from the printed text, in the table's unit); nothing
here is recomputed. Keys are semantic so that rules can address "the 2080505 row of the income
table" whatever the region's layout calls it.

Row keys:      f:<function code> (类/款/项), e:<economic code>, s:<source or group>, p:<function 项>:<project>,
               sangong:<item>, total (合计/总计), income_total, expenditure_total, plus profile-specific keys.
Column keys:   amount, total, basic, project, personnel, public, s:<source or group>, e:<economic 类>,
               plus profile-specific keys.
Table kinds:   see KINDS; the profile maps its printed tables to kinds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from yusuan.model.performance import PerformanceTable

# Canonical table kinds (DOMAIN.md numbering 1–10 for the national layout).
KINDS: dict[str, str] = {
    "income_expenditure": "部门收支总体情况表",  # T1
    "income": "部门收入总体情况表",  # T2
    "expenditure": "部门支出总体情况表",  # T3
    "fiscal_income_expenditure": "财政拨款收支预算总体情况表",  # T4
    "general_expenditure": "一般公共预算支出情况表",  # T5
    "general_basic": "一般公共预算基本支出情况表",  # T6
    "general_project": "一般公共预算项目支出情况表",  # T7
    "fund_expenditure": "政府性基金预算支出情况表",  # T8
    "capital_expenditure": "国有资本经营预算支出情况表",  # T9
    "sangong": "财政拨款“三公”经费支出情况表",  # T10
    "fiscal_expenditure": "财政拨款支出预算表",  # Shanghai: function × 基本/项目 for all 财政拨款
    "sangong_operating": "“三公”经费和机关运行经费预算表",  # Shanghai
}
KIND_NUMBER = {k: i for i, k in enumerate(list(KINDS)[:10], start=1)}


class Location(BaseModel):
    """Where a figure is printed. Composed disclosures fill part/table/row/column/paragraph;
    read ones add file, page, bbox (PDF points, origin top-left) or cell (Excel 'C5')."""

    model_config = ConfigDict(extra="forbid")

    file: str | None = None
    page: int | None = None
    part: str | None = None
    section: str | None = None
    table: str | None = None
    row: int | None = None
    column: str | None = None
    paragraph: int | None = None
    cell: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    def describe(self) -> str:
        """Chinese, for messages: 文件 x 第3页 表2 第5行 “一般公共预算”列."""
        bits = []
        if self.file:
            bits.append(self.file)
        if self.page is not None:
            bits.append(f"第{self.page}页")
        if self.table:
            bits.append(self.table)
        if self.section:
            bits.append(self.section)
        if self.row is not None:
            bits.append(f"第{self.row}行")
        if self.column:
            bits.append(f"“{self.column}”列")
        if self.cell:
            # Extracted-text readers locate a cell by its source line ("L53"); Excel by its cell ("C5").
            line = self.cell[1:] if self.cell[:1] == "L" and self.cell[1:].isdigit() else None
            bits.append(f"原文第{line}行" if line else f"单元格 {self.cell}")
        if self.paragraph is not None:
            bits.append(f"第{self.paragraph}段")
        return " ".join(bits)


class Cell(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = ""
    value: Decimal | None = None
    location: Location | None = None


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    label: str
    group: str | None = Field(default=None, description="merged header above this column")


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    code: str | None = None
    name: str = ""
    level: Literal["类", "款", "项"] | None = None
    role: Literal["item", "total", "subtotal", "group", "blank"] = "item"
    side: Literal["income", "expenditure"] | None = None
    cells: dict[str, Cell] = Field(default_factory=dict)
    location: Location | None = None
    # The column keys its table prints, set by the checks before they run (``rules.registry.Context``):
    # a cell missing from a printed column is a blank, from an unprinted one it is unknown.
    _printed: frozenset[str] | None = PrivateAttr(default=None)

    def value(self, column: str) -> Decimal | None:
        cell = self.cells.get(column)
        return cell.value if cell else None


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    number: str = Field(default="", description="printed number, e.g. 表1")
    title: str
    unit: Literal["万元", "元"] = "万元"
    columns: list[Column] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    empty_note: str | None = None
    location: Location | None = None
    # a printing hint, not content: left out of dumps, so a composed disclosure stays the same data
    split_rows: int | None = Field(default=None, exclude=True,
                                   description="print in pieces of this many body rows under a repeated header")

    def row(self, key: str) -> Row | None:
        for r in self.rows:
            if r.key == key:
                return r
        return None

    def rows_where(self, prefix: str) -> list[Row]:
        return [r for r in self.rows if r.key.startswith(prefix)]

    def value(self, row_key: str, column: str) -> Decimal | None:
        r = self.row(row_key)
        return r.value(column) if r else None

    @property
    def label(self) -> str:
        return f"{self.number}{self.title}" if self.number else self.title


class Statement(BaseModel):
    """One figure-bearing statement of the narrative, as stated (rates and changes as printed)."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(description="semantic key: total, income:general, function:2080501, expenditure:basic, …")
    label: str = Field(default="", description="the subject as printed")
    amount: Decimal | None = None
    share: Decimal | None = Field(default=None, description="percent as printed")
    share_of: str | None = Field(default=None, description="subject key of the whole")
    last_year: Decimal | None = None
    change: Decimal | None = Field(default=None, description="absolute change, signed by the direction word")
    change_word: str | None = None
    rate: Decimal | None = Field(default=None, description="percent, signed by the direction word")
    rate_word: str | None = None
    zero_base: str | None = Field(default=None, description="wording used for growth from a zero base")
    reason: str | None = Field(default=None, description="text after 主要原因是；'' when the sentence gives none")
    count: int | None = None
    unit: str = "万元"
    text: str = ""
    location: Location | None = None
    phrasing: str | None = Field(default=None, description="composed: the phrasing family it was worded in "
                                                         "(yusuan.compose.phrasing); None when read")


class Paragraph(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    statements: list[Statement] = Field(default_factory=list)
    style: Literal["heading", "body", "list"] = "body"
    location: Location | None = None


class Section(BaseModel):
    """A titled stretch of text: Part 1 subsections, each Part 3 section, the glossary."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="overview.functions, overview.institutions, income, expenditure, fiscal, general, "
                                "general_basic, general_project, fund, capital, sangong, other.operating_costs, "
                                "other.procurement, other.assets, other.performance, other.notes, glossary")
    part: int = Field(description="1 概况, 2 表, 3 情况说明, 4 名词解释")
    title: str
    paragraphs: list[Paragraph] = Field(default_factory=list)
    location: Location | None = None

    def statements(self) -> list[Statement]:
        return [s for p in self.paragraphs for s in p.statements]


class PrintedPerformance(BaseModel):
    """A performance-target table as printed: the structured table plus what it states as its total."""

    model_config = ConfigDict(extra="forbid")

    table: PerformanceTable
    stated_total: Decimal | None = Field(default=None, description="年度预算总额 as printed")
    location: Location | None = None


class Disclosure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_name: str
    budget_year: int | None = None
    phase: Literal["budget", "final"] = "budget"
    profile: str
    title: str
    origin: Literal["composed", "read"] = "composed"
    file: str | None = None
    sections: list[Section] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    performance: list[PrintedPerformance] = Field(default_factory=list)
    signature: str | None = None
    date_text: str | None = None
    draft: bool = Field(default=False, description="printed with the 草稿（未通过校验） mark")

    def table(self, kind: str) -> Table | None:
        for t in self.tables:
            if t.kind == kind:
                return t
        return None

    def section(self, id: str) -> Section | None:
        for s in self.sections:
            if s.id == id:
                return s
        return None

    def statements(self, prefix: str = "") -> list[Statement]:
        return [st for s in self.sections for st in s.statements() if st.subject.startswith(prefix)]
