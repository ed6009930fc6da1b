"""Grids from ruled tables on one PDF page: rows between horizontal rules, columns at vertical rules
and, where a table leaves rules out, at gaps between the words of its figure lines and leaf labels.

Merged cells are read as python-docx reads a Word table: a cell spanning several columns is one grid
cell (so header rows over merged cells are shorter than data rows); a header cell spanning several
bands has its text joined and repeated in each band. Every cell carries its page and its box (points,
origin top-left), also when empty, so that findings can be drawn on the page.
"""

from __future__ import annotations

import re

from yusuan.disclosure import Location
from yusuan.read.blocks import Grid, GridCell
from yusuan.read.pdf_layout import Line, PageLayout, Rule, Word, join_words

_TOTAL = re.compile(r"^(合\s*计|总\s*计|小\s*计)$")
_MIN_RULE_SPAN = 0.04  # share of the table width a horizontal rule must cover to end a row (merged header cells end earlier)


class Region:
    def __init__(self, rules: list[Rule]):
        self.rules = rules
        hs = [r for r in rules if r.orient == "h"]
        vs = [r for r in rules if r.orient == "v"]
        self.x0 = min([r.a for r in hs] + [r.pos for r in vs])
        self.x1 = max([r.b for r in hs] + [r.pos for r in vs])
        self.top = min([r.pos for r in hs] + [r.a for r in vs])
        self.bottom = max([r.pos for r in hs] + [r.b for r in vs])

    def contains(self, line: Line) -> bool:
        yc = (line.top + line.bottom) / 2
        return self.top - 1 <= yc <= self.bottom + 1 and line.x1 > self.x0 and line.x0 < self.x1


def table_regions(rules: list[Rule]) -> list[Region]:
    """Ruling lines that touch or nearly touch each other (40 pt vertically: a row without its own
    rule) form one table; at least two horizontal rules make a table, a lone underline does not."""
    boxes: list[tuple[list[float], list[Rule]]] = []
    for r in rules:
        if r.b - r.a <= 4:
            continue
        box = [r.a, r.pos, r.b, r.pos] if r.orient == "h" else [r.pos, r.a, r.pos, r.b]
        boxes.append((box, [r]))
    merged = True
    while merged:  # merge until stable: a later rule may bridge two groups
        merged = False
        out: list[tuple[list[float], list[Rule]]] = []
        for box, group in boxes:
            for obox, ogroup in out:
                if box[0] <= obox[2] + 3 and box[2] >= obox[0] - 3 and box[1] <= obox[3] + 40 and box[3] >= obox[1] - 40:
                    obox[:] = [min(obox[0], box[0]), min(obox[1], box[1]), max(obox[2], box[2]), max(obox[3], box[3])]
                    ogroup.extend(group)
                    merged = True
                    break
            else:
                out.append((box, group))
        boxes = out
    return [Region(g) for _, g in sorted(boxes, key=lambda bg: bg[0][1]) if sum(1 for r in g if r.orient == "h") >= 2]


def _positions(values: list[tuple[float, float]], tol: float = 2.0) -> list[tuple[float, float]]:
    """Merge (position, length) pairs within ``tol``: (position, total length)."""
    out: list[list[float]] = []
    for pos, length in sorted(values):
        if out and pos - out[-1][0] <= tol:
            out[-1][1] += length
        else:
            out.append([pos, length])
    return [(p, n) for p, n in out]


def _row_edges(region: Region) -> list[float]:
    width = region.x1 - region.x0
    edges = [p for p, n in _positions([(r.pos, r.b - r.a) for r in region.rules if r.orient == "h"])
             if n >= _MIN_RULE_SPAN * width]
    edges = sorted(set([region.top] + edges + [region.bottom]))
    out: list[float] = []
    for e in edges:
        if not out or e - out[-1] > 3:
            out.append(e)
    return out


def _column_edges(region: Region, lines: list[Line], rows: list[float]) -> list[float]:
    height = region.bottom - region.top
    every = _positions([(r.pos, r.b - r.a) for r in region.rules if r.orient == "v"])
    vs = [(p, n) for p, n in every if n >= 8 and region.x0 + 3 < p < region.x1 - 3]
    # Vertical rules where drawn; where a table draws only some of them (or none), the gaps that no
    # figure-bearing line crosses separate the remaining columns (a gap with a rule in it is that rule).
    ruled = [p for p, _ in vs]
    gaps = [(lo + hi) / 2 for lo, hi in _gaps_from_text(region, lines)
            if not any(lo - 3 <= p <= hi + 3 for p in ruled)]
    return [region.x0] + sorted(ruled + gaps) + [region.x1]


def _is_data_word(w: Word) -> bool:
    return bool(re.fullmatch(r"[-\d,.%]+", w.text))


def _gaps_from_text(region: Region, lines: list[Line]) -> list[tuple[float, float]]:
    """Column separators for a table without (some of its) vertical rules: x spans that no word
    crosses, among the words of lines holding figures and of the lowest header line (leaf labels: an
    empty 购置费 column still makes its column; group labels such as 本年收入 above it are left out)."""
    first_data = next((i for i, ln in enumerate(lines) if any(_is_data_word(w) for w in ln.words)), len(lines))
    below: list[tuple[int, Word]] = [(i, w) for i, ln in enumerate(lines) if i >= first_data
                                     and any(_is_data_word(x) for x in ln.words) for w in ln.words]
    if first_data > 0:  # the lowest header line holds the leaf labels; labels above it may be groups
        below += [(first_data - 1, w) for w in lines[first_data - 1].words]
    spans = sorted((w.x0, w.x1) for _, w in below)
    gaps: list[tuple[float, float]] = []
    end = None
    for a, b in spans:
        if end is not None and a > end + 2:
            gaps.append((end, a))
        end = b if end is None else max(end, b)
    return [(lo, hi) for lo, hi in gaps
            if region.x0 < (lo + hi) / 2 < region.x1
            and _split_between(lo, hi, below, region, [w for ln in lines[:first_data] for w in ln.words])]


def _split_between(lo: float, hi: float, words: list[tuple[int, Word]], region: Region, header: list[Word]) -> bool:
    """A gap separates columns only if, inside the same ruled column, one printed line has words on
    both sides of it, or header labels stand on both sides: a label centred over a right-aligned
    figure, or a lone label in a ruled column, leaves gaps that separate nothing."""
    edges = sorted({region.x0, region.x1} | {r.pos for r in region.rules if r.orient == "v"})
    left = max((e for e in edges if e <= lo + 1), default=region.x0)
    right = min((e for e in edges if e >= hi - 1), default=region.x1)
    lefts = {i for i, w in words if left - 1 <= w.x0 and w.x1 <= lo + 1}
    rights = {i for i, w in words if hi - 1 <= w.x0 and w.x1 <= right + 1}
    if not lefts or not rights:
        return False
    if lefts & rights:
        return True
    labels = [w for w in header if left - 1 <= w.x0 and w.x1 <= right + 1]
    # several leaf labels share the ruled span, side by side: it holds several columns (the lines of
    # one label wrapped inside its cell stand above each other, not on both sides of the gap)
    return any(w.x1 <= lo + 1 for w in labels) and any(w.x0 >= hi - 1 for w in labels)


def grid_of_region(region: Region, lines: list[Line], page: PageLayout, file: str,
                   cols: list[float] | None = None) -> Grid:
    rows = _row_edges(region)
    cols = cols or _column_edges(region, lines, rows)
    grid = Grid(location=Location(file=file, page=page.number,
                                  bbox=(round(region.x0, 1), round(region.top, 1), round(region.x1, 1), round(region.bottom, 1))))
    cells: dict[tuple[int, int], list[tuple[Line, Word]]] = {}
    for ln in lines:
        for w in ln.words:
            r = _index(rows, w.yc)
            c = _index(cols, w.xc)
            if r is not None and c is not None:
                cells.setdefault((r, c), []).append((ln, w))
    joined = _joined_edges(region, rows, cols)
    _gather_merged_prose(cells, region, rows, cols)
    matrix = []
    for r in range(len(rows) - 1):
        row_cells = []
        for c in range(len(cols) - 1):
            words = cells.get((r, c), [])
            cell = GridCell(_cell_text(words), Location(
                file=file, page=page.number,
                bbox=(round(cols[c], 1), round(rows[r], 1), round(cols[c + 1], 1), round(rows[r + 1], 1))))
            cell.joins_next = (r, c + 1) in joined  # type: ignore[attr-defined]
            row_cells.append(cell)
        matrix.append(row_cells)
    _fill_down_header(matrix, region, rows, cols)
    _join_merged_body_cells(matrix, region, rows, cols)
    for r, row_cells in enumerate(matrix):
        if any(cell.text for cell in row_cells) or r not in (0, len(rows) - 2):
            grid.rows.append(row_cells)
    while grid.rows and not any(c.text for c in grid.rows[-1]):
        grid.rows.pop()
    grid.columns = cols  # type: ignore[attr-defined] - kept for stitching the next page's part
    return grid


def _fill_down_header(matrix: list[list[GridCell]], region: Region, rows: list[float], cols: list[float]) -> None:
    """A header cell spanning several header bands (no rule across its column between them) is one
    cell: its text (a label wrapped over lines such as 本年收入合/计, or a label merged over rows) is
    joined and repeated in every band, as python-docx repeats a vertically merged cell. The lowest
    header row then carries each column's whole label (合计 | 因公出国(境)费 | … | 购置费 | 运行费)."""
    end = next((r for r, row in enumerate(matrix) if any(_is_data_word(Word(c.text.strip(), 0, 0, 0, 0))
                                                           for c in row if c.text.strip())), len(matrix))
    hrules = [r for r in region.rules if r.orient == "h"]
    for c in range(len(cols) - 1):
        x0, x1 = cols[c], cols[c + 1]
        group: list[int] = []
        for r in range(end + 1):
            ruled = r == end or any(abs(h.pos - rows[r]) <= 2 and min(h.b, x1) - max(h.a, x0) >= 0.5 * (x1 - x0)
                                    for h in hrules)
            if ruled and group:
                if len(group) > 1:
                    text = "".join(matrix[i][c].text for i in group)
                    for i in group:
                        matrix[i][c].text = text
                group = []
            if r < end:
                group.append(r)


def _gather_merged_prose(cells: dict[tuple[int, int], list[tuple[Line, Word]]], region: Region,
                         rows: list[float], cols: list[float]) -> None:
    """A paragraph in a cell merged over several grid columns (项目总目标 of a performance form) has
    its lines cut at column edges that other rows' rules make, each piece in another grid cell. Its
    words go back into one cell (the one under the run's middle), read line by line. Only prose: a
    band without figures, at least 30 characters, and a printed line running across an inner edge
    (side-by-side labels under a missing rule are left apart). The band's cells are the spans between the vertical rules
    that cross it (a continued table is cut with its first part's columns, not this page's rules)."""
    vrules = [v for v in region.rules if v.orient == "v"]
    bands, columns = len(rows) - 1, len(cols) - 1
    for r in range(bands):
        if any(_is_data_word(w) for c in range(columns) for _, w in cells.get((r, c), [])):
            continue
        mid = (rows[r] + rows[r + 1]) / 2
        walls = sorted({cols[0], cols[-1]} | {v.pos for v in vrules if v.a - 1 <= mid <= v.b + 1})
        for a, b in zip(walls, walls[1:]):  # the cells this band really has, wall to wall
            run = [k for k in range(columns) if a - 1 <= (cols[k] + cols[k + 1]) / 2 <= b + 1]
            words = [lw for k in run for lw in cells.get((r, k), [])]
            holders = [k for k in run if cells.get((r, k))]
            inner = [cols[k] for k in run[1:]]
            if len(holders) >= 2 and sum(len(w.text) for _, w in words) >= 30 and \
                    any(w.x0 < x - 2 and w.x1 > x + 2 for _, w in words for x in inner):
                # into the grid cell under the run's middle, where its centred label above stands
                target = next((k for k in run if cols[k] <= (a + b) / 2 <= cols[k + 1]), run[0])
                for k in run:
                    cells.pop((r, k), None)
                cells[(r, target)] = words


def _ruled_above(hrules: list[Rule], y: float, x0: float, x1: float) -> bool:
    """A horizontal rule at ``y`` crosses at least half of the column between x0 and x1."""
    return any(abs(h.pos - y) <= 2 and min(h.b, x1) - max(h.a, x0) >= 0.5 * (x1 - x0) for h in hrules)


def _join_merged_body_cells(matrix: list[list[GridCell]], region: Region, rows: list[float], cols: list[float]) -> None:
    """A label cell merged over several body rows has no rule across its column between them, so its
    wrapped lines fall into different bands (社会效益指⏎标), and a label centred in it lands in a
    middle band. Such a run of bands gets its label text joined (lines in adjacent bands only: one
    label, wrapped; no figures). A group label over rows of their own (产出指标 over its 二级指标,
    数量指标 over its indicators: the next column is ruled inside the run) goes to the run's first
    band, as the reader fills a label down over the rows below it; a label beside a value merged over
    the same bands (其中：财政资金 | 7595500.00) stays in its band, level with the value."""
    start = next((r for r, row in enumerate(matrix) if any(_is_data_word(Word(c.text.strip(), 0, 0, 0, 0))
                                                             for c in row if c.text.strip())), len(matrix))
    hrules = [r for r in region.rules if r.orient == "h"]
    for c in range(len(cols) - 2, -1, -1):  # right to left: a 二级 label is in place before its 一级 label is
        group: list[int] = []
        for r in range(start, len(matrix) + 1):
            if r == len(matrix) or (group and _ruled_above(hrules, rows[r], cols[c], cols[c + 1])):
                _join_run(matrix, group, c, _over_rows(matrix, hrules, rows, cols, group, c))
                group = []
            if r < len(matrix):
                group.append(r)


def _over_rows(matrix: list[list[GridCell]], hrules: list[Rule], rows: list[float], cols: list[float],
               group: list[int], c: int) -> bool:
    """The merged cell in column c heads rows of their own: the next column is ruled inside it, or
    the nearest text to its right stands in other bands than this cell's (a label and its value,
    merged over the same bands, stand level)."""
    if c + 2 >= len(cols):
        return False
    if any(_ruled_above(hrules, rows[g], cols[c + 1], cols[c + 2]) for g in group[1:]):
        return True
    mine = {g for g in group if matrix[g][c].text.strip()}
    for k in range(c + 1, len(cols) - 1):
        beside = {g for g in group if matrix[g][k].text.strip()}
        if beside:
            return mine != beside
    return True


def _join_run(matrix: list[list[GridCell]], group: list[int], c: int, to_top: bool) -> None:
    filled = [r for r in group if matrix[r][c].text.strip()]
    if len(group) < 2 or not filled or filled[-1] - filled[0] != len(filled) - 1 or (len(filled) < 2 and not to_top):
        return
    texts = [matrix[r][c].text.strip() for r in filled]
    if any(re.search(r"\d", t) for t in texts):
        return
    for r in filled:
        matrix[r][c].text = ""
    first = matrix[group[0] if to_top else filled[0]][c]
    first.text = "".join(texts)
    first.location = _union(first.location, matrix[group[-1] if to_top else filled[-1]][c].location)


def _joined_edges(region: Region, rows: list[float], cols: list[float]) -> set[tuple[int, int]]:
    """(band, edge) pairs where a drawn column rule is missing: the cells on both sides are one merged
    cell (a group label over several columns, 合计 over the code and name columns). Only bands that
    some inner rule crosses can tell; columns found from text gaps are never joined."""
    vrules = [r for r in region.rules if r.orient == "v"]
    ruled = {i for i, x in enumerate(cols) if 0 < i < len(cols) - 1 and any(abs(r.pos - x) <= 3 for r in vrules)}
    out = set()
    for band in range(len(rows) - 1):
        mid = (rows[band] + rows[band + 1]) / 2
        crossing = [v for v in vrules if v.a - 1 <= mid <= v.b + 1 and cols[0] + 3 < v.pos < cols[-1] - 3]
        if not crossing:
            continue
        for i in ruled:
            if not any(abs(v.pos - cols[i]) <= 3 for v in crossing):
                out.add((band, i))
    return out


def collapse_merged(grid: Grid) -> None:
    """One grid cell per merged cell, as the DOCX reader gives them: the texts and boxes of joined
    cells become one cell (so a header row over merged cells is shorter than a data row). A run is
    kept apart when two of its cells hold text, and in a row with figures unless it is the 合计/总计
    label over the code and name columns (a label beside an empty figure cell whose rule happens
    not to be drawn is not merged with it)."""
    for i, row in enumerate(grid.rows):
        figures = any(re.fullmatch(r"[-\d,.%]+", c.text.strip()) for c in row)
        runs: list[list[GridCell]] = [[]]
        for cell in row:
            runs[-1].append(cell)
            if not getattr(cell, "joins_next", False):
                runs.append([])
        out: list[GridCell] = []
        for run in runs:
            texts = [c for c in run if c.text.strip()]
            if len(run) < 2 or len(texts) > 1 or (figures and not all(_TOTAL.match(c.text.strip()) for c in texts)):
                out.extend(run)
                continue
            location = run[0].location
            for c in run[1:]:
                location = _union(location, c.location)
            out.append(GridCell(texts[0].text if texts else "", location))
        grid.rows[i] = out


def _union(a: Location | None, b: Location | None) -> Location | None:
    if a is None or b is None or a.bbox is None or b.bbox is None:
        return a or b
    return a.model_copy(update={"bbox": (min(a.bbox[0], b.bbox[0]), min(a.bbox[1], b.bbox[1]),
                                         max(a.bbox[2], b.bbox[2]), max(a.bbox[3], b.bbox[3]))})


def _index(edges: list[float], v: float) -> int | None:
    for i in range(len(edges) - 1):
        if edges[i] - 1 <= v <= edges[i + 1] + 1:
            return i
    return None


def _cell_text(words: list[tuple[Line, Word]]) -> str:
    """Words of one cell in reading order; wrapped lines of a label are joined without a break."""
    by_line: dict[int, list[Word]] = {}
    tops: dict[int, float] = {}
    for ln, w in words:
        by_line.setdefault(id(ln), []).append(w)
        tops[id(ln)] = ln.top
    return "".join(join_words(sorted(ws, key=lambda w: w.x0)) for k, ws in sorted(by_line.items(), key=lambda kv: tops[kv[0]]))


def drop_empty_columns(grid: Grid) -> None:
    """Columns without any text in any row (between a rule and a text gap) are not columns; a merged
    cell that ran through a dropped column still runs on to the next kept one."""
    width = max((len(r) for r in grid.rows), default=0)
    keep = [c for c in range(width) if any(c < len(r) and r[c].text.strip() for r in grid.rows)]
    if len(keep) == width:
        return
    for r in grid.rows:
        for c in range(len(r) - 1, 0, -1):
            if c not in keep and getattr(r[c - 1], "joins_next", False):
                r[c - 1].joins_next = getattr(r[c], "joins_next", False)  # type: ignore[attr-defined]
    grid.rows = [[r[c] for c in keep if c < len(r)] for r in grid.rows]
