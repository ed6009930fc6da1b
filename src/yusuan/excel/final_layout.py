"""The final-account (部门决算) input workbook: which sheet holds which facts of a ``FinalAccount``.

Same conventions as the budget workbook (``layout``): table sheets have Chinese headers in row 1, the
field keys in a hidden row 2 and data from row 3; key–value sheets list one fact per row with the field
path in a hidden column D. Sheets whose facts are the same in both (概况, 人员编制, 基本支出（经济分类）,
国有资产, 科目名称, 名词解释, 说明) are shared with the budget workbook. A workbook is a final account's when
it holds the sheet ``MARKER`` (本年支出决算).
"""

from __future__ import annotations

from yusuan.excel import layout as L
from yusuan.excel.layout import AMOUNT_NOTE, Column, Field_, KeyValueSheet, TableSheet
from yusuan.model.final import KIND_LABELS, REASON_PATTERNS
from yusuan.model.package import SUBJECT_PATTERNS

# 上年决算数 keys: those of a budget package's last_year, and 财政拨款 as a whole
LAST_YEAR_PATTERNS = {**SUBJECT_PATTERNS, r"fiscal:total": "财政拨款收支总计"}

UNIT = KeyValueSheet(
    "单位信息",
    (
        Field_(("unit", "name"), "部门（单位）简称", "text", "必填，如“上海市普陀区财政局”"),
        Field_(("unit", "full_name"), "全称", "text"),
        Field_(("unit", "code"), "预算单位编码", "text"),
        Field_(("unit", "budget_year"), "决算年度", "int", "必填，四位数字：决算所属的年度，如 2024"),
        Field_(("unit", "profile"), "地区版式", "text", "缺省为 final_common（九张表通用版式）；上海为 shanghai_final"),
        Field_(("unit", "date_signed"), "落款日期", "date", "如 2025-08-20"),
        Field_(("unit", "region"), "所属地区", "text"),
    ),
    "部门（单位）名称、决算年度、版式和落款日期。",
)

BALANCES = KeyValueSheet(
    "结余分配",
    (
        Field_(("nonfiscal_balance_used",), "使用非财政拨款结余（含专用结余）（万元）", "amount", "没有填 0 或留空"),
        Field_(("special_reserve_drawn",), "结余分配：提取专用结余（万元）", "amount", "没有填 0 或留空"),
        Field_(("other_distribution",), "结余分配：其他（交纳所得税等）（万元）", "amount", "没有填 0 或留空"),
    ),
    "使用非财政拨款结余和结余分配（年末结转和结余不填，由年初结转和结余 + 收入 − 支出推导）。",
)

OPERATING_COSTS = KeyValueSheet(
    "机关运行经费",
    (
        Field_(("operating_costs", "budget"), "预算数（万元）", "amount", "不填为未知"),
        Field_(("operating_costs", "actual"), "决算数（万元）", "amount", "公开机关运行经费时必填"),
        Field_(("operating_costs", "reason"), "决算数与预算数不同的原因", "text", "不含“主要原因是”"),
    ),
    "财政拨款安排的机关运行经费：预算数、决算数及差异原因。整张表留空表示不公开此项。",
    optional_group="operating_costs",
)

PROCUREMENT = KeyValueSheet(
    "政府采购",
    (
        Field_(("procurement", "goods"), "政府采购货物支出（万元）", "amount"),
        Field_(("procurement", "works"), "政府采购工程支出（万元）", "amount"),
        Field_(("procurement", "services"), "政府采购服务支出（万元）", "amount"),
        Field_(("procurement", "sme_reserved"), "面向中小企业预留政府采购项目预算金额（万元）", "amount"),
        Field_(("procurement", "sme_awarded"), "授予中小企业合同金额（万元）", "amount"),
        Field_(("procurement", "small_micro_awarded"), "其中：授予小微企业合同金额（万元）", "amount"),
    ),
    "政府采购实际支出（货物、工程、服务；总额由三者相加）及授予中小企业合同金额。整张表留空表示不公开此项。",
    optional_group="procurement",
)

INCOME = TableSheet(
    "本年收入",
    (
        Column("function", "功能分类科目（项）", "function", 34, note="7 位项级科目编码"),
        Column("source", "资金来源", "source", 30, note="本年收入的来源；上年结转和结余填在“年初结转和结余”表"),
        Column("amount", "收入决算数（万元）", "amount", 16, note=AMOUNT_NOTE),
    ),
    "本年收入决算数：每个功能分类项级科目、每个资金来源一行。",
)
SPENDING = TableSheet(
    "本年支出决算",
    (
        Column("function", "功能分类科目（项）", "function", 34, note="7 位项级科目编码"),
        Column("source", "资金来源", "source", 30),
        Column("kind", "支出类型", "choice:kind", 16, note="基本支出 / 项目支出 / 上缴上级支出 / 经营支出 / 对附属单位补助支出"),
        Column("actual", "决算数（万元）", "amount", 14, note=AMOUNT_NOTE),
        Column("initial_budget", "年初预算数（万元）", "amount", 14, required=False, note="不填为未知（不印完成率），不是零"),
        Column("adjusted_budget", "全年预算数（万元）", "amount", 14, required=False, note="调整预算数；不填为未知"),
    ),
    "本年支出：每个功能分类项级科目、资金来源和支出类型一行，填决算数及年初预算数、全年预算数。",
)
CARRYOVER = TableSheet(
    "年初结转和结余",
    (
        Column("function", "功能分类科目（项）", "function", 34, note="7 位项级科目编码"),
        Column("source", "资金来源", "source", 30, note="财政拨款来源，或单位资金（非财政拨款）"),
        Column("amount", "年初结转和结余（万元）", "amount", 16, note=AMOUNT_NOTE),
    ),
    "年初结转和结余：每个功能分类项级科目、每个资金来源一行（年末数不填，由系统推导）。",
)
SANGONG = TableSheet(
    "三公经费决算",
    (
        Column("item", "项目", "choice:sangong", 20),
        Column("budget", "预算数（万元）", "amount", 14, required=False, note="全年预算数；不填为未知"),
        Column("actual", "决算数（万元）", "amount", 14, note=AMOUNT_NOTE),
        Column("reason", "决算数与预算数不同的原因", "text", 50, required=False, note="不含“主要原因是”"),
    ),
    "财政拨款“三公”经费：每个项目一行（小计、合计不填）。",
)
REASONS = TableSheet(
    "差异原因",
    (
        Column("subject", "科目键", "text", 30,
               note="general:total、fiscal:total、sangong:total 或 general:function:7位项级科目（见填写说明）"),
        Column("label", "科目说明（自动生成，不读取）", "text", 36, required=False, info=True),
        Column("reason", "决算数与年初预算数不同的原因", "text", 60, note="不含“主要原因是”"),
    ),
    "决算数与年初预算数（“三公”经费为预算数）不同的原因，每个科目一行。",
)
LAST_YEAR = TableSheet(
    "上年决算数及变动原因",
    (
        Column("subject", "科目键", "subject", 30, note="如 total、fiscal:total、sangong:total、operating_costs"),
        Column("label", "科目说明（自动生成，不读取）", "text", 36, required=False, info=True),
        Column("amount", "上年决算数（万元）", "amount", 14, note=AMOUNT_NOTE),
        Column("reason", "变动原因", "text", 50, note="不含“主要原因是”"),
    ),
    "上年度决算数及本年变动原因，每个科目一行。",
)

PERFORMANCE_RESULTS = TableSheet(
    "绩效自评结果",
    (
        Column("project", "项目名称", "text", 36),
        Column("budget", "涉及预算金额（万元）", "amount", 14, note=AMOUNT_NOTE),
        Column("score", "自评得分", "decimal", 10, note="百分制，如 yusuan perf 的得分；评级由得分推导（优≥90、良≥80、合格≥60）"),
        Column("issues", "发现问题（个）", "int", 12, required=False),
        Column("issues_fixed", "已完成整改（个）", "int", 12, required=False),
    ),
    "项目绩效自评结果，每个项目一行（平均分、各评级项目数由系统推导）。",
    required=False,
)

MARKER = SPENDING.name

KEY_VALUE_SHEETS = (UNIT, BALANCES, L.STAFFING, OPERATING_COSTS, PROCUREMENT, L.ASSETS)
TABLE_SHEETS = (L.OVERVIEW, INCOME, SPENDING, CARRYOVER, L.BASIC_ECONOMIC, L.CLASS_NAMES, SANGONG, L.VEHICLES,
                REASONS, LAST_YEAR, PERFORMANCE_RESULTS, L.GLOSSARY, L.NOTES)
SHEET_ORDER = (UNIT, L.OVERVIEW, L.STAFFING, INCOME, SPENDING, CARRYOVER, BALANCES, L.BASIC_ECONOMIC, L.CLASS_NAMES,
               SANGONG, OPERATING_COSTS, PROCUREMENT, L.ASSETS, L.VEHICLES, REASONS, LAST_YEAR,
               PERFORMANCE_RESULTS, L.GLOSSARY, L.NOTES)

KINDS = dict(KIND_LABELS)


def describe_reason(key: str, function_names: dict[str, str]) -> str:
    """A Chinese description of a reason key (for the reader; never read back)."""
    if key.startswith("general:function:"):
        code = key.rsplit(":", 1)[1]
        return f"一般公共预算财政拨款：{code} {function_names.get(code, '')}".rstrip()
    return {k: v for k, v in (("general:total", "一般公共预算财政拨款支出合计"), ("fiscal:total", "财政拨款支出合计"),
                              ("sangong:total", "“三公”经费合计"))}.get(key, REASON_PATTERNS.get(key, "（无法识别的科目键）"))
