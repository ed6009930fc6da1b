"""Word document (python-docx): title page, TOC field, page numbers, real tables with merged headers
that repeat across pages, landscape sections for wide tables, performance tables merged like the
printed ones, glossary, signature and date. CJK text uses Noto Serif CJK SC with 宋体 named as the
East Asian fallback that Word users have."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from yusuan.disclosure import Disclosure
from yusuan.render.document import cover_title, parts, section_title
from yusuan.render.layout import (
    DRAFT_MARK, PERF_WIDTHS, Grid, PerfLayout, body_spans, cell_lines, field_spans, font_size, perf_merges,
)

BODY_FONT = ("Noto Serif CJK SC", "宋体")  # (font name, East Asian name written for Word)
HEAD_FONT = ("Noto Sans CJK SC", "黑体")
CELL_MARGIN_TWIPS = 40  # left and right of every table cell (2 pt; see _add_table)
CELL_MARGINS_PT = 2 * CELL_MARGIN_TWIPS / 20
MARGIN = Mm(15)


def _set_fonts(style_or_run, latin: str, east_asia: str) -> None:
    el = style_or_run.element if hasattr(style_or_run, "element") else style_or_run._element
    rpr = el.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), name)


def _font_fallbacks(doc) -> None:
    """Name 宋体/黑体 as the alternates of the Noto CJK fonts in the font table: Word on a Chinese
    Windows without Noto uses them; LibreOffice on Linux finds Noto itself."""
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            root = etree.fromstring(part.blob)
            for name, alt, family in ((BODY_FONT[0], BODY_FONT[1], "roman"), (HEAD_FONT[0], HEAD_FONT[1], "swiss")):
                font = etree.SubElement(root, qn("w:font"))
                font.set(qn("w:name"), name)
                for tag, val in (("w:altName", alt), ("w:charset", "86"), ("w:family", family)):
                    etree.SubElement(font, qn(tag)).set(qn("w:val"), val)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    _set_fonts(normal, BODY_FONT[0], BODY_FONT[0])
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 12)):
        st = doc.styles[name]
        st.font.size = Pt(size)
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.font.bold = True
        _set_fonts(st, HEAD_FONT[0], HEAD_FONT[0])


def _field(paragraph, instr: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC …); Word/LibreOffice compute it when the document is opened/updated."""
    run = paragraph.add_run()
    for tag, attrs in (("w:fldChar", {"w:fldCharType": "begin"}),):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        run._r.append(el)
    instr_el = OxmlElement("w:instrText")
    instr_el.set(qn("xml:space"), "preserve")
    instr_el.text = instr
    run._r.append(instr_el)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(placeholder)
    end_run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    end_run._r.append(end)


def _fld_char(run, kind: str) -> None:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    run._r.append(el)


def _toc(doc, d: Disclosure) -> None:
    """A TOC field whose current result already lists the headings (without page numbers), so the
    contents page is not empty before Word updates the field (it asks to on opening, updateFields)."""
    entries: list[tuple[int, str]] = []
    for part in parts(d):
        entries.append((0, part.heading))
        entries += [(1, section_title(s)) for s in part.sections if section_title(s)]
        entries += [(1, f"{g.number}　{g.title}" if g.number else g.title) for g in part.grids]
        if part.perf:
            entries.append((1, part.perf_heading))
    for i, (level, text) in enumerate(entries):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Pt(22 * level)
        p.paragraph_format.space_after = Pt(2)
        if i == 0:
            begin = p.add_run()
            _fld_char(begin, "begin")
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = 'TOC \\o "1-2" \\h \\z \\u'
            begin._r.append(instr)
            _fld_char(begin, "separate")
        p.add_run(text)
        if i == len(entries) - 1:
            _fld_char(p.add_run(), "end")


def _own_paragraph(part):
    """The first paragraph of a section's header or footer, emptied and no longer shared with the
    section before (Word links a new section's header and footer to the previous one's)."""
    part.is_linked_to_previous = False
    p = part.paragraphs[0]
    p.text = ""
    return p


def _setup_section(section, landscape: bool, draft: bool) -> None:
    w, h = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (h, w) if landscape else (w, h)
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = Mm(18)
    p = _own_paragraph(section.footer)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("第 ")
    _field(p, "PAGE", "1")
    p.add_run(" 页")
    hp = _own_paragraph(section.header)
    if draft:
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = hp.add_run(DRAFT_MARK)
        r.bold = True
        r.font.color.rgb = RGBColor(0xC0, 0, 0)


def _new_section(doc, landscape: bool, draft: bool):
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    _setup_section(sec, landscape, draft)
    return sec


@dataclass
class Placed:
    """One cell placed on a table's grid (python-docx's cell()/merge() are quadratic; we write XML)."""

    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    align: str = "left"  # left/center/right
    bold: bool = False
    head: bool = False
    indent: int = 0


def _tc(p: Placed | None, width: int, size_half_pt: int, vmerge: str | None, span: int) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge:
        props.append('<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>")
    if p is not None and p.head:
        props.append('<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>')
    props.append('<w:vAlign w:val="center"/>')
    ppr = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    run = ""
    if p is not None and vmerge != "continue":
        ppr += f'<w:jc w:val="{ {"right": "right", "center": "center"}.get(p.align, "left")}"/>'
        if p.indent:
            ppr += f'<w:ind w:left="{p.indent * size_half_pt * 10}"/>'
        rpr = f'<w:sz w:val="{size_half_pt}"/><w:szCs w:val="{size_half_pt}"/>'
        if p.head:
            rpr = f'<w:rFonts w:ascii="{HEAD_FONT[0]}" w:hAnsi="{HEAD_FONT[0]}" w:eastAsia="{HEAD_FONT[0]}"/>' + rpr
        if p.bold:
            rpr = "<w:b/>" + rpr
        if p.text:
            # a header label balanced over lines (layout.balanced_lines) keeps its breaks
            text = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in p.text.split("\n"))
            run = f'<w:r><w:rPr>{rpr}</w:rPr>{text}</w:r>'
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{run}</w:p></w:tc>"


def _add_table(doc, nrows: int, widths_mm: list[float], cells: list[Placed], size: float, header_rows: int) -> None:
    """Append a bordered table with merged cells, header rows repeated on every page, rows unsplit."""
    ncols = len(widths_mm)
    widths = [int(Mm(w).twips) for w in widths_mm]
    at: dict[tuple[int, int], Placed] = {}
    cover: dict[tuple[int, int], Placed] = {}
    for p in cells:
        at[(p.row, p.col)] = p
        for i in range(p.rowspan):
            for j in range(p.colspan):
                if (i, j) != (0, 0):
                    cover[(p.row + i, p.col + j)] = p
    hs = int(round(size * 2))
    rows_xml = []
    for r in range(nrows):
        tcs, c = [], 0
        while c < ncols:
            p = at.get((r, c))
            owner = cover.get((r, c))
            if p is not None:
                vm = "restart" if p.rowspan > 1 else None
                tcs.append(_tc(p, sum(widths[c:c + p.colspan]), hs, vm, p.colspan))
                c += p.colspan
            elif owner is not None and owner.col == c:  # below a cell that spans rows
                tcs.append(_tc(owner, sum(widths[c:c + owner.colspan]), hs, "continue", owner.colspan))
                c += owner.colspan
            else:
                tcs.append(_tc(None, widths[c], hs, None, 1))
                c += 1
        trpr = "<w:cantSplit/>" + ('<w:tblHeader/>' if r < header_rows else "")
        rows_xml.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(tcs)}</w:tr>")
    border = "".join(f'<w:{b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid_cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    xml = (
        f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblW w:w='{sum(widths)}' w:type='dxa'/><w:jc w:val='center'/>"
        f"<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type='fixed'/>"
        # Word's default 1.9 mm cell margins would leave narrow code columns no room for "208".
        f"<w:tblCellMar><w:left w:w='{CELL_MARGIN_TWIPS}' w:type='dxa'/><w:right w:w='{CELL_MARGIN_TWIPS}' w:type='dxa'/>"
        "</w:tblCellMar></w:tblPr>"
        f"<w:tblGrid>{grid_cols}</w:tblGrid>{''.join(rows_xml)}</w:tbl>"
    )
    body = doc.element.body
    body.insert(len(body) - 1, parse_xml(xml))  # before the final sectPr


def _grid_table(doc, g: Grid) -> None:
    usable_mm = (297 if g.wide else 210) - 2 * 15
    size = font_size(g.widths, g.wide)
    total = sum(g.widths)
    widths_mm = [usable_mm * w / total for w in g.widths]
    col_pt = [Mm(w).pt for w in widths_mm]
    cells = [Placed(h.row, h.col, "\n".join(cell_lines(h.text, col_pt, h.col, h.colspan, size, CELL_MARGINS_PT)),
                    h.rowspan, h.colspan, "center", head=True) for h in g.heads]
    spans, covered = body_spans(g)
    for k, (start, end) in enumerate(g.pieces()):
        if k:  # a split table: the next piece on a new page, under the header again
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        body = []
        for r in range(start, end):
            for c, bc in enumerate(g.body[r]):
                if (r, c) in covered:
                    continue
                rs, cs = spans.get((r, c), (1, 1))
                body.append(Placed(g.header_rows + r - start, c, bc.text, rs, cs, bc.align, bc.bold, indent=bc.indent))
        _add_table(doc, g.header_rows + end - start, widths_mm, cells + body, size, g.header_rows)


def _perf_table(doc, t: PerfLayout) -> None:
    ncols = len(t.head)
    widths = PERF_WIDTHS[:ncols]
    size = font_size(widths, False, largest=9.5)
    total = sum(widths)
    widths_mm = [180 * w / total for w in widths]
    nfield = len(t.fields)
    col_pt = [Mm(w).pt for w in widths_mm]
    cells: list[Placed] = []
    for r, line in enumerate(t.fields):
        col = 0
        for text, span, is_label in field_spans(line, ncols):
            if is_label:
                text = "\n".join(cell_lines(text, col_pt, col, span, size, CELL_MARGINS_PT))
            cells.append(Placed(r, col, text, 1, span, "center" if is_label else "left"))
            col += span
    cells += [Placed(nfield, c, "\n".join(cell_lines(h, col_pt, c, 1, size, CELL_MARGINS_PT)), align="center", head=True)
              for c, h in enumerate(t.head)]
    spans, covered = perf_merges(t)
    for r, line in enumerate(t.rows):
        for c, text in enumerate(line):
            if (r, c) not in covered:
                cells.append(Placed(nfield + 1 + r, c, text, spans.get((r, c), 1), 1, "center" if c < 2 else "left"))
    # the indicator head row repeats on following pages; the project fields above it need not
    _add_table(doc, nfield + 1 + len(t.rows), widths_mm, cells, size, 0)


def _meta_line(doc, unit_name: str, unit: str, landscape: bool) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(2)
    tab = p.paragraph_format.tab_stops
    from docx.enum.text import WD_TAB_ALIGNMENT

    tab.add_tab_stop(Mm((297 if landscape else 210) - 30), WD_TAB_ALIGNMENT.RIGHT)
    r = p.add_run(f"编制部门：{unit_name}\t单位：{unit}")
    r.font.size = Pt(10)


def _draft_banner(doc) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(DRAFT_MARK)
    r.bold = True
    r.font.size = Pt(14)
    r.font.color.rgb = RGBColor(0xC0, 0, 0)


def build_docx(d: Disclosure):
    doc = Document()
    _styles(doc)
    _font_fallbacks(doc)
    _setup_section(doc.sections[0], False, d.draft)
    # title page
    for _ in range(8):
        doc.add_paragraph()
    if d.draft:
        _draft_banner(doc)
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(cover_title(d))
    for text in (d.unit_name, d.date_text or ""):
        if text:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(text).font.size = Pt(16)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    # table of contents (a TOC field: Word fills it on open/F9; LibreOffice on update)
    h = doc.add_paragraph()
    h.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rh = h.add_run("目　录")
    rh.bold = True
    rh.font.size = Pt(16)
    _toc(doc, d)
    settings = doc.settings.element
    upd = OxmlElement("w:updateFields")
    upd.set(qn("w:val"), "true")
    settings.append(upd)

    landscape = False
    first_block = True
    for part in parts(d):
        if part.grids:
            for i, g in enumerate(part.grids):
                # every table starts a section of its own: a new page, landscape when wide
                _new_section(doc, g.wide, d.draft)
                landscape = g.wide
                first_block = False
                if i == 0:
                    doc.add_heading(part.heading, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
                if d.draft:
                    _draft_banner(doc)
                th = doc.add_heading(f"{g.number}　{g.title}" if g.number else g.title, level=2)
                th.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _meta_line(doc, d.unit_name, g.unit, g.wide)
                _grid_table(doc, g)
                if g.empty_note:
                    doc.add_paragraph(g.empty_note).paragraph_format.first_line_indent = Pt(22)
            continue
        if landscape or first_block:
            _new_section(doc, False, d.draft)
            landscape = False
        else:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        first_block = False
        doc.add_heading(part.heading, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
        for s in part.sections:
            if section_title(s):
                doc.add_heading(section_title(s), level=2)
            for para in s.paragraphs:
                if para.style == "heading":
                    doc.add_heading(para.text, level=3)
                else:
                    doc.add_paragraph(para.text).paragraph_format.first_line_indent = Pt(22)
        for k, t in enumerate(part.perf):
            if k == 0:
                doc.add_heading(part.perf_heading, level=2)
            else:
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(t.title)
            r.bold = True
            r.font.size = Pt(13)
            _perf_table(doc, t)
    if d.signature or d.date_text:
        doc.add_paragraph()
        for text in (d.signature, d.date_text):
            if text:
                p = doc.add_paragraph(text)
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc


def write_docx(d: Disclosure, path: Path) -> Path:
    build_docx(d).save(path)
    return path
