"""The paragraphs of a disclosure as the text rules read them, listed and joined once per check: the printed
paragraphs in order, their text joined (one scan of the whole text instead of one per paragraph), the
paragraphs holding a position of it, their NFKC-normalised text, and how a finding names a paragraph.

Shared by the hygiene (H.*), wording (W.*) and completeness (K.*) rules; registers no rules itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterable, Iterator

from yusuan.disclosure import Paragraph, Section
from yusuan.rules.narrative_base import PART_NAMES, short_title
from yusuan.rules.registry import Context
from yusuan.rules.text_forms import normalised  # noqa: F401 - used here and by the rules that import it from here


def paragraphs(ctx: Context) -> tuple[tuple[Section, int, Paragraph], ...]:
    """Every paragraph with its section and number; listed once per check (a dozen rules walk them)."""
    return ctx.cached(("paragraphs",), lambda: tuple(
        (section, i, para) for section in ctx.disclosure.sections for i, para in enumerate(section.paragraphs, start=1)))


def paragraphs_with(ctx: Context, pattern: re.Pattern) -> tuple[tuple[Section, int, Paragraph], ...]:
    """``paragraphs(ctx)``, or none at all when ``pattern`` occurs nowhere in the text.

    One search of the whole text (paragraphs joined) replaces ~150 searches when, as usual, a package
    has no placeholder, no half-width comma, no amount in 元… It is exact for patterns without anchors
    or look-behind (^, $, \\b): a match inside a paragraph is also a match in the joined text."""
    return paragraphs(ctx) if pattern.search(joined_text(ctx)[0]) else ()


def positions_led_by(text: str, firsts: Iterable[str], pattern: re.Pattern) -> Iterator[int]:
    """Where in ``text`` ``pattern`` matches, for a pattern each match of which starts with one of ``firsts``
    (characters, or strings): the pattern is tried only where str.find finds one of them, in the order of
    ``firsts`` (not in text order), and a position inside an earlier match is tried too. The regex engine
    scans for a class of non-ASCII characters, or a choice of words, ~10x slower than str.find scans for one."""
    for first in firsts:
        at = text.find(first)
        while at != -1:
            if pattern.match(text, at):
                yield at
            at = text.find(first, at + 1)


def matches_led_by(text: str, firsts: Iterable[str], pattern: re.Pattern) -> bool:
    """``pattern.search(text) is not None``, found with ``positions_led_by``."""
    return next(positions_led_by(text, firsts, pattern), None) is not None


def paragraphs_matching(ctx: Context, pattern: re.Pattern, hint: re.Pattern | None = None,
                        hint_firsts: Iterable[str] | None = None) -> list[tuple[Section, int, Paragraph]]:
    """The paragraphs in which ``pattern`` occurs, found by one scan of the joined text.

    Only for patterns that cannot match the separator (a newline) nor look past a match's ends: then
    no match spans two paragraphs, and the scan meets in each paragraph exactly the matches a scan of
    that paragraph alone would.

    ``hint``, when given, is a pattern found in every match of ``pattern`` (a part of it that starts
    with a literal character, which the regex engine finds many times faster than a pattern starting
    with a class or a look-behind): when the text holds no ``hint``, there is no match and the slow
    scan is skipped. Usually the text holds none. ``hint_firsts``, when given, are the characters every match
    of ``hint`` starts with: the hint is looked for with ``matches_led_by``."""
    joined, starts = joined_text(ctx)
    if hint is not None:
        if not (matches_led_by(joined, hint_firsts, hint) if hint_firsts else hint.search(joined)):
            return []
    return paragraphs_at(ctx, (m.start() for m in pattern.finditer(joined)))


def paragraphs_at(ctx: Context, positions: Iterable[int]) -> list[tuple[Section, int, Paragraph]]:
    """The paragraphs (in printed order, each once) holding these positions of the joined text."""
    starts = joined_text(ctx)[1]
    hit = sorted({bisect_right(starts, pos) - 1 for pos in positions})
    every = paragraphs(ctx)
    return [every[i] for i in hit]


def joined_text(ctx: Context) -> tuple[str, list[int]]:
    """All paragraph texts joined by newlines, and where each paragraph starts in it."""
    def build() -> tuple[str, list[int]]:
        starts, pos = [], 0
        for _, _, para in paragraphs(ctx):
            starts.append(pos)
            pos += len(para.text) + 1
        return "\n".join(p.text for _, _, p in paragraphs(ctx)), starts

    return ctx.cached(("joined_text",), build)




def normalised_paragraph(ctx: Context, paragraph: Paragraph) -> str:
    """``normalised(paragraph.text)`` once per paragraph per check (hygiene and completeness rules share it)."""
    text = normalised_paragraphs(ctx).get(id(paragraph))
    if text is not None:
        return text
    return ctx.cached(("normalised", id(paragraph)), lambda: normalised(paragraph.text))  # not one of ``paragraphs(ctx)``


# Joins the paragraphs for one normalisation of the whole text. NUL is not whitespace and is a stable
# character of NFKC (a starter that never composes or reorders with its neighbours, and maps to itself): NFKC
# of the joined text is the NFKC of each paragraph joined by it, so each piece is ``normalised`` of its paragraph.
_NUL = "\x00"


def normalised_paragraphs(ctx: Context) -> dict[int, str]:
    """id(paragraph) → ``normalised(paragraph.text)`` for every paragraph, computed once per check on the
    paragraphs joined: the per-call work of ``normalised`` (its scans, the NFKC check) was most of its cost
    on ~150 short paragraphs, done once on the whole text it is a third."""
    def build() -> dict[int, str]:
        every = paragraphs(ctx)
        texts = [para.text for _, _, para in every]
        joined = _NUL.join(texts)
        if joined.count(_NUL) != len(texts) - 1:  # a paragraph holds a NUL itself: one at a time
            return {id(para): normalised(text) for (_, _, para), text in zip(every, texts)}
        pieces = normalised(joined).split(_NUL)  # whitespace removed across the joined text: NUL is kept
        return {id(para): piece for (_, _, para), piece in zip(every, pieces)}

    return ctx.cached(("normalised_paragraphs",), build)


def where(section: Section, i: int) -> str:
    return f"{PART_NAMES.get(section.part, '')}“{short_title(section.title)}”第{i}段"


def excerpt(text: str, start: int, end: int, pad: int = 12) -> str:
    return text[max(0, start - pad): end + pad].strip()
