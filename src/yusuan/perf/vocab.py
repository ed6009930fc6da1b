"""The indicator hierarchy and the qualitative wording the checks and the scorer understand.

Level names follow the national templates (财预〔2020〕10号 附件 and the Xinjiang 2023 template,
where 成本指标 is a 一级 of its own). Printed names are compared after removing spaces.
"""

from __future__ import annotations

import re

from yusuan.amounts import normalise_text

LEVEL1_OUTPUT = "产出指标"
LEVEL1_BENEFIT = "效益指标"
LEVEL1_SATISFACTION = "满意度指标"
LEVEL1_COST = "成本指标"
REQUIRED_LEVEL1 = (LEVEL1_OUTPUT, LEVEL1_BENEFIT, LEVEL1_SATISFACTION)

# 一级 → the 二级 that may stand under it.
LEVEL2_BY_LEVEL1: dict[str, tuple[str, ...]] = {
    LEVEL1_OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
    LEVEL1_BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    LEVEL1_SATISFACTION: ("服务对象满意度指标",),
    LEVEL1_COST: ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}


def is_cost(level1: str, level2: str) -> bool:
    """A cost indicator: under 一级 成本指标, or 二级 成本指标 under 产出指标 (older template)."""
    return normalise_text(level1) == LEVEL1_COST or normalise_text(level2).endswith("成本指标")


# Qualitative targets: an optional degree word followed by a verb of improvement, or a fixed phrase.
_DEGREE = "有效|显著|明显|得到|进一步|逐步|大幅|持续|稳步|基本|全面|不断|较大|明显的|大幅度"
_VERB = "提高|提升|保障|促进|改善|支撑|发挥|推进|优化|控制|制止|增强|加强|减少|降低|下降|缓解|改进|规范|完善|落实|保护"
_GRADE_RE = re.compile(rf"^({_DEGREE})?({_VERB})$")
FIXED_GRADES = {
    "及时有效", "符合要求", "达到要求", "达标", "合格", "优秀", "良好", "较好", "好", "高", "是", "完成", "按时完成",
    "达成", "部分达成", "未达成", "达到预期", "达到", "满意", "基本满意", "无",
}


def is_known_grade(grade: str) -> bool:
    body = normalise_text(grade)
    return body in FIXED_GRADES or bool(_GRADE_RE.match(body))


# Unit in an indicator name: the text in the last bracket pair, "完成县市…（个）" → 个.
_NAME_UNIT = re.compile(r"[（(]\s*([^（）()]+?)\s*[)）]\s*$")


def unit_in_name(name: str) -> str | None:
    match = _NAME_UNIT.search(name)
    if not match:
        return None
    unit = normalise_text(match.group(1))
    # Only short unit-like texts; "（包括：文本、图集、说明书）" is an explanation, not a unit.
    return unit if 0 < len(unit) <= 4 and not re.search(r"[、，,：:]", unit) else None
