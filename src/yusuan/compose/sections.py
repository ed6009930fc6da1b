"""Placing composed paragraphs in their section (budgets and final accounts alike)."""

from __future__ import annotations

from yusuan.compose.phrasing import pick
from yusuan.disclosure import Location, Section
from yusuan.profiles import Profile


def placed_section(spec, title: str, paragraphs: list, profile: Profile) -> Section:
    """A composed section: every paragraph and statement located in it, each statement in the phrasing
    the profile picks for its subject. Shared by ``compose`` and ``compose.final``."""
    for n, p in enumerate(paragraphs, start=1):
        p.location = Location(part=str(spec.part), section=title, paragraph=n)
        for s in p.statements:
            s.location = p.location
            s.phrasing = pick(profile.wording, s.subject)
    return Section(id=spec.id, part=spec.part, title=title, paragraphs=paragraphs,
                   location=Location(part=str(spec.part), section=title))
