"""Creating a department's package of a new year: a budget from last year's published budget when there
is one (``carryover.carried_package``: 上年数 carried, texts as the starting draft), empty otherwise; a
final account (决算) always starts empty and is filled by uploading the final-account input workbook
(its figures are the year's accounts, nothing of last year's can stand in for them)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from yusuan.web import workflow
from yusuan.web.carryover import Refused, carried_package, published_before
from yusuan.web.models import Department, Package, Version

PHASES = {"budget": "预算", "final": "决算"}


def new_package(department: Department, year: int, user, phase: str = "budget") -> tuple[Package, Version | None]:
    """Create the department's package of ``year`` and ``phase`` (a budget from last year's published
    budget when there is one)."""
    if phase not in PHASES:
        raise Refused("阶段应为“预算”或“决算”")
    if not 1990 < year < 2200:
        raise Refused("年度应为四位数字，如 2024")
    what = f"{department.name}{year}年的{PHASES[phase]}包"
    if Package.objects.filter(department=department, year=year, phase=phase).exists():
        raise Refused(f"{what}已存在")
    prev = published_before(department, year) if phase == "budget" else None
    facts = carried_package(prev.facts, year) if prev is not None else None
    if facts is not None:  # its findings name the grid cells where the carried facts are edited (as a save's do)
        from yusuan.web.grid import origins_for

        facts = facts.with_origins(origins_for(facts.model_dump(mode="json")))
    from yusuan.web.jobmodels import Deadline

    # the bureau's deadline of the year is the budget's (the final account is disclosed the year after)
    deadline = (Deadline.objects.filter(bureau_id=department.bureau_id, year=year).values_list("date", flat=True).first()
                if phase == "budget" else None)
    try:
        with transaction.atomic():
            package = Package.objects.create(department=department, year=year, phase=phase, deadline=deadline)
            if facts is None:
                note = ("空白决算包（上传部门决算录入工作簿填报）" if phase == "final"
                        else "空白预算包（上年没有已发布的版本）")
                workflow.log(user, "create", package, "state", "", "草稿", note)
            else:
                source = f"结转自{year - 1}年第{prev.number}版"
                workflow.store_facts(package, user, facts, source, action="create")
    except IntegrityError:
        raise Refused(f"{what}已存在") from None
    return package, prev
