"""The Dask task of a corpus audit: one file audited in a child process that can be killed.

Dask has no per-task time limit, and a reader that hangs or crashes (a damaged PDF deep in a C
library) would take the Dask worker with it. So each Dask worker process keeps one child process
(``python -m yusuan.corpus.worker``, started with ``subprocess``, so it works in daemonic Dask
workers too) and sends it one file at a time over a pipe. The child answers with the rows of the
file's results; when it does not answer within the time limit it is killed (and a new one started
for the next file), and when it dies the file gets a crash finding. The child is replaced after
``recycle`` files, so that memory a reader leaks does not pile up.

Test hooks (for tests/test_corpus.py, documented in docs/corpus.md; they do nothing unless set):
``YUSUAN_CORPUS_TEST_HANG=1`` makes the child hang on a file whose name contains ``hang`` and abort
on one whose name contains ``crash``; ``YUSUAN_CORPUS_TEST_DELAY=S`` makes it wait S seconds per file.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

STARTUP_TIMEOUT = 120.0  # seconds for a new child to import yusuan (not counted in a file's limit)
_HEADER = struct.Struct("!Q")


# ------------------------------------------------------------------ framing

def _write_frame(stream, payload: bytes) -> None:
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _read_exact(stream, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _read_frame(stream) -> bytes | None:
    head = _read_exact(stream, _HEADER.size)
    if head is None:
        return None
    return _read_exact(stream, _HEADER.unpack(head)[0])


# ------------------------------------------------------------------ in the child

def _peak_rss_mb() -> float | None:
    try:
        import resource

        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux
    except (ImportError, OSError):
        return None


def _test_hooks(name: str) -> None:
    delay = os.environ.get("YUSUAN_CORPUS_TEST_DELAY")
    if delay:
        time.sleep(float(delay))
    if os.environ.get("YUSUAN_CORPUS_TEST_HANG") == "1":
        lowered = name.lower()
        if "hang" in lowered:
            while True:  # until killed (or the parent goes away)
                time.sleep(0.2)
                if os.getppid() == 1:
                    os._exit(0)
        if "crash" in lowered:
            os.abort()


def audit_rows(path: str, rel: str, sha256: str) -> dict:
    """Audit one file (``yusuan.commands.audit.audit_file``) and return its result rows."""
    from yusuan.commands.audit import audit_file
    from yusuan.corpus.results import report_rows

    _test_hooks(Path(path).name)
    started = time.perf_counter()
    report = audit_file(Path(path))
    seconds = time.perf_counter() - started
    return report_rows(report, rel, sha256, Path(path), seconds)


def _die_with_parent() -> None:
    """Linux: the kernel kills this child when its parent (the Dask worker) dies."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def serve() -> None:
    """The child's loop: a request (path, rel, sha256) in, ("ok", rows) / ("unreadable", message) /
    ("error", traceback) out, until stdin closes."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to stderr, never into the protocol
    _die_with_parent()
    inp = sys.stdin.buffer
    from yusuan.commands.audit import audit_file  # noqa: F401 - import before the first file's clock starts
    from yusuan.errors import InputError
    from yusuan.rules.engine import registered_rules

    registered_rules()
    _write_frame(out, pickle.dumps(("ready", os.getpid())))
    while True:
        frame = _read_frame(inp)
        if frame is None:
            return
        path, rel, sha = pickle.loads(frame)
        try:
            answer = ("ok", audit_rows(path, rel, sha))
        except InputError as exc:
            answer = ("unreadable", str(exc))
        except Exception:  # noqa: BLE001 - any reader failure is a finding of that file
            answer = ("error", traceback.format_exc(limit=6))
        answer_rss = _peak_rss_mb()
        if answer[0] == "ok":
            answer[1]["document"]["child_rss_mb"] = answer_rss
        _write_frame(out, pickle.dumps(answer))


# ------------------------------------------------------------------ in the Dask worker

class Child:
    """One child process, restarted on demand: ``ask(request, timeout)`` → (status, payload)."""

    def __init__(self, recycle: int = 100):
        self.recycle = max(1, recycle)
        self.proc: subprocess.Popen | None = None
        self.errors = None
        self.served = 0
        self.started = 0  # children started (tests read it)

    def _start(self) -> None:
        self.errors = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-m", "yusuan.corpus.worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.errors, env=os.environ.copy())
        self.served = 0
        self.started += 1
        ready = self._receive(STARTUP_TIMEOUT)
        if ready is None or pickle.loads(ready)[0] != "ready":
            detail = self._stderr_tail()
            self.stop()
            raise RuntimeError(f"读取进程未能启动：{detail}")

    def _receive(self, timeout: float) -> bytes | None | bool:
        """A frame; None on end of stream (the child died); False when ``timeout`` passed."""
        box: queue.Queue = queue.Queue(maxsize=1)
        stream = self.proc.stdout
        reader = threading.Thread(target=lambda: box.put(_read_frame(stream)), daemon=True)
        reader.start()
        try:
            return box.get(timeout=timeout)
        except queue.Empty:
            return False

    def _stderr_tail(self, size: int = 600) -> str:
        if self.errors is None:
            return ""
        try:
            self.errors.seek(0, os.SEEK_END)
            end = self.errors.tell()
            self.errors.seek(max(0, end - size))
            text = self.errors.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        lines = [line for line in text.splitlines() if line.strip()]
        return lines[-1].strip() if lines else ""

    def stop(self, kill: bool = True) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            if kill:
                proc.kill()
            else:
                proc.stdin.close()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if self.errors is not None:
            self.errors.close()
            self.errors = None

    def ask(self, request: tuple, timeout: float) -> tuple[str, object]:
        if self.proc is not None and (self.proc.poll() is not None or self.served >= self.recycle):
            self.stop(kill=self.proc.poll() is not None)
        if self.proc is None:
            self._start()
        self.served += 1
        try:
            _write_frame(self.proc.stdin, pickle.dumps(request))
        except (BrokenPipeError, OSError):
            answer = None
        else:
            answer = self._receive(timeout)
        if answer is False:
            self.stop()
            return "timeout", timeout
        if answer is None:
            code = self.proc.wait() if self.proc else None
            detail = self._stderr_tail()
            self.stop()
            return "crash", _exit_text(code) + (f"：{detail}" if detail else "")
        return pickle.loads(answer)


def _exit_text(code: int | None) -> str:
    if code is None:
        return "进程已退出"
    if code < 0:
        try:
            return f"被信号 {signal.Signals(-code).name} 终止"
        except ValueError:
            return f"被信号 {-code} 终止"
    return f"退出码 {code}"


_LOCAL = threading.local()


def _child(recycle: int) -> Child:
    child = getattr(_LOCAL, "child", None)
    if child is None:
        child = _LOCAL.child = Child(recycle)
    child.recycle = max(1, recycle)
    return child


def audit_task(path: str, rel: str, sha256: str, timeout: float, recycle: int = 100) -> dict:
    """The Dask task: the result rows of one file (``results.report_rows``), or of its failure."""
    from yusuan.corpus.results import failure_rows
    from yusuan.rules import corpus as corpus_rules

    started = time.perf_counter()
    child = _child(recycle)
    try:
        status, payload = child.ask((path, rel, sha256), timeout)
    except RuntimeError as exc:  # the child could not even start
        status, payload = "crash", str(exc)
    name = Path(path).name
    if status == "ok":
        rows = payload
    elif status == "timeout":
        rows = failure_rows(rel, sha256, Path(path), "timeout", corpus_rules.TIMEOUT,
                            corpus_rules.timeout_message(name, timeout))
    elif status == "unreadable":
        rows = failure_rows(rel, sha256, Path(path), "unreadable", corpus_rules.UNREADABLE,
                            corpus_rules.unreadable_message(name, str(payload)))
    else:
        detail = str(payload).strip().splitlines()[-1] if str(payload).strip() else ""
        rows = failure_rows(rel, sha256, Path(path), "crash", corpus_rules.CRASH,
                            corpus_rules.crash_message(name, detail))
    doc = rows["document"]
    doc["seconds"] = round(time.perf_counter() - started, 3)
    doc["worker"] = f"{os.uname().nodename}:{os.getpid()}" if hasattr(os, "uname") else str(os.getpid())
    return rows


if __name__ == "__main__":
    serve()
