"""Reading performance-target tables (项目支出绩效目标表) from grid rows into ``PerformanceTable``.

The rows of one or more grids are scanned in order; a row whose text is a table title starts a new
table. Header fields are label/value pairs along a row (预算单位, 项目名称, 项目负责人, 项目资金,
项目总体目标, and the area template's 专项名称, 主管部门, 中央补助金额 …); the indicator header row
(一级指标 … 三级指标 …) gives the column positions of the indicator rows below it. 一级/二级 printed
as merged cells (blank below the first row) are carried down.
"""

from __future__ import annotations

import re
from decimal import Decimal

from yusuan.amounts import AmountError, normalise_text, parse_amount
from yusuan.disclosure import Location, PrintedPerformance
from yusuan.findings import Finding
from yusuan.model.performance import Indicator, PerformanceTable, parse_target
from yusuan.read.blocks import GridCell
from yusuan.read.tables import reading_finding

_HEADER_KEYS = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "name", "指标值": "target",
    "指标值设置依据": "basis", "上年完成值": "last_year", "指标分值权重": "weight", "指标赋分规则": "scoring",
    "佐证资料": "evidence",
}
# "年度预算总额：152.00　其中：财政拨款：152.00　其他资金：0.00" printed in one cell
_FUND_IN_CELL = re.compile(r"(年度预算总额|其中[:：]?财政拨款|财政拨款|其他资金)\s*[:：]\s*([\d][\d.,]*)")
# Money labels → attribute (printed in 万元, or in 元 when the row says so).
_MONEY = {"年度预算总额": "stated_total", "项目资金总额": "stated_total", "其中:财政拨款": "fiscal", "财政拨款": "fiscal",
          "其中:财政资金": "fiscal", "其他资金": "other"}
_MONEY_HINTS = ("项目资金", "(元)", "上年结转资金", "年度资金申请总额", "其中:当年财政拨款")
_GOAL_LABELS = {"项目总体目标", "项目总目标", "年度总体目标"}
_KNOWN = ("预算单位", "项目名称", "项目负责人", "项目总体目标", "年度总体目标", "主管部门", "实施单位", "项目性质",
          "计划开始日期", "计划完成日期", "专项名称", "自治区主管部门", "专项实施期", "地州市财政部门", "地州市主管部门",
          "中央补助金额")
_AREA_FIELDS = ("专项名称", "自治区主管部门", "专项实施期", "地州市财政部门", "地州市主管部门", "中央补助金额")


# a sentence that points at the tables (“详见单位的项目绩效目标表”) is not their title
_REFERENCE = re.compile(r"^(详见|参见|具体见|请见|见)|(附后|如下)")


def is_title(text: str) -> bool:
    n = re.sub(r"\(\d{4}年?\)$", "", normalise_text(text))
    return ("绩效目标" in n and n.endswith("表") and len(n) < 80 and ":" not in n
            and not _REFERENCE.search(n))


def _fmt(title: str) -> str:
    n = normalise_text(title)
    if "区域" in n:
        return "area"
    if "明细表" in n:
        return "transfer_detail"
    return "department"


def _text(cell: GridCell) -> str:
    """The cell as printed (a full-width space inside a value is kept); a cell of blanks is ''."""
    text = cell.text.replace("\n", "").strip(" \t\r")
    return text if text.strip() else ""


def _amount(text: str, where: Location | None, findings: list[Finding], what: str) -> Decimal | None:
    try:
        return parse_amount(text)
    except AmountError:
        findings.append(reading_finding("R.NUMBER.UNPARSABLE", f"绩效目标表{what}“{text}”不是可识别的金额", where))
        return None


class _Builder:
    def __init__(self, title_cell: GridCell, file_findings: list[Finding]):
        self.title = re.sub(r"[(（]\d{4}年?[)）]$", "", _text(title_cell)).strip()
        self.format = _fmt(self.title)
        self.location = title_cell.location
        self.fields: dict[str, str] = {}
        self.pending_goal: dict[str, int] | None = None
        self.yuan = False  # money printed in 元 (converted to 万元, the model's unit)
        self.stated_total: Decimal | None = None
        self.fiscal: Decimal | None = None
        self.other: Decimal | None = None
        self.columns: dict[str, int] | None = None
        self.indicators: list[Indicator] = []
        self.findings = file_findings
        self.level1 = self.level2 = ""

    def header_fields(self, cells: list[GridCell]) -> bool:
        """Label/value pairs along a row; money rows (项目资金 …); a row of goal labels whose
        values are printed in the row below (Shanghai 财政项目支出绩效目标填报表)."""
        texts = [_text(c) for c in cells]
        filled = [(t, c) for t, c in zip(texts, cells) if t]
        if not filled:
            return False
        if self.pending_goal is not None:  # values under the goal labels of the previous row
            for label, j in self.pending_goal.items():
                if j < len(texts) and texts[j]:
                    self.fields[label] = texts[j]
            self.pending_goal = None
            return True
        norms = [normalise_text(t).rstrip(":") for t, _ in filled]
        if any(n in _MONEY or n.startswith(_MONEY_HINTS) for n in norms):
            self.money(filled)
            return True
        goal_labels = {normalise_text(t): j for j, t in enumerate(texts) if normalise_text(t) in _GOAL_LABELS}
        # the group label of the goal rows (项目绩效目标, merged over them) may stand beside the goal labels
        others = [t for t, _ in filled if normalise_text(t) not in _GOAL_LABELS and not normalise_text(t).endswith("绩效目标")]
        if goal_labels and not others:
            self.pending_goal = {texts[j]: j for j in goal_labels.values()}
            return True
        if not any(n.startswith(k) for n in norms[:1] for k in _KNOWN):
            return False
        i = 0
        while i < len(filled):
            label = filled[i][0]
            n = normalise_text(label)
            if any(n.startswith(k) for k in _KNOWN) and i + 1 < len(filled):
                value = filled[i + 1][0]
                if not any(normalise_text(value).startswith(k) for k in _KNOWN):
                    self.fields[label] = value
                    i += 2
                    continue
            i += 1
        return True

    def money(self, filled: list[tuple[str, GridCell]]) -> None:
        label = None
        pairs: list[tuple[str, GridCell]] = []
        for t, cell in filled:  # "年度预算总额：152.00" may share one cell
            found = _FUND_IN_CELL.findall(t)
            if found:
                for label_text, number in found:
                    pairs += [(label_text, cell), (number, cell)]
            else:
                pairs.append((t, cell))
        for t, cell in pairs:
            n = normalise_text(t).rstrip(":")
            if n in ("(元)", "项目资金(元)"):
                self.yuan = True
            if n in _MONEY:
                label = _MONEY[n]
            elif label:
                value = _amount(t, cell.location, self.findings, n)
                if value is not None and getattr(self, label) is None:
                    setattr(self, label, value)
                label = None
            if n.startswith("项目资金") and "元" in n and "万元" not in n:
                self.yuan = True

    def indicator_header(self, cells: list[GridCell]) -> bool:
        texts = [normalise_text(_text(c)) for c in cells]
        if "三级指标" not in texts:
            return False
        self.columns = {}
        for i, t in enumerate(texts):
            key = _HEADER_KEYS.get(t) or ("target" if "指标值" in t and "依据" not in t else None)
            if key and key not in self.columns:
                self.columns[key] = i
        return True

    def indicator(self, cells: list[GridCell]) -> None:
        assert self.columns is not None
        texts = [_text(c) for c in cells]
        width = max(self.columns.values()) + 1
        if len(texts) < width or (len(texts) > width and any(texts[width:])):  # split cells ("质量指标","　","验收合格率","　",">=90%"): keep the non-blank after 一级/二级
            start = self.columns.get("level1", 0)
            head = texts[start: start + 2]
            rest = [t for t in texts[start + 2:] if t]
            order = sorted((k for k in self.columns if k not in ("level1", "level2")), key=lambda k: self.columns[k])
            values = dict(zip(order, rest))
            values["level1"], values["level2"] = (head + ["", ""])[:2]
        else:
            values = {k: texts[i] for k, i in self.columns.items()}
        if not any(values.get(k) for k in ("name", "target")):
            return
        self.level1 = values.get("level1") or self.level1
        self.level2 = values.get("level2") or self.level2
        weight = None
        if values.get("weight"):
            weight = _amount(values["weight"], cells[0].location, self.findings, "权重")
        self.indicators.append(Indicator(
            level1=self.level1, level2=self.level2, name=values.get("name", ""),
            target=parse_target(values.get("target", "")), basis=values.get("basis") or None,
            last_year=values.get("last_year") or None, weight=weight, scoring=values.get("scoring") or None,
            evidence=values.get("evidence") or None,
        ))

    def build(self) -> PrintedPerformance:
        f = {normalise_text(k).rstrip(":"): v for k, v in self.fields.items()}

        def get(*labels: str) -> str | None:
            for label in labels:
                for k, v in f.items():
                    if k.startswith(normalise_text(label)):
                        return v
            return None

        extra: dict[str, str] = {}
        title = None
        if self.format == "department" and get("专项名称") is not None:
            self.format = "area"  # the area template printed under the standard title
        elif self.format == "department" and self.columns is not None and "weight" not in self.columns \
                and get("预算单位") is not None and get("主管部门") is None:
            self.format = "transfer_detail"  # the Xinjiang detail template: four indicator columns only
        standard = ("预算单位", "项目名称", "项目负责人") + tuple(_GOAL_LABELS)
        extra = {k: v for k, v in self.fields.items() if not normalise_text(k).startswith(standard)}
        if self.format == "area":
            name = re.split(r"区域", self.title)[0] if "区域" in self.title else (get("项目名称") or get("专项名称") or "")
            extra = {k: v for k, v in self.fields.items() if any(normalise_text(k).startswith(a) for a in _AREA_FIELDS)}
            extra.update({k: v for k, v in self.fields.items() if k not in extra and not normalise_text(k).startswith(standard)})
            central = get("中央补助金额")
            self.fiscal = _amount(central, self.location, self.findings, "中央补助金额") if central else None
            self.stated_total = self.fiscal
            title_name = get("专项名称")
            title = self.title if "区域" in self.title else None
        else:
            name = get("项目名称") or ""
            title_name = None
            if self.format == "transfer_detail" and "明细表" in self.title:
                title = self.title
        if not name:
            self.findings.append(reading_finding("R.PERFORMANCE.NAME", "绩效目标表没有项目名称", self.location))
        if self.yuan:
            self.fiscal, self.other, self.stated_total = (
                None if v is None else v / 10000 for v in (self.fiscal, self.other, self.stated_total))
        levels = [i.level1 for i in self.indicators]
        first = next((lv for lv in levels if lv), "")
        for indicator in self.indicators:  # a merged 一级 cell printed mid-block leaves the rows above it blank
            if indicator.level1:
                break
            indicator.level1 = first
        table = PerformanceTable(
            format=self.format, project=name or "（未印项目名称）", title_name=title_name if title_name != name else None,  # type: ignore[arg-type]
            title=title, budget_unit=get("预算单位"), owner=get("项目负责人"), fiscal=self.fiscal or Decimal(0),
            other=self.other or Decimal(0), goal=get("项目总体目标", "年度总体目标", "项目总目标") or "", indicators=self.indicators,
            extra=extra,
        )
        if not self.indicators:
            self.findings.append(reading_finding("R.PERFORMANCE.EMPTY", f"绩效目标表“{table.printed_name}”没有读到任何指标", self.location))
        return PrintedPerformance(table=table, stated_total=self.stated_total,
                                  location=(self.location or Location()).model_copy(update={"table": self.title}))


def read_performance_rows(rows: list[list[GridCell]], findings: list[Finding]) -> list[PrintedPerformance]:
    """All performance tables in a run of grid rows (the grids after 预算绩效情况)."""
    out: list[PrintedPerformance] = []
    current: _Builder | None = None
    stray: list[tuple[str, object]] = []  # rows before the first title: one finding for the run, not one per row

    def flush_stray() -> None:
        if stray:
            count = f"（共{len(stray)}行）" if len(stray) > 1 else ""
            findings.append(reading_finding("R.TABLE.UNRECOGNISED", f"绩效目标表标题之前的表格行{count}：“{stray[0][0][:30]}”",
                                            stray[0][1]))
            stray.clear()

    for cells in rows:
        texts = [_text(c) for c in cells if _text(c)]
        if not texts:
            continue
        if len(texts) <= 2 and is_title("".join(texts)):
            flush_stray()
            if current is not None and (current.fields or current.indicators):
                out.append(current.build())  # a bare caption above the tables starts nothing
            merged = GridCell("".join(texts), cells[0].location)
            current = _Builder(merged, findings)
            continue
        if current is None:
            stray.append((texts[0], cells[0].location))
            continue
        if re.fullmatch(r"[(（]\d{4}年度?[)）]", texts[0]):
            continue
        if current.columns is not None and normalise_text(texts[0]).startswith("项目名称"):
            out.append(current.build())  # the next project's table, printed without its own title
            current = _Builder(GridCell(current.title, cells[0].location), findings)
        if current.columns is None:
            if current.header_fields(cells) or current.indicator_header(cells):
                continue
            findings.append(reading_finding("R.ROW.UNRECOGNISED", f"绩效目标表中无法识别的行：“{texts[0][:30]}”", cells[0].location))
            continue
        if current.indicator_header(cells):
            continue  # header repeated after a page break
        current.indicator(cells)
    flush_stray()
    if current is not None:
        out.append(current.build())
    return out
