"""Published documents made elsewhere (zip upload, matching, background audit jobs with progress,
retry and a time limit) and the bureau's overview (deadline, overdue first, to-do badges, exports).
Jobs run synchronously here (django-q2's sync mode); ``test_real_worker_on_sqlite`` runs a real
``yusuan worker`` process on a SQLite file."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import example_facts

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client, TestCase, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from yusuan.web import jobs, uploads  # noqa: E402
from yusuan.web.models import (AuditJob, AuditLog, Batch, Bureau, Deadline, Department, JobStatus, Match,  # noqa: E402
                               Membership, Package, PublishedFile, Region, Role, State, Unit)

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)
ROOT = Path(__file__).resolve().parents[1]
_RENDERED: dict[str, bytes] = {}


def rendered(fmt: str) -> bytes:
    """The bundled example rendered as its published PDF/DOCX (once per session)."""
    if fmt not in _RENDERED:
        import tempfile

        from yusuan.web.services import render_files

        with tempfile.TemporaryDirectory() as tmp:
            for k, path in render_files(example_facts(), ["pdf", "docx"], Path(tmp)).items():
                _RENDERED[k] = path.read_bytes()
    return _RENDERED[fmt]


def docx_titled(title: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(title)
    d.add_paragraph("本文件没有公开表格。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


class _GbkInfo(zipfile.ZipInfo):
    __slots__ = ()

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def make_zip(members: dict[str, bytes], gbk: bool = False) -> bytes:
    """A zip; ``gbk``: member names stored in GBK without the UTF-8 flag, as Windows' zip tools do."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            info = (_GbkInfo if gbk else zipfile.ZipInfo)(name)
            z.writestr(info, data)
    return buf.getvalue()


class Base(TestCase):
    @classmethod
    def setUpTestData(cls):
        User = get_user_model()
        region = Region.objects.create(name="昌吉州")
        cls.bureau = Bureau.objects.create(region=region, name="昌吉州财政局")
        cls.other = Bureau.objects.create(region=region, name="别处财政局")
        cls.nature = Department.objects.create(bureau=cls.bureau, name="昌吉州自然资源局")
        cls.traffic = Department.objects.create(bureau=cls.bureau, name="昌吉州交通运输局")
        cls.health = Department.objects.create(bureau=cls.bureau, name="昌吉州卫生健康委员会")
        Unit.objects.create(department=cls.health, name="昌吉州疾病预防控制中心")
        Department.objects.create(bureau=cls.other, name="别处教育局")
        cls.users = {}
        for name, role, bureau in (("reviewer", Role.REVIEWER, cls.bureau), ("admin", Role.ADMIN, cls.bureau),
                                   ("publisher", Role.PUBLISHER, cls.bureau), ("far", Role.REVIEWER, cls.other)):
            u = User.objects.create_user(username=name, password="x" * 12)
            Membership.objects.create(user=u, role=role, bureau=bureau)
            cls.users[name] = u

    def client_as(self, name: str) -> Client:
        c = Client()
        c.force_login(self.users[name])
        return c

    def upload(self, data: bytes, name: str = "各部门公开文件.zip", who: str = "reviewer", year: str = "2023"):
        return self.client_as(who).post(reverse("web:bureau_uploads", args=[self.bureau.pk]),
                                        {"archive": SimpleUploadedFile(name, data, content_type="application/zip"),
                                         "year": year})


class Matching(Base):
    def test_names_in_file_name_or_title(self):
        cands = uploads.candidates(self.bureau)
        m = uploads.match(["2023年昌吉州自然资源局部门预算公开", ""], cands)
        self.assertEqual((m.department, m.match), (self.nature, Match.MATCHED))
        # a unit's name leads to its department
        m = uploads.match(["附件2", "昌吉州疾病预防控制中心2023年单位预算"], cands)
        self.assertEqual((m.department, m.match), (self.health, Match.MATCHED))
        # a near miss (a character differs) is proposed but doubtful
        m = uploads.match(["昌吉州自然资源厅2023年部门预算"], cands)
        self.assertEqual((m.department, m.match), (self.nature, Match.DOUBTFUL))
        # nothing alike
        m = uploads.match(["附件3", "说明"], cands)
        self.assertIn(m.match, (Match.NONE, Match.DOUBTFUL))
        self.assertNotEqual(m.match, Match.MATCHED)

    def test_gbk_member_names_are_decoded(self):
        data = make_zip({"昌吉州自然资源局.pdf": rendered("pdf")}, gbk=True)
        names = [n for n, _, _ in uploads.read_zip(data, "x.zip")]
        self.assertEqual(names, ["昌吉州自然资源局.pdf"])


class ZipUpload(Base):
    def test_bad_zip_and_unreadable_member_change_nothing(self):
        before = (Batch.objects.count(), PublishedFile.objects.count(), AuditJob.objects.count())
        response = self.upload(b"not a zip at all")
        self.assertEqual(response.status_code, 400)
        self.assertIn("不是有效的 zip 压缩包", response.content.decode())
        response = self.upload(make_zip({"好的.pdf": rendered("pdf"), "坏的.pdf": b"%PDF-1.4 garbage",
                                         "假的.docx": b"hello", "说明.txt": b"x"}))
        text = response.content.decode()
        self.assertEqual(response.status_code, 400)
        for name in ("坏的.pdf", "假的.docx", "说明.txt"):
            self.assertIn(name, text)
        self.assertNotIn("好的.pdf", text)
        self.assertIn("未作任何更改", text)
        response = self.upload(make_zip({"__MACOSX/._a.pdf": b"x", ".DS_Store": b"x"}))
        self.assertEqual(response.status_code, 400)
        self.assertIn("没有 PDF 或 Word", response.content.decode())
        self.assertEqual((Batch.objects.count(), PublishedFile.objects.count(), AuditJob.objects.count()), before)

    def test_size_limit(self):
        with override_settings(ZIP_MAX_MB=0):
            response = self.upload(make_zip({"a.pdf": rendered("pdf")}))
        self.assertEqual(response.status_code, 400)
        self.assertIn("超过", response.content.decode())

    def test_upload_match_confirm_audit_and_pictures(self):
        data = make_zip({"部门/昌吉州自然资源局2023年部门预算公开.pdf": rendered("pdf"),
                         "部门/附件3.docx": docx_titled("二〇二三年某单位情况"),
                         "部门/资料.docx": rendered("docx")})
        response = self.upload(data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        batch = Batch.objects.get(bureau=self.bureau)
        files = {f.name: f for f in batch.files.select_related("job", "department")}
        pdf, unknown, by_title = files["昌吉州自然资源局2023年部门预算公开.pdf"], files["附件3.docx"], files["资料.docx"]
        self.assertEqual((pdf.department, pdf.match), (self.nature, Match.MATCHED))
        self.assertEqual((by_title.department, by_title.match), (self.nature, Match.MATCHED))  # matched on its title
        self.assertTrue(unknown.needs_confirmation)
        # matched files were audited (sync mode); the unmatched one waits for the reviewer
        self.assertEqual(pdf.job.status, JobStatus.DONE, pdf.job.error)
        self.assertEqual(pdf.job.progress, 100)
        self.assertEqual(unknown.job.status, JobStatus.QUEUED)
        self.assertEqual(unknown.job.attempts, 0)
        self.assertTrue(pdf.job.report["findings"])
        self.assertTrue(pdf.job.pages)
        located = {f["location"]["page"] for f in pdf.job.report["findings"] if (f.get("location") or {}).get("page")}
        self.assertEqual({p["page"] for p in pdf.job.pages}, located)
        c = self.client_as("reviewer")
        page = c.get(reverse("web:batch", args=[batch.pk])).content.decode()
        self.assertIn("待确认", page)
        self.assertIn("确认", page)
        detail = c.get(reverse("web:published_file", args=[pdf.pk])).content.decode()
        first = pdf.job.pages[0]["page"]
        self.assertIn(reverse("web:page_picture", args=[pdf.pk, first]), detail)
        self.assertIn(pdf.job.report["findings"][0]["message"][:20], detail)
        picture = c.get(reverse("web:page_picture", args=[pdf.pk, first]))
        self.assertEqual(picture.status_code, 200)
        self.assertTrue(b"".join(picture.streaming_content).startswith(b"\x89PNG"))
        self.assertEqual(c.get(reverse("web:annotated", args=[pdf.pk])).status_code, 200)
        # another bureau's reviewer sees none of it
        far = self.client_as("far")
        for url in (reverse("web:batch", args=[batch.pk]), reverse("web:published_file", args=[pdf.pk]),
                    reverse("web:page_picture", args=[pdf.pk, first])):
            self.assertEqual(far.get(url).status_code, 403, url)
        # the reviewer picks the department of the unmatched file: it is audited; it prints no tables,
        # so the audit reports what it could not find (or says why it cannot be read) - never a crash
        response = c.post(reverse("web:confirm", args=[unknown.pk]), {"department": self.traffic.pk})
        self.assertEqual(response.status_code, 302)
        unknown.refresh_from_db()
        unknown.job.refresh_from_db()
        self.assertEqual((unknown.department, unknown.match), (self.traffic, Match.CONFIRMED))
        self.assertIn(unknown.job.status, (JobStatus.DONE, JobStatus.FAILED))
        self.assertEqual(unknown.job.attempts, 1)  # an unreadable file is not retried
        if unknown.job.status == JobStatus.FAILED:
            self.assertIn("无法读取", unknown.job.error)
        # a department of another bureau cannot be picked
        c.post(reverse("web:confirm", args=[unknown.pk]), {"department": Department.objects.get(name="别处教育局").pk})
        unknown.refresh_from_db()
        self.assertEqual(unknown.department, self.traffic)


class Jobs(Base):
    def make_job(self) -> AuditJob:
        from django.core.files.base import ContentFile

        batch = Batch.objects.create(bureau=self.bureau, name="a.zip", year=2023)
        f = PublishedFile(batch=batch, name="昌吉州自然资源局.pdf", department=self.nature, match=Match.MATCHED)
        f.file.save(f.name, ContentFile(rendered("pdf")), save=False)
        f.save()
        return AuditJob.objects.create(file=f)

    def test_crash_is_retried_automatically_then_reported_and_retry_button_recovers(self):
        from unittest import mock

        job = self.make_job()
        with mock.patch("yusuan.commands.audit.audit_file", side_effect=RuntimeError("读取器崩溃")):
            job = jobs.enqueue(job)
        from django.conf import settings

        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertEqual(job.attempts, settings.JOB_ATTEMPTS)
        self.assertIn("读取器崩溃", job.error)
        page = self.client_as("reviewer").get(reverse("web:published_file", args=[job.file.pk])).content.decode()
        self.assertIn("读取器崩溃", page)
        response = self.client_as("reviewer").post(reverse("web:retry", args=[job.file.pk]))
        self.assertEqual(response.status_code, 302)
        job.refresh_from_db()
        self.assertEqual((job.status, job.attempts, job.error), (JobStatus.DONE, 1, ""))

    def test_a_hanging_audit_is_stopped_at_the_time_limit(self):
        from unittest import mock

        job = self.make_job()
        with override_settings(JOB_TIMEOUT=1, JOB_ATTEMPTS=2), \
                mock.patch("yusuan.commands.audit.audit_file", side_effect=lambda *a, **k: time.sleep(30)):
            started = time.monotonic()
            job = jobs.enqueue(job)
            elapsed = time.monotonic() - started
        self.assertLess(elapsed, 15)
        self.assertEqual((job.status, job.attempts), (JobStatus.FAILED, 2))
        self.assertIn("时限", job.error)

    def test_vanished_worker_is_reaped(self):
        job = self.make_job()
        from django.conf import settings

        AuditJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=settings.JOB_ATTEMPTS,
                                                  started_at=timezone.now() - timedelta(days=1))
        self.assertEqual(jobs.reap_stale(), 1)
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertIn("时限", job.error)


class DocxPictures(Base):
    """An uploaded DOCX gets page pictures too: LibreOffice converts the annotated copy to PDF, its
    comments (exported as PDF notes) tell on which page each finding is."""

    def make_job(self) -> AuditJob:
        from django.core.files.base import ContentFile

        batch = Batch.objects.create(bureau=self.bureau, name="a.zip", year=2023)
        f = PublishedFile(batch=batch, name="昌吉州自然资源局.docx", department=self.nature, match=Match.MATCHED)
        f.file.save(f.name, ContentFile(rendered("docx")), save=False)
        f.save()
        return AuditJob.objects.create(file=f)

    @pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice (soffice) not installed")
    def test_docx_findings_on_page_pictures(self):
        job = jobs.enqueue(self.make_job())
        self.assertEqual(job.status, JobStatus.DONE, job.error)
        located = {n for n, f in enumerate(job.report["findings"], start=1)
                   if (f.get("location") or {}).get("cell") or (f.get("location") or {}).get("paragraph")}
        self.assertTrue(job.pages, job.picture_note)
        on_pictures = {n for p in job.pages for n in p["findings"]}
        self.assertTrue(on_pictures, "the notes name the findings")
        self.assertLessEqual(on_pictures, located)  # only findings that were marked in the Word file
        c = self.client_as("reviewer")
        first = job.pages[0]["page"]
        detail = c.get(reverse("web:published_file", args=[job.file.pk])).content.decode()
        self.assertIn(reverse("web:page_picture", args=[job.file.pk, first]), detail)
        picture = c.get(reverse("web:page_picture", args=[job.file.pk, first]))
        self.assertTrue(b"".join(picture.streaming_content).startswith(b"\x89PNG"))

    def test_without_libreoffice_the_page_says_so(self):
        from unittest import mock

        with mock.patch("yusuan.web.docx_pictures.soffice", return_value=None):
            job = jobs.enqueue(self.make_job())
        self.assertEqual(job.status, JobStatus.DONE, job.error)  # the audit itself did not fail
        self.assertEqual(job.pages, [])
        detail = self.client_as("reviewer").get(reverse("web:published_file", args=[job.file.pk])).content.decode()
        self.assertIn("未安装 LibreOffice", detail)
        self.assertIn(job.report["findings"][0]["message"][:20], detail)


class Overview(Base):
    def test_rows_overdue_first_deadline_badges_and_exports(self):
        from yusuan.web import workflow

        today = timezone.localdate()
        late = Package.objects.create(department=self.traffic, year=2023, state=State.SUBMITTED)
        done = Package.objects.create(department=self.nature, year=2023)
        workflow.store_facts(done, None, example_facts(), "test")
        # no deadline yet: nobody is overdue; the admin sets one in the past
        admin = self.client_as("admin")
        response = admin.post(reverse("web:deadline", args=[self.bureau.pk]),
                              {"year": "2023", "date": (today - timedelta(days=3)).isoformat()})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Deadline.objects.get(bureau=self.bureau, year=2023).date, today - timedelta(days=3))
        late.refresh_from_db()
        self.assertEqual(late.deadline, today - timedelta(days=3))
        self.assertTrue(AuditLog.objects.filter(package=late, action="deadline").exists())
        self.assertEqual(self.client_as("reviewer").post(reverse("web:deadline", args=[self.bureau.pk]),
                                                         {"year": "2023", "date": today.isoformat()}).status_code, 403)
        page = self.client_as("reviewer").get(reverse("web:overview", args=[self.bureau.pk]) + "?year=2023").content.decode()
        self.assertIn("待审核", page)
        self.assertIn("逾期 3 天", page)
        self.assertIn("昌吉州疾病预防控制中心", page)  # the tree shows units
        self.assertIn('class="badge"', page)
        # CSV: every department, overdue first; a department without checked data has blank counts
        response = self.client_as("publisher").get(reverse("web:overview_export", args=[self.bureau.pk, "csv"]) + "?year=2023")
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:4], ["部门", "部门编码", "年度", "状态"])
        self.assertEqual(len(rows), 4)
        overdue = [r[9] for r in rows[1:]]
        self.assertEqual(overdue, sorted(overdue, key=lambda v: v != "是"))
        traffic = next(r for r in rows if r[0] == "昌吉州交通运输局")
        self.assertEqual((traffic[4], traffic[5]), ("", ""))  # unknown, not zero
        nature = next(r for r in rows if r[0] == "昌吉州自然资源局")
        self.assertEqual(int(nature[4]), Package.objects.get(pk=done.pk).fatal)
        health = next(r for r in rows if r[0] == "昌吉州卫生健康委员会")
        self.assertEqual((health[3], health[9]), ("未建立", "是"))
        response = self.client_as("admin").get(reverse("web:overview_export", args=[self.bureau.pk, "xlsx"]) + "?year=2023")
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(ws.max_row, 4)
        self.assertEqual(ws.cell(1, 1).value, "部门")
        self.assertEqual(self.client_as("far").get(reverse("web:overview", args=[self.bureau.pk])).status_code, 403)


SETUP = r"""
import django, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "yusuan.web.settings"
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.core.files.base import ContentFile
from yusuan.web.models import AuditJob, Batch, Bureau, Department, Match, PublishedFile, Region
from yusuan.web import jobs
b = Bureau.objects.create(region=Region.objects.create(name="r"), name="b")
d = Department.objects.create(bureau=b, name="昌吉州自然资源局")
batch = Batch.objects.create(bureau=b, name="a.zip")
f = PublishedFile(batch=batch, name="a.pdf", department=d, match=Match.MATCHED)
f.file.save("a.pdf", ContentFile(open(sys.argv[1], "rb").read()), save=False)
f.save()
job = jobs.enqueue(AuditJob.objects.create(file=f))
print(job.pk, job.status)
"""


def test_real_worker_on_sqlite(tmp_path):
    """``yusuan worker`` (a real django-q2 cluster, database broker) picks the queued job up and finishes it."""
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(rendered("pdf"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "YUSUAN_JOBS_SYNC", "DJANGO_SETTINGS_MODULE")}
    env.update(PYTHONPATH=str(ROOT / "src"), YUSUAN_DATA=str(tmp_path / "data"), YUSUAN_PUBLISH_FORMATS="xlsx")
    done = subprocess.run([sys.executable, "-c", SETUP, str(pdf)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    job_id, status = done.stdout.split()[-2:]
    assert status == "queued"
    worker = subprocess.Popen([sys.executable, "-c", "from yusuan.cli import main; main()", "worker"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        db = sqlite3.connect(tmp_path / "data" / "yusuan.sqlite3", timeout=30)
        row = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            row = db.execute("select status, progress, attempts, fatal + warning from web_auditjob where id = ?",
                             (int(job_id),)).fetchone()
            if row[0] in ("done", "failed"):
                break
            time.sleep(0.5)
        db.close()
    finally:
        worker.terminate()
        try:
            out, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, _ = worker.communicate()
    assert row is not None and row[0] == "done", (row, out[-3000:])
    assert row[1] == 100 and row[2] == 1 and row[3] > 0
    assert "后台任务进程" in out
