"""The Parquet results of a corpus audit: three tables, hive-partitioned by year / stage / region.

    RESULTS/documents/year=2023/stage=预算/region=xinjiang/part-<batch>.parquet
    RESULTS/findings/…   RESULTS/cells/…   RESULTS/manifest.jsonl

- ``documents``: one row per file (also a file that could not be read: status ``timeout``, ``crash``,
  ``unreadable``; and a second path of content already audited: ``duplicate``);
- ``findings``: one row per finding of the report (docs/report-schema.md), the location flattened;
- ``cells``: one row per printed table cell as read: its value an exact decimal **as a string**
  (never a float), and the text exactly as printed.

A value that is unknown (a year the file does not print, a cell without an amount) is null, never 0;
in a partition path it is ``__HIVE_DEFAULT_PARTITION__``, which DuckDB reads as null. The schema is
in docs/corpus.md."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

RESULTS_SCHEMA = "yusuan.corpus-results/1"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
PARTITIONS = ("year", "stage", "region")
STAGE = {"budget": "预算", "final": "决算"}

# the columns of each table: (name, Arrow type). pyarrow is imported only where files are written, so a
# Dask worker that only forwards rows does not load it.
DOCUMENTS = [
    ("file", "string"), ("sha256", "string"), ("unit", "string"), ("profile", "string"),
    ("pages", "int32"), ("status", "string"), ("error", "string"), ("duplicate_of", "string"),
    ("valid", "bool"), ("rules_run", "int32"), ("findings", "int32"),
    ("fatal", "int32"), ("warning", "int32"), ("info", "int32"),
    ("completeness_score", "string"), ("completeness", "string"),
    ("tables", "int32"), ("cells", "int32"), ("size_bytes", "int64"),
    ("seconds", "float64"), ("audit_seconds", "float64"), ("child_rss_mb", "float64"),
    ("worker", "string"), ("batch", "string"), ("audited_at", "string"),
]
FINDINGS = [
    ("file", "string"), ("sha256", "string"), ("n", "int32"), ("rule", "string"), ("title", "string"),
    ("severity", "string"), ("category", "string"), ("message", "string"), ("subject", "string"),
    ("stated", "string"), ("expected", "string"), ("difference", "string"),
    ("part", "string"), ("section", "string"), ("table", "string"), ("row", "int32"),
    ("column", "string"), ("paragraph", "int32"), ("page", "int32"), ("cell", "string"),
    ("location_file", "string"), ("bbox", "string"), ("where", "string"),
    ("inputs", "string"), ("quote", "string"), ("quote_row", "string"),
]
CELLS = [
    ("file", "string"), ("sha256", "string"), ("unit_name", "string"),
    ("table_kind", "string"), ("table", "string"), ("amount_unit", "string"),
    ("row", "int32"), ("row_key", "string"), ("row_code", "string"), ("row_name", "string"),
    ("row_role", "string"), ("column_key", "string"), ("column", "string"),
    ("value", "string"), ("text", "string"), ("page", "int32"), ("cell", "string"),
]
SPECS = {"documents": DOCUMENTS, "findings": FINDINGS, "cells": CELLS}
NAMES = {table: [name for name, _ in spec] for table, spec in SPECS.items()}


def arrow_schema(table: str):
    import pyarrow as pa

    types = {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    return pa.schema([(name, types[kind]) for name, kind in SPECS[table]])


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else format(value, "f")
    return str(value)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _pages(path: Path) -> int | None:
    """The page count of a PDF; unknown (None) for the other formats, which have no fixed pages."""
    if path.suffix.lower() == ".pdf":
        try:
            import pypdfium2

            doc = pypdfium2.PdfDocument(str(path))
            try:
                return len(doc)
            finally:
                doc.close()
        except Exception:  # noqa: BLE001 - the count is a nicety, the audit already read the file
            return None
    return None


def _partition(year, phase: str | None, region: str | None) -> dict:
    return {"year": str(year) if year else None, "stage": STAGE.get(phase or ""), "region": region or None}


def finding_row(d: dict, rel: str, sha: str, n: int) -> dict:
    """A report finding (``rules.report.finding_dict``) as a row of the findings table."""
    loc = d.get("location") or {}
    return {
        "file": rel, "sha256": sha, "n": n, "rule": d["rule"], "title": d.get("title") or "", "severity": d["severity"],
        "category": d["category"], "message": d["message"], "subject": d.get("subject"),
        "stated": _text(d.get("stated")), "expected": _text(d.get("expected")), "difference": _text(d.get("difference")),
        "part": loc.get("part"), "section": loc.get("section"), "table": loc.get("table"), "row": loc.get("row"),
        "column": loc.get("column"), "paragraph": loc.get("paragraph"), "page": loc.get("page"), "cell": loc.get("cell"),
        "location_file": loc.get("file"), "bbox": json.dumps(list(loc["bbox"])) if loc.get("bbox") else None,
        "where": d.get("where") or "", "inputs": json.dumps(d.get("inputs") or {}, ensure_ascii=False) if d.get("inputs") else None,
        "quote": d.get("quote"), "quote_row": d.get("quote_row"),
    }


def report_rows(report, rel: str, sha: str, path: Path, seconds: float) -> dict:
    """The rows of one audited file: {"document": row, "findings": [...], "cells": [...], "partition": {...}}."""
    from yusuan.rules.report import finding_dict, plain

    d = report.disclosure
    by_sev = report.stats()["by_severity"]
    findings = [finding_row(finding_dict(f, report.titles), rel, sha, i) for i, f in enumerate(report.findings, 1)]
    cells = []
    if d is not None:
        for table in d.tables:
            labels = {c.key: c.label for c in table.columns}
            name = f"{table.number}{table.title}" if table.number and not table.title.startswith(table.number) else table.title
            for i, row in enumerate(table.rows, 1):
                for key, cell in row.cells.items():
                    loc = cell.location
                    cells.append({
                        "file": rel, "sha256": sha, "unit_name": d.unit_name, "table_kind": table.kind, "table": name,
                        "amount_unit": table.unit, "row": (row.location.row if row.location and row.location.row else i),
                        "row_key": row.key, "row_code": row.code, "row_name": row.name, "row_role": row.role,
                        "column_key": key, "column": labels.get(key, key), "value": _text(cell.value), "text": cell.text,
                        "page": loc.page if loc else None, "cell": loc.cell if loc else None,
                    })
    completeness = plain(report.completeness)
    score = completeness.get("score") if isinstance(completeness, dict) else None
    doc = {
        "file": rel, "sha256": sha, "unit": report.unit_name or (d.unit_name if d else None),
        "profile": report.profile, "pages": _pages(path), "status": "ok", "error": None, "duplicate_of": None,
        "valid": report.valid, "rules_run": report.rules_run, "findings": len(report.findings),
        "fatal": by_sev["fatal"], "warning": by_sev["warning"], "info": by_sev["info"],
        "completeness_score": _text(score), "completeness": json.dumps(completeness, ensure_ascii=False) if completeness else None,
        "tables": len(d.tables) if d else 0, "cells": len(cells), "size_bytes": _size(path),
        "seconds": round(seconds, 3), "audit_seconds": round(seconds, 3), "child_rss_mb": None, "worker": None,
        "batch": None, "audited_at": _now(),
    }
    partition = _partition(report.budget_year, d.phase if d else None, report.profile)
    return {"document": doc, "findings": findings, "cells": cells, "partition": partition}


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def failure_rows(rel: str, sha: str, path: Path, status: str, rule_id: str, message: str) -> dict:
    """The rows of a file that could not be read: its documents row and its one R.CORPUS.* finding."""
    from yusuan.rules.corpus import corpus_finding
    from yusuan.rules.registry import RULES
    from yusuan.rules.report import finding_dict

    finding = corpus_finding(rule_id, Path(rel).name, message)
    doc = {k: None for k in NAMES["documents"]}
    doc.update({"file": rel, "sha256": sha, "status": status, "error": message, "valid": None, "findings": 1,
                **{sev: int(finding.severity == sev) for sev in ("fatal", "warning", "info")},
                "tables": 0, "cells": 0, "size_bytes": _size(path), "audited_at": _now()})
    row = finding_row(finding_dict(finding, {rule_id: RULES[rule_id].title}), rel, sha, 1)
    return {"document": doc, "findings": [row], "cells": [], "partition": _partition(None, None, None)}


def duplicate_rows(rel: str, sha: str, path: Path, first: str) -> dict:
    doc = {k: None for k in NAMES["documents"]}
    doc.update({"file": rel, "sha256": sha, "status": "duplicate", "duplicate_of": first, "findings": 0,
                "size_bytes": _size(path), "audited_at": _now()})
    return {"document": doc, "findings": [], "cells": [], "partition": _partition(None, None, None)}


# ------------------------------------------------------------------ writing

def _dirname(value: str | None) -> str:
    if value is None:
        return NULL_PARTITION
    return "".join("_" if ch in '/\\:*?"<>|=' else ch for ch in value)


def write_batch(out: Path, batch: str, results: list[dict]) -> list[Path]:
    """Write one batch of file results as part files (one per table and partition), each written to a
    temporary name and renamed into place. Returns the paths written; the caller commits the batch in
    the manifest afterwards (``manifest.Manifest.commit``)."""
    groups: dict[tuple, dict[str, list]] = {}
    for r in results:
        r["document"]["batch"] = batch
        key = tuple(r["partition"][p] for p in PARTITIONS)
        g = groups.setdefault(key, {t: [] for t in SPECS})
        g["documents"].append(r["document"])
        g["findings"].extend(r["findings"])
        g["cells"].extend(r["cells"])
    import pyarrow as pa
    import pyarrow.parquet as pq

    written: list[Path] = []
    # documents last: a reader that lists documents sees only files whose findings and cells are in place
    for table in ("findings", "cells", "documents"):
        schema = arrow_schema(table)
        for key, g in groups.items():
            rows = g[table]
            if not rows:
                continue
            folder = out / table
            for name, value in zip(PARTITIONS, key):
                folder = folder / f"{name}={_dirname(value)}"
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"part-{batch}.parquet"
            tmp = folder / f"part-{batch}.parquet.tmp"
            arrays = {name: [row.get(name) for row in rows] for name in schema.names}
            pq.write_table(pa.Table.from_pydict(arrays, schema=schema), tmp, compression="zstd")
            os.replace(tmp, target)
            written.append(target)
    return written
