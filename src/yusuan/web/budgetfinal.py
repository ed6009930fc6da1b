"""Budget against final account of one department and year on the portal: both current published
versions composed as they were published, then the domain comparison of ``yusuan compare``
(``yusuan.budget_final``, the FB.* rules) — nothing of the comparison is worked out here."""

from __future__ import annotations

from functools import lru_cache

from yusuan.web import opendata
from yusuan.web.models import Version


def pair(department_id: int, year: int) -> tuple | None:
    """(budget version, final version): the current published ones, or None when one is missing."""
    found = {v.phase: v for v in opendata.current_versions(
        Version.objects.filter(package__department_id=department_id, package__year=year))}
    if "budget" in found and "final" in found:
        return found["budget"], found["final"]
    return None


@lru_cache(maxsize=64)
def _comparison(budget_id: int, final_id: int, published: str) -> tuple[list, list[dict]]:
    """Keyed by the ids and their publication times (an id reused after a rolled-back test is no hit)."""
    from yusuan.budget_final import side_by_side
    from yusuan.compose import compose
    from yusuan.rules.engine import check_disclosure
    from yusuan.web.services import facts_of

    b = compose(facts_of(Version.objects.get(pk=budget_id).facts))
    f = compose(facts_of(Version.objects.get(pk=final_id).facts))
    lines = side_by_side(b, f)
    findings = [{"rule": x.rule, "severity": x.severity, "message": x.message}
                for x in check_disclosure(f, previous=b).findings if x.rule.startswith("FB.")]
    return lines, findings


def comparison(budget: Version, final: Version) -> dict:
    """``{"functions": [Line], "sangong": [Line], "findings": [...]}`` (versions never change: cached by id)."""
    lines, findings = _comparison(budget.pk, final.pk, f"{budget.published_at.isoformat()}/{final.published_at.isoformat()}")
    return {"functions": [x for x in lines if x.code != "三公"], "sangong": [x for x in lines if x.code == "三公"],
            "findings": findings}
