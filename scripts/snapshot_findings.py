"""Record the findings of every rule on fixed inputs, so that speed work on the rules can be
checked to change nothing (tests/test_rules_speed_invariance.py compares against these files).

    .venv/bin/python scripts/snapshot_findings.py          # (re)write tests/data/findings_snapshot_*.json

Inputs: (a) the Changji example composed from its facts, (b) the reference text as read by
``yusuan.read`` — frozen into tests/data/disclosure_reference_read.json, so that later reader changes
do not move this snapshot — (c) the synthetic disclosure of ``yusuan.rules.testing`` and (d) four
``synth make`` documents, frozen as composed into tests/data/disclosures_synth_make.json.gz (``--synth``
re-freezes them).
Re-run it only when a rule's findings are meant to change, and review the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLE = ROOT / "examples" / "changji-natural-resources-2023"
REFERENCE_TEXT = ROOT.parent / "shared" / "reference" / "changji-natural-resources-2023-budget.txt"
FROZEN_READ = DATA / "disclosure_reference_read.json"
# ``synth make`` documents (seed 7; each with one injected error, all layout variants drawn), frozen as composed
# so that composer changes do not move their snapshot: two Xinjiang layouts (one in 元), two Shanghai ones.
SYNTH_DOCUMENTS = (3, 5, 7, 10)
FROZEN_SYNTH = DATA / "disclosures_synth_make.json.gz"


def finding_record(f) -> dict:
    """The fields that must not move (plus the location, which pins *which* cell a finding is about)."""
    def text(v):
        return None if v is None else str(v)

    return {"rule": f.rule, "severity": f.severity, "subject": f.subject, "stated": text(f.stated),
            "expected": text(f.expected), "message": f.message,
            "location": f.location.model_dump(mode="json", exclude_none=True) if f.location else None}


def findings_of(disclosure, package=None) -> list[dict]:
    from yusuan.rules.engine import check_disclosure

    return [finding_record(f) for f in check_disclosure(disclosure, package=package).findings]


def example_inputs():
    from yusuan.compose import compose
    from yusuan.load import load_package

    package = load_package(EXAMPLE)
    return compose(package), package


def synthetic_inputs():
    from yusuan.rules.testing import build_disclosure

    return build_disclosure(), None


def read_reference():
    from yusuan.read import read_file

    return read_file(REFERENCE_TEXT).disclosure


def frozen_reference():
    from yusuan.disclosure import Disclosure

    return Disclosure.model_validate_json(FROZEN_READ.read_text(encoding="utf-8"))


def make_synth_documents():
    from yusuan.synth.make import build_document

    return [build_document(7, index, None, "all", 1.0)[0] for index in SYNTH_DOCUMENTS]


def frozen_synth_documents():
    import gzip

    from yusuan.disclosure import Disclosure

    return [Disclosure.model_validate_json(line) for line in gzip.decompress(FROZEN_SYNTH.read_bytes()).decode("utf-8").splitlines()]


def synth_findings() -> list[dict]:
    """The findings of the frozen documents, each record marked with its document number."""
    return [{"document": index, **record} for index, d in zip(SYNTH_DOCUMENTS, frozen_synth_documents())
            for record in findings_of(d)]


def snapshot_path(name: str) -> Path:
    return DATA / f"findings_snapshot_{name}.json"


def write(name: str, records: list[dict]) -> None:
    snapshot_path(name).write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{snapshot_path(name).relative_to(ROOT)}: {len(records)} findings")


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    write("example", findings_of(*example_inputs()))
    write("synthetic", findings_of(*synthetic_inputs()))
    if not FROZEN_SYNTH.exists() or "--synth" in sys.argv:  # re-freeze only when asked: the composer moves them
        import gzip

        lines = "\n".join(d.model_dump_json(exclude_defaults=True) for d in make_synth_documents())
        FROZEN_SYNTH.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))
    write("synth_make", synth_findings())
    if REFERENCE_TEXT.exists():
        disclosure = read_reference()
        FROZEN_READ.write_text(disclosure.model_dump_json(exclude_defaults=True) + "\n", encoding="utf-8")
        write("reference", findings_of(frozen_reference()))
    else:
        print(f"reference text not found ({REFERENCE_TEXT}); reference snapshot left as it is", file=sys.stderr)


if __name__ == "__main__":
    main()
