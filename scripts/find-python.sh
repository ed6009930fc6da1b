#!/bin/bash
# The Python the virtual environment is made with: the newest one here of 3.13, 3.12 and 3.11 that runs
# (3.13 checks a package about 8% faster than 3.11 on this project's rules; the whole suite passes on both).
# pyenv's shims name versions that are installed but not enabled, so each candidate is run, not just found.
# Override with `make PY=/path/to/python`.
root=$(pyenv root 2>/dev/null)
candidates=()
for v in 3.13 3.12; do
  candidates+=(python$v)
  if [ -n "$root" ]; then
    for p in "$root"/versions/$v*/bin/python$v; do [ -x "$p" ] && candidates+=("$p"); done
  fi
done
candidates+=(python3.11 python3)
for p in "${candidates[@]}"; do
  if "$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; then
    echo "$p"
    exit 0
  fi
done
echo "找不到 Python 3.11 或更新的版本（可用 make PY=/path/to/python 指定）" >&2
echo python3
