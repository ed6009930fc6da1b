"""`yusuan audit`: reading published files and checking them from the command line."""

from __future__ import annotations

import json
from decimal import Decimal
import shutil
import zipfile

import pytest
from typer.testing import CliRunner

from tests.conftest import CHANGJI_TEXT
from yusuan.cli import app

runner = CliRunner()


def needs_reference():
    if not CHANGJI_TEXT.exists():
        pytest.skip(f"参考文件不存在：{CHANGJI_TEXT}")


def test_audit_reference_text_finds_errors_and_exits_1():
    needs_reference()
    result = runner.invoke(app, ["audit", str(CHANGJI_TEXT)])
    assert result.exit_code == 1, result.output
    assert "未通过" in result.output
    assert "Traceback" not in result.output


def test_audit_json_has_reading_and_check_findings():
    needs_reference()
    result = runner.invoke(app, ["audit", str(CHANGJI_TEXT), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False and data["unit"] == "昌吉州自然资源局" and data["profile"] == "xinjiang"
    rules = {f["rule"] for f in data["findings"]}
    assert "R.NUMBER.BLANK" in rules  # the reading finding is reported beside the checks
    categories = {f["category"] for f in data["findings"]}
    assert {"reading", "cross-table"} <= categories
    # the published table 7 款 row (1762.8) does not add up to its projects (1763.8)
    assert any(f["stated"] == "1762.8" for f in data["findings"])


def test_audit_csv_and_several_files(tmp_path):
    needs_reference()
    copy = tmp_path / "copy.txt"
    copy.write_text(CHANGJI_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["audit", str(CHANGJI_TEXT), str(copy), "--format", "csv"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("file,rule,severity")
    names = {line.split(",")[0] for line in lines[1:]}
    assert names == {CHANGJI_TEXT.name, "copy.txt"}


def test_audit_html_to_a_folder(tmp_path):
    needs_reference()
    result = runner.invoke(app, ["audit", str(CHANGJI_TEXT), "--format", "html", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    written = list((tmp_path / "out").glob("*.html"))
    assert len(written) == 1 and "<html" in written[0].read_text(encoding="utf-8").lower()


def _zip_not_docx(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")


@pytest.mark.parametrize("name,make,words", [
    ("a.docx", _zip_not_docx, "不是 Word"),
    ("locked.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), "加密"),
    ("empty.txt", lambda p: p.write_bytes(b""), "空"),
    ("notes.txt", lambda p: p.write_text("今天天气很好，我们去公园散步。\n明天再说。\n", encoding="utf-8"), "不是预算公开文件"),
    ("missing.docx", None, "不存在"),
])
def test_unusable_inputs_exit_2_with_a_chinese_message(tmp_path, name, make, words):
    path = tmp_path / name
    if make:
        make(path)
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 2
    assert words in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    needs_reference()
    bad = tmp_path / "bad.docx"
    _zip_not_docx(bad)
    result = runner.invoke(app, ["audit", str(bad), str(CHANGJI_TEXT), "--format", "json"])
    assert result.exit_code == 2
    assert "不是 Word" in result.stderr
    assert len(json.loads(result.stdout)) == 1 if result.stdout.lstrip().startswith("[") else json.loads(result.stdout)["unit"]


def test_legacy_format_without_libreoffice(tmp_path, monkeypatch):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 2
    assert "LibreOffice" in result.output and ".docx" in result.output


def test_unknown_profile_and_format():
    needs_reference()
    assert runner.invoke(app, ["audit", str(CHANGJI_TEXT), "--format", "pdf"]).exit_code == 2
    result = runner.invoke(app, ["audit", str(CHANGJI_TEXT), "--profile", "atlantis"])
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装")
def test_legacy_doc_is_converted_with_libreoffice(tmp_path):
    import subprocess

    source = tmp_path / "t3.html"  # LibreOffice writes an HTML table to .doc faithfully
    source.write_text("<html><body><p>部门支出总体情况表</p><p>单位：万元</p><table border='1'>"
                      "<tr><td>功能分类科目编码</td><td>功能分类科目名称</td><td>合计</td><td>基本支出</td><td>项目支出</td></tr>"
                      "<tr><td>2080505</td><td>机关事业单位基本养老保险</td><td>110.81</td><td>110.81</td><td></td></tr>"
                      "</table></body></html>", encoding="utf-8")
    subprocess.run(["soffice", "--headless", "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    from yusuan.read import read_file

    d = read_file(tmp_path / "t3.doc").disclosure
    row = d.table("expenditure").row("f:2080505")
    assert row.value("basic") == Decimal("110.81")
    assert d.file == "t3.doc" and row.cells["basic"].location.file == "t3.doc"


def test_audit_of_our_own_word_file_finds_what_check_finds(tmp_path):
    """audit(build(facts)) sees what check(facts) sees, apart from rules that need the facts."""
    from collections import Counter

    from tests.conftest import EXAMPLE

    if not (EXAMPLE / "package.yaml").exists():
        pytest.skip("示例尚不存在")
    try:
        from yusuan.compose import compose
        from yusuan.render import render
        from yusuan.rules.engine import check_package
    except ImportError:
        pytest.skip("compose / render / rules.engine 尚不存在")
    from yusuan.commands.audit import audit_file
    from yusuan.load import load_package

    package = load_package(EXAMPLE)
    files = render(compose(package), tmp_path, formats=("docx",))
    audited = audit_file(files["docx"])
    checked = check_package(package)
    assert not [f for f in audited.findings if f.category == "reading"]
    audit_rules, check_rules = Counter(f.rule for f in audited.findings), Counter(f.rule for f in checked.findings)
    # one rounding policy: shares rounded half-up one by one that add to 100.01% are a rounding note for
    # the printed file as for the facts (N.SHARE.SUM.ROUNDING), so audit and check agree
    assert audit_rules - check_rules == Counter()
    assert sum(1 for f in audited.findings if f.severity == "fatal") == sum(1 for f in checked.findings if f.severity == "fatal")
    runner_result = runner.invoke(app, ["audit", str(files["docx"])])
    assert runner_result.exit_code == checked.exit_code
