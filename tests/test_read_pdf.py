"""PDF reading: the shared Shanghai packages (tables and rows checked against pdftotext -layout) and
the round trip of our own rendered PDF."""

from __future__ import annotations

import re
from decimal import Decimal
import shutil
import subprocess
from pathlib import Path

import pytest

from yusuan.amounts import normalise_text
from yusuan.read.blocks import Grid, Para
from yusuan.read.pdf import read_pdf_blocks

from tests.conftest import EXAMPLE, SHANGHAI

PACKAGES = ["putuo-wanli-subdistrict-2023-dept-budget.pdf", "putuo-finance-bureau-2025-dept-budget.pdf",
            "putuo-finance-bureau-2024-dept-final-account.pdf", "shanghai-2024-dept-final-account-template.pdf"]
_CODED = re.compile(r"^\s*(\d{3})\s+(\d{2})\s+(\d{2})\s+(\S+)\s+(-?[\d,]+(?:\.\d+)?)\s")


def _need(name: str) -> Path:
    path = SHANGHAI / name
    if not path.exists():
        pytest.skip(f"参考文件不存在：{path}")
    return path


@pytest.fixture(scope="module", params=PACKAGES)
def package(request):
    path = _need(request.param)
    return path, read_pdf_blocks(path)


def _grids(blocks):
    return [b for b in blocks if isinstance(b, Grid)]


def _finance_tables(blocks) -> list[Grid]:
    """Grids that hold money tables (not the performance-target forms nor the unit list)."""
    out = []
    for g in _grids(blocks):
        text = "".join(c.text for r in g.rows[:4] for c in r)
        if "绩效" in text or "单位名称" in text:
            continue
        out.append(g)
    return out


def test_every_budget_table_is_found_once(package):
    """Each package prints nine tables (目录); continued pages are stitched, not counted again."""
    path, blocks = package
    assert len(_finance_tables(blocks)) == 9, path.name


def test_every_cell_has_its_page_and_box(package):
    path, blocks = package
    for g in _grids(blocks):
        for row in g.rows:
            for cell in row:
                loc = cell.location
                assert loc is not None and loc.file == path.name and loc.page >= 1
                x0, top, x1, bottom = loc.bbox
                assert x0 < x1 and top < bottom


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext 不可用")
def test_coded_rows_agree_with_pdftotext(package):
    """Every 类/款/项 row that pdftotext prints on one line is a grid row with the same code, name
    and first amount; and no coded row is lost."""
    path, blocks = package
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    expected = [m.groups() for m in map(_CODED.match, layout.splitlines()) if m]
    rows = {}
    for g in _grids(blocks):
        for r in g.rows:
            t = [normalise_text(c.text) for c in r]
            if len(t) > 4 and re.fullmatch(r"\d{3}", t[0]) and re.fullmatch(r"\d{2}", t[1]) and re.fullmatch(r"\d{2}", t[2]):
                rows.setdefault((t[0], t[1], t[2], t[3]), []).append(t[4:])
    for a, b, c, name, amount in expected:
        # pdftotext may print only the first line of a wrapped name
        found = [v for (ca, cb, cc, n), vs in rows.items() for v in vs
                 if (ca, cb, cc) == (a, b, c) and n.startswith(normalise_text(name))]
        assert found, f"{path.name}: {a} {b} {c} {name}"
        assert any(amount in values for values in found), (a, b, c, name, amount, found)
    assert sum(len(v) for v in rows.values()) >= len(expected)


@pytest.fixture(scope="module")
def wanli():
    path = _need(PACKAGES[0])
    return path, read_pdf_blocks(path)


def test_wanli_cells(wanli):
    path, blocks = wanli
    tables = _finance_tables(blocks)
    t1 = [[c.text for c in r] for r in tables[0].rows]
    assert ["一、财政拨款收入", "164,978,640", "一、一般公共服务支出", "2,976,800"] in t1
    assert t1[-1] == ["收入总计", "164,978,640", "支出总计", "164,978,640"]
    t2 = [[normalise_text(c.text) for c in r] for r in tables[1].rows]
    # stitched over four pages, header printed once, the 合计 row at the end
    assert sum(1 for r in t2 if "类" in r and "款" in r) == 1
    # 合计 printed across the code and name columns is one cell, as a Word table gives it
    assert [x for x in t2[-1] if x][:2] == ["合计", "164,978,640"]
    sangong = [[normalise_text(c.text) for c in r] for r in tables[8].rows]
    assert ["22.91", "0", "1.35", "21.56", "0", "21.56", "786.09"] == [x for x in sangong[-1] if x]


def test_narrative_paragraphs_keep_the_sentences(wanli):
    path, blocks = wanli
    text = "".join(b.text for b in blocks if isinstance(b, Para))
    assert "政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元" in text
    para = next(b for b in blocks if isinstance(b, Para) and "收入预算16497.86万元" in b.text)
    assert para.text.endswith("其他收入0万元。")  # two printed lines joined into one paragraph
    assert para.location.page == 6


# -- our own PDF ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    try:
        from yusuan.compose import compose
        from yusuan.load import load_package
        from yusuan.render.pdf import write_pdf
    except ImportError:
        pytest.skip("组成或 PDF 生成模块不可用")
    d = compose(load_package(EXAMPLE))
    path = tmp_path_factory.mktemp("pdf") / "changji.pdf"
    write_pdf(d, path)
    return d, path


def test_round_trip_gives_the_same_table_cells(rendered):
    from yusuan.read import read_file

    composed, path = rendered
    read = read_file(path).disclosure
    assert [t.kind for t in read.tables] == [t.kind for t in composed.tables]
    compared = 0
    for table in composed.tables:
        back = read.table(table.kind)
        for row in table.rows:
            got = back.row(row.key)
            assert got is not None, (table.kind, row.key)
            for key, cell in row.cells.items():
                assert got.cells[key].value == cell.value, (table.kind, row.key, key)
                if cell.value is None:
                    assert normalise_text(got.cells[key].text) == normalise_text(cell.text)
                compared += 1
    assert compared > 900


def test_round_trip_has_no_fatal_findings(rendered):
    """Reading our own PDF back adds no error the composed package does not have (tables, text and
    performance tables alike)."""
    from yusuan import rules
    from yusuan.read import read_file

    rules.load_all()
    composed, path = rendered
    read = read_file(path).disclosure
    mine = {(f.rule, f.subject) for f in rules.run(rules.Context(disclosure=composed)) if f.severity == "fatal"}
    theirs = [f"{f.rule}: {f.message}" for f in rules.run(rules.Context(disclosure=read))
              if f.severity == "fatal" and (f.rule, f.subject) not in mine]
    assert theirs == []


def test_round_trip_gives_the_same_paragraphs_unit_and_signature(rendered):
    """Every paragraph of the explanation comes back whole, in order: paragraphs cut by a page break
    are joined again, the contents list adds no paragraph, and the unit name and signature are the
    printed ones (not a contents line). Only spaces may differ (a reader drops a space between two
    CJK characters)."""
    from yusuan.read import read_file

    composed, path = rendered
    read = read_file(path).disclosure

    def texts(d):
        return [p.text.replace(" ", "") for s in d.sections for p in s.paragraphs]

    assert texts(read) == texts(composed)
    assert (read.unit_name, read.signature, read.date_text) == (composed.unit_name, composed.signature, composed.date_text)


def test_final_account_multi_line_headers_and_wrapped_names():
    """收入决算表: header labels wrapped inside their cells (本年收入合/计) and names wrapped over two
    lines (机关事业单位基本养老保险/缴费支出) are read as one cell each."""
    blocks = read_pdf_blocks(_need(PACKAGES[2]))
    income = next(g for g in _grids(blocks) if any("上级补助" in c.text for r in g.rows[:4] for c in r))
    header = [normalise_text(c.text) for r in income.rows[:4] for c in r]
    assert "本年收入合计" in header and "附属单位上缴收入" in header
    names = [normalise_text(c.text) for r in income.rows for c in r]
    assert "机关事业单位基本养老保险缴费支出" in names


def test_sentence_broken_after_a_colon_is_one_paragraph():
    blocks = read_pdf_blocks(_need(PACKAGES[2]))
    text = [normalise_text(b.text) for b in blocks if isinstance(b, Para)]
    assert any("主要原因:基本支出中人员进出及退休变化" in t for t in text)


def test_figure_printed_against_a_label_is_split_from_it():
    """Characters closer than a word gap still part where a number follows CJK text after any visible
    space, and always at a drawn column rule."""
    from yusuan.read.pdf_layout import Char, Rule, split_words

    def chars(text, x, width=10.0):
        return [Char(ch, x + i * width, 0.0, x + (i + 1) * width - 0.5, 10.0) for i, ch in enumerate(text)]

    row = chars("合计", 0) + chars("2,946.25", 22.0, 5.0)  # 2.5 pt apart: less than a word gap
    assert [w.text for w in split_words(row)] == ["合计", "2,946.25"]
    row = chars("4878.73", 0, 5.0) + chars("201", 35.5, 5.0)  # no gap at all, but a rule between
    assert [w.text for w in split_words(row, [Rule("v", 35.2, -5, 15)])] == ["4878.73", "201"]
    assert [w.text for w in split_words(row)] == ["4878.73201"]


# -- audit of the shared packages ------------------------------------------------------------------
def _audit(name: str):
    from yusuan import rules
    from yusuan.read import read_file

    rules.load_all()
    disclosure = read_file(_need(name)).disclosure
    return disclosure, rules.run(rules.Context(disclosure=disclosure))


@pytest.mark.parametrize("name", PACKAGES[:2])
def test_budget_tables_read_from_pdf_agree_with_each_other(name):
    """A misread cell or column would break a table's sums or its agreement with another table;
    the two published budgets have none (checked by hand: every table adds up)."""
    disclosure, findings = _audit(name)
    assert len(disclosure.tables) == 9
    assert disclosure.profile == "shanghai"
    wrong = [f"{f.rule}: {f.message}" for f in findings
             if f.severity == "fatal" and f.category in ("within-table", "cross-table", "catalogue")]
    assert wrong == []


def test_final_account_tables_differ_only_by_rounding():
    """The 2024 final account prints 万元 figures rounded from 元: class rows may miss the total by 0.01."""
    _, findings = _audit(PACKAGES[2])
    for f in findings:
        if f.severity == "fatal" and f.category in ("within-table", "cross-table"):
            assert f.difference is not None and abs(f.difference) <= Decimal("0.03"), f.message


def test_wanli_copy_error_is_found():
    """The 2023 subdistrict text: 政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元."""
    disclosure, findings = _audit(PACKAGES[0])
    assert disclosure.phase == "budget" and disclosure.budget_year == 2023
    hits = [f for f in findings if f.rule == "Y.LAST_YEAR.NEGATIVE"]
    assert hits and "政府性基金" in hits[0].message
    assert hits[0].location.page == 6


def _rotated_copy(source: Path, index: int, target: Path) -> Path:
    """One page whose content is drawn turned a quarter and shown upright by /Rotate 90 (how some
    tools store landscape tables)."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    writer = PdfWriter()
    writer.add_page(PdfReader(str(source)).pages[index])
    page = writer.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    page.add_transformation(Transformation().rotate(90).translate(height, 0))
    page.mediabox = RectangleObject([0, 0, height, width])
    page.cropbox = RectangleObject([0, 0, height, width])
    page.rotate(90)
    with open(target, "wb") as fh:
        writer.write(fh)
    return target


def test_rotated_page_reads_as_displayed(tmp_path):
    from yusuan.read.pdf import read_layouts

    source = _need(PACKAGES[0])
    rotated = _rotated_copy(source, 10, tmp_path / "rotated.pdf")
    original = [g for g in _grids(read_pdf_blocks(source)) if g.location.page == 11][0]
    turned = _grids(read_pdf_blocks(rotated))[0]
    assert [[c.text for c in r] for r in turned.rows] == [[c.text for c in r] for r in original.rows[:len(turned.rows)]]
    a, b = original.rows[3][0].location.bbox, turned.rows[3][0].location.bbox
    assert all(abs(x - y) < 1 for x, y in zip(a, b))
    assert read_layouts(rotated)[0].width > read_layouts(rotated)[0].height  # shown landscape


# -- text a viewer does not show ------------------------------------------------------------------
def _html_pdf(path: Path, body: str) -> Path:
    from weasyprint import HTML

    HTML(string=f'<html><body style="font-family: Noto Sans CJK SC">{body}</body></html>').write_pdf(path)
    return path


def _page_texts(path: Path) -> list[str]:
    from yusuan.read.pdf import read_layouts

    return [ln.text for page in read_layouts(path) for ln in page.lines]


def test_text_cut_off_by_a_clip_path_is_not_read(tmp_path):
    """A box with overflow hidden clips its second line: the PDF holds it (pdftotext prints it) but
    no viewer shows it."""
    path = _html_pdf(tmp_path / "clipped.pdf", '<div style="height:1.5em;overflow:hidden"><p style="margin:0">裁剪框内的文字</p>'
                                               '<p style="margin:0">被裁剪的文字</p></div><p>正文最后一行</p>')
    if shutil.which("pdftotext"):
        layer = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        assert "被裁剪的文字" in layer  # the hidden line is really in the file
    assert _page_texts(path) == ["裁剪框内的文字", "正文最后一行"]


def test_text_outside_the_crop_box_is_not_read(tmp_path):
    """A crop box that leaves out the page's first line (and does not start at the origin, so the
    general page-to-display transform is used)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    source = _html_pdf(tmp_path / "full.pdf", "<p>第一行文字</p><p>第二行文字</p>")
    writer = PdfWriter()
    writer.add_page(PdfReader(str(source)).pages[0])
    page = writer.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    page.cropbox = RectangleObject([10, 0, width, height - 85])  # the first line sits ~60-80 pt from the top
    cropped = tmp_path / "cropped.pdf"
    with open(cropped, "wb") as fh:
        writer.write(fh)
    assert "第一行文字" in _page_texts(source)
    assert _page_texts(cropped) == ["第二行文字"]


def test_flow_repeated_under_each_page_window_is_read_once():
    """The 2025 bureau budget writes its 编制说明 onto pages 7 and 8 in full and shows a different
    window of it on each (above page 8's box, and under a clip on both): items 1-8 are seen on
    page 7, items 9-11 on page 8, and nothing twice."""
    blocks = read_pdf_blocks(_need(PACKAGES[1]))
    paras = [(b.location.page, normalise_text(b.text)) for b in blocks if isinstance(b, Para) and b.location.page in (7, 8)]
    items = [(page, int(m.group(1))) for page, t in paras for m in [re.match(r"^(\d+)\.“", t)] if m]
    assert items == [(7, i) for i in range(1, 9)] + [(8, i) for i in range(9, 12)]
    assert sum("收入预算3,121.42万元" in t for _, t in paras) == 1


# -- headings printed with the unit's name ---------------------------------------------------------
def test_part_one_headings_printed_with_the_unit_name():
    """The 2025 bureau budget heads Part 1 “上海市普陀区财政局主要职能/机构设置” where the profile
    says “部门主要职能/部门机构设置”."""
    from yusuan.read.headings import load_headings

    headings = load_headings("shanghai")
    assert headings.section("上海市普陀区财政局主要职能") == ("overview.functions", 1)
    assert headings.section("二、上海市普陀区人民政府万里街道办事处机构设置") == ("overview.institutions", 1)
    assert headings.section("部门主要职能") == ("overview.functions", 1)
    for sentence in ("主要职能包括：", "2025年，本局履行主要职能。", "共有3个机构设置"):
        assert headings.section(sentence) is None, sentence

    from yusuan.read import read_file

    sections = {s.id: s for s in read_file(_need(PACKAGES[1])).disclosure.sections}
    assert sections["overview.functions"].paragraphs[0].text.startswith("上海市普陀区财政局是上海市普陀区人民政府组成部门")
    assert "预算单位" in sections["overview.institutions"].paragraphs[0].text


# -- labels and paragraphs in merged cells of the performance forms ------------------------------
@pytest.fixture(scope="module")
def wanli_forms():
    from yusuan.read import read_file

    return {t.table.project: t.table for t in read_file(_need(PACKAGES[0])).disclosure.performance}


def test_wrapped_level_two_labels_are_one_label(wanli_forms):
    """p.35 prints 社会效益指⏎标 and 服务对象满⏎意度指标 wrapped in their merged cells."""
    levels = {(i.level1, i.level2) for i in wanli_forms["公共服务设施运行经费"].indicators}
    assert levels == {("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标"),
                      ("满意度指标", "服务对象满意度指标")}


def test_centred_labels_head_every_row_of_their_merged_cell(wanli_forms):
    """p.34: each label stands in the middle of its merged cell; the rules (seen on the page image)
    put 15 indicators under 数量指标, 8 under 质量指标, 14 under 社会效益指标, 6 under 满意度."""
    from collections import Counter

    form = wanli_forms["各类工作经费"]
    assert Counter((i.level1, i.level2) for i in form.indicators) == Counter({
        ("产出指标", "数量指标"): 15, ("产出指标", "质量指标"): 8, ("效益指标", "社会效益指标"): 14,
        ("满意度指标", "服务对象满意度指标"): 6})
    first = {(i.level1, i.level2): i.name for i in reversed(form.indicators)}
    assert first[("产出指标", "质量指标")] == "做好禁毒示范城区标准化建设"
    assert first[("效益指标", "社会效益指标")] == "扩大禁毒宣传教育覆盖面"
    assert form.fiscal == Decimal("759.55")  # the 项目资金 rows beside the merged labels still pair up


def test_paragraph_in_a_merged_cell_is_read_whole(wanli_forms):
    """The 项目总目标 paragraph runs across column edges that the rows below draw; it is read in full,
    line by line (it used to be cut to its last line), and a wrapped indicator name keeps its end."""
    goal = normalise_text(wanli_forms["各类工作经费"].goal)
    assert goal.startswith("提升辖区居民群众的防毒意识和能力") and goal.endswith("开展日常工作。")
    assert "确保社会环境和谐稳定。通过跨前一步、深入一步" in goal
    assert normalise_text(wanli_forms["公共服务设施运行经费"].goal).endswith("助力万里整体工作推进。")
    names = [normalise_text(i.name) for i in wanli_forms["各类工作经费"].indicators]
    assert any(n.startswith('"提升居民') and n.endswith('优化营商环境"') for n in names)


def test_compressed_opening_quote_stays_after_the_item_number():
    """LibreOffice squeezes “ after “17.”: the quote's box (ink in its right half) starts before the period's.
    The boxes below are those of a rendered 17.“2040605普法宣传”; the line reads in printed order."""
    from yusuan.read.pdf_layout import Char, group_lines

    boxes = [("1", 64.52, 69.70), ("7", 69.70, 75.74), (".", 75.74, 79.34), ("“", 73.86, 84.86),
             ("2", 84.86, 91.00), ("0", 91.00, 97.13), ("4", 97.13, 103.3)]
    [line] = group_lines([Char(ch, x0, 142.67, x1, 153.67) for ch, x0, x1 in boxes])
    assert line.text.replace(" ", "") == "17.“204"
    # an uncompressed quote (its box after the character before it) keeps its place too
    plain = [("“", 60.0, 71.0), ("甲", 71.0, 82.0), ("”", 82.0, 93.0), ("（", 93.0, 104.0), ("乙", 104.0, 115.0)]
    [line] = group_lines([Char(ch, x0, 10.0, x1, 21.0) for ch, x0, x1 in plain])
    assert line.text.replace(" ", "") == "“甲”（乙"
