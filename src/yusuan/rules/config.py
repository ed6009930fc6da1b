"""Deployment tuning of the checks: a YAML or TOML file → ``Settings``.

    # yusuan-checks.yaml
    tolerance: 0.005            # 万元; a table printed in 元 is checked at tolerance × 10000
    rate_tolerance: 0.005       # percentage points
    disable: [C.FUNCTION.ORDER, "TAB.*"]     # rule IDs or shell-style patterns
    severity:                   # override per rule ID or pattern: fatal | warning | info
      X.T6T10.*: fatal
    performance_weight_total: 100

TOML takes the same keys (``[severity]`` as a table). Unknown keys, unknown rule IDs (a pattern
must match at least one rule) and bad values are reported together, in Chinese, as an InputError.
"""

from __future__ import annotations

import fnmatch
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from yusuan.errors import InputError, InputProblem
from yusuan.rules.registry import Settings

SEVERITIES = {"fatal", "warning", "info"}
SEVERITY_WORDS = {"错误": "fatal", "严重": "fatal", "警告": "warning", "提示": "info"}
KEYS = {"tolerance", "rate_tolerance", "disable", "severity", "performance_weight_total"}


def _decimal(value: object, where: str, problems: list[InputProblem]) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        problems.append(InputProblem(where, f"应为数字，实际为 {value!r}"))
        return None
    try:
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        problems.append(InputProblem(where, f"应为数字，实际为 {value!r}"))
        return None
    if result < 0:
        problems.append(InputProblem(where, f"不能为负数：{value}"))
        return None
    return result


def _match(pattern: str, rule_ids: list[str]) -> list[str]:
    return [r for r in rule_ids if fnmatch.fnmatchcase(r, pattern)]


def settings_from_dict(data: dict, where: str = "配置") -> Settings:
    """Validate a parsed configuration and turn it into ``Settings`` (rule patterns expanded)."""
    from yusuan.rules import load_all

    rule_ids = sorted(load_all())
    problems: list[InputProblem] = []
    if not isinstance(data, dict):
        raise InputError(where, [InputProblem(where, "配置文件的顶层应为键值对（tolerance、disable、severity …）")])
    for key in data:
        if key not in KEYS:
            problems.append(InputProblem(f"{where}: {key}", f"无法识别的配置项（可用：{'、'.join(sorted(KEYS))}）"))
    settings = Settings()
    for key in ("tolerance", "rate_tolerance", "performance_weight_total"):
        if data.get(key) is not None:
            value = _decimal(data[key], f"{where}: {key}", problems)
            if value is not None:
                setattr(settings, key, value)
    disable = data.get("disable") or []
    if isinstance(disable, str):
        disable = [disable]
    if not isinstance(disable, list):
        problems.append(InputProblem(f"{where}: disable", "应为规则编号的列表"))
        disable = []
    for n, pattern in enumerate(disable):
        matched = _match(str(pattern), rule_ids)
        if not matched:
            problems.append(InputProblem(f"{where}: disable[{n}]", f"没有编号为“{pattern}”的规则（yusuan rules 可列出全部规则）"))
        settings.disabled.update(matched)
    severity = data.get("severity") or {}
    if not isinstance(severity, dict):
        problems.append(InputProblem(f"{where}: severity", "应为“规则编号: 级别”的键值对"))
        severity = {}
    for pattern, level in severity.items():
        level_key = SEVERITY_WORDS.get(str(level), str(level).lower())
        if level_key not in SEVERITIES:
            problems.append(InputProblem(f"{where}: severity.{pattern}", f"级别应为 fatal、warning 或 info（或 错误、警告、提示），实际为 {level!r}"))
            continue
        matched = _match(str(pattern), rule_ids)
        if not matched:
            problems.append(InputProblem(f"{where}: severity.{pattern}", f"没有编号为“{pattern}”的规则"))
        for rid in matched:
            settings.severities[rid] = level_key  # type: ignore[assignment]
    if problems:
        raise InputError(where, problems)
    return settings


def load_settings(path: Path) -> Settings:
    """Read a .yaml/.yml/.toml configuration file."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(where, [InputProblem(where, f"无法读取配置文件：{exc}")]) from exc
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(text)
        else:
            data = yaml.safe_load(text) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise InputError(where, [InputProblem(where, f"配置文件格式有误：{exc}")]) from exc
    return settings_from_dict(data, where)
