"""Time `yusuan build` per format on the Changji example (not a test).

Targets: all four formats < 3 s; DOCX + XLSX + HTML < 1 s (loading, composition and checks are
timed on their own lines, outside the targets). For each format it prints the first (cold: imports,
fonts) and the median warm wall-clock and CPU seconds. CPU time is the fairer figure on this shared
2-core machine, where wall-clock time grows with everyone else's load.

The PDF (Typst, the default engine) is timed in a fresh process for every run: Typst memoises what
it typeset, so a second identical run in one process would cost almost nothing and flatter it. Each
fresh process also pays the system font scan. WeasyPrint, the other engine, is timed as before (in
process, split into layout and drawing) so that the two can be compared in one run; ``--no-weasyprint``
skips it (it is the slow one). Finally the whole command, ``yusuan build`` (start-up, loading,
composing, checking, the four formats and the report), is timed as a user runs it.

Run: .venv/bin/python benchmarks/build_bench.py [--repeat N] [--no-weasyprint]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine  # benchmarks/machine.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "changji-natural-resources-2023"
TARGETS = ((("docx", "xlsx", "html"), "DOCX+XLSX+HTML", 1.0), (("docx", "xlsx", "html", "pdf"), "四种格式合计", 3.0))

# One PDF in a new interpreter: wall and CPU seconds of write_pdf alone (imports and composition
# happen before the clock starts, as they do once per `yusuan build`).
FRESH_PDF = """
import json, sys, time
from pathlib import Path
from yusuan.compose import compose
from yusuan.load import load_package
from yusuan.render.pdf import write_pdf
d = compose(load_package(Path(sys.argv[1])))
start, start_cpu = time.perf_counter(), time.process_time()
write_pdf(d, Path(sys.argv[2]), engine="typst")
print(json.dumps([time.perf_counter() - start, time.process_time() - start_cpu]))
"""


class Timing:
    """Wall-clock and CPU seconds of every run; the first run is kept apart as the cold one."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, fn) -> None:
        gc.collect()  # the previous run's garbage is not this run's cost
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        self.wall.append(time.perf_counter() - start)
        self.cpu.append(time.process_time() - start_cpu)

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)

    @property
    def cold(self) -> tuple[float, float]:
        return self.wall[0], self.cpu[0]

    @property
    def warm(self) -> tuple[float, float]:
        wall, cpu = self.wall[1:] or self.wall, self.cpu[1:] or self.cpu
        return statistics.median(wall), statistics.median(cpu)


def _timed(fn, repeat: int) -> Timing:
    t = Timing()
    for _ in range(repeat + 1):  # one cold run, then ``repeat`` warm ones
        t.run(fn)
    return t


def _fresh_pdf(out: Path, repeat: int) -> Timing:
    """Typst PDF, each run in a new process (no memoised layout to reuse)."""
    t = Timing()
    for i in range(repeat + 1):
        done = subprocess.run([sys.executable, "-c", FRESH_PDF, str(EXAMPLE), str(out / f"fresh-{i}.pdf")],
                              check=True, capture_output=True, text=True)
        t.add(*json.loads(done.stdout.strip().splitlines()[-1]))
    return t


def _weasyprint_phases(html: str, out: Path, repeat: int) -> tuple[Timing, Timing]:
    """WeasyPrint's two halves, timed apart under the same conditions as ``write_pdf``."""
    from weasyprint import HTML

    from yusuan.render.pdf import gc_paused

    layout, draw = Timing(), Timing()
    for _ in range(repeat + 1):
        with gc_paused():
            box: list = []
            layout.run(lambda: box.append(HTML(string=html, base_url=str(out)).render()))
            draw.run(lambda: box[0].write_pdf(out / "phases.pdf"))
    return layout, draw


def _whole_command(out: Path, repeat: int) -> Timing:
    exe = Path(sys.executable).with_name("yusuan")
    cmd = [str(exe) if exe.exists() else "yusuan", "build", str(EXAMPLE), "-o", str(out / "cli")]
    t = Timing()
    for _ in range(repeat + 1):
        t.run(lambda: subprocess.run(cmd, check=True, capture_output=True))
    # CPU time of a child is not this process's: report the wall-clock figure for both columns
    t.cpu = list(t.wall)
    return t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="热运行次数（另有一次冷运行）")
    parser.add_argument("--no-weasyprint", action="store_true", help="不测 WeasyPrint 引擎（较慢）")
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
        "pdf": _fresh_pdf(out, args.repeat),
    }
    pages = _page_count(out / "fresh-0.pdf")
    rows = [("读取事实", t_load), ("组合", t_compose), *[(k if k != "pdf" else "pdf（Typst，新进程）", v) for k, v in times.items()]]
    weasy = None
    if not args.no_weasyprint:
        weasy_repeat = min(args.repeat, 1)
        weasy = _timed(lambda: write_pdf(d, out / "w.pdf", html, engine="weasyprint"), weasy_repeat)
        layout, draw = _weasyprint_phases(html, out, weasy_repeat)
        rows += [("pdf（WeasyPrint）", weasy), ("  WeasyPrint 排版", layout), ("  WeasyPrint 绘制写出", draw)]
    rows.append(("yusuan build 全程", _whole_command(out, min(args.repeat, 2))))

    print(f"示例：{EXAMPLE.name}（表 {len(d.tables)} 张，绩效目标表 {len(d.performance)} 张，PDF {pages} 页）；"
          f"冷 = 首次运行，热 = 其后各次的中位数")
    print(machine.describe())
    print(f"  {_pad('', 24)}{_pad('冷·墙钟', 10, right=True)}{_pad('冷·CPU', 10, right=True)}"
          f"{_pad('热·墙钟', 10, right=True)}{_pad('热·CPU', 10, right=True)}")
    for label, t in rows:
        (cw, cc), (ww, wc) = t.cold, t.warm
        print(f"  {_pad(label, 24)}{cw:10.3f}{cc:10.3f}{ww:10.3f}{wc:10.3f}")
    for keys, label, target in TARGETS:
        wall = sum(times[k].warm[0] for k in keys)
        cpu = sum(times[k].warm[1] for k in keys)
        cold = sum(times[k].cold[0] for k in keys)
        verdict = "达标" if wall < target else ("CPU 时间达标（机器繁忙）" if cpu < target else "未达标")
        print(f"  {label}：热·墙钟 {wall:.3f} s（目标的 {wall / target:.0%}），热·CPU {cpu:.3f} s"
              f"（目标的 {cpu / target:.0%}），冷·墙钟 {cold:.3f} s；目标 < {target:g} s，{verdict}")
    if weasy is not None:
        ratio = weasy.warm[0] / times["pdf"].warm[0]
        print(f"  PDF：WeasyPrint {weasy.warm[0]:.3f} s ÷ Typst {times['pdf'].warm[0]:.3f} s = {ratio:.1f} 倍")


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a terminal width where CJK characters take two columns."""
    fill = " " * max(0, width - sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))
    return fill + text if right else text + fill


def _page_count(pdf: Path) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


if __name__ == "__main__":
    main()
