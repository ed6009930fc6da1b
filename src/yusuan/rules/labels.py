"""How findings name a printed row. A module of its own, beneath both the registry's quoting
(``rules.quotes``) and the table rules (``rules.tables_common``), so neither imports the other's layer."""

from __future__ import annotations

from yusuan.disclosure import Row


def row_label(row: Row) -> str:
    name = row.name.strip()
    if row.code and not name.startswith(row.code):
        return f"{row.code} {name}".strip()
    return name or row.key
