"""yusuan.disclosure.fastattr: the disclosure models read their attributes with the plain getter, and answer
exactly as pydantic's ``__getattr__`` did (values, private attributes, errors)."""

from __future__ import annotations

import copy
import pickle
import sys
from decimal import Decimal

import pytest
from pydantic import BaseModel, ConfigDict, PrivateAttr

import yusuan.disclosure as disclosure
from yusuan.disclosure import Cell, Disclosure, Row, Table, fastattr

CPYTHON = sys.implementation.name == "cpython"


class PlainRow(BaseModel):
    """An unpatched model like Row: what pydantic itself answers."""

    model_config = ConfigDict(extra="forbid")
    key: str
    _printed: frozenset[str] | None = PrivateAttr(default=None)


@pytest.mark.skipif(not CPYTHON, reason="only CPython's getter slot is changed")
def test_every_disclosure_model_gets_the_plain_getter():
    assert set(disclosure.PLAIN_ATTRIBUTE_ACCESS) >= {Row, Cell, Table, Disclosure}
    generic = fastattr.ctypes.cast(fastattr.ctypes.pythonapi.PyObject_GenericGetAttr, fastattr.ctypes.c_void_p).value
    for cls in disclosure.PLAIN_ATTRIBUTE_ACCESS:
        assert fastattr._word(cls, fastattr._SLOT) == generic, cls
    assert fastattr._word(PlainRow, fastattr._SLOT) != generic  # other models are left as they are


def test_attribute_errors_are_the_same_as_pydantics():
    row, plain = Row(key="total"), PlainRow(key="total")
    for obj in (row, plain):
        with pytest.raises(AttributeError) as caught:
            obj.missing  # noqa: B018
        assert str(caught.value) == f"'{type(obj).__name__}' object has no attribute 'missing'"
        assert getattr(obj, "missing", 7) == 7 and not hasattr(obj, "missing")
    assert Cell(text="x").model_fields_set == {"text"}  # pydantic's own attributes still read


def test_private_attribute_read_set_copied_and_pickled_as_before():
    row, plain = Row(key="total"), PlainRow(key="total")
    for obj in (row, plain):
        assert obj._printed is None
        obj._printed = frozenset({"total"})
        assert obj._printed == frozenset({"total"}) and obj.__pydantic_private__ == {"_printed": frozenset({"total"})}
        for twin in (obj.model_copy(), copy.deepcopy(obj), pickle.loads(pickle.dumps(obj))):
            assert twin._printed == frozenset({"total"})
        assert "_printed" not in obj.model_dump()
        del obj._printed
        with pytest.raises(AttributeError):
            obj._printed  # noqa: B018
    assert Row.model_construct(key="x")._printed is None


def test_fields_and_subclasses_read_the_same():
    cell = Cell(text="1,234.50", value=Decimal("1234.50"))
    row = Row(key="f:201", name="一般公共服务支出", cells={"total": cell})
    assert row.cells["total"].value == Decimal("1234.50") and row.key == "f:201" and row.code is None

    class Special(Cell):  # created later: pydantic's hook again, same answers
        note: str = ""

    s = Special(text="2", value=Decimal(2), note="n")
    assert (s.text, s.value, s.note) == ("2", Decimal(2), "n")
    with pytest.raises(AttributeError):
        s.missing  # noqa: B018


def test_a_model_with_extra_fields_is_not_changed():
    class Extra(BaseModel):
        model_config = ConfigDict(extra="allow")
        a: int = 0

    assert not fastattr.eligible(Extra)
    assert fastattr.plain_attribute_access(Extra) == []
    assert Extra(a=1, b=2).b == 2
