"""公开完整性得分: 100 for a complete disclosure, points lost per missing item, items listed."""

from __future__ import annotations

from test_rules_completeness import complete

from yusuan.findings import Finding
from yusuan.rules.score import ITEMS, completeness_score, max_points
from yusuan.rules.testing import build_disclosure


def test_complete_scores_100():
    score, missing = completeness_score(complete())
    assert (score, missing) == (100, [])


def test_points_add_to_100():
    assert max_points() == 100


def test_missing_table_costs_two_points():
    d = complete()
    d.tables = [t for t in d.tables if t.kind != "sangong"]
    score, missing = completeness_score(d)
    assert score == 98
    assert len(missing) == 1 and missing[0].startswith("【公开表格】") and "三公" in missing[0]


def test_deductions_are_capped_per_item():
    d = complete()
    kept = {"income_expenditure"}
    d.tables = [t for t in d.tables if t.kind in kept]
    score, missing = completeness_score(d)
    # nine tables missing = 18 points; the tables' checks that need them do not pile on
    assert score == 82 and sum("【公开表格】" in m for m in missing) == 9


def test_bare_tables_score_low():
    score, missing = completeness_score(build_disclosure())
    assert score < 80
    assert any("名词解释" in m for m in missing)


def test_only_completeness_findings_count():
    other = Finding(rule="N.TOTAL", severity="fatal", category="text-vs-table", message="x")
    k = Finding(rule="K.GLOSSARY", severity="warning", category="completeness", message="名词解释没有解释：三公。")
    score, missing = completeness_score(complete(), [other, k])
    assert score == 100 - ITEMS["K.GLOSSARY"].per_finding and missing == ["【名词解释】名词解释没有解释：三公。"]


def test_engine_report_carries_the_score():
    from yusuan.rules.engine import check_disclosure

    d = complete()
    d.tables = [t for t in d.tables if t.kind != "sangong"]
    report = check_disclosure(d)
    assert report.completeness["score"] == 98
    assert any("三公" in m for m in report.completeness["missing"])


def test_missing_performance_table_counts_through_p_missing():
    d = complete()
    d.performance = [p for p in d.performance if p.table.project != "地质灾害防治"]
    score, missing = completeness_score(d)
    assert score < 100 and any(m.startswith("【项目绩效目标表】") and "地质灾害防治" in m for m in missing)
