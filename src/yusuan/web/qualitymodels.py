"""The stored disclosure-quality score of each published version (``web/quality.py`` computes it).

Written when the version is published (a ``post_save`` receiver: versions are only ever created)
and by ``manage.py portal_refresh`` / migration 0004 for versions published before; the portal and
the API only read it, never recompute on a request.
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
    config_version = models.PositiveIntegerField("评分规则版本")
    computed_at = models.DateTimeField("计算时间", default=timezone.now)

    class Meta:
        verbose_name = "公开质量得分"

    def __str__(self) -> str:
        return f"{self.version} {self.total}"


def deadline_of(package, deadlines=None):
    """The bureau's deadline of the package's year (web/jobmodels.Deadline), else the package's own."""
    from django.apps import apps

    Deadline = apps.get_model("web", "Deadline")
    d = package.department
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
    result = quality.score(version.report, first_published_on(version), deadline)
    row, _ = VersionScore.objects.update_or_create(version=version, defaults={
        "total": result["total"], "breakdown": quality.to_json(result), "deadline": deadline,
        "config_version": result["config_version"], "computed_at": timezone.now()})
    return row


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
