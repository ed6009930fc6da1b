"""Which region profile and which phase (budget / final accounts) a read file fits."""

from __future__ import annotations

from yusuan.amounts import normalise_text
from yusuan.disclosure import Table

# Words that identify a region's packages (place names in the unit or the signature).
_REGION_WORDS = {
    "xinjiang": ("新疆", "昌吉", "自治州", "乌鲁木齐", "伊犁", "喀什", "阿克苏", "哈密", "吐鲁番", "克拉玛依", "博尔塔拉", "巴音郭楞", "和田", "塔城", "阿勒泰"),
    "shanghai": ("上海",),
}


def detect_phase(text: str) -> str:
    n = normalise_text(text)
    return "final" if "决算" in n and "预算公开" not in n else "budget"


def detect_profile(text: str, tables: list[Table]) -> str:
    """The profile whose place names appear in the opening text; the Shanghai layout is also
    recognised by its own table kinds. Falls back to ``xinjiang`` (the national ten-table layout)."""
    n = normalise_text(text)
    kinds = {t.kind for t in tables}
    if "sangong_operating" in kinds or "fiscal_expenditure" in kinds:
        return "shanghai"
    for name, words in _REGION_WORDS.items():
        if any(w in n for w in words):
            return name
    return "xinjiang"
