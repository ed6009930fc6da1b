"""End to end in a real browser (Playwright driving Debian's chromium): `yusuan serve` on a fresh data
folder, then log in, upload the example workbook, fix its finding in the grid, submit, return with a comment, resubmit,
approve, publish, download the PDF and see the version on the public page. A screenshot of each step goes to test-output/screenshots/.

Run with `make test-browser` (sets YUSUAN_BROWSER=1); skipped in the ordinary suite.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest

from browser_support import CHROMIUM, SHOTS, login as sign_in, logout as sign_out

pytestmark = [
    pytest.mark.skipif(not os.environ.get("YUSUAN_BROWSER"), reason="browser tests run with make test-browser"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no chromium at {CHROMIUM} (scripts/system-deps.sh)"),
]


def test_upload_submit_approve_publish_public(server, tmp_path):
    from playwright.sync_api import sync_playwright

    from yusuan.synth.facts import example_package
    from yusuan.web.services import workbook_bytes

    url, accounts, _, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    book = tmp_path / "昌吉州自然资源局2023年预算录入.xlsx"
    facts = example_package()
    right = facts.basic_economic[0].amount
    facts.basic_economic[0].amount = right + 7  # a typing error the check finds (fatal), fixed in the grid below
    book.write_bytes(workbook_bytes(facts))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
        step = iter(range(1, 100))

        def shot(name: str) -> None:
            page.screenshot(path=str(SHOTS / f"{next(step):02d}-{name}.png"), full_page=False)

        login, logout = partial(sign_in, page, url, accounts), partial(sign_out, page, url)

        def open_package() -> None:
            page.goto(f"{url}/dashboard/")
            page.click("a:has-text('昌吉州自然资源局')")
            page.wait_for_selector("h1:has-text('昌吉州自然资源局')")

        page.goto(f"{url}/login/")
        shot("login")
        login("tianbao")
        shot("dashboard-preparer")
        open_package()
        page.set_input_files("input[name=workbook]", str(book))
        page.click("button:has-text('上传并校验')")
        page.wait_for_selector(".msg.success")
        assert "已上传并校验：错误 1 个" in page.inner_text(".messages")
        shot("uploaded-checked")
        # fix the finding in the grid: its link in the check panel leads to the cell, save-and-check by htmx
        page.click("a.btn:has-text('在线编辑表格')")
        page.wait_for_selector("#check-panel")
        shot("grid-with-finding")
        page.click("#check-panel li.sev-fatal a.goto")
        assert page.evaluate("location.hash") == "#g-basic_economic-3-C"
        cell = page.locator("#g-basic_economic-3-C input")
        assert cell.input_value() == str(right + 7)
        cell.fill(str(right))
        page.click("#grid-basic_economic button:has-text('保存并校验')")
        page.wait_for_selector("#grid-basic_economic .msg.success")
        assert "错误 0 个" in page.inner_text("#grid-basic_economic .msg.success")
        assert "没有错误，可以提交" in page.inner_text("#check-panel")  # the panel was swapped in too
        page.locator("#grid-basic_economic .msg.success").scroll_into_view_if_needed()
        shot("grid-fixed")
        # two sessions edit one table: the second save is a conflict showing both values, nothing is lost
        other = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
        other.goto(f"{url}/login/")
        other.fill("input[name=username]", "guanli")
        other.fill("input[name=password]", accounts["guanli"])
        other.click("button:has-text('登录')")
        other.wait_for_url(f"{url}/dashboard/")
        other.goto(page.url.split("#")[0])
        page.reload()
        page.fill("#g-basic_economic-3-D input", "基本工资（甲）")
        page.click("#grid-basic_economic button:has-text('保存并校验')")
        page.wait_for_selector("#grid-basic_economic .msg.success")
        other.fill("#g-basic_economic-3-D input", "基本工资（乙）")
        other.click("#grid-basic_economic button:has-text('保存并校验')")
        other.wait_for_selector("#grid-basic_economic .grid-conflict")
        conflict = other.inner_text("#grid-basic_economic .grid-conflict")
        assert "基本工资（乙）" in conflict and "基本工资（甲）" in conflict
        other.locator("#grid-basic_economic .grid-conflict").scroll_into_view_if_needed()
        other.screenshot(path=str(SHOTS / f"{next(step):02d}-grid-conflict.png"))
        other.click("#grid-basic_economic a:has-text('放弃您的修改')")  # keeps the first save
        other.wait_for_selector("#grid-basic_economic .grid-conflict", state="detached")
        assert other.input_value("#g-basic_economic-3-D input") == "基本工资（甲）"
        other.close()
        page.click("a:has-text('变更记录')")
        page.wait_for_selector("h1:has-text('变更记录')")
        assert "网页编辑" in page.inner_text("table") and str(right) in page.inner_text("table")
        shot("history")
        logout()

        login("fuze")
        open_package()
        page.click("button:has-text('提交财政审核')")
        page.wait_for_selector(".state.submitted")
        shot("submitted")
        logout()

        login("shenhe")
        shot("dashboard-reviewer")
        open_package()
        page.fill("textarea[name=text]", "请核对表3项目支出的说明")
        page.select_option("select[name=table]", index=3)
        page.click("button:has-text('退回修改')")
        page.wait_for_selector(".state.returned")
        assert "请核对表3项目支出的说明" in page.inner_text("ul.comments")
        shot("returned-with-comment")
        # a comment on one cell: clicking the cell fills in its table, row and column
        cell = page.locator("details[data-table] tbody tr").nth(1).locator("td").nth(1)
        row_label = page.locator("details[data-table] tbody tr").nth(1).get_attribute("data-row")
        cell.click()
        assert page.input_value("form[action$='/comment/'] input[name=row]") == row_label
        column = page.input_value("form[action$='/comment/'] input[name=cell]")
        assert column
        page.fill("form[action$='/comment/'] textarea[name=text]", "此单元格与预算批复数不一致")
        page.click("button:has-text('添加意见')")
        page.wait_for_selector(".msg.success")
        assert f"“{row_label}”行 “{column}”列" in page.inner_text("ul.comments")
        marked = page.locator("td.commented")
        assert marked.count() == 1 and "此单元格与预算批复数不一致" in marked.get_attribute("title")
        assert "此单元格与预算批复数不一致" in page.inner_text("details[data-table] >> nth=0")
        marked.scroll_into_view_if_needed()
        shot("cell-comment")
        logout()

        login("fuze")
        open_package()
        page.click("button:has-text('提交财政审核')")
        page.wait_for_selector(".state.submitted")
        shot("resubmitted")
        logout()

        login("shenhe")
        open_package()
        page.click("button:has-text('审核通过')")
        page.wait_for_selector(".state.approved")
        shot("approved")
        logout()

        login("fabu")
        open_package()
        page.click("button:has-text('发布')")
        page.wait_for_selector(".state.published", timeout=60000)
        shot("published")
        logout()

        page.goto(f"{url}/public/catalogue/")
        assert "昌吉州自然资源局" in page.inner_text("table")
        shot("public-list")
        page.click("a:has-text('昌吉州自然资源局')")
        page.wait_for_selector("text=下载")
        with page.expect_download() as info:
            page.click("a.btn:has-text('PDF')")
        pdf = tmp_path / "v.pdf"
        info.value.save_as(pdf)
        assert pdf.read_bytes()[:5] == b"%PDF-"
        shot("public-version")
        browser.close()


def test_portal_search_compare_download(server, tmp_path):
    """Issue 12's walk: from the portal home find the Changji package by search, open it, switch to the
    comparison with the year before, download the PDF and the CSV. Runs after the walk above, which
    published the example department's budget; the demo published its year before."""
    import csv
    import io

    from playwright.sync_api import sync_playwright

    url, _, _, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN", accept_downloads=True)

        def shot(name: str) -> None:
            page.screenshot(path=str(SHOTS / f"portal-{name}.png"), full_page=False)

        page.goto(f"{url}/")
        page.wait_for_url(f"{url}/public/")
        shot("1-home")
        page.fill("input[name=q]", "昌吉州自然资源")
        page.click("form.searchbox button")
        page.wait_for_selector("table.results")
        shot("2-search")
        page.click("table.results a:has-text('昌吉州自然资源局') >> nth=0")
        page.wait_for_selector("h1:has-text('昌吉州自然资源局')")
        assert "2023年部门预算" in page.inner_text("h1")
        shot("3-version")
        with page.expect_download() as info:
            page.click("a.btn:has-text('PDF')")
        pdf = tmp_path / "v.pdf"
        info.value.save_as(pdf)
        assert pdf.read_bytes()[:5] == b"%PDF-"
        with page.expect_download() as info:
            page.click("a.btn:has-text('数据（CSV）')")
        data = tmp_path / "v.csv"
        info.value.save_as(data)
        rows = list(csv.DictReader(io.StringIO(data.read_text(encoding="utf-8-sig"))))
        assert rows and {r["fiscal_year"] for r in rows} == {"2023"} and all(r["amount"] for r in rows)
        page.click("a.btn:has-text('与其他年度比较')")
        page.wait_for_selector("h1:has-text('跨年度比较')")
        page.wait_for_selector("#chart-totals svg")  # ECharts drew, from the project's own static files
        text = page.inner_text("main")
        assert "2022年" in text and "2023年" in text and "不再列示的项目" in text
        shot("4-compare")
        page.locator("h2:has-text('项目的增减')").scroll_into_view_if_needed()
        shot("5-compare-projects")
        browser.close()


def test_server_ran_on_the_database_asked_for(server):
    """With DATABASE_URL the walk above ran on PostgreSQL: its throwaway database holds the published version."""
    _, _, data, db_url = server
    if db_url is None:
        assert (data / "yusuan.sqlite3").is_file()
        return
    import psycopg

    with psycopg.connect(db_url) as conn:
        published = conn.execute("select count(*) from web_version").fetchone()[0]
        edits = conn.execute("select count(*) from web_auditlog where action = 'grid'").fetchone()[0]
    assert published >= 1 and edits >= 1


def test_portal_ranking_side_by_side_and_full_text_search(server):
    """The quality ranking (and its reasons on the version page), departments side by side and a
    ranked search: the example department and the demo's other published department of 2023."""
    from playwright.sync_api import sync_playwright

    url, _, _, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")

        def shot(name: str) -> None:
            page.screenshot(path=str(SHOTS / f"portal-{name}.png"), full_page=False)

        page.goto(f"{url}/public/")
        page.click("a:has-text('公开质量排名')")
        page.wait_for_selector("table.ranking")  # the newest year first; the walk's year is 2023
        page.select_option("select[name=year]", "2023")
        page.click("button:has-text('查看')")
        page.wait_for_url("**year=2023**")
        rows = page.locator("table.ranking tbody tr")
        assert rows.count() >= 2 and "2023年部门预算" in page.inner_text("h1")
        scores = [float(t) for t in page.locator("table.ranking tbody td:nth-child(3)").all_inner_texts()]
        assert scores == sorted(scores, reverse=True)
        names = page.locator("table.ranking tbody td:nth-child(2)").all_inner_texts()
        assert "昌吉州自然资源局" in names
        shot("6-ranking")
        page.click("table.ranking tbody tr:has-text('昌吉州自然资源局') td:nth-child(3) a")
        page.wait_for_selector("#quality")
        page.locator("#quality").scroll_into_view_if_needed()
        text = page.inner_text("#quality")
        assert "为什么是这个分" in text and "及时性" in text and "规范性" in text
        page.locator("#quality details").first.click()  # open the first reason: its findings are listed
        assert page.locator("#quality details[open] li").count() >= 1
        shot("7-why-this-score")

        page.goto(f"{url}/public/side-by-side/")
        page.select_option("select[name=year]", "2023")
        page.click("button:has-text('比较')")  # no department chosen yet: the year's departments are listed
        page.wait_for_url("**year=2023**")
        boxes = page.locator("input[name=d]")
        assert boxes.count() >= 2
        boxes.nth(0).check()
        boxes.nth(1).check()
        page.click("button:has-text('比较')")
        page.wait_for_selector("#chart-totals svg")
        page.wait_for_selector("#chart-shares svg")
        heads = page.locator("table.side").first.locator("thead th").all_inner_texts()
        assert len(heads) == 3 and "昌吉州自然资源局" in heads
        assert "占支出合计" in page.inner_text("main")
        shot("8-side-by-side")
        page.locator("h2:has-text('按支出功能分类')").scroll_into_view_if_needed()
        shot("9-side-by-side-functions")

        # ranked by relevance: every 2023 text names the bureau 昌吉州财政局, the example department's
        # own name (and its units and full name) says 昌吉州 more often
        page.goto(f"{url}/public/search/?q=昌吉州")
        page.wait_for_selector("table.results")
        found = page.locator("table.results tbody td:first-child").all_inner_texts()
        assert len(set(found)) >= 2 and found[0] == "昌吉州自然资源局"
        page.fill("input[name=q]", "昌吉州 国土空间 土地")  # three terms, each in another line of the text
        page.click("form.searchbox button")
        page.wait_for_selector("table.results")
        assert page.locator("table.results tbody td:first-child").all_inner_texts()[0] == "昌吉州自然资源局"
        shot("10-search-ranked")

        # budget against final account: the demo publishes both of one year for the example final account's department
        page.fill("input[name=q]", "示例市财政局")
        page.click("form.searchbox button")
        page.wait_for_selector("table.results")
        assert {"部门预算", "部门决算"} <= set(page.locator("table.results tbody td:nth-child(4)").all_inner_texts())
        page.click("table.results a:has-text('示例市财政局') >> nth=0")
        page.click(".crumbs a:has-text('示例市财政局')")
        page.click("a.btn:has-text('预算与决算对照')")
        page.wait_for_selector("table.budget-final")
        text = page.inner_text("main")
        assert "年初预算数" in text and "完成率" in text and "107.85%" in text  # 一般行政管理事务: 280.40 ÷ 260.00
        shot("11-budget-final")
        browser.close()
