"""The real Shanghai final account example (examples/putuo-finance-final-2024): built in the Shanghai final
layout with 0 fatal findings, and the written DOCX and PDF read back with 0 fatal findings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from yusuan.cli import app
from yusuan.compose import compose
from yusuan.derive_final import FinalSums
from yusuan.load import load_package
from yusuan.model.final import FinalAccount
from yusuan.read import read_file
from yusuan.rules.engine import check_package

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "putuo-finance-final-2024"


def _fatal(findings) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in findings if f.severity == "fatal"]


def test_facts_reproduce_the_printed_totals():
    account = load_package(EXAMPLE)
    assert isinstance(account, FinalAccount) and account.unit.profile == "shanghai_final"
    sums = FinalSums(account)
    assert sums.income() == Decimal("2946.25") and sums.spending() == Decimal("2940.05")
    assert sums.spending(kind="basic") == Decimal("2336.91") and sums.income_total() == Decimal("2995.39")
    assert sums.carryover_end() == Decimal("55.34") and sums.carryover_end("fiscal") == Decimal("21.63")
    assert sums.personnel_public() == (Decimal("2152.26"), Decimal("184.65"))


def test_composed_in_the_shanghai_layout_without_fatal_findings():
    account = load_package(EXAMPLE)
    disclosure = compose(account)
    assert disclosure.profile == "shanghai_final"
    assert [s.id for s in disclosure.sections if s.id == "other.performance"]
    assert not _fatal(check_package(account, disclosure=disclosure).findings)


def test_build_and_audit_docx_and_pdf(tmp_path: Path):
    result = CliRunner().invoke(app, ["build", str(EXAMPLE), "-o", str(tmp_path), "-f", "docx,pdf"])
    assert result.exit_code == 0, result.output
    written = sorted(tmp_path.glob("*.docx")) + sorted(tmp_path.glob("*.pdf"))
    assert len(written) == 2
    for path in written:
        read = read_file(path, profile="auto")
        assert read.disclosure.profile == "shanghai_final" and read.disclosure.phase == "final"
        audit = CliRunner().invoke(app, ["audit", str(path)])
        assert audit.exit_code == 0 and "错误 0 条" in audit.output, audit.output


def test_audit_facts_recovers_a_final_account_from_its_disclosure():
    from yusuan.recover_final import final_facts_from_disclosure

    account = load_package(EXAMPLE)
    recovered, notes = final_facts_from_disclosure(compose(account))
    original, back = FinalSums(account), FinalSums(recovered)
    for source in (None, "general_budget"):
        assert back.income(source) == original.income(source) and back.spending(source) == original.spending(source)
    assert back.budget("general_budget") == original.budget("general_budget") == Decimal("2993.93")
    assert back.carryover_end() == original.carryover_end()
    assert recovered.reasons["general:function:2010607"] == account.reasons["general:function:2010607"]
    assert any("年初结转和结余" in n.message for n in notes)  # what the print leaves open is said


def test_performance_results_are_composed_with_derived_average_and_grades():
    data = load_package(EXAMPLE).model_dump()
    data["notes"].pop("performance")
    data["performance_results"] = [
        {"project": "财政委托业务", "budget": Decimal("450.52"), "score": Decimal("98.5"), "issues": 2, "issues_fixed": 1},
        {"project": "信息化建设", "budget": Decimal("135.90"), "score": Decimal("85")},
    ]
    text = "".join(p.text for s in compose(FinalAccount.model_validate(data)).sections if s.id == "other.performance"
                   for p in s.paragraphs)
    assert "绩效自评的2024年度项目2个，涉及预算金额586.42万元，平均得分91.75分" in text
    assert "绩效评级为“优”的项目1个；绩效评级为“良”的项目1个" in text and "正在整改的1个" in text
    data["performance_results"][0]["issues_fixed"] = 3
    try:
        FinalAccount.model_validate(data)
    except ValueError as exc:
        assert "多于发现的问题" in str(exc)
    else:
        raise AssertionError("more issues fixed than found must be refused")
