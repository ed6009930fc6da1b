"""Performance-target tables (项目支出绩效目标表): printing, self-evaluation scoring (绩效自评), vocabulary.

- ``render``: an indicator's target and the printed grid (一级/二级 merged spans) from the structured table;
- ``vocab``: the indicator hierarchy and the qualitative grades the checks and the scorer understand;
- ``tables``: loading tables and the counts/amounts the Part 3 performance paragraph states;
- ``score``: 绩效自评 from actual values.
"""

from yusuan.perf.render import PrintCell, PrintRow, render_target, rows_for_print  # noqa: F401
