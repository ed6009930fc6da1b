"""Shanghai final accounts (部门决算): every table read, figures as printed, phase from the title."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest

from tests.conftest import CHANGJI_TEXT, SHANGHAI

FINAL = SHANGHAI / "putuo-finance-bureau-2024-dept-final-account.pdf"
TEMPLATE = SHANGHAI / "shanghai-2024-dept-final-account-template.pdf"
TABLE_RULES = ("R.TABLE.", "R.ROW.", "R.NUMBER.UNPARSABLE", "R.SECTION.MISSING")
NINE = ["income_expenditure", "income", "expenditure", "fiscal_income_expenditure", "general_expenditure",
        "general_basic", "sangong", "fund_expenditure", "capital_expenditure"]


def _read(path):
    if not path.exists():
        pytest.skip(f"参考文件不存在：{path}")
    from yusuan.read import read_file

    return read_file(path)


@pytest.fixture(scope="module")
def final():
    return _read(FINAL)


@pytest.fixture(scope="module")
def layout_text():
    if not FINAL.exists():
        pytest.skip(f"参考文件不存在：{FINAL}")
    return subprocess.run(["pdftotext", "-layout", str(FINAL), "-"], capture_output=True, text=True, check=True).stdout


def _title_at(text: str, title: str) -> int:
    """Where the table's own title line is (not its entry in the contents list)."""
    return re.search(r"^\s*" + re.escape(title) + r"\s*$", text, re.M).start()


def _table(d, kind):
    return next(t for t in d.tables if t.kind == kind)


def _v(table, key, column):
    cell = table.row(key).cells[column]
    return cell.value


def test_final_account_reads_all_nine_tables_with_every_row(final):
    d = final.disclosure
    assert d.phase == "final" and d.profile == "shanghai_final"
    rows = {t.kind: len(t.rows) for t in d.tables}
    # T1/T4: income rows + 26 printed function classes + 本年支出合计/(结余分配)/年末结转和结余/总计
    assert rows == {"income_expenditure": 12 + 26 + 4, "income": 20, "expenditure": 20,
                    "fiscal_income_expenditure": 9 + 26 + 3, "general_expenditure": 20, "general_basic": 64 + 2,
                    "sangong": 6, "fund_expenditure": 1, "capital_expenditure": 1}
    assert [t.kind for t in d.tables] == NINE
    assert not [f for f in final.findings if f.rule.startswith(TABLE_RULES)]


def _numbers(line: str) -> list[Decimal]:
    return [Decimal(x.replace(",", "")) for x in re.findall(r"\d[\d,]*\.\d\d", line)]


@pytest.mark.parametrize("kind", ["income", "expenditure", "general_expenditure"])
def test_function_rows_agree_with_pdftotext(final, layout_text, kind):
    """Every row printed on one line by pdftotext (code and name together) has the same figures."""
    table = _table(final.disclosure, kind)
    start = _title_at(layout_text, {"income": "收入决算表", "expenditure": "支出决算表",
                                    "general_expenditure": "一般公共预算财政拨款支出决算表"}[kind])
    block = layout_text[start:start + 6000]
    compared = 0
    for row in table.rows:
        if not row.code:
            continue
        parts = [row.code[:3]] + [row.code[i:i + 2] for i in range(3, len(row.code), 2)]
        m = re.search(r"^\s*" + r"\s+".join(parts) + r"\s+" + re.escape(row.name) + r"\s+(.*)$", block, re.M)
        printed = [c.value for c in row.cells.values() if c.value is not None]
        if m is None or len(_numbers(m.group(1))) != len(printed):
            continue  # wrapped by pdftotext (figures on another line)
        assert printed == _numbers(m.group(1)), row.key
        compared += 1
    assert compared >= 10


def test_summary_tables_agree_with_pdftotext(final, layout_text):
    d = final.disclosure
    t1 = _table(d, "income_expenditure")
    line = next(ln for ln in layout_text.splitlines() if ln.strip().startswith("年初结转和结余"))
    assert [_v(t1, "s:carryover", "amount"), _v(t1, "carryover_end", "amount")] == _numbers(line)
    line = next(ln for ln in layout_text.splitlines() if ln.strip().startswith("八、其他收入"))
    assert [_v(t1, "s:other", "amount"), _v(t1, "f:208", "amount")] == _numbers(line)
    # the income side adds up, as printed
    assert _v(t1, "s:current_year", "amount") + _v(t1, "s:carryover", "amount") == _v(t1, "income_total", "amount")
    assert _v(t1, "expenditure_current_year", "amount") + _v(t1, "carryover_end", "amount") == _v(t1, "expenditure_total", "amount")
    t4 = _table(d, "fiscal_income_expenditure")
    line = next(ln for ln in layout_text.splitlines() if ln.strip().startswith("年初财政拨款结转和结余"))
    assert [_v(t4, "s:carryover_fiscal", "amount"), _v(t4, "carryover_end", "total"),
            _v(t4, "carryover_end", "s:general_budget")] == _numbers(line)
    assert _v(t4, "s:carryover_general", "amount") == _v(t4, "s:carryover_fiscal", "amount")
    assert _v(t4, "s:fiscal", "amount") + _v(t4, "s:carryover_fiscal", "amount") == _v(t4, "income_total", "amount")


def test_two_sided_basic_table_keeps_both_sides(final):
    t = _table(final.disclosure, "general_basic")
    assert [c.key for c in t.columns] == ["total"]
    classes = {r.code: r.cells["total"].value or Decimal(0) for r in t.rows if r.level == "类"}
    assert classes["301"] + classes["303"] == _v(t, "personnel_total", "total")
    assert classes["302"] + classes["310"] == _v(t, "public_total", "total")
    for code in ("301", "302", "303", "310"):  # every 类 is the sum of its 款 (give or take the file's rounding)
        items = [r.cells["total"].value or Decimal(0) for r in t.rows if r.code and r.code.startswith(code) and len(r.code) == 5]
        assert abs(sum(items) - classes[code]) <= Decimal("0.05"), code


def test_columnar_sangong_reads_budget_and_actual(final, layout_text):
    t = _table(final.disclosure, "sangong")
    assert [c.key for c in t.columns] == ["budget", "actual"]
    assert [r.key for r in t.rows] == ["sangong:total", "sangong:abroad", "sangong:vehicle", "sangong:vehicle_purchase",
                                       "sangong:vehicle_operation", "sangong:reception"]
    start = _title_at(layout_text, "财政拨款“三公”经费支出决算表")
    figures = _numbers(layout_text[start:_title_at(layout_text, "政府性基金预算财政拨款收入支出决算表")])
    read = [c.value for r in t.rows for c in r.cells.values() if c.value is not None]
    assert read == figures
    assert _v(t, "sangong:total", "budget") == _v(t, "sangong:reception", "budget")


def test_empty_fund_tables_keep_their_note(final):
    for kind in ("fund_expenditure", "capital_expenditure"):
        t = _table(final.disclosure, kind)
        assert [c.key for c in t.columns] == ["carryover_start", "income_current", "total", "basic", "project", "carryover_end"]
        assert [r.key for r in t.rows] == ["total"]
        assert "无数据" in (t.empty_note or "")


def test_final_sections_are_recognised(final):
    ids = [s.id for s in final.disclosure.sections]
    for sid in ("overview.institutions", "summary", "income", "expenditure", "fiscal", "general", "general_basic",
                "sangong", "fund", "capital", "other.performance", "other.operating_costs", "glossary"):
        assert sid in ids
    assert not [f for f in final.findings if f.rule == "R.SECTION.UNRECOGNISED"]


def test_template_reads_its_tables():
    result = _read(TEMPLATE)
    d = result.disclosure
    assert [t.kind for t in d.tables] == NINE
    assert not [f for f in result.findings if f.rule.startswith(TABLE_RULES)]
    basic = _table(d, "general_basic")
    assert len([r for r in basic.rows if r.key.startswith("e:")]) == 27 + 38
    assert {r.key for r in basic.rows} >= {"personnel_total", "public_total"}
    assert [c.key for c in _table(d, "expenditure").columns][3:] == ["remit_superior", "operating_expense", "affiliated_subsidy"]


@pytest.mark.parametrize("name, phase", [
    ("putuo-finance-bureau-2024-dept-final-account.pdf", "final"),
    ("shanghai-2024-dept-final-account-template.pdf", "final"),
    ("putuo-finance-bureau-2025-dept-budget.pdf", "budget"),
    ("putuo-wanli-subdistrict-2023-dept-budget.pdf", "budget"),
])
def test_phase_from_the_title(name, phase):
    d = _read(SHANGHAI / name).disclosure
    assert d.phase == phase
    assert d.profile == ("shanghai_final" if phase == "final" else "shanghai")


def test_phase_of_changji_text():
    assert _read(CHANGJI_TEXT).disclosure.phase == "budget"


def test_detect_phase_prefers_the_title_to_the_body():
    from yusuan.read.detect import detect_phase

    budget = ["上海市普陀区2025年区级部门预算", "预算主管部门：上海市普陀区财政局", "负责编制年度财政预决算；审核部门决算；决算批复"]
    assert detect_phase(budget) == "budget"
    assert detect_phase(["上海市普陀区财政局2024年度部门决算", "部门预算执行情况"]) == "final"
    assert detect_phase(["一、主要职能", "本部门决算包括本级决算。决算数与决算说明"]) == "final"


def _statements(d):
    return {st.subject: st for s in d.sections for p in s.paragraphs for st in p.statements}


def test_final_narrative_is_read_without_unknown_subjects(final):
    assert not [f for f in final.findings if f.rule in ("R.TEXT.SUBJECT", "R.NAME.UNRESOLVED", "R.TEXT.UNPARSED")]
    st = _statements(final.disclosure)
    t1 = _table(final.disclosure, "income_expenditure")
    assert st["total"].amount == _v(t1, "income_total", "amount")
    assert (st["total"].change, st["total"].rate) == (Decimal("-56.95"), Decimal("-1.87"))
    assert st["income:current_year"].amount == _v(t1, "s:current_year", "amount")
    assert st["expenditure:current_year"].amount == _v(t1, "expenditure_current_year", "amount")
    all_statements = [x for s in final.disclosure.sections for p in s.paragraphs for x in p.statements]
    assert ("general:total", Decimal("100.00"), "expenditure:current_year") in {
        (x.subject, x.share, x.share_of) for x in all_statements}
    for code in ("201", "208", "210", "221"):  # the structure paragraph: 类 with shares of the whole
        assert st[f"general:function:{code}"].share_of == "general:total"


def test_final_detail_items_read_actual_and_budget(final, layout_text):
    """1、…（类）…（款）…（项）。…年初预算为 X 万元，支出决算为 Y 万元: Y is the item, X its ``:budget``."""
    st = _statements(final.disclosure)
    t5 = _table(final.disclosure, "general_expenditure")
    items = [r for r in t5.rows if r.level == "项"]
    part3 = layout_text[layout_text.index("一般公共预算财政拨款支出决算具体情况"):]
    budgets = [Decimal(x) for x in re.findall(r"(\d+\.\d\d)\s*万", part3)]  # (pdftotext shuffles wrapped lines)
    assert len(items) == 11
    for row in items:  # every 项 is explained (one wrapped over two PDF lines too), with the table's amount
        explained = st[f"general:function:{row.code}"]
        assert explained.amount == row.cells["total"].value
        assert st[f"general:function:{row.code}:budget"].amount in budgets
    assert st["general:total:budget"].amount == Decimal("2993.92")
    completion = [x for s in final.disclosure.sections for p in s.paragraphs for x in p.statements
                  if x.subject == "general:total" and x.share_of == "general:total:budget"]
    assert [x.share for x in completion] == [Decimal("98.20")]
    sangong = _table(final.disclosure, "sangong")
    assert st["sangong:total:budget"].amount == _v(sangong, "sangong:total", "budget")
    assert st["sangong:total"].amount == 0 and st["sangong:total"].change == 0


def test_final_performance_and_procurement_figures(final):
    st = _statements(final.disclosure)
    assert st["performance:self_evaluated"].count == 4 and st["performance:grade:excellent"].count == 4
    assert st["procurement:sme_awarded"].amount == st["procurement:sme_reserved"].amount == Decimal("246.47")
    assert st["procurement:other_sme_awarded"].amount == st["procurement:goods"].amount
    assert st["operating_costs"].change == Decimal("2.55")


@pytest.mark.parametrize("name", ["putuo-finance-bureau-2024-dept-final-account.pdf",
                                  "putuo-finance-bureau-2025-dept-budget.pdf",
                                  "putuo-wanli-subdistrict-2023-dept-budget.pdf"])
def test_real_shanghai_files_read_without_reading_findings(name):
    result = _read(SHANGHAI / name)
    assert [(f.rule, f.message) for f in result.findings if f.category == "reading"] == []


def test_budget_reason_sentence_and_performance_projects():
    d = _read(SHANGHAI / "putuo-finance-bureau-2025-dept-budget.pdf").disclosure
    st = _statements(d)
    # "财政拨款收入支出增加的主要原因是…" explains both 财政拨款 statements, which carry the change
    for subject in ("income:fiscal", "fiscal:total"):
        assert st[subject].change is not None and st[subject].reason.startswith("人员经费增加")
    projects = {k: v.amount for k, v in st.items() if k.startswith("performance:project:")}
    assert len(projects) == st["performance:total"].count == 4
    assert abs(sum(projects.values()) - st["performance:total"].amount) <= Decimal("0.05")
