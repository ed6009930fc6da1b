"""The document outline every format follows: parts, their headings, and what goes in each.

Part 1 概况 (sections of part 1), Part 2 the tables, Part 3 情况说明 (sections of part 3, then the
performance-target tables), Part 4 名词解释 (the glossary section), then signature and date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yusuan.disclosure import Disclosure, Section
from yusuan.render.layout import Grid, PerfLayout, grids, perf_layout


@dataclass
class Part:
    number: int
    heading: str
    anchor: str
    sections: list[Section] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    perf: list[PerfLayout] = field(default_factory=list)
    perf_heading: str = ""


def phase_word(d: Disclosure) -> str:
    return "部门预算" if d.phase == "budget" else "部门决算"


def year_text(d: Disclosure) -> str:
    return f"{d.budget_year}年" if d.budget_year else ""


def parts(d: Disclosure) -> list[Part]:
    by_part: dict[int, list[Section]] = {}
    for s in d.sections:
        by_part.setdefault(s.part, []).append(s)
    y, w = year_text(d), phase_word(d)
    out = [
        Part(1, f"第一部分　{d.unit_name}概况", "part-1", sections=by_part.get(1, [])),
        Part(2, f"第二部分　{y}{w}公开表", "part-2", grids=grids(d)),
        Part(3, f"第三部分　{y}{w}情况说明", "part-3", sections=by_part.get(3, []),
             perf=[perf_layout(p.table, d.budget_year, p.stated_total, i) for i, p in enumerate(d.performance, 1)],
             perf_heading="项目支出绩效目标表" if d.performance else ""),
        Part(4, "第四部分　名词解释", "part-4", sections=by_part.get(4, [])),
    ]
    return [p for p in out if p.sections or p.grids or p.perf]


def section_title(s: Section) -> str:
    # The glossary section's own title repeats the part heading; its entries carry their numbers.
    return "" if s.part == 4 and s.title.strip() in ("名词解释", "") else s.title


def cover_title(d: Disclosure) -> str:
    return d.title or f"{d.unit_name}{year_text(d)}{phase_word(d)}公开"
