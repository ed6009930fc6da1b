"""``yusuan synth score``: audit a synthetic corpus (or read the results of an audit) and measure the
audit against the truth written by ``yusuan synth make``.

Definitions (also in docs/synth.md):
- an injected error is **caught** when some fatal or warning finding of one of its ``expected_rules``
  lies near its location (same table or the row named, same section or the statement's subject; a
  left-out section or table is caught wherever its rule reports it);
- **recall** of a category = caught ÷ injected (per file: a document in two formats counts twice);
- a finding **matches** an error when its rule is among the error's expected or ``also_rules`` (correct
  consequences of the same change) and it lies near the location;
- **precision** = matching fatal+warning findings ÷ all fatal+warning findings, on documents with an
  error; ``precision_fatal`` the same for fatal findings only;
- **false fatal on clean documents** = fatal findings on documents without an injected error (every
  one is a false alarm: the facts are consistent by construction);
- **against the twins**: ``make`` also writes each error document without its error (``twins/``);
  ``against_twins`` repeats recall and precision counting only the findings the error added (those
  the clean twin lacks), so a rule that fires on the layout anyway neither "catches" the error nor
  dilutes precision;
- **narrative amounts read** = the composed narrative amounts of the clean documents that the audit
  read back under the same subject with the same amount, per phrasing family and profile (documents
  with an error are left out: a removed section or a retitled heading takes its amounts with it).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable

from yusuan.amounts import normalise_text
from yusuan.errors import InputError, InputProblem
from yusuan.synth.inject import CATEGORIES

SCORE = "score.json"
SCORE_SCHEMA = "yusuan.synth-score/1"
COUNTED = ("fatal", "warning")


def _norm(text: str | None) -> str:
    return "".join((text or "").split()).replace("\u3000", "")


def _ancestors(row_key: str | None) -> set[str]:
    if not row_key or not row_key.startswith("f:"):
        return {row_key} if row_key else set()
    code = row_key[2:]
    return {row_key, f"f:{code[:5]}", f"f:{code[:3]}"}


def near(finding: dict, error: dict) -> bool:
    """Whether ``finding`` (a report's finding dict) lies near the injected ``error``."""
    if error["category"] == "missing_section":
        return True
    loc = error.get("location") or {}
    where = finding.get("location") or {}
    message = _norm(finding.get("message"))
    subject = finding.get("subject") or ""
    if "table_title" in loc:
        title = _norm(loc["table_title"])
        if title and (title in _norm(where.get("table")) or title in message):
            return True
        if subject and subject in _ancestors(loc.get("row_key")) | {loc.get("table_kind")}:
            return True
        name = _norm(loc.get("row_name"))
        if error["category"] == "cross_table":
            if name and name in message:
                return True
            # the error moves the table's total row with the item (the table still adds up), so a finding on
            # the grand total or on that column's total (general:basic, expenditure:project) is its doing too
            column = loc.get("column")
            if subject == "total" or (column and subject.endswith(":" + column)):
                return True
        return False
    titles = [t for t in (_norm(loc.get("section")), _norm(loc.get("section_before"))) if t]
    section = _norm(where.get("section"))
    if section and any(t in section or section in t for t in titles):
        return True
    wanted = loc.get("subject")
    if wanted and subject and (subject == wanted or subject.startswith(wanted + ":") or wanted.startswith(subject + ":")):
        return True
    if loc.get("section_id") and subject == loc["section_id"]:
        return True
    return any(t in message for t in titles)


def _load_results(path: Path) -> dict[str, dict]:
    """Reports of a corpus audit by file name: a JSON report, a list of them (``audit --format json``
    on several files), a folder of ``*.json`` reports (``audit -o DIR --format json``), or the Parquet
    results folder of ``yusuan corpus audit`` (keyed by the path relative to the corpus folder)."""
    if path.is_dir() and ((path / "manifest.jsonl").exists() or (path / "documents").is_dir()):
        from yusuan.corpus.query import load_reports

        out = load_reports(path)
        if not out:
            raise InputError(str(path), [InputProblem(str(path), "Parquet 审查结果中没有任何文件")])
        return out
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    out: dict[str, dict] = {}
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(str(f), [InputProblem(str(f), f"无法读取审查结果：{exc}")]) from None
        reports = data if isinstance(data, list) else data.get("reports", [data]) if isinstance(data, dict) else []
        for r in reports:
            if isinstance(r, dict) and r.get("source"):
                out[Path(r["source"]).name] = r
    if not out:
        raise InputError(str(path), [InputProblem(str(path), "没有找到 yusuan audit 的 JSON 报告（应含 source 字段）")])
    return out


def _audit(path: Path) -> tuple[dict | None, list, str | None]:
    """(report dict, read statements, error message) for one file, as ``yusuan audit`` checks it."""
    from yusuan.commands.audit import audit_file
    from yusuan.rules import report as reports

    try:
        report = audit_file(path)
    except InputError as exc:
        return None, [], str(exc)
    read = report.disclosure.statements() if report.disclosure is not None else []
    return reports.to_dict(report), read, None


def _key(finding: dict, retitled: dict[str, str] | None = None) -> tuple:
    """A finding without the file it was found in: the same finding on the clean twin has the same key.
    ``retitled`` maps a section title the error changed back to the twin's."""
    where = {k: v for k, v in (finding.get("location") or {}).items() if k not in ("file", "bbox", "page", "cell", "paragraph")}  # paragraphs renumber when a section goes
    if retitled and where.get("section") in retitled:
        where["section"] = retitled[where["section"]]
    return (finding["rule"], finding.get("subject"), json.dumps(finding.get("stated")), json.dumps(finding.get("expected")),
            json.dumps(where, sort_keys=True, ensure_ascii=False))


def _amount(text) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def _example(name: str, doc: dict, finding: dict) -> dict:
    """A finding as score.json shows it for a reader to inspect: where it is, on which document."""
    return {"file": name, "department": doc.get("department"), "profile": doc.get("profile"),
            "variants": doc.get("variants"), "subject": finding.get("subject"),
            "location": {k: v for k, v in (finding.get("location") or {}).items() if k not in ("bbox",)},
            "message": (finding.get("message") or "")[:300]}


_INHERENT: dict[str, set] = {}


def _subject(subject: str | None) -> str:
    return normalise_text(subject or "")


def _aliases(package) -> dict[str, set[str]]:
    """Normalised names of one project or performance table → the other names the package gives it: a
    table printed under its own title (``title_name``) for a project of another name, a project that
    section 七 describes under another name (``described_name``). The document names such a thing as it
    prints it, ``yusuan check`` of the facts by the project's name: the same finding, another subject."""
    groups: list[set[str]] = []
    for t in package.performance:
        if t.title_name:
            groups.append({normalise_text(t.project), normalise_text(t.title_name)})
    for p in package.projects:
        if p.described_name:
            groups.append({normalise_text(p.name), normalise_text(p.described_name)})
    out: dict[str, set[str]] = defaultdict(set)
    for g in groups:
        for name in g:
            out[name] |= g
    return out


def inherent(doc: dict) -> set:
    """(rule, normalised subject) of the findings the document's source facts carry themselves: the bundled
    example is a real published package with real defects (weights adding to 90, a 离休费 without 离休
    staff …), so ``yusuan check`` of its facts, in the document's layout, finds them too. Such a finding is
    true, not a false alarm, and is left out of precision (counted apart). A finding on a project or a
    performance table is listed under each of its names (see ``_aliases``): the document's finding carries
    the printed name. Random departments are consistent by construction: nothing of theirs is inherent.
    Test a finding with ``is_inherent``."""
    if doc.get("department") != "example":
        return set()
    profile = doc.get("profile") or "xinjiang"
    if profile not in _INHERENT:
        from yusuan.rules.engine import check_package
        from yusuan.synth.facts import example_package

        package = example_package()
        report = check_package(package, profile=profile)
        aliases = _aliases(package)
        own = set()
        for f in report.findings:
            if f.severity not in COUNTED:
                continue
            subject = _subject(f.subject)
            own.add((f.rule, subject))
            # a project's name inside a compound subject (project:<name>:scale) is aliased the same way
            parts = subject.split(":")
            for i, part in enumerate(parts):
                for other in aliases.get(part, ()):
                    own.add((f.rule, ":".join(parts[:i] + [other] + parts[i + 1:])))
        _INHERENT[profile] = own
    return _INHERENT[profile]


def is_inherent(finding: dict, own: set) -> bool:
    """Whether a report's finding is one of ``own`` (``inherent``): same rule, same subject up to spacing."""
    return (finding["rule"], _subject(finding.get("subject"))) in own


def score_corpus(folder: Path, results: Path | None = None,
                 on_file: Callable[[str], None] | None = None) -> dict:
    from yusuan.synth.make import load_truth

    truth = load_truth(folder)
    folder = folder if folder.is_dir() else folder.parent
    given = _load_results(results) if results is not None else None
    per_category = {c: {"injected": 0, "caught": 0, "missed": []} for c in CATEGORIES}
    per_format: dict[str, Counter] = defaultdict(Counter)
    matched = counted = matched_fatal = counted_fatal = 0
    false_fatal = Counter()
    false_fatal_examples: dict[str, list] = defaultdict(list)
    clean_warnings = Counter()
    variant_docs, variant_false = Counter(), Counter()
    clean_files = clean_with_fatal = 0
    unmatched_on_error = Counter()
    unmatched_examples: dict[str, list] = defaultdict(list)  # what to look at when precision is short
    clean_warning_examples: dict[str, list] = defaultdict(list)
    inherent_count = Counter()  # findings of the source facts themselves, on documents with an error
    unreadable = []
    narrative = defaultdict(lambda: [0, 0])  # family → [read, total]
    narrative_profile = defaultdict(lambda: [0, 0])
    missed_subjects = Counter()
    variant_rules: dict[str, Counter] = defaultdict(Counter)
    clean_fatal_files: list[dict] = []
    clean_variant_sets: list[tuple[set, bool]] = []
    new_stats = {c: {"injected": 0, "caught": 0} for c in CATEGORIES}
    new_matched = new_counted = 0
    new_unmatched = Counter()
    for doc in truth["documents"]:
        for fmt, name in doc["files"].items():
            if on_file:
                on_file(name)
            read_statements = None
            if given is not None:
                report = given.get(name)
                if report is None:
                    unreadable.append({"file": name, "error": "审查结果中没有这个文件"})
                    continue
            else:
                report, read_statements, problem = _audit(folder / name)
                if report is None:
                    unreadable.append({"file": name, "error": problem})
                    continue
            findings = [f for f in report.get("findings", []) if f.get("severity") in COUNTED]
            fatal = [f for f in findings if f["severity"] == "fatal"]
            if doc["clean"]:
                clean_files += 1
                clean_with_fatal += bool(fatal)
                for v in doc["variants"] or ["(无变体)"]:
                    variant_docs[v] += 1
                    variant_false[v] += bool(fatal)
                    variant_rules[v].update(f["rule"] for f in fatal)
                clean_variant_sets.append((set(doc["variants"]), bool(fatal)))
                if fatal:
                    clean_fatal_files.append({"file": name, "profile": doc["profile"], "variants": doc["variants"],
                                              "rules": dict(Counter(f["rule"] for f in fatal).most_common())})
                for f in fatal:
                    false_fatal[f["rule"]] += 1
                    if len(false_fatal_examples[f["rule"]]) < 3:
                        false_fatal_examples[f["rule"]].append(
                            {"file": name, "profile": doc["profile"], "variants": doc["variants"],
                             "where": f.get("where", ""), "message": f["message"][:300]})
                own = inherent(doc)
                for f in findings:
                    if f["severity"] == "warning" and not is_inherent(f, own):
                        clean_warnings[f["rule"]] += 1
                        if len(clean_warning_examples[f["rule"]]) < 3:
                            clean_warning_examples[f["rule"]].append(_example(name, doc, f))
            for error in doc["errors"]:
                stats = per_category[error["category"]]
                stats["injected"] += 1
                per_format[fmt]["injected"] += 1
                caught = any(f["rule"] in error["expected_rules"] and near(f, error) for f in findings)
                stats["caught"] += caught
                per_format[fmt]["caught"] += caught
                if not caught and len(stats["missed"]) < 5:
                    stats["missed"].append({"file": name, "kind": error["kind"], "description": error["description"],
                                            "fatal_found": sorted({f["rule"] for f in fatal})[:8]})
            twin = (doc.get("twin_files") or {}).get(fmt) if given is None else None
            if doc["errors"] and twin:
                if on_file:
                    on_file(twin)
                twin_report, _, _ = _audit(folder / twin)
                if twin_report is not None:
                    before = Counter(_key(f) for f in twin_report.get("findings", []) if f.get("severity") in COUNTED)
                    new = []
                    retitled = {e["location"]["section"]: e["location"]["section_before"] for e in doc["errors"]
                                if (e.get("location") or {}).get("section_before")}
                    for f in findings:  # a finding the clean twin has too is not the error's doing
                        k = _key(f, retitled)
                        if before[k]:
                            before[k] -= 1
                        else:
                            new.append(f)
                    rules = {r for e in doc["errors"] for r in e["expected_rules"] + e.get("also_rules", [])}
                    for error in doc["errors"]:
                        new_stats[error["category"]]["injected"] += 1
                        new_stats[error["category"]]["caught"] += any(
                            f["rule"] in error["expected_rules"] and near(f, error) for f in new)
                    for f in new:
                        ok = f["rule"] in rules and any(near(f, e) for e in doc["errors"])
                        new_counted += 1
                        new_matched += ok
                        if not ok:
                            new_unmatched[f["rule"]] += 1
            if doc["errors"]:
                rules = {r for e in doc["errors"] for r in e["expected_rules"] + e.get("also_rules", [])}
                own = inherent(doc)
                for f in findings:
                    ok = f["rule"] in rules and any(near(f, e) for e in doc["errors"])
                    if not ok and is_inherent(f, own):
                        inherent_count[f["rule"]] += 1
                        continue
                    counted += 1
                    matched += ok
                    if f["severity"] == "fatal":
                        counted_fatal += 1
                        matched_fatal += ok
                    if not ok:
                        unmatched_on_error[f["rule"]] += 1
                        if len(unmatched_examples[f["rule"]]) < 3:
                            unmatched_examples[f["rule"]].append(
                                {**_example(name, doc, f), "errors": [e["kind"] for e in doc["errors"]]})
            if read_statements is not None and not doc["errors"]:  # an error may remove or retitle what it reads
                read = defaultdict(set)
                for st in read_statements:
                    if st.amount is not None:
                        read[st.subject].add(st.amount)
                for subject, amount, family in doc["statements"]:
                    family = family or "standard"
                    ok = _amount(amount) in read.get(subject, ())
                    for bucket in (narrative[family], narrative_profile[doc["profile"]]):
                        bucket[0] += ok
                        bucket[1] += 1
                    if not ok:
                        missed_subjects[re.sub(r"\d+", "N", subject.split(":")[0] + ":" + ":".join(
                            "…" if not re.fullmatch(r"[a-z_]+|\d+", x) else x for x in subject.split(":")[1:]))] += 1
    categories = {}
    for c, s in per_category.items():
        categories[c] = {"injected": s["injected"], "caught": s["caught"],
                         "recall": round(s["caught"] / s["injected"], 4) if s["injected"] else None, "missed": s["missed"]}
    injected = sum(s["injected"] for s in per_category.values())
    caught = sum(s["caught"] for s in per_category.values())
    read_total = sum(v[1] for v in narrative.values())
    result = {
        "schema": SCORE_SCHEMA, "corpus": {k: truth.get(k) for k in ("seed", "departments", "errors_rate", "formats", "variants")},
        "files": sum(len(d["files"]) for d in truth["documents"]), "unreadable": unreadable,
        "categories": categories,
        "total": {"injected": injected, "caught": caught, "recall": round(caught / injected, 4) if injected else None},
        "by_format": {f: {"injected": c["injected"], "caught": c["caught"],
                          "recall": round(c["caught"] / c["injected"], 4) if c["injected"] else None}
                      for f, c in sorted(per_format.items())},
        "precision": round(matched / counted, 4) if counted else None,
        "precision_findings": {"matching": matched, "fatal_and_warning": counted},
        "inherent_findings": {"count": sum(inherent_count.values()), "by_rule": dict(inherent_count.most_common(20))},
        "precision_fatal": round(matched_fatal / counted_fatal, 4) if counted_fatal else None,
        "precision_fatal_findings": {"matching": matched_fatal, "fatal": counted_fatal},
        "unmatched_on_error_documents": dict(unmatched_on_error.most_common(20)),
        "unmatched_examples": dict(unmatched_examples),
        "against_twins": {
            "categories": {c: {**v, "recall": round(v["caught"] / v["injected"], 4) if v["injected"] else None}
                           for c, v in new_stats.items()},
            "recall": (round(sum(v["caught"] for v in new_stats.values()) / sum(v["injected"] for v in new_stats.values()), 4)
                       if any(v["injected"] for v in new_stats.values()) else None),
            "precision": round(new_matched / new_counted, 4) if new_counted else None,
            "findings": {"matching": new_matched, "new": new_counted},
            "unmatched_new_by_rule": dict(new_unmatched.most_common(20)),
        } if any(v["injected"] for v in new_stats.values()) else None,
        "false_fatal_on_clean": sum(false_fatal.values()),
        "clean_files": clean_files, "clean_files_with_fatal": clean_with_fatal,
        "false_fatal_by_rule": dict(false_fatal.most_common()),
        "false_fatal_examples": dict(false_fatal_examples),
        "false_fatal_by_variant": {v: {
            "clean_files": variant_docs[v], "with_fatal": variant_false[v],
            "clean_files_without": sum(1 for vs, _ in clean_variant_sets if v not in vs),
            "without_with_fatal": sum(1 for vs, bad in clean_variant_sets if v not in vs and bad),
            "rules": dict(variant_rules[v].most_common(8))} for v in sorted(variant_docs)},
        "clean_files_with_fatal_detail": clean_fatal_files,
        "warnings_on_clean_by_rule": dict(clean_warnings.most_common(20)),
        "warnings_on_clean_examples": dict(clean_warning_examples),
        "narrative_amounts": {
            "read": sum(v[0] for v in narrative.values()), "total": read_total,
            "share": round(sum(v[0] for v in narrative.values()) / read_total, 4) if read_total else None,
            "by_phrasing": {f: {"read": v[0], "total": v[1], "share": round(v[0] / v[1], 4) if v[1] else None}
                            for f, v in sorted(narrative.items())},
            "by_profile": {f: {"read": v[0], "total": v[1], "share": round(v[0] / v[1], 4) if v[1] else None}
                           for f, v in sorted(narrative_profile.items())},
            "missed_subjects": dict(missed_subjects.most_common(20)),
        } if given is None else None,
    }
    return result


def write_score(result: dict, path: Path) -> None:
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
