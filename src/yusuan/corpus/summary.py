"""``yusuan corpus report``: a self-contained HTML summary (Chinese) of a corpus audit's Parquet results,
with bar charts drawn as inline SVG (no script, nothing fetched): documents read and failed, findings
per rule, completeness, and 三公 and 机关运行经费 by department and year where the cells print them."""

from __future__ import annotations

import html
from decimal import Decimal, InvalidOperation
from pathlib import Path

from yusuan.corpus.query import connect

STATUS_ZH = {"ok": "已读取并校验", "unreadable": "无法读取", "timeout": "读取超时", "crash": "读取进程异常",
             "duplicate": "内容重复（未重复审查）"}
SEVERITY_ZH = {"fatal": "错误", "warning": "警告", "info": "提示"}
COLOURS = {"fatal": "#c0392b", "warning": "#e67e22", "info": "#7f8c8d", "ok": "#27ae60", "bar": "#2e86c1"}
# the cells that hold a department's 三公 total and 机关运行经费 (docs/disclosure-keys.md), and the
# columns to take them from, best first
SPENDING = {"sangong:total": "“三公”经费合计", "operating_costs": "机关运行经费"}
COLUMNS = ("total", "amount", "actual", "budget")


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def _bars(items: list[tuple[str, int | Decimal, str]], unit: str = "", width: int = 520) -> str:
    """A horizontal bar chart: (label, value, colour) per bar; values are counts or Decimal amounts."""
    if not items:
        return "<p class='none'>（无数据）</p>"
    top = max(v for _, v, _ in items) or 1
    row_h, label_w = 22, 260
    h = row_h * len(items) + 4
    parts = [f"<svg class='chart' width='{label_w + width + 90}' height='{h}' role='img'>"]
    for i, (label, value, colour) in enumerate(items):
        y = i * row_h + 2
        w = max(1, int(Decimal(width) * Decimal(value) / Decimal(top))) if value and top > 0 else 0
        shown = f"{value:.2f}{unit}" if isinstance(value, Decimal) else f"{value}{unit}"
        parts.append(f"<text x='{label_w - 6}' y='{y + 15}' text-anchor='end'>{_e(label[:28])}</text>"
                     f"<rect x='{label_w}' y='{y + 3}' width='{w}' height='{row_h - 6}' fill='{colour}'/>"
                     f"<text x='{label_w + w + 4}' y='{y + 15}'>{_e(shown)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _table(header: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _amount(value: str | None, unit: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    return amount / 10000 if unit == "元" else amount


def collect(results: Path) -> dict:
    con = connect(results)
    try:
        status = con.execute("SELECT status, count(*) FROM documents GROUP BY status ORDER BY 2 DESC").fetchall()
        rules = con.execute("SELECT rule, any_value(title), severity, count(*), count(DISTINCT file) FROM findings "
                            "GROUP BY rule, severity ORDER BY 4 DESC, 1").fetchall()
        completeness = con.execute("SELECT file, unit, completeness_score FROM documents "
                                   "WHERE completeness_score IS NOT NULL ORDER BY file").fetchall()
        keys = ", ".join(f"'{k}'" for k in SPENDING)
        cells = con.execute(f"SELECT unit_name, year, row_key, column_key, value, amount_unit, file FROM cells "
                            f"WHERE row_key IN ({keys}) AND value IS NOT NULL ORDER BY file").fetchall()
        totals = con.execute("SELECT count(*), sum(findings), sum(fatal), sum(warning) FROM documents").fetchone()
    finally:
        con.close()
    spending: dict[tuple, dict[str, Decimal]] = {}
    for unit, year, key, column, value, amount_unit, file in cells:
        if column not in COLUMNS:
            continue
        slot = spending.setdefault((unit or file, year), {})
        rank = COLUMNS.index(column)
        held = slot.get(key + ":rank")
        amount = _amount(value, amount_unit)
        if amount is not None and (held is None or rank < held):
            slot[key], slot[key + ":rank"] = amount, rank
    return {"status": status, "rules": rules, "completeness": completeness, "spending": spending, "totals": totals}


def render_summary(results: Path) -> str:
    data = collect(results)
    docs, findings, fatal, warning = data["totals"]
    failed = sum(n for s, n in data["status"] if s in ("unreadable", "timeout", "crash"))
    out = [f"<h1>语料审查汇总</h1><p>结果文件夹：{_e(results)}</p>",
           f"<p>文件 {docs} 个，其中未能读取 {failed} 个；问题 {findings or 0} 条（错误 {fatal or 0}，警告 {warning or 0}）。</p>",
           "<h2>文件读取情况</h2>",
           _bars([(STATUS_ZH.get(s, s), n, COLOURS["ok"] if s == "ok" else COLOURS["fatal"]) for s, n in data["status"]], " 个")]
    out.append("<h2>各规则发现的问题</h2>")
    top = data["rules"][:40]
    out.append(_bars([(f"{rule}（{SEVERITY_ZH.get(sev, sev)}）", n, COLOURS.get(sev, COLOURS["bar"]))
                      for rule, _, sev, n, _ in top], " 条"))
    out.append(_table(["规则", "名称", "级别", "问题数", "涉及文件数"],
                      [[r, t, SEVERITY_ZH.get(s, s), n, f] for r, t, s, n, f in data["rules"]]))
    out.append("<h2>完整性得分</h2>")
    scores = [(f, u, Decimal(s)) for f, u, s in data["completeness"]]
    if scores:
        buckets = [("100", 0), ("90–99", 0), ("80–89", 0), ("60–79", 0), ("60 以下", 0)]
        counts = dict(buckets)
        for _, _, s in scores:
            key = "100" if s >= 100 else "90–99" if s >= 90 else "80–89" if s >= 80 else "60–79" if s >= 60 else "60 以下"
            counts[key] += 1
        mean = sum(s for _, _, s in scores) / len(scores)
        out.append(f"<p>有得分的文件 {len(scores)} 个，平均 {mean.quantize(Decimal('0.1'))} 分（满分 100）。</p>")
        out.append(_bars([(k, counts[k], COLOURS["bar"]) for k, _ in buckets], " 个"))
    else:
        out.append("<p class='none'>（没有完整性得分）</p>")
    out.append("<h2>“三公”经费和机关运行经费（万元，按部门和年度）</h2>")
    spending = data["spending"]
    if spending:
        rows = []
        for (unit, year), slot in sorted(spending.items(), key=lambda kv: (str(kv[0][0]), kv[0][1] or 0)):
            rows.append([unit, year if year is not None else "未知",
                         *(f"{slot[k]:.2f}" if k in slot else "未列示" for k in SPENDING)])
        out.append(_table(["部门", "年度", *SPENDING.values()], rows))
        for key, label in SPENDING.items():
            items = [(f"{unit} {year or ''}", slot[key], COLOURS["bar"])
                     for (unit, year), slot in sorted(spending.items(), key=lambda kv: -kv[1].get(key, Decimal(0)))
                     if key in slot][:30]
            if items:
                out.append(f"<h3>{label}</h3>" + _bars(items, " 万元"))
        out.append("<p class='note'>只列表格中印出的数字；未列示不等于零。</p>")
    else:
        out.append("<p class='none'>（表格中没有印出“三公”经费或机关运行经费）</p>")
    style = ("body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}"
             "th{background:#f3f3f3}.chart text{font-size:12px}.none,.note{color:#777}")
    return (f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>语料审查汇总</title>"
            f"<style>{style}</style></head><body>{''.join(out)}</body></html>\n")
