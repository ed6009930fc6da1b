"""Benchmark (not a test): the bulk open-data export of 1,000 synthetic published packages.

    .venv/bin/python benchmarks/open_data_bench.py [--packages 1000] [--distinct 40] [--regions 5] [--years 2]
        [--postgres]

Builds a fresh data folder (SQLite; with ``--postgres`` a throwaway PostgreSQL database) holding
``--packages`` published packages of synthetic departments (``yusuan.synth.facts.random_package`` plus
the bundled example), spread over ``--regions`` regions and ``--years`` budget years. Each is published
the way ``workflow.publish`` stores a version — the facts, their check report and table views
(``services.check``), the phase and search text ``Version.save`` derives — except that the DOCX/PDF/XLSX
files are not rendered (the export does not read them, and rendering 1,000 PDFs is another benchmark).
Generating and checking a synthetic department takes about a second on this machine, so
``--distinct`` departments are generated and checked and the packages cycle through them (each is
its own department, package and version row; the export composes every version on its own, as it
would distinct data). Then runs ``yusuan export-open-data -o DIR`` as a user would (a subprocess)
and prints its time, peak memory, the number of figures (rows) and the size of every file (CSV,
Parquet, datapackage.json).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine

ROOT = Path(__file__).resolve().parents[1]

SEED = r'''
import os, random, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yusuan.web.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.db import transaction
from yusuan.synth.facts import example_package, random_package
from yusuan.web import services
from yusuan.web.models import Bureau, Department, Package, Region, State, Version

packages, distinct, regions, years = (int(x) for x in sys.argv[1:5])
started = time.perf_counter()
pool = []  # (facts by year) of each distinct department, checked once
example = example_package()
for i in range(distinct):
    base = example if i == 0 and example is not None else random_package(random.Random(1000 + i))
    by_year = {}
    for k in range(years):
        facts = base.model_copy(deep=True)
        facts.unit.budget_year = base.unit.budget_year - k
        by_year[facts.unit.budget_year] = services.check(facts)
    pool.append(by_year)
made = time.perf_counter()
print(f"generated\t{distinct}\t{made - started:.1f}", flush=True)
bureaus = []
for r in range(regions):
    region = Region.objects.create(name=f"开放数据压测地区{r + 1:02d}")
    bureaus.append(Bureau.objects.create(region=region, name=f"开放数据压测地区{r + 1:02d}财政局"))
n = 0
with transaction.atomic():
    for i in range((packages + years - 1) // years):
        bureau = bureaus[i % regions]
        dept = Department.objects.create(bureau=bureau, name=f"压测部门{i:04d}", code=f"{900000 + i}")
        for year, checked in pool[(i + i // regions) % distinct].items():  # every region gets every kind
            if n == packages:
                break
            p = Package.objects.create(department=dept, year=year, state=State.PUBLISHED, facts=checked.facts,
                                       report=checked.report, tables=checked.tables, fatal=checked.fatal,
                                       warning=checked.warning, source_name="开放数据压测", revision=1)
            Version(package=p, number=1, facts=checked.facts, report=checked.report, tables=checked.tables,
                    reason="").save()
            n += 1
print(f"published\t{n}\t{time.perf_counter() - made:.1f}", flush=True)
'''


@contextlib.contextmanager
def database(postgres: bool):
    if not postgres:
        yield None
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from web_load import throwaway_postgres

    with throwaway_postgres(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres") as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", type=int, default=1000, help="已发布的预算包个数")
    parser.add_argument("--distinct", type=int, default=40, help="生成并校验的不同合成部门个数（预算包轮流使用）")
    parser.add_argument("--regions", type=int, default=5, help="地区个数")
    parser.add_argument("--years", type=int, default=2, help="预算年度个数")
    parser.add_argument("--postgres", action="store_true", help="在 PostgreSQL 上测（DATABASE_URL 或 127.0.0.1:5432）")
    parser.add_argument("--workers", default="1,2", help="yusuan export-open-data --workers 的取值，逗号分隔依次测量")
    parser.add_argument("--keep", type=Path, help="把导出的文件另存到此目录")
    args = parser.parse_args()
    if min(args.packages, args.distinct, args.regions, args.years) < 1:
        raise SystemExit("--packages、--distinct、--regions、--years 都应至少为 1")
    print(machine.describe())
    with tempfile.TemporaryDirectory(prefix="yusuan-opendata-") as tmp, database(args.postgres) as url:
        env = dict(os.environ, YUSUAN_DATA=tmp, PYTHONPATH=str(ROOT / "src"))
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        seeded = subprocess.run([sys.executable, "-c", SEED, str(args.packages), str(args.distinct), str(args.regions),
                                 str(args.years)], env=env, capture_output=True, text=True)
        if seeded.returncode:
            raise SystemExit(seeded.stderr[-3000:])
        facts = dict(line.split("\t", 1) for line in seeded.stdout.splitlines() if "\t" in line)
        print(f"数据库：{'PostgreSQL' if url else 'SQLite'}；合成部门 {args.distinct} 个（生成并校验 "
              f"{facts['generated'].split(chr(9))[1]} 秒），发布 {facts['published'].split(chr(9))[0]} 个预算包"
              f"（写入 {facts['published'].split(chr(9))[1]} 秒），{args.regions} 个地区 × {args.years} 个年度")
        first = None
        for workers in [int(w) for w in args.workers.split(",") if w.strip()]:
            out = (Path(args.keep) if args.keep else Path(tmp)) / f"open-data-workers{workers}"
            seconds, cpu, peak = export(env, out, workers)
            index = json.loads((out / "index.json").read_text(encoding="utf-8"))
            print(f"\nyusuan export-open-data --workers {workers}：{seconds:.1f} 秒（CPU {cpu:.1f} 秒），"
                  f"峰值内存 {peak / 2**20:.0f} MB（导出进程及其子进程的常驻内存之和，共享页重复计入）")
            table(index, seconds)
            if args.distinct < args.packages:
                print(f"  注意：{args.packages} 个预算包轮流使用 {args.distinct} 个合成部门的数据，Parquet 按列压缩重复的值，"
                      "其大小远小于互不相同的数据；CSV 的大小与行数成正比，不受影响")
            if sum(e["packages"] for e in index) != args.packages:
                raise SystemExit(f"导出的预算包个数 {sum(e['packages'] for e in index)} 与发布的 {args.packages} 不符")
            files = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("figures.*"))}
            if first is not None and files != first:
                raise SystemExit(f"--workers {workers} 导出的文件与 --workers 1 的不同")
            first = files if first is None else first


def export(env: dict, out: Path, workers: int) -> tuple[float, float, int]:
    """Run the command; (seconds, CPU seconds, peak resident memory of it and its children, sampled)."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "yusuan", "export-open-data", "-o", str(out), "--workers", str(workers)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, cpu = 0, {}
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            tree = [root, *root.children(recursive=True)]
            rss = 0
            for p in tree:
                with contextlib.suppress(psutil.Error):
                    rss += p.memory_info().rss
                    t = p.cpu_times()
                    cpu[p.pid] = t.user + t.system
            peak = max(peak, rss)
        time.sleep(0.2)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(stdout[-2000:] + stderr[-3000:])
    return seconds, sum(cpu.values()), peak


def table(index: list[dict], seconds: float) -> None:
    print(f"  {'目录':<22}{'预算包':>6}{'数（行）':>10}{'CSV MB':>9}{'Parquet MB':>12}{'datapackage KB':>16}")
    totals = {"packages": 0, "figures": 0, "figures.csv": 0, "figures.parquet": 0, "datapackage.json": 0}
    for e in index:
        f = e["files"]
        print(f"  {e['folder']:<22}{e['packages']:>6}{e['figures']:>10}{f['figures.csv'] / 2**20:>9.2f}"
              f"{f['figures.parquet'] / 2**20:>12.2f}{f['datapackage.json'] / 1024:>16.1f}")
        totals["packages"] += e["packages"]
        totals["figures"] += e["figures"]
        for name in ("figures.csv", "figures.parquet", "datapackage.json"):
            totals[name] += f[name]
    print(f"  {'合计':<22}{totals['packages']:>6}{totals['figures']:>10}{totals['figures.csv'] / 2**20:>9.2f}"
          f"{totals['figures.parquet'] / 2**20:>12.2f}{totals['datapackage.json'] / 1024:>16.1f}")
    print(f"  每个预算包 {seconds / max(totals['packages'], 1) * 1000:.0f} ms，每秒 {totals['figures'] / seconds:,.0f} 个数")

if __name__ == "__main__":
    main()
