from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from yusuan.amounts import (
    AmountError, fmt_amount, fmt_plain, growth_rate, largest_remainder, parse_amount, percent, round_half_up,
)


@pytest.mark.parametrize("text,expected", [
    ("4878.73　", Decimal("4878.73")), ("    55.40", Decimal("55.40")), ("1,760", Decimal("1760")),
    ("　", None), ("-", None), ("", None), ("１２.５", Decimal("12.5")), ("180万元", Decimal("180")),
    ("0", Decimal("0")),
])
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


def test_parse_amount_rejects_text():
    with pytest.raises(AmountError, match="不是有效的金额"):
        parse_amount("一百")


def test_half_up_not_bankers():
    assert round_half_up(Decimal("0.125")) == Decimal("0.13")
    assert round_half_up(Decimal("2.675")) == Decimal("2.68")


def test_percent_and_growth():
    assert percent(Decimal("2786.73"), Decimal("6128.18")) == Decimal("45.47")
    assert growth_rate(Decimal("1174.93"), Decimal("1032.15")) == Decimal("13.83")
    assert growth_rate(Decimal("5"), Decimal("0")) is None


def test_formats():
    assert fmt_amount(Decimal("3.9")) == "3.90"
    assert fmt_amount(None) == ""
    assert fmt_plain(Decimal("483.80")) == "483.8"
    assert fmt_plain(Decimal("20.00")) == "20"


@given(st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2), min_size=1, max_size=12))
def test_largest_remainder_totals_100(parts):
    shares = largest_remainder(parts)
    assert sum(shares) == Decimal("100")
    for share, part in zip(shares, parts):
        exact = part / sum(parts) * 100
        assert abs(share - exact) < Decimal("0.01")
