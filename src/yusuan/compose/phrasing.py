"""Phrasing families of the narrative: the ways real publishers word the same statement.

A profile's wording lists the families its narrative may use (``Wording.phrasings``, default only
"standard", the wording of the profile itself). Each statement takes one family, chosen from its
subject and ``Wording.phrasing_seed`` (a hash, so the choice is stable and needs no state), and the
composed ``Statement.phrasing`` records it. The synthetic corpus (``yusuan synth``) composes with all
families to measure that the reader understands each of them.

Families (each changes only the clauses it concerns; elsewhere a statement reads as "standard"):
- ``standard``: 比上年预算增加12.00万元，增长5.00%; 一般公共服务支出（类）……（款）……（项）
- ``compared``: 较上年预算增加12.00万元，增幅5.00% / 减少…，降幅…%
- ``yoy``: 与上年相比增加12.00万元，同比增长5.00%
- ``bracket_levels``: 一般公共服务支出（201类）人大事务（01款）行政运行（01项）
- ``code_first``: 2010101行政运行
"""

from __future__ import annotations

import zlib

PHRASINGS: tuple[str, ...] = ("standard", "compared", "yoy", "bracket_levels", "code_first")


def pick(wording, subject: str) -> str:
    """The family ``subject`` is worded in (the first of ``wording.phrasings`` when there is one)."""
    families = [f for f in wording.phrasings if f in PHRASINGS] or ["standard"]
    if len(families) == 1:
        return families[0]
    return families[zlib.crc32(f"{wording.phrasing_seed}:{subject}".encode()) % len(families)]


def change_clause(family: str, prefix: str, change_word: str, change: str, rate_word: str, rate: str) -> str:
    """The year-over-year clause: ``change`` and ``rate`` already formatted (12.00万元, 5.00%)."""
    if family == "compared":
        prefix = prefix.replace("比", "较", 1) if prefix.startswith("比") else prefix
        return f"{prefix}{change_word}{change}，{'增幅' if rate_word == '增长' else '降幅'}{rate}"
    if family == "yoy":
        return f"与上年相比{change_word}{change}，同比{rate_word}{rate}"
    return f"{prefix}{change_word}{change}，{rate_word}{rate}"


def item_path(family: str, code: str, name) -> str:
    """The 类/款/项 chain of a function 项 ``code``; ``name(code)`` gives a printed name."""
    if family == "bracket_levels":
        return f"{name(code[:3])}（{code[:3]}类）{name(code[:5])}（{code[3:5]}款）{name(code)}（{code[5:7]}项）"
    if family == "code_first":
        return f"{code}{name(code)}"
    return f"{name(code[:3])}（类）{name(code[:5])}（款）{name(code)}（项）"
