"""The organisation import's updates of existing departments and units (one helper for both since the
tidy-up): a name changed under the same code, a code added, nothing changed — each noted and logged
with old → new, and a rename onto another department's name refused."""

from __future__ import annotations

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up

from django.test import TestCase  # noqa: E402

from yusuan.web import orgimport  # noqa: E402
from yusuan.web.models import AuditLog, Bureau, Department, Region, Unit  # noqa: E402

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)

R = orgimport.OrgRow


class Updates(TestCase):
    @classmethod
    def setUpTestData(cls):
        region = Region.objects.create(name="更新州")
        cls.bureau = Bureau.objects.create(region=region, name="更新州财政局")
        cls.dept = Department.objects.create(bureau=cls.bureau, name="更新州水务局", code="301")
        Department.objects.create(bureau=cls.bureau, name="更新州林业局", code="302")
        cls.unit = Unit.objects.create(department=cls.dept, name="水务局本级", code="")

    def changes(self, plan, kind):
        return [(c.what, c.name, c.detail) for c in plan.changes if c.kind == kind]

    def test_names_and_codes_of_departments_and_units_updated_and_logged(self):
        plan = orgimport.apply([R(2, "更新州", "更新州财政局", "更新州水利局", "301", "水务局本级", "301001")])
        self.assertEqual(self.changes(plan, "更改"), [
            ("部门", "更新州水利局", "名称：更新州水务局 → 更新州水利局"),
            ("单位", "水务局本级", "编码：（无） → 301001")])
        # a unit is renamed under its code
        plan = orgimport.apply([R(2, "更新州", "更新州财政局", "更新州水利局", "301", "水利局本级", "301001")])
        self.assertEqual(self.changes(plan, "更改"), [("单位", "水利局本级", "名称：水务局本级 → 水利局本级")])
        self.dept.refresh_from_db()
        self.unit.refresh_from_db()
        self.assertEqual((self.dept.name, self.unit.name, self.unit.code), ("更新州水利局", "水利局本级", "301001"))
        logged = {(x.old, x.new) for x in AuditLog.objects.filter(action="org_import", bureau=self.bureau)}
        self.assertIn(("更新州水务局", "更新州水利局"), logged)
        self.assertIn(("（无）", "301001"), logged)
        self.assertIn(("水务局本级", "水利局本级"), logged)
        # the same file again: nothing changes
        again = orgimport.apply([R(2, "更新州", "更新州财政局", "更新州水利局", "301", "水利局本级", "301001")])
        self.assertEqual(self.changes(again, "更改"), [])
        self.assertEqual([c.what for c in again.changes if c.kind == "不变"], ["部门", "单位"])

    def test_a_blank_code_keeps_the_code_and_a_rename_onto_another_name_is_refused(self):
        plan = orgimport.plan([R(2, "更新州", "更新州财政局", "更新州水务局", "", "水务局本级", "")])
        self.assertEqual(self.changes(plan, "更改"), [])
        with self.assertRaises(orgimport.Refused) as refused:
            orgimport.apply([R(2, "更新州", "更新州财政局", "更新州林业局", "301")])
        self.assertIn("改名为“更新州林业局”，但更新州财政局已有同名部门", refused.exception.problems[0])
        self.dept.refresh_from_db()
        self.assertEqual(self.dept.name, "更新州水务局")
