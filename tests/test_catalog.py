import pytest
from typer.testing import CliRunner

from yusuan import catalog
from yusuan.cli import app
from yusuan.errors import InputError


def test_bundled_catalogue_is_partial_and_knows_reference_codes():
    func = catalog.load("function", 2023)
    assert func.partial
    assert func.name("2200109") == "自然资源调查与确权登记"
    assert func.get("2200109").parent == "22001"
    assert func.get("9999999") is None


def test_names_match_after_normalisation():
    econ = catalog.load("economic", 2023)
    assert econ.names_match("30213", "维修(护)费")  # half-width brackets
    assert econ.names_match("30213", " 维修（护）费　")
    assert econ.names_match("30299", "其他和服务支出") is False
    assert econ.names_match("39998", "x") is None


def test_personnel_or_public_by_class():
    econ = catalog.load("economic", 2023)
    assert econ.personnel_or_public("30101") == "人员经费"
    assert econ.personnel_or_public("30309") == "人员经费"
    assert econ.personnel_or_public("30217") == "公用经费"


def test_import_complete_edition(tmp_path, monkeypatch):
    monkeypatch.setenv("YUSUAN_HOME", str(tmp_path / "home"))
    csv = tmp_path / "f2024.csv"
    csv.write_text("code,name\n220,自然资源海洋气象等支出\n22001,自然资源事务\n2200101,行政运行\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["catalog", "import", str(csv), "--year", "2024"])
    assert result.exit_code == 0, result.output
    assert "已导入 3 个科目" in result.output
    func = catalog.load("function", 2024)
    assert not func.partial and func.edition == "2024" and len(func.entries) == 3
    # other years still use the bundled partial edition
    assert catalog.load("function", 2023).partial


def test_import_rejects_bad_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("YUSUAN_HOME", str(tmp_path / "home"))
    csv = tmp_path / "bad.csv"
    csv.write_text("code,name\n22,短编码\n2200101,\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        catalog.import_edition(csv, "function", 2024)
    assert [str(p) for p in exc.value.problems] == [
        f"{csv} 第2行：科目编码“22”无效（功能分类为 3/5/7 位，经济分类为 3/5 位）",
        f"{csv} 第3行：科目 2200101 缺少名称",
    ]
    assert not (tmp_path / "home" / "catalog" / "function-2024.csv").exists()


def test_import_rejects_orphans(tmp_path, monkeypatch):
    monkeypatch.setenv("YUSUAN_HOME", str(tmp_path / "home"))
    csv = tmp_path / "orphan.csv"
    csv.write_text("code,name\n2200101,行政运行\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["catalog", "import", str(csv), "--year", "2024"])
    assert result.exit_code == 2
    assert "以下科目缺少上级科目：2200101" in result.output


def test_bundled_catalogues_have_every_parent():
    for kind in ("function", "economic"):
        cat = catalog.load(kind, 2023)
        orphans = [c for c, e in cat.entries.items() if e.parent and e.parent not in cat.entries]
        assert orphans == [], kind


def test_loads_are_shared_read_only_and_see_a_new_import(tmp_path, monkeypatch):
    monkeypatch.setenv("YUSUAN_HOME", str(tmp_path / "home"))
    first = catalog.load("function", 2031)
    assert catalog.load("function", 2031) is first  # cached, not re-read per call
    with pytest.raises(TypeError):
        first.entries["999"] = None  # type: ignore[index]
    csv = tmp_path / "f.csv"
    csv.write_text("code,name\n220,自然资源海洋气象等支出\n", encoding="utf-8")
    catalog.import_edition(csv, "function", 2031)
    assert len(catalog.load("function", 2031).entries) == 1
    csv.write_text("code,name\n220,自然资源海洋气象等支出\n22001,自然资源事务\n", encoding="utf-8")
    catalog.import_edition(csv, "function", 2031)
    assert len(catalog.load("function", 2031).entries) == 2
