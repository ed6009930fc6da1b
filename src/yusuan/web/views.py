"""Pages. Each view states its action once (``@guard``); ``perms.allowed`` decides."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from yusuan.errors import InputError
from yusuan.rules.report import CATEGORY_ZH, SEVERITY_ZH
from yusuan.web import perms, services, workflow
from yusuan.web.models import Package, Role, State, Version

STATE_CLASS = {State.DRAFT: "draft", State.SUBMITTED: "submitted", State.RETURNED: "returned",
               State.APPROVED: "approved", State.PUBLISHED: "published"}


def nav(request):
    """Template context for every page: the user's role in Chinese."""
    r = perms.role(request.user) if hasattr(request, "user") else None
    return {"role_name": Role(r).label if r else "", "role": r or ""}


def denied(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('web:login')}?next={request.path}")
    return render(request, "web/message.html", {"title": "无权访问", "text": "您的角色或所属范围不允许查看或执行此项操作。"},
                  status=403)


def guard(action: str, model=None):
    """The permission of a view: ``action`` on the object named by the URL's ``pk`` (if ``model``)."""

    def wrap(view):
        @wraps(view)
        def inner(request, pk=None, **kwargs):
            obj = None
            if model is not None:
                obj = get_object_or_404(model.objects.select_related(), pk=pk)
            if not perms.allowed(request.user, action, obj):
                return denied(request)
            return view(request, obj, **kwargs) if model is not None else view(request, **kwargs)

        inner.action = action
        return inner

    return wrap


def refused(request, package: Package, text: str, status: int = 400):
    messages.error(request, text)
    return redirect("web:package", pk=package.pk) if status == 302 else render(
        request, "web/message.html", {"title": "未能完成", "text": text, "back": reverse("web:package", args=[package.pk])},
        status=status)


# ------------------------------------------------------------------ sign-in, home

LOGIN_FAILURES = 5          # failed sign-ins of one user name ...
LOGIN_LOCK_SECONDS = 15 * 60  # ... lock it for this long


class ThrottledLogin(AuthenticationForm):
    """Sign-in that refuses a user name after LOGIN_FAILURES failures (per process cache)."""

    def clean(self):
        from django.core.cache import cache

        key = f"yusuan-login-fail:{(self.data.get('username') or '').strip().lower()}"
        if cache.get(key, 0) >= LOGIN_FAILURES:
            raise ValidationError("登录失败次数过多，请 15 分钟后再试", code="throttled")
        try:
            return super().clean()
        except ValidationError:
            cache.set(key, cache.get(key, 0) + 1, LOGIN_LOCK_SECONDS)
            raise


class Login(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    authentication_form = ThrottledLogin


login = guard(perms.PUBLIC)(lambda request: Login.as_view()(request))
logout = guard(perms.PUBLIC)(require_POST(lambda request: auth_views.LogoutView.as_view()(request)))


@guard(perms.PUBLIC)
def home(request):
    return redirect("web:dashboard" if request.user.is_authenticated else "web:public")



# ------------------------------------------------------------------ dashboard

def _days_left(p: Package) -> int | None:
    return (p.deadline - timezone.localdate()).days if p.deadline else None


@guard(perms.SIGNED_IN)
@require_GET
def dashboard(request):
    rows = []
    for p in perms.visible_packages(request.user).order_by("department__name", "-year"):
        left = _days_left(p)
        rows.append({"p": p, "left": left, "overdue": left is not None and left < 0 and p.state != State.PUBLISHED,
                     "cls": STATE_CLASS[p.state]})
    rows.sort(key=lambda r: (not r["overdue"], r["p"].state == State.PUBLISHED,
                             r["left"] if r["left"] is not None else 9999, r["p"].department.name))
    counts = {label: sum(1 for r in rows if r["p"].state == value) for value, label in State.choices}
    m = perms.membership(request.user)
    scope = (m.department.name if m and m.department else m.bureau.name if m and m.bureau else "全部")
    from yusuan.web.models import Department

    creatable = [d for d in Department.objects.select_related("bureau").order_by("name")
                 if perms.allowed(request.user, perms.CREATE, d)] if perms.role(request.user) else []
    return render(request, "web/dashboard.html", {
        "rows": rows, "counts": counts, "scope": scope, "bureaus": perms.visible_bureaus(request.user),
        "rule_bureaus": perms.visible_bureaus(request.user, perms.RULES_CONFIG), "creatable": creatable,
        "next_year": timezone.localdate().year + 1,
        "can_import_org": perms.allowed(request.user, perms.BUREAU_ADMIN)})


# ------------------------------------------------------------------ package

def _findings(report: dict | None) -> list[dict]:
    out = []
    for n, f in enumerate((report or {}).get("findings", []), start=1):
        out.append({**f, "n": n, "sev": SEVERITY_ZH.get(f["severity"], f["severity"]),
                    "cat": CATEGORY_ZH.get(f["category"], f["category"]),
                    # a severity set by the bureau's rules configuration (web/rulesconfig.py): the default beside it
                    "default_sev": SEVERITY_ZH.get(f.get("default_severity", ""), "")})
    return out


def _can(request, package):
    u = request.user
    return {a: perms.allowed(u, a, package) and perms.state_allows(package, a)
            for a in (perms.UPLOAD, perms.SUBMIT, perms.RETURN, perms.APPROVE, perms.PUBLISH, perms.COMMENT)}


@guard(perms.VIEW, Package)
@require_GET
def package(request, p: Package):
    from yusuan.web.carryover import not_updated, published_before

    findings = _findings(p.report)
    can_create = (perms.allowed(request.user, perms.CREATE, p.department)
                  and not Package.objects.filter(department=p.department, year=p.year + 1, phase=p.phase).exists())
    return render(request, "web/package.html", {
        "prev_published": published_before(p.department, p.year, p.phase), "can_create_next": can_create,
        "not_updated": not_updated(p),
        "p": p, "findings": findings, "tables": p.tables or [], "can": _can(request, p),
        "versions": p.versions.all(), "comments": p.comments.select_related("author"),
        "stats": (p.report or {}).get("stats", {}).get("by_severity", {}), "cls": STATE_CLASS[p.state],
        "left": _days_left(p), "max_mb": settings.UPLOAD_MAX_MB,
    })


@guard(perms.UPLOAD, Package)
@require_POST
def upload(request, p: Package):
    uploaded = request.FILES.get("workbook")
    if uploaded is None:
        return refused(request, p, "请选择要上传的 Excel 录入工作簿")
    if uploaded.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
        return refused(request, p, f"文件超过 {settings.UPLOAD_MAX_MB} MB，未作更改")
    try:
        checked = workflow.upload(p, request.user, uploaded)
    except InputError as exc:
        return render(request, "web/message.html", {
            "title": f"上传的文件无法使用，{p.stage_zh}包未作任何更改",
            "problems": [str(pr) for pr in exc.problems] or [str(exc)],
            "back": reverse("web:package", args=[p.pk])}, status=400)
    except workflow.Refused as exc:
        return refused(request, p, str(exc))
    messages.success(request, f"已上传并校验：错误 {checked.fatal} 个，警告 {checked.warning} 个")
    return redirect("web:package", pk=p.pk)


def _transition(action: str, verb: str, run):
    @guard(action, Package)
    @require_POST
    def view(request, p: Package):
        try:
            run(request, p)
        except workflow.Refused as exc:
            return refused(request, p, str(exc))
        messages.success(request, f"已{verb}")
        return redirect("web:package", pk=p.pk)

    return view


submit = _transition(perms.SUBMIT, "提交", lambda r, p: workflow.submit(p, r.user))
return_ = _transition(perms.RETURN, "退回", lambda r, p: workflow.return_(
    p, r.user, r.POST.get("text", ""), r.POST.get("table", ""), r.POST.get("row", ""), r.POST.get("cell", "")))
approve = _transition(perms.APPROVE, "审核通过", lambda r, p: workflow.approve(p, r.user))
publish = _transition(perms.PUBLISH, "发布", lambda r, p: workflow.publish(p, r.user, r.POST.get("reason", "")))
comment = _transition(perms.COMMENT, "添加意见", lambda r, p: workflow.comment(
    p, r.user, r.POST.get("text", ""), r.POST.get("table", ""), r.POST.get("row", ""), r.POST.get("cell", "")))


@guard(perms.VIEW, Package)
@require_GET
def history(request, p: Package):
    return render(request, "web/history.html", {"p": p, "log": p.log.select_related("user")})


@guard(perms.VIEW, Package)
@require_GET
def workbook(request, p: Package):
    """The package's current facts as an Excel input workbook (to edit and upload again)."""
    if p.facts is None:
        import tempfile
        from pathlib import Path

        from yusuan.excel import write_template

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "t.xlsx"
            write_template(path, p.year, stage=p.phase)
            data = path.read_bytes()
    else:
        data = services.workbook_bytes(services.facts_of(p.facts))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _attachment(f"{p.department.name}{p.year}年{p.stage_zh}录入.xlsx")
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"download{name[name.rfind('.'):]}\"; filename*=UTF-8''{quote(name)}"


# ------------------------------------------------------------------ public

@guard(perms.PUBLIC)
@require_GET
def catalogue(request):
    versions = Version.objects.select_related("package", "package__department", "package__department__bureau")
    latest: dict[int, int] = {}
    for v in versions:
        latest[v.package_id] = max(latest.get(v.package_id, 0), v.number)
    items = [{"v": v, "current": latest[v.package_id] == v.number} for v in
             versions.order_by("package__department__name", "-package__year", "-number")]
    return render(request, "web/catalogue.html", {"items": items})


@guard(perms.PUBLIC, Version)
@require_GET
def version(request, v: Version):
    later = v.package.versions.filter(number__gt=v.number).order_by("number").first()
    years = Version.objects.filter(package__department=v.package.department, phase=v.phase).values("package__year").distinct()
    return render(request, "web/version.html", {
        "v": v, "tables": v.tables or [], "findings": _findings(v.report),
        "stats": v.report.get("stats", {}).get("by_severity", {}), "later": later,
        "others": v.package.versions.exclude(pk=v.pk), "history": v.package.versions.order_by("number"),
        "can_compare": years.count() > 1, "region": v.package.department.bureau.region,
    })


CONTENT_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


# Formats a version offers besides its stored files, answered by modules above this one (the portal's facts
# JSON and figures CSV): each handler takes (version, format) and returns a response or None. Registered by
# those modules, so that this module imports none of them.
DOWNLOAD_HANDLERS: list = []


@guard(perms.PUBLIC, Version)
@require_GET
def download(request, v: Version, fmt: str):
    if fmt == "report.json":
        import json

        response = HttpResponse(json.dumps(v.report, ensure_ascii=False, indent=2), content_type="application/json")
        response["Content-Disposition"] = _attachment(f"{v.package}第{v.number}版校验报告.json")
        return response
    for handler in DOWNLOAD_HANDLERS:
        extra = handler(v, fmt)
        if extra is not None:
            return extra
    if fmt not in CONTENT_TYPES or not getattr(v, fmt):
        raise Http404("没有该格式的文件")
    f = getattr(v, fmt)
    name = f"{v.package.department.name}{v.package.year}年{v.phase_zh}公开（第{v.number}版）.{fmt}"
    return FileResponse(f.open("rb"), content_type=CONTENT_TYPES[fmt], as_attachment=True, filename=name)


# ------------------------------------------------------------------ errors

def error_404(request, exception=None):
    return render(request, "web/message.html", {"title": "页面不存在", "text": "您要找的页面或文件不存在。"}, status=404)


def error_500(request):
    return render(request, "web/message.html", {"title": "服务器出错", "text": "处理请求时出错，请稍后重试或联系管理员。"},
                  status=500)


def error_403(request, exception=None):
    return render(request, "web/message.html", {"title": "禁止访问", "text": "请求被拒绝（可能是页面已过期，请刷新后重试）。"},
                  status=403)


def error_400(request, exception=None):
    return render(request, "web/message.html", {"title": "请求有误", "text": "请求无法处理。"}, status=400)
