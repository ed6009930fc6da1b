"""Editing a draft's facts in the browser: the leaf lines as grids, saved and checked in one step.

The grids are the input workbook's own table sheets (``yusuan.excel.layout``): the same columns, the
same Chinese headers, the same row numbers (data from row 3) and column letters. So a finding on a fact
points at the same place whether the facts came from an uploaded workbook or from these grids, and its
link in the check panel opens that cell here.

Every grid carries a revision: a digest of the rows it was drawn from. A save whose revision is no
longer the saved table's (someone saved meanwhile) changes nothing and shows, cell by cell, the value
the user typed and the one saved meanwhile; the database update itself is conditional on the package's
revision, so two saves racing each other cannot both win. Bad input changes nothing either and says
which cell and why. Every changed cell is written to the audit log (who, when, which cell, old → new).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from openpyxl.utils import get_column_letter

from yusuan.excel import layout as L
from yusuan.model.origins import Origins
from yusuan.web import perms, services
from yusuan.web.models import AuditLog, Package, State
from yusuan.web.rulesconfig import check_for

WEB_FILE = "网页填报"  # the "file" a grid-entered fact was entered in (findings name it)


@dataclass(frozen=True)
class Grid:
    key: str            # URL and form name
    sheet: L.TableSheet  # the workbook sheet it mirrors
    editable: tuple[str, ...]  # the column keys edited here (others are kept as they are)


GRIDS = {
    "basic": Grid("basic", L.BASIC, ("function", "source", "amount")),
    "basic_economic": Grid("basic_economic", L.BASIC_ECONOMIC, ("economic", "source", "amount", "printed_name")),
    "funding": Grid("funding", L.PROJECT_FUNDING, ("project", "source", "amount")),
    "sangong": Grid("sangong", L.SANGONG, ("item", "source", "amount")),
}
BLANK_ROWS = 2  # empty rows under the data for new lines

ACTION = "grid"  # AuditLog.ACTIONS: 网页编辑


def letters(sheet: L.TableSheet) -> dict[str, str]:
    """Column key → the letter it has in the workbook (the writer writes the columns in layout order)."""
    return {c.key: get_column_letter(i) for i, c in enumerate(sheet.columns, start=1)}


# ------------------------------------------------------------------ facts ↔ rows

def rows_of(facts: dict, key: str) -> list[dict[str, str]]:
    """The grid's rows from the stored facts (JSON dump): every cell as the text shown in the input."""
    def text(v) -> str:
        return "" if v is None else str(v)

    if key == "funding":
        return [{"project": p["name"], "source": text(f.get("source")), "amount": text(f.get("amount"))}
                for p in facts.get("projects", []) for f in p.get("funding", [])]
    cols = GRIDS[key].editable
    return [{c: text(line.get(c)) for c in cols} for line in facts.get(key, [])]


def revision_of(rows: list[dict]) -> str:
    """The table's revision: a digest of its saved rows (changes whenever any of its cells does)."""
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def origins_for(facts: dict) -> Origins:
    """Where each leaf fact sits in the grids (= the input workbook's sheets, rows and columns)."""
    cells: dict[tuple, tuple] = {}

    def put(path: tuple, sheet: L.TableSheet, row: int) -> None:
        cells[path] = (sheet.name, row, None)
        for k, letter in letters(sheet).items():
            cells[path + (k,)] = (sheet.name, row, letter)

    for key, sheet in (("basic", L.BASIC), ("basic_economic", L.BASIC_ECONOMIC), ("sangong", L.SANGONG)):
        cells[(key,)] = (sheet.name, None, None)
        for i, _ in enumerate(facts.get(key, [])):
            put((key, i), sheet, L.FIRST_DATA_ROW + i)
    cells[("projects",)] = (L.PROJECTS.name, None, None)
    projects = facts.get("projects", [])
    for i, _ in enumerate(projects):
        put(("projects", i), L.PROJECTS, L.FIRST_DATA_ROW + i)
    for sheet, part in ((L.PROJECT_FUNDING, "funding"), (L.PROJECT_ECONOMIC, "economic"), (L.PROJECT_ALLOCATION, "allocation")):
        row = L.FIRST_DATA_ROW
        for i, p in enumerate(projects):
            for k, _ in enumerate(p.get(part, [])):
                put(("projects", i, part, k), sheet, row)
                row += 1
    return Origins(file=WEB_FILE, cells=cells)


# ------------------------------------------------------------------ reading the posted grid

class Invalid(Exception):
    """Input that cannot be saved; ``problems`` are (row, column key, Chinese message)."""

    def __init__(self, problems: list[tuple[int | None, str | None, str]]):
        super().__init__("；".join(m for _, _, m in problems))
        self.problems = problems


class Conflict(Exception):
    """The table was saved by someone else since it was opened: nothing was written."""

    def __init__(self, saved: list[dict], revision: str, cells: list[dict]):
        super().__init__("conflict")
        self.saved, self.revision, self.cells = saved, revision, cells


class Refused(Exception):
    pass


def posted_rows(data, key: str) -> list[dict[str, str]]:
    """The rows of a submitted grid form (``r<i>-<column>`` fields), in order, blank rows included."""
    cols = GRIDS[key].editable
    indexes = sorted({int(m.group(1)) for name in data.keys() if (m := re.fullmatch(r"r(\d+)-(\w+)", name))})
    rows = [{c: (data.get(f"r{i}-{c}") or "").strip() for c in cols} for i in indexes]
    for row in rows:  # a choice picked by its Chinese label is its code
        for col, labels in _CHOICE_OF.items():
            if col in row and row[col]:
                row[col] = _choice(row[col], labels) or row[col]
    return rows


_SOURCES = L.CHOICES["source"]
_CHOICE_OF = {"source": _SOURCES, "item": L.SANGONG_ITEMS}
_CODE = {"function": (re.compile(r"\d{7}"), "7 位功能分类项级科目编码"),
         "economic": (re.compile(r"\d{5}"), "5 位经济分类款级科目编码")}


def _choice(value: str, labels: dict[str, str]) -> str | None:
    if value in labels:
        return value
    return next((k for k, v in labels.items() if v == value), None)


def _amount(text: str) -> Decimal:
    from yusuan.amounts import to_decimal

    try:
        value = to_decimal(text.replace(",", "").replace("，", ""))
    except (ValueError, ArithmeticError):
        raise ValueError(f"应为金额（万元，数字），实际为“{text}”") from None
    if value < 0:
        raise ValueError(f"金额不能为负数：{text}")
    if value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueError(f"金额 {text} 的小数位超过 4 位（万元计到元为止）")
    return value


def parse(rows: list[dict[str, str]], key: str, projects: list[str]) -> list[tuple[int, dict]]:
    """The non-blank posted rows as fact lines ((row number, line)); ``Invalid`` names every bad cell.

    A blank cell in a used row is an error, never zero: an amount the user did not type is unknown."""
    grid = GRIDS[key]
    labels = {c.key: c.label for c in grid.sheet.columns}
    problems: list[tuple[int | None, str | None, str]] = []
    out = []
    for i, row in enumerate(rows):
        number = L.FIRST_DATA_ROW + i
        if not any(row.values()):
            continue  # an emptied row is a deleted line
        line: dict = {}
        for col, text in row.items():
            def bad(message: str) -> None:
                problems.append((number, col, f"第{number}行“{labels[col]}”：{message}"))

            if col == "printed_name":
                if text:
                    line[col] = text
                continue
            if not text:
                bad("未填写" + ("（未填写的金额不视为零，请填写金额或清空整行以删除该行）" if col == "amount" else ""))
                continue
            if col == "amount":
                try:
                    line[col] = _amount(text)
                except ValueError as exc:
                    bad(str(exc))
            elif col in _CODE:
                code = text.split()[0]
                pattern, what = _CODE[col]
                if pattern.fullmatch(code):
                    line[col] = code
                else:
                    bad(f"应为{what}，实际为“{text}”")
            elif col in _CHOICE_OF:
                value = _choice(text, _CHOICE_OF[col])
                if value is None:
                    bad(f"“{text}”不是可选的值，请从列表中选择（{'、'.join(_CHOICE_OF[col].values())}）")
                else:
                    line[col] = value
            elif col == "project":
                if text in projects:
                    line[col] = text
                else:
                    bad(f"项目“{text}”不在工作表“{L.PROJECTS.name}”的项目中")
        out.append((number, line))
    if key == "funding" and not problems:
        funded = {line["project"] for _, line in out}
        for name in projects:
            if name not in funded:
                problems.append((None, None, f"项目“{name}”没有资金来源：每个项目至少保留一行资金来源"))
    if problems:
        raise Invalid(problems)
    return out


def apply(facts: dict, key: str, lines: list[dict]) -> dict:
    """The facts with the grid's table replaced by ``lines`` (JSON-ready)."""
    new = dict(facts)  # a shallow copy: only the replaced table (and, for funding, the projects) are new objects
    plain = [{k: str(v) if isinstance(v, Decimal) else v for k, v in line.items()} for line in lines]
    if key == "funding":
        new["projects"] = [{**p, "funding": [{"source": x["source"], "amount": x["amount"]} for x in plain
                                            if x["project"] == p["name"]]} for p in facts.get("projects", [])]
    else:
        new[key] = plain
    return new


# ------------------------------------------------------------------ saving

@dataclass
class Saved:
    checked: services.Checked | None  # None: nothing changed, nothing checked
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, old, new)


def _cell_name(key: str, number: int, col: str) -> str:
    sheet = GRIDS[key].sheet
    label = next(c.label for c in sheet.columns if c.key == col)
    return f"{sheet.name} 第{number}行 {letters(sheet)[col]}列（{label}）"


def changes(old: list[dict], new: list[dict], key: str) -> list[tuple[str, str, str]]:
    """(cell, old value, new value) of every changed cell; rows are aligned by position (the form keeps it)."""
    out = []
    cols = GRIDS[key].editable
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else {}
        b = new[i] if i < len(new) else {}
        for c in cols:
            if (a.get(c) or "") != (b.get(c) or ""):
                out.append((_cell_name(key, L.FIRST_DATA_ROW + i, c), a.get(c) or "", b.get(c) or ""))
    return out


def conflict_cells(yours: list[dict], base: list[dict] | None, saved: list[dict], key: str) -> list[dict]:
    """Every cell where what the user typed differs from what is saved now: both values (and the one he opened)."""
    out = []
    cols = GRIDS[key].editable
    for i in range(max(len(yours), len(saved))):
        y = yours[i] if i < len(yours) else {}
        s = saved[i] if i < len(saved) else {}
        o = base[i] if base is not None and i < len(base) else {}
        for c in cols:
            if (y.get(c) or "") != (s.get(c) or ""):
                out.append({"row": L.FIRST_DATA_ROW + i, "col": c, "cell": _cell_name(key, L.FIRST_DATA_ROW + i, c),
                            "yours": y.get(c) or "", "saved": s.get(c) or "", "opened": o.get(c) or "",
                            "theirs": base is not None and (o.get(c) or "") != (s.get(c) or "")})
    return out


def aligned(yours: list[dict], parsed: list[tuple[int, dict]], key: str) -> list[dict]:
    """The posted rows in their places (an emptied row stays, blank), each value as it will be saved."""
    cols = GRIDS[key].editable
    out = [{c: "" for c in cols} for _ in yours]
    for number, line in parsed:
        out[number - L.FIRST_DATA_ROW] = {c: "" if line.get(c) is None else str(line[c]) for c in cols}
    while out and not any(out[-1].values()):
        out.pop()
    return out


def save(package: Package, user, key: str, data) -> Saved:
    """Validate, store and check one edited grid of ``package``: ``Invalid``, ``Conflict`` or ``Refused`` change nothing."""
    if key not in GRIDS:
        raise Refused("没有这个表格")
    if not perms.state_allows(package, perms.UPLOAD):
        raise Refused(f"当前状态为“{package.get_state_display()}”，不能编辑")
    if package.facts is None:
        raise Refused("尚未上传预算数据：请先上传 Excel 录入工作簿")
    saved = rows_of(package.facts, key)
    yours = posted_rows(data, key)
    base = _base(data.get("base"))
    if data.get("revision") != revision_of(saved):
        raise Conflict(saved, revision_of(saved), conflict_cells(yours, base, saved, key))
    projects = [p["name"] for p in package.facts.get("projects", [])]
    parsed = parse(yours, key, projects)
    lines = [line for _, line in parsed]
    new_facts = apply(package.facts, key, lines)
    try:
        facts = services.facts_of(new_facts)
    except Exception as exc:  # noqa: BLE001 - pydantic's ValidationError: the model's own Chinese reasons
        from yusuan.errors import explain

        errors = getattr(exc, "errors", lambda: [])()
        raise Invalid([(None, None, explain(e)) for e in errors] or [(None, None, str(exc))]) from None
    diff = changes(saved, aligned(yours, parsed, key), key)
    if not diff:  # nothing to store: the stored check stands (checking again would find the same)
        return Saved(checked=None)
    checked = check_for(package, facts.with_origins(origins_for(new_facts)))
    with transaction.atomic():
        state = State.DRAFT if package.state == State.PUBLISHED else package.state
        updated = Package.objects.filter(pk=package.pk, revision=package.revision).update(
            facts=checked.facts, report=checked.report, tables=checked.tables, fatal=checked.fatal,
            warning=checked.warning, state=state, revision=F("revision") + 1, updated_at=timezone.now())
        if updated:
            _log(package, user, state, diff, checked)
    if not updated:  # saved by someone else between reading and writing: nothing was written
        package.refresh_from_db()
        now = rows_of(package.facts or {}, key)
        raise Conflict(now, revision_of(now), conflict_cells(yours, base, now, key))
    # the saved row, without reading back (and decoding) the JSON just written
    package.facts, package.report, package.tables = checked.facts, checked.report, checked.tables
    package.fatal, package.warning, package.state = checked.fatal, checked.warning, state
    package.refresh_from_db(fields=["revision", "updated_at"])
    return Saved(checked=checked, changes=diff)


def _log(package: Package, user, state: str, diff, checked) -> None:
    """One audit entry per changed cell (who, when, which cell, old → new)."""
    who = user if user and user.is_authenticated else None
    if state != package.state:
        AuditLog.objects.create(user=who, action="correct", package=package, field="state", old="已发布", new="草稿",
                                note="网页编辑，开始更正已发布的版本")
    for cell, old, new in diff:
        AuditLog.objects.create(user=who, action=ACTION, package=package, field=cell[:100], old=old, new=new,
                                note=f"错误 {checked.fatal}，警告 {checked.warning}")


def _base(text: str | None) -> list[dict] | None:
    try:
        rows = json.loads(text) if text else None
    except ValueError:
        return None
    return rows if isinstance(rows, list) and all(isinstance(r, dict) for r in rows) else None


# ------------------------------------------------------------------ findings → cells

_SHEET = re.compile(r"工作表“(.+)”")
_CELL = re.compile(r"([A-Z]+)(\d+)")


def anchor(finding: dict, tables: list[dict]) -> str:
    """The id of the place a finding is about: a grid cell or row, else the disclosure table it names; '' if none."""
    loc = finding.get("location") or {}
    m = _SHEET.fullmatch(loc.get("table") or "")
    if m:
        grid = next((g for g in GRIDS.values() if g.sheet.name == m.group(1)), None)
        if grid is not None:
            cell = _CELL.fullmatch(loc.get("cell") or "")
            if cell:
                return f"g-{grid.key}-{cell.group(2)}-{cell.group(1)}"
            if loc.get("row"):
                return f"g-{grid.key}-{loc['row']}"
            return f"grid-{grid.key}"
        return ""
    for n, t in enumerate(tables, start=1):
        if loc.get("table") and t.get("label") == loc.get("table"):
            return f"t{n}"
    return ""
