"""How fast this machine runs plain Python, printed beside every benchmark's figures.

The targets are stated for "this machine", and the machine changes between sessions (the same code
has measured 3.4 times slower on one than on another). One fixed pure-Python loop, timed in the same
run, lets figures from different machines be compared: divide by it.
"""

from __future__ import annotations

import os
import platform
import time


def python_loop_seconds(n: int = 5_000_000) -> float:
    """Best of three: ``n`` integer additions in a Python loop."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(n):
            total += i
        best = min(best, time.perf_counter() - start)
    return best


def describe() -> str:
    """The machine, the Python and whether the rule modules run compiled (``yusuan.rules._compiled``)."""
    from yusuan.rules import _compiled

    try:
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "未知"
    return (f"本机：{os.cpu_count()} 核，负载 {load}；Python {platform.python_version()}"
            f"（{platform.python_implementation()}）；{_compiled.describe()}；"
            f"纯 Python 参照循环（500 万次整数加法）{python_loop_seconds():.3f} s（机器间比较时以此折算）")
