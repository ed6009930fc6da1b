"""Full-text search over published versions, ranked by relevance, on SQLite and PostgreSQL.

One function, ``ranked(q)``: the ids of the versions whose search text holds every term of the
query, best first. Chinese needs no word segmentation here: both back ends index character
trigrams.

- SQLite: an FTS5 virtual table ``web_version_fts`` with the ``trigram`` tokenizer (SQLite ≥ 3.34),
  rowid = version id, filled when a version is created (``post_save``, versions never change) and
  by migration 0004 / ``manage.py portal_refresh`` for older ones. A term of three characters or
  more is a phrase of the MATCH expression (ranked by ``bm25``); a shorter one (``昌吉``) cannot
  make a trigram and is a ``LIKE`` on the same table.
- PostgreSQL: ``pg_trgm``'s GIN index on ``web_version.search_text`` (the column is the index, so
  it is in sync by construction); every term an ``ILIKE`` the index serves, ranked by how often
  the terms occur, then by trigram ``similarity`` of the query and the text.
- Anything else (or an index that could not be made): the plain substring match of ``search.py``.

Only ``Version`` rows are ever indexed or searched: a draft cannot be found.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection
from django.db.models.signals import post_save
from django.dispatch import receiver

from yusuan.web.search import terms_of

FTS_TABLE = "web_version_fts"
TRGM_INDEX = "web_version_search_trgm"
MAX_RESULTS = 500


def _sqlite_has_fts() -> bool:
    with connection.cursor() as cur:
        cur.execute("select 1 from sqlite_master where type = 'table' and name = %s", [FTS_TABLE])
        return cur.fetchone() is not None


def _pg_has_trgm() -> bool:
    with connection.cursor() as cur:
        cur.execute("select 1 from pg_extension where extname = 'pg_trgm'")
        return cur.fetchone() is not None


@lru_cache(maxsize=8)
def _backend(alias_key: tuple) -> str:
    if connection.vendor == "sqlite" and _sqlite_has_fts():
        return "fts5"
    if connection.vendor == "postgresql" and _pg_has_trgm():
        return "trgm"
    return "like"


def backend() -> str:
    """``fts5``, ``trgm`` or ``like``: which index answers the search on this database."""
    s = connection.settings_dict
    return _backend((connection.vendor, str(s.get("NAME")), str(s.get("HOST"))))


def _version_model():
    from django.apps import apps  # not yusuan.web.models, which would make an import cycle through the model

    return apps.get_model("web", "Version")


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _occurrences(terms: list[str]) -> str:
    """SQL: how often the terms occur in the text (case-folded), the same on both databases: a
    version that names the term in many lines (department, units, projects, classes) ranks above
    one that names it once."""
    one = "(length(search_text) - length(replace(lower(search_text), %s, ''))) / %s"
    return "(" + " + ".join([one] * len(terms)) + ")"


def _occurrence_params(terms: list[str]) -> list:
    return [x for t in terms for x in (t.lower(), len(t))]


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def ranked(q: str | None) -> list[int]:
    """Ids of the versions matching every term of ``q``, most relevant first (at most MAX_RESULTS)."""
    terms = terms_of(q)
    if not terms:
        return []
    kind = backend()
    if kind == "fts5":
        long_terms = [t for t in terms if len(t) >= 3]
        where, params = [], []
        if long_terms:
            where.append(f"{FTS_TABLE} match %s")
            params.append(" ".join(_phrase(t) for t in long_terms))
        for t in terms:
            if len(t) < 3:
                where.append("search_text like %s escape '\\'")
                params.append(_like(t))
        if long_terms:
            order, order_params = "bm25(web_version_fts), rowid desc", []
        else:  # no trigram to rank by: the terms' occurrences, as for PostgreSQL
            order, order_params = _occurrences(terms) + " desc, rowid desc", _occurrence_params(terms)
        sql = f"select rowid from {FTS_TABLE} where {' and '.join(where)} order by {order} limit {MAX_RESULTS}"
        params += order_params
    elif kind == "trgm":
        where = " and ".join("search_text ilike %s" for _ in terms)
        params = [_like(t) for t in terms] + _occurrence_params(terms) + [" ".join(terms)]
        sql = (f"select id from web_version where {where} order by {_occurrences(terms)} desc, "
               f"similarity(%s, search_text) desc, id desc limit {MAX_RESULTS}")
    else:
        from yusuan.web.search import matching

        return list(_version_model().objects.filter(matching(q)).order_by("-id").values_list("id", flat=True)[:MAX_RESULTS])
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [row[0] for row in cur.fetchall()]


def index(version_id: int, text: str) -> None:
    """Add a version to the SQLite index (PostgreSQL indexes the column itself)."""
    if backend() == "fts5":
        with connection.cursor() as cur:
            cur.execute(f"insert or replace into {FTS_TABLE}(rowid, search_text) values (%s, %s)", [version_id, text])


def rebuild() -> int:
    """The SQLite index filled again from every version; returns how many versions it holds."""
    rows = list(_version_model().objects.values_list("id", "search_text"))
    if backend() == "fts5":
        with connection.cursor() as cur:
            cur.execute(f"delete from {FTS_TABLE}")
            cur.executemany(f"insert into {FTS_TABLE}(rowid, search_text) values (%s, %s)", rows)
    return len(rows)


@receiver(post_save, sender="web.Version", dispatch_uid="yusuan-version-fulltext")
def _index_new_version(sender, instance, created, **kwargs):
    if created:
        index(instance.pk, instance.search_text)
