"""The PDF speed measures (src/yusuan/render/pdf.py, the template's TOC leaders) keep their promises.

The cyclic garbage collector is paused only while WeasyPrint works and is switched back on after
(also after a failure); the cheaper table-of-contents leaders still print dots and page numbers,
with either engine.
"""

from __future__ import annotations

import gc
import re

import pypdfium2
import pytest
from render_fixture import hand_disclosure

from yusuan.render.html import render_html
from yusuan.render.pdf import ENGINES, gc_paused, write_pdf


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_gc_paused_switches_the_collector_off_and_back_on(collector_on):
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gc_paused_switches_back_on_after_a_failure(collector_on):
    with pytest.raises(RuntimeError):
        with gc_paused():
            raise RuntimeError("WeasyPrint failed")
    assert gc.isenabled()


def test_gc_paused_leaves_a_collector_that_was_off_off(collector_on):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_write_pdf_renders_with_the_collector_paused(collector_on, monkeypatch, tmp_path):
    import weasyprint

    seen = []
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, target: seen.append(gc.isenabled()))
    write_pdf(hand_disclosure(), tmp_path / "x.pdf", engine="weasyprint")
    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.parametrize("engine", ENGINES)
def test_toc_lines_have_dot_leaders_and_page_numbers(tmp_path, engine):
    d = hand_disclosure()
    path = write_pdf(d, tmp_path / "toc.pdf", engine=engine)
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page_count = len(pdf)
        toc_text = pdf[1].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert "目" in toc_text and "录" in toc_text
    entries = [ln for ln in toc_text.splitlines() if re.search(r"\.{8,}\s*\d+\s*$", ln)]
    html = render_html(d)
    assert len(entries) == html.count('<li class="l1">') + html.count('<li class="l2">')
    numbers = [int(re.search(r"(\d+)\s*$", ln).group(1)) for ln in entries]
    assert numbers == sorted(numbers) and 2 < numbers[0] and numbers[-1] <= page_count
