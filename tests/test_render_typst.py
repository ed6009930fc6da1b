"""The Typst PDF (src/yusuan/render/typeset.py, templates/disclosure.typ).

What a package says is data to the template, never markup; the contents page's numbers are the
pages the headings are on; long tables repeat their header rows on every page; a missing CJK font
or a broken template is a clear Chinese error and leaves no file behind.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pypdfium2
import pytest
from render_fixture import disclosure_under_test, hand_disclosure

from yusuan.render import pdf as pdf_mod
from yusuan.render import typeset
from yusuan.render.layout import balanced_lines, grids, text_em
from yusuan.render.pdf import PdfError, write_pdf

pytest.importorskip("typst")


def _page_texts(path) -> list[str]:
    doc = pypdfium2.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


MARKUP = '局#let x = 1 "引号" \\反斜杠 $x^2$ *星号* _下划线_ <标签> @引用 [方括号] // 注释 /* 块 */'


def test_package_text_is_printed_verbatim_not_read_as_markup(tmp_path):
    d = hand_disclosure().model_copy(update={"unit_name": MARKUP, "signature": MARKUP})
    path = write_pdf(d, tmp_path / "m.pdf")
    pages = _page_texts(path)
    assert _flat(MARKUP) in _flat(pages[0])  # the cover
    assert _flat(MARKUP) in _flat(pages[-1])  # the signature


def test_contents_numbers_are_the_pages_of_the_headings(tmp_path):
    d = disclosure_under_test()
    path = write_pdf(d, tmp_path / "toc.pdf")
    pages = [_flat(t) for t in _page_texts(path)]
    entries = typeset._toc(typeset.parts(d))
    lines = [ln for ln in _page_texts(path)[1].splitlines() if re.search(r"\.{8,}\s*\d+\s*$", ln)]
    assert len(lines) == len(entries)
    for entry, line in zip(entries, lines):
        number = int(re.search(r"(\d+)\s*$", line).group(1))
        assert _flat(entry["text"]) in _flat(line)
        # the heading itself is printed on that page (the contents page aside)
        assert _flat(entry["text"]).replace("　", "") in pages[number - 1].replace("　", ""), (entry, number)


def test_long_tables_repeat_their_header_rows_on_every_page(tmp_path):
    d = disclosure_under_test()
    table = d.tables[0]
    for t in d.tables:
        if len(t.rows) > len(table.rows) and not any(r.side for r in t.rows):
            table = t
    long = table.model_copy(update={"rows": table.rows * 4})
    d = d.model_copy(update={"tables": [long], "sections": [], "performance": []})
    path = write_pdf(d, tmp_path / "long.pdf")
    g = grids(d)[0]
    body_texts = {_flat(c.text) for r in g.body for c in r}
    head = next(h.text for h in g.heads if len(_flat(h.text)) >= 3 and _flat(h.text) not in body_texts)
    table_pages = [t for t in _page_texts(path) if table.title in _flat(t) or _flat(g.body[-1][-1].text) in _flat(t)]
    body_pages = [t for t in _page_texts(path)[2:] if any(_flat(r[-1].text) in _flat(t) for r in g.body if r[-1].text)]
    assert len(body_pages) >= 2, "the table should need more than one page"
    for t in body_pages:
        assert _flat(head) in _flat(t)
    assert table_pages


def test_missing_cjk_font_is_a_clear_error_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(typeset, "FONTS", ("Noto Serif CJK SC", "不存在的字体 XYZ"))
    target = tmp_path / "x.pdf"
    with pytest.raises(PdfError, match="缺少生成 PDF 所需的中文字体：不存在的字体 XYZ.*fonts-noto-cjk"):
        write_pdf(hand_disclosure(), target)
    assert list(tmp_path.iterdir()) == []


def test_a_broken_template_is_reported_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "bad.typ"
    bad.write_text("#let d = json(bytes(sys.inputs.at(\"data\")))\n#d.no_such_field\n", encoding="utf-8")
    monkeypatch.setattr(typeset, "TEMPLATE", bad)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PdfError, match="PDF 排版失败"):
        write_pdf(hand_disclosure(), out / "x.pdf")
    assert list(out.iterdir()) == []


def test_unknown_engine_is_a_clear_error(tmp_path):
    with pytest.raises(PdfError, match="未知的 PDF 引擎"):
        write_pdf(hand_disclosure(), tmp_path / "x.pdf", engine="latex")


def test_build_without_the_font_exits_1_with_the_message_and_writes_nothing(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from yusuan.cli import app
    from render_fixture import EXAMPLE

    monkeypatch.setattr(typeset, "FONTS", ("不存在的字体 XYZ", "Noto Sans CJK SC"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(EXAMPLE), "-o", str(out), "--format", "docx,pdf", "--no-toc-pages"])
    assert result.exit_code == 1, result.output
    assert "缺少生成 PDF 所需的中文字体" in result.output and "Traceback" not in result.output
    assert "--format docx" in result.output  # how to get the other formats meanwhile
    assert not out.exists() or list(out.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] in ([], ["out"])


def test_build_cli_rejects_an_unknown_pdf_engine(tmp_path):
    from typer.testing import CliRunner

    from yusuan.cli import app
    from render_fixture import EXAMPLE

    result = CliRunner().invoke(app, ["build", str(EXAMPLE), "-o", str(tmp_path / "o"), "--pdf-engine", "latex"])
    assert result.exit_code == 2
    assert "--pdf-engine" in result.output and "latex" in result.output


def test_default_engine_is_typst_and_weasyprint_can_be_chosen(tmp_path, monkeypatch):
    from yusuan.render import render

    called = []
    monkeypatch.setattr(pdf_mod, "_write_typst", lambda d, p: called.append("typst") or p.write_bytes(b"%PDF") or p)
    monkeypatch.setattr(pdf_mod, "_write_weasyprint", lambda d, p, h: called.append(("weasyprint", h is not None))
                        or p.write_bytes(b"%PDF") or p)
    render(hand_disclosure(), tmp_path / "a", ["pdf"])
    render(hand_disclosure(), tmp_path / "b", ["html", "pdf"], pdf_engine="weasyprint")
    assert called == ["typst", ("weasyprint", True)]  # the web page just written is reused


LONG_CODE = "XJ-CJZRZY-2023-GTKJGH-000123456789"
LONG_URL = "https://zrzyj.changji.gov.cn/xxgk/czyjs/2023/bumenyusuan/index_0001.html"


def test_long_latin_runs_wrap_inside_their_cells_and_the_page(tmp_path):
    """A code or a web address has no break opportunity: it must still wrap inside its cell (and a
    paragraph's inside the page), and come out of the text layer whole."""
    from test_render_html_pdf import _crossings, _pages

    d = hand_disclosure()
    tables = []
    for t in d.tables:
        rows = []
        for r in t.rows:
            if "project_name" in r.cells and r.cells["project_name"].text:
                cell = r.cells["project_name"].model_copy(update={"text": f"项目{LONG_CODE}"})
                r = r.model_copy(update={"cells": {**r.cells, "project_name": cell}})
            rows.append(r)
        tables.append(t.model_copy(update={"rows": rows}))
    perf = d.performance[0]
    ind = perf.table.indicators[0].model_copy(update={"evidence": LONG_URL})
    perf = perf.model_copy(update={"table": perf.table.model_copy(
        update={"indicators": [ind, *perf.table.indicators[1:]]})})
    section = d.sections[0]
    para = section.paragraphs[0].model_copy(update={"text": f"详见{LONG_URL}{LONG_URL}。"})
    section = section.model_copy(update={"paragraphs": [para, *section.paragraphs[1:]]})
    d = d.model_copy(update={"tables": tables, "performance": [perf, *d.performance[1:]],
                             "sections": [section, *d.sections[1:]]})
    assert any(LONG_CODE in c.text for t in d.tables for r in t.rows for c in r.cells.values())

    path = write_pdf(d, tmp_path / "long.pdf")
    pages = _pages(path)
    assert _crossings(pages) == []
    for p in pages:
        assert all(0 <= ch["x0"] and ch["x1"] <= p["width"] for ch in p["chars"])
    text = _flat("".join(_page_texts(path)))
    assert LONG_CODE in text and LONG_URL in text


@pytest.mark.parametrize("text, breaks", [
    ("项目XJ-CJZRZY-2023-0001", True),    # a code longer than a cell's run
    ("46987300.00", False),               # figures are not broken
    ("增长2901.97%，", False),
    (">=2705.52平方米", False),
    ("（2021-2035年）", False),
    ("1234567890123456789012", True),     # unless no column could hold them
    ("国土空间规划编制经费", False),        # CJK breaks anywhere already
    ("ABC DEF GHI", False),               # spaces are break opportunities
])
def test_which_texts_are_set_to_wrap_anywhere(text, breaks):
    assert typeset._unbreakable(text, typeset.CELL_RUN) is breaks


@pytest.mark.parametrize("text, width, lines", [
    ("功能分类科目编码", 6.0, ["功能分类", "科目编码"]),     # not 功能分类科目编/码
    ("一般公共预算", 4.4, ["一般公", "共预算"]),               # not 一般公共预/算
    ("合计", 4.0, ["合计"]),                                   # fits: left alone
    ("财  政  拨  款", 3.0, ["财  政  拨  款"]),               # spaced labels: left to Typst
])
def test_header_labels_wrap_into_even_lines(text, width, lines):
    assert balanced_lines(text, width) == lines


@pytest.mark.parametrize("text", ["财政拨款(补助)小计", "上级国有资本经营预算安排的转移支付", "财政专户（教育收费）",
                                  "上级政府性基金安排的转移支付"])
def test_balanced_header_lines_fit_and_keep_brackets_with_their_words(text):
    for width in (3.2, 4.4, 5.5):
        got = balanced_lines(text, width)
        assert "".join(got) == text
        if len(got) > 1:
            assert all(text_em(x) <= width + 0.01 for x in got)
            assert not any(x[0] in "）)" or x[-1] in "（(" for x in got)
            sizes = [text_em(x) for x in got]
            assert max(sizes) - min(sizes) <= 2.01  # even, no lone character beside full lines


def test_no_header_of_the_example_ends_in_a_lone_character():
    from yusuan.render.layout import grids

    d = disclosure_under_test()
    heads = [h["lines"] for g in grids(d) for h in typeset._grid_data(g, False)["head"]]
    heads += [h for p in typeset.parts(d) for t in p.perf for h in typeset._perf_data(t, False)["head"]]
    wrapped = [lines for lines in heads if len(lines) > 1]
    assert wrapped
    for lines in wrapped:
        assert min(len(x) for x in lines) >= 2, lines


@pytest.mark.skipif(not (shutil.which("qpdf") and shutil.which("pdfinfo")), reason="qpdf / poppler-utils 未安装（make system-deps）")
@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_standard_tools_read_the_pdf_without_complaint(tmp_path, engine):
    # poppler once printed "Syntax Error: Suspects object is wrong type (boolean)" for every Typst PDF.
    path = write_pdf(disclosure_under_test(), tmp_path / "a.pdf", engine=engine)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
    assert info.returncode == 0 and info.stderr.strip() == "", info.stderr
    pages = subprocess.run(["pdftoppm", "-r", "10", "-png", "-f", "1", "-l", "3", str(path), str(tmp_path / "p")],
                           capture_output=True, text=True)
    assert pages.returncode == 0 and pages.stderr.strip() == "", pages.stderr
