"""The final-account (部门决算) input workbook: template, exact round trip, located Chinese errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from yusuan.cli import app
from yusuan.errors import InputError
from yusuan.excel import final_layout as F
from yusuan.excel import layout as L
from yusuan.excel import read_workbook, write_template, write_workbook
from yusuan.load import load_package, save_package
from yusuan.model import Assets, GlossaryEntry, Overview, PriorYear, Staffing, StaffCount, Unit, VehicleHolding
from yusuan.model.final import (
    FinalAccount, FinalCarryover, FinalIncome, FinalSpending, OperatingCostsFinal, PerformanceResult, ProcurementFinal,
    SanGongFinal,
)
from yusuan.model.package import ClassNames, EconomicLine

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "final-account-2024"


def edit(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def messages(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    return [str(p) for p in exc.value.problems]


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "决算.xlsx"
    write_workbook(load_package(EXAMPLE), path)
    return path


def _fields(model) -> set[str]:
    return set(model.model_fields)


def _columns(spec, drop=()) -> set[str]:
    return {c.key for c in spec.columns if not c.info} - set(drop)


def _paths(prefix: tuple[str, ...]) -> set[str]:
    return {f.path[len(prefix)] for s in F.KEY_VALUE_SHEETS for f in s.fields
            if f.path[: len(prefix)] == prefix and len(f.path) > len(prefix)}


def test_every_final_account_field_has_a_place_in_the_workbook():
    """A field added to the final-account model without a column would be lost silently: fail instead."""
    covered = {
        FinalAccount: {"account", "schema_version", "overview", "income", "spending", "carryover", "basic_economic",
                       "sangong", "reasons", "last_year", "glossary", "notes", "class_names", "performance_results"}
                      | _paths(()),
        PerformanceResult: _columns(F.PERFORMANCE_RESULTS),
        Unit: _paths(("unit",)) | {"phase"},  # phase: always final in this workbook
        FinalIncome: _columns(F.INCOME),
        FinalSpending: _columns(F.SPENDING),
        FinalCarryover: _columns(F.CARRYOVER),
        SanGongFinal: _columns(F.SANGONG),
        OperatingCostsFinal: _paths(("operating_costs",)),
        ProcurementFinal: _paths(("procurement",)),
        Assets: _paths(("assets",)) | {"vehicles"},
        PriorYear: _columns(F.LAST_YEAR, ["subject"]),
        EconomicLine: _columns(L.BASIC_ECONOMIC),
    }
    for model, keys in covered.items():
        assert keys == _fields(model), model.__name__


def rich_account() -> FinalAccount:
    """The example plus every optional fact the example leaves out (staffing, class names, glossary, notes)."""
    account = load_package(EXAMPLE)
    data = account.model_dump(mode="python")
    data["unit"]["code"] = "101001"
    data["unit"]["region"] = "示例市"
    data["overview"]["staffing"] = Staffing(authorized=30, active=StaffCount(count=28, change=-1),
                                            retired=StaffCount(count=5), veteran=StaffCount(count=0)).model_dump()
    data["overview"]["divisions"] = ["办公室", "预算科"]
    data["other_distribution"] = Decimal("0.30")
    data["carryover"].append({"function": "2010601", "source": "other", "amount": Decimal("0.0125")})
    data["spending"].append({"function": "2010601", "source": "other", "kind": "operating_expense",
                             "actual": Decimal("1.5")})
    data["class_names"] = ClassNames(function={"2019999": "其他一般公共服务支出"}).model_dump()
    data["glossary"] = [GlossaryEntry(term="决算数", definition="指本年度实际支出").model_dump()]
    data["notes"] = {"capital_expenditure": "本单位无国有资本经营预算财政拨款支出。"}
    data["reasons"]["fiscal:total"] = "项目按进度结算"
    data["performance_results"] = [{"project": "财政信息化运维", "budget": Decimal("130.00"), "score": Decimal("95.5"),
                                    "issues": 2, "issues_fixed": 1}]
    data["assets"]["vehicles"].append(VehicleHolding(kind="其他车辆", count=1, value=Decimal("9.5")).model_dump())
    return FinalAccount.model_validate(data)


@pytest.mark.parametrize("make", [lambda: load_package(EXAMPLE), rich_account])
def test_round_trip_facts_workbook_facts(tmp_path: Path, make):
    account = make()
    path = tmp_path / "决算.xlsx"
    save_package(account, path)
    back = load_package(path)
    assert isinstance(back, FinalAccount)
    assert back.model_dump(mode="json") == account.model_dump(mode="json")
    # the places each amount was entered with survive (1200.00 stays 1200.00, 0.0125 stays 0.0125)
    assert [str(l.actual) for l in back.spending] == [str(l.actual) for l in account.spending]
    assert [str(l.amount) for l in back.carryover] == [str(l.amount) for l in account.carryover]
    # and YAML → XLSX → YAML gives the same text
    first, again = tmp_path / "a.yaml", tmp_path / "b.yaml"
    save_package(account, first)
    save_package(back, again)
    assert first.read_text(encoding="utf-8") == again.read_text(encoding="utf-8")
    assert first.read_text(encoding="utf-8").startswith("account: final\n")
    assert load_package(first).model_dump(mode="json") == account.model_dump(mode="json")
    json_file = tmp_path / "c.json"
    save_package(account, json_file)
    assert load_package(json_file).model_dump(mode="json") == account.model_dump(mode="json")


def test_origins_name_the_sheet_row_and_column(workbook: Path):
    account = read_workbook(workbook)
    cells = account.origins.cells
    assert cells[("spending", 0, "actual")] == (F.SPENDING.name, 3, "D")
    assert cells[("reasons", "general:total")][0] == F.REASONS.name


def test_final_template_sheets_lists_and_default_year(tmp_path: Path):
    runner = CliRunner()
    target = tmp_path / "决算模板.xlsx"
    result = runner.invoke(app, ["template", str(target), "--stage", "final"])
    assert result.exit_code == 0, result.output
    wb = load_workbook(target)
    assert wb.sheetnames[0] == "填写说明" and wb.sheetnames[1:-1] == [s.name for s in F.SHEET_ORDER]
    assert wb["单位信息"]["B5"].value == dt.date.today().year - 1  # a final account reports on last year
    text = "\n".join(str(c.value) for c in wb["填写说明"]["A"] if c.value)
    assert "部门决算" in text and "年末结转和结余 = 年初结转和结余" in text and "未知" in text
    ws = wb[F.SPENDING.name]
    assert [c.value for c in ws[2]] == ["function", "source", "kind", "actual", "initial_budget", "adjusted_budget"]
    formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    kind_column = formulas["C3"].split("!")[1].replace("$", "")[0]
    assert [c.value for c in wb["目录"][kind_column][2:] if c.value] == list(L.CHOICES["kind"].values())
    assert runner.invoke(app, ["template", str(tmp_path / "x.xlsx"), "--stage", "final", "--year", "2023"]).exit_code == 0
    assert load_workbook(tmp_path / "x.xlsx")["单位信息"]["B5"].value == 2023
    assert runner.invoke(app, ["template", str(tmp_path / "y.xlsx"), "--stage", "决算"]).exit_code == 2
    # the budget template is unchanged: no final-account sheet, next year
    assert runner.invoke(app, ["template", str(tmp_path / "b.xlsx")]).exit_code == 0
    budget = load_workbook(tmp_path / "b.xlsx")
    assert F.MARKER not in budget.sheetnames and budget["单位信息"]["B5"].value == dt.date.today().year + 1

    # filled in by hand: the name, one income line and the spending it pays for
    edit(target, "单位信息", "B2", "某区审计局")
    wb = load_workbook(target)
    wb[F.INCOME.name].append(["2010801 行政运行", "一般公共预算拨款", 100])
    wb[F.SPENDING.name].append(["2010801", "一般公共预算拨款", "基本支出", 95.5, 98, None])
    wb.save(target)
    account = read_workbook(target)
    assert account.unit.phase == "final" and account.unit.profile == "final_common"
    assert account.spending[0].initial_budget == Decimal("98.00") and account.spending[0].adjusted_budget is None
    assert account.spending[0].actual == Decimal("95.50")


WHERE = "决算.xlsx 工作表"


def test_bad_cells_are_located_in_chinese(workbook: Path):
    edit(workbook, F.SPENDING.name, "C3", "人员支出")
    edit(workbook, F.SPENDING.name, "D4", "很多")
    edit(workbook, F.REASONS.name, "A3", "general:sum")
    found = messages(workbook)
    assert f"{WHERE}“本年支出决算” 第3行 C列：支出类型“人员支出”无法识别，应为下列之一：" + "、".join(L.CHOICES["kind"].values()) in found
    assert f"{WHERE}“本年支出决算” 第4行 D列：应为金额（万元，数字），实际为“很多”" in found
    assert any(m.startswith(f"{WHERE}“差异原因” 第3行 A列：科目键“general:sum”无法识别") for m in found)
    assert len(found) == 3


def test_model_errors_are_located(workbook: Path):
    edit(workbook, F.INCOME.name, "C3", -5)
    edit(workbook, F.SPENDING.name, "D5", None)
    edit(workbook, F.CARRYOVER.name, "B3", "财政拨款结转（一般公共预算）")
    found = messages(workbook)
    assert f"{WHERE}“本年收入” 第3行 C列：金额不能为负数：-5.00" in found
    assert f"{WHERE}“本年支出决算” 第5行 D列：缺少必填字段" in found
    assert any(m.startswith(f"{WHERE}“年初结转和结余” 第3行 B列：资金来源“财政拨款结转（一般公共预算）”不能用于年初结转和结余") for m in found), found


def test_missing_sheet_is_named(workbook: Path):
    wb = load_workbook(workbook)
    del wb[F.CARRYOVER.name]
    wb.save(workbook)
    assert messages(workbook) == [
        "决算.xlsx：缺少工作表“年初结转和结余”（请使用 yusuan template 生成的工作簿，不要删除或改名工作表）"]
