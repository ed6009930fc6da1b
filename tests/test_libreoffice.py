"""Our DOCX and XLSX open in LibreOffice: `soffice --headless --convert-to pdf` succeeds and the
converted pages carry the tables' text."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from render_fixture import disclosure_under_test
from yusuan.render.docx import write_docx
from yusuan.render.xlsx import write_xlsx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="未安装 LibreOffice（soffice），无法检查 DOCX/XLSX 能否打开")


def _convert(src, out_dir) -> str:
    # A private profile dir keeps parallel runs (and other users' LibreOffice) from blocking us.
    profile = out_dir / "lo-profile"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(src)],
        capture_output=True, text=True, timeout=240,
    )
    pdf = out_dir / (src.stem + ".pdf")
    assert proc.returncode == 0 and pdf.exists(), proc.stderr
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= 3
        return "\n".join((p.extract_text() or "") for p in doc.pages)


def test_docx_opens_in_libreoffice(tmp_path):
    d = disclosure_under_test()
    text = _convert(write_docx(d, tmp_path / "disclosure.docx"), tmp_path).replace(" ", "")
    for t in d.tables:
        assert t.title.replace(" ", "") in text
    total = d.table("income").row("total")
    assert f"{total.value('total'):.2f}" in text


def test_xlsx_opens_in_libreoffice(tmp_path):
    d = disclosure_under_test()
    text = _convert(write_xlsx(d, tmp_path / "disclosure.xlsx"), tmp_path).replace(" ", "")
    for t in d.tables:
        assert t.title.replace(" ", "") in text
    total = d.table("income").row("total")
    assert f"{total.value('total'):.2f}" in text
