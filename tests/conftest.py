"""Shared fixtures. ``../shared/reference`` (beside the checkout) holds real published packages."""

from __future__ import annotations

from pathlib import Path

import os

import pytest
from hypothesis import settings

# No per-example deadline: this machine is small and shared, and time limits belong in benchmarks.
# In CI the examples are derandomised, so a run is repeatable; locally they explore afresh each run.
settings.register_profile("yusuan", deadline=None, derandomize=bool(os.environ.get("CI")), print_blob=True)
settings.load_profile("yusuan")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "changji-natural-resources-2023"
# YUSUAN_SHARED points elsewhere (a missing directory shows how a fresh clone without ../shared runs).
SHARED = Path(os.environ.get("YUSUAN_SHARED", ROOT.parent / "shared")) / "reference"
CHANGJI_TEXT = SHARED / "changji-natural-resources-2023-budget.txt"
SHANGHAI = SHARED / "shanghai"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip(f"参考文件目录不存在：{SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def example_package():
    from yusuan.load import load_package

    return load_package(EXAMPLE)
