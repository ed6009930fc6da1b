"""The files of a corpus: every file under a folder that ``yusuan audit`` reads, in a stable order."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterator

# what ``yusuan audit`` accepts (yusuan.read: sniffed by content; .doc/.xls/.wps through LibreOffice)
SUFFIXES = (".pdf", ".docx", ".xlsx", ".html", ".htm", ".txt", ".doc", ".xls", ".wps")
# The mark yusuan's own check-report pages carry (``rules.report``, ``render/templates/report.html.j2``):
# a build folder holds one beside the disclosure, and it is a list of findings, not a disclosure to audit.
REPORT_MARK = b'<meta name="generator" content="yusuan-check-report">'


def iter_files(root: Path, skip: Path | None = None) -> Iterator[Path]:
    """Files under ``root`` with an accepted suffix, sorted by their path relative to ``root``; hidden
    files and folders, Office lock files (``~$…``) and the folder ``skip`` (the results) left out.
    Walks lazily, one folder at a time."""
    skip_resolved = skip.resolve() if skip is not None else None
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (skip_resolved is None or (here / d).resolve() != skip_resolved))
        for name in sorted(files):
            if name.startswith((".", "~$")) or Path(name).suffix.lower() not in SUFFIXES:
                continue
            if Path(name).suffix.lower() in (".html", ".htm") and is_own_report(here / name):
                continue
            yield here / name


def is_own_report(path: Path) -> bool:
    """A check-report page yusuan wrote (it carries ``REPORT_MARK`` in its head)."""
    try:
        with open(path, "rb") as f:
            return REPORT_MARK in f.read(2048)
    except OSError:
        return False  # unreadable: left to the audit, which says so


def relative(path: Path, root: Path) -> str:
    """The path as stored in the results: relative to the corpus folder, with ``/``."""
    return path.relative_to(root).as_posix()


def sha256(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            block = f.read(chunk)
            if not block:
                break
            h.update(block)
    return h.hexdigest()
