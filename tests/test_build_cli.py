"""`yusuan build`: files written, report beside them, exit codes, draft marking, nothing half written."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from render_fixture import EXAMPLE
from yusuan.cli import app
from yusuan.commands import build as build_cmd
from yusuan.findings import Finding
from yusuan.render.layout import DRAFT_MARK

runner = CliRunner()
pytestmark = pytest.mark.skipif(not (EXAMPLE / "package.yaml").exists(), reason="示例预算包尚不存在")


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_build_writes_documents_and_report(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(out), "--format", "docx,xlsx,html"])
    names = _files(out)
    assert any(n.endswith(".docx") for n in names)
    assert any(n.endswith(".xlsx") for n in names)
    assert any(n.endswith(".html") and "校验报告" not in n for n in names)
    assert not any(n.endswith(".pdf") for n in names)
    report = json.loads(next(out.glob("*校验报告.json")).read_text(encoding="utf-8"))
    assert any(n.endswith("校验报告.html") for n in names)
    for name in names:
        assert name in result.output.replace("\n", "")
    if "valid" in report:  # the checking engine's own report (same schema as `yusuan check`)
        fatal = report["stats"]["by_severity"]["fatal"]
        assert report["valid"] == (fatal == 0)
        assert result.exit_code == (1 if fatal else 0), result.output
        assert "校验结果" in result.output
        wb = load_workbook(next(out.glob("*.xlsx")))
        assert "校验报告" in wb.sheetnames
        assert (wb.worksheets[0]["A1"].value == DRAFT_MARK) == bool(fatal)
    else:
        assert report["checked"] is False
        assert result.exit_code == 0, result.output
        assert "校验功能暂不可用" in result.output
    # nothing left behind by the staging folder
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def _fatal_engine(package, **_):
    return [Finding(rule="T2.ROW.SOURCES", severity="fatal", category="within-table",
                    message="总计不等于各来源之和", stated=Decimal("1"), expected=Decimal("2"))]


def _clean_engine(package, **_):
    return [Finding(rule="NOTE", severity="info", category="text", message="提示")]


def test_fatal_findings_mark_every_sheet_and_page_draft_and_exit_1(tmp_path, monkeypatch):
    monkeypatch.setattr(build_cmd, "_check_engine", lambda: _fatal_engine)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(out), "--format", "xlsx,html"])
    assert result.exit_code == 1, result.output
    assert "错误 1 条" in result.output and DRAFT_MARK in result.output
    wb = load_workbook(next(out.glob("*.xlsx")))
    assert all(ws["A1"].value == DRAFT_MARK for ws in wb.worksheets)
    html = next(p for p in out.glob("*.html") if "校验报告" not in p.name).read_text(encoding="utf-8")
    assert f'@top-center {{ content: "{DRAFT_MARK}"' in html
    report = json.loads(next(out.glob("*校验报告.json")).read_text(encoding="utf-8"))
    assert report["passed"] is False and report["counts"]["fatal"] == 1
    assert report["findings"][0]["rule"] == "T2.ROW.SOURCES"


def test_clean_findings_exit_0_without_draft(tmp_path, monkeypatch):
    monkeypatch.setattr(build_cmd, "_check_engine", lambda: _clean_engine)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(out), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    wb = load_workbook(next(out.glob("*.xlsx")))
    assert all(ws["A1"].value != DRAFT_MARK for ws in wb.worksheets)
    assert json.loads(next(out.glob("*校验报告.json")).read_text(encoding="utf-8"))["passed"] is True


def test_a_failure_leaves_nothing_half_written(tmp_path, monkeypatch):
    import yusuan.render.pdf as pdf_mod

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(pdf_mod, "write_pdf", broken)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(out), "--format", "docx,xlsx,pdf", "--no-toc-pages"])
    assert result.exit_code == 1
    assert "磁盘已满" in result.output
    assert not out.exists() or _files(out) == []
    assert [p.name for p in tmp_path.iterdir()] in ([], ["out"])


def test_bad_format_is_a_clear_chinese_error(tmp_path):
    result = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(tmp_path / "o"), "--format", "docx,odt"])
    assert result.exit_code == 2
    assert "--format" in result.output and "odt" in result.output
    assert "Traceback" not in result.output


def test_missing_package_is_a_clear_chinese_error(tmp_path):
    result = runner.invoke(app, ["build", str(tmp_path / "nope"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_without_the_checking_engine_it_builds_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(build_cmd, "_check_engine", lambda: None)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(out), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "校验功能暂不可用" in result.output
    report = json.loads(next(out.glob("*校验报告.json")).read_text(encoding="utf-8"))
    assert report["checked"] is False and report["passed"] is False
    assert "未校验" in next(out.glob("*校验报告.html")).read_text(encoding="utf-8")
