"""Reading HTML disclosures (yusuan.read.html): our own built pages read back cell for cell and audit
clean; a hand-written page in the style of department web sites (GB2312, a layout table around the
text, rowspan/colspan headers, thousands separators, &nbsp; and full-width spaces, a column the page
does not print) reads without a fatal finding on what it prints; one changed amount is found."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from yusuan.cli import app
from yusuan.errors import InputError
from yusuan.read import read_file
from yusuan.rules.engine import check_disclosure

EXAMPLES = ROOT / "examples"
PAGE = Path(__file__).parent / "data" / "html" / "department-final-page.html"
D = Decimal


def _cells(d) -> dict:
    """Every printed amount by (table, row, column); a blank cell and an absent one are both unknown."""
    return {(t.kind, r.key, k): c.value for t in d.tables for r in t.rows for k, c in r.cells.items()
            if c.value is not None}


def _spaced(text: str) -> str:
    return re.sub(r"[ \t\n]+", " ", text)


def _fatal(findings) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in findings if f.severity == "fatal"]


# ------------------------------------------------------------------ our own pages, budget and final accounts

@pytest.fixture(scope="module", params=[
    ("changji-natural-resources-2023", None), ("changji-natural-resources-2023", "shanghai"),
    ("final-account-2024", None), ("putuo-finance-final-2024", None)], ids=lambda p: f"{p[0]}-{p[1] or 'own'}")
def built(request, tmp_path_factory):
    """The example composed, and its web page and Word file as ``yusuan build`` writes them."""
    from yusuan.compose import compose
    from yusuan.load import load_package

    example, profile = request.param
    out = tmp_path_factory.mktemp("html")
    args = ["build", str(EXAMPLES / example), "-o", str(out), "-f", "html,docx", "--no-toc-pages"]
    result = CliRunner().invoke(app, args + (["--profile", profile] if profile else []))
    assert result.exit_code == 0, result.output
    page = next(p for p in out.glob("*.html") if "校验报告" not in p.name)
    composed = compose(load_package(EXAMPLES / example), profile)
    return composed, page, next(out.glob("*.docx"))


def test_built_page_reads_back_every_cell(built):
    composed, page, _docx = built
    read = read_file(page).disclosure
    assert (read.phase, read.profile, read.unit_name, read.budget_year) == (
        composed.phase, composed.profile, composed.unit_name, composed.budget_year)
    assert [t.kind for t in read.tables] == [t.kind for t in composed.tables]
    assert _cells(read) == _cells(composed)
    # a browser shows the renderer's “合  计” with one space, and so does the reader
    assert [[_spaced(r.name) for r in t.rows] for t in read.tables] == [[_spaced(r.name) for r in t.rows]
                                                                          for t in composed.tables]
    assert [p.table.indicators for p in read.performance] == [p.table.indicators for p in composed.performance]


def _text(d) -> list:
    return [(s.id, s.part, s.title, [(p.text, p.style, [st.model_dump(exclude={"location"}) for st in p.statements])
                                     for p in s.paragraphs]) for s in d.sections]


def test_built_page_reads_the_text_as_the_word_file_does(built):
    composed, page, docx = built
    read, word = read_file(page), read_file(docx)
    assert _text(read.disclosure) == _text(word.disclosure)
    assert [(f.rule, f.message) for f in read.findings] == [(f.rule, f.message.replace(docx.name, page.name))
                                                            for f in word.findings]
    printed = {p.text for s in read.disclosure.sections for p in s.paragraphs}
    assert [p.text for s in composed.sections for p in s.paragraphs if p.text not in printed] == []
    assert (read.disclosure.signature, read.disclosure.date_text) == (composed.signature, composed.date_text)


def test_built_page_audits_without_fatal_findings(built):
    _composed, page, _docx = built
    result = read_file(page)
    assert _fatal(result.findings) == []
    assert _fatal(check_disclosure(result.disclosure).findings) == []
    audit = CliRunner().invoke(app, ["audit", str(page)])
    assert audit.exit_code == 0 and "错误 0 条" in audit.output, audit.output


def test_shanghai_final_account_reads_back_every_cell_from_all_four_formats(tmp_path):
    """Issue 14's Done-when for the real Shanghai example (final-account-2024 is covered by
    tests/test_final_account.py): DOCX, XLSX, HTML and PDF as built each read back every composed cell and
    audit with 0 fatal findings."""
    from yusuan.compose import compose
    from yusuan.load import load_package

    example = EXAMPLES / "putuo-finance-final-2024"
    result = CliRunner().invoke(app, ["build", str(example), "-o", str(tmp_path), "--no-toc-pages"])
    assert result.exit_code == 0, result.output
    written = {p.suffix: p for p in tmp_path.iterdir() if "校验报告" not in p.name}
    assert set(written) == {".docx", ".xlsx", ".html", ".pdf"}
    expected = _cells(compose(load_package(example)))
    for suffix, path in sorted(written.items()):
        read = read_file(path)
        assert read.disclosure.profile == "shanghai_final", suffix
        assert _cells(read.disclosure) == expected, suffix
        assert _fatal(read.findings + check_disclosure(read.disclosure).findings) == [], suffix


# ------------------------------------------------------------------ a page as department web sites publish it

@pytest.fixture(scope="module")
def page():
    return read_file(PAGE)


def test_site_page_tables_are_read_through_the_layout_table(page):
    d = page.disclosure
    assert (d.unit_name, d.budget_year, d.phase, d.profile) == ("某某区教育局", 2024, "final", "final_common")
    assert [t.kind for t in d.tables] == ["general_expenditure", "sangong"]
    t5 = d.table("general_expenditure")
    assert t5.number == "表5" and t5.unit == "万元"
    # thousands separators; under the rowspan header the cells keep their columns (T1R3C5: 合计 column)
    assert t5.value("total", "total") == D("2054.30") and t5.row("total").cells["total"].location.cell == "T1R3C5"
    assert t5.value("f:2050101", "basic") == D("1360.00")
    assert t5.row("f:2050101").name == "行政运行"  # &nbsp; indentation is not part of the name


def test_site_page_unprinted_column_and_blank_cells_are_unknown(page):
    t5 = page.disclosure.table("general_expenditure")
    assert [c.key for c in t5.columns] == ["total", "basic"]  # the page prints no 项目支出 column
    assert "project" not in t5.row("f:20509").cells
    assert t5.value("f:20509", "basic") is None  # an empty cell
    sangong = page.disclosure.table("sangong")
    assert [c.key for c in sangong.columns] == ["budget", "actual"]  # 2024年度 spans 预算数 | 决算数
    assert sangong.value("sangong:abroad", "actual") is None and sangong.value("sangong:reception", "actual") == D("2.60")


def test_site_page_hidden_and_script_text_is_not_read(page):
    d = page.disclosure
    texts = [p.text for s in d.sections for p in s.paragraphs] + [c.text for t in d.tables for r in t.rows
                                                                  for c in r.cells.values()]
    assert not any("999.99" in t or "123.45" in t or "首页" in t for t in texts)
    general = d.section("general")
    assert [p.text for p in general.paragraphs] == [
        "2024年度一般公共预算财政拨款支出2,054.30万元，其中：基本支出1,594.30万元，项目支出460.00万元。"]
    sangong = d.section("sangong")
    assert len(sangong.paragraphs) == 2  # a <br> ends a line as in a browser
    overview = d.section("overview.functions")
    # the source's line break inside a paragraph is one space, as a browser shows it
    assert overview.paragraphs[0].text == "贯彻执行国家和本市有关教育工作的方针、政策和法律、法规， 拟订本区教育发展规划并组织实施。"


def test_site_page_is_fatal_only_for_the_tables_it_leaves_out(page):
    report = check_disclosure(page.disclosure)
    fatal = [f for f in page.findings + report.findings if f.severity == "fatal"]
    missing = {"income_expenditure", "income", "expenditure", "fiscal_income_expenditure", "general_basic",
               "fund_expenditure", "capital_expenditure"}
    assert {f.rule for f in fatal} == {"K.TABLE.PRESENT"}
    assert {f.subject for f in fatal} == missing


def test_a_changed_amount_on_the_page_is_a_fatal_finding_quoting_it(tmp_path):
    source = PAGE.read_bytes().decode("gb18030")
    row = "行政运行</td><td align=\"right\">1,360.00</td>"
    assert source.count(row) == 1
    changed = tmp_path / "changed.html"
    changed.write_bytes(source.replace(row, row.replace("1,360.00", "1,366.00")).encode("gb18030"))
    result = read_file(changed)
    fatal = [f for f in check_disclosure(result.disclosure).findings if f.severity == "fatal"
             and f.rule != "K.TABLE.PRESENT"]
    assert fatal, "the changed 行政运行 amount must break a sum"
    assert any("1366" in f.message or "1,366.00" in (f.quote or "") for f in fatal), [f.message for f in fatal]
    assert all(f.location and f.location.file == "changed.html" for f in fatal if f.location)


# ------------------------------------------------------------------ grids: rowspan / colspan as in Word

def _grid(html: str):
    from lxml import html as lxml_html

    from yusuan.read.html import expand

    table = lxml_html.fragment_fromstring(html)
    return [[c.text for c in row] for row in expand(table, 1, "x.html").rows]


def test_rowspan_leaves_one_empty_cell_per_spanning_cell():
    rows = _grid("<table><tr><td rowspan=3 colspan=2>A</td><td>B</td><td rowspan=2>C</td></tr>"
                 "<tr><td>D</td></tr><tr><td>E</td><td>F</td></tr></table>")
    assert rows == [["A", "B", "C"], ["", "D", ""], ["", "E", "F"]]


def test_rowspan_zero_runs_to_the_end_and_bad_spans_count_as_one():
    rows = _grid("<table><tr><td rowspan=0>A</td><td colspan=x>B</td></tr><tr><td>C</td></tr>"
                 "<tr><td>D</td></tr></table>")
    assert rows == [["A", "B"], ["", "C"], ["", "D"]]


def test_cell_paragraphs_and_breaks_are_lines_of_one_cell():
    rows = _grid("<table><thead><tr><th>公务用车购置及<br>运行费</th><th><p>预算数</p><p>（万元）</p></th></tr></thead>"
                 "<tbody><tr><td>&nbsp;</td><td>　1,234.50 </td></tr></tbody></table>")
    assert rows == [["公务用车购置及\n运行费", "预算数\n（万元）"], ["", "　1,234.50"]]


# ------------------------------------------------------------------ what is and is not an HTML page

@pytest.mark.parametrize("name,content,message", [
    ("a.html", "2024年部门决算\n本年收入 100 万元\n".encode(), "扩展名是 .html，但文件内容不是该格式"),
    ("b.htm", bytes(range(256)) * 4, "扩展名是 .htm，但文件内容不是该格式"),
    ("c.html", b"  \n", "文件是空的"),
    ("d.html", "<html><body><p>欢迎访问本网站</p></body></html>".encode(), "这似乎不是预算公开文件"),
])
def test_unusable_html_gets_a_chinese_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_file(path)
    assert message in str(info.value) and name in str(info.value)
    result = CliRunner().invoke(app, ["audit", str(path)])
    assert result.exit_code == 2 and message in result.output


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_page_encodings(tmp_path, encoding):
    text = PAGE.read_bytes().decode("gb18030")
    if encoding != "gb18030":
        text = text.replace("charset=gb2312", "charset=utf-8")
    path = tmp_path / "page.html"
    path.write_bytes(text.encode(encoding))
    assert read_file(path).disclosure.unit_name == "某某区教育局"


def test_a_page_saved_without_an_html_name_is_read_by_its_content(tmp_path):
    from yusuan.read.files import sniff

    copy = tmp_path / "download.txt"
    copy.write_bytes(PAGE.read_bytes())
    assert sniff(copy) == "html"
    assert _cells(read_file(copy).disclosure) == _cells(read_file(PAGE).disclosure)


def test_corpus_discovery_takes_html_pages(tmp_path):
    from yusuan.corpus.discover import iter_files

    (tmp_path / "a.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "b.HTM").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "c.css").write_text("p {}", encoding="utf-8")
    assert [p.name for p in iter_files(tmp_path)] == ["a.html", "b.HTM"]


def test_a_menu_beside_the_article_is_a_layout_not_a_grid(tmp_path):
    from yusuan.read.html import read_html_blocks

    article = "".join(f"<p>第{i}段说明文字。" + "预算" * 30 + "</p>" for i in range(20))
    path = tmp_path / "layout.html"
    path.write_text(f"<html><body><table><tr><td><a href='/'>首页</a><br>机构概况</td><td>{article}</td></tr>"
                    "</table></body></html>", encoding="utf-8")
    blocks = read_html_blocks(path)
    assert [type(b).__name__ for b in blocks] == ["Para"] * 22
    assert blocks[2].text.startswith("第0段说明文字。")


def test_a_page_saved_from_word_reads_without_its_office_markup(tmp_path):
    from yusuan.read.html import read_html_blocks

    path = tmp_path / "word.htm"
    path.write_bytes("""<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]--></head>
<body lang=ZH-CN><div class=WordSection1>
<p class=MsoNormal align=center><b><span style='font-size:16.0pt'>2024年部门决算<o:p></o:p></span></b></p>
<p class=MsoNormal><span lang=EN-US><![if !supportEmptyParas]>&nbsp;<![endif]><o:p></o:p></span></p>
<p class=MsoNormal><span>表7<span style='mso-spacerun:yes'>&nbsp; </span>“三公”经费</span><span>支出决算表</span></p>
<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0>
 <tr><td rowspan=2><p class=MsoNormal><span>项目</span></p></td><td colspan=2><p class=MsoNormal>2024<span>年</span></p></td></tr>
 <tr><td><p class=MsoNormal>预算数</p></td><td><p class=MsoNormal>决算数</p></td></tr>
 <tr><td><p class=MsoNormal>合计</p></td><td><p class=MsoNormal align=right>1<span>,</span>200.00</p></td><td>9.8</td></tr>
 <![if !supportMisalignedColumns]><tr height=0 style='display:none'><td width=200></td><td></td></tr><![endif]>
</table></div></body></html>""".encode("gb18030"))
    blocks = read_html_blocks(path)
    assert [getattr(b, "text", None) for b in blocks[:2]] == ["2024年部门决算", "表7\xa0 “三公”经费支出决算表"]
    assert [[c.text for c in row] for row in blocks[2].rows] == [
        ["项目", "2024年"], ["", "预算数", "决算数"], ["合计", "1,200.00", "9.8"]]


def test_columnar_sangong_table_with_merged_labels(tmp_path):
    """Final accounts' 三公 table with one column pair per item (Shanghai): labels merged down two header
    rows over 预算数 | 决算数, as Word and web pages print them (one cell, an empty one below)."""
    pairs = "".join("<td>预算数</td><td>决算数</td>" for _ in range(6))
    figures = "".join(f"<td>{v}</td>" for v in ("12.00", "9.80", "", "", "8.00", "7.20", "", "", "8.00", "7.20", "4.00", "2.60"))
    path = tmp_path / "sangong.html"
    path.write_text(f"""<html><body><p>某某区教育局2024年度部门决算</p><p>第二部分　2024年度部门决算表</p>
<p>财政拨款“三公”经费支出决算表</p><p>编制部门：某某区教育局　单位：万元</p>
<table border=1><tr><td colspan=2 rowspan=2>合计</td><td colspan=2 rowspan=2>因公出国（境）费</td>
<td colspan=6>公务用车购置及运行费</td><td colspan=2 rowspan=2>公务接待费</td></tr>
<tr><td colspan=2>小计</td><td colspan=2>公务用车购置费</td><td colspan=2>公务用车运行费</td></tr>
<tr>{pairs}</tr><tr>{figures}</tr></table></body></html>""", encoding="utf-8")
    result = read_file(path)
    t = result.disclosure.table("sangong")
    assert [r.key for r in t.rows] == ["sangong:total", "sangong:abroad", "sangong:vehicle", "sangong:vehicle_purchase",
                                       "sangong:vehicle_operation", "sangong:reception"]
    assert (t.value("sangong:total", "budget"), t.value("sangong:total", "actual")) == (D("12.00"), D("9.80"))
    assert t.value("sangong:abroad", "actual") is None and t.value("sangong:reception", "actual") == D("2.60")
    assert not [f for f in result.findings if f.rule == "R.TABLE.HEADER"]
