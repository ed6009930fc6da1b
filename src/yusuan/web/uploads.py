"""Published documents made elsewhere: a bureau's reviewer uploads a zip of its departments' PDF/DOCX
disclosures; each file is matched to a department by name and audited as a background job
(``yusuan.web.jobs``), its findings shown on the pictures of the annotated pages.

A zip that cannot be opened, or any file in it that cannot be used, changes nothing: the page says
which file and why. Matching uses the file name and the document's first lines (its title) against
the names of the bureau's departments and their units (difflib); a match below ``MATCH_THRESHOLD``
is 待确认 and the reviewer confirms it or picks the department before it is audited.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from yusuan.web import jobs, perms
from yusuan.web.jobmodels import AuditJob, Batch, JobStatus, Match, PublishedFile
from yusuan.web.models import Bureau, Department
from yusuan.web.views import guard

MATCH_THRESHOLD = 0.9    # at or above: matched; below: the reviewer confirms (教育局 vs 体育局 is 0.83)
AMBIGUOUS_MARGIN = 0.05  # two departments this close: the reviewer decides
KINDS = {".pdf": "PDF", ".docx": "Word"}
MAX_FILES = 500

# words every disclosure's name carries: not part of a department's name
_BOILERPLATE = re.compile(
    r"(19|20)\d{2}\s*年?度?|部门预算|单位预算|部门决算|单位决算|预算公开|决算公开|信息公开|公开说明|公开|"
    r"预算|决算|说明|情况|附件\s*\d*|报告|文本|定稿|终稿|最终版|修订版|（[^）]*版）|\([^)]*版\)|[0-9]+$")
_PUNCT = re.compile(r"[\s_\-—–·.,，。、:：;；!！?？()（）\[\]【】《》<>\"'“”‘’#+=&]+")


def normalise(text: str) -> str:
    text = _BOILERPLATE.sub(" ", text or "")
    return _PUNCT.sub("", text)


@dataclass
class Candidate:
    department: Department
    name: str   # the department's or one of its units' names


@dataclass
class Matched:
    department: Department | None
    score: float
    match: str
    on: str = ""
    ranking: list[tuple[float, str]] = field(default_factory=list)


def candidates(bureau: Bureau) -> list[Candidate]:
    out = []
    for d in bureau.departments.prefetch_related("units"):
        out.append(Candidate(d, d.name))
        out.extend(Candidate(d, u.name) for u in d.units.all() if u.name.strip())
    return out


def _score(name: str, text: str) -> float:
    n, t = normalise(name), normalise(text)
    if not n or not t:
        return 0.0
    if n in t:  # the whole name is printed: the longer the name, the surer (財政局 inside 州财政局 loses)
        return 1.0 + len(n) / 1000
    return difflib.SequenceMatcher(None, n, t, autojunk=False).ratio()


def match(texts: list[str], cands: list[Candidate]) -> Matched:
    """The department whose (or whose unit's) name is most like one of ``texts`` (file name, title)."""
    best: dict[int, tuple[float, Candidate, str]] = {}
    for text in (t for t in texts if t and t.strip()):
        for c in cands:
            s = _score(c.name, text)
            if c.department.pk not in best or s > best[c.department.pk][0]:
                best[c.department.pk] = (s, c, text)
    ranking = sorted(best.values(), key=lambda x: -x[0])
    if not ranking or ranking[0][0] < 0.3:
        return Matched(None, ranking[0][0] if ranking else 0.0, Match.NONE,
                       ranking=[(s, c.department.name) for s, c, _ in ranking[:3]])
    score, cand, text = ranking[0]
    sure = score >= MATCH_THRESHOLD and not (len(ranking) > 1 and score - ranking[1][0] < AMBIGUOUS_MARGIN)
    return Matched(cand.department, min(score, 1.0), Match.MATCHED if sure else Match.DOUBTFUL,
                   on=f"{cand.name} ← {text}"[:255], ranking=[(min(s, 1.0), c.department.name) for s, c, _ in ranking[:3]])


# ------------------------------------------------------------------ the zip

class Unusable(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name: zips made on Chinese Windows store GBK names without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def _ignored(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return (not parts or path.endswith("/") or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts)
            or parts[-1].startswith("~$") or parts[-1].lower() in ("thumbs.db", "desktop.ini"))


def title_of(data: bytes, suffix: str) -> str:
    """The document's first printed lines (its title), for matching; '' when there are none."""
    if suffix == ".pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
        try:
            if not len(doc):
                return ""
            text = doc[0].get_textpage().get_text_range()
        finally:
            doc.close()
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    else:
        import docx

        lines = [p.text.strip() for p in docx.Document(io.BytesIO(data)).paragraphs[:40] if p.text.strip()]
    return " ".join(lines[:3])[:255]


def read_zip(data: bytes, zip_name: str) -> list[tuple[str, bytes, str]]:
    """(name, content, title) of every PDF/DOCX in the zip; ``Unusable`` naming each file that is not."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Unusable([f"“{zip_name}”不是有效的 zip 压缩包（文件损坏或格式不对），未作任何更改"]) from None
    limit = settings.ZIP_MAX_MB * 1024 * 1024
    infos = [i for i in archive.infolist() if not _ignored(member_name(i))]
    problems: list[str] = []
    if sum(i.file_size for i in infos) > 2 * limit:
        raise Unusable([f"压缩包解压后超过 {2 * settings.ZIP_MAX_MB} MB，未作任何更改"])
    if len(infos) > MAX_FILES:
        raise Unusable([f"压缩包内文件超过 {MAX_FILES} 个，请分批上传"])
    out = []
    seen: set[str] = set()
    for info in infos:
        path = member_name(info)
        name = PurePosixPath(path).name
        suffix = PurePosixPath(name).suffix.lower()
        if suffix not in KINDS:
            problems.append(f"{path}：不是 PDF 或 Word（.docx）文件" + ("（旧版 .doc/.wps 请另存为 .docx 或 PDF）"
                                                                      if suffix in (".doc", ".wps") else ""))
            continue
        if info.flag_bits & 0x1:
            problems.append(f"{path}：在压缩包内加密，无法解压")
            continue
        try:
            content = archive.read(info)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
            problems.append(f"{path}：无法解压（{type(exc).__name__}）")
            continue
        try:
            title = _check_document(content, suffix)
        except ValueError as exc:
            problems.append(f"{path}：{exc}")
            continue
        if name in seen:
            name = f"{PurePosixPath(path).parent.name}-{name}".strip("-")
        seen.add(name)
        out.append((name, content, title))
    if problems:
        raise Unusable(problems)
    if not out:
        raise Unusable([f"“{zip_name}”中没有 PDF 或 Word（.docx）文件，未作任何更改"])
    return out


def _check_document(content: bytes, suffix: str) -> str:
    """The document opens (its title), or ValueError with the reason in Chinese."""
    if suffix == ".pdf":
        if b"%PDF" not in content[:1024]:
            raise ValueError("扩展名是 .pdf，但内容不是 PDF 文件")
        import pypdfium2 as pdfium

        try:
            return title_of(content, suffix)
        except pdfium.PdfiumError as exc:
            raise ValueError(f"PDF 无法打开（文件损坏或设有密码：{exc}）") from None
    if not content.startswith(b"PK"):
        raise ValueError("扩展名是 .docx，但内容不是 Word 文档")
    try:
        return title_of(content, suffix)
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise ValueError(f"Word 文档无法打开（{type(exc).__name__}）") from None


def store_batch(bureau: Bureau, user, name: str, data: bytes, year: int | None = None) -> Batch:
    """The batch, its files matched and the matched ones queued; ``Unusable`` changes nothing."""
    documents = read_zip(data, name)
    cands = candidates(bureau)
    with transaction.atomic():
        batch = Batch.objects.create(bureau=bureau, year=year, name=name[:255], uploaded_by=user)
        for fname, content, title in documents:
            m = match([PurePosixPath(fname).stem, title], cands)
            f = PublishedFile(batch=batch, name=fname[:255], title=title, department=m.department, score=round(m.score, 3),
                              match=m.match, matched_on=m.on)
            f.file.save(fname, ContentFile(content), save=False)
            f.save()
            AuditJob.objects.create(file=f)
    for f in batch.files.filter(match=Match.MATCHED).select_related("job"):
        jobs.enqueue(f.job)
    return batch


# ------------------------------------------------------------------ pages

def _progress(batch: Batch) -> dict:
    files = list(batch.files.select_related("department", "job"))
    jobs.reap_stale(AuditJob.objects.filter(file__batch=batch))
    total = len(files)
    done = sum(1 for f in files if f.job.finished)
    waiting = sum(1 for f in files if f.needs_confirmation)
    return {"files": files, "total": total, "done": done, "waiting": waiting,
            "running": any(f.job.status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING)
                           and not f.needs_confirmation for f in files),
            "percent": round(100 * sum(f.job.progress for f in files if not f.needs_confirmation)
                             / max(1, total - waiting))}


@guard(perms.BATCH, Bureau)
def bureau_uploads(request, bureau: Bureau):
    if request.method == "POST":
        uploaded = request.FILES.get("archive")
        back = reverse("web:bureau_uploads", args=[bureau.pk])
        if uploaded is None:
            return _unusable(request, back, ["请选择要上传的 zip 压缩包"])
        if uploaded.size > settings.ZIP_MAX_MB * 1024 * 1024:
            return _unusable(request, back, [f"压缩包超过 {settings.ZIP_MAX_MB} MB，未作任何更改"])
        year = request.POST.get("year", "").strip()
        try:
            batch = store_batch(bureau, request.user, uploaded.name or "上传.zip", uploaded.read(),
                                int(year) if year.isdigit() else None)
        except Unusable as exc:
            return _unusable(request, back, exc.problems)
        n = batch.files.count()
        doubtful = batch.files.exclude(match=Match.MATCHED).count()
        messages.success(request, f"已上传 {n} 个文件" + (f"，其中 {doubtful} 个需确认所属部门" if doubtful else "，已开始审核"))
        return redirect("web:batch", pk=batch.pk)
    if request.method != "GET":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "web/uploads.html", {"bureau": bureau, "batches": bureau.batches.select_related("uploaded_by"),
                                                "max_mb": settings.ZIP_MAX_MB})


def _unusable(request, back: str, problems: list[str]):
    return render(request, "web/message.html", {"title": "上传的压缩包无法使用，未作任何更改", "problems": problems,
                                                "back": back}, status=400)


@guard(perms.BATCH, Batch)
@require_GET
def batch(request, b: Batch):
    ctx = _progress(b)
    return render(request, "web/batch.html", {"b": b, **ctx, "departments": b.bureau.departments.all()})


@guard(perms.BATCH, PublishedFile)
@require_POST
def confirm(request, f: PublishedFile):
    """The reviewer confirms the proposed department or picks another; the file is then audited."""
    pk = request.POST.get("department", "").strip()
    dept = Department.objects.filter(pk=int(pk), bureau=f.batch.bureau).first() if pk.isdigit() else None
    if dept is None:
        messages.error(request, "请选择本财政部门下属的部门")
        return redirect("web:batch", pk=f.batch_id)
    f.department, f.match = dept, Match.CONFIRMED
    f.save(update_fields=["department", "match"])
    if f.job.status != JobStatus.DONE:
        jobs.enqueue(f.job, fresh=True)
    messages.success(request, f"“{f.name}”已确认为{dept.name}的文件")
    return redirect("web:batch", pk=f.batch_id)


@guard(perms.BATCH, PublishedFile)
@require_POST
def retry(request, f: PublishedFile):
    if f.needs_confirmation:
        messages.error(request, "请先确认文件所属部门")
    elif f.job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and not _stale(f.job):
        messages.error(request, "该文件正在审核，请稍候")
    else:
        jobs.retry(f.job)
        messages.success(request, f"已重新开始审核“{f.name}”")
    return redirect(request.POST.get("next") == "file" and reverse("web:published_file", args=[f.pk])
                    or reverse("web:batch", args=[f.batch_id]))


def _stale(job: AuditJob) -> bool:
    from datetime import timedelta

    from django.utils import timezone

    since = job.started_at or job.queued_at
    return since is None or since < timezone.now() - timedelta(seconds=settings.JOB_TIMEOUT + 30)


@guard(perms.BATCH, PublishedFile)
@require_GET
def published_file(request, f: PublishedFile):
    from yusuan.web.views import _findings

    job = f.job
    findings = _findings(job.report)
    by_n = {x["n"]: x for x in findings}
    pages = [{"page": p["page"], "url": reverse("web:page_picture", args=[f.pk, p["page"]]),
              "findings": [by_n[n] for n in p["findings"] if n in by_n]} for p in job.pages or []]
    score = ((job.report or {}).get("completeness") or {})
    return render(request, "web/published_file.html", {
        "f": f, "job": job, "findings": findings, "pages": pages, "score": score,
        "stats": ((job.report or {}).get("stats") or {}).get("by_severity", {}),
        "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING) and not f.needs_confirmation})


@guard(perms.BATCH, PublishedFile)
@require_GET
def page_picture(request, f: PublishedFile, page: int):
    entry = next((p for p in f.job.pages or [] if p["page"] == page), None)
    if entry is None:
        raise Http404("没有该页的图片")
    storage = f.job.annotated.storage
    if not storage.exists(entry["image"]):
        raise Http404("没有该页的图片")
    return FileResponse(storage.open(entry["image"], "rb"), content_type="image/png")


@guard(perms.BATCH, PublishedFile)
@require_GET
def annotated(request, f: PublishedFile):
    if not f.job.annotated:
        raise Http404("没有标注副本")
    suffix = PurePosixPath(f.name).suffix.lower()
    stem = PurePosixPath(f.name).stem
    return FileResponse(f.job.annotated.open("rb"), as_attachment=True, filename=f"{stem}（标注）{suffix}")
