"""Rows of a performance-target table printed before any table title: one reading finding for the run, not one per row."""

from __future__ import annotations

from yusuan.disclosure import Location
from yusuan.read.blocks import GridCell
from yusuan.read.performance import read_performance_rows


def _row(*texts: str, row: int = 1) -> list[GridCell]:
    return [GridCell(t, Location(cell=f"T1R{row}C{i}")) for i, t in enumerate(texts, start=1)]


def test_untitled_rows_give_one_finding_quoting_the_first_and_counting_them():
    rows = [_row("预算单位", "某局", row=1), _row("项目名称", "某项目", row=2), _row("一级指标", "二级指标", "三级指标", "指标值", row=3),
            _row("产出指标", "数量指标", "培训次数", "≥3次", row=4)]
    findings: list = []
    assert read_performance_rows(rows, findings) == []
    assert [(f.rule, f.message, f.location.cell) for f in findings] == [
        ("R.TABLE.UNRECOGNISED", "绩效目标表标题之前的表格行（共4行）：“预算单位”", "T1R1C1")]


def test_one_untitled_row_then_a_titled_table():
    rows = [_row("说明文字", row=1), _row("项目支出绩效目标表", row=2), _row("项目名称", "某项目", row=3)]
    findings: list = []
    read_performance_rows(rows, findings)
    stray = [f for f in findings if f.rule == "R.TABLE.UNRECOGNISED"]
    assert [(f.message, f.location.cell) for f in stray] == [("绩效目标表标题之前的表格行：“说明文字”", "T1R1C1")]
