"""A department that is not the example, as a new user meets yusuan: a county education bureau (教育支出 205)
filled into ``yusuan template`` (with openpyxl, as a finance officer would type it), built and checked.

The bundled catalogue knows 205 but hardly anything below it; the officer types the names beside the codes
(“2050101 行政运行”) or lists them on the 科目名称 sheet. The tables and the text must then print names, never
bare codes; the check must pass; and one mistake typed into the workbook must give one finding, placed at the
cell where it was typed.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from yusuan.cli import app

YEAR = dt.date.today().year + 1  # what `yusuan template` gives without --year
GENERAL = "一般公共预算拨款"

BASIC = [  # 7-digit code as typed, amount (万元)
    ("2050101 行政运行", 186.40),
    ("2050102 一般行政管理事务", 23.15),
    ("2050201 学前教育", 412.08),
    ("2050202 小学教育", 2630.52),
    ("2050203 初中教育", 1875.33),
    ("2080505", 402.60),  # picked without a name: the catalogue knows it
    ("2101101", 98.12),
    ("2210201", 310.80),
]
NAMES = [("支出功能分类", "20501", "教育管理事务"), ("支出功能分类", "20502", "普通教育")]
ECONOMIC = [("30101", 2210.00), ("30102", 960.40), ("30107", 1120.00), ("30108", 402.60), ("30110", 98.12),
            ("30113", 310.80), ("30201", 180.00), ("30205", 120.00), ("30206", 201.08), ("30213", 125.00),
            ("30228", 88.00), ("30239", 60.00), ("30302", 63.00)]
PROJECT = "义务教育学校公用经费保障"


def fill(ws, rows, first=3):
    for r, values in enumerate(rows, start=first):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed after an apostrophe, as the instructions say: text, not a formula


def kv(ws, label, value):
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == label)
    ws.cell(row, 2, value)


def education_workbook(path: Path) -> Path:
    result = CliRunner().invoke(app, ["template", str(path)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(path)
    unit = wb["单位信息"]
    assert unit["B5"].value == YEAR
    kv(unit, "部门（单位）简称", "某县教育局")
    kv(unit, "全称", "某县教育局")
    kv(unit, "落款日期", dt.date(YEAR, 1, 25))
    kv(unit, "机关运行经费（万元）", 774.08)
    fill(wb["概况"], [("主要职能", "贯彻执行国家教育方针、政策和法规，统筹全县各级各类教育发展。"),
                    ("机构设置", "内设办公室、基础教育股、计划财务股3个股室，下属学校21所。"),
                    ("内设科室", "办公室"), ("内设科室", "基础教育股"), ("内设科室", "计划财务股")])
    staff = wb["人员编制"]
    for label, value in (("编制数", 620), ("在职人数", 598), ("在职人数比上年增减", 4), ("退休人数", 211),
                         ("退休人数比上年增减", 9), ("离休人数", 0), ("离休人数比上年增减", 0)):
        kv(staff, label, value)
    fill(wb["基本支出（功能分类）"], [(code, GENERAL, amount) for code, amount in BASIC])
    fill(wb["基本支出（经济分类）"], [(code, GENERAL, amount) for code, amount in ECONOMIC])
    fill(wb["科目名称"], NAMES)
    fill(wb["项目"], [(PROJECT, "2050202 小学教育", "《国务院关于进一步完善城乡义务教育经费保障机制的通知》",
                     "某县教育局", f"{YEAR}年1月1日-{YEAR}年12月31日")])
    fill(wb["项目资金来源"], [(PROJECT, GENERAL, 360.00)])
    fill(wb["项目经济分类"], [(PROJECT, "302", 360.00)])
    fill(wb["项目资金分配"], [(PROJECT, "小学公用经费", 220.00), (PROJECT, "初中公用经费", 140.00)])
    fill(wb["三公经费"], [("公务用车运行费", GENERAL, 12.00), ("公务接待费", GENERAL, 3.00)])
    procurement = wb["政府采购"]
    for label, value in (("货物类（万元）", 85.00), ("工程类（万元）", 0), ("服务类（万元）", 40.00),
                         ("面向中小企业预留（万元）", 50.00)):
        kv(procurement, label, value)
    assets = wb["国有资产"]
    for label, value in (("截止时间", f"{YEAR - 1}年12月31日"), ("房屋面积（平方米）", 152300), ("房屋价值（万元）", 30215.40),
                         ("单位价值50万元以上大型设备（台套）", 0), ("单位价值100万元以上大型设备（台套）", 0),
                         ("购置计划所属年度", YEAR), ("计划购置车辆（辆）", 0)):
        kv(assets, label, value)
    fill(wb["国有资产车辆"], [("一般公务用车", 2, 36.50)])
    fill(wb["名词解释"], [("财政拨款收入", "指县级财政当年拨付的资金。")])
    fill(wb["绩效目标表"], [(1, PROJECT, "部门项目绩效目标表", None, None, "某县教育局", "张某", 360.00, 0,
                          "保障全县义务教育学校正常运转。")])
    fill(wb["绩效指标"], [
        (1, "产出指标", "数量指标", "保障学校数", "=21所", "计划", None, 30),
        (1, "产出指标", "时效指标", "资金拨付时间", f"{YEAR}年12月31日前", "计划", None, 20),
        (1, "效益指标", "社会效益指标", "学校正常运转率", ">=98%", "计划", None, 20),
        (1, "满意度指标", "服务对象满意度指标", "师生满意度", ">=90%", "计划", None, 20),
    ])
    fill(wb["说明"], [("t8", "本部门无政府性基金预算支出，故本表为空表。"), ("t9", "本部门无国有资本经营预算支出，故本表为空表。")])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return education_workbook(tmp_path_factory.mktemp("edu") / "某县教育局.xlsx")


@pytest.fixture(scope="module")
def report(workbook):
    from yusuan.rules.engine import check_package

    return check_package(workbook)


def test_built_tables_and_text_print_the_names(workbook, tmp_path):
    result = CliRunner().invoke(app, ["build", str(workbook), "-o", str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 0, result.output
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    for name in ("教育管理事务", "普通教育", "学前教育", "小学教育", "初中教育", "行政运行", "机关事业单位基本养老保险缴费支出"):
        assert name in text, name
    # the 类/款/项 chains of Part 3 name every level; no bare code where a name belongs
    assert "教育支出（类）普通教育（款）小学教育（项）" in text
    assert not re.search(r"\d{5,7}（[类款项]）", text)


def test_no_code_without_a_name_and_the_check_passes(report, workbook):
    rows = [(t.label, r.code) for t in report.disclosure.tables for r in t.rows if r.code and not r.name.strip()]
    assert rows == []
    assert [f for f in report.findings if f.rule == "F.NAMES.MISSING"] == []
    fatal = [(f.rule, f.message) for f in report.findings if f.severity == "fatal"]
    assert fatal == [] and report.valid
    # the 205 codes the partial catalogue lacks are named by the user: infos, not warnings
    unknown = [f for f in report.findings if f.rule == "C.FUNCTION.CODE"]
    assert unknown and {f.severity for f in unknown} == {"info"}
    result = CliRunner().invoke(app, ["check", str(workbook)])
    assert result.exit_code == 0 and "通过" in result.output


def _edit(source: Path, target: Path, sheet: str, cell: str, value) -> Path:
    wb = load_workbook(source)
    wb[sheet][cell] = value
    wb.save(target)
    return target


def _row(ws, column: int, value) -> int:
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(r, column).value == value)


MISTAKES = [
    # (what, sheet, cell-finder, typed value, the one rule expected)
    ("project period of last year", "项目", lambda wb: f"E{_row(wb['项目'], 1, PROJECT)}", f"{YEAR - 1}年1月1日-{YEAR - 1}年12月31日",
     "F.YEAR.PERIOD"),
    ("a name that is not the catalogue's", "基本支出（功能分类）", lambda wb: f"A{_row(wb['基本支出（功能分类）'], 1, '2080505')}",
     "2080505 养老保险缴费", "F.NAMES.CATALOGUE"),
    ("a 款 left without a name", "科目名称", lambda wb: f"C{_row(wb['科目名称'], 2, '20502')}", None, "F.NAMES.MISSING"),
    ("last year's signature date", "单位信息", lambda wb: f"B{_row_kv(wb['单位信息'], '落款日期')}", dt.date(YEAR - 1, 1, 25),
     "F.YEAR.SIGNED"),
    ("last year's purchase plan", "国有资产", lambda wb: f"B{_row_kv(wb['国有资产'], '购置计划所属年度')}", YEAR - 1, "F.YEAR.PLAN"),
    # a figure typed wrong: the facts finding absorbs what the print then repeats (tables 5/6/7, the text)
    ("an allocation line", "项目资金分配", lambda wb: f"C{_row(wb['项目资金分配'], 2, '小学公用经费')}", 230.00,
     "F.PROJECT.ALLOCATION"),
    ("a project's economic line", "项目经济分类", lambda wb: f"C{_row(wb['项目经济分类'], 1, PROJECT)}", 350.00,
     "F.PROJECT.ECONOMIC"),
    ("a basic economic line", "基本支出（经济分类）", lambda wb: f"C{_row(wb['基本支出（经济分类）'], 1, '30101')}", 2200.00,
     "F.BASIC.FUNCTION_ECONOMIC"),
]


def _row_kv(ws, label) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == label)


@pytest.mark.parametrize("what, sheet, where, value, rule_id", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_one_mistake_gives_one_finding_at_its_cell(report, workbook, tmp_path, what, sheet, where, value, rule_id):
    from yusuan.rules.engine import check_package

    wb = load_workbook(workbook)
    cell = where(wb)
    if value is None:  # a name cleared: the whole row goes
        row = int(cell[1:])
        for c in range(1, 4):
            wb[sheet].cell(row, c).value = None
    else:
        wb[sheet][cell] = value
    path = tmp_path / "mistake.xlsx"
    wb.save(path)
    # compared by rule and what it is about: a finding that quotes the changed name is not a new one
    def key(f):
        return (f.rule, f.subject, f.location.describe() if f.location else "")

    before = {key(f) for f in report.findings}
    new = [f for f in check_package(path).findings if key(f) not in before]
    assert [f.rule for f in new] == [rule_id], [(f.rule, f.message) for f in new]
    [f] = new
    assert f.severity in ("warning", "fatal") and f.location is not None and f.location.file == "mistake.xlsx"
    if rule_id != "F.NAMES.MISSING":  # a missing name is placed at the first line using the code
        assert f.location.table == f"工作表“{sheet}”" and f.location.cell == cell
    if rule_id in ("F.PROJECT.ECONOMIC", "F.BASIC.FUNCTION_ECONOMIC"):
        assert "连带发现" in f.inputs and "不再单列" in f.message
