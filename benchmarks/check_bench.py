"""Benchmark (not a test): time to check one package, and 1,000 packages.

    .venv/bin/python benchmarks/check_bench.py [--count 1000]

Measures (a) the full `check_package` on the Changji example (composition included) when the
example exists, and (b) `check_disclosure` on disclosures already composed — the checking cost
alone — for the example and for the synthetic disclosure of ``yusuan.rules.testing``. Prints ms per
package; the target is < 10 ms per package for the checks.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import machine
from yusuan.rules import load_all
from yusuan.rules.engine import check_disclosure, check_package
from yusuan.rules.testing import build_disclosure, build_package, sample_spec

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "changji-natural-resources-2023"


TARGET_MS = 10.0  # the target: under 10 ms to check one package on this 2-core machine


def _time(label: str, func, count: int) -> float:
    """Run ``func`` ``count`` times (after one warm-up: imports, catalogue and profile caches); print the
    median per package, the time 1,000 packages take at that pace, and the ratio to the target.
    Returns the median in ms."""
    func()
    samples = []
    for _ in range(count):
        t0 = time.perf_counter()
        func()
        samples.append(time.perf_counter() - t0)
    median = statistics.median(samples) * 1000
    mean = statistics.mean(samples) * 1000
    verdict = "达标" if median < TARGET_MS else "未达标"
    print(f"{label:<36} 中位数 {median:7.2f} ms/个（平均 {mean:6.2f}，最慢 {max(samples) * 1000:7.2f}，{count} 次）  "
          f"1,000 个共 {mean:6.2f} s  为目标 {TARGET_MS:.0f} ms 的 {median / TARGET_MS:4.2f} 倍（{verdict}）")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    rules = load_all()
    print(f"规则 {len(rules)} 条；目标：每个披露包校验 < {TARGET_MS:.0f} ms")
    print(machine.describe())
    synthetic = build_disclosure()
    facts = build_package(sample_spec())
    _time("合成披露：仅校验（check_disclosure）", lambda: check_disclosure(synthetic, package=facts), args.count)
    if EXAMPLE.exists():
        from yusuan.compose import compose
        from yusuan.load import load_package

        package = load_package(EXAMPLE)
        disclosure = compose(package)
        _time("昌吉示例：仅校验（check_disclosure）", lambda: check_disclosure(disclosure, package=package), args.count)
        _time("昌吉示例：生成＋校验（check_package）", lambda: check_package(package), max(1, args.count // 5))
        _time("昌吉示例：读取文件＋生成＋校验", lambda: check_package(EXAMPLE), 1)
        by_module(disclosure, package)


def by_module(disclosure, package, rounds: int = 50) -> None:
    """Where the checking time goes: ms per package by rule module (the slowest first)."""
    from collections import Counter

    from yusuan.rules.engine import _resolve_profile, profile_settings
    from yusuan.rules.registry import Context

    profile = profile_settings(_resolve_profile(None, disclosure.profile))
    spent: Counter = Counter()
    for _ in range(rounds):
        ctx = Context(disclosure=disclosure, package=package, profile=profile)
        for r in load_all().values():
            t0 = time.perf_counter()
            list(r.func(ctx))
            spent[r.func.__module__.rsplit(".", 1)[-1]] += time.perf_counter() - t0
    print("按规则模块（ms/个）：" + "，".join(f"{m} {t / rounds * 1000:.2f}" for m, t in spent.most_common()))


if __name__ == "__main__":
    main()
