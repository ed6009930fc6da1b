"""绩效自评: score each performance table from actual values.

Rules (the common provincial self-evaluation method):
- 正向 indicators (>=, >, =, or a bare number): weight × actual / target, capped at the weight; a zero
  target is met by any actual ≥ 0 (full marks).
- 反向 indicators (<=, <): weight × target / actual, capped at the weight; an actual of 0 earns full
  marks, and a zero target with a positive actual earns 0.
- Qualitative indicators and periods: by grade. The actual is a wording from the grade map (达成 →
  full marks, 部分达成 → 60 %, 未达成 → 0, configurable), or the target's own wording ("有效提高" when
  the target was 有效提高), which means it was achieved.
- Budget execution (预算执行率): the points the template keeps aside (100 − Σ weights, i.e. 10 in a
  90-weight template) × execution rate, capped at 100 %.
- Total → grade: 优 ≥ 90, 良 80–89, 中 60–79, 差 < 60.
A missing or unreadable actual is never scored as zero: the indicator is marked 未评分 with a Chinese
reason, and the table's total says how many were not scored (and gets no grade).
Templates that print no weights (区域绩效目标表, 明细表) share the indicator points equally
(``EQUAL_WEIGHT_TOTAL``), and say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from yusuan.amounts import normalise_text, round_half_up
from yusuan.model.performance import Indicator, PerformanceTable, parse_target
from yusuan.perf.actuals import Actuals, ProjectActuals

ZERO = Decimal(0)
HUNDRED = Decimal(100)
EQUAL_WEIGHT_TOTAL = Decimal(90)
DEFAULT_GRADES: dict[str, Decimal] = {
    "达成": Decimal(1), "已达成": Decimal(1), "完成": Decimal(1), "已完成": Decimal(1), "按期完成": Decimal(1),
    "符合要求": Decimal(1), "达到": Decimal(1), "达到预期": Decimal(1),
    "部分达成": Decimal("0.6"), "部分完成": Decimal("0.6"), "基本达成": Decimal("0.6"),
    "未达成": ZERO, "未完成": ZERO, "未达到": ZERO,
}
NOT_SCORED = "未评分"
SCORED = "已评分"


def grade_of(total: Decimal) -> str:
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


@dataclass
class ItemScore:
    name: str
    level1: str
    level2: str
    target: str
    actual: str | None
    weight: Decimal
    score: Decimal | None  # None: 未评分
    note: str = ""

    @property
    def status(self) -> str:
        return NOT_SCORED if self.score is None else SCORED


@dataclass
class TableScore:
    project: str
    printed_name: str
    budget: Decimal
    items: list[ItemScore]
    execution: ItemScore | None
    equal_weights: bool = False
    unmatched: list[str] = field(default_factory=list)  # actuals given for indicators the table does not have

    @property
    def all_items(self) -> list[ItemScore]:
        return self.items + ([self.execution] if self.execution else [])

    @property
    def total(self) -> Decimal:
        """Sum of the scored items, rounded to 0.01 (half-up)."""
        return round_half_up(sum((i.score for i in self.all_items if i.score is not None), ZERO))

    @property
    def not_scored(self) -> int:
        return sum(1 for i in self.all_items if i.score is None)

    @property
    def grade(self) -> str | None:
        """None while any item is not scored: an incomplete total must not look like a result."""
        return None if self.not_scored else grade_of(self.total)

    @property
    def grade_text(self) -> str:
        return self.grade or f"—（{self.not_scored} 项未评分）"


@dataclass
class DepartmentScore:
    tables: list[TableScore]
    unknown_projects: list[str] = field(default_factory=list)  # actuals for projects with no table

    @property
    def complete(self) -> list[TableScore]:
        return [t for t in self.tables if t.grade is not None]

    @property
    def budget_weighted_average(self) -> Decimal | None:
        """Σ(score × budget) / Σ budget over the fully scored tables."""
        done = self.complete
        budget = sum((t.budget for t in done), ZERO)
        if not done or budget == 0:
            return None
        return round_half_up(sum((t.total * t.budget for t in done), ZERO) / budget)

    @property
    def grade_counts(self) -> dict[str, int]:
        counts = {g: 0 for g in ("优", "良", "中", "差")}
        for t in self.complete:
            counts[t.grade] += 1  # type: ignore[index]
        return counts


def score_indicator(indicator: Indicator, actual: str | None, weight: Decimal, grades: dict[str, Decimal]) -> ItemScore:
    item = ItemScore(indicator.name, indicator.level1, indicator.level2, indicator.target.text, actual, weight, None)
    if actual is None or not actual.strip():
        item.note = "缺少实际完成值"
        return item
    target = indicator.target
    if target.number is None:
        return _score_grade(item, target.grade or target.period or "", actual, grades)
    number = _number(actual)
    if number is None:
        share = grades.get(normalise_text(actual))  # a quantitative target may still be judged by grade
        if share is None:
            item.note = f"实际完成值“{actual}”不是数值，也不是等级表中的表述"
            return item
        item.score = weight * share
        item.note = f"按等级“{actual}”赋分"
        return item
    if number < 0:
        item.note = f"实际完成值“{actual}”为负数"
        return item
    if target.direction == "negative":
        if number == 0:
            share = Decimal(1)
        else:
            share = min(target.number / number, Decimal(1))
        item.note = "反向指标：权重 × 目标值 / 实际值"
    else:
        share = Decimal(1) if target.number == 0 else min(number / target.number, Decimal(1))
        item.note = "正向指标：权重 × 实际值 / 目标值"
    item.score = weight * share
    return item


def _score_grade(item: ItemScore, target_word: str, actual: str, grades: dict[str, Decimal]) -> ItemScore:
    word = normalise_text(actual)
    if word in grades:
        item.score = item.weight * grades[word]
        item.note = f"按等级“{actual}”赋分"
    elif target_word and word == normalise_text(target_word):
        item.score = item.weight
        item.note = "实际表述与目标一致，视为达成"
    else:
        item.note = f"无法识别的等级表述“{actual}”（可用：{'、'.join(grades)}）"
    return item


def _number(text: str) -> Decimal | None:
    parsed = parse_target(text)
    if parsed.number is not None and parsed.comparator in (None, "="):
        return parsed.number
    try:
        return Decimal(normalise_text(text))
    except InvalidOperation:
        return None


def score_table(table: PerformanceTable, actuals: ProjectActuals | None, grades: dict[str, Decimal] | None = None) -> TableScore:
    grades = {normalise_text(k): v for k, v in (grades or DEFAULT_GRADES).items()}
    written = actuals.indicators if actuals else {}
    given = {normalise_text(k): v for k, v in written.items()}  # names match without spaces / full-width forms
    equal = not table.weighted
    weights = _weights(table)
    items = [
        score_indicator(ind, given.get(normalise_text(ind.name)), w, grades)
        for ind, w in zip(table.indicators, weights)
    ]
    indicator_points = sum(weights, ZERO)
    execution = None
    if indicator_points < HUNDRED:
        points = HUNDRED - indicator_points
        execution = ItemScore("预算执行率", "", "", "=100%", None, points, None)
        rate = actuals.execution_rate if actuals else None
        if rate is None:
            execution.note = "缺少预算执行率"
        else:
            execution.actual = f"{format(rate, 'f')}%"
            execution.score = points * min(rate / HUNDRED, Decimal(1))
            execution.note = f"{format(points.normalize(), 'f')} 分 × 预算执行率"
    known = {normalise_text(i.name) for i in table.indicators}
    unmatched = [k for k in written if normalise_text(k) not in known]
    return TableScore(table.project, table.printed_name, table.total, items, execution, equal, unmatched)


def _weights(table: PerformanceTable) -> list[Decimal]:
    if table.weighted:
        return [ind.weight or ZERO for ind in table.indicators]
    n = len(table.indicators)
    return [EQUAL_WEIGHT_TOTAL / n] * n if n else []


def score_department(tables: list[PerformanceTable], actuals: Actuals, grades: dict[str, Decimal] | None = None) -> DepartmentScore:
    grades = grades or actuals.grades or DEFAULT_GRADES
    scored = [score_table(t, actuals.for_table(t.project, t.printed_name), grades) for t in tables]
    names = {normalise_text(t.project) for t in tables} | {normalise_text(t.printed_name) for t in tables}
    unknown = [p.project for k, p in actuals.projects.items() if k not in names]
    return DepartmentScore(scored, unknown)


def to_data(result: DepartmentScore) -> dict:
    """Plain data for ``--format json`` (amounts and scores as strings with two decimals)."""

    def money(value: Decimal | None) -> str | None:
        return None if value is None else format(round_half_up(value), "f")

    def item(i: ItemScore) -> dict:
        return {"indicator": i.name, "level1": i.level1, "level2": i.level2, "target": i.target, "actual": i.actual,
                "weight": money(i.weight), "score": money(i.score), "status": i.status, "note": i.note}

    return {
        "tables": [
            {"project": t.project, "table": t.printed_name, "budget": money(t.budget), "total": money(t.total),
             "grade": t.grade, "not_scored": t.not_scored, "equal_weights": t.equal_weights,
             "items": [item(i) for i in t.all_items], "unmatched_actuals": t.unmatched}
            for t in result.tables
        ],
        "summary": {"tables": len(result.tables), "complete": len(result.complete), "grades": result.grade_counts,
                    "budget_weighted_average": money(result.budget_weighted_average),
                    "not_scored_items": sum(t.not_scored for t in result.tables),
                    "unknown_projects": result.unknown_projects},
    }
