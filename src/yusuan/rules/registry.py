"""The rule registry: rules as data (ID, Chinese title, severity, category, what they read) plus a
small plain function each.

A rule function takes a ``Context`` and yields ``Hit``s; the runner turns each hit into a
``Finding`` carrying the rule's ID, severity (after the deployment's config) and category, and
computes ``difference = stated - expected`` when both are amounts. Rule modules live beside this
file (``rules/<area>.py``) and register themselves with the ``@rule`` decorator on import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable, Iterator

from yusuan.disclosure import Disclosure, Location, Row, Table
from yusuan.findings import Category, Finding, Severity
from yusuan.model import BudgetPackage


@dataclass
class Hit:
    """What a rule found, before the registry adds ID/severity/category."""

    message: str
    location: Location | None = None
    subject: str | None = None
    stated: Decimal | str | None = None
    expected: Decimal | str | None = None
    inputs: dict[str, Decimal | str] = field(default_factory=dict)
    # where the fact was entered: a path into the package data (("projects", 2, "period")); the runner
    # turns it into the workbook sheet/row/column (or file and data path) via ``BudgetPackage.origins``
    origin: tuple | None = None
    # the printed text the hit read, when the rule knows it better than its location says; else the runner
    # quotes the cell or clause at ``location`` (``rules.quotes``)
    quote: str | None = None


@dataclass
class Settings:
    """Tunable per deployment (see ``rules.config``)."""

    tolerance: Decimal = Decimal("0.005")  # 万元, for figures printed to 0.01
    rate_tolerance: Decimal = Decimal("0.005")  # percentage points, for rates printed to 0.01
    disabled: set[str] = field(default_factory=set)
    severities: dict[str, Severity] = field(default_factory=dict)
    performance_weight_total: Decimal | None = None  # from the profile when None


@dataclass
class Context:
    disclosure: Disclosure
    package: BudgetPackage | None = None  # facts, when the disclosure was composed from them
    settings: Settings = field(default_factory=Settings)
    profile: dict = field(default_factory=dict)  # the region profile's settings, when known
    previous: Disclosure | None = None  # last year's package as published, for the across-years rules
    # Indexes several rules share (statements by subject, rows by key, …), built on first use and kept
    # for this one check: the disclosure is not changed while the rules run, so they cannot go stale,
    # and a new check (a new Context) never sees another's. Without them each of ~240 rules rescans
    # every table and paragraph.
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    # Identities a rule could not check because a figure it needs is not printed (or was not read):
    # rule ID → how many. Reported once, as info, by the engine (unknown is never zero).
    unknown: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    current_rule: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        mark_printed(self.disclosure)

    def skipped(self) -> None:
        """Record that the running rule met an unknown figure and did not check that identity."""
        self.unknown[self.current_rule] = self.unknown.get(self.current_rule, 0) + 1

    def cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per check under ``key``."""
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = compute()
            return value

    def table(self, kind: str) -> Table | None:
        """``disclosure.table(kind)`` (the first table of that kind) from an index."""
        # Read the index straight from the cache: rules ask ~1,000 times per check, and going
        # through ``cached`` every time cost a visible share of the check.
        index = self._cache.get(_TABLES_KEY)
        if index is None:
            index = self.cached(_TABLES_KEY, self._tables_by_kind)
        return index.get(kind)

    def _tables_by_kind(self) -> dict[str, Table]:
        index: dict[str, Table] = {}
        for t in self.disclosure.tables:
            index.setdefault(t.kind, t)
        return index

    def row(self, table: Table, key: str) -> Row | None:
        """``table.row(key)`` (the first row with that key) from an index built once per table."""
        # The table is kept beside its index so that its id cannot be reused by another object.
        key_of_index = ("rows", id(table))
        entry = self._cache.get(key_of_index)  # the usual case, without building a closure per call
        if entry is None:
            entry = self.cached(key_of_index, lambda: (table, _rows_by_key(table)))
        return entry[1].get(key)

    def tolerance_for(self, unit: str = "万元") -> Decimal:
        """Tolerance in the unit the figure is printed in (a table in 元 is checked in 元)."""
        return self.settings.tolerance * 10000 if unit == "元" else self.settings.tolerance

    def differs(self, stated: Decimal | None, expected: Decimal | None, unit: str = "万元") -> bool:
        """Whether two figures contradict each other. An unknown one (``UNKNOWN``, a NaN: not printed or
        not read) contradicts nothing; the skip is recorded."""
        if stated is None and expected is None:
            return False
        tolerance = self.settings.tolerance * 10000 if unit == "元" else self.settings.tolerance  # tolerance_for, inlined: called ~1,000 times per check
        gap = abs((stated or _ZERO) - (expected or _ZERO))
        if gap.is_nan():
            self.skipped()
            return False
        return gap > tolerance


_TABLES_KEY = ("tables",)
_ZERO = Decimal(0)
UNKNOWN = Decimal("NaN")  # a figure the document does not print, or that could not be read


def is_unknown(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_nan()


def mark_printed(disclosure: Disclosure) -> None:
    """Tell every row which columns its table prints (see ``tables_common.amount``). A table that
    declares no columns (an old reading) prints the columns it has cells in: a missing cell there is a
    blank; a column without a single cell (a single amount column left out) is unknown."""
    for table in disclosure.tables:
        printed = printed_columns(table)
        for row in table.rows:
            # = ``row._printed = printed``, without pydantic's __setattr__ (a row's private store is a dict)
            row.__pydantic_private__["_printed"] = printed


def printed_columns(table: Table) -> frozenset[str]:
    """The column keys ``table`` prints: its declared columns, else every key some row has a cell in."""
    if table.columns:
        return frozenset(c.key for c in table.columns)
    return frozenset(k for r in table.rows for k in r.cells)


def _rows_by_key(table: Table) -> dict[str, Row]:
    index: dict[str, Row] = {}
    for r in table.rows:
        index.setdefault(r.key, r)
    return index


RuleFunc = Callable[[Context], Iterable[Hit]]


@dataclass
class Rule:
    id: str
    title: str  # Chinese
    severity: Severity
    category: Category
    reads: tuple[str, ...]  # table kinds / section ids / 'facts'
    func: RuleFunc
    needs_facts: bool = False

    @property
    def description(self) -> str:
        return (self.func.__doc__ or "").strip()


RULES: dict[str, Rule] = {}


def rule(id: str, title: str, severity: Severity, category: Category, reads: Iterable[str] = (), needs_facts: bool = False):
    """Register a rule function under a stable ID."""

    def register(func: RuleFunc) -> RuleFunc:
        if id in RULES:
            raise ValueError(f"duplicate rule id {id}")
        RULES[id] = Rule(id, title, severity, category, tuple(reads), func, needs_facts)
        return func

    return register


def run(ctx: Context, rules: Iterable[Rule] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for r in rules if rules is not None else RULES.values():
        if r.id in ctx.settings.disabled or (r.needs_facts and ctx.package is None):
            continue
        findings.extend(rule_findings(ctx, r, ctx.settings.severities.get(r.id, r.severity)))
    return findings


def rule_findings(ctx: Context, r: Rule, severity: Severity) -> list[Finding]:
    """One rule's findings on ``ctx``. What it could not say because a figure was unknown (a hit built on
    a NaN, or a NaN ordered against another figure) is recorded as skipped, not reported."""
    ctx.current_rule = r.id
    try:
        hits = list(r.func(ctx))
    except InvalidOperation:  # an unknown figure (NaN) was ordered against another: nothing to say
        ctx.skipped()
        return []
    findings: list[Finding] = []
    for hit in hits:
        if unknown_hit(hit):
            ctx.skipped()
        else:
            findings.append(to_finding(r, severity, hit, ctx))
    return findings


def unknown_hit(hit: Hit) -> bool:
    """A hit built on an unknown figure (a rule that compared without ``Context.differs``): dropped."""
    return (is_unknown(hit.stated) or is_unknown(hit.expected)
            or any(is_unknown(v) for v in hit.inputs.values()))


def to_finding(r: Rule, severity: Severity, hit: Hit, ctx: Context | None = None) -> Finding:
    """The finding of ``hit``; with ``ctx``, one on an entered fact is placed where the fact was entered."""
    difference = None
    if isinstance(hit.stated, Decimal) and isinstance(hit.expected, Decimal):
        difference = hit.stated - hit.expected
    where = hit.location
    quote, quote_row = hit.quote, None
    if ctx is not None:
        quote, quote_row, where = _quoted(ctx, r, hit)
    # Validated, not ``model_construct``: on pydantic 2.14 validating fields that already have their exact
    # types is faster than constructing without validation (measured: 2.3 against 2.9 µs), and it copies
    # ``inputs``, as a finding must not share the hit's dict.
    return Finding(rule=r.id, severity=severity, category=r.category, message=hit.message, location=where,
                   subject=hit.subject, stated=hit.stated, expected=hit.expected, difference=difference,
                   inputs=hit.inputs, quote=quote, quote_row=quote_row)


def _quoted(ctx: Context, r: Rule, hit: Hit) -> tuple[str | None, str | None, Location | None]:
    """(quote, quote_row, location) of a hit: on an entered fact, the value at the place it was entered; else
    the printed text at the hit's location (``rules.quotes``)."""
    from yusuan.rules import quotes

    where = hit.location
    package = ctx.package
    if package is not None and package.origins is not None:
        from yusuan.rules.origins import entered_path, location

        path = entered_path(ctx, r.id, hit)
        if path is not None:  # placed where the fact was entered: the entered value is the quote
            return hit.quote or quotes.quote_fact(package, path), None, location(package.origins, path)
    if hit.quote is not None:
        return hit.quote, None, where
    if r.category == "facts":
        return None, None, where  # a fact has no printed text, and its origin is not known
    quote, row = quotes.quote(quotes.index_of(ctx), hit.location, hit.subject, hit.stated)
    return quote, row, where


def iter_rules(category: str | None = None) -> Iterator[Rule]:
    for r in RULES.values():
        if category is None or r.category == category:
            yield r
