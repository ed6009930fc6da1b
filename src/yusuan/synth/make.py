"""``yusuan synth make``: write a synthetic corpus of disclosures and its ground truth (truth.json).

Document 1 is the bundled example; the others are random departments (``yusuan.synth.facts``). Each
document takes a region profile, random layout variants (``--variants all``) and a random set of
narrative phrasing families; with probability ``errors`` it gets one injected error
(``yusuan.synth.inject``) before it is rendered. Everything is drawn from ``random.Random`` seeded
with the corpus seed and the document number, so the same seed writes the same truth (and document
*n* does not depend on how many documents are made).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from yusuan.errors import InputError, InputProblem
from yusuan.rules.report import plain

TRUTH = "truth.json"
TWINS = "twins"  # the error documents without their error
TRUTH_SCHEMA = "yusuan.synth-truth/1"
PROFILES = ("xinjiang", "shanghai")
FORMATS = ("docx", "xlsx", "pdf")


def _problem(where: str, message: str) -> InputError:
    return InputError(where, [InputProblem(where, message)])


def parse_years(text: str | None) -> list[int] | None:
    """'2023', '2022,2024' or '2022-2024' → the years; None for the default (the catalogue's year)."""
    if text is None or not text.strip():
        return None
    years: list[int] = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d{4})\s*[-~至]\s*(\d{4})", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > b:
                raise _problem("--years", f"年度范围“{part}”的起始年份大于结束年份")
            years.extend(range(a, b + 1))
        elif re.fullmatch(r"\d{4}", part):
            years.append(int(part))
        else:
            raise _problem("--years", f"无法识别的年度“{part}”（应为 2023、2022,2024 或 2022-2024）")
    if any(y < 2000 or y > 2100 for y in years):
        raise _problem("--years", "预算年度应在 2000 至 2100 之间")
    return sorted(set(years))


def parse_formats(text: str) -> list[str]:
    wanted = [f.strip().lower() for f in text.replace("，", ",").split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if not wanted or unknown:
        raise _problem("--formats", f"不支持的格式“{'、'.join(unknown) or text}”（可用：{', '.join(FORMATS)}）")
    return list(dict.fromkeys(wanted))


def document_plan(seed: int, index: int, years: list[int] | None, variants: str, rate: float,
                  profiles: tuple[str, ...] = PROFILES) -> dict:
    """What document ``index`` (1-based) will be: drawn from its own generator."""
    from yusuan.compose.phrasing import PHRASINGS
    from yusuan.profiles import load_profile
    from yusuan.profiles.variants import random_variants

    rng = random.Random(f"yusuan-synth:{seed}:{index}")
    profile = rng.choice(profiles)
    chosen = random_variants(load_profile(profile), rng) if variants == "all" else []
    families = sorted(rng.sample(PHRASINGS, rng.randint(1, len(PHRASINGS))), key=PHRASINGS.index)
    return {
        "rng": rng, "profile": profile, "variants": chosen, "phrasings": families,
        "phrasing_seed": rng.randint(0, 10_000), "year": rng.choice(years) if years else None,
        "error": rng.random() < rate,
    }


def build_document(seed: int, index: int, years: list[int] | None, variants: str, rate: float, rules=None,
                   categories: list[str] | None = None, profiles: tuple[str, ...] = PROFILES):
    """Compose document ``index``: (disclosure, truth record without file names)."""
    from yusuan.compose import compose
    from yusuan.profiles import load_profile
    from yusuan.profiles.variants import apply_variants
    from yusuan.synth.facts import example_package, random_package
    from yusuan.synth.inject import inject

    plan = document_plan(seed, index, years, variants, rate, profiles)
    rng = plan["rng"]
    base = load_profile(plan["profile"])
    package = example_package() if index == 1 else None
    if package is not None:
        origin = "example"
    else:
        year = plan["year"] or 2023
        package = random_package(rng, year, plan["profile"], base.performance.weight_total)
        origin = "random"
    profile = apply_variants(base, plan["variants"])
    profile = profile.model_copy(update={"wording": profile.wording.model_copy(
        update={"phrasings": plan["phrasings"], "phrasing_seed": plan["phrasing_seed"]})})
    disclosure = compose(package, profile)
    statements = [[st.subject, format(st.amount, "f"), st.phrasing]
                  for s in disclosure.sections for st in s.statements() if st.amount is not None]
    errors = []
    if plan["error"]:
        # the given categories in turn (by document number), else a random one
        wanted = categories[(index - 1) % len(categories)] if categories else None
        record = inject(disclosure, rng, wanted, rules=rules)
        if record is not None:
            errors.append(record)
    truth = {
        "unit": package.unit.name, "budget_year": package.unit.budget_year, "department": origin,
        "profile": plan["profile"], "variants": plan["variants"], "phrasings": plan["phrasings"],
        "phrasing_seed": plan["phrasing_seed"], "clean": not errors, "errors": plain(errors),
        "statements": statements,
    }
    return disclosure, truth


def make_corpus(out: Path, departments: int = 10, years: Iterable[int] | None = None, errors: float = 0.3,
                seed: int = 1, formats: Iterable[str] = ("docx",), variants: str = "all",
                on_document: Callable[[int, dict], None] | None = None,
                categories: Iterable[str] | None = None, profiles: Iterable[str] | None = None,
                twins: bool = True) -> dict:
    """Write ``departments`` documents in each format and ``truth.json`` into ``out``; return the truth."""
    from yusuan.render import file_stem, render
    from yusuan.synth.inject import Rules

    if departments < 1:
        raise _problem("--departments", "部门数应至少为 1")
    if not 0 <= errors <= 1:
        raise _problem("--errors", f"错误比例应在 0 与 1 之间，实际为 {errors}")
    if variants not in ("all", "none"):
        raise _problem("--variants", f"--variants 应为 all 或 none，实际为 {variants!r}")
    formats = list(formats)
    categories = list(categories) if categories else None
    profiles = tuple(profiles) if profiles else PROFILES
    if any(p not in PROFILES for p in profiles):
        raise _problem("--profiles", f"合成语料只能用可生成的地区版式：{', '.join(PROFILES)}")
    if categories:
        from yusuan.synth.inject import CATEGORIES

        unknown = [c for c in categories if c not in CATEGORIES]
        if unknown:
            raise _problem("--categories", f"没有名为“{'、'.join(unknown)}”的错误类别（可用：{', '.join(CATEGORIES)}）")
    years = sorted(set(years)) if years else None
    out.mkdir(parents=True, exist_ok=True)
    rules = Rules()
    documents = []
    for index in range(1, departments + 1):
        disclosure, truth = build_document(seed, index, years, variants, errors, rules, categories, profiles)
        ident = f"d{index:03d}"
        stem = f"{ident}_{file_stem(disclosure)}"
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            written = render(disclosure, Path(tmp), formats)
            files = {}
            for fmt, path in written.items():
                target = out / f"{stem}.{fmt}"
                shutil.move(str(path), target)
                files[fmt] = target.name
        record = {"id": ident, "file": files[formats[0]], "files": files, **truth}
        if twins and not truth["clean"]:
            # the same document without its error: score tells the findings the error added
            twin, _ = build_document(seed, index, years, variants, 0.0, rules, categories, profiles)
            (out / TWINS).mkdir(exist_ok=True)
            with tempfile.TemporaryDirectory(dir=out) as tmp:
                record["twin_files"] = {}
                for fmt, path in render(twin, Path(tmp), formats).items():
                    target = out / TWINS / f"{stem}.{fmt}"
                    shutil.move(str(path), target)
                    record["twin_files"][fmt] = f"{TWINS}/{target.name}"
        documents.append(record)
        if on_document:
            on_document(index, documents[-1])
    result = {
        "schema": TRUTH_SCHEMA, "seed": seed, "departments": departments, "errors_rate": errors,
        "formats": formats, "variants": variants, "years": years, "categories": categories, "profiles": list(profiles), "documents": documents,
    }
    (out / TRUTH).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return result


def load_truth(folder: Path) -> dict:
    path = folder / TRUTH if folder.is_dir() else folder
    if not path.exists():
        raise _problem(str(path), f"找不到 {TRUTH}（请先运行 yusuan synth make -o 文件夹）")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise _problem(str(path), f"无法读取真值文件：{exc}") from None
    if data.get("schema") != TRUTH_SCHEMA or not isinstance(data.get("documents"), list):
        raise _problem(str(path), f"不是 yusuan synth make 写出的真值文件（schema 应为 {TRUTH_SCHEMA}）")
    return data
