"""Consolidation (部门汇总): one package from the packages of a department and its units, or of a
bureau's departments, of the same year, stage, region and layout.

Leaf facts are summed by their keys (function 项 × source, economic 款 × source, 三公 item × source),
so every total the consolidated disclosure prints is again derived, never typed in. Projects stay
listed one by one, each naming its unit (项目承担单位); a project name two units share gets the
unit's name added, in its performance-target table too. What cannot be summed honestly is left out
and said (``Consolidated.notes``): a last-year figure some packages do not give is unknown for the
whole, not the sum of the others.

Transfers between the consolidated units are eliminated where the facts mark them (``Project.transfer``):
a project of one unit paying another (对附属单位补助, received as 上级补助收入; 上缴上级, received as
附属单位上缴收入) is dropped, and the receiving unit's lines funded by that income take the paying
project's source instead, so the money is counted once, at its origin (``_eliminate``). Not eliminated
(and said in the notes): a transfer to a unit not consolidated, one paid from several sources, and one
whose amount differs from what the receiving unit records as received.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from yusuan.errors import InputError, InputProblem
from yusuan.model import BudgetPackage
from yusuan.model.sources import SOURCE_GROUPS

ZERO = Decimal(0)


@dataclass
class Consolidated:
    package: BudgetPackage
    notes: list[str] = field(default_factory=list)  # Chinese: what was left out or renamed, and why


def _label(i: int, p: BudgetPackage, names: list[str] | None) -> str:
    return names[i] if names and i < len(names) else f"第{i + 1}个预算包（{p.unit.name}）"


def blocking(packages: list[BudgetPackage], names: list[str] | None = None) -> list[InputProblem]:
    """Packages that cannot be summed with the first one: another year, stage, layout or region."""
    lead = packages[0]
    out = []
    for i, p in enumerate(packages[1:], start=1):
        why = []
        if p.unit.budget_year != lead.unit.budget_year:
            why.append(f"预算年度为{p.unit.budget_year}年，而第一个预算包为{lead.unit.budget_year}年（科目目录版本也随年度不同）")
        if p.unit.phase != lead.unit.phase:
            why.append("一为预算、一为决算")
        if p.unit.profile != lead.unit.profile:
            why.append(f"地区版式为{p.unit.profile}，而第一个预算包为{lead.unit.profile}")
        if p.unit.region and lead.unit.region and p.unit.region != lead.unit.region:
            why.append(f"所属地区为{p.unit.region}，而第一个预算包为{lead.unit.region}")
        if why:
            out.append(InputProblem(_label(i, p, names), "无法汇总：" + "；".join(why)))
    return out


def _sum_lines(lines: Iterable, key) -> list:
    totals: dict = {}
    first: dict = {}
    for line in lines:
        k = key(line)
        totals[k] = totals.get(k, ZERO) + line.amount
        first.setdefault(k, line)
    return [first[k].model_copy(update={"amount": totals[k]}) for k in first]


def _sum_optional(values: list) -> Decimal | None:
    """The sum when every package gives the figure; unknown (None) when one does not."""
    return None if any(v is None for v in values) else sum(values, ZERO)


GENERAL = set(SOURCE_GROUPS["general_budget"])


def _spends_general(p: BudgetPackage, code: str) -> bool:
    """Whether the package spends general-budget money on the 项 ``code`` this year."""
    return (any(b.function == code and b.source in GENERAL and b.amount for b in p.basic)
            or any(pr.function == code and any(f.source in GENERAL and f.amount for f in pr.funding) for pr in p.projects))


def _has_income(p: BudgetPackage, key: str) -> bool:
    from yusuan.derive import source_total

    try:
        return bool(source_total(p, key))
    except (KeyError, ValueError):
        return True  # a key we cannot evaluate: demand it from every package


def _last_year(packages: list[BudgetPackage], notes: list[str]) -> dict:
    out = {}
    keys = list(dict.fromkeys(k for p in packages for k in p.last_year))
    dropped = []
    for key in keys:
        if key.startswith("general:function:"):
            code = key.rsplit(":", 1)[1]
            # a package that spends on this 项 this year must say what it had last year
            needed = [p for p in packages if key in p.last_year or _spends_general(p, code)]
        elif key.startswith("income:"):
            # a package without this income this year must still say what it had last year, unless
            # it has none of it at all (then its narrative does not compare it either)
            needed = [p for p in packages if key in p.last_year or _has_income(p, key.split(":", 1)[1])]
        else:
            needed = packages
        entries = [p.last_year.get(key) for p in needed]
        if any(e is None for e in entries):
            dropped.append(key)
            continue
        reasons = list(dict.fromkeys(e.reason for e in entries if e.reason))
        out[key] = {"amount": sum((e.amount for e in entries), ZERO), "reason": "；".join(reasons) or None}
    if dropped:
        notes.append(f"{len(dropped)} 项上年数并非每个预算包都有，汇总后的上年数未知，未列入：{'、'.join(dropped[:8])}"
                     f"{'等' if len(dropped) > 8 else ''}。")
    return out


def _assets(packages: list[BudgetPackage]) -> dict | None:
    if any(p.assets is None for p in packages):
        return None
    assets = [p.assets for p in packages]
    vehicles: dict[str, list] = {}
    for a in assets:
        for v in a.vehicles:
            got = vehicles.setdefault(v.kind, [0, ZERO])
            got[0] += v.count
            got[1] += v.value
    data = assets[0].model_dump()
    for name in ("buildings_area", "buildings_value", "furniture_value", "other_value", "equipment_over_50",
                 "equipment_over_100", "plan_vehicles", "plan_equipment_over_50", "plan_equipment_over_100"):
        values = [getattr(a, name) for a in assets]
        data[name] = None if any(v is None for v in values) else sum(values)
    data["vehicles"] = [{"kind": k, "count": c, "value": v} for k, (c, v) in vehicles.items()]
    return data


def _procurement(packages: list[BudgetPackage]) -> dict | None:
    if any(p.procurement is None for p in packages):
        return None  # one package does not say: the whole is unknown
    items = [p.procurement for p in packages]
    data = items[0].model_dump()
    for name in ("goods", "works", "services", "sme_reserved", "small_micro_reserved"):
        data[name] = _sum_optional([getattr(x, name) for x in items])
    return data


RECEIVED = {"affiliated_subsidy": "superior_subsidy", "remit_superior": "affiliated"}  # transfer kind → the receiver's source
KIND_ZH = {"affiliated_subsidy": "对附属单位补助", "remit_superior": "上缴上级"}


def _received(p: BudgetPackage, source: str) -> Decimal:
    """What the package spends from ``source`` (its income from that source, every line of it)."""
    return (sum((b.amount for b in p.basic if b.source == source), ZERO)
            + sum((f.amount for pr in p.projects for f in pr.funding if f.source == source), ZERO))


def _relabel(p: BudgetPackage, old: str, new: str) -> BudgetPackage:
    """The package with every line funded from ``old`` funded from ``new`` instead."""
    data = p.model_dump()
    for key in ("basic", "basic_economic", "sangong"):
        for line in data[key]:
            if line["source"] == old:
                line["source"] = new
    for pr in data["projects"]:
        for f in pr["funding"]:
            if f["source"] == old:
                f["source"] = new
    return BudgetPackage.model_validate(data)


def _eliminate(packages: list[BudgetPackage], notes: list[str]) -> tuple[list[BudgetPackage], set[tuple[int, str]]]:
    """Internal transfers cancelled: (the packages with each receiver's transfer income relabelled to the
    payer's source, the (package index, project name) of the paying projects to drop)."""
    by_name = {p.unit.name: i for i, p in enumerate(packages)}
    out = list(packages)
    dropped: set[tuple[int, str]] = set()
    for i, p in enumerate(packages):
        for pr in p.projects:
            t = pr.transfer
            if t is None:
                continue
            what = f"{p.unit.name}的“{pr.name}”（{KIND_ZH[t.kind]}，{t.unit}）"
            j = by_name.get(t.unit)
            sources = {f.source for f in pr.funding}
            if j is None or j == i:
                notes.append(f"{what}：收款单位不在本次汇总范围内，未抵销。")
                continue
            if len(sources) != 1:
                notes.append(f"{what}：由多个资金来源安排，无法确定收款单位各项支出的来源，未抵销。")
                continue
            received = _received(out[j], RECEIVED[t.kind])
            if received != pr.total:
                notes.append(f"{what}：转出 {pr.total} 万元，而收款单位的{'上级补助收入' if t.kind == 'affiliated_subsidy' else '附属单位上缴收入'}"
                             f"为 {received} 万元，两者不等，未抵销。")
                continue
            out[j] = _relabel(out[j], RECEIVED[t.kind], next(iter(sources)))
            dropped.add((i, pr.name))
            notes.append(f"{what} {pr.total} 万元为汇总单位之间的转移，已抵销。")
    return out, dropped


def consolidate(packages: list[BudgetPackage], name: str | None = None, full_name: str | None = None,
                names: list[str] | None = None) -> Consolidated:
    """The consolidated package (the first package leads: its unit, overview and texts). ``names``
    label the packages in messages (their file names). Raises InputError naming each blocking package."""
    if len(packages) < 2:
        raise InputError("consolidate", [InputProblem("consolidate", "至少需要两个预算包才能汇总")])
    problems = blocking(packages, names)
    if problems:
        raise InputError("consolidate", problems)
    notes: list[str] = []
    packages, transfers = _eliminate(list(packages), notes)
    if transfers:
        notes.append("上年数按各预算包所列相加：上年的内部转移未标明，未抵销。")
    lead = packages[0]

    # projects, each naming its unit; a shared name gets the unit's name added
    counts = defaultdict(int)
    for i, p in enumerate(packages):
        for pr in p.projects:
            counts[pr.name] += (i, pr.name) not in transfers
    projects, performance = [], []
    for i, p in enumerate(packages):
        renamed = {}
        gone = {name for k, name in transfers if k == i}
        for pr in p.projects:
            if pr.name in gone:
                continue
            new = f"{pr.name}（{p.unit.name}）" if counts[pr.name] > 1 else pr.name
            if new != pr.name:
                renamed[pr.name] = new
            projects.append(pr.model_copy(update={"name": new, "implementer": pr.implementer or p.unit.name}))
        for t in p.performance:
            if t.project in gone:
                continue
            performance.append(t.model_copy(update={"project": renamed.get(t.project, t.project),
                                                    "budget_unit": t.budget_unit or p.unit.name}))
        if renamed:
            notes.append(f"{p.unit.name}的 {len(renamed)} 个项目与其他单位同名，已在名称后注明单位。")

    staff = [p.overview.staffing for p in packages]
    staffing = None
    if all(s is not None for s in staff):
        staffing = lead.overview.staffing.model_dump()
        staffing["authorized"] = sum(s.authorized for s in staff)
        for part in ("active", "retired", "veteran"):
            staffing[part] = {"count": sum(getattr(s, part).count for s in staff),
                              "change": sum(getattr(s, part).change for s in staff)}
        stated = [s.stated_actual for s in staff]
        staffing["stated_actual"] = None if any(v is None for v in stated) else sum(stated)
    elif any(s is not None for s in staff):
        notes.append("并非每个预算包都有人员编制情况，汇总后的人员情况未知，未列入。")

    overview = lead.overview.model_dump()
    overview["staffing"] = staffing
    units = [u for p in packages for u in [p.unit.name, *p.overview.subordinate_units] if u != (name or lead.unit.name)]
    overview["subordinate_units"] = list(dict.fromkeys(units))

    class_names = {"function": {}, "economic": {}}
    for p in packages:
        for kind in class_names:
            for code, label in getattr(p.class_names, kind).items():
                class_names[kind].setdefault(code, label)

    # an empty-table note holds only where the table is empty for every package
    note_keys = set.intersection(*(set(p.notes) for p in packages)) - {"other"}
    texts = {k: lead.notes[k] for k in note_keys}
    others = list(dict.fromkeys(p.notes["other"] for p in packages if p.notes.get("other")))
    if others:
        texts["other"] = others[0] if len(others) == 1 else "\n".join(others)

    operating = [p.operating_costs for p in packages]
    if any(v is None for v in operating) and not all(v is None for v in operating):
        notes.append("并非每个预算包都有机关运行经费，汇总后的机关运行经费未知，未列入。")
    unit = lead.unit.model_dump()
    unit.update(name=name or lead.unit.name, full_name=full_name or (None if name else lead.unit.full_name), code=None)
    dates = [p.unit.date_signed for p in packages if p.unit.date_signed]
    unit["date_signed"] = max(dates) if dates else None

    data = {
        "unit": unit,
        "overview": overview,
        "basic": [x.model_dump() for x in _sum_lines((b for p in packages for b in p.basic), lambda b: (b.function, b.source))],
        "basic_economic": [x.model_dump() for x in _sum_lines((e for p in packages for e in p.basic_economic),
                                                              lambda e: (e.economic, e.source))],
        "projects": [x.model_dump() for x in projects],
        "sangong": [x.model_dump() for x in _sum_lines((s for p in packages for s in p.sangong), lambda s: (s.item, s.source))],
        "operating_costs": _sum_optional(operating),
        "procurement": _procurement(packages),
        "assets": _assets(packages),
        "last_year": _last_year(packages, notes),
        "performance": [t.model_dump() for t in performance],
        "glossary": list({g.term: g.model_dump() for p in packages for g in p.glossary}.values()),
        "notes": texts,
        "class_names": class_names,
    }
    return Consolidated(BudgetPackage.model_validate(data), notes)
