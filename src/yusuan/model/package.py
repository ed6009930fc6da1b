"""The facts of one department's budget (or final account) package.

Facts only: leaf amounts by function 项 × source, basic spending by economic 款, projects with their
funding and allocation lines, last year's figures with the reasons for each change, and the texts.
Every total a disclosure prints (类, 款, 合计, 小计, table totals, shares, rates) is derived from these
(see ``yusuan.derive``) and never typed in.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

from yusuan.amounts import to_decimal
from yusuan.model.origins import Origins
from yusuan.model.performance import PerformanceTable
from yusuan.model.sources import Source


def _amount(value: object) -> Decimal:
    try:
        return to_decimal(value)
    except ValueError as exc:
        raise ValueError(f"应为金额（万元，数字），实际为 {value!r}") from exc


def _max_places(value: Decimal) -> Decimal:
    # Amounts are 万元; one 元 is 0.0001 万元, so more than four places is a typing error.
    if value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueError(f"金额 {value} 的小数位超过 4 位（万元计到元为止）")
    return value


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"金额不能为负数：{value}")
    return value


Amount = Annotated[Decimal, BeforeValidator(_amount), AfterValidator(_max_places), AfterValidator(_non_negative)]
SignedAmount = Annotated[Decimal, BeforeValidator(_amount), AfterValidator(_max_places)]


def _code(pattern: str, digits: str, what: str):
    regex = re.compile(pattern)

    def check(value: object) -> str:
        text = str(value).strip()
        if not regex.fullmatch(text):
            raise ValueError(f"{what}应为 {digits} 位数字编码，实际为 {value!r}")
        return text

    return check


FunctionCode = Annotated[str, BeforeValidator(_code(r"\d{7}", "7", "支出功能分类项级科目"))]
EconomicCode = Annotated[str, BeforeValidator(_code(r"\d{5}", "5", "部门预算支出经济分类款级科目"))]
EconomicClassOrItem = Annotated[str, BeforeValidator(_code(r"\d{3}|\d{5}", "3 或 5", "经济分类科目"))]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


# ---------------------------------------------------------------- the unit and Part 1

class Unit(Strict):
    name: str = Field(description="部门（单位）简称，如“昌吉州自然资源局”")
    full_name: str | None = Field(default=None, description="全称，如“昌吉回族自治州自然资源局”")
    code: str | None = Field(default=None, description="预算单位编码")
    budget_year: int = Field(ge=2000, le=2100, description="预算年度")
    phase: Literal["budget", "final"] = Field(default="budget", description="budget：部门预算；final：部门决算")
    profile: str = Field(default="xinjiang", description="地区版式（profiles/ 下的文件名）")
    date_signed: dt.date | None = Field(default=None, description="落款日期")
    region: str | None = Field(default=None, description="所属地区，如“昌吉回族自治州”")


class StaffCount(Strict):
    count: int = Field(ge=0)
    change: int = Field(default=0, description="比上年增减人数（减少为负数）")


class Staffing(Strict):
    authorized: int = Field(ge=0, description="编制数")
    active: StaffCount = Field(description="在职")
    retired: StaffCount = Field(description="退休")
    veteran: StaffCount = Field(description="离休")
    stated_actual: int | None = Field(default=None, ge=0, description="文中写明的实有人数（应等于在职+退休+离休）")

    @property
    def actual(self) -> int:
        """实有人数 = 在职 + 退休 + 离休 (derived)."""
        return self.active.count + self.retired.count + self.veteran.count


class Overview(Strict):
    functions: list[str] = Field(default_factory=list, description="主要职能，每条一段")
    institutions: str = Field(default="", description="机构设置情况说明")
    subordinate_units: list[str] = Field(default_factory=list, description="下属预算单位")
    divisions: list[str] = Field(default_factory=list, description="内设科室")
    staffing: Staffing | None = None


# ---------------------------------------------------------------- money

class BasicLine(Strict):
    """基本支出 at the leaf: one function 项 from one source."""

    function: FunctionCode
    source: Source = Source.GENERAL
    amount: Amount


class EconomicLine(Strict):
    """基本支出 by economic 款 (the detail of the general-budget basic-spending table)."""

    economic: EconomicCode
    source: Source = Source.GENERAL
    amount: Amount
    printed_name: str | None = Field(default=None, description="表中印出的科目名称（与目录不同时保留原文）")


class Funding(Strict):
    source: Source
    amount: Amount


class ProjectEconomic(Strict):
    """A project's spending by economic 类 or 款 (the columns of the project-spending table)."""

    economic: EconomicClassOrItem
    amount: Amount


class AllocationLine(Strict):
    purpose: str = Field(description="资金用途，如“7个县市外业核实经费”")
    amount: Amount


class Transfer(Strict):
    """A project that pays money to another budget unit of the same department: 对附属单位补助 (to a
    subordinate unit, which receives it as 上级补助收入) or 上缴上级 (to the unit above, which receives it
    as 附属单位上缴收入). Marked so that consolidation can eliminate it (``yusuan.consolidate``)."""

    kind: Literal["affiliated_subsidy", "remit_superior"] = Field(description="affiliated_subsidy：对附属单位补助；remit_superior：上缴上级")
    unit: str = Field(description="收款单位名称（与其预算包的单位简称相同）")


class Project(Strict):
    name: str
    function: FunctionCode = Field(description="支出功能分类项级科目")
    funding: list[Funding] = Field(min_length=1, description="资金来源及金额")
    economic: list[ProjectEconomic] = Field(default_factory=list, description="按经济分类的支出（类或款）")
    policy_basis: str | None = Field(default=None, description="设立的政策依据")
    implementer: str | None = Field(default=None, description="项目承担单位")
    allocation: list[AllocationLine] = Field(default_factory=list, description="资金分配情况")
    period: str | None = Field(default=None, description="资金执行时间（原文）")
    described_name: str | None = Field(default=None, description="情况说明中使用的项目名称（与表中不同时填写）")
    note: str | None = Field(default=None, description="备注（如与公开文本的出入）")
    transfer: Transfer | None = Field(default=None, description="转给本部门另一预算单位的资金（汇总时抵销）")

    @property
    def total(self) -> Decimal:
        """预算安排规模 = Σ funding (derived)."""
        return sum((f.amount for f in self.funding), Decimal(0))


class SanGongLine(Strict):
    item: Literal["abroad", "vehicle_purchase", "vehicle_operation", "reception"] = Field(
        description="abroad 因公出国（境）费；vehicle_purchase 公务用车购置费；vehicle_operation 公务用车运行费；reception 公务接待费"
    )
    source: Source = Source.GENERAL
    amount: Amount


class Procurement(Strict):
    goods: Amount = Decimal(0)
    works: Amount = Decimal(0)
    services: Amount = Decimal(0)
    sme_reserved: Amount = Field(default=Decimal(0), description="面向中小企业预留")
    small_micro_reserved: Amount | None = Field(default=None, description="其中：面向小微企业预留")

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


class VehicleHolding(Strict):
    kind: str = Field(description="车辆类别，如“一般公务用车”“执法执勤用车”“其他车辆”")
    count: int = Field(ge=0)
    value: Amount


class Assets(Strict):
    as_of: str = Field(description="截止时间，如“2022年底”")
    buildings_area: Decimal | None = Field(default=None, ge=0, description="房屋面积（平方米）")
    buildings_value: Amount | None = None
    vehicles: list[VehicleHolding] = Field(default_factory=list)
    furniture_value: Amount | None = None
    other_value: Amount | None = None
    equipment_over_50: int | None = Field(default=None, ge=0, description="单位价值50万元以上大型设备（台套）")
    equipment_over_100: int | None = Field(default=None, ge=0, description="单位价值100万元以上大型设备（台套）")
    plan_year: int | None = Field(default=None, description="购置计划所属年度")
    plan_vehicles: int | None = Field(default=None, ge=0, description="安排购置车辆（辆）")
    plan_equipment_over_50: int | None = Field(default=None, ge=0)
    plan_equipment_over_100: int | None = Field(default=None, ge=0)


def _name_text(value: object) -> str:
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ValueError("科目名称为空")
    return text


AnyFunctionCode = Annotated[str, BeforeValidator(_code(r"\d{3}|\d{5}|\d{7}", "3、5 或 7", "支出功能分类科目"))]
AnyEconomicCode = Annotated[str, BeforeValidator(_code(r"\d{3}|\d{5}", "3 或 5", "部门预算支出经济分类科目"))]
ClassName = Annotated[str, BeforeValidator(_name_text)]


class ClassNames(Strict):
    """Names the user gives for classification codes (typed beside a code, or listed on their own).

    Printed where the catalogue of the budget year lacks the code; where the catalogue knows it, its
    name is printed and a differing given name is reported (F.NAMES.CATALOGUE)."""

    function: dict[AnyFunctionCode, ClassName] = Field(
        default_factory=dict, description="支出功能分类科目编码（类 3 位、款 5 位、项 7 位）→ 名称")
    economic: dict[AnyEconomicCode, ClassName] = Field(
        default_factory=dict, description="部门预算支出经济分类科目编码（类 3 位、款 5 位）→ 名称")


class PriorYear(Strict):
    """Last year's figure for one subject, and the stated reason for the change."""

    amount: Amount
    reason: str | None = Field(default=None, description="变动原因（原文，不含“主要原因是”）")


class GlossaryEntry(Strict):
    term: str
    definition: str


# Subjects for last year's figures (keys of BudgetPackage.last_year). Documented here because the
# narrative, the checks and the reader all use the same keys.
SUBJECT_PATTERNS = {
    r"total": "收支总预算",
    r"income:[a-z_]+": "某一收入来源或来源组（见 sources.py）",
    r"expenditure:(basic|project)": "支出预算：基本支出 / 项目支出",
    r"general:(basic|project|total)": "一般公共预算当年拨款：基本支出 / 项目支出 / 合计",
    r"general:function:\d{7}": "一般公共预算当年拨款：某功能分类项级科目",
    r"sangong:(total|abroad|vehicle_purchase|vehicle_operation|reception)": "财政拨款“三公”经费及其分项",
    r"operating_costs": "机关运行经费",
}


class BudgetPackage(Strict):
    """One department's package: everything a disclosure prints is this or derived from it."""

    schema_version: Literal[1] = 1
    unit: Unit
    overview: Overview = Field(default_factory=Overview)
    basic: list[BasicLine] = Field(default_factory=list, description="基本支出：按功能分类项级科目和资金来源")
    basic_economic: list[EconomicLine] = Field(default_factory=list, description="基本支出：按经济分类款级科目")
    projects: list[Project] = Field(default_factory=list)
    sangong: list[SanGongLine] = Field(default_factory=list, description="财政拨款“三公”经费")
    operating_costs: Amount | None = Field(default=None, description="机关运行经费（财政拨款）")
    procurement: Procurement | None = None
    assets: Assets | None = None
    last_year: dict[str, PriorYear] = Field(default_factory=dict, description="上年预算数与变动原因，键见 SUBJECT_PATTERNS")
    performance: list[PerformanceTable] = Field(default_factory=list, description="项目支出绩效目标表")
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    notes: dict[str, str] = Field(default_factory=dict, description="文字说明，如空表说明（键为表的标识）和“其他需说明的事项”")
    class_names: ClassNames = Field(default_factory=ClassNames,
                                    description="录入的科目名称：目录未收录的科目以此印出；与目录不同则给出提示")

    # Where the facts were entered (set by the loaders); not data: never dumped, never compared.
    _origins: Origins | None = PrivateAttr(default=None)

    @property
    def origins(self) -> Origins | None:
        """The sheet/row/column (or file and data path) each fact was entered at, when loaded from a file."""
        # Read from pydantic's private store directly: ``self._origins`` goes through BaseModel.__getattr__
        # after a failed attribute lookup (~4 µs; the checks ask ~70 times per package).
        private = self.__pydantic_private__
        return private.get("_origins") if private else None

    def with_origins(self, origins: Origins | None) -> "BudgetPackage":
        self._origins = origins
        return self

    def __eq__(self, other: object) -> bool:
        # the same facts are the same package wherever they were typed in
        if not isinstance(other, BudgetPackage):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    @model_validator(mode="after")
    def _check_keys(self) -> "BudgetPackage":
        bad = [k for k in self.last_year if not any(re.fullmatch(p, k) for p in SUBJECT_PATTERNS)]
        if bad:
            raise ValueError(f"last_year 中的键无法识别：{', '.join(bad)}（可用：{', '.join(SUBJECT_PATTERNS)}）")
        names = [p.name for p in self.projects]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"项目名称重复：{', '.join(dupes)}")
        return self
