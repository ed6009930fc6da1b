"""Run the checks: compose a package (or take a disclosure as read), run every registered rule,
and collect a ``Report``.

A rule that raises is reported as a warning finding of its own (``规则执行出错``) instead of
stopping the check: one faulty rule must not hide the findings of the others.
"""

from __future__ import annotations

from pathlib import Path

from yusuan.disclosure import Disclosure
from yusuan.findings import Finding
from yusuan.rules import load_all
from yusuan.rules.completeness import UNCHECKED_RULE
from yusuan.rules.narrative_coverage import narrative_coverage
from yusuan.rules.quotes import forget_texts
from yusuan.rules.registry import Context, Rule, Settings, rule_findings
from yusuan.rules.report import SCORE_HOOKS, SEVERITY_ORDER, Report

TABLE_ORDER = ["表1", "表2", "表3", "表4", "表5", "表6", "表7", "表8", "表9", "表10"]


_SETTINGS_CACHE: dict[int, tuple[object, dict]] = {}


def profile_settings(profile) -> dict:
    """The profile as the flat-ish dict rules read (``Context.profile``): its dump plus a few shortcuts.
    Cached per profile object (profiles are loaded once and not changed; rules only read the dict)."""
    if profile is None:
        return {}
    if isinstance(profile, dict):
        return profile
    cached = _SETTINGS_CACHE.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached[1]
    data = _profile_settings(profile)
    _SETTINGS_CACHE[id(profile)] = (profile, data)
    return data


def _profile_settings(profile) -> dict:
    data = profile.model_dump()
    data["performance_weight_total"] = profile.performance.weight_total
    t4 = profile.table("fiscal_income_expenditure") if hasattr(profile, "table") else None
    t5 = profile.table("general_expenditure") if hasattr(profile, "table") else None
    include = bool(t4 and t4.include_carryover) or bool(t5 and t5.sources and "carryover" in t5.sources)
    data["fiscal_tables_include_carryover"] = include
    return data


def _resolve_profile(profile, fallback: str | None):
    """A Profile object from a name/object; None when no profile can be found (checks then infer)."""
    from yusuan.errors import InputError
    from yusuan.profiles import load_profile

    if profile is not None and not isinstance(profile, str):
        return profile
    name = profile or fallback
    if not name:
        return None
    try:
        return load_profile(name)
    except InputError:
        if profile:  # asked for explicitly: the user must hear about it
            raise
        return None


_REGISTRY: dict[str, Rule] | None = None


def registered_rules() -> dict[str, Rule]:
    """The registry with every rule module imported. ``load_all`` lists the package directory each time
    (~0.3 ms); once per process is enough, the modules register on import and stay registered."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = load_all()
    return _REGISTRY


def run_rules(ctx: Context, rules: list[Rule] | None = None) -> list[Finding]:
    """Every rule (or the given ones) on ``ctx``; configured severities applied; rule errors contained."""
    from yusuan.rules.catalogue import soften_for_partial

    registry = registered_rules()
    findings: list[Finding] = []
    for r in rules if rules is not None else list(registry.values()):
        if r.id in ctx.settings.disabled or (r.needs_facts and ctx.package is None):
            continue
        severity = ctx.settings.severities.get(r.id, r.severity)
        try:
            found = rule_findings(ctx, r, severity)
        except Exception as exc:  # noqa: BLE001 - a faulty rule is itself a finding
            findings.append(Finding(rule=r.id, severity="warning", category=r.category,
                                    message=f"规则 {r.id} 执行出错（{type(exc).__name__}: {exc}），其结果未计入。"))
            continue
        for f in found:
            if r.id not in ctx.settings.severities:
                f = soften_for_partial(f)
            findings.append(f)
    if ctx.unknown and UNCHECKED_RULE not in ctx.settings.disabled:
        findings.append(unchecked_finding(ctx.unknown, registry))
    return findings


def unchecked_finding(unknown: dict[str, int], registry: dict[str, Rule]) -> Finding:
    """One info finding listing the identities not checked because a figure they need is not printed
    (or could not be read): unknown is never zero, and the reader should know what was not checked."""
    listed = "；".join(f"{rid}（{registry[rid].title if rid in registry else rid}）{n} 处"
                      for rid, n in sorted(unknown.items()))
    return Finding(rule=UNCHECKED_RULE, severity="info", category="completeness",
                   message=f"以下核对所需的金额文件中未列示或未能读出，未作核对（未列示不等于零）：{listed}。",
                   inputs={rid: str(n) for rid, n in sorted(unknown.items())})


def _sort_key(f: Finding):
    table = (f.location.table or "") if f.location else ""
    number = next((i for i, t in enumerate(TABLE_ORDER) if table.startswith(t) and not table.startswith(t + "0")), 99)
    return (SEVERITY_ORDER[f.severity], number, table, f.rule, f.location.row or 0 if f.location else 0)


def check_disclosure(disclosure: Disclosure, package=None, profile=None, settings: Settings | None = None,
                     source: str | None = None, previous: Disclosure | None = None) -> Report:
    """Check a disclosure (composed or read). ``package`` (facts) enables the facts rules; ``previous``
    (last year's disclosure, composed or read) the across-years rules (rules/previous.py)."""
    registry = registered_rules()
    forget_texts()  # the quotes' text caches hold one check's texts
    prof = _resolve_profile(profile, disclosure.profile)
    settings = settings or Settings()
    ctx = Context(disclosure=disclosure, package=package, settings=settings, profile=profile_settings(prof),
                  previous=previous)
    from yusuan.rules.consequences import fold

    findings = sorted(fold(run_rules(ctx), package, disclosure.origin == "composed"), key=_sort_key)
    ran = sum(1 for r in registry.values() if r.id not in settings.disabled and not (r.needs_facts and package is None))
    report = Report(unit_name=disclosure.unit_name, budget_year=disclosure.budget_year, profile=disclosure.profile,
                    source=source or disclosure.file, rules_run=ran, findings=findings,
                    titles={r.id: r.title for r in registry.values()}, disclosure=disclosure,
                    coverage=narrative_coverage(ctx))
    for hook in SCORE_HOOKS:
        result = hook(disclosure, findings, ctx.profile)
        if result is not None:
            report.completeness = result
    return report


def check_package(package, profile=None, settings: Settings | None = None,
                  disclosure: Disclosure | None = None, previous: Disclosure | None = None) -> Report:
    """Compose a package (a ``BudgetPackage`` or a path to one) with its profile, then check it with its facts.

    ``disclosure``: the composition already made (``yusuan build`` passes what it prints, so that the
    checks see exactly that); composed here when omitted."""
    from yusuan.compose import compose

    source = None
    if isinstance(package, (str, Path)):
        from yusuan.load import load_package

        source = str(package)
        package = load_package(Path(package))
    from yusuan.model.final import FinalAccount

    if isinstance(package, FinalAccount):  # a final account: its checks read the composed disclosure
        if disclosure is None:
            disclosure = compose(package, profile)
        return check_disclosure(disclosure, package=None, profile=profile or disclosure.profile, settings=settings,
                                source=source, previous=previous)
    prof = _resolve_profile(profile, package.unit.profile)
    if disclosure is None:
        disclosure = compose(package, prof)
    return check_disclosure(disclosure, package=package, profile=prof, settings=settings, source=source,
                            previous=previous)
