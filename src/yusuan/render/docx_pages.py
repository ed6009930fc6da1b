"""Page numbers in the Word table of contents, without a manual field update.

Word computes a TOC field's page numbers only when the field is updated (F9, or on opening when the
document asks to with ``updateFields``, which also shows a prompt). So that the contents page of the
file we hand out already carries page numbers, we let LibreOffice paginate the document once
(``soffice --convert-to pdf``), find on which page each heading is printed and write those numbers
into the field's current result. The field stays a real TOC field: Word recomputes it for its own
pagination when it updates fields.

There is no pure-Python layout engine for Word documents, hence LibreOffice (already a dependency of
the tests and of reading .doc/.xls files). Without it the TOC keeps its headings without numbers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn

SOFFICE_TIMEOUT = 300


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_IGNORED = str.maketrans("", "", "\u3000“”‘’\"'「」")


def _norm(text: str) -> str:
    """Text without spaces and quotation marks: a PDF's text layer breaks lines anywhere and may give
    curly quotes as straight ones or drop them."""
    return "".join(text.split()).translate(_IGNORED)


def toc_paragraphs(doc) -> list:
    """The paragraphs holding the TOC field's result (from the one with its ``begin`` to its ``end``)."""
    out, inside = [], False
    for p in doc.paragraphs:
        el = p._p
        if not inside and any((t.text or "").strip().startswith("TOC") for t in el.iter(qn("w:instrText"))):
            inside = True
        if inside:
            out.append(p)
            if any(fc.get(qn("w:fldCharType")) == "end" for fc in el.iter(qn("w:fldChar"))):
                break
    return out


def _entry_text(p) -> str:
    """An entry's heading text: its runs' text before any tab (a page number may follow one)."""
    return "".join(r.text for r in p.runs).split("\t")[0]


def pages_of(entries: list[str], page_texts: list[str], first_page: int) -> list[int | None]:
    """For each heading, in order, the 1-based page where it is first printed at or after the page of
    the heading before (and after the contents pages, ``first_page`` being the first page to search).
    A heading not found gets ``None`` (no number is better than a wrong one)."""
    pages = [_norm(t) for t in page_texts]
    out: list[int | None] = []
    at = first_page - 1
    for entry in entries:
        key = _norm(entry)
        found = None
        if key:
            for i in range(at, len(pages)):
                if key in pages[i]:
                    found = i
                    break
        out.append(None if found is None else found + 1)
        if found is not None:
            at = found
    return out


def _pdf_page_texts(pdf: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        texts = []
        for page in doc:
            tp = page.get_textpage()
            texts.append(tp.get_text_range())
            tp.close()
            page.close()
        return texts
    finally:
        doc.close()


def _paginate(path: Path, exe: str, workdir: Path) -> list[str]:
    profile = workdir / "lo-profile"  # a private profile: a running LibreOffice does not block us
    proc = subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(workdir), str(path)],
        capture_output=True, text=True, timeout=SOFFICE_TIMEOUT,
    )
    pdf = workdir / (path.stem + ".pdf")
    if proc.returncode != 0 or not pdf.exists():
        raise RuntimeError((proc.stderr or proc.stdout or "").strip()[:300] or "LibreOffice 未输出 PDF")
    return _pdf_page_texts(pdf)


def fill_toc_pages(path: Path) -> tuple[int, int] | None:
    """Write page numbers into the TOC of the Word file at ``path`` (in place, replaced whole).
    Returns (entries numbered, entries) or ``None`` when LibreOffice is not installed. Raises
    RuntimeError when LibreOffice fails on the file."""
    exe = soffice()
    if exe is None:
        return None
    doc = Document(str(path))
    paras = toc_paragraphs(doc)
    if not paras:
        return (0, 0)
    entries = [_entry_text(p) for p in paras]
    with tempfile.TemporaryDirectory(prefix="yusuan-toc-") as tmp:
        work = Path(tmp)
        copy = work / "paginate.docx"
        shutil.copyfile(path, copy)
        texts = _paginate(copy, exe, work)
        # the contents pages themselves list every heading: search after the page with the last entry
        toc_end = pages_of(["目录"] + entries[-1:], texts, 1)[-1] or 1
        pages = pages_of(entries, texts, toc_end + 1)
        section = doc.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        for p, page in zip(paras, pages):
            if page is None:
                continue
            p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            last = p.runs[-1] if p.runs else p.add_run()
            if any(fc.get(qn("w:fldCharType")) == "end" for fc in last._r.iter(qn("w:fldChar"))):
                # keep the field's end after the number: the number is part of the field's result
                last._r.addprevious(p.add_run(f"\t{page}")._r)
            else:
                p.add_run(f"\t{page}")
        out = path.with_name(f".{path.name}.toc")  # beside the file: os.replace swaps it in whole
        try:
            doc.save(str(out))
            os.replace(out, path)
        finally:
            out.unlink(missing_ok=True)
    return (sum(1 for x in pages if x is not None), len(entries))
