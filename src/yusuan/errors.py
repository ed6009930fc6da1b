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


# ------------------------------------------------------------------ pydantic errors in Chinese
# (here rather than in ``load`` so that every reader — YAML/JSON in ``load``, Excel in ``excel`` — uses
# them without importing another reader: the import graph stays one-way, load → excel)

def json_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "（顶层）"


_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（请检查拼写，或参见 yusuan schema）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "decimal_parsing": "应为金额（数字）",
    "decimal_type": "应为金额（数字）",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为对象（键值映射）",
    "model_type": "应为对象（键值映射）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "bool_parsing": "应为是/否（true/false）",
}


def explain(error: dict) -> str:
    """A pydantic error in Chinese, with the offending value."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    shown = f"，实际为 {value!r}" if kind != "missing" and not isinstance(value, (dict, list)) else ""
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("literal_error", "enum"):
        return f"取值应为 {ctx.get('expected', '')} 之一{shown}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"应不小于 {ctx.get('ge', ctx.get('gt'))}{shown}"
    if kind in ("less_than_equal", "less_than"):
        return f"应不大于 {ctx.get('le', ctx.get('lt'))}{shown}"
    if kind == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if kind in _MESSAGES:
        return _MESSAGES[kind] + shown
    return f"{error['msg']}{shown}"
