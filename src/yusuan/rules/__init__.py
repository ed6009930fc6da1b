"""Checks over a disclosure (and its facts). Importing this package registers every rule module."""

from __future__ import annotations

import importlib
import pkgutil

from yusuan.rules import _compiled

# Before any rule module is imported: the compiled rule modules (make accel), where current, are found first.
_compiled.install()

from yusuan.rules.registry import RULES, Context, Hit, Rule, Settings, rule, run  # noqa: F401, E402

_SKIP = {"registry", "config", "report", "engine"}


def load_all() -> dict:
    """Import every rule module beside this file (each registers its rules) and return the registry."""
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _SKIP and not info.name.startswith("_") and not info.name.startswith("test"):
            importlib.import_module(f"{__name__}.{info.name}")
    return RULES
