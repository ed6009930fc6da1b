"""`yusuan serve` and `yusuan createsuperuser` from the command line: Chinese messages, no tracebacks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("django", reason="the web extra is not installed (pip install '.[web]')")

ROOT = Path(__file__).resolve().parents[1]


def yusuan(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from yusuan.cli import main; main()", *args], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}, capture_output=True, text=True,
                          timeout=120)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_database_is_a_clear_message(tmp_path):
    done = yusuan("serve", "--port", "1", env={"YUSUAN_DATA": str(tmp_path),
                                                "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/x"})
    assert done.returncode == 2
    assert "无法连接或更新数据库" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_createsuperuser_once(tmp_path):
    env = {"YUSUAN_DATA": str(tmp_path)}
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    first = subprocess.run([sys.executable, "-c", "from yusuan.cli import main; main()", "createsuperuser",
                            "--username", "boss", "--password", "long-enough-1"], cwd=ROOT, capture_output=True, text=True,
                           env={**clean, "PYTHONPATH": str(ROOT / "src"), **env}, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "已创建管理员“boss”" in first.stdout
    again = subprocess.run([sys.executable, "-c", "from yusuan.cli import main; main()", "createsuperuser",
                            "--username", "boss", "--password", "long-enough-1"], cwd=ROOT, capture_output=True, text=True,
                           env={**clean, "PYTHONPATH": str(ROOT / "src"), **env}, timeout=120)
    assert again.returncode == 2
    assert "已存在" in again.stderr
    assert (tmp_path / "yusuan.sqlite3").exists()


def test_production_settings_pass_check_deploy(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "YUSUAN_DEBUG")}
    done = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                          env={**clean, "PYTHONPATH": str(ROOT / "src"), "YUSUAN_DATA": str(tmp_path), "YUSUAN_HTTPS": "1",
                               "DJANGO_SETTINGS_MODULE": "yusuan.web.settings"}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
