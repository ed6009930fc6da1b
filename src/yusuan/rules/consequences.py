"""One mistake, one finding: on a disclosure composed from facts, a facts finding (F.*) absorbs the findings
of the disclosure rules that only restate it.

Composition is exact, so when a project's allocation lines miss its funding (F.PROJECT.ALLOCATION) the
composed text repeats the gap (N.PROJECT.ALLOCATION); a project's economic lines that miss its funding
(F.PROJECT.ECONOMIC) break table 7's row identity at the project, its 款, its 类 and the total
(T7.ROW.ECONOMIC); basic spending by function that is not the one by economic class
(F.BASIC.FUNCTION_ECONOMIC) makes tables 5 and 6 disagree (X.T5T6.BASIC, N.SPLIT.PERSONNEL_PUBLIC). The
facts finding says where the figure was entered; the others are dropped and counted in its ``inputs``
(“连带发现”), so the report still says what the mistake does to the print. A published document being
audited has no facts: nothing is folded there.
"""

from __future__ import annotations

from collections import Counter

from yusuan.findings import Finding

# facts rule → (disclosure rule it explains, how their subjects match: "same" subject or "any")
CONSEQUENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "F.PROJECT.ALLOCATION": (("N.PROJECT.ALLOCATION", "same"),),
    "F.PROJECT.ECONOMIC": (("T7.ROW.ECONOMIC", "any"),),
    "F.BASIC.FUNCTION_ECONOMIC": (("X.T5T6.BASIC", "any"), ("N.SPLIT.PERSONNEL_PUBLIC", "any")),
}


def _aliases(package, subject: str | None) -> set[str | None]:
    """``subject`` and the same subject under the project's other name (the text may use ``described_name``)."""
    out = {subject}
    if package is not None and subject and subject.startswith("project:"):
        for p in package.projects:
            if p.described_name and subject.startswith(f"project:{p.name}:"):
                out.add(subject.replace(f"project:{p.name}:", f"project:{p.described_name}:", 1))
    return out


def fold(findings: list[Finding], package=None, composed: bool = True) -> list[Finding]:
    """``findings`` of a check of ``package`` with the restatements of its facts findings folded into them (only for
    a disclosure composed from that package; with no package nothing is folded)."""
    if package is None or not composed:
        return findings
    causes = [(f, _aliases(package, f.subject)) for f in findings if f.rule in CONSEQUENCES]
    if not causes:
        return findings
    absorbed: dict[int, Counter] = {}
    dropped: set[int] = set()
    for i, f in enumerate(findings):
        for cause, subjects in causes:
            if any(f.rule == rule and (how == "any" or f.subject in subjects) for rule, how in CONSEQUENCES[cause.rule]):
                dropped.add(i)
                absorbed.setdefault(id(cause), Counter())[f.rule] += 1
                break
    out = []
    for i, f in enumerate(findings):
        if i in dropped:
            continue
        counts = absorbed.get(id(f))
        if counts:
            note = "、".join(f"{rule}×{n}" if n > 1 else rule for rule, n in sorted(counts.items()))
            message = f"{f.message.rstrip('。')}（由此公开文本中另有 {sum(counts.values())} 处不一致：{note}，不再单列）。"
            f = f.model_copy(update={"message": message, "inputs": {**f.inputs, "连带发现": note}})
        out.append(f)
    return out
