"""The compiled rule modules (``yusuan.rules._compiled``, ``scripts/build_accel.py``): loaded only when current,
and giving exactly the findings of the pure Python rules.

The finder's choices are tested on manifests made here (no build needed); loading a compiled module, and
comparing compiled findings with pure ones, needs a build (``make accel``) and is skipped without one. Every
import of rule modules runs in a subprocess, so that this test process keeps the modules it has.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.machinery import ExtensionFileLoader
from pathlib import Path

import pytest

from yusuan.rules import _compiled

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
RULES = SRC / "yusuan" / "rules"


def _run(code: str, **env: str | None) -> str:
    """Run ``code`` in a fresh interpreter on this checkout's sources; its stdout."""
    environ = {k: v for k, v in os.environ.items() if k not in ("YUSUAN_PURE", "YUSUAN_ACCEL_DIR")}
    environ["PYTHONPATH"] = str(SRC)
    environ.update({k: v for k, v in env.items() if v is not None})
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environ, cwd=ROOT,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _fake_build(base: Path, module: str, sha256: str) -> Path:
    """A build directory whose manifest names a (not loadable) file for ``module``."""
    directory = base / _compiled.tag()
    directory.mkdir(parents=True)
    file = f"{module}.{sha256[:12]}.so"
    (directory / file).write_bytes(b"not a shared object")
    (directory / _compiled.MANIFEST).write_text(json.dumps({module: {"sha256": sha256, "file": file}}))
    return directory


def _origin_of(module: str, **env: str | None) -> str:
    return _run(f"import importlib; print(importlib.import_module('yusuan.rules.{module}').__spec__.origin)",
                **env).strip()


def test_a_current_module_is_found_compiled(tmp_path):
    digest = _compiled.source_sha256(str(RULES / "labels.py"))
    directory = _fake_build(tmp_path, "labels", digest)
    finder = _compiled.CompiledRules(str(directory), _compiled.read_manifest(str(directory)))
    spec = finder.find_spec("yusuan.rules.labels")
    assert spec is not None and isinstance(spec.loader, ExtensionFileLoader)
    assert spec.origin == str(directory / f"labels.{digest[:12]}.so")
    # other names, excluded modules and submodule-like names are left to the ordinary finders
    for name in ("yusuan.rules.cross", "yusuan.labels", "yusuan.rules.labels.x", "yusuan.rules.report"):
        assert finder.find_spec(name) is None, name


def test_a_changed_source_is_pure(tmp_path):
    directory = _fake_build(tmp_path, "labels", "0" * 64)
    finder = _compiled.CompiledRules(str(directory), _compiled.read_manifest(str(directory)))
    assert finder.find_spec("yusuan.rules.labels") is None
    assert finder.stale == {"labels"}
    # … and importing it runs the source, not the (stale) file
    assert _origin_of("labels", YUSUAN_ACCEL_DIR=str(tmp_path)) == str(RULES / "labels.py")


def test_a_missing_file_is_pure(tmp_path):
    directory = _fake_build(tmp_path, "labels", _compiled.source_sha256(str(RULES / "labels.py")))
    for so in directory.glob("*.so"):
        so.unlink()
    finder = _compiled.CompiledRules(str(directory), _compiled.read_manifest(str(directory)))
    assert finder.find_spec("yusuan.rules.labels") is None


def test_yusuan_pure_disables_the_finder(tmp_path):
    # the manifest is current: without YUSUAN_PURE the (fake) file would be loaded and the import would fail
    _fake_build(tmp_path, "labels", _compiled.source_sha256(str(RULES / "labels.py")))
    assert _origin_of("labels", YUSUAN_ACCEL_DIR=str(tmp_path), YUSUAN_PURE="1") == str(RULES / "labels.py")
    out = _run("from yusuan.rules import _compiled; print(_compiled._finder is None, _compiled.describe())",
               YUSUAN_ACCEL_DIR=str(tmp_path), YUSUAN_PURE="1")
    assert out.strip().split(" ", 1) == ["True", "规则模块：纯 Python（YUSUAN_PURE=1）"]


def test_a_missing_build_directory_is_pure(tmp_path):
    missing = tmp_path / "no-such-dir"
    assert _origin_of("labels", YUSUAN_ACCEL_DIR=str(missing)) == str(RULES / "labels.py")
    out = _run("from yusuan.rules import _compiled; print(_compiled._finder is None, _compiled.describe())",
               YUSUAN_ACCEL_DIR=str(missing))
    assert out.strip().split(" ", 1) == ["True", "规则模块：纯 Python（未编译；make accel 可编译）"]


def test_an_installed_package_without_a_build_is_pure(tmp_path, monkeypatch):
    monkeypatch.delenv("YUSUAN_ACCEL_DIR", raising=False)
    monkeypatch.setattr(_compiled, "SOURCE_DIR", str(tmp_path / "site-packages" / "yusuan" / "rules"))
    assert _compiled.accel_dir() is None
    monkeypatch.setattr(_compiled, "SOURCE_DIR", str(RULES))
    assert _compiled.accel_dir() == str(ROOT / "build" / "accel")


# --- with a build ------------------------------------------------------------------------------------------

def _build() -> tuple[Path, set[str]]:
    """The build directory and the modules it holds current builds of; skips the test without any."""
    base = Path(os.environ.get("YUSUAN_ACCEL_DIR") or ROOT / "build" / "accel") / _compiled.tag()
    manifest = _compiled.read_manifest(str(base))
    finder = _compiled.CompiledRules(str(base), manifest)
    current = {name for name in manifest if finder.current(name)}
    if not current:
        pytest.skip(f"规则模块未编译（或编译已过期）：{base}；make accel 可编译")
    return base, current


def test_a_compiled_module_is_loaded():
    base, current = _build()
    out = _run("import json, sys\n"
               "from yusuan.rules import load_all, _compiled\n"
               "load_all()\n"
               "mods = {n[13:]: m.__spec__.origin for n, m in sys.modules.items() if n.startswith('yusuan.rules.')}\n"
               "print(json.dumps({'origins': mods, 'describe': _compiled.describe()}))")
    result = json.loads(out)
    compiled = {n for n, origin in result["origins"].items() if origin.startswith(str(base))}
    # every current build that was imported is the one loaded, and nothing else is
    assert compiled == current & set(result["origins"]), result
    assert not compiled & _compiled.EXCLUDED
    # describe() counts the current builds, imported or not (load_all leaves out a few modules)
    assert result["describe"].startswith(f"规则模块：已编译 {len(current)}/{len(_compiled.rule_modules())}（Cython）")


_FINDINGS = """
import json
from yusuan.rules import load_all, _compiled
from yusuan.rules.engine import check_disclosure
from yusuan.rules.testing import build_disclosure, build_package
from yusuan.compose import compose
from yusuan.load import load_package

rules = load_all()
package = load_package("examples/changji-natural-resources-2023")
inputs = {"example": (compose(package), package), "testing": (build_disclosure(), None),
          "testing+facts": (build_disclosure(), build_package())}
out = {name: [f.model_dump(mode="json") for f in check_disclosure(d, package=p).findings]
       for name, (d, p) in inputs.items()}
out["rules"] = {r.id: [r.title, r.severity, r.category, list(r.reads), r.needs_facts, r.description,
                       r.func.__name__, r.func.__qualname__, r.func.__module__] for r in rules.values()}
import inspect, sys
docs = {}
for name, module in sorted(sys.modules.items()):
    if name.startswith("yusuan.rules."):
        docs[name] = {"": module.__doc__}
        for attr, value in vars(module).items():
            if getattr(value, "__module__", None) == name and (inspect.isclass(value) or callable(value)):
                docs[name][attr] = value.__doc__
                for method, member in vars(value).items() if inspect.isclass(value) else ():
                    if callable(member) or isinstance(member, property):  # not 3.13's __firstlineno__ etc.
                        docs[name][f"{attr}.{method}"] = member.__doc__
out["docs"] = docs
out["describe"] = _compiled.describe()
print(json.dumps(out, ensure_ascii=False))
"""


def test_compiled_findings_are_the_pure_findings():
    _build()
    compiled = json.loads(_run(_FINDINGS))
    pure = json.loads(_run(_FINDINGS, YUSUAN_PURE="1"))
    assert compiled.pop("describe").startswith("规则模块：已编译")
    assert pure.pop("describe") == "规则模块：纯 Python（YUSUAN_PURE=1）"
    assert compiled["example"], "no findings on the example: the comparison would prove little"
    for key in pure:
        assert compiled[key] == pure[key], key


def _build_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_accel_under_test", ROOT / "scripts" / "build_accel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_skips_an_interpreter_it_is_not_faster_on(tmp_path, monkeypatch, capsys):
    """On a Python where compiled rules were measured slower (3.13), nothing is built and the rules stay pure."""
    script = _build_script()
    monkeypatch.setattr(script, "FASTER_ON", set())
    assert script.main(["--out", str(tmp_path / "accel")]) == 0
    assert not (tmp_path / "accel").exists()
    assert "并不更快" in capsys.readouterr().out
