"""The stored disclosure-quality score of each published version (``web/quality.py`` computes it), and
the approval dates (批复日期) of a bureau's years from which its timeliness is measured.

Written when the version is published (a ``post_save`` receiver: versions are only ever created),
again for the versions of a bureau's year when its approval date or deadline changes (``rescore``),
and by ``yusuan portal-refresh`` / migration 0004 for versions published before; the portal and
the API only read it, never recompute on a request. Every write stamps ``computed_at``, which is part
of the public pages' cache generation (``portal.generation``): a re-score shows at once.
"""

from __future__ import annotations

from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone


class VersionScore(models.Model):
    version = models.OneToOneField("web.Version", on_delete=models.CASCADE, related_name="quality", verbose_name="版本")
    total = models.DecimalField("公开质量得分", max_digits=4, decimal_places=1, null=True,
                                help_text="0–100；无可评价方面时为空")
    breakdown = models.JSONField("得分明细", help_text="web.quality.score 的结果（金额与分值为字符串）")
    deadline = models.DateField("公开截止日期", null=True, blank=True)
    approved_on = models.DateField("批复日期", null=True, blank=True)
    config_version = models.PositiveIntegerField("评分规则版本")
    computed_at = models.DateTimeField("计算时间", default=timezone.now)

    class Meta:
        verbose_name = "公开质量得分"

    def __str__(self) -> str:
        return f"{self.version} {self.total}"


class ApprovalDate(models.Model):
    """The date a bureau's budget (or final account) of a year was approved (批复), entered by the
    bureau's admin: the law gives its departments 20 days from it to publish (quality.yaml)."""

    bureau = models.ForeignKey("web.Bureau", on_delete=models.CASCADE, related_name="approvals", verbose_name="财政部门")
    year = models.PositiveIntegerField("年度")
    phase = models.CharField("阶段", max_length=10, default="budget", help_text="budget 预算；final 决算")
    date = models.DateField("批复日期")

    class Meta:
        unique_together = [("bureau", "year", "phase")]
        ordering = ["bureau", "-year", "phase"]
        verbose_name = "批复日期"

    def __str__(self) -> str:
        return f"{self.bureau}{self.year}年{'决算' if self.phase == 'final' else '预算'}批复 {self.date:%Y-%m-%d}"


def approval_of(package):
    """The approval date of the package's bureau, year and stage, or None (not entered: unknown)."""
    return (ApprovalDate.objects.filter(bureau_id=package.department.bureau_id, year=package.year, phase=package.phase)
            .values_list("date", flat=True).first())


def deadline_of(package, deadlines=None):
    """The bureau's deadline of the package's year (web/jobmodels.Deadline; a budget's), else the package's own."""
    from django.apps import apps

    Deadline = apps.get_model("web", "Deadline")
    d = package.department
    if package.phase != "budget":
        return package.deadline
    if deadlines is None:
        found = Deadline.objects.filter(bureau_id=d.bureau_id, year=package.year).values_list("date", flat=True).first()
    else:
        found = deadlines.get((d.bureau_id, package.year))
    return found or package.deadline


def first_published_on(version):
    """Timeliness is the package's: its first publication (a later correction does not make it late)."""
    first = version.package.versions.order_by("number").values_list("published_at", flat=True).first()
    when = first or version.published_at
    return timezone.localtime(when).date() if when else None


def store(version) -> VersionScore:
    from yusuan.web import quality

    deadline = deadline_of(version.package)
    approved = approval_of(version.package)
    result = quality.score(version.report, first_published_on(version), deadline, approved_on=approved)
    row, _ = VersionScore.objects.update_or_create(version=version, defaults={
        "total": result["total"], "breakdown": quality.to_json(result), "deadline": deadline, "approved_on": approved,
        "config_version": result["config_version"], "computed_at": timezone.now()})
    return row


def rescore(bureau_id: int, year: int, phase: str | None = None) -> int:
    """Score the published versions of a bureau's year (one stage, or both) again: its approval date or
    deadline changed. The new ``computed_at`` moves the public cache generation on."""
    from django.apps import apps

    qs = apps.get_model("web", "Version").objects.filter(package__department__bureau_id=bureau_id, package__year=year)
    if phase:
        qs = qs.filter(package__phase=phase)
    return refresh(qs.select_related("package__department"))


def refresh(versions=None) -> int:
    """Score every version (or those given) again, e.g. after quality.yaml or a deadline changed."""
    from django.apps import apps  # yusuan.web.models imports this module

    n = 0
    for v in versions if versions is not None else apps.get_model("web", "Version").objects.select_related("package__department"):
        store(v)
        n += 1
    return n


@receiver(post_save, sender="web.Version", dispatch_uid="yusuan-version-quality")
def _score_new_version(sender, instance, created, **kwargs):
    if created:
        store(instance)
