"""From blocks (paragraphs and grids, any format) to a ``Disclosure``: find the parts, the ten
tables by their titles, the Part 3 sections by their headings, the performance tables, and parse
every paragraph's figures. Two passes: tables first, so that sentences naming a 类/款/项 or an
economic 款 can be resolved against the package's own tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yusuan.amounts import normalise_text
from yusuan.disclosure import KIND_NUMBER, KINDS, Disclosure, Location, Paragraph, Section, Table
from yusuan.findings import Finding
from yusuan.read.blocks import Block, Grid, Para, Unread
from yusuan.read.names import NameIndex
from yusuan.read.narrative import NarrativeContext, parse_paragraph
from yusuan.read.performance import is_title as is_performance_title, read_performance_rows
from yusuan.read.summary_tables import (read_fiscal_income_expenditure, read_income_expenditure, read_sangong,
                                        read_sangong_operating)
from yusuan.read.tables import (FUNCTION_TABLE_COLUMNS, read_basic_table, read_function_table, read_project_table,
                                reading_finding, recognise_title, split_number)


@dataclass
class ReadResult:
    """What a reader returns: the disclosure as printed, and every reading finding (R.*) beside it."""

    disclosure: Disclosure
    findings: list[Finding] = field(default_factory=list)


def read_table(kind: str, grid: Grid, title: str, number: str, unit: str) -> tuple[Table, list[Finding]]:
    if kind in FUNCTION_TABLE_COLUMNS:
        return read_function_table(kind, grid, title, number, unit)
    readers = {"general_basic": read_basic_table, "general_project": read_project_table,
               "income_expenditure": read_income_expenditure, "fiscal_income_expenditure": read_fiscal_income_expenditure,
               "sangong": read_sangong, "sangong_operating": read_sangong_operating}
    if kind in readers:
        return readers[kind](grid, title, number, unit)
    raise KeyError(kind)


# Part 3 section headings: keywords → section id (first match wins).
_SECTIONS = [
    (("其他重要事项",), "other"), (("财政拨款", "三公"), "sangong"), (("三公",), "sangong"),
    (("政府性基金",), "fund"), (("国有资本",), "capital"), (("基本支出",), "general_basic"),
    (("项目支出",), "general_project"), (("一般公共预算当年拨款",), "general"), (("财政拨款收支",), "fiscal"),
    (("收支预算", "总体"), "summary"), (("收入预算",), "income"), (("支出预算",), "expenditure"),
    # final accounts (决算情况说明)
    (("财政拨款收入支出决算",), "fiscal"), (("一般公共预算财政拨款支出",), "general"),
    (("收入支出决算",), "summary"), (("收入决算",), "income"), (("支出决算",), "expenditure"),
    (("绩效",), "other.performance"),
]
_OTHER = [(("机关运行经费",), "other.operating_costs"), (("政府采购",), "other.procurement"),
          (("国有资产",), "other.assets"), (("绩效",), "other.performance"), (("其他需", "说明"), "other.notes")]
_PART = re.compile(r"^第([一二三四])部分")
_HEADING = re.compile(r"^([一二三四五六七八九十]+)、")
_SUBHEADING = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]")
_SUBHEADING_INSIDE = re.compile(r"[(（][一二三四五六七八九十]+[)）]")
_YEAR_IN_NAME = re.compile(r"(20\d{2})\s*年?[^0-9]*(预算|决算)")
_PART_NO = {"一": 1, "二": 2, "三": 3, "四": 4}


# A line of the contents list: a title, a dot leader and (where the reader kept it) a page number.
# It only repeats a heading printed later, where that heading starts its section.
_CONTENTS_ENTRY = re.compile(r"(\.{4,}|…{2,}|·{4,})\s*\d{0,4}$")


def _norm_cell(text: str) -> str:
    return normalise_text(text)


def _contents_like(section: Section) -> bool:
    return all(len(p.text) <= 40 and not re.search(r"\d+(\.\d+)?\s*(万元|元|%)", p.text) for p in section.paragraphs)


def _lookup(text: str, table) -> str | None:
    for words, key in table:
        if all(w in text for w in words):
            return key
    return None


class _Assembler:
    def __init__(self, file: str | None, headings=None):
        self.file = file
        self.headings = headings  # the profile's section titles, for files without 第X部分 markers
        self.national_parts = False
        self.findings: list[Finding] = []
        self.tables: list[Table] = []
        self.sections: list[Section] = []
        self.performance_rows: list = []
        self.part = 0
        self.unit_name: str | None = None
        self.year: int | None = None
        self.title_parts: list[str] = []
        self.pending: tuple[str, str, str] | None = None  # kind, title, number
        self.last_grid: tuple | None = None  # the last table read: kind, title, number, unit, grid, findings
        self.number = ""
        self.unit = "万元"
        self.section: Section | None = None
        self.date_text: str | None = None
        self.signature: str | None = None
        self.part_heading_open = False  # the last paragraph was a 第X部分 heading

    def run(self, blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Para):
                self.para(block)
            elif isinstance(block, Unread):
                self.findings.append(reading_finding("R.PAGE.NO_TEXT", block.reason, block.location))
            else:
                self.grid(block)

    # -- paragraphs --------------------------------------------------------------------------
    def para(self, p: Para) -> None:
        n = normalise_text(p.text)
        if not n or _CONTENTS_ENTRY.search(n):
            return
        m = _PART.match(n)
        after_part_heading, self.part_heading_open = self.part_heading_open, bool(m)
        if m:
            self.national_parts = True
            self.part = _PART_NO[m.group(1)]
            y = re.search(r"(\d{4})年", n)
            if y and self.year is None:
                self.year = int(y.group(1))
            if self.part == 1 and self.unit_name is None:
                name = re.sub(r"^第一部分", "", p.text.strip()).strip()
                self.unit_name = re.sub(r"概况$", "", name).strip() or None
            if self.part == 4:
                self.start_section("glossary", 4, p)
            self.section = None if self.part in (2, 3) else self.section
            return
        if self.year is None and recognise_title(n) and re.search(r"(\d{4})年", n):
            self.year = int(re.search(r"(\d{4})年", n).group(1))
        profile_mode = self.headings is not None and not self.national_parts
        if profile_mode and self.profile_heading(p, n):
            return
        if self.part in (0, 1) and recognise_title(n):  # a file of tables only (e.g. a workbook), or
            self.part, self.section = 2, None  # tables printed without their 第二部分 heading
        if self.part == 2 and is_performance_title(n):  # performance tables after the ten (a workbook sheet)
            self.part, self.section = 3, None
        if self.part == 2:
            self.part2_para(p, n)
            return
        # the tables may follow any section (Shanghai prints them after 项目经费情况说明)
        if self.part == 3 and is_performance_title(n) and (self.section is None or self.section.id.startswith("other")
                                                            or self.section.id == "general_project"):
            from yusuan.read.blocks import GridCell

            self.performance_rows.append([GridCell(p.text.strip(), p.location)])  # a title printed as a paragraph
            return
        if self.part == 1 and not profile_mode:
            if _HEADING.match(n) or re.match(r"^\d+、", n):
                sid = "overview.institutions" if ("机构" in n or "人员" in n or "单位构成" in n) else "overview.functions"
                self.start_section(sid, 1, p)
                return
        if self.part == 3 and not profile_mode:
            if _HEADING.match(n):
                sid = _lookup(n, _SECTIONS)
                if sid is None:
                    # a regional layout printed under national part headings (第三部分 …): its own
                    # section titles (Shanghai's “四、2023年部门预算编制说明”) name the section, whichever
                    # profile the opening lines suggested
                    sid = _profile_section(n, self.headings)
                if sid is None:
                    self.findings.append(reading_finding("R.SECTION.UNRECOGNISED", f"无法识别的说明章节“{p.text.strip()[:30]}”", p.location))
                    sid = "other.notes"
                self.start_section(sid, 3, p)
                sub = _SUBHEADING_INSIDE.search(n)
                if sid == "other" and sub:  # “十一、其他重要事项的情况说明 （一）机关运行经费情况” on one line
                    sub_id = _lookup(n[sub.start():], _OTHER)
                    if sub_id:
                        raw = re.search(r"[(（][一二三四五六七八九十]+[)）].*$", p.text[2:])
                        self.start_section(sub_id, 3, Para(raw.group(0).strip() if raw else p.text, p.location))
                return
            if self.section is not None and self.section.id.startswith("other") and _SUBHEADING.match(n):
                sid = _lookup(n, _OTHER)
                if sid:
                    self.start_section(sid, 3, p)
                    return
        if self.part == 4 and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", n):
            self.date_text = p.text.strip()
            return
        if self.part == 4 and self.unit_name and n == normalise_text(self.unit_name):
            self.signature = p.text.strip()
            return
        if self.section is None and after_part_heading and len(n) <= 6 and not re.search(r"\d", n):
            return  # the end of a part heading wrapped onto its own line ("…情况⏎说明")
        if self.section is None:
            if self.part in (1, 3):
                self.findings.append(reading_finding("R.TEXT.OUTSIDE", f"章节标题之前的段落：“{p.text.strip()[:30]}”", p.location, "info"))
            return
        style = "heading" if _SUBHEADING.match(n) and not re.search(r"\d(万元|元|%|人|个)", n) else "body"
        self.section.paragraphs.append(Paragraph(text=p.text.strip(), style=style, location=self.loc(p)))  # type: ignore[arg-type]

    def profile_heading(self, p: Para, n: str) -> bool:
        """A heading the profile prints: start its section (a contents list only leaves empty ones)."""
        found = self.headings.section(n)
        group = self.headings.group(n) if found is None else None
        if group is not None:
            self.part, self.section = group, None
            return True
        if found is None:
            if recognise_title(n) and self.part != 2:
                self.part, self.section = 2, None
            return False
        sid, part = found
        self.part = part
        # a contents list printed the same heading earlier: drop that entry (short lines, no figures)
        self.sections = [s for s in self.sections if s.id != sid or not _contents_like(s)]
        self.start_section(sid, part, p)
        return True

    def loc(self, p: Para) -> Location:
        base = p.location or Location(file=self.file)
        return base.model_copy(update={"part": f"第{'一二三四'[self.part - 1]}部分" if self.part else None,
                                       "section": self.section.title if self.section else None})

    def start_section(self, sid: str, part: int, p: Para) -> None:
        # a contents list (目录) printed the same heading earlier: drop that empty entry
        self.sections = [s for s in self.sections if s.id != sid or not _contents_like(s)]
        self.section = Section(id=sid, part=part, title=p.text.strip(), location=p.location)
        self.sections.append(self.section)

    def part2_para(self, p: Para, n: str) -> None:
        number, rest = split_number(n)
        # a bare "1." only numbers a table when a title follows it on the same line
        if number and (number.startswith(("表", "附表")) or recognise_title(rest)):
            self.number = number
            n = rest
        else:
            number = ""
        if "单位:" in n or "编制部门" in n:
            u = re.search(r"单位:(万元|元)", n)
            if u:
                self.unit = u.group(1)
            d = re.search(r"编制部门:(.+?)(单位:|$)", n)
            if d and not self.unit_name:
                self.unit_name = d.group(1)
            return
        kind = recognise_title(n) if n else None
        if kind:
            self.pending = (kind, split_number(p.text.strip())[1].strip() if number else p.text.strip(), self.number)
            return
        if self.tables and ("空表" in n or "没有使用" in n or "无" == n[:1] or "本表无数据" in n):
            self.tables[-1].empty_note = p.text.strip()
            return
        if re.match(r"^注:本表反映", n):  # the standard footnote saying what a table shows
            return
        if re.fullmatch(r"[(（]?续表?[)）]?(附?表?\d*|[一二三四五六七八九十]*)[)）]?", n):  # “续表” over a continuation
            return
        if n and not re.fullmatch(r"[.。]+", n) and not n.startswith("第"):
            self.findings.append(reading_finding("R.TEXT.OUTSIDE", f"表格部分中无法归类的文字：“{p.text.strip()[:30]}”", p.location, "info"))

    # -- grids -------------------------------------------------------------------------------
    def grid(self, g: Grid) -> None:
        if self.part == 3 or (self.section is not None and self.section.id == "other.performance"):
            self.performance_rows.extend(g.rows)
            return
        if self.part == 0 and g.rows and recognise_title("\n".join(c.text for c in g.rows[0])):
            self.part = 2
        if self.part == 1 and self.section is not None and self.section.id == "overview.institutions" and g.rows \
                and any("单位名称" in _norm_cell(c.text) for c in g.rows[0]):
            return  # the list of units the department's accounts cover (部门决算单位构成)
        if self.part != 2:
            self.findings.append(reading_finding("R.TABLE.UNRECOGNISED", "说明部分之外出现了无法识别的表格", g.location))
            return
        if self.pending is None and self.continue_table(g):
            return
        if self.pending is None:
            first = "\n".join(c.text for c in g.rows[0]) if g.rows else ""
            kind = recognise_title(first)
            if kind:
                title = next(line for line in first.splitlines() if recognise_title(line))
                u = re.search(r"单位:(万元|元)", normalise_text(first))
                if u:
                    self.unit = u.group(1)
                number, rest = split_number(title.strip())
                if number and not self.number:
                    self.number = number
                self.pending = (kind, rest.strip() if number else title.strip(), self.number)
                g = Grid(rows=g.rows[1:], location=g.location)
            else:
                self.findings.append(reading_finding("R.TABLE.UNRECOGNISED", f"没有表名的表格（首行“{first.strip()[:30]}”），未读取", g.location))
                return
        kind, title, number = self.pending
        self.pending = None
        if self.tables and self.tables[-1].kind == kind and self.continue_table(g):
            return  # the title printed again over a continuation (表3 部门支出总体情况表（续）)
        if any(t.kind == kind for t in self.tables):
            self.findings.append(reading_finding("R.TABLE.DUPLICATE", f"“{title}”出现了两次，只读取第一张", g.location))
            return
        number = number or (f"表{KIND_NUMBER[kind]}" if kind in KIND_NUMBER else "")
        try:
            table, found = read_table(kind, g, title, number, self.unit)
        except Exception as exc:  # noqa: BLE001 - one unreadable table must not hide the rest of the file
            self.findings.append(reading_finding(
                "R.TABLE.UNREADABLE", f"“{title}”的版式无法识别，未读取（{type(exc).__name__}）", g.location))
            self.last_grid = None
            return
        self.tables.append(table)
        self.findings.extend(found)
        self.last_grid = (kind, title, number, self.unit, g, found)
        self.unit = "万元"
        self.number = ""

    def continue_table(self, g: Grid) -> bool:
        """A grid right after a table that carries on its rows after a page break (a split table): it
        repeats the table's header rows, or it has no header and its rows read as the table's rows
        (nothing more left unread). Its rows join the table, which is read again."""
        if self.last_grid is None or not g.rows or self.tables[-1].kind != self.last_grid[0]:
            return False
        kind, title, number, unit, prev, found = self.last_grid

        def texts(row):
            return [_norm_cell(c.text) for c in row]

        header = 0
        while header < min(len(prev.rows), len(g.rows)) and texts(g.rows[header]) == texts(prev.rows[header]) \
                and not any(re.fullmatch(r"[\d,.-]+", t) for t in texts(g.rows[header])):
            header += 1
        if header == len(g.rows) or not any(texts(g.rows[0])):
            return False
        joined = Grid(rows=prev.rows + g.rows[header:], location=prev.location)
        try:
            table, again = read_table(kind, joined, title, number, unit)
        except Exception:  # noqa: BLE001 - keep what was read; the grid is reported below
            return False
        if header == 0:  # no repeated header: only when every added row is read as a row of the table
            def unread(fs):
                return sum(1 for f in fs if f.rule.startswith(("R.ROW", "R.TABLE", "R.NUMBER")))

            keys = [r.key for r in table.rows]
            ended = self.tables[-1].rows and self.tables[-1].rows[-1].role == "total"  # 合计 printed last
            if ended or len(set(keys)) < len(keys) or len(table.rows) < len(self.tables[-1].rows) + len(g.rows) \
                    or unread(again) > unread(found):
                return False
        self.tables[-1] = table
        self.findings = [f for f in self.findings if not any(f is x for x in found)] + again
        self.last_grid = (kind, title, number, unit, joined, again)
        return True

    # -- second pass ---------------------------------------------------------------------------
    def finish(self) -> None:
        names = NameIndex.build(self.tables, self.year)
        ctx = NarrativeContext(names=names, file=self.file)
        for section in self.sections:
            ctx.project = None
            for para in section.paragraphs:
                if para.style == "heading":
                    continue
                para.statements = merge_repeated(section, parse_paragraph(section.id, para.text, ctx, para.location))
            if section.id == "income":
                own_level_when_transfers_listed(section)
        self.findings.extend(ctx.findings)


_MERGEABLE = ("amount", "share", "share_of", "last_year", "change", "change_word", "rate", "rate_word",
              "zero_base", "reason", "count")


_FIGURES = ("amount", "share", "last_year", "change", "rate", "count", "reason")


def own_level_when_transfers_listed(section: Section) -> None:
    """In the income section “一般公共预算 X” beside “上级一般公共预算安排的转移支付资金 Y” means the
    unit's own level (一般财力, ``income:general``), not the whole budget; likewise for the fund and
    state-capital budgets."""
    statements = section.statements()
    subjects = {st.subject for st in statements}
    for budget, own, transfer in (("general_budget", "general", "general_transfer"), ("fund_budget", "fund", "fund_transfer"),
                                  ("capital_budget", "capital", "capital_transfer")):
        if f"income:{transfer}" in subjects and f"income:{own}" not in subjects:
            for st in statements:
                if st.subject == f"income:{budget}":
                    st.subject = f"income:{own}"


def merge_repeated(section: Section, statements: list) -> list:
    """A later sentence that adds figures about a subject already stated in the section (“三公”
    经费: amounts first, then changes, then reasons) completes the earlier statement instead of
    repeating it, unless the figures disagree – then both are kept so that checks see both."""
    kept = []
    earlier = {st.subject: st for p in section.paragraphs for st in p.statements}
    for st in statements:
        first = earlier.get(st.subject)
        if first is None or st.subject.startswith("project:"):
            kept.append(st)
            earlier.setdefault(st.subject, st)
            continue
        clash = any(getattr(st, f) is not None and getattr(first, f) is not None and getattr(st, f) != getattr(first, f)
                    for f in _FIGURES)
        if clash:
            kept.append(st)
            continue
        for f in _MERGEABLE:
            if getattr(first, f) is None and getattr(st, f) is not None:
                setattr(first, f, getattr(st, f))
        if st.text and st.text not in first.text:
            first.text = f"{first.text}。{st.text}"
    return kept


def _profile_section(n: str, first) -> str | None:
    from yusuan.profiles import available
    from yusuan.read.headings import load_headings

    for headings in [first] + [load_headings(name) for name in available()]:
        found = headings.section(n) if headings is not None else None
        if found is not None and found[1] == 3:
            return found[0]
    return None


def assemble(blocks: list[Block], file: str | None = None, profile: str = "auto") -> ReadResult:
    from yusuan.read.detect import detect_phase, detect_profile

    from yusuan.read.headings import load_headings

    opening = [b.text for b in blocks[:40] if isinstance(b, Para)]
    text = " ".join(opening)
    phase = detect_phase(opening)
    chosen = detect_profile(text, [], phase) if profile == "auto" else profile
    a = _Assembler(file, load_headings(chosen))
    a.run(blocks)
    a.finish()
    performance = read_performance_rows(a.performance_rows, a.findings)
    unit_name = a.unit_name or ""
    year = a.year
    if year is None and file:
        # Workbooks of tables only often print no year; their file is named after it
        # (2023年部门预算公开表.xlsx). Taken from there, and said so.
        m = _YEAR_IN_NAME.search(file)
        if m:
            year = int(m.group(1))
            a.findings.append(reading_finding(
                "R.YEAR.FROM_NAME", f"文件中未印年度，按文件名“{file}”取 {year} 年", Location(file=file), "info"))
    if profile == "auto":
        chosen = detect_profile(text, a.tables, phase, [sec.title for sec in a.sections])
    year_text = f"{year}年" if year else ""
    title = f"{unit_name}{year_text}部门{'预算' if phase == 'budget' else '决算'}公开" if unit_name else ""
    disclosure = Disclosure(unit_name=unit_name, budget_year=year, phase=phase, profile=chosen, title=title,
                            origin="read", file=file, sections=a.sections, tables=a.tables,
                            performance=performance, signature=a.signature, date_text=a.date_text)
    findings = a.findings + completeness(disclosure, chosen)
    return ReadResult(disclosure, findings)


def completeness(d: Disclosure, profile_name: str | None = None) -> list[Finding]:
    """What the profile's layout (the national one when no profile can be loaded) prints but this
    file did not (R.SECTION.MISSING)."""
    out = []
    kinds = {t.kind for t in d.tables}
    expected_tables, expected_sections = list(KINDS)[:10], None
    try:
        from yusuan.profiles import load_profile

        profile = load_profile(profile_name) if profile_name else None
    except Exception:  # noqa: BLE001 - an unknown profile falls back to the national layout
        profile = None
    if profile is not None:
        expected_tables = [t.kind for t in profile.tables]
        expected_sections = {s.id for s in profile.sections}
    for kind in expected_tables:
        if kind not in kinds:
            out.append(reading_finding("R.SECTION.MISSING", f"没有找到“{KINDS.get(kind, kind)}”", Location(file=d.file), "warning",
                                       subject=kind))
    ids = {s.id for s in d.sections}
    for sid, label in (("summary", "收支预算总体说明"), ("income", "收入预算说明"), ("expenditure", "支出预算说明"),
                       ("general_project", "项目支出说明"), ("sangong", "“三公”经费说明")):
        if sid not in ids and (expected_sections is None or sid in expected_sections):
            out.append(reading_finding("R.SECTION.MISSING", f"没有找到第三部分的“{label}”", Location(file=d.file), "warning",
                                       subject=sid))
    return out
