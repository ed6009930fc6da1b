"""Creating a department's package of a new year: from last year's published version when there is
one (``carryover.carried_package``: 上年数 carried, texts as the starting draft), empty otherwise."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from yusuan.web import workflow
from yusuan.web.carryover import Refused, carried_package, published_before
from yusuan.web.models import Department, Package, Version


def new_package(department: Department, year: int, user) -> tuple[Package, Version | None]:
    """Create the department's package of ``year`` (from last year's published version when there is one)."""
    if not 1990 < year < 2200:
        raise Refused("年度应为四位数字，如 2024")
    if Package.objects.filter(department=department, year=year).exists():
        raise Refused(f"{department.name}{year}年的预算包已存在")
    prev = published_before(department, year)
    facts = carried_package(prev.facts, year) if prev is not None else None
    if facts is not None:  # its findings name the grid cells where the carried facts are edited (as a save's do)
        from yusuan.web.grid import origins_for

        facts = facts.with_origins(origins_for(facts.model_dump(mode="json")))
    from yusuan.web.jobmodels import Deadline

    deadline = Deadline.objects.filter(bureau_id=department.bureau_id, year=year).values_list("date", flat=True).first()
    try:
        with transaction.atomic():
            package = Package.objects.create(department=department, year=year, deadline=deadline)
            if facts is None:
                workflow.log(user, "create", package, "state", "", "草稿", "空白预算包（上年没有已发布的版本）")
            else:
                source = f"结转自{year - 1}年第{prev.number}版"
                workflow.store_facts(package, user, facts, source, action="create")
    except IntegrityError:
        raise Refused(f"{department.name}{year}年的预算包已存在") from None
    return package, prev
