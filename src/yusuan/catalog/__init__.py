"""Classification catalogues (政府收支分类科目): function 类/款/项 and department-budget economic 类/款.

Bundled editions are partial (see data/manifest.yaml). A user imports a complete official edition
with ``yusuan catalog import FILE.csv --year 2024 --kind function``; imported editions live in the
user data folder (``$YUSUAN_HOME`` or ``~/.local/share/yusuan``) and take precedence for their year.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import yaml

from yusuan.amounts import normalise_text
from yusuan.errors import InputError, InputProblem

Kind = Literal["function", "economic"]
LEVELS = {"function": {3: "类", 5: "款", 7: "项"}, "economic": {3: "类", 5: "款"}}


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    level: str
    parent: str | None
    personnel_or_public: str | None = None  # economic only: 人员经费 / 公用经费
    provenance: str | None = None


@dataclass
class Catalog:
    kind: Kind
    edition: str  # "2023-partial", "2024" …
    partial: bool
    entries: dict[str, Entry] = field(default_factory=dict)

    def get(self, code: str) -> Entry | None:
        return self.entries.get(code)

    def name(self, code: str) -> str | None:
        entry = self.entries.get(code)
        return entry.name if entry else None

    def names_match(self, code: str, printed: str) -> bool | None:
        """True/False when the code is known; None when it is not in the catalogue."""
        entry = self.entries.get(code)
        if entry is None:
            return None
        return normalise_name(entry.name) == normalise_name(printed)

    def with_names(self, names) -> "Catalog":
        """This catalogue plus the names a package gives (``BudgetPackage.class_names``) for codes it lacks.

        A code the catalogue knows keeps the catalogue's name (a differing given name is a finding,
        F.NAMES.CATALOGUE); only the gaps are filled, marked ``provenance="录入"``. Used to print names,
        never to decide whether a code is in the catalogue."""
        extra = {c: n for c, n in (names or {}).items() if c not in self.entries and n}
        if not extra:
            return self
        entries = dict(self.entries)
        for code, name in extra.items():
            entries[code] = Entry(code=code, name=name, level=level_of(self.kind, code) or "", parent=parent_of(code),
                                  provenance="录入")
        return Catalog(self.kind, self.edition, self.partial, MappingProxyType(entries))  # type: ignore[arg-type]

    def personnel_or_public(self, code: str) -> str | None:
        """人员经费 / 公用经费 for an economic code (by its 类)."""
        entry = self.entries.get(code) or self.entries.get(code[:3])
        if entry and entry.personnel_or_public:
            return entry.personnel_or_public
        return _DEFAULT_SPLIT.get(code[:3])


# 人员经费 = 301 + 303; 公用经费 = 302 + 310 (+ 309) — DOMAIN.md and the catalogue agree.
_DEFAULT_SPLIT = {"301": "人员经费", "303": "人员经费", "302": "公用经费", "309": "公用经费", "310": "公用经费"}


def normalise_name(name: str) -> str:
    """Names are compared after NFKC (full-width → half-width) and with all spaces removed."""
    return normalise_text(name)  # NFKC turns （） into () on both sides


def level_of(kind: Kind, code: str) -> str | None:
    return LEVELS[kind].get(len(code))


def parent_of(code: str) -> str | None:
    return {7: code[:5], 5: code[:3]}.get(len(code))


def user_home() -> Path:
    return Path(os.environ.get("YUSUAN_HOME") or Path.home() / ".local" / "share" / "yusuan")


def _read_csv(text: str, kind: Kind, where: str) -> dict[str, Entry]:
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "code" not in reader.fieldnames or "name" not in reader.fieldnames:
        raise InputError(where, [InputProblem(where, "缺少表头：至少需要 code 和 name 两列")])
    entries: dict[str, Entry] = {}
    problems: list[InputProblem] = []
    for n, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        if not re.fullmatch(r"\d{3}|\d{5}|\d{7}", code) or (kind == "economic" and len(code) == 7):
            problems.append(InputProblem(f"{where} 第{n}行", f"科目编码“{code}”无效（功能分类为 3/5/7 位，经济分类为 3/5 位）"))
            continue
        if not name:
            problems.append(InputProblem(f"{where} 第{n}行", f"科目 {code} 缺少名称"))
            continue
        entries[code] = Entry(
            code=code,
            name=name,
            level=level_of(kind, code) or "",
            parent=parent_of(code),
            personnel_or_public=(row.get("personnel_or_public") or None),
            provenance=(row.get("provenance") or None),
        )
    if problems:
        raise InputError(where, problems)
    return entries


@lru_cache(maxsize=None)
def _bundled(kind: Kind) -> list[tuple[tuple[int, int], bool, str, dict[str, Entry]]]:
    data = resources.files("yusuan.catalog") / "data"
    manifest = yaml.safe_load((data / "manifest.yaml").read_text(encoding="utf-8"))
    out = []
    for item in manifest[kind]:
        text = (data / item["file"]).read_text(encoding="utf-8")
        edition = item["file"].rsplit(".", 1)[0].split("-", 1)[1]
        out.append((tuple(item["years"]), bool(item["partial"]), edition, _read_csv(text, kind, item["file"])))
    return out


def imported_path(kind: Kind, year: int) -> Path:
    return user_home() / "catalog" / f"{kind}-{year}.csv"


def load(kind: Kind, year: int) -> Catalog:
    """The catalogue for a budget year: an imported complete edition if present, else the bundled one.

    Loads are cached and the returned catalogue is shared (its entries are read-only), so callers
    may call this per cell; the cache key includes the imported file's size and mtime, so an
    edition imported later is picked up at once.
    """
    path = imported_path(kind, year)
    try:
        stat = path.stat()
        stamp = (str(path), stat.st_size, stat.st_mtime_ns)
    except FileNotFoundError:
        stamp = None
    return _load(kind, year, stamp)


@lru_cache(maxsize=64)
def _load(kind: Kind, year: int, stamp: tuple[str, int, int] | None) -> Catalog:
    if stamp is not None:
        path = Path(stamp[0])
        entries = _read_csv(path.read_text(encoding="utf-8-sig"), kind, str(path))
        return Catalog(kind, str(year), False, MappingProxyType(entries))  # type: ignore[arg-type]
    for (first, last), partial, edition, entries in _bundled(kind):
        if first <= year <= last:
            return Catalog(kind, edition, partial, MappingProxyType(entries))  # type: ignore[arg-type]
    _, partial, edition, entries = _bundled(kind)[-1]
    return Catalog(kind, edition, True, MappingProxyType(entries))  # type: ignore[arg-type]


def import_edition(source: Path, kind: Kind, year: int) -> tuple[Path, int]:
    """Validate a CSV edition (columns code,name[,personnel_or_public]) and install it for ``year``."""
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(source), [InputProblem(str(source), f"无法读取（需要 UTF-8 编码的 CSV）：{exc}")]) from exc
    entries = _read_csv(text, kind, str(source))
    orphans = [c for c in entries if parent_of(c) and parent_of(c) not in entries]
    if orphans:
        raise InputError(str(source), [InputProblem(str(source), f"以下科目缺少上级科目：{', '.join(orphans[:10])}")])
    target = imported_path(kind, year)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)  # atomic: nothing half written
    return target, len(entries)


@dataclass(frozen=True)
class Renamed:
    """A classification name replaced in a later edition: ``old`` (a whole name or the stem shared by the
    类 and its 款/项, e.g. 医疗卫生与计划生育) reads ``new`` from the ``edition`` year on."""

    old: str
    new: str
    code: str
    edition: int
    source: str


@lru_cache(maxsize=None)
def renamed_classes() -> tuple[Renamed, ...]:
    """The bundled table of renamed function classes (data/renamed.csv), longest old name first."""
    text = (resources.files("yusuan.catalog") / "data" / "renamed.csv").read_text(encoding="utf-8")
    rows = [Renamed(r["old"], r["new"], r["code"], int(r["edition"]), r["source"])
            for r in csv.DictReader(text.splitlines())]
    return tuple(sorted(rows, key=lambda r: -len(r.old)))


def current_name(printed: str, year: int) -> tuple[str, Renamed] | None:
    """``printed`` with an outdated name (for a budget of ``year``) replaced by the current one, and the
    rename applied; None when ``printed`` holds no name renamed by ``year``."""
    for r in renamed_classes():
        if r.edition <= year and r.old in printed:
            return printed.replace(r.old, r.new), r
    return None
