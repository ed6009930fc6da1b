"""Errors a user sees: each names where (file, sheet/row/column or JSON path) and what was expected."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class InputProblem:
    where: str  # "package.yaml: projects[3].funding[0].amount" or "收入.xlsx 工作表“基本支出” 第5行 C列"
    message: str  # Chinese: what is wrong and what was expected

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"


@dataclass
class InputError(Exception):
    """Input that cannot be used. The CLI prints every problem and exits with status 2."""

    source: str
    problems: list[InputProblem] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"无法读取 {self.source}"
        if not self.problems:
            return head
        if len(self.problems) == 1 and self.problems[0].where == self.source:
            return f"{head}：{self.problems[0].message}"
        return head + "：\n" + "\n".join(f"  - {p}" for p in self.problems)
