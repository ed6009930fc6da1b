"""Auditing the three published Putuo (Shanghai) packages reports exactly the fatal findings that are real.

Each expected fatal finding below was checked by hand against ``pdftotext -layout`` of the PDF; the
comment says what is printed. Anything else reported as fatal would be a false finding (a rule that does
not know the layout, or a misread), and anything missing a real error the checks no longer see.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import SHANGHAI

WANLI = "putuo-wanli-subdistrict-2023-dept-budget.pdf"
BUREAU_2025 = "putuo-finance-bureau-2025-dept-budget.pdf"
ACCOUNT_2024 = "putuo-finance-bureau-2024-dept-final-account.pdf"

EXPECTED_FATAL = {
    WANLI: Counter({
        # p.6 “政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元”: an increase of 1421.25 to 0
        # implies a 2022 figure of -1421.25 (the sentence copies the general-budget change).
        "Y.LAST_YEAR.NEGATIVE": 1,
        # p.6 item 3 (2012902): 45.41 against 2022 执行数 11.67 is +289.12%, printed 314.82%;
        # p.7 item 16 (2080506): 220.63 against 132.59 is +66.40%, printed 60.54% (copied from item 15,
        # with item 15's 441.25 as “2023年预算安排”).
        "Y.RATE": 2,
        # p.29 “涉及项目预算资金3328.13万元”, while the five 项目支出绩效目标表 that follow add up to 3351.33万元.
        "P.SUMMARY": 1,
    }),
    BUREAU_2025: Counter({
        # p.7 item 7 says 职业年金缴费支出 887.36万元; table 5 prints 2080506 as 873,617.00元 (87.36万元).
        # (Items 87.70/78.21/204.91/268.77 are the 元 table truncated to 万元: N.UNIT.CONVERSION, info.)
        "N.GENERAL.ITEM": 1,
    }),
    ACCOUNT_2024: Counter({
        # 208 社会保障和就业支出 is 326.71 in 收入支出决算总表 and 财政拨款收入支出决算总表 but 326.72 in the
        # 支出决算表 and the 一般公共预算财政拨款支出决算表 (the same figure printed two ways; its 项
        # 84.65 + 160.75 + 80.38 + 0.94 = 326.72).
        "X.T1T3.CLASS": 1,
        "X.T4T5.CLASS": 1,
        # p.21 “上海市普陀区财政局2024年度财政拨款收入支出总计0.3万元”; table 4's 总计 is 2,961.68万元.
        "N.FISCAL": 1,
        # p.21 “一般公共服务支出（类）2106.66万元，占71.73%” of 2940.05万元 is 71.65% (the other three
        # classes' shares are right, and the four printed shares add up to 100.07%).
        "N.SHARE": 1,
    }),
}


@pytest.fixture(scope="module")
def reports():
    from yusuan.commands.audit import audit_file

    if not SHANGHAI.exists():
        pytest.skip(f"参考文件目录不存在：{SHANGHAI}")
    return {name: audit_file(SHANGHAI / name) for name in EXPECTED_FATAL}


# Printed totals that miss the sum of the printed rows under them by no more than the rounding of those
# figures to 0.01 万元 can accumulate: reported, as warnings (the table should be adjusted to balance, but
# no figure is shown wrong). Checked against pdftotext: 收入决算表 合计 2,946.25 / 财政拨款 2,940.05 with
# classes adding to 2,946.26 / 2,940.06; 支出决算表 and 一般公共预算财政拨款支出决算表 合计 2,940.05 / 基本
# 2,336.91 with classes adding to 2,940.06 / 2,336.92; 基本支出决算表 301 2,082.85 (款 add to 2,082.86) and
# 302 171.07 (款 add to 171.09); 政府采购 251.25 “其中” 4.79 + 0 + 246.47 = 251.26.
ROUNDING_WARNINGS_2024 = Counter({"T2.HIER.TOTAL": 2, "T3.HIER.TOTAL": 2, "T5.HIER.TOTAL": 2, "T6.HIER.LEI": 2,
                                  "N.PROCUREMENT.SUM": 1})


@pytest.mark.parametrize("name", list(EXPECTED_FATAL))
def test_fatal_findings_are_exactly_the_verified_ones(reports, name):
    fatal = Counter(f.rule for f in reports[name].findings if f.severity == "fatal")
    detail = "\n".join(f"{f.rule}: {f.message}" for f in reports[name].findings if f.severity == "fatal")
    assert fatal == EXPECTED_FATAL[name], detail


def test_truncated_wan_figures_are_info_with_the_reason(reports):
    notes = [f for f in reports[BUREAU_2025].findings if f.rule == "N.UNIT.CONVERSION"]
    assert {f.severity for f in notes} == {"info"}
    assert sorted(str(f.stated) for f in notes) == ["204.91", "268.77", "78.21", "87.70"]
    assert all("截尾" in f.message for f in notes)


def test_wanli_execution_base_is_not_compared_with_the_budget_total(reports):
    """The 项 paragraphs compare with 2022 预算执行数, the total with the 2022 budget: not one base."""
    assert not [f for f in reports[WANLI].findings if f.rule.startswith("Y.LAST_YEAR.SUM")]


def test_final_account_initial_budget_figures_are_not_compared(reports):
    """“年初预算为1560.05万元，支出决算为1511.89万元”: the 年初预算 is not the 项's 决算 figure."""
    messages = " ".join(f.message for f in reports[ACCOUNT_2024].findings if f.severity != "info")
    assert "1560.05" not in messages and "0.95万元" not in messages


def test_final_account_rounding_gaps_are_warnings_that_say_so(reports):
    gaps = [f for f in reports[ACCOUNT_2024].findings if f.inputs.get("舍入尾差") == "是"]
    assert Counter(f.rule for f in gaps) == ROUNDING_WARNINGS_2024
    assert {f.severity for f in gaps} == {"warning"}
    assert all("舍入" in f.message and "尾差" in f.message for f in gaps)
