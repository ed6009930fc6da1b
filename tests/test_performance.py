"""The 19 performance tables of the Changji example: transcription against the published text,
parse → render round trip of every target, printed grid with merged 一级/二级 cells."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from pydantic import ValidationError

from tests.conftest import CHANGJI_TEXT, EXAMPLE
from yusuan.model.performance import PerformanceTable, TargetValue, parse_target
from yusuan.perf.render import render_target, rows_for_print
from yusuan.perf.tables import funding_summary, load_tables

PERF_YAML = EXAMPLE / "performance.yaml"


@pytest.fixture(scope="module")
def tables() -> list[PerformanceTable]:
    return load_tables(PERF_YAML)


def _blocks(lines: list[str]) -> list[list[str]]:
    """Rows of the extracted text: blank-line separated, one cell per tab-led line."""
    out, cur = [], None
    for line in lines:
        if line.strip() == "" and not line.startswith("\t"):
            if cur:
                out.append(cur)
            cur = None
            continue
        cur = cur if cur is not None else []
        if line.startswith("\t"):
            cur.append(line[1:])
        elif cur:
            cur[-1] += line
        else:
            cur.append(line)
    if cur:
        out.append(cur)
    return out


@pytest.fixture(scope="module")
def printed(shared) -> list[dict]:
    """The published tables, read independently of the YAML: header cells and indicator rows."""
    text = CHANGJI_TEXT.read_text(encoding="utf-8").split("\n")
    start = next(i for i, l in enumerate(text) if l.startswith("（四）预算绩效情况"))
    end = next(i for i, l in enumerate(text) if "其他需说明的事项" in l and i > start)
    found: list[dict] = []
    for cells in _blocks(text[start + 2:end]):
        if len(cells) == 1 and "绩效目标" in re.sub(r"\s", "", cells[0]):
            found.append({"title": cells[0], "rows": [], "header": {}})
        elif found and cells[0] in ("项目名称", "专项名称", "中央补助金额（万元）"):
            found[-1]["header"][cells[0]] = cells[1]
        elif found and cells[0] == "项目资金（万元）":
            found[-1]["header"]["money"] = cells
        elif found and cells[0] not in ("一级指标", "绩效指标", "预算单位", "项目总体目标", "年度总体目标", "自治区主管部门", "地州市财政部门") and len(cells) >= 4:
            found[-1]["rows"].append(cells)
    return found


def test_nineteen_tables_with_the_summary_counts_and_amounts(tables, shared):
    assert len(tables) == 19
    assert [t.format for t in tables].count("department") == 17
    assert [t.format for t in tables].count("area") == 1
    assert [t.format for t in tables].count("transfer_detail") == 1
    s = funding_summary(tables)
    # what Part 3 十一（四） states, read from the published sentence
    text = CHANGJI_TEXT.read_text(encoding="utf-8")
    m = re.search(r"财政拨款项目(\d+)个，涉及预算金额([\d.]+)万元；非财政拨款项目(\d+)个，涉及预算金额([\d.]+)万元", text)
    assert m is not None
    assert (s.fiscal_count, s.fiscal_amount) == (int(m.group(1)), Decimal(m.group(2))) == (14, Decimal("3802.5"))
    assert (s.nonfiscal_count, s.nonfiscal_amount) == (int(m.group(3)), Decimal(m.group(4))) == (5, Decimal("876.87"))
    assert all(t.fiscal == 0 or t.other == 0 for t in tables)  # no mixed table in this package


def test_names_and_budgets_match_the_published_tables(tables, printed):
    assert len(printed) == len(tables) == 19
    for table, pub in zip(tables, printed):
        head = pub["header"]
        name = head.get("项目名称") or head.get("专项名称")
        assert table.printed_name == name
        if "money" in head:
            money = [c.replace("\u3000", "") for c in head["money"]]
            assert table.total == Decimal(money[2]), name  # 年度预算总额 as printed = fiscal + other
            assert table.fiscal == Decimal(money[4]), name
            if len(money) > 6:
                assert table.other == Decimal(money[6]), name
        else:
            assert table.fiscal == Decimal(head["中央补助金额（万元）"].replace(",", ""))


def test_every_indicator_is_transcribed_verbatim(tables, printed):
    checked = 0
    for table, pub in zip(tables, printed):
        rows = [[c for c in r if c != "\u3000"] for r in pub["rows"]]  # '　' cells are split-cell artefacts
        if table.format == "area":
            rows = [r[1:] for r in rows]  # the merged 绩效指标 column
        assert len(rows) == len(table.indicators), table.printed_name
        for ind, cells in zip(table.indicators, rows):
            assert cells[0] in ("", ind.level1) and cells[1] in ("", ind.level2)
            assert (cells[2], cells[3]) == (ind.name, ind.target.text)
            if table.format == "department":
                assert cells[4:] == [ind.basis, ind.last_year, format(ind.weight, "f"), ind.scoring, ind.evidence]
            else:
                assert ind.weight is None and ind.basis is None
            checked += 1
    assert checked == 159


def test_printed_grid_rebuilds_the_merged_cells(tables, printed):
    """Blank 一级/二级 cells in the published rows are exactly the cells our grid merges away."""
    for table, pub in zip(tables, printed):
        if table.format != "department":
            continue
        grid = rows_for_print(table)
        for row, cells in zip(grid, pub["rows"]):
            assert [c.text if c else "" for c in row.cells] == cells


def test_merged_spans_of_the_first_table(tables):
    grid = rows_for_print(tables[0])
    first = [(r.cells[0].text, r.cells[0].rowspan) for r in grid if r.cells[0]]
    assert first == [("产出指标", 4), ("成本指标", 2), ("效益指标", 1)]
    second = [(r.cells[1].text, r.cells[1].rowspan) for r in grid if r.cells[1]]
    assert second == [("数量指标", 2), ("质量指标", 1), ("时效指标", 1), ("经济成本指标", 2), ("社会效益指标", 1)]


def test_a_level2_span_never_crosses_a_level1_boundary():
    table = PerformanceTable(project="p", indicators=[
        {"level1": "产出指标", "level2": "成本指标", "name": "a", "target": "<=1万元"},
        {"level1": "成本指标", "level2": "成本指标", "name": "b", "target": "<=1万元"},
    ])
    grid = rows_for_print(table)
    assert grid[1].cells[1] is not None and grid[0].cells[1].rowspan == 1


def test_round_trip_of_every_target(tables):
    texts = [ind.target.text for t in tables for ind in t.indicators]
    assert len(texts) == 159
    for text in texts:
        assert render_target(parse_target(text)) == text
    for t in tables:
        for ind in t.indicators:
            assert render_target(ind.target) == ind.target.text


@pytest.mark.parametrize("text, fields", [
    ("=7个", {"comparator": "=", "number": Decimal(7), "unit": "个", "direction": "positive"}),
    ("<=10万元", {"comparator": "<=", "number": Decimal(10), "unit": "万元", "direction": "negative"}),
    (">=90%", {"comparator": ">=", "number": Decimal(90), "unit": "%", "direction": "positive"}),
    ("≥90%", {"comparator": ">=", "number": Decimal(90), "unit": "%", "comparator_text": "≥"}),
    ("有效提高", {"comparator": "qualitative", "grade": "有效提高", "number": None, "direction": "qualitative"}),
    ("2023年2月-11月", {"period": "2023年2月-11月", "number": None, "grade": None, "direction": "period"}),
    (">=29万立方米", {"comparator": ">=", "number": Decimal(29), "unit": "万立方米"}),
    ("1,760", {"comparator": None, "number": Decimal(1760), "unit": None, "number_text": "1,760"}),
    ("<=0.50万元", {"number": Decimal("0.50"), "unit": "万元"}),
    ("<5%", {"comparator": "<", "number": Decimal(5), "direction": "negative"}),
    ("恢复可利用土地资源21.9公顷", {"comparator": "qualitative", "grade": "恢复可利用土地资源21.9公顷"}),
])
def test_structured_fields(text, fields):
    value = parse_target(text)
    for key, expected in fields.items():
        actual = value.direction if key == "direction" else getattr(value, key)
        assert actual == expected, key
    assert render_target(value) == text


def test_target_written_as_dict_must_agree_with_its_text():
    assert TargetValue.model_validate({"text": "=7个", "number": 7, "unit": "个"}).number == 7
    with pytest.raises(ValidationError, match="不一致"):
        TargetValue.model_validate({"text": "=7个", "number": 8})


def test_unknown_fields_are_rejected():
    with pytest.raises(ValidationError):
        PerformanceTable(project="p", budget=5)  # type: ignore[call-arg]


def test_split_project_and_renamed_projects(tables):
    by_project: dict[str, Decimal] = {}
    for t in tables:
        by_project[t.project] = by_project.get(t.project, Decimal(0)) + t.total
    assert by_project["昌吉州自然资源统一确权登记工作"] == Decimal("483.8")  # table 7 amount
    renamed = {t.title_name: t.project for t in tables if t.title_name}
    assert renamed["国土变更调查工作项目"] == "国土变更调查项目经费"
    assert renamed["自然灾害防治体系建设（特大型地质灾害防治）补助资金"] == "2023年中央自然灾害防治体系建设补助资金"


def test_load_errors_are_chinese(tmp_path):
    from yusuan.errors import InputError

    bad = tmp_path / "performance.yaml"
    bad.write_text("- project: x\n  fiscal: abc\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_tables(bad)
    assert "[0].fiscal" in str(exc.value)
