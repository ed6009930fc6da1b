"""The organisation tree from the spreadsheet a bureau already has: region → finance bureau →
departments → units, one line per department or unit (.xlsx or .csv).

    区划 | 财政局 | 部门名称 | 部门编码 | 单位名称 | 单位编码 | 上级单位

``read_rows`` reads and validates the file (every bad line named by its row and column, all of them
at once); ``plan`` says what an import would create, change or leave as it is; ``apply`` does it in
one transaction, so a file is imported completely or not at all. Departments and units are matched
by their code (then by name, for lines without a code), so importing the same file again changes
nothing. Nothing is ever deleted: a department the file does not list stays as it is.

The web page (``web/org_views.py``) and ``yusuan org import`` both call these functions.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from yusuan.errors import InputError, InputProblem
from yusuan.web.models import AuditLog, Bureau, Department, Region, Unit

# column → the header names it is recognised by (the first is the template's)
COLUMNS = {
    "region": ("区划", "地区", "行政区划", "区划名称"),
    "bureau": ("财政局", "财政部门", "财政局名称"),
    "dept": ("部门名称", "部门", "主管部门"),
    "dept_code": ("部门编码", "部门代码"),
    "unit": ("单位名称", "单位", "预算单位"),
    "unit_code": ("单位编码", "单位代码"),
    "parent": ("上级单位", "上级单位名称", "上级单位编码"),
}
REQUIRED = ("region", "bureau", "dept")
MAX_LEN = {"region": 100, "bureau": 100, "dept": 200, "dept_code": 40, "unit": 200, "unit_code": 40, "parent": 200}
MAX_ROWS = 20000
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is allowed


@dataclass
class OrgRow:
    line: int  # row number in the file (1-based, as Excel shows it)
    region: str
    bureau: str
    dept: str
    dept_code: str = ""
    unit: str = ""
    unit_code: str = ""
    parent: str = ""


@dataclass
class Change:
    kind: str  # 新建 / 更改 / 不变
    what: str  # 地区 / 财政局 / 部门 / 单位
    name: str
    detail: str = ""
    line: int = 0


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # departments of the named bureaus the file does not list

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def created(self) -> int:
        return self.count("新建")

    @property
    def changed(self) -> int:
        return self.count("更改")

    @property
    def unchanged(self) -> int:
        return self.count("不变")

    def summary(self) -> str:
        return f"新建 {self.created} 项，更改 {self.changed} 项，不变 {self.unchanged} 项"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # a code typed as a number in Excel
        value = int(value)
    return str(value).replace("\u3000", " ").strip()


def _table(path: Path, name: str) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - a file openpyxl cannot open is unusable input
            raise InputError(name, [InputProblem(name, f"无法作为 Excel 工作簿读取（{type(exc).__name__}）")]) from None
        try:
            ws = wb.worksheets[0]
            return [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(name, [InputProblem(name, "CSV 文件的编码无法识别（应为 UTF-8 或 GBK）")])
        return [[_text(v) for v in row] for row in csv.reader(io.StringIO(text))]
    raise InputError(name, [InputProblem(name, "应为 Excel 工作簿（.xlsx）或 CSV 文件（.csv），可下载导入模板")])


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_rows(path: Path, name: str | None = None) -> list[OrgRow]:
    """The file's lines, validated; ``InputError`` listing every bad line (row and column) otherwise."""
    name = name or path.name
    table = _table(path, name)
    header_at, columns = None, {}
    for i, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        found = {}
        for j, cell in enumerate(row):
            for key, names in COLUMNS.items():
                if cell.replace(" ", "") in names and key not in found:
                    found[key] = j
        if all(k in found for k in REQUIRED):
            header_at, columns = i, found
            break
    if header_at is None:
        wanted = "、".join(COLUMNS[k][0] for k in REQUIRED)
        raise InputError(name, [InputProblem(name, f"前 {HEADER_SEARCH_ROWS} 行中找不到表头：至少需要 {wanted} 三列（可下载导入模板）")])
    problems: list[InputProblem] = []
    rows: list[OrgRow] = []
    for i, raw in enumerate(table[header_at + 1:], start=header_at + 2):
        values = {k: (raw[j] if j < len(raw) else "") for k, j in columns.items()}
        if not any(values.values()):
            continue
        def where(key: str) -> str:
            return f"{name} 第{i}行 {_letter(columns[key])}列（{COLUMNS[key][0]}）"
        bad = False
        for key in REQUIRED:
            if not values.get(key):
                problems.append(InputProblem(where(key), "不能为空"))
                bad = True
        for key, value in values.items():
            if len(value) > MAX_LEN[key]:
                problems.append(InputProblem(where(key), f"过长（{len(value)} 字，最多 {MAX_LEN[key]} 字）"))
                bad = True
        for key in ("unit_code", "parent"):
            if values.get(key) and not values.get("unit"):
                problems.append(InputProblem(where(key), "填写了单位编码或上级单位，但单位名称为空"))
                bad = True
        if values.get("parent") and values["parent"] in (values.get("unit"), values.get("unit_code")):
            problems.append(InputProblem(where("parent"), "上级单位不能是单位本身"))
            bad = True
        if not bad:
            rows.append(OrgRow(line=i, **values))
        if len(rows) > MAX_ROWS:
            raise InputError(name, [InputProblem(name, f"行数超过 {MAX_ROWS}，请分批导入")])
    if not rows and not problems:
        problems.append(InputProblem(name, "表头以下没有数据行"))
    problems += _consistency(rows, name, columns)
    if problems:
        raise InputError(name, problems)
    return rows


def _consistency(rows: list[OrgRow], name: str, columns: dict) -> list[InputProblem]:
    """One code, one name: two lines that give one department (or unit) code two names, or one
    department two codes, are a mistake in the file, named with both rows."""
    problems = []
    dept_by_code: dict[tuple, OrgRow] = {}
    code_by_dept: dict[tuple, OrgRow] = {}
    unit_by_code: dict[tuple, OrgRow] = {}
    for r in rows:
        b = (r.region, r.bureau)
        if r.dept_code:
            first = dept_by_code.setdefault((b, r.dept_code), r)
            if first.dept != r.dept:
                problems.append(InputProblem(f"{name} 第{r.line}行 {_letter(columns['dept'])}列（部门名称）",
                                             f"部门编码 {r.dept_code} 在第{first.line}行是“{first.dept}”，此处为“{r.dept}”"))
            first = code_by_dept.setdefault((b, r.dept), r)
            if first.dept_code and first.dept_code != r.dept_code:
                problems.append(InputProblem(f"{name} 第{r.line}行 {_letter(columns['dept_code'])}列（部门编码）",
                                             f"部门“{r.dept}”在第{first.line}行的编码是 {first.dept_code}，此处为 {r.dept_code}"))
        if r.unit and r.unit_code:
            first = unit_by_code.setdefault((b, r.dept, r.unit_code), r)
            if first.unit != r.unit:
                problems.append(InputProblem(f"{name} 第{r.line}行 {_letter(columns['unit'])}列（单位名称）",
                                             f"单位编码 {r.unit_code} 在第{first.line}行是“{first.unit}”，此处为“{r.unit}”"))
    return problems


# ------------------------------------------------------------------ plan and apply

class Refused(Exception):
    """Lines the user may not import (another bureau's) or that contradict the database."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


def _walk(rows: list[OrgRow], user, allowed, write: bool, source: str) -> Plan:
    """The import, line by line, on in-memory objects (saved only when ``write``)."""
    plan = Plan()
    problems: list[str] = []
    regions = {r.name: r for r in Region.objects.all()}
    bureaus = {(b.region.name, b.name): b for b in Bureau.objects.select_related("region")}
    depts: dict[tuple, list[Department]] = {}
    units: dict[int, list[Unit]] = {}  # by id(department)
    seen: set[int] = set()
    created: dict[int, int] = {}  # id(unit) → its 新建 line in plan.changes
    touched_bureaus: list[Bureau] = []

    def note(kind, what, obj_name, detail="", line=0, bureau=None, old="", new=""):
        plan.changes.append(Change(kind, what, obj_name, detail, line))
        if write and kind != "不变":
            AuditLog.objects.create(user=user if user is not None and user.is_authenticated else None, action="org_import",
                                    bureau=bureau, field="organisation", old=old, new=new,
                                    note=f"{source} 第{line}行：{kind}{what}“{obj_name}”{('，' + detail) if detail else ''}")

    def save(obj):
        if write:
            obj.save()

    def update(obj, what: str, name: str, code: str, line: int, bureau) -> bool:
        """A department or unit takes the file's name and code (a blank code keeps the one it has);
        each change saved and noted with old → new. False when nothing changed."""
        diffs = []
        if obj.name != name:
            diffs.append(("名称", obj.name, name))
            obj.name = name
        if code and obj.code != code:
            diffs.append(("编码", obj.code or "（无）", code))
            obj.code = code
        if not diffs:
            return False
        save(obj)
        note("更改", what, name, "；".join(f"{w}：{old} → {new}" for w, old, new in diffs), line, bureau,
             old="；".join(old for _, old, _ in diffs), new="；".join(new for _, _, new in diffs))
        return True

    def dept_list(bureau: Bureau) -> list[Department]:
        key = id(bureau)
        if key not in depts:
            depts[key] = list(bureau.departments.all()) if bureau.pk else []
        return depts[key]

    def unit_list(dept: Department) -> list[Unit]:
        key = id(dept)
        if key not in units:
            units[key] = list(dept.units.all()) if dept.pk else []
        return units[key]

    for r in rows:
        region = regions.get(r.region)
        bureau = bureaus.get((r.region, r.bureau))
        if not allowed(bureau):
            problems.append(f"第{r.line}行：您无权导入“{r.region} {r.bureau}”的机构（只能导入本财政局的）")
            continue
        if region is None:
            region = regions[r.region] = Region(name=r.region)
            save(region)
            note("新建", "地区", r.region, line=r.line, new=r.region)
        if bureau is None:
            bureau = bureaus[(r.region, r.bureau)] = Bureau(region=region, name=r.bureau)
            save(bureau)
            note("新建", "财政局", r.bureau, f"属{r.region}", r.line, bureau if write else None, new=r.bureau)
        if bureau not in touched_bureaus:
            touched_bureaus.append(bureau)
        ds = dept_list(bureau)
        dept = next((d for d in ds if r.dept_code and d.code == r.dept_code), None) or \
            next((d for d in ds if d.name == r.dept and not (r.dept_code and d.code and d.code != r.dept_code)), None)
        if dept is None:
            clash = next((d for d in ds if d.name == r.dept), None)
            if clash is not None:
                problems.append(f"第{r.line}行：{r.bureau}已有部门“{r.dept}”（编码 {clash.code}），与文件中的编码 {r.dept_code} 不同")
                continue
            dept = Department(bureau=bureau, name=r.dept, code=r.dept_code)
            save(dept)
            ds.append(dept)
            seen.add(id(dept))
            note("新建", "部门", r.dept, f"编码 {r.dept_code}" if r.dept_code else "", r.line, bureau, new=r.dept)
        elif id(dept) not in seen:
            seen.add(id(dept))
            if dept.name != r.dept and any(d is not dept and d.name == r.dept for d in ds):
                problems.append(f"第{r.line}行：部门编码 {r.dept_code} 改名为“{r.dept}”，但{r.bureau}已有同名部门")
                continue
            if not update(dept, "部门", r.dept, r.dept_code, r.line, bureau):
                note("不变", "部门", r.dept, line=r.line)
        if not r.unit:
            continue
        us = unit_list(dept)
        unit = next((u for u in us if r.unit_code and u.code == r.unit_code), None) or \
            next((u for u in us if u.name == r.unit and not (r.unit_code and u.code and u.code != r.unit_code)), None)
        if unit is None:
            unit = Unit(department=dept, name=r.unit, code=r.unit_code)
            save(unit)
            us.append(unit)
            created[id(unit)] = len(plan.changes)
            note("新建", "单位", r.unit, f"属{r.dept}" + (f"，编码 {r.unit_code}" if r.unit_code else ""), r.line, bureau,
                 new=r.unit)
        elif not update(unit, "单位", r.unit, r.unit_code, r.line, bureau) and not r.parent:
            note("不变", "单位", r.unit, line=r.line)
    # parents, once every unit of the file is known
    for r in rows:
        if not r.parent:
            continue
        bureau = bureaus.get((r.region, r.bureau))
        if bureau is None or not allowed(bureau if bureau.pk else None):
            continue
        dept = next((d for d in dept_list(bureau) if (r.dept_code and d.code == r.dept_code) or d.name == r.dept), None)
        if dept is None:
            continue
        us = unit_list(dept)
        unit = next((u for u in us if (r.unit_code and u.code == r.unit_code) or u.name == r.unit), None)
        parent = next((u for u in us if u.code and u.code == r.parent), None) or next((u for u in us if u.name == r.parent), None)
        if parent is None:
            problems.append(f"第{r.line}行：上级单位“{r.parent}”不是部门“{r.dept}”的单位（按单位编码或名称均未找到）")
            continue
        if unit is None or parent is unit:
            continue
        ancestor = parent
        while ancestor is not None and ancestor is not unit:
            ancestor = next((u for u in us if u is ancestor.parent or (ancestor.parent_id and u.pk == ancestor.parent_id)), None)
        if ancestor is unit:
            problems.append(f"第{r.line}行：上级单位“{r.parent}”是“{r.unit}”的下级，不能互为上级")
            continue
        if id(unit) in created:  # a new unit: its parent is part of its creation
            plan.changes[created[id(unit)]].detail += f"，上级单位 {parent.name}"
            unit.parent = parent
            if write:
                unit.save()
                AuditLog.objects.create(user=user if user is not None and user.is_authenticated else None,
                                        action="org_import", bureau=bureau, field="organisation", new=parent.name,
                                        note=f"{source} 第{r.line}行：单位“{r.unit}”的上级单位设为“{parent.name}”")
            continue
        current = next((u for u in us if u is unit.parent or (unit.parent_id and u.pk == unit.parent_id)), None)
        if current is parent:
            note("不变", "单位", r.unit, line=r.line)
            continue
        unit.parent = parent
        save(unit)
        note("更改", "单位", r.unit, f"上级单位：{current.name if current else '（无）'} → {parent.name}", r.line, bureau,
             old=current.name if current else "", new=parent.name)
    if problems:
        raise Refused(problems)
    for bureau in touched_bureaus:
        listed = {id(d) for d in dept_list(bureau) if id(d) in seen}
        plan.kept += [f"{bureau.name} {d.name}" for d in dept_list(bureau) if id(d) not in listed]
    return plan


def plan(rows: list[OrgRow], user=None, allowed=lambda bureau: True) -> Plan:
    """What ``apply`` would do, without changing anything. ``allowed(bureau or None)``: may the user
    import the lines of this bureau (None: a bureau that does not exist yet)."""
    return _walk(rows, user, allowed, write=False, source="")


def apply(rows: list[OrgRow], user=None, allowed=lambda bureau: True, source: str = "导入文件") -> Plan:
    """Import the lines, all or nothing (one transaction); every change in the audit log."""
    with transaction.atomic():
        return _walk(rows, user, allowed, write=True, source=source)


def template_bytes() -> bytes:
    """The import template: the header, two example lines and the instructions, as .xlsx."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "组织机构"
    ws.append([names[0] for names in COLUMNS.values()])
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.append(["昌吉回族自治州", "昌吉州财政局", "昌吉州自然资源局", "101", "", "", ""])
    ws.append(["昌吉回族自治州", "昌吉州财政局", "昌吉州自然资源局", "101", "昌吉州自然资源局本级", "101001", ""])
    ws.append(["昌吉回族自治州", "昌吉州财政局", "昌吉州自然资源局", "101", "昌吉州不动产登记中心", "101002", "101001"])
    for col, width in zip("ABCDEFG", (18, 18, 28, 12, 28, 12, 20)):
        ws.column_dimensions[col].width = width
    info = wb.create_sheet("填写说明")
    for line in ("每行一个部门或一个单位：只填部门（单位名称留空）即建立部门；填了单位名称即建立该部门下的单位。",
                 "区划、财政局、部门名称必填；编码建议填写：再次导入时按编码匹配（无编码时按名称），不会重复建立。",
                 "上级单位填同一部门下另一单位的编码或名称。",
                 "编码请以文本格式填写（以 0 开头的编码在数字格式下会丢失前导 0）。",
                 "导入前会先列出将新建、更改和保持不变的机构，确认后一次性导入；文件中未列出的部门和单位保持不变，不会删除。"):
        info.append([line])
    info.column_dimensions["A"].width = 110
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
