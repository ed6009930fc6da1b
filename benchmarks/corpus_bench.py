"""Benchmark (not a test): corpus audit throughput on Dask with 1 and with 2 workers.

    .venv/bin/python benchmarks/corpus_bench.py [--departments N] [--corpus DIR] [--timeout S]

Makes a synthetic corpus (``yusuan synth make``, Word files, N departments, default 200 — about a minute; or audits the
folder ``--corpus``), audits it into a fresh results folder with a local Dask cluster of 1 and then 2
single-threaded workers, and prints documents per second, the speed-up ratio (target ≥ 1.7× on a
2-core machine) and the peak memory per worker: the Dask worker process and its reading child
(``yusuan.corpus.worker``), peak RSS from psutil / getrusage. Cluster start-up and the start of each
worker's reading child (importing yusuan, about a second, once per worker and per ``--recycle`` files)
are not counted: the figure is the steady rate of a long run. The CPU time of the main process (the
scheduler, receiving rows, writing Parquet) is printed too: on two cores it competes with the workers.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import machine  # benchmarks/machine.py, beside this file


def _worker_peak_mb() -> float:
    import resource

    import psutil

    rss = psutil.Process().memory_info().rss / 2**20
    return max(rss, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _start_child() -> int:
    """Start this worker's reading child now (it imports yusuan, ~1 s), outside the timed run."""
    from yusuan.corpus.worker import _child

    child = _child(100)
    if child.proc is None:
        child._start()
    return child.proc.pid


def run(corpus: Path, workers: int, timeout: float) -> dict:
    from distributed import Client, LocalCluster

    from yusuan.corpus.query import run_query
    from yusuan.corpus.run import audit_corpus

    with tempfile.TemporaryDirectory() as tmp, \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                         silence_logs=40) as cluster, Client(cluster) as client:
        client.wait_for_workers(workers)
        client.run(_start_child)
        out = Path(tmp) / "results"
        import os

        cpu = os.times()
        started = time.perf_counter()
        stats = audit_corpus(corpus, out, timeout=timeout, client=client)
        seconds = time.perf_counter() - started
        after = os.times()
        client_cpu = (after.user - cpu.user) + (after.system - cpu.system)
        worker_mb = client.run(_worker_peak_mb)
        _, rows = run_query(out, "SELECT worker, max(child_rss_mb), count(*) FROM documents "
                                 "WHERE worker IS NOT NULL GROUP BY worker ORDER BY worker")
    docs = stats.audited + stats.failed
    return {"workers": workers, "documents": docs, "failed": stats.failed, "seconds": seconds,
            "rate": docs / seconds if seconds else 0.0, "worker_mb": sorted(worker_mb.values()),
            "child_mb": [r[1] for r in rows], "per_worker": [r[2] for r in rows], "client_cpu": client_cpu}


def main() -> None:
    parser = argparse.ArgumentParser()
    # 200: with 40 files the run under two workers lasts a few seconds and its last files (one worker idle while
    # the other finishes) weigh on the ratio: 60 files gave 1.61x, 200 files 1.95x on the same quiet machine
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    print("语料审查吞吐量（Dask 本地集群）", machine.describe())
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            from yusuan.synth.make import make_corpus

            corpus = Path(tmp) / "corpus"
            t = time.perf_counter()
            make_corpus(corpus, departments=args.departments, errors=0.3, seed=1, formats=["docx"], twins=False)
            print(f"  合成语料：{args.departments} 个 Word 文件，生成用时 {time.perf_counter() - t:.1f} 秒")
        results = [run(corpus, n, args.timeout) for n in (1, 2)]
    for r in results:
        print(f"  {r['workers']} 个工作进程：{r['documents']} 个文件（未能读取 {r['failed']}），"
              f"{r['seconds']:.1f} 秒，{r['rate']:.2f} 个/秒；每个工作进程分得 {r['per_worker']} 个文件；"
              f"峰值内存 Dask 工作进程 {', '.join(f'{m:.0f}' for m in r['worker_mb'])} MB，"
              f"读取子进程 {', '.join(f'{m:.0f}' for m in r['child_mb'] if m is not None)} MB；"
              f"主进程（调度器与写 Parquet）CPU {r['client_cpu']:.1f} 秒")
    one, two = results
    ratio = two["rate"] / one["rate"] if one["rate"] else 0.0
    print(f"  加速比（2 个 / 1 个工作进程）：{ratio:.2f}×（目标 ≥ 1.7×）")


if __name__ == "__main__":
    main()
