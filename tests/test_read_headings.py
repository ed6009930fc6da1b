"""Section headings: who the budget is of (部门预算/单位预算) does not make another section, so a title
with the wrong entity word is still read as its section (W.SELF.NAME reports the word, once)."""

from __future__ import annotations

import pytest

from yusuan.read.headings import load_headings


@pytest.mark.parametrize("title", [
    "四、2023年部门预算编制说明",
    "四、2023年单位预算编制说明",  # the entity word swapped
])
def test_entity_word_does_not_hide_the_section(title):
    assert load_headings("shanghai").section(title) == ("summary", 3)


def test_an_unrelated_title_is_still_not_a_section():
    assert load_headings("shanghai").section("四、2023年单位预算执行审计结果") is None
