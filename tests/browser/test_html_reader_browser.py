"""The HTML reader reads what a browser shows: on the hand-written site page and on a page ``yusuan build``
writes, every paragraph the reader finds is a line of chromium's rendered text, and every table's rows hold
the cells chromium shows in them (rowspan/colspan expanded, the empty cells the reader adds for cells
spanning down left aside). Screenshots go to test-output/screenshots/.

Run with `make test-browser` (sets YUSUAN_BROWSER=1); skipped in the ordinary suite.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yusuan.read.blocks import Grid, Para
from yusuan.read.html import read_html_blocks

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("YUSUAN_CHROMIUM", "/usr/bin/chromium")
PAGE = ROOT / "tests" / "data" / "html" / "department-final-page.html"

pytestmark = [
    pytest.mark.skipif(not os.environ.get("YUSUAN_BROWSER"), reason="browser tests run with make test-browser"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no chromium at {CHROMIUM} (scripts/system-deps.sh)"),
]

_TABLES = """Array.from(document.querySelectorAll('table')).filter(t => !t.querySelector('table'))
  .map(t => Array.from(t.rows).filter(r => r.offsetParent !== null).map(r => Array.from(r.cells).map(c => c.innerText)))"""


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _shown(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(path.resolve().as_uri())
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"html-reader-{path.stem}.png"), full_page=True)
            page.evaluate("document.querySelectorAll('nav').forEach(n => n.remove())")  # not read, on purpose
            text = page.evaluate("document.body.innerText")
            tables = page.evaluate(_TABLES)
        finally:
            browser.close()
    lines = [_norm(line) for line in text.split("\n") if _norm(line)]
    return lines, [[[_norm(c) for c in row if _norm(c)] for row in t] for t in tables]


def _built(tmp_path: Path) -> Path:
    from yusuan.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(ROOT / "examples" / "final-account-2024"), "-o", str(out), "-f", "html"])
    assert result.exit_code == 0, result.output
    return next(p for p in out.glob("*.html") if "校验报告" not in p.name)


@pytest.mark.parametrize("which", ["site", "built"])
def test_reader_sees_what_the_browser_shows(tmp_path, which):
    path = PAGE if which == "site" else _built(tmp_path)
    lines, tables = _shown(path)
    blocks = read_html_blocks(path)
    # Our page sets 编制部门 and 单位 side by side with CSS (flex): the browser breaks the line there, the
    # reader keeps one line; either way each part is shown.
    paragraphs = [_norm(b.text) for b in blocks if isinstance(b, Para)]
    shown = set(lines)
    assert [p for p in paragraphs if p not in shown and not all(part in shown for part in re.split(r"(?=单位：)", p))] == []
    grids = [[[_norm(c.text) for c in row if _norm(c.text)] for row in g.rows] for g in blocks if isinstance(g, Grid)]
    assert grids == [t for t in tables if any(t)]
    assert len(grids) == (2 if which == "site" else 9)
