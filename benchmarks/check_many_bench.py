"""Benchmark (not a test): check many synthetic packages on one machine, as a bureau or a researcher would.

    .venv/bin/python benchmarks/check_many_bench.py [--count 100000] [--workers 2]

Each package is a different random department (``yusuan.synth.facts.random_package``, seeded by its number:
1–40 units, 5–68 function 项, 0–60 projects with performance tables), composed in the Xinjiang layout and
checked with every rule (``check_package``), in ``--workers`` processes. Drawing the facts is timed apart
from composing + checking, so the figure to compare with the one-package target is "生成＋校验".

Prints packages per second, ms per package (median and slowest, measured in the workers), the wall time of
the whole run and the peak memory of a worker. Counts of findings are printed too: the packages are
consistent by construction, so a fatal finding among them is a false alarm worth a look.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import machine  # noqa: E402

CHUNK = 50  # packages per task: few enough to show progress, many enough that dispatch costs nothing


def _check_range(start: int, stop: int) -> tuple[list[float], list[float], dict[str, int], int]:
    """Draw, compose and check packages ``start`` … ``stop - 1``: (draw seconds, check seconds, findings by
    severity, peak RSS in KiB of this worker)."""
    from yusuan.rules.engine import check_package
    from yusuan.synth.facts import random_package

    draws, checks, severities = [], [], {"fatal": 0, "warning": 0, "info": 0}
    for n in range(start, stop):
        t0 = time.perf_counter()
        package = random_package(random.Random(f"yusuan-bench:{n}"))
        t1 = time.perf_counter()
        report = check_package(package)
        t2 = time.perf_counter()
        draws.append(t1 - t0)
        checks.append(t2 - t1)
        for f in report.findings:
            severities[f.severity] = severities.get(f.severity, 0) + 1
    return draws, checks, severities, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"随机部门 {args.count:,} 个，进程 {args.workers} 个")
    print(machine.describe())
    draws: list[float] = []
    checks: list[float] = []
    totals = {"fatal": 0, "warning": 0, "info": 0}
    peak = 0
    started = time.perf_counter()
    ranges = [(i, min(i + CHUNK, args.count)) for i in range(0, args.count, CHUNK)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(_check_range, a, b) for a, b in ranges]
        for done, future in enumerate(futures, start=1):
            d, c, sev, rss = future.result()
            draws += d
            checks += c
            for k, v in sev.items():
                totals[k] = totals.get(k, 0) + v
            peak = max(peak, rss)
            if done % max(1, len(futures) // 20) == 0 or done == len(futures):
                elapsed = time.perf_counter() - started
                print(f"  {len(checks):>7,} 个  {elapsed:8.1f} s  {len(checks) / elapsed:6.1f} 个/s", flush=True)
    wall = time.perf_counter() - started
    print(f"共 {len(checks):,} 个，用时 {wall:.1f} s（{len(checks) / wall:.1f} 个/s，{args.workers} 个进程）")
    print(f"每个包 生成＋校验：中位数 {statistics.median(checks) * 1000:.2f} ms，平均 {statistics.mean(checks) * 1000:.2f} ms，"
          f"最慢 {max(checks) * 1000:.1f} ms；抽取随机事实：中位数 {statistics.median(draws) * 1000:.2f} ms")
    print(f"发现：错误 {totals['fatal']:,} 条，警告 {totals['warning']:,} 条，提示 {totals['info']:,} 条；"
          f"单进程内存峰值 {peak / 1024:.0f} MB")


if __name__ == "__main__":
    main()
