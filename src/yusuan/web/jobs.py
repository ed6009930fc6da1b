"""Background audit jobs: a database-backed queue (django-q2, ORM broker), no threads in the web process.

``enqueue(job)`` puts the audit of one uploaded published file on the queue; a worker process
(``yusuan worker``, or the child process ``yusuan serve`` starts) runs ``run_audit_job``:

- progress and stage are written to the ``AuditJob`` row as the audit goes (the page polls it);
- a file that cannot be read ends the job as 失败 with the reader's Chinese message (retrying an
  unreadable file is pointless);
- an unexpected crash is recorded and re-raised: the queue delivers the task again after
  ``Q_CLUSTER['retry']`` seconds, up to ``JOB_ATTEMPTS`` runs (``attempts`` counts them, so a
  worker killed in the middle of a run also counts);
- a run longer than ``JOB_TIMEOUT`` is stopped by the worker's alarm, or its process killed;
  ``reap_stale`` marks a job whose worker vanished without a word as failed;
- the reviewer's 重试 button (``retry``) starts the job afresh.

The audit itself is ``yusuan.commands.audit.audit_file`` and the annotated copy is
``yusuan.annotate.annotate_file``: nothing here decides what is wrong with a document.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import traceback
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from yusuan.web.jobmodels import AuditJob, JobStatus

log = logging.getLogger("yusuan.jobs")

MAX_PAGE_PICTURES = 60   # pages of one file drawn as pictures (those with findings first)
PICTURE_SCALE = 1.5      # 108 dpi: readable numbers, small files


def sync_mode() -> bool:
    return bool(settings.Q_CLUSTER.get("sync"))


def enqueue(job: AuditJob, *, fresh: bool = False) -> AuditJob:
    """Queue ``job`` (``fresh``: forget earlier attempts — the reviewer's retry)."""
    from django_q.exceptions import TimeoutException
    from django_q.tasks import async_task

    job.status, job.progress, job.stage = JobStatus.QUEUED, 0, "排队等待"
    job.queued_at, job.started_at, job.finished_at = timezone.now(), None, None
    if fresh:
        job.attempts, job.error = 0, ""
    job.save()
    sync = sync_mode()
    while True:
        try:
            job.task_id = str(async_task("yusuan.web.jobs.run_audit_job", job.pk, task_name=f"audit-{job.pk}-{job.attempts}",
                                         timeout=settings.JOB_TIMEOUT, sync=sync))[:64]
        except (Exception, TimeoutException):  # noqa: BLE001 - sync mode only: the run recorded its error on the job
            if not sync:
                raise
        if not sync:
            AuditJob.objects.filter(pk=job.pk).update(task_id=job.task_id)
            break
        job.refresh_from_db()
        if job.status != JobStatus.RETRYING:  # sync mode has no redelivery: retry here as the queue would
            break
    job.refresh_from_db()
    return job


def retry(job: AuditJob) -> AuditJob:
    return enqueue(job, fresh=True)


def _set(job: AuditJob, progress: int, stage: str) -> None:
    job.progress, job.stage = progress, stage
    AuditJob.objects.filter(pk=job.pk).update(progress=progress, stage=stage)


def run_audit_job(job_id: int) -> str:
    """The task the worker runs (also called directly in sync mode)."""
    from django_q.exceptions import TimeoutException

    # (the worker closes stale connections before each task itself; closing here would end a sync-mode caller's transaction)
    job = AuditJob.objects.select_related("file", "file__batch").filter(pk=job_id).first()
    if job is None or job.status == JobStatus.DONE:
        return "gone"
    if job.attempts >= settings.JOB_ATTEMPTS:  # delivered again after the last allowed run was killed
        _fail(job, job.error or f"已运行 {job.attempts} 次仍未完成，已停止（可能超过时限 {settings.JOB_TIMEOUT} 秒被终止）")
        return "given up"
    job.attempts += 1
    job.status, job.started_at, job.finished_at = JobStatus.RUNNING, timezone.now(), None
    job.save(update_fields=["attempts", "status", "started_at", "finished_at"])
    try:
        _audit(job)
    except TimeoutException:
        _crashed(job, f"运行超过时限 {settings.JOB_TIMEOUT} 秒，已终止")
        raise
    except Exception as exc:  # noqa: BLE001 - recorded on the job, then handed to the queue for redelivery
        log.error("audit job %s crashed:\n%s", job_id, traceback.format_exc())
        _crashed(job, f"审核程序出错（{type(exc).__name__}：{exc}）")
        raise
    return "done"


def _crashed(job: AuditJob, text: str) -> None:
    last = job.attempts >= settings.JOB_ATTEMPTS
    job.error = f"第 {job.attempts} 次运行：{text}" + ("" if last else "；将自动重试")
    job.status = JobStatus.FAILED if last else JobStatus.RETRYING
    job.finished_at = timezone.now()
    job.save(update_fields=["error", "status", "finished_at"])


def _fail(job: AuditJob, text: str) -> None:
    job.status, job.error, job.finished_at = JobStatus.FAILED, text, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def _audit(job: AuditJob) -> None:
    from yusuan.annotate import annotate_file
    from yusuan.commands.audit import audit_file
    from yusuan.errors import InputError
    from yusuan.rules.report import to_dict

    f = job.file
    with tempfile.TemporaryDirectory(prefix="yusuan-job-") as tmp:
        source = Path(tmp) / Path(f.name).name
        with f.file.open("rb") as src:
            source.write_bytes(src.read())
        _set(job, 10, "读取文件")
        try:
            report = audit_file(source)
        except InputError as exc:
            job.progress = 100
            job.stage = ""
            _fail(job, f"文件无法读取：{exc}")
            AuditJob.objects.filter(pk=job.pk).update(progress=100, stage="")
            return
        _set(job, 60, "标注问题位置")
        data = to_dict(report)
        stats = report.stats()["by_severity"]
        annotated = annotate_file(source, report.findings, Path(tmp) / "annotated")
        pages: list[dict] = []
        job.picture_note = ""
        if annotated is not None:
            _set(job, 75, "生成页面图片")
            target, _marked = annotated
            if job.annotated:
                job.annotated.delete(save=False)
            job.annotated.save(f"{job.pk}-{target.name}", ContentFile(target.read_bytes()), save=False)
            if target.suffix.lower() == ".pdf":
                pages = _pictures(job, target, report.findings)
            elif target.suffix.lower() == ".docx":
                pages = _docx_pictures(job, target, Path(tmp))
        job.report, job.fatal, job.warning, job.pages = data, stats["fatal"], stats["warning"], pages
        if report.disclosure is not None and report.disclosure.title and not f.title:
            f.title = report.disclosure.title[:255]
            f.save(update_fields=["title"])
        job.status, job.progress, job.stage, job.error = JobStatus.DONE, 100, "", ""
        job.finished_at = timezone.now()
        job.save()


def _docx_pictures(job: AuditJob, docx: Path, workdir: Path) -> list[dict]:
    """An annotated DOCX: converted to PDF by LibreOffice (its comments become PDF notes that name the
    findings' numbers, ``web.docx_pictures``), then drawn as a PDF's pages. Without LibreOffice, or
    when it fails, no pictures and the reason on the job (shown on the file's page)."""
    from yusuan.web import docx_pictures

    _set(job, 80, "转换 Word 文件为 PDF")
    try:
        pdf = docx_pictures.convert(docx, workdir)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        job.picture_note = f"LibreOffice 未能把 Word 文件转换为 PDF（{str(exc)[:200]}），无法生成页面图片：请下载标注副本查看。"
        return []
    if pdf is None:
        job.picture_note = docx_pictures.NO_LIBREOFFICE
        return []
    notes = docx_pictures.notes_by_page(pdf)
    on_page = {page: sorted(n for n, _ in found) for page, found in notes.items()}
    return _pictures(job, pdf, [], on_page=on_page, notes=notes)


def _pictures(job: AuditJob, pdf: Path, findings, on_page: dict[int, list[int]] | None = None,
              notes: dict | None = None) -> list[dict]:
    """Pictures of the annotated copy's pages (pdfium draws its boxes and numbers): the pages that
    carry located findings, at most MAX_PAGE_PICTURES. ``on_page``: page → finding numbers, when the
    findings' own locations carry no page (a Word file); ``notes``: numbers to write beside its notes."""
    import io

    import pypdfium2 as pdfium

    from yusuan.annotate import numbered

    if on_page is None:
        on_page = {}
        for n, f in numbered(findings):
            if f.location is not None and f.location.page:
                on_page.setdefault(f.location.page, []).append(n)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        wanted = [p for p in sorted(on_page) if 1 <= p <= len(doc)][:MAX_PAGE_PICTURES]
        storage = job.annotated.storage
        out = []
        for page_no in wanted:
            page = doc[page_no - 1]
            image = page.render(scale=PICTURE_SCALE, draw_annots=True).to_pil()
            if notes and notes.get(page_no):
                from yusuan.web.docx_pictures import label

                image = label(image.convert("RGB"), notes[page_no], page.get_height(), PICTURE_SCALE)
            buf = io.BytesIO()
            image.convert("RGB").save(buf, format="PNG", optimize=True)
            name = storage.save(f"batches/pages/{job.pk}/a{job.attempts}-p{page_no}.png", ContentFile(buf.getvalue()))
            out.append({"page": page_no, "image": name, "findings": on_page[page_no]})
        return out
    finally:
        doc.close()


def reap_stale(queryset=None) -> int:
    """Jobs marked running whose run is far past the time limit (the worker was killed or vanished,
    and no redelivery is left): failed, so the reviewer sees it and can retry."""
    limit = timezone.now() - timedelta(seconds=settings.Q_CLUSTER["retry"] * 2)
    qs = (queryset if queryset is not None else AuditJob.objects.all()).filter(
        status__in=[JobStatus.RUNNING, JobStatus.RETRYING, JobStatus.QUEUED], attempts__gte=settings.JOB_ATTEMPTS)
    n = 0
    for job in qs.filter(started_at__lt=limit):
        _fail(job, job.error or f"运行超过时限 {settings.JOB_TIMEOUT} 秒，工作进程已终止")
        n += 1
    return n


# ------------------------------------------------------------------ re-checking after a rules configuration change

def enqueue_recheck(bureau, user=None, note: str = ""):
    """Queue the re-check of ``bureau``'s unpublished packages (``rulesconfig.recheck``) and return its job.

    A job of the bureau still waiting in the queue is reused rather than a second one added: it has not
    read the configuration yet, so when it runs it checks with the newest one (its note lists each change)."""
    from django.db import transaction
    from django_q.exceptions import TimeoutException
    from django_q.tasks import async_task

    from yusuan.web.jobmodels import RecheckJob
    from yusuan.web.rulesconfig import to_recheck

    who = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        waiting = RecheckJob.objects.select_for_update().filter(bureau=bureau, status=JobStatus.QUEUED, started_at=None).first()
        if waiting is not None:
            waiting.note = "\n".join(x for x in (waiting.note, note) if x)
            waiting.save(update_fields=["note"])
            return waiting
        job = RecheckJob.objects.create(bureau=bureau, requested_by=who, note=note, queued_at=timezone.now(),
                                        total=to_recheck(bureau).count(), stage="排队等待")
    sync = sync_mode()
    try:
        task = async_task("yusuan.web.jobs.run_recheck_job", job.pk, task_name=f"recheck-{job.pk}",
                          timeout=settings.JOB_TIMEOUT, sync=sync)
        if not sync:
            RecheckJob.objects.filter(pk=job.pk).update(task_id=str(task)[:64])
    except (Exception, TimeoutException):  # noqa: BLE001 - sync mode only: the run recorded its error on the job
        if not sync:
            raise
    job.refresh_from_db()
    return job


def run_recheck_job(job_id: int) -> str:
    """The task the worker runs: every unpublished package of the bureau checked again, progress on the job."""
    from yusuan.web.grid import origins_for
    from yusuan.web.jobmodels import RecheckJob
    from yusuan.web.rulesconfig import recheck

    job = RecheckJob.objects.select_related("bureau").filter(pk=job_id).first()
    if job is None or job.status == JobStatus.DONE:
        return "gone"
    if job.attempts >= settings.JOB_ATTEMPTS:  # delivered again after the last allowed run was killed
        job.status, job.finished_at = JobStatus.FAILED, timezone.now()
        job.error = job.error or f"已运行 {job.attempts} 次仍未完成，已停止"
        job.save(update_fields=["status", "finished_at", "error"])
        return "given up"
    job.attempts += 1
    job.status, job.started_at, job.finished_at, job.done, job.skipped = JobStatus.RUNNING, timezone.now(), None, 0, 0
    job.stage = "重新校验"
    job.save(update_fields=["attempts", "status", "started_at", "finished_at", "done", "skipped", "stage"])

    def progress(done: int, total: int, skipped: int) -> None:
        RecheckJob.objects.filter(pk=job.pk).update(done=done, total=total, skipped=skipped,
                                                     stage=f"已校验 {done} / {total} 个预算包")

    try:
        n = recheck(job.bureau, origins=origins_for, progress=progress)
    except Exception as exc:  # noqa: BLE001 - recorded on the job, then handed to the queue for redelivery
        log.error("recheck job %s crashed:\n%s", job_id, traceback.format_exc())
        last = job.attempts >= settings.JOB_ATTEMPTS
        RecheckJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED if last else JobStatus.RETRYING, finished_at=timezone.now(),
            error=f"第 {job.attempts} 次运行：重新校验出错（{type(exc).__name__}：{exc}）" + ("" if last else "；将自动重试"))
        raise
    job.refresh_from_db()
    job.status, job.finished_at, job.error = JobStatus.DONE, timezone.now(), ""
    job.stage = f"已重新校验 {n} 个预算包" + (f"，{job.skipped} 个未能校验（已发布或数据无法读取）" if job.skipped else "")
    job.save(update_fields=["status", "finished_at", "error", "stage"])
    return "done"
