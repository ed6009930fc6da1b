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
    result = CliRunner().invoke(app, ["catalog", "import", str(csv), "--year", "2024", "--replace"])
    assert result.exit_code == 0, result.output
    assert "已用 3 个科目替换2024年度功能分类目录（完整目录）" in result.output
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
    result = CliRunner().invoke(app, ["catalog", "import", str(csv), "--year", "2024", "--replace"])
    assert result.exit_code == 2
    assert "以下科目缺少上级科目：2200101" in result.output
    # merged into the bundled edition, whose 22001 is the parent, the same file is fine
    csv.write_text("code,name\n2200199,某个新项目\n20599,其他教育支出\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["catalog", "import", str(csv), "--year", "2024"])
    assert result.exit_code == 0, result.output  # 22001 and 205 are bundled
    csv.write_text("code,name\n2069901,某项\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["catalog", "import", str(csv), "--year", "2024"])
    assert result.exit_code == 2 and "以下科目缺少上级科目：2069901" in result.output


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
    catalog.import_edition(csv, "function", 2031, replace=True)
    assert len(catalog.load("function", 2031).entries) == 1
    csv.write_text("code,name\n220,自然资源海洋气象等支出\n22001,自然资源事务\n", encoding="utf-8")
    catalog.import_edition(csv, "function", 2031, replace=True)
    assert len(catalog.load("function", 2031).entries) == 2


def test_import_of_a_partial_file_merges_into_the_bundled_edition(tmp_path, monkeypatch):
    monkeypatch.setenv("YUSUAN_HOME", str(tmp_path / "home"))
    bundled = catalog.load("function", 2025)
    assert bundled.get("20501") is None and bundled.name("22001") == "自然资源事务"
    csv = tmp_path / "education.csv"
    csv.write_text("code,name\n205,教育支出\n20501,教育管理事务\n2050101,行政运行\n22001,自然资源管理事务\n",
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["catalog", "import", str(csv), "--year", "2025"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "已将 4 个科目并入2025年度功能分类目录：新增 2 个，更名 1 个，未变 1 个" in out
    assert f"现共 {len(bundled.entries) + 2} 个科目" in out
    assert "更名：22001 自然资源事务 → 自然资源管理事务" in out and "yusuan catalog reset --year 2025" in out
    merged = catalog.load("function", 2025)
    assert merged.partial and merged.imported == 3  # 205 unchanged; still the partial bundled edition, extended
    assert merged.name("2050101") == "行政运行" and merged.name("22001") == "自然资源管理事务"
    assert merged.name("2200101") == "行政运行"  # everything else of the bundled edition stays
    assert catalog.load("function", 2024).get("20501") is None  # other years untouched

    # a second partial file adds to the first; a code given again under its name changes nothing
    csv.write_text("code,name\n20502,普通教育\n2200101,行政运行\n", encoding="utf-8")
    second = catalog.import_edition(csv, "function", 2025)
    assert second.added == ["20502"] and second.renamed == [] and second.unchanged == 1
    again = catalog.load("function", 2025)
    assert again.name("20501") == "教育管理事务" and again.name("20502") == "普通教育" and again.imported == 4

    # and the way back
    result = CliRunner().invoke(app, ["catalog", "reset", "--year", "2025", "--kind", "function"])
    assert result.exit_code == 0 and "恢复为内置目录" in result.output
    back = catalog.load("function", 2025)
    assert back.get("20501") is None and back.name("22001") == "自然资源事务" and back.imported == 0
    result = CliRunner().invoke(app, ["catalog", "reset"])
    assert "没有导入的内容" in result.output


def test_merging_into_a_complete_edition_keeps_it_complete(tmp_path, monkeypatch):
    monkeypatch.setenv("YUSUAN_HOME", str(tmp_path / "home"))
    csv = tmp_path / "full.csv"
    csv.write_text("code,name\n220,自然资源海洋气象等支出\n22001,自然资源事务\n2200101,行政运行\n", encoding="utf-8")
    catalog.import_edition(csv, "function", 2026, replace=True)
    csv.write_text("code,name\n2200102,一般行政管理事务\n", encoding="utf-8")
    result = catalog.import_edition(csv, "function", 2026)
    assert result.added == ["2200102"] and not result.partial and result.total == 4
    cat = catalog.load("function", 2026)
    assert not cat.partial and len(cat.entries) == 4
    assert catalog.reset("function", 2026) and catalog.load("function", 2026).partial
