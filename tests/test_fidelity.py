"""Fidelity: the example composed from facts against the reference package as read from its text.

Every table cell, row key and row name must agree, except for the published package's own
self-contradictions, each listed below with the number of its entry in
examples/changji-natural-resources-2023/README.md (“公开文本中的矛盾”). A difference not listed
fails, and so does a listed difference that no longer occurs (the list must stay exact)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import CHANGJI_TEXT, EXAMPLE

D = Decimal

# (table kind, row key, column) → (composed, printed, why)
EXPECTED_CELLS = {
    ("income_expenditure", "s:general", "amount"): (D("2786.73"), D("2606.73"), "README 1: 其中：一般财力"),
    ("income_expenditure", "s:unit_funds", "amount"): (D("180"), None, "README 2: 5.单位资金印为空"),
    ("income", "f:20805", "total"): (D("170.11"), D("170.10"), "README 3: 208 05 款行"),
    ("income", "f:20805", "s:fiscal"): (D("170.11"), D("170.10"), "README 3"),
    ("income", "f:20805", "s:general"): (D("170.11"), D("170.10"), "README 3"),
    ("fiscal_income_expenditure", "s:fiscal", "amount"): (D("4698.73"), None, "README 5: 一、财政拨款（补助）印为空"),
    ("general_project", "f:22001", "total"): (D("1763.8"), D("1762.8"), "README 6: 表7 自然资源事务款行"),
    ("general_expenditure", "f:2200101", "project"): (None, D("0"), "表5 行政运行项目支出印 0，组合时为空（同一金额）"),
}
# README 4: table 2 prints all unit money in 单位资金 (1115.26) and leaves 非财政拨款结转结余 empty;
# the example follows table 1 (其他收入 180 in 单位资金, 935.26 carried over).
for key, composed_unit, printed_unit, carried in [
    ("f:220", D("180"), D("1115.26"), D("935.26")), ("f:22001", D("180"), D("1115.26"), D("935.26")),
    ("total", D("180"), D("1115.26"), D("935.26")), ("f:2200101", D("180"), D("309.17"), D("129.17")),
    ("f:2200102", None, D("170"), D("170")), ("f:2200106", None, D("258.39"), D("258.39")),
    ("f:2200109", None, D("350"), D("350")), ("f:2200114", None, D("27.7"), D("27.7")),
]:
    EXPECTED_CELLS[("income", key, "s:unit_funds")] = (composed_unit, printed_unit, "README 4: 表2 单位资金列")
    EXPECTED_CELLS[("income", key, "s:carryover_nonfiscal")] = (carried, None, "README 4: 表2 非财政拨款结转结余列为空")

# (table kind, row key) → (composed name, printed name, why)
EXPECTED_NAMES = {
    (kind, "f:2080505"): ("机关事业单位基本养老保险缴费支出", "机关事业单位基本养老保险", "README 8: 表中名称与目录不同")
    for kind in ("income", "expenditure", "general_expenditure")
}
EXPECTED_NAMES[("fiscal_income_expenditure", "f:234")] = (
    "抗疫特别国债安排的支出", "抗疫特别国债还本支出", "表4 的 234 类名称与表1 不同（表1 印“抗疫特别国债安排的支出”）")


@pytest.fixture(scope="module")
def both():
    if not CHANGJI_TEXT.exists():
        pytest.skip(f"参考文件不存在：{CHANGJI_TEXT}")
    if not (EXAMPLE / "package.yaml").exists():
        pytest.skip("示例 examples/changji-natural-resources-2023 尚不存在")
    try:
        from yusuan.compose import compose
    except ImportError:
        pytest.skip("yusuan.compose 尚不存在")
    from yusuan.load import load_package
    from yusuan.read import read_file

    return compose(load_package(EXAMPLE)), read_file(CHANGJI_TEXT).disclosure


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and Decimal(a) == Decimal(b))


def test_same_tables_and_row_keys_in_the_same_order(both):
    composed, printed = both
    assert [t.kind for t in composed.tables] == [t.kind for t in printed.tables]
    for c, p in zip(composed.tables, printed.tables):
        assert [r.key for r in c.rows] == [r.key for r in p.rows], c.kind
        assert [r.level for r in c.rows] == [r.level for r in p.rows], c.kind


def test_every_cell_agrees_except_the_listed_contradictions(both):
    composed, printed = both
    unexpected, seen = [], set()
    for c, p in zip(composed.tables, printed.tables):
        for rc, rp in zip(c.rows, p.rows):
            for column in sorted(set(rc.cells) | set(rp.cells)):
                a, b = rc.cells.get(column), rp.cells.get(column)
                if column == "project_name":
                    if (a.text if a else "") != (b.text if b else ""):
                        unexpected.append((c.kind, rc.key, column, a and a.text, b and b.text))
                    continue
                va, vb = (a.value if a else None), (b.value if b else None)
                key = (c.kind, rc.key, column)
                if key in EXPECTED_CELLS:
                    want_c, want_p, _why = EXPECTED_CELLS[key]
                    assert _same(va, want_c) and _same(vb, want_p), (key, va, vb)
                    seen.add(key)
                elif not _same(va, vb):
                    unexpected.append((c.kind, rc.key, column, va, vb))
    assert unexpected == []
    assert seen == set(EXPECTED_CELLS), "listed differences that no longer occur: " + str(set(EXPECTED_CELLS) - seen)


def test_row_names_agree_except_the_listed_ones(both):
    composed, printed = both
    unexpected, seen = [], set()
    for c, p in zip(composed.tables, printed.tables):
        for rc, rp in zip(c.rows, p.rows):
            if rc.name.replace(" ", "") == rp.name.replace(" ", "") or not rc.key.startswith(("f:", "e:", "p:")):
                continue
            key = (c.kind, rc.key)
            if key in EXPECTED_NAMES and EXPECTED_NAMES[key][:2] == (rc.name, rp.name):
                seen.add(key)
            else:
                unexpected.append((key, rc.name, rp.name))
    assert unexpected == []
    assert seen == set(EXPECTED_NAMES)


def test_performance_tables_agree(both):
    composed, printed = both
    if not composed.performance:
        pytest.skip("组合结果中没有绩效目标表")
    assert [p.table.printed_name for p in composed.performance] == [p.table.printed_name for p in printed.performance]
    for c, p in zip(composed.performance, printed.performance):
        assert c.table.indicators == p.table.indicators, c.table.printed_name
        assert (c.table.fiscal, c.table.other) == (p.table.fiscal, p.table.other)
        assert _same(c.stated_total, p.stated_total)
