"""Direction words (增加/减少, 增幅/降幅 …) in year-over-year sentences: one vocabulary for the reader and the
rules, and a flipped word caught in every phrasing family yusuan composes, read back from a rendered file."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from tests.conftest import EXAMPLE
from yusuan.amounts import word_direction
from yusuan.compose import compose
from yusuan.compose.phrasing import PHRASINGS
from yusuan.compose.wording import money
from yusuan.load import load_package
from yusuan.profiles import load_profile
from yusuan.read import narrative, read_file
from yusuan.render import render
from yusuan.rules import wording
from yusuan.rules.engine import check_disclosure
from yusuan.rules.testing import add_statements, build_disclosure, run_rule, statement


@pytest.fixture
def d():
    return build_disclosure()


def yoy(d, **fields):
    return add_statements(d.model_copy(deep=True), "general", statement("general:function:2200101", label="行政运行", **fields))


def _alternatives(pattern: re.Pattern) -> list[str]:
    """The words of a pattern's first group ``(增加|减少|…)``."""
    group = re.search(r"\((?:\?P<\w+>)?([^()?]+)\)", pattern.pattern).group(1)
    return group.split("|")


@pytest.mark.parametrize("pattern", [narrative._CHANGE, narrative._RATE, wording.CHANGE, wording.RATE])
def test_every_direction_word_the_readers_know_has_a_direction(pattern):
    words = _alternatives(pattern)
    assert len(words) >= 6
    for w in words:
        assert word_direction(w) in (1, -1), w


@pytest.mark.parametrize("word, sign", [
    ("增加", 1), ("增长", 1), ("增幅", 1), ("涨幅", 1), ("上升", 1), ("增长率为", 1), ("新增", 1),
    ("减少", -1), ("下降", -1), ("降幅", -1), ("减幅", -1), ("降低", -1), ("下降率为", -1), ("压减", -1),
    ("持平", 0), ("无变化", 0), ("无增减", 0),
    ("增加(减少)", None), ("增加（减少）", None), ("", None), (None, None),
])
def test_word_direction(word, sign):
    assert word_direction(word) == sign


@pytest.mark.parametrize("text, change, rate", [
    ("基本支出874.22万元，较上年预算减少297.23万元，降幅25.37%。", "-297.23", "-25.37"),
    ("基本支出874.22万元，较上年预算减少297.23万元，减幅25.37%。", "-297.23", "-25.37"),
    ("基本支出874.22万元，比上年增加297.23万元，涨幅51.51%。", "297.23", "51.51"),
    ("基本支出874.22万元，比上年减少297.23万元，下降率为25.37%。", "-297.23", "-25.37"),
])
def test_the_reader_signs_with_the_same_vocabulary(text, change, rate):
    from yusuan.read.names import NameIndex
    ctx = narrative.NarrativeContext(names=NameIndex.build([], 2023))
    [basic] = [s for s in narrative.parse_paragraph("expenditure", text, ctx, None) if s.subject == "expenditure:basic"]
    assert (basic.change, basic.rate) == (D(change), D(rate))


@pytest.mark.parametrize("rate_word", ["降幅", "减幅", "下降率为"])
def test_change_word_against_a_falling_rate_word(d, rate_word):
    # “较上年预算增加297.23万元，降幅25.37%”: the 增幅/降幅 family contradicts itself as 增加…下降 does
    assert run_rule(yoy(d, amount="874.22", change="-297.23", change_word="减少", rate="-25.37", rate_word=rate_word),
                    "Y.DIRECTION") == []
    [f] = run_rule(yoy(d, amount="874.22", change="297.23", change_word="增加", rate="-25.37", rate_word=rate_word),
                   "Y.DIRECTION")
    assert "自相矛盾" in f.message and f.severity == "fatal"


def test_change_word_against_a_rising_rate_word(d):
    [f] = run_rule(yoy(d, amount="874.22", change="-297.23", change_word="减少", rate="51.51", rate_word="涨幅"),
                   "Y.DIRECTION")
    assert "自相矛盾" in f.message


def test_both_words_flipped_the_magnitudes_still_fix_the_direction(d):
    # 874.22 this year, 297.23 of change, 25.37%: only a fall from 1171.45 gives that rate (a rise from 576.99
    # would be 51.51%), so “增加…增长25.37%” has its direction wrong even without last year printed
    assert run_rule(yoy(d, amount="874.22", change="-297.23", change_word="减少", rate="-25.37", rate_word="下降"),
                    "Y.DIRECTION") == []
    [f] = run_rule(yoy(d, amount="874.22", change="297.23", change_word="增加", rate="25.37", rate_word="增长"),
                   "Y.DIRECTION")
    assert f.stated == "增加" and f.expected == "减少/下降" and "1171.45" in f.message
    [g] = run_rule(yoy(d, amount="874.22", change="-297.23", change_word="减少", rate="-51.51", rate_word="下降"),
                   "Y.DIRECTION")
    assert g.expected == "增加/增长" and "576.99" in g.message


def test_unknown_last_year_and_no_rate_is_not_judged(d):
    # last year not printed and no rate: the direction cannot be checked (unknown is not a contradiction)
    assert run_rule(yoy(d, amount="874.22", change="297.23", change_word="增加"), "Y.DIRECTION") == []
    assert run_rule(yoy(d, amount="874.22", change="-297.23", change_word="减少"), "Y.DIRECTION") == []
    # a rate that fits neither direction is Y.RATE's finding, not a direction word's
    assert run_rule(yoy(d, amount="874.22", change="297.23", change_word="增加", rate="40", rate_word="增长"),
                    "Y.DIRECTION") == []


def test_rising_rate_word_in_a_stated_comparison(d):
    # last year printed: 增幅 where it fell is wrong as 增长 would be
    [f] = run_rule(yoy(d, amount="270", last_year="300", rate="10", rate_word="增幅"), "Y.DIRECTION")
    assert f.stated == "增幅"


def test_wording_rule_reads_the_rate_family():
    from yusuan.rules.testing import run_rules
    text = "2023年预算数为120.00万元，上年预算数为100.00万元，增加20.00万元，降幅20.00%。"
    d = build_disclosure()
    add_statements(d, "general", text=text)
    [f] = [f for f in run_rules(d, "W.YOY") if f.rule == "W.YOY.DIRECTION"]
    assert f.stated == "降幅"


OPPOSITE = {"增加": "减少", "减少": "增加"}


def _flip_every_change_word(composed) -> set[str]:
    """Flip 增加↔减少 in every Part 3 yoy clause printed once (the figures kept); the subjects flipped."""
    flipped = set()
    for section in composed.sections:
        if section.part != 3:
            continue
        for para in section.paragraphs:
            for st in para.statements:
                if st.change_word not in OPPOSITE or not st.change or st.subject.startswith("staff:"):
                    continue
                clause = f"{st.change_word}{money(abs(st.change))}"
                if para.text.count(clause) == 1:
                    para.text = para.text.replace(clause, OPPOSITE[st.change_word] + clause[len(st.change_word):], 1)
                    flipped.add(st.subject)
    return flipped


@pytest.mark.parametrize("family", PHRASINGS)
def test_a_flipped_change_word_is_caught_in_every_phrasing_read_back(family, tmp_path):
    base = load_profile("xinjiang")
    prof = base.model_copy(update={"wording": base.wording.model_copy(update={"phrasings": [family]})})
    composed = compose(load_package(EXAMPLE), prof)
    flipped = _flip_every_change_word(composed)
    assert len(flipped) >= 5, flipped
    path = render(composed, tmp_path, ["docx"])["docx"]
    report = check_disclosure(read_file(path).disclosure)
    found = {f.subject for f in report.findings if f.rule == "Y.DIRECTION" and f.severity == "fatal"}
    missed = flipped - found
    assert not missed, f"{family}: {len(missed)}/{len(flipped)} flipped words not reported: {sorted(missed)[:5]}"
