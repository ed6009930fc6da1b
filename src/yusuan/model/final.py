"""The facts of one department's final account (部门决算), pydantic v2, amounts ``Decimal`` in 万元.

Leaf facts only, as for a budget (``yusuan.model.package``): what the department received this year by
function 项 and source, what it spent by 项, source and kind (基本支出 / 项目支出 / 上缴上级 / 经营 /
对附属单位补助) with the 年初预算 and 全年预算 (调整预算) of each line, the balances it started the year
with, the balance it distributed (结余分配: 提取专用结余 …), the 非财政拨款结余 it used, basic spending by
economic 款, 三公 and 机关运行经费 with their 预算数 and 决算数, 政府采购 actually spent and the stated
reasons for differences. Every total (类/款, 合计, 年末结转和结余, completion rates) is derived
(``yusuan.derive_final``); the year-end balance is start + income + balance used − spending − distribution.

A file holds a final account when its top level says ``account: final``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from yusuan.model.origins import Origins
from yusuan.model.package import (
    Amount, Assets, ClassNames, EconomicLine, FunctionCode, GlossaryEntry, Overview, PriorYear, Strict, Unit,
)
from yusuan.model.sources import SOURCE_GROUPS, SOURCE_LABELS, Source

# The sources a year's income and spending come from: last year's balances are not a source here, they are
# the 年初结转和结余 (``FinalAccount.carryover``).
CURRENT_SOURCES: tuple[Source, ...] = SOURCE_GROUPS["current_year"]
FISCAL_SOURCES: tuple[Source, ...] = SOURCE_GROUPS["fiscal"]

SpendingKind = Literal["basic", "project", "remit_superior", "operating_expense", "affiliated_subsidy"]
KIND_LABELS: dict[str, str] = {
    "basic": "基本支出", "project": "项目支出", "remit_superior": "上缴上级支出",
    "operating_expense": "经营支出", "affiliated_subsidy": "对附属单位补助支出",
}
SANGONG_ITEMS = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")


def _current_source(value: Source, carryover: bool = False) -> Source:
    if value not in CURRENT_SOURCES:
        label = SOURCE_LABELS.get(value, value.value)
        if carryover:
            raise ValueError(f"资金来源“{label}”不能用于年初结转和结余：请填这笔结转和结余原来的资金来源"
                             f"（如一般公共预算拨款、政府性基金预算拨款；非财政拨款填其他收入等单位资金来源）")
        raise ValueError(f"资金来源“{label}”不是本年收入来源；上年结转和结余请填在年初结转和结余（carryover）中")
    return value


class FinalIncome(Strict):
    """本年收入决算数 for one function 项 from one source."""

    function: FunctionCode
    source: Source = Source.GENERAL
    amount: Amount

    @field_validator("source")
    @classmethod
    def _source(cls, value: Source) -> Source:
        return _current_source(value)


class FinalSpending(Strict):
    """本年支出 for one function 项, one source and one kind: 决算数 with its 年初预算数 and 全年预算数.

    A budget figure left out is unknown (not zero): no completion rate is printed for it."""

    function: FunctionCode
    source: Source = Source.GENERAL
    kind: SpendingKind = "basic"
    actual: Amount = Field(description="决算数")
    initial_budget: Amount | None = Field(default=None, description="年初预算数")
    adjusted_budget: Amount | None = Field(default=None, description="全年预算数（调整预算数）")

    @field_validator("source")
    @classmethod
    def _source(cls, value: Source) -> Source:
        return _current_source(value)


class FinalCarryover(Strict):
    """年初结转和结余 of one function 项 and one source (a 财政拨款 source, or 单位资金 for 非财政拨款)."""

    function: FunctionCode
    source: Source = Source.GENERAL
    amount: Amount

    @field_validator("source")
    @classmethod
    def _source(cls, value: Source) -> Source:
        return _current_source(value, carryover=True)


class SanGongFinal(Strict):
    """财政拨款“三公”经费 of one item: 预算数 (全年预算) and 决算数, and the reason for the difference."""

    item: Literal["abroad", "vehicle_purchase", "vehicle_operation", "reception"] = Field(
        description="abroad 因公出国（境）费；vehicle_purchase 公务用车购置费；vehicle_operation 公务用车运行维护费；reception 公务接待费")
    budget: Amount | None = Field(default=None, description="预算数（全年预算）；不填为未知")
    actual: Amount = Field(description="决算数")
    reason: str | None = Field(default=None, description="决算数与预算数不同的原因（原文，不含“主要原因是”）")


class OperatingCostsFinal(Strict):
    """机关运行经费 (财政拨款)."""

    budget: Amount | None = None
    actual: Amount
    reason: str | None = None


class ProcurementFinal(Strict):
    """政府采购支出 actually spent, and what was awarded to small and medium enterprises."""

    goods: Amount = Decimal(0)
    works: Amount = Decimal(0)
    services: Amount = Decimal(0)
    sme_reserved: Amount | None = Field(default=None, description="面向中小企业预留政府采购项目预算金额")
    sme_awarded: Amount | None = Field(default=None, description="授予中小企业合同金额")
    small_micro_awarded: Amount | None = Field(default=None, description="其中：授予小微企业合同金额")

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


# 绩效自评 grades on the 100-point scale of the self-evaluation (yusuan.perf.score): 优 ≥ 90, 良 ≥ 80, 合格 ≥ 60.
PERFORMANCE_GRADES = (("excellent", "优", Decimal(90)), ("good", "良", Decimal(80)), ("pass", "合格", Decimal(60)),
                      ("fail", "不合格", Decimal(0)))


class PerformanceResult(Strict):
    """One project's performance self-evaluation (绩效自评) result: the score of ``yusuan perf`` (or the
    department's own evaluation), the budget it covers and the issues found. The grade is derived."""

    project: str = Field(min_length=1, description="项目名称")
    budget: Amount = Field(description="涉及预算金额（万元）")
    score: Decimal = Field(ge=0, le=100, description="自评得分（百分制）")
    issues: int = Field(default=0, ge=0, description="自评发现的问题个数")
    issues_fixed: int = Field(default=0, ge=0, description="其中已完成整改的个数")

    @property
    def grade(self) -> str:
        """excellent / good / pass / fail, from the score."""
        return next(key for key, _, floor in PERFORMANCE_GRADES if self.score >= floor)

    @model_validator(mode="after")
    def _issues(self) -> "PerformanceResult":
        if self.issues_fixed > self.issues:
            raise ValueError(f"项目“{self.project}”已完成整改的问题（{self.issues_fixed}个）多于发现的问题（{self.issues}个）")
        return self


# Subjects of FinalAccount.reasons (the reason for the difference between 决算 and 年初预算).
REASON_PATTERNS = {
    r"general:function:\d{7}": "一般公共预算财政拨款支出某项级科目：决算数与年初预算数不同的原因",
    r"general:total": "一般公共预算财政拨款支出合计：决算数与年初预算数不同的原因",
    r"fiscal:total": "财政拨款支出：决算数与年初预算数不同的原因",
    r"sangong:total": "“三公”经费合计：决算数与预算数不同的原因",
}


class FinalAccount(Strict):
    """One department's final account: everything its disclosure prints is this or derived from it."""

    account: Literal["final"] = "final"
    schema_version: Literal[1] = 1
    unit: Unit
    overview: Overview = Field(default_factory=Overview)
    income: list[FinalIncome] = Field(default_factory=list, description="本年收入：按功能分类项级科目和资金来源")
    spending: list[FinalSpending] = Field(default_factory=list, description="本年支出：按项级科目、资金来源和支出类型")
    carryover: list[FinalCarryover] = Field(default_factory=list, description="年初结转和结余：按项级科目和资金来源")
    nonfiscal_balance_used: Amount = Field(default=Decimal(0), description="使用非财政拨款结余（含专用结余）")
    special_reserve_drawn: Amount = Field(default=Decimal(0), description="结余分配：提取专用结余")
    other_distribution: Amount = Field(default=Decimal(0), description="结余分配：其他（交纳所得税等）")
    basic_economic: list[EconomicLine] = Field(default_factory=list,
                                               description="一般公共预算财政拨款基本支出：按经济分类款级科目")
    sangong: list[SanGongFinal] = Field(default_factory=list, description="财政拨款“三公”经费")
    operating_costs: OperatingCostsFinal | None = None
    procurement: ProcurementFinal | None = None
    assets: Assets | None = None
    reasons: dict[str, str] = Field(default_factory=dict, description="决算数与年初预算数不同的原因，键见 REASON_PATTERNS")
    last_year: dict[str, PriorYear] = Field(default_factory=dict, description="上年度决算数（键同预算包 last_year）")
    performance_results: list[PerformanceResult] = Field(default_factory=list, description="项目绩效自评结果")
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    notes: dict[str, str] = Field(default_factory=dict)
    class_names: ClassNames = Field(default_factory=ClassNames)

    _origins: Origins | None = PrivateAttr(default=None)

    @property
    def origins(self) -> Origins | None:
        return self._origins

    def with_origins(self, origins: Origins | None) -> "FinalAccount":
        self._origins = origins
        return self

    @property
    def distribution(self) -> Decimal:
        """结余分配 = 提取专用结余 + 其他 (derived)."""
        return self.special_reserve_drawn + self.other_distribution

    @model_validator(mode="after")
    def _check(self) -> "FinalAccount":
        problems = []
        if self.unit.phase != "final":
            problems.append("决算包的 unit.phase 应为 final")
        bad = [k for k in self.reasons if not any(re.fullmatch(p, k) for p in REASON_PATTERNS)]
        if bad:
            problems.append(f"reasons 中的键无法识别：{', '.join(bad)}（可用：{', '.join(REASON_PATTERNS)}）")
        names = [r.project for r in self.performance_results]
        if len(set(names)) != len(names):
            problems.append(f"绩效自评结果中项目重复：{'、'.join(sorted({n for n in names if names.count(n) > 1}))}")
        items = [s.item for s in self.sangong]
        dupes = sorted({i for i in items if items.count(i) > 1})
        if dupes:
            problems.append(f"“三公”经费项目重复：{', '.join(dupes)}")
        for what, lines in (("income", [(l.function, l.source) for l in self.income]),
                            ("carryover", [(l.function, l.source) for l in self.carryover]),
                            ("spending", [(l.function, l.source, l.kind) for l in self.spending])):
            seen = [k for k in lines if lines.count(k) > 1]
            if seen:
                problems.append(f"{what} 中同一科目和来源重复填写：{'、'.join(':'.join(map(str, k)) for k in sorted(set(seen)))}")
        if problems:
            raise ValueError("；".join(problems))
        return self


def is_final_data(data: object) -> bool:
    """Whether loaded package data is a final account (``account: final`` at the top)."""
    return isinstance(data, dict) and data.get("account") == "final"
