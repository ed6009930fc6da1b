"""Unusable inputs: each gives a clear Chinese message and exit status 2, never a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest

from yusuan.errors import InputError
from yusuan.read import read_file

from tests.conftest import SHANGHAI

SAMPLE = SHANGHAI / "putuo-finance-bureau-2025-dept-budget.pdf"


def _plain_pdf(path, text: str = "Hello"):
    """A one-page PDF with an unrelated text layer (WeasyPrint)."""
    from weasyprint import HTML

    HTML(string=f"<p>{text}</p>").write_pdf(path)
    return path


@pytest.fixture
def sample():
    if not SAMPLE.exists():
        pytest.skip(f"参考文件不存在：{SAMPLE}")
    return SAMPLE


def truncated(tmp_path, sample):
    p = tmp_path / "truncated.pdf"
    p.write_bytes(sample.read_bytes()[:20000])
    return p


def not_docx(tmp_path, sample):
    p = tmp_path / "report.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "不是 Word 文件")
    return p


def encrypted(tmp_path, sample):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(sample)).pages[:2]:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    p = tmp_path / "locked.pdf"
    with open(p, "wb") as fh:
        writer.write(fh)
    return p


def image_only(tmp_path, sample):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(sample))
    image = doc[8].render(scale=1).to_pil().convert("RGB")
    doc.close()
    p = tmp_path / "scan.pdf"
    image.save(p, "PDF", resolution=72)
    return p


def unrelated(tmp_path, sample):
    return _plain_pdf(tmp_path / "poem.pdf", "床前明月光，疑是地上霜。举头望明月，低头思故乡。")


def unrelated_docx(tmp_path, sample):
    import docx

    document = docx.Document()
    document.add_paragraph("会议纪要")
    document.add_paragraph("本周例会讨论了办公室搬迁和年度体检安排。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "科室"
    p = tmp_path / "minutes.docx"
    document.save(p)
    return p


CASES = {
    truncated: "损坏",
    not_docx: "不是 Word",
    encrypted: "密码",
    image_only: "扫描件（无文字层）",
    unrelated: "不是预算公开文件",
    unrelated_docx: "不是预算公开文件",
}


@pytest.mark.parametrize("make", list(CASES), ids=lambda f: f.__name__)
def test_read_file_raises_a_clear_input_error(tmp_path, sample, make):
    path = make(tmp_path, sample)
    with pytest.raises(InputError) as info:
        read_file(path)
    message = str(info.value)
    assert CASES[make] in message
    assert path.name in message


@pytest.mark.parametrize("make", list(CASES), ids=lambda f: f.__name__)
def test_audit_cli_exits_2_without_traceback(tmp_path, sample, make):
    from typer.testing import CliRunner

    from yusuan.cli import app

    try:
        import yusuan.commands.audit  # noqa: F401
    except ImportError:
        pytest.skip("yusuan audit 尚不可用")
    path = make(tmp_path, sample)
    result = CliRunner().invoke(app, ["audit", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert CASES[make] in result.output


def test_long_document_is_read_page_by_page(tmp_path, sample):
    """Eight copies of a package: eight times the tables (time per page is in the benchmark)."""
    from pypdf import PdfReader, PdfWriter

    from yusuan.read.blocks import Grid
    from yusuan.read.pdf import read_pdf_blocks

    writer = PdfWriter()
    reader = PdfReader(str(sample))
    for _ in range(8):
        for page in reader.pages:
            writer.add_page(page)
    p = tmp_path / "long.pdf"
    with open(p, "wb") as fh:
        writer.write(fh)
    one = sum(isinstance(b, Grid) for b in read_pdf_blocks(sample))
    eight = sum(isinstance(b, Grid) for b in read_pdf_blocks(p))
    assert eight == 8 * one


def test_scanned_page_inside_a_text_pdf_is_reported_not_dropped(tmp_path, sample):
    """One image-only page inserted as page 4 of a package: everything else is read as before, and
    the page becomes a reading finding naming it; a blank page (no text, no image) is not a scan."""
    from pypdf import PdfReader, PdfWriter

    scan = PdfReader(str(image_only(tmp_path, sample))).pages[0]
    reader = PdfReader(str(sample))
    writer = PdfWriter()
    for i, page in enumerate(reader.pages):
        if i == 3:
            writer.add_page(scan)
            writer.add_blank_page(width=float(page.mediabox.width), height=float(page.mediabox.height))
        writer.add_page(page)
    mixed = tmp_path / "mixed.pdf"
    with open(mixed, "wb") as fh:
        writer.write(fh)

    plain, result = read_file(sample), read_file(mixed)
    pages = [f for f in result.findings if f.rule == "R.PAGE.NO_TEXT"]
    assert [f.location.page for f in pages] == [4]
    assert pages[0].category == "reading" and pages[0].severity == "warning" and "第4页" in pages[0].message
    assert not any(f.rule == "R.PAGE.NO_TEXT" for f in plain.findings)
    assert len(result.disclosure.tables) == len(plain.disclosure.tables) == 9
    assert [s.id for s in result.disclosure.sections] == [s.id for s in plain.disclosure.sections]


def test_scanned_page_is_listed_by_audit(tmp_path, sample):
    from typer.testing import CliRunner

    from yusuan.cli import app
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(str(sample))
    writer.add_page(PdfReader(str(image_only(tmp_path, sample))).pages[0])
    mixed = tmp_path / "tail.pdf"
    with open(mixed, "wb") as fh:
        writer.write(fh)
    result = CliRunner().invoke(app, ["audit", str(mixed), "--format", "json"])
    assert "Traceback" not in result.output
    assert "R.PAGE.NO_TEXT" in result.output and "第25页" in result.output


def test_scanned_page_with_a_stamped_page_number_is_reported(tmp_path, sample):
    """A scan whose only text is a page number stamped on it still cannot be read: reported too."""
    from pypdf import PdfReader, PdfWriter

    scan = PdfReader(str(image_only(tmp_path, sample))).pages[0]
    from weasyprint import HTML

    stamp = tmp_path / "number.pdf"
    size = f"{float(scan.mediabox.width)}pt {float(scan.mediabox.height)}pt"
    HTML(string=f"<style>@page {{ size: {size} }}</style><p>- 9 -</p>").write_pdf(stamp)
    scan.merge_page(PdfReader(str(stamp)).pages[0])
    writer = PdfWriter()
    writer.append(str(sample))
    writer.add_page(scan)
    mixed = tmp_path / "stamped.pdf"
    with open(mixed, "wb") as fh:
        writer.write(fh)
    from yusuan.read.pdf import read_layouts

    assert 0 < read_layouts(mixed)[-1].char_count < 20  # the stamp is there as text
    pages = [f.location.page for f in read_file(mixed).findings if f.rule == "R.PAGE.NO_TEXT"]
    assert pages == [25]
