"""From a printed final account (部门决算) back to its facts: ``final_facts_from_disclosure(d) -> (FinalAccount, findings)``.

The inverse of ``yusuan.compose.final`` as far as the print determines it: 本年收入 by 项 and source (收入决算表,
the 财政拨款 column split by the fund and capital tables), 本年支出 by 项, source and kind (支出决算表 against the
一般公共预算, 政府性基金 and 国有资本经营 tables), each 项's 年初预算 and the reasons from the 情况说明, basic
spending by economic 款, 三公, 机关运行经费, 政府采购, assets, last year's figures (from the stated change) and the
glossary. What the print does not determine — by which 项 the 年初结转和结余 is held, which non-fiscal source
a non-fiscal figure comes from, how a 项's 年初预算 splits between basic and project spending — is chosen so
that the print is reproduced, and said in a ``reading`` finding (``R.FACTS.UNDETERMINED``, info), as for budgets
(``yusuan.recover``). The result is a starting point to complete by hand, never a published fact.
"""

from __future__ import annotations

import re
from decimal import Decimal

from yusuan.disclosure import Disclosure, Table
from yusuan.errors import InputError, InputProblem
from yusuan.findings import Finding
from yusuan.model.final import FinalAccount
from yusuan.model.sources import SOURCE_LABELS, Source

ZERO = Decimal(0)
RULE = "R.FACTS.UNDETERMINED"
KINDS = ("basic", "project", "remit_superior", "operating_expense", "affiliated_subsidy")
# 收入决算表 columns of non-fiscal sources
NONFISCAL_COLUMNS = {"s:superior_subsidy": Source.SUPERIOR_SUBSIDY, "s:business": Source.BUSINESS,
                     "s:operating": Source.OPERATING, "s:affiliated": Source.AFFILIATED, "s:other": Source.OTHER}
FISCAL_TABLES = (("general_expenditure", Source.GENERAL), ("fund_expenditure", Source.FUND),
                 ("capital_expenditure", Source.CAPITAL))
LAST_YEAR_SUBJECTS = ("total", "general:total", "sangong:total", "operating_costs", "fiscal:total")
GLOSSARY_ENTRY = re.compile(r"^\s*[一二三四五六七八九十]+、\s*([^：:]{1,30})[：:]\s*(.+)$", re.S)


def _leaves(table: Table | None) -> dict[str, dict[str, Decimal]]:
    """项 rows (f:<7 digits>) → {column: value} of the printed (non-blank) cells."""
    if table is None:
        return {}
    out: dict[str, dict[str, Decimal]] = {}
    for row in table.rows:
        code = row.key[2:] if row.key.startswith("f:") else ""
        if len(code) == 7 and code.isdigit():
            out[code] = {k: c.value for k, c in row.cells.items() if c.value is not None}
    return out


class _FinalRecovery:
    def __init__(self, d: Disclosure, budget_year: int | None, unit_name: str | None):
        self.d = d
        self.findings: list[Finding] = []
        self.year = budget_year or d.budget_year
        if self.year is None:
            raise InputError(d.file or "公开文本", [InputProblem("决算年度", "公开文件中没有印出决算年度，无法恢复事实；请指定年度")])
        self.unit = unit_name or d.unit_name or ""
        self.statements = {}
        self.paragraphs = [p for s in d.sections for p in s.paragraphs]
        for p in self.paragraphs:
            for st in p.statements:
                self.statements.setdefault(st.subject, st)

    def note(self, message: str, subject: str | None = None) -> None:
        self.findings.append(Finding(rule=RULE, severity="info", category="reading", message=message, subject=subject))

    def cell(self, kind: str, row: str, column: str) -> Decimal | None:
        table = self.d.table(kind)
        return table.value(row, column) if table else None

    # ------------------------------------------------------------------ money by 项

    def income(self) -> list[dict]:
        lines: list[dict] = []
        fiscal_by_table = {source: _leaves(self.d.table(kind)) for kind, source in FISCAL_TABLES[1:]}
        for code, cells in _leaves(self.d.table("income")).items():
            fiscal = cells.get("s:fiscal", ZERO)
            for source, leaves in fiscal_by_table.items():
                amount = leaves.get(code, {}).get("income_current", ZERO)
                if amount:
                    lines.append({"function": code, "source": source.value, "amount": amount})
                    fiscal -= amount
            if fiscal:
                lines.append({"function": code, "source": Source.GENERAL.value, "amount": fiscal})
            for column, source in NONFISCAL_COLUMNS.items():
                if cells.get(column):
                    lines.append({"function": code, "source": source.value, "amount": cells[column]})
        return lines

    def spending(self, nonfiscal: Source) -> list[dict]:
        lines: list[dict] = []
        fiscal = {source: _leaves(self.d.table(kind)) for kind, source in FISCAL_TABLES}
        for code, cells in _leaves(self.d.table("expenditure")).items():
            for kind in KINDS:
                left = cells.get(kind, ZERO)
                for source, leaves in fiscal.items():
                    amount = leaves.get(code, {}).get(kind, ZERO)
                    if amount:
                        lines.append({"function": code, "source": source.value, "kind": kind, "actual": amount})
                        left -= amount
                if left > 0:
                    lines.append({"function": code, "source": nonfiscal.value, "kind": kind, "actual": left})
                elif left < 0:
                    self.note(f"支出决算表 {code} {kind} 小于各财政拨款表之和 {-left} 万元，按财政拨款表取值。", f"f:{code}")
        self.budgets(lines)
        return lines

    def budgets(self, lines: list[dict]) -> None:
        """年初预算 of each 项 (stated in the text for 一般公共预算财政拨款) onto its general lines."""
        for code in sorted({l["function"] for l in lines}):
            st = self.statements.get(f"general:function:{code}:budget")
            if st is None or st.amount is None:
                continue
            general = [l for l in lines if l["function"] == code and l["source"] == Source.GENERAL.value]
            if not general:
                continue
            if len(general) == 1:
                general[0]["initial_budget"] = st.amount
                continue
            # only the 项's whole budget is printed: the other kinds are taken as budgeted at their 决算数
            main = max(general, key=lambda l: l["actual"])
            rest = sum((l["actual"] for l in general if l is not main), ZERO)
            if st.amount - rest < 0:
                self.note(f"{code} 的年初预算 {st.amount} 万元小于其他支出类型的决算数之和，未分配到支出类型。", f"f:{code}")
                continue
            for l in general:
                l["initial_budget"] = st.amount - rest if l is main else l["actual"]
            self.note(f"{code} 只印出项级年初预算 {st.amount} 万元：其中决算数较小的支出类型按其决算数记为年初预算，"
                      f"余下 {st.amount - rest} 万元记在决算数最大的一类（公开文本未印出拆分）。", f"f:{code}")

    def carryover(self, lines: list[dict], nonfiscal: Source) -> list[dict]:
        out: list[dict] = []
        pick = {}
        for kind, source in FISCAL_TABLES[1:]:
            for code, cells in _leaves(self.d.table(kind)).items():
                if cells.get("carryover_start"):
                    out.append({"function": code, "source": source.value, "amount": cells["carryover_start"]})
        general = self.cell("fiscal_income_expenditure", "s:carryover_general", "amount") or ZERO
        total = self.cell("income_expenditure", "s:carryover", "amount") or ZERO
        fiscal = self.cell("fiscal_income_expenditure", "s:carryover_fiscal", "amount")
        nonfiscal_amount = total - (fiscal if fiscal is not None else general + sum((l["amount"] for l in out), ZERO))
        for source, amount in ((Source.GENERAL, general), (nonfiscal, nonfiscal_amount)):
            if amount <= 0:
                continue
            mine = [l for l in lines if l["source"] == source.value] or lines
            if not mine:
                continue
            # project spending is what carries over: the 项 with the largest project spending of the source
            code = max(mine, key=lambda l: (l["kind"] == "project", l["actual"]))["function"]
            pick[source] = code
            out.append({"function": code, "source": source.value, "amount": amount})
            self.note(f"年初结转和结余（{SOURCE_LABELS[source]}）{amount} 万元未按科目印出，记在 {code}（该来源项目支出最多的科目）。",
                      "s:carryover")
        return out

    # ------------------------------------------------------------------ the rest

    def reasons(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in self.paragraphs:
            subjects = {st.subject for st in p.statements}
            for st in p.statements:
                if not st.reason:
                    continue
                if re.fullmatch(r"general:(total|function:\d{7})", st.subject) and f"{st.subject}:budget" in subjects:
                    out.setdefault(st.subject, st.reason)
                elif st.subject.startswith("sangong:") and not st.subject.endswith(":budget"):
                    out.setdefault("sangong:total", st.reason)
        return out

    def last_year(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for subject in LAST_YEAR_SUBJECTS:
            for p in self.paragraphs:
                st = next((s for s in p.statements if s.subject == subject and (s.change is not None or s.last_year is not None
                                                                                   or s.change_word)), None)
                if st is None or st.amount is None:
                    continue
                if st.last_year is not None:
                    amount = st.last_year
                elif st.change is not None:
                    amount = st.amount - st.change
                elif "持平" in (st.change_word or ""):
                    amount = st.amount
                else:
                    continue
                out[subject] = {"amount": amount, **({"reason": st.reason} if st.reason else {})}
                break
        return out

    def sangong(self) -> list[dict]:
        table = self.d.table("sangong")
        if table is None:
            return []
        printed = {c.key for c in table.columns}
        out = []
        for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
            row = table.row(f"sangong:{item}")
            if row is None:
                continue
            actual = row.value("actual")
            if actual is None:
                st = self.statements.get(f"sangong:{item}")
                actual = st.amount if st and st.amount is not None else (ZERO if "actual" in printed else None)
            budget = row.value("budget")
            if budget is None and "budget" in printed:
                budget = ZERO  # a blank cell in a printed column
            if actual is None:
                continue
            out.append({"item": item, "budget": budget, "actual": actual})
        return out

    def simple(self, subject: str) -> Decimal | None:
        st = self.statements.get(subject)
        return st.amount if st else None

    def account(self) -> FinalAccount:
        nonfiscal = Source.OTHER
        income = self.income()
        used = {l["source"] for l in income if l["source"] not in (Source.GENERAL.value, Source.FUND.value, Source.CAPITAL.value)}
        if len(used) == 1:
            nonfiscal = Source(used.pop())
        spending = self.spending(nonfiscal)
        if any(l["source"] == nonfiscal.value for l in spending):
            self.note(f"非财政拨款支出记为来源“{SOURCE_LABELS[nonfiscal]}”（公开文本不按来源印出非财政拨款支出）。")
        data: dict = {
            "account": "final",
            "unit": {"name": self.unit, "budget_year": self.year, "phase": "final", "profile": self.d.profile or "final_common"},
            "income": income, "spending": spending, "carryover": self.carryover(spending, nonfiscal),
            "nonfiscal_balance_used": self.cell("income_expenditure", "nonfiscal_balance_used", "amount") or ZERO,
            "special_reserve_drawn": self.cell("income_expenditure", "balance_distribution", "amount") or ZERO,
            "basic_economic": [{"economic": r.key[2:], "amount": r.value("total")}
                               for r in (self.d.table("general_basic").rows if self.d.table("general_basic") else [])
                               if r.key.startswith("e:") and len(r.key) == 7 and r.value("total")],
            "sangong": self.sangong(), "reasons": self.reasons(), "last_year": self.last_year(),
        }
        if data["special_reserve_drawn"]:
            self.note("结余分配未分项印出，全部记为提取专用结余。", "balance_distribution")
        oc = self.simple("operating_costs")
        if oc is not None:
            data["operating_costs"] = {"actual": oc}
        goods, works, services = (self.simple(f"procurement:{k}") for k in ("goods", "works", "services"))
        if any(v is not None for v in (goods, works, services)):
            data["procurement"] = {"goods": goods or ZERO, "works": works or ZERO, "services": services or ZERO}
            for key in ("sme_reserved", "sme_awarded", "small_micro_awarded"):
                if self.simple(f"procurement:{key}") is not None:
                    data["procurement"][key] = self.simple(f"procurement:{key}")
        vehicles = self.statements.get("assets:vehicles")
        equipment = self.statements.get("assets:equipment_over_100")
        if vehicles or equipment:
            data["assets"] = {"as_of": f"{self.year}年底", "equipment_over_100": equipment.count if equipment else None}
            if vehicles and vehicles.count:
                self.note(f"车辆印出 {vehicles.count} 辆，但类别和价值未印出，未填写（请在 assets.vehicles 中补充）。", "assets:vehicles")
        functions = self.d.section("overview.functions")
        institutions = self.d.section("overview.institutions")
        data["overview"] = {"functions": [p.text for p in functions.paragraphs] if functions else [],
                            "institutions": "\n".join(p.text for p in institutions.paragraphs) if institutions else ""}
        glossary = self.d.section("glossary")
        if glossary:
            entries = [GLOSSARY_ENTRY.match(p.text) for p in glossary.paragraphs]
            data["glossary"] = [{"term": m[1].strip(), "definition": m[2].strip()} for m in entries if m]
        data["notes"] = {t.kind: t.empty_note for t in self.d.tables if t.empty_note}
        return FinalAccount.model_validate(data)


def final_facts_from_disclosure(disclosure: Disclosure, *, budget_year: int | None = None,
                                unit_name: str | None = None) -> tuple[FinalAccount, list[Finding]]:
    """The facts a printed final account determines, and ``reading`` findings for what it leaves open."""
    recovery = _FinalRecovery(disclosure, budget_year, unit_name)
    return recovery.account(), recovery.findings
