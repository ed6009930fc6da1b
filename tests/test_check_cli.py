"""`yusuan check` and `yusuan rules` from the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLE
from yusuan.cli import app

runner = CliRunner()


def _example():
    if not EXAMPLE.exists():
        pytest.skip("示例预算包尚不存在")
    return str(EXAMPLE)


@pytest.fixture(scope="module")
def example_json():
    result = runner.invoke(app, ["check", _example(), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_check_json_on_the_example(example_json):
    code, data = example_json
    assert code == (0 if data["valid"] else 1)
    assert data["valid"] == (data["stats"]["by_severity"]["fatal"] == 0)
    assert data["unit"] == "昌吉州自然资源局" and data["budget_year"] == 2023
    assert data["rules_run"] >= 150
    # the example is composed from facts, so its tables agree with each other
    assert [f for f in data["findings"] if f["category"] in ("within-table", "cross-table")] == []


def test_check_text_exit_code_matches_json(example_json):
    code, data = example_json
    result = runner.invoke(app, ["check", _example()])
    assert result.exit_code == code
    assert "校验结果" in result.stdout and ("通过" in result.stdout)


def test_check_csv_and_html_to_files(tmp_path, example_json):
    _, data = example_json
    out = tmp_path / "r.csv"
    result = runner.invoke(app, ["check", _example(), "--format", "csv", "-o", str(out)])
    assert result.exit_code in (0, 1)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == len(data["findings"]) + 1
    html = tmp_path / "r.html"
    result = runner.invoke(app, ["check", _example(), "--format", "html", "-o", str(html)])
    text = html.read_text(encoding="utf-8")
    assert "表7一般公共预算项目支出情况表" in text and "</html>" in text


def test_config_disables_rules(tmp_path, example_json):
    _, data = example_json
    cfg = tmp_path / "c.yaml"
    rules = sorted({f["rule"] for f in data["findings"]}) or ["TAB.NEGATIVE"]
    cfg.write_text("disable:\n" + "".join(f"  - {r}\n" for r in rules), encoding="utf-8")
    result = runner.invoke(app, ["check", _example(), "--format", "json", "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    after = json.loads(result.stdout)
    assert after["valid"] is True and after["findings"] == []


def test_unusable_input_exits_2(tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    bad = tmp_path / "c.yaml"
    bad.write_text("disable: [NOT.A.RULE]\n", encoding="utf-8")
    result = runner.invoke(app, ["check", _example(), "--config", str(bad)])
    assert result.exit_code == 2 and "NOT.A.RULE" in result.output
    result = runner.invoke(app, ["check", _example(), "--format", "pdf"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["check", _example(), "--profile", "atlantis"])
    assert result.exit_code == 2


def test_rules_listing():
    result = runner.invoke(app, ["rules", "--format", "json"])
    assert result.exit_code == 0
    rules = json.loads(result.stdout)
    ids = {r["id"] for r in rules}
    assert {"T2.ROW.SOURCES", "T2.HIER.KUAN", "T1.INCOME.TOTAL", "X.T5T7.PROJECT", "C.FUNCTION.CODE"} <= ids
    assert len(rules) >= 150
    result = runner.invoke(app, ["rules", "--format", "json", "--category", "catalogue"])
    cat = json.loads(result.stdout)
    assert cat and {r["category"] for r in cat} == {"catalogue"}
    result = runner.invoke(app, ["rules", "--category", "nonsense"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0 and "T2.ROW.SOURCES" in result.stdout


def test_fatal_findings_exit_1(tmp_path, example_json):
    """Raising the severity of a rule that fires on the example makes the check fail (exit status 1)."""
    _, data = example_json
    if not data["findings"]:
        pytest.skip("示例没有任何发现")
    rule = data["findings"][0]["rule"]
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[severity]\n"{rule}" = "fatal"\n', encoding="utf-8")
    result = runner.invoke(app, ["check", _example(), "--format", "json", "--config", str(cfg)])
    assert result.exit_code == 1
    after = json.loads(result.stdout)
    assert after["valid"] is False
    assert {f["severity"] for f in after["findings"] if f["rule"] == rule} == {"fatal"}
    result = runner.invoke(app, ["check", _example(), "--config", str(cfg)])
    assert result.exit_code == 1 and "未通过" in result.stdout
