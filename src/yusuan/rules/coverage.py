"""Rules that close gaps found by the mutation tests (tests/test_mutations.py): figures of Part 1 and of
the 国有资产 paragraph that no other rule relates to anything, although the text itself pins them.

- the number of 内设科室 stated against the names listed right after it;
- 单位价值100万元以上设备 is a subset of 50万元以上设备 (holdings and the purchase plan);
- a vehicle purchase plan against the 三公 公务用车购置费 (and back).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from yusuan.rules.narrative_base import Placed, amount_wan, cell_wan, first, placed
from yusuan.rules.registry import Context, Hit, rule

ZERO = Decimal(0)
# "分别是：A、B、C。" / "分别为：" / "包括：" — the list that follows the stated number.
LIST_INTRO = re.compile(r"(?:分别是|分别为|包括|即)[：:]\s*(?P<names>[^。；;]+)")


def _count(ctx: Context, subject: str) -> Placed | None:
    return first(ctx, subject, "count")  # the per-check statement index, not a rescan


def listed_names(text: str) -> list[str] | None:
    """The names of an enumeration 'A、B、C' after 分别是：…; None when the sentence lists none."""
    m = LIST_INTRO.search(text)
    if not m:
        return None
    names = [n.strip(" 　,，") for n in m.group("names").split("、")]
    return [n for n in names if n]


@rule("N.DIVISIONS.COUNT", "内设科室个数与列出的科室名称一致", "warning", "text", reads=("overview.institutions",))
def divisions_count(ctx: Context) -> Iterator[Hit]:
    """“下设12个科室，分别是：……” — the number equals the names listed after it (names split on “、”)."""
    for p in placed(ctx, "institutions:divisions"):
        if p.statement.count is None:
            continue
        names = listed_names(p.statement.text or p.paragraph.text)
        if names is None or len(names) == p.statement.count:
            continue
        yield Hit(
            message=(f"{p.where()}写明内设科室{p.statement.count}个，而其后列出的科室名称有{len(names)}个"
                     f"（{'、'.join(names)}）。"),
            location=p.location, subject=p.subject, stated=str(p.statement.count), expected=str(len(names)),
        )


EQUIPMENT_PAIRS = (
    ("assets:equipment_over_100", "assets:equipment_over_50", "占用单位价值100万元以上大型设备", "50万元以上大型设备"),
    ("assets:purchase_equipment_over_100", "assets:purchase_equipment_over_50", "计划购置单位价值100万元以上大型设备",
     "50万元以上大型设备"),
)


@rule("N.ASSETS.EQUIPMENT", "单位价值100万元以上设备台数不超过50万元以上设备台数", "fatal", "text",
      reads=("other.assets",))
def equipment_nested(ctx: Context) -> Iterator[Hit]:
    """A device worth over 100万元 is also worth over 50万元: the 100万 count cannot exceed the 50万 count
    (for the assets held and for the purchase plan alike)."""
    for over_100, over_50, label_100, label_50 in EQUIPMENT_PAIRS:
        big, small = _count(ctx, over_100), _count(ctx, over_50)
        if big is None or small is None or big.statement.count <= small.statement.count:
            continue
        yield Hit(
            message=(f"{big.where()}写明{label_100}{big.statement.count}台（套），多于{small.where()}写明的"
                     f"{label_50}{small.statement.count}台（套）；100万元以上的设备也在50万元以上之列。"),
            location=big.location, subject=over_100, stated=str(big.statement.count), expected=f"<={small.statement.count}",
        )


def _vehicle_purchase_money(ctx: Context) -> tuple[Decimal, str] | None:
    """公务用车购置费 as stated in the 三公 section, else as printed in the 三公 table."""
    st = first(ctx, "sangong:vehicle_purchase")
    if st is not None:
        return amount_wan(st.statement) or ZERO, f"{st.where()}写明的公务用车购置费"
    table = ctx.disclosure.table("sangong")
    value = cell_wan(table, "sangong:vehicle_purchase", "total")
    if table is not None and table.row("sangong:vehicle_purchase") is not None:
        return value or ZERO, f"{table.label}公务用车购置费"
    return None


@rule("N.ASSETS.VEHICLE_PURCHASE", "车辆购置计划与“三公”经费公务用车购置费一致", "warning", "text-vs-table",
      reads=("other.assets", "sangong"))
def vehicle_purchase_plan(ctx: Context) -> Iterator[Hit]:
    """A plan to buy vehicles with no 公务用车购置费, or 公务用车购置费 with a plan of no vehicles. A warning:
    vehicles bought with non-fiscal money are outside the 三公 figures."""
    plan = _count(ctx, "assets:purchase_vehicles")
    money = _vehicle_purchase_money(ctx)
    if plan is None or money is None:
        return
    amount, where = money
    n = plan.statement.count
    if n > 0 and amount == 0:
        yield Hit(
            message=(f"{plan.where()}写明计划购置车辆{n}辆，而{where}为0；若以财政拨款购置，“三公”经费中应安排公务用车购置费。"),
            location=plan.location, subject="assets:purchase_vehicles", stated=str(n), expected="0",
            inputs={"公务用车购置费": amount},
        )
    elif n == 0 and amount > ctx.tolerance_for():
        yield Hit(
            message=(f"{where}为{amount:f}万元，而{plan.where()}写明不购置车辆（0辆）。"),
            location=plan.location, subject="assets:purchase_vehicles", stated="0", expected=">0",
            inputs={"公务用车购置费": amount},
        )
