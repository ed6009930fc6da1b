"""What the browser tests share: the chromium they drive, the screenshot folder, a fresh `yusuan serve`
per test module (the ``server`` fixture, offered to every module by conftest.py) on SQLite or, with
DATABASE_URL, on a throwaway PostgreSQL database, and signing in and out with a demo account."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("YUSUAN_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def database():
    """The server's database: SQLite in its data folder when DATABASE_URL is unset; with DATABASE_URL
    (postgres://…) a fresh database on that server, dropped afterwards, so every run starts from the demo."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None
        return
    from yusuan.web.throwaway_db import throwaway_postgres

    with throwaway_postgres(url, "yusuan_browser") as db_url:
        yield db_url


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("web-data")
    port = _free_port()
    with database() as db_url:
        env = dict(os.environ, YUSUAN_DATA=str(data), PYTHONPATH=str(ROOT / "src"))
        env.pop("DATABASE_URL", None)
        if db_url:
            env["DATABASE_URL"] = db_url
        log = (data / "server.log").open("w")  # a file, not a pipe nobody reads (a full pipe stalls the server)
        proc = subprocess.Popen([sys.executable, "-c", "from yusuan.cli import main; main()", "serve", "--port", str(port)],
                                env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail((data / "server.log").read_text(encoding="utf-8"))
                time.sleep(0.5)
        accounts = {}
        for line in (data / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()[1:]:
            user, password, *_ = line.split("\t")
            accounts[user] = password
        try:
            yield url, accounts, data, db_url
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()


def login(page, url: str, accounts: dict, user: str) -> None:
    """Sign in as a demo account (its password from the server's demo-accounts.txt)."""
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", accounts[user])
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{url}/dashboard/")


def logout(page, url: str) -> None:
    page.click("button:has-text('退出')")
    page.wait_for_url(f"{url}/public/")
