"""Parsing Part 1 / Part 3 sentences into ``Statement``s (format-independent: input is paragraphs).

A sentence is cut into comma-separated segments. A segment whose leading words name a subject
("一般公共预算2786.73万元", "退休39人") starts a statement; segments without a subject ("占45.47%",
"比上年预算增加1589.58万元", "增长132.80%") add their figures to the statement before them; the text
after 主要原因 is that statement's reason. Which words name which subject depends on the section
(``SUBJECTS``). Amounts stay as printed; signs come from the direction words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from yusuan.amounts import word_direction
from yusuan.disclosure import Location, Statement
from yusuan.findings import Finding
from yusuan.read.names import NameIndex

NUM = r"(\d[\d,]*(?:\.\d+)?|\.\d+)"
_CHANGE = re.compile(r"(增加|减少|增长|下降|降低|新增)" + NUM + r"万元")
# 增加(减少)X万元 / 增(减)X万元: a template's choice of direction left unmade
_OPTION_CHANGE = re.compile(r"((?:增加|增长|增)\((?:减少|下降|减)\)|(?:减少|下降|减)\((?:增加|增长|增)\))" + NUM + r"万元")
UNKNOWN_CHANGE = Decimal("NaN")
_RATE = re.compile(r"(增长|下降|增加|减少|降低|上升|增幅|降幅|减幅|涨幅|增长率为|下降率为)" + NUM + r"%")
_SHARE = re.compile(r"占(?:比)?" + NUM + r"%")
_LAST_YEAR = re.compile(r"(?:上年(?:预算|预算数|决算数)?|\d{4}年当年预算执行数|上年预算执行数)(?:为|是)" + NUM + r"万元")
_AMOUNT = re.compile(NUM + r"万元")
_COUNT = re.compile(NUM + r"(人|个|辆|台|处)")
_AREA = re.compile(NUM + r"平方米")
_REASON = re.compile(r"主要原因(?:是|为)?[:：]?")
# Final accounts: "年初预算为X万元,支出决算为Y万元,完成年初预算的Z%" (budget, actual, completion)
_BUDGET = re.compile(r"(?:年初预算|全年预算|调整预算|调整后预算)(?:数)?(?:为|是)?" + NUM + r"万元")
_ACTUAL = re.compile(r"(?:支出)?决算(?:数)?(?:为|是)" + NUM + r"万元")
_COMPLETION = re.compile(r"完成(?:年初)?预算(?:数)?的?" + NUM + r"%")
_SHARE_OF_CURRENT = re.compile(r"占本年(支出|收入)合计的?" + NUM + r"%")
_AS_BUDGETED = re.compile(r"决算数(?:与|和)预算数(?:基本)?(?:持平|一致|相符)")


def clean(text: str) -> str:
    """NFKC (full-width punctuation to half-width), no whitespace: what the patterns match on."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)  # thousands separators: "3,121.42万元"
    # Amounts in 元 or 亿元 are read in 万元, the unit every narrative rule works in (a 元 table is
    # compared in its own unit by the rules): "12345678.90元" is the same figure as "1234.56789万元".
    if "元" in text:
        text = _OTHER_UNITS.sub(_to_wan, text)
    return text


_OTHER_UNITS = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(亿元|元)")


def _to_wan(m: re.Match) -> str:
    value = Decimal(m.group(1)) * (10000 if m.group(2) == "亿元" else Decimal("0.0001"))
    return f"{value.normalize():f}万元"


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@dataclass
class Figures:
    label: str = ""
    amount: Decimal | None = None
    blank_amount: bool = False
    share: Decimal | None = None
    last_year: Decimal | None = None
    change: Decimal | None = None
    change_word: str | None = None
    rate: Decimal | None = None
    rate_word: str | None = None
    count: int | None = None
    area: Decimal | None = None
    zero_base: str | None = None
    not_arranged: bool = False
    budget: Decimal | None = None  # final accounts: 年初预算
    completion: Decimal | None = None  # final accounts: 完成年初预算的 Z%
    share_of: str | None = None


def segment_figures(seg: str) -> Figures:
    """The figures one comma-separated segment states, and the words before its first figure."""
    f = Figures()
    spans: list[tuple[int, int]] = []
    for m in _BUDGET.finditer(seg):
        f.budget = _dec(m.group(1)); spans.append(m.span())
    for m in _ACTUAL.finditer(seg):
        if f.amount is None:
            f.amount = _dec(m.group(1)); spans.append(m.span())
    for m in _COMPLETION.finditer(seg):
        f.completion = _dec(m.group(1)); spans.append(m.span())
    for m in _SHARE_OF_CURRENT.finditer(seg):
        f.share, f.share_of = _dec(m.group(2)), f"{'expenditure' if m.group(1) == '支出' else 'income'}:current_year"
        spans.append(m.span())
    for m in _LAST_YEAR.finditer(seg):
        f.last_year = _dec(m.group(1)); spans.append(m.span())
    for m in _CHANGE.finditer(seg):
        sign = -1 if word_direction(m.group(1)) == -1 else 1
        f.change, f.change_word = sign * _dec(m.group(2)), m.group(1); spans.append(m.span())
    for m in _OPTION_CHANGE.finditer(seg):
        # a template's option left in (增加(减少)X万元): the change is stated, its direction unknown — not
        # "no comparison"; the option itself is W.TEMPLATE's finding
        if f.change is None:
            f.change, f.change_word = UNKNOWN_CHANGE, m.group(1); spans.append(m.span())
    for m in _RATE.finditer(seg):
        sign = -1 if word_direction(m.group(1)) == -1 else 1
        f.rate, f.rate_word = sign * _dec(m.group(2)), m.group(1); spans.append(m.span())
    for m in _SHARE.finditer(seg):
        if not any(a <= m.start() < b for a, b in spans):
            f.share = _dec(m.group(1)); spans.append(m.span())
    for m in _AMOUNT.finditer(seg):
        if not any(a <= m.start() < b for a, b in spans):
            if f.amount is None:
                f.amount = _dec(m.group(1)); spans.append(m.span())
    for m in _AREA.finditer(seg):
        f.area = _dec(m.group(1)); spans.append(m.span())
    for m in _COUNT.finditer(seg):
        if not any(a <= m.start() < b for a, b in spans) and f.count is None:
            text = m.group(1).replace(",", "")
            if text.isdigit():
                f.count = int(text); spans.append(m.span())
    # an increase/decrease in 人 (staffing): "减少2人"
    m = re.search(r"(增加|减少)(\d+)人", seg)
    if m:
        f.change = (-1 if m.group(1) == "减少" else 1) * Decimal(m.group(2)); f.change_word = m.group(1)
        spans.append(m.span())
        if f.count is not None and re.match(r"^(增加|减少)", seg):
            f.count = None
    if "新增" in seg:
        f.zero_base = "新增"
    if f.change is None and re.search(r"持平|无变化|没有变化|未变|一致", seg):
        m = re.search(r"持平|无变化|没有变化|未变|一致", seg)
        f.change, f.change_word = Decimal(0), m.group(0)
        spans.append(m.span())
    if re.search(r"(?<![\d.])万元", seg) and f.amount is None and f.budget is None and not _CHANGE.search(seg) \
            and not _LAST_YEAR.search(seg):
        f.blank_amount = True
    if "未安排" in seg:
        f.not_arranged = True
    first = min((a for a, _ in spans), default=len(seg))
    if f.blank_amount:
        first = min(first, seg.find("万元"))
    if f.not_arranged:
        first = min(first, seg.find("未安排"))
    label = seg[:first]
    if f.blank_amount:  # a template's placeholder ("支出决算为XXX万元"): the words before it, not the XXX
        label = re.sub(r"(年初预算|(?:支出)?决算)?(数)?(为|是)?[XxＸ×*＊]+$", "", label)
    label = re.sub(r"^(\d+[.、]|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+是|[①-⑳]|其中[:：]?|包括[:：]?|主要包括[:：]?)+", "", label)
    f.label = label.strip(":：,，、;；")
    return f


def has_figures(f: Figures) -> bool:
    return any(v is not None for v in (f.amount, f.share, f.last_year, f.change, f.rate, f.count, f.area, f.budget,
                                       f.completion)) \
        or f.blank_amount or f.not_arranged


@dataclass
class NarrativeContext:
    names: NameIndex
    file: str | None = None
    findings: list[Finding] = field(default_factory=list)
    project: str | None = None
    allocations: int = 0

    def finding(self, rule: str, message: str, location: Location | None, severity: str = "info") -> None:
        self.findings.append(Finding(rule=rule, severity=severity, category="reading", message=message,  # type: ignore[arg-type]
                                     location=location))


# ---- subjects by section ---------------------------------------------------------------------

_INCOME = [
    (("上级", "一般公共预算"), "general_transfer"), (("上级", "政府性基金"), "fund_transfer"),
    (("上级", "国有资本"), "capital_transfer"), (("非财政拨款",), "carryover_nonfiscal"),
    (("财政拨款结转",), "carryover_fiscal"), (("上年结转",), "carryover"), (("一般财力",), "general"), (("一般公共预算",), "general_budget"),
    (("政府性基金",), "fund_budget"), (("国有资本",), "capital_budget"), (("财政专户",), "special_account"),
    (("单位资金",), "unit_funds"), (("事业收入",), "business"), (("上级补助",), "superior_subsidy"),
    (("附属单位",), "affiliated"), (("经营收入",), "operating"), (("其他收入",), "other"),
    (("财政拨款收入",), "fiscal"),
]
_SANGONG = [(("购置及运行",), "vehicle"), (("购置",), "vehicle_purchase"), (("运行",), "vehicle_operation"),
            (("出国",), "abroad"), (("接待",), "reception"), (("三公",), "total")]
_PROCUREMENT = [(("小微",), "small_micro_reserved"), (("小型", "微型"), "small_micro_reserved"), (("中小企业",), "sme_reserved"), (("货物",), "goods"),
                (("工程",), "works"), (("服务",), "services"), (("政府采购",), "total")]
_STAFF = [(("下设",), "divisions"), (("编制",), "authorized"), (("实有",), "actual"), (("在职",), "active"), (("退休",), "retired"),
          (("离休",), "veteran")]
_VEHICLES = [(("一般公务用车",), "general"), (("执法执勤",), "law_enforcement"), (("特种专业",), "special"),
             (("其他车辆",), "other"), (("其他用车",), "other")]


# Final accounts' 预算绩效管理情况: evaluations, grades, problems found and fixed.
_PERFORMANCE_FINAL = [(("跟踪评价",), "tracked"), (("绩效自评", "问题"), "issues"), (("自评",), "self_evaluated"),
                      (("不合格",), "grade:fail"), (("合格",), "grade:pass"), (("良",), "grade:good"),
                      (("优",), "grade:excellent"), (("完成整改",), "issues_fixed"), (("正在整改",), "issues_fixing")]


def _lookup(label: str, table) -> str | None:
    for words, key in table:
        if all(w in label for w in words):
            return key
    return None


def _strip_year(label: str) -> str:
    return re.sub(r"^(截至)?\d{4}年(度|底)?", "", label)


class _Resolver:
    """Subject for a segment's leading words, in one section (and paragraph mode)."""

    def __init__(self, section: str, mode: str, ctx: NarrativeContext):
        self.section, self.mode, self.ctx = section, mode, ctx

    def __call__(self, label: str) -> tuple[str | None, str | None]:
        """(subject, share_of)."""
        label = _strip_year(label)
        if not label:
            return None, None
        s, names = self.section, self.ctx.names
        if self.mode == "function":
            code = names.function_class(label)
            prefix = {"summary": "expenditure:function:", "fiscal": "fiscal:function:", "general": "general:function:"}
            share_of = "general:total" if s == "general" else None
            return (f"{prefix.get(s, 'expenditure:function:')}{code}", share_of) if code else (None, None)
        if self.mode == "income":
            key = _lookup(label, _INCOME)
            return (f"{'fiscal:income' if s == 'fiscal' else 'income'}:{key}", None) if key else (None, None)
        if s == "summary":
            return _summary_subject(label)
        if s == "income":
            if label.endswith("收入预算") or label == "收入预算":
                return "total", None
            if "本年收入合计" in label:  # final accounts
                return "income:current_year", None
            key = _lookup(label, _INCOME)
            return (f"income:{key}", "total") if key else (None, None)
        if s == "expenditure":
            if "基本支出" in label:
                return "expenditure:basic", "total"
            if "项目支出" in label:
                return "expenditure:project", "total"
            if "本年支出合计" in label:  # final accounts
                return "expenditure:current_year", None
            for words, key in (("经营支出", "operating_expense"), ("上缴上级", "remit_superior"),
                               ("对附属单位补助", "affiliated_subsidy")):
                if words in label:
                    return f"expenditure:{key}", "total"
            return ("total", None) if "支出预算" in label else (None, None)
        if s == "fiscal":
            return ("fiscal:total", None) if "总预算" in label or "收入支出总计" in label else (None, None)
        if s == "general" and label.endswith("(类)"):  # final accounts: "一般公共服务支出（类）"
            code = names.function_class(label[:-3])
            return (f"general:function:{code}", "general:total") if code else (None, None)
        if s in ("general", "general_basic"):
            if "基本支出" in label:
                return "general:basic", None
            if "项目支出" in label:
                return "general:project", None
            if "合计" in label or "拨款" in label:
                return "general:total", None
            if s == "general_basic":
                if "人员经费" in label:
                    return "general:personnel", None
                if "公用经费" in label:
                    return "general:public", None
                code = names.economic_item(label)
                return (f"general:economic:{code}", None) if code else (None, None)
            return None, None
        if s == "sangong":
            key = _lookup(label, _SANGONG)
            return (f"sangong:{key}", None) if key else (None, None)
        if s == "other.operating_costs":
            return ("operating_costs", None) if "运行经费" in label else (None, None)
        if s == "other.procurement":
            key = _lookup(label, _PROCUREMENT)
            return (f"procurement:{key}", None) if key else (None, None)
        if s == "other.performance":
            if "编报绩效目标" in label:
                return "performance:total", None
            key = _lookup(label, _PERFORMANCE_FINAL)
            if key:
                return f"performance:{key}", None
            if "非财政拨款" in label:
                return "performance:nonfiscal", None
            if "财政拨款" in label:
                return "performance:fiscal", None
            return None, None
        if s == "overview.institutions":
            key = _lookup(label, _STAFF)
            if key == "divisions":
                return "institutions:divisions", None
            return (f"staff:{key}", None) if key else (None, None)
        return None, None


def _summary_subject(label: str) -> tuple[str | None, str | None]:
    """The overall section: 收支总预算 (national); 收入预算 / 支出预算 and their 财政拨款 parts (Shanghai)."""
    for words, subject in ((("财政拨款收入支出总计",), "fiscal:total"), (("收入支出总计",), "total"),
                           (("一般公共预算", "支出"), "general:total"), (("政府性基金", "支出"), "fund:total"),
                           (("国有资本", "支出"), "capital:total"), (("财政拨款支出",), "fiscal:total"),
                           (("财政拨款收入",), "income:fiscal"), (("总预算",), "total"), (("收支",), "total"),
                           (("收入预算",), "total"), (("支出预算",), "total")):
        if all(w in label for w in words):
            return subject, None
    key = _lookup(label, _INCOME)
    return (f"income:{key}", None) if key else (None, None)


_FIELDS = ("amount", "share", "last_year", "change", "change_word", "rate", "rate_word", "count", "zero_base")


def _apply(st: Statement, f: Figures) -> None:
    for name in _FIELDS:
        value = f.area if name == "amount" and f.area is not None and f.amount is None else getattr(f, name)
        if value is not None and getattr(st, name) is None:
            setattr(st, name, value)
    if f.share is not None and f.share_of and st.share_of is None:
        st.share_of = f.share_of
    if f.completion is not None and st.share is None:  # 完成年初预算的 Z%: the actual as a share of the budget
        st.share, st.share_of = f.completion, f"{st.subject}:budget"
    if f.not_arranged and st.amount is None and f.amount is None and f.change is None:
        st.amount = Decimal(0)


def _zero_base(st: Statement) -> None:
    """Growth from a zero base (the change equals the amount) is printed as 增长100% or 新增: that
    wording goes to ``zero_base`` and ``rate`` stays None, since no rate can be computed."""
    if st.amount is not None and st.amount != 0 and st.change == st.amount and (st.rate == 100 or st.zero_base):
        if st.zero_base is None:
            st.zero_base = f"{st.rate_word or '增长'}100%"
        st.rate = None


_CONTINUATION = re.compile(r"(比|较)\d{4}年度?(预算|预算数|预算执行数|决算数)?|与\d{4}年度?(预算|预算数)?(相比)?|当年预算执行数为|预算安排|与上年度?(预算|预算数)?(相比)?|(比|较)?上年度?(预算|预算数|决算数)?(数)?|(上年)?同比|(比|较)上年同期|(本年)?预算数为|涉及(项目)?预算(金额|资金)|价值|合计")
_SPLIT_SENTENCES = re.compile(r"(?<=[。;])")
_SPLIT_SEGMENTS = re.compile(r"[,、:]|(?<!\d)\.(?!\d)")


def parse_sentences(text: str, resolve, ctx: NarrativeContext, location: Location | None,
                    subject: str | None = None) -> list[Statement]:
    """Statements from a paragraph. ``subject`` forces the subject of the first statement."""
    out: list[Statement] = []
    current: Statement | None = None
    change_only = False  # the paragraph opens with a change ("比上年增加…"): later amounts are changes too
    # "决算数与预算数基本持平" compares the two figures already stated: no change against last year
    # (a template's instructions in brackets, "（如持平作持平表述）", are not statements)
    cleaned = re.sub(r"\(如[^()]*\)", "", _AS_BUDGETED.sub("", clean(text)))
    for sentence in _SPLIT_SENTENCES.split(re.sub(r"\((上一年度|下同)[^()]*\)", "", cleaned)):
        sentence = sentence.rstrip("。;")
        if not sentence:
            continue
        main, reason = sentence, None
        m = _REASON.search(sentence)
        if m:
            main, reason = sentence[: m.start()], sentence[m.end():].strip(",;。")
        for seg in _SPLIT_SEGMENTS.split(main):
            if not seg:
                continue
            f = segment_figures(seg)
            if not has_figures(f):
                continue
            if change_only and f.amount is not None and f.change is None:
                f.change, f.amount = f.amount, None
            subj, share_of = (subject, None) if subject and current is None else resolve(f.label) if f.label else (None, None)
            if subj:
                current = Statement(subject=subj, label=f.label, text=sentence, location=location,
                                    share_of=share_of if f.share is not None else None)
                out.append(current)
                if f.change is not None and f.amount is None and not out[:-1]:
                    change_only = True
                _apply(current, f)
                _budget_of(out, current, f, sentence, location)
            elif current is not None and (not f.label or _CONTINUATION.fullmatch(_strip_year(f.label))):
                _apply(current, f)
                _budget_of(out, current, f, sentence, location)
                if f.share is not None and current.share_of is None:
                    current.share_of = "general:total" if current.subject.startswith("general:function") else "total"
            else:
                ctx.finding("R.TEXT.SUBJECT", f"无法确定“{f.label or seg}”所指的项目，该数字未读取", location)
            if f.blank_amount and current is not None and current.amount is None:
                ctx.finding("R.NUMBER.BLANK", f"“{seg}”没有印出金额", location)
        if reason is not None:
            if current is not None:
                current.reason = reason
            elif explained := _explained_subjects(main, resolve):  # "财政拨款收入支出增加的主要原因是…"
                out += [Statement(subject=subj, label=main, reason=reason, text=sentence, location=location) for subj in explained]
            else:
                ctx.finding("R.TEXT.SUBJECT", "说明了原因但无法确定对应的项目", location)
    raw_reasons = _RAW_REASON.findall(text)
    with_reason = [st for st in out if st.reason is not None]
    distinct = list(dict.fromkeys(st.reason for st in with_reason))
    if len(raw_reasons) == len(distinct):  # keep the reason as printed (full-width punctuation)
        printed = dict(zip(distinct, raw_reasons))
        for st in with_reason:
            st.reason = printed[st.reason].strip().rstrip("，,；;。").strip()
    for st in out:
        _zero_base(st)
    return out


def _explained_subjects(main: str, resolve) -> list[str]:
    """Subjects of a sentence that is only a reason: "<subject>增加的主要原因是…"."""
    label = re.sub(r"(增加|减少|增长|下降|变化|变动)的?$", "", main.strip(",;"))
    if "财政拨款收入支出" in label:  # the income and the spending statements of 财政拨款 both changed
        return ["income:fiscal", "fiscal:total"]
    subject = resolve(label)[0] if label else None
    return [subject] if subject else []


def _budget_of(out: list[Statement], current: Statement, f: Figures, sentence: str, location: Location | None) -> None:
    """A final account's 年初预算 of a subject is the statement ``<subject>:budget`` beside it."""
    if f.budget is None:
        return
    key = f"{current.subject}:budget"
    if not any(st.subject == key for st in out):
        out.append(Statement(subject=key, label=f"{current.label}年初预算", amount=f.budget, text=sentence, location=location))


_RAW_REASON = re.compile(r"主要原因(?:是|为)?\s*[:：]?\s*(.*?)(?=[。；;]|$)", re.S)


# ---- paragraphs by section -------------------------------------------------------------------

# A function 项 named by its 类/款/项 chain, each level with its level word in brackets and, in some
# layouts, its code: “一般公共服务支出（类）人大事务（款）行政运行（项）”, “公共安全支出（204类）司法（06款）
# 行政运行（01项）”, or the level words without brackets after quoted names (“…”类“…”款“…”项).
# ``clean`` has already turned full-width brackets and colons into ASCII ones.
_ENUM = r"(?:\d+[.、]|[(][一二三四五六七八九十\d]+[)]|[一二三四五六七八九十]+[、.]|[①-⑳]|[一二三四五六七八九十]+是)?"
# A level's closing bracket may be missing (“机关事业单位基本养老保险缴费支出（项：329.29万元” – a typo that
# W.PUNCT.UNPAIRED reports): the chain still names the 项, and the amount after it is still read.
_LEVEL = r"[“\"]?(.+?)[”\"]?(?:\((\d*){w}(?:\)|(?=[:”\"\d\u4e00-\u9fff]))|(?<=[”\"]){w})"
_DETAIL = re.compile("^" + _ENUM + _LEVEL.format(w="类") + _LEVEL.format(w="款") + _LEVEL.format(w="项") + r"[”\"]?:?(.*)$")
# Code first: “2040601 行政运行 1672.67万元”, “[2040601]行政运行：…”.
_CODE_FIRST = re.compile("^" + _ENUM + r"[“\"]?[\[【]?(\d{7})[\]】]?[“\"]?([^\d:,;。]+?)[”\"]?(?::|(?=\d)|(?=(?:\d{4}年)?(?:预算数?|支出)?(?:为|是)?\d))(.*)$")


def _chain_code(codes: tuple[str, str, str]) -> str | None:
    """The 项 code a chain prints (204 + 06 + 01, or 204 / 20406 / 2040601), when it prints one."""
    lei, kuan, xiang = codes
    if len(xiang) == 7:
        return xiang
    if len(lei) == 3 and len(kuan) == 2 and len(xiang) == 2:
        return lei + kuan + xiang
    if len(kuan) == 5 and len(xiang) == 2:
        return kuan + xiang
    return None
# The labels of a project's description lines, in the wordings layouts use (national / Shanghai / others).
_PROJECT_LABELS = {
    "项目名称": "name", "设立的政策依据": "basis", "立项依据": "basis", "政策依据": "basis", "设立依据": "basis",
    "预算安排规模": "scale", "年度预算安排": "scale", "预算安排": "scale", "预算金额": "scale",
    "项目承担单位": "implementer", "实施主体": "implementer", "实施单位": "implementer", "项目实施单位": "implementer",
    "资金分配情况": "allocation", "资金执行时间": "period", "实施周期": "period", "项目实施周期": "period",
}
_PROJECT_FIELD = re.compile(r"^(" + "|".join(sorted(_PROJECT_LABELS, key=len, reverse=True)) + r")[:：](.*)$")
_PROJECT_TEXT_FIELDS = {label: key for label, key in _PROJECT_LABELS.items() if key in ("basis", "implementer", "period")}


def parse_paragraph(section: str, text: str, ctx: NarrativeContext, location: Location | None) -> list[Statement]:
    """The statements one paragraph of ``section`` makes (see docs/disclosure-keys.md)."""
    c = clean(text)
    if not c:
        return []
    if section == "general_project":
        return _project_paragraph(c, ctx, location, raw=text)
    if section in ("fund", "capital"):
        if "没有" in c or "未安排" in c or "空表" in c or re.search(r"无[^,。]*财政拨款(收入|支出)", c):
            return [Statement(subject=f"{section}:total", label=text.strip(), amount=Decimal(0), text=c, location=location)]
        return parse_sentences(text, lambda label: ((f"{section}:total", None) if "预算" in label else (None, None)), ctx, location)
    if section == "other.assets":
        return _assets_paragraph(c, ctx, location)
    if section == "other.performance":
        return _performance_paragraph(text, c, ctx, location)
    if section == "other.procurement" and _AWARDED.search(c):
        return _awarded(c, ctx, location)
    m = _DETAIL.match(c) if section in ("general", "summary") else None
    if m:
        lei, kuan, xiang = (g.strip("“”\"'") for g in m.group(1, 3, 5))
        rest = m.group(7).lstrip("”\"'")
        code = _chain_code(tuple(g or "" for g in m.group(2, 4, 6))) or ctx.names.function_item(lei, kuan, xiang)
        if code is None:
            ctx.finding("R.NAME.UNRESOLVED", f"无法确定“{lei}/{kuan}/{xiang}”的功能分类科目编码", location)
            code = f"?{xiang}"
        sts = parse_sentences(rest, lambda label: (None, None), ctx, location, subject=f"general:function:{code}")
        for st in sts:
            st.label = f"{lei}（类）{kuan}（款）{xiang}（项）"
            st.text = c
        return sts
    m = _CODE_FIRST.match(c) if section in ("general", "summary") else None
    if m and re.search(NUM + "万元", m.group(3)):
        code, name, rest = m.group(1), m.group(2).strip("“”\"'"), m.group(3)
        sts = parse_sentences(rest, lambda label: (None, None), ctx, location, subject=f"general:function:{code}")
        for st in sts:
            st.label = f"{code}{name}"
            st.text = c
        return sts
    if section == "general" and re.match(r"^\d+\.", c):
        return parse_sentences(text, _Resolver(section, "function", ctx), ctx, location)
    mode = ""
    head = c.split(":", 1)[0] if ":" in c[:16] else ""
    if section in ("summary", "fiscal") and head:
        if "收入" in head:
            mode = "income"
        elif "支出" in head:
            mode = "function"
    if section == "fiscal" and not head and ctx.project == "fiscal:function":
        mode = "function"
    if section == "fiscal":  # "…支出包括：" continues over the following sentences of the paragraph
        ctx.project = "fiscal:function" if mode == "function" else None
    if section == "general_basic" and ("主要包括" in c):
        head_st = parse_sentences(c.split("主要包括", 1)[0], _Resolver(section, "", ctx), ctx, location)
        rest = parse_sentences(c.split("主要包括", 1)[1], _Resolver(section, "", ctx), ctx, location)
        return head_st + rest
    return parse_sentences(text, _Resolver(section, mode, ctx), ctx, location)


def _performance_paragraph(text: str, c: str, ctx: NarrativeContext, location: Location | None) -> list[Statement]:
    """预算绩效: "本部门N个预算单位开展了…" (``performance:units``) and, after "编报绩效目标的项目共N个，涉及…
    其中：", one amount per project (``performance:project:<name>``)."""
    out: list[Statement] = []
    units = re.search(r"本部门(\d+)个预算单位", c)
    if units:
        out.append(Statement(subject="performance:units", label="预算单位", count=int(units.group(1)), text=c, location=location))
        c = c.replace(units.group(0), "", 1)
        text = c
    m = re.search(r"编报绩效目标.*?其中:", c)
    resolver = _Resolver("other.performance", "", ctx)
    if not m:
        return out + parse_sentences(text, resolver, ctx, location)
    projects = c[m.end():]
    out += parse_sentences(c[: m.end()], resolver, ctx, location)
    return out + parse_sentences(projects, lambda label: (f"performance:project:{label}", None), ctx, location)


# Final accounts: "在面向中小企业预留的政府采购项目中,由中小企业供应商中标或成交的,采购金额X万元"
_AWARDED = re.compile(r"在([^;。]*?)中,由([^;。]*?)中标或成交的,采购金额" + NUM + r"万元")
_AWARDED_KINDS = [(("小微企业预留",), "small_micro_awarded"), (("中小企业预留",), "sme_awarded"), (("其他",), "other_sme_awarded")]


def _awarded(c: str, ctx: NarrativeContext, location: Location | None) -> list[Statement]:
    out = []
    for m in _AWARDED.finditer(c):
        key = _lookup(m.group(1), _AWARDED_KINDS)
        if key is None:
            ctx.finding("R.TEXT.SUBJECT", f"无法确定“{m.group(1)}”所指的采购项目，该数字未读取", location)
            continue
        out.append(Statement(subject=f"procurement:{key}", label=f"{m.group(1)}中由{m.group(2)}中标或成交的",
                             amount=_dec(m.group(3)), text=m.group(0), location=location))
    rest = _AWARDED.sub("", c)
    return out + parse_sentences(rest, _Resolver("other.procurement", "", ctx), ctx, location) if rest.strip(";。,") else out


def _project_paragraph(c: str, ctx: NarrativeContext, location: Location | None, raw: str = "") -> list[Statement]:
    m = _PROJECT_FIELD.match(c)
    printed = re.match(r"^\s*[^:：]+[:：]\s*(.*?)\s*$", raw or c, re.S)
    printed_value = printed.group(1) if printed else ""
    if not m:
        if ctx.project and re.search(NUM + "万元", c):
            ctx.finding("R.TEXT.UNPARSED", f"项目“{ctx.project}”说明中有未能识别的段落", location)
        return []
    field_name, value = m.group(1), m.group(2).strip()
    field_key = _PROJECT_LABELS[field_name]
    if field_key == "name":  # the name as printed (full-width brackets kept): it is a subject key
        value = printed_value or value
        ctx.project, ctx.allocations = value, 0
        return [Statement(subject=f"project:{value}:name", label=value, text=raw or c, location=location)]
    if ctx.project is None:
        ctx.finding("R.TEXT.UNPARSED", f"“{field_name}”前没有项目名称", location)
        return []
    base = f"project:{ctx.project}"
    if field_name in _PROJECT_TEXT_FIELDS:
        return [Statement(subject=f"{base}:{_PROJECT_TEXT_FIELDS[field_name]}", label=printed_value or value,
                          text=raw or c, location=location)]
    if field_key == "scale":
        f = segment_figures(value)
        if f.amount is None:
            ctx.finding("R.NUMBER.UNPARSABLE", f"项目“{ctx.project}”的预算安排规模“{value}”不是金额", location, "warning")
        return [Statement(subject=f"{base}:scale", label="预算安排规模", amount=f.amount, text=c, location=location)]
    out = []  # 资金分配情况: every "…N万元" is one allocation line, labelled by the words before it
    pos = 0
    for am in _AMOUNT.finditer(value):
        label = value[pos: am.start()].strip(",;。、")
        pos = am.end()
        if re.search(r"(以上|以下)$", value[am.end(): am.end() + 2]):
            continue
        ctx.allocations += 1
        out.append(Statement(subject=f"{base}:allocation:{ctx.allocations}", label=label, amount=_dec(am.group(1)),
                             text=c, location=location))
    if not out:
        ctx.finding("R.TEXT.UNPARSED", f"项目“{ctx.project}”的资金分配情况中没有金额", location)
    return out


_EQUIPMENT = re.compile(r"(\d+)万元以上(?:大型)?设备" + r"(\d+)台")


def _assets_paragraph(c: str, ctx: NarrativeContext, location: Location | None) -> list[Statement]:
    out: list[Statement] = []
    purchase = "购置" in c and ("安排" in c)
    prefix = "assets:purchase_" if purchase else "assets:"
    for m in _EQUIPMENT.finditer(c):
        out.append(Statement(subject=f"{prefix}equipment_over_{m.group(1)}", label=f"{m.group(1)}万元以上大型设备",
                             count=int(m.group(2)), unit="台（套）", text=c, location=location))
    if purchase:
        if "未安排购置车辆" in c:
            out.append(Statement(subject="assets:purchase_vehicles", label="购置车辆", count=0, text=c,
                                 location=location))
        return out
    if out:
        return out
    m = re.match(r"^\d+\.房屋" + NUM + r"平方米,?价值" + NUM + r"万元", c)
    if m:
        return [Statement(subject="assets:buildings_area", label="房屋", amount=_dec(m.group(1)), unit="平方米", text=c, location=location),
                Statement(subject="assets:buildings_value", label="房屋价值", amount=_dec(m.group(2)), text=c, location=location)]
    if "车辆" in c:
        for part in re.split(r"[;；]", c):
            part = re.sub(r"^(\d+\.|其中:)", "", part)
            m = re.match(r"^(.*?)(\d+)辆,?价值" + NUM + r"万元", part)
            if not m:
                continue
            label = re.sub(r"^其中:", "", m.group(1))
            kind = _lookup(label, _VEHICLES)
            subject = "assets:vehicles" if label in ("车辆", "") else f"assets:vehicle:{kind}" if kind else None
            if subject is None:
                ctx.finding("R.TEXT.SUBJECT", f"无法识别的车辆类别“{label}”", location)
                continue
            out.append(Statement(subject=subject, label=label, count=int(m.group(2)), amount=_dec(m.group(3)), text=c, location=location))
        return out
    for words, key in ((("家具",), "furniture_value"), (("其他资产",), "other_value")):
        if all(w in c for w in words):
            f = segment_figures(c)
            return [Statement(subject=f"assets:{key}", label=words[0], amount=f.amount, text=c, location=location)]
    if re.search(NUM + "(万元|平方米|辆)", c):
        ctx.finding("R.TEXT.UNPARSED", "国有资产说明中有未能识别的数字", location)
    return out
