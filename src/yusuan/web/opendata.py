"""Every published figure as open data: rows for CSV and Parquet, and a Fiscal Data Package.

A figure is one printed number of a published table: the version's facts composed exactly as the
published files are (``yusuan.compose``), each cell that prints a number (``Cell.value``) one row.
Blank and text cells are not figures ("unknown is never zero"). Only the current version of each
package is exported (a corrected version is replaced by its correction; the portal keeps both).

Classification of a row's code follows the national codes: 2xx… is a function class
(支出功能分类), 3xx…/5xx… an economic class (支出经济分类); a column ``e:3xx`` of a project table is
an economic class too. Direction: a row of the income side, or of an income table, is ``revenue``;
everything else is ``expenditure``. Phase: ``budget`` → FDP ``approved``, ``final`` → ``executed``.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

COLUMNS = [  # (name, FDP columnType or None, description)
    ("version_key", None, "版本的稳定标识：地区/部门/年度/阶段/版本号"),
    ("region", "administrative-classification:generic:level1:label", "地区"),
    ("bureau", "administrative-classification:generic:level2:label", "财政部门"),
    ("department", "administrative-classification:generic:level3:label", "部门"),
    ("department_code", "administrative-classification:generic:level3:code", "部门编码"),
    ("fiscal_year", "date:fiscal-year", "预算年度"),
    ("phase", "phase:id", "阶段：approved 预算；executed 决算"),
    ("version", None, "版本号"),
    ("published_at", None, "发布时间（ISO 8601）"),
    ("table_number", None, "表号"),
    ("table_kind", None, "表的标识"),
    ("table_title", None, "表名"),
    ("row_number", None, "表内行序"),
    ("row_code", None, "行的科目编码"),
    ("row_name", None, "行的名称"),
    ("row_level", None, "科目级次：类、款、项"),
    ("row_role", None, "item 明细；total 合计；subtotal 小计；group 分组"),
    ("direction", "direction:id", "expenditure 支出；revenue 收入"),
    ("function_code", "functional-classification:generic:code", "支出功能分类科目编码"),
    ("economic_code", "economic-classification:generic:code", "支出经济分类科目编码"),
    ("column_key", None, "列的标识"),
    ("column_label", None, "列名"),
    ("unit", None, "金额单位：万元或元"),
    ("amount", "value", "金额（十进制，按表中印出的数）"),
]
NAMES = [c[0] for c in COLUMNS]
PHASE = {"budget": "approved", "final": "executed"}


def version_key(v) -> str:
    d = v.package.department
    return f"{d.bureau.region.name}/{d.name}/{v.package.year}/{v.phase}/v{v.number}"


def _classes(code: str | None, column_key: str) -> tuple[str, str]:
    function = code if code and code[0] == "2" else ""
    economic = code if code and code[0] in "35" else ""
    if column_key.startswith("e:"):
        economic = column_key[2:]
    return function, economic


@lru_cache(maxsize=4096)
def _figures_of(version_id: int, facts_json: str) -> tuple[tuple, ...]:
    """(table…, row…, column…, amount) of every printed number: a version is immutable, so cached by id."""
    return figure_tuples(facts_json)


def figure_tuples(facts_json: str) -> tuple[tuple, ...]:
    """The figures of one version's facts (JSON text), uncached (the bulk export reads each version once)."""
    from yusuan.compose import compose
    from yusuan.web.services import facts_of

    d = compose(facts_of(json.loads(facts_json)))
    out = []
    for t in d.tables:
        labels = {c.key: c.label for c in t.columns}
        for n, row in enumerate(t.rows, start=1):
            for key, cell in row.cells.items():
                if cell.value is None:
                    continue
                side = row.side or ("income" if t.kind == "income" else "expenditure")
                function, economic = _classes(row.code, key)
                out.append((t.number, t.kind, t.title, n, row.code or "", row.name.replace("  ", " ").strip(),
                            row.level or "", row.role, "revenue" if side == "income" else "expenditure",
                            function, economic, key, labels.get(key, key), t.unit, cell.value))
    return tuple(out)


def figures(v, tuples: tuple[tuple, ...] | None = None) -> list[dict]:
    """The open-data rows of version ``v`` (``tuples``: its ``figure_tuples`` if already computed)."""
    d = v.package.department
    head = {"version_key": version_key(v), "region": d.bureau.region.name, "bureau": d.bureau.name,
            "department": d.name, "department_code": d.code, "fiscal_year": v.package.year,
            "phase": PHASE.get(v.phase, v.phase), "version": v.number,
            "published_at": v.published_at.isoformat() if v.published_at else ""}
    if tuples is None:
        tuples = _figures_of(v.pk, json.dumps(v.facts, ensure_ascii=False, sort_keys=True))
    return [{**head, **dict(zip(NAMES[9:], f))} for f in tuples]


def current_versions(qs=None):
    """The newest version of every package (published data only: versions are publications)."""
    from django.db.models import Max

    from yusuan.web.models import Version

    # without a query of the caller's: the heavy JSON columns stay in the database until read (most callers
    # want the list, its departments and years; the figures load each version's facts on their own)
    qs = qs if qs is not None else Version.objects.defer("facts", "report", "tables")
    newest = Version.objects.values("package_id").annotate(n=Max("number"))
    wanted = {(r["package_id"], r["n"]) for r in newest}
    # the package comes along for its department and year: never its working copy's JSON (facts, report and
    # table views of the draft, megabytes a package once decoded, and never read from a version's package here)
    qs = qs.select_related("package", "package__department", "package__department__bureau",
                           "package__department__bureau__region").defer(
        "package__facts", "package__report", "package__tables").order_by("package__department__name", "package__year")
    return [v for v in qs if (v.package_id, v.number) in wanted]


def groups(versions=None) -> dict[tuple[int, int, str], list]:
    """(year, region id, region name) → current versions."""
    out: dict[tuple[int, int, str], list] = defaultdict(list)
    for v in versions if versions is not None else current_versions():
        region = v.package.department.bureau.region
        out[(v.package.year, region.pk, region.name)].append(v)
    return dict(sorted(out.items()))


def rows_of(versions) -> list[dict]:
    return [r for v in versions for r in figures(v)]


def csv_bytes(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=NAMES, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({**r, "amount": format(r["amount"], "f")})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens the Chinese text correctly


def _scale(values) -> int:
    return min(18, max([2] + [-v.as_tuple().exponent for v in values if isinstance(v, Decimal)]))


def parquet_bytes(rows: list[dict]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    amounts = [r["amount"] for r in rows]
    fields = []
    for name in NAMES:
        if name in ("fiscal_year", "version", "row_number"):
            fields.append(pa.field(name, pa.int32()))
        elif name == "amount":
            fields.append(pa.field(name, pa.decimal128(38, _scale(amounts))))
        else:
            fields.append(pa.field(name, pa.string()))
    schema = pa.schema(fields)
    table = pa.Table.from_pylist([{n: r[n] for n in NAMES} for r in rows], schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def datapackage(name: str, title: str, resources: dict[str, int], year: int | None = None) -> dict:
    """A Fiscal Data Package descriptor for the CSV/Parquet files (``resources``: path → bytes)."""
    fields = []
    for col, ctype, desc in COLUMNS:
        f = {"name": col, "title": desc, "type": "integer" if col in ("fiscal_year", "version", "row_number")
             else "number" if col == "amount" else "string"}
        if ctype:
            f["columnType"] = ctype
        if col == "amount":
            f["decimalChar"] = "."
        fields.append(f)
    schema = {"fields": fields, "primaryKey": ["version_key", "table_number", "row_number", "column_key"]}
    res = []
    for path, size in resources.items():
        fmt = path.rsplit(".", 1)[-1]
        r = {"name": Path(path).stem.lower().replace("_", "-") + "-" + fmt, "path": path, "format": fmt,
             "bytes": size, "profile": "tabular-data-resource" if fmt == "csv" else "data-resource", "schema": schema}
        if fmt == "csv":
            r.update(encoding="utf-8-sig", mediatype="text/csv")
        else:
            r.update(mediatype="application/vnd.apache.parquet")
        res.append(r)
    return {"name": name, "title": title, "profile": "fiscal-data-package", "fiscalPeriod": (
        {"start": f"{year}-01-01", "end": f"{year}-12-31"} if year else None), "currency": "CNY",
        "countryCode": "CN", "licenses": [{"name": "other-pd", "title": "政府信息公开"}], "resources": res}


def slug(year: int, region_id: int) -> str:
    return f"{year}-region{region_id}"


def _export_rows(vs: list, pool=None) -> list[dict]:
    """``rows_of(vs)`` for the bulk export: each version's facts read once and not kept (the group's rows are
    what is kept), composed in ``pool`` (a process pool: pure work on the facts JSON) if given."""
    from yusuan.web.models import Version

    from django.db.models import TextField
    from django.db.models.functions import Cast

    # the facts as the database holds them (JSON text), never decoded here: the composing parses them
    texts = dict(Version.objects.filter(pk__in=[v.pk for v in vs]).annotate(text=Cast("facts", TextField()))
                 .values_list("pk", "text"))
    jsons = [texts.pop(v.pk) for v in vs]
    if pool is not None:
        from django.db import connections

        connections.close_all()  # the pool's processes may be forked now: none of them may share a connection
        tuples = list(pool.map(figure_tuples, jsons, chunksize=4))
    else:
        tuples = [figure_tuples(j) for j in jsons]
    return [r for v, t in zip(vs, tuples) for r in figures(v, t)]


def _follow_parent(parent: int) -> None:
    """A pool process of the export stops when the export has gone (killed, not only interrupted): it would
    otherwise wait for work for ever, holding its own end of the queue open."""
    import os
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def export(out_dir: Path, versions=None, workers: int = 1) -> list[dict]:
    """Write ``out_dir/<year>-region<id>/`` (figures.csv, figures.parquet, datapackage.json) per year and
    region and ``out_dir/index.json``; returns the index entries (files and sizes). One group's rows are in
    memory at a time; ``workers`` > 1 composes the versions in that many processes."""
    from concurrent.futures import ProcessPoolExecutor
    from contextlib import nullcontext

    out_dir.mkdir(parents=True, exist_ok=True)
    index = []
    grouped = groups(versions)
    import os

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_follow_parent, initargs=(os.getpid(),)) if workers > 1 else None
    with pool or nullcontext():
        for year, region_id, region in list(grouped):
            index.append(_export_group(out_dir, year, region_id, region, grouped.pop((year, region_id, region)), pool))
    (out_dir / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=2), encoding="utf-8")
    return index


def _export_group(out_dir: Path, year: int, region_id: int, region: str, vs: list, pool) -> dict:
    folder = out_dir / slug(year, region_id)
    folder.mkdir(exist_ok=True)
    rows = _export_rows(vs, pool)
    sizes = {}
    for fname, data in (("figures.csv", csv_bytes(rows)), ("figures.parquet", parquet_bytes(rows))):
        (folder / fname).write_bytes(data)
        sizes[fname] = len(data)
    desc = datapackage(f"yusuan-{slug(year, region_id)}", f"{region}{year}年部门预算公开数据", sizes, year)
    (folder / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    return {"year": year, "region": region, "folder": folder.name, "packages": len(vs), "figures": len(rows),
            "files": {**sizes, "datapackage.json": (folder / "datapackage.json").stat().st_size}}
