"""绩效自评 scoring on hand-computed cases, the actuals file formats, and the CLI."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLE
from yusuan.cli import app
from yusuan.errors import InputError
from yusuan.model.performance import Indicator, PerformanceTable
from yusuan.perf.actuals import Actuals, ProjectActuals, from_data, load_actuals, parse_grades
from yusuan.perf.score import DEFAULT_GRADES, grade_of, score_department, score_indicator, score_table

D = Decimal


def indicator(target: str, weight="10", name="指标") -> Indicator:
    return Indicator(level1="产出指标", level2="数量指标", name=name, target=target, weight=D(weight))


def s(target: str, actual: str | None, weight="10", grades=None):
    return score_indicator(indicator(target, weight), actual, D(weight), grades or DEFAULT_GRADES)


@pytest.mark.parametrize("target, actual, expected", [
    ("=7个", "7个", D(10)),             # met
    ("=7个", "6", D(10) * 6 / 7),       # 8.5714…
    (">=90%", "99%", D(10)),            # over-achieved: capped at the weight
    (">=1000个", "1046", D(10)),
    (">95%", "76", D(8)),               # 10 × 76/95
    ("<=10万元", "8", D(10)),           # reverse, under the ceiling: capped
    ("<=10万元", "12.5", D(8)),         # reverse: 10 × 10/12.5
    ("<5%", "10%", D(5)),               # reverse: 10 × 5/10
    ("<=10万元", "0", D(10)),           # reverse, nothing spent
    ("=0个", "0", D(10)),               # zero target, positive: met by any actual ≥ 0
    ("=0个", "3", D(10)),
    ("<=0起", "0", D(10)),              # zero target, reverse: 0 is full marks …
    ("<=0起", "2", D(0)),               # … any occurrence scores 0
    ("100%", "80%", D(8)),              # bare number (area template): a lower bound
])
def test_quantitative(target, actual, expected):
    item = s(target, actual)
    assert item.score == expected and item.status == "已评分"


@pytest.mark.parametrize("target, actual, expected", [
    ("有效提高", "达成", D(30)),
    ("有效提高", "部分达成", D(18)),
    ("有效提高", "未达成", D(0)),
    ("有效提高", "有效提高", D(30)),       # the target's own wording: achieved
    ("2023年2月-11月", "按期完成", D(30)),
    ("符合要求", "符合要求", D(30)),
])
def test_qualitative(target, actual, expected):
    assert s(target, actual, weight="30").score == expected


def test_grade_map_is_configurable():
    grades = parse_grades({"达成": 1, "部分达成": "50%", "基本达成": 0.8}, "test")
    assert s("有效提高", "部分达成", "30", grades).score == D(15)
    assert s("有效提高", "基本达成", "30", grades).score == D(24)
    with pytest.raises(InputError, match="0 到 1"):
        parse_grades({"达成": 2}, "test")


def test_missing_or_unreadable_actual_is_not_scored_never_zero():
    missing = s("=7个", None)
    assert missing.score is None and missing.status == "未评分" and missing.note == "缺少实际完成值"
    unknown = s("有效提高", "还行")
    assert unknown.score is None and "无法识别的等级表述" in unknown.note
    garbage = s("=7个", "约七个")
    assert garbage.score is None and "不是数值" in garbage.note


def _table(weighted=True) -> PerformanceTable:
    w = (lambda x: x) if weighted else (lambda x: None)
    return PerformanceTable(project="项目甲", fiscal=D(20), indicators=[
        {"level1": "产出指标", "level2": "数量指标", "name": "数量（个）", "target": "=7个", "weight": w(20)},
        {"level1": "产出指标", "level2": "质量指标", "name": "合格率（%）", "target": ">=90%", "weight": w(20)},
        {"level1": "成本指标", "level2": "经济成本指标", "name": "经费（万元）", "target": "<=20万元", "weight": w(20)},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "保障", "target": "有效保障", "weight": w(30)},
    ])


def test_table_total_with_execution_rate_and_grade():
    actuals = ProjectActuals("项目甲", D("95"), {"数量（个）": "7", "合格率（%）": "81%", "经费（万元）": "25", "保障": "达成"})
    result = score_table(_table(), actuals)
    # 20 + 20×81/90=18 + 20×20/25=16 + 30 + 10×0.95=9.5 → 93.5
    assert result.execution.weight == D(10) and result.execution.score == D("9.5")
    assert result.total == D("93.50") and result.grade == "优" and result.not_scored == 0


def test_incomplete_table_says_how_many_and_gets_no_grade():
    actuals = ProjectActuals("项目甲", None, {"数量（个）": "7"})
    result = score_table(_table(), actuals)
    assert result.not_scored == 4  # three indicators and the execution rate
    assert result.total == D(20) and result.grade is None and "4 项未评分" in result.grade_text


def test_unweighted_template_shares_90_points_equally():
    result = score_table(_table(weighted=False), ProjectActuals("项目甲", D(100), {"数量（个）": "7", "合格率（%）": "90%", "经费（万元）": "20", "保障": "达成"}))
    assert result.equal_weights and [i.weight for i in result.items] == [D("22.5")] * 4
    assert result.total == D(100) and result.grade == "优"


@pytest.mark.parametrize("total, grade", [(D(90), "优"), (D("89.99"), "良"), (D(80), "良"), (D("79.99"), "中"), (D(60), "中"), (D("59.99"), "差")])
def test_grade_boundaries(total, grade):
    assert grade_of(total) == grade


def test_department_summary_and_actuals_by_printed_table_name():
    a = _table()
    b = PerformanceTable.model_validate({**_table().model_dump(), "title_name": "2022年度项目甲", "fiscal": D(60)})
    actuals = from_data({"projects": {
        "项目甲": {"execution_rate": 100, "indicators": {"数量（个）": 7, "合格率（%）": "90%", "经费（万元）": 20, "保障": "达成"}},
        "2022年度项目甲": {"execution_rate": "50%", "indicators": {"数量（个）": 7, "合格率（%）": "90%", "经费（万元）": 20, "保障": "未达成"}},
        "不存在的项目": {"indicators": {}},
    }}, "test")
    result = score_department([a, b], actuals)
    assert [t.total for t in result.tables] == [D(100), D(65)]
    assert result.budget_weighted_average == D("73.75")  # (100×20 + 65×60) / 80
    assert result.grade_counts == {"优": 1, "良": 0, "中": 1, "差": 0}
    assert result.unknown_projects == ["不存在的项目"]


def test_actuals_file_errors_are_chinese(tmp_path):
    bad = tmp_path / "a.yaml"
    bad.write_text("projects:\n  - project: x\n    execution_rate: 很高\n", encoding="utf-8")
    with pytest.raises(InputError, match="预算执行率应为百分数"):
        load_actuals(bad)
    csv_bad = tmp_path / "a.csv"
    csv_bad.write_text("项目,指标\n", encoding="utf-8")
    with pytest.raises(InputError, match="project,indicator,actual"):
        load_actuals(csv_bad)


def test_csv_actuals(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("project,indicator,actual\n项目甲,数量（个）,7\n项目甲,预算执行率,90%\n项目甲,保障,\n", encoding="utf-8")
    actuals = load_actuals(path)
    got = actuals.for_table("项目甲", "项目甲")
    assert got.execution_rate == D(90) and got.indicators == {"数量（个）": "7"}
    assert isinstance(actuals, Actuals)


def test_cli_score_json_on_the_example(tmp_path):
    actuals = tmp_path / "actuals.yaml"
    actuals.write_text(
        "projects:\n"
        "  - project: 国土变更调查工作项目\n"
        "    execution_rate: 95\n"
        "    indicators:\n"
        "      完成县市2022年全国土地变更调查（个）: 6个\n"
        "      7个县市外业核实经费（万元）: 12\n"
        "      保障国土调查成果的先势性和准确性。: 部分达成\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["perf", "score", str(EXAMPLE / "performance.yaml"), str(actuals), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    first = data["tables"][0]
    assert first["table"] == "国土变更调查工作项目" and first["grade"] is None
    scores = {i["indicator"]: i["score"] for i in first["items"]}
    assert scores["完成县市2022年全国土地变更调查（个）"] == "8.57"  # 10 × 6/7
    assert scores["7个县市外业核实经费（万元）"] == "8.33"  # 10 × 10/12
    assert scores["保障国土调查成果的先势性和准确性。"] == "18.00"
    assert scores["预算执行率"] == "9.50"
    assert first["not_scored"] == 4 and first["total"] == "44.40"
    assert data["summary"]["tables"] == 19 and data["summary"]["complete"] == 0


def test_cli_table_output_and_bad_input(tmp_path):
    actuals = tmp_path / "a.json"
    actuals.write_text(json.dumps({"projects": [{"project": "聘请法律顾问费", "execution_rate": 100}]}, ensure_ascii=False), encoding="utf-8")
    ok = CliRunner().invoke(app, ["perf", "score", str(EXAMPLE), str(actuals)])
    assert ok.exit_code == 0 and "部门绩效自评汇总" in ok.stdout and "未评分" in ok.stdout
    missing = CliRunner().invoke(app, ["perf", "score", str(EXAMPLE), str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2 and "不存在" in missing.output
