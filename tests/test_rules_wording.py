"""Wording rules (W.*): each fails on the faulty form and passes on the correct one, on varied sentences."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import EXAMPLE, SHANGHAI
from yusuan.disclosure import Location
from yusuan.rules.testing import add_statements, build_disclosure, run_rule, run_rules, set_cell, statement


def with_text(*texts, section="general", year=2023, title=None, phase="budget"):
    d = build_disclosure()
    d.budget_year = year
    d.phase = phase
    if title is not None:
        d.title = title
    for t in texts:
        add_statements(d, section, text=t)
    return d


def found(rule_id, *texts, **kw):
    return run_rule(with_text(*texts, **kw), rule_id)


def assert_rule(rule_id, clean, faulty, **kw):
    assert found(rule_id, clean, **kw) == [], clean
    hits = found(rule_id, faulty, **kw)
    assert len(hits) == 1, (faulty, [f.message for f in hits])
    assert hits[0].location is not None and hits[0].location.paragraph == 1
    return hits[0]


# ------------------------------------------------------------------ punctuation

@pytest.mark.parametrize("clean, faulty, mark", [
    ("基本支出1174.93万元，占19.17%。", "基本支出1174.93万元，占19.17%。。", "。。"),
    ("主要用于办公费、印刷费等支出。", "主要用于办公费、、印刷费等支出。", "、、"),
    ("比上年增加2万元，主要原因是人员增加。", "比上年增加2万元，，主要原因是人员增加。", "，，"),
    ("人员经费1058.36万元；公用经费116.57万元。", "人员经费1058.36万元；。公用经费116.57万元。", "；。"),
    ("其中：在职64人。", "其中：：在职64人。", "：："),
    ("住房保障支出87.29万元。其他支出14.09万元。", "住房保障支出87.29万元，。其他支出14.09万元。", "，。"),
    ("一般公共预算拨款（含结转）4698.73万元。", "一般公共预算拨款4698.73万元。，其中基本支出1174.93万元。", "。，"),
])
def test_doubled_punctuation(clean, faulty, mark):
    f = assert_rule("W.PUNCT.DOUBLE", clean, faulty)
    assert f.stated == mark and mark in f.message and f.severity == "warning"


def test_ellipsis_and_closing_bracket_are_not_doubled():
    assert found("W.PUNCT.DOUBLE", "政府性基金、国有资本经营预算等……。", "用于离退休（项）。", "详见附表……", "等等。。。") == []


@pytest.mark.parametrize("clean, faulty, char", [
    ("依据《昌吉州自然资源统一确权登记工作方案》开展工作。", "依据《昌吉州自然资源统一确权登记工作方案开展工作。", "《"),
    ("财政拨款“三公”经费预算14.74万元。", "财政拨款“三公经费预算14.74万元。", "“"),
    ("社会保障和就业支出（类）行政事业单位养老支出（款）。", "社会保障和就业支出（类行政事业单位养老支出（款）。", "（"),
    ("维修(护)费4.00万元。", "维修护)费4.00万元。", ")"),
    ("项目支出包括【专项】资金。", "项目支出包括【专项资金。", "【"),
])
def test_unpaired_brackets(clean, faulty, char):
    f = assert_rule("W.PUNCT.UNPAIRED", clean, faulty)
    assert f.stated == char


def test_mixed_width_pair_and_list_markers_are_paired():
    assert found("W.PUNCT.UNPAIRED", "指导县(市）依法编制总体规划。", "1）基本支出。", "（2）项目支出。", "一）人员经费。") == []


def test_paragraph_split_by_a_reader_is_not_unpaired():
    d = with_text("依据《昌吉州自然资源统一确权登记", "工作方案》开展工作。")
    d.origin = "read"
    assert run_rule(d, "W.PUNCT.UNPAIRED") == []
    # two separate paragraphs, each faulty on its own side, in different sections: both reported
    d = with_text("依据《工作方案开展工作。")
    add_statements(d, "fund", text="方案》已经印发。")
    assert len(run_rule(d, "W.PUNCT.UNPAIRED")) == 2


# ------------------------------------------------------------------ template remnants

@pytest.mark.parametrize("clean, faulty, remnant", [
    ("收入支出总计比上年增加120.00万元，增长5.00%。", "收入支出总计比上年增加（减少）120.00万元，增长5.00%。", "增加（减少）"),
    ("一般公共预算支出比上年下降3.20%。", "一般公共预算支出比上年增长（下降）3.20%。", "增长（下降）"),
    ("公务接待费比上年减少0.20万元。", "公务接待费比上年增加/减少0.20万元。", "增加/减少"),
    ("决算数小于预算数的主要原因是项目调减。", "决算数大于（小于）预算数的主要原因是项目调减。", "大于（小于）"),
    ("昌吉州自然资源局无下属预算单位。", "（单位名称）无下属预算单位。", "（单位名称）"),
    ("本年度无政府性基金预算收支。", "（请填写本单位情况）本年度无政府性基金预算收支。", "（请填写本单位情况）"),
])
def test_template_remnants(clean, faulty, remnant):
    f = assert_rule("W.TEMPLATE", clean, faulty)
    assert f.stated == remnant and f.severity == "fatal"


def test_placeholder_in_titles():
    assert run_rule(with_text("正文。", title="昌吉州自然资源局2023年部门预算公开"), "W.TEMPLATE") == []
    [f] = run_rule(with_text("正文。", title="上海市XX局2024年部门决算公开"), "W.TEMPLATE")
    assert "XX" in f.message and f.subject == "title"


# ------------------------------------------------------------------ direction words, change, rate

@pytest.mark.parametrize("clean, faulty, word", [
    ("2023年预算数为120.00万元，上年预算数为100.00万元，增加20.00万元。",
     "2023年预算数为120.00万元，上年预算数为100.00万元，减少20.00万元。", "减少"),
    ("本年支出80.50万元，上年支出90.50万元，比上年下降10.00万元。",
     "本年支出80.50万元，上年支出90.50万元，比上年增长10.00万元。", "增长"),
    ("机关运行经费由36.00万元增加到40.00万元。", "机关运行经费由36.00万元减少到40.00万元。", "减少"),
    ("公务接待费由2.00万元下降至1.50万元。", "公务接待费由2.00万元增加至1.50万元。", "增加"),
])
def test_direction_contradicts_the_stated_figures(clean, faulty, word):
    f = assert_rule("W.YOY.DIRECTION", clean, faulty)
    assert f.stated == word and f.severity == "fatal"


def test_flat_word_with_a_change():
    assert found("W.YOY.DIRECTION", "2023年预算数为0.62万元，上年预算数为0.62万元，与上年持平。") == []
    [f] = found("W.YOY.DIRECTION", "2023年预算数为0.70万元，上年预算数为0.62万元，与上年持平。")
    assert f.stated == "持平"
    # 基本持平 is a judgement, not a claim of no change
    assert found("W.YOY.DIRECTION", "2023年预算数为0.63万元，上年预算数为0.62万元，基本持平。") == []


@pytest.mark.parametrize("clean, faulty", [
    ("2023年预算数为120.00万元，2022年预算数为100.00万元，增加20.00万元。",
     "2023年预算数为120.00万元，2022年预算数为100.00万元，增加25.00万元。"),
    ("本年支出80.50万元，上年支出90.50万元，下降10.00万元，主要原因是项目减少1.00万元。",
     "本年支出80.50万元，上年支出90.50万元，下降11.00万元，主要原因是项目减少1.00万元。"),
    ("当年预算安排300000元，上年预算安排250000元，增加50000元。",
     "当年预算安排300000元，上年预算安排250000元，增加5000元。"),
])
def test_change_is_this_year_minus_last_year(clean, faulty):
    f = assert_rule("W.YOY.CHANGE", clean, faulty)
    assert f.expected is not None and f.stated != f.expected


@pytest.mark.parametrize("clean, faulty", [
    ("2023年预算数为120.00万元，上年预算数为100.00万元，增加20.00万元，增长20.00%。",
     "2023年预算数为120.00万元，上年预算数为100.00万元，增加20.00万元，增长16.67%。"),
    ("本年预算为3.90万元，上年预算为3.70万元，增长5.41%。", "本年预算为3.90万元，上年预算为3.70万元，增长5.13%。"),
    ("由36.00万元增加到40.00万元，增长11%。", "由36.00万元增加到40.00万元，增长10%。"),
])
def test_rate_from_the_stated_figures(clean, faulty):
    f = assert_rule("W.YOY.RATE", clean, faulty)
    assert f.severity == "fatal"


def test_sentences_without_both_figures_are_not_judged():
    texts = ["2023年预算数为3.90万元，比上年预算增加0.20万元，增长5.41%。",  # last year not stated: Y.* rules
             "比上年减少2.44万元，下降7.68%，主要原因是人员变动。",
             "本年支出80.50万元，上年支出90.50万元，主要原因是上年增加10.00万元的设备购置。"]
    d = with_text(*texts)
    assert run_rules(d, "W.YOY") == []


def test_statement_already_covering_the_sentence_is_left_to_year_over_year_rules():
    text = "2023年预算数为120.00万元，上年预算数为100.00万元，减少20.00万元。"
    d = build_disclosure()
    add_statements(d, "general", statement("general:function:2200101", amount="120", last_year="100", change="-20",
                                           change_word="减少", text=text), text=text)
    assert run_rule(d, "W.YOY.DIRECTION") == []
    assert [f.rule for f in run_rule(d, "Y.DIRECTION")] == ["Y.DIRECTION"]


# ------------------------------------------------------------------ completion rate

@pytest.mark.parametrize("clean, faulty", [
    ("一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。",
     "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.02%。"),
    ("“三公”经费年初预算为10.00万元，支出决算为8.00万元，完成预算的80%。",
     "“三公”经费年初预算为10.00万元，支出决算为8.00万元，完成预算的85%。"),
    ("行政运行年初预算为500.00万元，决算数为510.00万元，完成年初预算的102.00%。",
     "行政运行年初预算为500.00万元，决算数为510.00万元，完成年初预算的98.00%。"),
])
def test_completion_rate(clean, faulty):
    f = assert_rule("W.RATE.COMPLETION", clean, faulty, phase="final")
    assert f.severity == "fatal" and f.expected != f.stated


def test_completion_rate_needs_both_figures_in_its_clause():
    text = ("“三公”经费年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：因公出国（境）费决算为0.00万元，"
            "完成预算的0%；公务接待费支出决算为0.00万元，完成预算的0%。")
    assert found("W.RATE.COMPLETION", text, phase="final") == []


# ------------------------------------------------------------------ years

def test_title_and_table_years():
    d = with_text("正文。")
    assert run_rule(d, "W.YEAR.TITLE") == []
    d.title = "示例自然资源局2022年部门预算"
    d.tables[0].title = "2022年部门收支总体情况表"
    found_ = run_rule(d, "W.YEAR.TITLE")
    assert len(found_) == 2 and {f.stated for f in found_} == {"2022"}
    d = with_text("正文。")
    add_statements(d, "general_project", text="（一）2021年项目绩效目标", title="项目支出说明")
    d.section("general_project").paragraphs[0].style = "heading"
    [f] = run_rule(d, "W.YEAR.TITLE")
    assert "2021" in f.message


def test_title_year_leaves_cited_documents_and_comparisons():
    d = with_text("正文。")
    add_statements(d, "other.notes", text="（一）依据《2021年度预算管理办法》编制", title="其他说明")
    d.section("other.notes").paragraphs[0].style = "heading"
    d.tables[1].title = "部门收入总体情况表（与2022年对比）"
    assert run_rule(d, "W.YEAR.TITLE") == []


@pytest.mark.parametrize("clean, faulty", [
    ("资金执行时间：2023年1月1日-2023年12月31日", "资金执行时间：2022年1月1日-2022年12月31日"),
    ("项目实施周期：2021年-2025年", "项目实施周期：2019年-2022年"),
    ("项目起止时间为2023.01-2023.12", "项目起止时间为2024.01-2024.12"),
    ("实施周期：长期", "实施周期：2020年"),
])
def test_project_period_contains_the_budget_year(clean, faulty):
    assert_rule("W.YEAR.PERIOD", clean, faulty, section="general_project")


@pytest.mark.parametrize("clean, faulty, year, phase", [
    ("截至2022年12月31日，本部门共有车辆3辆。", "截至2020年12月31日，本部门共有车辆3辆。", 2023, "budget"),
    ("截至2024年8月31日，财政局共有车辆0辆。", "截至2025年8月31日，财政局共有车辆0辆。", 2025, "budget"),
    ("截至2022年底，占用使用国有资产情况为：", "截至2021年底，占用使用国有资产情况为：", 2023, "budget"),
    ("截至2024年12月31日，本部门共有车辆2辆。", "截至2023年12月31日，本部门共有车辆2辆。", 2024, "final"),
])
def test_asset_date_generalised(clean, faulty, year, phase):
    assert_rule("H.YEAR.ASSETS", clean, faulty, section="other.assets", year=year, phase=phase)


def test_asset_date_outside_the_assets_section():
    [f] = found("H.YEAR.ASSETS", "截至2019年12月31日，本单位共有车辆2辆，单价50万元以上设备1台。", section="other.notes")
    assert f.expected == "2022"
    assert found("H.YEAR.ASSETS", "截至2019年底，项目已完成验收。", section="other.notes") == []


# ------------------------------------------------------------------ 部门 / 单位

@pytest.mark.parametrize("clean, faulty", [
    ("本单位2023年无政府性基金预算拨款安排的支出。", "本部门2023年无政府性基金预算拨款安排的支出。"),
    ("昌吉州测绘院2023年单位预算收支总额6128.18万元。", "昌吉州测绘院2023年部门预算收支总额6128.18万元。"),
    ("基本支出按部门预算支出经济分类列示，报主管部门审核。", "我部门基本支出按经济分类列示。"),
])
def test_unit_document_calls_itself_department(clean, faulty):
    f = assert_rule("W.SELF.NAME", clean, faulty, title="昌吉州测绘院2023年单位预算公开")
    assert "单位" in f.expected


def test_department_document_may_say_unit_but_not_title_a_unit_budget():
    assert found("W.SELF.NAME", "本部门无下属单位，本单位编制数65人。", title="昌吉州自然资源局2023年部门预算公开") == []
    d = with_text("正文。", title="昌吉州自然资源局2023年部门预算公开")
    d.tables[0].title = "2023年单位预算收支总表"
    [f] = run_rule(d, "W.SELF.NAME")
    assert f.subject == d.tables[0].kind
    # no signal in the title: nothing is judged
    assert found("W.SELF.NAME", "本部门2023年无政府性基金。", title="昌吉州测绘院2023年预算公开") == []


# ------------------------------------------------------------------ renamed classes

@pytest.mark.parametrize("clean, faulty, current", [
    ("卫生健康支出59.48万元，占1.27%。", "医疗卫生与计划生育支出59.48万元，占1.27%。", "卫生健康支出"),
    ("节能环保支出（类）污染防治（款）。", "环境保护支出（类）污染防治（款）。", "节能环保支出"),
    ("文化旅游体育与传媒支出12.00万元。", "文化体育与传媒支出12.00万元。", "文化旅游体育与传媒支出"),
    ("其他卫生健康支出3.00万元。", "其他医疗卫生与计划生育支出3.00万元。", "其他卫生健康支出"),
    ("自然资源海洋气象等支出2621.85万元。", "国土海洋气象等支出2621.85万元。", "自然资源海洋气象等支出"),
])
def test_renamed_classes_in_text(clean, faulty, current):
    f = assert_rule("W.CLASS.RENAMED", clean, faulty)
    assert f.expected == current and f.severity == "warning" and "旧科目名称" in f.message


def test_renamed_class_before_its_edition_is_fine():
    assert found("W.CLASS.RENAMED", "医疗卫生与计划生育支出59.48万元。", year=2018) == []


def test_renamed_class_in_a_table_is_one_finding():
    d = build_disclosure()
    t1 = d.table("income_expenditure")
    row = next(r for r in t1.rows if r.code == "210")
    row.name = "医疗卫生与计划生育支出"
    found_ = run_rule(d, "W.CLASS.RENAMED")
    assert len(found_) == 1 and found_[0].expected == "卫生健康支出"
    assert run_rule(d, "C.FUNCTION.CLASS_NAME") == []  # not reported twice
    row.name = "卫生保健支出"  # a wrong name, not an old one: the catalogue rule reports it
    assert run_rule(d, "W.CLASS.RENAMED") == [] and len(run_rule(d, "C.FUNCTION.CLASS_NAME")) == 1


# ------------------------------------------------------------------ empty tables

def _empty(d, kind):
    t = d.table(kind)
    for r in t.rows:
        for c in r.cells.values():
            c.value = None
    return t


def test_empty_note_naming_another_budget():
    d = build_disclosure()
    t = _empty(d, "capital_expenditure")
    t.empty_note = "注：本部门2023年无国有资本经营预算财政拨款安排的预算，故本表为空表。"
    assert run_rule(d, "W.EMPTY.NOTE") == []
    t.empty_note = "注：本部门2023年无政府性基金预算财政拨款安排的预算，故本表为空表。"
    [f] = run_rule(d, "W.EMPTY.NOTE")
    assert f.stated == "政府性基金" and f.expected == "国有资本经营"


def test_empty_note_year_and_figures():
    d = build_disclosure()
    t = _empty(d, "fund_expenditure")
    t.empty_note = "本单位2022年没有使用政府性基金预算拨款安排的支出，本表为空表。"
    [f] = run_rule(d, "W.EMPTY.NOTE")
    assert f.stated == "2022"
    d = build_disclosure()
    t = d.table("fund_expenditure")
    assert not all(c.value in (None, 0) for r in t.rows for c in r.cells.values())
    t.empty_note = "本单位没有使用政府性基金预算拨款安排的支出，本表为空表。"
    [g] = run_rule(d, "W.EMPTY.NOTE")
    assert "列有金额" in g.message
    t.empty_note = None
    assert run_rule(d, "W.EMPTY.NOTE") == []


# ------------------------------------------------------------------ reference documents

def test_clean_builder_has_no_wording_finding():
    assert run_rules(build_disclosure(), "W.") == []


def test_changji_example_has_no_wording_finding():
    from yusuan.rules.engine import check_package

    report = check_package(EXAMPLE)
    assert [f.message for f in report.findings if f.rule.startswith("W.")] == []


def test_shanghai_wording_findings_are_the_verified_ones():
    if not SHANGHAI.exists():
        pytest.skip(f"参考文件目录不存在：{SHANGHAI}")
    from yusuan.commands.audit import audit_file

    found_ = {}
    for name in ("putuo-wanli-subdistrict-2023-dept-budget.pdf", "putuo-finance-bureau-2025-dept-budget.pdf",
                 "putuo-finance-bureau-2024-dept-final-account.pdf"):
        report = audit_file(SHANGHAI / name)
        found_[name] = [(f.rule, f.severity) for f in report.findings if f.rule.startswith("W.")]
    # p.8 of the 2025 budget: the note under the 国有资本经营 table repeats the 政府性基金 note (pdftotext line 322)
    assert found_ == {"putuo-wanli-subdistrict-2023-dept-budget.pdf": [],
                      "putuo-finance-bureau-2025-dept-budget.pdf": [("W.EMPTY.NOTE", "warning")],
                      "putuo-finance-bureau-2024-dept-final-account.pdf": []}


def test_asset_date_years_from_the_profile():
    d = with_text("截至2021年12月31日，本部门共有车辆3辆。", section="other.assets")
    assert len(run_rule(d, "H.YEAR.ASSETS")) == 1
    assert run_rule(d, "H.YEAR.ASSETS", profile={"wording": {"assets_year_offsets": [-1, -2]}}) == []


def test_title_year_periods_and_last_year_execution():
    d = with_text("正文。")
    for text in ("（一）2022年预算执行情况", "（二）2022—2024年中期财政规划", "（三）2023-2025年项目滚动计划"):
        add_statements(d, "other.notes", text=text, title="其他说明")
    for p in d.section("other.notes").paragraphs:
        p.style = "heading"
    assert run_rule(d, "W.YEAR.TITLE") == []
    add_statements(d, "other.notes", text="（四）2020—2021年项目计划")
    d.section("other.notes").paragraphs[-1].style = "heading"
    assert len(run_rule(d, "W.YEAR.TITLE")) == 1


def test_sub_item_change_is_not_the_sentence_change():
    text = "本年支出80.50万元，上年支出90.50万元，其中人员经费减少3.00万元。"
    assert found("W.YOY.CHANGE", text) == []
    text = "本年支出80.50万元，上年支出90.50万元，减少10.00万元，办公费2.00万元。"
    assert found("W.YOY.CHANGE", text) == []


def test_mid_paragraph_list_marker_and_cited_names():
    assert found("W.PUNCT.UNPAIRED", "主要包括：1）基本支出；2）项目支出。") == []
    assert found("W.TEMPLATE", "具体情况（说明见附件）如下。") == []
    assert found("W.SELF.NAME", "依据《昌吉州部门预算管理办法》编制。", title="昌吉州测绘院2023年单位预算公开") == []
    assert found("W.CLASS.RENAMED", "用于生态环境保护支出。") == []


def test_completion_rate_wording_variants():
    ok = "公务接待费年初预算为5.00万元，决算数为4.00万元，预算完成率为80.00%。"
    bad = "公务接待费年初预算为5.00万元，决算数为4.00万元，预算执行率为90.00%。"
    assert found("W.RATE.COMPLETION", ok, phase="final") == []
    assert len(found("W.RATE.COMPLETION", bad, phase="final")) == 1


@pytest.mark.parametrize("clean, faulty", [
    ("行政运行（项）年初预算为1560.05万元，支出决算为1511.89万元。决算数小于预算数的主要原因：人员变化。",
     "行政运行（项）年初预算为1560.05万元，支出决算为1511.89万元。决算数大于预算数的主要原因：人员变化。"),
    ("信息化建设（项）年初预算为135.90万元，支出决算为140.25万元，决算数大于预算数，主要原因是新增系统。",
     "信息化建设（项）年初预算为135.90万元，支出决算为140.25万元，决算数小于预算数，主要原因是新增系统。"),
    ("购房补贴（项）年初预算为258.50万元，支出决算为258.50万元。决算数与预算数持平。",
     "购房补贴（项）年初预算为258.50万元，支出决算为250.50万元。决算数与预算数持平。"),
])
def test_final_against_budget_words(clean, faulty):
    f = assert_rule("W.FINAL.COMPARE", clean, faulty, phase="final")
    assert f.severity == "fatal"
    assert found("W.FINAL.COMPARE", "年初预算为10.00万元，支出决算为9.98万元。决算数与预算数基本持平。", phase="final") == []


def _with_empty_fund(text, note="本单位没有使用政府性基金预算拨款安排的支出，本表为空表。"):
    d = build_disclosure()
    _empty(d, "fund_expenditure").empty_note = note
    add_statements(d, "fund", text=text, title="八、政府性基金预算拨款情况说明")
    return d


@pytest.mark.parametrize("clean, faulty", [
    ("本部门2023年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。",
     "政府性基金预算拨款情况详见表8。"),
    ("本单位2023年无政府性基金预算拨款安排的支出。", "本单位2023年无国有资本经营预算拨款安排的支出。"),
    ("2023年政府性基金预算拨款支出0万元。", "2023年政府性基金预算拨款支出情况如表。"),
])
def test_empty_table_in_part_three(clean, faulty):
    assert run_rule(_with_empty_fund(clean), "W.EMPTY.TEXT") == []
    [f] = run_rule(_with_empty_fund(faulty), "W.EMPTY.TEXT")
    assert f.location is not None and f.subject == "fund"


def test_year_named_this_year_figure():
    ok = "2022年当年预算执行数为1.48万元，2023年预算安排2.63万元，比2022年预算执行数增加77.70%。"
    bad = "2022年当年预算执行数为1.48万元，2023年预算安排2.63万元，比2022年预算执行数增加70.70%。"
    assert found("W.YOY.RATE", ok) == []
    [f] = found("W.YOY.RATE", bad)
    assert f.expected == Decimal("77.70")


@pytest.mark.parametrize("clean, faulty, year", [
    ("比2024年预算增加2.00万元。", "比2022年预算增加2.00万元。", 2025),
    ("比上年（2022年）预算减少1.50万元。", "比上年（2021年）预算减少1.50万元。", 2023),
    ("与上一年度(2023年)相比增加3.00万元。", "与上一年度(2022年)相比增加3.00万元。", 2024),
])
def test_comparison_year_named_in_brackets(clean, faulty, year):
    f = assert_rule("H.YEAR.COMPARISON", clean, faulty, year=year)
    assert f.expected == str(year - 1)


@pytest.mark.parametrize("text, rules", [
    ("2023年XXXX年预算数为XX万元。", {"H.PLACEHOLDER"}),
    ("公务接待费比上年增加……万元。", {"H.AMOUNT.BLANK"}),
    ("比上年增加2.00万元，主要原因是：。", {"H.REASON.EMPTY"}),
    ("本部门***年无政府性基金预算。", {"H.PLACEHOLDER"}),
    ("比上年增加（减少）2.00万元。", {"W.TEMPLATE"}),
])
def test_brief_remnants_are_each_found_by_one_rule(text, rules):
    """The template remnants an inspector marks: each is found, by the rule that owns it (no second finding)."""
    got = {f.rule for f in run_rules(with_text(text), "H.") + run_rules(with_text(text), "W.")
           if f.rule in {"H.PLACEHOLDER", "H.AMOUNT.BLANK", "H.REASON.EMPTY", "W.TEMPLATE"}}
    assert rules <= got and "W.TEMPLATE" not in got - rules


CLEAN = [
    "按照全口径预算的原则，昌吉州自然资源局2023年所有收入和支出均纳入部门预算管理。收支总预算6128.18万元。",
    "一般公共预算2786.73万元，占45.47%，比上年预算增加1589.58万元，增长132.78%，主要原因是项目经费安排较上年增加。",
    "2023年预算数为0.62万元，与上年预算持平，主要原因是无变动。",
    "2022年当年预算执行数为60.51万元，2023年预算安排65.69万元，比2022年预算执行数增加8.56%。",
    "机关运行经费由36.00万元增加到40.00万元，增长11.11%，主要原因是新增办公场所。",
    "“三公”经费年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：因公出国（境）费决算为0.00万元，完成预算的0%。",
    "截至2022年12月31日，本部门共有车辆7辆，其中：一般公务用车3辆、执法执勤用车4辆；单价50万元以上通用设备0台（套）。",
    "项目实施周期：2021年-2025年；资金执行时间：2023年1月1日-2023年12月31日。",
    "依据《中华人民共和国预算法》和《关于2023年预算编制的通知》（昌州财预〔2022〕15号），编制本部门预算。",
    "主要用于：1）人员经费；2）公用经费；3）项目支出等。",
    "维修(护)费4.00万元、其他交通费用3.25万元……",
    "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）：2023年预算数为29.32万元。",
    "政府采购预算830.00万元，占部门预算16497.86万元的5.03%，其中面向中小企业预留500.00万元。",
    "行政运行（项）年初预算为1560.05万元，支出决算为1511.89万元。决算数小于预算数的主要原因：人员变化。",
]


def test_varied_correct_text_has_no_wording_finding():
    d = with_text(*CLEAN, title="昌吉州自然资源局2023年部门预算公开")
    assert [f.message for f in run_rules(d, "W.")] == []
    assert [f.message for f in run_rules(d, "H.YEAR")] == []


# ------------------------------------------------------------------ one mistake, one finding (on the example)

def _first_paragraph(d, needle):
    for section in d.sections:
        for para in section.paragraphs:
            if needle in para.text:
                return para
    raise AssertionError(needle)


def _edit_text(needle, old, new):
    def edit(d):
        para = _first_paragraph(d, needle)
        assert old in para.text
        para.text = para.text.replace(old, new, 1)
    return edit


def _edit_note(d):
    d.table("capital_expenditure").empty_note = d.table("fund_expenditure").empty_note


def _edit_title(d):
    d.title = d.title.replace("2023年", "2022年")


INJECTED = [
    ("W.PUNCT.DOUBLE", _edit_text("收支总预算6128.18万元", "6128.18万元。", "6128.18万元。。")),
    ("W.PUNCT.UNPAIRED", _edit_text("昌州政办发〔2020〕37号", "《昌吉州全面开展", "昌吉州全面开展")),
    ("W.TEMPLATE", _edit_text("基本支出1174.93万元，占19.17%", "比上年预算增加142.78万元", "比上年预算增加（减少）142.78万元")),
    ("W.CLASS.RENAMED", _edit_text("支出预算包括：社会保障", "卫生健康支出59.48万元", "医疗卫生与计划生育支出59.48万元")),
    ("W.YEAR.PERIOD", _edit_text("资金执行时间：2023年", "2023年1月1日-2023年12月31日", "2022年1月1日-2022年12月31日")),
    ("W.YEAR.TITLE", _edit_title),
    ("W.EMPTY.NOTE", _edit_note),
]


@pytest.fixture(scope="module")
def example_base():
    from yusuan.compose import compose
    from yusuan.load import load_package
    from yusuan.profiles import load_profile
    from yusuan.rules.engine import check_disclosure

    package = load_package(EXAMPLE)
    profile = load_profile(package.unit.profile)
    disclosure = compose(package, profile)
    base = check_disclosure(disclosure, package=package, profile=profile)
    return package, profile, disclosure, {(f.rule, f.message) for f in base.findings}


@pytest.mark.parametrize("rule_id, edit", INJECTED, ids=[r for r, _ in INJECTED])
def test_one_injected_mistake_gives_one_finding(example_base, rule_id, edit):
    from yusuan.rules.engine import check_disclosure

    package, profile, disclosure, base = example_base
    d = disclosure.model_copy(deep=True)
    edit(d)
    report = check_disclosure(d, package=package, profile=profile)
    new = [(f.rule, f.message) for f in report.findings if (f.rule, f.message) not in base]
    assert [r for r, _ in new] == [rule_id], new


def test_fixed_phrases_are_not_self_names_or_remnants():
    unit = "昌吉州测绘院2023年单位预算公开"
    assert found("W.SELF.NAME", "2022年单位资金未纳入部门预算。", "所有收支均纳入部门预算管理。", title=unit) == []
    assert found("W.TEMPLATE", "主要原因是人员增加、减少及工资调标。") == []


def test_empty_table_without_any_note_is_one_finding():
    d = _with_empty_fund("政府性基金预算拨款情况详见表8。", note=None)
    assert run_rule(d, "W.EMPTY.TEXT") == []
    assert len(run_rule(d, "K.TABLE.EMPTY_NOTE")) == 1
    assert run_rule(_with_empty_fund("政府性基金预算拨款支出10万元。"), "W.EMPTY.TEXT") != []


@pytest.mark.parametrize("clean, faulty", [
    ("基本支出1174.93万元，占支出总额6128.18万元的19.17%。", "基本支出1174.93万元，占支出总额6128.18万元的91.17%。"),
    ("政府采购预算830.00万元，占部门预算16497.86万元的5.03%。", "政府采购预算830.00万元，占部门预算16497.86万元的5.30%。"),
    ("面向中小企业预留500万元，占采购总额800万元的比例为62.5%。", "面向中小企业预留500万元，占采购总额800万元的比例为60%。"),
])
def test_share_of_a_stated_whole(clean, faulty):
    f = assert_rule("W.SHARE.TEXT", clean, faulty)
    assert f.severity == "fatal"


def test_share_already_a_statement_is_left_to_n_share():
    text = "基本支出1174.93万元，占支出总额6128.18万元的91.17%。"
    d = build_disclosure()
    add_statements(d, "expenditure", statement("expenditure:basic", amount="1174.93", share="91.17", text=text), text=text)
    assert run_rule(d, "W.SHARE.TEXT") == []


def test_final_account_may_evaluate_last_years_project():
    assert found("W.YEAR.PERIOD", "项目实施周期：2022年-2023年", section="other.performance", year=2024, phase="final") == []
    assert len(found("W.YEAR.PERIOD", "项目实施周期：2021年-2022年", section="other.performance", year=2024, phase="final")) == 1


def test_asset_date_elsewhere_needs_asset_words():
    assert found("H.YEAR.ASSETS", "截至2020年底，已累计购置监测设备12台。", section="other.performance") == []
