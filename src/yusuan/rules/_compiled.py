"""Rule modules compiled with Cython (``scripts/build_accel.py``, ``make accel``), loaded only when they are
current: a ``sys.meta_path`` finder that, for ``yusuan.rules.<name>``, loads the compiled file of the build
when the ``.py`` source's SHA-256 equals the one the build recorded, and otherwise lets the ordinary import
load the source. A stale build therefore never runs: edit a rule module and it is pure Python again until it
is rebuilt. The compiled modules are the same source with the same (Python) semantics, only faster.

- ``YUSUAN_PURE=1`` disables the finder (pure Python throughout);
- ``YUSUAN_ACCEL_DIR`` names the build directory; by default ``<checkout>/build/accel``, found relative to
  this file in a source checkout (``src/yusuan/rules``) and used only if it exists: an installed wheel, which
  has no build beside it, is pure.

The build directory holds one directory per interpreter ABI (``tag()``, e.g. ``cpython-313-x86_64-linux-gnu``)
with a ``manifest.json`` ``{module: {"sha256": …, "file": …}}`` and the files it names.

Only the standard library is imported here: ``rules/__init__.py`` installs the finder before any rule module
is imported, and ``scripts/build_accel.py`` loads this file by path to share its layout.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader, ModuleSpec

PACKAGE = "yusuan.rules"
# Never compiled: the package itself, this finder, the report (pydantic models do not survive compilation)
# and the test helpers.
EXCLUDED = frozenset({"__init__", "_compiled", "report", "testing"})
SOURCE_DIR = os.path.dirname(os.path.abspath(__file__))
MANIFEST = "manifest.json"

_PREFIX = PACKAGE + "."


def tag() -> str:
    """The interpreter/ABI a compiled module is built for: the extension suffix this interpreter imports
    (``.cpython-313-x86_64-linux-gnu.so``) without its dots and file type."""
    suffix = EXTENSION_SUFFIXES[0]
    return suffix[1:].rsplit(".", 1)[0]


def accel_dir() -> str | None:
    """The build directory: ``YUSUAN_ACCEL_DIR``, else ``<checkout>/build/accel`` when this file lies in a
    source checkout's ``src/yusuan/rules``; ``None`` when there is none."""
    override = os.environ.get("YUSUAN_ACCEL_DIR")
    if override:
        return override
    src = os.path.dirname(os.path.dirname(SOURCE_DIR))
    if os.path.basename(src) != "src":
        return None  # installed (site-packages): no build beside it
    return os.path.join(os.path.dirname(src), "build", "accel")


def source_sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def read_manifest(directory: str) -> dict:
    """The manifest of ``directory`` (a tag directory); ``{}`` when there is none or it cannot be read."""
    try:
        with open(os.path.join(directory, MANIFEST), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def rule_modules(source_dir: str = SOURCE_DIR) -> list[str]:
    """The package's modules that are compiled (all but ``EXCLUDED``): what ``describe`` counts."""
    return sorted(n[:-3] for n in os.listdir(source_dir) if n.endswith(".py") and n[:-3] not in EXCLUDED)


class CompiledRules:
    """The finder: ``yusuan.rules.<name>`` from the compiled file named in the manifest, when the source's
    hash is the manifest's and the file exists; anything else is left to the ordinary finders."""

    def __init__(self, directory: str, manifest: dict, source_dir: str = SOURCE_DIR) -> None:
        self.directory = directory
        self.manifest = manifest
        self.source_dir = source_dir
        self.loaded: set[str] = set()  # modules this finder gave a compiled spec
        self.stale: set[str] = set()  # modules whose source has changed since they were compiled

    def current(self, name: str) -> str | None:
        """The compiled file of module ``name`` when it was built from the source as it is now, else None."""
        entry = self.manifest.get(name)
        if not isinstance(entry, dict) or name in EXCLUDED:
            return None
        try:
            digest = source_sha256(os.path.join(self.source_dir, name + ".py"))
        except OSError:
            return None
        if digest != entry.get("sha256"):
            self.stale.add(name)
            return None
        self.stale.discard(name)
        path = os.path.join(self.directory, str(entry.get("file")))
        return path if os.path.isfile(path) else None

    def find_spec(self, fullname: str, path=None, target=None) -> ModuleSpec | None:
        if not fullname.startswith(_PREFIX):
            return None
        name = fullname[len(_PREFIX):]
        if "." in name:
            return None
        compiled = self.current(name)
        if compiled is None:
            return None
        self.loaded.add(name)
        # The extension's __file__ is the compiled file (the truth about what runs); its tracebacks name
        # yusuan/rules/<name>.py, which linecache finds on sys.path.
        return ModuleSpec(fullname, ExtensionFileLoader(fullname, compiled), origin=compiled)

    def invalidate_caches(self) -> None:
        pass


_finder: CompiledRules | None = None


def install() -> CompiledRules | None:
    """Put the finder first on ``sys.meta_path`` (once), unless disabled or there is no build."""
    global _finder
    if _finder is not None or os.environ.get("YUSUAN_PURE", "") not in ("", "0"):
        return _finder
    base = accel_dir()
    if base is None:
        return None
    directory = os.path.join(base, tag())
    manifest = read_manifest(directory)
    if not manifest:
        return None
    _finder = CompiledRules(directory, manifest)
    sys.meta_path.insert(0, _finder)
    return _finder


def describe() -> str:
    """One line in Chinese: how many rule modules run compiled (or would, once imported)."""
    total = rule_modules()
    if os.environ.get("YUSUAN_PURE", "") not in ("", "0"):
        return "规则模块：纯 Python（YUSUAN_PURE=1）"
    if _finder is None:
        return "规则模块：纯 Python（未编译；make accel 可编译）"
    compiled = 0
    for name in total:
        module = sys.modules.get(_PREFIX + name)
        if module is not None:
            compiled += isinstance(getattr(module.__spec__, "loader", None), ExtensionFileLoader)
        else:
            compiled += _finder.current(name) is not None
    line = f"规则模块：已编译 {compiled}/{len(total)}（Cython）" if compiled else "规则模块：纯 Python"
    if _finder.stale:
        line += f"；{len(_finder.stale)} 个源码改动后未重新编译，按纯 Python 运行"
    return line
