"""Catalogue rules: codes, names, levels and placement against the classification catalogue."""

from __future__ import annotations

import pytest

from yusuan import catalog
from yusuan.rules import load_all
from yusuan.rules.engine import check_disclosure
from yusuan.rules.testing import build_disclosure, run_rule


@pytest.fixture()
def base():
    load_all()
    return build_disclosure()


def _rename(d, kind, key, *, code=None, name=None, level=None, new_key=None):
    d = d.model_copy(deep=True)
    row = d.table(kind).row(key)
    if code is not None:
        row.code = code
    if name is not None:
        row.name = name
    if level is not None:
        row.level = level
    if new_key is not None:
        row.key = new_key
    return d


def _move(d, kind, key, after):
    d = d.model_copy(deep=True)
    t = d.table(kind)
    row = t.row(key)
    t.rows.remove(row)
    t.rows.insert(t.rows.index(t.row(after)) + 1, row)
    return d


def test_consistent_disclosure_passes_every_catalogue_rule(base):
    from yusuan.rules.testing import run_rules

    assert run_rules(base, "C.") == []


def test_unknown_function_code_is_a_warning_with_the_partial_catalogue(base):
    bad = _rename(base, "expenditure", "f:2200101", code="2200198", new_key="f:2200198")
    [f] = run_rule(bad, "C.FUNCTION.CODE")
    assert f.severity == "warning"  # bundled catalogue is partial
    assert "部分目录" in f.message and f.stated == "2200198"
    assert f.location.table == bad.table("expenditure").label


def test_unknown_code_is_fatal_with_an_imported_complete_edition(base, tmp_path, monkeypatch):
    monkeypatch.setenv("YUSUAN_HOME", str(tmp_path))
    source = tmp_path / "f.csv"
    partial = catalog.load("function", 2023)
    complete = {c: e for c, e in partial.entries.items()
                if all(p in partial.entries for p in (c[:3], c[:5]) if len(p) < len(c))}
    source.write_text("code,name\n" + "".join(f"{e.code},{e.name}\n" for e in complete.values()), encoding="utf-8")
    catalog.import_edition(source, "function", 2023, replace=True)
    assert catalog.load("function", 2023).partial is False
    bad = _rename(base, "expenditure", "f:2200101", code="2200198", new_key="f:2200198")
    [f] = run_rule(bad, "C.FUNCTION.CODE")
    assert f.severity == "fatal" and "部分目录" not in f.message
    report = check_disclosure(bad)
    assert any(x.rule == "C.FUNCTION.CODE" and x.severity == "fatal" for x in report.findings)


@pytest.mark.parametrize("rule_id,kind,key,changes", [
    ("C.FUNCTION.NAME", "income", "f:2200101", {"name": "行政运行费"}),
    ("C.FUNCTION.NAME", "general_expenditure", "f:22001", {"name": "自然资源管理事务"}),
    ("C.FUNCTION.CLASS_NAME", "income_expenditure", "f:220", {"name": "自然资源海洋气象支出"}),
    ("C.FUNCTION.PROJECT_ITEM", "general_project", "p:2200104:国土空间规划编制", {"name": "规划管理"}),
    ("C.FUNCTION.LEVEL", "expenditure", "f:220", {"level": "款"}),
    ("C.ECONOMIC.CODE", "general_basic", "e:30101", {"code": "30198", "new_key": "e:30198"}),
    ("C.ECONOMIC.NAME", "general_basic", "e:30201", {"name": "办公经费"}),
    ("C.ECONOMIC.LEVEL", "general_basic", "e:301", {"level": "款"}),
])
def test_row_attribute_rules(base, rule_id, kind, key, changes):
    assert run_rule(base, rule_id) == []
    bad = _rename(base, kind, key, **changes)
    findings = run_rule(bad, rule_id)
    assert len(findings) == 1, [f.message for f in findings]
    f = findings[0]
    assert f.subject == changes.get("new_key", key)
    assert f.location.table == bad.table(kind).label and f.location.row is not None


def test_names_are_compared_after_normalisation(base):
    ok = _rename(base, "income", "f:2200101", name="行政 运行")
    assert run_rule(ok, "C.FUNCTION.NAME") == []
    ok = _rename(base, "general_basic", "e:30201", name="办公费　")
    assert run_rule(ok, "C.ECONOMIC.NAME") == []


def test_item_under_the_wrong_kuan_by_row_order(base):
    bad = _move(base, "expenditure", "f:2210201", after="f:2200101")
    findings = run_rule(bad, "C.FUNCTION.PARENT")
    assert [f.subject for f in findings] == ["f:2210201"]
    assert findings[0].expected == "22102" and findings[0].stated == "22001"
    assert run_rule(bad, "C.FUNCTION.ORDER")


def test_kuan_under_the_wrong_lei_by_row_order(base):
    bad = _move(base, "general_expenditure", "f:21011", after="f:208")
    assert [f.subject for f in run_rule(bad, "C.FUNCTION.PARENT")] == ["f:21011"]


def test_economic_kuan_under_the_wrong_class(base):
    bad = _move(base, "general_basic", "e:30201", after="e:30101")
    findings = run_rule(bad, "C.ECONOMIC.PARENT")
    assert [f.subject for f in findings] == ["e:30201"] and findings[0].expected == "302"
    assert run_rule(bad, "C.ECONOMIC.ORDER")
    assert run_rule(base, "C.ECONOMIC.ORDER") == [] and run_rule(base, "C.ECONOMIC.PARENT") == []


def test_project_rows_under_the_wrong_kuan(base):
    bad = _move(base, "general_project", "p:2240601:地质灾害防治", after="p:2200106:自然资源调查监测")
    assert [f.subject for f in run_rule(bad, "C.FUNCTION.PARENT")] == ["p:2240601:地质灾害防治"]


def test_every_catalogue_rule_is_tested():
    rules = load_all()
    mine = {r for r, v in rules.items() if v.func.__module__ == "yusuan.rules.catalogue"}
    assert mine == {"C.FUNCTION.CODE", "C.FUNCTION.NAME", "C.FUNCTION.CLASS_NAME", "C.FUNCTION.PROJECT_ITEM",
                    "C.FUNCTION.PARENT", "C.FUNCTION.LEVEL", "C.FUNCTION.ORDER", "C.ECONOMIC.CODE",
                    "C.ECONOMIC.NAME", "C.ECONOMIC.PARENT", "C.ECONOMIC.LEVEL", "C.ECONOMIC.ORDER"}


def test_numbered_class_names_without_codes(base):
    """Shanghai's T1 prints “一、一般公共服务支出” with no code; the key carries the code."""
    ok = _rename(base, "income_expenditure", "f:220", name="五、自然资源海洋气象等支出")
    ok.table("income_expenditure").row("f:220").code = None
    assert run_rule(ok, "C.FUNCTION.CLASS_NAME") == []
    from yusuan.rules.testing import run_rules

    assert run_rules(ok, "X.NAMES") == []
    bad = _rename(ok, "income_expenditure", "f:220", name="五、自然资源支出")
    [f] = run_rule(bad, "C.FUNCTION.CLASS_NAME")
    assert f.stated == "自然资源支出"
