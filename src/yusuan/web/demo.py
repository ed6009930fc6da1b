"""Demo data for an empty database: the bundled Changji example and two generated departments under
one region and finance bureau, one account per role with a generated password."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from yusuan.web import workflow
from yusuan.web.models import Bureau, Department, Membership, Package, Region, Role, State, Unit

ACCOUNTS = [  # username, full name, role, scope ("dept" = the example department, "bureau")
    ("tianbao", "张填报", Role.PREPARER, "dept"),
    ("fuze", "李负责", Role.HEAD, "dept"),
    ("shenhe", "王审核", Role.REVIEWER, "bureau"),
    ("fabu", "赵发布", Role.PUBLISHER, "bureau"),
    ("guanli", "陈管理", Role.ADMIN, "bureau"),
]


def previous_year(facts):
    """The example department's year before, for the portal's comparison: one project fewer, the
    三公 reception figure different, no carried-in last-year figures (that year's own were not kept)."""
    from decimal import Decimal

    prev = facts.model_copy(deep=True)
    prev.unit.budget_year -= 1
    gone = prev.projects.pop(0).name
    prev.performance = [t for t in prev.performance if t.project != gone]
    prev.last_year = {}
    for line in prev.sangong:
        if line.item == "reception":
            line.amount += Decimal("0.5")
    return prev


def is_empty() -> bool:
    return not Region.objects.exists()


def _department(bureau: Bureau, facts) -> Department:
    dept = Department.objects.create(bureau=bureau, name=facts.unit.name, code=facts.unit.code or "")
    names = [getattr(u, "name", "") for u in (getattr(facts, "units", None) or [])] or [facts.unit.name]
    names = [n for n in names if n] or [facts.unit.name]
    for name in names[:20]:
        Unit.objects.create(department=dept, name=name)
    return dept


@transaction.atomic
def load_demo(publish_one: bool = True) -> list[tuple[str, str, str, str]]:
    """Create the demo; returns (username, password, role, scope) for printing."""
    from yusuan.synth.facts import example_package, random_package

    region = Region.objects.create(name="昌吉回族自治州")
    bureau = Bureau.objects.create(region=region, name="昌吉州财政局")
    deadline = timezone.localdate() + dt.timedelta(days=20)
    example = example_package()
    generated = [random_package(random.Random(seed), year=example.unit.budget_year if example else 2023) for seed in (11, 12)]
    packages = []
    for facts in ([example] if example is not None else []) + generated:
        dept = _department(bureau, facts)
        p = Package.objects.create(department=dept, year=facts.unit.budget_year, deadline=deadline)
        workflow.store_facts(p, None, facts, "演示数据", action="demo")
        packages.append(p)
    first = packages[0].department
    User = get_user_model()
    accounts = []
    for username, full, role, scope in ACCOUNTS:
        password = secrets.token_urlsafe(9)
        user = User.objects.create_user(username=username, password=password, first_name=full,
                                        is_staff=role == Role.ADMIN)
        Membership.objects.create(user=user, role=role, department=first if scope == "dept" else None,
                                  bureau=bureau if scope == "bureau" else None)
        accounts.append((username, password, Role(role).label, first.name if scope == "dept" else bureau.name))
    # the other two departments further along, so that the dashboard and the public page show something
    reviewer = User.objects.get(username="shenhe")
    if example is not None and publish_one:  # the example department's year before, published (the comparison)
        prev = Package.objects.create(department=first, year=example.unit.budget_year - 1, deadline=deadline)
        workflow.store_facts(prev, None, previous_year(example), "演示数据（上年）", action="demo")
        if not prev.fatal:
            admin = User.objects.get(username="guanli")
            workflow.submit(prev, admin)
            workflow.approve(prev, reviewer)
            workflow.publish(prev, User.objects.get(username="fabu"))
    if len(packages) >= 3:
        second, third = packages[1], packages[2]
        for p in (second, third):
            if not p.fatal:
                workflow.submit(p, User.objects.get(username="guanli"))
        if publish_one and third.state == State.SUBMITTED:
            workflow.approve(third, reviewer)
            workflow.publish(third, User.objects.get(username="fabu"))
    if publish_one:  # a department with both its budget and its final account of a year (the portal's 预算与决算对照)
        from yusuan.web import demo_final

        demo_final.load(bureau, User.objects.get(username="fabu"), reviewer, User.objects.get(username="guanli"))
    return accounts
