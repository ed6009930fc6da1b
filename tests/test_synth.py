"""`yusuan synth make` / `score`: a corpus with ground truth, deterministic for a seed; the score finds
the injected errors (each category in a small run, read back from Word) and no fatal finding on a
clean document."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yusuan.cli import app
from yusuan.synth.inject import CATEGORIES, inject
from yusuan.synth.make import TRUTH_SCHEMA, build_document, load_truth, make_corpus
from yusuan.synth.score import near, score_corpus

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    result = runner.invoke(app, ["synth", "make", "-o", str(out), "--departments", "3", "--seed", "7",
                                 "--errors", "0.5", "--formats", "docx"])
    assert result.exit_code == 0, result.output
    return out


def test_make_writes_the_files_and_a_valid_truth(corpus):
    truth = load_truth(corpus)
    assert truth["schema"] == TRUTH_SCHEMA and truth["seed"] == 7 and len(truth["documents"]) == 3
    for doc in truth["documents"]:
        assert (corpus / doc["file"]).stat().st_size > 0 and set(doc["files"]) == {"docx"}
        assert doc["profile"] in ("xinjiang", "shanghai") and doc["phrasings"]
        assert doc["clean"] == (not doc["errors"]) and len(doc["errors"]) <= 1
        for e in doc["errors"]:
            assert e["category"] in CATEGORIES and e["expected_rules"] and e["location"] and e["description"]
        assert doc["statements"] and all(len(s) == 3 for s in doc["statements"])
    assert truth["documents"][0]["department"] == "example"
    assert {d["department"] for d in truth["documents"][1:]} == {"random"}


def test_the_same_seed_makes_the_same_truth_and_another_seed_another(corpus, tmp_path):
    again = make_corpus(tmp_path / "again", departments=3, errors=0.5, seed=7, formats=["docx"])
    assert json.loads(json.dumps(again)) == load_truth(corpus)
    other = make_corpus(tmp_path / "other", departments=3, errors=0.5, seed=8, formats=["docx"])
    assert other["documents"][1:] != again["documents"][1:]


def test_bad_options_are_refused_in_chinese(tmp_path):
    for args, word in ((["--formats", "odt"], "不支持的格式"), (["--errors", "1.5"], "错误比例"),
                       (["--years", "20x3"], "无法识别的年度"), (["--categories", "nonsense"], "错误类别")):
        result = runner.invoke(app, ["synth", "make", "-o", str(tmp_path / "x"), "--departments", "1", *args])
        assert result.exit_code == 2 and word in result.output, result.output
    result = runner.invoke(app, ["synth", "score", str(tmp_path)])
    assert result.exit_code == 2 and "truth.json" in result.output


def test_every_category_injects_into_a_composed_document():
    """Each injector finds a place, changes what is printed and records where (detection: the next test)."""
    from yusuan.disclosure import Disclosure

    for n, category in enumerate(CATEGORIES):
        d, _ = build_document(11, 2 + n, None, "none", 0.0, profiles=("xinjiang",) if category == "percentage" else
                              ("xinjiang", "shanghai"))  # the Shanghai narrative prints no shares
        before = d.model_dump()
        record = inject(d, random.Random(n), category)
        assert record is not None and record["category"] == category
        assert d.model_dump() != before, category
        Disclosure.model_validate(d.model_dump())
        assert record["location"] and record["expected_rules"], category


def test_score_finds_each_injected_category_read_back_from_word(tmp_path):
    out = tmp_path / "c"
    make_corpus(out, departments=len(CATEGORIES), errors=1.0, seed=5, formats=["docx"], variants="none",
                categories=list(CATEGORIES), profiles=["xinjiang"])  # the Shanghai narrative prints no shares
    result = runner.invoke(app, ["synth", "score", str(out)])
    assert result.exit_code == 0, result.output
    score = json.loads((out / "score.json").read_text(encoding="utf-8"))
    for category, s in score["categories"].items():
        assert s["injected"] >= 1, category
        assert s["recall"] > 0, (category, s["missed"])
    assert 0 < score["precision_fatal"] <= 1
    twins = score["against_twins"]  # the error documents without their error, written beside them
    assert twins["categories"]["sum"]["injected"] >= 1 and twins["recall"] > 0 and 0 < twins["precision"] <= 1
    assert "查全率" in result.output


def test_a_clean_document_has_no_fatal_finding(tmp_path):
    out = tmp_path / "clean"
    make_corpus(out, departments=2, errors=0.0, seed=3, formats=["docx"], variants="none")
    score = score_corpus(out)
    assert score["clean_files"] == 2
    assert score["false_fatal_on_clean"] == 0, score["false_fatal_examples"]
    assert score["narrative_amounts"]["share"] >= 0.98


def test_score_reads_the_results_of_a_corpus_audit(corpus, tmp_path):
    truth = load_truth(corpus)
    files = [str(corpus / d["file"]) for d in truth["documents"]]
    result = runner.invoke(app, ["audit", *files, "--format", "json", "-o", str(tmp_path / "reports")])
    assert result.exit_code in (0, 1), result.output
    given = score_corpus(corpus, tmp_path / "reports")
    audited = score_corpus(corpus)
    assert given["categories"] == audited["categories"]
    assert given["false_fatal_on_clean"] == audited["false_fatal_on_clean"]
    assert given["narrative_amounts"] is None


def test_findings_of_the_example_facts_themselves_are_inherent_not_false():
    from yusuan.synth.score import inherent

    own = inherent({"department": "example", "profile": "xinjiang"})
    rules = {r for r, _ in own}
    assert {"K.STAFF.SPENDING", "C.ECONOMIC.NAME"} <= rules  # the real package's own contradictions
    assert not any(r.startswith(("T", "X.")) and r[1:2].isdigit() for r in rules)  # its tables agree
    assert inherent({"department": "random", "profile": "xinjiang"}) == set()


def test_a_performance_table_printed_under_its_own_title_is_inherent_under_that_name():
    """The example prints the table of 国土变更调查项目经费 as “国土变更调查工作项目”: the document's finding
    names the printed title, ``check`` of the facts the project; both are the example's own finding."""
    from yusuan.synth.score import inherent, is_inherent

    own = inherent({"department": "example", "profile": "xinjiang"})
    by_project = {"rule": "P.LEVELS.REQUIRED", "subject": "国土变更调查项目经费"}
    by_title = {"rule": "P.LEVELS.REQUIRED", "subject": "国土变更调查工作项目"}
    assert is_inherent(by_project, own) and is_inherent(by_title, own)
    assert is_inherent({"rule": "P.LEVELS.REQUIRED", "subject": "2023年度昌吉州自然资源统一确权登记工作"}, own)
    # another rule on the same table, or a name the package does not give it, is not inherent
    assert not is_inherent({"rule": "P.BUDGET.TABLES", "subject": "国土变更调查工作项目"}, own)
    assert not is_inherent({"rule": "P.LEVELS.REQUIRED", "subject": "国土变更调查"}, own)


def test_a_cross_table_error_is_near_a_finding_on_the_total_it_moved():
    error = {"category": "cross_table", "location": {
        "table_kind": "general_expenditure", "table": "表5一般公共预算支出情况表", "table_title": "一般公共预算支出情况表",
        "row": 14, "row_key": "f:2080599", "row_name": "其他行政事业单位养老支出", "column": "basic"}}
    on_t2 = {"rule": "X.T2FISCAL.ROW", "subject": "total", "location": {"table": "表2部门收入总体情况表"},
             "message": "表2部门收入总体情况表“合计”行“财政拨款收入”列为 9.00万元，而三本预算支出表同一科目之和为 8.00万元"}
    assert near(on_t2, error)
    assert near({**on_t2, "subject": "general:basic"}, error)
    # another row, another column of another table: not the error's doing
    assert not near({**on_t2, "subject": "f:2130101"}, error)
    assert not near({**on_t2, "subject": "general:project"}, error)
    assert not near(on_t2, {**error, "category": "sum"})


def test_random_departments_paying_retirement_have_retired_staff():
    """退休费 (30302) with 0 retired staff is a contradiction K.STAFF.SPENDING reports: random facts must not
    carry it (a clean document of them would warn). A draw of 0 retired is rare, so every randint here
    takes its lowest value: the staff count is then as low as the facts allow."""
    from yusuan.synth.facts import random_package

    class Lowest(random.Random):
        def randint(self, a, b):
            return a

    paying = 0
    for n in range(40):
        p = random_package(Lowest(n))
        if any(line.economic == "30302" and line.amount for line in p.basic_economic):
            paying += 1
            assert p.overview.staffing.retired.count >= 1, n
    assert paying >= 3  # the check above ran


def test_a_cross_table_change_of_project_money_also_expects_the_performance_tables_to_disagree():
    """A 项目支出 figure moved with the table's totals changes the project total that the performance
    tables cover: P.MISSING then reports a true consequence. A 基本支出 change leaves that total alone."""
    columns = set()
    for n in range(12):
        d, _ = build_document(11, 2 + n, None, "none", 0.0, profiles=("xinjiang",))
        record = inject(d, random.Random(n), "cross_table")
        if record is None:
            continue
        column = record["location"]["column"]
        columns.add(column)
        assert ("P.MISSING" in record["also_rules"]) == (column == "project"), n
    assert columns == {"basic", "project"}
