"""Creating a department's package of a new year (``web.carryover``) and the diff page of a draft
against last year's published version."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from yusuan.web import carryover, newyear, perms
from yusuan.web.models import Department, Package
from yusuan.web.views import guard


@guard(perms.CREATE, Department)
@require_POST
def new_package(request, department: Department):
    year = request.POST.get("year", "").strip()
    phase = request.POST.get("phase", "budget").strip() or "budget"
    try:
        package, prev = newyear.new_package(department, int(year) if year.isdigit() else 0, request.user, phase)
    except carryover.Refused as exc:
        messages.error(request, str(exc))
        return redirect("web:dashboard")
    if package.is_final:
        messages.success(request, f"已新建{package.year}年决算包：请下载部门决算录入工作簿，填写后上传并校验")
    elif prev is None:
        messages.success(request, f"已新建{package.year}年预算包（{package.year - 1}年没有已发布的版本，从空白开始）")
    else:
        messages.success(request, f"已新建{package.year}年预算包：上年数取自{prev.package.year}年第{prev.number}版，"
                                  "文字沿用上年作为初稿；本年各项金额暂为上年数，请逐项更新（“与上年对比”可查看改动）")
    return redirect("web:package", pk=package.pk)


@guard(perms.VIEW, Package)
@require_GET
def diff(request, p: Package):
    prev = carryover.published_before(p.department, p.year, p.phase)
    result, problem = None, ""
    if prev is not None and p.facts is not None:
        try:
            result = carryover.diff(p, prev)
        except Exception as exc:  # noqa: BLE001 - e.g. last year published a final account: say so, never a 500
            problem = f"无法与{prev.package.year}年第{prev.number}版对比（{type(exc).__name__}）：两者可能不是同一类公开文件。"
    return render(request, "web/diff.html", {"p": p, "prev": prev, "diff": result, "problem": problem})
