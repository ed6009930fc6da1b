"""Compile the rule modules (src/yusuan/rules/*.py) with Cython, for a faster check (``make accel``).

    .venv/bin/python scripts/build_accel.py [--jobs 2] [--force] [--out DIR] [--any-python]

Only on Python 3.11, where the compiled modules were measured faster (``FASTER_ON``); elsewhere it says so and
builds nothing, unless ``--any-python``.

The sources stay plain ``.py`` files, compiled as they are, with the directives that keep Python's semantics
(no C types taken from annotations, Python division and powers, docstrings kept). Output, in
``build/accel/<tag>/`` (``YUSUAN_ACCEL_DIR`` or ``--out`` for another directory than ``build/accel``; the tag
names the interpreter ABI, e.g. ``cpython-313-x86_64-linux-gnu``): one file per module version,
``<name>.<sha256[:12]><EXT_SUFFIX>``, and ``manifest.json`` ``{module: {"sha256": …, "file": …}}``.
``yusuan.rules._compiled`` loads a compiled module only while its source's hash is the manifest's.

Incremental: a module whose source hash is in the manifest and whose file exists is not rebuilt. A module that
does not compile is left pure Python, with a warning; without Cython or a C compiler nothing is built and the
script says so and exits 0 (pure Python works the same, only slower).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.util
import json
import os
import shutil
import sys
import sysconfig
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "src" / "yusuan" / "rules"


def _finder_module():
    """``yusuan.rules._compiled`` loaded by path (stdlib only), so that build and finder share one layout
    without importing yusuan (the interpreter's yusuan may be another checkout's)."""
    spec = importlib.util.spec_from_file_location("_yusuan_rules_compiled", RULES / "_compiled.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


finder = _finder_module()

# Python semantics throughout: annotations are not C types (``x: int`` is not enforced or converted), division
# and ** as in Python, functions as full Python function objects with their docstrings (Rule.description and
# docs/rules.md are built from them) and no signature added to those docstrings.
DIRECTIVES = {
    "language_level": 3,
    "binding": True,
    "annotation_typing": False,
    "embedsignature": False,
    "always_allow_keywords": True,
    "cdivision": False,
    "cpow": False,
    "infer_types": None,  # only inferences that cannot change semantics (never C integers)
    "autotestdict": False,  # no __test__ dict of docstrings added to the module
    "emit_code_comments": False,
}
CFLAGS = "-O2 -g0"
# The interpreters on which the compiled modules were measured faster (callgrind, instructions per check of the
# Changji example): 3.11 (Debian's 3.11.2) 97.4M pure, 72.4M compiled. On 3.13.0 they are slower, 93.0M pure
# against 106.5M compiled: its interpreter specialises attribute access on the pydantic models the rules read,
# which Cython's generic lookups cannot. 3.12 is not measured, so not built.
FASTER_ON = {(3, 11)}


def _keep_in_semantics() -> None:
    """Cython rewrites ``x in (a, b)`` as ``x == a or x == b``: without the identity test of Python's ``in``,
    a NaN (``UNKNOWN``) would not be ``in`` a tuple that holds that very object, and an unhashable ``x`` would
    pass a set literal. Leave ``in`` as Python's containment test."""
    from Cython.Compiler import Optimize

    def visit_PrimaryCmpNode(self, node):
        self.visitchildren(node)
        return node

    Optimize.FlattenInListTransform.visit_PrimaryCmpNode = visit_PrimaryCmpNode


def clean_docstring(doc: str) -> str:
    """A docstring as CPython 3.13+ stores it (``_PyCompile_CleanDoc``): tabs expanded, the first line's leading
    spaces and the common indentation of the lines after it removed."""
    lines = doc.expandtabs().split("\n")
    margin = min((len(line) - len(line.lstrip(" ")) for line in lines[1:] if line.lstrip(" ")), default=0)
    rest = [line[min(margin, len(line) - len(line.lstrip(" "))):] for line in lines[1:]]
    return "\n".join([lines[0].lstrip(" "), *rest])


def docstrings_as_cpython(source: bytes) -> bytes:
    """``source`` with each docstring (module, class, function) written as the value this interpreter would
    give it: Python 3.13 strips docstrings' indentation when it compiles, Cython keeps them as written, and
    ``Rule.description`` (and docs/rules.md) come from them. The code is otherwise byte for byte the same, on
    the same lines: a rewritten docstring is one literal in parentheses spanning the lines the original did."""
    if sys.version_info < (3, 13):
        return source
    tree = ast.parse(source)
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                doc = first.value.value
                if clean_docstring(doc) != doc:
                    spans.append(first.value)
    lines = source.split(b"\n")
    # from the last to the first, so that the offsets of those before stay valid (offsets are UTF-8 bytes)
    for literal in sorted(spans, key=lambda n: (n.lineno, n.col_offset), reverse=True):
        start, end = literal.lineno - 1, literal.end_lineno - 1
        text = ("(" + repr(clean_docstring(literal.value)) + "\n" * (end - start) + ")").encode("utf-8")
        head, tail = lines[start][:literal.col_offset], lines[end][literal.end_col_offset:]
        lines[start:end + 1] = (head + text + tail).split(b"\n")
    return b"\n".join(lines)


def _compile(name: str, source: bytes, digest: str, target: str) -> str:
    """Compile one module from ``source`` (the bytes that were hashed, copied into a scratch tree so that an
    edit during the build cannot give a file whose hash is not its source's); return the file's name."""
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    _keep_in_semantics()
    with tempfile.TemporaryDirectory(prefix=f"accel-{name}-") as scratch:
        package = Path(scratch, "yusuan", "rules")
        package.mkdir(parents=True)
        for init in (package.parent / "__init__.py", package / "__init__.py"):
            init.write_bytes(b"")
        (package / f"{name}.py").write_bytes(docstrings_as_cpython(source))
        cwd = os.getcwd()
        os.chdir(scratch)  # the module's file is named yusuan/rules/<name>.py: tracebacks find it on sys.path
        try:
            extensions = cythonize([Extension(f"yusuan.rules.{name}", [f"yusuan/rules/{name}.py"])],
                                   compiler_directives=DIRECTIVES, quiet=True, force=True)
            dist = Distribution({"name": "yusuan-accel", "ext_modules": extensions})
            cmd = build_ext(dist)
            cmd.build_lib = str(Path(scratch, "lib"))
            cmd.build_temp = str(Path(scratch, "tmp"))
            cmd.ensure_finalized()
            cmd.run()
            built = Path(cmd.get_ext_fullpath(f"yusuan.rules.{name}"))
        finally:
            os.chdir(cwd)
        file = f"{name}.{digest[:12]}{suffix()}"
        # Copied beside its final name, then renamed: a process that has the old version loaded keeps it.
        partial = Path(target, f".{file}.{os.getpid()}.tmp")
        shutil.copyfile(built, partial)
        os.replace(partial, Path(target, file))
    return file


def _job(name: str, source: bytes, digest: str, target: str) -> tuple[str, str | None, str]:
    """(name, file or None, what went wrong) — in a worker process; never raises."""
    try:
        return name, _compile(name, source, digest, target), ""
    except BaseException as e:  # noqa: BLE001 — a module that does not compile stays pure
        detail = "".join(traceback.format_exception_only(type(e), e)).strip()
        return name, None, detail or type(e).__name__


def suffix() -> str:
    """The file suffix of an extension module of this interpreter; ``_compiled.tag()`` is derived from the
    same (the import system's first extension suffix, which is sysconfig's EXT_SUFFIX)."""
    from importlib.machinery import EXTENSION_SUFFIXES

    return EXTENSION_SUFFIXES[0]


def write_manifest(directory: Path, manifest: dict) -> None:
    """Written whole to a temporary file and renamed over the old one: a reader sees one or the other."""
    partial = directory / f".{finder.MANIFEST}.{os.getpid()}.tmp"
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, directory / finder.MANIFEST)


def missing_tools() -> str | None:
    """Why nothing can be compiled here (in Chinese), or None."""
    for module, package in (("Cython", "cython>=3.1,<4"), ("setuptools", "setuptools>=68")):
        if importlib.util.find_spec(module) is None:
            return f"未安装 {module}（pip install '{package}'，或 make accel）"
    import Cython

    if int(Cython.__version__.split(".")[0]) < 3:
        return f"Cython 版本过旧（{Cython.__version__}，需要 3.1 或更新）"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"找不到 C 编译器 {compiler}（Debian：apt-get install build-essential）"
    include = sysconfig.get_paths().get("include") or ""
    if not Path(include, "Python.h").exists():
        return f"找不到 Python 头文件 Python.h（{include}；Debian：apt-get install python3-dev）"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="用 Cython 编译规则模块（src/yusuan/rules/*.py）")
    parser.add_argument("--jobs", type=int, default=2, help="并行编译的进程数（默认 2）")
    parser.add_argument("--force", action="store_true", help="全部重新编译")
    parser.add_argument("--out", help="编译目录（默认 YUSUAN_ACCEL_DIR 或 build/accel）")
    parser.add_argument("--any-python", action="store_true",
                        help="在任何 Python 版本上都编译（默认只在编译后确实更快的 Python 3.11 上编译）")
    args = parser.parse_args(argv)

    if sys.version_info[:2] not in FASTER_ON and not args.any_python:
        print(f"未编译规则模块：在 Python {sys.version_info[0]}.{sys.version_info[1]} 上编译后的规则模块并不更快"
              "（实测 3.13 上一次校验多用 14.5% 的指令，3.11 上少用 26%），规则以纯 Python 运行。"
              "（--any-python 可照样编译以作比较）")
        return 0

    why = missing_tools()
    if why:
        print(f"未编译规则模块：{why}。规则仍以纯 Python 运行，结果相同，只是较慢。")
        return 0

    base = Path(args.out or os.environ.get("YUSUAN_ACCEL_DIR") or ROOT / "build" / "accel")
    target = base / finder.tag()
    target.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    # After the interpreter's own flags (often -O3 -g): the later -O2 -g0 win, the user's CFLAGS after them.
    os.environ["CFLAGS"] = f"{CFLAGS} {os.environ.get('CFLAGS', '')}".strip()

    import fcntl  # one build at a time per directory (two `make` runs at once would race on the manifest)

    with open(target / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        old = finder.read_manifest(str(target))
        manifest: dict = {}
        todo: list[tuple[str, bytes, str]] = []
        for path in sorted(RULES.glob("*.py")):
            name = path.stem
            if name in finder.EXCLUDED:
                continue
            source = path.read_bytes()
            digest = hashlib.sha256(source).hexdigest()
            entry = old.get(name)
            if entry and entry.get("sha256") == digest and (target / str(entry.get("file"))).is_file():
                # still current: kept in the manifest even when --force rebuilds it (the new file replaces it)
                manifest[name] = entry
                if not args.force:
                    continue
            todo.append((name, source, digest))
        kept = len(manifest) - len({name for name, _, _ in todo} & set(manifest))
        write_manifest(target, manifest)  # entries of removed or changed modules go at once
        failed: list[str] = []
        built = 0
        if todo:
            print(f"编译规则模块：{len(todo)} 个（{args.jobs} 个进程）……", flush=True)
            todo.sort(key=lambda job: -len(job[1]))  # the longest first, so that the two processes end together
            with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                futures = [pool.submit(_job, name, source, digest, str(target)) for name, source, digest in todo]
                for future in as_completed(futures):
                    try:
                        name, file, error = future.result()
                    except Exception as e:  # noqa: BLE001 — a worker that died (out of memory, …)
                        failed.append("?")
                        print(f"警告：一个规则模块的编译进程异常退出（{e}），该模块仍为纯 Python", file=sys.stderr)
                        continue
                    if file is None:
                        failed.append(name)
                        print(f"警告：{name}.py 编译失败，仍为纯 Python：{error}", file=sys.stderr)
                        continue
                    digest = next(d for n, _, d in todo if n == name)
                    manifest[name] = {"sha256": digest, "file": file}
                    built += 1
                    write_manifest(target, dict(sorted(manifest.items())))  # each module usable as soon as built
        # Versions no longer named by the manifest (sources since changed) are removed.
        named = {entry["file"] for entry in manifest.values()}
        for path in target.glob(f"*{suffix()}"):
            if path.name not in named:
                path.unlink(missing_ok=True)
    note = f"，{len(failed)} 个失败（仍为纯 Python：{'、'.join(sorted(failed))}）" if failed else ""
    print(f"规则模块已编译：{len(manifest)} 个（本次编译 {built} 个，沿用 {kept} 个{note}），"
          f"用时 {time.perf_counter() - start:.1f} s → {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
