"""The PDFs `yusuan build` writes for the final-account examples pass `qpdf --check`, and poppler's `pdfinfo`
and `pdftoppm` read every page without printing an error (issue 14: a viewer or an archive that complains
about a published file is a defect of the file, whatever it shows)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yusuan.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ["final-account-2024", "putuo-finance-final-2024"]

pytestmark = pytest.mark.skipif(
    not (shutil.which("qpdf") and shutil.which("pdftoppm") and shutil.which("pdfinfo")),
    reason="qpdf / poppler-utils 未安装（make system-deps）")


@pytest.mark.parametrize("example", EXAMPLES)
def test_built_final_account_pdf_passes_qpdf_and_poppler(tmp_path, example):
    result = CliRunner().invoke(app, ["build", str(ROOT / "examples" / example), "-o", str(tmp_path), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    [pdf] = [p for p in tmp_path.glob("*.pdf") if "校验报告" not in p.name]
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout, check.stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
    assert info.returncode == 0 and info.stderr.strip() == "", info.stderr
    pages = int(next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:")))
    assert pages >= 5  # the nine tables and the text: a one-page file would be a broken build
    # every page rasterised (at a low resolution: the point is that poppler reads each page without complaint)
    shown = subprocess.run(["pdftoppm", "-r", "8", "-png", str(pdf), str(tmp_path / "page")],
                           capture_output=True, text=True)
    assert shown.returncode == 0 and shown.stderr.strip() == "", shown.stderr
    assert len(list(tmp_path.glob("page*.png"))) == pages
