"""Region profiles: bundled data validates, follows the key contract, and a new region is data only."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources

import pytest

from yusuan.disclosure import KINDS
from yusuan.errors import InputError
from yusuan.profiles import available, load_profile, parse_profile

# Column keys each table kind may use (docs/disclosure-keys.md, with the additive Shanghai income columns).
SOURCE_COLUMN = r"s:[a-z_]+"
ALLOWED_COLUMNS = {
    "income_expenditure": [r"amount"],
    "income": [r"total", SOURCE_COLUMN],
    "expenditure": [r"total", r"basic", r"project"],
    "fiscal_income_expenditure": [r"amount", r"total", r"s:(general|fund|capital)_budget"],
    "general_expenditure": [r"total", r"basic", r"project"],
    "fiscal_expenditure": [r"total", r"basic", r"project"],
    "fund_expenditure": [r"total", r"basic", r"project"],
    "capital_expenditure": [r"total", r"basic", r"project"],
    "general_basic": [r"total", r"personnel", r"public"],
    "general_project": [r"project_name", r"total", r"e:3\d\d"],
    "sangong": [r"total", r"s:(general|fund|capital)_budget"],
    "sangong_operating": [r"amount"],
}


@pytest.mark.parametrize("name", ["xinjiang", "shanghai"])
def test_bundled_profiles_follow_the_contract(name):
    profile = load_profile(name)
    assert profile.name == name
    kinds = [t.kind for t in profile.tables]
    assert len(kinds) == len(set(kinds)), "a table kind printed twice"
    for table in profile.tables:
        assert table.kind in KINDS
        for column in table.columns:
            assert any(re.fullmatch(p, column.key) for p in ALLOWED_COLUMNS[table.kind]), (table.kind, column.key)
        for row in table.rows:
            assert re.fullmatch(r"s:[a-z_]+|sangong:[a-z_]+|operating_costs", row.key), row.key
    ids = [s.id for s in profile.sections]
    assert len(ids) == len(set(ids))
    assert "{unit}" in profile.title and "{year}" in profile.title
    assert profile.section(profile.tables_after) is not None


def test_xinjiang_is_the_reference_layout():
    p = load_profile("xinjiang")
    assert [t.number for t in p.tables] == [f"表{n}" for n in range(1, 11)]
    assert [t.kind for t in p.tables] == list(KINDS)[:10]
    # 201…234 as the reference lists them: no 218, 225, 226, 228
    assert len(p.function_classes) == 30 and p.function_classes[0] == "201" and p.function_classes[-1] == "234"
    assert not {"218", "225", "226", "228"} & set(p.function_classes)
    assert p.performance.weight_total == Decimal(90)
    assert p.wording.zero_base == "增长100%"
    assert p.table("fiscal_income_expenditure").include_carryover is False
    assert [s.id for s in p.sections if s.part == 3][:3] == ["summary", "income", "expenditure"]
    assert len(p.glossary) == 8


def test_shanghai_layout_from_the_putuo_packages():
    p = load_profile("shanghai")
    titles = [t.title.format(year=2025) for t in p.tables]
    assert titles == [
        "2025年部门财务收支预算总表", "2025年部门收入预算总表", "2025年部门支出预算总表", "2025年部门财政拨款收支预算总表",
        "2025年部门一般公共预算支出功能分类预算表", "2025年部门政府性基金预算支出功能分类预算表",
        "2025年部门国有资本经营预算支出功能分类预算表", "2025年部门一般公共预算基本支出部门预算经济分类预算表",
        "2025年部门“三公”经费和机关运行经费预算表",
    ]
    assert p.table("general_project") is None and p.table("sangong") is None
    assert p.table("income").unit == "元" and p.table("sangong_operating").unit == "万元"
    assert p.performance.weight_total == Decimal(100)
    assert p.wording.zero_base == "新增"


def test_unknown_profile_is_a_chinese_input_error():
    with pytest.raises(InputError) as exc:
        load_profile("atlantis")
    assert "不存在" in str(exc.value) and "xinjiang" in str(exc.value)


def test_invalid_profile_names_the_field():
    text = (resources.files("yusuan.profiles") / "xinjiang.yaml").read_text(encoding="utf-8")
    broken = text.replace("kind: sangong\n", "kind: sangong_table\n", 1)
    with pytest.raises(InputError) as exc:
        parse_profile(broken, "broken.yaml")
    assert "sangong_table" in str(exc.value) and "tables" in str(exc.value)


def test_a_third_region_is_a_data_file(tmp_path):
    """A new layout (other numbering, 新增 wording, carry-over in the 财政拨款 table) composes without code."""
    from test_compose import package  # the synthetic package (tests/ is on sys.path)
    from yusuan.compose import compose

    text = (resources.files("yusuan.profiles") / "xinjiang.yaml").read_text(encoding="utf-8")
    text = (text.replace("name: xinjiang", "name: elsewhere").replace("表10", "附表10")
            .replace('zero_base: "增长100%"', 'zero_base: "新增"')
            .replace('zero_base_template: "增加{change}万元，增长100%"', 'zero_base_template: "新增{change}万元"')
            .replace("include_carryover: false", "include_carryover: true")
            .replace("share_rounding: half_up", "share_rounding: largest_remainder")
            .replace("\nglossary:", """
  - kind: fiscal_expenditure
    title: 财政拨款支出预算表
    sources: fiscal
    columns:
      - {key: total, label: 合计}
      - {key: basic, label: 基本支出}
      - {key: project, label: 项目支出}
glossary:""", 1))
    profile = parse_profile(text, "elsewhere.yaml")
    d = compose(package(), profile)
    assert d.profile == "elsewhere"
    assert d.table("sangong").number == "附表10"
    # carry-over included: the 财政拨款 table now also shows last year's 3.00 结转
    assert d.table("fiscal_income_expenditure").value("income_total", "amount") == Decimal("138.50")
    st = next(s for s in d.statements("expenditure:project"))
    assert st.zero_base == "新增" and "新增30.00万元" in st.text
    shares = [s.share for s in d.section("income").statements() if s.share is not None]
    assert sum(shares) == Decimal(100)
    assert d.section("income").paragraphs[-1].text == "注：各项占比最大余额法调整，合计为100%。"
    fe = d.table("fiscal_expenditure")
    assert fe.value("total", "total") == Decimal("135.50") and fe.value("f:2010102", "project") == Decimal("20.00")


def test_available_lists_bundled_profiles():
    assert {"xinjiang", "shanghai"} <= set(available())
