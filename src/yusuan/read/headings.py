"""Section headings from a region profile (``yusuan.profiles``): a file printed without the
national 第一部分…第四部分 markers (Shanghai) is sectioned by the titles its profile prints.

A profile title like "六、其他相关情况说明 一、{year}年“三公”经费预算情况说明" is two headings; the
last one names the section. Numbering (一、 1. （一）) is ignored when matching, {year} and {unit}
match any year and any unit name.
"""

from __future__ import annotations

import re

from yusuan.amounts import normalise_text

_NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、]|[(（][一二三四五六七八九十]+[)）])")


def _strip(text: str) -> str:
    text = normalise_text(text)
    while True:
        stripped = _NUMBERING.sub("", text)
        if stripped == text:
            return text
        text = stripped


# A heading that starts with 部门 (部门主要职能) is often printed with the unit's own name in its place
# (上海市普陀区财政局主要职能): a name-like run, no punctuation nor figures.
_UNIT_NAME = r"[^\d，。；：,;:“”\s]{2,30}?"


def _pattern(title: str) -> re.Pattern:
    body = re.escape(_strip(title)).replace(re.escape("{year}") + "年", r"(\d{4}年)?")
    body = body.replace(re.escape("{year}"), r"\d{4}").replace(re.escape("{unit}"), ".+?")
    if body.startswith("部门") and not body.startswith("部门预算"):
        body = f"(部门|{_UNIT_NAME})" + body[2:]
    return re.compile(f"^{body}$")


# Who the budget is of (部门预算 / 单位预算) does not make another section: a unit budget titled like a
# department's, or a title with the entity words added or left out, names the same section (and the
# wording rules, not the reader, say whether it is the right word).
_ENTITY = re.compile(r"(部门|单位)预算")


def _without_entity(text: str) -> str:
    return _ENTITY.sub("", text)


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


class ProfileHeadings:
    def __init__(self, profile) -> None:
        self.sections: list[tuple[re.Pattern, str, int]] = []
        self.plain: list[tuple[re.Pattern, str, int]] = []  # the same titles without 部门预算/单位预算
        self.groups: list[tuple[re.Pattern, int]] = []  # headings above sections ("其他相关情况说明")
        for spec in getattr(profile, "sections", []) or []:
            pieces = re.split(r"\s+(?=[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])", spec.title.strip())
            self.sections.append((_pattern(pieces[-1]), spec.id, spec.part))
            self.plain.append((_pattern(_without_entity(pieces[-1])), spec.id, spec.part))
            self.groups += [(_pattern(piece), spec.part) for piece in pieces[:-1]]
        self.parts: list[tuple[re.Pattern, int]] = [(_pattern(p.heading), p.number) for p in getattr(profile, "parts", []) or []]

    def section(self, text: str) -> tuple[str, int] | None:
        n = _strip(text)
        for pattern, sid, part in self.sections:
            if pattern.match(n):
                return sid, part
        if _ENTITY.search(n) or any(_ENTITY.search(p.pattern) for p, _, _ in self.sections):
            bare = _without_entity(n)
            for pattern, sid, part in self.plain:
                if pattern.match(bare):
                    return sid, part
        # a heading worded a little shorter than the profile's ("政府采购情况" for "政府采购预算情况")
        if 4 <= len(n) <= 30 and not n.endswith(("。", ":")) and not re.search(r"\d", n):
            for pattern, sid, part in self.sections:
                title = re.sub(r"\(\\d\{4\}年\)\?|\\d\{4\}|\.\+\?|[\\^$]", "", pattern.pattern)
                if len(n) >= 0.6 * len(title) and _subsequence(n, title):
                    return sid, part
        return None

    def group(self, text: str) -> int | None:
        n = _strip(text)
        for pattern, part in self.groups:
            if pattern.match(n):
                return part
        return None

    def part(self, text: str) -> int | None:
        n = _strip(text)
        for pattern, number in self.parts:
            if pattern.match(n):
                return number
        return None


def load_headings(name: str) -> ProfileHeadings | None:
    try:
        from yusuan.profiles import load_profile

        return ProfileHeadings(load_profile(name))
    except Exception:  # noqa: BLE001 - without a profile the national headings still apply
        return None
