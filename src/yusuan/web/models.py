"""Organisation, roles, packages, published versions, comments and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Region(models.Model):
    name = models.CharField("地区", max_length=100, unique=True)

    def __str__(self) -> str:
        return self.name


class Bureau(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="bureaus", verbose_name="地区")
    name = models.CharField("财政部门", max_length=100)

    class Meta:
        unique_together = [("region", "name")]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="departments", verbose_name="财政部门")
    name = models.CharField("部门", max_length=200)
    code = models.CharField("部门编码", max_length=40, blank=True)

    class Meta:
        unique_together = [("bureau", "name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="units", verbose_name="部门")
    name = models.CharField("单位", max_length=200)
    code = models.CharField("单位编码", max_length=40, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
                               verbose_name="上级单位")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PREPARER = "preparer", "部门填报人"
    HEAD = "head", "部门负责人"
    REVIEWER = "reviewer", "财政审核人"
    PUBLISHER = "publisher", "发布人"
    ADMIN = "admin", "管理员"


class Membership(models.Model):
    """A user's role and scope: a department (preparer, head) or a bureau (reviewer, publisher, admin)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE, verbose_name="部门")
    bureau = models.ForeignKey(Bureau, null=True, blank=True, on_delete=models.CASCADE, verbose_name="财政部门")

    def __str__(self) -> str:
        return f"{self.user.username}（{self.get_role_display()}）"


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "退回"
    APPROVED = "approved", "审核通过"
    PUBLISHED = "published", "已发布"


class Package(models.Model):
    """A department's budget package of one year, as it is being prepared (the working copy)."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="packages", verbose_name="部门")
    year = models.PositiveIntegerField("预算年度")
    # a department publishes a budget and, after the year, a final account of the same year
    phase = models.CharField("阶段", max_length=10, default="budget", help_text="budget 预算；final 决算")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    facts = models.JSONField("预算数据", null=True, blank=True, help_text="BudgetPackage.model_dump(mode='json')")
    report = models.JSONField("校验报告", null=True, blank=True, help_text="rules.report.to_dict")
    tables = models.JSONField("表格视图", null=True, blank=True, help_text="rules.report table views")
    fatal = models.PositiveIntegerField("错误数", default=0)
    warning = models.PositiveIntegerField("警告数", default=0)
    deadline = models.DateField("公开截止日期", null=True, blank=True)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    revision = models.PositiveIntegerField("修订号", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        unique_together = [("department", "year", "phase")]
        ordering = ["department__name", "-year"]

    def __str__(self) -> str:
        return f"{self.department.name}{self.year}年部门{'决算' if self.phase == 'final' else '预算'}"

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()

    @property
    def is_final(self) -> bool:
        return self.phase == "final"

    @property
    def phase_zh(self) -> str:
        return "部门决算" if self.is_final else "部门预算"

    @property
    def stage_zh(self) -> str:
        """预算 or 决算: the word in 预算包/决算包, 预算数据/决算数据."""
        return "决算" if self.is_final else "预算"


class ImmutableError(Exception):
    pass


def _version_file(instance: "Version", filename: str) -> str:
    return f"versions/{instance.package_id}/{instance.number}/{filename}"


class Version(models.Model):
    """A published version: written once, never changed or deleted."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="versions", verbose_name="预算包")
    number = models.PositiveIntegerField("版本号")
    facts = models.JSONField("预算数据")
    report = models.JSONField("校验报告")
    tables = models.JSONField("表格视图", null=True, blank=True)
    docx = models.FileField("Word", upload_to=_version_file, blank=True)
    pdf = models.FileField("PDF", upload_to=_version_file, blank=True)
    xlsx = models.FileField("Excel", upload_to=_version_file, blank=True)
    reason = models.TextField("更正原因", blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name="发布人")
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    # denormalised from the facts when the version is written (the portal's browse and search)
    phase = models.CharField("阶段", max_length=10, default="budget", help_text="budget 预算；final 决算")
    search_text = models.TextField("检索文本", blank=True, help_text="部门、单位、项目名称和功能分类（代码与名称）")

    class Meta:
        unique_together = [("package", "number")]
        ordering = ["package", "-number"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("已发布的版本不可修改")
        from yusuan.web.search import phase_of, search_text

        self.phase = phase_of(self.facts)
        self.search_text = search_text(self.package, self.facts)
        super().save(*args, **kwargs)

    @property
    def phase_zh(self) -> str:
        return "部门决算" if self.phase == "final" else "部门预算"

    def delete(self, *args, **kwargs):
        raise ImmutableError("已发布的版本不可删除")

    def __str__(self) -> str:
        return f"{self.package} 第{self.number}版"


class Comment(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="comments", verbose_name="预算包")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name="作者")
    table = models.CharField("表", max_length=100, blank=True)
    row = models.CharField("行", max_length=200, blank=True)
    cell = models.CharField("列/单元格", max_length=100, blank=True)
    text = models.TextField("意见")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def place(self) -> str:
        return " ".join(p for p in (self.table, self.row and f"“{self.row}”行", self.cell and f"“{self.cell}”列") if p)


class AuditLog(models.Model):
    """Every change: who, when, what, old → new."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="用户")
    at = models.DateTimeField("时间", auto_now_add=True)
    action = models.CharField("操作", max_length=40)
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.SET_NULL, related_name="log")
    # the bureau a change of the bureau's own settings belongs to (rules configuration, organisation import)
    bureau = models.ForeignKey(Bureau, null=True, blank=True, on_delete=models.SET_NULL, related_name="log",
                               verbose_name="财政部门")
    field = models.CharField("字段", max_length=100, blank=True)
    old = models.TextField("原值", blank=True)
    new = models.TextField("新值", blank=True)
    note = models.TextField("说明", blank=True)

    ACTIONS = {"upload": "上传数据", "demo": "载入演示数据", "correct": "开始更正", "submit": "提交", "return": "退回",
               "approve": "审核通过", "publish": "发布", "comment": "意见", "deadline": "设定公开截止日期",
               "grid": "网页编辑",
               "create": "新建年度预算包", "approval": "设定批复日期", "org_import": "导入组织机构", "rule_config": "校验规则配置"}
    FIELDS = {"facts": "预算数据", "state": "状态", "comment": "意见", "deadline": "公开截止日期", "approval": "批复日期",
              "organisation": "组织机构"}

    class Meta:
        ordering = ["-at", "-id"]

    def get_action_display(self) -> str:
        return self.ACTIONS.get(self.action, self.action)

    @property
    def field_zh(self) -> str:
        return self.FIELDS.get(self.field, self.field)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("审计记录不可修改")
        super().save(*args, **kwargs)


# the bureau's deadlines, uploaded batches and audit jobs (web/jobmodels.py)
from yusuan.web.jobmodels import AuditJob, Batch, Deadline, JobStatus, Match, PublishedFile, RecheckJob  # noqa: E402,F401
# the stored disclosure-quality score of each published version (web/qualitymodels.py)
from yusuan.web.qualitymodels import ApprovalDate, VersionScore  # noqa: E402,F401
# the bureau's configuration of the checks (web/configmodels.py)
from yusuan.web.configmodels import RuleSetting  # noqa: E402,F401
