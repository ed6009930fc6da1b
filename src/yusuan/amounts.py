"""Amounts, shares and rates: exact decimals, printed the way disclosures print them.

Every amount in yusuan is a ``Decimal`` in 万元 unless a table says otherwise. Floats never enter:
a value that arrives as a float (YAML, a spreadsheet cell) is converted through its shortest
``repr`` so that 311.55 stays 311.55.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")

# What published tables print for "nothing": blank, full-width space, dashes.
_BLANKS = {"", "-", "—", "–", "--", "/", "－", "——"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class AmountError(ValueError):
    """A text that should be an amount is not one."""


@lru_cache(maxsize=4096)
def normalise_text(text: str) -> str:
    """Full-width to half-width (NFKC), no spaces of any kind. Used to compare names and numbers.

    Cached (a pure function of a short string): one check normalises ~470 names, project and class
    names over and over (~180 distinct)."""
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub("", text)


_SPACES = re.compile(r"\s+")


def to_decimal(value: object) -> Decimal:
    """Convert an int, str or float (through its repr) to Decimal; reject anything else."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise AmountError(f"不是金额：{value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        parsed = parse_amount(value)
        if parsed is None:
            raise AmountError("金额为空")
        return parsed
    raise AmountError(f"不是金额：{value!r}")


def parse_amount(text: str | None) -> Decimal | None:
    """Parse a printed amount. Blank, '　', '-' give None (printed as nothing).

    Handles stray and full-width spaces, thousands separators ('1,760'), full-width digits,
    a trailing '万元' or '元'. Raises AmountError for anything else.
    """
    if text is None:
        return None
    cleaned = normalise_text(str(text))
    if cleaned in _BLANKS:
        return None
    for suffix in ("万元", "元"):
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
    cleaned = cleaned.replace(",", "")
    if not _NUMBER.match(cleaned):
        raise AmountError(f"“{str(text).strip()}”不是有效的金额")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex already filters
        raise AmountError(f"“{text}”不是有效的金额") from exc


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_amount(value: Decimal | None, blank_zero: bool = False) -> str:
    """Two decimals, no thousands separator, as the tables print. None → ''."""
    if value is None or (blank_zero and value == 0):
        return ""
    return f"{round_half_up(value):.2f}"


def fmt_plain(value: Decimal) -> str:
    """Shortest exact form ('20', '483.8', '0.74') as narrative text often prints amounts."""
    value = round_half_up(value)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole × 100, rounded half-up to two decimals; None when whole is zero."""
    if whole == 0:
        return None
    return round_half_up(part / whole * HUNDRED)


def growth_rate(current: Decimal, last: Decimal) -> Decimal | None:
    """(current − last) / last × 100, half-up to two decimals; None from a zero base."""
    if last == 0:
        return None
    return round_half_up((current - last) / last * HUNDRED)


def largest_remainder(parts: list[Decimal], places: int = 2) -> list[Decimal]:
    """Shares of a whole, in percent, adjusted by the largest-remainder method to total exactly 100.

    Used only where the profile asks for shares that add up; the default is plain half-up rounding.
    """
    whole = sum(parts, ZERO)
    if whole == 0:
        return [ZERO for _ in parts]
    step = Decimal(1).scaleb(-places)
    exact = [p / whole * HUNDRED for p in parts]
    floored = [e.quantize(step, rounding="ROUND_DOWN") for e in exact]
    missing = int(((HUNDRED - sum(floored, ZERO)) / step).to_integral_value())
    order = sorted(range(len(parts)), key=lambda i: exact[i] - floored[i], reverse=True)
    for i in order[:missing]:
        floored[i] += step
    return floored


def direction_word(change: Decimal, increase: str = "增加", decrease: str = "减少", same: str = "持平") -> str:
    if change > 0:
        return increase
    if change < 0:
        return decrease
    return same
