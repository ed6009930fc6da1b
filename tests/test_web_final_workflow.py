"""Final accounts (部门决算) through the workflow (issue 11 on issue 12's budget against final account):
a department's preparer creates the year's 决算 package, downloads the final-account input workbook,
fills it by uploading it (checked at once with the final-account rules), and it goes through
submission, review and publication exactly like a budget; the portal then shows it beside the
budget of the same year. A workbook of the wrong kind or one that cannot be read changes nothing."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import workbook

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client, TestCase  # noqa: E402
from django.urls import reverse  # noqa: E402

from yusuan.web import demo_final  # noqa: E402
from yusuan.web.models import AuditLog, Bureau, Department, Membership, Package, Region, Role, State  # noqa: E402

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)
pytestmark = pytest.mark.skipif(demo_final.final_example() is None, reason="examples/final-account-2024 not beside the code")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FinalWorkflow(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.account = demo_final.final_example()
        cls.year = cls.account.unit.budget_year
        region = Region.objects.create(name="示例市")
        cls.bureau = Bureau.objects.create(region=region, name="示例市财政局（本级）")
        cls.dept = Department.objects.create(bureau=cls.bureau, name=cls.account.unit.name)
        User = get_user_model()
        cls.users = {}
        for name, role, dept, bureau in (("tianbao", Role.PREPARER, cls.dept, None), ("fuze", Role.HEAD, cls.dept, None),
                                         ("shenhe", Role.REVIEWER, None, cls.bureau),
                                         ("fabu", Role.PUBLISHER, None, cls.bureau)):
            u = User.objects.create_user(username=f"final-{name}", password="x" * 12)
            Membership.objects.create(user=u, role=role, department=dept, bureau=bureau)
            cls.users[name] = u
        cls.final_xlsx = workbook(cls.account)
        cls.budget_xlsx = workbook(demo_final.budget_of(cls.account))

    def setUp(self):
        cache.clear()

    def as_(self, name: str) -> Client:
        c = Client()
        c.force_login(self.users[name])
        return c

    def create(self, phase: str):
        response = self.as_("tianbao").post(reverse("web:new_package", args=[self.dept.pk]),
                                            {"year": str(self.year), "phase": phase})
        self.assertEqual(response.status_code, 302)
        return Package.objects.get(department=self.dept, year=self.year, phase=phase)

    def upload(self, package: Package, data: bytes, name: str = "录入.xlsx"):
        return self.as_("tianbao").post(reverse("web:upload", args=[package.pk]),
                                        {"workbook": SimpleUploadedFile(name, data, content_type=XLSX)})

    def unchanged(self, package: Package, before: Package) -> None:
        package.refresh_from_db()
        self.assertEqual((package.facts, package.revision, package.state, package.source_name),
                         (before.facts, before.revision, before.state, before.source_name))

    def test_final_package_through_upload_review_and_publication(self):
        budget = self.create("budget")
        self.assertEqual(self.upload(budget, self.budget_xlsx, "预算.xlsx").status_code, 302)
        final = self.create("final")
        self.assertNotEqual(budget.pk, final.pk)
        self.assertEqual((final.phase, final.state, final.facts), ("final", State.DRAFT, None))

        page = self.as_("tianbao").get(reverse("web:package", args=[final.pk])).content.decode()
        self.assertIn(f"{self.year}年部门决算", page)
        self.assertIn("部门决算 Excel 录入工作簿", page)
        # the blank workbook of an empty final package is the final-account template
        blank = self.as_("tianbao").get(reverse("web:workbook", args=[final.pk]))
        from openpyxl import load_workbook

        from yusuan.excel.final_layout import MARKER

        self.assertIn(MARKER, load_workbook(io.BytesIO(blank.content), read_only=True).sheetnames)
        self.assertIn("决算录入", unquote(blank["Content-Disposition"]))

        response = self.upload(final, self.final_xlsx, "决算.xlsx")
        self.assertEqual(response.status_code, 302)
        final.refresh_from_db()
        self.assertEqual(final.facts.get("account"), "final")
        self.assertEqual(final.fatal, 0)
        self.assertTrue(final.tables, "the final account's tables are composed and checked at once")
        self.assertTrue(any("决算" in t["label"] for t in final.tables))
        # the browser grids are the budget workbook's sheets: a final package is not saved through them
        before = Package.objects.get(pk=final.pk)
        grid = self.as_("tianbao").post(reverse("web:grid_save", args=[final.pk, "basic"]), {"revision": "x"})
        self.assertEqual(grid.status_code, 400)
        self.assertIn("决算包不能在网页表格中编辑", grid.content.decode())
        self.unchanged(final, before)
        # the uploaded workbook comes back as a final-account workbook with the facts
        again = self.as_("tianbao").get(reverse("web:workbook", args=[final.pk]))
        self.assertIn(MARKER, load_workbook(io.BytesIO(again.content), read_only=True).sheetnames)

        for who, url in (("fuze", "web:submit"), ("shenhe", "web:approve"), ("fabu", "web:publish")):
            self.assertEqual(self.as_(who).post(reverse(url, args=[final.pk])).status_code, 302, url)
            final.refresh_from_db()
        self.assertEqual(final.state, State.PUBLISHED)
        v = final.latest_version
        self.assertEqual((v.number, v.phase), (1, "final"))

        # the budget too: then the portal shows budget against final account
        for who, url in (("fuze", "web:submit"), ("shenhe", "web:approve"), ("fabu", "web:publish")):
            self.assertEqual(self.as_(who).post(reverse(url, args=[budget.pk])).status_code, 302, url)
        anon = Client()
        dept_page = anon.get(reverse("web:department", args=[self.dept.pk])).content.decode()
        self.assertIn(reverse("web:budget_final", args=[self.dept.pk, self.year]), dept_page)
        self.assertIn("部门决算", dept_page)
        bf = anon.get(reverse("web:budget_final", args=[self.dept.pk, self.year]))
        self.assertEqual(bf.status_code, 200)
        self.assertEqual(anon.get(reverse("web:version", args=[v.pk])).status_code, 200)
        download = anon.get(reverse("web:download", args=[v.pk, "xlsx"]))
        self.assertIn(f"{self.year}年部门决算公开（第1版）.xlsx", unquote(download["Content-Disposition"]))

    def test_wrong_kind_of_workbook_changes_nothing_and_says_why(self):
        final = self.create("final")
        budget = self.create("budget")
        for package, data, said in ((final, self.budget_xlsx, "这是部门预算录入工作簿，本决算包应上传部门决算录入工作簿"),
                                    (budget, self.final_xlsx, "这是部门决算录入工作簿，本预算包应上传部门预算录入工作簿")):
            before = Package.objects.get(pk=package.pk)
            logs = AuditLog.objects.filter(package=package).count()
            response = self.upload(package, data)
            self.assertEqual(response.status_code, 400)
            text = response.content.decode()
            self.assertIn(said, text)
            self.assertIn(f"{package.stage_zh}包未作任何更改", text)
            self.unchanged(package, before)
            self.assertEqual(AuditLog.objects.filter(package=package).count(), logs)

    def test_unreadable_or_other_year_workbook_changes_nothing(self):
        final = self.create("final")
        self.assertEqual(self.upload(final, self.final_xlsx).status_code, 302)
        before = Package.objects.get(pk=final.pk)
        response = self.upload(final, b"PK\x03\x04 not really a workbook")
        self.assertEqual(response.status_code, 400)
        self.assertIn("不是有效的 Excel 工作簿", response.content.decode())
        self.unchanged(final, before)
        other = self.account.model_copy(deep=True)
        other.unit.budget_year = self.year + 1
        response = self.upload(final, workbook(other))
        self.assertEqual(response.status_code, 400)
        self.assertIn(f"本决算包为 {self.year} 年，未作更改", response.content.decode())
        self.unchanged(final, before)

    def test_one_package_per_department_year_and_stage(self):
        self.create("final")
        response = self.as_("tianbao").post(reverse("web:new_package", args=[self.dept.pk]),
                                            {"year": str(self.year), "phase": "final"}, follow=True)
        self.assertIn(f"{self.dept.name}{self.year}年的决算包已存在", response.content.decode())
        response = self.as_("tianbao").post(reverse("web:new_package", args=[self.dept.pk]),
                                            {"year": str(self.year), "phase": "both"}, follow=True)
        self.assertIn("阶段应为“预算”或“决算”", response.content.decode())
        self.assertEqual(Package.objects.filter(department=self.dept, year=self.year).count(), 1)
        # a budget of the same year is another package
        self.create("budget")
        self.assertEqual(Package.objects.filter(department=self.dept, year=self.year).count(), 2)

    def test_dashboard_lists_the_stage_and_offers_both(self):
        self.create("final")
        page = self.as_("tianbao").get(reverse("web:dashboard")).content.decode()
        self.assertIn('<option value="final">部门决算</option>', page)
        self.assertIn("<td>决算</td>", page)

    def test_overview_per_stage(self):
        final = self.create("final")
        self.assertEqual(self.upload(final, self.final_xlsx).status_code, 302)
        from yusuan.web.overview import rows_for

        [budget_row] = rows_for(self.bureau, self.year, phase="budget")
        [final_row] = rows_for(self.bureau, self.year, phase="final")
        self.assertIsNone(budget_row.package)  # no budget package yet: 未建立, not the final account
        self.assertEqual(final_row.package.pk, final.pk)
        self.assertEqual(final_row.fatal, 0)
        page = self.as_("shenhe").get(reverse("web:overview", args=[self.bureau.pk]) + f"?year={self.year}&phase=final")
        self.assertIn(f"{self.year}年部门决算", page.content.decode())
        self.assertIn(reverse("web:package", args=[final.pk]), page.content.decode())
