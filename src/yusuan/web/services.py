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


def is_final(package) -> bool:
    """A final account (``FinalAccount``, read from the final-account workbook) rather than a budget."""
    from yusuan.model.final import FinalAccount

    return isinstance(package, FinalAccount)


def check(package: BudgetPackage, settings=None) -> Checked:
    """``settings``: the bureau's configuration of the checks (``web.rulesconfig``), else the defaults."""
    from yusuan.rules.engine import check_package
    from yusuan.rules.report import _table_view, to_dict

    report = check_package(package, settings=settings)
    stats = report.stats()["by_severity"]
    tables = [_table_view(report, t) for t in report.disclosure.tables] if report.disclosure else []
    return Checked(facts=package.model_dump(mode="json"), report=to_dict(report), tables=tables,
                   fatal=stats["fatal"], warning=stats["warning"])


WORKBOOK_ZH = {"budget": "部门预算录入工作簿", "final": "部门决算录入工作簿"}


def workbook_kind(path: Path) -> str | None:
    """``final`` or ``budget`` from the workbook's sheets (the final-account workbook carries the sheet
    ``final_layout.MARKER``); None when the file does not open (``read_workbook`` then says why)."""
    import warnings

    from openpyxl import load_workbook

    from yusuan.excel.final_layout import MARKER

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(path, read_only=True)
        try:
            return "final" if MARKER in wb.sheetnames else "budget"
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 - unreadable: left to read_workbook's own messages
        return None


def read_upload(uploaded, phase: str | None = None) -> BudgetPackage:
    """An uploaded Excel input workbook → facts; ``InputError`` (Chinese) when it cannot be used.
    ``phase`` (budget/final): the kind of workbook the package takes; a workbook of the other kind is
    refused before it is read, so the message is about the kind, not about figures of the wrong layout."""
    from yusuan.excel import read_workbook

    name = Path(uploaded.name or "上传文件").name
    if Path(name).suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(name, [InputProblem(name, "应上传 Excel 录入工作簿（.xlsx），可在本页下载当前数据的工作簿或空白模板")])
    with tempfile.TemporaryDirectory(prefix="yusuan-upload-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        kind = workbook_kind(path) if phase else None
        if kind is not None and kind != phase:
            stage = "决算" if phase == "final" else "预算"
            raise InputError(name, [InputProblem(name, f"这是{WORKBOOK_ZH[kind]}，本{stage}包应上传{WORKBOOK_ZH[phase]}"
                                                       "（可在本页下载空白或当前数据的工作簿）")])
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
