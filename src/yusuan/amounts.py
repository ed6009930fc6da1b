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


# The direction a year-over-year word states, by stem: the reader signs what it reads with it and the
# rules judge the words with it, so a word the reader understands (降幅, 减幅, 涨幅, 下降率为 …) is never
# one a rule cannot place. Stems rather than a list of words: publishers write 增幅/涨幅/上调/新增 as
# readily as 增长, and 降幅/减幅/压减/下调/回落 as 下降.
_UP_STEMS = ("增", "上升", "提高", "涨", "上调")
_DOWN_STEMS = ("减", "降", "下调", "回落")
FLAT_WORDS = ("持平", "无变化", "不变", "无增减", "无变动", "没有变化", "未变", "未发生变化", "保持不变")


@lru_cache(maxsize=256)
def word_direction(word: str | None) -> int | None:
    """+1 for a rise (增加, 增幅, 上升 …), −1 for a fall (减少, 降幅, 下降率为 …), 0 for no change (持平, 无变化 …);
    None for no direction word, or for both at once (a template's option left in: 增加（减少）)."""
    if not word:
        return None
    w = normalise_text(word)
    if any(f in w for f in FLAT_WORDS):
        return 0
    up, down = any(s in w for s in _UP_STEMS), any(s in w for s in _DOWN_STEMS)
    if up == down:
        return None
    return 1 if up else -1
