"""The other sheets edited in the browser through the one grid path (yusuan.web.grid): the narrative
inputs on the texts page (概况, 说明, 名词解释) and the leaf-fact sheets a package needs besides the
basic-spending grids (项目, 项目经济分类, 项目资金分配, 国有资产车辆, 上年数) — saved with the revision
check, logged old → new, checked after save, refused to others and outside a draft."""

from __future__ import annotations

import json
import re

import pytest
from test_grid import GridBase, form_of, grid_and_workbook_origins
from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import example_facts

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from yusuan.web import grid as G  # noqa: E402
from yusuan.web.models import AuditLog, Package, State  # noqa: E402

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)


class Sheets(GridBase):
    def texts(self, client: Client) -> str:
        response = client.get(reverse("web:texts", args=[self.package.pk]))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def unchanged(self):
        p = self.fresh()
        return p.revision, json.dumps(p.facts, sort_keys=True), AuditLog.objects.count()

    def test_the_texts_page_shows_the_stored_texts_as_forms(self):
        page = self.texts(self.client_as("tian"))
        facts = self.fresh().facts
        for key in ("overview", "notes", "glossary"):
            self.assertIn(f'id="grid-{key}"', page)
        self.assertNotIn('id="grid-basic"', page)  # the figures are on the other page
        data = form_of(page, "overview")
        self.assertEqual(data["r0-part"], "主要职能")  # a choice shown by its Chinese label
        self.assertEqual(data["r0-text"], facts["overview"]["functions"][0])
        self.assertIn('<textarea name="r0-text"', page)  # a paragraph is a text area
        notes = form_of(page, "notes")
        first = next(iter(facts["notes"]))
        self.assertEqual((notes["r0-key"], notes["r0-text"]), (first, facts["notes"][first]))
        self.assertEqual(form_of(page, "glossary")["r0-term"], facts["glossary"][0]["term"])
        self.assertIn('<datalist id="dl-part">', page)
        self.assertNotIn("保存并校验</button>", self.texts(self.client_as("head")))  # read-only for the head

    def test_last_years_texts_carried_over_are_the_starting_draft_shown(self):
        from yusuan.web import newyear, workflow

        p = self.fresh()
        p.state = State.APPROVED
        p.save()
        workflow.publish(p, self.users["rev"])
        new, prev = newyear.new_package(self.dept, 2024, self.users["tian"])
        self.assertIsNotNone(prev)
        response = self.client_as("tian").get(reverse("web:texts", args=[new.pk]))
        page = response.content.decode()
        self.assertIn("保存并校验</button>", page)  # a draft: editable
        data = form_of(page, "overview")
        self.assertEqual(data["r0-text"], prev.facts["overview"]["functions"][0])
        self.assertEqual(form_of(page, "glossary")["r0-definition"], prev.facts["glossary"][0]["definition"])
        # the carried draft's findings already link to the cells where its facts are edited
        located = [f for f in new.report["findings"] if (f.get("location") or {}).get("table", "").startswith("工作表")]
        self.assertTrue(located)
        self.assertIn("网页填报", located[0]["location"].get("file", "") + json.dumps(located[0], ensure_ascii=False))

    def test_a_text_saved_logged_and_checked(self):
        c = self.client_as("tian")
        data = form_of(self.texts(c), "overview")
        old = data["r1-text"]
        data["r1-text"] = old + "（网页修改）\n第二段"
        text = self.save(c, "overview", data).content.decode()
        self.assertIn("已保存 1 处修改并重新校验", text)
        self.assertIn('id="check-panel" hx-swap-oob="true"', text)
        p = self.fresh()
        self.assertEqual(p.facts["overview"]["functions"][1], old + "（网页修改）\n第二段")
        self.assertIsNotNone(p.facts["overview"]["staffing"])  # what the sheet does not hold is kept
        entry = AuditLog.objects.get(package=p, action="grid")
        self.assertEqual((entry.old, entry.new), (old, data["r1-text"]))
        self.assertIn("概况 第4行 B列（内容）", entry.field)
        # the page drawn again shows the saved text (line break included)
        self.assertEqual(form_of(self.texts(c), "overview")["r1-text"], data["r1-text"])

    def test_texts_conflict_and_bad_input_change_nothing(self):
        alice, bob = self.client_as("tian"), self.client_as("tian2")
        a, b = form_of(self.texts(alice), "glossary"), form_of(self.texts(bob), "glossary")
        a["r0-definition"], b["r0-definition"] = "甲的解释", "乙的解释"
        self.assertIn("已保存 1 处修改", self.save(alice, "glossary", a).content.decode())
        text = self.save(bob, "glossary", b).content.decode()
        self.assertIn("保存冲突", text)
        self.assertIn("乙的解释", text)
        self.assertIn("甲的解释", text)
        self.assertEqual(self.fresh().facts["glossary"][0]["definition"], "甲的解释")
        before = self.unchanged()
        notes = form_of(self.texts(alice), "notes")
        notes["r1-key"] = notes["r0-key"]  # two notes under one key
        text = self.save(alice, "notes", notes).content.decode()
        self.assertIn("未保存任何修改", text)
        self.assertIn(f"“{notes['r0-key']}”重复", text)
        overview = form_of(self.texts(alice), "overview")
        overview["r0-part"] = "职能"
        text = self.save(alice, "overview", overview).content.decode()
        self.assertIn("“职能”不是可选的值", text)
        overview = form_of(self.texts(alice), "overview")
        overview["r0-text"] = ""  # a category without its text: not saved as an empty paragraph
        self.assertIn("第3行“内容”：未填写", self.save(alice, "overview", overview).content.decode())
        self.assertEqual(self.unchanged(), before)

    def test_texts_only_for_the_preparer_of_a_draft(self):
        data = form_of(self.texts(self.client_as("tian")), "notes")
        data["r0-text"] = "改"
        self.assertEqual(self.save(self.client_as("head"), "notes", data).status_code, 403)
        self.assertEqual(self.save(self.client_as("rev"), "notes", data).status_code, 403)
        p = self.fresh()
        p.state = State.SUBMITTED
        p.save()
        before = self.unchanged()
        self.assertIn("不能编辑", self.save(self.client_as("tian"), "notes", data).content.decode())
        self.assertEqual(self.unchanged(), before)

    def test_a_project_renamed_keeps_its_lines_and_a_new_one_needs_its_first_funding(self):
        c = self.client_as("tian")
        page = self.page(c)
        self.assertIn('id="grid-projects"', page)
        self.assertIn('id="grid-project_economic"', page)
        data = form_of(page, "projects")
        p = self.fresh()
        old = p.facts["projects"][0]
        data["r0-name"] = old["name"] + "（改名）"
        self.assertIn("已保存 1 处修改", self.save(c, "projects", data).content.decode())
        renamed = self.fresh().facts["projects"][0]
        self.assertEqual((renamed["funding"], renamed["economic"], renamed["allocation"]),
                         (old["funding"], old["economic"], old["allocation"]))
        self.assertEqual(form_of(self.page(c), "funding")["r0-project"], old["name"] + "（改名）")
        n = len(renamed and self.fresh().facts["projects"])
        data = form_of(self.page(c), "projects")
        data.update({f"r{n}-name": "新项目", f"r{n}-function": "2200101"})
        before = self.unchanged()
        text = self.save(c, "projects", data).content.decode()
        self.assertIn("新增项目须填写第一笔资金来源及金额", text)  # a project without funding is not stored
        data["r0-new_amount"] = "5"
        text = self.save(c, "projects", {**data, f"r{n}-new_source": "一般公共预算拨款", f"r{n}-new_amount": "12.5"}).content.decode()
        self.assertIn("已有项目的资金来源请在工作表“项目资金来源”中修改", text)
        self.assertEqual(self.unchanged(), before)
        del data["r0-new_amount"]
        data.update({f"r{n}-new_source": "一般公共预算拨款", f"r{n}-new_amount": "12.5"})
        self.assertIn("已保存", self.save(c, "projects", data).content.decode())
        new = self.fresh().facts["projects"][n]
        self.assertEqual((new["name"], new["function"], new["funding"]),
                         ("新项目", "2200101", [{"source": "general", "amount": "12.5"}]))
        self.assertIsNone(new["policy_basis"])  # a text left blank is not known, not ""

    def test_project_economic_vehicles_and_last_year(self):
        c = self.client_as("tian")
        page = self.page(c)
        self.assertIn('id="g-vehicles-3-B"', page)
        self.assertIn('id="g-last_year-3-C"', page)  # 上年数 sits in column C, as in the workbook
        self.assertIn('<datalist id="dl-subject">', page)
        econ = form_of(page, "project_economic")
        econ["r0-economic"] = "30201"
        self.assertIn("已保存 1 处修改", self.save(c, "project_economic", econ).content.decode())
        self.assertEqual(self.fresh().facts["projects"][0]["economic"][0]["economic"], "30201")
        cars = form_of(self.page(c), "vehicles")
        cars["r0-count"] = "6"
        self.assertIn("已保存 1 处修改", self.save(c, "vehicles", cars).content.decode())
        self.assertEqual(self.fresh().facts["assets"]["vehicles"][0]["count"], 6)
        before = self.unchanged()
        cars["r0-count"] = "六"
        self.assertIn("应为非负整数", self.save(c, "vehicles", form_of(self.page(c), "vehicles") | {"r0-count": "六"}).content.decode())
        last = form_of(self.page(c), "last_year")
        self.assertIn("科目键“nonsense”无法识别", self.save(c, "last_year", last | {"r0-subject": "nonsense"}).content.decode())
        self.assertIn("“上年数（万元）”：未填写", self.save(c, "last_year", last | {"r0-amount": ""}).content.decode())
        self.assertEqual(self.unchanged(), before)
        last["r0-reason"] = "网页填写的原因"
        self.assertIn("已保存 1 处修改", self.save(c, "last_year", last).content.decode())
        first = next(iter(self.fresh().facts["last_year"].values()))
        self.assertEqual(first["reason"], "网页填写的原因")

    def test_findings_on_the_other_sheets_link_to_their_cells(self):
        c = self.client_as("tian")
        # a project's economic lines that no longer add up to its funding
        econ = form_of(self.page(c), "project_economic")
        econ["r0-amount"] = str(float(econ["r0-amount"]) + 1000)
        self.save(c, "project_economic", econ)
        p = self.fresh()
        anchors = {G.anchor(f, p.tables) for f in p.report["findings"]}
        self.assertTrue(any(a.startswith("g-project_economic-3") for a in anchors), anchors)
        page = self.page(c)
        linked = re.findall(r'href="#(g-project_economic-[^"]+)"', page)
        self.assertTrue(linked)
        for a in linked:
            self.assertIn(f'id="{a}"', page)
        # on the texts page the same finding links to the figures page
        texts = self.texts(c)
        self.assertIn(f'href="{reverse("web:grid", args=[p.pk])}#{linked[0]}"', texts)


def test_every_cell_the_workbook_reader_places_on_a_grid_sheet_is_placed_the_same():
    """The grids' rows and letters are the input workbook's for every edited sheet: a finding read from
    an uploaded workbook and one found after a grid save point at the same cell."""
    ours, read = grid_and_workbook_origins()
    sheets = {g.sheet.name for g in G.GRIDS.values()}
    compared = {}
    for path, cell in read.cells.items():
        if cell[0] in sheets and cell[1] is not None:
            assert ours.cells.get(path) == cell, path
            compared[cell[0]] = compared.get(cell[0], 0) + 1
    assert sheets <= set(compared), sheets - set(compared)  # every edited sheet was compared


def test_every_grid_reads_back_what_it_draws():
    """Each sheet's rows drawn from the facts and put back unchanged give the same facts."""
    from yusuan.web import services

    facts = example_facts().model_dump(mode="json")
    for key, grid in G.GRIDS.items():
        rows = G.rows_of(facts, key)
        assert rows, key
        parsed = G.parse(rows, key, [p["name"] for p in facts["projects"]])
        again = services.facts_of(G._put(facts, key, parsed)).model_dump(mode="json")
        assert again == services.facts_of(facts).model_dump(mode="json"), key
