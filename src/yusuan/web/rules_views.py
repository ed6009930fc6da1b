"""The bureau's rules configuration page (``web.rulesconfig``): every rule of the registry with its
default and configured severity; 财政审核人 and 管理员 of the bureau change one at a time, with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from yusuan.rules.report import CATEGORY_ZH
from yusuan.web import perms, rulesconfig
from yusuan.web.grid import origins_for
from yusuan.web.models import AuditLog, Bureau
from yusuan.web.views import guard


@guard(perms.RULES_CONFIG, Bureau)
@require_GET
def page(request, bureau: Bureau):
    category = request.GET.get("category", "")
    q = request.GET.get("q", "").strip().lower()
    only = request.GET.get("only") == "1"
    lines = [ln for ln in rulesconfig.lines(bureau, category, only)
             if not q or q in ln.id.lower() or q in ln.title.lower()]
    chosen = request.GET.get("rule", "")
    return render(request, "web/rules_config.html", {
        "bureau": bureau, "lines": lines, "category": category, "q": request.GET.get("q", ""), "only": only,
        "categories": sorted({(ln.category, CATEGORY_ZH.get(ln.category, ln.category)) for ln in rulesconfig.lines(bureau)}),
        "chosen": next((ln for ln in rulesconfig.lines(bureau) if ln.id == chosen), None),
        "levels": [(rulesconfig.DEFAULT, "默认")] + list(rulesconfig.LEVELS),
        "configured": rulesconfig.lines(bureau, only_configured=True),
        "log": AuditLog.objects.filter(bureau=bureau, action="rule_config").select_related("user")[:50],
        "cat_zh": CATEGORY_ZH})


@guard(perms.RULES_CONFIG, Bureau)
@require_POST
def save(request, bureau: Bureau):
    rule = request.POST.get("rule", "")
    try:
        n = rulesconfig.set_rule(bureau, request.user, rule, request.POST.get("level", ""),
                                 request.POST.get("reason", ""), origins=origins_for)
    except rulesconfig.ConfigError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('web:rules_config', args=[bureau.pk])}?rule={rule.strip()}")
    messages.success(request, f"已保存规则 {rule.strip()} 的级别，并按新配置重新校验了 {n} 个未发布的预算包")
    return redirect(f"{reverse('web:rules_config', args=[bureau.pk])}?only=1")
