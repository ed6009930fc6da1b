"""Every finding quotes the printed text it read (Finding.quote), and the report states its narrative coverage."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from yusuan.rules import report as reports
from yusuan.rules.engine import check_disclosure
from yusuan.rules.tables_common import row_label
from yusuan.rules.testing import build_disclosure, set_value

D = Decimal


def _cell(d, kind: str, row_key: str, column: str):
    return d.table(kind).row(row_key).cells[column]


def test_a_table_finding_quotes_the_cell_as_printed_with_thousands_separators():
    d = set_value(build_disclosure(), "income", "f:20805", "total", delta=D("1234"))
    cell = _cell(d, "income", "f:20805", "total")
    cell.text = f"{cell.value:,.2f}"  # the thousands variant prints “1,295.50”
    assert "," in cell.text
    found = [f for f in check_disclosure(d).findings if f.rule == "T2.HIER.KUAN" and f.subject == "f:20805"]
    assert found, "the mutated 款 row must be reported"
    f = found[0]
    assert f.quote == cell.text  # the printed text, not the number reformatted
    assert "20805" in (f.quote_row or "")
    data = reports.finding_dict(f)
    assert data["quote"] == cell.text and data["quote_row"] == f.quote_row
    assert reports.quote_line(f) == f"原文：“{f.quote_row}”行 “{cell.text}”"


def test_a_dash_printed_for_zero_is_quoted_as_the_dash():
    d = build_disclosure()
    cell = _cell(d, "income", "f:2080505", "total")
    assert cell.value  # a non-zero total, printed as “-” (the dash_zero layout prints zero so)
    cell.text, cell.value = "-", D(0)
    found = [f for f in check_disclosure(d).findings
             if f.location and f.location.column == "总计" and f.subject == "f:2080505"]
    assert found, "a total printed as zero beside its non-zero sources must be reported"
    assert all(f.quote == "-" for f in found)
    assert reports.quote_line(found[0]).endswith("“-”")


def test_a_finding_without_one_place_has_no_quote():
    d = build_disclosure()
    d.tables = [t for t in d.tables if t.kind != "sangong"]
    report = check_disclosure(d)
    unplaced = [f for f in report.findings if f.location is None]
    assert unplaced and all(f.quote is None for f in unplaced)
    assert all(reports.quote_line(f) == "" for f in unplaced)


@pytest.fixture(scope="module")
def example_check():
    from tests.conftest import EXAMPLE

    if not (EXAMPLE / "package.yaml").exists():
        pytest.skip("示例尚不存在")
    from yusuan.rules.engine import check_package

    return check_package(EXAMPLE)


def _printed_texts(disclosure) -> list[str]:
    texts = [p.text for s in disclosure.sections for p in s.paragraphs] + [s.title for s in disclosure.sections]
    texts += [c.text for t in disclosure.tables for r in t.rows for c in r.cells.values()]
    texts += [i.target.text for p in disclosure.performance for i in p.table.indicators]
    texts += [row_label(r) for t in disclosure.tables for r in t.rows]  # a row finding quotes code and name
    return texts


def test_narrative_findings_quote_their_clause_exactly_as_printed(example_check):
    report = example_check
    texts = _printed_texts(report.disclosure)
    paragraphs = {id(p): p for s in report.disclosure.sections for p in s.paragraphs}
    narrative = [(f, p) for f in report.findings if f.location is not None and f.location.paragraph is not None
                 for p in paragraphs.values() if p.location == f.location and f.quote]
    assert narrative, "the example has findings on its narrative (K.STAFF.SPENDING, N.PROJECT.NAME …)"
    for f, paragraph in narrative:
        assert len(f.quote) <= 82
        assert f.quote.strip("…") in paragraph.text  # a clause of the printed sentence
        if len(paragraph.text) > 90:
            assert len(f.quote) < len(paragraph.text)  # not the whole paragraph
    # every quote of a table or text finding is printed text (cut with … only when longer than a clause)
    for f in report.findings:
        if f.quote is None or f.category == "facts" or f.rule.startswith("P."):
            continue
        piece = f.quote.strip("…")
        assert any(piece in t for t in texts), (f.rule, f.quote)


def test_a_statement_in_a_read_file_quotes_the_printed_sentence_not_the_normalised_one(tmp_path):
    from yusuan.commands.audit import audit_file

    from tests.conftest import EXAMPLE

    if not (EXAMPLE / "package.yaml").exists():
        pytest.skip("示例尚不存在")
    from yusuan.compose import compose
    from yusuan.load import load_package
    from yusuan.render import render

    files = render(compose(load_package(EXAMPLE)), tmp_path, formats=("docx",))
    report = audit_file(files["docx"])
    texts = _printed_texts(report.disclosure)
    quoted = [f for f in report.findings if f.quote and f.location and f.location.paragraph is not None]
    assert quoted
    for f in quoted:
        assert any(f.quote.strip("…") in t for t in texts), (f.rule, f.quote)


def test_coverage_counts_what_the_composer_wrote(tmp_path, example_check):
    """A composed example read back: the figures printed are those of the composed text, every composed
    amount is read, and as many are tied to a table as in the composed disclosure."""
    from yusuan.commands.audit import audit_file
    from yusuan.render import render
    from yusuan.rules.narrative_base import MONEY_UNITS
    from yusuan.rules.narrative_coverage import coverage_line, printed_money

    composed = example_check.disclosure
    files = render(composed, tmp_path, formats=("docx",))
    read = audit_file(files["docx"])
    coverage = read.coverage
    printed = sum(len(printed_money(p.text)) for s in composed.sections for p in s.paragraphs)
    amounts = sum(1 for st in composed.statements() if st.amount is not None and st.unit in MONEY_UNITS)
    assert printed > 50 and amounts > 50
    assert example_check.coverage["printed"] == printed and example_check.coverage["amounts"] == amounts
    assert coverage["printed"] == printed  # the same text, read back from Word
    read_amounts = sum(1 for st in read.disclosure.statements() if st.amount is not None and st.unit in MONEY_UNITS)
    assert coverage["amounts"] == read_amounts >= 0.9 * amounts
    assert example_check.coverage["tied"] >= coverage["tied"] >= 0.9 * example_check.coverage["tied"] > 0
    assert coverage["tied"] + coverage["untied"] == coverage["amounts"]
    assert 0 < coverage["read"] <= coverage["printed"]
    assert sum(s["amounts"] for s in coverage["sections"]) == coverage["amounts"]
    assert {"printed", "read", "amounts", "tied", "untied"} <= set(coverage["sections"][0])
    data = json.loads(reports.to_json(read))
    assert data["coverage"]["tied"] == coverage["tied"]
    line = coverage_line(coverage)
    assert f"{coverage['tied']} 条与表格数字对应核对" in line and str(coverage["printed"]) in line
