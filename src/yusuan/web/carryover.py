"""A department's package of a new year, started from last year's published version, and the diff
of a draft against it.

``newyear.new_package`` creates the package of year Y. When the department's year Y−1 has a published
version, its facts are the starting draft: last year's texts (Part 1, explanations, project
descriptions, performance targets, glossary) and structure, and as 上年数 (``last_year``) every
figure last year's disclosure printed for the subjects the narrative compares — read from the
disclosure composed from the published facts with the same lookup the checks use, so the carried
figure is the one the public saw. The change reasons are not carried (they are this year's to
write). This year's own amounts start as last year's and must be updated: the page says so, and
the diff shows what has not changed yet, and a package whose amounts are all still last year's
cannot be submitted (``not_updated``). Without a published year before, the package starts empty.

``diff`` compares the draft with that published version: the printed tables cell by cell, table
by table, and the texts paragraph by paragraph (difflib).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import mark_safe

from yusuan.web import services
from yusuan.web.models import Department, Package, Version


class Refused(Exception):
    """The package cannot be created; the message is for the user (Chinese)."""


def published_before(department: Department, year: int, phase: str = "budget") -> Version | None:
    """The current (latest) published version of the department's year ``year − 1`` of the same stage
    (a budget is carried from last year's budget, never from a final account)."""
    return (Version.objects.filter(package__department=department, package__year=year - 1, package__phase=phase)
            .select_related("package").order_by("-number").first())


# ------------------------------------------------------------------ carrying last year in

def _subjects(prev, statement_subjects) -> list[str]:
    """The subjects whose last-year figure a budget's narrative states (BudgetPackage.last_year keys):
    the totals, 三公 and 机关运行经费, the sources last year funded, its 项 of general budget spending,
    what its narrative stated and the subjects it carried itself."""
    from yusuan import derive

    subjects = ["total", "expenditure:basic", "expenditure:project", "general:total", "general:basic",
                "general:project", "sangong:total", "sangong:abroad", "sangong:vehicle_purchase",
                "sangong:vehicle_operation", "sangong:reception", "operating_costs"]
    subjects += [f"income:{s.value}" for s, amount in derive.by_source(prev).items() if amount]
    codes = {line.function for line in prev.basic} | {p.function for p in prev.projects}
    subjects += [f"general:function:{c}" for c in sorted(codes) if len(c) == 7]
    subjects += list(statement_subjects) + list(prev.last_year)
    return list(dict.fromkeys(subjects))


def carried_figures(prev) -> dict:
    """Subject → ``PriorYear`` for every subject last year's composed disclosure prints, in a table
    or else in its text (``rules.previous.published``: what the Y.PREVIOUS checks compare with);
    never a figure it does not print (unknown is not zero)."""
    import re

    from yusuan.compose import compose
    from yusuan.model.package import SUBJECT_PATTERNS, PriorYear
    from yusuan.rules.engine import _resolve_profile, profile_settings
    from yusuan.rules.narrative_base import placed
    from yusuan.rules.previous import published
    from yusuan.rules.registry import Context, Settings

    profile = _resolve_profile(None, prev.unit.profile)
    disclosure = compose(prev, profile)
    ctx = Context(disclosure=disclosure, package=prev, settings=Settings(), profile=profile_settings(profile),
                  previous=disclosure)
    stated = {p.subject for p in placed(ctx)}
    out = {}
    for subject in _subjects(prev, stated):
        if not any(re.fullmatch(p, subject) for p in SUBJECT_PATTERNS):
            continue
        try:
            figure = published(ctx, subject)
        except Exception:  # noqa: BLE001 - a subject this layout has no table for: not carried
            continue
        if figure is not None and figure.amount is not None:
            out[subject] = PriorYear(amount=figure.amount)
    return out


def carried_package(prev_facts: dict, year: int):
    """Last year's published facts as this year's starting draft (``BudgetPackage``)."""
    from yusuan.model import BudgetPackage

    try:
        prev = BudgetPackage.model_validate(prev_facts)
    except Exception as exc:  # noqa: BLE001 - e.g. a final account: not a budget to carry
        raise Refused(f"上年已发布的数据不是部门预算，无法结转（{type(exc).__name__}）") from None
    new = prev.model_copy(deep=True)
    new.unit.budget_year = year
    new.last_year = carried_figures(prev)
    return new


AMOUNT_KEYS = ("basic", "basic_economic", "sangong", "operating_costs", "procurement", "assets")


def amounts_of(facts: dict) -> dict:
    """The facts that are this year's amounts (not texts, not 上年数): equal to last year's means the
    carried-over starting draft has not been updated yet."""
    out = {k: facts.get(k) for k in AMOUNT_KEYS}
    out["projects"] = [(p.get("name"), p.get("funding"), p.get("economic")) for p in facts.get("projects", [])]
    return out


def not_updated(package: Package) -> Version | None:
    """The published version of the year before whose amounts the package still has unchanged, if any.
    Only a budget is carried over (a final account starts empty), so only a budget can be "not updated"."""
    if package.facts is None or package.phase != "budget":
        return None
    prev = published_before(package.department, package.year)
    if prev is not None and amounts_of(package.facts) == amounts_of(prev.facts):
        return prev
    return None


# ------------------------------------------------------------------ the diff

@dataclass
class CellChange:
    row: str
    column: str
    old: str
    new: str


@dataclass
class TableDiff:
    label: str
    changes: list[CellChange] = field(default_factory=list)
    added: list[str] = field(default_factory=list)    # rows only this year
    removed: list[str] = field(default_factory=list)  # rows only last year
    same_rows: int = 0
    only: str = ""  # "new" / "old": the table itself is printed in one year only


@dataclass
class ParagraphDiff:
    kind: str  # same / changed / added / removed
    html: str


@dataclass
class SectionDiff:
    title: str
    paragraphs: list[ParagraphDiff]

    @property
    def changed(self) -> int:
        return sum(1 for p in self.paragraphs if p.kind != "same")


@dataclass
class Diff:
    tables: list[TableDiff]
    sections: list[SectionDiff]

    @property
    def changed_cells(self) -> int:
        return sum(len(t.changes) for t in self.tables)

    @property
    def changed_paragraphs(self) -> int:
        return sum(s.changed for s in self.sections)


def _table_key(label: str) -> str:
    """Tables are matched by their title without the year (表3 2023年… = 表3 2024年…)."""
    import re

    return re.sub(r"(19|20)\d{2}\s*年", "", label)


def _rows(view: dict) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row in view.get("rows", []):
        label = row["label"] or "（无名称行）"
        while label in out:  # the same label twice (e.g. blank rows): keep both
            label += "＊"
        out[label] = {col: cell["text"] for col, cell in zip(view.get("columns", []), row["cells"])}
    return out


def table_diffs(old_views: list[dict], new_views: list[dict]) -> list[TableDiff]:
    old_by = {_table_key(v["label"]): v for v in old_views}
    out = []
    for view in new_views:
        key = _table_key(view["label"])
        before = old_by.pop(key, None)
        td = TableDiff(view["label"])
        if before is None:
            td.only = "new"
            out.append(td)
            continue
        old_rows, new_rows = _rows(before), _rows(view)
        for label, cells in new_rows.items():
            if label not in old_rows:
                td.added.append(label)
                continue
            changed = [CellChange(label, col, old_rows[label].get(col, "（未列示）"), text)
                       for col, text in cells.items() if old_rows[label].get(col, "（未列示）") != text]
            td.changes += changed
            td.same_rows += not changed
        td.removed = [label for label in old_rows if label not in new_rows]
        out.append(td)
    out += [TableDiff(v["label"], only="old") for v in old_by.values()]
    return out


def _inline(old: str, new: str) -> str:
    """A changed paragraph: deleted characters struck through, inserted ones marked."""
    parts = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            parts.append(escape(old[a1:a2]))
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(old[a1:a2])}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(new[b1:b2])}</ins>")
    return "".join(parts)


def paragraph_diffs(old: list[str], new: list[str]) -> list[ParagraphDiff]:
    out = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            out += [ParagraphDiff("same", escape(t)) for t in new[b1:b2]]
            continue
        pairs = list(zip(old[a1:a2], new[b1:b2])) if op == "replace" else []
        for a, b in pairs:
            out.append(ParagraphDiff("changed", _inline(a, b)))
        out += [ParagraphDiff("removed", f"<del>{escape(t)}</del>") for t in old[a1 + len(pairs):a2]]
        out += [ParagraphDiff("added", f"<ins>{escape(t)}</ins>") for t in new[b1 + len(pairs):b2]]
    for p in out:
        p.html = mark_safe(p.html)  # noqa: S308 - every piece of text was escaped above
    return out


def _sections(facts: dict) -> list[tuple[str, str, list[str]]]:
    from yusuan.compose import compose

    disclosure = compose(services.facts_of(facts))
    return [(s.id, s.title, [p.text for p in s.paragraphs]) for s in disclosure.sections]


def diff(package: Package, prev: Version) -> Diff:
    old_sections = {sid: (title, paras) for sid, title, paras in _sections(prev.facts)}
    sections = []
    for sid, title, paras in _sections(package.facts):
        _, before = old_sections.pop(sid, (title, []))
        sections.append(SectionDiff(title, paragraph_diffs(before, paras)))
    sections += [SectionDiff(title, paragraph_diffs(paras, [])) for title, paras in old_sections.values()]
    return Diff(table_diffs(prev.tables or [], package.tables or []), sections)
