"""The body of an editing grid (its rows of inputs) as HTML, written here rather than in the template.

Why: the grids are most of the editing page and of every save-and-check answer — about 250 cells,
each a few tags and conditions. Through the template language they took 10 of the page's 19 ms;
written here with Django's own escaping they take about 1 ms. The markup is the one ``_grid.html``
drew (``tests/test_grid_html.py`` renders both and compares them); ``_grid.html`` includes the result.
"""

from __future__ import annotations

import html

from django.utils.safestring import SafeString, mark_safe


def escape(value) -> str:
    """What the template's autoescape does (``django.utils.html.escape`` is ``html.escape`` of the text),
    without its lazy-string wrapper: a few thousand calls a page."""
    return html.escape(str(value))


_CODE_KINDS = ("function", "economic")
_PICK_KINDS = ("source", "item", "project", "part", "subject")


def _marks(found: list[dict]) -> str:
    return "".join(f'<a class="mark" href="#f{escape(f["n"])}">{escape(f["n"])}</a>' for f in found)


def _input(i: int, cell: dict) -> str:
    col = cell["col"]
    kind, name, value, label = col["kind"], f'r{i}-{escape(col["key"])}', escape(cell["value"]), escape(col["label"])
    if kind in _CODE_KINDS:
        return (f'<input name="{name}" value="{value}" list="dl-{escape(kind)}" inputmode="numeric" autocomplete="off"'
                f' aria-label="{label}">')
    if kind in _PICK_KINDS:
        return f'<input name="{name}" value="{value}" list="dl-{escape(kind)}" autocomplete="off" class="pick" aria-label="{label}">'
    if kind == "long":  # a paragraph (a function, a note, a definition): a text area that keeps its line breaks
        return f'<textarea name="{name}" rows="2" aria-label="{label}">{value}</textarea>'
    extra = ' inputmode="decimal" class="num"' if kind == "amount" else ' inputmode="numeric" class="num"' if kind == "int" else ""
    return f'<input name="{name}" value="{value}"{extra} aria-label="{label}">'


def rows_html(g: dict) -> SafeString:
    """``<tr>`` of every row of ``g`` (a ``grid_views.grid_context``)."""
    out = []
    can_edit = g["can_edit"]
    for r in g["rows"]:
        out.append(f'<tr id="{escape(r["id"])}">\n      <td class="rowno">{escape(r["number"])}{_marks(r["marks"])}</td>\n      ')
        for c in r["cells"]:
            tip = f' title="{escape(c["tip"])}"' if c["tip"] else ""
            out.append(f'<td id="{escape(c["id"])}" class="{escape(c["col"]["kind"])} {escape(c["cls"])}"{tip}>\n        ')
            out.append(_input(r["i"], c) if can_edit else escape(c["value"]))
            if c["clash"]:
                out.append(f'\n        <small class="clash-note">他人已保存：{escape(c["clash"]["saved"] or "（空）")}</small>')
            out.append(f'\n        {_marks(c["marks"])}</td>')
        out.append("\n    </tr>")
    return mark_safe("".join(out))
