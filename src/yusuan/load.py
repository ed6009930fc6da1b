"""Load and save a package: JSON, YAML, an Excel workbook, or a folder that holds one of them.

One entry point, ``load_package``, for every command. A folder holds ``package.yaml`` (or
``package.json`` / ``package.xlsx``) and may hold more YAML files named after top-level keys
(``performance.yaml`` → ``performance``), so a long section can live in its own file.
Errors never escape as tracebacks: they become an ``InputError`` that names the file and the JSON
path (or sheet/row/column) and says what was expected, in Chinese.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from yusuan.errors import InputError, InputProblem, explain, json_path  # noqa: F401 - explain/json_path re-exported
from yusuan.model import BudgetPackage
from yusuan.model.origins import Origins

PACKAGE_NAMES = ("package.yaml", "package.yml", "package.json", "package.xlsx")


# libyaml's parser (PyYAML's C binding) reads the example about ten times faster than the pure
# Python one; both build the same nodes, so the Decimal constructor below serves either.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if yaml.__with_libyaml__ else yaml.SafeLoader


class _DecimalLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """YAML loader that reads numbers with a fraction as Decimal, from their text (never via float)."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # equal amounts print as numbers, never as &id001 / *id001
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)


def resolve(path: Path) -> Path:
    """A package file, or the folder that holds one → the package file."""
    if path.is_dir():
        for name in PACKAGE_NAMES:
            if (path / name).exists():
                return path / name
        raise InputError(str(path), [InputProblem(str(path), f"文件夹中没有预算包文件（应为 {' / '.join(PACKAGE_NAMES)} 之一）")])
    if not path.exists():
        raise InputError(str(path), [InputProblem(str(path), "文件不存在")])
    return path


def load_package(path: str | Path) -> BudgetPackage:
    path = resolve(Path(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from yusuan.excel import read_workbook

        return read_workbook(path)
    if suffix not in (".json", ".yaml", ".yml"):
        raise InputError(str(path), [InputProblem(str(path), f"不支持的文件类型“{suffix}”（应为 .json、.yaml、.yml 或 .xlsx）")])
    data = _read_mapping(path)
    from yusuan.model.final import is_final_data

    if is_final_data(data):  # a final account (部门决算): its own facts model
        return validate_final(data, str(path)).with_origins(Origins(file=path.name))  # type: ignore[return-value]
    files: dict[str, str] = {}
    if path.name in PACKAGE_NAMES:
        for part in sorted(path.parent.glob("*.yaml")):
            if part.name in PACKAGE_NAMES or part.stem in data:
                continue
            if part.stem in BudgetPackage.model_fields:
                data[part.stem] = _read_any(part)
                files[part.stem] = part.name
    return validate(data, str(path)).with_origins(Origins(file=path.name, files=files))


def _read_any(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), [InputProblem(str(path), "文件不是 UTF-8 编码的文本")]) from None
    except OSError as exc:
        raise InputError(str(path), [InputProblem(str(path), f"无法读取：{exc.strerror}")]) from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text, parse_float=Decimal)
        return yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 - SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise InputError(str(path), [InputProblem(f"{path} 第{exc.lineno}行第{exc.colno}列", f"JSON 格式错误：{exc.msg}")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path} 第{mark.line + 1}行第{mark.column + 1}列" if mark else str(path)
        raise InputError(str(path), [InputProblem(where, f"YAML 格式错误：{getattr(exc, 'problem', exc)}")]) from None


def _read_mapping(path: Path) -> dict:
    data = _read_any(path)
    if not isinstance(data, dict):
        raise InputError(str(path), [InputProblem(str(path), "顶层应为一个对象（键值映射），包含 unit、basic、projects 等字段")])
    return data


def validate(data: dict, where: str) -> BudgetPackage:
    try:
        return BudgetPackage.model_validate(data)
    except ValidationError as exc:
        raise InputError(where, [InputProblem(f"{where}: {json_path(e['loc'])}", explain(e)) for e in exc.errors()]) from None


def validate_final(data: dict, where: str):
    """A final account's facts (``account: final``), validated; errors in Chinese with their place."""
    from yusuan.model.final import FinalAccount

    try:
        return FinalAccount.model_validate(data)
    except ValidationError as exc:
        raise InputError(where, [InputProblem(f"{where}: {json_path(e['loc'])}", explain(e)) for e in exc.errors()]) from None


def dump_data(package: BudgetPackage) -> dict:
    """The package as plain data (Decimals kept), defaults left out for readability; a final account keeps
    its ``account: final`` (what makes the file load as one)."""
    data = package.model_dump(mode="python", exclude_defaults=True)
    if getattr(package, "account", None) == "final":
        data = {"account": "final", **data}
    return data


def save_package(package: BudgetPackage, path: str | Path) -> Path:
    """Write JSON, YAML or XLSX by suffix; written to a temporary file first, then moved in place."""
    path = Path(path)
    suffix = path.suffix.lower()
    tmp = path.with_name(f".{path.name}.tmp")
    if suffix in (".xlsx", ".xlsm"):
        from yusuan.excel import write_workbook

        write_workbook(package, tmp)
    elif suffix == ".json":
        tmp.write_text(to_json(package) + "\n", encoding="utf-8")
    elif suffix in (".yaml", ".yml"):
        data = dump_data(package)
        text = yaml.dump(_plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
        tmp.write_text(text, encoding="utf-8")
    else:
        raise InputError(str(path), [InputProblem(str(path), f"不支持的输出类型“{suffix}”（应为 .json、.yaml 或 .xlsx）")])
    tmp.replace(path)
    return path


_MARK = "\u0001D"


def to_json(package: BudgetPackage) -> str:
    """JSON with amounts as exact JSON numbers (pydantic would write Decimals as strings)."""
    import re

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            return _MARK + format(value, "f")
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    data = mark(_plain(dump_data(package)))
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return re.sub(r'"\\u0001D(-?[0-9.]+)"', r"\1", text)


def _plain(value: Any) -> Any:
    """Enums → their values, dates → ISO text, tuples → lists, for YAML output."""
    import datetime as dt
    from enum import Enum

    if isinstance(value, dict):
        return {(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
