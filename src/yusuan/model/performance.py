"""Performance-target tables (项目支出绩效目标表) as structured indicators.

The printed value of each indicator ("=7个", "<=10万元", ">=90%", "有效提高", "2023年2月-11月") is kept
verbatim in ``TargetValue.text`` and parsed into comparator / number / unit, a period or a qualitative
grade, so that checks can reason about it and renderers print exactly what was entered.

Three printed templates occur (``PerformanceTable.format``):
- ``department`` 项目支出绩效目标表: nine columns (一级 … 佐证资料), weights adding up to the region's total;
- ``area`` 中央转移支付区域绩效目标表: 一级/二级/三级/指标值 only, header fields of its own (``extra``);
- ``transfer_detail`` 上级提前下达项目支出绩效目标明细表: 一级/二级/三级/指标值 only.
In the printed grid 一级 and 二级 are merged cells spanning consecutive rows; here every indicator
carries its 一级 and 二级 (the renderer merges equal neighbours again, see ``yusuan.perf.grid``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yusuan.amounts import normalise_text

Comparator = Literal["=", ">=", "<=", ">", "<", "qualitative"]

# Longest tokens first so that ">=" is not read as ">".
_COMPARATORS = [
    (">=", ">="), ("≥", ">="), ("<=", "<="), ("≤", "<="), (">", ">"), ("<", "<"), ("=", "="),
]
_NUMBER_UNIT = re.compile(r"^([+-]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(.*)$")
# A date or period ("2023年", "2023年2月-11月", "2023年12月31日前") is not a quantity.
_PERIOD = re.compile(r"^\d{4}年(\d{1,2}月)?(\d{1,2}日)?([-—至~]\d{0,4}年?\d{1,2}月(\d{1,2}日)?)?(前|以前|之前|底|内)?$")
_DATE_START = re.compile(r"^\d{4}年")


class TargetValue(BaseModel):
    """An indicator's target as printed and as understood.

    ``comparator`` is what the text prints; ``None`` when the value is a bare number ("100%", the
    central-transfer template prints no comparators) — readers then take it as a lower bound
    (see ``direction``)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="指标值原文，如“<=10万元”“有效提高”“2023年2月-11月”")
    comparator: Comparator | None = Field(default=None, description="印出的比较符；定性指标为 qualitative；未印比较符时为空")
    number: Decimal | None = Field(default=None, description="指标值中的数值（千分位已去除）")
    unit: str | None = Field(default=None, description="数值后的计量单位，如“个”“%”“万元”")
    grade: str | None = Field(default=None, description="定性指标的等级表述，如“有效提高”")
    period: str | None = Field(default=None, description="时间类指标值，如“2023年2月-11月”")
    comparator_text: str | None = Field(default=None, description="比较符的印出写法，与 comparator 不同时填写（如“≥”）")
    number_text: str | None = Field(default=None, description="数值的印出写法，与数值的标准写法不同时填写（如“1,760”）")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: object) -> object:
        if isinstance(data, (str, int, Decimal)) and not isinstance(data, bool):
            return _parse_fields(str(data))
        if isinstance(data, dict) and "text" in data:
            parsed = _parse_fields(str(data["text"]))
            given = {k: v for k, v in data.items() if k != "text" and v is not None}
            for key, value in given.items():
                if key in parsed and key != "text" and str(parsed.get(key)) != str(value):
                    raise ValueError(
                        f"指标值“{data['text']}”与结构化字段 {key}={value!r} 不一致（按原文应为 {parsed.get(key)!r}）；"
                        "只填写 text 即可"
                    )
            return parsed
        return data

    @property
    def quantitative(self) -> bool:
        return self.number is not None

    @property
    def direction(self) -> Literal["positive", "negative", "qualitative", "period"] | None:
        """正向 (more is better: >=, >, =, or a bare number), 反向 (<=, <), qualitative, period."""
        if self.period is not None:
            return "period"
        if self.number is None:
            return "qualitative" if self.grade else None
        return "negative" if self.comparator in ("<=", "<") else "positive"


def parse_target(text: str) -> TargetValue:
    """Parse a printed target. Unparseable text is kept as a qualitative grade (never dropped)."""
    return TargetValue.model_validate(_parse_fields(text))


def _parse_fields(text: str) -> dict:
    raw = text
    body = normalise_text(text)  # NFKC turns ＞＝ into >=, full-width digits into ASCII
    if not body or body == "/":
        return {"text": raw}
    if _PERIOD.match(body):
        return {"text": raw, "period": body}
    comparator: str | None = None
    token = ""
    for token, name in _COMPARATORS:
        if body.startswith(token):
            comparator, body = name, body[len(token):]
            break
    match = _NUMBER_UNIT.match(body)
    if match and not _DATE_START.match(body):
        digits = match.group(1)
        number = Decimal(digits.replace(",", ""))
        fields = {"text": raw, "comparator": comparator, "number": number, "unit": match.group(2) or None}
        if comparator and token != comparator:
            fields["comparator_text"] = token
        if digits != format(number, "f"):
            fields["number_text"] = digits
        return fields
    return {"text": raw, "comparator": "qualitative", "grade": body}


class Indicator(BaseModel):
    """One 三级 indicator with its 一级/二级 placement (merged cells carried down)."""

    model_config = ConfigDict(extra="forbid")

    level1: str = Field(description="一级指标：产出指标 / 效益指标 / 满意度指标 / 成本指标（印出的文字）")
    level2: str = Field(description="二级指标：数量指标、质量指标、时效指标、成本指标、经济效益指标 …（印出的文字）")
    name: str = Field(description="三级指标（原文，含括号中的单位）")
    target: TargetValue = Field(description="指标值；录入原文即可，如 \"=7个\"")
    basis: str | None = Field(default=None, description="指标值设置依据（原文）；区域表、明细表无此列")
    last_year: str | None = Field(default=None, description="上年完成值（原文，如“/”“9.4”“100%”）")
    weight: Decimal | None = Field(default=None, ge=0, description="指标分值权重；区域表、明细表无此列，为空")
    scoring: str | None = Field(default=None, description="指标赋分规则（原文）")
    evidence: str | None = Field(default=None, description="佐证资料（原文）")


class PerformanceTable(BaseModel):
    """项目支出绩效目标表. ``format`` says which printed template it follows."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["department", "area", "transfer_detail"] = Field(
        default="department",
        description="department: 部门项目表; area: 中央转移支付区域绩效目标表; transfer_detail: 上级提前下达项目明细表",
    )
    project: str = Field(description="对应的项目名称（与项目支出表中的名称一致）；只出现在本表的项目（结转、单位资金）为印出的名称")
    title_name: str | None = Field(default=None, description="表中印出的项目名称，与 project 不同时填写")
    title: str | None = Field(default=None, description="表名，与模板的标准表名不同时填写（如区域绩效目标表的全称）")
    budget_unit: str | None = Field(default=None, description="预算单位")
    owner: str | None = Field(default=None, description="项目负责人")
    fiscal: Decimal = Field(default=Decimal(0), ge=0, description="其中：财政拨款（万元）；区域表为中央补助金额")
    other: Decimal = Field(default=Decimal(0), ge=0, description="其他资金（万元）")
    goal: str = Field(default="", description="项目总体目标 / 年度总体目标")
    indicators: list[Indicator] = Field(default_factory=list)
    extra: dict[str, str] = Field(
        default_factory=dict,
        description="模板特有的表头字段，键为印出的标签（如“专项名称”“自治区主管部门”“专项实施期”“中央补助金额（万元）”）",
    )

    @property
    def total(self) -> Decimal:
        """年度预算总额 = 财政拨款 + 其他资金 (derived, never typed in)."""
        return self.fiscal + self.other

    @property
    def printed_name(self) -> str:
        return self.title_name or self.project

    def weight_total(self) -> Decimal:
        return sum((i.weight for i in self.indicators if i.weight is not None), Decimal(0))

    @property
    def weighted(self) -> bool:
        """Whether the template prints weights at all (the area and detail templates do not)."""
        return any(i.weight is not None for i in self.indicators)
