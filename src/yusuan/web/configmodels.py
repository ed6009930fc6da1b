"""The bureau's configuration of the checks: per rule ID (from the registry) a severity other than the
rule's default, or the rule switched off, always with a reason. Imported by ``models``.

``yusuan.web.rulesconfig`` turns these rows into the ``rules.registry.Settings`` every check of the
bureau's packages runs with, so that what blocks submission (fatal findings) is decided by them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

OFF = "off"
LEVELS = [("fatal", "错误"), ("warning", "警告"), ("info", "提示"), (OFF, "不校验")]


class RuleSetting(models.Model):
    bureau = models.ForeignKey("web.Bureau", on_delete=models.CASCADE, related_name="rule_settings", verbose_name="财政部门")
    rule = models.CharField("规则编号", max_length=80)
    level = models.CharField("级别", max_length=10, choices=LEVELS)
    reason = models.TextField("理由")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name="设置人")
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        unique_together = [("bureau", "rule")]
        ordering = ["bureau", "rule"]

    def __str__(self) -> str:
        return f"{self.bureau} {self.rule} → {self.get_level_display()}"
