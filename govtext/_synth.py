"""Synthetic annual reports with planted, known reuse (the generator behind
:func:`govtext.datasets.make_synthetic_corpus`).

The world is a deterministic, unbounded sequence of *counties*. Each county (in one province)
has a county government, two to five townships (镇/乡/街道) and up to two departments (局); all of
them report over a window of consecutive years, each in the format of its era (A: 2008-2018 free
layout; B: the 2019 format with its tables; C: the 2021 format). Reports are numbered in the
order county by county, then year by year, then agency by agency, so report ``k`` depends only
on ``random_state`` and on the reports before it in its county: a corpus of ``n`` reports is a
prefix of every larger corpus drawn with the same parameters.

The narrative of every report is a sequence of *passages* (a sentence, a short run of sentences,
or one enumerated problem/measure statement), each planted with a label:

``template``
    Drawn from the template pool of the report's cohort (province x era): sentence shapes
    taken from the seed reports (``govtext/data/synth/templates.json``) plus a few sentences
    composed once per cohort, with slots (agency, year, counts) filled per report.
``copied``
    Taken from the own text of another agency of the same county (same or previous year) and
    edited: place names and years replaced, numbers changed, clauses dropped or added, a
    character-level synonym swap or deletion.
``recycled``
    Taken from the agency's own earlier report, lightly edited (year updated, some numbers).
``own``
    Composed for this report from the seed vocabulary (``vocabulary.json``): an opener, clauses
    of the section's topic, a purpose clause, and one or two facts of the agency's own world
    (its villages and service sites, fixed; its projects, campaigns and local concerns of the
    year; dates and counts), drawn from a stream of the agency's own, so own text is specific
    to the agency (about 1 % of own sentences match another agency's sentence at Jaccard 0.5).
    Copiers rename the peer's places and projects as well as its name.

Everything else (title, headings, tables, signature, scrape debris) is structure and carries no
reuse label. Every report states its publication date (the signature date, or the date alone
when there is no signature): in January (2019 and 2021 formats, due by 31 January) or January
to March (era A, due by 31 March) of the next year, increasing in generation order within a
county's year, so a copy is always published after its source. Copy and recycle sources are
always ``own`` passages, so a source span is the origin of the text.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import json
import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from govtext.exceptions import InvalidParameterError

__all__ = ["LABELS", "TRUTH_COLUMNS", "make_synthetic_corpus"]

logger = logging.getLogger(__name__)

#: Reuse labels of the narrative passages, in the order used by :mod:`govtext.evaluate`.
LABELS = ("template", "copied", "recycled", "own")

#: Columns of the truth frame returned by :func:`make_synthetic_corpus`.
TRUTH_COLUMNS = [
    "report_id", "layer", "label", "section",
    "raw_start", "raw_end", "text_start", "text_end",
    "source_report_id", "source_raw_start", "source_raw_end", "source_text_start", "source_text_end",
    "template_id", "edits", "edit_rate", "item", "detail",
    "agency", "level", "province", "year", "era",
]
_INT_COLUMNS = ("raw_start", "raw_end", "text_start", "text_end", "source_raw_start", "source_raw_end",
                "source_text_start", "source_text_end", "item", "year")
_LAYER_ORDER = {"reuse": 0, "statement": 1, "table": 2}

# Sub-seed tags (``SeedSequence(random_state, spawn_key=(tag, ...))``): one stream per county,
# per report and per cohort, so that no draw depends on how many reports are requested.
_TAG_COUNTY, _TAG_REPORT, _TAG_COHORT, _TAG_FACTS = 1, 2, 3, 4

# --------------------------------------------------------------------------------------------
# resources


@functools.cache
def _resource(name: str) -> dict:
    path = resources.files("govtext") / "data" / "synth" / name
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _bank() -> dict[tuple[str, str], list[tuple[int, str, str, int]]]:
    """Template sentences by (era, topic): ``(bank index, text, when, since)``."""
    out: dict[tuple[str, str], list[tuple[int, str, str, int]]] = {}
    for topic, entries in _resource("templates.json")["sentences"].items():
        for i, e in enumerate(entries):
            for era in e["eras"]:
                out.setdefault((era, topic), []).append((i, e["text"], e.get("when", ""), e.get("since", 0)))
    return out


# --------------------------------------------------------------------------------------------
# randomness: numpy streams, consumed through a buffer of uniforms (scalar Generator calls cost
# microseconds each; a report needs hundreds of draws).


class _Rand:
    __slots__ = ("_buf", "_gen", "_i")

    def __init__(self, base: int, *key: int) -> None:
        seq = np.random.SeedSequence(base, spawn_key=tuple(int(k) for k in key))
        self._gen = np.random.Generator(np.random.PCG64(seq))
        self._buf: list[float] = self._gen.random(256).tolist()
        self._i = 0

    def _refill(self) -> float:
        self._buf = self._gen.random(2048).tolist()
        self._i = 1
        return self._buf[0]

    def random(self) -> float:
        i = self._i
        try:
            u = self._buf[i]
        except IndexError:
            return self._refill()
        self._i = i + 1
        return u

    def below(self, n: int) -> int:
        i = self._i
        try:
            u = self._buf[i]
            self._i = i + 1
        except IndexError:
            u = self._refill()
        k = int(u * n)
        return k if k < n else n - 1

    def between(self, lo: int, hi: int) -> int:
        """Integer in ``[lo, hi]`` (both included)."""
        return lo + self.below(hi - lo + 1)

    def choice(self, seq: Any) -> Any:
        return seq[self.below(len(seq))]

    def chance(self, p: float) -> bool:
        i = self._i
        try:
            u = self._buf[i]
            self._i = i + 1
        except IndexError:
            u = self._refill()
        return u < p

    def sample(self, seq: Any, k: int) -> list:
        """``k`` distinct elements in random order."""
        n = len(seq)
        if 3 * k > n:
            pool = list(seq)
            k = min(k, n)
            for i in range(k):
                j = i + self.below(n - i)
                pool[i], pool[j] = pool[j], pool[i]
            return pool[:k]
        picked: list[int] = []
        while len(picked) < k:
            i = self.below(n)
            if i not in picked:
                picked.append(i)
        return [seq[i] for i in picked]

    def weighted(self, cum: list[float]) -> int:
        """Index drawn with the weights whose running sums are ``cum``."""
        return min(bisect.bisect_right(cum, self.random() * cum[-1]), len(cum) - 1)

    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 30:
            u1, u2 = max(self.random(), 1e-12), self.random()
            z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
            return max(0, round(lam + math.sqrt(lam) * z))
        limit, k, p = math.exp(-lam), 0, self.random()
        while p > limit:
            k += 1
            p *= self.random()
        return k

    def loguniform(self, lo: float, hi: float) -> int:
        return round(math.exp(math.log(lo) + self.random() * (math.log(hi) - math.log(lo))))

    def binomial(self, n: int, p: float) -> int:
        return sum(1 for _ in range(n) if self.random() < p)


def _base_seed(random_state: Any) -> int:
    if random_state is None:
        return int(np.random.SeedSequence().entropy)
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**63))
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool) and random_state >= 0:
        return int(random_state)
    msg = (
        "The 'random_state' parameter of make_synthetic_corpus must be a non-negative int, "
        f"a numpy Generator or None. Got {random_state!r} instead."
    )
    raise InvalidParameterError(msg)


# --------------------------------------------------------------------------------------------
# the world: counties and their agencies


@dataclass(frozen=True)
class _Agency:
    name: str  # official name: 兰山区方城镇人民政府
    short: str  # 方城镇
    we: str  # 我镇
    unit: str  # 镇
    level: str  # county | township | department
    upper: str  # 区委区政府
    upper_gov: str  # 区政府
    office: str
    address: str
    postcode: str
    phone: str
    media: str  # 方城发布


@dataclass(frozen=True)
class _County:
    index: int
    province: str
    province_index: int
    city: str
    name: str
    suffix: str
    website: str
    agencies: tuple[_Agency, ...]
    schedule: tuple[tuple[int, int, str], ...]  # (year, agency, era) in report order


def _era(year: int, prev: str, r: _Rand) -> str:
    if year <= 2018:
        era = "A"
    elif year == 2019:
        era = "A" if r.chance(0.15) else "B"
    elif year == 2020:
        era = "B"
    elif year == 2021:
        era = "B" if r.chance(0.1) else "C"
    else:
        era = "C"
    return max(era, prev)  # an agency never returns to an older format


def _make_county(base: int, c: int, years: tuple[int, int]) -> _County:
    v = _resource("vocabulary.json")
    r = _Rand(base, _TAG_COUNTY, c)
    chars = v["place_chars"]
    taken: list[str] = []

    def place(n: int = 2) -> str:
        while True:
            s = "".join(r.choice(chars) for _ in range(n))
            if s not in taken and len(set(s)) == len(s):
                taken.append(s)
                return s

    p = r.below(len(v["provinces"]))
    province = v["provinces"][p]
    city = place() + "市"
    suffix = r.choice("县县县区区区区市")
    cname = place() + suffix
    website = "".join(r.choice("abcdefghjklmnpqrstwxyz") for _ in range(r.between(2, 4)))
    website = ("www." if r.chance(0.5) else "") + website + {"县": "x", "区": "q", "市": "s"}[suffix] + ".gov.cn"
    area = f"0{r.between(310, 999)}"
    post = f"{r.between(10, 85)}{r.between(10, 99)}"
    upper_county = f"{suffix}委{suffix}政府"

    def agency(name, short, we, unit, level, upper, upper_gov, office, road_owner) -> _Agency:
        address = f"{road_owner}{r.choice(v['roads'])}{r.between(1, 999)}号" if r.chance(0.7) else name
        return _Agency(name, short, we, unit, level, upper, upper_gov, office, address,
                       f"{post}{r.between(0, 99):02d}", f"{area}-{r.between(2000000, 8999999)}",
                       f"{short[:-1] if len(short) > 2 else short}{r.choice(v['media_suffixes'])}")

    agencies = [agency(f"{city}{cname}人民政府" if r.chance(0.5) else f"{cname}人民政府", cname, f"我{suffix}",
                       suffix, "county", "市委、市政府", "市政府", "办公室", cname)]
    for _ in range(r.between(2, 5)):
        t = place(3 if r.chance(0.15) else 2)
        kind = r.choice("镇镇镇镇乡乡街" if suffix != "县" else "镇镇镇乡乡")
        if kind == "街":
            full, short, we, unit = f"{cname}{t}街道办事处", f"{t}街道", "我街道", "街道"
        else:
            full, short, we, unit = f"{cname}{t}{kind}人民政府", f"{t}{kind}", f"我{kind}", kind
        agencies.append(agency(full, short, we, unit, "township", upper_county, f"{suffix}政府",
                               r.choice(v["offices"]), full[:-4] if full.endswith("人民政府") else full))
    depts = r.sample(v["departments"], r.between(0, 2))
    for d in depts:
        full = f"{cname}{d}"
        agencies.append(agency(full, full, "我局", "局", "department", upper_county, f"{suffix}政府",
                               r.choice(("办公室", "综合股", "办公室")), cname))

    y0, y1 = years
    length = min(r.between(2, 6), y1 - y0 + 1)
    # recent years weigh more (older reports vanish from the web): weight 1.2 ** (year - y0)
    cum, acc = [], 0.0
    for y in range(y0, y1 - length + 2):
        acc += 1.2 ** (y - y0)
        cum.append(acc)
    start = y0 + r.weighted(cum)
    window = range(start, start + length)
    active: list[list[tuple[int, str]]] = []
    for _ in agencies:
        era, rows = "A", []
        for y in window:
            era = _era(y, era, r)
            if r.chance(0.9):
                rows.append((y, era))
        if not rows:
            rows.append((start, _era(start, "A", r)))
        active.append(rows)
    schedule = sorted((y, a, e) for a, rows in enumerate(active) for y, e in rows)
    return _County(c, province, p, city, cname, suffix, website, tuple(agencies), tuple(schedule))


@dataclass(frozen=True)
class _Facts:
    """The agency's own world: the villages or communities, projects, service site and campaign
    its own text names. Drawn from a stream of its own (county, agency), so adding facts never
    shifts other draws; two agencies share a name only by chance."""

    villages: tuple[str, ...]
    projects: tuple[str, ...]
    sites: tuple[str, ...]
    campaigns: tuple[str, ...]
    issues: tuple[str, ...]


@functools.lru_cache(maxsize=4096)
def _make_facts(base: int, county: int, a: int, year: int = 0) -> _Facts:
    """The agency's villages and service sites (fixed), and its projects, campaigns and local
    concerns of ``year`` (most of them new each year, as in real reports)."""
    f = _resource("vocabulary.json")["facts"]
    chars = _resource("vocabulary.json")["place_chars"]
    r = _Rand(base, _TAG_FACTS, county, a)
    seen: set[str] = set()

    def name(rr: _Rand, n: int) -> str:
        while True:
            s = "".join(rr.choice(chars) for _ in range(n))
            if s not in seen and len(set(s)) == len(s):
                seen.add(s)
                return s

    villages = tuple(name(r, 2 if r.chance(0.8) else 3) + r.choice(f["village_kinds"])
                     for _ in range(r.between(6, 10)))
    sites = tuple(name(r, 2) + k for k in r.sample(f["site_kinds"], 2))
    ry = _Rand(base, _TAG_FACTS, county, a, year)
    projects = tuple(name(ry, 2) + k for k in ry.sample(f["project_kinds"], ry.between(4, 6)))
    cc = f["campaign_chars"]
    campaigns = []
    for pat in ry.sample(f["campaign_patterns"], 2):
        x, y, z = (cc[2 * i: 2 * i + 2] for i in ry.sample(range(len(cc) // 2), 3))
        campaigns.append(pat.format(a=x, b=y, c=z, k=ry.choice("一二三四五"), k2=ry.choice("六七八九十")))
    issues = tuple(ry.sample(f["issues"], 4))
    return _Facts(villages, projects, sites, tuple(campaigns), issues)


class _Slots(dict):
    """Slots of an agency-specific fact shape; other slots (``{we}``, ``{n}``) are kept for
    the report's fill."""

    def __init__(self, facts: _Facts, r: _Rand) -> None:
        super().__init__()
        self._f, self._r = facts, r

    def __missing__(self, key: str) -> str:
        f, r = self._f, self._r
        if key in ("v1", "v2"):
            if "v1" in self and key == "v2":
                rest = [v for v in f.villages if v != self["v1"]]
                val = r.choice(rest)
            else:
                val = r.choice(f.villages)
        elif key in ("p1", "p2"):
            rest = [p for p in f.projects if p != self.get("p1")]
            val = r.choice(rest)
        elif key == "s1":
            val = r.choice(f.sites)
        elif key == "c1":
            val = r.choice(f.campaigns)
        elif key == "issue":
            val = r.choice(f.issues)
        elif key == "m":
            val = str(r.between(1, 12))
        elif key == "d":
            val = str(r.between(1, 28))
        elif key == "k":
            val = str(r.between(2, 30))
        else:
            return "{" + key + "}"
        self[key] = val
        return val


# --------------------------------------------------------------------------------------------
# format constants (docs/format.md §2-§7)

_SUBTOPICS = ("active", "application", "management", "platform", "supervision")
_SUB_NAMES = {"active": "主动公开", "application": "依申请公开", "management": "政府信息管理",
              "platform": "平台建设", "supervision": "监督保障"}
_SUB_STYLES = ("{}。", "{}方面:", "{}情况。", "{}情况:", "{}情况")  # S0, S1, S4, S1, S2
_CN = "一二三四五六七八九十"
_HEAD_BC = {
    "overview": ("一、总体情况",),
    "active": ("二、主动公开政府信息情况", "二、主动公开政府信息的情况"),
    "application": ("三、收到和处理政府信息公开申请情况",),
    "review": ("四、政府信息公开行政复议、行政诉讼情况",),
    "problems": ("五、存在的主要问题及改进情况", "五、存在的主要问题及改进情况", "五、存在的问题及改进措施"),
    "other": ("六、其他需要报告的事项", "六、其他需要报告的事项", "六、其他需要报告事项"),
}
_HEAD_A = {
    "overview": ("一、概述", "一、概述", "一、基本情况", "一、工作基本情况", "一、主要工作概述"),
    "active": ("二、主动公开政府信息的情况", "二、主动公开政府信息情况", "二、主动公开情况"),
    "application": ("三、依申请公开政府信息办理情况", "三、政府信息依申请公开的情况", "三、政府信息依申请公开办理情况",
                    "三、依申请公开政府信息和不予公开政府信息情况"),
    "fees": ("四、政府信息公开的收费及减免情况", "四、政府信息公开收费及减免情况"),
    "review": ("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "五、政府信息公开申请行政复议、行政诉讼情况"),
    "problems": ("六、政府信息公开工作存在的主要问题及改进情况", "六、存在的主要问题和改进措施",
                 "六、政府信息公开工作存在的主要问题及改进措施"),
    "measures_only": ("六、下一步工作措施", "六、下步工作的努力方向"),
    "other": ("七、其他需要报告的事项",),
}
_PROBLEM_SUBHEADS = (("(一)存在的问题:", "(二)采取措施和改进情况:"), ("(一)存在的主要问题", "(二)改进情况"),
                     ("(一)工作中存在主要问题", "(二)具体的解决办法和改进措施"), ("(一)工作中存在的问题。", "(二)改进措施。"),
                     ("(一)存在问题", "(二)改进措施"))
_PROBLEM_INLINE = (("存在的问题:", ""), ("存在的主要问题:", "整改措施:"), ("", "改进的措施:"))
_MARKERS = {
    "shi": tuple(f"{c}是" for c in _CN),
    "dot": tuple(f"{i}." for i in range(1, 11)),
    "dun": tuple(f"{i}、" for i in range(1, 11)),
    "cnparen": tuple(f"({c})" for c in _CN),
}
_OTHER_SUBHEADS = ("(一)依据《政府信息公开信息处理费管理办法》收取信息处理费情况", "(二)落实上级政务公开工作要点情况",
                   "(三)人大代表建议和政协提案办理结果公开情况", "(四)在政务公开方面的创新情况")

# Table 3 (docs/format.md §4), outcome rows: (sub label, leaf label, key, weight of the outcome)
_T3_COLS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_T3_HEAD = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
_T3_LEAVES_C = (
    ("(一)予以公开", "", "(一)", 40.0),
    ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "", "(二)", 8.0),
    ("(三)不予公开", "1.属于国家秘密", "(三)1", 1.0), ("", "2.其他法律行政法规禁止公开", "(三)2", 1.0),
    ("", "3.危及“三安全一稳定”", "(三)3", 0.5), ("", "4.保护第三方合法权益", "(三)4", 2.0),
    ("", "5.属于三类内部事务信息", "(三)5", 2.0), ("", "6.属于四类过程性信息", "(三)6", 3.0),
    ("", "7.属于行政执法案卷", "(三)7", 1.0), ("", "8.属于行政查询事项", "(三)8", 1.0),
    ("(四)无法提供", "1.本机关不掌握相关政府信息", "(四)1", 22.0), ("", "2.没有现成信息需要另行制作", "(四)2", 4.0),
    ("", "3.补正后申请内容仍不明确", "(四)3", 2.0),
    ("(五)不予处理", "1.信访举报投诉类申请", "(五)1", 3.0), ("", "2.重复申请", "(五)2", 2.0),
    ("", "3.要求提供公开出版物", "(五)3", 0.5), ("", "4.无正当理由大量反复申请", "(五)4", 0.5),
    ("", "5.要求行政机关确认或重新出具已获取信息", "(五)5", 0.5),
    ("(六)其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "(六)1", 2.0),
    ("", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "(六)2", 0.5),
    ("", "3.其他", "(六)3", 1.0),
)
_T3_LEAVES_B = _T3_LEAVES_C[:-3] + (("(六)其他处理", "", "(六)", 3.5),)
_T4_CATS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_T4_BLOCKS = ("行政复议", "未经复议直接起诉", "复议后起诉")
_DEBRIS_PROFILES = ("cms", "gov", "chrome")

_LEAD_CLAUSES = ("严格按照", "按照", "结合", "紧紧围绕", "围绕", "坚持", "根据", "对照", "立足", "以维护")
_FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"})
_YEAR_RE = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)")
_NUM_RE = re.compile(r"(?<![\d.])\d+(?![\d.])")


def _report_id(k: int) -> str:
    return f"synth_{k:06d}"


# --------------------------------------------------------------------------------------------
# units and reports


@dataclass
class _Unit:
    """One planted passage (before rendering ``start``/``end`` are -1)."""

    text: str  # the passage; list items without their terminator
    label: str
    section: str
    topic: str
    kind: str = ""  # "problem" / "measure" for enumerated statements
    template_id: str = ""
    src_rid: str = ""
    src_start: int = -1
    src_end: int = -1
    edits: str = ""
    edit_rate: float = math.nan
    item: int = -1
    para: int = -1
    start: int = -1
    end: int = -1


@dataclass
class _Cell:
    """The raw span of a deliberately wrong table cell."""

    detail: str
    start: int = -1
    end: int = -1


@dataclass
class _Made:
    """A generated report, kept while the rest of its county is generated."""

    k: int
    rid: str
    agency: int
    year: int
    era: str
    raw: str
    units: list
    cells: list
    meta: dict
    state: dict  # table quantities carried into the agency's next report
    own: dict  # (topic, kind) -> indices of own units: the passages later reports may reuse


@dataclass(frozen=True)
class _Template:
    id: str
    text: str
    when: str = ""  # "zero" / "nonzero": only for reports without / with information requests
    since: int = 0  # first report year the sentence can appear in


@dataclass(frozen=True)
class _Params:
    template_rate: float
    copy_rate: float
    recycle_rate: float
    edit_rate: float
    traditional_rate: float
    debris_rate: float
    table_error_rate: float
    years: tuple[int, int]


class _Fill(dict):
    """Slot values for ``str.format_map``; ``{n}``, ``{channel}`` and ``{cat}`` are drawn anew
    at every occurrence."""

    def __init__(self, fixed: dict, r: _Rand, v: dict) -> None:
        super().__init__(fixed)
        self._r = r
        self._v = v

    def __missing__(self, key: str) -> str:
        if key == "n":
            return str(self._r.between(1, 60))
        if key == "channel":
            return self._r.choice(self._v["channels"])
        if key == "cat":
            return self._r.choice(self._v["info_categories"])
        raise KeyError(key)


class _Builder:
    """Raw text as a list of pieces; planted units and wrong cells are single pieces, so their
    raw spans are known after the (piece-wise) script conversion."""

    __slots__ = ("joiner", "marks", "para", "pieces", "style")

    def __init__(self, style: Any, oneline: bool) -> None:
        self.pieces: list[str] = []
        self.marks: list[tuple[int, Any]] = []
        self.style = style
        self.joiner = " " if oneline else "\n"
        self.para = 0

    def raw(self, s: str) -> None:
        self.pieces.append(s)

    def text(self, s: str) -> None:
        self.pieces.append(self.style(s))

    def nl(self) -> None:
        self.pieces.append(self.joiner)

    def line(self, s: str) -> None:
        self.text(s)
        self.nl()

    def unit(self, u: _Unit, suffix: str = "") -> None:
        u.para = self.para
        self.marks.append((len(self.pieces), u))
        self.pieces.append(self.style(u.text + suffix).strip())

    def cell(self, s: str, cell: _Cell) -> None:
        self.marks.append((len(self.pieces), cell))
        self.pieces.append(s)

    def end_para(self) -> None:
        self.para += 1
        self.nl()

    def finish(self, convert: Any) -> str:
        pieces = convert(self.pieces) if convert is not None else self.pieces
        ends = list(itertools.accumulate(map(len, pieces)))
        for idx, obj in self.marks:
            obj.end = ends[idx]
            obj.start = ends[idx] - len(pieces[idx])
        return "".join(pieces)


def _s2t_pieces(pieces: list[str], r: _Rand, leave: float) -> list[str]:
    """Convert pieces to traditional script one by one (lengths may change per piece); with
    ``leave`` > 0 some converted characters are put back, as character-level converters do."""
    from govtext.normalize import _convert

    sep = "\ue000"
    out = _convert("s2t", sep.join(pieces)).split(sep)
    if len(out) != len(pieces):  # pragma: no cover - the separator is a private-use character
        out = [_convert("s2t", p) for p in pieces]
    if leave > 0:
        for i, (a, b) in enumerate(zip(pieces, out)):
            if a != b and len(a) == len(b):
                out[i] = "".join(x if x != y and r.random() < leave else y for x, y in zip(a, b))
    return out


class _Generator:
    def __init__(self, base: int, params: _Params) -> None:
        self.base = base
        self.p = params
        self.v = _resource("vocabulary.json")
        self.pre = _resource("templates.json")["preamble"]
        self._cohorts: dict[tuple[int, str], dict[str, list[_Template]]] = {}
        self.specifics = {t: [s.rstrip("。") for s in lst] for t, lst in self.v["specifics"].items()}

    # -- cohorts --------------------------------------------------------------------------
    def cohort(self, province: int, era: str) -> dict[str, list[_Template]]:
        key = (province, era)
        pool = self._cohorts.get(key)
        if pool is None:
            pool = self._cohorts[key] = self._make_cohort(province, era)
        return pool

    def _make_cohort(self, province: int, era: str) -> dict[str, list[_Template]]:
        r = _Rand(self.base, _TAG_COHORT, province, "ABC".index(era))
        bank = _bank()
        pool: dict[str, list[_Template]] = {}
        # sentences composed once per cohort: the province's model text. Few, and drawn often
        # (see ``_Writer.template``), so each one is held by several reports of the cohort, as
        # a provincial model text is; a "template" sentence used by one report of the corpus
        # would be indistinguishable from own text.
        composed = {"overview": 1, "active": 1, "application": 1, "management": 1, "platform": 1,
                    "supervision": 1, "problems": 2, "measures": 2, "other": 0, "fees": 0, "review": 0,
                    "problem_cue": 1, "measure_cue": 1}
        for topic, n_comp in composed.items():
            entries = bank.get((era, topic), [])
            k = max(min(2, len(entries)), round(0.6 * len(entries)))
            items = [_Template(f"{province:02d}{era}-{topic}-b{i:02d}", text, when, since)
                     for i, text, when, since in sorted(r.sample(entries, k))]
            items += [_Template(f"{province:02d}{era}-{topic}-c{j}", self.compose(topic, r))
                      for j in range(n_comp)]
            pool[topic] = items
        pool["preamble"] = [_Template(f"{province:02d}{era}-preamble-f{f + 1}", r.choice(variants))
                            for f, variants in enumerate(self.pre[era])]
        return pool

    # -- composing own text (slots are filled later) ----------------------------------------
    def compose(self, topic: str, r: _Rand, avoid: set[str] | None = None,
                facts: _Facts | None = None, used: set[str] | None = None) -> str:
        """Text of a topic, slots unfilled; problem details in ``avoid`` (those already used
        by the report) are not repeated, and the ones chosen are added to it. With ``facts``
        (own text) the sentence also states one or two facts of the agency's own world (its
        villages, projects, service site, campaign, dates and counts), as real reports do."""
        v = self.v
        cl = v["clauses"]
        shapes = v["facts"]["shapes"]

        def fact(kind: str) -> str:
            # a report does not state the same kind of fact twice (shapes in ``used``)
            if facts is None:
                return ""
            pool = shapes[kind]
            if used is not None:
                pool = [x for x in pool if x not in used] or pool
                shape = r.choice(pool)
                used.add(shape)
            else:
                shape = r.choice(pool)
            return shape.format_map(_Slots(facts, r))

        if topic == "problems":
            s = r.choice(v["problem_subjects"]) + r.choice(v["problem_predicates"])
            pool = v["problem_details"]
            if avoid is not None:
                pool = [d for d in pool if d not in avoid] or pool
            details = r.sample(pool, r.between(1, 2) if facts is None else 1)
            if avoid is not None:
                avoid.update(details)
            if facts is not None:
                details.insert(r.below(2), fact("problems"))
            return s + "".join("," + d for d in details)
        if topic == "measures":
            # own measures run on after their headline (``一是加强X,…``): a bare headline
            # sentence (``加强X。``) is shared by many reports, it is not the agency's own
            s = r.choice(v["measure_verbs"]) + r.choice(v["measure_objects"]) + ("。" if facts is None else ",")
            parts = r.sample(cl["measures"], r.between(1, 2))
            if facts is not None:
                parts.insert(r.below(len(parts) + 1), fact("measures"))
            s += ",".join(parts)
            return s + ("," + r.choice(v["purposes"]) if r.chance(0.6) else "")
        if topic == "problem_cue":
            opener = r.choice(("{year}年,{we}", "一年来,{we}", "{we}"))
            c1, c2 = r.sample(cl["overview"], 2)
            end = r.choice(("仍存在一些不足:", "也存在一些问题:", "工作中还存在一些薄弱环节:",
                            "与群众的期待相比还有差距,主要表现在:"))
            if facts is not None:
                return f"{fact('problem_cue')},{opener}{c1},{c2},但{end}"
            return f"{opener}{c1},{c2},但{end}"
        if topic == "measure_cue":
            start = r.choice(("下一步,{we}将", "{plan_year}年,{we}将", "今后,{we}将"))
            end = r.choice(("重点做好以下几个方面工作:", "主要做好以下工作:", "着力抓好以下几项工作:"))
            if facts is not None:
                return f"{start}{fact('measure_cue')},{r.choice(cl['measures'])},{r.choice(v['purposes'])},{end}"
            return f"{start}{r.choice(cl['measures'])},{r.choice(v['purposes'])},{end}"
        pool = cl.get(topic) or cl["overview"]
        parts = r.sample(pool, r.between(2, 3) if len(pool) > 5 else 1)
        if topic != "overview" and r.chance(0.3):
            parts.insert(r.below(len(parts) + 1), r.choice(cl["overview"]))
        parts.sort(key=lambda x: not x.startswith(_LEAD_CLAUSES))  # 按照…/结合… lead the sentence
        if topic in self.specifics and r.chance(0.3):
            parts.append(r.choice(self.specifics[topic]))
        if facts is not None:
            kind = topic if topic in shapes else "overview"
            for _ in range(1 + r.binomial(1, 0.5)):
                parts.insert(1 + r.below(len(parts)), fact(kind))
        if r.chance(0.6):
            parts.append(r.choice(v["purposes"]))
        return r.choice(v["openers"]) + ",".join(parts) + "。"

    # -- the corpus ---------------------------------------------------------------------------
    def reports(self, n: int) -> Iterator[_Made]:
        k, c = 0, 0
        while k < n:
            county = _make_county(self.base, c, self.p.years)
            history: list[_Made] = []
            for year, a, era in county.schedule:
                if k >= n:
                    break
                made = _Writer(self, k, county, a, year, era, history).write()
                history.append(made)
                yield made
                k += 1
            c += 1


# --------------------------------------------------------------------------------------------
# one report


class _Writer:
    def __init__(self, gen: _Generator, k: int, county: _County, a: int, year: int, era: str,
                 history: list[_Made]) -> None:
        self.g, self.p, self.v = gen, gen.p, gen.v
        self.k, self.rid = k, _report_id(k)
        self.county, self.a, self.agency = county, a, county.agencies[a]
        self.year, self.era = year, era
        self.r = r = _Rand(gen.base, _TAG_REPORT, county.index, year, a)
        self.pool = gen.cohort(county.province_index, era)
        self.units: list[_Unit] = []
        self.cells: list[_Cell] = []
        self.used: set[tuple[int, int]] = set()
        self.used_templates: set[str] = set()
        self.details: set[str] = set()  # problem details already used by this report
        self.facts = _make_facts(gen.base, county.index, a, year)
        self.used_shapes: set[str] = set()  # fact shapes already used by this report

        # behaviour: which earlier reports this one reuses, and how much
        own = [m for m in history if m.agency == a]
        # position among the county's reports of this year already written: publication dates
        # follow generation order, so a report is published after every report it can copy
        self.rank = sum(1 for m in history if m.year == year)
        self.prev = own[-1] if own else None
        self.recycle_src = None
        self.recycle_share = 0.0
        if own and r.chance(self.p.recycle_rate):
            self.recycle_src = own[-1] if len(own) == 1 or r.chance(0.75) else own[-2]
            self.recycle_share = 0.35 + 0.6 * r.random()
        self.copy_src = None
        self.copy_share = 0.0
        peers = [m for m in history if m.agency != a and m.year >= year - 1]
        if peers and r.chance(self.p.copy_rate):
            same = [m for m in peers if m.era == era]
            self.copy_src = r.choice(same or peers)
            self.copy_share = 0.3 + 0.5 * r.random()
        self.tp = min(0.95, self.p.template_rate * (0.5 + r.random()))

        # presentation
        self.traditional = r.chance(self.p.traditional_rate)
        self.debris = r.choice(_DEBRIS_PROFILES) if r.chance(self.p.debris_rate) else ""
        self.full_width = r.chance(0.25)
        self.pdf = r.chance(0.1)
        self.oneline = self.debris == "cms" and r.chance(0.6)
        if era == "A":
            self.tables = "none"
        elif self.oneline or r.chance(0.08):
            self.tables = "dropped"
        else:
            self.tables = r.choice(("cells", "cells", "tabs"))
        self.error_in = 0  # the table (3 or 4) given one wrong cell
        if self.tables in ("cells", "tabs") and r.chance(self.p.table_error_rate):
            self.error_in = 3 if r.chance(0.75) else 4

        # quantities (the tables come first: the narrative quotes them)
        self.state: dict = {}
        self.t2 = self.t3 = self.t4 = None
        if era != "A":
            self._make_tables()
            n_new, n_carry = self.t3[0][6], self.t3[1][6]
        else:
            p0 = {"county": 0.4, "township": 0.85, "department": 0.6}[self.agency.level]
            n_new = 0 if r.chance(p0) else r.between(1, 12)
            n_carry = 0
        self.when = "zero" if n_new == 0 else "nonzero"
        lo, hi = {"county": (400, 9000), "township": (15, 600), "department": (20, 1500)}[self.agency.level]
        ag = self.agency
        plan = year + 1 if r.chance(0.8) else year
        self.fill = _Fill({
            "year": str(year), "plan_year": str(plan), "we": ag.we, "name": ag.short, "agency": ag.name,
            "unit": ag.unit, "ck": county.suffix, "county": county.name, "city": county.city,
            "province": county.province, "upper": ag.upper, "upper_gov": ag.upper_gov, "office": ag.office,
            "website": county.website, "phone": ag.phone, "postcode": ag.postcode, "address": ag.address,
            "media": ag.media, "n_active": str(r.loguniform(lo, hi)), "n_new": str(n_new), "n_carry": str(n_carry),
        }, r, self.v)

        def style(s: str, fw=self.full_width, pdf=self.pdf, y=str(year)) -> str:
            if pdf and y in s:
                s = s.replace(f"{y}年", f" {y} 年")
            return s.translate(_FULL_WIDTH) if fw else s

        self.b = _Builder(style, self.oneline)

    # -- passages -------------------------------------------------------------------------
    def slot(self, topic: str, section: str, kind: str = "") -> _Unit:
        r = self.r
        if self.recycle_src is not None and r.chance(self.recycle_share):
            u = self.take(self.recycle_src, topic, section, kind, "recycled")
            if u is not None:
                return u
        if self.copy_src is not None and r.chance(self.copy_share):
            u = self.take(self.copy_src, topic, section, kind, "copied")
            if u is not None:
                return u
        if r.chance(self.tp):
            u = self.template(topic, section, kind)
            if u is not None:
                return u
        text = self.g.compose(topic, r, self.details, self.facts, self.used_shapes).format_map(self.fill)
        return _Unit(text, "own", section, topic, kind)

    def template(self, topic: str, section: str, kind: str = "") -> _Unit | None:
        cands = [t for t in self.pool.get(topic, ())
                 if t.id not in self.used_templates and (not t.when or t.when == self.when)
                 and t.since <= self.year]
        if not cands:
            return None
        model = [t for t in cands if "-c" in t.id[-3:]]
        if model and len(model) < len(cands) and self.r.chance(0.35):
            cands = model
        t = self.r.choice(cands)
        self.used_templates.add(t.id)
        return _Unit(t.text.format_map(self.fill), "template", section, topic, kind, template_id=t.id)

    def take(self, made: _Made, topic: str, section: str, kind: str, label: str) -> _Unit | None:
        units = made.units
        cands = [i for i in made.own.get((topic, kind), ()) if (made.k, i) not in self.used]
        if not cands:
            return None
        r = self.r
        i = r.choice(cands)
        run = [i]
        while not kind and len(run) < 3 and r.chance(0.5):
            j = run[-1] + 1
            if (j < len(units) and units[j].para == units[i].para and units[j].label == "own"
                    and units[j].topic == topic and (made.k, j) not in self.used):
                run.append(j)
            else:
                break
        for j in run:
            self.used.add((made.k, j))
        source = "".join(units[j].text for j in run)
        text, ops, rate = self.edit(source, made, label, topic)
        return _Unit(text, label, section, topic, kind, src_rid=made.rid, src_start=units[run[0]].start,
                     src_end=units[run[-1]].end, edits=",".join(ops), edit_rate=rate)

    def edit(self, text: str, made: _Made, label: str, topic: str) -> tuple[str, list[str], float]:
        r, v = self.r, self.v
        source_len = len(text)
        ops: list[str] = []
        changed = 0
        if label == "copied" and not r.chance(0.1):  # one copier in ten forgets to change the names
            src, tgt = self.county.agencies[made.agency], self.agency
            hit = False
            # the peer's own names (villages, projects, site, campaign) become the copier's,
            # most of them: a copier misses some
            fs, ft = _make_facts(self.g.base, self.county.index, made.agency, made.year), self.facts
            names = [(x, getattr(ft, f)[i % len(getattr(ft, f))])
                     for f in ("villages", "projects", "sites", "campaigns")
                     for i, x in enumerate(getattr(fs, f)) if x in text and r.chance(0.85)]
            for a, b in ((src.name, tgt.name), (src.address, tgt.address), (src.phone, tgt.phone),
                         (src.short, tgt.short), (src.media, tgt.media), (src.we, tgt.we), *names):
                if a != b and a in text:
                    changed += text.count(a) * (len(a) + len(b))
                    text = text.replace(a, b)
                    hit = True
            if hit:
                ops.append("place")
        dy = self.year - made.year
        if dy:
            text, n = _YEAR_RE.subn(lambda m: str(int(m.group()) + dy), text)
            if n:
                ops.append("year")
                changed += 8 * n
        if r.chance(0.8 if label == "copied" else 0.5):
            count = 0

            def renumber(m: re.Match) -> str:
                nonlocal count
                s = m.group()
                if len(s) == 4 and s.startswith("20"):
                    return s
                new = str(r.between(10 ** (len(s) - 1) if len(s) > 1 else 0, 10 ** len(s) - 1))
                if new != s:
                    count += len(s) + len(new)
                return new

            text = _NUM_RE.sub(renumber, text)
            if count:
                ops.append("number")
                changed += count
        strength = self.p.edit_rate * (1.0 if label == "copied" else 0.5)
        parts = text.split(",")
        if len(parts) >= 3 and r.chance(strength):
            removed = parts.pop(r.between(1, len(parts) - 2))
            changed += len(removed) + 1
            ops.append("drop")
        if r.chance(strength):
            pool = v["problem_details"] if topic == "problems" else v["clauses"].get(topic, v["clauses"]["overview"])
            clause = r.choice(pool).format_map(self.fill)
            parts.insert(max(len(parts) - 1, 0), clause)
            changed += len(clause) + 1
            ops.append("add")
        text = ",".join(parts)
        if r.chance(strength):
            for a, b in r.sample(v["synonyms"], len(v["synonyms"])):
                if a in text or b in text:
                    old, new = (a, b) if a in text else (b, a)
                    text = text.replace(old, new, 1)
                    changed += len(old) + len(new)
                    ops.append("char")
                    break
            else:
                for w in v["deletable"]:
                    if w in text[1:]:
                        i = text.index(w, 1)
                        text = text[:i] + text[i + len(w):]
                        changed += len(w)
                        ops.append("char")
                        break
        return text, ops, changed / max(1, source_len + len(text))

    # -- rendering helpers ----------------------------------------------------------------
    def para(self, units: list[_Unit], lead: str = "") -> None:
        b = self.b
        if lead:
            b.text(lead)
        for u in units:
            b.unit(u)
            self.units.append(u)
        b.end_para()

    def heading(self, s: str) -> None:
        self.b.line(s)

    def items(self, units: list[_Unit], cue: _Unit | None, marker: str, lines: bool, lead: str = "") -> None:
        """A cue sentence followed by enumerated statements (``一是…;二是…。`` / ``1.…``)."""
        b, r = self.b, self.r
        if lead:
            b.text(lead)
        if cue is not None:
            b.unit(cue)
            self.units.append(cue)
            if lines:
                b.end_para()
        term = r.choice(("。", ";", ";")) if not lines else "。"
        marks = _MARKERS.get(marker)
        for i, u in enumerate(units):
            if lines and i:
                b.end_para()
            if marks:
                b.text(marks[i])
            u.item = i + 1
            last = i == len(units) - 1
            b.unit(u, "。" if last else term)
            self.units.append(u)
        b.end_para()

    # -- the report -----------------------------------------------------------------------
    def write(self) -> _Made:
        r, b = self.r, self.b
        self.pub = pub = self._publication_date()
        self._debris_head(pub)
        if self.era == "A":
            self._era_a()
        else:
            self._era_bc()
        if r.chance(0.85 if self.era != "A" else 0.6):
            b.line(self.agency.name)
            b.line(self._date_text(pub))
        else:  # no signature: the date alone closes the report (no draw: the stream is kept)
            b.line(f"{pub[0]}年{pub[1]}月{pub[2]}日")
        self._debris_tail()
        convert = None
        if self.traditional:
            leave = 0.03 if r.chance(0.5) else 0.0
            convert = functools.partial(_s2t_pieces, r=r, leave=leave)
        raw = b.finish(convert)
        meta = {"agency": self.agency.name, "level": self.agency.level, "province": self.county.province,
                "city": self.county.city, "county": self.county.name, "year": self.year, "era": self.era,
                "script": "traditional" if self.traditional else "simplified", "debris": self.debris,
                "layout": "oneline" if self.oneline else "lines", "tables": self.tables,
                "published": f"{pub[0]:04d}-{pub[1]:02d}-{pub[2]:02d}"}
        own: dict[tuple[str, str], list[int]] = {}
        for i, u in enumerate(self.units):
            if u.label == "own":
                own.setdefault((u.topic, u.kind), []).append(i)
        return _Made(self.k, self.rid, self.a, self.year, self.era, raw, self.units, self.cells, meta,
                     self.state, own)

    def _title(self) -> None:
        r, ag, y = self.r, self.agency, self.year
        t = r.random()
        if t < 0.5:
            title = f"{ag.name}{y}年政府信息公开工作年度报告"
        elif t < 0.65:
            title = f"{ag.name}{y}年度政府信息公开工作年度报告"
        elif t < 0.75:
            title = f"{ag.short}{y}年政府信息公开工作年度报告"
        elif t < 0.85:
            title = f"{y}年{ag.name}政府信息公开工作年度报告"
        elif t < 0.92 and self.era == "A":
            title = f"{ag.name}{y}年政府信息公开年报"
        else:
            title = ""  # no title line (S4): the agency is named in the signature
        b = self.b
        if title:
            b.text(title)
            b.raw(" | " + "|" * r.between(40, 400) + "\n" if self.debris == "cms" else "\n")
        if self.debris == "cms":
            y, m, d = self.pub
            b.raw(f"{y}-{m:02d}-{d:02d} 点击数: | " + "|" * r.between(40, 400) + "\n|\n")
            b.raw("|" * r.between(40, 400) + "\n|\n")

    def _preamble(self) -> None:
        p = min(1.0, 2 * self.p.template_rate)
        units = []
        for t in self.pool["preamble"]:
            if self.r.chance(p * 0.9):
                units.append(_Unit(t.text.format_map(self.fill), "template", "preamble", "preamble",
                                   template_id=t.id))
        if units:
            self.para(units)

    def _problems(self, measures_only: bool = False) -> None:
        r = self.r
        era = self.era
        marker = r.choice(("shi", "shi", "dot", "dun", "cnparen") if era == "A" else ("shi", "shi", "shi", "dot", "dun"))
        lines = marker in ("dot", "dun", "cnparen") and r.chance(0.7)
        plain_a = era == "A" and r.chance(0.25)  # 2013 style: statements separated by ";" only
        n_p, n_m = r.between(2, 4), r.between(2, 4)
        heads = r.choice(_PROBLEM_SUBHEADS) if r.random() < 0.6 else None
        l1, l2 = ("", "") if heads else r.choice(_PROBLEM_INLINE)
        if not measures_only:
            cue = self.slot("problem_cue", "problems") if r.chance(0.85) else None
            probs = [self.slot("problems", "problems", "problem") for _ in range(n_p)]
        # without a heading or label the measures need their cue ("下一步,我区将…")
        needs_cue = measures_only or heads is None and not l2
        cue_m = self.slot("measure_cue", "problems") if needs_cue or r.chance(0.85) else None
        meas = [self.slot("measures", "problems", "measure") for _ in range(n_m)]
        if measures_only:
            self.items(meas, cue_m, marker, lines)
        elif heads:
            self.heading(heads[0])
            self.items(probs, cue, "" if plain_a else marker, lines and not plain_a)
            self.heading(heads[1])
            self.items(meas, cue_m, marker, lines)
        else:
            self.items(probs, cue, "" if plain_a else marker, False, lead=l1)
            self.items(meas, cue_m, marker, lines, lead=l2)

    def _era_bc(self) -> None:
        r, b = self.r, self.b
        self._title()
        self._preamble()
        self.heading(_HEAD_BC["overview"][0])
        self.para([self.slot("overview", "overview") for _ in range(r.between(1, 2))])
        sub_style = r.choice(_SUB_STYLES)
        full_paren = r.chance(0.3)
        n = 0
        for topic in _SUBTOPICS:
            if r.chance(0.06):
                continue
            num = f"({_CN[n]})" if not full_paren else f"（{_CN[n]}）"
            n += 1
            head = num + sub_style.format(_SUB_NAMES[topic])
            units = [self.slot(topic, "overview") for _ in range(r.between(1, 3))]
            if sub_style.endswith("况") or r.chance(0.3):
                self.heading(head)
                self.para(units)
            else:
                self.para(units, lead=head)
        self.heading(r.choice(_HEAD_BC["active"]))
        self._table(self.t2, width=4)
        self.heading(_HEAD_BC["application"][0])
        self._table(self.t3, width=10, kind=3)
        self.heading(_HEAD_BC["review"][0])
        self._table(self.t4, width=15, kind=4)
        self.heading(r.choice(_HEAD_BC["problems"]))
        self._problems()
        self.heading(r.choice(_HEAD_BC["other"]))
        if self.era == "C" and r.chance(0.35):
            for head in _OTHER_SUBHEADS:
                self.para([self.slot("other", "other")], lead=head + " ")
        elif r.chance(0.2):
            b.line("无")
        else:
            self.para([self.slot("other", "other")])

    def _era_a(self) -> None:
        r, b = self.r, self.b
        self._title()
        if r.chance(0.6):
            self._preamble()
        if r.chance(0.9):
            self.heading(r.choice(_HEAD_A["overview"]))
        self.para([self.slot("overview", "overview") for _ in range(r.between(1, 2))])
        marks = _MARKERS[r.choice(("dun", "cnparen", "dot"))]
        for i in range(r.between(0, 4)):
            topic = r.choice(("supervision", "management", "platform", "active", "supervision"))
            self.para([self.slot(topic, "overview")], lead=marks[i])
        self.heading(r.choice(_HEAD_A["active"]))
        self.para([self.slot("active", "active") for _ in range(r.between(1, 3))])
        for sec in ("application", "fees", "review"):
            self.heading(r.choice(_HEAD_A[sec]))
            if r.chance(0.12):
                b.line("无")
            else:
                self.para([self.slot(sec, sec)])
        if r.chance(0.1):
            self.heading(r.choice(_HEAD_A["measures_only"]))
            self._problems(measures_only=True)
        else:
            self.heading(r.choice(_HEAD_A["problems"]))
            self._problems()
        if r.chance(0.5):
            self.heading(_HEAD_A["other"][0])
            if r.chance(0.4):
                b.line("无")
            else:
                self.para([self.slot("other", "other")])

    # -- dates and debris -----------------------------------------------------------------
    def _publication_date(self) -> tuple[int, int, int]:
        """Publication date in the next year, in generation order within the county's year.

        The ``rank``-th report of the county's year is published on day ``4 + step * rank + j``
        of the next year (``j`` in ``0..step-1``), ``step`` 3 days in the 2019 and 2021 formats
        (due by 31 January) and 9 days in era A (due by 31 March), so dates strictly increase
        in generation order within a county's year: every report is published after the
        reports it may copy (a copy's source is an earlier report of the same county, of the
        same or the previous year). The random draws are those of the former date rule (the
        report's other draws are unchanged)."""
        r = self.r
        if r.chance(0.08):
            day = r.between(15, 31)
        else:
            if not (self.agency.level != "county" and self.era != "A"):
                r.between(1, 3)
            day = r.between(5, 28)
        step = 9 if self.era == "A" else 3
        offset = 3 + step * self.rank + day % step
        d = datetime.date(self.year + 1, 1, 1) + datetime.timedelta(days=offset)
        return d.year, d.month, d.day

    def _date_text(self, d: tuple[int, int, int]) -> str:
        y, m, day = d
        if self.r.chance(0.05):
            cn_y = "".join("〇一二三四五六七八九"[int(c)] for c in str(y))
            return f"{cn_y}年{_cn_number(m)}月{_cn_number(day)}日"
        return f"{y}年{m}月{day}日"

    def _debris_head(self, pub: tuple[int, int, int]) -> None:
        r, b = self.r, self.b
        if self.debris == "gov":
            b.raw("\n- 索 引 号:\n- 备注/文号:\n- 发布机构:\n- 公文生成日期:\n- 有 效 性:\n")
            b.raw(f"{self.county.suffix if self.agency.level == 'county' else self.agency.short[0]}政〔{pub[0]}〕"
                  f"{r.between(1, 30)}号\n")
        elif self.debris == "chrome":
            b.raw(f"发布时间 : {pub[0]}-{pub[1]:02d}-{pub[2]:02d} 来源:{self.agency.short} 字体大小:\n")

    def _debris_tail(self) -> None:
        r, b = self.r, self.b
        if self.debris == "cms":
            if self.oneline:
                b.raw(" |")
            b.raw("\n" + "|" * r.between(40, 400) + "\n【关闭窗口】 |")
        elif self.debris == "gov":
            b.raw("\n扫一扫在手机上查看当前页面\n")
        elif self.debris == "chrome":
            b.raw("\n【打印本页】 【关闭本页】\n")

    # -- tables ---------------------------------------------------------------------------
    def _make_tables(self) -> None:
        r, level = self.r, self.agency.level
        prev = self.prev.state if self.prev is not None else {}
        # Table 3: applications by applicant type
        if level == "county":
            total_new = r.loguniform(3, 150)
        elif level == "department":
            total_new = 0 if r.chance(0.4) else r.loguniform(1, 20)
        else:
            total_new = 0 if r.chance(0.6) else r.between(1, 6)
        col_w = [86.0, 92.0, 92.5, 93.5, 96.5, 100.0]
        new = [0] * 6
        for _ in range(total_new):
            new[r.weighted(col_w)] += 1
        carry_in = list(prev.get("carry_out", [0] * 6))
        carry_out = [r.binomial(new[c] + carry_in[c], 0.04) for c in range(6)]
        leaves = _T3_LEAVES_C if self.era == "C" else _T3_LEAVES_B
        cum, acc = [], 0.0
        for leaf in leaves:
            acc += leaf[3]
            cum.append(acc)
        vals = [[0] * 6 for _ in leaves]
        for c in range(6):
            for _ in range(new[c] + carry_in[c] - carry_out[c]):
                vals[r.weighted(cum)][c] += 1
        total = [sum(v[c] for v in vals) for c in range(6)]
        rows = [new, carry_in] + vals + [total, carry_out]
        self.t3 = [row + [sum(row)] for row in rows]
        self.state["carry_out"] = carry_out
        # Table 4: review and litigation
        lam = {"county": (0.5, 0.3, 0.3), "department": (0.15, 0.08, 0.05), "township": (0.03, 0.02, 0.01)}[level]
        t4 = []
        for blk in range(3):
            four = [r.poisson(lam[blk] * w) for w in (1.0, 0.4, 0.6, 0.3)]
            t4.extend(four + [sum(four)])
        self.t4 = t4
        # Table 2: items of Art. 20 of the Regulations
        self.t2 = self._table2(prev)

    def _table2(self, prev: dict) -> list[list[str]]:
        r, level, st = self.r, self.agency.level, self.state
        big = {"county": 1.0, "department": 0.3, "township": 0.02}[level]

        def amount(lo: float, hi: float, p0: float) -> int:
            return 0 if r.chance(p0) else r.loguniform(lo, max(lo + 1, hi * big))

        if self.era == "C":
            valid = prev.get("valid_docs", r.between(0, 12) if level != "township" else r.between(0, 2))
            made = r.between(0, 4) if level != "township" else r.between(0, 1)
            repealed = min(valid, r.between(0, 2))
            now = valid + made - repealed + (r.between(-2, 2) if r.chance(0.1) else 0)  # clean-ups break the soft rule
            now = max(now, 0)
            st["valid_docs"] = now
            fee = 0.0 if r.chance(0.5 if level != "township" else 0.9) else r.loguniform(10, 1_000_000) / 1000
            return [
                ["第二十条第(一)项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                ["规章", "0", "0", "0"], ["行政规范性文件", str(made), str(repealed), str(now)],
                ["第二十条第(五)项"], ["信息内容", "本年处理决定数量"],
                ["行政许可", str(amount(5, 400000, 0.3))],
                ["第二十条第(六)项"], ["信息内容", "本年处理决定数量"],
                ["行政处罚", str(amount(3, 5000, 0.4))], ["行政强制", str(amount(1, 600, 0.6))],
                ["第二十条第(八)项"], ["信息内容", "本年收费金额(单位:万元)"],
                ["行政事业性收费", f"{fee:g}" if fee else "0"],
            ]

        def items(key: str, hi: int) -> tuple[str, str]:
            before = prev.get(key, r.between(0, hi))
            delta = r.between(-2, 5) if r.chance(0.5) else 0
            delta = max(delta, -before)
            st[key] = before + delta
            return str(before), (f"+{delta}" if delta > 0 else str(delta))

        made = r.between(0, 3) if level != "township" else r.between(0, 1)
        total_docs = prev.get("docs_total", r.between(0, 20)) + made
        st["docs_total"] = total_docs
        rows = [["第二十条第(一)项"], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                ["规章", "0", "0", "0"], ["规范性文件", str(made), str(made), str(total_docs)],
                ["第二十条第(五)项"], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]]
        for name, key, hi, dec in (("行政许可", "items_licence", 200, (5, 400000, 0.3)),
                                   ("其他对外管理服务事项", "items_service", 300, (5, 5000, 0.5))):
            a, d = items(key, int(hi * big) + 1)
            rows.append([name, a, d, str(amount(*dec))])
        rows += [["第二十条第(六)项"], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]]
        for name, key, hi, dec in (("行政处罚", "items_penalty", 800, (3, 5000, 0.4)),
                                   ("行政强制", "items_force", 60, (1, 600, 0.6))):
            a, d = items(key, int(hi * big) + 1)
            rows.append([name, a, d, str(amount(*dec))])
        rows += [["第二十条第(八)项"], ["信息内容", "上一年项目数量", "本年增/减"]]
        a, d = items("items_fee", int(20 * big) + 1)
        rows.append(["行政事业性收费", a, d])
        rows += [["第二十条第(九)项"], ["信息内容", "采购项目数量", "采购总金额"],
                 ["政府集中采购", *self._procurement(amount)]]
        return rows

    def _procurement(self, amount: Any) -> tuple[str, str]:
        projects = amount(1, 40, 0.5)
        return str(projects), str(amount(1000, 50_000_000, 0.0) if projects else 0)

    def _table(self, data: Any, *, width: int, kind: int = 2) -> None:
        if self.tables == "dropped":
            return
        if kind == 3:
            rows, coords = self._t3_rows()
        elif kind == 4:
            rows, coords = self._t4_rows()
        else:
            rows, coords = data, {}
        err = self._plant_error(rows, coords, kind) if kind == self.error_in else None
        tabs = self.tables == "tabs"
        out: list[str] = []  # rendered rows; the wrong cell is an element of its own
        at = -1
        for i, row in enumerate(rows):
            cells = [_pdf_label(c) for c in row] if self.pdf else row
            if tabs and kind == 2:
                cells = cells + [""] * (width - len(cells))
            empty = (width - len(cells) if kind == 2 else 0) + cells.count("")
            pipes = "|" * empty + "\n" if empty else ""
            if err is None or err[0] != i:
                out.append("\t".join(cells) + "\n" if tabs else "".join(c + " |\n" for c in cells if c) + pipes)
                continue
            j = err[1]
            if tabs:
                out += ["\t".join(cells[:j]) + ("\t" if j else ""), cells[j], "\t" + "\t".join(cells[j + 1:]) + "\n"
                        if j + 1 < len(cells) else "\n"]
            else:
                out += ["".join(c + " |\n" for c in cells[:j] if c), cells[j],
                        " |\n" + "".join(c + " |\n" for c in cells[j + 1:] if c) + pipes]
            at = len(out) - 2
        b = self.b
        if at < 0:
            b.text("".join(out))
        else:
            b.text("".join(out[:at]))
            b.cell(out[at], self.cells[-1])
            b.text("".join(out[at + 1:]))

    def _t3_rows(self) -> tuple[list[list[str]], dict]:
        head, labels, coords = _t3_layout(self.era, self.tables == "tabs")
        rows = [list(h) for h in head]
        rows += [row + [str(x) for x in values] for row, values in zip(labels, self.t3)]
        return rows, coords

    def _t4_rows(self) -> tuple[list[list[str]], dict]:
        cats = list(_T4_CATS)
        if self.pdf:
            cats = [c[:2] + " " + c[2:] if c != "总计" else c for c in cats]
        rows = [["行政复议", "", "", "", "", "行政诉讼"],
                cats + ["未经复议直接起诉", "", "", "", "", "复议后起诉"],
                [""] * 5 + cats + cats,
                [str(x) for x in self.t4]]
        coords = {(3, j): (_T4_BLOCKS[j // 5], _T4_CATS[j % 5], 0, j) for j in range(15)}
        return rows, coords

    def _plant_error(self, rows: list[list[str]], coords: dict, kind: int) -> tuple[int, int]:
        r = self.r
        keys = sorted(coords)
        pos = r.choice(keys)
        row_key, col_key, ri, ci = coords[pos]
        value = int(rows[pos[0]][pos[1]])
        delta = r.choice((1, 1, 2, 3, -1, -2)) if value > 0 else r.between(1, 3)
        printed = max(0, value + delta)
        if printed == value:
            printed = value + 1
        rows[pos[0]][pos[1]] = str(printed)
        if kind == 3:
            t3 = [list(x) for x in self.t3]
            t3[ri][ci] = printed
            rules = _t3_violations(t3)
        else:
            t4 = list(self.t4)
            t4[ci] = printed
            rules = _t4_violations(t4)
        detail = (f"table={kind};row={row_key};column={col_key};printed={printed};expected={value};"
                  f"rules={','.join(rules)}")
        self.cells.append(_Cell(detail))
        return pos


@functools.cache
def _t3_layout(era: str, tabs: bool) -> tuple[list, list, dict]:
    """Table 3: header rows, the label cells of each data row, and for every value cell its
    ``(row key, column, data row, column index)``."""
    leaves = _T3_LEAVES_C if era == "C" else _T3_LEAVES_B
    head = [[_T3_HEAD, "", "申请人情况"], ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]]
    labels = [("一、本年新收政府信息公开申请数量", "", "", "一"), ("二、上年结转政府信息公开申请数量", "", "", "二")]
    labels += [("三、本年度办理结果" if i == 0 else "", sub, leaf, key) for i, (sub, leaf, key, _w) in enumerate(leaves)]
    labels += [("", "(七)总计", "", "(七)"), ("四、结转下年度继续办理", "", "", "四")]
    rows, coords = [], {}
    for ri, (g, sub, leaf, key) in enumerate(labels):
        row = [g, sub, leaf] if tabs else [x for x in (g, sub, leaf) if x]
        for ci in range(7):
            coords[(len(head) + ri, len(row) + ci)] = (key, _T3_COLS[ci], ri, ci)
        rows.append(row)
    return head, rows, coords


def _cn_number(x: int) -> str:
    """1..31 in Chinese numerals (二十三)."""
    tens, ones = divmod(x, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN[tens - 1] + "十")
    return head + (_CN[ones - 1] if ones else "") if x != 10 else "十"


_PDF_LABEL_RE = re.compile(r"^(\([一二三四五六七]\)|\d\.)(?=\S)")


def _pdf_label(s: str) -> str:
    return _PDF_LABEL_RE.sub(r"\1 ", s)


def _t3_violations(t3: list[list[int]]) -> list[str]:
    """Rules of docs/format.md §5 broken by a Table 3 (rows 一, 二, leaves, (七), 四; 7 columns)."""
    rules = []
    first, carry, total, out = t3[0], t3[1], t3[-2], t3[-1]
    leaves = t3[2:-2]
    if any(first[c] + carry[c] != total[c] + out[c] for c in range(7)):
        rules.append("R3.1")
    if any(total[c] != sum(row[c] for row in leaves) for c in range(7)):
        rules.append("R3.2")
    if any(row[6] != sum(row[:6]) for row in t3):
        rules.append("R3.3")
    return rules


def _t4_violations(t4: list[int]) -> list[str]:
    return ["R4.1"] if any(t4[5 * b + 4] != sum(t4[5 * b:5 * b + 4]) for b in range(3)) else []


# --------------------------------------------------------------------------------------------
# the truth


class _Truth:
    """Truth rows, gathered in Python lists and moved into numpy chunks every ``_CHUNK`` rows
    (millions of boxed ints would cost gigabytes at 100,000 reports)."""

    _CHUNK = 100_000

    def __init__(self) -> None:
        self.cols: dict[str, list] = {c: [] for c in TRUTH_COLUMNS}
        self.chunks: list[dict[str, np.ndarray]] = []
        self.pending = 0

    def add(self, m: _Made) -> None:
        rows: list[tuple] = []
        merged: list[list] = []
        for u in m.units:
            last = merged[-1] if merged else None
            if (u.label == "own" and last is not None and last[0].label == "own" and not u.kind
                    and not last[0].kind and last[0].para == u.para and last[2] == u.start):
                last[2] = u.end
            else:
                merged.append([u, u.start, u.end])
        for u, s, e in merged:
            rows.append((0, s, e, "reuse", u.label, u.section, u.src_rid, u.src_start, u.src_end,
                         u.template_id, u.edits, u.edit_rate, -1, ""))
        for u in m.units:
            if u.kind:
                rows.append((1, u.start, u.end, "statement", u.kind, u.section, "", -1, -1, "", "", math.nan,
                             u.item, ""))
        for c in m.cells:
            rows.append((2, c.start, c.end, "table", "error", "tables", "", -1, -1, "", "", math.nan, -1, c.detail))
        rows.sort(key=lambda t: (t[0], t[1], t[2]))
        n = len(rows)
        cols, meta = self.cols, m.meta
        fields = list(zip(*rows)) if rows else [()] * 14
        for name, values in zip(("raw_start", "raw_end", "layer", "label", "section", "source_report_id",
                                 "source_raw_start", "source_raw_end", "template_id", "edits", "edit_rate",
                                 "item", "detail"), fields[1:]):
            cols[name].extend(values)
        cols["report_id"].extend([m.rid] * n)
        for name in ("agency", "level", "province", "year", "era"):
            cols[name].extend([meta[name]] * n)
        for name in ("text_start", "text_end", "source_text_start", "source_text_end"):
            cols[name].extend([-1] * n)
        self.pending += n
        if self.pending >= self._CHUNK:
            self._flush()

    def _flush(self) -> None:
        chunk = {}
        for c, values in self.cols.items():
            dtype = np.int64 if c in _INT_COLUMNS else np.float64 if c == "edit_rate" else object
            chunk[c] = np.array(values, dtype=dtype)
            values.clear()
        self.chunks.append(chunk)
        self.pending = 0

    def frame(self) -> pd.DataFrame:
        self._flush()
        data = {c: np.concatenate([ch[c] for ch in self.chunks]) for c in TRUTH_COLUMNS}
        return pd.DataFrame(data, columns=TRUTH_COLUMNS, copy=False)  # the arrays are ours


# --------------------------------------------------------------------------------------------
# public API


def _check_rate(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) or not 0 <= value <= 1:
        msg = f"The {name!r} parameter of make_synthetic_corpus must be a float in [0, 1]. Got {value!r} instead."
        raise InvalidParameterError(msg)
    return float(value)


def make_synthetic_corpus(n_reports: int, *, random_state: Any = 0, template_rate: float = 0.3,
                          copy_rate: float = 0.3, recycle_rate: float = 0.3, edit_rate: float = 0.5,
                          traditional_rate: float = 0.05, debris_rate: float = 0.25,
                          table_error_rate: float = 0.05, years: tuple[int, int] = (2008, 2024),
                          as_texts: bool = False, progress: bool = False) -> tuple[Any, pd.DataFrame]:
    """Generate realistic annual reports with planted template reuse, copying and recycling.

    Agencies (a county government, its townships and departments, each with a name, level and
    province) report over several consecutive years in the format of their era: the 2008-2018
    free layout, the 2019 format or the 2021 format, the latter two with their three tables
    rendered in one of the seed layouts (one cell per line with ``" |"``, tab-separated rows, or
    dropped). Narrative passages are planted with a known provenance (see Notes); the truth
    frame records every passage, every problem and measure statement and every deliberately
    inconsistent table cell, as character spans in both ``raw`` and ``text``.

    Parameters
    ----------
    n_reports : int
        Number of reports. Report ``k`` is the same whatever ``n_reports`` is (same other
        parameters): a smaller corpus is a prefix of a larger one.
    random_state : int, numpy Generator or None
        Seed. The same int gives the same corpus and truth on every run (independent of
        ``PYTHONHASHSEED``; numpy's PCG64 streams and OpenCC's ``s2t`` tables are the only
        outside inputs). ``None`` draws fresh entropy.
    template_rate : float in [0, 1]
        Mean probability that a narrative slot is filled from the cohort's template pool
        (varied per report between 0.5x and 1.5x). Preamble sentences are always template
        passages and appear with probability ``min(1, 2 * template_rate) * 0.9`` each.
    copy_rate : float in [0, 1]
        Probability that a report copies from a peer report of its county (same or previous
        year); a copier fills 30-80 % of the slots it can from the peer's own passages.
    recycle_rate : float in [0, 1]
        Probability that a report recycles the agency's earlier report (35-95 % of the slots
        it can).
    edit_rate : float in [0, 1]
        Probability of each of the edits *drop a clause*, *add a clause* and *swap or delete a
        word* on a copied passage (half of it on a recycled one). Place names, years and (with
        probability 0.8, resp. 0.5) numbers are changed independently of it.
    traditional_rate : float in [0, 1]
        Share of reports converted to traditional script (OpenCC ``s2t``; half of them leave 3 %
        of the converted characters simplified, as the 2013 seed compilation does).
    debris_rate : float in [0, 1]
        Share of reports with web-scrape debris: pipe runs and ``点击数`` lines with
        ``【关闭窗口】`` (some with the whole body on one line and the tables dropped), a
        ``索引号`` header block with ``扫一扫`` footer, or ``字体大小`` / ``【打印本页】`` chrome.
    table_error_rate : float in [0, 1]
        Share of reports with rendered tables whose Table 3 or Table 4 has one wrong cell (a row
        ``layer == "table"`` in the truth). All other tables satisfy the identities R3.1-R3.3
        and R4.1 of docs/format.md §5 (as checked by :func:`govtext.tables.check_tables`).
    years : (int, int)
        First and last report year of the world (each county reports over a window of 2-6
        consecutive years inside it).
    as_texts : bool
        Return ``[(report_id, raw_text), ...]`` instead of a :class:`~govtext.records.Corpus` and
        skip normalisation (the cost of building reports dominates generation); the truth's
        ``text_*`` columns are then -1. Build the reports later (e.g. with
        :func:`govtext.parse_reports`) and fill them with :func:`govtext.evaluate.to_text_spans`.
    progress : bool
        Show a progress bar (needs tqdm).

    Returns
    -------
    corpus : Corpus or list of (str, str)
        Reports ``synth_000000``, ``synth_000001``, ... in generation order. ``Report.meta``
        holds ``agency, level, province, city, county, year, era, script, debris, layout,
        tables, published``. ``published`` (ISO date) is also written in the text (signature
        date, or the date alone when there is no signature; some page headers repeat it), in
        January (2019 and 2021 formats) or January to March (era A) of the next year and in
        generation order within a county's year: a report is published after every report it
        copies.
    truth : DataFrame
        One row per planted span, ordered by report, then ``layer``, then ``raw_start``.
        Columns:

        - ``report_id`` (str), ``layer`` (``"reuse"``, ``"statement"`` or ``"table"``),
          ``label`` (reuse: ``template``/``copied``/``recycled``/``own``; statement:
          ``problem``/``measure``; table: ``error``), ``section`` (``preamble``, ``overview``,
          ``active``, ``application``, ``fees``, ``review``, ``problems``, ``other``, ``tables``);
        - ``raw_start, raw_end`` (span in ``Report.raw``), ``text_start, text_end`` (span in
          ``Report.text``; -1 with ``as_texts=True``);
        - ``source_report_id`` (``""`` unless copied/recycled), ``source_raw_start,
          source_raw_end, source_text_start, source_text_end`` (the source passage, -1 when
          none): the source is an ``own`` passage of an earlier report;
        - ``template_id`` (the template family, ``""`` otherwise), ``edits`` (comma-separated
          edits applied to a copied/recycled passage: ``place``, ``year``, ``number``, ``drop``,
          ``add``, ``char``), ``edit_rate`` (characters touched by those edits over the
          characters of source and copy; NaN when not reused);
        - ``item`` (1-based position of a statement in its enumeration, -1 otherwise),
          ``detail`` (table errors: ``table=3;row=(七);column=自然人;printed=71;expected=70;
          rules=R3.1,R3.2,R3.3``);
        - ``agency, level, province, year, era`` of the report.

        Reuse spans of one report never overlap and cover all narrative (adjacent ``own``
        sentences of a paragraph are merged into one row). Statement spans start after the
        enumeration marker (``一是``, ``1.``) and end with the statement's ``。`` or ``;``; as
        gold for :func:`govtext.evaluate.statements` use ``truth[truth.layer == "statement"]
        .rename(columns={"label": "kind", "text_start": "start", "text_end": "end"})``.

    Raises
    ------
    InvalidParameterError
        For a parameter of the wrong type or out of range.

    Notes
    -----
    Generation costs about a millisecond per report; building a ``Corpus`` adds the
    normalisation of every report (several milliseconds each), hence ``as_texts``.
    Own passages name the agency's own villages, projects and sites, so they rarely match
    another agency's text (1.3 % of own sentences at Jaccard >= 0.5, 300 reports without
    copying); generic clauses still repeat across reports. Prose counts agree with the tables in template and own passages only
    (a copied passage carries the numbers it was edited to).

    Examples
    --------
    >>> from govtext.datasets import make_synthetic_corpus
    >>> corpus, truth = make_synthetic_corpus(20, random_state=0)
    >>> len(corpus), corpus[0].id
    (20, 'synth_000000')
    >>> sorted(truth.loc[truth.layer == "reuse", "label"].unique())
    ['copied', 'own', 'recycled', 'template']
    >>> row = truth.iloc[0]
    >>> report = corpus[row.report_id]
    >>> report.raw_span(row.text_start, row.text_end) == (row.raw_start, row.raw_end)
    True
    """
    if isinstance(n_reports, bool) or not isinstance(n_reports, (int, np.integer)) or n_reports < 0:
        msg = f"The 'n_reports' parameter of make_synthetic_corpus must be a non-negative int. Got {n_reports!r} instead."
        raise InvalidParameterError(msg)
    rates = {name: _check_rate(name, value) for name, value in (
        ("template_rate", template_rate), ("copy_rate", copy_rate), ("recycle_rate", recycle_rate),
        ("edit_rate", edit_rate), ("traditional_rate", traditional_rate), ("debris_rate", debris_rate),
        ("table_error_rate", table_error_rate))}
    if (not isinstance(years, (tuple, list)) or len(years) != 2
            or not all(isinstance(y, (int, np.integer)) and not isinstance(y, bool) for y in years)
            or not 2008 <= years[0] <= years[1] <= 2100):
        msg = ("The 'years' parameter of make_synthetic_corpus must be a pair (first, last) of ints with "
               f"2008 <= first <= last <= 2100. Got {years!r} instead.")
        raise InvalidParameterError(msg)
    base = _base_seed(random_state)
    gen = _Generator(base, _Params(years=(int(years[0]), int(years[1])), **rates))
    truth_rows = _Truth()
    texts: list[tuple[str, str]] = []
    metas: list[dict] = []
    made_iter: Any = gen.reports(int(n_reports))
    if progress:
        from govtext._progress import progress_bar

        made_iter = progress_bar(made_iter, desc="generating", unit="report", total=int(n_reports))
    for made in made_iter:
        truth_rows.add(made)
        texts.append((made.rid, made.raw))
        metas.append(made.meta)
    truth = truth_rows.frame()
    logger.debug("generated %d reports, %d truth rows", len(texts), len(truth))
    if as_texts:
        return texts, truth
    from govtext.evaluate import to_text_spans
    from govtext.read import parse_reports
    from govtext.records import Corpus

    items: Any = zip(texts, metas)
    if progress:
        from govtext._progress import progress_bar

        items = progress_bar(items, desc="normalising", unit="report", total=len(texts))
    reports = [parse_reports(raw, source="synthetic", id=rid, meta=meta)[0] for (rid, raw), meta in items]
    corpus = Corpus(reports)
    truth = to_text_spans(truth, corpus)
    truth = to_text_spans(truth, corpus, prefix="source_")
    return corpus, truth
