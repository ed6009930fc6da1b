"""Timeliness (及时性) by days after approval (issue 12 item 3): the bureau's admin enters the approval
date (批复日期) of the year's budget or final account; the score counts the days from it to the first
publication against the statutory 20 days (quality.yaml), says why points are lost, and falls back to
the deadline — saying so — when no approval date is entered. Entering or changing the date (or the
deadline) scores the year's published versions again, and the public pages show the new score at once
(a re-score moves the public cache generation, as a publication does)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import example_facts

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client, TestCase  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from yusuan.web import portal, quality, qualitymodels, workflow  # noqa: E402
from yusuan.web.models import (ApprovalDate, AuditLog, Bureau, Department, Membership, Package, Region,  # noqa: E402
                               Role, VersionScore)

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)

D = dt.date


def _t(result):
    return next(d for d in result["dimensions"] if d["key"] == "timeliness")


# ------------------------------------------------------------------ the formula (no database)

def test_within_twenty_days_of_approval_full_points():
    t = _t(quality.score({"findings": []}, D(2024, 2, 20), None, approved_on=D(2024, 1, 31)))
    assert t["assessed"] and t["earned"] == t["points"] and t["lost"] == []
    assert "批复日期 2024-01-31" in t["note"] and "批复后第 20 天公开" in t["note"] and "20 天法定时限内" in t["note"]


def test_each_day_beyond_the_limit_costs_late_per_day_up_to_the_dimension():
    cfg = quality.load_config()
    dim = next(d for d in cfg.dimensions if d.key == "timeliness")
    assert dim.days_after_approval == 20
    t = _t(quality.score({"findings": []}, D(2024, 2, 25), None, approved_on=D(2024, 1, 31)))
    [lost] = t["lost"]
    assert (lost["label"], lost["count"]) == ("超过批复后法定公开时限", 5)
    assert t["earned"] == dim.points - 5 * dim.late_per_day
    assert "批复后第 25 天公开，超过 20 天时限 5 天" in lost["examples"][0]
    t = _t(quality.score({"findings": []}, D(2024, 6, 1), None, approved_on=D(2024, 1, 31)))
    assert t["earned"] == 0  # never below zero


def test_the_approval_date_comes_before_the_deadline():
    # the deadline alone would find it 15 days late; 10 days after approval is in time
    t = _t(quality.score({"findings": []}, D(2024, 2, 25), D(2024, 2, 10), approved_on=D(2024, 2, 15)))
    assert t["earned"] == t["points"] and t["basis"] == "approval"


def test_without_approval_date_the_deadline_and_it_says_so():
    t = _t(quality.score({"findings": []}, D(2024, 2, 13), D(2024, 2, 10)))
    assert t["basis"] == "deadline" and t["note"].startswith("未录入批复日期，按公开截止日期评价")
    assert t["lost"][0]["count"] == 3
    t = _t(quality.score({"findings": []}, D(2024, 2, 13), None))
    assert t["assessed"] is False and "未录入批复日期，也未设定公开截止日期" in t["note"]  # unknown, not zero


def test_published_before_the_entered_approval_is_questioned_not_punished():
    t = _t(quality.score({"findings": []}, D(2024, 1, 20), None, approved_on=D(2024, 1, 31)))
    assert t["earned"] == t["points"] and "请核对录入的批复日期" in t["note"]


def test_the_limit_comes_from_the_configuration():
    cfg = quality.load_config().model_copy(deep=True)
    dim = next(d for d in cfg.dimensions if d.key == "timeliness")
    dim.days_after_approval, dim.late_per_day = 10, Decimal("0.5")
    t = _t(quality.score({"findings": []}, D(2024, 2, 20), None, config=cfg, approved_on=D(2024, 1, 31)))
    assert t["lost"][0]["count"] == 10 and t["earned"] == dim.points - 5


# ------------------------------------------------------------------ entered, stored, shown at once

class ApprovalDates(TestCase):
    @classmethod
    def setUpTestData(cls):
        region = Region.objects.create(name="测试州")
        cls.bureau = Bureau.objects.create(region=region, name="测试州财政局")
        User = get_user_model()
        cls.admin = User.objects.create_user(username="guanli-t", password="x" * 12)
        Membership.objects.create(user=cls.admin, role=Role.ADMIN, bureau=cls.bureau)
        cls.reviewer = User.objects.create_user(username="shenhe-t", password="x" * 12)
        Membership.objects.create(user=cls.reviewer, role=Role.REVIEWER, bureau=cls.bureau)
        facts = example_facts()
        cls.year = facts.unit.budget_year
        cls.dept = Department.objects.create(bureau=cls.bureau, name=facts.unit.name)
        p = Package.objects.create(department=cls.dept, year=cls.year)
        workflow.store_facts(p, cls.admin, facts, "测试")
        workflow.submit(p, cls.admin)
        workflow.approve(p, cls.admin)
        cls.version = workflow.publish(p, cls.admin)
        cls.today = timezone.localdate()

    def setUp(self):
        cache.clear()
        self.anon = Client()
        self.admin_client = Client()
        self.admin_client.force_login(self.admin)

    def set_approval(self, date: str, phase: str = "budget", client=None):
        return (client or self.admin_client).post(reverse("web:approval", args=[self.bureau.pk]),
                                                  {"year": str(self.year), "phase": phase, "date": date}, follow=True)

    def public_score(self) -> str:
        page = self.anon.get(reverse("web:version", args=[self.version.pk])).content.decode()
        return re.search(r'<b class="score">([^<]+)</b>', page).group(1)

    def stored(self) -> Decimal:
        return VersionScore.objects.get(version=self.version).total

    def api_timeliness(self) -> dict:
        data = self.anon.get(f"/api/versions/{self.version.pk}/quality/").json()
        return next(d for d in data["dimensions"] if d["key"] == "timeliness"), data

    def test_entering_the_approval_date_rescores_and_the_public_page_shows_it_at_once(self):
        before = self.public_score()  # cached now, for anonymous visitors
        t, _ = self.api_timeliness()
        self.assertFalse(t["assessed"])  # no approval date, no deadline: unknown
        self.assertEqual(Decimal(before), self.stored())
        generation = portal.generation()

        response = self.set_approval((self.today - dt.timedelta(days=25)).isoformat())
        self.assertContains(response, "已重新评分 1 个已发布版本")
        self.assertNotEqual(portal.generation(), generation)
        row = VersionScore.objects.get(version=self.version)
        self.assertEqual(row.approved_on, self.today - dt.timedelta(days=25))
        t, data = self.api_timeliness()
        self.assertTrue(t["assessed"])
        self.assertEqual(Decimal(t["earned"]), Decimal(t["points"]) - 5)
        self.assertEqual(t["lost"][0]["label"], "超过批复后法定公开时限")
        self.assertEqual(data["approved_on"], (self.today - dt.timedelta(days=25)).isoformat())
        after = self.public_score()
        self.assertEqual(Decimal(after), Decimal(row.total))
        self.assertNotEqual(after, before)
        page = self.anon.get(reverse("web:version", args=[self.version.pk])).content.decode()
        self.assertIn("批复后第 25 天公开（法定时限为批复后 20 天）", page)
        log = AuditLog.objects.filter(bureau=self.bureau, action="approval").first()
        self.assertEqual((log.user, log.old, log.new), (self.admin, "", (self.today - dt.timedelta(days=25)).isoformat()))

        # within the limit: full points, said
        self.set_approval((self.today - dt.timedelta(days=3)).isoformat())
        self.assertEqual(Decimal(self.public_score()), self.stored())
        self.assertGreater(Decimal(self.public_score()), Decimal(after))
        t, _ = self.api_timeliness()
        self.assertEqual(t["earned"], t["points"])
        self.assertIn("批复后第 3 天公开，在 20 天法定时限内", t["note"])

    def test_without_approval_date_falls_back_to_the_deadline_and_says_so(self):
        self.set_approval((self.today - dt.timedelta(days=3)).isoformat())
        in_time = self.public_score()  # cached
        # the deadline (2 days ago) is entered, then the approval date removed: late by the deadline
        self.admin_client.post(reverse("web:deadline", args=[self.bureau.pk]),
                               {"year": str(self.year), "date": (self.today - dt.timedelta(days=2)).isoformat()})
        self.assertEqual(self.public_score(), in_time)  # the approval date still rules
        response = self.set_approval("")
        self.assertContains(response, "及时性改按公开截止日期评价")
        self.assertFalse(ApprovalDate.objects.filter(bureau=self.bureau).exists())
        t, _ = self.api_timeliness()
        self.assertTrue(t["note"].startswith("未录入批复日期，按公开截止日期评价"))
        self.assertEqual(t["lost"][0]["count"], 2)
        self.assertEqual(Decimal(self.public_score()), self.stored())
        self.assertLess(Decimal(self.public_score()), Decimal(in_time))

    def test_a_deadline_change_rescores_too(self):
        before = self.public_score()
        response = self.admin_client.post(reverse("web:deadline", args=[self.bureau.pk]),
                                          {"year": str(self.year), "date": (self.today - dt.timedelta(days=4)).isoformat()},
                                          follow=True)
        self.assertContains(response, "已重新评分 1 个已发布版本")
        t, _ = self.api_timeliness()
        self.assertEqual(t["lost"][0]["count"], 4)
        self.assertEqual(Decimal(self.public_score()), self.stored())
        self.assertNotEqual(self.public_score(), before)

    def test_portal_refresh_style_rescore_moves_the_generation(self):
        generation = portal.generation()
        self.assertEqual(qualitymodels.refresh(), 1)
        self.assertNotEqual(portal.generation(), generation)

    def test_the_final_accounts_date_leaves_the_budget_alone(self):
        before = self.public_score()
        self.set_approval((self.today - dt.timedelta(days=60)).isoformat(), phase="final")
        self.assertEqual(ApprovalDate.objects.get(bureau=self.bureau).phase, "final")
        t, _ = self.api_timeliness()
        self.assertFalse(t["assessed"])
        self.assertEqual(self.public_score(), before)

    def test_bad_input_or_no_right_changes_nothing(self):
        response = self.set_approval("2024-13-45")
        self.assertContains(response, "请填写正确的年度、阶段和批复日期")
        response = self.set_approval("2024-01-31", phase="both")
        self.assertContains(response, "请填写正确的年度、阶段和批复日期")
        reviewer = Client()
        reviewer.force_login(self.reviewer)
        self.assertEqual(self.set_approval("2024-01-31", client=reviewer).status_code, 403)
        self.assertFalse(ApprovalDate.objects.exists())
        self.assertFalse(AuditLog.objects.filter(action="approval").exists())

    def test_overview_shows_the_date_and_the_form(self):
        self.set_approval("2024-01-31" if self.year == 2024 else f"{self.year}-01-31")
        page = self.admin_client.get(reverse("web:overview", args=[self.bureau.pk]) + f"?year={self.year}").content.decode()
        self.assertIn(f"批复日期 {self.year}-01-31", page)
        self.assertIn(reverse("web:approval", args=[self.bureau.pk]), page)
