"""Printed names → classification codes, for sentences that name a 类/款/项 or an economic 款.

Names come first from the tables already read (the package's own spelling), then from the
catalogue of the budget year. Matching is exact after normalisation, then by containment
("机关事业单位基本养老保险缴费支出" ~ "机关事业单位基本养老保险"), never by guesswork beyond that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yusuan.amounts import normalise_text
from yusuan.disclosure import Table


def _n(name: str) -> str:
    # 其它/其他 are used interchangeably in printed names
    return normalise_text(name).replace("(", "（").replace(")", "）").replace("其它", "其他").strip("（）")


@dataclass
class NameIndex:
    function: dict[str, list[str]] = field(default_factory=dict)  # code → names (table spelling first)
    economic: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, tables: list[Table], year: int | None) -> "NameIndex":
        index = cls()
        for table in tables:
            for row in table.rows:
                if row.code and row.name:
                    target = index.economic if row.key.startswith("e:") else index.function
                    target.setdefault(row.code, []).append(row.name)
        try:
            from yusuan import catalog

            for kind, target in (("function", index.function), ("economic", index.economic)):
                for code, entry in catalog.load(kind, year or 2023).entries.items():  # type: ignore[arg-type]
                    target.setdefault(code, []).append(entry.name)
        except Exception:  # noqa: BLE001 - a missing catalogue only weakens name matching
            pass
        return index

    @staticmethod
    def _best(label: str, candidates: dict[str, list[str]]) -> str | None:
        norm = _n(label)
        if not norm:
            return None
        pairs = [(c, _n(name)) for c, names in candidates.items() for name in names if _n(name)]
        exact = [c for c, name in pairs if name == norm]
        if exact:
            return exact[0]
        near = [(c, name) for c, name in pairs if name in norm or norm in name]
        if near:  # the longest matching name is the most specific
            return max(near, key=lambda p: len(p[1]))[0]
        return None

    def function_class(self, label: str) -> str | None:
        return self._best(label, {c: n for c, n in self.function.items() if len(c) == 3})

    def function_item(self, lei: str, kuan: str, xiang: str) -> str | None:
        c3 = self.function_class(lei)
        if not c3:
            return None
        c5 = self._best(kuan, {c: n for c, n in self.function.items() if len(c) == 5 and c.startswith(c3)})
        if not c5:
            return None
        return self._best(xiang, {c: n for c, n in self.function.items() if len(c) == 7 and c.startswith(c5)})

    def economic_item(self, label: str) -> str | None:
        return self._best(label, {c: n for c, n in self.economic.items() if len(c) == 5})
