"""The workbook layout: which sheet holds which facts, in which columns, under which Chinese headers.

Reading and writing share this one description so that they cannot drift apart. Table sheets have
Chinese headers in row 1, the field keys in a hidden row 2 (so reading never depends on the wording of
a header) and data from row 3. Key–value sheets list one fact per row: label, value, help, and the
field path in a hidden column D.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yusuan.model.final import KIND_LABELS
from yusuan.model.sources import SOURCE_LABELS, Source

HEADER_ROW = 1
KEY_ROW = 2
FIRST_DATA_ROW = 3


@dataclass(frozen=True)
class Column:
    key: str  # field name, written in the hidden key row
    label: str  # Chinese header
    # text | amount | decimal | int | function | economic | economic_any | source | choice:<name> | project
    # | subject (a last-year key, offered in a list) | date | code (a classification code of any level)
    kind: str
    width: int = 14
    required: bool = True  # the column must be present when reading
    info: bool = False  # written for the reader only, ignored when reading
    hidden: bool = False
    note: str = ""  # shown as the header's comment


@dataclass(frozen=True)
class TableSheet:
    name: str
    columns: tuple[Column, ...]
    purpose: str  # one line for the instructions sheet
    required: bool = True  # False: a workbook made before the sheet existed is read without it

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class Field_:
    path: tuple[str, ...]  # where the value goes in the package data
    label: str
    kind: str
    help: str = ""


@dataclass(frozen=True)
class KeyValueSheet:
    name: str
    fields: tuple[Field_, ...]
    purpose: str
    optional_group: str | None = None  # the package key that becomes None when every value is blank
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------ choices shown as Chinese labels

PHASES = {"budget": "部门预算", "final": "部门决算"}
SANGONG_ITEMS = {
    "abroad": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "reception": "公务接待费",
}
PERFORMANCE_FORMATS = {
    "department": "部门项目绩效目标表",
    "area": "中央转移支付区域绩效目标表",
    "transfer_detail": "上级提前下达项目明细表",
}
OVERVIEW_PARTS = {
    "functions": "主要职能",
    "institutions": "机构设置",
    "subordinate_units": "下属单位",
    "divisions": "内设科室",
}
CLASSIFICATIONS = {"function": "支出功能分类", "economic": "部门预算支出经济分类"}
CHOICES: dict[str, dict[str, str]] = {
    "source": {s.value: SOURCE_LABELS[s] for s in Source},
    "phase": PHASES,
    "sangong": SANGONG_ITEMS,
    "format": PERFORMANCE_FORMATS,
    "overview": OVERVIEW_PARTS,
    "classification": CLASSIFICATIONS,
    "kind": dict(KIND_LABELS),  # 支出类型 of a final account's spending
    "transfer": {"affiliated_subsidy": "对附属单位补助", "remit_superior": "上缴上级"},  # Transfer.kind
}

# ------------------------------------------------------------------ key–value sheets

UNIT = KeyValueSheet(
    "单位信息",
    (
        Field_(("unit", "name"), "部门（单位）简称", "text", "必填，如“昌吉州自然资源局”"),
        Field_(("unit", "full_name"), "全称", "text", "如“昌吉回族自治州自然资源局”"),
        Field_(("unit", "code"), "预算单位编码", "text"),
        Field_(("unit", "budget_year"), "预算年度", "int", "必填，四位数字，如 2023"),
        Field_(("unit", "phase"), "公开类别", "choice:phase", "部门预算 或 部门决算"),
        Field_(("unit", "profile"), "地区版式", "text", "缺省为 xinjiang"),
        Field_(("unit", "date_signed"), "落款日期", "date", "如 2023-01-20"),
        Field_(("unit", "region"), "所属地区", "text", "如“昌吉回族自治州”"),
        Field_(("operating_costs",), "机关运行经费（万元）", "amount", "财政拨款安排的机关运行经费"),
    ),
    "部门（单位）名称、预算年度、版式、落款日期，以及机关运行经费。",
)


def _staff(part: str, label: str) -> tuple[Field_, ...]:
    return (
        Field_(("overview", "staffing", part, "count"), f"{label}人数", "int"),
        Field_(("overview", "staffing", part, "change"), f"{label}人数比上年增减", "int", "减少填负数，无变化填 0"),
    )


STAFFING = KeyValueSheet(
    "人员编制",
    (
        Field_(("overview", "staffing", "authorized"), "编制数", "int"),
        *_staff("active", "在职"),
        *_staff("retired", "退休"),
        *_staff("veteran", "离休"),
        Field_(("overview", "staffing", "stated_actual"), "文中写明的实有人数", "int", "可不填；实有人数由在职+退休+离休推导"),
    ),
    "编制数与在职、退休、离休人数及其变化（实有人数不必填写，由三者相加）。",
    optional_group="staffing",
)

PROCUREMENT = KeyValueSheet(
    "政府采购",
    (
        Field_(("procurement", "goods"), "货物类（万元）", "amount"),
        Field_(("procurement", "works"), "工程类（万元）", "amount"),
        Field_(("procurement", "services"), "服务类（万元）", "amount"),
        Field_(("procurement", "sme_reserved"), "面向中小企业预留（万元）", "amount"),
        Field_(("procurement", "small_micro_reserved"), "其中：面向小微企业预留（万元）", "amount"),
    ),
    "政府采购预算（货物、工程、服务；合计由三者相加）及面向中小企业预留。整张表留空表示不公开此项。",
    optional_group="procurement",
)

ASSETS = KeyValueSheet(
    "国有资产",
    (
        Field_(("assets", "as_of"), "截止时间", "text", "必填，如“2022年底”"),
        Field_(("assets", "buildings_area"), "房屋面积（平方米）", "decimal"),
        Field_(("assets", "buildings_value"), "房屋价值（万元）", "amount"),
        Field_(("assets", "furniture_value"), "家具等价值（万元）", "amount"),
        Field_(("assets", "other_value"), "其他资产价值（万元）", "amount"),
        Field_(("assets", "equipment_over_50"), "单位价值50万元以上大型设备（台套）", "int"),
        Field_(("assets", "equipment_over_100"), "单位价值100万元以上大型设备（台套）", "int"),
        Field_(("assets", "plan_year"), "购置计划所属年度", "int"),
        Field_(("assets", "plan_vehicles"), "计划购置车辆（辆）", "int"),
        Field_(("assets", "plan_equipment_over_50"), "计划购置50万元以上设备（台套）", "int"),
        Field_(("assets", "plan_equipment_over_100"), "计划购置100万元以上设备（台套）", "int"),
    ),
    "国有资产占有使用情况及购置计划；车辆明细填在“国有资产车辆”表。整张表留空表示不公开此项。",
    optional_group="assets",
)

KEY_VALUE_SHEETS = (UNIT, STAFFING, PROCUREMENT, ASSETS)

# ------------------------------------------------------------------ table sheets

AMOUNT_NOTE = "万元，保留两位小数（最多四位）"

OVERVIEW = TableSheet(
    "概况",
    (
        Column("part", "类别", "choice:overview", 14, note="主要职能 / 机构设置 / 下属单位 / 内设科室"),
        Column("text", "内容", "text", 100, note="每行一条（一段职能、一个单位或科室）"),
    ),
    "部门概况：主要职能（每段一行）、机构设置、下属单位和内设科室（每个一行）。",
)
BASIC = TableSheet(
    "基本支出（功能分类）",
    (
        Column("function", "功能分类科目（项）", "function", 34, note="7 位项级科目编码，可从下拉列表选择"),
        Column("source", "资金来源", "source", 30),
        Column("amount", "金额（万元）", "amount", 14, note=AMOUNT_NOTE),
    ),
    "基本支出：每个功能分类项级科目、每个资金来源一行。",
)
BASIC_ECONOMIC = TableSheet(
    "基本支出（经济分类）",
    (
        Column("economic", "经济分类科目（款）", "economic", 30, note="5 位款级科目编码"),
        Column("source", "资金来源", "source", 30),
        Column("amount", "金额（万元）", "amount", 14, note=AMOUNT_NOTE),
        Column("printed_name", "表中印出的科目名称", "text", 24, required=False, note="与目录名称不同时才填写"),
    ),
    "基本支出按部门预算支出经济分类款级科目和资金来源的明细。",
)
CLASS_NAMES = TableSheet(
    "科目名称",
    (
        Column("classification", "分类", "choice:classification", 24, note="支出功能分类 / 部门预算支出经济分类"),
        Column("code", "科目编码", "code", 14, note="功能分类类 3 位、款 5 位、项 7 位；经济分类类 3 位、款 5 位"),
        Column("name", "科目名称", "text", 36),
    ),
    "科目目录（内置目录不完整）未收录的科目名称，每个科目一行，类、款、项都可填写；目录已收录的科目以目录名称为准，"
    "填写的名称与目录不同时校验会提示。也可在填写编码的单元格中写成“编码 名称”。",
    required=False,
)
PROJECTS = TableSheet(
    "项目",
    (
        Column("name", "项目名称", "text", 36, note="必填，不得重复；其他项目表以此名称关联"),
        Column("function", "功能分类科目（项）", "function", 34),
        Column("policy_basis", "设立的政策依据", "text", 40),
        Column("implementer", "项目承担单位", "text", 20),
        Column("period", "资金执行时间", "text", 20),
        Column("described_name", "情况说明中的项目名称", "text", 24, required=False, note="与项目名称不同时才填写"),
        Column("note", "备注", "text", 30, required=False),
        # Project.transfer, in two cells: consolidation (``yusuan consolidate``) eliminates these transfers
        Column("transfer_kind", "转拨本部门其他单位", "choice:transfer", 18, required=False,
               note="项目资金转给本部门另一预算单位时填写（对附属单位补助 / 上缴上级），汇总时抵销"),
        Column("transfer_unit", "收款单位", "text", 20, required=False, note="与“转拨本部门其他单位”同时填写：收款单位的简称"),
    ),
    "项目支出：每个项目一行（项目金额不在此填写，由“项目资金来源”相加）。",
)
PROJECT_FUNDING = TableSheet(
    "项目资金来源",
    (
        Column("project", "项目名称", "project", 36),
        Column("source", "资金来源", "source", 30),
        Column("amount", "金额（万元）", "amount", 14, note=AMOUNT_NOTE),
    ),
    "每个项目的资金来源及金额（每个来源一行，至少一行）。",
)
PROJECT_ECONOMIC = TableSheet(
    "项目经济分类",
    (
        Column("project", "项目名称", "project", 36),
        Column("economic", "经济分类科目（类或款）", "economic_any", 30, note="3 位类级或 5 位款级编码"),
        Column("amount", "金额（万元）", "amount", 14, note=AMOUNT_NOTE),
    ),
    "每个项目按经济分类（类或款）的支出。",
)
PROJECT_ALLOCATION = TableSheet(
    "项目资金分配",
    (
        Column("project", "项目名称", "project", 36),
        Column("purpose", "资金用途", "text", 40),
        Column("amount", "金额（万元）", "amount", 14, note=AMOUNT_NOTE),
    ),
    "每个项目的资金分配情况（每条用途一行）。",
)
SANGONG = TableSheet(
    "三公经费",
    (
        Column("item", "项目", "choice:sangong", 20),
        Column("source", "资金来源", "source", 30),
        Column("amount", "金额（万元）", "amount", 14, note=AMOUNT_NOTE),
    ),
    "财政拨款“三公”经费：因公出国（境）费、公务用车购置费、公务用车运行费、公务接待费（合计不填）。",
)
VEHICLES = TableSheet(
    "国有资产车辆",
    (
        Column("kind", "车辆类别", "text", 20, note="如“一般公务用车”“执法执勤用车”“其他车辆”"),
        Column("count", "数量（辆）", "int", 12),
        Column("value", "价值（万元）", "amount", 14, note=AMOUNT_NOTE),
    ),
    "国有资产中的车辆，每个类别一行。",
)
LAST_YEAR = TableSheet(
    "上年数及变动原因",
    (
        Column("subject", "科目键", "subject", 30, note="如 total、income:general、general:function:2200101（见填写说明）"),
        Column("label", "科目说明（自动生成，不读取）", "text", 36, required=False, info=True),
        Column("amount", "上年数（万元）", "amount", 14, note=AMOUNT_NOTE),
        Column("reason", "变动原因", "text", 50, note="不含“主要原因是”"),
    ),
    "上年预算数及变动原因，每个科目一行。",
)
GLOSSARY = TableSheet(
    "名词解释",
    (Column("term", "名词", "text", 24), Column("definition", "解释", "text", 100)),
    "名词解释，每个名词一行。",
)
NOTES = TableSheet(
    "说明",
    (
        Column("key", "说明的标识", "text", 24, note="如空表的标识或 other（其他需说明的事项）"),
        Column("text", "说明文字", "text", 100),
    ),
    "文字说明，如空表说明和“其他需说明的事项”，每条一行。",
)
PERFORMANCE = TableSheet(
    "绩效目标表",
    (
        Column("table", "表号", "int", 8, note="1、2、3……，绩效指标表以此关联"),
        Column("project", "项目名称", "project", 36, note="与“项目”表中的名称一致"),
        Column("format", "表格样式", "choice:format", 26),
        Column("title_name", "表中印出的项目名称", "text", 24, required=False, note="与项目名称不同时才填写"),
        Column("title", "表名", "text", 30, required=False, note="与模板的标准表名不同时才填写"),
        Column("budget_unit", "预算单位", "text", 24),
        Column("owner", "项目负责人", "text", 12),
        Column("fiscal", "其中：财政拨款（万元）", "decimal", 14, note=AMOUNT_NOTE),
        Column("other", "其他资金（万元）", "decimal", 14, note=AMOUNT_NOTE),
        Column("goal", "年度总体目标", "text", 60),
    ),
    "项目支出绩效目标表的表头，每张表一行（年度预算总额由财政拨款+其他资金相加，不填）。",
)
PERFORMANCE_EXTRA = TableSheet(
    "绩效目标表附加字段",
    (
        Column("table", "表号", "int", 8),
        Column("key", "字段名", "text", 20, note="模板特有的表头字段，如专项名称、主管部门、实施期"),
        Column("value", "内容", "text", 50),
    ),
    "绩效目标表中模板特有的表头字段（可不填）。",
)
INDICATORS = TableSheet(
    "绩效指标",
    (
        Column("table", "表号", "int", 8),
        Column("level1", "一级指标", "text", 12),
        Column("level2", "二级指标", "text", 14),
        Column("name", "三级指标", "text", 30),
        Column("target", "指标值", "text", 16, note="原样填写，如 =7个、>=90%、<=10万元、有效提高"),
        Column("basis", "指标值设置依据", "text", 20),
        Column("last_year", "上年完成值", "text", 12),
        Column("weight", "权重（分值）", "decimal", 10),
        Column("scoring", "赋分规则", "text", 30),
        Column("evidence", "佐证资料", "text", 20),
    ),
    "绩效指标，每个三级指标一行，用“表号”对应“绩效目标表”中的一张表。",
)

TABLE_SHEETS = (
    OVERVIEW, BASIC, BASIC_ECONOMIC, CLASS_NAMES, PROJECTS, PROJECT_FUNDING, PROJECT_ECONOMIC, PROJECT_ALLOCATION,
    SANGONG, VEHICLES, LAST_YEAR, GLOSSARY, NOTES, PERFORMANCE, PERFORMANCE_EXTRA, INDICATORS,
)

INSTRUCTIONS = "填写说明"
CATALOG = "目录"

# Order of the sheets in the workbook: the order in which a finance officer fills them in.
SHEET_ORDER = (
    UNIT, OVERVIEW, STAFFING, BASIC, BASIC_ECONOMIC, CLASS_NAMES, PROJECTS, PROJECT_FUNDING, PROJECT_ECONOMIC,
    PROJECT_ALLOCATION, SANGONG, PROCUREMENT, ASSETS, VEHICLES, LAST_YEAR, GLOSSARY, NOTES,
    PERFORMANCE, PERFORMANCE_EXTRA, INDICATORS,
)
