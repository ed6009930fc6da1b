"""Editing a draft in the browser (yusuan.web.grid): save-and-check of one grid, bad input changes nothing,
a stale revision is a conflict that shows both values and loses nothing (two clients), every changed
cell in the audit log and on the history page, findings linked to their grid cell."""

from __future__ import annotations

import json
import re
from html import unescape
from decimal import Decimal

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import example_facts, workbook

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client, TestCase  # noqa: E402
from django.urls import reverse  # noqa: E402

from yusuan.web import grid as G  # noqa: E402
from yusuan.web import workflow  # noqa: E402
from yusuan.web.models import AuditLog, Bureau, Department, Membership, Package, Region, Role, State  # noqa: E402

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)


def form_of(page: str, key: str) -> dict:
    """The fields of grid ``key`` as the browser would post them (inputs and selected options)."""
    m = re.search(rf'<form class="card grid-card" id="grid-{key}".*?</form>', page, re.S)
    assert m, f"no grid {key}"
    html = m.group(0)
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html):
        data[name] = value.replace("&quot;", '"').replace("&amp;", "&").replace("&#x27;", "'")
    for name, value in re.findall(r'<input name="(r\d+-\w+)" value="([^"]*)"', html):
        data[name] = value
    for name, value in re.findall(r'<textarea name="(r\d+-\w+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = unescape(value)
    for name, body in re.findall(r'<select name="(r\d+-\w+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)<', body)
        data[name] = (chosen.group(1) if chosen.group(1) is not None else chosen.group(2)) if chosen else ""
    return data


class GridBase(TestCase):
    @classmethod
    def setUpTestData(cls):
        User = get_user_model()
        region = Region.objects.create(name="测试州")
        bureau = Bureau.objects.create(region=region, name="测试州财政局")
        cls.dept = Department.objects.create(bureau=bureau, name="昌吉州自然资源局")
        cls.users = {}
        for name, role, dept, b in (("tian", Role.PREPARER, cls.dept, None), ("tian2", Role.PREPARER, cls.dept, None),
                                    ("head", Role.HEAD, cls.dept, None), ("rev", Role.REVIEWER, None, bureau)):
            u = User.objects.create_user(username=name, password="x" * 12)
            Membership.objects.create(user=u, role=role, department=dept, bureau=b)
            cls.users[name] = u
        cls.package = Package.objects.create(department=cls.dept, year=2023)
        facts = example_facts()
        facts.basic_economic[0].amount += 7  # basic by function and by economic 款 no longer agree: fatal
        # uploaded as a workbook (as a user would): its findings name the sheet, row and column entered
        workflow.upload(cls.package, cls.users["tian"], SimpleUploadedFile("录入.xlsx", workbook(facts)))

    def client_as(self, name: str) -> Client:
        c = Client()
        c.force_login(self.users[name])
        return c

    def page(self, client: Client) -> str:
        response = client.get(reverse("web:grid", args=[self.package.pk]))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def save(self, client: Client, key: str, data: dict, htmx: bool = True):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        return client.post(reverse("web:grid_save", args=[self.package.pk, key]), data, **headers)

    def fresh(self) -> Package:
        self.package.refresh_from_db()
        return self.package


class SaveAndCheck(GridBase):
    def test_fix_a_fatal_finding_in_the_grid(self):
        p = self.fresh()
        self.assertGreater(p.fatal, 0)
        fatal = next(f for f in p.report["findings"] if f["rule"] == "F.BASIC.FUNCTION_ECONOMIC")
        anchor = G.anchor(fatal, p.tables)
        self.assertEqual(anchor, "g-basic_economic-3-C")  # the first economic line's amount
        c = self.client_as("tian")
        page = self.page(c)
        self.assertIn(f'href="#{anchor}"', page)  # the check panel links the finding to its cell
        self.assertIn(f'id="{anchor}"', page)
        on_table = next(f for f in p.report["findings"] if (f.get("location") or {}).get("table", "").startswith("表"))
        n = next(i for i, t in enumerate(p.tables, start=1) if t["label"] == on_table["location"]["table"])
        self.assertIn(f'href="{reverse("web:package", args=[p.pk])}#t{n}"', page)  # a printed table: on the package page
        self.assertIn('list="dl-function"', page)  # the code picker from the catalogue
        self.assertRegex(page, r'<datalist id="dl-economic"><option value="30101">30101 基本工资')
        data = form_of(page, "basic_economic")
        old = data["r0-amount"]
        data["r0-amount"] = str(Decimal(old) - 7)
        response = self.save(c, "basic_economic", data)
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertIn("已保存 1 处修改并重新校验：错误 0 个", text)
        self.assertIn('id="check-panel" hx-swap-oob="true"', text)  # the check panel comes along
        p = self.fresh()
        self.assertEqual(p.fatal, 0)
        self.assertEqual(p.state, State.DRAFT)
        entry = AuditLog.objects.filter(package=p, action="grid").get()
        self.assertEqual((entry.user.username, entry.old, entry.new), ("tian", old, data["r0-amount"]))
        self.assertIn("基本支出（经济分类） 第3行 C列", entry.field)
        history = self.client_as("rev").get(reverse("web:history", args=[p.pk])).content.decode()
        self.assertIn("网页编辑", history)
        self.assertIn(old, history)
        self.assertIn(data["r0-amount"], history)

    def test_bad_input_changes_nothing_and_names_the_cell(self):
        c = self.client_as("tian")
        data = form_of(self.page(c), "basic")
        before = (self.fresh().revision, json.dumps(self.package.facts), AuditLog.objects.count())
        for bad, says in (("12.3.4", "应为金额"), ("-5", "不能为负数"), ("1.234567", "小数位超过 4 位"), ("", "未填写")):
            response = self.save(c, "basic", {**data, "r1-amount": bad})
            text = response.content.decode()
            self.assertIn("输入有误，未保存任何修改", text)
            self.assertIn("第4行“金额（万元）”", text)
            self.assertIn(says, text)
            self.assertIn(f'value="{bad}"', text)  # what the user typed stays in the input
            self.assertEqual((self.fresh().revision, json.dumps(self.package.facts), AuditLog.objects.count()), before)
        response = self.save(c, "basic", {**data, "r0-function": "22001"})
        self.assertIn("应为7 位功能分类项级科目编码", response.content.decode())
        response = self.save(c, "basic", {**data, "r0-source": "no-such"}, htmx=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual((self.fresh().revision, json.dumps(self.package.facts), AuditLog.objects.count()), before)

    def test_rows_added_and_deleted(self):
        c = self.client_as("tian")
        data = form_of(self.page(c), "sangong")
        n = len(self.fresh().facts["sangong"])
        self.assertEqual(data[f"r{n}-item"], "")  # a blank row for a new line
        data.update({f"r{n}-item": "reception", f"r{n}-source": "general", f"r{n}-amount": "1.5"})
        self.assertIn("已保存 3 处修改", self.save(c, "sangong", data).content.decode())
        self.assertEqual(self.fresh().facts["sangong"][-1], {"item": "reception", "source": "general", "amount": "1.5"})
        data = form_of(self.page(c), "sangong")
        for col in ("item", "source", "amount"):
            data[f"r{n}-{col}"] = ""  # emptied: the line is deleted
        self.assertIn("已保存 3 处修改", self.save(c, "sangong", data).content.decode())
        self.assertEqual(len(self.fresh().facts["sangong"]), n)

    def test_project_funding_keeps_every_project_funded(self):
        c = self.client_as("tian")
        data = form_of(self.page(c), "funding")
        for col in ("project", "source", "amount"):
            data[f"r0-{col}"] = ""
        text = self.save(c, "funding", data).content.decode()
        self.assertIn("没有资金来源", text)
        self.assertIn("未保存任何修改", text)

    def test_only_editors_of_a_draft_save(self):
        data = form_of(self.page(self.client_as("tian")), "basic")
        head_page = self.page(self.client_as("head"))
        self.assertNotIn("保存并校验", head_page)  # read-only for the head
        self.assertEqual(self.save(self.client_as("head"), "basic", data).status_code, 403)
        p = self.fresh()
        p.state = State.SUBMITTED
        p.save()
        response = self.save(self.client_as("tian"), "basic", data, htmx=False)
        self.assertEqual(response.status_code, 400)
        self.assertIn("不能编辑", response.content.decode())
        text = self.save(self.client_as("tian"), "basic", data).content.decode()  # htmx: said in the grid
        self.assertIn("未能保存：当前状态为“已提交”，不能编辑", text)
        self.assertNotIn("保存并校验</button>", text)


class LostUpdate(GridBase):
    def test_two_sessions_edit_one_table(self):
        alice, bob = self.client_as("tian"), self.client_as("tian2")
        a = form_of(self.page(alice), "basic")
        b = form_of(self.page(bob), "basic")
        original = a["r0-amount"]
        a["r0-amount"] = "111.11"
        b["r0-amount"] = "222.22"
        self.assertIn("已保存 1 处修改", self.save(alice, "basic", a).content.decode())
        response = self.save(bob, "basic", b)  # Bob opened the table before Alice saved
        text = response.content.decode()
        self.assertIn("保存冲突", text)
        self.assertIn("您的值", text)
        self.assertIn("222.22", text)  # his value
        self.assertIn("111.11", text)  # and the one saved meanwhile
        self.assertIn(f"您打开时为 {original}", text)
        p = self.fresh()
        self.assertEqual(p.facts["basic"][0]["amount"], "111.11")  # Alice's save is not lost
        self.assertEqual(AuditLog.objects.filter(package=p, action="grid").count(), 1)
        self.assertIn('value="222.22"', text)  # nor is Bob's typing: it stays in his grid
        reloaded = bob.get(reverse("web:grid", args=[p.pk]) + "?grid=basic", HTTP_HX_REQUEST="true").content.decode()
        self.assertEqual(form_of(reloaded, "basic")["r0-amount"], "111.11")  # abandoning his edit shows Alice's
        # saving again, now with both values in view, is Bob's decision and goes through
        again = form_of(text, "basic")
        self.assertEqual(again["r0-amount"], "222.22")
        self.assertIn("已保存 1 处修改", self.save(bob, "basic", again).content.decode())
        self.assertEqual(self.fresh().facts["basic"][0]["amount"], "222.22")
        log = list(AuditLog.objects.filter(package=p, action="grid").order_by("id").values_list("user__username", "old", "new"))
        self.assertEqual(log, [("tian", original, "111.11"), ("tian2", "111.11", "222.22")])

    def test_other_tables_do_not_conflict(self):
        alice, bob = self.client_as("tian"), self.client_as("tian2")
        page = self.page(alice)
        a, b = form_of(page, "basic"), form_of(page, "sangong")
        a["r0-amount"] = "100"
        b["r0-amount"] = "3"
        self.assertIn("已保存 1 处修改", self.save(alice, "basic", a).content.decode())
        self.assertIn("已保存 1 处修改", self.save(bob, "sangong", b).content.decode())

    def test_a_race_between_reading_and_writing_is_a_conflict(self):
        """The write is conditional on the package's revision: a save that read before another wrote loses nothing."""
        c = self.client_as("tian")
        data = form_of(self.page(c), "basic")
        data["r0-amount"] = "5"
        p = self.fresh()
        Package.objects.filter(pk=p.pk).update(revision=p.revision + 1)  # written meanwhile (after our read)
        with self.assertRaises(G.Conflict):
            G.save(p, self.users["tian"], "basic", data)
        self.assertNotEqual(self.fresh().facts["basic"][0]["amount"], "5")


def grid_and_workbook_origins():
    """(where the grids place the example's facts, where reading its input workbook places them)."""
    import tempfile
    from pathlib import Path

    from yusuan.excel import read_workbook, write_workbook

    facts = example_facts()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.xlsx"
        write_workbook(facts, path)
        read = read_workbook(path).origins
    return G.origins_for(facts.model_dump(mode="json")), read


def test_grid_rows_sit_where_the_workbook_puts_them():
    """The grid's row numbers and letters are the input workbook's: a finding read from an uploaded
    workbook points at the same grid cell as one found after a grid save."""
    ours, read = grid_and_workbook_origins()
    paths = [("basic", 2, "amount"), ("basic_economic", 0, "economic"), ("sangong", 1, "source"),
             ("projects", 3, "funding", 0, "amount"), ("projects", 1, "economic", 0, "amount"), ("projects", 2, "function")]
    for path in paths:
        assert ours.cells[path] == read.cells[path], path
