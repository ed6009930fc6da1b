"""The bureau's overview: every department of the bureau in one year — its package's state, the
fatal/warning counts and completeness of its check report, the deadline and the days left (overdue
first) — and the audits of documents it published elsewhere; the organisation tree with to-do
badges; CSV and Excel exports. The deadline of a bureau's year is set here by its admin.

Unknown is never zero: a department without checked data has no counts (blank, not 0).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from yusuan.web import perms
from yusuan.web.jobmodels import Deadline, JobStatus, Match, PublishedFile
from yusuan.web.models import AuditLog, Bureau, Package, Role, State
from yusuan.web.qualitymodels import ApprovalDate, rescore
from yusuan.web.views import STATE_CLASS, guard

NO_PACKAGE = "未建立"


@dataclass
class Row:
    department: object
    package: Package | None
    deadline: date | None
    left: int | None
    overdue: bool
    done: bool
    completeness: str = ""
    external: PublishedFile | None = None
    todo: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.package.get_state_display() if self.package else NO_PACKAGE

    @property
    def cls(self) -> str:
        return STATE_CLASS[self.package.state] if self.package else "draft"

    @property
    def fatal(self) -> int | None:
        return self.package.fatal if self.package and self.package.facts is not None else None

    @property
    def warning(self) -> int | None:
        return self.package.warning if self.package and self.package.facts is not None else None


def years_of(bureau: Bureau) -> list[int]:
    years = set(Package.objects.filter(department__bureau=bureau).values_list("year", flat=True))
    years |= set(bureau.deadlines.values_list("year", flat=True))
    years |= {y for y in bureau.batches.values_list("year", flat=True) if y}
    return sorted(years, reverse=True) or [timezone.localdate().year]


def _completeness(report: dict | None) -> str:
    c = (report or {}).get("completeness") or {}
    if c.get("score") is None:
        return ""
    return f"{c['score']}/{c['max']}" if c.get("max") else str(c["score"])


def rows_for(bureau: Bureau, year: int, user=None, phase: str = "budget") -> list[Row]:
    """``phase``: the budgets (预算) or the final accounts (决算) of the year. The bureau's deadline of a
    year and the uploaded batches of documents made elsewhere are the budget's."""
    today = timezone.localdate()
    bureau_deadline = (Deadline.objects.filter(bureau=bureau, year=year).values_list("date", flat=True).first()
                       if phase == "budget" else None)
    packages = {p.department_id: p for p in Package.objects.filter(department__bureau=bureau, year=year, phase=phase)}
    files: dict[int, list[PublishedFile]] = {}
    unsure: dict[int, int] = {}
    if phase == "budget":
        for f in (PublishedFile.objects.filter(batch__bureau=bureau, batch__year=year, department__isnull=False)
                  .select_related("job", "batch").order_by("-batch__created_at", "-id")):
            files.setdefault(f.department_id, []).append(f)
        for f in PublishedFile.objects.filter(batch__bureau=bureau, batch__year=year,
                                              match__in=[Match.DOUBTFUL, Match.NONE], department__isnull=False):
            unsure[f.department_id] = unsure.get(f.department_id, 0) + 1
    r = perms.role(user) if user is not None else None
    rows = []
    for d in bureau.departments.prefetch_related("units").order_by("name"):
        p = packages.get(d.pk)
        deadline = (p.deadline if p and p.deadline else None) or bureau_deadline
        left = (deadline - today).days if deadline else None
        confirmed = [f for f in files.get(d.pk, []) if not f.needs_confirmation]
        external = next((f for f in confirmed if f.job.status == JobStatus.DONE), None)
        done = (p is not None and p.state == State.PUBLISHED) or bool(confirmed)
        overdue = left is not None and left < 0 and not done
        row = Row(d, p, deadline, left, overdue, done, _completeness(p.report if p else None), external)
        if overdue:
            row.todo.append("逾期")
        if p is not None and p.state == State.SUBMITTED and r in (Role.REVIEWER, Role.ADMIN):
            row.todo.append("待审核")
        if p is not None and p.state == State.APPROVED and r in (Role.PUBLISHER, Role.ADMIN):
            row.todo.append("待发布")
        if p is not None and p.state in (State.DRAFT, State.RETURNED) and row.fatal:
            row.todo.append(f"错误 {row.fatal} 个")
        if r in (Role.REVIEWER, Role.ADMIN):
            if unsure.get(d.pk):
                row.todo.append(f"待确认文件 {unsure[d.pk]} 个")
            failed = sum(1 for f in confirmed if f.job.status == JobStatus.FAILED)
            if failed:
                row.todo.append(f"审核失败 {failed} 个")
        rows.append(row)
    rows.sort(key=lambda x: (not x.overdue, x.done, x.left if x.left is not None else 10**6, x.department.name))
    return rows


def _year(request, bureau: Bureau) -> int:
    years = years_of(bureau)
    y = request.GET.get("year", "")
    return int(y) if y.isdigit() and 1990 < int(y) < 2200 else years[0]


PHASES = {"budget": "部门预算", "final": "部门决算"}


def _phase(request) -> str:
    phase = request.GET.get("phase", "budget")
    return phase if phase in PHASES else "budget"


@guard(perms.OVERVIEW, Bureau)
@require_GET
def overview(request, bureau: Bureau):
    year, phase = _year(request, bureau), _phase(request)
    rows = rows_for(bureau, year, request.user, phase)
    counts = {"departments": len(rows), "overdue": sum(r.overdue for r in rows), "done": sum(r.done for r in rows),
              "todo": sum(len(r.todo) for r in rows)}
    tree = sorted(rows, key=lambda r: r.department.name)
    return render(request, "web/overview.html", {
        "bureau": bureau, "year": year, "phase": phase, "phases": PHASES, "years": sorted(set(years_of(bureau)) | {year}, reverse=True), "rows": rows,
        "tree": tree, "counts": counts,
        "deadline": Deadline.objects.filter(bureau=bureau, year=year).first(),
        "approval": ApprovalDate.objects.filter(bureau=bureau, year=year, phase=phase).first(),
        "can_admin": perms.allowed(request.user, perms.BUREAU_ADMIN, bureau),
        "can_batch": perms.allowed(request.user, perms.BATCH, bureau),
        "bureaus": perms.visible_bureaus(request.user)})


HEADER = ["部门", "部门编码", "年度", "状态", "错误", "警告", "完整性", "公开截止日期", "剩余天数", "是否逾期",
          "外部公开文件", "外部文件错误", "外部文件警告", "待办"]


def _cells(row: Row, year: int) -> list:
    ext = row.external
    return [row.department.name, row.department.code, year, row.state, row.fatal, row.warning, row.completeness,
            row.deadline, row.left, "是" if row.overdue else "否", ext.name if ext else "",
            ext.job.fatal if ext else None, ext.job.warning if ext else None, "、".join(row.todo)]


@guard(perms.OVERVIEW, Bureau)
@require_GET
def export(request, bureau: Bureau, fmt: str):
    from yusuan.web.views import _attachment

    if fmt not in ("csv", "xlsx"):
        raise Http404("没有该格式")
    year, phase = _year(request, bureau), _phase(request)
    rows = [_cells(r, year) for r in rows_for(bureau, year, request.user, phase)]
    name = f"{bureau.name}{year}年{PHASES[phase]}公开总览.{fmt}"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(HEADER)
        for cells in rows:
            w.writerow(["" if c is None else c.isoformat() if isinstance(c, date) else c for c in cells])
        response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = f"{year}年总览"
        ws.append(HEADER)
        for c in ws[1]:
            c.font = Font(bold=True)
        for cells in rows:
            ws.append(cells)
        for r in range(2, ws.max_row + 1):
            ws.cell(r, 8).number_format = "yyyy-mm-dd"
        ws.freeze_panes = "B2"
        for col, width in zip("ABCDEFGHIJKLMN", (28, 12, 8, 10, 8, 8, 10, 14, 10, 10, 32, 12, 12, 30)):
            ws.column_dimensions[col].width = width
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _attachment(name)
    return response


@guard(perms.BUREAU_ADMIN, Bureau)
@require_POST
def set_deadline(request, bureau: Bureau):
    """The deadline of the bureau's year; written to that year's packages too (each change logged)."""
    y, d = request.POST.get("year", "").strip(), request.POST.get("date", "").strip()
    try:
        year, when = int(y), date.fromisoformat(d)
        if not 1990 < year < 2200:
            raise ValueError
    except ValueError:
        messages.error(request, "请填写正确的年度和日期（如 2024 和 2024-02-20）")
        return redirect("web:overview", pk=bureau.pk)
    with transaction.atomic():
        Deadline.objects.update_or_create(bureau=bureau, year=year, defaults={"date": when})
        # the bureau's deadline is the budget's: a final account of the year is disclosed the year after
        for p in Package.objects.select_for_update().filter(department__bureau=bureau, year=year, phase="budget"):
            if p.deadline != when:
                AuditLog.objects.create(user=request.user, action="deadline", package=p, field="deadline",
                                        old=p.deadline.isoformat() if p.deadline else "", new=when.isoformat())
                p.deadline = when
                p.save(update_fields=["deadline", "updated_at"])
        rescored = rescore(bureau.pk, year, "budget")  # the score's timeliness may rest on the deadline
    messages.success(request, f"已将{year}年公开截止日期设为 {when:%Y-%m-%d}"
                              + (f"，已重新评分 {rescored} 个已发布版本" if rescored else ""))
    return redirect(f"{reverse('web:overview', args=[bureau.pk])}?year={year}")


@guard(perms.BUREAU_ADMIN, Bureau)
@require_POST
def set_approval(request, bureau: Bureau):
    """The approval date (批复日期) of the bureau's budget or final account of a year, from which the
    timeliness of its departments' publications is measured; an empty date removes it (then unknown:
    timeliness falls back to the deadline). Logged; the year's published versions are scored again."""
    y, d = request.POST.get("year", "").strip(), request.POST.get("date", "").strip()
    phase = request.POST.get("phase", "budget").strip() or "budget"
    back = f"{reverse('web:overview', args=[bureau.pk])}?year={y}&phase={phase}"
    try:
        year, when = int(y), (date.fromisoformat(d) if d else None)
        if not 1990 < year < 2200 or phase not in PHASES:
            raise ValueError
    except ValueError:
        messages.error(request, "请填写正确的年度、阶段和批复日期（如 2024、部门预算和 2024-01-25）")
        return redirect(back)
    what = f"{year}年{PHASES[phase]}批复日期"
    with transaction.atomic():
        row = ApprovalDate.objects.select_for_update().filter(bureau=bureau, year=year, phase=phase).first()
        old = row.date if row else None
        if old == when:
            messages.info(request, f"{what}未改变")
            return redirect(back)
        if when is None:
            row.delete()
        else:
            ApprovalDate.objects.update_or_create(bureau=bureau, year=year, phase=phase, defaults={"date": when})
        AuditLog.objects.create(user=request.user, action="approval", bureau=bureau, field="approval",
                                old=old.isoformat() if old else "", new=when.isoformat() if when else "", note=what)
        rescored = rescore(bureau.pk, year, phase)
    done = f"已将{what}设为 {when:%Y-%m-%d}" if when else f"已删除{what}（及时性改按公开截止日期评价）"
    messages.success(request, done + (f"，已重新评分 {rescored} 个已发布版本" if rescored else ""))
    return redirect(back)
