"""DOCX reading: files built here in the reference layout (from the reference text's own blocks),
merged cells, and unusable files."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

D = Decimal

import pytest

from tests.conftest import CHANGJI_TEXT

docx = pytest.importorskip("docx")


def reference_blocks():
    if not CHANGJI_TEXT.exists():
        pytest.skip(f"参考文件不存在：{CHANGJI_TEXT}")
    from yusuan.read.text import blocks_from_text

    return blocks_from_text(CHANGJI_TEXT.read_text(encoding="utf-8"), CHANGJI_TEXT.name)


def write_docx(blocks, path: Path) -> Path:
    """Paragraphs as paragraphs; each grid as one Word table whose short rows end in a cell merged
    across the remaining columns (how Word prints rows with fewer cells)."""
    from yusuan.read.blocks import Para

    document = docx.Document()
    for block in blocks:
        if isinstance(block, Para):
            document.add_paragraph(block.text)
            continue
        width = max(len(r) for r in block.rows)
        table = document.add_table(rows=len(block.rows), cols=width)
        for r, row in enumerate(block.rows):
            cells = table.rows[r].cells
            if len(row) < width:
                cells[len(row) - 1].merge(cells[width - 1])
                cells = table.rows[r].cells
            for c, cell in enumerate(row):
                lines = cell.text.split("\n")
                target = cells[c]
                target.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    target.add_paragraph(line)
    document.save(str(path))
    return path


def table_cells(disclosure):
    return {(t.kind, r.key, k): c.value for t in disclosure.tables for r in t.rows for k, c in r.cells.items()}


def statements(disclosure):
    return [(s.subject, s.amount, s.share, s.change, s.rate, s.count, s.reason) for s in disclosure.statements()]


def test_docx_in_reference_layout_reads_like_the_text(tmp_path):
    from yusuan.read import read_file

    from_text = read_file(CHANGJI_TEXT) if CHANGJI_TEXT.exists() else pytest.skip("no reference")
    path = write_docx(reference_blocks(), tmp_path / "changji.docx")
    from_docx = read_file(path)
    d = from_docx.disclosure
    assert [t.kind for t in d.tables] == [t.kind for t in from_text.disclosure.tables]
    assert table_cells(d) == table_cells(from_text.disclosure)
    assert statements(d) == statements(from_text.disclosure)
    assert [p.table for p in d.performance] == [p.table for p in from_text.disclosure.performance]
    assert [f.rule for f in from_docx.findings] == [f.rule for f in from_text.findings]
    cell = d.table("income").row("f:220").cells["total"]
    assert cell.location.file == "changji.docx" and cell.location.cell.startswith("T")


def test_vertically_merged_indicator_levels_are_carried_down(tmp_path):
    from yusuan.read import read_file

    document = docx.Document()
    document.add_paragraph("第三部分  2023年部门预算情况说明")
    document.add_paragraph("十一、其他重要事项的情况说明")
    document.add_paragraph("（四）预算绩效情况")
    rows = [["项目支出绩效目标表"], ["预算单位", "某局"], ["项目名称", "测试项目", "项目负责人", "张三"],
            ["项目资金（万元）", "年度预算总额：", "12", "其中：财政拨款", "10", "其他资金：", "2"],
            ["项目总体目标", "完成测试"],
            ["一级指标", "二级指标", "三级指标", "指标值", "指标值设置依据", "上年完成值", "指标分值权重", "指标赋分规则", "佐证资料"],
            ["产出指标", "数量指标", "完成数（个）", "=7个", "计划标准", "7", "45", "按比例", "资料"],
            ["", "", "检查数（次）", ">=2次", "计划标准", "2", "45", "按比例", "资料"]]
    table = document.add_table(rows=len(rows), cols=9)
    for r, row in enumerate(rows):
        cells = table.rows[r].cells
        if len(row) < 9:
            cells[len(row) - 1].merge(cells[8])
        for c, text in enumerate(row):
            table.cell(r, c).paragraphs[0].text = text
    table.cell(6, 0).merge(table.cell(7, 0))  # 一级 merged over two rows
    table.cell(6, 1).merge(table.cell(7, 1))
    path = tmp_path / "perf.docx"
    document.save(str(path))
    perf = read_file(path).disclosure.performance
    assert len(perf) == 1
    t = perf[0].table
    assert (t.project, t.owner, t.fiscal, t.other, perf[0].stated_total) == ("测试项目", "张三", Decimal(10), Decimal(2), Decimal(12))
    assert [(i.level1, i.level2, i.name, i.weight) for i in t.indicators] == [
        ("产出指标", "数量指标", "完成数（个）", Decimal(45)), ("产出指标", "数量指标", "检查数（次）", Decimal(45))]


@pytest.mark.parametrize("name,content,message", [
    ("empty.docx", b"", "空"),
    ("notword.docx", None, "不是 Word"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "加密"),
    ("binary.txt", b"\x00\x01\x02garbage" * 20, "不是文本文件"),
])
def test_unusable_files_raise_a_chinese_input_error(tmp_path, name, content, message):
    from yusuan.errors import InputError
    from yusuan.read import read_file

    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "not a document")
    else:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_file(path)
    assert message in str(info.value)


def test_a_word_file_that_is_not_a_disclosure(tmp_path):
    from yusuan.errors import InputError
    from yusuan.read import read_file

    document = docx.Document()
    document.add_paragraph("会议通知：请各位于周五下午三点到会议室开会。")
    path = tmp_path / "notice.docx"
    document.save(str(path))
    with pytest.raises(InputError) as info:
        read_file(path)
    assert "不是预算公开文件" in str(info.value)


# ---- round trip: read(build(facts)) gives what composition printed --------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tests.conftest import EXAMPLE

    if not (EXAMPLE / "package.yaml").exists():
        pytest.skip("示例尚不存在")
    try:
        from yusuan.compose import compose
        from yusuan.render import render
    except ImportError:
        pytest.skip("yusuan.compose / yusuan.render 尚不存在")
    from yusuan.load import load_package

    composed = compose(load_package(EXAMPLE))
    out = tmp_path_factory.mktemp("built")
    return composed, render(composed, out, formats=("docx", "xlsx"))


def composed_statements_found(composed, read) -> list:
    """Every figure a composed statement carries, found on a read statement of the same subject."""
    got: dict[str, list] = {}
    for s in read.statements():
        got.setdefault(s.subject, []).append(s)
    missing = []
    for s in composed.statements():
        candidates = got.get(s.subject, [])
        if not candidates:
            missing.append(s.subject)
            continue
        for field in ("amount", "share", "rate", "count", "reason", "zero_base", "last_year"):
            value = getattr(s, field)
            if field == "last_year":
                continue  # composition knows last year's figure; the sentence need not print it
            if value is not None and not any(getattr(c, field) == value for c in candidates):
                missing.append((s.subject, field, value))
    return missing


def test_round_trip_docx(built):
    from yusuan.read import read_file

    composed, files = built
    result = read_file(files["docx"])
    d = result.disclosure
    assert result.findings == []
    assert table_cells(d) == table_cells(composed)
    assert [[r.name for r in t.rows] for t in d.tables] == [[r.name for r in t.rows] for t in composed.tables]
    assert [p.table.indicators for p in d.performance] == [p.table.indicators for p in composed.performance]
    assert composed_statements_found(composed, d) == []


def _table(document, rows):
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        cells = table.rows[r].cells
        for c, text in enumerate(row):
            cells[c].text = text
    return table


def test_shanghai_layout_without_part_markers(tmp_path):
    """Headings from the Shanghai profile (no 第X部分), a contents list, tables in 元 with thousands
    separators and two-row aligned headers, the 三公 table printed as one row of figures, and the
    财政项目支出绩效目标填报表 with money in 元."""
    from yusuan.read import read_file

    document = docx.Document()
    for line in ["上海市普陀区2023年区级部门预算", "预算主管部门：上海市普陀区某街道办事处", "目录", "一、部门主要职能",
                 "四、部门预算编制说明", "1.2023年部门支出预算总表", "部门主要职能", "负责社区公共服务。"]:
        document.add_paragraph(line)
    document.add_paragraph("2023年部门支出预算总表")
    document.add_paragraph("编制部门：上海市普陀区某街道办事处  单位：元")
    _table(document, [["", "", "", "项目", "", "支出预算", ""],
                      ["", "", "功能分类科目编码", "功能分类科目名称", "合计", "基本支出", "项目支出"],
                      ["类", "款", "项", "", "", "", ""],
                      ["201", "", "", "一般公共服务支出", "2,976,800", "0", "2,976,800"],
                      ["201", "05", "", "统计信息事务", "2,976,800", "0", "2,976,800"],
                      ["201", "05", "06", "统计管理", "2,976,800", "0", "2,976,800"],
                      ["", "", "", "合计", "2,976,800", "0", "2,976,800"]])
    document.add_paragraph("2023年部门“三公”经费和机关运行经费预算表")
    document.add_paragraph("编制部门：上海市普陀区某街道办事处  单位:万元")
    _table(document, [["", "", "", "", "", "2023年“三公”经费预算数", ""],
                      ["合计", "因公出国(境)费", "公务接待费", "", "", "公务用车购置及运行费", "2023年机关运行经费预算数"],
                      ["", "", "", "小计", "购置费", "运行费", ""],
                      ["22.91", "0", "1.35", "21.56", "0", "21.56", "786.09"]])
    for line in ["其他相关情况说明", "二、机关运行经费预算", "2023年机关运行经费预算为786.09万元。", "七、项目经费情况说明"]:
        document.add_paragraph(line)
    _table(document, [["", "", "财政项目支出绩效目标填报表", "", "", ""],
                      ["", "", "（2023年度）", "", "", ""],
                      ["", "项目名称", "新建社区公共服务中心", "项目性质", "阶段性项目", ""],
                      ["", "主管部门", "某街道", "实施单位", "", "某街道"],
                      ["", "", "项目资金总额", "4,100,000.00", "年度资金申请总额", "4,100,000.00"],
                      ["", "项目资金", "其中：财政资金", "4,100,000.00", "其中：当年财政拨款", "4,100,000.00"],
                      ["", "（元）", "", "", "上年结转资金", "0.00"],
                      ["", "", "其他资金", "0.00", "其他资金", "0.00"],
                      ["", "", "", "项目总目标", "", "年度总体目标"],
                      ["项目绩效目标", "", "", "建成社区服务中心", "", "完成建设"],
                      ["", "一级指标", "", "二级指标", "三级指标", "年度(/项目)指标值"],
                      ["", "", "", "数量指标", "规划建筑面积", "≥13459.00(平方米)"],
                      ["", "产出指标", "", "质量指标", "完工及时率", "及时率"],
                      ["", "满意度指标", "", "服务对象满意度指标", "居民满意度", "满意度"]])
    path = tmp_path / "shanghai.docx"
    document.save(str(path))
    result = read_file(path)
    d = result.disclosure
    assert d.profile == "shanghai" and d.budget_year == 2023
    t3 = d.table("expenditure")
    assert t3.unit == "元" and [c.key for c in t3.columns] == ["total", "basic", "project"]
    assert t3.value("f:2010506", "project") == D("2976800") and t3.value("f:2010506", "basic") == D(0)
    so = d.table("sangong_operating")
    assert so.value("sangong:vehicle", "amount") == D("21.56") and so.value("operating_costs", "amount") == D("786.09")
    assert so.value("sangong:vehicle_operation", "amount") == D("21.56")
    ids = [s.id for s in d.sections]
    assert ids.count("overview.functions") == 1 and "other.operating_costs" in ids  # contents entries dropped
    assert [st.amount for st in d.section("other.operating_costs").statements()] == [D("786.09")]
    (perf,) = d.performance
    t = perf.table
    assert (t.project, t.fiscal, t.other, t.goal) == ("新建社区公共服务中心", D("410"), D(0), "完成建设")
    assert [(i.level1, i.level2, i.name) for i in t.indicators] == [
        ("产出指标", "数量指标", "规划建筑面积"), ("产出指标", "质量指标", "完工及时率"),
        ("满意度指标", "服务对象满意度指标", "居民满意度")]
    assert t.extra["主管部门"] == "某街道"
