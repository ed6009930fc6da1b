"""Annotated copies: each located finding is boxed (PDF) or commented (DOCX) where it is printed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.disclosure import Location
from yusuan.findings import Finding

from tests.conftest import EXAMPLE, SHANGHAI

SAMPLE = SHANGHAI / "putuo-finance-bureau-2025-dept-budget.pdf"


def _finding(n: int, location: Location | None, severity: str = "fatal") -> Finding:
    return Finding(rule=f"T.TEST.{n}", severity=severity, category="within-table", message=f"第{n}个问题",
                   location=location)


@pytest.fixture
def sample():
    if not SAMPLE.exists():
        pytest.skip(f"参考文件不存在：{SAMPLE}")
    return SAMPLE


def _annotations(path: Path) -> list[tuple[int, dict]]:
    from pypdf import PdfReader

    out = []
    for i, page in enumerate(PdfReader(str(path)).pages, start=1):
        for a in page.get("/Annots") or []:
            out.append((i, a.get_object()))
    return out


def test_pdf_boxes_each_located_finding_on_its_page(tmp_path, sample):
    from yusuan.annotate import annotate_pdf

    findings = [_finding(1, Location(page=9, bbox=(100.0, 200.0, 180.0, 220.0))),
                _finding(2, Location(page=21, bbox=(60.0, 300.0, 120.0, 320.0)), "warning"),
                _finding(3, None), _finding(4, Location(page=99, bbox=(1.0, 1.0, 2.0, 2.0)))]
    target = tmp_path / "out.pdf"
    assert annotate_pdf(sample, findings, target) == 2
    annots = _annotations(target)
    squares = [(p, a) for p, a in annots if a["/Subtype"] == "/Square"]
    assert [p for p, _ in squares] == [9, 21]
    first = squares[0][1]
    assert "第1个问题" in first["/Contents"] and first["/Contents"].startswith("1.")
    # the box is drawn around the cell: top-left bbox converted to PDF space (origin bottom-left)
    from pypdf import PdfReader

    height = float(PdfReader(str(sample)).pages[8].mediabox.height)
    x0, y0, x1, y1 = (float(v) for v in first["/Rect"])
    assert x0 < 100 < 180 < x1 and y0 < height - 220 < height - 200 < y1
    labels = [a for p, a in annots if a["/Subtype"] == "/FreeText"]
    assert sorted(str(a["/Contents"]) for a in labels) == ["1", "2"]


def test_audit_annotates_a_shared_pdf_where_the_findings_are(tmp_path, sample):
    """Through the CLI: the copy has one box per located finding, on the finding's page."""
    from typer.testing import CliRunner

    from yusuan.cli import app
    from yusuan.commands.audit import audit_file

    report = audit_file(sample)
    located = [f for f in report.findings if f.location and f.location.page and f.location.bbox]
    assert located, "the audit should locate its findings in the PDF"
    result = CliRunner().invoke(app, ["audit", str(sample), "--annotate", str(tmp_path), "-f", "json", "-o", str(tmp_path / "r.json")])
    assert result.exit_code in (0, 1), result.output
    copy = tmp_path / f"{sample.stem}.annotated.pdf"
    squares = [p for p, a in _annotations(copy) if a["/Subtype"] == "/Square"]
    assert len(squares) == len(located)
    assert sorted(squares) == sorted(f.location.page for f in located)


@pytest.fixture(scope="module")
def broken_docx(tmp_path_factory):
    """The Changji example rendered to Word with one income cell changed by 1 万元."""
    try:
        from yusuan.compose import compose
        from yusuan.load import load_package
        from yusuan.render.docx import write_docx
    except ImportError:
        pytest.skip("组成或 Word 生成模块不可用")
    d = compose(load_package(EXAMPLE))
    row = d.table("income").rows[1]
    cell = row.cells["total"]
    cell.value = (cell.value or Decimal(0)) + 1
    cell.text = f"{cell.value:.2f}"
    path = tmp_path_factory.mktemp("docx") / "changji.docx"
    write_docx(d, path)
    return path, row.key


def test_docx_shades_the_cell_and_adds_a_comment(tmp_path, broken_docx):
    import docx
    from docx.oxml.ns import qn

    from yusuan.annotate import annotate_docx
    from yusuan.commands.audit import audit_file

    path, key = broken_docx
    report = audit_file(path)
    ours = [f for f in report.findings if f.severity == "fatal" and f.location and f.location.cell]
    assert ours, "changing a cell must give a located fatal finding"
    target = tmp_path / "out.docx"
    marked = annotate_docx(path, report.findings, target)
    assert marked >= len(ours)
    doc = docx.Document(str(target))
    comments = list(doc.comments)
    assert len(comments) == marked
    assert any(ours[0].message in c.text for c in comments)
    t, r, c = (int(x) for x in ours[0].location.cell[1:].replace("R", " ").replace("C", " ").split())
    tc = doc.element.body.findall(qn("w:tbl"))[t - 1].findall(qn("w:tr"))[r - 1].findall(qn("w:tc"))[c - 1]
    assert tc.find(qn("w:tcPr")).find(qn("w:shd")).get(qn("w:fill")) == "FFF2A8"
    # the original is untouched
    assert not list(docx.Document(str(path)).comments)


def test_text_input_gets_no_copy(tmp_path):
    from yusuan.annotate import annotate_file

    src = tmp_path / "a.txt"
    src.write_text("第一部分", encoding="utf-8")
    assert annotate_file(src, [_finding(1, Location(paragraph=1))], tmp_path / "out") is None


def test_box_lands_on_the_displayed_cell_of_a_rotated_page(tmp_path, sample):
    """Boxes are given as displayed (after /Rotate); the annotation is placed in user space so that
    it is shown around the same cell."""
    import pypdfium2 as pdfium

    from yusuan.annotate import annotate_pdf
    from yusuan.read.pdf_layout import Display
    from tests.test_read_pdf import _rotated_copy

    rotated = _rotated_copy(sample, 9, tmp_path / "rotated.pdf")
    bbox = (63.5, 185.4, 98.6, 210.0)
    target = tmp_path / "out.pdf"
    annotate_pdf(rotated, [_finding(1, Location(page=1, bbox=bbox))], target)
    square = next(a for p, a in _annotations(target) if a["/Subtype"] == "/Square")
    doc = pdfium.PdfDocument(str(target))
    shown = Display(doc[0]).box(*(float(v) for v in square["/Rect"]))
    assert all(abs(x - y) <= 1.5 for x, y in zip(shown, bbox))
