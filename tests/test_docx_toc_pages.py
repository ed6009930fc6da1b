"""The Word contents carry page numbers without a field update (issue 14, item 6): LibreOffice
paginates the document once and each entry gets the page its heading is printed on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from yusuan.cli import app
from yusuan.render import docx_pages
from yusuan.render.docx_pages import _entry_text, _norm, fill_toc_pages, pages_of, toc_paragraphs

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "changji-natural-resources-2023"
needs_soffice = pytest.mark.skipif(docx_pages.soffice() is None, reason="未安装 LibreOffice（soffice），无法分页")


def test_pages_of_searches_forward_and_leaves_unfound_blank():
    pages = ["封面", "目录 第一部分 表1 收入", "第一部分 概况", "表1　收入\n总表", "第 5 页 表 2 支 出"]
    # the contents page (2) lists every heading too: the search starts after it
    assert pages_of(["第一部分", "表1 收入总表", "表2支出", "表3"], pages, 3) == [3, 4, 5, None]
    # a heading printed before the previous one's page is not taken from there
    assert pages_of(["表1收入", "第一部分"], pages, 3) == [4, None]


def test_norm_ignores_spaces_and_quotes():
    assert _norm("表10\u3000财政拨款“三公”经费") == _norm('表 10 " " 财政拨款 三公 经费')


def test_without_libreoffice_the_contents_stay_as_they_are(tmp_path, monkeypatch):
    from yusuan.compose import compose
    from yusuan.load import load_package
    from yusuan.render.docx import write_docx

    path = write_docx(compose(load_package(EXAMPLE)), tmp_path / "d.docx")
    before = path.read_bytes()
    monkeypatch.setattr(docx_pages, "soffice", lambda: None)
    assert fill_toc_pages(path) is None
    assert path.read_bytes() == before


@needs_soffice
def test_built_word_file_has_page_numbers_that_match_its_pages(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(EXAMPLE), "-o", str(out), "--format", "docx"])
    assert result.exit_code in (0, 1), result.output
    path = next(out.glob("*.docx"))
    paras = toc_paragraphs(Document(str(path)))
    numbered = [(_entry_text(p), "".join(r.text for r in p.runs).split("\t")) for p in paras]
    assert len(numbered) >= 20
    pages = [int(parts[1]) for _, parts in numbered if len(parts) == 2]
    assert len(pages) == len(numbered), [t for t, parts in numbered if len(parts) != 2]
    assert pages == sorted(pages) and pages[0] >= 3  # cover and contents come first
    # the TOC is still a field Word can update
    xml = Document(str(path)).element.xml
    assert "TOC \\o" in xml and 'w:fldCharType="end"' in xml
    # each number is the page LibreOffice prints the heading on (paginate the finished file again)
    texts = docx_pages._paginate(path, docx_pages.soffice(), tmp_path)
    for (title, _), page in zip(numbered, pages):
        assert _norm(title) in _norm(texts[page - 1]), (title, page)


@needs_soffice
def test_libreoffice_failure_is_a_note_not_a_crash(tmp_path, monkeypatch):
    from yusuan.compose import compose
    from yusuan.load import load_package
    from yusuan.render import render

    def broken(*a, **k):
        raise subprocess.TimeoutExpired("soffice", 1)

    monkeypatch.setattr(docx_pages, "_paginate", broken)
    notes: list[str] = []
    written = render(compose(load_package(EXAMPLE)), tmp_path, ["docx"], toc_pages=True, notes=notes)
    assert written["docx"].exists()
    assert notes and "目录" in notes[0]
