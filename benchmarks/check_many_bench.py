"""Benchmark (not a test): check many synthetic packages on one machine, as a bureau or a researcher would.

    .venv/bin/python benchmarks/check_many_bench.py [--count 100000] [--workers 2]

Each package is a different random department (``yusuan.synth.facts.random_package``, seeded by its number:
1–40 units, 5–200 function 项, 0–60 projects with performance tables), composed in the Xinjiang layout and
checked with every rule, in ``--workers`` processes. Three times are taken per package, in the worker:
drawing the facts, composing the disclosure (``compose``) and checking it (``check_disclosure``, what
``check_package`` does after composing). "校验" is the check alone (compare with the one-package target);
"端到端" is draw + compose + check. Each worker process imports yusuan, loads the catalogues, the profile
and the rule registry once (``_setup``), before its first package, outside the timed figures.

Prints packages per second, ms per package (median, mean and slowest), the wall time of the whole run, the
wall time 100,000 packages take at the rate measured (extrapolated when ``--count`` is smaller: said so)
and the peak memory of a worker. Counts of findings are printed too: the packages are consistent by
construction, so a fatal finding among them is a false alarm worth a look.
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


def _setup() -> None:
    """Once per worker process: import yusuan and fill its per-process caches (catalogues, profile, rule
    registry, the example's glossary) by drawing, composing and checking one package not counted."""
    from yusuan.rules.engine import check_package
    from yusuan.synth.facts import random_package

    check_package(random_package(random.Random("yusuan-bench:warm-up")))


def _check_range(start: int, stop: int) -> tuple[list[tuple[float, float, float]], dict[str, int], int]:
    """Draw, compose and check packages ``start`` … ``stop - 1``: ((draw, compose, check) seconds per package,
    findings by severity, peak RSS in KiB of this worker)."""
    from yusuan.compose import compose
    from yusuan.rules.engine import _resolve_profile, check_disclosure
    from yusuan.synth.facts import random_package

    times, severities = [], {"fatal": 0, "warning": 0, "info": 0}
    for n in range(start, stop):
        t0 = time.perf_counter()
        package = random_package(random.Random(f"yusuan-bench:{n}"))
        t1 = time.perf_counter()
        profile = _resolve_profile(None, package.unit.profile)
        disclosure = compose(package, profile)
        t2 = time.perf_counter()
        report = check_disclosure(disclosure, package=package, profile=profile)
        t3 = time.perf_counter()
        times.append((t1 - t0, t2 - t1, t3 - t2))
        for f in report.findings:
            severities[f.severity] = severities.get(f.severity, 0) + 1
    return times, severities, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _ms(values: list[float]) -> str:
    return (f"中位数 {statistics.median(values) * 1000:.2f} ms，平均 {statistics.mean(values) * 1000:.2f} ms，"
            f"最慢 {max(values) * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"随机部门 {args.count:,} 个，进程 {args.workers} 个")
    print(machine.describe())
    times: list[tuple[float, float, float]] = []
    totals = {"fatal": 0, "warning": 0, "info": 0}
    peak = 0
    started = time.perf_counter()
    ranges = [(i, min(i + CHUNK, args.count)) for i in range(0, args.count, CHUNK)]
    with ProcessPoolExecutor(max_workers=args.workers, initializer=_setup) as pool:
        futures = [pool.submit(_check_range, a, b) for a, b in ranges]
        for done, future in enumerate(futures, start=1):
            t, sev, rss = future.result()
            times += t
            for k, v in sev.items():
                totals[k] = totals.get(k, 0) + v
            peak = max(peak, rss)
            if done % max(1, len(futures) // 20) == 0 or done == len(futures):
                elapsed = time.perf_counter() - started
                print(f"  {len(times):>7,} 个  {elapsed:8.1f} s  {len(times) / elapsed:6.1f} 个/s", flush=True)
    wall = time.perf_counter() - started
    n = len(times)
    print(f"共 {n:,} 个，用时 {wall:.1f} s（{n / wall:.1f} 个/s，{args.workers} 个进程，含每个进程一次的准备）")
    print(f"每个包 校验（check_disclosure）：{_ms([t[2] for t in times])}")
    print(f"每个包 端到端（抽取＋生成＋校验）：{_ms([sum(t) for t in times])}")
    print(f"  其中 抽取随机事实：中位数 {statistics.median([t[0] for t in times]) * 1000:.2f} ms；"
          f"生成公开文件（compose）：中位数 {statistics.median([t[1] for t in times]) * 1000:.2f} ms")
    check_cpu = sum(t[2] for t in times)
    if n >= 100_000:
        print(f"10 万个包：实测用时 {wall / 60:.1f} 分钟；其中校验合计 {check_cpu:.0f} 进程·秒")
    else:
        print(f"10 万个包：按本次速率推算 {100_000 / (n / wall) / 60:.1f} 分钟（只运行了 {n:,} 个，推算值）；"
              f"只计校验 {100_000 * check_cpu / n / args.workers / 60:.1f} 分钟")
    print(f"发现：错误 {totals['fatal']:,} 条，警告 {totals['warning']:,} 条，提示 {totals['info']:,} 条；"
          f"单进程内存峰值 {peak / 1024:.0f} MB")


if __name__ == "__main__":
    main()
