"""Across years (issue 13, item 2): ``--previous`` compares this year's stated last-year figures with
what last year's package published, for facts and for a published file."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from yusuan.cli import app
from yusuan.compose import compose
from yusuan.load import save_package
from yusuan.model import BudgetPackage
from yusuan.rules.engine import check_package
from yusuan.rules.previous import published
from yusuan.rules.registry import Context
from yusuan.synth.facts import random_package

RULES = ("Y.PREVIOUS.TEXT", "Y.PREVIOUS.UNIT")


def _two_years(seed: int = 7) -> tuple[BudgetPackage, BudgetPackage]:
    """A random department in 2022, and the same department in 2023 whose last-year figures are
    exactly what its 2022 package publishes (read off the composed 2022 disclosure)."""
    before = random_package(random.Random(seed), year=2022)
    data = before.model_dump(mode="json")
    data["unit"]["budget_year"] = 2023
    printed = Context(disclosure=compose(before), previous=compose(before))
    last = {}
    for subject, entry in data["last_year"].items():
        figure = published(printed, subject)
        if figure is not None:
            last[subject] = {"amount": str(figure.amount), "reason": entry.get("reason") or "业务调整"}
    assert len(last) >= 5
    data["last_year"] = last
    return before, BudgetPackage.model_validate(data)


def _previous_findings(report):
    return [f for f in report.findings if f.rule in RULES]


def test_consistent_years_give_no_finding():
    before, now = _two_years()
    assert _previous_findings(check_package(now, previous=compose(before))) == []


def test_without_previous_the_rules_stay_silent():
    _, now = _two_years()
    now.last_year[next(iter(now.last_year))].amount += Decimal(5)
    assert _previous_findings(check_package(now)) == []


@pytest.mark.parametrize("pick", [0, -1])
def test_a_changed_last_year_figure_is_found_with_both_figures(pick):
    before, now = _two_years()
    subject = sorted(now.last_year)[pick]
    was = now.last_year[subject].amount
    now.last_year[subject].amount = was + Decimal("3.21")
    found = _previous_findings(check_package(now, previous=compose(before)))
    assert [f.subject for f in found] == [subject]
    f = found[0]
    assert f.rule == "Y.PREVIOUS.TEXT" and f.severity == "warning"
    assert Decimal(f.stated) == was + Decimal("3.21") and Decimal(f.expected) == was
    assert "2022年公开文件" in f.message and f.location is not None


def test_another_year_or_unit_is_said_once_not_per_figure():
    before, now = _two_years()
    other = random_package(random.Random(99), year=2021)
    found = _previous_findings(check_package(now, previous=compose(other)))
    assert {f.rule for f in found} == {"Y.PREVIOUS.UNIT"}
    assert any("2021" in f.message for f in found)


def test_cli_check_and_audit_of_a_published_pdf(tmp_path):
    from yusuan.render import render

    before, now = _two_years()
    subject = "sangong:total" if "sangong:total" in now.last_year else sorted(now.last_year)[0]
    now.last_year[subject].amount += Decimal("1.50")
    prev_pdf = render(compose(before), tmp_path / "2022", ["pdf"])["pdf"]
    now_path = tmp_path / "now.yaml"
    save_package(now, now_path)
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(now_path), "--previous", str(prev_pdf), "--format", "json"])
    assert "Y.PREVIOUS.TEXT" in result.output and subject in result.output, result.output[-2000:]
    # the 2023 file as published, audited against the 2022 PDF
    now_docx = render(compose(now), tmp_path / "2023", ["docx"])["docx"]
    result = runner.invoke(app, ["audit", str(now_docx), "--previous", str(prev_pdf), "--format", "json"])
    assert "Y.PREVIOUS.TEXT" in result.output and subject in result.output, result.output[-2000:]


def test_missing_previous_file_is_a_clear_error(tmp_path):
    _, now = _two_years()
    now_path = tmp_path / "now.yaml"
    save_package(now, now_path)
    result = CliRunner().invoke(app, ["check", str(now_path), "--previous", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 2 and "上年文件不存在" in result.output
