"""docs/rules.md is generated from the rule registry (scripts/gen_rules_doc.py) and must match it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_rules_doc", ROOT / "scripts" / "gen_rules_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_rules_doc_is_up_to_date():
    gen = _generator()
    assert gen.OUTPUT.exists(), "docs/rules.md is missing: run .venv/bin/python scripts/gen_rules_doc.py"
    assert gen.OUTPUT.read_text(encoding="utf-8") == gen.render(), \
        "docs/rules.md is out of date with the registry: run .venv/bin/python scripts/gen_rules_doc.py"


def test_rules_doc_lists_every_rule_once_with_its_docstring():
    from yusuan.rules import load_all

    text = _generator().render()
    for r in load_all().values():
        assert text.count(f"### `{r.id}` ") == 1, r.id
        first_line = r.description.splitlines()[0].strip() if r.description else "（无说明）"
        assert first_line in text, r.id
        assert f"| `{r.id}` |" in text, r.id
