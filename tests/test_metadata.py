"""Metadata: title, agency, level, year, dates, document number, era and contacts of the seeds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govtext
from govtext.exceptions import GovtextError, InvalidParameterError
from govtext.metadata import (
    METADATA_COLUMNS,
    Metadata,
    agency_level,
    extract_metadata,
    metadata_row,
    parse_date,
)

T2013 = {"title": None, "agency": None, "agency_source": None, "level": "township", "year": 2013,
         "published": None, "doc_number": None, "era": "2008"}

SEED_META = {
    "000_6ac03842c3dfdc7c": {
        "title": "兰山区方城镇人民政府2023年政府信息公开工作年度报告", "agency": "兰山区方城镇人民政府",
        "agency_source": "title", "level": "township", "year": 2023, "published": "2024-01-22",
        "doc_number": None, "era": "2021", "address": "兰山区方城镇人民政府", "postcode": "273406",
        "phone": "0539-2657000", "fax": None, "email": None, "website": "http://www.lyls.gov.cn",
    },
    "001_e3992751381c814a": {
        "title": "平昌关镇2023年政府信息公开工作年度报告", "agency": "平昌关镇人民政府",
        "agency_source": "signature", "level": "township", "year": 2023, "published": "2023-12-20",
        "doc_number": None, "era": "2021", "address": None, "phone": None, "website": None,
    },
    "002_201993b9de74ca40": {
        "title": "龙岩市永定区峰市镇2020年政府信息公开工作年度报告", "agency": "峰市镇人民政府",
        "agency_source": "preamble", "level": "township", "year": 2020, "published": "2021-01-11",
        "doc_number": "峰政〔2021〕1号", "era": "2019", "address": "龙岩市永定区峰市镇人民政府",
        "postcode": "364118", "phone": "0597-5731954", "fax": "0597-5731958", "website": None,
    },
    **{f"003_aad2c66ccec4c55e#{k}": dict(T2013) for k in range(1, 9)},
    "004_3cd86ea425926f19": {
        "title": "广元市利州区2023年度政府信息公开工作年度报告", "agency": "广元市利州区人民政府",
        "agency_source": "signature", "level": "county", "year": 2023, "published": "2024-02-19",
        "doc_number": None, "era": "2021",
        "address": "广元市利州区东坝街道利州东路一段696号利州区委区政府第一办公区4楼",
        "postcode": "628017", "phone": "0839-3262313", "website": "lzq.gov.cn",
    },
}


@pytest.mark.parametrize("rid, field", [(rid, f) for rid, exp in sorted(SEED_META.items()) for f in exp])
def test_seed_metadata(seeds, rid, field):
    md = seeds[rid].metadata
    assert isinstance(md, Metadata)
    assert getattr(md, field) == SEED_META[rid][field]


def test_cited_numbers_are_not_the_doc_number(seeds):
    # 004 cites 国办公开办函〔2021〕30号 and (B〔2023〕GK1225-1号); 002 cites 永政办〔2020〕15号
    assert seeds["004_3cd86ea425926f19"].metadata.doc_number is None
    assert seeds["002_201993b9de74ca40"].metadata.doc_number == "峰政〔2021〕1号"


def test_to_frame_has_one_row_per_report_with_metadata(seeds):
    df = seeds.to_frame()
    assert len(df) == 12 and df["report_id"].tolist() == seeds.ids
    assert list(df.columns[-len(METADATA_COLUMNS):]) == METADATA_COLUMNS
    assert df.set_index("report_id").loc["002_201993b9de74ca40", "doc_number"] == "峰政〔2021〕1号"


def test_metadata_row(seeds):
    row = metadata_row(seeds[0])
    assert list(row) == METADATA_COLUMNS
    assert row["agency"] == "兰山区方城镇人民政府"


# -- units ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, level", [
    ("兰山区方城镇人民政府", "township"), ("峰市镇人民政府", "township"), ("广元市利州区人民政府", "county"),
    ("平昌关镇人民政府", "township"), ("桂花坪街道办事处", "township"), ("某某乡人民政府", "township"),
    ("四川省人民政府", "province"), ("广西壮族自治区人民政府", "province"), ("上海市人民政府", "province"),
    ("广元市人民政府", "prefecture"), ("甘南藏族自治州人民政府", "prefecture"), ("吉林省吉林市舒兰市人民政府", "county"),
    ("舟曲县人民政府", "county"), ("舒兰市市场监督管理局", "department"), ("广元市利州区人民政府办公室", "department"),
    ("国务院办公厅", "central"), ("国家税务总局", "central"), ("平潭综合实验区管委会", "other"),
    ("某经济技术开发区管理委员会", "other"), (None, None),
])
def test_agency_level(name, level):
    assert agency_level(name) == level


@pytest.mark.parametrize("text, expected", [
    ("2021年1月11日", "2021-01-11"), ("2024-01-22", "2024-01-22"), ("2024/2/9 10:00", "2024-02-09"),
    ("二〇二一年一月十一日", "2021-01-11"), ("二0一七年", "2017"), ("二〇二三年十二月", "2023-12"),
    ("2021年13月40日", None), ("无", None), (None, None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def _md(text):
    return extract_metadata(text)


@pytest.mark.parametrize("text, era", [
    ("一、总体情况\n本镇。\n二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "2021"),
    ("一、总体情况\n本镇。\n二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量", "2019"),
    # 龙田镇 2021 still uses the 2019 columns: labels win over the year
    ("龙田镇2021年政府信息公开工作年度报告\n一、总体情况\n信息内容\t本年新制作数量\t本年新公开数量", "2019"),
    ("根据国办公开办函〔2021〕30号要求编制。\n一、总体情况\n本镇。", "2021"),
    ("根据国办公开办函【2019】60号要求编制。\n一、总体情况\n本镇。", "2019"),
    ("一、总体情况\n甲。\n三、收到和处理政府信息公开申请情况\n六、其他需要报告的事项\n未收取信息处理费。", "2021"),
    ("一、概述\n甲。\n二、主动公开政府信息情况\n乙。\n三、政府信息公开的收费及减免情况\n无", "2008"),
    ("这是一段与年报无关的文字。", None),
])
def test_era(text, era):
    assert _md(text).era == era


@pytest.mark.parametrize("text, agency, source", [
    ("某某县某某镇人民政府2021年政府信息公开工作年度报告\n一、概述\n甲。", "某某县某某镇人民政府", "title"),
    ("某某镇2021年政府信息公开工作年度报告\n本报告由某某镇人民政府编制。\n一、概述\n甲。", "某某镇人民政府", "preamble"),
    ("乡人民政府根据《条例》的要求,编制本报告。\n一、概述\n我乡公开信息。", None, None),
    ("一、概述\n我镇公开信息。\n某某县某某镇人民政府\n2022年1月5日", "某某县某某镇人民政府", "signature"),
    ("一、概述\n请与某某区人民政府办公室联系。", None, None),
])
def test_agency_sources(text, agency, source):
    md = _md(text)
    assert (md.agency, md.agency_source) == (agency, source)


def test_header_block_gives_agency_and_published():
    raw = "- 索 引 号: 123\n- 发布机构: 某某县某某镇人民政府\n- 发布日期: 2022-01-10\n一、总体情况\n本镇认真贯彻落实条例,推进政府信息公开工作。"
    r = govtext.parse_reports(raw)[0]
    md = r.metadata
    assert (md.agency, md.agency_source, md.published) == ("某某县某某镇人民政府", "header", "2022-01-10")


def test_page_title_gives_the_title():
    html = ("<html><head><title>某某镇2022年政府信息公开工作年度报告_某某县人民政府</title></head><body>"
            "<div><p>一、总体情况</p><p>本镇认真推进政府信息公开工作,主动公开政府信息12条。</p></div></body></html>")
    md = govtext.parse_reports(html, source="p.html")[0].metadata
    assert (md.title, md.year) == ("某某镇2022年政府信息公开工作年度报告", 2022)


@pytest.mark.parametrize("text, year", [
    ("本报告所列数据的统计时限自2020年1月1日起至2020年12月31日。一、总体情况", 2020),
    ("一、概述\n2013年,我镇公开信息。2013年度未收费。依据《2012年工作要点》。", 2013),
    ("一、概述\n2012年我镇公开信息。2013年我镇公开信息。", None),  # no year dominates: no guess
])
def test_year(text, year):
    assert _md(text).year == year


def test_doc_number_alone_on_a_line_and_contacts():
    t = ("某政发〔2021〕3号\n某某镇2020年政府信息公开工作年度报告\n根据国办公开办函〔2019〕60号编制。"
         "联系电话:0597—5731954,传真:0597-5731958,电子邮箱:xxgk@np.gov.cn,网址:https://www.np.gov.cn/a.htm。\n一、总体情况")
    md = _md(t)
    assert md.doc_number == "某政发〔2021〕3号"
    assert (md.phone, md.fax, md.email, md.website) == ("0597-5731954", "0597-5731958", "xxgk@np.gov.cn",
                                                        "https://www.np.gov.cn/a.htm")


def test_parameter_error():
    with pytest.raises(InvalidParameterError, match="The 'report' parameter of extract_metadata must be a Report or a str"):
        extract_metadata(12)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_never_raises(text):
    try:
        md = extract_metadata(text)
    except GovtextError:  # pragma: no cover
        return
    assert md.era in (None, "2008", "2019", "2021")
    assert md.year is None or 1900 <= md.year <= 2099
