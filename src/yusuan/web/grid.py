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
    """One editable sheet: which of its columns are edited, and how its rows map to the stored facts.

    Every grid goes through the same reading, checking, locking, logging and drawing below; only the
    mapping between the sheet's rows and the facts (``_ROWS`` / ``_PUT``) is per sheet, because each
    sheet stores its rows in a different place of the model (a list, a dict by key, nested in projects)."""

    key: str            # URL and form name
    sheet: L.TableSheet  # the workbook sheet it mirrors
    editable: tuple[str, ...]  # the column keys edited here (others are kept as they are)
    section: str = "tables"  # the page it is on: "tables" (figures) or "texts" (narrative inputs)
    required: tuple[str, ...] = ()  # text columns that may not be left blank in a used row
    # columns of the web form only (not in the workbook): a new project's first funding line, which the
    # model requires of every project and which could not be typed anywhere else before the project exists
    extra: tuple[L.Column, ...] = ()

    @property
    def columns(self) -> tuple[L.Column, ...]:
        return tuple(self.sheet.column(k) for k in self.editable) + self.extra

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


NEW_SOURCE, NEW_AMOUNT = "new_source", "new_amount"
_NEW_PROJECT = (L.Column(NEW_SOURCE, "新项目的资金来源", "source"), L.Column(NEW_AMOUNT, "新项目的金额（万元）", "amount"))

GRIDS = {
    "basic": Grid("basic", L.BASIC, ("function", "source", "amount")),
    "basic_economic": Grid("basic_economic", L.BASIC_ECONOMIC, ("economic", "source", "amount", "printed_name")),
    "projects": Grid("projects", L.PROJECTS, ("name", "function", "policy_basis", "implementer", "period",
                                              "described_name", "note"), required=("name",), extra=_NEW_PROJECT),
    "funding": Grid("funding", L.PROJECT_FUNDING, ("project", "source", "amount")),
    "project_economic": Grid("project_economic", L.PROJECT_ECONOMIC, ("project", "economic", "amount")),
    "allocation": Grid("allocation", L.PROJECT_ALLOCATION, ("project", "purpose", "amount"), required=("purpose",)),
    "sangong": Grid("sangong", L.SANGONG, ("item", "source", "amount")),
    "vehicles": Grid("vehicles", L.VEHICLES, ("kind", "count", "value"), required=("kind",)),
    "last_year": Grid("last_year", L.LAST_YEAR, ("subject", "amount", "reason")),
    "overview": Grid("overview", L.OVERVIEW, ("part", "text"), section="texts", required=("text",)),
    "notes": Grid("notes", L.NOTES, ("key", "text"), section="texts", required=("key", "text")),
    "glossary": Grid("glossary", L.GLOSSARY, ("term", "definition"), section="texts", required=("term", "definition")),
}
SECTIONS = {"tables": "表格", "texts": "文字"}
BLANK_ROWS = 2  # empty rows under the data for new lines

ACTION = "grid"  # AuditLog.ACTIONS: 网页编辑


def letters(sheet: L.TableSheet, extra: tuple[L.Column, ...] = ()) -> dict[str, str]:
    """Column key → the letter it has in the workbook (the writer writes the columns in layout order);
    the web-only columns follow the last one."""
    cols = tuple(sheet.columns) + tuple(extra)
    return {c.key: get_column_letter(i) for i, c in enumerate(cols, start=1)}


# ------------------------------------------------------------------ facts ↔ rows (per sheet)

_PARTS = {"funding": "funding", "project_economic": "economic", "allocation": "allocation"}  # nested in projects


def _rows(facts: dict, key: str) -> list[tuple[tuple, dict]]:
    """(path of the fact in the package data, its values by column key) for each row of the sheet, in order."""
    if key in ("basic", "basic_economic", "sangong", "glossary"):
        return [((key, i), line) for i, line in enumerate(facts.get(key) or [])]
    if key == "projects":
        return [(("projects", i), p) for i, p in enumerate(facts.get("projects") or [])]
    if key in _PARTS:
        part = _PARTS[key]
        return [(("projects", i, part, k), {"project": p["name"], **x})
                for i, p in enumerate(facts.get("projects") or []) for k, x in enumerate(p.get(part) or [])]
    if key == "vehicles":
        return [(("assets", "vehicles", i), v) for i, v in enumerate((facts.get("assets") or {}).get("vehicles") or [])]
    if key == "last_year":
        return [(("last_year", s), {"subject": s, **v}) for s, v in (facts.get("last_year") or {}).items()]
    if key == "notes":
        return [(("notes", k), {"key": k, "text": v}) for k, v in (facts.get("notes") or {}).items()]
    if key == "overview":  # the order the workbook writer writes them in
        ov = facts.get("overview") or {}
        out = [(("overview", "functions", i), {"part": "functions", "text": t}) for i, t in enumerate(ov.get("functions") or [])]
        if ov.get("institutions"):
            out.append((("overview", "institutions"), {"part": "institutions", "text": ov["institutions"]}))
        for part in ("subordinate_units", "divisions"):
            out += [(("overview", part, i), {"part": part, "text": t}) for i, t in enumerate(ov.get(part) or [])]
        return out
    raise KeyError(key)


def _put(facts: dict, key: str, parsed: list[tuple[int, dict]]) -> dict:
    """The facts with the sheet's rows replaced by ``parsed`` ((row number, line)); ``Invalid`` if they
    cannot be stored that way. A shallow copy: only the replaced parts are new objects."""
    lines = [{k: str(v) if isinstance(v, Decimal) else v for k, v in line.items()} for _, line in parsed]
    new = dict(facts)
    if key in ("basic", "basic_economic", "sangong", "glossary"):
        new[key] = lines
    elif key == "projects":
        saved = facts.get("projects") or []
        projects = []
        for (number, _), line in zip(parsed, lines):
            i = number - L.FIRST_DATA_ROW  # rows are aligned by position: row i is saved project i
            source, amount = line.pop(NEW_SOURCE, None), line.pop(NEW_AMOUNT, None)
            if i < len(saved):  # its funding, economic lines and allocation stay (and follow a renamed project)
                kept = {k: v for k, v in saved[i].items() if k not in GRIDS["projects"].editable}
                projects.append({**kept, **line})
            else:
                projects.append({**line, "funding": [{"source": source, "amount": amount}]})
        new["projects"] = projects
    elif key in _PARTS:
        part = _PARTS[key]
        new["projects"] = [{**p, part: [{k: v for k, v in x.items() if k != "project"} for x in lines
                                        if x["project"] == p["name"]]} for p in facts.get("projects") or []]
    elif key == "vehicles":
        if facts.get("assets") is None:
            if lines:
                raise Invalid([(None, None, f"尚未填写“{L.ASSETS.name}”（截止时间等）：车辆须随国有资产情况一并填写，"
                                            "请先通过 Excel 录入工作簿上传国有资产情况")])
        else:
            new["assets"] = {**facts["assets"], "vehicles": lines}
    elif key in ("last_year", "notes"):
        field_, out, problems = ("subject" if key == "last_year" else "key"), {}, []
        for (number, _), line in zip(parsed, lines):
            name = line.pop(field_)
            if name in out:
                label = GRIDS[key].sheet.column(field_).label
                problems.append((number, field_, f"第{number}行“{label}”：“{name}”重复"))
            out[name] = line if key == "last_year" else line["text"]
        if problems:
            raise Invalid(problems)
        new[key] = out
    elif key == "overview":
        old = facts.get("overview") or {}
        ov: dict = {"functions": [], "institutions": "", "subordinate_units": [], "divisions": []}
        if old.get("staffing") is not None:
            ov["staffing"] = old["staffing"]
        institutions = []
        for line in lines:
            if line["part"] == "institutions":
                institutions.append(line["text"])
            else:
                ov[line["part"]].append(line["text"])
        ov["institutions"] = "\n".join(institutions)  # as the workbook reader joins several rows
        new["overview"] = ov
    else:
        raise KeyError(key)
    return new


def rows_of(facts: dict, key: str) -> list[dict[str, str]]:
    """The grid's rows from the stored facts (JSON dump): every cell as the text shown in the input."""
    cols = GRIDS[key].keys
    return [{c: "" if line.get(c) is None else str(line.get(c)) for c in cols} for _, line in _rows(facts, key)]


def revision_of(rows: list[dict]) -> str:
    """The table's revision: a digest of its saved rows (changes whenever any of its cells does)."""
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def origins_for(facts: dict) -> Origins:
    """Where each fact sits in the grids (= the input workbook's sheets, rows and columns)."""
    cells: dict[tuple, tuple] = {}
    for key, grid in GRIDS.items():
        sheet = grid.sheet
        cols = letters(sheet)
        for i, (path, _) in enumerate(_rows(facts, key)):
            row = L.FIRST_DATA_ROW + i
            cells[path] = (sheet.name, row, cols.get("text") if key in ("overview", "notes") else None)
            for k, letter in cols.items():
                cells[path + (k,)] = (sheet.name, row, letter)
    for key, sheet in (("basic", L.BASIC), ("basic_economic", L.BASIC_ECONOMIC), ("sangong", L.SANGONG),
                       ("projects", L.PROJECTS), ("glossary", L.GLOSSARY), ("notes", L.NOTES),
                       ("overview", L.OVERVIEW), ("last_year", L.LAST_YEAR)):
        cells[(key,)] = (sheet.name, None, None)
    cells[("assets", "vehicles")] = (L.VEHICLES.name, None, None)
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


def labels_of(kind: str) -> dict[str, str] | None:
    """Code → Chinese label of a choice column (the form shows and accepts the labels), else None."""
    if kind == "source":
        return L.CHOICES["source"]
    if kind.startswith("choice:"):
        return L.CHOICES[kind.split(":", 1)[1]]
    return None


def posted_rows(data, key: str) -> list[dict[str, str]]:
    """The rows of a submitted grid form (``r<i>-<column>`` fields), in order, blank rows included."""
    grid = GRIDS[key]
    indexes = sorted({int(m.group(1)) for name in data.keys() if (m := re.fullmatch(r"r(\d+)-(\w+)", name))})
    rows = [{c: (data.get(f"r{i}-{c}") or "").strip() for c in grid.keys} for i in indexes]
    for row in rows:  # a choice picked by its Chinese label is its code
        for col in grid.columns:
            labels = labels_of(col.kind)
            if labels and row.get(col.key):
                row[col.key] = _choice(row[col.key], labels) or row[col.key]
    return rows


_CODE = {"function": (re.compile(r"\d{7}"), "7 位功能分类项级科目编码"),
         "economic": (re.compile(r"\d{5}"), "5 位经济分类款级科目编码"),
         "economic_any": (re.compile(r"\d{3}|\d{5}"), "3 位类级或 5 位款级经济分类科目编码")}
# kinds a used row must fill in (a blank one is unknown, never zero or nothing)
_NEEDED = {"amount", "decimal", "int", "function", "economic", "economic_any", "source", "project", "subject"}


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


def _count(text: str) -> int:
    if not re.fullmatch(r"\d+", text.replace(",", "")):
        raise ValueError(f"应为非负整数，实际为“{text}”")
    return int(text.replace(",", ""))


def _subject(text: str) -> str:
    from yusuan.model.package import SUBJECT_PATTERNS

    if not any(re.fullmatch(p, text) for p in SUBJECT_PATTERNS):
        raise ValueError(f"科目键“{text}”无法识别（可用形式：{'、'.join(SUBJECT_PATTERNS)}）")
    return text


def parse(rows: list[dict[str, str]], key: str, projects: list[str]) -> list[tuple[int, dict]]:
    """The non-blank posted rows as fact lines ((row number, line)); ``Invalid`` names every bad cell.

    A blank cell in a used row is an error, never zero: an amount the user did not type is unknown."""
    grid = GRIDS[key]
    problems: list[tuple[int | None, str | None, str]] = []
    out = []
    for i, row in enumerate(rows):
        number = L.FIRST_DATA_ROW + i
        if not any(row.values()):
            continue  # an emptied row is a deleted line
        line: dict = {}
        new_project = key == "projects" and i >= len(projects)
        for column in grid.columns:
            col, text = column.key, row.get(column.key, "")

            def bad(message: str) -> None:
                problems.append((number, col, f"第{number}行“{column.label}”：{message}"))

            if column in grid.extra:  # the first funding line of a project not yet saved
                if not new_project:
                    if text:
                        bad(f"已有项目的资金来源请在工作表“{L.PROJECT_FUNDING.name}”中修改，此处只用于新增项目")
                    continue
                if not text:
                    bad("新增项目须填写第一笔资金来源及金额（未填写的金额不视为零）")
                    continue
            elif not text:
                if column.kind in _NEEDED or col in grid.required or labels_of(column.kind) is not None:
                    bad("未填写" + ("（未填写的金额不视为零，请填写金额或清空整行以删除该行）" if column.kind == "amount" else ""))
                continue
            try:
                if column.kind in ("amount", "decimal"):
                    line[col] = _amount(text)
                elif column.kind == "int":
                    line[col] = _count(text)
                elif column.kind in _CODE:
                    code = text.split()[0]
                    pattern, what = _CODE[column.kind]
                    if not pattern.fullmatch(code):
                        raise ValueError(f"应为{what}，实际为“{text}”")
                    line[col] = code
                elif (labels := labels_of(column.kind)) is not None:
                    value = _choice(text, labels)
                    if value is None:
                        raise ValueError(f"“{text}”不是可选的值，请从列表中选择（{'、'.join(labels.values())}）")
                    line[col] = value
                elif column.kind == "project":
                    if text not in projects:
                        raise ValueError(f"项目“{text}”不在工作表“{L.PROJECTS.name}”的项目中")
                    line[col] = text
                elif column.kind == "subject":
                    line[col] = _subject(text)
                else:
                    line[col] = text
            except ValueError as exc:
                bad(str(exc))
        out.append((number, line))
    if key == "funding" and not problems:
        funded = {line["project"] for _, line in out}
        for name in projects:
            if name not in funded:
                problems.append((None, None, f"项目“{name}”没有资金来源：每个项目至少保留一行资金来源"))
    if problems:
        raise Invalid(problems)
    return out


# ------------------------------------------------------------------ saving

@dataclass
class Saved:
    checked: services.Checked | None  # None: nothing changed, nothing checked
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, old, new)


def _cell_name(key: str, number: int, col: str) -> str:
    grid = GRIDS[key]
    label = next(c.label for c in grid.columns if c.key == col)
    return f"{grid.sheet.name} 第{number}行 {letters(grid.sheet, grid.extra)[col]}列（{label}）"


def changes(old: list[dict], new: list[dict], key: str) -> list[tuple[str, str, str]]:
    """(cell, old value, new value) of every changed cell; rows are aligned by position (the form keeps it)."""
    out = []
    cols = GRIDS[key].keys
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
    cols = GRIDS[key].keys
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
    cols = GRIDS[key].keys
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
    if package.is_final:  # the grids are the budget workbook's sheets; a final account has other sheets
        raise Refused("决算包不能在网页表格中编辑：请修改部门决算录入工作簿后重新上传")
    if package.facts is None:
        raise Refused("尚未上传预算数据：请先上传 Excel 录入工作簿")
    saved = rows_of(package.facts, key)
    yours = posted_rows(data, key)
    base = _base(data.get("base"))
    if data.get("revision") != revision_of(saved):
        raise Conflict(saved, revision_of(saved), conflict_cells(yours, base, saved, key))
    projects = [p["name"] for p in package.facts.get("projects", [])]
    parsed = parse(yours, key, projects)
    new_facts = _put(package.facts, key, parsed)
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
