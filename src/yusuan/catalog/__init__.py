"""Classification catalogues (政府收支分类科目): function 类/款/项 and department-budget economic 类/款.

Bundled editions are partial (see data/manifest.yaml). ``yusuan catalog import FILE.csv --year 2024``
MERGES the file into the catalogue in use for that year (codes added, names replaced; the result is as
partial as the bundled edition it extends); ``--replace`` installs the file as the complete edition of
the year instead, and ``yusuan catalog reset`` removes what was imported. Imported files live in the
user data folder (``$YUSUAN_HOME`` or ``~/.local/share/yusuan``): ``catalog/<kind>-<year>.csv`` (a
complete edition) and ``catalog/<kind>-<year>.merge.csv`` (additions to the bundled edition).
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
    imported: int = 0  # entries merged in from ``yusuan catalog import`` (0: the bundled or a complete edition)

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
    """Where a complete edition imported with ``--replace`` lives."""
    return user_home() / "catalog" / f"{kind}-{year}.csv"


def merged_path(kind: Kind, year: int) -> Path:
    """Where the codes merged into the bundled edition (``yusuan catalog import`` without ``--replace``) live."""
    return user_home() / "catalog" / f"{kind}-{year}.merge.csv"


def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _catalog_folder(yusuan_home: str | None, home: str | None) -> str:
    """``user_home() / "catalog"`` as a string, for the environment's two variables (pure: cached)."""
    return str(user_home() / "catalog")


def _stamps(kind: Kind, year: int) -> tuple[tuple[str, int, int] | None, tuple[str, int, int] | None]:
    """(``_stamp(imported_path(kind, year))``, ``_stamp(merged_path(kind, year))``) with plain strings and
    ``os.stat``: ``load`` runs several times per check, and building the paths cost more than the stats."""
    folder = _catalog_folder(os.environ.get("YUSUAN_HOME"), os.environ.get("HOME"))
    out = []
    for name in (f"{kind}-{year}.csv", f"{kind}-{year}.merge.csv"):
        path = os.path.join(folder, name)
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            out.append(None)
            continue
        out.append((path, stat.st_size, stat.st_mtime_ns))
    return out[0], out[1]


def load(kind: Kind, year: int) -> Catalog:
    """The catalogue for a budget year: an imported complete edition if present, else the bundled one with
    whatever was merged into it for that year.

    Loads are cached and the returned catalogue is shared (its entries are read-only), so callers
    may call this per cell; the cache key includes the imported files' size and mtime, so an
    edition imported later is picked up at once.
    """
    return _load(kind, year, *_stamps(kind, year))


def _bundled_for(kind: Kind, year: int) -> tuple[str, bool, dict[str, Entry]]:
    for (first, last), partial, edition, entries in _bundled(kind):
        if first <= year <= last:
            return edition, partial, entries
    _, partial, edition, entries = _bundled(kind)[-1]
    return edition, True, entries


@lru_cache(maxsize=64)
def _load(kind: Kind, year: int, stamp: tuple[str, int, int] | None,
          merge_stamp: tuple[str, int, int] | None = None) -> Catalog:
    if stamp is not None:
        path = Path(stamp[0])
        entries = _read_csv(path.read_text(encoding="utf-8-sig"), kind, str(path))
        return Catalog(kind, str(year), False, MappingProxyType(entries))  # type: ignore[arg-type]
    edition, partial, entries = _bundled_for(kind, year)
    if merge_stamp is not None:
        path = Path(merge_stamp[0])
        added = _read_csv(path.read_text(encoding="utf-8-sig"), kind, str(path))
        return Catalog(kind, edition, partial, MappingProxyType({**entries, **added}), imported=len(added))  # type: ignore[arg-type]
    return Catalog(kind, edition, partial, MappingProxyType(entries))  # type: ignore[arg-type]


@dataclass
class ImportResult:
    """What ``import_edition`` changed in a year's catalogue."""

    target: Path
    replaced: bool  # True: the file is now the year's complete edition
    read: int  # codes in the file
    added: list[str]  # codes new to the year's catalogue
    renamed: list[tuple[str, str, str]]  # (code, old name, new name)
    unchanged: int
    dropped: list[str]  # codes the catalogue had that a replacing edition lacks
    total: int  # codes in the catalogue now
    partial: bool  # the catalogue now in use is still partial


def _write_csv(path: Path, entries: dict[str, Entry]) -> None:
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "level", "parent", "personnel_or_public", "provenance"])
    for e in entries.values():
        writer.writerow([e.code, e.name, e.level, e.parent or "", e.personnel_or_public or "", e.provenance or ""])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(out.getvalue(), encoding="utf-8")
    tmp.replace(path)  # atomic: nothing half written


def import_edition(source: Path, kind: Kind, year: int, replace: bool = False) -> ImportResult:
    """Validate a CSV (columns code,name[,personnel_or_public]) and merge it into ``year``'s catalogue, or with
    ``replace`` install it as the complete edition of ``year``. Nothing is written when a row is invalid or a
    code's parent is in neither the file nor (when merging) the catalogue it joins."""
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(source), [InputProblem(str(source), f"无法读取（需要 UTF-8 编码的 CSV）：{exc}")]) from exc
    entries = _read_csv(text, kind, str(source))
    before = load(kind, year)
    complete_in_use = not before.partial and before.imported == 0 and _stamp(imported_path(kind, year)) is not None
    provenance = f"imported:{source.name}"
    entries = {c: (e if e.provenance else Entry(e.code, e.name, e.level, e.parent, e.personnel_or_public, provenance))
               for c, e in entries.items()}
    if replace:
        after = dict(entries)
    else:
        # a code imported again under the same name stays as it was (it changes nothing)
        after = {**before.entries, **{c: e for c, e in entries.items() if not _same(before.entries.get(c), e)}}
    orphans = [c for c in entries if parent_of(c) and parent_of(c) not in after]
    if orphans:
        raise InputError(str(source), [InputProblem(str(source), f"以下科目缺少上级科目：{', '.join(orphans[:10])}")])
    added = [c for c in entries if c not in before.entries]
    renamed = [(c, before.entries[c].name, e.name) for c, e in entries.items()
               if c in before.entries and normalise_name(before.entries[c].name) != normalise_name(e.name)]
    unchanged = len(entries) - len(added) - len(renamed)
    dropped = [c for c in before.entries if c not in entries] if replace else []
    if replace or complete_in_use:
        target = imported_path(kind, year)
        _write_csv(target, after)
        merged_path(kind, year).unlink(missing_ok=True)  # a complete edition replaces what was merged before
        partial = False
    else:
        target = merged_path(kind, year)
        edition, partial, bundled = _bundled_for(kind, year)
        # the overlay keeps every code that differs from the bundled edition (earlier merges included)
        _write_csv(target, {c: e for c, e in after.items() if bundled.get(c) != e})
    return ImportResult(target=target, replaced=replace, read=len(entries), added=added, renamed=renamed,
                        unchanged=unchanged, dropped=dropped, total=len(after), partial=partial)


def _same(old: Entry | None, new: Entry) -> bool:
    return (old is not None and normalise_name(old.name) == normalise_name(new.name)
            and (new.personnel_or_public or old.personnel_or_public) == old.personnel_or_public)


def reset(kind: Kind | None = None, year: int | None = None) -> list[Path]:
    """Remove imported catalogues (of ``kind`` and ``year``, or all of them): the bundled editions apply again.
    Returns the files removed."""
    folder = user_home() / "catalog"
    if not folder.is_dir():
        return []
    removed = []
    for path in sorted(folder.glob("*.csv")):
        m = re.fullmatch(r"(function|economic)-(\d{4})(\.merge)?\.csv", path.name)
        if m is None or (kind and m.group(1) != kind) or (year and int(m.group(2)) != year):
            continue
        path.unlink()
        removed.append(path)
    return removed


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
