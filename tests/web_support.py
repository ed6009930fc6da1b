"""Django set up for the web tests (imported by tests/test_web*.py): settings from a throwaway data
folder, the test database created once per session (SQLite, or DATABASE_URL's server)."""

from __future__ import annotations

import os
import tempfile

import pytest

django = pytest.importorskip("django", reason="the web extra is not installed (pip install '.[web]')")

_DATA = tempfile.mkdtemp(prefix="yusuan-webtest-")
os.environ.setdefault("YUSUAN_DATA", _DATA)
os.environ.setdefault("YUSUAN_PUBLISH_FORMATS", "xlsx")  # the fastest renderer; the formats are render's own tests
os.environ.setdefault("YUSUAN_JOBS_SYNC", "1")  # background jobs run at once (tests/test_web_jobs.py also runs a real worker)
os.environ["DJANGO_SETTINGS_MODULE"] = "yusuan.web.settings"
django.setup()


_SET_UP = []


@pytest.fixture(scope="session")
def django_db():
    """Each test module that imports this gets its own fixture instance: the first one sets the test
    database up (and tears it down at the end of the session), the others reuse it."""
    if _SET_UP:
        yield
        return
    from django.test.runner import DiscoverRunner

    runner = DiscoverRunner(verbosity=0, interactive=False)
    runner.setup_test_environment()
    old = runner.setup_databases()
    _SET_UP.append(True)
    yield
    runner.teardown_databases(old)
    runner.teardown_test_environment()
    _SET_UP.clear()


_EXAMPLE = {}


def example_facts():
    """The bundled example, loaded once per session (a fresh copy each call)."""
    if "facts" not in _EXAMPLE:
        from yusuan.synth.facts import example_package

        _EXAMPLE["facts"] = example_package()
    return _EXAMPLE["facts"].model_copy(deep=True)


def workbook(facts) -> bytes:
    from yusuan.web.services import workbook_bytes

    return workbook_bytes(facts)
