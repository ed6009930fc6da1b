"""The manifest of a results folder: which files are done, so that a killed run continues.

``RESULTS/manifest.jsonl`` holds one line per committed batch: its id, its part files and the files it
holds (relative path and SHA-256). A batch's Parquet part files are written first (each to a
temporary name, then renamed); its manifest line is appended last and flushed to disk. A run killed
before the line is written leaves part files no line names: ``Manifest.open`` deletes them, and the
files of that batch are audited again. So each file is in the results exactly once, whenever the
run was killed. A torn last line (killed while writing it) is ignored the same way.

A file is done when its path with its SHA-256 is; a file changed since (new content under the same path)
is audited again, and the results then hold both versions (tell them apart by ``sha256`` and
``audited_at``). A file whose SHA-256 is done is not audited again under another path: a second path with the same
content gets a documents row of status ``duplicate`` pointing at the first (``duplicate_of``)."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

MANIFEST = "manifest.jsonl"
TABLES = ("documents", "findings", "cells")


class Manifest:
    def __init__(self, out: Path):
        self.out = out
        self.path = out / MANIFEST
        self.batches: set[str] = set()
        self.done_sha: dict[str, str] = {}  # sha256 → relative path of the file audited for it
        self.done_files: set[str] = set()  # relative paths with a documents row
        self.done_pairs: set[tuple[str, str]] = set()  # (relative path, sha256) with a documents row

    @classmethod
    def open(cls, out: Path) -> "Manifest":
        """Read the manifest of ``out`` (created when missing) and delete uncommitted part files."""
        out.mkdir(parents=True, exist_ok=True)
        m = cls(out)
        if m.path.exists():
            with open(m.path, encoding="utf-8") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # torn by a kill while writing: its batch is not committed
                    m.batches.add(entry["batch"])
                    for item in entry["files"]:
                        m.done_files.add(item["file"])
                        m.done_pairs.add((item["file"], item["sha256"]))
                        if item.get("status") != "duplicate":
                            m.done_sha.setdefault(item["sha256"], item["file"])
        m._drop_orphans()
        return m

    def _drop_orphans(self) -> None:
        for table in TABLES:
            folder = self.out / table
            if not folder.exists():
                continue
            for part in folder.rglob("*.parquet*"):
                batch = part.name.split(".")[0].removeprefix("part-")
                if part.name.endswith(".tmp") or batch not in self.batches:
                    part.unlink()

    @staticmethod
    def new_batch() -> str:
        return uuid.uuid4().hex[:16]

    def commit(self, batch: str, files: list[dict]) -> None:
        """Record ``batch`` (its part files already in place) as done: ``files`` = [{file, sha256, status}]."""
        line = json.dumps({"batch": batch, "files": files}, ensure_ascii=False) + "\n"
        # a line torn by an earlier kill must not swallow this one
        needs_newline = self.path.exists() and self.path.stat().st_size > 0 and not _ends_with_newline(self.path)
        with open(self.path, "a", encoding="utf-8") as f:
            if needs_newline:
                f.write("\n")
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        self.batches.add(batch)
        for item in files:
            self.done_files.add(item["file"])
            self.done_pairs.add((item["file"], item["sha256"]))
            if item.get("status") != "duplicate":
                self.done_sha.setdefault(item["sha256"], item["file"])


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"
