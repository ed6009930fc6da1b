"""The same year's budget and final account side by side (``yusuan compare`` and the portal's page):
by function 项 of 一般公共预算, then by 三公 item, the budget as published, the 年初预算 the final
account restates, the 决算数 and the completion rate (决算 ÷ 年初预算, as the final account prints it).

Both arguments are disclosures (composed from facts or read from published files). A figure one of
them does not print is ``None`` (unknown, never zero), and so is a rate that needs it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple


class Line(NamedTuple):
    code: str  # function 项 code, or "三公"
    name: str
    published: Decimal | None  # 预算公开数
    restated: Decimal | None  # 决算重述的年初预算
    actual: Decimal | None  # 决算数

    @property
    def budget(self) -> Decimal | None:
        """The 年初预算 the rate is taken against: the final account's own, else the published budget."""
        return self.restated if self.restated is not None else self.published

    @property
    def rate(self) -> Decimal | None:
        from yusuan.derive_final import completion_rate

        if self.actual is None or self.budget is None:
            return None
        return completion_rate(self.actual, self.budget)

    @property
    def differs(self) -> bool:
        """The restated 年初预算 is not the published budget (both known)."""
        return self.published is not None and self.restated is not None and self.published != self.restated


def side_by_side(budget, final) -> list[Line]:
    from yusuan.rules.final_budget import published_items

    items = published_items(budget)
    restated = {st.subject.split(":")[2]: st.amount for st in final.statements("general:function:")
                if st.subject.endswith(":budget")}
    t5 = final.table("general_expenditure")
    actual = {(r.code or r.key[2:]): r.value("total") for r in t5.rows if r.key.startswith("f:")} if t5 else {}
    codes = sorted(c for c in set(items) | set(actual) if len(c) == 7)
    out = [Line(c, items.get(c, ("", None))[0] or c, items.get(c, ("", None))[1], restated.get(c), actual.get(c))
           for c in codes]
    bs = budget.table("sangong") or budget.table("sangong_operating")
    fs = final.table("sangong")
    for row in (fs.rows if fs else []):
        other = bs.row(row.key) if bs else None
        published = (other.value("total") if other and "total" in other.cells else other.value("amount")) if other else None
        out.append(Line("三公", row.name, published, row.value("budget"), row.value("actual")))
    return out
