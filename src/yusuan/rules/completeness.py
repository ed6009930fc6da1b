"""Completeness (K.*): everything a package must disclose is there, and Part 1 staffing adds up.

Reads the disclosure's tables and sections only. Required tables come from the profile
(``tables``: kinds, or dicts with ``kind``) or the ten national kinds; required Part 1/3/4 sections
from the profile's ``sections`` (ids) or the Xinjiang list. ``yusuan.rules.score`` turns these
findings into the 公开完整性得分.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from yusuan.amounts import normalise_text
from yusuan.disclosure import KINDS, Section, Table
from yusuan.rules.narrative import match_name, name_key, project_name, t7_projects
from yusuan.rules.narrative_base import (
    SAYS_EMPTY, ZERO, cell_wan, explained_by_parts, first, mentioned, placed, required_tables, show, table_is_empty,
)
from yusuan.rules.paragraph_text import normalised, normalised_paragraph
from yusuan.rules.registry import Context, Hit, rule

FUNCTION_TABLES = ("income", "expenditure", "general_expenditure", "fund_expenditure", "capital_expenditure",
                   "fiscal_expenditure")


def _has_text(section: Section | None) -> bool:
    # A long "heading" is body text a reader styled by its numbering ("(一)履行……职责。").
    return section is not None and any(
        p.statements or (normalised(p.text) and (p.style != "heading" or len(p.text.strip()) > 30))
        for p in section.paragraphs)


def _section_text(section: Section | None) -> str:
    # normalised = normalise_text, faster (tests/test_rules_speed_invariance.py)
    return "" if section is None else normalised("".join(p.text for p in section.paragraphs))


@rule("K.TABLE.PRESENT", "公开表格齐全", "fatal", "completeness", reads=tuple(list(KINDS)[:10]))
def tables_present(ctx: Context) -> Iterator[Hit]:
    """Every table the profile requires (the ten national tables by default) is published."""
    what = "决算" if ctx.disclosure.phase == "final" else "预算"
    for kind in required_tables(ctx.profile, ctx.disclosure.phase) or ():
        if ctx.table(kind) is None:
            yield Hit(message=f"缺少{KINDS.get(kind, kind)}（{kind}）：部门{what}公开应包含该表，即使为空表也应公开并说明。",
                      subject=kind, expected=KINDS.get(kind, kind))


@rule("K.TABLE.PRESENT.UNCHECKED", "决算公开的表格齐全未核对", "info", "completeness")
def tables_present_unchecked(ctx: Context) -> Iterator[Hit]:
    """A final account read with a budget layout: which 决算 tables it must print is not known (see
    ``required_tables``), so K.TABLE.PRESENT does not judge; say so rather than stay silent."""
    if ctx.disclosure.phase == "final" and required_tables(ctx.profile, "final") is None:
        yield Hit(message=(f"本文件为部门决算公开，而所用版式“{ctx.profile.get('name') or ctx.disclosure.profile}”"
                           "是预算版式，没有决算表目录，未核对决算表格是否齐全。"))


# A department without general-budget projects prints table 7 empty and says so in its section 七
# (“……2023年没有安排一般公共预算项目支出。”) as it does for tables 8 and 9.
EMPTY_SECTION = {"fund_expenditure": "fund", "capital_expenditure": "capital", "sangong": "sangong",
                 "sangong_operating": "sangong", "general_project": "general_project"}
# What a sentence elsewhere in the text names when it explains the table (“本部门2023年无“三公”经费预算”).
EMPTY_TOPIC = {"fund_expenditure": "政府性基金", "capital_expenditure": "国有资本经营", "sangong": "三公",
               "sangong_operating": "三公", "general_project": "项目支出"}
_SENTENCE = re.compile(r"[^。；;！!\n]+")


def _explains_empty(ctx: Context, table: Table) -> bool:
    """The text says why the table has no figure: its Part 3 section says 空表 or has a sentence saying there
    is nothing (没有、未安排、无……预算、为0、0.00万元), or a sentence anywhere in Part 3 says so naming
    the table's subject (“三公”经费预算数为0.00万元)."""
    d = ctx.disclosure
    own = d.section(EMPTY_SECTION.get(table.kind, ""))
    if own is not None:
        text = "".join(p.text for p in own.paragraphs)
        if "空表" in normalise_text(text) or SAYS_EMPTY.search(text):
            return True
    topic = EMPTY_TOPIC.get(table.kind)
    if not topic:
        return False
    for section in d.sections:
        if section.part != 3:
            continue
        for para in section.paragraphs:
            if topic in para.text and any(topic in m.group(0) and SAYS_EMPTY.search(m.group(0))
                                          for m in _SENTENCE.finditer(para.text)):
                return True
    return False


@rule("K.TABLE.EMPTY_NOTE", "空表附有说明", "warning", "completeness",
      reads=("fund_expenditure", "capital_expenditure", "sangong", "general_project"))
def empty_note(ctx: Context) -> Iterator[Hit]:
    """A table with no figures (every cell blank, “-” or 0) carries a sentence saying why: under the table, in
    its Part 3 section (空表; 没有/未安排/无……预算; 为0、0.00万元), or in a Part 3 sentence that names what the
    table is about (a 三公 table of zeros beside “三公”经费预算数为0.00万元 is explained)."""
    for table in ctx.disclosure.tables:
        if not table_is_empty(table) or (table.empty_note and table.empty_note.strip()):
            continue
        if _explains_empty(ctx, table):
            continue
        yield Hit(message=f"{table.label}没有任何金额，但未注明为空表的原因（如“本部门没有使用……安排的支出，本表为空表”）。",
                  location=table.location, subject=table.kind)


_LEVEL_OF_LENGTH = {3: "类", 5: "款", 7: "项"}


def _level(row) -> str | None:
    if row.level:
        return row.level
    return _LEVEL_OF_LENGTH.get(len(row.code or ""))


def _nonzero(table: Table, row) -> bool:
    value = row.value("total")
    if value is None:
        value = row.value("amount")
    return bool(value)


_CHILD_LENGTH = {"类": 5, "款": 7}  # the code length of a 类's, a 款's rows below it


@rule("K.FUNCTION.DEPTH", "功能分类细化到项级科目", "fatal", "completeness", reads=FUNCTION_TABLES)
def function_depth(ctx: Context) -> Iterator[Hit]:
    """In function tables every non-zero 类 has 款 rows and every 款 has 项 rows. Detail another function table
    of the document prints is not missing detail: this table only leaves rows out (X.T2T3.ROWSET and the
    sums report that, as possibly unlisted rows)."""
    everywhere = [r.code for kind in FUNCTION_TABLES if (t := ctx.table(kind)) is not None
                  for r in t.rows if r.key.startswith("f:") and r.code]
    # Every leading part of the 5- and 7-digit codes: "some code of that length starts with this
    # row's code" is then one set lookup per row, not a scan of all codes (rows × codes per table).
    # The codes are those of every function table, so the sets are built once, not once per table.
    heads = {n: {c[:k] for c in everywhere if len(c) == n for k in range(n + 1)} for n in (5, 7)}
    for kind in FUNCTION_TABLES:
        table = ctx.table(kind)
        if table is None:
            continue
        for row in table.rows:
            if not row.key.startswith("f:") or not row.code:
                continue
            level = _level(row)
            child_len = _CHILD_LENGTH.get(level or "")
            # whether the row is non-zero asked last: only of the few rows without detail below them
            if child_len and row.code not in heads[child_len] and _nonzero(table, row):
                below = "款" if child_len == 5 else "项"
                yield Hit(
                    message=f"{table.label}“{row.code} {row.name}”（{level}，{show(cell_wan(table, row.key, 'total'))}）下没有列出{below}级科目，应细化到项级科目。",
                    location=row.location, subject=row.key,
                )


@rule("K.ECONOMIC.DEPTH", "基本支出细化到经济分类款级科目", "fatal", "completeness", reads=("general_basic",))
def economic_depth(ctx: Context) -> Iterator[Hit]:
    """In table 6 every non-zero economic 类 has 款 rows."""
    table = ctx.table("general_basic")
    if table is None:
        return
    codes = [r.code for r in table.rows if r.key.startswith("e:") and r.code]
    for row in table.rows:
        if row.key.startswith("e:") and row.code and len(row.code) == 3 and _nonzero(table, row):
            if not any(len(c) == 5 and c.startswith(row.code) for c in codes):
                yield Hit(message=f"{table.label}“{row.code} {row.name}”下没有列出款级科目，基本支出应细化到经济分类款级科目。",
                          location=row.location, subject=row.key)


@rule("K.GENERAL.ITEM.TEXT", "一般公共预算每个项级科目都有说明", "warning", "completeness",
      reads=("general", "general_expenditure"))
def general_item_paragraphs(ctx: Context) -> Iterator[Hit]:
    """Each non-zero 项 of table 5 has its paragraph in 一般公共预算当年拨款具体使用情况 (amount, last year, change, reason)."""
    table = ctx.table("general_expenditure")
    if table is None:
        return
    stated = mentioned(ctx, "general:function:")
    # a paragraph whose heading the reading could not tie to its figures (“…行政单位离退休\n（项）”)
    # still describes the 项 it names
    text = "".join(_section_text(s) for s in ctx.disclosure.sections if s.id == "general")
    for row in table.rows:
        if row.key.startswith("f:") and row.code and len(row.code) == 7 and _nonzero(table, row):
            if f"general:function:{row.code}" not in stated and normalise_text(f"{row.name.strip()}（项）") not in text:
                yield Hit(message=(f"{table.label}列有“{row.code} {row.name}”{show(cell_wan(table, row.key, 'total'))}，"
                                   "但第三部分一般公共预算当年拨款具体使用情况中没有该项的说明。"),
                          location=row.location, subject=f"general:function:{row.code}")


@rule("K.GENERAL.ITEM.YOY", "项级科目说明与上年比较", "warning", "completeness", reads=("general",))
def general_item_comparison(ctx: Context) -> Iterator[Hit]:
    """Each 项 paragraph compares with last year (上年预算数 or the change); in a final account, with its 年初预算."""
    seen: dict[str, list] = {}
    for p in placed(ctx, "general:function:"):
        if len(p.subject.rsplit(":", 1)[-1]) == 7:
            seen.setdefault(p.subject, []).append(p)
    if ctx.disclosure.phase == "final":
        # a final account sets each 项's 决算 against its 年初预算 (“年初预算为X万元，支出决算为Y万元”),
        # not against last year
        budgets = mentioned(ctx, "general:function:")
        for subject, ps in seen.items():
            if f"{subject}:budget" not in budgets:
                p = ps[0]
                yield Hit(message=f"{p.where()}“{p.statement.label or subject}”只写了决算数，未与年初预算比较（年初预算数及差异原因）。",
                          location=p.location, subject=subject)
        return
    for subject, ps in seen.items():
        if all(p.statement.change is None and p.statement.last_year is None for p in ps):
            p = ps[0]
            yield Hit(message=f"{p.where()}“{p.statement.label or subject}”只写了本年预算数，未与上年比较（增减额、增减率及原因）。",
                      location=p.location, subject=subject)


@rule("K.BASIC.ECONOMIC.TEXT", "基本支出说明列出经济分类款级科目", "warning", "completeness", reads=("general_basic",))
def basic_economic_text(ctx: Context) -> Iterator[Hit]:
    """The basic-spending section names every non-zero economic 款 of table 6."""
    table = ctx.table("general_basic")
    if table is None or ctx.disclosure.section("general_basic") is None:
        return
    stated = {s.rsplit(":", 1)[-1] for s in mentioned(ctx, "general:economic:")}
    # a 款 named without its amount (“人员经费…主要包括：基本工资、津贴补贴…”) is listed too
    text = _section_text(ctx.disclosure.section("general_basic"))
    missing = [f"{r.code} {r.name}" for r in table.rows
               if r.key.startswith("e:") and r.code and len(r.code) == 5 and _nonzero(table, r) and r.code not in stated
               and normalise_text(r.name) not in text]
    if missing:
        yield Hit(message=f"第三部分基本支出说明没有列出{table.label}中的以下款级科目：{'、'.join(missing)}。",
                  subject="general:economic", expected="、".join(missing))


@rule("K.SANGONG.EXPLAINED", "“三公”经费说明完整（金额、比较、原因）", "warning", "completeness", reads=("sangong",))
def sangong_explained(ctx: Context) -> Iterator[Hit]:
    """The 三公 section states the total and items, compares with last year, and gives reasons for changes."""
    d = ctx.disclosure
    if d.section("sangong") is None:
        return  # K.SECTION.SANGONG
    stated = mentioned(ctx, "sangong:")
    if "sangong:total" not in stated:
        yield Hit(message="“三公”经费说明没有写明“三公”经费总额。", subject="sangong:total")
    missing = [label for key, label in (("sangong:abroad", "因公出国（境）费"), ("sangong:reception", "公务接待费"))
               if key not in stated]
    if "sangong:vehicle" not in stated and "sangong:vehicle_operation" not in stated:
        missing.append("公务用车购置及运行费")
    if missing:
        yield Hit(message=f"“三公”经费说明没有写明：{'、'.join(missing)}。", subject="sangong", expected="、".join(missing))
    sg = [p for p in placed(ctx, "sangong:")]
    if sg and all(p.statement.change is None and p.statement.last_year is None for p in sg):
        yield Hit(message="“三公”经费说明没有与上年预算比较（增减额、增减率）。", subject="sangong", location=sg[0].location)
    changed = {p.subject for p in sg if p.statement.change not in (None, ZERO)}
    explained = {p.subject for p in sg if p.statement.reason or explained_by_parts(ctx, p)}
    for subject in sorted(changed - explained):
        p = next(x for x in sg if x.subject == subject)
        yield Hit(message=f"{p.where()}“{p.statement.label or subject}”比上年有增减，但没有说明增减原因。",
                  location=p.location, subject=subject)


def _needs(ctx: Context, section_id: str, keys: list[tuple[str, str]], what: str) -> Iterator[Hit]:
    d = ctx.disclosure
    section = d.section(section_id)
    if section is None:
        return
    missing = [label for key, label in keys if first(ctx, key) is None and first(ctx, key, "count") is None]
    if missing:
        yield Hit(message=f"第三部分“{section.title}”没有写明{what}：{'、'.join(missing)}。",
                  location=section.location, subject=section_id, expected="、".join(missing))


@rule("K.OPERATING_COSTS", "机关运行经费写明金额", "warning", "completeness", reads=("other.operating_costs",))
def operating_costs_stated(ctx: Context) -> Iterator[Hit]:
    """The 机关运行经费 section states the amount."""
    yield from _needs(ctx, "other.operating_costs", [("operating_costs", "机关运行经费金额")], "")


@rule("K.PROCUREMENT", "政府采购写明货物、工程、服务金额", "warning", "completeness", reads=("other.procurement",))
def procurement_stated(ctx: Context) -> Iterator[Hit]:
    """政府采购预算 with 货物/工程/服务 each given a figure (0 when none)."""
    yield from _needs(ctx, "other.procurement", [("procurement:total", "政府采购预算总额"), ("procurement:goods", "货物"),
                                                 ("procurement:works", "工程"), ("procurement:services", "服务")], "金额")


@rule("K.PROCUREMENT.SME", "政府采购写明面向中小企业预留金额", "warning", "completeness", reads=("other.procurement",))
def procurement_sme(ctx: Context) -> Iterator[Hit]:
    """The share of procurement reserved for small and medium enterprises is stated."""
    yield from _needs(ctx, "other.procurement", [("procurement:sme_reserved", "面向中小企业预留金额")], "")


@rule("K.ASSETS", "国有资产占用情况写明房屋与车辆", "warning", "completeness", reads=("other.assets",))
def assets_stated(ctx: Context) -> Iterator[Hit]:
    """The assets section states buildings and vehicles."""
    text = _section_text(ctx.disclosure.section("other.assets"))
    keys = []
    # the figure may be printed in a form the reading does not turn into a statement (“共有车辆0辆”,
    # “房屋14609.83平方米”): a count or area printed in the section text is stated
    if not _ASSET_TEXT["vehicles"].search(text):
        keys.append(("assets:vehicles", "车辆"))
    if first(ctx, "assets:buildings_area") is None and not _ASSET_TEXT["buildings"].search(text):
        keys.append(("assets:buildings_value", "房屋"))
    yield from _needs(ctx, "other.assets", keys, "")


_ASSET_TEXT = {"vehicles": re.compile(r"车辆[^0-9。；;]{0,6}\d+辆"),
               "buildings": re.compile(r"房屋[^0-9。；;]{0,8}[0-9][0-9,.]*(平方米|万元|㎡)")}


@rule("K.PERFORMANCE.SUMMARY", "预算绩效情况写明项目个数和金额", "warning", "completeness", reads=("other.performance",))
def performance_summary(ctx: Context) -> Iterator[Hit]:
    """预算绩效情况 states how many projects, for how much, are under performance management."""
    d = ctx.disclosure
    section = d.section("other.performance")
    if section is None:
        return
    ps = [p for p in placed(ctx, "performance:")]
    if not ps or all(p.statement.count is None or p.statement.amount is None for p in ps):
        yield Hit(message=f"第三部分“{section.title}”没有写明纳入绩效管理的项目个数和涉及金额。", subject="performance")


@rule("K.PROJECT.TEXT", "表7每个项目在情况说明中都有说明", "warning", "completeness", reads=("general_project",))
def project_described(ctx: Context) -> Iterator[Hit]:
    """Each project of table 7 is described in Part 3 (policy basis, scale, implementer, allocation, period)."""
    d = ctx.disclosure
    if d.section("general_project") is None:
        return
    described: dict[str, str] = {}
    for p in placed(ctx, "project:"):
        parsed = project_name(p.subject)
        if parsed:
            described[name_key(parsed[0])] = parsed[0]
    for key, (name, total, _rows) in t7_projects(ctx).items():
        if match_name(described, name) is None:
            yield Hit(message=f"表7列有项目“{name}”（{show(total)}），但第三部分项目支出情况说明中没有该项目。",
                      subject=f"project:{name}:scale")


# Each element of a project description and the words templates use for it (Xinjiang first, then
# Shanghai and others); the profile's wording.project_labels adds its own.
PROJECT_FIELDS = {
    "basis": (("政策依据", "立项依据", "设立依据"), "设立的政策依据"),
    "scale": (("规模", "预算安排", "年度预算"), "预算安排规模"),
    "implementer": (("承担单位", "实施主体", "实施单位"), "项目承担单位"),
    "allocation": (("资金分配", "分配情况"), "资金分配情况"),
    "period": (("执行时间", "实施周期", "实施期限", "执行期"), "资金执行时间"),
}


def _field_words(profile: dict) -> list[tuple[tuple[str, ...], str]]:
    labels = (profile.get("wording") or {}).get("project_labels") or {}
    out = []
    for key, (words, label) in PROJECT_FIELDS.items():
        extra = labels.get(key)
        out.append(((*words, normalise_text(extra)) if extra else words, extra or label))
    return out


@rule("K.PROJECT.FIELDS", "项目说明要素齐全", "warning", "completeness", reads=("general_project",))
def project_fields(ctx: Context) -> Iterator[Hit]:
    """Each project block (from 项目名称 to the next) has policy basis, scale, implementer, allocation and period."""
    section = ctx.disclosure.section("general_project")
    if section is None:
        return
    blocks: list[tuple[str, int, str]] = []
    for i, para in enumerate(section.paragraphs, start=1):
        text = normalised_paragraph(ctx, para)  # = normalise_text(para.text), shared with H.DUPLICATE
        if "项目名称" in text:
            blocks.append((text.split("项目名称", 1)[1].lstrip(":：")[:40], i, text))
        elif blocks:
            name, start, body = blocks[-1]
            blocks[-1] = (name, start, body + text)
    fields = _field_words(ctx.profile)
    for name, start, body in blocks:
        missing = [label for words, label in fields if not any(w in body for w in words)]
        if missing:
            yield Hit(message=f"第三部分“{section.title}”第{start}段起的项目“{name}”缺少：{'、'.join(missing)}。",
                      location=section.paragraphs[start - 1].location, subject=f"project:{name}",
                      expected="、".join(missing))


GLOSSARY_TERMS = ("财政拨款", "基本支出", "项目支出", "三公", "机关运行经费")


@rule("K.GLOSSARY", "名词解释包含主要名词", "warning", "completeness", reads=("glossary",))
def glossary_terms(ctx: Context) -> Iterator[Hit]:
    """The glossary explains 财政拨款收入, 基本支出, 项目支出, “三公”经费 and 机关运行经费."""
    section = ctx.disclosure.section("glossary")
    if section is None:
        return
    text = _section_text(section)
    missing = [t for t in GLOSSARY_TERMS if t not in text]
    if missing:
        yield Hit(message=f"名词解释没有解释：{'、'.join(missing)}。", subject="glossary", expected="、".join(missing))


# ---------------------------------------------------------------- staffing (Part 1)

def _layout_asks_staff(profile: dict) -> bool:
    sections = profile.get("sections") or []
    titles = [str(sec.get("title", "")) for sec in sections if isinstance(sec, dict) and sec.get("id") == "overview.institutions"]
    return not titles or any("人员" in t for t in titles)


STAFF = {"staff:authorized": "编制数", "staff:actual": "实有人数", "staff:active": "在职", "staff:retired": "退休",
         "staff:veteran": "离休"}


def _staff(ctx: Context) -> dict:
    out = {}
    for p in placed(ctx, "staff:"):
        if p.statement.count is not None:
            out.setdefault(p.subject, p)
    return out


@rule("K.STAFF.FIGURES", "人员情况写明编制数和实有人数构成", "warning", "completeness", reads=("overview.institutions",))
def staff_figures(ctx: Context) -> Iterator[Hit]:
    """Part 1 states 编制数, 实有人数 and 在职/退休/离休 — where the layout asks for them: its Part 1 section
    is “机构设置及人员情况” (Xinjiang); Shanghai's “部门机构设置” / “部门决算单位构成” lists units only."""
    if not _layout_asks_staff(ctx.profile):
        return
    staff = _staff(ctx)
    missing = [label for key, label in STAFF.items() if key not in staff]
    if missing:
        yield Hit(message=f"第一部分人员情况没有写明：{'、'.join(missing)}。", subject="staff", expected="、".join(missing))


@rule("K.STAFF.SUM", "实有人数 = 在职 + 退休 + 离休", "fatal", "completeness", reads=("overview.institutions",))
def staff_sum(ctx: Context) -> Iterator[Hit]:
    """实有人数 equals 在职 + 退休 + 离休; the stated changes add up the same way."""
    staff = _staff(ctx)
    parts = ("staff:active", "staff:retired", "staff:veteran")
    if "staff:actual" not in staff or not all(k in staff for k in parts):
        return
    actual = staff["staff:actual"]
    n = sum(staff[k].statement.count for k in parts)
    listing = "、".join(f"{STAFF[k]}{staff[k].statement.count}人" for k in parts)
    if n != actual.statement.count:
        yield Hit(message=f"{actual.where()}写明实有人数{actual.statement.count}人，而{listing}合计{n}人。",
                  location=actual.location, subject="staff:actual", stated=str(actual.statement.count), expected=str(n))
    changes = [staff[k].statement.change for k in parts]
    if actual.statement.change is not None and all(c is not None for c in changes):
        total = sum(changes, Decimal(0))
        if total != actual.statement.change:
            yield Hit(message=f"{actual.where()}写明实有人数比上年变动{actual.statement.change}人，而在职、退休、离休的变动合计{total}人。",
                      location=actual.location, subject="staff:actual:change", stated=actual.statement.change, expected=total)


@rule("K.STAFF.AUTHORIZED", "在职人数不超过编制数", "info", "completeness", reads=("overview.institutions",))
def staff_authorized(ctx: Context) -> Iterator[Hit]:
    """在职 above 编制数 is worth a sentence of explanation."""
    staff = _staff(ctx)
    if "staff:active" in staff and "staff:authorized" in staff:
        active, authorized = staff["staff:active"].statement.count, staff["staff:authorized"].statement.count
        if active > authorized:
            yield Hit(message=f"{staff['staff:active'].where()}在职{active}人，超过编制数{authorized}人，建议说明原因。",
                      location=staff["staff:active"].location, subject="staff:active", stated=str(active), expected=str(authorized))


STAFF_SPENDING = (("staff:veteran", "离休", ("30301",), "离休费"), ("staff:retired", "退休", ("30302",), "退休费"))


@rule("K.STAFF.SPENDING", "人员情况与人员经费不矛盾", "warning", "completeness", reads=("overview.institutions", "general_basic"))
def staff_vs_spending(ctx: Context) -> Iterator[Hit]:
    """离休费 (30301) with no 离休 staff, 退休费 (30302) with no retired staff: one of them is wrong."""
    staff = _staff(ctx)
    t6 = ctx.table("general_basic")
    if t6 is None:
        return
    for key, label, codes, item in STAFF_SPENDING:
        if key not in staff or staff[key].statement.count != 0:
            continue
        amount = sum((cell_wan(t6, f"e:{c}", "total") or ZERO for c in codes), ZERO)
        if amount > 0:
            yield Hit(message=(f"{staff[key].where()}写明{label}人员0人，而{t6.label}安排{item}（{'、'.join(codes)}）"
                               f"{show(amount)}：人员情况与人员经费相互矛盾。"),
                      location=staff[key].location, subject=key, stated="0", expected=amount)


# ---------------------------------------------------------------- required sections

SECTION_TITLES = {
    "overview.functions": "主要职能", "overview.institutions": "机构设置及人员情况", "summary": "收支预算总体说明",
    "income": "收入预算说明", "expenditure": "支出预算说明", "fiscal": "财政拨款收支总体说明",
    "general": "一般公共预算当年拨款说明", "general_basic": "一般公共预算基本支出说明",
    "general_project": "一般公共预算项目支出说明", "fund": "政府性基金预算拨款说明", "capital": "国有资本经营预算拨款说明",
    "sangong": "“三公”经费说明", "other.operating_costs": "机关运行经费说明", "other.procurement": "政府采购说明",
    "other.assets": "国有资产占用使用情况", "other.performance": "预算绩效情况", "glossary": "名词解释",
}


def required_sections(profile: dict) -> list[str]:
    sections = profile.get("sections")
    if sections:
        ids = [s.get("id") if isinstance(s, dict) else str(s) for s in sections]
        return [i for i in ids if i in SECTION_TITLES]
    return list(SECTION_TITLES)


def _section_rule(section_id: str, label: str):
    rid = "K.SECTION." + section_id.upper().replace(".", "_")

    def check(ctx: Context) -> Iterator[Hit]:
        if section_id not in required_sections(ctx.profile):
            return
        section = ctx.disclosure.section(section_id)
        if not _has_text(section):
            state = "缺少" if section is None else "只有标题、没有内容："
            yield Hit(message=f"{state}{label}（{section_id}）。", subject=section_id, expected=label)

    check.__doc__ = f"The package has a non-empty {label} section ({section_id})."
    rule(rid, f"{label}齐全", "warning", "completeness", reads=(section_id,))(check)


for _sid, _label in SECTION_TITLES.items():
    _section_rule(_sid, _label)


UNCHECKED_RULE = "A.UNCHECKED"


@rule(UNCHECKED_RULE, "所需金额未列示或未能读出的核对未进行（汇总列出）", "info", "completeness")
def unchecked(ctx: Context) -> Iterator[Hit]:
    """一项核对需要的金额若文件没有印出（该栏、该行不在表中）或未能读出，不视为零，该项核对不进行；
    检查结束时以一条提示列出未进行的核对及其次数。本规则本身不产生结果，由检查引擎在最后汇总
    （``rules.engine.unchecked_finding``）。"""
    return iter(())
