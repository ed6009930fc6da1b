"""Loading performance tables and the figures the Part 3 performance paragraph states about them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from yusuan.disclosure import Location, PrintedPerformance
from yusuan.errors import InputError, InputProblem
from yusuan.model.performance import PerformanceTable

_LIST = TypeAdapter(list[PerformanceTable])


def load_tables(path: str | Path) -> list[PerformanceTable]:
    """Tables from a ``performance.yaml``-style list, or from a whole package (file or folder)."""
    from yusuan.load import _read_any, explain, json_path, load_package

    path = Path(path)
    if path.is_dir() or path.name.startswith("package."):
        return load_package(path).performance
    if not path.exists():
        raise InputError(str(path), [InputProblem(str(path), "文件不存在")])
    data = _read_any(path)
    if isinstance(data, dict) and "performance" in data and "unit" not in data:
        data = data["performance"]
    if isinstance(data, dict):
        return load_package(path).performance
    try:
        return _LIST.validate_python(data)
    except ValidationError as exc:
        raise InputError(str(path), [InputProblem(f"{path}: {json_path(e['loc'])}", explain(e)) for e in exc.errors()]) from None


def as_printed(tables: list[PerformanceTable], part: str = "第三部分") -> list[PrintedPerformance]:
    """Wrap tables as a disclosure prints them (stated total = fiscal + other, as composition prints)."""
    return [
        PrintedPerformance(table=t, stated_total=t.total,
                           location=Location(part=part, section="other.performance", table=f"绩效目标表{n}：{t.printed_name}"))
        for n, t in enumerate(tables, start=1)
    ]


@dataclass
class FundingSummary:
    """What 十一（四）预算绩效情况 states: projects and amounts under 财政拨款 and 非财政拨款."""

    fiscal_count: int
    fiscal_amount: Decimal
    nonfiscal_count: int
    nonfiscal_amount: Decimal


def funding_summary(tables: list[PerformanceTable]) -> FundingSummary:
    """A table counts under 财政拨款 when it has fiscal money and under 非财政拨款 when it has other
    money (a mixed table counts under both, with its part in each)."""
    fiscal = [t for t in tables if t.fiscal > 0]
    other = [t for t in tables if t.other > 0]
    return FundingSummary(
        len(fiscal), sum((t.fiscal for t in fiscal), Decimal(0)),
        len(other), sum((t.other for t in other), Decimal(0)),
    )


def location_of(printed: PrintedPerformance) -> Location:
    return printed.location or Location(section="other.performance", table=f"绩效目标表：{printed.table.printed_name}")
