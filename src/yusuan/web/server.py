"""The production server: waitress, in one process or several sharing one port.

Python runs one thread at a time per process, so one waitress process uses one core however many
threads it has. With ``processes`` > 1 the process forks that many servers (after Django is set up and
migrated, with every database connection closed first), each listening on the same address with
SO_REUSEPORT: the kernel spreads the connections over them. Sessions, the job queue and everything
else shared live in the database; the per-process caches (public pages, sign-in throttling) are caches.

The first process is the parent: on SIGTERM/SIGINT it stops the others; one whose parent has gone
stops by itself.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time


def _listen(host: str, port: int, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def _watch_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def warm_up() -> None:
    """Load what the first check would (the rules, the catalogues' code), then move everything loaded so
    far out of the garbage collector's sight: with Django and the rules in memory a full collection
    otherwise takes ~100 ms, landing on a request now and then (a save-and-check 35 ms → 130 ms)."""
    import gc

    try:
        from yusuan.rules import load_all
        from yusuan.rules import engine  # noqa: F401

        load_all()
    except Exception:  # noqa: BLE001 - warming up is an optimisation, never a reason not to serve
        pass
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(switch_interval())


def switch_interval() -> float:
    """How long a thread may hold the GIL while another waits (seconds; YUSUAN_GIL_SWITCH_MS, default 1 ms).

    A page served from the cache needs well under a millisecond of CPU but takes and releases the GIL
    several times (socket, database); behind a save-and-check running in the same process each retake
    waits out the switch interval. Python's default of 5 ms made such a request wait 85–165 ms (p95) beside
    two or three saves; 1 ms made it 10–50 ms, with no measurable cost to the saves' CPU time
    (docs/web.md, "Under load")."""
    try:
        ms = float(os.environ.get("YUSUAN_GIL_SWITCH_MS", "1"))
    except ValueError:
        ms = 1.0
    return max(ms, 0.1) / 1000


def run(application, host: str, port: int, threads: int, processes: int = 1) -> None:
    from waitress import serve

    warm_up()
    processes = max(1, processes)
    if processes == 1 or not hasattr(socket, "SO_REUSEPORT") or not hasattr(os, "fork"):
        serve(application, host=host, port=port, threads=threads, ident="yusuan", _quiet=True)
        return
    from django.db import connections

    connections.close_all()  # a forked child must never share the parent's database connections
    sockets = [_listen(host, port, reuse_port=True)]  # the parent's own, bound before the children start
    parent, children = os.getpid(), []
    for _ in range(processes - 1):
        pid = os.fork()
        if pid == 0:
            sockets[0].close()
            _watch_parent(parent)
            serve(application, sockets=[_listen(host, port, reuse_port=True)], threads=threads, ident="yusuan", _quiet=True)
            os._exit(0)
        children.append(pid)

    def stop(signum, frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    serve(application, sockets=sockets, threads=threads, ident="yusuan", _quiet=True)
