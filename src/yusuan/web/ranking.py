"""The bureau (or region) ranking of departments by their stored disclosure-quality score.

One row per department: its current published version of the year and stage, with the score
stored at publication (``qualitymodels.VersionScore``). Equal scores share a place (1, 1, 3); a
version whose score could not be computed is listed last, without a place (unknown is not zero).
"""

from __future__ import annotations

from yusuan.web import opendata
from yusuan.web.models import Version


def current_of(year: int, phase: str, bureau_id: int | None = None, region_id: int | None = None) -> list:
    qs = Version.objects.filter(package__year=year, phase=phase).select_related("quality")
    if bureau_id:
        qs = qs.filter(package__department__bureau_id=bureau_id)
    if region_id:
        qs = qs.filter(package__department__bureau__region_id=region_id)
    return opendata.current_versions(qs)


def score_of(v):
    """The version's stored score row, or None (a version scored by nothing yet)."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return v.quality
    except ObjectDoesNotExist:
        return None


def ranking(year: int, phase: str, bureau_id: int | None = None, region_id: int | None = None) -> list[dict]:
    """``[{"place", "version", "score", "dimensions": {key: dimension}}]``, best first."""
    rows = []
    for v in current_of(year, phase, bureau_id, region_id):
        q = score_of(v)
        rows.append({"version": v, "score": q.total if q else None,
                     "dimensions": {d["key"]: d for d in (q.breakdown.get("dimensions") if q else [])}})
    scored = sorted((r for r in rows if r["score"] is not None),
                    key=lambda r: (-r["score"], r["version"].package.department.name))
    unknown = sorted((r for r in rows if r["score"] is None), key=lambda r: r["version"].package.department.name)
    place, previous = 0, None
    for n, r in enumerate(scored, start=1):
        if r["score"] != previous:
            place, previous = n, r["score"]
        r["place"] = place
    for r in unknown:
        r["place"] = None
    return scored + unknown


def years_and_phases() -> list[tuple[int, str]]:
    """(year, phase) pairs that have a published version, newest year first."""
    pairs = set(Version.objects.values_list("package__year", "phase"))
    return sorted(pairs, key=lambda p: (-p[0], p[1]))
