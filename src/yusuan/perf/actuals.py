"""Actual values for 绩效自评: what each project achieved, per indicator, and its budget execution rate.

Accepted files (UTF-8):

YAML / JSON ::

    grades: {达成: 1, 部分达成: 0.6, 未达成: 0}     # optional, overrides the default grade map
    projects:
      - project: 国土变更调查项目经费               # project name, or the printed table name
        execution_rate: 96.5                         # 预算执行率 %, optional
        indicators:
          完成县市2022年全国土地变更调查（个）: "7个"
          保障国土调查成果的先势性和准确性。: 达成

(``projects`` may also be a mapping from project name to ``{execution_rate, indicators}``.)

CSV with a header ``project,indicator,actual``; the indicator ``预算执行率`` gives the execution rate.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from yusuan.amounts import normalise_text
from yusuan.errors import InputError, InputProblem

EXECUTION_NAMES = {"预算执行率", "预算执行率（%）", "预算执行率(%)", "execution_rate"}


@dataclass
class ProjectActuals:
    project: str
    execution_rate: Decimal | None = None  # percent
    indicators: dict[str, str] = field(default_factory=dict)  # indicator name as written → actual as text


@dataclass
class Actuals:
    projects: dict[str, ProjectActuals] = field(default_factory=dict)  # normalised project name → actuals
    grades: dict[str, Decimal] | None = None

    def for_table(self, project: str, printed_name: str) -> ProjectActuals | None:
        """Actuals given under the printed table name win over those given under the project name
        (a project printed as two tables needs one entry per table)."""
        return self.projects.get(normalise_text(printed_name)) or self.projects.get(normalise_text(project))


def load_actuals(path: str | Path) -> Actuals:
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), [InputProblem(str(path), "实际完成值文件不存在")])
    if path.suffix.lower() == ".csv":
        return _from_csv(path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError(str(path), [InputProblem(str(path), f"不支持的文件类型“{path.suffix}”（应为 .yaml、.json 或 .csv）")])
    from yusuan.load import _read_any

    return from_data(_read_any(path), str(path))


def from_data(data: object, where: str) -> Actuals:
    problems: list[InputProblem] = []
    if not isinstance(data, dict) or "projects" not in data:
        raise InputError(where, [InputProblem(where, "顶层应为对象，包含 projects（各项目的实际完成值），可选 grades（等级赋分表）")])
    out = Actuals(grades=parse_grades(data.get("grades"), f"{where}: grades") if data.get("grades") is not None else None)
    entries = data["projects"]
    if isinstance(entries, dict):
        entries = [{"project": k, **(v or {})} for k, v in entries.items()]
    if not isinstance(entries, list):
        raise InputError(where, [InputProblem(f"{where}: projects", "应为列表或以项目名称为键的对象")])
    for n, entry in enumerate(entries):
        at = f"{where}: projects[{n}]"
        if not isinstance(entry, dict) or not entry.get("project"):
            problems.append(InputProblem(at, "每个项目应为对象，并写明 project（项目名称）"))
            continue
        unknown = set(entry) - {"project", "execution_rate", "indicators"}
        if unknown:
            problems.append(InputProblem(at, f"不认识的字段：{'、'.join(map(str, unknown))}（可用 project、execution_rate、indicators）"))
        item = ProjectActuals(str(entry["project"]))
        if entry.get("execution_rate") is not None:
            rate = _rate(entry["execution_rate"])
            if rate is None:
                problems.append(InputProblem(f"{at}.execution_rate", f"预算执行率应为百分数（如 95 或 95%），实际为 {entry['execution_rate']!r}"))
            item.execution_rate = rate
        indicators = entry.get("indicators") or {}
        if not isinstance(indicators, dict):
            problems.append(InputProblem(f"{at}.indicators", "应为以指标名称为键、实际完成值为值的对象"))
            indicators = {}
        for name, actual in indicators.items():
            if actual is None or str(actual).strip() == "":
                continue  # left blank: the scorer reports it as not scored
            _put(item, str(name), str(actual))
        out.projects[normalise_text(item.project)] = item
    if problems:
        raise InputError(where, problems)
    return out


def _put(item: ProjectActuals, name: str, actual: str) -> None:
    if normalise_text(name) in {normalise_text(e) for e in EXECUTION_NAMES}:
        item.execution_rate = _rate(actual)
        return
    item.indicators[name] = actual


def _from_csv(path: Path) -> Actuals:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), [InputProblem(str(path), "文件不是 UTF-8 编码的文本")]) from None
    reader = csv.DictReader(text.splitlines())
    need = {"project", "indicator", "actual"}
    if not reader.fieldnames or not need <= set(reader.fieldnames):
        raise InputError(str(path), [InputProblem(str(path), "CSV 第一行应为列名 project,indicator,actual")])
    out = Actuals()
    problems = []
    for n, row in enumerate(reader, start=2):
        project, name, actual = (row.get(k) or "" for k in ("project", "indicator", "actual"))
        if not project.strip() or not name.strip():
            problems.append(InputProblem(f"{path} 第{n}行", "project 和 indicator 不能为空"))
            continue
        item = out.projects.setdefault(normalise_text(project), ProjectActuals(project.strip()))
        if actual.strip():
            if normalise_text(name) in {normalise_text(e) for e in EXECUTION_NAMES} and _rate(actual) is None:
                problems.append(InputProblem(f"{path} 第{n}行", f"预算执行率应为百分数，实际为 {actual!r}"))
                continue
            _put(item, name.strip(), actual.strip())
    if problems:
        raise InputError(str(path), problems)
    return out


def _rate(value: object) -> Decimal | None:
    text = normalise_text(str(value)).rstrip("%")
    try:
        rate = Decimal(text)
    except InvalidOperation:
        return None
    return rate if rate >= 0 else None


def parse_grades(data: object, where: str) -> dict[str, Decimal]:
    """A grade map: wording → share of the weight (0–1, or a percentage such as 60%)."""
    if not isinstance(data, dict) or not data:
        raise InputError(where, [InputProblem(where, "等级赋分表应为对象，如 {达成: 1, 部分达成: 0.6, 未达成: 0}")])
    out: dict[str, Decimal] = {}
    problems = []
    for word, share in data.items():
        text = normalise_text(str(share))
        try:
            value = Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except InvalidOperation:
            value = Decimal(-1)
        if not 0 <= value <= 1:
            problems.append(InputProblem(f"{where}.{word}", f"得分比例应在 0 到 1 之间（或 0% 到 100%），实际为 {share!r}"))
            continue
        out[normalise_text(str(word))] = value
    if problems:
        raise InputError(where, problems)
    return out
