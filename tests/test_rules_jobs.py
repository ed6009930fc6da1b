"""The bureau's rules configuration: rule patterns (``TAB.*``, ``N.SHARE.*``; an exact rule ID wins,
a pattern matching no rule is refused) and the re-check after a change, run as a queued job with
progress rather than inside the request."""

from __future__ import annotations

from unittest import mock

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import example_facts

from django.test import override_settings  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from test_web import Base  # noqa: E402
from yusuan.web import jobs, rulesconfig, workflow  # noqa: E402
from yusuan.web.models import AuditLog, JobStatus, Package, RecheckJob, RuleSetting, State  # noqa: E402

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)


def test_patterns_match_families_of_rule_ids():
    known = dict.fromkeys(["N.SHARE", "N.SHARE.SUM", "N.SHARE.SUM.ROUNDING", "N.SHAREX", "TAB.NEGATIVE", "T1.A"])
    # shell-style, as the command line's configuration file: N.SHARE.* is the rules under N.SHARE
    assert rulesconfig.matching("N.SHARE.*", known) == ["N.SHARE.SUM", "N.SHARE.SUM.ROUNDING"]
    assert rulesconfig.matching("N.SHARE*", known) == ["N.SHARE", "N.SHARE.SUM", "N.SHARE.SUM.ROUNDING", "N.SHAREX"]
    assert rulesconfig.matching("TAB.*", known) == ["TAB.NEGATIVE"]
    assert rulesconfig.matching("T*", known) == ["T1.A", "TAB.NEGATIVE"]
    assert rulesconfig.matching("N.SHARE.SUM", known) == ["N.SHARE.SUM"]
    assert rulesconfig.matching("NO.*", known) == []
    rows = {"N.SHARE.*": "family", "N.*": "wider", "N.SHARE.SUM.*": "narrower", "N.SHARE.SUM": "exact", "T*": "broad"}
    applied = rulesconfig.resolve({k: mock.Mock(rule=k, name=v) for k, v in rows.items()}, known)
    assert {rid: s.rule for rid, s in applied.items()} == {
        "N.SHARE.SUM": "N.SHARE.SUM", "N.SHARE.SUM.ROUNDING": "N.SHARE.SUM.*",
        "N.SHAREX": "N.*", "N.SHARE": "N.*", "TAB.NEGATIVE": "T*", "T1.A": "T*"}


class Configured(Base):
    def setUp(self):
        facts = example_facts()
        project = next(p for p in facts.projects if p.economic)
        project.economic[0].amount += 7  # F.PROJECT.ECONOMIC: fatal by default
        workflow.store_facts(self.package, None, facts, "test")
        self.far = Package.objects.get(department=self.far_dept)
        workflow.store_facts(self.far, None, facts, "test")

    def save(self, rule: str, level: str, reason: str = "本局统一调整", role: str = "reviewer", follow: bool = True):
        return self.client_as(role).post(reverse("web:rules_config_save", args=[self.bureau.pk]),
                                         {"rule": rule, "level": level, "reason": reason}, follow=follow)

    def severities(self, p: Package, prefix: str) -> dict[str, str]:
        p.refresh_from_db()
        return {f["rule"]: f["severity"] for f in p.report["findings"] if f["rule"].startswith(prefix)}


class Patterns(Configured):
    def test_a_pattern_applies_to_every_matching_rule_and_an_exact_id_wins(self):
        before = self.severities(self.package, "F.")
        self.assertEqual(before.get("F.PROJECT.ECONOMIC"), "fatal")
        page = self.save("F.*", "info", "财政部门暂按提示处理全部 F 规则").content.decode()
        self.assertIn("已保存模式 F.*", page)
        after = self.severities(self.package, "F.")
        self.assertEqual(set(after.values()), {"info"})  # every F finding lowered by the pattern
        finding = next(f for f in self.package.report["findings"] if f["rule"] == "F.PROJECT.ECONOMIC")
        self.assertEqual((finding["default_severity"], finding["configured_by"]), ("fatal", "F.*"))
        self.save("F.PROJECT.ECONOMIC", "warning", "此条按警告")
        after = self.severities(self.package, "F.")
        self.assertEqual(after["F.PROJECT.ECONOMIC"], "warning")  # the exact ID wins over the pattern
        self.assertTrue(all(v == "info" for r, v in after.items() if r != "F.PROJECT.ECONOMIC"))
        self.assertEqual(self.severities(self.far, "F.").get("F.PROJECT.ECONOMIC"), "fatal")  # another bureau
        cfg = {c["rule"]: c for c in self.package.report["bureau_config"]}
        self.assertIn("匹配", cfg["F.*"]["default_zh"])
        page = self.client_as("reviewer").get(reverse("web:rules_config", args=[self.bureau.pk])).content.decode()
        self.assertIn("按模式的设置", page)
        self.assertIn("按模式 <code>F.*</code>", page)
        log = AuditLog.objects.filter(action="rule_config", field="F.*").get()
        self.assertEqual((log.old, log.new), ("默认（各规则的默认级别）", "提示"))
        # back to 默认: the pattern's row goes, the exact one stays
        self.save("F.*", "default", "恢复")
        self.assertEqual(list(RuleSetting.objects.values_list("rule", flat=True)), ["F.PROJECT.ECONOMIC"])
        self.assertEqual(self.severities(self.package, "F.")["F.PROJECT.ECONOMIC"], "warning")

    def test_a_pattern_matching_no_rule_is_refused(self):
        for pattern, says in (("NOSUCH.*", "规则模式“NOSUCH.*”不匹配任何规则"), ("*", "匹配全部规则"),
                              ("F.项目*", "无法识别"), ("F.?", "不匹配任何规则")):
            page = self.save(pattern, "info").content.decode()
            self.assertIn(says, page, pattern)
        self.assertFalse(RuleSetting.objects.exists())
        self.assertFalse(RecheckJob.objects.exists())  # nothing saved, nothing to re-check


class RecheckQueued(Configured):
    def test_the_request_answers_at_once_and_the_worker_rechecks_with_progress(self):
        report = Package.objects.get(pk=self.package.pk).report
        calls = []
        with override_settings(Q_CLUSTER={**settings.Q_CLUSTER, "sync": False}), \
                mock.patch("django_q.tasks.async_task", side_effect=lambda *a, **k: calls.append((a, k)) or "task-1"):
            reviewer = self.client_as("reviewer")
            response = reviewer.post(reverse("web:rules_config_save", args=[self.bureau.pk]),
                                     {"rule": "F.PROJECT.ECONOMIC", "level": "warning", "reason": "本局统一调整"})
            self.assertEqual(response.status_code, 302)
            page = reviewer.get(response["Location"]).content.decode()
        self.assertEqual(Package.objects.get(pk=self.package.pk).report, report)  # not re-checked in the request
        job = RecheckJob.objects.get()
        self.assertEqual((job.status, job.total, job.done, job.task_id), (JobStatus.QUEUED, 1, 0, "task-1"))
        self.assertEqual(calls[0][0], ("yusuan.web.jobs.run_recheck_job", job.pk))
        self.assertIn("正在后台按新配置重新校验", page)
        self.assertIn('http-equiv="refresh"', page)  # the page follows the job
        self.assertIn("排队中", page)
        self.assertIn("F.PROJECT.ECONOMIC → 警告", page)
        # a second change while the job still waits joins it (it has not read the configuration yet)
        with override_settings(Q_CLUSTER={**settings.Q_CLUSTER, "sync": False}), \
                mock.patch("django_q.tasks.async_task", side_effect=lambda *a, **k: calls.append((a, k)) or "task-2"):
            self.save("TAB.*", "info", follow=False)
        self.assertEqual((RecheckJob.objects.count(), len(calls)), (1, 1))
        self.assertIn("TAB.*", RecheckJob.objects.get().note)
        self.assertEqual(jobs.run_recheck_job(job.pk), "done")  # what the worker runs
        job.refresh_from_db()
        self.assertEqual((job.status, job.done, job.total, job.progress), (JobStatus.DONE, 1, 1, 100))
        self.assertIn("已重新校验 1 个预算包", job.stage)
        self.assertEqual(self.severities(self.package, "F.PROJECT")["F.PROJECT.ECONOMIC"], "warning")
        page = self.client_as("reviewer").get(reverse("web:rules_config", args=[self.bureau.pk])).content.decode()
        self.assertIn("已完成", page)
        self.assertNotIn('http-equiv="refresh"', page)

    def test_a_published_package_keeps_its_report_and_a_save_meanwhile_is_not_overwritten(self):
        self.package.state = State.PUBLISHED
        self.package.save()
        report = Package.objects.get(pk=self.package.pk).report
        RuleSetting.objects.create(bureau=self.bureau, rule="F.*", level="info", reason="x")
        self.assertEqual(rulesconfig.to_recheck(self.bureau).count(), 0)  # (the other package is another bureau's)
        self.assertEqual(rulesconfig.recheck(self.bureau), 0)
        self.assertEqual(Package.objects.get(pk=self.package.pk).report, report)
        self.package.state = State.DRAFT
        self.package.save()
        real = rulesconfig.check_for
        revision = Package.objects.get(pk=self.package.pk).revision

        def saved_meanwhile(p, facts):  # someone saves the grid while the job checks this package
            checked = real(p, facts)
            if Package.objects.get(pk=p.pk).revision == revision:
                Package.objects.filter(pk=p.pk).update(revision=revision + 1, fatal=99)
            return checked

        with mock.patch.object(rulesconfig, "check_for", side_effect=saved_meanwhile) as check:
            self.assertTrue(rulesconfig.recheck_one(self.package.pk))
        self.assertEqual(check.call_count, 2)  # read and checked again after the save it did not overwrite
        p = Package.objects.get(pk=self.package.pk)
        self.assertNotEqual(p.fatal, 99)
        self.assertEqual(p.revision, revision + 1)

    def test_a_crash_is_recorded_on_the_job_for_the_queue_to_deliver_again(self):
        job = RecheckJob.objects.create(bureau=self.bureau, total=1)
        with mock.patch.object(rulesconfig, "check_for", side_effect=RuntimeError("坏了")):
            with self.assertRaises(RuntimeError):
                jobs.run_recheck_job(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.RETRYING)
        self.assertIn("坏了", job.error)
        self.assertEqual(jobs.run_recheck_job(job.pk), "done")  # delivered again: runs to the end
        job.refresh_from_db()
        self.assertEqual((job.status, job.attempts, job.error), (JobStatus.DONE, 2, ""))
