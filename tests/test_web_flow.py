"""The bureau's year in the web application (issue 11): the organisation tree imported from a
spreadsheet, the bureau's configuration of the checks deciding what blocks submission, a new year's
package carried over from last year's published version, and its diff against that version."""

from __future__ import annotations

import io

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import example_facts, workbook

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from test_web import XLSX, Base  # noqa: E402
from yusuan.web import carryover, orgimport, workflow  # noqa: E402
from yusuan.web.models import AuditLog, Bureau, Department, Package, Region, RuleSetting, State, Unit, Version  # noqa: E402

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)

HEADER = ["区划", "财政局", "部门名称", "部门编码", "单位名称", "单位编码", "上级单位"]


def xlsx(rows: list[list], header=HEADER, title: str | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


TREE = [
    ["测试州", "测试州财政局", "测试州教育局", "201", "", "", ""],
    ["测试州", "测试州财政局", "测试州教育局", "201", "测试州教育局本级", "201001", ""],
    ["测试州", "测试州财政局", "测试州教育局", "201", "测试州第一中学", "201002", "201001"],
    ["测试州", "测试州财政局", "测试州卫生健康委员会", "202", "测试州人民医院", "202001", ""],
]


class OrgImport(Base):
    def preview(self, data: bytes, name: str = "机构.xlsx", role: str = "admin"):
        client = self.client_as(role)
        response = client.post(reverse("web:org_import"), {"file": SimpleUploadedFile(name, data, content_type=XLSX)})
        return client, response

    def test_template_preview_confirm_and_reimport_changes_nothing(self):
        template = self.client_as("admin").get(reverse("web:org_template"))
        self.assertEqual(template.status_code, 200)
        from openpyxl import load_workbook

        header = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows(max_row=1))]
        self.assertEqual(header, HEADER)
        before = Department.objects.count()
        client, response = self.preview(xlsx(TREE))
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("导入预览", page)
        self.assertIn("测试州第一中学", page)
        self.assertEqual(Department.objects.count(), before, "the preview changes nothing")
        self.assertEqual(response.context["plan"].created, 5)  # 2 departments, 3 units
        response = client.post(reverse("web:org_confirm"))
        self.assertEqual(response.status_code, 302)
        edu = Department.objects.get(bureau=self.bureau, code="201")
        self.assertEqual(edu.name, "测试州教育局")
        school = Unit.objects.get(department=edu, code="201002")
        self.assertEqual(school.parent.code, "201001")
        self.assertEqual(Department.objects.count(), before + 2)
        logged = AuditLog.objects.filter(action="org_import", bureau=self.bureau)
        self.assertGreaterEqual(logged.count(), 5)
        self.assertIn("第4行", " ".join(logged.values_list("note", flat=True)))
        # the same file again: nothing to create or change
        client, response = self.preview(xlsx(TREE))
        plan = response.context["plan"]
        self.assertEqual((plan.created, plan.changed), (0, 0))
        self.assertIn("无需导入", response.content.decode())
        # a department renamed under the same code is a change, not a new department
        renamed = [r[:] for r in TREE]
        for r in renamed:
            if r[3] == "202":
                r[2] = "测试州卫生健康委"
        client, response = self.preview(xlsx(renamed))
        plan = response.context["plan"]
        self.assertEqual((plan.created, plan.changed), (0, 1))
        self.assertIn("测试州卫生健康委员会 → 测试州卫生健康委", response.content.decode())
        client.post(reverse("web:org_confirm"))
        self.assertEqual(Department.objects.get(bureau=self.bureau, code="202").name, "测试州卫生健康委")
        self.assertEqual(Department.objects.count(), before + 2)

    def test_bad_lines_are_named_by_row_and_column_and_nothing_is_imported(self):
        before = (Department.objects.count(), Unit.objects.count())
        bad = [
            ["测试州", "测试州财政局", "测试州教育局", "201", "", "", ""],
            ["测试州", "测试州财政局", "", "203", "", "", ""],                # no department name
            ["测试州", "测试州财政局", "测试州体育局", "201", "", "", ""],      # code 201 is 教育局 on row 3
            ["测试州", "测试州财政局", "测试州民政局", "204", "", "204001", ""],  # a unit code without a unit
        ]
        _, response = self.preview(xlsx(bad, title="2024年部门及单位名单"))  # a title line above the header
        self.assertEqual(response.status_code, 400)
        page = response.content.decode()
        self.assertIn("未导入任何内容", page)
        self.assertIn("第4行 C列（部门名称）", page)
        self.assertIn("不能为空", page)
        self.assertIn("第5行 C列（部门名称）", page)
        self.assertIn("部门编码 201 在第3行是“测试州教育局”", page)
        self.assertIn("第6行 F列（单位编码）", page)
        self.assertEqual((Department.objects.count(), Unit.objects.count()), before)
        _, response = self.preview(b"not a workbook", name="机构.xlsx")
        self.assertEqual(response.status_code, 400)
        self.assertIn("无法作为 Excel 工作簿读取", response.content.decode())
        _, response = self.preview(xlsx(TREE, header=["地区", "单位"]))
        self.assertIn("找不到表头", response.content.decode())

    def test_another_bureaus_lines_are_refused_for_a_bureau_admin(self):
        before = Department.objects.count()
        rows = TREE + [["测试州", "另一财政局", "另一局的部门", "901", "", "", ""],
                       ["新州", "新州财政局", "新州的部门", "902", "", "", ""]]
        _, response = self.preview(xlsx(rows))
        self.assertEqual(response.status_code, 400)
        page = response.content.decode()
        self.assertIn("第6行：您无权导入“测试州 另一财政局”的机构", page)
        self.assertIn("第7行", page)
        self.assertEqual(Department.objects.count(), before)
        self.assertFalse(Region.objects.filter(name="新州").exists())

    def test_csv_in_gbk_and_all_or_nothing_against_the_database(self):
        text = "区划,财政局,部门名称,部门编码\n测试州,测试州财政局,测试州水利局,205\n"
        _, response = self.preview(text.encode("gbk"), name="机构.csv")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["plan"].created, 1)
        # the last line contradicts the database (the name exists with another code): the first is not kept either
        Department.objects.create(bureau=self.bureau, name="测试州林业局", code="300")
        rows = [orgimport.OrgRow(2, "测试州", "测试州财政局", "测试州农业局", "206"),
                orgimport.OrgRow(3, "测试州", "测试州财政局", "测试州林业局", "301")]
        with self.assertRaises(orgimport.Refused) as refused:
            orgimport.apply(rows)
        self.assertIn("第3行", refused.exception.problems[0])
        self.assertFalse(Department.objects.filter(name="测试州农业局").exists())


class RulesConfiguration(Base):
    """The bureau's severities decide what blocks submission; another bureau is not affected."""

    def setUp(self):
        facts = example_facts()
        project = next(p for p in facts.projects if p.economic)
        project.economic[0].amount += 7  # F.PROJECT.ECONOMIC: fatal by default
        self.facts = facts
        workflow.store_facts(self.package, None, facts, "test")
        self.far = Package.objects.get(department=self.far_dept)
        workflow.store_facts(self.far, None, facts, "test")

    def save(self, role: str, rule: str, level: str, reason: str = "本局暂按提示处理", follow: bool = False):
        return self.client_as(role).post(reverse("web:rules_config_save", args=[self.bureau.pk]),
                                         {"rule": rule, "level": level, "reason": reason}, follow=follow)

    def fatal_rules(self, p: Package) -> set[str]:
        p.refresh_from_db()
        return {f["rule"] for f in p.report["findings"] if f["severity"] == "fatal"}

    def test_lowered_severity_unblocks_submission_and_is_shown_with_the_default(self):
        self.assertIn("F.PROJECT.ECONOMIC", self.fatal_rules(self.package))
        fatal_before = self.package.fatal
        self.assertEqual(self.client_as("head").post(reverse("web:submit", args=[self.package.pk])).status_code, 400)
        response = self.save("reviewer", "F.PROJECT.ECONOMIC", "warning", "", follow=True)  # a reason is required
        self.assertIn("须填写理由", response.content.decode())
        self.assertFalse(RuleSetting.objects.exists())
        self.assertIn("没有编号为“NO.SUCH.RULE”的规则", self.save("reviewer", "NO.SUCH.RULE", "warning", follow=True).content.decode())
        self.assertFalse(RuleSetting.objects.exists())
        self.assertEqual(self.save("reviewer", "F.PROJECT.ECONOMIC", "warning").status_code, 302)
        self.assertNotIn("F.PROJECT.ECONOMIC", self.fatal_rules(self.package))
        self.assertLess(self.package.fatal, fatal_before)
        finding = next(f for f in self.package.report["findings"] if f["rule"] == "F.PROJECT.ECONOMIC")
        self.assertEqual((finding["severity"], finding["default_severity"]), ("warning", "fatal"))
        page = self.client_as("head").get(reverse("web:package", args=[self.package.pk])).content.decode()
        self.assertIn("本局配置（默认错误）", page)
        self.assertIn("本局暂按提示处理", page)
        grid = self.client_as("preparer").get(reverse("web:grid", args=[self.package.pk])).content.decode()
        self.assertIn("本局配置（默认错误）", grid)
        # the other bureau's package keeps the default
        self.assertIn("F.PROJECT.ECONOMIC", self.fatal_rules(self.far))
        log = AuditLog.objects.get(action="rule_config", bureau=self.bureau)
        self.assertEqual((log.field, log.old, log.new, log.note), ("F.PROJECT.ECONOMIC", "默认（错误）", "警告", "本局暂按提示处理"))
        if self.package.fatal == 0:
            self.assertEqual(self.client_as("head").post(reverse("web:submit", args=[self.package.pk])).status_code, 302)

    def test_rule_switched_off_and_back_to_default(self):
        self.assertEqual(self.save("admin", "F.PROJECT.ECONOMIC", "off", "项目经济分类暂不要求").status_code, 302)
        self.package.refresh_from_db()
        self.assertNotIn("F.PROJECT.ECONOMIC", {f["rule"] for f in self.package.report["findings"]})
        self.assertEqual(self.package.report["bureau_config"][0]["level"], "off")
        # an upload is checked with the configuration too
        self.client_as("preparer").post(reverse("web:upload", args=[self.package.pk]),
                                        {"workbook": SimpleUploadedFile("b.xlsx", workbook(self.facts), content_type=XLSX)})
        self.assertNotIn("F.PROJECT.ECONOMIC", {f["rule"] for f in Package.objects.get(pk=self.package.pk).report["findings"]})
        self.assertEqual(self.save("admin", "F.PROJECT.ECONOMIC", "default", "恢复默认").status_code, 302)
        self.assertFalse(RuleSetting.objects.exists())
        self.assertIn("F.PROJECT.ECONOMIC", self.fatal_rules(self.package))
        page = self.client_as("reviewer").get(reverse("web:rules_config", args=[self.bureau.pk])).content.decode()
        self.assertIn("项目经济分类暂不要求", page)  # the log keeps both changes
        self.assertIn("恢复默认", page)

    def test_published_under_the_configuration_without_the_draft_mark(self):
        """Fatal by default, lowered by the bureau: approved and published, the files are not stamped 草稿."""
        from openpyxl import load_workbook

        from yusuan.render.xlsx import DRAFT_MARK

        for rule in sorted(self.fatal_rules(self.package)):
            self.assertEqual(self.save("admin", rule, "warning", "本局按警告处理").status_code, 302)
        self.package.refresh_from_db()
        self.assertEqual(self.package.fatal, 0)
        for role, action in (("head", "submit"), ("reviewer", "approve"), ("publisher", "publish")):
            response = self.client_as(role).post(reverse(f"web:{action}", args=[self.package.pk]))
            self.assertEqual(response.status_code, 302, (action, response.content.decode()[:500]))
        v = Version.objects.get(package=self.package)
        self.assertTrue(v.report["bureau_config"])
        with v.xlsx.open("rb") as fh:
            wb = load_workbook(io.BytesIO(fh.read()))
        cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows(max_row=2) for c in row if c.value}
        self.assertNotIn(DRAFT_MARK, cells)

    def test_a_published_version_keeps_its_report(self):
        self.package.state = State.PUBLISHED
        self.package.save()
        report = self.package.report
        self.save("admin", "F.PROJECT.ECONOMIC", "info")
        self.package.refresh_from_db()
        self.assertEqual(self.package.report, report)


class CarryOver(Base):
    def publish(self, package: Package, facts) -> Version:
        workflow.store_facts(package, None, facts, "test")
        package.state = State.APPROVED
        package.save()
        return workflow.publish(package, self.users["publisher"])

    def test_new_year_carries_published_figures_and_texts_and_the_diff_shows_changes(self):
        from yusuan import derive

        facts = example_facts()
        v = self.publish(self.package, facts)
        response = self.client_as("preparer").post(reverse("web:new_package", args=[self.dept.pk]), {"year": "2024"})
        new = Package.objects.get(department=self.dept, year=2024)
        self.assertRedirects(response, reverse("web:package", args=[new.pk]), fetch_redirect_response=False)
        carried = new.facts["last_year"]
        self.assertEqual(new.facts["unit"]["budget_year"], 2024)
        from decimal import Decimal

        self.assertEqual(Decimal(carried["expenditure:basic"]["amount"]), derive.total(facts, kind="basic"))
        self.assertEqual(Decimal(carried["sangong:total"]["amount"]), derive.sangong(facts)["total"])
        self.assertEqual(Decimal(carried["operating_costs"]["amount"]), facts.operating_costs)  # stated in the text only
        self.assertTrue(all(item.get("reason") is None for item in carried.values()), "reasons are this year's to write")
        self.assertEqual(carried["income:fund"]["amount"], "0")  # its text states 政府性基金 0: a published zero
        self.assertNotIn("income:business", carried)  # neither funded nor stated last year: unknown, not 0
        self.assertEqual(new.facts["overview"], v.facts["overview"])  # last year's texts as the starting draft
        self.assertEqual(AuditLog.objects.filter(package=new, action="create").count(), 1)
        # last year's amounts unchanged: said on the page, and it cannot be submitted yet
        page = self.client_as("reviewer").get(reverse("web:package", args=[new.pk])).content.decode()
        self.assertIn(reverse("web:diff", args=[new.pk]), page)
        self.assertIn("本年各项金额仍与上年完全相同", page)
        response = self.client_as("head").post(reverse("web:submit", args=[new.pk]))
        self.assertEqual(response.status_code, 400)
        self.assertIn("结转后尚未按本年预算更新", response.content.decode())
        self.assertEqual(Package.objects.get(pk=new.pk).state, State.DRAFT)
        # the diff: a changed figure and a changed paragraph
        draft = carryover.carried_package(v.facts, 2024)
        draft.sangong[0].amount += 3
        draft.overview.functions = list(draft.overview.functions) + ["新增职能：测试。"]
        workflow.store_facts(new, None, draft, "edit")
        response = self.client_as("head").get(reverse("web:diff", args=[new.pk]))
        self.assertEqual(response.status_code, 200)
        d = response.context["diff"]
        sangong = next(t for t in d.tables if "三公" in t.label and t.changes)
        self.assertTrue(any(c.new != c.old for c in sangong.changes))
        html = response.content.decode()
        self.assertIn("<ins>新增职能：测试。</ins>", html)
        self.assertGreater(d.changed_paragraphs, 0)
        self.assertIsNone(carryover.not_updated(Package.objects.get(pk=new.pk)))  # one amount updated: may be submitted

    def test_without_a_published_year_before_the_package_starts_empty_and_twice_is_refused(self):
        c = self.client_as("admin")
        c.post(reverse("web:new_package", args=[self.dept.pk]), {"year": "2030"})
        p = Package.objects.get(department=self.dept, year=2030)
        self.assertIsNone(p.facts)
        response = c.post(reverse("web:new_package", args=[self.dept.pk]), {"year": "2030"}, follow=True)
        self.assertIn("预算包已存在", response.content.decode())
        self.assertEqual(Package.objects.filter(department=self.dept, year=2030).count(), 1)
        diff = self.client_as("head").get(reverse("web:diff", args=[p.pk])).content.decode()
        self.assertIn("没有已发布的版本", diff)


def test_cli_org_import(tmp_path):
    """`yusuan org import FILE` runs the page's service: --dry-run changes nothing, a second import nothing either."""
    from typer.testing import CliRunner

    from yusuan.cli import app

    path = tmp_path / "机构.xlsx"
    path.write_bytes(xlsx([["命令行州", "命令行州财政局", "命令行州交通局", "501", "命令行州公路段", "501001", ""]]))
    runner = CliRunner()
    try:
        result = runner.invoke(app, ["org", "import", str(path), "--dry-run"])
        assert result.exit_code == 0, result.output
        assert "将新建 4 项" in result.output and not Region.objects.filter(name="命令行州").exists()
        result = runner.invoke(app, ["org", "import", str(path)])
        assert result.exit_code == 0, result.output
        assert Unit.objects.get(code="501001").department.bureau.name == "命令行州财政局"
        result = runner.invoke(app, ["org", "import", str(path)])
        assert "已新建 0 项，更改 0 项" in result.output
        bad = tmp_path / "bad.csv"
        bad.write_text("区划,财政局,部门名称\n命令行州,,某局\n", encoding="utf-8")
        result = runner.invoke(app, ["org", "import", str(bad)])
        assert result.exit_code == 2 and "第2行 B列（财政局）" in result.output
    finally:
        region = Region.objects.filter(name="命令行州").first()
        if region is not None:
            for b in Bureau.objects.filter(region=region):
                Department.objects.filter(bureau=b).delete()
                b.delete()
            region.delete()
