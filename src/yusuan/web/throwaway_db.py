"""A fresh PostgreSQL database for one run (the browser tests, ``benchmarks/web_load.py``), dropped afterwards,
so a run starts from the demo and leaves nothing behind on the server named by DATABASE_URL."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit


@contextlib.contextmanager
def throwaway_postgres(url: str, prefix: str) -> Iterator[str]:
    """The URL of a new database ``<prefix>_<pid>_<time>`` on ``url``'s server; dropped (even if in use) on exit."""
    import psycopg

    parts = urlsplit(url)
    name = f"{prefix}_{os.getpid()}_{int(time.time())}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
