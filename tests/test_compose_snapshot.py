"""Composition speed work must not change a single character of the composed disclosure.

The Changji example is composed with each bundled profile and ``model_dump_json()`` is compared
with a snapshot recorded from the code before the speed work (tests/data/compose_snapshot_<profile>.json).
Re-record only when the output is *meant* to change, and review the diff:

    YUSUAN_RECORD_COMPOSE_SNAPSHOT=1 .venv/bin/python -m pytest tests/test_compose_snapshot.py -q
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE

DATA = Path(__file__).resolve().parent / "data"
PROFILES = ["xinjiang", "shanghai"]
RECORD = os.environ.get("YUSUAN_RECORD_COMPOSE_SNAPSHOT") == "1"

pytestmark = pytest.mark.skipif(not EXAMPLE.exists(), reason="示例包不存在")


def _snapshot_path(profile: str) -> Path:
    return DATA / f"compose_snapshot_{profile}.json"


def _dump(disclosure) -> str:
    return disclosure.model_dump_json()


def _compose(profile: str):
    from yusuan.compose import compose
    from yusuan.load import load_package

    return compose(load_package(EXAMPLE), profile)


def _assert_matches_snapshot(profile: str, actual: str) -> None:
    expected = _snapshot_path(profile).read_text(encoding="utf-8")
    if actual == expected:
        return
    # One long JSON line: show where it first differs, with some context either side.
    first = next((i for i, (x, y) in enumerate(zip(actual, expected)) if x != y), min(len(actual), len(expected)))
    pytest.fail(f"{profile}: composed disclosure differs from the snapshot at character {first}: "
                f"expected …{expected[max(0, first - 150):first + 150]}…, got …{actual[max(0, first - 150):first + 150]}… "
                f"({len(expected)} vs {len(actual)} characters)")


@pytest.mark.parametrize("profile", PROFILES)
def test_composed_example_matches_snapshot(profile):
    actual = _dump(_compose(profile))
    if RECORD:
        _snapshot_path(profile).write_text(actual, encoding="utf-8")
    _assert_matches_snapshot(profile, actual)
    # The snapshot must hold real content, or the comparison proves nothing.
    data = json.loads(actual)
    assert len(data["tables"]) >= 8 and len(data["sections"]) >= 8
    assert sum(len(r["cells"]) for t in data["tables"] for r in t["rows"]) > 100


@pytest.mark.parametrize("profile", PROFILES)
def test_composing_again_after_mutating_the_result_gives_the_same_output(profile):
    """Whatever composition caches (profiles, catalogues, sums) must not leak between calls: a caller
    that edits one disclosure must not change the next one, and the order of profiles must not matter."""
    first = _compose(profile)
    for table in first.tables:
        table.rows.clear()
        table.columns.clear()
    for section in first.sections:
        for p in section.paragraphs:
            p.text = "改"
            p.statements.clear()
    first.sections.clear()
    other = PROFILES[1 - PROFILES.index(profile)]
    _compose(other)
    _assert_matches_snapshot(profile, _dump(_compose(profile)))


def test_aggregates_agree_with_the_plain_sums(example_package):
    """``derive.Aggregates`` (what composition now reads) gives the same sums as the plain functions, for
    every source and source group, and computes each only once."""
    from yusuan import derive
    from yusuan.model.sources import SOURCE_GROUPS, SOURCE_LABELS

    sums = derive.Aggregates(example_package)
    keys = [None, *SOURCE_LABELS, *SOURCE_GROUPS]
    nonzero = 0
    for sources in keys:
        for kind in (None, "basic", "project"):
            assert sums.total(sources, kind) == derive.total(example_package, sources, kind), (sources, kind)
            assert sums.by_function(sources, kind) == derive.by_function(example_package, sources, kind), (sources, kind)
            nonzero += sums.total(sources, kind) != 0
        assert sums.sangong(sources) == derive.sangong(example_package, sources), sources
        assert sums.by_economic(sources) == derive.by_economic(example_package, sources), sources
        assert sums.personnel_public(sources) == derive.personnel_public(example_package, sources), sources
    assert nonzero > 10  # the example really exercises the sums
    for project in example_package.projects:
        assert sums.project_by_economic(project.name) == derive.project_by_economic(example_package, project.name)
    assert sums.by_function("general_budget") is sums.by_function("general_budget")  # remembered, not recomputed
