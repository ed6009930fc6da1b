"""Composition: facts (``BudgetPackage``) + a region profile → the ``Disclosure`` as it will be printed.

Every cell and every narrative figure is derived from the facts by ``yusuan.derive``; the profile
only decides layout and wording. Renderers, readers and checks work from the result; the keys follow
docs/disclosure-keys.md.
"""

from __future__ import annotations

from yusuan import derive
from yusuan.compose import narrative, narrative_shanghai
from yusuan.compose.sections import placed_section
from yusuan.compose.tables import compose_tables
from yusuan.disclosure import Disclosure, Location, PrintedPerformance
from yusuan.errors import InputError, InputProblem
from yusuan.model import BudgetPackage
from yusuan.profiles import Profile, load_profile

BUILDERS = {**narrative.BUILDERS, **narrative_shanghai.BUILDERS}

__all__ = ["compose", "BUILDERS"]


def compose(package: BudgetPackage, profile: Profile | str | None = None) -> Disclosure:
    """Compose the disclosure; ``profile`` defaults to the package's own (``unit.profile``). A final
    account (``yusuan.model.final.FinalAccount``) is composed by ``yusuan.compose.final``."""
    from yusuan.model.final import FinalAccount

    if isinstance(package, FinalAccount):
        from yusuan.compose.final import compose_final

        return compose_final(package, profile)
    if not isinstance(profile, Profile):
        profile = load_profile(profile or package.unit.profile)
    if not profile.composable:
        raise InputError(f"地区版式 {profile.name}", [InputProblem(
            f"地区版式“{profile.name}”", f"{profile.label}只用于读取和校验已公开的文件，尚不能用来由事实生成公开文件")])
    from yusuan.rules.narrative_base import is_final_profile

    if is_final_profile({"name": profile.name, "phase": getattr(profile, "phase", None)}):
        raise InputError(f"地区版式 {profile.name}", [InputProblem(
            f"地区版式“{profile.name}”", f"{profile.label}是部门决算的版式，不能用来生成部门预算；"
            "预算请用预算版式（如 xinjiang、shanghai），决算请填写决算数据（yusuan template --stage final）")])
    unit, year = package.unit.name, package.unit.budget_year
    sums = derive.Aggregates(package)  # every total is computed once, then shared by tables and text
    tables = compose_tables(package, profile, sums)
    for table in tables:  # the package may word an empty table's note itself
        if table.empty_note and package.notes.get(table.kind):
            table.empty_note = package.notes[table.kind]
    ctx = narrative.Context(package, profile, sums)
    sections = []
    for spec in profile.sections:
        build = BUILDERS.get(spec.builder or spec.id)
        if build is None:
            raise InputError(f"地区版式 {profile.name}", [InputProblem(
                f"地区版式 {profile.name}: sections.{spec.id}", f"没有名为“{spec.builder or spec.id}”的说明文字生成器")])
        title = spec.title.format(unit=unit, year=year)
        paragraphs = build(ctx)
        if not paragraphs and spec.id in ("other.notes",):
            continue  # an optional section with nothing to say is not printed
        sections.append(placed_section(spec, title, paragraphs, profile))
    performance_title = next((s.title for s in sections if s.id == "other.performance"), None)
    performance = [
        PrintedPerformance(table=t, stated_total=t.fiscal + t.other,
                           location=Location(part="3", section=performance_title, table=f"项目支出绩效目标表（{t.printed_name}）"))
        for t in package.performance
    ]
    signed = package.unit.date_signed
    return Disclosure(
        unit_name=unit, budget_year=year, phase=package.unit.phase, profile=profile.name,
        title=profile.title.format(unit=unit, year=year), origin="composed", sections=sections, tables=tables,
        performance=performance, signature=unit if profile.signature else None,
        date_text=f"{signed.year}年{signed.month}月{signed.day}日" if signed else None,
    )
