"""Paragraphs of a PDF across page breaks, and the contents list (src/yusuan/read/pdf.py, document.py).

The PDFs are typeset here with Typst (a dependency of the PDF output), so each case is exactly the
layout it names: a paragraph cut by a page break in mid-sentence, one that ends at the page's foot
before a new indented paragraph, and a contents page with dot leaders.
"""

from __future__ import annotations

import json

import pytest

typst = pytest.importorskip("typst")

from yusuan.read.blocks import Para  # noqa: E402
from yusuan.read.pdf import read_pdf_blocks  # noqa: E402

PREAMBLE = """#set page(paper: "a5", margin: 20mm, footer: context align(center)[第 #counter(page).display() 页])
#set text(font: "Noto Serif CJK SC", size: 11pt, lang: "zh", cjk-latin-spacing: none, top-edge: "ascender",
  bottom-edge: "descender")
#set par(justify: true, leading: 0.6em, spacing: 4pt, first-line-indent: (amount: 2em, all: true))
#let d = json(bytes(sys.inputs.at("data")))
"""


def _pdf(tmp_path, body: str, data: dict, pages: int | None = None) -> list:
    src = (PREAMBLE + body).encode()
    path = tmp_path / "p.pdf"
    path.write_bytes(typst.compile(src, format="pdf", sys_inputs={"data": json.dumps(data, ensure_ascii=False)}))
    if pages is not None:  # the case needs the layout it names
        import pypdfium2

        doc = pypdfium2.PdfDocument(str(path))
        assert len(doc) == pages
        doc.close()
    return read_pdf_blocks(path)


def _paras(blocks) -> list[Para]:
    return [b for b in blocks if isinstance(b, Para)]


def _long(n: int, end: str) -> str:
    base = "本部门按照全口径预算的原则将所有收入和支出均纳入部门预算管理"
    return "".join(base for _ in range(n)) + end


def test_a_paragraph_cut_by_a_page_break_is_read_whole(tmp_path):
    long = _long(40, "，其中基本支出1174.93万元。")
    blocks = _pdf(tmp_path, "#par(d.a)\n#par(d.b)\n", {"a": long, "b": "第二段。"}, pages=2)
    paras = [p for p in _paras(blocks) if not p.text.startswith("第") or "段" in p.text]
    assert [p.text for p in paras] == [long, "第二段。"]
    assert paras[0].location.page == 1  # located where it starts


def test_a_paragraph_ending_its_sentence_at_the_foot_stays_apart(tmp_path):
    # fill page 1 exactly with complete sentences, then an indented paragraph on page 2
    first = [_long(1, "。") for _ in range(20)]
    body = "#for t in d.first { par(t) }\n#par(d.second)\n"
    blocks = _pdf(tmp_path, body, {"first": first, "second": "新的一段从这里开始。"}, pages=2)
    texts = [p.text for p in _paras(blocks)]
    assert "新的一段从这里开始。" in texts
    assert all(t == first[0] for t in texts if t != "新的一段从这里开始。")


@pytest.mark.parametrize("prev_open, text, indented, joined", [
    (True, "保险缴费55.40万元。", False, True),          # mid-sentence at the margin, next page goes on
    (True, "（二）政府采购情况", False, False),         # a numbered heading starts anew
    (True, "二、机构设置及人员情况", False, False),
    (True, "新的一段。", True, False),                  # an indented first line starts a paragraph
    (False, "保险缴费55.40万元。", False, False),       # the page ended the sentence or a short line
])
def test_which_page_top_paragraph_continues_the_last_one(prev_open, text, indented, joined):
    from yusuan.read.pdf import runs_over

    assert runs_over(Para("……城镇职工基本医疗", open_end=prev_open), Para(text, indented=indented)) is joined


def test_contents_lines_are_not_read_as_headings_or_text(tmp_path):
    from yusuan.read.document import assemble

    body = """
#align(center)[目　录]
#for e in d.toc { block(e.t + box(width: 1fr, repeat[.]) + e.p) }
#pagebreak()
#align(center)[第一部分　某某县自然资源局概况]
#par[本局负责全县自然资源管理。]
#align(center)[第四部分　名词解释]
#par[一、财政拨款：指一般公共预算拨款。]
#v(24pt)
#align(right)[某某县自然资源局]
"""
    toc = [{"t": "第一部分　某某县自然资源局概况", "p": "3"}, {"t": "一、主要职能", "p": "3"},
           {"t": "第四部分　名词解释", "p": "9"}]
    blocks = _pdf(tmp_path, body, {"toc": toc})
    d = assemble(blocks, file="p.pdf").disclosure
    assert d.unit_name == "某某县自然资源局"
    assert d.signature == "某某县自然资源局"
    assert not any("..." in p.text for s in d.sections for p in s.paragraphs)
