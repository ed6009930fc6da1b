"""Budget against final account on the portal (issue 12): where a department has both of one year
published, a page and an API answer show per 项 and 三公 item the published budget, the 年初预算 the
final account restates, the 决算数 and the completion rate — the figures of ``yusuan compare``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client, TestCase  # noqa: E402

from yusuan.web import demo_final, workflow  # noqa: E402
from yusuan.web.models import Bureau, Membership, Package, Region, Role  # noqa: E402

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)

pytestmark = pytest.mark.skipif(demo_final.final_example() is None, reason="examples/final-account-2024 not beside the code")


class BudgetFinal(TestCase):
    @classmethod
    def setUpTestData(cls):
        region = Region.objects.create(name="示例市")
        cls.bureau = Bureau.objects.create(region=region, name="示例市财政局（本级）")
        User = get_user_model()
        cls.admin = User.objects.create_user(username="guanli-bf", password="x" * 12)
        Membership.objects.create(user=cls.admin, role=Role.ADMIN, bureau=cls.bureau)
        cls.budget, cls.final = demo_final.load(cls.bureau, cls.admin, cls.admin, cls.admin)
        cls.dept = cls.budget.package.department
        cls.year = cls.budget.package.year
        cls.account = demo_final.final_example()

    def setUp(self):
        cache.clear()
        self.anon = Client()

    def test_both_published_for_one_department_and_year(self):
        self.assertEqual((self.budget.phase, self.final.phase), ("budget", "final"))
        self.assertEqual(self.budget.package.department_id, self.final.package.department_id)
        self.assertEqual(Package.objects.filter(department=self.dept, year=self.year).count(), 2)
        page = self.anon.get(f"/public/department/{self.dept.pk}/").content.decode()
        self.assertIn(f"/public/department/{self.dept.pk}/budget-final/{self.year}/", page)
        doc = self.anon.get(f"/public/version/{self.final.pk}/document/")
        self.assertEqual(doc.status_code, 200)
        self.assertIn("一般公共预算财政拨款支出决算表", doc.content.decode())  # the final account's own layout

    def test_page_and_api_show_budget_final_and_rate_per_row(self):
        response = self.anon.get(f"/public/department/{self.dept.pk}/budget-final/{self.year}/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        data = self.anon.get(f"/api/departments/{self.dept.pk}/budget-final/{self.year}/").json()
        spending = {x.function: x for x in self.account.spending if x.source.value == "general"}
        rows = {r["code"]: r for r in data["functions"]}
        self.assertEqual(set(rows), set(spending))
        for code, line in spending.items():
            r = rows[code]
            self.assertEqual(Decimal(r["restated"]), line.initial_budget)
            self.assertEqual(Decimal(r["published"]), line.initial_budget)  # the budget as published
            self.assertEqual(Decimal(r["actual"]), line.actual)
            rate = (line.actual / line.initial_budget * 100).quantize(Decimal("0.01"))
            self.assertEqual(Decimal(r["rate"]), rate)
            self.assertIn(f"{rate}%", page)
        sangong = {r["name"]: r for r in data["sangong"]}
        reception = next(s for s in self.account.sangong if s.item == "reception")
        self.assertEqual(Decimal(sangong["公务接待费"]["actual"]), reception.actual)
        self.assertIsNone(sangong["公务用车购置费"]["rate"])  # budget 0 / not printed: no rate, not 0%
        self.assertEqual(data["findings"], [])
        self.assertIn("决算重述的年初预算与预算公开数一致", page)

    def test_a_restated_budget_that_differs_is_shown(self):
        """A corrected budget (published as version 2) no longer agrees with what the final account restates."""
        changed = demo_final.budget_of(self.account)
        changed.basic[0].amount += Decimal("5")
        changed.basic_economic[-1].amount += Decimal("5")
        p = self.budget.package
        workflow.store_facts(p, self.admin, changed, "更正")
        workflow.submit(p, self.admin)
        workflow.approve(p, self.admin)
        v2 = workflow.publish(p, self.admin, "更正预算")
        data = self.anon.get(f"/api/departments/{self.dept.pk}/budget-final/{self.year}/").json()
        self.assertEqual(data["budget_version"], v2.pk)
        code = changed.basic[0].function
        row = next(r for r in data["functions"] if r["code"] == code)
        self.assertEqual(Decimal(row["published"]) - Decimal(row["restated"]), Decimal("5"))
        self.assertIn("FB.RESTATED.BUDGET", {f["rule"] for f in data["findings"]})
        page = self.anon.get(f"/public/department/{self.dept.pk}/budget-final/{self.year}/").content.decode()
        self.assertIn("FB.RESTATED.BUDGET", page)

    def test_missing_half_is_not_found(self):
        self.assertEqual(self.anon.get(f"/public/department/{self.dept.pk}/budget-final/{self.year - 1}/").status_code, 404)
        self.assertEqual(self.anon.get(f"/api/departments/{self.dept.pk}/budget-final/{self.year - 1}/").status_code, 404)
