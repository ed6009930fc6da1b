import json

from typer.testing import CliRunner

from yusuan.cli import app

runner = CliRunner()


def test_schema_is_json_schema_of_the_model():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "BudgetPackage"
    assert {"unit", "basic", "projects", "last_year", "performance"} <= set(schema["properties"])


def test_summary_of_missing_file_exits_2_without_traceback(tmp_path):
    result = runner.invoke(app, ["summary", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "文件不存在" in result.output
    assert "Traceback" not in result.output


def test_summary_of_small_package(tmp_path):
    (tmp_path / "package.yaml").write_text(
        "unit: {name: 测试局, budget_year: 2023}\n"
        "basic:\n  - {function: '2010101', amount: 10.25}\n  - {function: '2080505', amount: 2.5}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["summary", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "12.75" in result.output
