"""`yusuan serve --processes 2`: two waitress processes answer on one port, and stopping the first
stops both (no server left behind)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("django", reason="the web extra is not installed (pip install '.[web]')")
pytest.importorskip("waitress", reason="the web extra is not installed (pip install '.[web]')")

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (from /proc), none when it has ended."""
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for t in tasks.iterdir() for c in (t / "children").read_text().split()] if tasks.exists() else []


def _wait_until_serving(port: int, deadline: float, log: Path) -> None:
    """Until the server answers /public/ (the server's log in the failure when it never does)."""
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/public/", timeout=5) as r:
                assert r.status == 200
            return
        except OSError:
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.3)


def _is_server(pid: int) -> bool:
    try:
        return "serve" in Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:  # it ended meanwhile
        return False


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT") or not Path("/proc").is_dir(), reason="needs Linux SO_REUSEPORT")
def test_two_processes_share_the_port_and_stop_together(tmp_path):
    port = _free_port()
    env = dict(os.environ, YUSUAN_DATA=str(tmp_path), PYTHONPATH=str(ROOT / "src"))
    env.pop("DATABASE_URL", None)
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-c", "from yusuan.cli import main; main()", "serve", "--port", str(port),
                             "--processes", "2"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        children: list[int] = []
        while time.monotonic() < deadline and not children:
            assert proc.poll() is None, (tmp_path / "server.log").read_text(encoding="utf-8")
            # the second server process, not another child (the job worker may be started first): waited for
            # until it is there, since on a loaded machine it may be forked a while after the first child
            children = [c for c in _children(proc.pid) if _is_server(c)]
            time.sleep(0.3)
        assert len(children) == 1, children  # the parent serves too: two processes
        _wait_until_serving(port, deadline, tmp_path / "server.log")
        for _ in range(20):  # both answer (the kernel spreads the connections; every one is served)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/public/", timeout=10) as r:
                assert r.status == 200 and "预算公开" in r.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    end = time.monotonic() + 10
    while any(_alive(c) for c in children) and time.monotonic() < end:
        time.sleep(0.2)
    assert not any(_alive(c) for c in children), "a server process was left running"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker process")
def test_stopping_the_server_stops_its_job_worker(tmp_path):
    """SIGTERM to `yusuan serve` (what a service manager or a test sends) stops the job worker it started:
    none is left running after the server has gone."""
    port = _free_port()
    env = dict(os.environ, YUSUAN_DATA=str(tmp_path), PYTHONPATH=str(ROOT / "src"))
    env.pop("DATABASE_URL", None)
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-c", "from yusuan.cli import main; main()", "serve", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not workers:
            assert proc.poll() is None, (tmp_path / "server.log").read_text(encoding="utf-8")
            workers = [c for c in _children(proc.pid) if _is_worker(c)]
            time.sleep(0.3)
        assert workers, "the server started no job worker"
        # serving: the worker was started before the server's loop, whose exit is tested
        _wait_until_serving(port, deadline, tmp_path / "server.log")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
    end = time.monotonic() + 40
    while any(_alive(w) for w in workers) and time.monotonic() < end:
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers), "the job worker was left running after the server stopped"


def _is_worker(pid: int) -> bool:
    try:
        return "worker" in Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return False
