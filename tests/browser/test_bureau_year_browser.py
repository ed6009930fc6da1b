"""The bureau's year in a real browser (issue 11), on its own fresh `yusuan serve` (the demo): the
admin imports the organisation tree from a spreadsheet (a bad file first, then the preview and the
confirmation, then the same file again: nothing to do); a new year's package is created from last
year's published version and its diff with last year is opened; the reviewer lowers a rule's
severity for the bureau, follows the re-check job to its end and sees the new severity in the check
panel; between those, the carried-over texts are edited on the texts page and a project is added in the grid; the reviewer uploads a zip of published
PDF/DOCX files, confirms a doubtful match and sees the findings on the page pictures of both.
A screenshot of each step goes to test-output/screenshots/year-*.png.

Run with `make test-browser` (sets YUSUAN_BROWSER=1); skipped in the ordinary suite.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from functools import partial
from pathlib import Path

import pytest

from browser_support import CHROMIUM, SHOTS, login as sign_in, logout as sign_out  # the server fixture: conftest.py

pytestmark = [
    pytest.mark.skipif(not os.environ.get("YUSUAN_BROWSER"), reason="browser tests run with make test-browser"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no chromium at {CHROMIUM} (scripts/system-deps.sh)"),
]


def org_workbook(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["区划", "财政局", "部门名称", "部门编码", "单位名称", "单位编码", "上级单位"])
    ws.append(["昌吉回族自治州", "昌吉州财政局", "昌吉州水利局", "301", "", "", ""])
    ws.append(["昌吉回族自治州", "昌吉州财政局", "昌吉州水利局", "301", "昌吉州水利局本级", "301001", ""])
    ws.append(["昌吉回族自治州", "昌吉州财政局", "昌吉州水利局", "301", "昌吉州水文站", "301002", "301001"])
    ws.append(["昌吉回族自治州", "昌吉州财政局", "昌吉州自然资源局", "", "昌吉州不动产登记中心", "", ""])
    wb.save(path)


def published_zip(path: Path, workdir: Path) -> None:
    """The example as its published PDF, and as a DOCX under a name that matches no department well."""
    from yusuan.synth.facts import example_package
    from yusuan.web.services import render_files

    facts = example_package()
    pdf = render_files(facts, ["pdf"], workdir / "pdf")["pdf"]
    other = facts.model_copy(deep=True)
    other.unit.name = "昌吉州自然资源管理局"  # 0.89 like 昌吉州自然资源局: the reviewer confirms it
    docx = render_files(other, ["docx"], workdir / "docx")["docx"]
    with zipfile.ZipFile(path, "w") as z:
        z.write(pdf, "各部门/昌吉州自然资源局2023年部门预算公开.pdf")
        z.write(docx, "各部门/自然资源管理局公开文本.docx")


def test_org_import_carry_over_rules_config_zip_upload(server, tmp_path):
    from playwright.sync_api import sync_playwright

    url, accounts, _, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    org = tmp_path / "昌吉州机构表.xlsx"
    org_workbook(org)
    bad = tmp_path / "机构表（有误）.csv"
    bad.write_text("区划,财政局,部门名称,部门编码\n昌吉回族自治州,昌吉州财政局,,302\n昌吉回族自治州,,昌吉州林草局,303\n",
                   encoding="utf-8")
    archive = tmp_path / "各部门公开文件.zip"
    published_zip(archive, tmp_path)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
        step = iter(range(1, 100))

        def shot(name: str, full: bool = False) -> None:
            page.screenshot(path=str(SHOTS / f"year-{next(step):02d}-{name}.png"), full_page=full)

        login, logout = partial(sign_in, page, url, accounts), partial(sign_out, page, url)

        # 1. the organisation tree from a spreadsheet
        login("guanli")
        page.click("a:has-text('导入组织机构')")
        page.wait_for_selector("h1:has-text('导入组织机构')")
        shot("org-import")
        page.set_input_files("input[name=file]", str(bad))
        page.click("button:has-text('上传并预览')")
        page.wait_for_selector("#import-problems")
        problems = page.inner_text("#import-problems")
        assert "第2行 C列（部门名称）" in problems and "第3行 B列（财政局）" in problems and "未导入任何内容" in problems
        shot("org-import-bad-file")
        page.set_input_files("input[name=file]", str(org))
        page.click("button:has-text('上传并预览')")
        page.wait_for_selector("#import-preview")
        preview = page.inner_text("#import-preview")
        assert "昌吉州水文站" in preview and "昌吉州不动产登记中心" in preview
        shot("org-import-preview", full=True)
        page.click("button:has-text('确认导入')")
        page.wait_for_selector(".msg.success")
        assert "新建 4 项" in page.inner_text(".messages")  # 1 department, 3 units
        shot("org-imported")
        page.set_input_files("input[name=file]", str(org))
        page.click("button:has-text('上传并预览')")
        page.wait_for_selector("#import-preview")
        assert "无需导入" in page.inner_text("#import-preview")
        # the tree on the overview has the new department and its units
        page.goto(f"{url}/dashboard/")
        page.click("a:has-text('部门总览')")
        page.wait_for_selector("h1:has-text('部门总览')")
        assert "昌吉州水文站" in page.inner_text("ul.tree")
        shot("overview-tree")

        # 2. a new year's package from last year's published version, and the diff
        page.goto(f"{url}/dashboard/")  # the demo's department published this year (the example's is a draft)
        row = page.locator("tbody tr:has(.state.published)").filter(has_not_text="昌吉州自然资源局").first
        published = row.locator("a").first.inner_text()
        row.locator("a").first.click()
        page.wait_for_selector(f"h1:has-text('{published}')")
        year = int(re.search(r"(\d{4})年部门预算", page.inner_text("h1")).group(1))
        page.click(f"button:has-text('新建{year + 1}年预算包')")
        page.wait_for_selector(".msg.success")
        assert f"上年数取自{year}年第1版" in page.inner_text(".messages")
        assert f"{year + 1}年部门预算" in page.inner_text("h1")
        shot("new-year-package")
        page.click("a:has-text('与上年对比')")
        page.wait_for_selector("h1:has-text('与上年对比')")
        text = page.inner_text("main")
        assert "表格（逐表对比）" in text and "文字（逐段对比）" in text
        shot("diff-with-last-year")
        page.locator("h2:has-text('文字（逐段对比）')").scroll_into_view_if_needed()
        shot("diff-texts")
        new_package = page.url.split("/diff/")[0]

        # 2b. the carried-over texts edited in the browser, and a project added in the grid
        page.goto(new_package + "/texts/")
        page.wait_for_selector("#grid-overview")
        first_text = page.locator("#grid-overview textarea[name=r0-text]")
        carried = first_text.input_value()
        assert carried.strip(), "last year's first function paragraph is the starting draft"
        shot("texts-carried-over")
        first_text.fill(carried + "（本年修订）")
        page.click("#grid-overview button:has-text('保存并校验')")
        page.wait_for_selector("#grid-overview .msg.success")
        assert "已保存 1 处修改" in page.inner_text("#grid-overview .msg.success")
        assert page.locator("#grid-overview textarea[name=r0-text]").input_value() == carried + "（本年修订）"
        shot("text-saved")
        page.goto(new_package + "/grid/")
        page.wait_for_selector("#grid-projects")
        rows = page.locator("#grid-projects tbody tr").count() - 2  # the projects, then two blank rows
        function = page.locator("#grid-projects input[name=r0-function]").input_value()
        source = page.locator("#grid-funding input[name=r0-source]").input_value()
        grid = page.locator("#grid-projects")
        grid.locator(f"input[name=r{rows}-name]").fill("网页新增项目")
        grid.locator(f"input[name=r{rows}-function]").fill(function)
        grid.locator(f"input[name=r{rows}-new_source]").fill(source)
        grid.locator(f"input[name=r{rows}-new_amount]").fill("12.5")
        grid.locator("button:has-text('保存并校验')").click()
        page.wait_for_selector("#grid-projects .msg.success")
        assert "已保存 4 处修改" in page.inner_text("#grid-projects .msg.success")
        page.locator("#grid-projects").scroll_into_view_if_needed()
        shot("project-added-in-grid")
        page.reload()
        assert page.locator("#grid-funding input[value='网页新增项目']").count() == 1  # its funding line
        logout()

        # 3. the bureau's rules configuration: the reviewer lowers a fatal rule (or raises a warning)
        login("shenhe")
        page.goto(new_package + "/")
        findings = page.locator("table.findings tbody tr")
        first = findings.first
        rule = first.locator("code").inner_text()
        severity = "warning" if "sev-fatal" in (first.get_attribute("class") or "") else "fatal"
        page.goto(f"{url}/dashboard/")
        page.click("a:has-text('校验规则配置')")
        page.wait_for_selector("h1:has-text('校验规则配置')")
        shot("rules-config")
        page.goto(page.url.split("?")[0] + f"?rule={rule}#set")
        page.select_option("select[name=level]", severity)
        page.fill("textarea[name=reason]", "本局本年度按此级别掌握")
        page.click("button:has-text('保存并重新校验')")
        page.wait_for_selector(".msg.success")
        assert "重新校验" in page.inner_text(".messages") and rule in page.inner_text(f"[id='rule-{rule}']")
        shot("rules-config-saved")
        # the re-check runs in the job queue: the page shows the job until it is done
        deadline = time.monotonic() + 300
        while "job-done" not in (page.locator("#jobs li").first.get_attribute("class") or ""):
            assert time.monotonic() < deadline, page.inner_text("#jobs")
            assert "job-failed" not in (page.locator("#jobs li").first.get_attribute("class") or ""), page.inner_text("#jobs")
            time.sleep(1)
            page.goto(page.url.split("#")[0])
        assert "已重新校验" in page.inner_text("#jobs")
        page.locator("#jobs").scroll_into_view_if_needed()
        shot("rules-recheck-job-done")
        page.goto(new_package + "/")
        row = page.locator(f"table.findings tbody tr:has(code:text-is('{rule}'))").first
        assert "本局配置（默认" in row.inner_text()
        row.scroll_into_view_if_needed()
        shot("finding-with-bureau-severity")

        # 4. published documents made elsewhere: zip upload, a doubtful match confirmed, page pictures
        page.goto(f"{url}/dashboard/")
        page.click("a:has-text('部门总览')")
        page.click("a:has-text('外部公开文件审核')")
        page.wait_for_selector("h1:has-text('外部公开文件审核')")
        page.set_input_files("input[name=archive]", str(archive))
        page.fill("input[name=year]", "2023")
        page.click("button:has-text('上传并审核')")
        page.wait_for_selector("h1:has-text('各部门公开文件.zip')")
        doubtful = page.locator("tr:has-text('自然资源管理局公开文本.docx')")
        assert "待确认" in doubtful.inner_text()
        shot("batch-doubtful-match")
        doubtful.locator("select[name=department]").select_option(label="昌吉州自然资源局")
        doubtful.locator("button:has-text('确认')").click()
        page.wait_for_selector("h1:has-text('各部门公开文件.zip')")
        deadline = time.monotonic() + 600  # a loaded 2-core machine: LibreOffice and two audits
        while page.locator("td .job-done").count() < 2:
            assert time.monotonic() < deadline, page.inner_text("main")
            assert page.locator("td .job-failed").count() == 0, page.inner_text("main")
            time.sleep(2)
            page.reload()
        shot("batch-audited")
        for name, kind in (("昌吉州自然资源局2023年部门预算公开.pdf", "pdf"), ("自然资源管理局公开文本.docx", "docx")):
            page.click(f"a:has-text('{name}')")
            page.wait_for_selector("h2:has-text('页面标注')")
            picture = page.locator("figure.page-picture img").first
            picture.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
            shot(f"findings-on-page-{kind}")
            page.locator("figure.page-picture").first.screenshot(  # the whole annotated page
                path=str(SHOTS / f"year-{next(step):02d}-annotated-page-{kind}.png"))
            page.go_back()
        browser.close()


def test_year_walk_ran_on_the_database_asked_for(server):  # noqa: F811
    """With DATABASE_URL the walk above ran on PostgreSQL: its throwaway database holds what it made."""
    _, _, data, db_url = server
    if db_url is None:
        assert (data / "yusuan.sqlite3").is_file()
        return
    import psycopg

    with psycopg.connect(db_url) as conn:
        units = conn.execute("select count(*) from web_unit where code in ('301001', '301002')").fetchone()[0]
        settings = conn.execute("select count(*) from web_rulesetting").fetchone()[0]
        created = conn.execute("select count(*) from web_auditlog where action = 'create'").fetchone()[0]
        edited = conn.execute("select count(*) from web_auditlog where action = 'grid' and field like '概况%'").fetchone()[0]
        project = conn.execute("select count(*) from web_auditlog where action = 'grid' and new = '网页新增项目'").fetchone()[0]
        rechecks = conn.execute("select count(*) from web_recheckjob where status = 'done'").fetchone()[0]
    assert (units, settings, created, edited, project, rechecks) == (2, 1, 1, 1, 1, 1)


def test_final_account_upload_review_publish(server, tmp_path):
    """A final account (部门决算) through the workflow in the browser: the admin creates next year's 决算
    package of the demo's 示例市财政局, a budget workbook is refused (nothing changed, said why), the
    final-account workbook is uploaded and checked, submitted, approved, published and shown publicly.
    Screenshots final-*.png."""
    from playwright.sync_api import sync_playwright

    from yusuan.web import demo_final
    from yusuan.web.services import workbook_bytes

    url, accounts, _, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    account = demo_final.final_example()
    year = account.unit.budget_year + 1
    account.unit.budget_year = year
    final_book = tmp_path / f"示例市财政局{year}年决算录入.xlsx"
    final_book.write_bytes(workbook_bytes(account))
    budget = demo_final.budget_of(account)
    budget_book = tmp_path / f"示例市财政局{year}年预算录入.xlsx"
    budget_book.write_bytes(workbook_bytes(budget))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
        step = iter(range(1, 100))

        def shot(name: str, full: bool = False) -> None:
            page.screenshot(path=str(SHOTS / f"final-{next(step):02d}-{name}.png"), full_page=full)

        login = partial(sign_in, page, url, accounts)
        login("guanli")
        page.fill("#new-package input[name=year]", str(year))
        page.select_option("#new-package select[name=phase]", "final")
        page.click(f"#new-package button:has-text('{account.unit.name}')")
        page.wait_for_selector(f"h1:has-text('{year}年部门决算')")
        assert "已新建" in page.inner_text(".messages") and "决算包" in page.inner_text(".messages")
        shot("created")
        package_url = page.url
        page.set_input_files("input[name=workbook]", str(budget_book))
        page.click("button:has-text('上传并校验')")
        page.wait_for_selector("h1:has-text('决算包未作任何更改')")
        assert "这是部门预算录入工作簿，本决算包应上传部门决算录入工作簿" in page.content()
        shot("wrong-kind-refused")
        page.goto(package_url)
        page.set_input_files("input[name=workbook]", str(final_book))
        page.click("button:has-text('上传并校验')")
        page.wait_for_selector(".msg.success")
        assert "已上传并校验：错误 0 个" in page.inner_text(".messages")
        shot("uploaded-checked", full=True)
        page.click("button:has-text('提交财政审核')")
        page.wait_for_selector(".msg.success")
        page.click("button:has-text('审核通过')")
        page.wait_for_selector(".msg.success")
        page.click("button:has-text('发布')")
        page.wait_for_selector("span.state.published", timeout=120_000)
        shot("published")
        page.click("ul.versions a")
        page.wait_for_selector("h1")
        assert "决算" in page.inner_text("body")
        shot("public-version")
        browser.close()
