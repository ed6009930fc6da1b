"""The browser tests' shared fixture: ``server``, a fresh `yusuan serve` of each test module (browser_support.py)."""

from browser_support import server  # noqa: F401 - the fixture, module-scoped: one server per test module
