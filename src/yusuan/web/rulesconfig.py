"""The bureau's configuration of the checks, applied to every check of its departments' packages.

A bureau raises or lowers the severity of a rule (by its ID in the registry) or switches it off,
always with a reason (``RuleSetting``). ``check_for`` runs the checks of a package with those
settings, so the fatal count that blocks submission is the one *after* the bureau's configuration;
each finding of a configured rule carries its default severity and the bureau's reason, and the
report lists the configuration it ran with (the check panel and the published report show both).

Changing the configuration re-checks the bureau's packages that are not published (a published
version keeps the report it was published with: it is immutable).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from yusuan.rules.report import SEVERITY_ZH
from yusuan.web import services
from yusuan.web.configmodels import LEVELS, OFF, RuleSetting
from yusuan.web.models import AuditLog, Bureau, Package, State

LEVEL_ZH = dict(LEVELS)
DEFAULT = "default"  # the form's choice for "back to the registry's severity"


class ConfigError(Exception):
    """A configuration that cannot be saved; the message is for the user (Chinese)."""


def registry() -> dict:
    from yusuan.rules.engine import registered_rules

    return registered_rules()


def settings_of(bureau_id: int | None):
    """(``Settings`` for the checks, the bureau's rows by rule ID)."""
    from yusuan.rules.registry import Settings

    settings = Settings()
    rows = {r.rule: r for r in RuleSetting.objects.filter(bureau_id=bureau_id)} if bureau_id else {}
    known = registry()
    for rid, row in rows.items():
        if rid not in known:  # a rule removed from the registry since: nothing to apply
            continue
        if row.level == OFF:
            settings.disabled.add(rid)
        else:
            settings.severities[rid] = row.level
    return settings, rows


def check_for(package: Package, facts) -> services.Checked:
    """Check ``facts`` as the package's bureau configured the checks."""
    settings, rows = settings_of(package.department.bureau_id)
    checked = services.check(facts, settings=settings)
    if rows:
        known = registry()
        for f in checked.report.get("findings", []):
            row = rows.get(f.get("rule"))
            if row is not None and row.level != OFF and f["rule"] in known:
                f["default_severity"] = known[f["rule"]].severity
                f["configured_reason"] = row.reason
        checked.report["bureau_config"] = [
            {"rule": rid, "level": r.level, "level_zh": LEVEL_ZH.get(r.level, r.level),
             "default": known[rid].severity if rid in known else None,
             "default_zh": SEVERITY_ZH.get(known[rid].severity, "") if rid in known else "（规则已不存在）",
             "reason": r.reason}
            for rid, r in sorted(rows.items())]
    return checked


@dataclass
class Line:
    """One rule as the configuration page lists it."""

    id: str
    title: str
    category: str
    default: str
    setting: RuleSetting | None

    @property
    def default_zh(self) -> str:
        return SEVERITY_ZH.get(self.default, self.default)

    @property
    def level(self) -> str:
        return self.setting.level if self.setting else DEFAULT

    @property
    def effective_zh(self) -> str:
        return LEVEL_ZH[self.setting.level] if self.setting else self.default_zh


def lines(bureau: Bureau, category: str = "", only_configured: bool = False) -> list[Line]:
    rows = {r.rule: r for r in RuleSetting.objects.filter(bureau=bureau)}
    out = []
    for rid, r in sorted(registry().items()):
        if category and r.category != category:
            continue
        if only_configured and rid not in rows:
            continue
        out.append(Line(rid, r.title, r.category, r.severity, rows.get(rid)))
    return out


def _label(level: str, default: str) -> str:
    return f"默认（{SEVERITY_ZH.get(default, default)}）" if level == DEFAULT else LEVEL_ZH.get(level, level)


def set_rule(bureau: Bureau, user, rule_id: str, level: str, reason: str, origins=None) -> int:
    """Set (or with ``DEFAULT`` remove) the bureau's severity of one rule; logged; the bureau's
    unpublished packages re-checked. Returns how many packages were re-checked."""
    rule_id, reason = (rule_id or "").strip(), (reason or "").strip()
    known = registry()
    if rule_id not in known:
        raise ConfigError(f"没有编号为“{rule_id}”的规则（规则编号见“校验规则”列表）")
    if level != DEFAULT and level not in LEVEL_ZH:
        raise ConfigError(f"级别“{level}”无法识别：应为 错误、警告、提示、不校验 或 默认")
    if not reason:
        raise ConfigError(f"调整规则 {rule_id} 的级别须填写理由")
    default = known[rule_id].severity
    with transaction.atomic():
        row = RuleSetting.objects.select_for_update().filter(bureau=bureau, rule=rule_id).first()
        old = row.level if row else DEFAULT
        if old == level:
            raise ConfigError(f"规则 {rule_id} 的级别已是“{_label(level, default)}”，未作更改")
        if level == DEFAULT or level == default:  # the registry's own severity: no row needed
            if row is not None:
                row.delete()
        elif row is None:
            RuleSetting.objects.create(bureau=bureau, rule=rule_id, level=level, reason=reason, updated_by=user)
        else:
            row.level, row.reason, row.updated_by = level, reason, user
            row.save()
        AuditLog.objects.create(user=user if user and user.is_authenticated else None, action="rule_config",
                                bureau=bureau, field=rule_id, old=_label(old, default),
                                new=_label(DEFAULT if level == default else level, default), note=reason)
    return recheck(bureau, origins)


def recheck(bureau: Bureau, origins=None) -> int:
    """Re-check every package of the bureau that has facts and is not published, with its configuration.
    ``origins(facts_json)``: where each fact is edited (the grids' cells), so findings keep their links."""
    n = 0
    for p in Package.objects.filter(department__bureau=bureau, facts__isnull=False).exclude(state=State.PUBLISHED):
        facts = services.facts_of(p.facts)
        if origins is not None:
            facts = facts.with_origins(origins(p.facts))
        checked = check_for(p, facts)
        Package.objects.filter(pk=p.pk).update(report=checked.report, tables=checked.tables, fatal=checked.fatal,
                                               warning=checked.warning)
        n += 1
    return n
