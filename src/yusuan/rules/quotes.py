"""What a finding read, quoted as the document printed it (``Finding.quote``), so that a misread is visible at
a glance: "表2“20805”行“总计”列为 61.50万元" next to 原文“61.5O” or “-” shows at once that the reader, not the
publisher, went wrong.

The quote is derived centrally, from the finding's location and subject, for every rule:
- a table cell: the cell's text exactly as printed (``Cell.text``: “1,234.50”, “-”, or “” for a blank
  cell), and the row's printed name beside it (``quote_row``);
- a table row (a finding on the row's code or name): the row's printed code and name;
- a narrative statement: the clause of its sentence that holds the figure the finding is about (the
  printed text of the paragraph, not the normalised one the reader parsed), at most about 80 characters;
- a performance-target indicator: the indicator's target as printed, with the indicator's name;
- a paragraph-level finding on printed words (a template remnant, doubled punctuation): the clause
  around the words it reports;
- a finding with no single place (a missing table, the whole document): no quote.

Findings on entered facts quote the value as entered at the recorded origin (``quote_fact``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from yusuan.disclosure import Disclosure, Location, Paragraph, Row, Statement, Table
from yusuan.rules.text_forms import normalised

if TYPE_CHECKING:
    from yusuan.rules.registry import Context

MAX_QUOTE = 80  # characters: a clause, not a paragraph

_LOC_FIELDS = ("file", "page", "part", "section", "table", "row", "column", "paragraph", "cell", "bbox")


def _key(loc: Location) -> tuple:
    """Every field of ``loc``, in ``_LOC_FIELDS`` order: a pydantic model keeps its fields in its ``__dict__`` in
    declaration order (validation and ``model_construct`` both fill it so), read in one step instead of ten
    attribute lookups; the text index keys every paragraph of the document."""
    return tuple(loc.__dict__.values())


# What ``_key`` relies on: Location's fields are exactly these, in this order, and it admits no extra ones.
assert tuple(Location.model_fields) == _LOC_FIELDS and Location.model_config.get("extra") == "forbid"


def _place(loc: Location) -> tuple:
    return (loc.file, loc.page, loc.paragraph, loc.cell)


class QuoteIndex:
    """Cells, rows, statements and paragraphs of one disclosure by where they are printed. Built once per
    check, and only when some finding asks for a quote."""

    def __init__(self, disclosure: Disclosure):
        self.tables: dict[str, Table] = {}
        for table in disclosure.tables:
            for name in (table.label, table.title):
                self.tables.setdefault(name, table)
        self._grids: dict[int, tuple[Table, dict, dict]] = {}
        self._by_title: dict[str, Table | None] = {}  # table(): names found by a title they contain
        self.disclosure = disclosure
        self._text_built = False
        self.performance: dict[tuple, Any] = {}
        from yusuan.perf.tables import location_of

        for printed in disclosure.performance:
            loc = location_of(printed)
            self.performance.setdefault((loc.table, loc.paragraph, loc.file), printed)
            self.performance.setdefault((loc.table, None, None), printed)

    def _build_text(self) -> None:
        """Statements, paragraphs and headings by where they are printed: built on the first text quote."""
        disclosure = self.disclosure
        self._text_built = True
        self.statements: dict[str, list[tuple[tuple, Paragraph, Statement]]] = {}
        self.paragraphs: dict[tuple, Paragraph] = {}
        # a rule may place a paragraph by its file and number alone (without its section)
        self.paragraphs_by_place: dict[tuple, Paragraph] = {}
        from yusuan.rules.narrative_base import PART_NAMES

        # section headings and table titles by where they are printed (a finding on a title's words)
        self.headings: dict[tuple, list[str]] = {}
        for table in disclosure.tables:
            if table.location is not None:
                self.headings.setdefault(_key(table.location), []).append(table.label)
        for section in disclosure.sections:
            if section.location is not None:
                self.headings.setdefault(_key(section.location), []).append(section.title)
        for section in disclosure.sections:
            for i, paragraph in enumerate(section.paragraphs, start=1):
                ploc = paragraph.location or Location(part=PART_NAMES.get(section.part), section=section.title, paragraph=i)
                pkey = _key(ploc)
                self.paragraphs.setdefault(pkey, paragraph)
                if ploc.paragraph is not None or ploc.cell is not None:
                    self.paragraphs_by_place.setdefault(_place(ploc), paragraph)
                for st in paragraph.statements:
                    key = pkey if st.location is None or st.location is paragraph.location else _key(st.location)
                    if key is not pkey:
                        self.paragraphs.setdefault(key, paragraph)
                    self.statements.setdefault(st.subject, []).append((key, paragraph, st))

    def grid(self, table: Table) -> tuple["_Cells", dict]:
        """(cells, rows) of one table: (row number, column label or key) → (row, column key), and row
        number → row, where a row's number is its place in the table and the printed row number its
        cells carry (a read table numbers the rows of the page grid). The first row (in table order)
        carrying a number answers for it. Only the rows are indexed here; a cell is looked up when a
        finding asks for it (a few per table), instead of indexing every cell of the table twice."""
        entry = self._grids.get(id(table))
        if entry is None or entry[0] is not table:
            by_number: dict[int, list[Row]] = {}
            for index, row in enumerate(table.rows, start=1):
                numbers = {index}
                if row.location is not None and row.location.row is not None:
                    numbers.add(row.location.row)
                for cell in row.cells.values():
                    if cell.location is not None and cell.location.row is not None:
                        numbers.add(cell.location.row)
                for n in numbers:
                    by_number.setdefault(n, []).append(row)
            rows = {n: found[0] for n, found in by_number.items()}
            entry = self._grids[id(table)] = (table, _Cells(table, by_number), rows)
        return entry[1], entry[2]

    def table(self, name: str | None) -> Table | None:
        if not name:
            return None
        found = self.tables.get(name)
        if found is None:
            # A name that is no table's label or title (a performance table's, a worksheet's) is asked
            # about by every finding placed there: the scan of the titles is kept, misses included.
            if name in self._by_title:
                return self._by_title[name]
            found = self._by_title[name] = next((t for t in self.tables.values() if t.title and t.title in name), None)
        return found


class _Cells:
    """(row number, column label or key) → (row, column key): the first row carrying that number (in table
    order) with a cell in that column, the column named by its label or its key."""

    def __init__(self, table: Table, by_number: dict[int, list[Row]]):
        self._labels = {c.key: c.label for c in table.columns}
        self._by_number = by_number

    def get(self, place: tuple[int, str]) -> tuple[Row, str] | None:
        number, column = place
        labels = self._labels
        for row in self._by_number.get(number, ()):
            for key in row.cells:
                if key == column or labels.get(key, key) == column:
                    return row, key
        return None


def index_of(ctx: Context) -> QuoteIndex:
    return ctx.cached(("quote_index",), lambda: QuoteIndex(ctx.disclosure))


def quote(index: QuoteIndex, location: Location | None, subject: str | None,
          stated: Decimal | str | None = None) -> tuple[str | None, str | None]:
    """(quote, the row's printed name when the quote is a table cell or indicator) for a finding."""
    if location is None:
        return None, None
    if location.table:
        found = _table_quote(index, location, subject)
        if found is not None:
            return found
        found = _indicator_quote(index, location)
        if found is not None:
            return found
    return _text_quote(index, location, subject, stated), None


# ------------------------------------------------------------------ tables

def _table_quote(index: QuoteIndex, loc: Location, subject: str | None) -> tuple[str | None, str | None] | None:
    from yusuan.rules.labels import row_label

    table = index.table(loc.table)
    if table is None:
        return None
    cells, rows = index.grid(table)
    row: Row | None = None
    column_key: str | None = None
    if loc.row is not None and loc.column:
        found = cells.get((loc.row, loc.column))
        if found is not None:
            row, column_key = found
    if row is None and subject:
        row = table.row(subject)
        if row is not None and loc.row is not None:
            by_number = rows.get(loc.row)
            if by_number is not None and by_number.key == subject:
                row = by_number
    if row is None and loc.row is not None:
        row = rows.get(loc.row)
    if row is None:
        return None
    if column_key is None and loc.column:
        column_key = next((c.key for c in table.columns if loc.column in (c.label, c.key)), None)
    name = row_label(row)
    if column_key is None:
        return (name, None) if not loc.column else None
    cell = row.cells.get(column_key)
    if cell is None:
        # a printed column without a cell is a blank; an unprinted one prints nothing to quote
        printed = {c.key for c in table.columns}
        return ("", name) if column_key in printed else None
    return cell.text, name


def _indicator_quote(index: QuoteIndex, loc: Location) -> tuple[str | None, str | None] | None:
    printed = index.performance.get((loc.table, loc.paragraph, loc.file)) or index.performance.get((loc.table, None, None))
    if printed is None or loc.row is None:
        return None
    indicators = printed.table.indicators
    i = loc.row - 1
    if not 0 <= i < len(indicators):
        return None
    indicator = indicators[i]
    return indicator.target.text, indicator.name


# ------------------------------------------------------------------ narrative

_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")
_CLAUSE_END = re.compile(r"(?<=[，,：:；;])")
_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(亿元|万元|元|%)?")


_NUMBER_CHARS = re.compile(r"[\d.,%]+")


# _norm and _values are pure and cached for one check: a statement's quote scores every sentence of its
# paragraph several ways, and the findings of one paragraph score the same sentences again. The caches are
# emptied when a check starts (``forget_texts``, from ``engine.check_disclosure``): texts are one document's, and a cache
# kept from an earlier check would only flatter a benchmark that checks the same document again.
@lru_cache(maxsize=2048)
def _norm(text: str) -> str:
    return normalised(text)


@lru_cache(maxsize=2048)
def _values(text: str) -> frozenset[Decimal]:
    """Every number printed in ``text``, and amounts also in 万元 (a figure printed in 元 or 亿元 is read
    in 万元)."""
    out: set[Decimal] = set()
    for m in _NUMBER.finditer(_norm(text)):
        try:
            n = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation:
            continue
        out.add(n)
        if m.group(2) == "元":
            out.add(n / 10000)
        elif m.group(2) == "亿元":
            out.add(n * 10000)
    return frozenset(out)


def forget_texts() -> None:
    """Empty the per-check caches of ``_norm`` and ``_values`` (a new check: another document's texts)."""
    _norm.cache_clear()
    _values.cache_clear()


def _holds(text: str, focus: Decimal | str | None) -> bool:
    if focus is None:
        return False
    if isinstance(focus, Decimal):
        try:
            return any(v == focus for v in _values(text))
        except InvalidOperation:
            return False
    return bool(focus) and _norm(focus) in _norm(text)


def _without_numbers(text: str) -> str:
    return _NUMBER_CHARS.sub("", _norm(text))


def _text_quote(index: QuoteIndex, loc: Location, subject: str | None, stated: Decimal | str | None) -> str | None:
    if not index._text_built:
        index._build_text()
    key = _key(loc)
    if subject:
        candidates = index.statements.get(subject) or []
        mine = [(p, st) for skey, p, st in candidates if skey == key]
        if mine:
            paragraph, st = mine[0]
            return statement_clause(paragraph.text, st, stated)
    if isinstance(stated, str) and stated:  # words of a heading or a table's title (not the table as a whole)
        heading = next((h for h in index.headings.get(key, ()) if stated in h), None)
        if heading is not None:
            return _trim(heading)
    paragraph = index.paragraphs.get(key) or index.paragraphs_by_place.get(_place(loc))
    if paragraph is None:
        return None
    text = paragraph.text.strip()
    if isinstance(stated, str) and stated and stated in text:
        return _around(text, text.index(stated), len(stated))
    if isinstance(stated, (str, Decimal)):
        for sentence in _sentences(text):
            if _holds(sentence, stated):
                return _clause_with(sentence, stated, None)
    if isinstance(stated, Decimal):
        return None  # a figure the rule derived (a sum of shares): the paragraph does not print it
    return text if len(text) <= MAX_QUOTE else None


def paragraph_at(index: QuoteIndex, loc: Location) -> Paragraph | None:
    """The printed paragraph at ``loc``, if any."""
    if not index._text_built:
        index._build_text()
    return index.paragraphs.get(_key(loc)) or index.paragraphs_by_place.get(_place(loc))


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def statement_clause(text: str, st: Statement, stated: Decimal | str | None = None) -> str | None:
    """The printed clause of ``text`` (a paragraph as printed) a statement was read from: the sentence that
    holds the figure, cut to the clauses from the one naming the subject to the one holding the figure."""
    focus = stated if isinstance(stated, (Decimal, str)) and stated != "" else None
    if isinstance(focus, str):
        try:
            focus = Decimal(focus)
        except InvalidOperation:
            pass
    own = focus if focus is not None else st.amount
    sentences = _sentences(text)
    if not sentences:
        return None
    label = _norm(st.label) if st.label else ""
    read = _without_numbers(st.text) if st.text else ""

    def score(sentence: str) -> tuple:
        plain = _without_numbers(sentence)
        return (_holds(sentence, own), bool(label) and label in _norm(sentence),
                bool(read) and bool(plain) and (plain in read or read in plain),
                _holds(sentence, st.amount))

    best = max(sentences, key=score)  # max keeps the first of equals: printed order
    if not any(score(best)):
        return None
    return _clause_with(best, own, label, st.amount)


_MONEY = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?\s*(?:亿元|万元|元|%)")
_CONTINUES = re.compile(r"[\s\d,.%]*(?:比|较|与|增|减|下降|上升|持平|其中|占|同比|完成)")


def _clause_with(sentence: str, focus: Decimal | str | None, label: str | None,
                 fallback: Decimal | None = None) -> str:
    """The clauses of ``sentence`` from the one naming the subject (``label``) to the one printing ``focus``
    (else ``fallback``, else the first amount), shortened from the left to at most ``MAX_QUOTE`` characters."""
    sentence = sentence.strip()
    clauses = [c for c in _CLAUSE_END.split(sentence) if c]
    at = next((i for i, c in enumerate(clauses) if _holds(c, focus)), None)
    if at is None and fallback is not None:
        at = next((i for i, c in enumerate(clauses) if _holds(c, fallback)), None)
    if at is None:
        at = next((i for i, c in enumerate(clauses) if _MONEY.search(_norm(c))), 0)
    start = at
    if label:
        named = [i for i in range(at + 1) if label in _norm(clauses[i])]
        if named:
            start = named[-1]
    # a clause that opens with a direction word or a figure ("比上年增加10万元") continues the one before it
    while start > 0 and _CONTINUES.match(_norm(clauses[start])):
        start -= 1
    while start < at and len("".join(clauses[start:at + 1])) > MAX_QUOTE:
        start += 1
    return _trim("".join(clauses[start:at + 1]))


def _trim(text: str) -> str:
    text = text.strip().rstrip("，,：:；;")
    if len(text) > MAX_QUOTE:
        text = text[:MAX_QUOTE - 1] + "…"
    return text


def _around(text: str, start: int, length: int) -> str:
    """The clause around ``text[start:start+length]`` (words the finding reports), at most ~80 characters."""
    left = max((m.end() for m in re.finditer(r"[。；;！？!?\n]", text[:start])), default=0)
    right_match = re.search(r"[。；;！？!?\n]", text[start + length:])
    right = start + length + (right_match.end() if right_match else len(text) - start - length)
    piece = text[left:right]
    if len(piece) <= MAX_QUOTE:
        return piece.strip()
    half = (MAX_QUOTE - length) // 2
    lo, hi = max(left, start - half), min(right, start + length + half)
    return ("…" if lo > left else "") + text[lo:hi].strip() + ("…" if hi < right else "")


# ------------------------------------------------------------------ facts

def quote_fact(package, path: tuple | None) -> str | None:
    """The value entered at ``path`` of the package data (the workbook cell's value as loaded), when it is
    a single value; None for a record or a list (no one cell to quote)."""
    if package is None or not path:
        return None
    value: Any = package
    for step in path:
        try:
            if isinstance(step, int):
                value = value[step]
            elif isinstance(value, dict):
                value = value[step]
            else:
                value = getattr(value, step)
        except (IndexError, KeyError, AttributeError, TypeError):
            return None
    if value is None or isinstance(value, (list, tuple, dict, set)) or hasattr(value, "model_dump"):
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def quote_findings(disclosure: Disclosure, findings: list) -> list:
    """``findings`` made outside the rules (the readers' R.* findings) with the printed text they are about."""
    index: QuoteIndex | None = None
    out = []
    for f in findings:
        if f.quote is None and f.location is not None:
            index = index or QuoteIndex(disclosure)
            text, row = quote(index, f.location, f.subject, f.stated)
            if text is not None:
                f = f.model_copy(update={"quote": text, "quote_row": row})
        out.append(f)
    return out
