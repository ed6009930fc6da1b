"""Corpus audit: every published file of a folder read and checked on Dask, results in Parquet, queried
with DuckDB (docs/corpus.md).

- ``discover`` — the files to audit (what ``yusuan audit`` accepts) and their SHA-256;
- ``manifest`` — what a run has already written, so a killed run continues where it stopped;
- ``worker`` — the Dask task: one file audited in a child process that can be killed;
- ``results`` — the Parquet tables (documents, findings, cells) and their schema;
- ``run`` — the orchestration: a Dask cluster, a bounded window of tasks, part files written as they come;
- ``query`` — DuckDB views over the Parquet; ``summary`` — the HTML report.

No domain logic lives here: each file is checked by ``yusuan.commands.audit.audit_file``.
"""
