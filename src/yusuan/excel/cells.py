"""Cell values in and out: exact amounts, integers, codes, dates and Chinese labels.

Amounts are written as numbers. Excel keeps no trace of how many decimals a figure was entered with
(20 and 20.00 are the same number to it), yet the package text must round-trip exactly, so the number
format records the places: every format displays two (or four) decimals, and the sections after the
first, which Excel shows identically, tell the reader how many places the figure had.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from yusuan.amounts import AmountError, normalise_text, to_decimal

# places → number format; all display the same as "0.00" / "0.0000".
_FORMATS = {
    0: "0.00;-0.00",
    1: "0.00;-0.00;0.00",
    2: "0.00",
    3: "0.0000;-0.0000",
    4: "0.0000",
}
_PLACES = {fmt: places for places, fmt in _FORMATS.items()}
AMOUNT_FORMAT = _FORMATS[2]
_FLOAT_NOISE = Decimal("1E-9")


class CellError(ValueError):
    """A cell holds something that cannot be what its column expects (message in Chinese)."""


def places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def amount_out(value: Decimal) -> tuple[object, str]:
    """A Decimal → (cell value, number format). More than four places are kept exactly as text."""
    p = places(value)
    if p > 4:
        return format(value, "f"), "@"
    if p == 0:
        return int(value), _FORMATS[0]
    return float(value), _FORMATS[p]


def shown(value: object) -> str:
    return str(value).strip() if not isinstance(value, float) else repr(value)


def amount_in(value: object, number_format: str | None) -> Decimal | None:
    """A cell → Decimal (None when blank). Raises CellError for text that is not an amount."""
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime, dt.time)):
        raise CellError(f"应为金额（万元，数字），实际为“{shown(value)}”")
    try:
        if isinstance(value, str):
            if not value.strip() or normalise_text(value) in ("", "-", "—"):
                return None
        number = to_decimal(value)
    except (AmountError, ValueError):
        raise CellError(f"应为金额（万元，数字），实际为“{shown(value)}”") from None
    if isinstance(value, float) and places(number) > 4:
        # A formula such as =0.1+0.2 leaves binary noise (0.30000000000000004); Excel shows 0.30.
        rounded = number.quantize(Decimal("0.0001"))
        if abs(rounded - number) < _FLOAT_NOISE:
            number = _fewest_places(rounded)
    if not isinstance(value, str):
        # Spreadsheet programs may re-escape a format on saving ("0.00;\\-0.00"): compare without escapes.
        wanted = _PLACES.get((number_format or "").replace("\\", "").replace('"', ""))
        if wanted is not None and places(number) < wanted:
            number = number.quantize(Decimal(1).scaleb(-wanted))  # only ever adds zeros
    return number


def _fewest_places(value: Decimal) -> Decimal:
    value = value.normalize()
    return value.quantize(Decimal(1)) if places(value) == 0 else value


def int_in(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"应为整数，实际为“{value}”")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(f"应为整数，实际为“{shown(value)}”")
    if isinstance(value, str):
        text = normalise_text(value)
        if not text:
            return None
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
    raise CellError(f"应为整数，实际为“{shown(value)}”")


def text_in(value: object) -> str | None:
    """Any cell as text; numbers typed into a text column come back without a spurious '.0'."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def code_in(value: object) -> str | None:
    """A classification code: '2200101', 2200101 or '2200101 行政运行' (as picked from the list) → '2200101'.

    Malformed codes are passed on unchanged so that the model's message names them.
    """
    text = text_in(value)
    if text is None:
        return None
    text = text.strip()
    head = _CODE_HEAD.match(text)
    return head.group(1) if head else text


# digits, then the end or a name that does not start with a digit (“2050101 行政运行”, “2050101行政运行”)
_CODE_HEAD = re.compile(r"(\d+)(?=$|\s|[^\d\s.．])")


def code_and_name_in(value: object) -> tuple[str | None, str | None]:
    """A classification cell → (code, the name typed beside it or None): '2050101 行政运行' → ('2050101', '行政运行').

    Picked from the drop-down list the name is the catalogue's; typed by hand it may be a name the
    catalogue lacks. Malformed codes come back as in ``code_in``, without a name."""
    code = code_in(value)
    if code is None or not code.isdigit():
        return code, None
    text = text_in(value).strip()  # type: ignore[union-attr]
    rest = text[len(code):].strip(" \t　:：-—、.．")
    return code, (rest or None)


_DATE = re.compile(r"(\d{4})[年/.-](\d{1,2})[月/.-](\d{1,2})日?")


def date_in(value: object) -> dt.date | str | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = text_in(value)
    match = _DATE.fullmatch(normalise_text(text)) if text else None
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise CellError(f"日期“{text.strip()}”不存在") from None
    return text  # the model says what it expected


def choice_in(value: object, labels: dict[str, str], what: str) -> str | None:
    """A Chinese label (or the internal key) → the internal key."""
    text = text_in(value)
    if text is None:
        return None
    wanted = normalise_text(text)
    for key, label in labels.items():
        if wanted in (normalise_text(label), key):
            return key
    raise CellError(f"{what}“{text.strip()}”无法识别，应为下列之一：{'、'.join(labels.values())}")
