"""Which region profile and which phase (budget / final accounts) a read file fits."""

from __future__ import annotations

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


def detect_profile(text: str, tables: list[Table], phase: str = "budget") -> str:
    """The profile whose place names appear in the opening text; the Shanghai layout is also
    recognised by its own table kinds. Falls back to ``xinjiang`` (the national ten-table layout).
    Final accounts of a region with its own final-account layout get that profile."""
    n = normalise_text(text)
    kinds = {t.kind for t in tables}
    region = "xinjiang"
    if "sangong_operating" in kinds or "fiscal_expenditure" in kinds:
        region = "shanghai"
    else:
        region = next((name for name, words in _REGION_WORDS.items() if any(w in n for w in words)), "xinjiang")
    return _FINAL_PROFILES.get(region, DEFAULT_FINAL_PROFILE) if phase == "final" else region
