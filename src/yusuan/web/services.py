"""The library calls the web application makes: read a workbook, check facts, render a version.

No domain logic here: ``yusuan.excel`` reads the workbook, ``yusuan.rules.engine`` checks,
``yusuan.render`` writes the files. What is stored is the pydantic dump of the facts, the check
report's JSON (docs/report-schema.md) and the report's table views (cells marked by findings).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from yusuan.errors import InputError, InputProblem
from yusuan.model import BudgetPackage


@dataclass
class Checked:
    facts: dict
    report: dict
    tables: list[dict]
    fatal: int
    warning: int


def facts_of(data: dict):
    """Stored facts → the package: a final account (``account: final``) or a budget."""
    if (data or {}).get("account") == "final":
        from yusuan.model.final import FinalAccount

        return FinalAccount.model_validate(data)
    return BudgetPackage.model_validate(data)


def check(package: BudgetPackage, settings=None) -> Checked:
    """``settings``: the bureau's configuration of the checks (``web.rulesconfig``), else the defaults."""
    from yusuan.rules.engine import check_package
    from yusuan.rules.report import _table_view, to_dict

    report = check_package(package, settings=settings)
    stats = report.stats()["by_severity"]
    tables = [_table_view(report, t) for t in report.disclosure.tables] if report.disclosure else []
    return Checked(facts=package.model_dump(mode="json"), report=to_dict(report), tables=tables,
                   fatal=stats["fatal"], warning=stats["warning"])


def read_upload(uploaded) -> BudgetPackage:
    """An uploaded Excel input workbook → facts; ``InputError`` (Chinese) when it cannot be used."""
    from yusuan.excel import read_workbook

    name = Path(uploaded.name or "上传文件").name
    if Path(name).suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(name, [InputProblem(name, "应上传 Excel 录入工作簿（.xlsx），可在本页下载当前数据的工作簿或空白模板")])
    with tempfile.TemporaryDirectory(prefix="yusuan-upload-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        try:
            return read_workbook(path)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - a file openpyxl cannot open is unusable input, not a crash
            raise InputError(name, [InputProblem(name, f"无法作为 Excel 工作簿读取（{type(exc).__name__}）")]) from None


def workbook_bytes(package: BudgetPackage) -> bytes:
    from yusuan.excel import write_workbook

    with tempfile.TemporaryDirectory(prefix="yusuan-wb-") as tmp:
        path = Path(tmp) / "package.xlsx"
        write_workbook(package, path)
        return path.read_bytes()


def render_files(package: BudgetPackage, formats: list[str], out_dir: Path, check_settings=None) -> dict[str, Path]:
    """The published files of a package (the disclosure composed and checked as ``yusuan build`` does);
    ``check_settings``: the bureau's configuration of the checks (a fatal finding marks the files 草稿)."""
    from yusuan.render import render
    from yusuan.rules.engine import check_package

    report = check_package(package, settings=check_settings)
    disclosure = report.disclosure
    if not report.valid:
        disclosure = disclosure.model_copy(update={"draft": True})
    return render(disclosure, out_dir, formats, findings=report.findings)
