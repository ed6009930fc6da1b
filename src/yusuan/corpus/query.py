"""DuckDB over the Parquet results: views ``documents``, ``findings`` and ``cells``.

    SELECT rule, count(*) FROM findings GROUP BY rule ORDER BY 2 DESC

Each view reads ``RESULTS/<table>/**/*.parquet`` with hive partitioning (columns ``year`` INTEGER,
``stage`` and ``region`` VARCHAR; an unknown one is null). A table no file has written yet is an
empty view with the same columns."""

from __future__ import annotations

from pathlib import Path

from yusuan.corpus.results import PARTITIONS, SPECS
from yusuan.errors import InputError, InputProblem

_DUCK_TYPES = {"string": "VARCHAR", "int32": "INTEGER", "int64": "BIGINT", "float64": "DOUBLE", "bool": "BOOLEAN"}
_HIVE_TYPES = "{'year': INTEGER, 'stage': VARCHAR, 'region': VARCHAR}"


def _fail(where: str, message: str) -> InputError:
    return InputError(where, [InputProblem(where, message)])


def connect(results: Path):
    """An in-memory DuckDB connection with the three views over ``results``."""
    import duckdb

    if not (results / "manifest.jsonl").exists() and not (results / "documents").exists():
        raise _fail(str(results), "不是 yusuan corpus audit 的结果文件夹（没有 manifest.jsonl 和 documents/）")
    con = duckdb.connect(":memory:")
    for table, spec in SPECS.items():
        files = list((results / table).rglob("*.parquet")) if (results / table).exists() else []
        if files:
            pattern = str(results / table / "**" / "*.parquet").replace("'", "''")
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = true, "
                        f"hive_types = {_HIVE_TYPES}, union_by_name = true)")
        else:
            cols = ", ".join(f"CAST(NULL AS {_DUCK_TYPES[kind]}) AS \"{name}\"" for name, kind in spec)
            parts = ", ".join(f"CAST(NULL AS {'INTEGER' if p == 'year' else 'VARCHAR'}) AS {p}" for p in PARTITIONS)
            con.execute(f"CREATE VIEW {table} AS SELECT {cols}, {parts} WHERE false")
    return con


def run_query(results: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """(column names, rows) of ``sql`` over the views; a bad query is an InputError in Chinese."""
    import duckdb

    con = connect(results)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall()
    except duckdb.Error as exc:
        raise _fail("SQL", f"查询出错：{exc}") from None
    finally:
        con.close()


_LOCATION = ("file", "page", "part", "section", "table", "row", "column", "paragraph", "cell", "bbox")


def load_reports(results: Path) -> dict[str, dict]:
    """The report of every document in the results, as ``yusuan audit --format json`` gives it (the
    fields ``yusuan synth score`` reads: source, findings with rule, severity, message, subject, stated,
    expected, location), keyed by the file's path relative to the corpus folder and, when no other file
    has it, by its name. A ``duplicate`` row gets the findings of the file it duplicates."""
    import json

    con = connect(results)
    try:
        docs = con.execute("SELECT file, sha256, status, duplicate_of, unit, year, profile, valid FROM documents "
                           "ORDER BY file").fetchall()
        cols = ["file", "rule", "title", "severity", "category", "message", "subject", "stated", "expected",
                "difference", "where", "inputs", "quote", "quote_row", "location_file", "page", "part", "section",
                "table", "row", "column", "paragraph", "cell", "bbox"]
        rows = con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} FROM findings ORDER BY file, n").fetchall()
    finally:
        con.close()
    findings: dict[str, list[dict]] = {}
    for values in rows:
        r = dict(zip(cols, values))
        loc = {k: r["location_file" if k == "file" else k] for k in _LOCATION}
        if loc["bbox"]:
            loc["bbox"] = json.loads(loc["bbox"])
        finding = {k: r[k] for k in ("rule", "title", "severity", "category", "message", "subject", "stated",
                                     "expected", "difference", "where", "quote", "quote_row")}
        finding["inputs"] = json.loads(r["inputs"]) if r["inputs"] else {}
        finding["location"] = {k: v for k, v in loc.items() if v is not None} or None
        findings.setdefault(r["file"], []).append(finding)
    out: dict[str, dict] = {}
    for file, sha, status, duplicate_of, unit, year, profile, valid in docs:
        source = duplicate_of if status == "duplicate" and duplicate_of else file
        report = {"source": file, "unit": unit, "budget_year": year, "profile": profile, "valid": valid,
                  "status": status, "sha256": sha, "findings": findings.get(source, [])}
        out[file] = report
        out.setdefault(Path(file).name, report)
    return out
