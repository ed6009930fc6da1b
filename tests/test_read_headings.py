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


def test_the_layout_is_told_by_its_section_titles_before_place_names():
    from yusuan.read.detect import detect_profile

    shanghai_titles = ["一、部门主要职能", "二、部门机构设置", "四、2023年部门预算编制说明", "二、机关运行经费预算",
                       "三、政府采购预算情况", "四、绩效目标设置情况", "七、项目经费情况说明"]
    xinjiang_titles = ["一、主要职能", "二、机构设置及人员情况", "一、关于哈密市医疗保障局2023年收支预算情况的总体说明",
                       "二、关于哈密市医疗保障局2023年收入预算情况说明", "名词解释"]
    opening = "哈密市医疗保障局2023年部门预算公开"
    assert detect_profile(opening, [], "budget", shanghai_titles) == "shanghai"
    assert detect_profile(opening, [], "budget", xinjiang_titles) == "xinjiang"
    # too few titles to tell: the place name decides, as before
    assert detect_profile(opening, [], "budget", shanghai_titles[:2]) == "xinjiang"
    assert detect_profile("上海市黄浦区某局2023年部门预算", [], "budget", []) == "shanghai"
