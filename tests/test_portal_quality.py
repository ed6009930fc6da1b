"""The portal's disclosure-quality score and ranking, departments side by side and the full-text
search (issue 12): the score follows quality.yaml and is stored at publication, the ranking orders
by it, side by side shows each department's printed figures, the search index holds published
versions only and ranks by relevance."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import example_facts

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, TestCase  # noqa: E402
from django.utils import timezone  # noqa: E402

from yusuan.web import compare, fulltext, quality, qualitymodels, workflow  # noqa: E402
from yusuan.web.models import (Bureau, Deadline, Department, Membership, Package, Region, Role,  # noqa: E402
                               Version, VersionScore)

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)


def _publish(package, user, reason=""):
    workflow.submit(package, user)
    workflow.approve(package, user)
    return workflow.publish(package, user, reason)


def _finding(rule, severity, n=0):
    return {"rule": rule, "severity": severity, "category": "completeness", "message": f"第{n}条"}


def _dim(result, key):
    return next(d for d in result["dimensions"] if d["key"] == key)


# ------------------------------------------------------------------ the formula (no database)

def test_each_finding_costs_once_capped_per_deduction_and_dimension():
    cfg = quality.load_config()
    completeness = next(d for d in cfg.dimensions if d.key == "completeness")
    tables = next(x for x in completeness.deductions if "K.TABLE.PRESENT" in x.rules)
    correctness = next(d for d in cfg.dimensions if d.key == "correctness")
    fatal = next(x for x in correctness.deductions if x.severity == "fatal")
    warning = next(x for x in correctness.deductions if x.severity == "warning")
    report = {"findings": [_finding("K.TABLE.PRESENT", "fatal", i) for i in range(2)]
              + [_finding("T.SUM", "fatal")] + [_finding("H.X", "warning", i) for i in range(100)]
              + [_finding("H.INFO", "info")]}
    on_time = dt.date(2023, 2, 1)
    r = quality.score(report, on_time, dt.date(2023, 2, 10))
    comp = _dim(r, "completeness")
    assert comp["lost"][0]["count"] == 2 and comp["lost"][0]["points"] == tables.per_finding * 2
    corr = _dim(r, "correctness")
    by_label = {x["label"]: x for x in corr["lost"]}
    assert by_label[fatal.label]["count"] == 1  # the two K.TABLE.PRESENT fatals were claimed by completeness
    assert by_label[warning.label]["points"] == warning.cap  # 100 warnings, capped
    assert corr["earned"] == correctness.points - fatal.per_finding - warning.cap
    assert _dim(r, "timeliness")["earned"] == _dim(r, "timeliness")["points"]
    assert r["total"] == sum(d["earned"] for d in r["dimensions"])  # every dimension assessed: out of 100
    assert sum(d.points for d in cfg.dimensions) == 100


def test_late_publication_and_unknown_deadline():
    report = {"findings": []}
    late = quality.score(report, dt.date(2023, 2, 13), dt.date(2023, 2, 10))
    t = _dim(late, "timeliness")
    assert t["lost"][0]["count"] == 3 and t["earned"] == t["points"] - 3 * quality.load_config().dimensions[0].late_per_day
    unknown = quality.score(report, dt.date(2023, 2, 13), None)
    t = _dim(unknown, "timeliness")
    assert t["assessed"] is False and t["earned"] is None and "无法评价" in t["note"]
    assert unknown["assessed_max"] == 100 - t["points"] and unknown["total"] == 100  # unknown is not zero
    worse = quality.score({"findings": [_finding("K.FUNCTION.DEPTH", "fatal")]}, None, None)
    expected = (worse["earned"] * 100 / worse["assessed_max"]).quantize(Decimal("0.1"))
    assert worse["total"] == expected < 100


def test_json_keeps_decimals_as_strings():
    r = quality.to_json(quality.score({"findings": [_finding("P.LEVELS.REQUIRED", "warning")]}, None, None))
    detail = _dim(r, "detail")
    assert isinstance(detail["earned"], str) and Decimal(detail["earned"]) < Decimal(detail["points"])
    json.dumps(r)


# ------------------------------------------------------------------ stored, shown, ranked

class QualityPortal(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.region = Region.objects.create(name="测试州")
        cls.bureau = Bureau.objects.create(region=cls.region, name="测试州财政局")
        cls.admin = get_user_model().objects.create_user(username="guanli-q", password="x" * 12)
        Membership.objects.create(user=cls.admin, role=Role.ADMIN, bureau=cls.bureau)
        import random

        from yusuan.synth.facts import random_package

        facts = example_facts()
        cls.year = facts.unit.budget_year
        cls.punctual = Department.objects.create(bureau=cls.bureau, name=facts.unit.name)
        cls.late = Department.objects.create(bureau=cls.bureau, name="测试州档案局")
        cls.draft_dept = Department.objects.create(bureau=cls.bureau, name="测试州草稿局")
        other = random_package(random.Random(12), year=cls.year)  # other function classes than the example's
        other.unit.name = "测试州档案局"
        cls.late_days = 3
        today = timezone.localdate()
        p1 = Package.objects.create(department=cls.late, year=cls.year, deadline=today - dt.timedelta(days=cls.late_days))
        workflow.store_facts(p1, cls.admin, other, "测试")
        cls.v_late = _publish(p1, cls.admin)
        p2 = Package.objects.create(department=cls.punctual, year=cls.year, deadline=today + dt.timedelta(days=10))
        workflow.store_facts(p2, cls.admin, facts, "测试")
        cls.v_good = _publish(p2, cls.admin)
        draft = facts.model_copy(deep=True)
        draft.unit.name = "测试州草稿局"
        draft.projects[0].name = "草稿中的保密项目名称"
        cls.draft_pkg = Package.objects.create(department=cls.draft_dept, year=cls.year)
        workflow.store_facts(cls.draft_pkg, cls.admin, draft, "测试")

    def setUp(self):
        cache.clear()
        self.anon = Client()

    def get(self, url, **params) -> str:
        response = self.anon.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        if response["Content-Type"].startswith("application/json"):
            return json.dumps(response.json(), ensure_ascii=False)
        return response.content.decode("utf-8")

    def test_score_is_stored_at_publication_and_backfilled(self):
        stored = VersionScore.objects.get(version=self.v_late)
        first = timezone.localtime(self.v_late.published_at).date()
        expected = quality.score(self.v_late.report, first, self.v_late.package.deadline)
        self.assertEqual(stored.total, expected["total"])
        self.assertEqual(_dim(stored.breakdown, "timeliness")["lost"][0]["count"], self.late_days)
        VersionScore.objects.all().delete()
        self.assertEqual(qualitymodels.refresh(), Version.objects.count())
        self.assertEqual(VersionScore.objects.get(version=self.v_late).total, expected["total"])

    def test_the_bureaus_deadline_of_the_year_comes_before_the_packages_own(self):
        Deadline.objects.create(bureau=self.bureau, year=self.year, date=timezone.localdate() - dt.timedelta(days=2))
        qualitymodels.refresh()
        row = VersionScore.objects.get(version=self.v_good)  # its own deadline is 10 days ahead
        self.assertEqual(_dim(row.breakdown, "timeliness")["lost"][0]["count"], 2)
        self.assertEqual(row.deadline, timezone.localdate() - dt.timedelta(days=2))

    def test_migration_backfill_gives_the_score_publication_stored(self):
        import importlib

        from django.apps import apps

        migration = importlib.import_module("yusuan.web.migrations.0004_portal_quality_search")
        live = {s.version_id: (s.total, s.breakdown) for s in VersionScore.objects.all()}
        VersionScore.objects.all().delete()
        migration.score_versions(apps, None)
        self.assertEqual({s.version_id: (s.total, s.breakdown) for s in VersionScore.objects.all()}, live)

    def test_version_page_says_why_the_score_is_what_it_is(self):
        page = self.get(f"/public/version/{self.v_late.pk}/")
        self.assertIn("为什么是这个分", page)
        self.assertIn("逾期公开", page)
        self.assertIn(f"{self.late_days} 条", page)
        stored = VersionScore.objects.get(version=self.v_late)
        self.assertIn(f'<b class="score">{stored.total}</b>', page)
        for d in stored.breakdown["dimensions"]:
            for x in d["lost"]:
                self.assertIn(x["label"], page)  # every point lost has its reason on the page

    def test_ranking_orders_departments_by_score_with_links(self):
        scores = {v: VersionScore.objects.get(version=v).total for v in (self.v_good, self.v_late)}
        self.assertNotEqual(scores[self.v_good], scores[self.v_late])
        best, second = sorted(scores, key=lambda v: -scores[v])
        page = self.get("/public/ranking/", year=self.year, bureau=self.bureau.pk)
        body = page.split('table class="list ranking"')[1]
        self.assertLess(body.index(best.package.department.name), body.index(second.package.department.name))
        self.assertIn(f"/public/version/{self.v_good.pk}/#quality", body)
        self.assertNotIn(self.draft_dept.name, body)  # unpublished: not ranked
        api = json.loads(self.get("/api/rankings/", year=self.year, bureau=self.bureau.pk))
        self.assertEqual([i["version_id"] for i in api["items"]], [best.pk, second.pk])
        self.assertEqual([i["place"] for i in api["items"]], [1, 2])
        self.assertEqual([Decimal(i["score"]) for i in api["items"]], [scores[best], scores[second]])
        self.assertEqual(Decimal(api["items"][0]["dimensions"]["timeliness"]),
                         Decimal(_dim(VersionScore.objects.get(version=best).breakdown, "timeliness")["earned"]))
        detail = json.loads(self.get(f"/api/versions/{self.v_late.pk}/quality/"))
        self.assertEqual(Decimal(detail["total"]), scores[self.v_late])
        self.assertEqual(detail["dimensions"][0]["lost"][0]["count"], self.late_days)

    def test_side_by_side_shows_each_departments_printed_figures(self):
        page = self.get("/public/side-by-side/", year=self.year, d=[self.punctual.pk, self.late.pk])
        good, late = compare.year_data(self.v_good), compare.year_data(self.v_late)
        self.assertIn(format(good["totals"]["total"], "f"), page)
        self.assertIn("echarts.min.js", page)
        self.assertIn(f"/public/version/{self.v_late.pk}/", page)
        api = json.loads(self.get("/api/side-by-side/", departments=f"{self.punctual.pk},{self.late.pk}", year=self.year))
        self.assertEqual([d["name"] for d in api["departments"]], [self.punctual.name, self.late.name])
        total = next(r for r in api["totals"] if r["key"] == "total")["cells"]
        self.assertEqual([Decimal(c["value"]) for c in total], [good["totals"]["total"], late["totals"]["total"]])
        only_other = sorted(set(late["functions"]) - set(good["functions"]))
        self.assertTrue(only_other)
        row = next(r for r in api["functions"] if r["key"] == only_other[0])["cells"]
        self.assertIsNone(row[0]["value"])  # the example prints no such class: unknown, not 0
        self.assertIsNone(row[0]["share"])
        self.assertIsNotNone(row[1]["value"])
        code, (name, amount) = next(iter(good["functions"].items()))
        share = next(r for r in api["functions"] if r["key"] == code)["cells"][0]["share"]
        self.assertEqual(Decimal(share), (amount / good["totals"]["total"] * 100).quantize(Decimal("0.1")))
        self.assertIn("未列示", page)
        one = self.get("/public/side-by-side/", year=self.year, d=[self.punctual.pk, self.draft_dept.pk])
        self.assertIn("请至少选择两个", one)  # the draft department has nothing public to compare
        self.assertEqual(self.anon.get("/api/side-by-side/", {"departments": f"{self.punctual.pk},{self.draft_dept.pk}",
                                                              "year": self.year}).status_code, 404)

    def test_full_text_index_holds_published_versions_only_and_ranks_by_relevance(self):
        expected = {"sqlite": "fts5", "postgresql": "trgm"}[connection.vendor]
        self.assertEqual(fulltext.backend(), expected)
        if expected == "fts5":
            with connection.cursor() as cur:
                cur.execute(f"select rowid from {fulltext.FTS_TABLE}")
                indexed = {r[0] for r in cur.fetchall()}
            self.assertEqual(indexed, set(Version.objects.values_list("pk", flat=True)))
        else:
            with connection.cursor() as cur:
                cur.execute("select 1 from pg_indexes where indexname = %s", [fulltext.TRGM_INDEX])
                self.assertIsNotNone(cur.fetchone())
        self.assertEqual(fulltext.ranked("草稿中的保密项目"), [])
        self.assertNotIn("草稿中的保密项目", self.get("/public/search/", q="草稿中的保密项目").split("检索结果")[1])
        self.assertEqual(fulltext.ranked("自然资源")[:1], [self.v_good.pk])
        self.assertEqual(fulltext.ranked("档案局"), [self.v_late.pk])  # trigram term
        # two characters make no trigram: still found, ordered by how often the term occurs
        texts = dict(Version.objects.values_list("pk", "search_text"))
        having = sorted((pk for pk, t in texts.items() if "档案" in t), key=lambda pk: (-texts[pk].count("档案"), -pk))
        self.assertIn(self.v_late.pk, having)
        self.assertEqual(fulltext.ranked("档案"), having)
        project = self.v_good.facts["projects"][0]["name"]
        self.assertEqual(fulltext.ranked(f"{project[:4]} 测试州"), [self.v_good.pk])  # terms in different lines
        self.assertEqual(fulltext.ranked('50%_"'), [])  # LIKE and MATCH syntax is text, not an operator
        page = self.get("/public/search/", q="测试州")
        self.assertIn(f"/public/version/{self.v_good.pk}/", page)
        self.assertIn(f"/public/version/{self.v_late.pk}/", page)
