"""Findings: what a check (or a reader) reports. The JSON form is a stable, documented schema."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from yusuan.disclosure import Location

Severity = Literal["fatal", "warning", "info"]
Category = Literal[
    "within-table", "cross-table", "text-vs-table", "year-over-year", "catalogue", "completeness",
    "performance", "facts", "text", "reading",
]
SEVERITIES = frozenset(get_args(Severity))
CATEGORIES = frozenset(get_args(Category))


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str = Field(description="stable rule ID, e.g. T2.ROW.SOURCES")
    severity: Severity
    category: Category
    message: str = Field(description="Chinese, for the finance officer")
    location: Location | None = None
    subject: str | None = Field(default=None, description="row/statement key the finding is about")
    stated: Decimal | str | None = None
    expected: Decimal | str | None = None
    difference: Decimal | None = None
    inputs: dict[str, Decimal | str] = Field(default_factory=dict, description="figures the expectation came from")
    quote: str | None = Field(default=None, description="the printed text the finding read, exactly as printed "
                                                       "(a cell's text, a statement's clause); None when no one place")
    quote_row: str | None = Field(default=None, description="the printed name of the row a quoted cell is in")
