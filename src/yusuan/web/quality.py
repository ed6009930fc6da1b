"""Disclosure-quality score of a published version (0–100), from its stored check report and its
publication date against the approval date (批复日期) of the bureau's year — or the deadline when no
approval date is entered — with the reason for every point lost.

The weighting lives in ``quality.yaml`` (及时性 10, 完整性 35, 细化程度 30, 规范性 25, the layout of
provincial assessments). Each finding of the report is claimed by the first deduction it matches
(rule ID, ``PREFIX.*``, severity) and costs ``per_finding`` points, a deduction at most ``cap``; a
dimension never goes below 0. Timeliness is the days between the approval of the budget (or final
account) and the package's first publication: the law allows ``days_after_approval`` (20) days, and
every day beyond costs ``late_per_day``. Without an approval date it falls back to the deadline (every
day after it costs ``late_per_day``), and the reason says so. A dimension that cannot be assessed
(neither date known) is unknown, not zero: it is left out and the total is the share of the assessed
points, scaled to 100.

Pure functions of stored data: no Django here, so the score can be computed anywhere and stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

CONFIG = Path(__file__).with_name("quality.yaml")
ONE_PLACE = Decimal("0.1")


class Deduction(BaseModel):
    label: str
    rules: list[str] = Field(default_factory=list)
    severity: str | None = None
    per_finding: Decimal
    cap: Decimal | None = None

    def matches(self, finding: dict) -> bool:
        if self.severity and finding.get("severity") != self.severity:
            return False
        if not self.rules:
            return True
        rule = str(finding.get("rule") or "")
        return any(rule.startswith(r[:-1]) if r.endswith("*") else rule == r for r in self.rules)


class Dimension(BaseModel):
    key: str
    label: str
    points: Decimal
    late_per_day: Decimal | None = None  # timeliness
    days_after_approval: int | None = None  # timeliness: the statutory limit after the approval date
    deductions: list[Deduction] = Field(default_factory=list)


class Config(BaseModel):
    version: int
    dimensions: list[Dimension]


@lru_cache(maxsize=4)
def load_config(path: Path = CONFIG) -> Config:
    return Config.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _q(d: Decimal) -> Decimal:
    return d.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _timeliness(dim: Dimension, published_on: dt.date | None, deadline: dt.date | None,
                approved_on: dt.date | None = None) -> dict:
    per_day = dim.late_per_day or Decimal(1)
    if published_on is not None and approved_on is not None:
        limit = dim.days_after_approval if dim.days_after_approval is not None else 20
        days = (published_on - approved_on).days
        basis = f"批复日期 {approved_on:%Y-%m-%d}，{published_on:%Y-%m-%d} 首次发布"
        if days < 0:  # published before the approval entered: the entered date is doubtful, said so
            return {"assessed": True, "earned": dim.points, "lost": [], "basis": "approval", "days": days,
                    "note": f"{basis}，早于批复日期 {-days} 天（请核对录入的批复日期）"}
        if days <= limit:
            return {"assessed": True, "earned": dim.points, "lost": [], "basis": "approval", "days": days,
                    "note": f"{basis}，批复后第 {days} 天公开，在 {limit} 天法定时限内"}
        over = days - limit
        lost = min(dim.points, per_day * over)
        return {"assessed": True, "earned": dim.points - lost, "basis": "approval", "days": days,
                "note": f"{basis}，批复后第 {days} 天公开（法定时限为批复后 {limit} 天）",
                "lost": [{"label": "超过批复后法定公开时限", "count": over, "per_finding": per_day, "points": lost,
                          "examples": [f"批复后第 {days} 天公开，超过 {limit} 天时限 {over} 天，每天扣 {per_day} 分"]}]}
    if deadline is None or published_on is None:
        return {"assessed": False, "earned": None, "lost": [], "basis": None,
                "note": "未录入批复日期，也未设定公开截止日期，及时性无法评价（不计入总分）"}
    fallback = "未录入批复日期，按公开截止日期评价："
    late = (published_on - deadline).days
    if late <= 0:
        return {"assessed": True, "earned": dim.points, "lost": [], "basis": "deadline",
                "note": f"{fallback}{published_on:%Y-%m-%d} 首次发布，不晚于公开截止日期 {deadline:%Y-%m-%d}"}
    lost = min(dim.points, per_day * late)
    return {"assessed": True, "earned": dim.points - lost, "basis": "deadline",
            "note": f"{fallback}公开截止日期 {deadline:%Y-%m-%d}",
            "lost": [{"label": "逾期公开", "count": late, "per_finding": per_day, "points": lost,
                      "examples": [f"{published_on:%Y-%m-%d} 首次发布，晚于截止日期 {late} 天"]}]}


def score(report: dict | None, published_on: dt.date | None = None, deadline: dt.date | None = None,
          config: Config | None = None, approved_on: dt.date | None = None) -> dict:
    """``{"total": Decimal | None, "assessed_max": Decimal, "config_version": int, "dimensions": [...]}``;
    each dimension ``{key, label, points, assessed, earned, note, lost: [{label, count, per_finding,
    points, examples}]}``. ``report`` is a stored check report (docs/report-schema.md)."""
    config = config or load_config()
    findings = list((report or {}).get("findings") or [])
    claimed: set[int] = set()
    dims = []
    for dim in config.dimensions:
        if dim.late_per_day is not None:
            part = _timeliness(dim, published_on, deadline, approved_on)
        else:
            lost_items, lost_total = [], Decimal(0)
            for ded in dim.deductions:
                hits = [i for i, f in enumerate(findings) if i not in claimed and ded.matches(f)]
                claimed.update(hits)
                if not hits:
                    continue
                points = min(ded.per_finding * len(hits), ded.cap if ded.cap is not None else dim.points)
                lost_items.append({"label": ded.label, "count": len(hits), "per_finding": ded.per_finding,
                                   "points": points, "cap": ded.cap,
                                   "examples": [f"{findings[i].get('rule')} {findings[i].get('message')}" for i in hits[:5]]})
                lost_total += points
            part = {"assessed": True, "earned": max(dim.points - lost_total, Decimal(0)), "lost": lost_items,
                    "note": "" if lost_items else "未发现扣分项"}
        dims.append({"key": dim.key, "label": dim.label, "points": dim.points, **part})
    assessed = [d for d in dims if d["assessed"]]
    assessed_max = sum((d["points"] for d in assessed), Decimal(0))
    earned = sum((d["earned"] for d in assessed), Decimal(0))
    total = _q(earned * 100 / assessed_max) if assessed_max else None
    return {"total": total, "earned": earned, "assessed_max": assessed_max, "config_version": config.version,
            "dimensions": dims}


def to_json(result: dict) -> dict:
    """The result with every Decimal as a string (a JSON field; amounts never pass through float)."""
    def conv(x):
        if isinstance(x, Decimal):
            return format(x.normalize(), "f")  # 21.0 → "21", 0.50 → "0.5"
        if isinstance(x, dict):
            return {k: conv(v) for k, v in x.items()}
        if isinstance(x, list):
            return [conv(v) for v in x]
        return x

    return conv(result)
