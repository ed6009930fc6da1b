"""The narrative reader on the phrasing families real publishers use, and every family yusuan can
compose read back from a rendered file (``yusuan.compose.phrasing``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from yusuan.compose import compose
from yusuan.compose.phrasing import PHRASINGS, pick
from yusuan.load import load_package
from yusuan.profiles import load_profile
from yusuan.read import read_file
from yusuan.read.names import NameIndex
from yusuan.read.narrative import NarrativeContext, parse_paragraph
from yusuan.render import render
from yusuan.rules.engine import check_disclosure

from tests.conftest import EXAMPLE

D = Decimal


def read(section: str, text: str):
    ctx = NarrativeContext(names=NameIndex.build([], 2023))
    return parse_paragraph(section, text, ctx, None), ctx


@pytest.mark.parametrize("text, code, amount", [
    ("1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元，主要用于日常运转。", "2040601", "1672.67"),
    ("3．社会保障和就业支出（208类）行政事业单位养老支出（05款）机关事业单位基本养老保险缴费支出（05项）88.10万元。",
     "2080505", "88.10"),
    ("（二）教育支出（205类）普通教育（02款）小学教育（02项）：2025年预算数为3,406.20万元。", "2050202", "3406.20"),
    ("2.“卫生健康支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）”29.32万元，比2024年预算减少2.44万元。",
     "2101101", "29.32"),
    ("一是2080501行政单位离退休3.90万元，主要用于离退休人员支出。", "2080501", "3.90"),
    ("4.[2130301]行政运行：预算数为120.00万元。", "2130301", "120.00"),
    ("5、2010301 行政运行 56.78万元，比上年增加1.00万元。", "2010301", "56.78"),
])
def test_function_chains_with_codes_name_their_item(text, code, amount):
    statements, ctx = read("general", text)
    assert [s.subject for s in statements][:1] == [f"general:function:{code}"], (statements, ctx.findings)
    assert statements[0].amount == D(amount)


@pytest.mark.parametrize("text, change, rate", [
    ("基本支出1174.93万元，较上年预算增加142.78万元，增幅13.83%。", "142.78", "13.83"),
    ("基本支出1174.93万元，较2022年预算减少142.78万元，降幅13.83%。", "-142.78", "-13.83"),
    ("基本支出1174.93万元，与上年相比增加142.78万元，同比增长13.83%。", "142.78", "13.83"),
    ("基本支出1174.93万元，与上年相比减少142.78万元，同比下降13.83%。", "-142.78", "-13.83"),
    ("基本支出1174.93万元，比上年预算增加142.78万元，增长13.83%，主要原因是人员增加。", "142.78", "13.83"),
])
def test_year_over_year_clauses_in_their_wordings(text, change, rate):
    statements, _ = read("expenditure", text)
    basic = next(s for s in statements if s.subject == "expenditure:basic")
    assert (basic.amount, basic.change, basic.rate) == (D("1174.93"), D(change), D(rate))


def test_unchanged_is_a_zero_change():
    statements, _ = read("expenditure", "基本支出1174.93万元，与上年持平。")
    assert statements[0].change == 0


def test_amounts_in_yuan_are_read_in_wan_yuan():
    statements, _ = read("expenditure", "基本支出11,749,300.00元，比上年增加1,427,800.00元，增长13.83%。")
    basic = statements[0]
    assert (basic.amount, basic.change) == (D("1174.93"), D("142.78"))


def test_a_final_accounts_budget_is_not_taken_as_the_spending():
    statements, _ = read("general", "一般公共服务支出（类）人大事务（款）行政运行（项）全年预算为52.00万元，支出决算为51.32万元，"
                                    "完成年初预算的98.69%。")
    spend = statements[0]
    assert spend.amount == D("51.32")
    assert any(s.subject.endswith(":budget") and s.amount == D("52.00") for s in statements)


def test_enumerated_items_each_name_their_subject():
    statements, _ = read("expenditure", "一是基本支出1174.93万元，占19.17%；二是项目支出4953.25万元，占80.83%。")
    assert [(s.subject, s.amount) for s in statements] == [("expenditure:basic", D("1174.93")),
                                                           ("expenditure:project", D("4953.25"))]


def test_each_statement_takes_one_family_deterministically():
    wording = load_profile("xinjiang").wording.model_copy(update={"phrasings": list(PHRASINGS), "phrasing_seed": 7})
    chosen = {pick(wording, f"general:function:{n}") for n in range(2010101, 2010140)}
    assert len(chosen) >= 4  # the families are all used
    assert pick(wording, "total") == pick(wording, "total")
    default = load_profile("xinjiang").wording
    assert pick(default, "total") == "standard"


def _read_back_rate(profile: str, family: str, tmp_path):
    base = load_profile(profile)
    prof = base.model_copy(update={"wording": base.wording.model_copy(update={"phrasings": [family]})})
    composed = compose(load_package(EXAMPLE), prof)
    path = render(composed, tmp_path, ["docx"])["docx"]
    result = read_file(path)
    read_by_subject = defaultdict(list)
    for s in result.disclosure.statements():
        read_by_subject[s.subject].append(s)
    wanted = [s for s in composed.statements() if s.amount is not None]
    assert all(s.phrasing == family for s in composed.statements())
    missed = []
    for s in wanted:
        fields = [k for k in ("change", "rate", "share") if getattr(s, k) not in (None, 0)]
        if not any(r.amount == s.amount and all(getattr(r, k) == getattr(s, k) for k in fields)
                   for r in read_by_subject.get(s.subject, [])):
            missed.append((s.subject, s.text[:50]))
    return len(wanted), missed, result


@pytest.mark.parametrize("family", PHRASINGS)
@pytest.mark.parametrize("profile", ["xinjiang", "shanghai"])
def test_every_phrasing_reads_back_from_word(profile, family, tmp_path):
    total, missed, result = _read_back_rate(profile, family, tmp_path)
    rate = 1 - len(missed) / total
    assert rate >= 0.98, f"{profile}/{family}: {total - len(missed)}/{total} read back; missed {missed[:5]}"
    fatal = [f for f in check_disclosure(result.disclosure).findings if f.severity == "fatal"]
    assert not fatal, [f.message for f in fatal][:3]
