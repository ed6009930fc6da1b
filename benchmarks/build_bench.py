"""Time `yusuan build` per format on the Changji example (not a test).

Targets: all four formats < 3 s; DOCX + XLSX + HTML < 1 s (composition and checks excluded, they are
timed on their own line). Run: .venv/bin/python benchmarks/build_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "changji-natural-resources-2023"


def _timed(fn, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds. CPU time is the fairer figure on a shared, loaded machine."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from yusuan.compose import compose
    from yusuan.load import load_package
    from yusuan.render.docx import write_docx
    from yusuan.render.html import render_html
    from yusuan.render.pdf import write_pdf
    from yusuan.render.xlsx import write_xlsx

    t_load = _timed(lambda: load_package(EXAMPLE), args.repeat)
    package = load_package(EXAMPLE)
    t_compose = _timed(lambda: compose(package), args.repeat)
    d = compose(package)
    out = Path(tempfile.mkdtemp(prefix="yusuan-bench-"))
    html = render_html(d)
    times = {
        "docx": _timed(lambda: write_docx(d, out / "b.docx"), args.repeat),
        "xlsx": _timed(lambda: write_xlsx(d, out / "b.xlsx"), args.repeat),
        "html": _timed(lambda: (out / "b.html").write_text(render_html(d), encoding="utf-8"), args.repeat),
        "pdf": _timed(lambda: write_pdf(d, out / "b.pdf", html), args.repeat),
    }
    print(f"示例：{EXAMPLE.name}（表 {len(d.tables)} 张，绩效目标表 {len(d.performance)} 张），每项取 {args.repeat} 次中位数")
    print(f"{'':14}{'墙钟':>8}{'CPU':>8}")
    print(f"  {'读取事实':<10}{t_load[0]:8.3f}{t_load[1]:8.3f}")
    print(f"  {'组合':<12}{t_compose[0]:8.3f}{t_compose[1]:8.3f}")
    for fmt, (w, c) in times.items():
        print(f"  {fmt:<14}{w:8.3f}{c:8.3f}")
    for label, keys, target in (("DOCX+XLSX+HTML", ("docx", "xlsx", "html"), 1.0),
                                ("四种格式合计", ("docx", "xlsx", "html", "pdf"), 3.0)):
        w = sum(times[k][0] for k in keys)
        c = sum(times[k][1] for k in keys)
        verdict = "达标" if w < target else ("CPU 时间达标（机器繁忙）" if c < target else "未达标")
        print(f"  {label}：墙钟 {w:.3f} s，CPU {c:.3f} s（目标 < {target:g} s）{verdict}")


if __name__ == "__main__":
    main()
