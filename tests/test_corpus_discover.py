"""Which files a corpus audit reads: yusuan's own check-report pages (a build folder holds one) are not disclosures."""

from __future__ import annotations

from pathlib import Path

from yusuan.corpus.discover import is_own_report, iter_files
from yusuan.render.report import write_report
from yusuan.rules.engine import check_package


def test_build_folder_report_pages_are_left_out_and_disclosures_kept(example_package, tmp_path: Path):
    report = check_package(example_package)
    from yusuan.compose import compose

    disclosure = compose(example_package)
    engine = write_report(disclosure, report.findings, True, tmp_path, "engine", engine_report=report)
    minimal = write_report(disclosure, report.findings, True, tmp_path, "minimal")
    page = tmp_path / "部门预算.html"  # a page made elsewhere, with another generator mark
    page.write_text('<html><head><meta charset="utf-8"><meta name="generator" content="Microsoft Word 15">'
                    "</head><body><p>部门预算</p></body></html>", encoding="utf-8")
    (tmp_path / "说明.txt").write_text("一、部门职责", encoding="utf-8")

    assert is_own_report(engine["report.html"]) and is_own_report(minimal["report.html"])
    assert not is_own_report(page)
    names = sorted(p.name for p in iter_files(tmp_path))
    assert names == ["说明.txt", "部门预算.html"]
