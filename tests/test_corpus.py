"""`yusuan corpus audit|query|report`: a small synthetic corpus with a broken, a hanging and a crashing
file audited on a 2-worker local Dask cluster; every file gets exactly one documents row, the failures
their R.CORPUS.* finding, the Parquet results answer SQL and score like a direct audit, and a run
killed mid-way resumes to every file exactly once.

The hang and the crash are injected through the test hooks of ``yusuan.corpus.worker``
(``YUSUAN_CORPUS_TEST_HANG=1``: a file named *hang* hangs, one named *crash* aborts the reader)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

import pyarrow.parquet as pq  # noqa: E402

import yusuan  # noqa: E402
from yusuan.corpus.manifest import MANIFEST, Manifest  # noqa: E402
from yusuan.corpus.query import load_reports, run_query  # noqa: E402
from yusuan.corpus.worker import Child  # noqa: E402
from yusuan.synth.make import make_corpus  # noqa: E402

SRC = Path(yusuan.__file__).resolve().parents[1]
# per-file limit: the hanging file waits this long. 10 s, not less: on a 2-core machine shared with other
# jobs an ordinary Word file has taken over 5 s to audit, and it must not time out.
TIMEOUT = "10"


def _env(**extra) -> dict:
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.update(extra)
    return env


def _said(done: subprocess.CompletedProcess) -> str:
    """The command's output without the line breaks a terminal width may put in."""
    return "".join(done.stdout.split())


def _cli(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yusuan", *args], capture_output=True, text=True,
                          env=env or _env(), timeout=300, **kwargs)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    make_corpus(out, departments=6, errors=0.5, seed=11, formats=["docx"])
    (out / "broken.pdf").write_bytes(random.Random(3).randbytes(4096))
    (out / "hang.txt").write_text("部门预算公开\n", encoding="utf-8")
    (out / "crash.txt").write_text("部门决算公开\n", encoding="utf-8")
    (out / "copies").mkdir()
    first = sorted(out.glob("d002_*.docx"))[0]
    shutil.copy(first, out / "copies" / "same-content.docx")
    (out / "notes.md").write_text("not a disclosure", encoding="utf-8")  # not a suffix audit reads
    return out


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.suffix in (".docx", ".pdf", ".txt") and p.is_file()}


@pytest.fixture(scope="module")
def results(corpus, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("results") / "r"
    done = _cli("corpus", "audit", str(corpus), "--out", str(out), "--workers", "2", "--timeout", TIMEOUT,
                "--batch-size", "4", env=_env(YUSUAN_CORPUS_TEST_HANG="1"))
    assert done.returncode == 0, done.stderr + done.stdout
    return out, done


def test_every_file_has_one_documents_row_and_the_failures_their_finding(corpus, results):
    out, done = results
    _, rows = run_query(out, "SELECT file, status, duplicate_of, year, stage, region FROM documents")
    by_file = {r[0]: r for r in rows}
    assert len(rows) == len(by_file) == len(_files(corpus))
    assert set(by_file) == _files(corpus)
    assert by_file["broken.pdf"][1] == "unreadable" and by_file["hang.txt"][1] == "timeout"
    assert by_file["crash.txt"][1] == "crash"
    dup = by_file["copies/same-content.docx"]
    assert dup[1] == "duplicate" and dup[2].startswith("d002_")
    for file, status, _, year, stage, region in rows:
        if file.startswith(("d0", "twins/")):
            assert status == "ok" and year == 2023 and stage == "预算" and region in ("xinjiang", "shanghai"), file
        if status != "ok":
            assert year is None, file  # unknown, never a made-up year
    _, failed = run_query(out, "SELECT file, rule, severity, message FROM findings WHERE rule LIKE 'R.CORPUS.%' ORDER BY file")
    assert [(f, r) for f, r, _, _ in failed] == [("broken.pdf", "R.CORPUS.UNREADABLE"), ("crash.txt", "R.CORPUS.CRASH"),
                                                  ("hang.txt", "R.CORPUS.TIMEOUT")]
    assert all(sev == "warning" for _, _, sev, _ in failed)
    assert f"超过时限 {TIMEOUT} 秒" in failed[2][3] and "异常退出" in failed[1][3] and "无法读取" in failed[0][3]
    assert "未能读取3个" in _said(done) and "内容重复1个" in _said(done)


def test_findings_per_rule_equal_a_direct_audit(corpus, results):
    from collections import Counter

    from yusuan.commands.audit import audit_file

    out, _ = results
    done = _cli("corpus", "query", str(out), "SELECT rule, count(*) AS n FROM findings GROUP BY rule ORDER BY rule",
                "--format", "json")
    assert done.returncode == 0, done.stderr
    per_rule = {r["rule"]: r["n"] for r in json.loads(done.stdout)}
    direct = Counter()
    for path in sorted(corpus.glob("d0*.docx")):
        direct.update(f.rule for f in audit_file(path).findings)
    _, rows = run_query(out, "SELECT rule, count(*) FROM findings WHERE file LIKE 'd0%' GROUP BY rule")
    assert dict(rows) == dict(direct)
    assert per_rule["R.CORPUS.TIMEOUT"] == 1 and sum(per_rule.values()) >= sum(direct.values())
    table = _cli("corpus", "query", str(out), "SELECT rule, count(*) FROM findings GROUP BY rule")
    assert table.returncode == 0 and "R.CORPUS.CRASH" in table.stdout
    bad = _cli("corpus", "query", str(out), "SELECT nothing FROM nowhere")
    assert bad.returncode == 2 and "查询出错" in bad.stderr


def test_amounts_are_exact_decimal_strings_never_floats(corpus, results):
    from yusuan.read import read_file

    out, _ = results
    for table in ("documents", "findings", "cells"):
        for part in (out / table).rglob("*.parquet"):
            schema = pq.read_schema(part)
            for name in ("value", "stated", "expected", "difference", "completeness_score"):
                if name in schema.names:
                    assert str(schema.field(name).type) == "string", (table, name)
    path = sorted(corpus.glob("d003_*.docx"))[0]
    disclosure = read_file(path).disclosure
    wanted = {(t.kind, r.key, k): c.value for t in disclosure.tables for r in t.rows for k, c in r.cells.items()}
    _, rows = run_query(out, f"SELECT table_kind, row_key, column_key, value, text FROM cells WHERE file = '{path.name}'")
    assert len(rows) == len(wanted) > 50
    for kind, key, column, value, text in rows:
        expected = wanted[(kind, key, column)]
        assert (Decimal(value) if value is not None else None) == expected
        if value is None:
            assert text.strip() in ("", "-", "—", "/") or not any(ch.isdigit() for ch in text)


def test_synth_score_from_parquet_equals_the_direct_audit(corpus, results):
    from yusuan.synth.score import score_corpus

    out, _ = results
    direct = score_corpus(corpus)
    parquet = score_corpus(corpus, out)
    for key in ("total", "categories", "precision", "precision_fatal", "precision_findings",
                "false_fatal_on_clean", "clean_files_with_fatal"):
        assert parquet[key] == direct[key], key
    assert parquet["total"]["injected"] > 0 and not parquet["unreadable"]
    reports = load_reports(out)
    assert reports["copies/same-content.docx"]["findings"] == reports[dup_of(out)]["findings"]
    done = _cli("synth", "score", str(corpus), str(out), "-o", str(out.parent / "score.json"))
    assert done.returncode == 0, done.stderr
    assert json.loads((out.parent / "score.json").read_text(encoding="utf-8"))["precision"] == direct["precision"]


def dup_of(out: Path) -> str:
    _, rows = run_query(out, "SELECT duplicate_of FROM documents WHERE status = 'duplicate'")
    return rows[0][0]


def test_summary_report_is_self_contained_chinese_html_with_charts(results, tmp_path):
    out, _ = results
    target = tmp_path / "summary.html"
    done = _cli("corpus", "report", str(out), "-o", str(target))
    assert done.returncode == 0, done.stderr
    page = target.read_text(encoding="utf-8")
    for words in ("文件读取情况", "各规则发现的问题", "完整性得分", "“三公”经费", "机关运行经费", "读取超时", "R.CORPUS.TIMEOUT"):
        assert words in page, words
    assert page.count("<svg") >= 3 and "<script" not in page and "http" not in page.split("</style>")[1]


def test_a_run_killed_mid_way_resumes_to_every_file_exactly_once(corpus, tmp_path):
    out = tmp_path / "r"
    proc = subprocess.Popen([sys.executable, "-m", "yusuan", "corpus", "audit", str(corpus), "--out", str(out),
                             "--workers", "2", "--timeout", TIMEOUT, "--batch-size", "1"],
                            env=_env(YUSUAN_CORPUS_TEST_DELAY="0.8"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            manifest = out / MANIFEST
            if manifest.exists() and len(manifest.read_text(encoding="utf-8").splitlines()) >= 3:
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.1)
        assert proc.poll() is None, "the run ended before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    first = Manifest.open(out)
    assert 3 <= len(first.done_files) < len(_files(corpus))
    done = _cli("corpus", "audit", str(corpus), "--out", str(out), "--workers", "2", "--timeout", TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert f"此前已完成{len(first.done_files)}个" in _said(done)
    _, rows = run_query(out, "SELECT file, count(*) FROM documents GROUP BY file")
    assert {f for f, _ in rows} == _files(corpus) and all(n == 1 for _, n in rows)
    _, per_file = run_query(out, "SELECT d.file, d.findings, (SELECT count(*) FROM findings f WHERE f.file = d.file) "
                                 "FROM documents d")
    assert all(stated == counted for _, stated, counted in per_file)  # no finding written twice or lost
    again = _cli("corpus", "audit", str(corpus), "--out", str(out), "--workers", "1", "--timeout", TIMEOUT)
    assert again.returncode == 0 and "本次审查0个" in _said(again)


def test_manifest_drops_uncommitted_parts_and_a_torn_line(tmp_path):
    m = Manifest.open(tmp_path)
    m.commit("aaaa", [{"file": "a.docx", "sha256": "1" * 64, "status": "ok"}])
    folder = tmp_path / "documents" / "year=2023"
    folder.mkdir(parents=True)
    (folder / "part-aaaa.parquet").write_bytes(b"kept")
    (folder / "part-bbbb.parquet").write_bytes(b"orphan: its batch was never committed")
    (folder / "part-cccc.parquet.tmp").write_bytes(b"half written")
    with open(tmp_path / MANIFEST, "a", encoding="utf-8") as f:
        f.write('{"batch": "dddd", "files": [{"file": "b.do')  # killed while writing
    again = Manifest.open(tmp_path)
    assert again.done_files == {"a.docx"} and again.done_sha == {"1" * 64: "a.docx"}
    assert sorted(p.name for p in folder.iterdir()) == ["part-aaaa.parquet"]
    again.commit("eeee", [{"file": "c.docx", "sha256": "2" * 64, "status": "ok"}])
    assert Manifest.open(tmp_path).done_files == {"a.docx", "c.docx"}


def test_the_child_is_killed_on_timeout_replaced_and_recycled(corpus, monkeypatch):
    monkeypatch.setenv("YUSUAN_CORPUS_TEST_HANG", "1")
    monkeypatch.setenv("PYTHONPATH", _env()["PYTHONPATH"])
    child = Child(recycle=2)
    try:
        started = time.monotonic()
        status, _ = child.ask((str(corpus / "hang.txt"), "hang.txt", "x"), timeout=1.0)
        assert status == "timeout" and time.monotonic() - started < 30 and child.proc is None
        doc = str(sorted(corpus.glob("d002_*.docx"))[0])
        status, rows = child.ask((doc, "d.docx", "y"), timeout=60)
        assert status == "ok" and rows["document"]["status"] == "ok" and child.started == 2
        status, _ = child.ask((str(corpus / "broken.pdf"), "broken.pdf", "z"), timeout=60)
        assert status == "unreadable" and child.started == 2
        status, _ = child.ask((doc, "d.docx", "y"), timeout=60)  # recycled after 2 files
        assert status == "ok" and child.started == 3
        status, detail = child.ask((str(corpus / "crash.txt"), "crash.txt", "w"), timeout=60)
        assert status == "crash" and "SIGABRT" in detail
    finally:
        child.stop()


def test_corpus_rules_are_registered_and_no_check_reports_them(example_package):
    from yusuan.rules.corpus import CRASH, TIMEOUT, UNREADABLE, corpus_finding, timeout_message
    from yusuan.rules.engine import check_package, registered_rules

    rules = registered_rules()
    for rid in (TIMEOUT, CRASH, UNREADABLE):
        assert rules[rid].category == "reading" and rules[rid].severity == "warning" and rules[rid].description
    f = corpus_finding(TIMEOUT, "a.pdf", timeout_message("a.pdf", 5))
    assert f.rule == TIMEOUT and f.location.file == "a.pdf" and "超过时限" in f.message
    report = check_package(example_package)
    assert not any(x.rule.startswith("R.CORPUS.") for x in report.findings)


def test_scheduler_option_uses_a_running_cluster(corpus, tmp_path, monkeypatch):
    from distributed import LocalCluster

    folder = tmp_path / "small"
    folder.mkdir()
    shutil.copy(sorted(corpus.glob("d004_*.docx"))[0], folder / "one.docx")
    shutil.copy(corpus / "broken.pdf", folder / "two.pdf")
    monkeypatch.setenv("PYTHONPATH", _env()["PYTHONPATH"])  # the cluster's workers import this yusuan
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster:
        done = _cli("corpus", "audit", str(folder), "--out", str(tmp_path / "r"), "--scheduler",
                    cluster.scheduler_address, "--timeout", "60")
    assert done.returncode == 0, done.stderr
    _, rows = run_query(tmp_path / "r", "SELECT file, status, worker FROM documents ORDER BY file")
    assert [r[:2] for r in rows] == [("one.docx", "ok"), ("two.pdf", "unreadable")]
    assert "1个工作进程" in _said(done)


def test_done_means_this_path_with_this_content(tmp_path):
    from yusuan.corpus.discover import sha256
    from yusuan.corpus.run import RunStats, _pending

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text("第一版", encoding="utf-8")
    (folder / "b.txt").write_text("不变", encoding="utf-8")
    m = Manifest.open(out)
    m.commit("0001", [{"file": f, "sha256": sha256(folder / f), "status": "ok"} for f in ("a.txt", "b.txt")])
    (folder / "a.txt").write_text("第二版", encoding="utf-8")  # changed since it was audited
    shutil.copy(folder / "b.txt", folder / "c.txt")  # b's content under a new path
    (folder / "skip.md").write_text("x", encoding="utf-8")
    kinds = {rel: kind for kind, _, rel, _ in _pending(folder, out, Manifest.open(out), RunStats())}
    assert kinds == {"a.txt": "audit", "b.txt": "skip", "c.txt": "duplicate"}
