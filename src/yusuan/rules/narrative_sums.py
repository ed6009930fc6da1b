"""Arithmetic inside the text (N.*): the parts a sentence lists add up to the whole it states.

These hold whatever the tables say: a paragraph that lists income sources must add to the total it
gives, 人员经费 + 公用经费 = 基本支出, 三公 items = 三公 total, goods + works + services = 政府采购.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Iterator

from yusuan.rules.narrative_base import (
    ROUNDING_MARK, ZERO, Placed, amount_wan, first, placed, placed_by_section, rounding_note, rounding_slack, show,
    stated_text,
)
from yusuan.rules.narrative_shares import income_breakdowns_removed
from yusuan.rules.registry import Context, Hit, rule


def _sum(parts: Iterable[Placed]) -> Decimal:
    return sum((amount_wan(p.statement) or ZERO for p in parts), ZERO)


def _listing(parts: list[Placed]) -> str:
    return "、".join(f"{p.statement.label or p.subject}{stated_text(p.statement.amount)}{p.statement.unit}" for p in parts)


def _whole_hit(ctx: Context, parts: list[Placed], whole: Placed, what: str) -> Hit | None:
    total = _sum(parts)
    stated = amount_wan(whole.statement)
    if not ctx.differs(total, stated):
        return None
    inputs: dict = {(p.statement.label or p.subject): amount_wan(p.statement) for p in parts}
    exact = any(p.statement.unit != "万元" for p in [*parts, whole])  # figures in 元 carry no rounding
    slack = None if exact else rounding_slack(ctx, total - stated, inputs.values())
    note = ""
    if slack is not None:  # reported as a warning (catalogue.soften_for_partial)
        note = f"；{rounding_note(slack)}"
        inputs[ROUNDING_MARK] = "是"
    return Hit(
        message=(f"{parts[0].where()}列出的{what}（{_listing(parts)}）合计{show(total)}，"
                 f"而{whole.where()}写明的{whole.statement.label or whole.subject}为"
                 f"{stated_text(whole.statement.amount)}{whole.statement.unit}，相差{show(total - stated)}{note}。"),
        location=parts[0].location, subject=whole.subject, stated=total, expected=stated, inputs=inputs,
    )


def _by_paragraph(ctx: Context, accept, prefix: str = "") -> Iterator[list[Placed]]:
    """The statements with an amount whose subject ``accept``s, by paragraph; ``prefix`` begins every subject
    ``accept`` takes (only those statements are walked)."""
    groups: dict[tuple[str, int], list[Placed]] = {}
    for p in placed(ctx, prefix):
        if accept(p.subject) and p.statement.amount is not None:
            groups.setdefault((p.section.id, p.index), []).append(p)
    yield from groups.values()


def _income_leaves(parts: list[Placed]) -> list[Placed]:
    return income_breakdowns_removed(parts)


@rule("N.PARTS.SUM", "文字列举的收入、支出构成合计等于总数", "warning", "text-vs-table", reads=("summary", "fiscal"))
def listed_parts(ctx: Context) -> Iterator[Hit]:
    """A paragraph listing income sources or function 类 (收入预算包括… / 支出预算包括…) adds up to the stated total."""
    families = (
        ("income:", lambda s: s.count(":") == 1, "total", "收入构成", True),
        ("expenditure:function:", None, "total", "支出功能分类构成", False),
        ("fiscal:income:", None, "fiscal:total", "财政拨款收入构成", False),
        ("fiscal:function:", None, "fiscal:total", "财政拨款支出构成", False),
    )
    for prefix, accept, whole_key, what, income in families:  # subjects starting with prefix that accept takes
        whole = first(ctx, whole_key)
        if whole is None:
            continue
        for parts in _by_paragraph(ctx, accept or (lambda s: True), prefix):
            parts = _income_leaves(parts) if income else parts
            if len(parts) < 2 or any(p.statement.share is not None for p in parts):
                continue  # lists with shares are checked by N.SHARE.PARTS
            hit = _whole_hit(ctx, parts, whole, what)
            if hit:
                yield hit


def _split_rule(ctx: Context, whole_key: str, part_keys: tuple[str, ...], what: str) -> Iterator[Hit]:
    wanted = (whole_key, *part_keys)
    by_section = placed_by_section(ctx)
    for section in ctx.disclosure.sections:
        # Compare within one section: the same subject is often restated elsewhere.
        found = {}
        for p in by_section.get(id(section), ()):
            if p.subject in wanted and p.statement.amount is not None:
                found.setdefault(p.subject, p)
        if whole_key in found and all(k in found for k in part_keys):
            hit = _whole_hit(ctx, [found[k] for k in part_keys], found[whole_key], what)
            if hit:
                yield hit


@rule("N.GENERAL.ITEMS.SUM", "一般公共预算各项级科目说明合计等于拨款合计", "warning", "text-vs-table", reads=("general",))
def general_items_sum(ctx: Context) -> Iterator[Hit]:
    """The 项 paragraphs of 一般公共预算当年拨款具体使用情况 add up to the 一般公共预算拨款合计 the section states."""
    whole = first(ctx, "general:total")
    if whole is None:
        return
    items: dict[str, Placed] = {}
    for p in placed(ctx, "general:function:"):
        if len(p.subject.rsplit(":", 1)[-1]) == 7 and p.statement.amount is not None:
            items.setdefault(p.subject, p)
    if len(items) < 2:
        return
    parts = list(items.values())
    total = _sum(parts)
    stated = amount_wan(whole.statement)
    if ctx.differs(total, stated):
        # each item and the total printed to 0.01 万元 from figures kept in 元 (Shanghai): their sum may
        # drift by half a cent per printed figure without any figure being wrong
        slack = ctx.tolerance_for() * (len(parts) + 1)
        why = (f"差额在各数分别舍入到0.01万元可能累积的范围（±{show(slack)}）内，可能只是舍入差"
               if abs(total - stated) <= slack else "有科目漏说明或金额有误")
        yield Hit(
            message=(f"{parts[0].where()}起逐项说明的一般公共预算项级科目共{len(parts)}项，合计{show(total)}，"
                     f"而{whole.where()}写明一般公共预算拨款合计{stated_text(whole.statement.amount)}"
                     f"{whole.statement.unit}，相差{show(total - stated)}：{why}。"),
            location=parts[0].location, subject="general:function", stated=total, expected=stated,
            inputs={p.subject.rsplit(":", 1)[-1]: amount_wan(p.statement) for p in parts},
        )


@rule("N.SPLIT.BASIC_PROJECT", "基本支出 + 项目支出 = 合计（文字）", "fatal", "text-vs-table", reads=("expenditure", "general"))
def basic_plus_project(ctx: Context) -> Iterator[Hit]:
    """Within one section, 基本支出 + 项目支出 equals the total the section states."""
    yield from _split_rule(ctx, "general:total", ("general:basic", "general:project"), "一般公共预算基本支出与项目支出")
    yield from _split_rule(ctx, "total", ("expenditure:basic", "expenditure:project"), "基本支出与项目支出")


@rule("N.SPLIT.PERSONNEL_PUBLIC", "人员经费 + 公用经费 = 基本支出（文字）", "fatal", "text-vs-table", reads=("general_basic",))
def personnel_plus_public(ctx: Context) -> Iterator[Hit]:
    """In the basic-spending section, 人员经费 + 公用经费 equals 基本支出."""
    yield from _split_rule(ctx, "general:basic", ("general:personnel", "general:public"), "人员经费与公用经费")


@rule("N.SPLIT.ECONOMIC", "列举的经济分类款级金额合计等于人员经费、公用经费", "warning", "text-vs-table",
      reads=("general_basic",))
def economic_items(ctx: Context) -> Iterator[Hit]:
    """The economic 款 listed after 人员经费/公用经费 (主要包括…) add up to them (a warning: 'mainly' may omit some)."""
    from yusuan.rules.catalogue import load_catalog

    econ = load_catalog(ctx, "economic")  # the budget year's (2023 when the disclosure has none)
    items = [p for p in placed(ctx, "general:economic:") if p.statement.amount is not None]
    for key, label in (("general:personnel", "人员经费"), ("general:public", "公用经费")):
        whole = first(ctx, key)
        if whole is None:
            continue
        parts = [p for p in items if econ.personnel_or_public(p.subject.rsplit(":", 1)[-1]) == label]
        if parts:
            hit = _whole_hit(ctx, parts, whole, f"{label}明细")
            if hit:
                yield hit


@rule("N.SANGONG.SUM", "“三公”经费分项合计等于总数（文字）", "fatal", "text-vs-table", reads=("sangong",))
def sangong_sum(ctx: Context) -> Iterator[Hit]:
    """因公出国（境）费 + 公务用车购置费 + 运行费 + 公务接待费 equals the stated 三公 total; 购置 + 运行 equals
    the stated 公务用车购置及运行费."""
    whole = first(ctx, "sangong:total")
    items = ["sangong:abroad", "sangong:vehicle_purchase", "sangong:vehicle_operation", "sangong:reception"]
    parts = [p for p in (first(ctx, k) for k in items) if p is not None]
    if first(ctx, "sangong:vehicle") and not (first(ctx, "sangong:vehicle_purchase") or first(ctx, "sangong:vehicle_operation")):
        parts.append(first(ctx, "sangong:vehicle"))
    if whole is not None and parts:
        hit = _whole_hit(ctx, parts, whole, "“三公”经费分项")
        if hit:
            yield hit
    vehicle = first(ctx, "sangong:vehicle")
    halves = [p for p in (first(ctx, "sangong:vehicle_purchase"), first(ctx, "sangong:vehicle_operation")) if p is not None]
    if vehicle is not None and len(halves) == 2:
        hit = _whole_hit(ctx, halves, vehicle, "公务用车购置费与运行费")
        if hit:
            yield hit


@rule("N.PROCUREMENT.SUM", "政府采购货物、工程、服务合计等于采购预算", "fatal", "text-vs-table", reads=("other.procurement",))
def procurement_sum(ctx: Context) -> Iterator[Hit]:
    """政府采购预算 = 货物 + 工程 + 服务 (a part printed without a figure counts as 0 here)."""
    whole = first(ctx, "procurement:total")
    parts = [p for p in (first(ctx, f"procurement:{k}") for k in ("goods", "works", "services")) if p is not None]
    if whole is None or not parts:
        return
    hit = _whole_hit(ctx, parts, whole, "政府采购货物、工程、服务预算")
    if hit:
        yield hit


@rule("N.PROCUREMENT.RESERVED", "面向中小企业预留不超过采购预算", "fatal", "text-vs-table", reads=("other.procurement",))
def procurement_reserved(ctx: Context) -> Iterator[Hit]:
    """面向中小企业预留 ≤ 政府采购预算; 其中面向小微企业 ≤ 面向中小企业."""
    pairs = (("procurement:sme_reserved", "procurement:total", "面向中小企业预留", "政府采购预算"),
             ("procurement:small_micro_reserved", "procurement:sme_reserved", "面向小微企业预留", "面向中小企业预留"))
    for part_key, whole_key, part_label, whole_label in pairs:
        part, whole = first(ctx, part_key), first(ctx, whole_key)
        if part is None or whole is None:
            continue
        a, b = amount_wan(part.statement), amount_wan(whole.statement)
        if a - b > ctx.tolerance_for():
            yield Hit(
                message=(f"{part.where()}写明{part_label}{stated_text(part.statement.amount)}{part.statement.unit}，"
                         f"超过{whole.where()}写明的{whole_label}{stated_text(whole.statement.amount)}{whole.statement.unit}。"),
                location=part.location, subject=part_key, stated=a, expected=b,
            )


@rule("N.ASSETS.VEHICLES", "车辆分类数量、价值合计等于车辆总数", "fatal", "text-vs-table", reads=("other.assets",))
def vehicles(ctx: Context) -> Iterator[Hit]:
    """车辆 N 辆、价值 X 万元 equals the sum over 一般公务用车 / 执法执勤用车 / 其他车辆."""
    total = next((p for p in placed(ctx, "assets:vehicles") if p.subject == "assets:vehicles"), None)
    kinds = [p for p in placed(ctx, "assets:vehicle:")]
    if total is None or not kinds:
        return
    st = total.statement
    if st.count is not None and all(k.statement.count is not None for k in kinds):
        n = sum(k.statement.count for k in kinds)
        if n != st.count:
            yield Hit(
                message=(f"{total.where()}写明车辆{st.count}辆，而分类（"
                         + "、".join(f"{k.statement.label or k.subject}{k.statement.count}辆" for k in kinds)
                         + f"）合计{n}辆。"),
                location=total.location, subject="assets:vehicles", stated=str(st.count), expected=str(n),
            )
    if st.amount is not None and all(k.statement.amount is not None for k in kinds):
        hit = _whole_hit(ctx, kinds, total, "各类车辆价值")
        if hit:
            yield hit
