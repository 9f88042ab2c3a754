"""Heading lexicon: canonical section topics and the numbering styles of headings.

Private helper of :mod:`govtext.sections` (and of :mod:`govtext.metadata`, which reuses the
agency and date patterns). Every pattern works on *normalised* text (simplified script, ASCII
punctuation, no spaces next to Chinese characters; see :mod:`govtext.normalize`), so
``（一）`` is ``(一)`` and traditional headings arrive already simplified.

Patterns are written without nested unbounded quantifiers: each topic is a fixed sequence of
optional words, so matching is linear in the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CHILD_KEYS",
    "SECTION_KEYS",
    "TOP_KEYS",
    "Topic",
    "cn_to_int",
    "match_topic",
]

# --------------------------------------------------------------------------------------------
# canonical keys

#: Every key a :class:`govtext.sections.Section` can carry, with the Chinese headings it stands
#: for. The first block is the top-level vocabulary (the same for every era); the second block
#: names official sub-parts that only occur as children (总体情况's 2021 sub-parts and part 六's
#: items); ``unknown`` marks a heading that names none of these.
SECTION_KEYS: dict[str, str] = {
    "preamble": "text before the first heading (title, basis, statistical period, contacts)",
    "overview": "总体情况 / 概述 / 基本情况",
    "proactive": "主动公开政府信息情况",
    "requests": "依申请公开 / 收到和处理政府信息公开申请情况",
    "fees": "收费及减免情况 (2008-2018); as a child: 信息处理费收取情况",
    "appeals": "(因政府信息公开申请)行政复议、行政诉讼情况",
    "problems": "存在的主要问题及改进情况/措施",
    "plans": "下一步工作措施 / 改进措施 (measures only)",
    "other": "其他需要报告的事项",
    "closing": "signature block (agency name and date) at the end",
    "management": "政府信息管理 (child of 总体情况)",
    "platform": "平台建设 (child of 总体情况)",
    "supervision": "监督保障 (child of 总体情况)",
    "work_points": "落实上级政务公开工作要点情况 (child of 其他需要报告的事项)",
    "proposals": "人大代表建议和政协提案办理结果公开情况 (child of 其他需要报告的事项)",
    "innovation": "在政务公开方面的创新情况 (child of 其他需要报告的事项)",
    "unknown": "a heading that names none of the topics above (its text is kept)",
}

#: Keys a top-level heading can receive (besides ``preamble``, ``closing`` and ``unknown``).
TOP_KEYS: tuple[str, ...] = (
    "overview", "proactive", "requests", "fees", "appeals", "problems", "plans", "other",
)
#: Keys that only children receive (a top-level heading naming them is ``unknown``).
CHILD_KEYS: tuple[str, ...] = (
    "management", "platform", "supervision", "work_points", "proposals", "innovation",
)

_GOV = r"(?:政府信息公开|政府信息|政务公开|信息公开)"

_TOPIC_PATTERNS: dict[str, str] = {
    "overview": (
        r"(?:\d{4}年度?|本年度|年度)?" + _GOV + r"?(?:工作)?的?(?:主要)?(?:工作)?"
        r"(?:总体情况|基本情况|总体概况|概况|概述)"
    ),
    "proactive": (
        r"(?:政府信息|政务信息)?主动公开(?:政府信息|信息|工作)?的?(?:工作)?(?:情况|方面|内容)?"
    ),
    "requests": (
        r"(?:收到和处理|受理和处理|收到及处理|收到与处理)" + _GOV + r"?申请的?(?:情况)?"
        r"|(?:政府)?(?:信息)?依申请公开(?:政府信息|信息)?(?:和不予公开(?:政府)?(?:信息)?)?"
        r"的?(?:工作)?(?:办理|受理|处理)?(?:情况|方面|内容)?"
        r"|(?:政府信息公开)?申请的?(?:办理|受理|处理)情况"
    ),
    "fees": (
        r"(?:依申请公开)?(?:政府信息(?:公开)?)?(?:工作)?的?收费(?:(?:及|和|与|、)减免)?的?(?:情况)?"
        r"|(?:依据《[^》\n]{1,30}》)?收取(?:信息处理费|费用)的?情况"
        r"|信息处理费(?:收取)?的?情况"
    ),
    "appeals": (
        r"因?" + _GOV + r"?(?:工作)?被?(?:申请)?(?:行政)?复议(?:、|和|及|与|,)?(?:提起)?(?:行政)?诉讼"
        r"的?(?:情况)?"
    ),
    "problems": (
        _GOV + r"?(?:工作)?中?(?:存在的?|面临的?)(?:主要)?(?:问题|不足)(?:和困难)?"
        r"(?:(?:及|和|与|以及|、)(?:其)?(?:改进|整改)的?(?:情况|措施|方向|办法|计划))?"
        r"|主要问题(?:(?:及|和|与|以及)(?:改进|整改)的?(?:情况|措施))?"
    ),
    "plans": (
        r"下一?步的?(?:工作)?的?(?:努力方向|工作措施|措施|计划|打算|安排|思路|重点|方向)"
        r"|(?:今后|明年|\d{4}年)的?工作(?:打算|计划|思路|重点|安排)"
        r"|(?:具体的)?(?:解决办法(?:和|及|与))?改进的?(?:情况|措施|方向)"
        r"|采取的?措施(?:和|及|与)?改进情况"
        r"|(?:整改|改进)措施"
    ),
    "other": r"其[他它](?:需要|需)?(?:报告|说明)?的?事项|需要(?:报告|说明)的事项(?:与附表)?",
    "management": r"(?:政府)?信息(?:公开)?管理(?:工作)?(?:情况|方面)?",
    "platform": r"(?:政府信息公开|政府信息|政务公开|信息公开)?(?:公开)?平台建设(?:情况|方面)?",
    "supervision": r"监督保障(?:工作)?(?:情况|方面)?",
    "work_points": r"落实上级(?:年度)?政务公开工作要点的?情况",
    "proposals": r"人大代表建议(?:和|及|与)政协(?:委员)?提案办理(?:结果)?(?:公开)?情况",
    "innovation": r"在?政务公开(?:方面|工作)?的?创新(?:情况|做法)?",
}
_TOPIC_RES = {k: re.compile(v) for k, v in _TOPIC_PATTERNS.items()}
# priority when two topics match equally long (earlier wins)
_PRIORITY = list(_TOPIC_PATTERNS)
_TOPIC_MATCHERS = [(key, _TOPIC_RES[key].match) for key in _PRIORITY]
# All topics as one alternation: it matches at a position exactly when one of the topics does,
# so one call rules out the (usual) positions where none does, in place of fifteen.
_ANY_TOPIC_RE = re.compile("|".join(f"(?:{_TOPIC_PATTERNS[key]})" for key in _PRIORITY))

# Table-row labels that look like headings (一、本年新收… in table 3) are never headings.
TABLE_LABEL_RE = re.compile(
    r"本年度?新收|上年度?结转|本年度?办理结果|结转下年度?继续办理|第二十条第|信息内容|申请人情况"
)


@dataclass(frozen=True)
class Topic:
    """A lexicon match: ``key`` and the end of the matched words (relative offset)."""

    key: str
    end: int


def match_topic(text: str, pos: int = 0, endpos: int | None = None) -> Topic | None:
    """Match the lexicon at ``text[pos:]``; the longest match wins.

    >>> match_topic("存在的主要问题及改进情况方城镇政府")
    Topic(key='problems', end=12)
    >>> match_topic("总体情况2023年").key
    'overview'
    >>> match_topic("加强领导,完善机制") is None
    True
    """
    if endpos is None:
        endpos = min(len(text), pos + 80)
    if _ANY_TOPIC_RE.match(text, pos, endpos) is None:
        return None
    best: Topic | None = None
    for key, match in _TOPIC_MATCHERS:
        m = match(text, pos, endpos)
        if m is None:
            continue
        n = m.end() - pos
        if n < 2:
            continue
        if best is None or n > best.end:
            best = Topic(key, n)
    return best


# --------------------------------------------------------------------------------------------
# numbers

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(s: str) -> int | None:
    """Value of a Chinese (or Arabic) numeral up to 99; ``None`` when it is not one.

    >>> cn_to_int("十二"), cn_to_int("二十"), cn_to_int("七"), cn_to_int("12"), cn_to_int("X")
    (12, 20, 7, 12, None)
    """
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    if len(s) > 3:
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        if "十" in b:
            return None
        hi = 1 if a == "" else _CN_DIGITS.get(a)
        lo = 0 if b == "" else _CN_DIGITS.get(b)
        if hi is None or lo is None:
            return None
        return hi * 10 + lo
    if len(s) == 1:
        return _CN_DIGITS.get(s)
    return None
