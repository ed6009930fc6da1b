"""Plain attribute reads for the disclosure models (the checks read ~100,000 attributes per package).

pydantic's ``BaseModel`` defines ``__getattr__`` (for private attributes and extra fields). A class with a
``__getattr__`` anywhere in its MRO gets CPython's ``slot_tp_getattr_hook`` as its attribute getter, and the
interpreter then cannot specialise ``row.cells`` or ``cell.value`` into a direct read: every attribute read
on a model takes the slow generic path, about a sixth of all the work of checking a package.

For a model with no extra fields, ``BaseModel.__getattr__`` only answers private attributes (``Row._printed``)
and otherwise raises, for an attribute that does not exist, the same ``AttributeError`` (same type, same
message) the plain getter raises. ``plain_attribute_access`` gives such classes a property per private
attribute, reading it as ``__getattr__`` did, and the plain getter (``PyObject_GenericGetAttr``, what
``object`` uses): the same answers, read directly.

It is applied only when everything can be verified at run time: CPython, the getter slot found in
``object``'s type structure, the class's slot still pydantic's hook, and the class without extra fields,
descriptor-valued private attributes or its own ``__getattribute__``/``__getattr__``. Anything else leaves the class as
it is (slower, never different). Subclasses created later get the hook again, as usual.
"""

from __future__ import annotations

import ctypes
import sys

_WORDS = 64  # pointer-sized words of a type object searched for the getter slot (tp_getattro is the 19th)


def _word(obj: object, index: int) -> int | None:
    return ctypes.c_void_p.from_address(id(obj) + index * ctypes.sizeof(ctypes.c_void_p)).value


def _getter_slot() -> int | None:
    """Index of ``tp_getattro`` in a type object, found and verified on three probe classes; None if unsure."""
    if sys.implementation.name != "cpython":
        return None
    generic = ctypes.cast(ctypes.pythonapi.PyObject_GenericGetAttr, ctypes.c_void_p).value

    class Plain:
        pass

    class Hooked:
        def __getattr__(self, name):  # pragma: no cover - never called
            raise AttributeError(name)

    found = [i for i in range(_WORDS) if _word(object, i) == generic]
    slots = [i for i in found if _word(Plain, i) == generic and _word(Hooked, i) not in (None, generic)]
    return slots[0] if len(slots) == 1 else None


_SLOT = _getter_slot()


def _pydantic_hook() -> int | None:
    from pydantic import BaseModel

    class Probe(BaseModel):
        pass

    return _word(Probe, _SLOT) if _SLOT is not None else None


def eligible(cls: type) -> bool:
    """Whether ``BaseModel.__getattr__`` can be made redundant on ``cls``: no extra fields, no getter of its
    own, and only plain private attributes (values in the instance's private store, no descriptor), which
    ``_private_reader`` then reads as ``BaseModel.__getattr__`` does."""
    from pydantic import BaseModel

    return (issubclass(cls, BaseModel)
            and cls.model_config.get("extra") != "allow"
            and cls.__getattribute__ is object.__getattribute__
            and cls.__getattr__ is BaseModel.__getattr__
            and all(not hasattr(attribute, "__get__") and name not in cls.__dict__
                    for name, attribute in cls.__private_attributes__.items()))


def _private_reader(name: str) -> property:
    """``instance.<name>`` for a private attribute, as ``BaseModel.__getattr__`` answers it: the value in the
    private store, else the same ``AttributeError``. (Setting and deleting still go through pydantic's
    ``__setattr__``/``__delattr__``, which handle private names before looking at the class.)"""
    def read(self):
        try:
            return self.__pydantic_private__[name]
        except (KeyError, TypeError):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}") from None

    return property(read, doc=f"private attribute {name} (see yusuan.disclosure.fastattr)")


def plain_attribute_access(*classes: type) -> list[type]:
    """Give each eligible class the plain attribute getter; returns the classes changed."""
    hook = _pydantic_hook()
    if _SLOT is None or hook is None:
        return []
    generic = ctypes.cast(ctypes.pythonapi.PyObject_GenericGetAttr, ctypes.c_void_p).value
    changed = []
    for cls in classes:
        if not eligible(cls) or _word(cls, _SLOT) != hook:
            continue
        for name in cls.__private_attributes__:
            setattr(cls, name, _private_reader(name))
        ctypes.c_void_p.from_address(id(cls) + _SLOT * ctypes.sizeof(ctypes.c_void_p)).value = generic
        changed.append(cls)
    return changed
