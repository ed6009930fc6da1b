"""The bureau's configuration of the checks, applied to every check of its departments' packages.

A bureau raises or lowers the severity of a rule (by its ID in the registry) or switches it off,
always with a reason (``RuleSetting``). ``check_for`` runs the checks of a package with those
settings, so the fatal count that blocks submission is the one *after* the bureau's configuration;
each finding of a configured rule carries its default severity and the bureau's reason, and the
report lists the configuration it ran with (the check panel and the published report show both).

A setting may name a pattern instead of one rule: ``TAB.*`` or ``N.SHARE.*`` (shell-style, as in the
command line's configuration file: ``*`` any characters, ``?`` one) applies to every rule whose ID matches it. An exact rule ID wins over any pattern, and of
several patterns matching one rule the most specific (the longest without its ``*``) wins. A pattern
that matches no rule is refused, as an unknown rule ID is.

Changing the configuration re-checks the bureau's packages that are not published (a published
version keeps the report it was published with: it is immutable) — in the job queue
(``jobs.enqueue_recheck``), not in the request that saved the change.
"""

from __future__ import annotations

import fnmatch
import re
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


PATTERN_CHARS = re.compile(r"[A-Za-z0-9_.*?\[\]!-]+")


def is_pattern(name: str) -> bool:
    return any(ch in name for ch in "*?[")


def matching(pattern: str, known=None) -> list[str]:
    """The rule IDs a setting's name applies to (itself if it is a rule ID, every match if a pattern).

    Patterns are shell-style (``fnmatch``), exactly as in the checks' configuration file of the command
    line (``yusuan.rules.config``): the same pattern selects the same rules in both places."""
    known = registry() if known is None else known
    if not is_pattern(pattern):
        return [pattern] if pattern in known else []
    return sorted(rid for rid in known if fnmatch.fnmatchcase(rid, pattern))


def _specificity(name: str) -> tuple[int, int]:
    return (0 if is_pattern(name) else 1, len(re.sub(r"[*?]|\[[^]]*\]", "", name)))


def resolve(rows: dict, known=None) -> dict:
    """Rule ID → the setting that applies to it: its own row, else the most specific matching pattern."""
    known = registry() if known is None else known
    out: dict = {}
    for name in sorted(rows, key=_specificity):  # least specific first: the more specific overwrite it
        for rid in matching(name, known):  # a rule removed from the registry since matches nothing
            out[rid] = rows[name]
    return out


def settings_of(bureau_id: int | None):
    """(``Settings`` for the checks, the setting that applies to each rule ID, the bureau's rows by name)."""
    from yusuan.rules.registry import Settings

    settings = Settings()
    rows = {r.rule: r for r in RuleSetting.objects.filter(bureau_id=bureau_id)} if bureau_id else {}
    applied = resolve(rows) if rows else {}
    for rid, row in applied.items():
        if row.level == OFF:
            settings.disabled.add(rid)
        else:
            settings.severities[rid] = row.level
    return settings, applied, rows


def check_for(package: Package, facts) -> services.Checked:
    """Check ``facts`` as the package's bureau configured the checks."""
    settings, applied, rows = settings_of(package.department.bureau_id)
    checked = services.check(facts, settings=settings)
    if rows:
        known = registry()
        for f in checked.report.get("findings", []):
            row = applied.get(f.get("rule"))
            if row is not None and row.level != OFF and f["rule"] in known:
                f["default_severity"] = known[f["rule"]].severity
                f["configured_reason"] = row.reason
                if row.rule != f["rule"]:
                    f["configured_by"] = row.rule  # the pattern the setting was made for
        checked.report["bureau_config"] = [_described(name, r, known) for name, r in sorted(rows.items())]
    return checked


def _described(name: str, r: RuleSetting, known: dict) -> dict:
    out = {"rule": name, "level": r.level, "level_zh": LEVEL_ZH.get(r.level, r.level), "reason": r.reason}
    if is_pattern(name):
        n = len(matching(name, known))
        out.update(default=None, default_zh=f"匹配 {n} 条规则，各按其默认级别" if n else "（已没有匹配的规则）")
    else:
        out.update(default=known[name].severity if name in known else None,
                   default_zh=SEVERITY_ZH.get(known[name].severity, "") if name in known else "（规则已不存在）")
    return out


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


    @property
    def by_pattern(self) -> str:
        """The pattern whose setting applies to this rule ('' if none or its own)."""
        return self.setting.rule if self.setting and self.setting.rule != self.id else ""


def lines(bureau: Bureau, category: str = "", only_configured: bool = False) -> list[Line]:
    rows = {r.rule: r for r in RuleSetting.objects.filter(bureau=bureau)}
    applied = resolve(rows) if rows else {}
    out = []
    for rid, r in sorted(registry().items()):
        if category and r.category != category:
            continue
        if only_configured and rid not in applied:
            continue
        out.append(Line(rid, r.title, r.category, r.severity, applied.get(rid)))
    return out


def patterns(bureau: Bureau) -> list[dict]:
    """The bureau's pattern settings, each with how many rules it matches and how many of them it decides."""
    rows = {r.rule: r for r in RuleSetting.objects.filter(bureau=bureau)}
    applied = resolve(rows) if rows else {}
    known = registry()
    return [{"rule": name, "setting": r, "level_zh": LEVEL_ZH.get(r.level, r.level), "matches": len(matching(name, known)),
             "decides": sum(1 for s in applied.values() if s.rule == name)}
            for name, r in sorted(rows.items()) if is_pattern(name)]


def _label(level: str, default: str | None) -> str:
    if level == DEFAULT:
        return f"默认（{SEVERITY_ZH.get(default, default)}）" if default else "默认（各规则的默认级别）"
    return LEVEL_ZH.get(level, level)


def set_rule(bureau: Bureau, user, rule_id: str, level: str, reason: str) -> RuleSetting | None:
    """Set (or with ``DEFAULT`` remove) the bureau's severity of one rule or of every rule matching a
    pattern; logged. The re-check of the bureau's packages is the caller's to queue (``jobs.enqueue_recheck``)."""
    rule_id, reason = (rule_id or "").strip(), (reason or "").strip()
    known = registry()
    if is_pattern(rule_id):
        if not PATTERN_CHARS.fullmatch(rule_id) or len(rule_id) > 80:
            raise ConfigError(f"规则模式“{rule_id}”无法识别：只能由规则编号中的字符和 *、? 组成，如 TAB.* 或 N.SHARE.*")
        if re.sub(r"[*?.]", "", rule_id) == "":
            raise ConfigError(f"规则模式“{rule_id}”匹配全部规则：请写出规则编号的前缀，如 TAB.*")
        if not matching(rule_id, known):
            raise ConfigError(f"规则模式“{rule_id}”不匹配任何规则（规则编号见“全部规则”列表）")
    elif rule_id not in known:
        raise ConfigError(f"没有编号为“{rule_id}”的规则（规则编号见“校验规则”列表）")
    if level != DEFAULT and level not in LEVEL_ZH:
        raise ConfigError(f"级别“{level}”无法识别：应为 错误、警告、提示、不校验 或 默认")
    if not reason:
        raise ConfigError(f"调整规则 {rule_id} 的级别须填写理由")
    # a pattern has no single default: its rows stay until set back to 默认 (each matched rule then has its own)
    default = None if is_pattern(rule_id) else known[rule_id].severity
    with transaction.atomic():
        row = RuleSetting.objects.select_for_update().filter(bureau=bureau, rule=rule_id).first()
        old = row.level if row else DEFAULT
        if old == level:
            raise ConfigError(f"规则 {rule_id} 的级别已是“{_label(level, default)}”，未作更改")
        if level == DEFAULT or level == default:  # the registry's own severity: no row needed
            if row is not None:
                row.delete()
            row = None
        elif row is None:
            row = RuleSetting.objects.create(bureau=bureau, rule=rule_id, level=level, reason=reason, updated_by=user)
        else:
            row.level, row.reason, row.updated_by = level, reason, user
            row.save()
        AuditLog.objects.create(user=user if user and user.is_authenticated else None, action="rule_config",
                                bureau=bureau, field=rule_id, old=_label(old, default),
                                new=_label(DEFAULT if level == default else level, default), note=reason)
    return row


def to_recheck(bureau: Bureau):
    """The packages a configuration change re-checks: those with facts that are not published."""
    return (Package.objects.filter(department__bureau=bureau, facts__isnull=False).exclude(state=State.PUBLISHED)
            .order_by("pk"))


def recheck_one(pk: int, origins=None, tries: int = 3) -> bool:
    """Re-check one package with its bureau's configuration as it is now; False if it is gone, published
    meanwhile or its facts cannot be read. The write is conditional on the package's revision: a save
    in between (which checked its own facts) is not overwritten by a report of the facts before it;
    the package is then read and checked again. ``origins(facts_json)``: where each fact is edited (the
    grids' cells), so that findings keep their links."""
    for _ in range(tries):
        p = Package.objects.select_related("department").filter(pk=pk).first()
        if p is None or p.facts is None or p.state == State.PUBLISHED:
            return False
        try:
            facts = services.facts_of(p.facts)
        except Exception:  # noqa: BLE001 - stored facts the model no longer reads: left as they are, counted
            return False
        if origins is not None:
            facts = facts.with_origins(origins(p.facts))
        checked = check_for(p, facts)
        if Package.objects.filter(pk=p.pk, revision=p.revision).exclude(state=State.PUBLISHED).update(
                report=checked.report, tables=checked.tables, fatal=checked.fatal, warning=checked.warning):
            return True
    return False


def recheck(bureau: Bureau, origins=None, progress=None) -> int:
    """Re-check every package of ``to_recheck(bureau)``; ``progress(done, total, skipped)`` after each.
    Returns how many were re-checked."""
    pks = list(to_recheck(bureau).values_list("pk", flat=True))
    n = skipped = 0
    for i, pk in enumerate(pks, start=1):
        if recheck_one(pk, origins):
            n += 1
        else:
            skipped += 1
        if progress is not None:
            progress(i, len(pks), skipped)
    return n
