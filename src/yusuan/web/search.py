"""The portal's search: one denormalised text per published version (written once, with the
immutable version); the full-text index and the ranking by relevance are in ``web/fulltext.py``.

Chinese is not split into words: any substring of a department, unit or project name, or of a
function classification code or name, matches (trigrams on both databases).
"""

from __future__ import annotations

from functools import reduce
from operator import and_

from django.db.models import Q


def phase_of(facts: dict | None) -> str:
    return "final" if ((facts or {}).get("unit") or {}).get("phase") == "final" else "budget"


def _function_terms(facts: dict) -> list[str]:
    """Every function code the package spends on, with its 类 and 款 parents, as "code name"."""
    from yusuan import catalog

    year = (facts.get("unit") or {}).get("budget_year") or 2023
    codes = {line.get("function") for line in facts.get("basic") or []}
    codes |= {p.get("function") for p in facts.get("projects") or []}
    codes = {c for c in codes if c}
    codes |= {c[:n] for c in codes for n in (3, 5) if len(c) > n}
    try:
        cat = catalog.load("function", int(year))
        given = ((facts.get("class_names") or {}).get("function")) or {}
        names = {c: cat.name(c) or given.get(c) for c in codes}
    except Exception:  # noqa: BLE001 - a year without a catalogue still has searchable codes
        names = {}
    return [f"{c} {names.get(c) or ''}".strip() for c in sorted(codes)]


def search_text(package, facts: dict | None) -> str:
    facts = facts or {}
    unit = facts.get("unit") or {}
    dept = package.department
    parts = [dept.name, dept.code, dept.bureau.name, dept.bureau.region.name, unit.get("name"), unit.get("full_name"),
             unit.get("region"), f"{package.year}年"]
    parts += [u.name for u in dept.units.all()]
    parts += (facts.get("overview") or {}).get("subordinate_units") or []
    for p in facts.get("projects") or []:
        parts += [p.get("name"), p.get("described_name")]
    parts += _function_terms(facts)
    seen, out = set(), []
    for part in parts:
        if part and part not in seen:
            seen.add(part)
            out.append(str(part))
    return "\n".join(out)


def clean_query(q: str | None) -> str:
    """The query as typed, without control characters (PostgreSQL refuses NUL), at most 100 characters."""
    return "".join(ch for ch in (q or "") if ch.isprintable()).strip()[:100]


def terms_of(q: str | None) -> list[str]:
    return list(dict.fromkeys(clean_query(q).split()))


def matching(q: str | None) -> Q:
    """Every whitespace-separated term must occur (in any field of the version's search text): the
    plain substring match, used where no full-text index exists (``fulltext.backend() == "like"``)."""
    terms = clean_query(q).split()
    if not terms:
        return Q()
    return reduce(and_, (Q(search_text__icontains=t) for t in terms))
