"""Text-vs-table (N.*) and year-over-year (Y.*) rules: one passing and one failing case each."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from yusuan.model import PriorYear
from yusuan.rules.testing import add_statements, build_disclosure, build_package, run_rule, statement


@pytest.fixture
def d():
    return build_disclosure()


def ids(findings):
    return [f.rule for f in findings]


# ------------------------------------------------------------------ text vs tables

@pytest.mark.parametrize("rule_id, section, subject, right, wrong", [
    ("N.TOTAL", "summary", "total", "1085.5", "1085.4"),
    ("N.INCOME.SOURCE", "income", "income:general_budget", "870.5", "807.5"),
    ("N.INCOME.SOURCE", "income", "income:general_transfer", "130", "103"),
    ("N.EXPENDITURE.FUNCTION", "summary", "expenditure:function:220", "770.5", "707.5"),
    ("N.EXPENDITURE.KIND", "expenditure", "expenditure:basic", "440", "430"),
    ("N.EXPENDITURE.KIND", "expenditure", "expenditure:project", "645.5", "654.5"),
    ("N.FISCAL", "fiscal", "fiscal:total", "990.5", "990"),
    ("N.FISCAL", "fiscal", "fiscal:function:224", "60", "70"),
    ("N.GENERAL.SCALE", "general", "general:total", "870.5", "871.5"),
    ("N.GENERAL.SCALE", "general", "general:basic", "430", "440"),
    ("N.GENERAL.CLASS", "general", "general:function:220", "710.5", "710"),
    ("N.GENERAL.ITEM", "general", "general:function:2200104", "300", "200"),
    ("N.BASIC.PERSONNEL_PUBLIC", "general_basic", "general:personnel", "310", "300"),
    ("N.BASIC.PERSONNEL_PUBLIC", "general_basic", "general:public", "120", "102"),
    ("N.BASIC.ECONOMIC", "general_basic", "general:economic:30101", "150", "105"),
    ("N.SANGONG", "sangong", "sangong:total", "10", "12"),
    ("N.SANGONG", "sangong", "sangong:reception", "2", "0.2"),
    ("N.EMPTY_TABLES", "capital", "capital:total", "0", "5"),
    ("N.EMPTY_TABLES", "fund", "fund:total", "120", "0"),
])
def test_amount_equals_table(d, rule_id, section, subject, right, wrong):
    ok = add_statements(d.model_copy(deep=True), section, statement(subject, amount=right))
    assert run_rule(ok, rule_id) == []
    bad = add_statements(d.model_copy(deep=True), section, statement(subject, amount=wrong, label="某项"))
    found = run_rule(bad, rule_id)
    assert len(found) == 1
    f = found[0]
    assert f.stated == D(wrong) and f.expected == D(right)
    assert wrong in f.message and "第三部分" in f.message and "表" in f.message


def test_item_absent_from_table_is_zero(d):
    # 2200102 is not printed in T5: a paragraph saying 0 passes, one giving an amount fails.
    ok = add_statements(d.model_copy(deep=True), "general", statement("general:function:2200102", amount="0"))
    assert run_rule(ok, "N.GENERAL.ITEM") == []
    bad = add_statements(d.model_copy(deep=True), "general", statement("general:function:2200102", amount="5"))
    [f] = run_rule(bad, "N.GENERAL.ITEM")
    assert "视为0" in f.message and f.expected == 0


def test_statement_in_yuan_is_converted(d):
    ok = add_statements(d.model_copy(deep=True), "sangong", statement("sangong:reception", amount="20000", unit="元"))
    assert run_rule(ok, "N.SANGONG") == []
    bad = add_statements(d.model_copy(deep=True), "sangong", statement("sangong:reception", amount="3", unit="元"))
    [f] = run_rule(bad, "N.SANGONG")
    assert "折算" in f.message
    # the table's 2 (万元) written “2元”: the unit word is wrong, reported once by H.UNIT.WORD
    slip = add_statements(d.model_copy(deep=True), "sangong", statement("sangong:reception", amount="2", unit="元"))
    assert run_rule(slip, "N.SANGONG") == []
    assert [f.subject for f in run_rule(slip, "H.UNIT.WORD")] == ["sangong:reception"]


def test_tables_in_yuan():
    d = build_disclosure(unit="元")
    ok = add_statements(d, "general", statement("general:total", amount="870.5"))
    assert run_rule(ok, "N.GENERAL.SCALE") == []


def test_fund_section_says_empty_but_table_has_figures(d):
    ok = add_statements(d.model_copy(deep=True), "capital", text="本部门没有使用国有资本经营预算拨款安排的支出，为空表。")
    assert run_rule(ok, "N.EMPTY_TABLES") == []
    bad = add_statements(d.model_copy(deep=True), "fund", text="本部门没有使用政府性基金预算拨款安排的支出，为空表。")
    [f] = run_rule(bad, "N.EMPTY_TABLES")
    assert "120.00" in f.message


def test_project_scale_against_table7(d):
    ok = add_statements(d.model_copy(deep=True), "general_project", statement("project:国土空间规划编制:scale", amount="300"))
    assert run_rule(ok, "N.PROJECT.SCALE") == []
    bad = add_statements(d.model_copy(deep=True), "general_project", statement("project:国土空间规划编制:scale", amount="350"))
    [f] = run_rule(bad, "N.PROJECT.SCALE")
    assert f.expected == D("300") and "国土空间规划编制" in f.message


def test_project_scale_sums_rows_of_one_project(d):
    # The same project printed under two 项 rows: the scale is the sum of both rows.
    t7 = d.table("general_project")
    row = t7.row("p:2200104:国土空间规划编制").model_copy(deep=True)
    row.key = "p:2200106:国土空间规划编制"
    row.cells["total"].value = D("20")
    t7.rows.append(row)
    ok = add_statements(d, "general_project", statement("project:国土空间规划编制:scale", amount="320"))
    assert run_rule(ok, "N.PROJECT.SCALE") == []


def test_project_unmatched(d):
    ok = add_statements(d.model_copy(deep=True), "general_project", statement("project:地质灾害防治:scale", amount="60"))
    assert run_rule(ok, "N.PROJECT.UNMATCHED") == []
    bad = add_statements(d.model_copy(deep=True), "general_project", statement("project:不存在的项目:scale", amount="60"))
    [f] = run_rule(bad, "N.PROJECT.UNMATCHED")
    assert f.severity == "warning" and "不存在的项目" in f.message


def test_project_allocation(d):
    def with_lines(*amounts):
        x = d.model_copy(deep=True)
        lines = [statement(f"project:卫片执法:allocation:{i}", amount=a, label=f"用途{i}")
                 for i, a in enumerate(amounts, start=1)]
        return add_statements(x, "general_project", statement("project:卫片执法:scale", amount="30"), *lines)

    assert run_rule(with_lines("10", "20"), "N.PROJECT.ALLOCATION") == []
    [f] = run_rule(with_lines("10", "10"), "N.PROJECT.ALLOCATION")
    assert f.stated == D("20") and f.expected == D("30") and "用途1" in f.message


# ------------------------------------------------------------------ shares

def test_share_recomputed(d):
    ok = add_statements(d.model_copy(deep=True), "expenditure",
                        statement("expenditure:basic", amount="440", share="40.53", share_of="total"))
    assert run_rule(ok, "N.SHARE") == []
    bad = add_statements(d.model_copy(deep=True), "expenditure",
                         statement("expenditure:basic", amount="440", share="40.52", share_of="total"))
    [f] = run_rule(bad, "N.SHARE")
    assert f.expected == D("40.53") and "四舍五入" in f.message


def test_share_whole_from_statement(d):
    # The whole is taken from the text when the text states it.
    x = add_statements(d, "expenditure", statement("total", amount="1000"),
                       statement("expenditure:basic", amount="440", share="44.00"))
    assert run_rule(x, "N.SHARE") == []


def _three_thirds(d, shares):
    x = d.model_copy(deep=True)
    parts = [statement(f"income:{k}", amount="1", share=s) for k, s in zip(("general", "other", "business"), shares)]
    return add_statements(x, "income", statement("total", amount="3"), *parts)


def test_share_sum_half_up_vs_largest_remainder(d):
    ok = _three_thirds(d, ["33.34", "33.33", "33.33"])
    assert run_rule(ok, "N.SHARE.SUM") == []
    # Half-up: each is 33.33 and that is fine for N.SHARE; the sum 99.99 comes from rounding alone → a rounding
    # note (info), in a published document as in a composed one (one rounding policy)
    bad = _three_thirds(d, ["33.33", "33.33", "33.33"])
    bad.origin = "read"
    assert run_rule(bad, "N.SHARE") == []
    assert run_rule(bad, "N.SHARE.SUM") == []
    [n] = run_rule(bad, "N.SHARE.SUM.ROUNDING")
    assert n.severity == "info" and "99.99" in n.message and "仅由舍入" in n.message
    # a region that adjusts shares to 100% is told, naming both methods
    [f] = run_rule(bad, "N.SHARE.SUM", profile={"share_rounding": "largest_remainder"})
    assert f.severity == "warning" and "最大余额法" in f.message and "四舍五入" in f.message
    assert run_rule(bad, "N.SHARE.SUM.ROUNDING", profile={"share_rounding": "largest_remainder"}) == []


def test_composed_half_up_shares_within_rounding_do_not_warn(d):
    """Shares yusuan composed, each rounded half-up as the profile states, may add to 99.99%: that is the rounding."""
    composed = _three_thirds(d, ["33.33", "33.33", "33.33"])
    assert composed.origin == "composed"
    assert run_rule(composed, "N.SHARE.SUM") == []
    # beyond rounding (a share that is not its own figure rounded, or a sum off by more) it still warns
    assert len(run_rule(_three_thirds(d, ["33.33", "33.33", "33.32"]), "N.SHARE.SUM")) == 1
    assert run_rule(_three_thirds(d, ["33.33", "33.33", "33.33"]), "N.SHARE.SUM",
                    profile={"share_rounding": "largest_remainder"}) != []


def test_composed_example_shares_do_not_warn(example_package):
    from yusuan.compose import compose

    d = compose(example_package)
    assert run_rule(d, "N.SHARE.SUM", profile={"share_rounding": "half_up"}) == []


def test_share_largest_remainder_profile(d):
    profile = {"share_rounding": "largest_remainder"}
    assert run_rule(_three_thirds(d, ["33.34", "33.33", "33.33"]), "N.SHARE", profile=profile) == []
    found = run_rule(_three_thirds(d, ["33.33", "33.33", "33.33"]), "N.SHARE", profile=profile)
    assert len(found) == 1 and "最大余额法" in found[0].message


def test_share_parts_cover_whole(d):
    ok = add_statements(d.model_copy(deep=True), "income", statement("total", amount="3"),
                        statement("income:general_budget", amount="2", share="66.67"),
                        statement("income:general", amount="1.5", share="50"),  # a breakdown of general_budget
                        statement("income:general_transfer", amount="0.5", share="16.67"),
                        statement("income:other", amount="1", share="33.33"))
    assert run_rule(ok, "N.SHARE.PARTS") == []
    # “一般公共预算” used for 一般财力 beside the transfer: not a breakdown, both count (as in the reference)
    misuse = add_statements(d.model_copy(deep=True), "income", statement("total", amount="6128.18"),
                            statement("income:general_budget", amount="2786.73", share="45.47"),
                            statement("income:general_transfer", amount="1912", share="31.20"),
                            statement("income:unit_funds", amount="1115.26", share="18.20"),
                            statement("income:carryover_fiscal", amount="314.19", share="5.13"))
    assert run_rule(misuse, "N.SHARE.PARTS") == []


def test_mismatch_names_the_row_with_that_amount(d):
    # “一般公共预算740.5万元” is table 1's 一般财力 row, not its 一般公共预算拨款 row (870.5)
    x = add_statements(d, "income", statement("income:general_budget", amount="740.5", label="一般公共预算"))
    [f] = run_rule(x, "N.INCOME.SOURCE")
    assert "其中：一般财力" in f.message and "口径" in f.message
    bad = add_statements(d.model_copy(deep=True), "income", statement("total", amount="4"),
                         statement("income:general_budget", amount="2", share="50"),
                         statement("income:other", amount="1", share="25"))
    [f] = run_rule(bad, "N.SHARE.PARTS")
    assert f.stated == D("3") and f.expected == D("4")


# ------------------------------------------------------------------ arithmetic inside the text

def test_listed_parts(d):
    ok = add_statements(d.model_copy(deep=True), "summary", statement("total", amount="100"))
    add_statements(ok, "summary", statement("income:general_budget", amount="60"), statement("income:other", amount="40"))
    assert run_rule(ok, "N.PARTS.SUM") == []
    bad = add_statements(d.model_copy(deep=True), "summary", statement("total", amount="100"))
    add_statements(bad, "summary", statement("expenditure:function:208", amount="60"),
                   statement("expenditure:function:220", amount="30"))
    [f] = run_rule(bad, "N.PARTS.SUM")
    assert f.stated == D("90")


@pytest.mark.parametrize("rule_id, section, whole, parts", [
    ("N.SPLIT.BASIC_PROJECT", "general", ("general:total", "100"), [("general:basic", "40"), ("general:project", "60")]),
    ("N.SPLIT.PERSONNEL_PUBLIC", "general_basic", ("general:basic", "100"), [("general:personnel", "70"), ("general:public", "30")]),
    ("N.SANGONG.SUM", "sangong", ("sangong:total", "14.74"),
     [("sangong:abroad", "0"), ("sangong:vehicle_purchase", "0"), ("sangong:vehicle_operation", "14"), ("sangong:reception", "0.74")]),
    ("N.PROCUREMENT.SUM", "other.procurement", ("procurement:total", "100"),
     [("procurement:goods", "10"), ("procurement:works", "0"), ("procurement:services", "90")]),
    ("N.SPLIT.ECONOMIC", "general_basic", ("general:public", "10"),
     [("general:economic:30201", "8"), ("general:economic:30217", "2")]),
])
def test_text_sums(d, rule_id, section, whole, parts):
    ok = add_statements(d.model_copy(deep=True), section, statement(whole[0], amount=whole[1]),
                        *[statement(s, amount=a) for s, a in parts])
    assert run_rule(ok, rule_id) == []
    bad_parts = [(s, str(D(a) + 1)) if i == 0 else (s, a) for i, (s, a) in enumerate(parts)]
    bad = add_statements(d.model_copy(deep=True), section, statement(whole[0], amount=whole[1]),
                         *[statement(s, amount=a) for s, a in bad_parts])
    [f] = run_rule(bad, rule_id)
    assert f.stated == D(whole[1]) + 1 and f.expected == D(whole[1])


def test_procurement_reserved(d):
    ok = add_statements(d.model_copy(deep=True), "other.procurement", statement("procurement:total", amount="100"),
                        statement("procurement:sme_reserved", amount="100"),
                        statement("procurement:small_micro_reserved", amount="80"))
    assert run_rule(ok, "N.PROCUREMENT.RESERVED") == []
    bad = add_statements(d.model_copy(deep=True), "other.procurement", statement("procurement:total", amount="100"),
                         statement("procurement:sme_reserved", amount="90"),
                         statement("procurement:small_micro_reserved", amount="95"))
    [f] = run_rule(bad, "N.PROCUREMENT.RESERVED")
    assert "面向小微企业" in f.message


def test_vehicles(d):
    def build(total, counts):
        x = d.model_copy(deep=True)
        kinds = [statement(f"assets:vehicle:{k}", count=c, amount=v) for k, (c, v) in zip(("general", "law"), counts)]
        return add_statements(x, "other.assets", statement("assets:vehicles", count=total[0], amount=total[1]), *kinds)

    assert run_rule(build((5, "189.03"), [(5, "189.03"), (0, "0")]), "N.ASSETS.VEHICLES") == []
    found = run_rule(build((5, "189.03"), [(4, "150"), (0, "0")]), "N.ASSETS.VEHICLES")
    assert len(found) == 2 and "5辆" in found[0].message


# ------------------------------------------------------------------ year over year

def yoy(d, **fields):
    return add_statements(d.model_copy(deep=True), "general", statement("general:function:2200101", label="行政运行", **fields))


def test_change(d):
    assert run_rule(yoy(d, amount="330", last_year="300", change="30", change_word="增加"), "Y.CHANGE") == []
    [f] = run_rule(yoy(d, amount="330", last_year="300", change="20", change_word="增加"), "Y.CHANGE")
    assert f.expected == D("30")


def test_rate(d):
    assert run_rule(yoy(d, amount="3.9", change="0.2", rate="5.41", rate_word="增长"), "Y.RATE") == []
    assert run_rule(yoy(d, amount="29.32", change="-2.44", rate="-7.68", rate_word="下降"), "Y.RATE") == []
    [f] = run_rule(yoy(d, amount="3.9", change="0.2", rate="5.40"), "Y.RATE")
    assert f.expected == D("5.41") and "3.70" in f.message


def test_rate_wrong_base_named(d):
    # 0.2 / 3.9 = 5.13%: the rate was computed on this year, not last year.
    [f] = run_rule(yoy(d, amount="3.9", change="0.2", rate="5.13"), "Y.RATE")
    assert "以本年数为分母" in f.message


def test_direction(d):
    assert run_rule(yoy(d, amount="330", last_year="300", change="30", change_word="增加", rate_word="增长"), "Y.DIRECTION") == []
    [f] = run_rule(yoy(d, amount="330", change="30", change_word="增加", rate_word="下降"), "Y.DIRECTION")
    assert "自相矛盾" in f.message
    [g] = run_rule(yoy(d, amount="270", last_year="300", change="30", change_word="增加"), "Y.DIRECTION")
    assert "减少" in g.message


def test_zero_change_words(d):
    assert run_rule(yoy(d, amount="0.62", change="0", change_word="持平"), "Y.DIRECTION.ZERO") == []
    [f] = run_rule(yoy(d, amount="0.62", change="0", change_word="增加", rate="0", rate_word="增加"), "Y.DIRECTION.ZERO")
    assert f.severity == "warning"


def test_zero_base(d):
    assert run_rule(yoy(d, amount="55.40", change="55.40", rate="100"), "Y.ZERO_BASE.RATE") == []
    # the region's own wording (what yusuan composes there) is right; elsewhere it is a warning
    assert run_rule(yoy(d, amount="55.40", change="55.40", rate="100"), "Y.ZERO_BASE.WORDING",
                    profile={"wording": {"zero_base": "增长100%"}}) == []
    [w] = run_rule(yoy(d, amount="55.40", change="55.40", rate="100"), "Y.ZERO_BASE.WORDING",
                   profile={"wording": {"zero_base": "新增"}})
    assert w.severity == "warning" and "增长100%" in w.message and "新增" in w.message
    assert run_rule(yoy(d, amount="55.40", change="50", rate="1008"), "Y.ZERO_BASE.WORDING") == []
    [f] = run_rule(yoy(d, amount="55.40", change="55.40", rate="55.40"), "Y.ZERO_BASE.RATE")
    assert f.severity == "fatal"
    [g] = run_rule(yoy(d, amount="0", last_year="0", rate="5"), "Y.ZERO_BASE.RATE")
    assert "均为0" in g.message


def test_negative_last_year(d):
    assert run_rule(yoy(d, amount="10", change="10"), "Y.LAST_YEAR.NEGATIVE") == []
    [f] = run_rule(yoy(d, amount="10", change="15", change_word="增加"), "Y.LAST_YEAR.NEGATIVE")
    assert f.stated == D("-5")


def test_last_year_facts(d):
    pkg = build_package()
    pkg.last_year["general:function:2200101"] = PriorYear(amount=D("300"))
    assert run_rule(yoy(d, amount="330", change="30"), "Y.LAST_YEAR.FACTS", package=pkg) == []
    [f] = run_rule(yoy(d, amount="330", change="20"), "Y.LAST_YEAR.FACTS", package=pkg)
    assert f.stated == D("310") and f.expected == D("300")
    assert run_rule(yoy(d, amount="330", change="20"), "Y.LAST_YEAR.FACTS") == []  # no facts, not run


def test_last_year_sums(d):
    def build(item_changes):
        x = d.model_copy(deep=True)
        add_statements(x, "general", statement("general:basic", amount="100", change="10"),
                       statement("general:project", amount="50", change="-10"))
        items = [statement(f"general:function:{c}", amount=a, change=ch) for c, a, ch in item_changes]
        return add_statements(x, "general", *items)

    # last year: basic 90 + project 60 = 150; items: (100-20) + (50+20) = 150
    assert run_rule(build([("2200101", "100", "20"), ("2200104", "50", "-20")]), "Y.LAST_YEAR.SUM") == []
    [f] = run_rule(build([("2200101", "100", "20"), ("2200104", "50", "-10")]), "Y.LAST_YEAR.SUM")
    assert f.stated == D("140") and f.expected == D("150")


def test_sangong_last_year_sum(d):
    def build(reception_change):
        x = d.model_copy(deep=True)
        return add_statements(x, "sangong", statement("sangong:total", amount="14.74", change="0"),
                              statement("sangong:vehicle_operation", amount="14", change="0"),
                              statement("sangong:reception", amount="0.74", change=reception_change))
    assert run_rule(build("0"), "Y.LAST_YEAR.SUM") == []
    assert len(run_rule(build("0.5"), "Y.LAST_YEAR.SUM")) == 1


def test_reason_missing(d):
    ok = add_statements(d.model_copy(deep=True), "sangong", statement("sangong:reception", amount="2", change="1"),
                        statement("sangong:reception", amount="2", change="1", reason="接待任务增加"))
    assert run_rule(ok, "Y.REASON.MISSING") == []
    bad = add_statements(d.model_copy(deep=True), "sangong", statement("sangong:reception", amount="2", change="1"))
    [f] = run_rule(bad, "Y.REASON.MISSING")
    assert "没有说明原因" in f.message


def test_last_year_sum_rounding_gap_is_info(d):
    def build(change):
        x = d.model_copy(deep=True)
        add_statements(x, "general", statement("general:basic", amount="100", change="10"),
                       statement("general:project", amount="50", change="-10"))
        return add_statements(x, "general", statement("general:function:2200101", amount="100", change="20"),
                              statement("general:function:2200104", amount="50", change=change))

    # last year 150; items 80 + (50 − change): a 0.02 gap is within 7 × 0.005 of rounding, a 0.1 gap is not
    assert run_rule(build("-20.02"), "Y.LAST_YEAR.SUM") == []
    [i] = run_rule(build("-20.02"), "Y.LAST_YEAR.SUM.ROUNDING")
    assert i.severity == "info" and "舍入" in i.message
    assert len(run_rule(build("-20.1"), "Y.LAST_YEAR.SUM")) == 1
    assert run_rule(build("-20.1"), "Y.LAST_YEAR.SUM.ROUNDING") == []


# ------------------------------------------------------------------ the composed example

MY_RULES = ("N.", "Y.", "K.", "H.", "F.")


def test_composed_example_has_no_fatal_finding(example_package):
    from yusuan.compose import compose
    from yusuan.profiles import load_profile
    from yusuan.rules import load_all
    from yusuan.rules.engine import profile_settings
    from yusuan.rules.registry import Context, run

    profile = load_profile(example_package.unit.profile)
    d = compose(example_package, profile)
    ctx = Context(disclosure=d, package=example_package, profile=profile_settings(profile))
    rules = [r for rid, r in load_all().items() if rid.startswith(MY_RULES)]
    findings = run(ctx, rules)
    fatal = [f"{f.rule}: {f.message}" for f in findings if f.severity == "fatal"]
    assert fatal == []
    # What the published package itself contradicts, and the example keeps, is still reported:
    rules_hit = {f.rule for f in findings}
    assert "K.STAFF.SPENDING" in rules_hit  # 离休费 3.90 with 0 离休 staff (表6 vs 第一部分)
    assert "Y.ZERO_BASE.WORDING" not in rules_hit  # “增长100%” from a zero base is Xinjiang's own wording


def test_project_name_differs(d):
    ok = add_statements(d.model_copy(deep=True), "general_project", statement("project:地质灾害防治:scale", amount="60"))
    assert run_rule(ok, "N.PROJECT.NAME") == []
    renamed = add_statements(d.model_copy(deep=True), "general_project",
                             statement("project:自然资源调查监测工作:scale", amount="80.5"))
    [f] = run_rule(renamed, "N.PROJECT.NAME")
    assert f.expected == "自然资源调查监测"
    assert run_rule(renamed, "N.PROJECT.UNMATCHED") == []
    assert run_rule(renamed, "N.PROJECT.SCALE") == []  # matched by name similarity, amounts compared


# ------------------------------------------------------------------ properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from yusuan.amounts import growth_rate  # noqa: E402

cents = st.integers(min_value=1, max_value=10_000_000).map(lambda n: D(n) / 100)


@settings(max_examples=60, deadline=None)
@given(amount=cents, last=cents)
def test_correct_sentences_always_pass(amount, last):
    change = amount - last
    word = "增加" if change > 0 else "减少" if change < 0 else "持平"
    rate_word = "增长" if change > 0 else "下降" if change < 0 else "持平"
    d = build_disclosure()
    x = add_statements(d, "general", statement("general:function:2200101", amount=amount, change=change,
                                                rate=growth_rate(amount, last), change_word=word, rate_word=rate_word))
    for rid in ("Y.CHANGE", "Y.RATE", "Y.DIRECTION", "Y.LAST_YEAR.NEGATIVE", "Y.ZERO_BASE.RATE"):
        assert run_rule(x, rid) == []
    off = add_statements(build_disclosure(), "general", statement("general:function:2200101", amount=amount, change=change,
                                                                   rate=growth_rate(amount, last) + D("0.01")))
    assert [f.rule for f in run_rule(off, "Y.RATE")] == ["Y.RATE"]


def test_general_items_sum(d):
    def build(third):
        x = add_statements(d.model_copy(deep=True), "general", statement("general:total", amount="870.5"))
        return add_statements(x, "general", statement("general:function:2200101", amount="330"),
                              statement("general:function:2200104", amount="300"),
                              statement("general:function:2200106", amount=third),
                              *[statement(f"general:function:{c}", amount=a) for c, a in
                                (("2080505", "40"), ("2080506", "20"), ("2101101", "15"), ("2210201", "25"), ("2240601", "60"))])
    assert run_rule(build("80.5"), "N.GENERAL.ITEMS.SUM") == []
    [f] = run_rule(build("8.5"), "N.GENERAL.ITEMS.SUM")
    assert f.stated == D("798.5") and "漏说明" in f.message


def test_sangong_vehicle_subtotal(d):
    ok = add_statements(d.model_copy(deep=True), "sangong", statement("sangong:vehicle", amount="14"),
                        statement("sangong:vehicle_purchase", amount="0"), statement("sangong:vehicle_operation", amount="14"))
    assert run_rule(ok, "N.SANGONG.SUM") == []
    bad = add_statements(d.model_copy(deep=True), "sangong", statement("sangong:vehicle", amount="15"),
                         statement("sangong:vehicle_purchase", amount="0"), statement("sangong:vehicle_operation", amount="14"))
    [f] = run_rule(bad, "N.SANGONG.SUM")
    assert f.expected == D("15")


def test_operating_costs_vs_public(d):
    ok = add_statements(d.model_copy(deep=True), "other.operating_costs", statement("operating_costs", amount="120"))
    assert run_rule(ok, "N.OPERATING_COSTS.PUBLIC") == []
    bad = add_statements(d.model_copy(deep=True), "other.operating_costs", statement("operating_costs", amount="116.57"))
    [f] = run_rule(bad, "N.OPERATING_COSTS.PUBLIC")
    assert f.severity == "warning" and f.expected == D("120")


def test_flat_word_with_a_change(d):
    [f] = run_rule(yoy(d, amount="14", change="2", change_word="持平"), "Y.DIRECTION")
    assert "持平" in f.message


# ------------------------------------------------------------------ bases and units of compared figures

def test_conversion_artefact_only_for_a_yuan_table_under_one_cent():
    from decimal import Decimal as D

    from yusuan.disclosure import Statement
    from yusuan.rules.narrative import conversion_artefact

    wan = Statement(subject="general:function:2080501", amount=D("87.70"))
    assert conversion_artefact(wan, D("87.70"), D("87.708"))  # 877,080元 cut to 87.70万元
    assert not conversion_artefact(wan, D("87.70"), D("87.71"))  # a table in 万元: a real 0.01 gap
    assert not conversion_artefact(wan, D("887.36"), D("87.3617"))  # 800万元 apart: a contradiction
    yuan = Statement(subject="general:function:2080501", amount=D("877000"), unit="元")
    assert not conversion_artefact(yuan, D("87.70"), D("87.708"))


def test_comparison_base_tells_execution_from_budget():
    from yusuan.disclosure import Statement
    from yusuan.rules.narrative_yoy import comparison_base

    def base(text):
        return comparison_base(Statement(subject="x", text=text))

    assert base("2022年当年预算执行数为1.48万元，2023年预算安排2.63万元，比2022年预算执行数增加77.70%。") == "execution"
    assert base("一般公共预算拨款支出预算16497.86万元，比2022年预算增加1421.25万元") == "budget"
    assert base("比上年增加3万元") == "budget"


def test_initial_budget_figure_of_a_final_account_is_recognised():
    from decimal import Decimal as D

    from yusuan.disclosure import Statement
    from yusuan.rules.narrative_base import states_initial_budget

    text = "行政运行（项）。年初预算为 1560.05 万元，支出决算为1511.89万元。"
    assert states_initial_budget(Statement(subject="general:function:2010601", amount=D("1560.05"), text=text))
    assert not states_initial_budget(Statement(subject="general:function:2010601", amount=D("1511.89"), text=text))
    assert states_initial_budget(Statement(subject="sangong:total", label="“三公”经费财政拨款支出年初预算为",
                                           amount=D("0.95")))


def test_share_must_be_printed_with_its_amount():
    from decimal import Decimal as D

    from yusuan.disclosure import Statement
    from yusuan.rules.narrative_shares import share_printed_with_amount

    ok = Statement(subject="income:other", amount=D("6.2"), share=D("0.21"), text="其他收入6.2万元，占0.21%")
    assert share_printed_with_amount(ok)
    wrong = Statement(subject="general:total", amount=D("2940.05"), share=D("71.73"),
                      text="一般公共预算财政拨款支出2940.05万元，占本年支出合计的100.00%。一般公共服务支出（类）2106.66万元，占71.73%")
    assert not share_printed_with_amount(wrong)


def test_final_account_with_a_budget_layout_has_no_required_table_list():
    from yusuan.rules.narrative_base import required_tables

    budget_layout = {"name": "shanghai", "tables": [{"kind": "income_expenditure"}, {"kind": "sangong_operating"}]}
    assert required_tables(budget_layout) == ["income_expenditure", "sangong_operating"]
    assert required_tables(budget_layout, "final") is None
    final_layout = {"name": "shanghai_final", "tables": [{"kind": "income_expenditure"}, {"kind": "sangong"}]}
    assert required_tables(final_layout, "final") == ["income_expenditure", "sangong"]


def test_rounding_slack_counts_the_printed_non_zero_parts_and_the_total():
    from decimal import Decimal as D

    from yusuan.disclosure import Disclosure
    from yusuan.rules.narrative_base import rounding_slack
    from yusuan.rules.registry import Context

    ctx = Context(disclosure=Disclosure(unit_name="测试单位", profile="xinjiang", title="t"))
    classes = [D("2106.66"), D("326.72"), D("60.99"), D("445.69")]
    assert rounding_slack(ctx, D("-0.01"), classes) == D("0.025")  # five figures, half a cent each
    assert rounding_slack(ctx, D("-0.03"), classes) is None  # more than rounding can explain
    assert rounding_slack(ctx, D("0.01"), [D("170.10"), D("0")]) is None  # one printed part: the same figure
    assert rounding_slack(ctx, D("0.01"), classes, unit="元") is None  # 元 tables print exact figures


def _sangong_enumerated(reason_vehicle: str | None):
    """“三公”总额与上年比较，原因在“其中：”后的分项中逐项说明（上海常见写法）。"""
    from yusuan.rules.testing import add_statements, build_disclosure, statement

    d = build_disclosure()
    sec = d.section("sangong")
    if sec is not None:
        d.sections.remove(sec)
    add_statements(d, "sangong", statement("sangong:total", amount="214.74", change="-53.53", change_word="减少",
                                           rate="-19.95", text="2023年“三公”经费预算数为214.74万元，较2022年预算减少53.53万元，降幅19.95%。其中："))
    add_statements(d, "sangong", statement("sangong:abroad", amount="0", change="0", change_word="持平", reason="无变化",
                                           text="（一）因公出国（境）费0.00万元，与2022年预算持平，主要原因是无变化。"))
    add_statements(d, "sangong", statement("sangong:vehicle_operation", amount="15.94", change="-53.53", change_word="减少",
                                           reason=reason_vehicle,
                                           text="（二）公务用车运行费15.94万元，较2022年预算减少53.53万元。"))
    return d


def test_reasons_given_part_by_part_explain_the_total():
    d = _sangong_enumerated("部分工作任务调整")
    assert [f for f in run_rule(d, "Y.REASON.MISSING") if f.subject == "sangong:total"] == []
    assert [f for f in run_rule(d, "K.SANGONG.EXPLAINED") if f.subject == "sangong:total"] == []


def test_a_part_without_its_reason_leaves_the_total_unexplained():
    d = _sangong_enumerated(None)
    found = [f for f in run_rule(d, "Y.REASON.MISSING") if f.subject == "sangong:total"]
    assert len(found) == 1 and "减少53.53万元" in found[0].message and "-53.53" not in found[0].message
    assert [f for f in run_rule(d, "K.SANGONG.EXPLAINED") if f.subject == "sangong:total"]
