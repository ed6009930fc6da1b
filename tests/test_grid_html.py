"""The grid rows written in Python (yusuan.web.grid_html) draw the markup the template loop drew.

The loop below is ``_grid.html``'s body as it was before the rows moved to Python (the template
language was most of the editing page's time): both are rendered for an editable grid with findings
marked on its cells, a read-only one, and one with a conflict, and must agree (whitespace aside)."""

from __future__ import annotations

import re

import pytest
from test_grid import GridBase, form_of
from web_support import django_db as _django_db  # noqa: F401 - sets Django up

from django.template import engines  # noqa: E402

from yusuan.web import grid as G  # noqa: E402
from yusuan.web import grid_views as GV  # noqa: E402
from yusuan.web.models import Package  # noqa: E402
from yusuan.web.views import _findings  # noqa: E402

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)

TEMPLATE_LOOP = """{% for r in g.rows %}<tr id="{{ r.id }}">
      <td class="rowno">{{ r.number }}{% for f in r.marks %}<a class="mark" href="#f{{ f.n }}">{{ f.n }}</a>{% endfor %}</td>
      {% for c in r.cells %}<td id="{{ c.id }}" class="{{ c.col.kind }} {{ c.cls }}"{% if c.tip %} title="{{ c.tip }}"{% endif %}>
        {% if g.can_edit %}
          {% if c.col.kind == "function" or c.col.kind == "economic" %}<input name="r{{ r.i }}-{{ c.col.key }}" value="{{ c.value }}" list="dl-{{ c.col.kind }}" inputmode="numeric" autocomplete="off" aria-label="{{ c.col.label }}">
          {% elif c.col.kind == "source" or c.col.kind == "item" or c.col.kind == "project" or c.col.kind == "part" or c.col.kind == "subject" %}<input name="r{{ r.i }}-{{ c.col.key }}" value="{{ c.value }}" list="dl-{{ c.col.kind }}" autocomplete="off" class="pick" aria-label="{{ c.col.label }}">
          {% elif c.col.kind == "long" %}<textarea name="r{{ r.i }}-{{ c.col.key }}" rows="2" aria-label="{{ c.col.label }}">{{ c.value }}</textarea>
          {% else %}<input name="r{{ r.i }}-{{ c.col.key }}" value="{{ c.value }}"{% if c.col.kind == "amount" %} inputmode="decimal" class="num"{% elif c.col.kind == "int" %} inputmode="numeric" class="num"{% endif %} aria-label="{{ c.col.label }}">{% endif %}
        {% else %}{{ c.value }}{% endif %}
        {% if c.clash %}<small class="clash-note">他人已保存：{{ c.clash.saved|default:"（空）" }}</small>{% endif %}
        {% for f in c.marks %}<a class="mark" href="#f{{ f.n }}">{{ f.n }}</a>{% endfor %}</td>{% endfor %}
    </tr>{% endfor %}"""


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


class GridHtmlTest(GridBase):
    def contexts(self):
        p = Package.objects.get(pk=self.package.pk)
        findings = _findings(p.report)
        marks = GV._marks(findings, p.tables or [], p)
        for key in G.GRIDS:
            yield GV.grid_context(p, key, True, marks)
            yield GV.grid_context(p, key, False, marks)
        rows = G.rows_of(p.facts, "basic")
        yours = [dict(r) for r in rows]
        yours[0]["amount"] = "1<2 & \"3\""  # escaped the same way by both
        clash = G.conflict_cells(yours, rows, [{**rows[0], "amount": ""}] + rows[1:], "basic")
        yield GV.grid_context(p, "basic", True, marks, rows=yours, conflict=clash,
                              problems=[(3, "amount", "第3行：应为金额")])

    def test_python_rows_draw_what_the_template_loop_drew(self):
        loop = engines["django"].from_string(TEMPLATE_LOOP)
        seen_marks = seen_clash = seen_readonly = False
        for g in self.contexts():
            expected = loop.render({"g": g})
            self.assertEqual(_normal(str(g["body"])), _normal(expected), g["key"])
            seen_marks |= 'class="mark"' in expected
            seen_clash |= "clash-note" in expected
            seen_readonly |= not g["can_edit"] and "<input" not in expected and bool(g["rows"])
        self.assertTrue(seen_marks and seen_clash and seen_readonly)  # every branch of the markup was compared

    def test_the_page_still_posts_what_it_shows(self):
        page = self.page(self.client_as("tian"))
        data = form_of(page, "basic")
        self.assertTrue(any(re.fullmatch(r"r0-amount", k) for k in data))
        self.assertIn('id="g-basic-3-C"', page)
