"""``yusuan corpus audit``: every file of a folder audited on Dask, results written as they come.

Memory stays bounded whatever the corpus size: the folder is walked lazily, at most ``window`` tasks
are in flight (a new one is submitted as one completes, ``distributed.as_completed``), and results are
buffered only until ``batch_size`` files are in hand, then written as Parquet part files and committed
in the manifest (``manifest.py``), so a killed run loses at most the batch in hand.

The cluster is a ``distributed.LocalCluster`` of ``workers`` single-threaded worker processes, or the
scheduler at ``--scheduler`` (whose workers must see the files at the same paths and have yusuan
installed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from yusuan.corpus.discover import iter_files, relative, sha256
from yusuan.corpus.manifest import Manifest
from yusuan.corpus.results import duplicate_rows, failure_rows, write_batch


@dataclass
class RunStats:
    found: int = 0
    skipped: int = 0  # done in an earlier run
    audited: int = 0
    failed: int = 0  # timeout, crash, unreadable
    duplicates: int = 0
    batches: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    workers: int = 0


def count_files(root: Path, out: Path) -> int:
    return sum(1 for _ in iter_files(root, skip=out))


def _pending(root: Path, out: Path, manifest: Manifest, stats: RunStats) -> Iterator[tuple]:
    """(kind, path, rel, extra) for every file: "skip" (this path with this content is done), "duplicate"
    (the content is done under another path: extra = (sha, that path)), "audit" (extra = sha) or "error"
    (the file cannot be opened: extra = the message). A file changed since it was audited (same path,
    new SHA-256) is audited again."""
    seen: dict[str, str] = {}
    for path in iter_files(root, skip=out):
        stats.found += 1
        rel = relative(path, root)
        try:
            digest = sha256(path)
        except OSError as exc:
            yield ("error", path, rel, str(exc))
            continue
        if (rel, digest) in manifest.done_pairs:
            stats.skipped += 1
            yield ("skip", path, rel, None)
            continue
        first = manifest.done_sha.get(digest) or seen.get(digest)
        if first is not None and first != rel:
            yield ("duplicate", path, rel, (digest, first))
            continue
        seen[digest] = rel
        yield ("audit", path, rel, digest)


def make_client(scheduler: str | None, workers: int):
    """A Dask client: on the scheduler given, else on a local cluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=40)
    return Client(cluster), cluster


def audit_corpus(root: Path, out: Path, scheduler: str | None = None, workers: int = 2, timeout: float = 120.0,
                 batch_size: int = 50, window: int | None = None, recycle: int = 100,
                 on_file: Callable[[str, str], None] | None = None, client=None) -> RunStats:
    """Audit every file under ``root`` into ``out``. ``on_file(rel, status)`` is called per file (also for
    skipped ones, status ``done``). ``client``: an existing Dask client (tests, benchmarks)."""
    import time

    from distributed import as_completed

    from yusuan.corpus.worker import audit_task
    from yusuan.rules import corpus as corpus_rules

    started = time.perf_counter()
    root = root.resolve()
    out = out.resolve()
    manifest = Manifest.open(out)
    stats = RunStats()
    own = client is None
    cluster = None
    if own:
        client, cluster = make_client(scheduler, workers)
    try:
        stats.workers = len(client.scheduler_info().get("workers", {})) or workers
        window = window or max(4, 4 * stats.workers)
        buffer: list[dict] = []
        committed: list[dict] = []

        def flush() -> None:
            if not buffer:
                return
            batch = manifest.new_batch()
            write_batch(out, batch, buffer)
            manifest.commit(batch, [{"file": r["document"]["file"], "sha256": r["document"]["sha256"],
                                     "status": r["document"]["status"]} for r in buffer])
            stats.batches += 1
            buffer.clear()

        def take(rows: dict) -> None:
            status = rows["document"]["status"]
            stats.by_status[status] = stats.by_status.get(status, 0) + 1
            if status in ("timeout", "crash", "unreadable"):
                stats.failed += 1
            elif status == "duplicate":
                stats.duplicates += 1
            else:
                stats.audited += 1
            buffer.append(rows)
            if on_file:
                on_file(rows["document"]["file"], status)
            if len(buffer) >= batch_size:
                flush()

        pending = _pending(root, out, manifest, stats)
        running = as_completed()
        in_flight: dict = {}

        def submit_next() -> bool:
            for kind, path, rel, extra in pending:
                if kind == "skip":
                    if on_file:
                        on_file(rel, "done")
                    continue
                if kind == "duplicate":
                    take(duplicate_rows(rel, extra[0], path, extra[1]))
                    continue
                if kind == "error":
                    take(failure_rows(rel, "", path, "unreadable", corpus_rules.UNREADABLE,
                                      corpus_rules.unreadable_message(path.name, extra)))
                    continue
                future = client.submit(audit_task, str(path), rel, extra, timeout, recycle, pure=False)
                in_flight[future] = (path, rel, extra)
                running.add(future)
                return True
            return False

        for _ in range(window):
            if not submit_next():
                break
        while in_flight:
            future = next(running)
            path, rel, digest = in_flight.pop(future)
            try:
                rows = future.result()
            except Exception as exc:  # noqa: BLE001 - the Dask worker itself died (KilledWorker …)
                rows = failure_rows(rel, digest, path, "crash", corpus_rules.CRASH,
                                    corpus_rules.crash_message(path.name, f"{type(exc).__name__}: {exc}"))
            future.release()
            take(rows)
            submit_next()
        flush()
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    stats.seconds = round(time.perf_counter() - started, 3)
    return stats
