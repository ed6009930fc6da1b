"""Funding sources (收入 / 资金来源) at the leaf level, and how they group.

Every spending line names exactly one leaf source. Group totals (财政拨款, 单位资金, 上年结转结余 …)
are derived from these, never typed in.
"""

from __future__ import annotations

from enum import StrEnum


class Source(StrEnum):
    GENERAL = "general"  # 一般公共预算拨款（本级财力）
    GENERAL_TRANSFER = "general_transfer"  # 上级一般公共预算安排转移支付
    FUND = "fund"  # 政府性基金预算拨款（本级）
    FUND_TRANSFER = "fund_transfer"  # 上级政府性基金安排转移支付
    CAPITAL = "capital"  # 国有资本经营预算拨款（本级）
    CAPITAL_TRANSFER = "capital_transfer"  # 上级国有资本经营预算安排转移支付
    SPECIAL_ACCOUNT = "special_account"  # 财政专户核拨
    BUSINESS = "business"  # 事业收入
    SUPERIOR_SUBSIDY = "superior_subsidy"  # 上级补助收入
    AFFILIATED = "affiliated"  # 附属单位上缴收入
    OPERATING = "operating"  # 事业单位经营收入
    OTHER = "other"  # 其他收入
    CARRYOVER_GENERAL = "carryover_general"  # 财政拨款结转：一般公共预算
    CARRYOVER_FUND = "carryover_fund"  # 财政拨款结转：政府性基金预算
    CARRYOVER_CAPITAL = "carryover_capital"  # 财政拨款结转：国有资本经营预算
    CARRYOVER_SPECIAL_ACCOUNT = "carryover_special_account"  # 非财政拨款结转结余：财政专户核拨
    CARRYOVER_UNIT = "carryover_unit"  # 非财政拨款结转结余：单位资金


SOURCE_LABELS: dict[Source, str] = {
    Source.GENERAL: "一般公共预算拨款",
    Source.GENERAL_TRANSFER: "上级一般公共预算安排转移支付",
    Source.FUND: "政府性基金预算拨款",
    Source.FUND_TRANSFER: "上级政府性基金安排转移支付",
    Source.CAPITAL: "国有资本经营预算拨款",
    Source.CAPITAL_TRANSFER: "上级国有资本经营预算安排转移支付",
    Source.SPECIAL_ACCOUNT: "财政专户核拨",
    Source.BUSINESS: "事业收入",
    Source.SUPERIOR_SUBSIDY: "上级补助收入",
    Source.AFFILIATED: "附属单位上缴收入",
    Source.OPERATING: "事业单位经营收入",
    Source.OTHER: "其他收入",
    Source.CARRYOVER_GENERAL: "财政拨款结转（一般公共预算）",
    Source.CARRYOVER_FUND: "财政拨款结转（政府性基金预算）",
    Source.CARRYOVER_CAPITAL: "财政拨款结转（国有资本经营预算）",
    Source.CARRYOVER_SPECIAL_ACCOUNT: "非财政拨款结转结余（财政专户核拨）",
    Source.CARRYOVER_UNIT: "非财政拨款结转结余（单位资金）",
}

# Named groups of sources. A group key is also a valid subject for last-year figures
# ("income:<group>") and a column key in tables ("s:<group>").
SOURCE_GROUPS: dict[str, tuple[Source, ...]] = {
    "general_budget": (Source.GENERAL, Source.GENERAL_TRANSFER),  # 一般公共预算拨款（合计）
    "fund_budget": (Source.FUND, Source.FUND_TRANSFER),
    "capital_budget": (Source.CAPITAL, Source.CAPITAL_TRANSFER),
    "fiscal": (  # 财政拨款（本年）
        Source.GENERAL, Source.GENERAL_TRANSFER, Source.FUND, Source.FUND_TRANSFER,
        Source.CAPITAL, Source.CAPITAL_TRANSFER,
    ),
    "unit_funds": (Source.BUSINESS, Source.SUPERIOR_SUBSIDY, Source.AFFILIATED, Source.OPERATING, Source.OTHER),
    "current_year": (  # 本年收入
        Source.GENERAL, Source.GENERAL_TRANSFER, Source.FUND, Source.FUND_TRANSFER,
        Source.CAPITAL, Source.CAPITAL_TRANSFER, Source.SPECIAL_ACCOUNT,
        Source.BUSINESS, Source.SUPERIOR_SUBSIDY, Source.AFFILIATED, Source.OPERATING, Source.OTHER,
    ),
    "carryover_fiscal": (Source.CARRYOVER_GENERAL, Source.CARRYOVER_FUND, Source.CARRYOVER_CAPITAL),
    "carryover_nonfiscal": (Source.CARRYOVER_SPECIAL_ACCOUNT, Source.CARRYOVER_UNIT),
    "carryover": (
        Source.CARRYOVER_GENERAL, Source.CARRYOVER_FUND, Source.CARRYOVER_CAPITAL,
        Source.CARRYOVER_SPECIAL_ACCOUNT, Source.CARRYOVER_UNIT,
    ),
    # 一般公共预算 including its carry-over: what "一般公共预算支出" tables show in regions that
    # include last year's 财政拨款结转 in them (profile setting).
    "general_with_carryover": (Source.GENERAL, Source.GENERAL_TRANSFER, Source.CARRYOVER_GENERAL),
    "fund_with_carryover": (Source.FUND, Source.FUND_TRANSFER, Source.CARRYOVER_FUND),
    "capital_with_carryover": (Source.CAPITAL, Source.CAPITAL_TRANSFER, Source.CARRYOVER_CAPITAL),
    "fiscal_with_carryover": (
        Source.GENERAL, Source.GENERAL_TRANSFER, Source.FUND, Source.FUND_TRANSFER,
        Source.CAPITAL, Source.CAPITAL_TRANSFER,
        Source.CARRYOVER_GENERAL, Source.CARRYOVER_FUND, Source.CARRYOVER_CAPITAL,
    ),
    "all": tuple(Source),
}

GROUP_LABELS: dict[str, str] = {
    "general_budget": "一般公共预算拨款",
    "fund_budget": "政府性基金预算拨款",
    "capital_budget": "国有资本经营预算拨款",
    "fiscal": "财政拨款",
    "unit_funds": "单位资金",
    "current_year": "本年收入",
    "carryover_fiscal": "财政拨款结转",
    "carryover_nonfiscal": "非财政拨款结转结余",
    "carryover": "上年结转结余",
    "general_with_carryover": "一般公共预算（含结转）",
    "fund_with_carryover": "政府性基金预算（含结转）",
    "capital_with_carryover": "国有资本经营预算（含结转）",
    "fiscal_with_carryover": "财政拨款（含结转）",
    "all": "合计",
}


def sources_of(key: str) -> tuple[Source, ...]:
    """A leaf source name or a group name → the leaf sources it covers."""
    if key in SOURCE_GROUPS:
        return SOURCE_GROUPS[key]
    return (Source(key),)


def label_of(key: str) -> str:
    if key in GROUP_LABELS:
        return GROUP_LABELS[key]
    return SOURCE_LABELS[Source(key)]
