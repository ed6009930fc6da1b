"""Performance-target tables (项目支出绩效目标表) as structured indicators.

The printed value of each indicator ("=7个", "<=10万元", ">=90%", "有效提高", "2023年2月-11月") is kept
verbatim in ``TargetValue.text`` and parsed into comparator / number / unit or a qualitative grade,
so that checks can reason about it and renderers print exactly what was entered.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yusuan.amounts import normalise_text

Comparator = Literal["=", ">=", "<=", ">", "<", "qualitative"]

_COMPARATORS = [
    (">=", ">="), ("≥", ">="), ("＞＝", ">="), ("<=", "<="), ("≤", "<="), ("＜＝", "<="),
    (">", ">"), ("＞", ">"), ("<", "<"), ("＜", "<"), ("=", "="), ("＝", "="),
]
_NUMBER_UNIT = re.compile(r"^([+-]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(.*)$")


class TargetValue(BaseModel):
    """An indicator's target as printed and as understood."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="指标值原文，如“<=10万元”")
    comparator: Comparator | None = None
    number: Decimal | None = None
    unit: str | None = None
    grade: str | None = Field(default=None, description="定性指标的等级表述，如“有效提高”")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: object) -> object:
        if isinstance(data, (str, int, float, Decimal)):
            return _parse_fields(str(data))
        if isinstance(data, dict) and set(data) == {"text"}:
            return _parse_fields(str(data["text"]))
        return data

    @property
    def quantitative(self) -> bool:
        return self.number is not None


def parse_target(text: str) -> TargetValue:
    """Parse a printed target. Unparseable text is kept as a qualitative grade (never dropped)."""
    return TargetValue.model_validate(_parse_fields(text))


def _parse_fields(text: str) -> dict:
    raw = text
    body = normalise_text(text)
    comparator: str | None = None
    for token, name in _COMPARATORS:
        if body.startswith(token):
            comparator, body = name, body[len(token):]
            break
    match = _NUMBER_UNIT.match(body)
    if match and not re.match(r"^\d{4}年", body):  # "2023年2月-11月" is a period, not a number
        number = Decimal(match.group(1).replace(",", ""))
        unit = match.group(2) or None
        return {"text": raw, "comparator": comparator or "=", "number": number, "unit": unit}
    if not body:
        return {"text": raw, "comparator": None}
    return {"text": raw, "comparator": "qualitative", "grade": body}


class Indicator(BaseModel):
    """One 三级 indicator with its 一级/二级 placement."""

    model_config = ConfigDict(extra="forbid")

    level1: str = Field(description="一级指标：产出指标 / 效益指标 / 满意度指标 / 成本指标")
    level2: str = Field(description="二级指标：数量指标、质量指标、时效指标、成本指标、经济效益指标 …")
    name: str = Field(description="三级指标")
    target: TargetValue
    basis: str | None = Field(default=None, description="指标值设置依据")
    last_year: str | None = Field(default=None, description="上年完成值（原文）")
    weight: Decimal | None = Field(default=None, description="指标分值权重")
    scoring: str | None = Field(default=None, description="指标赋分规则")
    evidence: str | None = Field(default=None, description="佐证资料")


class PerformanceTable(BaseModel):
    """项目支出绩效目标表. ``format`` says which printed template it follows."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["department", "area", "transfer_detail"] = Field(
        default="department",
        description="department: 部门项目表; area: 中央转移支付区域绩效目标表; transfer_detail: 上级提前下达项目明细表",
    )
    project: str = Field(description="对应的项目名称（与项目支出表中的名称一致）")
    title_name: str | None = Field(default=None, description="表中印出的项目名称，与 project 不同时填写")
    budget_unit: str | None = Field(default=None, description="预算单位")
    owner: str | None = Field(default=None, description="项目负责人")
    fiscal: Decimal = Field(default=Decimal(0), ge=0, description="其中：财政拨款（万元）")
    other: Decimal = Field(default=Decimal(0), ge=0, description="其他资金（万元）")
    goal: str = Field(default="", description="项目总体目标 / 年度总体目标")
    indicators: list[Indicator] = Field(default_factory=list)
    extra: dict[str, str] = Field(default_factory=dict, description="模板特有的表头字段（如专项名称、主管部门、实施期）")

    @property
    def total(self) -> Decimal:
        """年度预算总额 = 财政拨款 + 其他资金 (derived, never typed in)."""
        return self.fiscal + self.other

    @property
    def printed_name(self) -> str:
        return self.title_name or self.project

    def weight_total(self) -> Decimal:
        return sum((i.weight for i in self.indicators if i.weight is not None), Decimal(0))
