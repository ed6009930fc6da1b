"""Annotated copies of audited files: every located finding boxed and numbered where it is printed.

PDF: a red rectangle annotation around the cell or paragraph (``Location.page`` and ``bbox``, points
from the top-left), with the finding number beside it and the message as the annotation's note.
DOCX: the offending table cell shaded yellow (paragraph runs highlighted) and a Word comment with
the number and the message. Both are ordinary annotations any viewer shows; the document content is
not changed. pypdf (BSD) and python-docx (MIT) only.
"""

from __future__ import annotations

import re
from pathlib import Path

from yusuan.findings import Finding

_COLOURS = {"fatal": (0.85, 0.1, 0.1), "warning": (0.95, 0.55, 0.0), "info": (0.2, 0.4, 0.85)}
_SEVERITY = {"fatal": "错误", "warning": "警告", "info": "提示"}


def numbered(findings: list[Finding]) -> list[tuple[int, Finding]]:
    """Findings in report order, numbered from 1 (the numbers printed in the copy)."""
    return list(enumerate(findings, start=1))


def note_text(n: int, f: Finding) -> str:
    """The annotation's note: number, severity, rule and message, and what the finding read (原文：…)."""
    from yusuan.rules.report import quote_line

    quoted = quote_line(f)
    return f"{n}. [{_SEVERITY[f.severity]}] {f.rule}：{f.message}" + (f"\n{quoted}" if quoted else "")


def annotate_file(source: Path, findings: list[Finding], out_dir: Path) -> tuple[Path, int] | None:
    """Write ``out_dir/<name>.annotated<ext>``; returns (path, number of findings marked), or None
    when the format cannot carry annotations (extracted text, XLSX)."""
    source = Path(source)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{source.stem}.annotated{source.suffix.lower()}"
    head = source.read_bytes()[:4]
    if head.startswith(b"%PDF"):
        return target, annotate_pdf(source, findings, target)
    if head.startswith(b"PK") and source.suffix.lower() == ".docx":
        return target, annotate_docx(source, findings, target)
    return None


# -- PDF -----------------------------------------------------------------------------------------
def annotate_pdf(source: Path, findings: list[Finding], target: Path) -> int:
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import FreeText, Rectangle
    from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

    reader = PdfReader(str(source))
    writer = PdfWriter(clone_from=reader)
    marked = 0
    for n, f in numbered(findings):
        loc = f.location
        if loc is None or loc.page is None or loc.bbox is None or not 1 <= loc.page <= len(writer.pages):
            continue
        page = writer.pages[loc.page - 1]
        rect = user_rect(page, loc.bbox)
        colour = _COLOURS[f.severity]
        square = Rectangle(rect=rect)
        square[NameObject("/C")] = ArrayObject([FloatObject(c) for c in colour])
        square[NameObject("/Contents")] = TextStringObject(note_text(n, f))
        square[NameObject("/T")] = TextStringObject("yusuan")
        writer.add_annotation(page_number=loc.page - 1, annotation=square)
        label = FreeText(text=str(n), rect=(rect[2] + 1, rect[3] - 11, rect[2] + 19, rect[3]),
                         font_size="9pt", font_color="%02x%02x%02x" % tuple(int(c * 255) for c in colour),
                         border_color=None, background_color="ffffff")
        writer.add_annotation(page_number=loc.page - 1, annotation=label)
        marked += 1
    with open(target, "wb") as fh:
        writer.write(fh)
    return marked


def user_rect(page, bbox: tuple[float, float, float, float], pad: float = 1.0) -> tuple[float, float, float, float]:
    """A displayed box (points from the top-left of the page as shown, after /Rotate) in the page's
    user space, where annotations are placed."""
    box = page.cropbox
    left, bottom, width, height = float(box.left), float(box.bottom), float(box.width), float(box.height)
    rotation = (page.get("/Rotate") or 0) % 360
    x0, top, x1, low = bbox

    def user(x: float, y: float) -> tuple[float, float]:
        if rotation == 90:
            return left + y, bottom + x
        if rotation == 180:
            return left + width - x, bottom + y
        if rotation == 270:
            return left + width - y, bottom + height - x
        return left + x, bottom + height - y

    (ax, ay), (bx, by) = user(x0, top), user(x1, low)
    return min(ax, bx) - pad, min(ay, by) - pad, max(ax, bx) + pad, max(ay, by) + pad


# -- DOCX ----------------------------------------------------------------------------------------
_CELL = re.compile(r"^T(\d+)R(\d+)C(\d+)$")


def annotate_docx(source: Path, findings: list[Finding], target: Path) -> int:
    """Locations follow ``yusuan.read.docx``: ``cell="T<t>R<r>C<c>"`` counts body tables, rows and
    ``w:tc`` elements from 1; ``paragraph`` counts body paragraphs from 1."""
    import docx
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(source))
    body = document.element.body
    tables = body.findall(qn("w:tbl"))
    paragraphs = body.findall(qn("w:p"))
    marked = 0
    for n, f in numbered(findings):
        loc = f.location
        if loc is None:
            continue
        note = note_text(n, f)
        targets: list = []
        m = _CELL.match(loc.cell or "")
        if m:
            t, r, c = (int(g) for g in m.groups())
            try:
                tc = tables[t - 1].findall(qn("w:tr"))[r - 1].findall(qn("w:tc"))[c - 1]
            except IndexError:
                continue
            cell = _Cell(tc, None)
            _shade(tc, OxmlElement, qn)
            targets = [p for p in cell.paragraphs]
        elif loc.paragraph is not None and 1 <= loc.paragraph <= len(paragraphs):
            targets = [Paragraph(paragraphs[loc.paragraph - 1], document._body)]
            for run in targets[0].runs:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            continue
        runs = [run for p in targets for run in p.runs]
        if not runs:
            runs = [targets[0].add_run("")]
        document.add_comment(runs, text=note, author="yusuan", initials="YS")
        marked += 1
    document.save(str(target))
    return marked


def _shade(tc, OxmlElement, qn) -> None:
    props = tc.find(qn("w:tcPr"))
    if props is None:
        props = OxmlElement("w:tcPr")
        tc.insert(0, props)
    for old in props.findall(qn("w:shd")):
        props.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), "FFF2A8")
    props.append(shd)
