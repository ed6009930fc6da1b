"""The bureau's rules configuration page (``web.rulesconfig``): every rule of the registry with its
default and configured severity; 财政审核人 and 管理员 of the bureau change one rule (or a pattern of
rule IDs) at a time, with a reason. The re-check of the bureau's packages that follows goes to the job
queue: the page answers at once and shows the job's progress."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from yusuan.rules.report import CATEGORY_ZH
from yusuan.web import jobs, perms, rulesconfig
from yusuan.web.models import AuditLog, Bureau, RecheckJob
from yusuan.web.views import guard


@guard(perms.RULES_CONFIG, Bureau)
@require_GET
def page(request, bureau: Bureau):
    category = request.GET.get("category", "")
    q = request.GET.get("q", "").strip().lower()
    only = request.GET.get("only") == "1"
    lines = [ln for ln in rulesconfig.lines(bureau, category, only)
             if not q or q in ln.id.lower() or q in ln.title.lower()]
    chosen = request.GET.get("rule", "").strip()
    recent = list(RecheckJob.objects.filter(bureau=bureau).select_related("requested_by")[:5])
    return render(request, "web/rules_config.html", {
        "bureau": bureau, "lines": lines, "category": category, "q": request.GET.get("q", ""), "only": only,
        "categories": sorted({(ln.category, CATEGORY_ZH.get(ln.category, ln.category)) for ln in rulesconfig.lines(bureau)}),
        "chosen": next((ln for ln in rulesconfig.lines(bureau) if ln.id == chosen), None),
        "chosen_pattern": next((x for x in rulesconfig.patterns(bureau) if x["rule"] == chosen), None)
        if rulesconfig.is_pattern(chosen) else None, "typed": chosen,
        "patterns": rulesconfig.patterns(bureau), "jobs": recent,
        "running": any(not j.finished for j in recent),
        "levels": [(rulesconfig.DEFAULT, "默认")] + list(rulesconfig.LEVELS),
        "configured": rulesconfig.lines(bureau, only_configured=True),
        "log": AuditLog.objects.filter(bureau=bureau, action="rule_config").select_related("user")[:50],
        "cat_zh": CATEGORY_ZH})


@guard(perms.RULES_CONFIG, Bureau)
@require_POST
def save(request, bureau: Bureau):
    rule = request.POST.get("rule", "")
    try:
        rulesconfig.set_rule(bureau, request.user, rule, request.POST.get("level", ""), request.POST.get("reason", ""))
    except rulesconfig.ConfigError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('web:rules_config', args=[bureau.pk])}?{urlencode({'rule': rule.strip()})}")
    job = jobs.enqueue_recheck(bureau, request.user, f"{rule.strip()} → {rulesconfig.LEVEL_ZH.get(request.POST.get('level', ''), '默认')}")
    what = "模式" if rulesconfig.is_pattern(rule.strip()) else "规则"
    if job.finished:
        messages.success(request, f"已保存{what} {rule.strip()} 的级别；{job.stage or job.error}")
    else:
        messages.success(request, f"已保存{what} {rule.strip()} 的级别；本局 {job.total} 个未发布的预算包正在后台按新配置重新校验，进度见“重新校验”")
    return redirect(f"{reverse('web:rules_config', args=[bureau.pk])}?only=1#jobs")
