"""Every rule in the registry is exercised by a test that names it.

A rule family generated per table (``T3.HIER.KUAN`` … from one function) counts as named when a test builds
its ids from the same pattern (``f"{tid}.HIER.KUAN"``). The check is on names only: that the named test
fails on the bad form and passes on the good one is each test file's business (see tests/test_rules_*.py).
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
TABLE_PREFIX = re.compile(r"^(T\d+|TF)\.")


def _test_text() -> str:
    files = [p for p in TESTS.rglob("*") if p.suffix in (".py", ".json", ".yaml") and p.name != Path(__file__).name]
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


def _named(rule_id: str, text: str) -> bool:
    if re.search(rf"(?<![\w.]){re.escape(rule_id)}(?![\w.])", text):
        return True
    # a per-table family: the id with its table prefix replaced by a format field
    return bool(TABLE_PREFIX.match(rule_id)) and re.search(
        r"\{\w+\}\." + re.escape(TABLE_PREFIX.sub("", rule_id)) + r"(?![\w.])", text) is not None


def test_the_name_check_can_fail():
    assert _named("T3.HIER.KUAN", 'x = f"{tid}.HIER.KUAN"')
    assert not _named("T3.HIER.KUAN", 'x = "T3.HIER.KUANX"')
    assert not _named("K.TABLE.PRESENT.UNCHECKED", 'rule = "K.TABLE.PRESENT"')


def test_every_registered_rule_is_named_by_a_test():
    from yusuan.rules import load_all

    text = _test_text()
    rules = load_all()
    assert len(rules) > 200
    missing = sorted(r for r in rules if not _named(r, text))
    assert not missing, f"rules no test names: {missing}"
