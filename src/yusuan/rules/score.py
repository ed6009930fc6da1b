"""公开完整性得分 (0–100) from the completeness rules (K.*, and P.MISSING for performance-target
tables), with the missing items listed.

Each completeness rule carries a weight (the 100 points are shared among them) and a deduction per
finding, capped at its weight: one missing table costs 2 points of the 20 for tables, one project
without a performance-target table 1 of 5, a missing section its 1 point. Consistency checks that
live among the K rules (staffing against spending, 在职 above 编制) cost nothing here: they are
not about what is disclosed but whether it agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from yusuan.disclosure import Disclosure
from yusuan.findings import Finding


@dataclass(frozen=True)
class Item:
    weight: int
    per_finding: int
    label: str  # Chinese


ITEMS: dict[str, Item] = {
    "K.TABLE.PRESENT": Item(20, 2, "公开表格"),
    "K.TABLE.EMPTY_NOTE": Item(4, 2, "空表说明"),
    "K.FUNCTION.DEPTH": Item(6, 2, "功能分类细化到项"),
    "K.ECONOMIC.DEPTH": Item(4, 2, "基本支出细化到经济分类款"),
    "K.GENERAL.ITEM.TEXT": Item(6, 1, "一般公共预算项级科目说明"),
    "K.GENERAL.ITEM.YOY": Item(3, 1, "项级科目与上年比较"),
    "K.BASIC.ECONOMIC.TEXT": Item(3, 3, "基本支出经济分类说明"),
    "K.SANGONG.EXPLAINED": Item(5, 2, "“三公”经费说明"),
    "K.OPERATING_COSTS": Item(3, 3, "机关运行经费"),
    "K.PROCUREMENT": Item(3, 3, "政府采购"),
    "K.PROCUREMENT.SME": Item(2, 2, "面向中小企业预留"),
    "K.ASSETS": Item(3, 3, "国有资产占用情况"),
    "K.PERFORMANCE.SUMMARY": Item(2, 2, "预算绩效情况"),
    "P.MISSING": Item(5, 1, "项目绩效目标表"),  # the performance rules own this check
    "K.PROJECT.TEXT": Item(5, 1, "项目说明"),
    "K.PROJECT.FIELDS": Item(3, 1, "项目说明要素"),
    "K.GLOSSARY": Item(2, 2, "名词解释"),
    "K.STAFF.FIGURES": Item(2, 2, "人员情况"),
    "K.STAFF.SUM": Item(2, 2, "实有人数构成"),
}
SECTION_ITEM = Item(1, 1, "说明章节")  # every K.SECTION.* rule


def item_for(rule_id: str) -> Item | None:
    if rule_id in ITEMS:
        return ITEMS[rule_id]
    if rule_id.startswith("K.SECTION."):
        return SECTION_ITEM
    return None


def max_points() -> int:
    from yusuan.rules.engine import registered_rules  # load_all rescans the package directory each call

    sections = sum(1 for r in registered_rules() if r.startswith("K.SECTION."))
    return sum(i.weight for i in ITEMS.values()) + sections * SECTION_ITEM.weight


def _completeness_findings(disclosure: Disclosure, profile: dict | None) -> list[Finding]:
    from yusuan.rules import load_all
    from yusuan.rules.registry import Context, run

    rules = [r for rid, r in load_all().items() if item_for(rid) is not None]
    return run(Context(disclosure=disclosure, profile=profile or {}), rules)


def completeness_score(disclosure: Disclosure, findings: list[Finding] | None = None,
                       profile: dict | None = None) -> tuple[int, list[str]]:
    """(score 0–100, missing items in Chinese). ``findings`` may hold any rules' findings (only ITEMS count);
    when None, the completeness rules are run on ``disclosure`` with ``profile``."""
    if findings is None:
        findings = _completeness_findings(disclosure, profile)
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        if item_for(f.rule) is not None:
            by_rule.setdefault(f.rule, []).append(f)
    total = max_points()
    lost = 0
    missing: list[str] = []
    for rule_id, found in by_rule.items():
        item = item_for(rule_id)
        lost += min(item.weight, item.per_finding * len(found))
        missing.extend(f"【{item.label}】{f.message}" for f in found)
    score = Decimal(max(total - lost, 0)) * 100 / Decimal(total)
    return int(score.quantize(Decimal(1), rounding=ROUND_HALF_UP)), missing


def report_completeness(disclosure: Disclosure, findings: list[Finding], profile: dict) -> dict:
    """The engine's score hook: ``{"score": 0–100, "max": 100, "missing": [...]}`` for the report."""
    score, missing = completeness_score(disclosure, findings, profile)
    return {"score": score, "max": 100, "missing": missing}


def _register() -> None:
    try:
        from yusuan.rules.report import register_score
    except ImportError:  # the report module is optional for the score itself
        return
    register_score(report_completeness)


_register()
