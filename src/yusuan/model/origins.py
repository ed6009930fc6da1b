"""Where each fact of a loaded package was entered: the workbook sheet, row and column, or the file and data
path of a YAML/JSON package. Kept on the loaded ``BudgetPackage`` (``package.origins``), never in its data:
it is not part of the package, it says where the package came from, so that a finding on a fact can send the
user to the cell to correct."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from yusuan.errors import json_path

Cell = tuple[str, int | None, str | None]  # sheet, row (None: the whole sheet), column letter (None: the whole row)


def sheet_place(file: str, sheet: str, row: int | None = None, column: str | None = None) -> str:
    """Where a workbook value was typed, in Chinese: 教育局.xlsx 工作表“项目” 第5行 D列."""
    text = f"{file} 工作表“{sheet}”"
    if row is not None:
        text += f" 第{row}行"
    if column is not None:
        text += f" {column}列"
    return text


@dataclass(frozen=True)
class Origins:
    file: str  # the file's name as the user knows it ("教育局.xlsx", "package.yaml")
    # data path (("projects", 2, "period")) → the cell it was typed in; empty for YAML/JSON
    cells: Mapping[tuple, Cell] = field(default_factory=dict)
    # top-level key → the file it came from, when a folder package spreads over several (performance.yaml)
    files: Mapping[str, str] = field(default_factory=dict)

    def __deepcopy__(self, memo: dict) -> "Origins":
        return self  # never changed once loaded: a copied package shares its origins

    @property
    def workbook(self) -> bool:
        return bool(self.cells)

    def cell(self, path: tuple) -> tuple[tuple, Cell] | None:
        """The cell of ``path`` or of its nearest recorded parent (a project's row for its missing field)."""
        for end in range(len(path), 0, -1):
            found = self.cells.get(tuple(path[:end]))
            if found is not None:
                return tuple(path[:end]), found
        return None

    def file_of(self, path: tuple) -> str:
        return self.files.get(path[0], self.file) if path else self.file

    def describe(self, path: tuple) -> str:
        """Chinese, as load errors put it: 教育局.xlsx 工作表“项目” 第5行 D列 / package.yaml: projects[2].period."""
        found = self.cell(path)
        if found is None:
            return f"{self.file_of(path)}: {json_path(path)}"
        sheet, row, column = found[1]
        return sheet_place(self.file, sheet, row, column)
