"""The speed work on the rules (indexes cached per Context, …) must not change a single finding.

Findings of every rule on three fixed inputs are compared with snapshots recorded before that work
(scripts/snapshot_findings.py; re-run it only when findings are *meant* to change, and review the diff):
(a) the Changji example composed from its facts, (b) the reference text as read by ``yusuan.read``
(frozen into tests/data so that reader changes do not move it; the live read is compared too while
it still reads the same), (c) the synthetic disclosure of ``yusuan.rules.testing``, (d) four ``synth make`` documents (frozen too).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.conftest import CHANGJI_TEXT, EXAMPLE

ROOT = Path(__file__).resolve().parents[1]


def _load_script():
    spec = importlib.util.spec_from_file_location("snapshot_findings", ROOT / "scripts" / "snapshot_findings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


snap = _load_script()


def _expected(name: str) -> list[dict]:
    return json.loads(snap.snapshot_path(name).read_text(encoding="utf-8"))


def _assert_same(name: str, actual: list[dict]) -> None:
    expected = _expected(name)
    assert expected, f"snapshot {name} is empty: it would prove nothing"
    # Normalise through JSON exactly as the snapshot was written, then compare one by one for a readable diff.
    actual = json.loads(json.dumps(actual, ensure_ascii=False))
    missing = [f for f in expected if f not in actual]
    extra = [f for f in actual if f not in expected]
    assert not missing and not extra, f"{name}: {len(missing)} findings lost, {len(extra)} new: {missing[:3]} {extra[:3]}"
    assert actual == expected, f"{name}: same findings, different order"


@pytest.mark.skipif(not EXAMPLE.exists(), reason="示例包不存在")
def test_example_findings_unchanged():
    _assert_same("example", snap.findings_of(*snap.example_inputs()))


def test_synthetic_findings_unchanged():
    _assert_same("synthetic", snap.findings_of(*snap.synthetic_inputs()))


def test_reference_findings_unchanged():
    _assert_same("reference", snap.findings_of(snap.frozen_reference()))


def test_reference_as_read_now_unchanged():
    if not CHANGJI_TEXT.exists():
        pytest.skip(f"参考文件不存在：{CHANGJI_TEXT}")
    live = snap.read_reference()
    if live.model_dump() != snap.frozen_reference().model_dump():
        pytest.skip("读取器的结果已变化（与冻结的披露不同）；规则不变性由冻结的披露检验")
    _assert_same("reference", snap.findings_of(live))


def test_synth_make_findings_unchanged():
    """Four ``synth make`` documents (both regions, several layout variants, one injected error each), frozen
    as composed: their findings, document by document, are those recorded before the speed work."""
    records = snap.synth_findings()
    assert {r["document"] for r in records} == set(snap.SYNTH_DOCUMENTS)
    _assert_same("synth_make", records)


def test_a_changed_figure_is_caught():
    """The comparison can fail: one changed cell in the synthetic disclosure changes the findings."""
    from decimal import Decimal

    from yusuan.rules.testing import build_disclosure, set_value

    changed = set_value(build_disclosure(), "income", "total", "total", delta=Decimal("1"))
    assert json.loads(json.dumps(snap.findings_of(changed), ensure_ascii=False)) != _expected("synthetic")


def test_fast_normalisation_equals_normalise_text():
    """paragraph_text.normalised (the fast path) gives exactly yusuan.amounts.normalise_text, on the texts of the
    snapshots and on random text mixing full-width forms, combining marks, spaces and CJK."""
    import random

    from yusuan.amounts import normalise_text
    from yusuan.rules.paragraph_text import normalised

    texts = [p.text for d in (snap.frozen_reference(), snap.synthetic_inputs()[0]) for s in d.sections for p in s.paragraphs]
    alphabet = ([chr(c) for c in range(0xFF00, 0xFFF0)] + [chr(c) for c in range(0x2000, 0x2070)] + list("\u3000\u00a0\t\n \u0301\u0308\u3002、，“”（）")
                + [chr(c) for c in range(0x20, 0x7F)] + list("自然资源局万元增长％") + [chr(c) for c in range(0x3300, 0x3320)])
    rng = random.Random(7)
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    assert len(texts) > 3000
    for t in texts:
        assert normalised(t) == normalise_text(t), repr(t)


def test_decimal_places_shortcut_equals_exponent_test():
    """TAB.PRECISION's shortcut gives exactly ``value.as_tuple().exponent < -2``, trailing zeros included."""
    import random
    from decimal import Decimal

    from yusuan.rules.tables_cells import _more_than_two_places

    rng = random.Random(5)
    values = [Decimal(t) for t in ("0", "0.0", "0.00", "0.000", "1E+2", "-3.125", "12.300", "12.30", "0.001")]
    values += [Decimal(rng.randint(-10**6, 10**6)).scaleb(-rng.randint(-3, 6)) for _ in range(5000)]
    assert sum(_more_than_two_places(v) for v in values) > 1000
    assert all(_more_than_two_places(v) == (v.as_tuple().exponent < -2) for v in values)


def test_joined_text_scans_find_the_same_paragraphs():
    """The hygiene rules narrow their per-paragraph scans by one scan of the joined text: on random
    paragraphs they must pick exactly the paragraphs a scan of each would (or all, for the hints)."""
    import random

    from yusuan.disclosure import Disclosure, Paragraph, Section
    from yusuan.rules import hygiene, paragraph_text
    from yusuan.rules.registry import Context

    rng = random.Random(13)
    tokens = list("0123456789年比较与同元万%,.; 　\n国家２") + ["2023", "2022年", "预算数", "部门预算", "财政拨款", "万元"]
    paras = [Paragraph(text="".join(rng.choice(tokens) for _ in range(rng.randint(0, 20)))) for _ in range(3000)]
    ctx = Context(disclosure=Disclosure(unit_name="x", profile="x", title="x",
                                        sections=[Section(id="s", part=3, title="s", paragraphs=paras)]))
    for pattern in (hygiene.CURRENT_YEAR, hygiene.COMPARE_YEAR, hygiene.HALFWIDTH_STOP):
        expected = [para for para in paras if pattern.search(para.text)]
        assert expected, pattern.pattern
        assert [para for _, _, para in paragraph_text.paragraphs_matching(ctx, pattern)] == expected
    for hint, pattern in ((hygiene.STRAY_SPACE_HINT, hygiene.STRAY_SPACE),):
        assert all(hint.search(para.text) for para in paras if pattern.search(para.text))


def test_money_pattern_with_lookbehind_after_first_digit_matches_the_same():
    """narrative_coverage._MONEY puts its look-behind after the first digit (so the regex engine can skip to
    digits); on the snapshots' texts and on random text of digits, points, commas, units and full-width
    digits it finds exactly what the look-behind-first form finds."""
    import random
    import re

    from yusuan.rules import narrative_coverage

    plain = re.compile(narrative_coverage._MONEY_LOOKBEHIND_FIRST)
    fast = narrative_coverage._MONEY
    texts = [p.text for d in (snap.frozen_reference(), snap.synthetic_inputs()[0]) for s in d.sections for p in s.paragraphs]
    rng = random.Random(11)
    alphabet = list("0123456789.,，元万亿 　年为约") + ["２", "３", "．", "万元", "亿元"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(5000)]

    def found(pattern, text):
        return [(m.span(), m.groups()) for m in pattern.finditer(text)]

    assert sum(bool(found(plain, t)) for t in texts) > 1000
    for t in texts:
        assert found(fast, t) == found(plain, t), repr(t)


def test_normalise_text_cache_gives_the_uncached_result():
    """``amounts.normalise_text`` is cached; the cached answers equal a fresh computation."""
    import re
    import unicodedata

    from yusuan.amounts import normalise_text

    texts = ["自然资源局 ２０２３年", "（一）  一般公共服务支出", "\u3000A\u00a0B\tC", "《项目》"] * 3
    for t in texts:
        assert normalise_text(t) == re.sub(r"\s+", "", unicodedata.normalize("NFKC", t))


@pytest.mark.parametrize("module, name, plain", [
    ("facts", "_PERIOD_YEAR", r"(?<!\d)((?:19|20)\d{2})(?=\s*(?:年|[.\-/／—–~～至到]))"),
    ("facts", "_ANY_YEAR", r"(?<!\d)((?:19|20)\d{2})\s*年"),
    ("wording", "_PERIOD_YEAR", r"(?<!\d)((?:19|20)\d{2})(?=\s*(?:年|[.\-/／—–~～至到]))"),
    ("wording", "_ANY_YEAR", r"(?<![\d〔\[（(])((?:19|20)\d{2})\s*年"),
])
def test_year_patterns_with_lookbehind_after_the_first_digits_match_the_same(module, name, plain):
    """The year patterns put their look-behind after the year's first two digits (so the regex engine skips
    to a 1 or 2): on the snapshots' texts and on random digits, 年, brackets and separators they find
    exactly what the plain look-behind-first form finds."""
    import importlib
    import random
    import re

    fast = getattr(importlib.import_module(f"yusuan.rules.{module}"), name)
    plain_re = re.compile(plain)
    texts = [p.text for d in (snap.frozen_reference(), snap.synthetic_inputs()[0]) for s in d.sections for p in s.paragraphs]
    rng = random.Random(5)
    alphabet = list("0123456789年 　.-/至到〔[（(）") + ["19", "20", "2023", "１９"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(5000)]

    def found(pattern, text):
        return [(m.span(), m.groups()) for m in pattern.finditer(text)]

    assert sum(bool(found(plain_re, t)) for t in texts) > 50
    for t in texts:
        assert found(fast, t) == found(plain_re, t), repr(t)


def test_numbering_stripped_by_one_match_equals_sub():
    """``tables_common.strip_numbering`` (one anchored match) gives exactly ``pattern.sub("", text)`` for the
    two row-numbering patterns, on row names of the snapshots and on random numbering-like text."""
    import random

    from yusuan.rules import tables_common, tables_statements

    names = [r.name for d in (snap.frozen_reference(), snap.synthetic_inputs()[0]) for t in d.tables for r in t.rows]
    rng = random.Random(3)
    alphabet = list("一二三四五六七八九十0123456789、.．（()） 　\t其中：支出") + ["一、", "（一）", "1.", "(2)"]
    names += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    for pattern in (tables_common._NUMBERING, tables_statements._NUMBERING):
        assert sum(bool(pattern.match(n)) for n in names) > 500
        for n in names:
            assert tables_common.strip_numbering(pattern, n) == pattern.sub("", n), repr(n)
