"""The facts of a budget package (pydantic v2)."""

from yusuan.model.package import (  # noqa: F401
    AllocationLine, Assets, BasicLine, ClassNames, BudgetPackage, EconomicLine, Funding, GlossaryEntry, Overview,
    PriorYear, Procurement, Project, ProjectEconomic, SanGongLine, Staffing, StaffCount, Unit, VehicleHolding,
)
from yusuan.model.performance import Indicator, PerformanceTable, TargetValue, parse_target  # noqa: F401
from yusuan.model.sources import Source  # noqa: F401
