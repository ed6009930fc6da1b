"""Reports (JSON schema, CSV, HTML, terminal), the engine and the deployment configuration."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from rich.console import Console

from yusuan.errors import InputError
from yusuan.rules import report as reports
from yusuan.rules.config import load_settings, settings_from_dict
from yusuan.rules.engine import check_disclosure, run_rules
from yusuan.rules.registry import RULES, Context, Hit, Rule
from yusuan.rules.testing import build_disclosure, set_value

D = Decimal


@pytest.fixture(scope="module")
def bad_report():
    d = set_value(build_disclosure(), "income", "f:20805", "total", delta=D("1.5"))
    return check_disclosure(d)


def test_engine_report_on_a_consistent_disclosure_has_no_table_findings():
    report = check_disclosure(build_disclosure())
    assert [f for f in report.findings if f.rule[0] in "TXC"] == []
    assert report.rules_run >= 100


def test_json_schema(bad_report):
    data = json.loads(reports.to_json(bad_report))
    assert data["schema"] == reports.SCHEMA
    assert data["valid"] is False and bad_report.exit_code == 1
    assert set(data) >= {"valid", "stats", "findings", "unit", "budget_year", "rules_run", "completeness"}
    stats = data["stats"]
    assert stats["total"] == len(data["findings"])
    assert sum(stats["by_severity"].values()) == stats["total"]
    assert sum(stats["by_category"].values()) == stats["total"]
    kuan = [f for f in data["findings"] if f["rule"] == "T2.HIER.KUAN"]
    assert kuan, "the mutated 款 row must be reported"
    f = kuan[0]
    assert set(f) >= {"rule", "severity", "category", "message", "location", "subject", "stated", "expected",
                      "difference", "inputs", "title"}
    assert f["stated"] == "61.5" and f["expected"] == "60" and f["difference"] == "1.5"  # Decimals as strings
    assert all(isinstance(v, str) for v in f["inputs"].values())
    assert f["location"]["row"] is not None and f["location"]["column"] == "总计"
    assert f["subject"] == "f:20805"


def test_findings_sorted_fatal_first(bad_report):
    order = [reports.SEVERITY_ORDER[f.severity] for f in bad_report.findings]
    assert order == sorted(order)


def test_csv_has_one_line_per_finding(bad_report):
    rows = list(csv.reader(io.StringIO(reports.to_csv(bad_report))))
    assert rows[0] == reports.CSV_COLUMNS
    assert len(rows) == len(bad_report.findings) + 1
    assert any(r[0] == "T2.HIER.KUAN" and r[5] == "61.5" for r in rows[1:])


def test_html_highlights_the_offending_cell(bad_report):
    html = reports.to_html(bad_report)
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http" not in html.split("<body>")[0]
    assert 'class="n fatal"' in html
    # the highlighted cell carries the stated figure and links to its finding
    cell = html.split('class="n fatal"', 1)[1][:300]
    assert "61.50" in cell and 'href="#f' in cell
    assert "T2.HIER.KUAN" in html and "部门收入总体情况表" in html


def test_html_escapes_text():
    d = build_disclosure()
    d.unit_name = "<b>单位</b>"
    html = reports.to_html(check_disclosure(d))
    assert "<b>单位</b>" not in html and "&lt;b&gt;" in html


def test_terminal_report_groups_by_severity_and_table(bad_report):
    console = Console(record=True, width=140, color_system=None)
    reports.print_text(bad_report, console)
    text = console.export_text()
    assert "错误 ·" in text and "表2部门收入总体情况表" in text and "T2.HIER.KUAN" in text
    assert "未通过" in text


def test_a_rule_that_raises_becomes_a_finding():
    def broken(ctx):
        raise ZeroDivisionError("boom")
        yield  # pragma: no cover

    r = Rule("Z.BROKEN", "坏规则", "fatal", "within-table", (), broken)
    findings = run_rules(Context(disclosure=build_disclosure()), [r])
    assert len(findings) == 1 and findings[0].severity == "warning" and "boom" in findings[0].message


def test_score_hook_feeds_the_report():
    calls = []

    def hook(disclosure, findings, profile):
        calls.append(len(findings))
        return {"score": "97.5"}

    reports.register_score(hook)
    try:
        report = check_disclosure(build_disclosure())
        assert report.completeness == {"score": "97.5"} and calls
        assert json.loads(reports.to_json(report))["completeness"]["score"] == "97.5"
    finally:
        reports.SCORE_HOOKS.remove(hook)


# ------------------------------------------------------------------ configuration

def test_config_yaml_disables_and_overrides(tmp_path, bad_report):
    path = tmp_path / "c.yaml"
    path.write_text("tolerance: 2\ndisable: ['TAB.*']\nseverity:\n  X.T6T10.*: fatal\n  C.FUNCTION.ORDER: 警告\n",
                    encoding="utf-8")
    s = load_settings(path)
    assert s.tolerance == D(2) and "TAB.NEGATIVE" in s.disabled and "T2.ROW.SOURCES" not in s.disabled
    assert s.severities["X.T6T10.RECEPTION"] == "fatal" and s.severities["C.FUNCTION.ORDER"] == "warning"
    d = set_value(build_disclosure(), "income", "f:20805", "total", delta=D("1.5"))
    report = check_disclosure(d, settings=s)
    assert not any(f.rule == "T2.HIER.KUAN" for f in report.findings)  # 1.5 within tolerance 2
    assert not any(f.rule.startswith("TAB.") for f in report.findings)
    assert report.rules_run < bad_report.rules_run


def test_config_toml(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('disable = ["C.FUNCTION.ORDER"]\n[severity]\n"T2.ROW.SOURCES" = "info"\n', encoding="utf-8")
    s = load_settings(path)
    assert s.disabled == {"C.FUNCTION.ORDER"} and s.severities == {"T2.ROW.SOURCES": "info"}
    d = set_value(build_disclosure(), "income", "f:2200101", "s:unit_funds", delta=D(1))
    report = check_disclosure(d, settings=s)
    assert {f.severity for f in report.findings if f.rule == "T2.ROW.SOURCES"} == {"info"}


@pytest.mark.parametrize("data,word", [
    ({"disable": ["NO.SUCH.RULE"]}, "NO.SUCH.RULE"),
    ({"severity": {"T2.ROW.SOURCES": "严重错误"}}, "级别"),
    ({"tolerance": "abc"}, "数字"),
    ({"tolerance": -1}, "负数"),
    ({"colour": 1}, "colour"),
])
def test_bad_config_is_an_input_error_in_chinese(data, word):
    with pytest.raises(InputError) as exc:
        settings_from_dict(data, "c.yaml")
    assert word in str(exc.value)


def test_unreadable_config_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("disable: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_settings(path)
    assert "格式有误" in str(exc.value)
    with pytest.raises(InputError):
        load_settings(tmp_path / "missing.yaml")


def test_registry_counts():
    from yusuan.rules import load_all

    load_all()
    assert len(RULES) >= 150
    assert all(r.title and r.description for r in RULES.values() if r.id[0] in "TXC"), "every rule documents itself"
    assert isinstance(Hit("x").inputs, dict)
