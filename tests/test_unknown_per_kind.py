"""Unknown is never zero, per table kind: a printed column or row the publisher did not print is unknown.

For every table kind each profile prints (enumerated from the profile data, not from a list here), the
composed Changji example is changed as the *printed disclosure* would look had the publisher not printed
one amount column, or one row: the cells are absent (unknown), not zero. Audited as ``yusuan audit`` audits
a read file (``check_disclosure`` with the disclosure's profile, no facts), it must get no fatal finding:
a rule that needs the unknown figure does not fire (A.UNCHECKED says, once, what was not checked).

Each case has a mutation control: in the same dropped layout one remaining printed figure is raised so
that another printed figure contradicts it, and a fatal finding must appear (so the case can fail).
Every finding located at a printed cell, row or statement quotes what it read.

One case per kind (the first amount column dropped) also makes the round trip through Word: rendered to
DOCX, read back with the reader and audited.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import pytest

from tests.conftest import EXAMPLE

pytestmark = pytest.mark.skipif(not (EXAMPLE / "package.yaml").exists(), reason="示例包不存在")

PROFILES = ["xinjiang", "shanghai"]
TEXT_COLUMNS = {"project_name"}


@functools.lru_cache(maxsize=None)
def _profile(name: str):
    from yusuan.profiles import load_profile

    return load_profile(name)


@functools.lru_cache(maxsize=None)
def _base(name: str):
    """The example composed with profile ``name``, marked as read (the audit's road: no facts)."""
    from yusuan.compose import compose
    from yusuan.load import load_package

    d = compose(load_package(EXAMPLE), _profile(name))
    d.origin = "read"
    return d


def _table_kinds(name: str) -> list[str]:
    return [spec.kind for spec in _profile(name).tables]


def _zero_when_absent(name: str, kind: str) -> set[str]:
    """Columns and rows the layout prints only when they hold an amount (``omit_when_zero``): their absence is
    the layout's way of printing zero, so leaving one out is not an unknown figure."""
    spec = _profile(name).table(kind)
    return {c.key for c in spec.columns if c.omit_when_zero} | {r.key for r in spec.rows if r.omit_when_zero}


def _sample_rows(table) -> list:
    """One row of each shape: the first 项 (or item) row, the first 类 or subtotal row, the first total row."""
    picks = []
    for test in (lambda r: r.level == "项" or (r.level is None and r.role == "item"),
                 lambda r: r.level == "类" or r.role == "subtotal",
                 lambda r: r.role == "total"):
        row = next((r for r in table.rows if test(r) and r not in picks), None)
        if row is not None:
            picks.append(row)
    return picks


def _cases() -> list:
    """(profile, kind, what, key) for every printed amount column and a row of each shape of every kind."""
    out = []
    for name in PROFILES:
        if not (EXAMPLE / "package.yaml").exists():
            break
        base = _base(name)
        kinds = _table_kinds(name)
        assert kinds and {t.kind for t in base.tables} == set(kinds), name
        for kind in kinds:
            table = base.table(kind)
            zero = _zero_when_absent(name, kind)
            for col in table.columns:
                if col.key not in TEXT_COLUMNS and col.key not in zero:
                    out.append(pytest.param(name, kind, "column", col.key, id=f"{name}-{kind}-column-{col.key}"))
            if len(table.rows) < 2:
                continue  # an empty table's lone 合计 row: dropping it leaves no table
            for row in _sample_rows(table):
                if row.key not in zero:
                    out.append(pytest.param(name, kind, "row", row.key, id=f"{name}-{kind}-row-{row.role}-{row.key}"))
    return out


CASES = _cases()


def _dropped(name: str, kind: str, what: str, key: str):
    d = _base(name).model_copy(deep=True)
    table = d.table(kind)
    if what == "column":
        assert any(c.key == key for c in table.columns)
        table.columns = [c for c in table.columns if c.key != key]
        for row in table.rows:
            row.cells.pop(key, None)
    else:
        before = len(table.rows)
        table.rows = [r for r in table.rows if r.key != key]
        assert len(table.rows) == before - 1
    return d


def _audit(d, name: str):
    from yusuan.rules.engine import check_disclosure

    return check_disclosure(d, profile=_profile(name)).findings


def _fatal(findings) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in findings if f.severity == "fatal"]


def _assert_quoted(d, findings) -> None:
    """A finding placed at a printed table row or cell, or at a printed statement, quotes what it read."""
    labels = {t.label for t in d.tables} | {t.title for t in d.tables}
    for f in findings:
        loc = f.location
        if loc is None or f.category == "facts":
            continue
        if loc.table in labels and loc.row is not None:
            assert f.quote is not None, (f.rule, f.message)
        elif loc.table is None and loc.section and loc.paragraph is not None:
            assert f.quote, (f.rule, f.message)


def _controls(d, kind: str):
    """Cells to raise, most telling first: a part of an identity (not a total, not a total column) of the
    dropped table, then of the other tables. Raising a part makes the parts exceed their printed whole,
    which no unprinted figure can explain (amounts are not negative)."""
    totals = {"total", "amount"}

    def candidates(table):
        for row in table.rows:
            if row.role in ("total", "subtotal", "group") or row.key.endswith("total"):
                continue
            for key, cell in row.cells.items():
                if key not in totals and key not in TEXT_COLUMNS and cell.value is not None and cell.value > 0:
                    yield table, row, key
    first = [t for t in d.tables if t.kind == kind]
    others = [t for t in d.tables if t.kind != kind]
    for table in first + others:
        yield from candidates(table)


def _mutation_control(d, name: str, kind: str) -> str | None:
    """The first of a few candidate raises that brings a fatal finding; None when none does."""
    for n, (table, row, key) in enumerate(_controls(d, kind)):
        if n >= 6:
            break
        m = d.model_copy(deep=True)
        cell = m.table(table.kind).row(row.key).cells[key]
        delta = Decimal(100) if table.unit == "元" else Decimal(1)
        cell.value = cell.value + delta
        cell.text = f"{cell.value:.2f}"
        fatal = _fatal(_audit(m, name))
        if fatal:
            return f"{table.label} {row.key} [{key}] +{delta}: {fatal[0]}"
    return None


@pytest.mark.parametrize("name,kind,what,key", CASES)
def test_a_dropped_column_or_row_is_unknown_not_zero(name, kind, what, key):
    d = _dropped(name, kind, what, key)
    findings = _audit(d, name)
    assert _fatal(findings) == [], f"{name} {kind} 未列示{what} {key}"
    _assert_quoted(d, findings)
    assert _mutation_control(d, name, kind), f"{name} {kind} 未列示{what} {key}：改动其余印出的数字未被发现"


def test_the_cases_cover_every_kind_every_column_and_both_row_roles():
    for name in PROFILES:
        ids = [c.values for c in CASES if c.values[0] == name]
        for kind in _table_kinds(name):
            table = _base(name).table(kind)
            columns = {k for n, kk, w, k in ids if kk == kind and w == "column"}
            assert columns == {c.key for c in table.columns} - TEXT_COLUMNS - _zero_when_absent(name, kind), (name, kind)
        roles = {_base(name).table(kk).row(k).role for n, kk, w, k in ids if w == "row"}
        assert {"item", "subtotal"} <= roles or {"item", "total"} <= roles, (name, roles)
        assert len(_table_kinds(name)) >= 9


def test_what_was_not_checked_is_said_once_as_info():
    d = _dropped("xinjiang", "income", "column", "s:general")
    findings = _audit(d, "xinjiang")
    unchecked = [f for f in findings if f.rule == "A.UNCHECKED"]
    assert len(unchecked) == 1 and unchecked[0].severity == "info"
    assert "未列示不等于零" in unchecked[0].message


# Kinds the reader reads with the layout's fixed columns: every column is dropped in the round trip, since a
# column left out in the middle is the case that would shift the values after it.
FIXED_COLUMN_KINDS = {"general_basic", "general_project"}


def _one_per_kind() -> list:
    """The last droppable amount column of each kind that prints more than one (a lone amount column left
    out leaves a table of names the reader does not take for that table); every one of the fixed-column kinds."""
    chosen: dict = {}
    for case in CASES:
        name, kind, what, key = case.values
        if what == "column" and len([c for c in _base(name).table(kind).columns if c.key not in TEXT_COLUMNS]) > 1:
            slot = (name, kind, key) if kind in FIXED_COLUMN_KINDS else (name, kind)
            chosen[slot] = pytest.param(name, kind, key, id=f"{name}-{kind}-column-{key}")
    return list(chosen.values())


@pytest.mark.parametrize("name,kind,key", _one_per_kind())
def test_a_dropped_column_read_back_from_word_is_unknown_not_zero(tmp_path, name, kind, key):
    from yusuan.read import read_file
    from yusuan.render.docx import write_docx

    d = _dropped(name, kind, "column", key)
    d.origin = "composed"
    path = write_docx(d, tmp_path / "dropped.docx")
    read = read_file(path).disclosure
    table = read.table(kind)
    assert table is not None and key not in {c.key for c in table.columns}, (kind, key)
    findings = _audit(read, name)
    assert _fatal(findings) == [], f"{name} {kind} 未列示列 {key}（Word 读回）"
    _assert_quoted(read, findings)
