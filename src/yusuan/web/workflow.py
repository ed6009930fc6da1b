"""State changes of a package, each recorded in the audit log (who, when, what, old → new).

A transition the state does not allow, or a submission with fatal findings, raises ``Refused`` with
the Chinese reason; nothing is changed then. Rights are checked by the views (``perms``) before.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction

from yusuan.web import perms, services
from yusuan.web.models import AuditLog, Comment, Package, State, Version


class Refused(Exception):
    """A transition that cannot happen now; the message is for the user (Chinese)."""


def log(user, action: str, package: Package | None, field: str = "", old="", new="", note: str = "") -> None:
    AuditLog.objects.create(user=user if user and user.is_authenticated else None, action=action, package=package,
                            field=field, old=str(old), new=str(new), note=note)


def _need_state(package: Package, action: str, verb: str) -> None:
    if not perms.state_allows(package, action):
        raise Refused(f"当前状态为“{package.get_state_display()}”，不能{verb}")


def _set_state(package: Package, user, new: str, action: str, note: str = "") -> None:
    old = package.get_state_display()
    package.state = new
    package.revision += 1
    package.save()
    log(user, action, package, "state", old, package.get_state_display(), note)


@transaction.atomic
def store_facts(package: Package, user, facts, source_name: str, action: str = "upload") -> services.Checked:
    """New facts (already read) for the package: checked at once (as its bureau configured the checks),
    stored with their report."""
    from yusuan.web.rulesconfig import check_for

    checked = check_for(package, facts)
    old = f"{package.source_name or '（无）'}；错误 {package.fatal}，警告 {package.warning}"
    package.facts, package.report, package.tables = checked.facts, checked.report, checked.tables
    package.fatal, package.warning, package.source_name = checked.fatal, checked.warning, source_name
    package.revision += 1
    if package.state == State.PUBLISHED:  # a correction starts: the published version stays as it is
        package.state = State.DRAFT
        log(user, "correct", package, "state", "已发布", "草稿", "上传新数据，开始更正已发布的版本")
    package.save()
    log(user, action, package, "facts", old, f"{source_name}；错误 {checked.fatal}，警告 {checked.warning}")
    return checked


def upload(package: Package, user, uploaded) -> services.Checked:
    _need_state(package, perms.UPLOAD, "上传")
    facts = services.read_upload(uploaded, package.phase)  # InputError: nothing has been changed
    name = Path(uploaded.name).name
    kind = "final" if services.is_final(facts) else "budget"
    if kind != package.phase:  # the reader tells the two layouts apart by the final workbook's marker sheet
        raise Refused(f"“{name}”是{services.WORKBOOK_ZH[kind]}，本{package.stage_zh}包应上传"
                      f"{services.WORKBOOK_ZH[package.phase]}（可在本页下载），未作更改")
    if facts.unit.budget_year != package.year:
        raise Refused(f"工作簿的{package.stage_zh}年度为 {facts.unit.budget_year} 年，本{package.stage_zh}包为 "
                      f"{package.year} 年，未作更改")
    return store_facts(package, user, facts, name)



@transaction.atomic
def submit(package: Package, user) -> None:
    _need_state(package, perms.SUBMIT, "提交")
    if package.facts is None:
        raise Refused(f"尚未上传{package.stage_zh}数据，不能提交")
    if package.fatal:
        raise Refused(f"校验有 {package.fatal} 个错误（按本财政局的校验规则配置），须先改正才能提交")
    from yusuan.web.carryover import not_updated

    prev = not_updated(package)
    if prev is not None:
        raise Refused(f"本年各项金额与{prev.package.year}年已发布的第{prev.number}版完全相同：结转后尚未按本年预算更新，不能提交")
    _set_state(package, user, State.SUBMITTED, "submit")


@transaction.atomic
def return_(package: Package, user, text: str, table: str = "", row: str = "", cell: str = "") -> None:
    _need_state(package, perms.RETURN, "退回")
    if not text.strip():
        raise Refused("退回时须填写意见")
    Comment.objects.create(package=package, author=user, text=text.strip(), table=table, row=row, cell=cell)
    _set_state(package, user, State.RETURNED, "return", text.strip())


@transaction.atomic
def approve(package: Package, user) -> None:
    _need_state(package, perms.APPROVE, "审核通过")
    if package.fatal:
        raise Refused(f"校验有 {package.fatal} 个错误，不能审核通过")
    _set_state(package, user, State.APPROVED, "approve")


def publish(package: Package, user, reason: str = "") -> Version:
    """Render the files and store the immutable version; a correction (not the first version) needs a reason."""
    _need_state(package, perms.PUBLISH, "发布")
    previous = package.latest_version
    if previous is not None and not reason.strip():
        raise Refused(f"已发布过第{previous.number}版：发布更正版本须说明更正原因")
    facts = services.facts_of(package.facts)
    with tempfile.TemporaryDirectory(prefix="yusuan-publish-") as tmp:
        from yusuan.web.rulesconfig import settings_of

        files = services.render_files(facts, settings.PUBLISH_FORMATS, Path(tmp),
                                      check_settings=settings_of(package.department.bureau_id)[0])
        with transaction.atomic():
            locked = Package.objects.select_for_update().get(pk=package.pk)
            if locked.state != State.APPROVED or locked.revision != package.revision:
                raise Refused("预算包已被他人更改，请刷新页面后重试")
            number = (previous.number if previous else 0) + 1
            version = Version(package=locked, number=number, facts=locked.facts, report=locked.report,
                              tables=locked.tables, reason=reason.strip(), published_by=user)
            handles = []
            for fmt, path in files.items():
                if fmt in ("docx", "pdf", "xlsx"):
                    handle = path.open("rb")
                    handles.append(handle)
                    getattr(version, fmt).save(path.name, File(handle), save=False)
            version.save()
            for handle in handles:
                handle.close()
            _set_state(locked, user, State.PUBLISHED, "publish", f"第{number}版" + (f"；更正原因：{reason.strip()}" if reason.strip() else ""))
    package.refresh_from_db()
    return version


def comment(package: Package, user, text: str, table: str = "", row: str = "", cell: str = "") -> Comment:
    if not text.strip():
        raise Refused("意见不能为空")
    c = Comment.objects.create(package=package, author=user, text=text.strip(), table=table, row=row, cell=cell)
    log(user, "comment", package, "comment", "", text.strip(), c.place)
    return c
