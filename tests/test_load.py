import json

import pytest

from yusuan.errors import InputError
from yusuan.load import load_package, save_package, validate

MINIMAL = {"unit": {"name": "测试局", "budget_year": 2023}, "basic": [{"function": "2010101", "amount": "1.50"}]}


def problems(exc: InputError) -> list[str]:
    return [str(p) for p in exc.problems]


def test_wrong_code_named_by_path():
    data = {**MINIMAL, "basic": [{"function": "201", "amount": 1}]}
    with pytest.raises(InputError) as exc:
        validate(data, "pkg.json")
    assert problems(exc.value) == ["pkg.json: basic[0].function：支出功能分类项级科目应为 7 位数字编码，实际为 '201'"]


def test_text_where_amount_belongs():
    data = {**MINIMAL, "basic": [{"function": "2010101", "amount": "一百"}]}
    with pytest.raises(InputError) as exc:
        validate(data, "pkg.json")
    assert problems(exc.value) == ["pkg.json: basic[0].amount：应为金额（万元，数字），实际为 '一百'"]


def test_negative_amount():
    data = {**MINIMAL, "basic": [{"function": "2010101", "amount": -3}]}
    with pytest.raises(InputError) as exc:
        validate(data, "pkg.json")
    assert problems(exc.value) == ["pkg.json: basic[0].amount：金额不能为负数：-3"]


def test_unknown_field_and_missing_field():
    with pytest.raises(InputError) as exc:
        validate({"unit": {"name": "x"}, "colour": 1}, "pkg.yaml")
    assert "pkg.yaml: unit.budget_year：缺少必填字段" in problems(exc.value)
    assert "pkg.yaml: colour：不认识的字段（请检查拼写，或参见 yusuan schema），实际为 1" in problems(exc.value)


def test_yaml_syntax_error_names_line(tmp_path):
    path = tmp_path / "package.yaml"
    path.write_text("unit:\n  name: [x\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_package(tmp_path)
    assert problems(exc.value)[0].startswith(f"{path} 第3行")


def test_folder_without_package(tmp_path):
    with pytest.raises(InputError, match="文件夹中没有预算包文件"):
        load_package(tmp_path)


def test_json_yaml_round_trip_exact(tmp_path):
    pkg = validate(MINIMAL, "x")
    save_package(pkg, tmp_path / "a.json")
    assert json.loads((tmp_path / "a.json").read_text())["basic"][0]["amount"] == 1.5
    again = load_package(tmp_path / "a.json")
    save_package(again, tmp_path / "b.yaml")
    assert load_package(tmp_path / "b.yaml") == pkg
    assert "amount: 1.50" in (tmp_path / "b.yaml").read_text()
