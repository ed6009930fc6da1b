"""Excel input and output: template, exact round trip, and located Chinese errors for bad input."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.conftest import EXAMPLE
from yusuan.errors import InputError
from yusuan.excel import layout as L
from yusuan.excel import read_workbook, write_template, write_workbook
from yusuan.load import load_package, save_package, to_json
from yusuan.model import (
    AllocationLine, Assets, BasicLine, BudgetPackage, ClassNames, EconomicLine, Funding, GlossaryEntry, Indicator, Overview,
    PerformanceTable, PriorYear, Procurement, Project, ProjectEconomic, SanGongLine, Staffing, StaffCount, Unit,
    VehicleHolding,
)
from yusuan.model.package import Transfer
from yusuan.model.sources import SOURCE_LABELS, Source

D = Decimal


def rich_package() -> BudgetPackage:
    """A package that sets every field, with amounts of 0–4 places and awkward texts."""
    return BudgetPackage(
        unit=Unit(
            name="测试局", full_name="某某自治州测试局", code="001", budget_year=2023, phase="final",
            profile="shanghai", date_signed=dt.date(2023, 1, 31), region="某某自治州",
        ),
        overview=Overview(
            functions=["履行职责一。", "负责（二）=事项\n第二段"],
            institutions="下设3个科室：办公室、财务科 、规划科。",
            subordinate_units=["测试中心"],
            divisions=["办公室", "财务科", "规划科"],
            staffing=Staffing(
                authorized=65, active=StaffCount(count=64, change=-2), retired=StaffCount(count=39, change=2),
                veteran=StaffCount(count=0), stated_actual=103,
            ),
        ),
        basic=[
            BasicLine(function="2200101", source=Source.GENERAL, amount=D("526.37")),
            BasicLine(function="2080505", source=Source.GENERAL_TRANSFER, amount=D("3.9")),
            BasicLine(function="2299999", source=Source.CARRYOVER_UNIT, amount=D("20")),  # not in the partial catalogue
            BasicLine(function="2101101", source=Source.SPECIAL_ACCOUNT, amount=D("0.0001")),
            BasicLine(function="2101102", source=Source.BUSINESS, amount=D("12.345")),
            BasicLine(function="2101103", source=Source.OPERATING, amount=D("3.0")),
            BasicLine(function="2101199", source=Source.AFFILIATED, amount=D("1.230")),
            BasicLine(function="2210201", source=Source.SUPERIOR_SUBSIDY, amount=D("0.1230")),
        ],
        basic_economic=[
            EconomicLine(economic="30101", amount=D("311.55")),
            EconomicLine(economic="30217", source=Source.OTHER, amount=D("0.50"), printed_name="公务接待"),
        ],
        projects=[
            Project(
                name="=以等号开头的项目", function="2200106",
                funding=[Funding(source=s, amount=D(n)) for s, n in ((Source.GENERAL, "100"), (Source.FUND_TRANSFER, "23.45"))],
                economic=[ProjectEconomic(economic="302", amount=D("100")), ProjectEconomic(economic="31002", amount=D("23.45"))],
                policy_basis="《某某条例》", implementer="测试局", period="2023年1月-12月",
                allocation=[AllocationLine(purpose="7个县市外业核实经费", amount=D("70")), AllocationLine(purpose="其他", amount=D("53.45"))],
                described_name="情况说明中的名称", note="与公开文本有出入",
            ),
            Project(name="只有资金来源的项目", function="2200150", funding=[Funding(source=Source.CARRYOVER_GENERAL, amount=D("5"))],
                    transfer=Transfer(kind="affiliated_subsidy", unit="测试局下属中心")),
        ],
        sangong=[
            SanGongLine(item=item, source=src, amount=D(n))
            for item, src, n in (
                ("abroad", Source.GENERAL, "0"), ("vehicle_purchase", Source.GENERAL, "25.00"),
                ("vehicle_operation", Source.FUND, "8.1"), ("reception", Source.GENERAL, "0.74"),
            )
        ],
        operating_costs=D("165.17"),
        procurement=Procurement(goods=D("10"), works=D(0), services=D("5.5"), sme_reserved=D("3.30"), small_micro_reserved=D("1")),
        assets=Assets(
            as_of="2022年底", buildings_area=D("3200.5"), buildings_value=D("1200.00"),
            vehicles=[VehicleHolding(kind="一般公务用车", count=2, value=D("40.2")), VehicleHolding(kind="其他车辆", count=0, value=D(0))],
            furniture_value=D("12.3456"), other_value=D("0"), equipment_over_50=1, equipment_over_100=0,
            plan_year=2023, plan_vehicles=1, plan_equipment_over_50=0, plan_equipment_over_100=2,
        ),
        last_year={
            "total": PriorYear(amount=D("1800.10"), reason="项目增加"),
            "income:general": PriorYear(amount=D("1700")),
            "general:function:2200101": PriorYear(amount=D("500.5"), reason="人员减少"),
            "sangong:reception": PriorYear(amount=D("1.00")),
            "operating_costs": PriorYear(amount=D("160")),
        },
        performance=[
            PerformanceTable(
                project="=以等号开头的项目", title_name="印出的名称", budget_unit="测试局", owner="张三",
                fiscal=D("100"), other=D("23.45"), goal="完成外业核实。",
                indicators=[
                    Indicator(level1="产出指标", level2="数量指标", name="核实县市数", target="=7个", basis="计划", last_year="/",
                              weight=D("20"), scoring="完成得满分", evidence="报告"),
                    Indicator(level1="效益指标", level2="社会效益指标", name="服务水平", target="有效提高", weight=D("12.5")),
                    Indicator(level1="满意度指标", level2="服务对象满意度指标", name="满意度", target="≥90%"),
                    Indicator(level1="成本指标", level2="经济成本指标", name="成本", target="<=1,760万元"),
                    Indicator(level1="产出指标", level2="时效指标", name="完成时间", target="2023年2月-11月"),
                ],
                extra={"专项名称": "自然灾害防治", "专项实施期": "2023年"},
            ),
            PerformanceTable(format="area", project="只有资金来源的项目", title="某区域绩效目标表", fiscal=D("5")),
        ],
        glossary=[GlossaryEntry(term="机关运行经费", definition="为保障行政单位运行……")],
        notes={"t8": "本部门无政府性基金预算支出，故本表为空。", "other": "无"},
        class_names=ClassNames(function={"2299901": "某个未收录的项", "22999": "其他支出"}, economic={"399": "其他支出类"}),
    )


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "收入.xlsx"
    write_workbook(rich_package(), path)
    return path


def edit(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    if isinstance(value, str):
        wb[sheet][cell].data_type = "s"  # as typed after an apostrophe: "=…" stays text
    wb.save(path)


def messages(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    return [str(p) for p in exc.value.problems]


# ------------------------------------------------------------------ layout covers the model

def _fields(model) -> set[str]:
    return set(model.model_fields)


def _columns(spec, drop=()) -> set[str]:
    return {c.key for c in spec.columns if not c.info} - set(drop)


def _paths(prefix: tuple[str, ...]) -> set[str]:
    return {f.path[len(prefix)] for s in L.KEY_VALUE_SHEETS for f in s.fields if f.path[: len(prefix)] == prefix and len(f.path) > len(prefix)}


def test_every_model_field_has_a_place_in_the_workbook():
    """A field added to the model without a column would be silently lost: fail loudly instead."""
    covered = {
        BudgetPackage: {"schema_version", "overview", "basic", "basic_economic", "projects", "sangong", "last_year",
                        "performance", "glossary", "notes", "class_names"} | _paths(()),
        Unit: _paths(("unit",)),
        Overview: set(L.OVERVIEW_PARTS) | {"staffing"},
        Staffing: _paths(("overview", "staffing")),
        StaffCount: _paths(("overview", "staffing", "active")),
        BasicLine: _columns(L.BASIC),
        EconomicLine: _columns(L.BASIC_ECONOMIC),
        # ``transfer`` is entered in two cells of the 项目 sheet (转拨本部门其他单位, 收款单位)
        Project: (_columns(L.PROJECTS) - {"transfer_kind", "transfer_unit"}) | {"funding", "economic", "allocation", "transfer"},
        Transfer: {"kind", "unit"},
        Funding: _columns(L.PROJECT_FUNDING, ["project"]),
        ProjectEconomic: _columns(L.PROJECT_ECONOMIC, ["project"]),
        AllocationLine: _columns(L.PROJECT_ALLOCATION, ["project"]),
        SanGongLine: _columns(L.SANGONG),
        Procurement: _paths(("procurement",)),
        Assets: _paths(("assets",)) | {"vehicles"},
        VehicleHolding: _columns(L.VEHICLES),
        PriorYear: _columns(L.LAST_YEAR, ["subject"]),
        GlossaryEntry: _columns(L.GLOSSARY),
        PerformanceTable: _columns(L.PERFORMANCE, ["table"]) | {"indicators", "extra"},
        Indicator: _columns(L.INDICATORS, ["table"]),
        ClassNames: {"function", "economic"},  # the 科目名称 sheet's 分类 column
    }
    for model, keys in covered.items():
        assert keys == _fields(model), model.__name__


# ------------------------------------------------------------------ template

def test_template_has_every_sheet_lists_and_instructions(tmp_path: Path):
    path = tmp_path / "模板.xlsx"
    write_template(path, 2023)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "填写说明"
    assert wb.sheetnames[1:-1] == [s.name for s in L.SHEET_ORDER]
    assert wb["目录"].sheet_state == "hidden"
    text = "\n".join(str(c.value) for c in wb["填写说明"]["A"] if c.value)
    assert "万元" in text and "合计" in text and "7 位项级科目编码" in text
    for spec in L.SHEET_ORDER:
        assert spec.name in text

    ws = wb["基本支出（功能分类）"]
    assert [c.value for c in ws[1]] == ["功能分类科目（项）", "资金来源", "金额（万元）"]
    assert [c.value for c in ws[2]] == ["function", "source", "amount"]
    assert ws.row_dimensions[2].hidden and ws.freeze_panes == "A3"
    assert ws.column_dimensions["C"].number_format == "0.00" and ws.column_dimensions["A"].number_format == "@"
    assert ws.column_dimensions["A"].width >= 30
    formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert set(formulas) == {"A3", "B3"}
    column = formulas["A3"].split("!")[1].replace("$", "").split(":")[0][0]
    listed = [c.value for c in wb["目录"][column][2:] if c.value]
    assert "2200101 行政运行" in listed and all(len(v.split()[0]) == 7 for v in listed)
    sources = [c.value for c in wb["目录"][formulas["B3"].split("!")[1].replace("$", "")[0]][2:] if c.value]
    assert sources == list(SOURCE_LABELS.values())
    assert wb["单位信息"]["B5"].value == 2023  # 预算年度 filled in from --year
    subject_list = wb["上年数及变动原因"].data_validations.dataValidation[0]
    assert str(subject_list.sqref).startswith("A3") and subject_list.errorStyle == "warning"
    assert {"total", "income:general", "general:project", "sangong:reception"} <= {
        c.value for c in wb["目录"][subject_list.formula1.split("!")[1].replace("$", "")[0]]
    }

    # A blank template with only the unit name filled in reads as an empty package of that year.
    edit(path, "单位信息", "B2", "空白局")
    pkg = read_workbook(path)
    assert pkg == BudgetPackage(unit=Unit(name="空白局", budget_year=2023))


def test_names_typed_beside_codes_and_listed_on_their_own(tmp_path: Path):
    path = tmp_path / "教育局.xlsx"
    write_template(path, 2025)
    wb = load_workbook(path)
    wb["单位信息"]["B2"] = "某县教育局"
    basic = wb["基本支出（功能分类）"]
    for r, (code, amount) in enumerate((("2050101 行政运行", 120), ("2050201学前教育", 800), ("2200101 行政运行", 5)), start=3):
        basic.cell(r, 1, code)
        basic.cell(r, 2, "一般公共预算拨款")
        basic.cell(r, 3, amount)
    names = wb["科目名称"]
    assert [c.value for c in names[1]] == ["分类", "科目编码", "科目名称"]
    names.append(["支出功能分类", "20501", "教育管理事务"])
    names.append(["支出功能分类", 20502, "普通教育"])
    names.append(["部门预算支出经济分类", "30201", "办公费"])  # listed: kept even where the catalogue agrees
    wb.save(path)
    pkg = read_workbook(path)
    # the name picked with 2200101 is the catalogue's own: nothing to keep
    assert pkg.class_names.function == {"20501": "教育管理事务", "20502": "普通教育", "2050101": "行政运行", "2050201": "学前教育"}
    assert pkg.class_names.economic == {"30201": "办公费"}
    assert [line.function for line in pkg.basic] == ["2050101", "2050201", "2200101"]
    # written back, the names stand beside the codes and on the sheet, and read the same
    again = tmp_path / "again.xlsx"
    write_workbook(pkg, again)
    assert load_workbook(again)["基本支出（功能分类）"]["A3"].value == "2050101 行政运行"
    assert read_workbook(again) == pkg

    # one code, two names: which one prints is the user's call
    edit(path, "科目名称", "A6", "支出功能分类")
    edit(path, "科目名称", "B6", "2050201")
    edit(path, "科目名称", "C6", "学前教育")
    assert read_workbook(path) == pkg
    edit(path, "基本支出（功能分类）", "A4", "2050201 幼儿教育")
    assert messages(path) == ["教育局.xlsx 工作表“基本支出（功能分类）” 第4行 A列：科目 2050201 的名称“幼儿教育”与"
                              "教育局.xlsx 工作表“科目名称” 第6行 B列填写的“学前教育”不一致，请统一为一个名称"]
    edit(path, "基本支出（功能分类）", "A4", "2050201")
    edit(path, "科目名称", "B3", "2050")
    [problem] = messages(path)
    assert "工作表“科目名称” 第3行 B列" in problem and "2050" in problem


def test_workbook_made_before_the_names_sheet_reads(workbook: Path):
    wb = load_workbook(workbook)
    del wb["科目名称"]
    wb.save(workbook)
    pkg = read_workbook(workbook)
    assert pkg.class_names == ClassNames()
    assert pkg.model_copy(update={"class_names": rich_package().class_names}) == rich_package()


# ------------------------------------------------------------------ round trip

def test_rich_package_round_trips_exactly(workbook: Path):
    original = rich_package()
    back = read_workbook(workbook)
    assert back == original
    assert to_json(back) == to_json(original)  # including 20 vs 20.00 and 0.0001


def test_amounts_are_numbers_with_two_or_four_place_formats(workbook: Path):
    ws = load_workbook(workbook)["基本支出（功能分类）"]
    shown = [(ws[f"C{r}"].value, ws[f"C{r}"].number_format.split(";")[0]) for r in range(3, 8)]
    assert shown == [(526.37, "0.00"), (3.9, "0.00"), (20, "0.00"), (0.0001, "0.0000"), (12.345, "0.0000")]
    assert load_workbook(workbook)["基本支出（功能分类）"]["A3"].value == "2200101 行政运行"
    assert load_workbook(workbook)["基本支出（功能分类）"]["B4"].value == "上级一般公共预算安排转移支付"


def test_typed_values_are_read_as_a_finance_officer_means_them(workbook: Path):
    wb = load_workbook(workbook)
    ws = wb["基本支出（功能分类）"]
    ws["A3"], ws["C3"] = 2200101, "  １,２３４.５０　"  # a code typed as a number; text with full-width digits
    ws["C4"] = 0.1 + 0.2  # binary noise from a formula
    ws["C4"].number_format = "General"
    ws["B5"] = "一般公共预算拨款"
    wb["单位信息"]["B5"] = "２０２３"
    wb["单位信息"]["B8"] = "2023年2月1日"
    wb.save(workbook)
    pkg = read_workbook(workbook)
    assert pkg.basic[0].function == "2200101" and str(pkg.basic[0].amount) == "1234.50"
    assert str(pkg.basic[1].amount) == "0.3"
    assert pkg.basic[2].source is Source.GENERAL
    assert pkg.unit.budget_year == 2023 and pkg.unit.date_signed == dt.date(2023, 2, 1)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")
def test_workbook_saved_again_by_libreoffice_reads_the_same(workbook: Path, tmp_path: Path):
    """A finance officer opens the workbook and saves it: the spreadsheet program rewrites formats."""
    out = tmp_path / "saved"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    back = read_workbook(out / workbook.name)
    assert to_json(back) == to_json(rich_package())


def test_sheet_without_its_hidden_key_row_is_read_by_its_headers(workbook: Path):
    wb = load_workbook(workbook)
    wb["基本支出（功能分类）"].delete_rows(2)
    wb["三公经费"].delete_rows(2)
    wb.save(workbook)
    assert to_json(read_workbook(workbook)) == to_json(rich_package())


def test_example_round_trips_exactly(tmp_path: Path):
    if not (EXAMPLE / "package.yaml").exists():
        pytest.skip(f"示例预算包不存在：{EXAMPLE}")
    original = load_package(EXAMPLE)
    path = tmp_path / "example.xlsx"
    save_package(original, path)
    back = load_package(path)
    assert back == original
    assert to_json(back) == to_json(original)


def test_convert_between_all_three_formats(tmp_path: Path):
    from yusuan.cli import app

    runner = CliRunner()
    first = tmp_path / "a.json"
    save_package(rich_package(), first)
    chain = [first, tmp_path / "b.xlsx", tmp_path / "c.yaml", tmp_path / "d.xlsx", tmp_path / "e.json"]
    for src, dst in zip(chain, chain[1:]):
        result = runner.invoke(app, ["convert", str(src), str(dst)])
        assert result.exit_code == 0, result.output
    assert chain[-1].read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    result = runner.invoke(app, ["template", str(tmp_path / "t.xlsx"), "--year", "2024"])
    assert result.exit_code == 0 and load_workbook(tmp_path / "t.xlsx")["单位信息"]["B5"].value == 2024
    # without --year: next year's budget, the one being drawn up now
    result = runner.invoke(app, ["template", str(tmp_path / "next.xlsx")])
    assert result.exit_code == 0
    assert load_workbook(tmp_path / "next.xlsx")["单位信息"]["B5"].value == dt.date.today().year + 1


# ------------------------------------------------------------------ bad input: located Chinese errors

WHERE = "收入.xlsx 工作表"


def test_malformed_code_is_an_error_but_an_unknown_code_is_not(workbook: Path):
    edit(workbook, "基本支出（功能分类）", "A4", "220010 行政运行")
    edit(workbook, "项目经济分类", "B3", "3021")
    assert messages(workbook) == [
        f"{WHERE}“基本支出（功能分类）” 第4行 A列：支出功能分类项级科目应为 7 位数字编码，实际为 '220010'",
        f"{WHERE}“项目经济分类” 第3行 B列：经济分类科目应为 3 或 5 位数字编码，实际为 '3021'",
    ]
    edit(workbook, "基本支出（功能分类）", "A4", "2209999")  # well formed, not in the partial catalogue
    edit(workbook, "项目经济分类", "B3", "302")
    assert read_workbook(workbook).basic[1].function == "2209999"


def test_text_where_an_amount_belongs(workbook: Path):
    edit(workbook, "基本支出（功能分类）", "C5", "一百")
    edit(workbook, "国有资产", "B4", "很多")
    assert messages(workbook) == [
        f"{WHERE}“国有资产” 第4行 B列：应为金额（万元，数字），实际为“很多”",
        f"{WHERE}“基本支出（功能分类）” 第5行 C列：应为金额（万元，数字），实际为“一百”",
    ]


def test_negative_amount_and_missing_value(workbook: Path):
    edit(workbook, "项目资金来源", "C4", -5)  # typed into a cell formatted 0.00
    edit(workbook, "三公经费", "C3", None)
    assert messages(workbook) == [
        f"{WHERE}“项目资金来源” 第4行 C列：金额不能为负数：-5.00",
        f"{WHERE}“三公经费” 第3行 C列：缺少必填字段",
    ]


def test_unknown_source_label(workbook: Path):
    edit(workbook, "基本支出（经济分类）", "B3", "中央拨款")
    assert messages(workbook) == [
        f"{WHERE}“基本支出（经济分类）” 第3行 B列：资金来源“中央拨款”无法识别，应为下列之一：" + "、".join(SOURCE_LABELS.values())
    ]


def test_wrong_year_type(workbook: Path):
    edit(workbook, "单位信息", "B5", "二〇二三年")
    assert messages(workbook) == [f"{WHERE}“单位信息” 第5行 B列：应为整数，实际为“二〇二三年”"]
    edit(workbook, "单位信息", "B5", 1999)
    assert messages(workbook) == [f"{WHERE}“单位信息” 第5行 B列：应不小于 2000，实际为 1999"]


def test_missing_sheet_and_missing_column(workbook: Path):
    wb = load_workbook(workbook)
    del wb["项目资金分配"]
    wb["三公经费"].delete_cols(3)
    wb.save(workbook)
    assert messages(workbook) == ["收入.xlsx：缺少工作表“项目资金分配”（请使用 yusuan template 生成的工作簿，不要删除或改名工作表）"]
    wb = load_workbook(workbook)
    wb.create_sheet("项目资金分配")
    wb.save(workbook)
    # The recreated sheet lacks its headers too: every missing column is named.
    assert messages(workbook) == [
        f"{WHERE}“项目资金分配” 第1行：缺少列“项目名称”（第2行字段名应为 project）",
        f"{WHERE}“项目资金分配” 第1行：缺少列“资金用途”（第2行字段名应为 purpose）",
        f"{WHERE}“项目资金分配” 第1行：缺少列“金额（万元）”（第2行字段名应为 amount）",
        f"{WHERE}“三公经费” 第1行：缺少列“金额（万元）”（第2行字段名应为 amount）",
    ]


def test_rows_that_refer_to_nothing(workbook: Path):
    edit(workbook, "项目资金来源", "A5", "不存在的项目")
    edit(workbook, "绩效指标", "A4", 9)
    edit(workbook, "上年数及变动原因", "A3", "totals")
    assert messages(workbook) == [
        f"{WHERE}“项目资金来源” 第5行 A列：项目名称“不存在的项目”不在工作表“项目”中的项目名称",
        f"{WHERE}“上年数及变动原因” 第3行 A列：科目键“totals”无法识别（可用形式：" + "、".join(
            __import__("yusuan.model.package", fromlist=["SUBJECT_PATTERNS"]).SUBJECT_PATTERNS) + "）",
        f"{WHERE}“绩效指标” 第4行 A列：表号 9 在工作表“绩效目标表”中没有",
    ]


def test_duplicate_project_project_without_funding_and_blank_target(workbook: Path):
    edit(workbook, "项目", "A4", "=以等号开头的项目")
    assert messages(workbook) == [
        f"{WHERE}“项目” 第4行 A列：项目名称“=以等号开头的项目”重复（第3行已有）",
        f"{WHERE}“项目资金来源” 第5行 A列：项目名称“只有资金来源的项目”不在工作表“项目”中的项目名称",
    ]
    edit(workbook, "项目", "A4", "新项目")
    edit(workbook, "项目资金来源", "A5", "=以等号开头的项目")
    edit(workbook, "绩效指标", "E3", None)
    assert messages(workbook) == [
        f"{WHERE}“项目” 第4行：项目没有资金来源：请在工作表“项目资金来源”中至少填写一行",
        f"{WHERE}“绩效指标” 第3行 E列：缺少必填字段",
    ]


def test_transfer_needs_both_cells_and_reads_back(workbook: Path):
    ws = load_workbook(workbook)["项目"]
    header = {ws.cell(1, c).value: ws.cell(1, c).column_letter for c in range(1, ws.max_column + 1)}
    kind, unit = header["转拨本部门其他单位"], header["收款单位"]
    assert ws[f"{kind}4"].value == "对附属单位补助" and ws[f"{unit}4"].value == "测试局下属中心"
    edit(workbook, "项目", f"{unit}4", None)
    assert messages(workbook) == [f"{WHERE}“项目” 第4行 {unit}列：“转拨本部门其他单位”与“收款单位”应同时填写，此处缺“收款单位”"]
    edit(workbook, "项目", f"{kind}4", None)
    assert read_workbook(workbook).projects[1].transfer is None  # neither cell: no transfer


CORRUPT = {
    "text renamed": lambda p: p.write_text("金额,100\n", encoding="utf-8"),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:2000]),
    "empty": lambda p: p.write_bytes(b""),
}
NOT_XLSX = "不是有效的 Excel 工作簿（.xlsx）：文件可能已损坏、不完整，或是改了扩展名的其他文件"


@pytest.mark.parametrize("damage", sorted(CORRUPT))
def test_corrupt_workbooks(workbook: Path, damage: str):
    CORRUPT[damage](workbook)
    assert messages(workbook) == [f"收入.xlsx：{NOT_XLSX}"]


def test_zip_that_is_not_a_workbook_and_damaged_parts(workbook: Path, tmp_path: Path):
    other = tmp_path / "资料.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert messages(other) == ["资料.xlsx：不是 Excel 工作簿（.xlsx）：压缩包中没有工作簿内容"]
    broken = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, b"<broken" if item.filename == "xl/workbook.xml" else data)
    assert messages(broken) == ["坏.xlsx：Excel 工作簿已损坏，无法打开（请用 Excel 打开后另存为 .xlsx 再试）"]


def test_cli_convert_bad_workbook_exits_2_and_writes_nothing(workbook: Path, tmp_path: Path):
    from yusuan.cli import app

    edit(workbook, "基本支出（功能分类）", "C3", "abc")
    target = tmp_path / "out.json"
    result = CliRunner().invoke(app, ["convert", str(workbook), str(target)])
    assert result.exit_code == 2
    assert "收入.xlsx 工作表“基本支出（功能分类）” 第3行 C列：应为金额（万元，数字），实际为“abc”" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == [workbook.name]


def test_failed_write_leaves_no_partial_file(tmp_path: Path, monkeypatch):
    from openpyxl import Workbook

    target = tmp_path / "out.xlsx"

    def explode(self, filename):
        Path(filename).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", explode)
    with pytest.raises(InputError) as exc:
        write_workbook(rich_package(), target)
    assert [str(p) for p in exc.value.problems] == [f"{target}：无法写入：disk full"]
    assert list(tmp_path.iterdir()) == []


def test_template_into_a_missing_folder_is_a_clear_error(tmp_path: Path):
    target = tmp_path / "没有" / "模板.xlsx"
    with pytest.raises(InputError) as exc:
        write_template(target, 2023)
    assert str(exc.value.problems[0]) == f"{target}：无法写入：No such file or directory"
    assert not target.parent.exists()


def test_json_written_from_workbook_is_valid(workbook: Path, tmp_path: Path):
    target = tmp_path / "out.json"
    save_package(read_workbook(workbook), target)
    assert json.loads(target.read_text(encoding="utf-8"))["unit"]["phase"] == "final"


def test_excel_does_not_import_load():
    """The import graph is one-way: ``load`` reads workbooks through ``excel``, so ``excel`` never imports ``load``."""
    import ast

    import yusuan.excel

    for path in Path(yusuan.excel.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m == "yusuan.load" or m.startswith("yusuan.load.")}, path.name
