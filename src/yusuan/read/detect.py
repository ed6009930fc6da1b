"""Which region profile and which phase (budget / final accounts) a read file fits."""

from __future__ import annotations

import functools
import re

from yusuan.amounts import normalise_text
from yusuan.disclosure import Table

# Words that identify a region's packages (place names in the unit or the signature).
_REGION_WORDS = {
    "xinjiang": ("新疆", "昌吉", "自治州", "乌鲁木齐", "伊犁", "喀什", "阿克苏", "哈密", "吐鲁番", "克拉玛依", "博尔塔拉", "巴音郭楞", "和田", "塔城", "阿勒泰"),
    "shanghai": ("上海",),
}
# A region's final accounts, when they are laid out differently from its budgets.
_FINAL_PROFILES = {"shanghai": "shanghai_final"}
# Final accounts of a region without its own final layout: the nine-table layout most provinces publish.
DEFAULT_FINAL_PROFILE = "final_common"


def detect_phase(paragraphs: list[str] | str) -> str:
    """``final`` for final accounts (部门决算), ``budget`` otherwise. The title decides: the first
    short opening line that names only one of 预算 / 决算 (“…2024年度部门决算” / “…2025年区级部门预算”);
    a budget's text may well say 决算 (“负责编制年度财政预决算”), so the body is only a fallback."""
    texts = [paragraphs] if isinstance(paragraphs, str) else list(paragraphs)
    for text in texts[:12]:
        n = normalise_text(text).replace("预决算", "")
        if len(n) > 60:
            continue
        final, budget = "决算" in n, "预算" in n
        if final != budget:
            if final or not n.startswith("预算主管部门"):
                return "final" if final else "budget"
    body = normalise_text(" ".join(texts)).replace("预决算", "")
    return "final" if body.count("决算") > body.count("预算") else "budget"


# Section numbering a title starts with (一、 （一） 1. 第三部分), left out when titles are compared.
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])+")
# A layout wins on its section titles when this many read titles are its own and none fewer than
# ``_TITLE_MARGIN`` more than any other layout's.
_TITLE_VOTES, _TITLE_MARGIN = 3, 2


@functools.lru_cache(maxsize=None)
def _title_patterns(profile: str) -> tuple[re.Pattern, ...]:
    from yusuan.profiles import load_profile

    out = []
    for section in load_profile(profile).sections:
        title = _NUMBERING.sub("", normalise_text(section.title or ""))
        if not title:
            continue
        pattern = re.escape(title).replace(re.escape("{unit}"), ".*?").replace(re.escape("{year}"), r"\d{4}")
        out.append(re.compile(pattern))
    return tuple(out)


def _title_votes(titles: list[str]) -> dict[str, int]:
    """How many of the read section titles each region's budget layout prints as its own."""
    keys = [_NUMBERING.sub("", normalise_text(t)) for t in titles if t]
    return {name: sum(1 for k in keys if any(p.fullmatch(k) for p in _title_patterns(name))) for name in _REGION_WORDS}


def detect_profile(text: str, tables: list[Table], phase: str = "budget", titles: list[str] | None = None) -> str:
    """The layout the document is printed in: the Shanghai layout by its own table kinds, else the layout
    whose section titles the document prints (``titles``: a clear majority), else the profile whose place
    names appear in the opening text; ``xinjiang`` (the national ten-table layout) when nothing tells.
    The layout decides before the place: a Shanghai-style document of another region reads as Shanghai.
    Final accounts of a region with its own final-account layout get that profile."""
    n = normalise_text(text)
    kinds = {t.kind for t in tables}
    votes = _title_votes(titles or [])
    best = max(votes, key=votes.get) if votes else None
    runner_up = max((v for k, v in votes.items() if k != best), default=0)
    if "sangong_operating" in kinds or "fiscal_expenditure" in kinds:
        region = "shanghai"
    elif best is not None and votes[best] >= _TITLE_VOTES and votes[best] - runner_up >= _TITLE_MARGIN:
        region = best
    else:
        region = next((name for name, words in _REGION_WORDS.items() if any(w in n for w in words)), "xinjiang")
    return _FINAL_PROFILES.get(region, DEFAULT_FINAL_PROFILE) if phase == "final" else region
