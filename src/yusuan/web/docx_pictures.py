"""Page pictures of an annotated Word file: LibreOffice converts the annotated DOCX (its shaded
cells and highlighted paragraphs, its Word comments) to PDF with the comments exported as PDF notes;
the note texts start with the finding's number (``annotate.note_text``: "3. [警告] …"), so the notes
tell on which page each finding is. The pages are then drawn like a PDF's (``jobs._pictures``),
each note's number written beside its icon.

LibreOffice missing is not a failure of the audit: ``convert`` returns None and the page says so.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from pathlib import Path

SOFFICE_TIMEOUT = 180
EXPORT_NOTES = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
NO_LIBREOFFICE = "未安装 LibreOffice（soffice），Word 文件无法生成页面图片：请下载标注副本查看着色和批注。"
_NUMBER = re.compile(r"\s*(\d+)\.\s*\[")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx: Path, workdir: Path) -> Path | None:
    """The DOCX as PDF (notes exported); None without LibreOffice; RuntimeError when it fails."""
    exe = soffice()
    if exe is None:
        return None
    profile = workdir / "lo-profile"  # a private profile: a LibreOffice already running does not block us
    out = workdir / "pdf"
    proc = subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", EXPORT_NOTES,
                           "--outdir", str(out), str(docx)], capture_output=True, text=True, timeout=SOFFICE_TIMEOUT)
    pdf = out / f"{docx.stem}.pdf"
    if proc.returncode != 0 or not pdf.exists():
        raise RuntimeError((proc.stderr or proc.stdout or "").strip()[:300] or "LibreOffice 未输出 PDF")
    return pdf


def _contents(raw, annot) -> str:
    import pypdfium2.raw as R

    size = R.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)
    if size <= 2:
        return ""
    buf = ctypes.create_string_buffer(size)
    R.FPDFAnnot_GetStringValue(annot, b"Contents", ctypes.cast(buf, ctypes.POINTER(R.FPDF_WCHAR)), size)
    return buf.raw.decode("utf-16-le", errors="replace").rstrip("\x00")


def notes_by_page(pdf: Path) -> dict[int, list[tuple[int, tuple[float, float, float, float]]]]:
    """Page (1-based) → [(finding number, note rectangle in PDF points)] read from the PDF's notes."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    out: dict[int, list] = {}
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for index in range(len(doc)):
            page = doc[index]
            for k in range(R.FPDFPage_GetAnnotCount(page.raw)):
                annot = R.FPDFPage_GetAnnot(page.raw, k)
                try:
                    if R.FPDFAnnot_GetSubtype(annot) != R.FPDF_ANNOT_TEXT:
                        continue
                    m = _NUMBER.match(_contents(page.raw, annot))
                    if not m:
                        continue
                    rect = R.FS_RECTF()
                    R.FPDFAnnot_GetRect(annot, ctypes.byref(rect))
                    out.setdefault(index + 1, []).append((int(m.group(1)), (rect.left, rect.bottom, rect.right, rect.top)))
                finally:
                    R.FPDFPage_CloseAnnot(annot)
            page.close()
    finally:
        doc.close()
    return out


def label(image, notes, page_height: float, scale: float):
    """Each note's finding number beside its icon (the icon alone does not say which finding it is)."""
    from PIL import ImageDraw, ImageFont

    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", int(14 * scale))
    except OSError:  # no DejaVu: Pillow's own font (scalable since Pillow 10.1)
        font = ImageFont.load_default(size=int(14 * scale))
    for n, (left, _bottom, right, top) in notes:
        text = str(n)
        width = draw.textlength(text, font=font)
        x, y = left * scale - width - 8, (page_height - top) * scale  # left of the icon, which it would cover
        box = draw.textbbox((x, y), text, font=font)
        draw.rectangle((box[0] - 2, box[1] - 1, box[2] + 2, box[3] + 1), fill=(200, 30, 30))
        draw.text((x, y), text, fill="white", font=font)
    return image
