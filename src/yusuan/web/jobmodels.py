"""Models of the bureau's own work: disclosure deadlines, uploaded batches of published documents
made elsewhere, and the background audit jobs (``yusuan.web.jobs``). Imported by ``models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Deadline(models.Model):
    """The disclosure deadline of a bureau's departments in one year (set by the bureau's admin)."""

    bureau = models.ForeignKey("web.Bureau", on_delete=models.CASCADE, related_name="deadlines", verbose_name="财政部门")
    year = models.PositiveIntegerField("预算年度")
    date = models.DateField("公开截止日期")

    class Meta:
        unique_together = [("bureau", "year")]
        ordering = ["bureau", "-year"]

    def __str__(self) -> str:
        return f"{self.bureau}{self.year}年公开截止 {self.date:%Y-%m-%d}"


def _batch_file(instance, filename: str) -> str:
    return f"batches/{instance.batch_id}/{instance.pk or 'new'}-{filename}"


class Batch(models.Model):
    """One uploaded zip of departments' published PDF/DOCX disclosures."""

    bureau = models.ForeignKey("web.Bureau", on_delete=models.CASCADE, related_name="batches", verbose_name="财政部门")
    year = models.PositiveIntegerField("年度", null=True, blank=True)
    name = models.CharField("压缩包", max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name="上传人")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def perm_bureau(self):
        return self.bureau

    def __str__(self) -> str:
        return self.name


class Match(models.TextChoices):
    MATCHED = "matched", "已匹配"
    DOUBTFUL = "doubtful", "待确认"
    CONFIRMED = "confirmed", "已确认"
    NONE = "none", "未匹配"


class PublishedFile(models.Model):
    """A file of a batch: matched to a department of the bureau and audited by a job."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="files", verbose_name="压缩包")
    name = models.CharField("文件名", max_length=255)
    file = models.FileField("文件", upload_to=_batch_file)
    title = models.CharField("文件标题", max_length=255, blank=True)
    department = models.ForeignKey("web.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="published_files", verbose_name="部门")
    score = models.FloatField("匹配相似度", default=0.0)
    match = models.CharField("匹配状态", max_length=20, choices=Match.choices, default=Match.NONE)
    matched_on = models.CharField("匹配依据", max_length=255, blank=True)

    class Meta:
        ordering = ["batch", "name"]

    @property
    def perm_bureau(self):
        return self.batch.bureau

    @property
    def needs_confirmation(self) -> bool:
        return self.match in (Match.DOUBTFUL, Match.NONE)

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    RETRYING = "retrying", "等待重试"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class AuditJob(models.Model):
    """The background audit of one published file: progress, status, error text, attempts, result."""

    file = models.OneToOneField(PublishedFile, on_delete=models.CASCADE, related_name="job", verbose_name="文件")
    status = models.CharField("状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    stage = models.CharField("阶段", max_length=100, blank=True)
    error = models.TextField("错误信息", blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)
    task_id = models.CharField("队列任务", max_length=64, blank=True)
    queued_at = models.DateTimeField("排队时间", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    report = models.JSONField("校验报告", null=True, blank=True)
    fatal = models.PositiveIntegerField("错误数", default=0)
    warning = models.PositiveIntegerField("警告数", default=0)
    annotated = models.FileField("标注副本", upload_to="batches/annotated/", blank=True)
    pages = models.JSONField("页面图片", default=list, blank=True, help_text="[{page, image, findings}]")
    picture_note = models.TextField("页面图片说明", blank=True, help_text="为何没有页面图片（如未安装 LibreOffice）")

    @property
    def perm_bureau(self):
        return self.file.batch.bureau

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def __str__(self) -> str:
        return f"{self.file.name}：{self.get_status_display()}"


class RecheckJob(models.Model):
    """Re-checking a bureau's unpublished packages after its rules configuration changed (``jobs.run_recheck_job``):
    run by the worker, not in the request that saved the change; progress is packages done of total."""

    bureau = models.ForeignKey("web.Bureau", on_delete=models.CASCADE, related_name="recheck_jobs", verbose_name="财政部门")
    status = models.CharField("状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField("预算包数", default=0)
    done = models.PositiveIntegerField("已校验", default=0)
    skipped = models.PositiveIntegerField("跳过", default=0, help_text="数据无法读取、未能重新校验的预算包")
    stage = models.CharField("阶段", max_length=200, blank=True)
    error = models.TextField("错误信息", blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)
    task_id = models.CharField("队列任务", max_length=64, blank=True)
    note = models.TextField("起因", blank=True, help_text="触发重新校验的配置修改")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     verbose_name="发起人")
    queued_at = models.DateTimeField("排队时间", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    @property
    def perm_bureau(self):
        return self.bureau

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def progress(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def __str__(self) -> str:
        return f"{self.bureau}重新校验：{self.get_status_display()}"
