"""Importing the organisation tree from a spreadsheet (``web.orgimport``): upload → preview of what
will be created, changed and left as it is → confirm (one transaction). 管理员 only; a bureau's
管理员 imports the lines of his own bureau, a 管理员 without a bureau (or a superuser) any."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yusuan.errors import InputError
from yusuan.web import orgimport, perms
from yusuan.web.models import AuditLog, Role
from yusuan.web.views import _attachment, guard

SESSION_KEY = "yusuan-org-import"


def allowed_for(user):
    """``allowed(bureau or None)`` for ``orgimport.plan/apply``: which bureaus' lines the user may import."""
    m = perms.membership(user)
    everywhere = perms.role(user) == Role.ADMIN and (m is None or m.bureau_id is None)
    return lambda bureau: everywhere or (bureau is not None and bureau.pk is not None
                                         and perms.bureau_allowed(user, perms.BUREAU_ADMIN, bureau))


def _page(request, status: int = 200, **extra):
    log = AuditLog.objects.filter(action="org_import").select_related("user", "bureau")
    m = perms.membership(request.user)
    if m is not None and m.bureau_id is not None:
        log = log.filter(bureau_id=m.bureau_id)
    return render(request, "web/org_import.html", {"max_mb": settings.UPLOAD_MAX_MB, "log": log[:30], **extra},
                  status=status)


@guard(perms.BUREAU_ADMIN)
@require_http_methods(["GET", "POST"])
def page(request):
    if request.method == "GET":
        return _page(request)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return _page(request, problems=["请选择要导入的 Excel（.xlsx）或 CSV 文件"], status=400)
    if uploaded.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
        return _page(request, problems=[f"文件超过 {settings.UPLOAD_MAX_MB} MB，未导入"], status=400)
    name = Path(uploaded.name or "导入文件").name
    with tempfile.TemporaryDirectory(prefix="yusuan-org-") as tmp:
        path = Path(tmp) / ("upload" + Path(name).suffix.lower())
        with path.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        try:
            rows = orgimport.read_rows(path, name)
            plan = orgimport.plan(rows, request.user, allowed_for(request.user))
        except InputError as exc:
            return _page(request, problems=[str(p) for p in exc.problems] or [str(exc)], name=name, status=400)
        except orgimport.Refused as exc:
            return _page(request, problems=exc.problems, name=name, status=400)
    request.session[SESSION_KEY] = {"name": name, "rows": [asdict(r) for r in rows]}
    return _page(request, plan=plan, name=name)


@guard(perms.BUREAU_ADMIN)
@require_POST
def confirm(request):
    pending = request.session.get(SESSION_KEY)
    if not pending:
        messages.error(request, "没有待确认的导入：请重新上传文件")
        return redirect("web:org_import")
    rows = [orgimport.OrgRow(**r) for r in pending["rows"]]
    try:  # planned again inside the transaction: the database may have changed since the preview
        plan = orgimport.apply(rows, request.user, allowed_for(request.user), source=pending["name"])
    except orgimport.Refused as exc:
        return _page(request, problems=exc.problems, name=pending["name"], status=400)
    del request.session[SESSION_KEY]
    messages.success(request, f"已导入 {pending['name']}：{plan.summary()}")
    return redirect("web:org_import")


@guard(perms.BUREAU_ADMIN)
@require_GET
def template(request):
    response = HttpResponse(orgimport.template_bytes(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _attachment("组织机构导入模板.xlsx")
    return response
