"""A performance-target table cut by a page break after its header fields: the indicator block on the
next page rules columns of its own, and must be read with them (not re-cut with the header block's
columns, which ran its cells together: no indicators read, every indicator row "unrecognised").

Documents 7 (Shanghai layout) and 11 (Xinjiang layout) of synthetic seed 1013 print such a break; the test
checks the break is there, so that a change of layout cannot make it pass without testing anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from yusuan.commands.audit import audit_file
from yusuan.render import render
from yusuan.synth.make import build_document


def _pdf(tmp_path: Path, index: int) -> Path:
    disclosure, _ = build_document(1013, index, None, "all", 0.0)
    return render(disclosure, tmp_path, ["pdf"])["pdf"]


def _split_tables(path: Path) -> int:
    """Pages that end inside a performance table's header fields, their table's indicators on the next page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    return sum(1 for a, b in zip(texts, texts[1:])
               if "绩效目标表" in a and "项目名称" in a.rsplit("绩效目标表", 1)[-1]
               and "一级指标" not in a.rsplit("绩效目标表", 1)[-1] and "一级指标" in b.split("绩效目标表", 1)[0])


@pytest.mark.parametrize("index", [7, 11])
def test_indicators_after_a_page_break_are_read_with_their_own_columns(tmp_path, index):
    path = _pdf(tmp_path, index)
    assert _split_tables(path) >= 1, "the document no longer breaks a performance table after its header"
    report = audit_file(path)
    rules = [f.rule for f in report.findings]
    assert "R.PERFORMANCE.EMPTY" not in rules
    assert not [f.message for f in report.findings if f.rule in ("R.ROW.UNRECOGNISED", "R.NUMBER.UNPARSABLE")]
    tables = report.disclosure.performance
    assert tables and all(t.table.indicators for t in tables)


def test_an_opening_bracket_right_of_a_cell_border_starts_a_new_word():
    """A value printed from 《 just right of its cell's border: the bracket's box starts left of its ink,
    across the border, less than a word gap from the label in the cell before (seen in a rendered
    performance table: “项目名称《…》编制经费” read as one word in the value's cell, no project name)."""
    from yusuan.read.pdf_layout import Char, Rule, split_words

    def chars(text, x, width=8.9):
        return [Char(ch, x + i * width, 0.0, x + (i + 1) * width, 8.8) for i, ch in enumerate(text)]

    border = [Rule("v", 88.0, -5, 15)]
    for opening in "《（“【":
        row = chars("项目名称", 47.4) + chars(opening + "规划编制经费", 86.2)
        assert [w.text for w in split_words(row, border)] == ["项目名称", opening + "规划编制经费"], opening
    # no border between them: one word, as before
    assert len(split_words(chars("项目名称", 47.4) + chars("《规划》", 86.2))) == 1
