"""The public portal, its API and the open data (issue 12): a draft change reaches no public page,
search result, API answer or bulk file before publication and all of them after; the API answers
its own OpenAPI description (schemathesis); open data keeps every printed figure as a decimal."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import example_facts

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client, TestCase  # noqa: E402

from yusuan.web import opendata, workflow  # noqa: E402
from yusuan.web.models import Bureau, Department, Membership, Package, Region, Role  # noqa: E402

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)

RENAMED = "测绘新装备示范项目"


def _publish(package, user, reason=""):
    workflow.submit(package, user)
    workflow.approve(package, user)
    return workflow.publish(package, user, reason)


class Portal(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.region = Region.objects.create(name="昌吉回族自治州")
        bureau = Bureau.objects.create(region=cls.region, name="昌吉州财政局")
        cls.dept = Department.objects.create(bureau=bureau, name="昌吉州自然资源局")
        cls.admin = get_user_model().objects.create_user(username="guanli", password="x" * 12)
        Membership.objects.create(user=cls.admin, role=Role.ADMIN, bureau=bureau)
        facts = example_facts()
        prev = facts.model_copy(deep=True)
        prev.unit.budget_year -= 1
        prev.last_year = {}
        cls.gone = prev.projects[-1].name
        facts.projects = facts.projects[:-1]  # a project of the year before that this year no longer has
        facts.performance = [t for t in facts.performance if t.project != cls.gone]
        cls.old_package = Package.objects.create(department=cls.dept, year=prev.unit.budget_year)
        workflow.store_facts(cls.old_package, cls.admin, prev, "上年")
        cls.old = _publish(cls.old_package, cls.admin)
        cls.package = Package.objects.create(department=cls.dept, year=facts.unit.budget_year)
        workflow.store_facts(cls.package, cls.admin, facts, "本年")
        cls.v1 = _publish(cls.package, cls.admin)
        cls.facts = facts

    def setUp(self):
        cache.clear()
        self.anon = Client()

    def get(self, url, **params) -> str:
        response = self.anon.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        if response["Content-Type"].startswith("application/json"):  # the text, not its \u escapes
            return json.dumps(response.json(), ensure_ascii=False)
        return response.content.decode("utf-8-sig")

    def public_views(self) -> dict[str, str]:
        """Everything the public can read about the department, each as text."""
        v = self.package.versions.order_by("-number").first()
        out = {"home": self.get("/public/"), "search": self.get("/public/search/", q=RENAMED),
               "department": self.get(f"/public/department/{self.dept.pk}/"),
               "compare": self.get(f"/public/department/{self.dept.pk}/compare/"),
               "version": self.get(f"/public/version/{v.pk}/"),
               "api_search": self.get("/api/packages/", search=RENAMED),
               "api_tables": self.get(f"/api/versions/{v.pk}/tables/"),
               "api_comparison": self.get(f"/api/departments/{self.dept.pk}/comparison/"),
               "bulk_csv": self.get(f"/public/open-data/{self.package.year}-region{self.region.pk}/figures.csv")}
        return out

    def test_draft_change_is_public_nowhere_before_publication_and_everywhere_after(self):
        before = self.public_views()  # fills the public cache, which publication must invalidate
        changed = self.facts.model_copy(deep=True)
        old_name = changed.projects[0].name
        changed.projects[0].name = RENAMED
        for t in changed.performance:
            if t.project == old_name:
                t.project = RENAMED
        changed.basic[0].amount += 1
        changed.basic_economic[0].amount += 1
        total_before = opendata.figures(self.v1)
        total_before = next(f["amount"] for f in total_before if f["table_kind"] == "expenditure" and f["row_role"] == "total"
                            and f["column_key"] == "total")
        new_total = format(total_before + 1, "f")
        workflow.store_facts(self.package, self.admin, changed, "更正")
        during = self.public_views()
        during["search"] = during["search"].split("检索结果")[1]  # the page repeats the query itself
        self.assertNotIn("/public/version/", during["search"])
        for name, text in during.items():
            self.assertNotIn(RENAMED, text, f"draft project name on {name} before publication")
            self.assertNotIn("/v2", text, name)
        self.assertEqual(json.loads(during["api_search"])["count"], 0)
        self.assertNotIn(f",{new_total}\n", during["bulk_csv"])
        self.assertEqual(before["bulk_csv"], during["bulk_csv"])
        self.assertEqual(self.anon.get(f"/api/packages/{self.package.pk}/draft/").status_code, 403)
        signed = Client()
        signed.force_login(self.admin)
        draft = signed.get(f"/api/packages/{self.package.pk}/draft/").json()
        self.assertIn(RENAMED, json.dumps(draft, ensure_ascii=False))  # the preparers' view has it
        _publish(self.package, self.admin, "项目名称更正")
        after = self.public_views()
        for name in ("search", "version", "api_tables", "compare", "api_comparison"):
            self.assertIn(RENAMED, after[name], f"published project name missing on {name}")
        self.assertEqual(json.loads(after["api_search"])["count"], 1)
        self.assertIn(f",{new_total}\n", after["bulk_csv"])
        self.assertIn("/v2,", after["bulk_csv"])
        self.assertIn("项目名称更正", after["version"])  # the history shows the correction's reason
        self.assertIn("已更正", after["home"])
        out = self._tmp()
        opendata.export(out)
        text = (out / f"{self.package.year}-region{self.region.pk}" / "figures.csv").read_text(encoding="utf-8-sig")
        self.assertIn("/v2,", text)
        self.assertNotIn("/v1,", text)  # only the current version of each package is bulk data

    def _tmp(self):
        import tempfile
        from pathlib import Path

        return Path(tempfile.mkdtemp(prefix="yusuan-open-"))

    def test_search_finds_department_project_and_function_class(self):
        project = self.facts.projects[0].name
        for q in ("昌吉", "自然资源", project[2:8], self.facts.projects[0].function[:3], "自然资源海洋气象"):
            page = self.get("/public/search/", q=q)
            self.assertIn(f"/public/version/{self.v1.pk}/", page, q)
        self.assertNotIn("/public/version/", self.get("/public/search/", q="不存在的部门名称"))
        api = json.loads(self.get("/api/packages/", search="昌吉"))
        self.assertEqual({p["year"] for p in api["items"]}, {self.package.year, self.old_package.year})

    def test_comparison_shows_vanished_project_and_unknown_is_not_zero(self):
        page = self.get(f"/public/department/{self.dept.pk}/compare/")
        self.assertIn(self.gone, page.split("不再列示的项目")[1])
        data = json.loads(self.get(f"/api/departments/{self.dept.pk}/comparison/"))
        self.assertEqual(data["years"], [self.old_package.year, self.package.year])
        total = data["totals"][0]["cells"]
        self.assertIsInstance(total[1]["value"], str)
        self.assertEqual(Decimal(total[1]["diff"]), Decimal(total[1]["value"]) - Decimal(total[0]["value"]))
        self.assertIn(self.gone, data["projects"][0]["gone"])
        self.assertIn("echarts.min.js", page)
        self.assertEqual(self.anon.get("/static/web/vendor/echarts/echarts.min.js").status_code, 200)

    def test_open_data_keeps_every_printed_figure_as_decimal(self):
        import pyarrow.parquet as pq

        rows = opendata.figures(self.v1)
        printed = sum(1 for t in _tables(self.v1) for r in t.rows for c in r.cells.values() if c.value is not None)
        self.assertEqual(len(rows), printed)
        slug = f"{self.package.year}-region{self.region.pk}"
        table = pq.read_table(io.BytesIO(self.anon.get(f"/public/open-data/{slug}/figures.parquet").content))
        self.assertEqual(table.num_rows, len(rows))
        self.assertEqual(sum(table.column("amount").to_pylist()), sum(r["amount"] for r in rows))
        desc = json.loads(self.get(f"/public/open-data/{slug}/datapackage.json"))
        types = {f["name"]: f.get("columnType") for f in desc["resources"][0]["schema"]["fields"]}
        for wanted in ("phase:id", "direction:id", "functional-classification:generic:code",
                       "economic-classification:generic:code", "value", "date:fiscal-year"):
            self.assertIn(wanted, types.values())
        self.assertTrue(any(r["function_code"] for r in rows) and any(r["economic_code"] for r in rows))
        self.assertEqual({r["direction"] for r in rows}, {"revenue", "expenditure"})
        csv_text = self.get(f"/public/version/{self.v1.pk}/download/csv")
        self.assertNotIn("e+", csv_text.lower().split("amount", 1)[1][:2000])  # decimals, never floats

    def test_version_page_in_region_layout_with_downloads(self):
        page = self.get(f"/public/version/{self.v1.pk}/")
        for fmt in ("csv", "facts.json", "report.json"):
            self.assertIn(f"/download/{fmt}", page)
            self.assertEqual(self.anon.get(f"/public/version/{self.v1.pk}/download/{fmt}").status_code, 200)
        doc = self.anon.get(f"/public/version/{self.v1.pk}/document/")
        self.assertEqual(doc["X-Frame-Options"], "SAMEORIGIN")
        self.assertIn("部门收支总体情况表", doc.content.decode())

    def test_api_schema_has_no_server_error_and_no_violation(self):
        import schemathesis
        from django.core.handlers.wsgi import WSGIHandler
        from hypothesis import HealthCheck, given, settings

        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections

        # as Django's test client does: a request must not close the test case's connection (PostgreSQL)
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.addCleanup(request_started.connect, close_old_connections)
        self.addCleanup(request_finished.connect, close_old_connections)
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
        self.assertTrue(schema.raw_schema["openapi"].startswith("3."))
        operations = [r.ok() for r in schema.get_all_operations()]
        self.assertGreaterEqual(len(operations), 10)
        for op in operations:
            @given(case=op.as_strategy())
            @settings(max_examples=12, deadline=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                if "pk" in (case.path_parameters or {}) and case.path_parameters["pk"] % 3 == 0:
                    case.path_parameters["pk"] = self.v1.pk  # real objects as well as missing ones
                case.call_and_validate()

            run()


def _tables(v):
    from yusuan.compose import compose
    from yusuan.model import BudgetPackage

    return compose(BudgetPackage.model_validate(v.facts)).tables
