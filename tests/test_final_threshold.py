"""FB.DIFF.REASON's threshold is profile data (``difference_reason_share`` of the final layouts), 10% unless a
layout says otherwise: the same 13% difference without a reason is found at 10% and at 5%, not at 15%."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from tests.test_final_account import _budget_of, _edit_statement, account, disclosure  # noqa: F401 - fixtures
from yusuan.compose import compose
from yusuan.profiles import Profile, load_profile
from yusuan.rules.engine import check_disclosure


def test_final_layouts_keep_the_ten_percent_default():
    for name in ("final_common", "shanghai_final"):
        assert load_profile(name).difference_reason_share == Decimal("0.10")


@pytest.mark.parametrize("share,found", [(None, True), ("0.05", True), ("0.15", False)])
def test_the_layout_sets_the_threshold(account, disclosure, share, found):  # noqa: F811 - fixtures
    # 信息化建设 (2010607): 决算 130.00 against a published budget of 150.00, 13% less, the reason removed
    d = _edit_statement(disclosure, "general:function:2010607", reason=None, text="信息化建设支出决算为130.00万元。")
    profile = load_profile(d.profile)
    if share is not None:
        profile = profile.model_copy(update={"difference_reason_share": Decimal(share)})
    report = check_disclosure(d, profile=profile, previous=compose(_budget_of(account)))
    hits = [f for f in report.findings if f.rule == "FB.DIFF.REASON"]
    assert [f.subject for f in hits] == (["f:2010607"] if found else [])
    if found:
        assert f"超过{'10' if share is None else '5'}%" in hits[0].message


def test_a_share_outside_zero_to_one_is_refused():
    data = load_profile("final_common").model_dump()
    data["difference_reason_share"] = Decimal("1.5")
    with pytest.raises(ValidationError, match="difference_reason_share"):
        Profile.model_validate(data)
