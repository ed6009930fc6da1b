"""The web tests again on PostgreSQL (127.0.0.1:5432, user postgres, trust), in a child pytest with
DATABASE_URL set; Django creates and drops the throwaway test database. Skipped when no server answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("django", reason="the web extra is not installed (pip install '.[web]')")
pytest.importorskip("psycopg", reason="psycopg is not installed")

HERE = Path(__file__).resolve().parent


def _reachable(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="already running on DATABASE_URL's server")
@pytest.mark.skipif(not _reachable(), reason="no PostgreSQL server at 127.0.0.1:5432")
def test_web_suite_on_postgresql(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/yusuan_web_{os.getpid()}",
               YUSUAN_DATA=str(tmp_path), YUSUAN_EXPECT_VENDOR="postgresql")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(HERE / "test_web.py"), str(HERE / "test_portal.py"),
                           str(HERE / "test_web_jobs.py"), str(HERE / "test_grid.py"), str(HERE / "test_web_flow.py")],
                          cwd=HERE.parent, env=env, capture_output=True, text=True)
    if "password authentication failed" in done.stdout or "no password supplied" in done.stdout:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not trust user postgres")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout, done.stdout[-2000:]
