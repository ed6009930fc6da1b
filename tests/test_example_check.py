"""The Changji example checks clean: no fatal finding, and every warning/info is explained in its README.

Checked twice, through the library (``check_package``: compose with the example's profile, then every
rule including the facts rules) and through the CLI (``yusuan check``), and the two must agree.
The README's section "校验结果" lists one rule ID per line (a line starting with "- `RULE.ID`"); the set
of rules giving warnings or infos must be exactly that list, so a new warning, or a warning that
disappears, fails here until the README says why.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLE
from yusuan.cli import app
from yusuan.rules.engine import check_package

README = EXAMPLE / "README.md"
SECTION = "## 校验结果"


@pytest.fixture(scope="module")
def report():
    return check_package(EXAMPLE)


def _explained_rules() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    assert SECTION in text, f"{README} 缺少“校验结果”一节"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(2) for m in re.finditer(r"^- `([A-Z0-9_.]+)`(.*)$", section, flags=re.M)}


def _describe(findings) -> str:
    return "\n".join(f"  {f.severity} {f.rule} {f.subject or ''}：{f.message[:120]}" for f in findings)


def test_library_check_has_no_fatal_finding(report):
    fatal = [f for f in report.findings if f.severity == "fatal"]
    others = Counter((f.severity, f.rule) for f in report.findings if f.severity != "fatal")
    print(f"\n{report.rules_run} 条规则；错误 {len(fatal)}，其余：{dict(sorted(others.items()))}")
    assert fatal == [], "本例不应有错误：\n" + _describe(fatal)
    assert report.valid and report.exit_code == 0
    # facts rules ran too (the example is checked with its facts, not as if read from a file)
    assert report.rules_run > len([r for r in report.titles if not r.startswith("F.")])


def test_no_rule_crashed(report):
    crashed = [f for f in report.findings if "执行出错" in f.message]
    assert crashed == [], _describe(crashed)


def test_every_warning_and_info_is_explained_in_the_readme(report):
    given = {f.rule for f in report.findings if f.severity in ("warning", "info")}
    explained = _explained_rules()
    assert given, "本例预期有若干警告（公开文本的矛盾照录），一条也没有说明规则没有运行"
    missing = sorted(given - set(explained))
    stale = sorted(set(explained) - given)
    assert not missing, "README“校验结果”没有说明这些警告/提示：\n" + _describe(
        [f for f in report.findings if f.rule in missing])
    assert not stale, f"README“校验结果”说明的规则已不再给出警告/提示：{stale}"
    for rule, why in explained.items():
        assert len(why.strip("（）警告提示：: ")) > 10, f"{rule} 的说明太短"


def test_cli_check_agrees_with_the_library(report):
    result = CliRunner().invoke(app, ["check", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["valid"] is True
    assert data["stats"]["by_severity"]["fatal"] == 0
    cli = Counter((f["severity"], f["rule"], f["subject"]) for f in data["findings"])
    lib = Counter((f.severity, f.rule, f.subject) for f in report.findings)
    assert cli == lib


def test_cli_text_output_says_passed():
    result = CliRunner().invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "通过" in result.output and "Traceback" not in result.output
