"""From a printed disclosure back to facts: ``facts_from_disclosure(disclosure) -> (BudgetPackage, findings)``.

The inverse of ``yusuan.compose``: every leaf fact the printed tables and statements determine is read
back, so that composing the recovered facts prints the same cells and statements again. Where the
print does not determine a fact (which leaf of a source group a figure belongs to, how a 项's
basic spending splits between own-level and transfer funds, the function and sources of a project
only named in a performance table, the economic classification of projects outside table 7) the
recovery takes the one choice that reproduces the print and says so in a ``reading`` finding
(rule ``R.FACTS.UNDETERMINED``, info).

Keys follow docs/disclosure-keys.md; amounts stay ``Decimal`` in 万元 (元 tables are converted).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from itertools import combinations

from yusuan import catalog
from yusuan.amounts import round_half_up
from yusuan.disclosure import Disclosure, Statement, Table
from yusuan.errors import InputError, InputProblem
from yusuan.findings import Finding
from yusuan.model import BudgetPackage
from yusuan.model.package import (
    AllocationLine, Assets, BasicLine, EconomicLine, Funding, GlossaryEntry, Overview, PriorYear, Procurement,
    Project, ProjectEconomic, SanGongLine, StaffCount, Staffing, Unit, VehicleHolding,
)
from yusuan.model.sources import SOURCE_GROUPS, SOURCE_LABELS, Source, sources_of
from yusuan.profiles import Profile, load_profile

ZERO = Decimal(0)
TEN_THOUSAND = Decimal(10000)
RULE = "R.FACTS.UNDETERMINED"
# Statement subjects whose last_year/reason are facts (BudgetPackage.last_year keys).
PRIOR_SUBJECT = re.compile(r"total|income:[a-z_]+|expenditure:(basic|project)|general:(basic|project|total)"
                           r"|general:function:\d{7}|sangong:(total|abroad|vehicle_purchase|vehicle_operation|reception)"
                           r"|operating_costs")
# Sources that a performance table counts as 财政拨款 (its “其中：财政拨款” column).
FISCALISH = set(SOURCE_GROUPS["fiscal_with_carryover"])
# How an unnamed remainder project is called: <function name><label>项目（公开文本未列名）.
REMAINDER_LABELS = {
    Source.CARRYOVER_GENERAL: "财政拨款结转", Source.CARRYOVER_FUND: "政府性基金结转",
    Source.CARRYOVER_CAPITAL: "国有资本经营预算结转", Source.CARRYOVER_UNIT: "单位资金结转",
    Source.CARRYOVER_SPECIAL_ACCOUNT: "财政专户结转",
}
SANGONG_ITEMS = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")


class _Recovery:
    """Holds the disclosure, the profile and the findings while the facts are pieced together."""

    def __init__(self, disclosure: Disclosure, budget_year: int | None, unit_name: str | None):
        self.d = disclosure
        self.profile: Profile = load_profile(disclosure.profile)
        self.findings: list[Finding] = []
        self.rounded = False
        title_year = re.search(r"(\d{4})年", disclosure.title or "")
        year = budget_year or disclosure.budget_year or (int(title_year[1]) if title_year else None)
        if year is None:  # the catalogue (function and economic names) depends on it
            raise InputError(disclosure.file or "公开文本", [InputProblem(
                "预算年度", "公开文件中没有印出预算年度（如“2023年部门预算公开”），无法恢复事实；请指定预算年度")])
        self.year = year
        self.unit_name = unit_name or disclosure.unit_name
        if not self.unit_name:
            self.undetermined("公开文件中没有读出单位名称，单位名称为空。", "unit:name")

    # ------------------------------------------------------------ helpers

    def undetermined(self, message: str, subject: str | None = None) -> None:
        self.findings.append(Finding(rule=RULE, severity="info", category="reading", message=message, subject=subject))

    def table(self, kind: str) -> Table | None:
        return self.d.table(kind)

    def value(self, table: Table | None, row: str, column: str) -> Decimal:
        """A cell in 万元. Facts count to the 元 (four places): 角/分 of a 元 table are rounded off, once said."""
        if table is None:
            return ZERO
        v = table.value(row, column)
        if v is None:
            return ZERO
        if table.unit != "元":
            return v
        wan = v / TEN_THOUSAND
        rounded = round_half_up(wan, 4)
        if rounded != wan and not self.rounded:
            self.rounded = True
            self.undetermined("以元为单位的表中印有角、分，事实金额以万元计到元（4位小数），已四舍五入到元。", table.kind)
        return rounded

    def sources_of_table(self, kind: str, default: str) -> tuple[Source, ...]:
        spec = self.profile.table(kind)
        return sources_of(spec.sources if spec and spec.sources else default)

    def statements(self, section: str) -> list[Statement]:
        s = self.d.section(section)
        return s.statements() if s else []

    def statement(self, subject: str, section: str | None = None) -> Statement | None:
        pool = self.statements(section) if section else self.d.statements()
        return next((s for s in pool if s.subject == subject), None)

    def function_name(self, code: str) -> str:
        return catalog.load("function", self.year).name(code) or code

    # ------------------------------------------------------------ unit and texts

    def unit(self) -> Unit:
        signed = None
        m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", (self.d.date_text or "").strip())
        if m:
            signed = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return Unit(name=self.unit_name, budget_year=self.year, phase=self.d.phase, profile=self.d.profile,
                    date_signed=signed)

    def overview(self) -> Overview:
        functions = [p.text for p in (self.d.section("overview.functions") or _EMPTY).paragraphs]
        institutions, divisions, staffing = "", [], None
        section = self.d.section("overview.institutions")
        for p in section.paragraphs if section else []:
            subjects = {s.subject: s for s in p.statements}
            if "staff:authorized" in subjects:
                staffing = _staffing(subjects)
                continue
            if not institutions:
                institutions = p.text
                count = subjects.get("institutions:divisions")
                if count is not None:
                    divisions = self.divisions(p.text, count.count or 0)
        return Overview(functions=functions, institutions=institutions, divisions=divisions, staffing=staffing)

    def divisions(self, text: str, count: int) -> list[str]:
        """The division names listed after 分别是：, when their number is the stated count."""
        m = re.search(r"分别(?:是|为)[:：](.*)$", text)
        names = [n.strip(" 　。；;") for n in re.split(r"[、，,]", m[1])] if m else []
        names = [n for n in names if n]
        if len(names) == count:
            return names
        self.undetermined(f"内设科室共{count}个，文中未能逐一读出名称，科室名单未恢复。", "institutions:divisions")
        return [f"科室{n}" for n in range(1, count + 1)]

    def glossary(self) -> list:
        out = []
        for p in (self.d.section("glossary") or _EMPTY).paragraphs:
            body = NUMBERED.sub("", p.text.strip())
            term, sep, definition = body.partition("：")
            if sep:
                out.append(GlossaryEntry(term=term, definition=definition))
        return out

    def notes(self) -> dict[str, str]:
        notes = {t.kind: t.empty_note for t in self.d.tables if t.empty_note}
        other = self.d.section("other.notes")
        if other and other.paragraphs:
            notes["other"] = "\n".join(p.text for p in other.paragraphs)
        return notes

    # ------------------------------------------------------------ money: leaves by 项 × source

    def leaves(self) -> dict[str, dict[Source, Decimal]]:
        """Amount of every 项 × leaf source, from table 2's columns. A group column (单位资金, 结转,
        Shanghai's 财政拨款) is split into its leaves by table 1: by the leaf totals it prints, or else
        by which of its sub-groups have an amount; what stays open is filled in catalogue order."""
        t2 = self.table("income")
        out: dict[str, dict[Source, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        if t2 is None:
            return out
        labels = {c.key: c.label for c in t2.columns}
        columns = [c.key for c in t2.columns if c.key.startswith("s:") and c.key[2:] in {*SOURCE_GROUPS, *Source}]
        # a group column counts only the leaves no other column of table 2 prints on its own
        own = {Source(c[2:]) for c in columns if c[2:] in {s.value for s in Source}}
        t1 = self.table("income_expenditure")
        remaining = {s: self.value(t1, f"s:{s.value}", "amount") for s in Source}
        rows = [r for r in t2.rows if r.level == "项" and r.code]
        for column in columns:
            key = column[2:]
            members = [Source(key)] if key in {s.value for s in Source} else \
                [s for s in sources_of(key) if s not in own]
            if not members:
                continue  # a subtotal of leaf columns printed beside it (表2 财政拨款小计)
            pool, by_totals = self._candidates(members, t1, remaining)
            filled: list[str] = []
            for row in rows:
                amount = self.value(t2, row.key, column)
                if amount == 0:
                    continue
                if len(pool) == 1:
                    out[row.code][pool[0]] += amount
                    continue
                filled.append(row.code)
                left = amount
                for s in pool:
                    take = left if s is pool[-1] or not by_totals else min(left, remaining[s])
                    if take > 0:
                        out[row.code][s] += take
                        remaining[s] -= take
                        left -= take
            if filled:
                how = "按表1各项金额依次分配" if by_totals else f"记为{SOURCE_LABELS[pool[0]]}"
                self.undetermined(f"表2“{labels[column]}”列（{'、'.join(filled)}）可能来自"
                                  f"{'、'.join(SOURCE_LABELS[s] for s in pool)}中的多项，{how}。", column)
        return out

    def _candidates(self, members: list[Source], t1: Table | None, remaining) -> tuple[list[Source], bool]:
        """The leaves of a group column that can hold its amounts, and whether table 1 gives their totals."""
        printed = [s for s in members if t1 is not None and t1.row(f"s:{s.value}") is not None]
        if printed:
            with_amount = [s for s in printed if remaining[s] > 0]
            return (with_amount or printed[:1]), len(with_amount) > 1
        groups = [g for g, leaves in SOURCE_GROUPS.items() if set(leaves) < set(members) and t1 is not None
                  and self.value(t1, f"s:{g}", "amount") > 0]
        narrowed = [s for s in members if any(s in SOURCE_GROUPS[g] for g in groups)]
        return narrowed or members, False

    def split_basic(self, leaves: dict[str, dict[Source, Decimal]]) -> tuple[list[BasicLine], dict[str, dict[Source, Decimal]]]:
        """Basic spending per 项 × source: the general-budget part is table 5's basic column (likewise
        tables 8/9), the rest table 3's basic column minus those; projects get what is left."""
        t3, basic, projects = self.table("expenditure"), [], {}
        by_table = [(self.table(kind), set(self.sources_of_table(kind, default)))
                    for kind, default in (("general_expenditure", "general_budget"), ("fund_expenditure", "fund_budget"),
                                          ("capital_expenditure", "capital_budget"))]
        for code in sorted(leaves):
            left = dict(leaves[code])
            all_basic = self.value(t3, f"f:{code}", "basic")
            covered: set[Source] = set()
            for table, sources in by_table:
                if table is None:
                    continue
                covered |= sources
                amount = self.value(table, f"f:{code}", "basic")
                all_basic -= amount
                self._take_basic(code, amount, [s for s in Source if s in sources], left, basic)
            self._take_basic(code, all_basic, [s for s in Source if s not in covered], left, basic)
            projects[code] = {s: v for s, v in left.items() if v > 0}
        return basic, projects

    def _take_basic(self, code: str, amount: Decimal, order: list[Source], left: dict, basic: list) -> None:
        if amount <= 0:
            return
        holders = [s for s in order if left.get(s, ZERO) > 0]
        if len(holders) > 1 and amount < sum((left[s] for s in holders), ZERO):
            self.undetermined(f"{code} 的基本支出 {amount} 万元在{'、'.join(SOURCE_LABELS[s] for s in holders)}之间的"
                              f"划分未印出，按来源顺序依次取用。", f"f:{code}")
        for s in holders or order[:1]:
            take = min(amount, left.get(s, ZERO)) if holders else amount
            if take > 0:
                basic.append(BasicLine(function=code, source=s, amount=take))
                left[s] = left.get(s, ZERO) - take
                amount -= take
            if amount == 0:
                break

    def basic_economic(self) -> list[EconomicLine]:
        t6 = self.table("general_basic")
        if t6 is None:
            return []
        econ = catalog.load("economic", self.year)
        source = self.sources_of_table("general_basic", "general_budget")[0]
        out = []
        for row in t6.rows:
            if not row.key.startswith("e:") or len(row.key) != 7:
                continue
            amount = self.value(t6, row.key, "total")
            if amount == 0:
                continue
            code = row.key[2:]
            printed = row.name.strip() if row.name and row.name.strip() != (econ.name(code) or "") else None
            out.append(EconomicLine(economic=code, source=source, amount=amount, printed_name=printed))
        return out

    # ------------------------------------------------------------ projects

    def general_projects(self, remaining: dict[str, dict[Source, Decimal]]) -> list[Project]:
        t7 = self.table("general_project")
        if t7 is None:
            return []
        allowed = [s for s in Source if s in set(self.sources_of_table("general_project", "general_budget"))]
        rows = [r for r in t7.rows if r.key.startswith("p:")]
        described = self.described_projects()
        by_name = {row.cells["project_name"].text if "project_name" in row.cells else row.key.split(":", 2)[2]: row
                   for row in rows}
        order = self.order_projects(list(by_name), described)
        projects = []
        per_function: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
        for name, shown in order:
            row = by_name[name]
            total = self.value(t7, row.key, "total")
            per_function[row.code or row.key.split(":")[1]].append((name, total))
        funding = {}
        for code, items in per_function.items():
            funding.update(self.assign_sources(code, items, allowed, remaining.setdefault(code, {})))
        for name, shown in order:
            row = by_name[name]
            code = row.code or row.key.split(":")[1]
            economic = [ProjectEconomic(economic=c.key[2:], amount=self.value(t7, row.key, c.key))
                        for c in t7.columns if c.key.startswith("e:") and self.value(t7, row.key, c.key) != 0]
            text = described.get(shown, {})
            projects.append(Project(
                name=name, function=code, funding=funding[name], economic=economic,
                described_name=shown if shown != name else None, **text))
        return projects

    def described_projects(self) -> dict[str, dict]:
        """Section 七: per printed project name, its basis, implementer, allocation lines and period (in order)."""
        out: dict[str, dict] = {}
        for s in self.statements("general_project"):
            parts = s.subject.split(":")
            if parts[0] != "project" or len(parts) < 3:
                continue
            field = parts[-1] if parts[-2] != "allocation" else "allocation"
            name = ":".join(parts[1:-2] if field == "allocation" else parts[1:-1])
            entry = out.setdefault(name, {})
            if field == "basis":
                entry["policy_basis"] = s.label
            elif field == "implementer":
                entry["implementer"] = s.label
            elif field == "period":
                entry["period"] = s.label
            elif field == "allocation" and s.amount is not None:
                entry.setdefault("allocation", []).append(AllocationLine(purpose=s.label, amount=s.amount))
            elif field == "scale":
                entry["_scale"] = s.amount
        return out

    def order_projects(self, names: list[str], described: dict[str, dict]) -> list[tuple[str, str]]:
        """(table-7 name, name printed in section 七) in section 七's order (the package's order);
        names that differ are paired by scale in order of appearance."""
        t7 = self.table("general_project")
        unmatched = [n for n in names if n not in described]
        pairs = []
        for shown, entry in described.items():
            if shown in names:
                pairs.append((shown, shown))
                continue
            scale = entry.get("_scale")
            match = next((n for n in unmatched if scale is None or self.value(
                t7, next(r.key for r in t7.rows if r.cells.get("project_name") and r.cells["project_name"].text == n),
                "total") == scale), None)
            if match is None:
                self.undetermined(f"第三部分七所述项目“{shown}”在表7中找不到对应的项目，其说明未恢复。", f"project:{shown}")
                continue
            unmatched.remove(match)
            pairs.append((match, shown))
        for n in unmatched:  # in table 7 but not described
            pairs.append((n, n))
        for entry in described.values():
            entry.pop("_scale", None)
        return pairs

    def assign_sources(self, code: str, items: list[tuple[str, Decimal]], allowed: list[Source],
                       left: dict[Source, Decimal]) -> dict[str, list[Funding]]:
        """Which of the 项's allowed sources each project draws on: whole projects to sources by exact
        subset sums of the 项's project amounts per source (unique when determined)."""
        holders = [s for s in allowed if left.get(s, ZERO) > 0]
        out: dict[str, list[Funding]] = {}
        if len(holders) <= 1:
            source = holders[0] if holders else allowed[0]
            for name, amount in items:
                out[name] = [Funding(source=source, amount=amount)]
                left[source] = left.get(source, ZERO) - amount
            return out
        pending = list(items)
        for s in holders[1:]:  # the first holder takes whatever the others leave
            target = left[s]
            subsets = [c for k in range(1, len(pending) + 1) for c in combinations(pending, k)
                       if sum((a for _, a in c), ZERO) == target]
            if len(subsets) != 1:
                self.undetermined(f"{code} 的一般公共预算项目在{'、'.join(SOURCE_LABELS[h] for h in holders)}之间的归属"
                                  f"{'不唯一' if subsets else '无法由项目金额凑出'}，按项目顺序依次分配。", f"f:{code}")
            chosen = subsets[0] if subsets else ()
            for name, amount in chosen:
                out[name] = [Funding(source=s, amount=amount)]
                left[s] -= amount
                pending.remove((name, amount))
            if not subsets:  # fill in order, splitting the project that crosses the boundary
                for name, amount in list(pending):
                    take = min(amount, left[s])
                    if take <= 0:
                        break
                    out.setdefault(name, []).append(Funding(source=s, amount=take))
                    left[s] -= take
                    if take == amount:
                        pending.remove((name, amount))
                    else:
                        pending[pending.index((name, amount))] = (name, amount - take)
        first = holders[0]
        for name, amount in pending:
            out.setdefault(name, []).append(Funding(source=first, amount=amount))
            left[first] -= amount
        return out

    def other_projects(self, remaining: dict[str, dict[Source, Decimal]], taken: set[str]) -> list[Project]:
        """Projects outside table 7: those named by a performance table, placed where their 财政拨款 /
        其他资金 fit the 项 × source amounts still unexplained, then one unnamed project per 项 × source left."""
        candidates = [p.table for p in self.d.performance
                      if p.table.project not in taken and (p.table.title_name or p.table.project) not in taken]
        placed: list[Project] = []
        pending = list(candidates)
        while pending:
            progress = False
            for table in list(pending):
                fits = self._fits(table.fiscal, table.other, remaining)
                exact = [c for c, kind in fits if kind == "exact"]
                if len(exact) == 1 or (not exact and len(fits) == 1):
                    placed.append(self._place(table, (exact or [fits[0][0]])[0], remaining))
                    pending.remove(table)
                    progress = True
            if not progress:
                break
        for table in pending:
            fits = self._fits(table.fiscal, table.other, remaining)
            if fits:
                code = fits[0][0]
                self.undetermined(f"绩效目标表“{table.project}”的功能科目未印出，可能为{'、'.join(c for c, _ in fits)}，"
                                  f"取 {code}。", f"performance:{table.project}")
                placed.append(self._place(table, code, remaining))
            # no room anywhere: a further table of a table-7 project (e.g. one per year), not a project of its own
        placed.sort(key=lambda p: next(i for i, t in enumerate(candidates) if t.project == p.name))
        for code in sorted(remaining):
            for s, amount in sorted(remaining[code].items(), key=lambda kv: list(Source).index(kv[0])):
                if amount <= 0:
                    continue
                label = REMAINDER_LABELS.get(s, SOURCE_LABELS[s])
                name = f"{self.function_name(code)}{label}项目（公开文本未列名）"
                if any(p.name == name for p in placed):  # the same 项 name under another 款
                    name = f"{self.function_name(code)}{label}项目（{code}，公开文本未列名）"
                self.undetermined(f"{code} {SOURCE_LABELS[s]} {amount} 万元的项目未列名（无项目说明和绩效目标表），"
                                  f"恢复为“{name}”。", f"f:{code}")
                placed.append(Project(name=name, function=code, funding=[Funding(source=s, amount=amount)],
                                      note=f"表2 {code} {SOURCE_LABELS[s]} {amount} 万元；公开文本无项目名称、说明和绩效目标表。"))
                remaining[code][s] = ZERO
        if placed:
            self.undetermined("表7以外项目（结转、单位资金等）的经济分类未印出，未填写。", "projects:economic")
        return placed

    @staticmethod
    def _split(remaining: dict[Source, Decimal]) -> tuple[Decimal, Decimal]:
        fiscal = sum((v for s, v in remaining.items() if s in FISCALISH), ZERO)
        other = sum((v for s, v in remaining.items() if s not in FISCALISH), ZERO)
        return fiscal, other

    def _fits(self, fiscal: Decimal, other: Decimal, remaining) -> list[tuple[str, str]]:
        out = []
        for code in sorted(remaining):
            have_fiscal, have_other = self._split(remaining[code])
            if fiscal <= have_fiscal and other <= have_other and (fiscal + other) > 0:
                out.append((code, "exact" if (fiscal, other) == (have_fiscal, have_other) else "room"))
        return out

    def _place(self, table, code: str, remaining) -> Project:
        left = remaining[code]
        funding: list[Funding] = []
        for amount, fiscalish in ((table.fiscal, True), (table.other, False)):
            holders = [s for s in Source if (s in FISCALISH) == fiscalish and left.get(s, ZERO) > 0]
            if len(holders) > 1 and amount < sum((left[s] for s in holders), ZERO):
                self.undetermined(f"项目“{table.project}”的{'财政拨款' if fiscalish else '其他资金'} {amount} 万元在"
                                  f"{'、'.join(SOURCE_LABELS[s] for s in holders)}之间的划分未印出，按来源顺序依次取用。",
                                  f"performance:{table.project}")
            for s in holders:
                take = min(amount, left[s])
                if take > 0:
                    funding.append(Funding(source=s, amount=take))
                    left[s] -= take
                    amount -= take
        return Project(name=table.project, function=code, funding=funding)

    # ------------------------------------------------------------ 三公, other matters, last year

    def sangong(self) -> list[SanGongLine]:
        t10 = self.table("sangong") or self.table("sangong_operating")
        if t10 is None:
            return []
        columns = [c.key for c in t10.columns if c.key.startswith("s:")] or ["amount"]
        out = []
        for item in SANGONG_ITEMS:
            for column in columns:
                amount = self.value(t10, f"sangong:{item}", column)
                if amount == 0:
                    continue
                group = column[2:] if column != "amount" else "fiscal"
                out.append(SanGongLine(item=item, source=sources_of(group)[0], amount=amount))
        if out and any(len(sources_of(c[2:] if c != "amount" else "fiscal")) > 1 for c in columns):
            self.undetermined("“三公”经费按本级与上级转移支付的划分未印出，均记为本级拨款。", "sangong")
        return out

    def operating_costs(self) -> Decimal | None:
        s = self.statement("operating_costs")
        if s is not None and s.amount is not None:
            return s.amount
        t = self.table("sangong_operating")
        return self.value(t, "operating_costs", "amount") if t and t.row("operating_costs") else None

    def procurement(self) -> Procurement | None:
        found = {s.subject.split(":", 1)[1]: s.amount for s in self.statements("other.procurement")
                 if s.subject.startswith("procurement:")}
        if not found:
            return None
        fields = {k: found[k] for k in ("goods", "works", "services", "sme_reserved", "small_micro_reserved")
                  if found.get(k) is not None}
        return Procurement(**fields)

    def assets(self) -> Assets | None:
        section = self.d.section("other.assets")
        if section is None or not section.paragraphs:
            return None
        text = section.paragraphs[0].text
        m = re.search(r"截至(.+?)，", text)
        fields: dict = {"as_of": m[1] if m else ""}
        vehicles = []
        for s in section.statements():
            key = s.subject.split(":", 1)[1]
            if key.startswith("vehicle:"):
                vehicles.append(VehicleHolding(kind=s.label, count=s.count or 0, value=s.amount or ZERO))
            elif key in ("buildings_area", "buildings_value", "furniture_value", "other_value"):
                fields[key] = s.amount
            elif key in ("equipment_over_50", "equipment_over_100"):
                fields[key] = s.count
            elif key.startswith("purchase_"):
                fields["plan_" + key.removeprefix("purchase_")] = s.count
                plan = next((p.text for p in section.paragraphs if s in p.statements), "")
                y = re.match(r"(\d{4})年", plan)
                if y:
                    fields["plan_year"] = int(y[1])
        return Assets(vehicles=vehicles, **fields)

    def last_year(self) -> dict[str, PriorYear]:
        """Last year's figure of every compared subject: printed, or the amount less the stated change;
        “X未安排预算，主要原因是…” (nothing this year or last) gives 0."""
        out: dict[str, PriorYear] = {}
        for s in self.d.statements():
            if not PRIOR_SUBJECT.fullmatch(s.subject):
                continue
            prior = s.last_year
            if prior is None and s.change is not None and s.amount is not None:
                prior = s.amount - s.change
            if prior is None and s.change is None and s.reason and s.amount == 0:
                prior = ZERO
            if prior is None:
                continue
            reason = s.reason or None
            if s.subject in out and out[s.subject].reason and not reason:
                continue
            out[s.subject] = PriorYear(amount=prior, reason=reason)
        return out

    def performance(self, general: list[Project]) -> list:
        """The performance tables as printed; a table printed under a project's section-七 name is linked
        to its table-7 name (``project``), keeping the printed one as ``title_name``."""
        described = {p.described_name: p.name for p in general if p.described_name}
        out = []
        for printed in self.d.performance:
            table = printed.table.model_copy(deep=True)
            if table.title_name is None and table.project in described:
                table.title_name, table.project = table.project, described[table.project]
            out.append(table)
        return out

    # ------------------------------------------------------------ all of it

    def package(self) -> BudgetPackage:
        leaves = self.leaves()
        basic, remaining = self.split_basic(leaves)
        general = self.general_projects(remaining)
        taken = {p.name for p in general} | {p.described_name for p in general if p.described_name}
        others = self.other_projects(remaining, taken)
        return BudgetPackage(
            unit=self.unit(), overview=self.overview(), basic=basic, basic_economic=self.basic_economic(),
            projects=general + others, sangong=self.sangong(), operating_costs=self.operating_costs(),
            procurement=self.procurement(), assets=self.assets(), last_year=self.last_year(),
            performance=self.performance(general),
            glossary=self.glossary(), notes=self.notes(),
        )


class _Empty:
    paragraphs: list = []


_EMPTY = _Empty()


def _staffing(subjects: dict[str, Statement]) -> Staffing:
    def count(key: str) -> StaffCount:
        s = subjects.get(f"staff:{key}")
        return StaffCount(count=(s.count or 0) if s else 0, change=int(s.change or 0) if s else 0)

    actual = subjects.get("staff:actual")
    return Staffing(authorized=subjects["staff:authorized"].count or 0, active=count("active"),
                    retired=count("retired"), veteran=count("veteran"),
                    stated_actual=actual.count if actual else None)


def facts_from_disclosure(disclosure: Disclosure, *, budget_year: int | None = None,
                          unit_name: str | None = None) -> tuple[BudgetPackage, list[Finding]]:
    """The facts a printed disclosure determines, and ``reading`` findings for what it leaves open.

    ``budget_year`` / ``unit_name`` supply what a file may not print (a workbook of tables only);
    without a year anywhere an ``InputError`` says so."""
    recovery = _Recovery(disclosure, budget_year, unit_name)
    package = recovery.package()
    return package, recovery.findings
