"""The web application's speed work changes no answer: the anonymous API cache serves what the endpoint
would (and is bypassed for signed-in users and invalidated by a publication), and a save that changes
nothing neither checks nor writes."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from test_grid import GridBase, form_of
from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import example_facts

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, TestCase  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from yusuan.web import services, workflow  # noqa: E402
from yusuan.web.models import AuditLog, Bureau, Department, Membership, Package, Region, Role, Version  # noqa: E402

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)


def _version(package: Package, number: int) -> Version:
    """A publication as the portal sees it: an immutable version row with the package's checked facts."""
    v = Version(package=package, number=number, facts=package.facts, report=package.report, tables=package.tables,
                reason="" if number == 1 else "更正")
    v.save()
    return v


class Published(TestCase):
    @classmethod
    def setUpTestData(cls):
        region = Region.objects.create(name="测试州")
        bureau = Bureau.objects.create(region=region, name="测试州财政局")
        dept = Department.objects.create(bureau=bureau, name="测试局")
        cls.admin = get_user_model().objects.create_user(username="guanli", password="x" * 12)
        Membership.objects.create(user=cls.admin, role=Role.ADMIN, bureau=bureau)
        cls.package = Package.objects.create(department=dept, year=2023)
        workflow.store_facts(cls.package, cls.admin, example_facts(), "测试")
        _version(cls.package, 1)

    def setUp(self):
        cache.clear()


class ApiCache(Published):
    def url(self) -> str:
        return f"/api/packages/{self.package.pk}/"

    def test_anonymous_answer_is_cached_and_a_publication_invalidates_it(self):
        anon = Client()
        first = anon.get(self.url())
        self.assertEqual(first.status_code, 200)
        with CaptureQueriesContext(connection) as queries:
            again = anon.get(self.url())
        self.assertEqual(again.content, first.content)
        self.assertEqual(len(queries), 1)  # the publication generation only: the answer came from the cache
        self.assertEqual([v["number"] for v in json.loads(first.content)["versions"]], [1])
        _version(self.package, 2)
        after = json.loads(anon.get(self.url()).content)
        self.assertEqual([v["number"] for v in after["versions"]], [1, 2])
        self.assertEqual(after["current_version"]["number"], 2)

    def test_signed_in_user_is_not_served_the_anonymous_answer(self):
        anon = json.loads(Client().get(self.url()).content)
        self.assertIsNone(anon["state"])
        c = Client()
        c.force_login(self.admin)
        mine = json.loads(c.get(self.url()).content)
        self.assertEqual(mine["state"], self.package.state)  # his rights show the working copy's state

    def test_only_successful_answers_are_cached(self):
        missing = f"/api/packages/{self.package.pk + 1000}/"
        self.assertEqual(Client().get(missing).status_code, 404)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(Client().get(missing).status_code, 404)
        self.assertGreater(len(queries), 1)  # answered by the endpoint again, not from the cache


class SaveWithoutChanges(GridBase):
    def test_no_change_is_neither_checked_nor_written(self):
        c = self.client_as("tian")
        data = form_of(self.page(c), "basic")
        before = Package.objects.get(pk=self.package.pk)
        logged = AuditLog.objects.count()
        with mock.patch.object(services, "check", wraps=services.check) as check:
            response = c.post(reverse("web:grid_save", args=[self.package.pk, "basic"]), data, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        self.assertIn("没有修改，未保存", response.content.decode())
        self.assertEqual(check.call_count, 0)
        after = Package.objects.get(pk=self.package.pk)
        self.assertEqual((after.revision, after.report), (before.revision, before.report))
        self.assertEqual(AuditLog.objects.count(), logged)
        data["r0-amount"] = "123.45"
        with mock.patch.object(services, "check", wraps=services.check) as check:
            self.assertIn("已保存 1 处修改", c.post(reverse("web:grid_save", args=[self.package.pk, "basic"]), data,
                                                  HTTP_HX_REQUEST="true").content.decode())
        self.assertEqual(check.call_count, 1)  # a change is checked as before


class BulkExport(Published):
    def test_export_in_processes_writes_what_the_portal_serves(self):
        """The bulk export (facts read per group, composed in a process pool) writes the same bytes with one
        or two processes, and the same rows as the portal's per-version path (``rows_of``)."""
        import tempfile
        from pathlib import Path

        from yusuan.web import opendata

        other = Package.objects.create(department=self.package.department, year=2022)
        facts = example_facts()
        facts.unit.budget_year = 2022
        workflow.store_facts(other, self.admin, facts, "测试")
        _version(other, 1)
        _version(self.package, 2)  # a correction: only the current version is exported
        with tempfile.TemporaryDirectory() as tmp:
            written = {}
            for workers in (1, 2):
                out = Path(tmp) / str(workers)
                index = opendata.export(out, workers=workers)
                written[workers] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
            self.assertEqual(written[1], written[2])
            self.assertEqual(sorted(e["year"] for e in index), [2022, 2023])
            for e in index:
                vs = next(v for k, v in opendata.groups().items() if k[0] == e["year"])
                self.assertEqual(written[1][Path(e["folder"]) / "figures.csv"], opendata.csv_bytes(opendata.rows_of(vs)))
                self.assertEqual({r["version"] for r in opendata.rows_of(vs)}, {2} if e["year"] == 2023 else {1})


def test_web_server_switches_threads_every_millisecond_unless_told(monkeypatch):
    from yusuan.web.server import switch_interval

    monkeypatch.delenv("YUSUAN_GIL_SWITCH_MS", raising=False)
    assert switch_interval() == 0.001  # not Python's 5 ms: short requests wait behind saves in the same process
    monkeypatch.setenv("YUSUAN_GIL_SWITCH_MS", "5")
    assert switch_interval() == 0.005
    monkeypatch.setenv("YUSUAN_GIL_SWITCH_MS", "abc")
    assert switch_interval() == 0.001
