"""Metadata stated in a report: title, agency, level, year, dates, document number, era, contacts.

:func:`extract_metadata` reads only what the text (or the page's header block and
``<title>``) says; a field the text does not state is ``None`` -- nothing is guessed from the
file name or filled in from other reports.

* ``title`` -- the title line at the top (after an optional document-number line); else the
  page ``<title>``; else the report naming itself in the preamble
  (``特向社会公布《广元市利州区2023年度政府信息公开工作年度报告》``).
* ``agency`` -- as written, from the title (``兰山区方城镇人民政府2023年…``), the preamble
  (``由峰市镇人民政府结合有关统计数据编制``), the signature block or the header block's
  发布机构, in that order (``agency_source`` says which). Only a name ending in an organ word
  (人民政府, 办事处, 局, 委员会, ...) counts: ``龙岩市永定区峰市镇`` in a title is a place, and
  a name without a place (``乡人民政府``, ``我镇``) is no name.
* ``level`` -- from the agency's suffix (format.md §9): ``province``, ``prefecture``,
  ``county``, ``township``, ``department``, ``central``, ``other``; without an agency, from
  how the report refers to itself (``我镇``/``我乡``/``我办事处`` → ``township``).
* ``year`` -- the year covered: from the title, else the statistical period (``统计时限…至
  2023年12月31日``), else the year the text itself names in most of its dates when one year
  clearly dominates (the 2013 reports say ``2013年``).
* ``published`` -- ISO date of the page header (``2024-01-22``) or of the signature.
* ``doc_number`` -- the report's own number (header ``文号`` or a number alone on a line at the
  top, ``峰政〔2021〕1号``); numbers cited in sentences are not it.
* ``era`` -- ``"2021"``, ``"2019"`` or ``"2008"``: from table labels (``本年制发件数`` vs
  ``本年新制作数量``), then cited notices (国办公开办函〔2021〕30号 / 〔2019〕60号), then the
  2021 format's 信息处理费 item; a report with the new six-part structure but none of these
  gets the format in force for its year; a report with sections but no new-format marker is
  ``"2008"``.

Examples
--------
>>> from govtext.datasets import load_seeds
>>> m = extract_metadata(load_seeds()["002_201993b9de74ca40"])
>>> m.agency, m.agency_source, m.level, m.year, m.era, m.doc_number, m.published
('峰市镇人民政府', 'preamble', 'township', 2020, '2019', '峰政〔2021〕1号', '2021-01-11')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, fields

from govtext.exceptions import InvalidParameterError

__all__ = ["METADATA_COLUMNS", "Metadata", "agency_level", "extract_metadata", "metadata_row", "parse_date"]


@dataclass(frozen=True)
class Metadata:
    """Metadata stated in a report (``None`` where the text does not say).

    Attributes
    ----------
    title, agency : str or None
        As written.
    agency_source : str or None
        ``title``, ``preamble``, ``signature`` or ``header``.
    level : str or None
        ``province``, ``prefecture``, ``county``, ``township``, ``department``, ``central`` or
        ``other``.
    year : int or None
        The year the report covers.
    published : str or None
        ISO date (``YYYY-MM-DD``; ``YYYY`` when only a year is written).
    doc_number : str or None
        The report's own document number.
    era : str or None
        ``"2008"``, ``"2019"`` or ``"2021"`` format.
    address, phone, fax, email, website, postcode : str or None
        Contact details (phone and fax with ``-`` for any dash).
    """

    title: str | None = None
    agency: str | None = None
    agency_source: str | None = None
    level: str | None = None
    year: int | None = None
    published: str | None = None
    doc_number: str | None = None
    era: str | None = None
    address: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    website: str | None = None
    postcode: str | None = None


#: Metadata columns added by :meth:`govtext.Corpus.to_frame` (the fields of :class:`Metadata`).
METADATA_COLUMNS = [f.name for f in fields(Metadata)]

# --------------------------------------------------------------------------------------------
# patterns

_ORGAN = (
    r"(?:人民政府|政府|街道办事处|办事处|管理委员会|委员会|管委会|办公厅|办公室|局|委|办|厅|中心|院|署|部|站|所|队)"
)
_ORGAN_END_RE = re.compile(_ORGAN + r"$")
_BAD_PREFIX_RE = re.compile(r"^(?:[乡镇县区市省]|街道|本|我|该|各|上级|下级|有关|相关|其他|全|此|贵)")
_YEAR_TOKEN = r"(?:(?:19|20)\d{2}|[〇零○0O一二][〇零○0O一二三四五六七八九]{3})年"
_TITLE_RE = re.compile(
    r"[^\n。,;:]{0,60}?(?:政府信息公开|政务公开|信息公开|政府信息工作)[^\n。,;:]{0,16}?(?:年度报告|年报|工作报告)"
    r"(?:\([^)\n]{0,12}\))?"
)
_SELF_TITLE_RE = re.compile(r"(?:公布|发布|印发|编制|形成)(?:了)?《([^》\n]{4,60}?(?:年度报告|年报))》")
_PREAMBLE_AGENCY_RES = [
    re.compile(r"由([^\n,。、;:由()《》]{2,30}?" + _ORGAN + r")(?:结合|根据|依据|按照|负责|统一)?[^\n。]{0,16}?(?:编制|编写|制作|汇总)"),
    re.compile(r"^([^\n,。、;:()《》]{2,30}?" + _ORGAN + r")(?:根据|按照|依据|依照|结合)", re.M),
]
_DOCNO = r"[\u4e00-\u9fffA-Za-z]{1,12}[〔【\[(]\d{4}[〕】\])]第?\d{1,5}号"
_DOCNO_LINE_RE = re.compile(rf"^[ \t]*(?:文号:)?({_DOCNO})[ \t]*$", re.M)
_DOCNO_RE = re.compile(_DOCNO)
_PERIOD_RE = re.compile(
    r"统计(?:时限|时间|期限|区间|周期|范围|期间)[^。\n]{0,24}?((?:19|20)\d{2})年\d{1,2}月\d{1,2}日(?:起)?"
    r"(?:至|到|-|—|~)((?:19|20)\d{2})年\d{1,2}月\d{1,2}日"
)
_YEAR_RE = re.compile(r"((?:19|20)\d{2})年(?!\d{1,2}月\d{1,2}日[^至到起]{0,3}(?:发布|印发))")
_BRACKETS_RE = re.compile(r"《[^》\n]{0,80}》|〔[^〕\n]{0,10}〕|【[^】\n]{0,10}】")
_DATE_RE = re.compile(
    r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"|([〇零○0O一二][〇零○0O一二三四五六七八九]{3})年(?:([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?)?"
)
_ERA_2021_LABELS = re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额|申请人无正当理由逾期不补正|申请人逾期未按收费通知")
_ERA_2019_LABELS = re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增/?减|采购总金额")
_ERA_2021_NOTICE = re.compile(r"国办公开办函[〔【\[(]2021[〕】\])]30号")
_ERA_2019_NOTICE = re.compile(r"国办公开办函[〔【\[(]2019[〕】\])]60号")
_NEW_FORMAT_RE = re.compile(r"收到和处理政府信息公开申请|政府信息公开行政复议、?行政诉讼情况")
_FEE_2021_RE = re.compile(r"信息处理费")
_NUMBER = r"((?:\(?\d{3,4}\)?[-—－]?)?\d{7,8}(?:[-—－]\d{1,5})?)"
_PHONE_RE = re.compile(r"(?:联系|咨询|办公|服务|监督)?电话(?:号码)?(?:为|是)?:?" + _NUMBER)
_FAX_RE = re.compile(r"传真(?:号码|电话)?(?:为|是)?:?" + _NUMBER)
_POSTCODE_RE = re.compile(r"(?:邮编|邮政编码)(?:为|是)?:?(\d{6})(?!\d)")
_ADDRESS_RE = re.compile(r"(?:通讯|通信|联系|办公|单位)?地址(?:为|是)?:([^,;。()\n]{4,60})")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL_RE = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%/?=&#+-]*)?"
    r"|(?<![A-Za-z0-9@.-])(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.gov\.cn(?:/[A-Za-z0-9._~%/?=&#+-]*)?"
)
_SELF_REF_RE = re.compile(r"[我本全](镇|乡|街道|办事处|县|区|市|局|委|办)(?![长委党政级区])")
_SELF_LEVEL = {"镇": "township", "乡": "township", "街道": "township", "办事处": "township",
               "县": "county", "区": "county", "市": "prefecture", "局": "department",
               "委": "department", "办": "department"}
_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "0": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}


# --------------------------------------------------------------------------------------------
# helpers


def _valid_agency(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip(" \t:,。")
    if len(name) < 4 or len(name) > 40 or not _ORGAN_END_RE.search(name):
        return None
    if _BAD_PREFIX_RE.match(name) or re.search(r"\d|年度?|报告|信息公开", name):
        return None
    return name


def agency_level(name: str | None) -> str | None:
    """Administrative level of an agency from its name (format.md §9).

    >>> [agency_level(n) for n in ["广元市利州区人民政府", "峰市镇人民政府", "四川省人民政府",
    ...  "广元市人民政府", "舒兰市市场监督管理局", "国务院办公厅", "平潭综合实验区管委会", "东坝街道办事处"]]
    ['county', 'township', 'province', 'prefecture', 'department', 'central', 'other', 'township']
    """
    if not name:
        return None
    if re.match(r"(?:国务院|中华人民共和国|中央|国家(?!级))", name):
        return "central"
    if re.search(r"(?:开发区|实验区|管理区|新区|高新区|园区|保税区|示范区|合作区)", name):
        return "other"
    if re.search(r"(?:街道办事处|办事处|街道)$", name):
        return "township"
    m = re.match(r"(.*?)(?:人民政府|政府)$", name)
    if m is None:
        if re.search(r"(?:局|委员会|管委会|管理委员会|委|办公室|办公厅|办|厅|中心|院|署|部|站|所|队)$", name):
            return "department"
        return "other"
    place = m.group(1)
    if re.search(r"(?:乡|镇|苏木)$", place):
        return "township"
    if re.fullmatch(r"(?:北京|天津|上海|重庆)市", place) or re.search(r"(?:省|自治区)$", place):
        return "province"
    if re.search(r"(?:区|县|旗|自治县|自治旗|林区|特区)$", place):
        return "county"
    if re.search(r"(?:州|盟|地区)$", place):
        return "prefecture"
    if place.endswith("市"):
        return "county" if len(re.findall(r"[市州盟]|地区", place)) >= 2 else "prefecture"
    return "other"


def _cn_num(s: str) -> int | None:
    if not s:
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        hi = 1 if not a else _CN_DIGIT.get(a)
        lo = 0 if not b else _CN_DIGIT.get(b)
        return None if hi is None or lo is None else hi * 10 + lo
    if all(c in _CN_DIGIT for c in s):
        v = 0
        for c in s:
            v = v * 10 + _CN_DIGIT[c]
        return v
    return None


def parse_date(s: str | None) -> str | None:
    """ISO form of a written date (``2021年1月11日``, ``2024-01-22``, ``二〇二一年一月十一日``).

    >>> parse_date("2021年1月11日"), parse_date("2024-01-22 10:31"), parse_date("二0一七年")
    ('2021-01-11', '2024-01-22', '2017')
    """
    if not s:
        return None
    m = _DATE_RE.search(s)
    if m is None:
        return None
    if m.group(1):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        y = _cn_num(m.group(4))
        mo = _cn_num(m.group(5)) if m.group(5) else None
        d = _cn_num(m.group(6)) if m.group(6) else None
        if y is None:
            return None
        if mo is None:
            return f"{y:04d}"
        if d is None:
            return f"{y:04d}-{mo:02d}" if 1 <= mo <= 12 else f"{y:04d}"
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _phone(s: str) -> str:
    return re.sub(r"[—－]", "-", s)


def _first_lines(text: str, k: int) -> list[tuple[int, str]]:
    out = []
    pos = 0
    while pos < len(text) and len(out) < k:
        le = text.find("\n", pos)
        le = len(text) if le < 0 else le
        line = text[pos:le].strip()
        if line:
            out.append((pos, line))
        pos = le + 1
    return out


# --------------------------------------------------------------------------------------------
# extraction


def _title(text: str, preamble_end: int, page_title: str | None) -> str | None:
    for _pos, line in _first_lines(text[:preamble_end] if preamble_end else text[:300], 3):
        if _DOCNO_RE.fullmatch(line):
            continue
        if len(line) <= 70 and _TITLE_RE.fullmatch(line):
            return line
    if page_title:
        for part in re.split(r"[_|\-—]+", page_title):
            part = part.strip()
            if len(part) <= 70 and _TITLE_RE.fullmatch(part):
                return part
    m = _SELF_TITLE_RE.search(text, 0, preamble_end or min(len(text), 600))
    if m:
        return m.group(1)
    return None


def _agency_from_title(title: str | None) -> str | None:
    if not title:
        return None
    m = re.search(r"(?:关于)?(?:" + _YEAR_TOKEN + r"|政府信息公开|政务公开)", title)
    if m is None or m.start() < 2:
        return None
    return _valid_agency(title[: m.start()])


def extract_metadata(report) -> Metadata:
    """Metadata stated in a report.

    Parameters
    ----------
    report : Report
        (A str is accepted and read as a report text without header or page title.)

    Returns
    -------
    Metadata

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> corpus = load_seeds()
    >>> m = extract_metadata(corpus[0])
    >>> m.title, m.agency, m.agency_source, m.year, m.published, m.era
    ('兰山区方城镇人民政府2023年政府信息公开工作年度报告', '兰山区方城镇人民政府', 'title', 2023, '2024-01-22', '2021')
    >>> m.postcode, m.phone, m.website
    ('273406', '0539-2657000', 'http://www.lyls.gov.cn')
    >>> m = extract_metadata(corpus["004_3cd86ea425926f19"])
    >>> m.agency, m.agency_source, m.level, m.published
    ('广元市利州区人民政府', 'signature', 'county', '2024-02-19')
    >>> extract_metadata(corpus["003_aad2c66ccec4c55e#1"]).agency is None
    True
    """
    from govtext.sections import split_sections

    if isinstance(report, str):
        text, header, page_title = report, {}, None
    else:
        text = getattr(report, "text", None)
        if not isinstance(text, str):
            msg = f"The 'report' parameter of extract_metadata must be a Report or a str. Got {type(report).__name__} instead."
            raise InvalidParameterError(msg)
        header = {}
        for k, v in getattr(report, "header", ()) or ():
            if isinstance(v, str) and v.strip() and k not in header:
                header[k] = v.strip()
        page_title = getattr(report, "page_title", None)
    secs = split_sections(text)
    preamble_end = secs[0].end if secs and secs[0].key == "preamble" else 0
    closing = secs[-1] if secs and secs[-1].key == "closing" else None

    title = _title(text, preamble_end, page_title)

    # agency
    agency, source = _agency_from_title(title), "title"
    if agency is None and preamble_end:
        pre = text[:preamble_end]
        for rx in _PREAMBLE_AGENCY_RES:
            for m in rx.finditer(pre):
                agency = _valid_agency(m.group(1))
                if agency:
                    break
            if agency:
                source = "preamble"
                break
    sig_date = None
    if closing is not None:
        block = text[closing.start:closing.end]
        sig_date = parse_date(block)
        if agency is None:
            for line in block.split("\n"):
                line = line.strip()
                cand = re.split(_YEAR_TOKEN[:-1] + r"年|\d{4}[-/.]", line)[0] if line else ""
                agency = _valid_agency(cand)
                if agency:
                    source = "signature"
                    break
    if agency is None and header.get("publisher"):
        agency = _valid_agency(header["publisher"])
        source = "header"
    level = agency_level(agency)
    if level is None:
        level = _self_level(text)

    # year
    year = None
    if title:
        m = re.search(r"((?:19|20)\d{2})年", title)
        if m:
            year = int(m.group(1))
    if year is None:
        m = _PERIOD_RE.search(text)
        if m:
            year = int(m.group(2))
    if year is None:
        year = _dominant_year(text[: closing.start] if closing is not None else text)

    published = parse_date(header.get("published")) or sig_date

    # document number
    doc = None
    if header.get("doc_number") and _DOCNO_RE.search(header["doc_number"]):
        doc = _DOCNO_RE.search(header["doc_number"]).group()
    if doc is None:
        m = _DOCNO_LINE_RE.search(text, 0, preamble_end or min(len(text), 200))
        if m:
            doc = m.group(1)

    era = _era(text, secs, year)

    def first(rx: re.Pattern, group: int = 1) -> str | None:
        m = rx.search(text)
        return m.group(group).strip() if m else None

    phone = first(_PHONE_RE)
    fax = first(_FAX_RE)
    email = first(_EMAIL_RE, 0)
    website = None
    for m in _URL_RE.finditer(text):
        if email and m.group() in email:
            continue
        website = m.group().rstrip(".")
        break
    return Metadata(
        title=title,
        agency=agency,
        agency_source=source if agency else None,
        level=level,
        year=year,
        published=published,
        doc_number=doc,
        era=era,
        address=first(_ADDRESS_RE),
        phone=_phone(phone) if phone else None,
        fax=_phone(fax) if fax else None,
        email=email,
        website=website,
        postcode=first(_POSTCODE_RE),
    )


def _self_level(text: str) -> str | None:
    counts = Counter(_SELF_LEVEL[m.group(1)] for m in _SELF_REF_RE.finditer(text))
    total = sum(counts.values())
    if total < 2:
        return None
    level, n = counts.most_common(1)[0]
    return level if n >= 0.75 * total else None


def _dominant_year(text: str) -> int | None:
    clean = _BRACKETS_RE.sub(lambda m: " " * len(m.group()), text)
    years = Counter(int(m.group(1)) for m in _YEAR_RE.finditer(clean))
    total = sum(years.values())
    if total == 0:
        return None
    y, n = years.most_common(1)[0]
    return y if n > 0.5 * total else None


def _era(text: str, secs: tuple, year: int | None) -> str | None:
    n21 = len(_ERA_2021_LABELS.findall(text))
    n19 = len(_ERA_2019_LABELS.findall(text))
    if n21 or n19:
        return "2021" if n21 >= n19 else "2019"
    if _ERA_2021_NOTICE.search(text):
        return "2021"
    if _ERA_2019_NOTICE.search(text):
        return "2019"
    keys = {s.key for s in secs}
    new_format = bool(_NEW_FORMAT_RE.search(text))
    if new_format and _FEE_2021_RE.search(text):
        return "2021"
    if new_format and "fees" not in keys:
        if year is not None:
            return "2021" if year >= 2021 else "2019"
        return None
    if keys & {"overview", "proactive", "requests", "fees", "appeals", "problems", "plans", "other"}:
        return "2008"
    return None


def metadata_row(report) -> dict:
    """The metadata of a report as a dict keyed by :data:`METADATA_COLUMNS` (for
    :meth:`govtext.Corpus.to_frame`).

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> row = metadata_row(load_seeds()[1])
    >>> row["agency"], row["year"], row["published"]
    ('平昌关镇人民政府', 2023, '2023-12-20')
    """
    md = getattr(report, "metadata", None)
    if not isinstance(md, Metadata):
        md = extract_metadata(report)
    return asdict(md)
