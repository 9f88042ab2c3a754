"""Tables 2-4: parsing every seed layout, HTML, accounting checks, prose facts, robustness."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govtext
from govtext.exceptions import GovtextError, InvalidParameterError
from govtext.tables import (
    CHECK_COLUMNS,
    FACT_COLUMNS,
    TABLE_COLUMNS,
    check_tables,
    extract_facts,
    parse_cell,
    parse_tables,
    table_regions,
    table_schema,
)

S4 = "004_3cd86ea425926f19"
S1 = "001_e3992751381c814a"
S2 = "002_201993b9de74ca40"
COLS3 = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total"]

# Seed 004, table 3 as printed (2021 format, 25 rows).
T3_004 = {
    "t3.new": [69, 1, 0, 0, 2, 0, 72],
    "t3.carried_over": [1, 1, 0, 0, 0, 0, 2],
    "t3.granted": [26, 2, 0, 0, 0, 0, 28],
    "t3.partial": [8, 0, 0, 0, 0, 0, 8],
    "t3.denied.state_secret": [2, 0, 0, 0, 0, 0, 2],
    "t3.denied.prohibited_by_law": [0] * 7,
    "t3.denied.security_stability": [0] * 7,
    "t3.denied.third_party": [0] * 7,
    "t3.denied.internal_affairs": [0] * 7,
    "t3.denied.process_info": [6, 0, 0, 0, 0, 0, 6],
    "t3.denied.enforcement_file": [0] * 7,
    "t3.denied.query_matter": [0] * 7,
    "t3.unavailable.not_held": [27, 0, 0, 0, 2, 0, 29],
    "t3.unavailable.needs_creation": [0] * 7,
    "t3.unavailable.unclear": [0] * 7,
    "t3.not_processed.petition": [0] * 7,
    "t3.not_processed.repeated": [0] * 7,
    "t3.not_processed.publication": [0] * 7,
    "t3.not_processed.excessive": [0] * 7,
    "t3.not_processed.confirmation": [0] * 7,
    "t3.other_processing.no_correction": [0] * 7,
    "t3.other_processing.unpaid_fee": [0] * 7,
    "t3.other_processing.other": [1, 0, 0, 0, 0, 0, 1],
    "t3.total": [70, 2, 0, 0, 2, 0, 74],
    "t3.carry_forward": [0] * 7,
}
T4_004 = {"review": [1, 2, 2, 0, 5], "litigation_direct": [0, 1, 1, 0, 2], "litigation_after_review": [0] * 5}
T2_004 = [
    ("art20_1", "t2.regulations", "issued", "0"), ("art20_1", "t2.regulations", "repealed", "0"),
    ("art20_1", "t2.regulations", "in_force", "0"), ("art20_1", "t2.normative_docs", "issued", "3"),
    ("art20_1", "t2.normative_docs", "repealed", "2"), ("art20_1", "t2.normative_docs", "in_force", "6"),
    ("art20_5", "t2.licensing", "decisions", "398665"), ("art20_6", "t2.penalty", "decisions", "2551"),
    ("art20_6", "t2.enforcement", "decisions", "553"), ("art20_8", "t2.fees", "fee_amount", "662.441"),
]
T2_002 = [
    ("art20_1", "t2.regulations", "new_made", "0"), ("art20_1", "t2.regulations", "new_published", "0"),
    ("art20_1", "t2.regulations", "total_published", "0"), ("art20_1", "t2.normative_docs", "new_made", "0"),
    ("art20_1", "t2.normative_docs", "new_published", "0"), ("art20_1", "t2.normative_docs", "total_published", "2"),
    ("art20_5", "t2.licensing", "prev_items", "0"), ("art20_5", "t2.licensing", "change", "+8"),
    ("art20_5", "t2.licensing", "decisions", "0"), ("art20_5", "t2.other_services", "prev_items", "0"),
    ("art20_5", "t2.other_services", "change", "+189"), ("art20_5", "t2.other_services", "decisions", "334"),
    ("art20_6", "t2.penalty", "prev_items", "0"), ("art20_6", "t2.penalty", "change", "+5"),
    ("art20_6", "t2.penalty", "decisions", "0"), ("art20_6", "t2.enforcement", "prev_items", "0"),
    ("art20_6", "t2.enforcement", "change", "+5"), ("art20_6", "t2.enforcement", "decisions", "0"),
    ("art20_8", "t2.fees", "prev_items", "0"), ("art20_8", "t2.fees", "change", "0"),
    ("art20_9", "t2.procurement", "procurement_items", "1"), ("art20_9", "t2.procurement", "procurement_amount", "838110"),
]


def _t3(df):
    t = df[df.table == 3]
    return {row: [t[(t.row == row) & (t.column == c)].value.item() for c in COLS3] for row in t.row.unique()}


def _t4(df):
    t = df[df.table == 4]
    return {b: t[t.block == b].value.tolist() for b in T4_004}


# -- seed 004: complete ----------------------------------------------------------------------

def test_seed_004_table3_complete(seeds):
    df = parse_tables(seeds[S4])
    assert list(df.columns) == TABLE_COLUMNS
    got = _t3(df)
    assert list(got) == list(T3_004)  # the format's row order
    assert got == {k: [float(x) for x in v] for k, v in T3_004.items()}
    t3 = df[df.table == 3]
    assert t3.groupby("row").column.apply(list).map(lambda c: c == COLS3).all()
    assert set(t3.block) == {"intake", "outcome", "carry_forward"}


def test_seed_004_table4_and_table2(seeds):
    df = parse_tables(seeds[S4])
    assert _t4(df) == {k: [float(x) for x in v] for k, v in T4_004.items()}
    t2 = df[df.table == 2]
    assert list(zip(t2.block, t2.row, t2.column, t2.raw)) == T2_004
    fee = t2[t2.row == "t2.fees"].iloc[0]
    assert (fee.value, fee.kind) == (662.441, "number")


def test_cell_spans_point_at_the_text(seeds):
    r = seeds[S4]
    df = parse_tables(r)
    for row in df.itertuples():
        assert r.text[row.start:row.end] == row.raw


@pytest.mark.parametrize("rid", [S1, S2])
def test_seeds_001_002_all_zero(seeds, rid):
    df = parse_tables(seeds[rid])
    t34 = df[df.table.isin([3, 4])]
    assert (t34.kind == "zero").all() and (t34.value == 0).all()
    n_rows3 = 25 if rid == S1 else 23  # 2019: (六)其他处理 is one row
    assert df[df.table == 3].row.nunique() == n_rows3
    assert len(df[df.table == 4]) == 15


def test_seed_002_is_2019_layout(seeds):
    df = parse_tables(seeds[S2])
    rows = set(df[df.table == 3].row)
    assert "t3.other_processing" in rows and not any(r.startswith("t3.other_processing.") for r in rows)
    t2 = df[df.table == 2]
    assert list(zip(t2.block, t2.row, t2.column, t2.raw)) == T2_002
    assert t2[t2.raw == "+8"].kind.item() == "number" and t2[t2.raw == "+8"].value.item() == 8.0


def test_seed_001_table2_2021_columns(seeds):
    t2 = parse_tables(seeds[S1]).query("table == 2")
    assert t2.groupby("block").column.apply(lambda c: sorted(set(c))).to_dict() == {
        "art20_1": ["in_force", "issued", "repealed"], "art20_5": ["decisions"],
        "art20_6": ["decisions"], "art20_8": ["fee_amount"]}


@pytest.mark.parametrize("rid", ["000_6ac03842c3dfdc7c"] + [f"003_aad2c66ccec4c55e#{k}" for k in range(1, 9)])
def test_reports_without_tables(seeds, rid):
    df = parse_tables(seeds[rid])
    assert df.empty and list(df.columns) == TABLE_COLUMNS
    assert check_tables(seeds[rid]).empty
    assert table_regions(seeds[rid]) == []


# -- checks --------------------------------------------------------------------------------------

@pytest.mark.parametrize("rid, n_rows3", [(S4, 25), (S1, 25), (S2, 23)])
def test_every_check_passes_on_the_seeds(seeds, rid, n_rows3):
    ch = check_tables(seeds[rid])
    assert list(ch.columns) == CHECK_COLUMNS
    assert (ch.status == "pass").all()
    counts = ch.rule.value_counts().to_dict()
    assert counts == {"R3.1": 7, "R3.2": 7, "R3.3": n_rows3, "R3.4": 7 * n_rows3, "R4.1": 3, "R4.2": 15}


def test_check_values_on_004(seeds):
    ch = check_tables(seeds[S4]).set_index(["rule", "row", "column"])
    assert ch.loc[("R3.1", "", "total"), ["expected", "actual"]].tolist() == [74.0, 74.0]
    assert ch.loc[("R3.1", "", "natural_person"), ["expected", "actual"]].tolist() == [70.0, 70.0]
    assert ch.loc[("R3.2", "t3.total", "total"), ["expected", "actual"]].tolist() == [74.0, 74.0]
    assert ch.loc[("R4.1", "t4.review", "total"), ["expected", "actual"]].tolist() == [5.0, 5.0]


def test_check_tables_accepts_a_frame_and_a_corpus(seeds):
    a = check_tables(parse_tables(seeds[S4]))
    b = check_tables(seeds[S4])
    pd.testing.assert_frame_equal(a, b)
    allc = check_tables(seeds)
    assert set(allc.report_id) == {S1, S2, S4}


def _seed_004_with(seed_raw, old, new):
    raw = seed_raw["004"]
    assert raw.count(old) == 1
    return govtext.parse_reports(raw.replace(old, new), id="004_changed")[0]


# (old text, new text, the failing (rule, row, column) set)
CHANGES = [
    ("一、本年新收政府信息公开申请数量 |\n69 |", "一、本年新收政府信息公开申请数量 |\n68 |",
     {("R3.1", "", "natural_person"), ("R3.3", "t3.new", "total")}),
    ("(七)总计 |\n70 |", "(七)总计 |\n71 |",
     {("R3.1", "", "natural_person"), ("R3.2", "t3.total", "natural_person"), ("R3.3", "t3.total", "total")}),
    ("1.属于国家秘密 |\n2 |", "1.属于国家秘密 |\n3 |",
     {("R3.2", "t3.total", "natural_person"), ("R3.3", "t3.denied.state_secret", "total")}),
    ("3.其他 |\n1 |\n0 |\n0 |\n0 |\n0 |\n0 |\n1 |", "3.其他 |\n1 |\n0 |\n0 |\n0 |\n0 |\n0 |\n2 |",
     {("R3.2", "t3.total", "total"), ("R3.3", "t3.other_processing.other", "total")}),
    ("二、上年结转政府信息公开申请数量 |\n1 |\n1 |", "二、上年结转政府信息公开申请数量 |\n1 |\n1.5 |",
     {("R3.1", "", "commercial"), ("R3.3", "t3.carried_over", "total"), ("R3.4", "t3.carried_over", "commercial")}),
    ("|||||\n1 |\n2 |\n2 |\n0 |\n5 |", "|||||\n1 |\n2 |\n2 |\n0 |\n6 |",
     {("R4.1", "t4.review", "total")}),
    ("|||||\n1 |\n2 |", "|||||\n-1 |\n2 |",
     {("R4.1", "t4.review", "total"), ("R4.2", "t4.review", "upheld")}),
]


@pytest.mark.parametrize("old, new, failing", CHANGES)
def test_one_changed_cell_fails_exactly_its_rules(seed_raw, old, new, failing):
    r = _seed_004_with(seed_raw, old, new)
    ch = check_tables(r)
    got = {(x.rule, x.row, x.column) for x in ch.itertuples() if x.status == "fail"}
    assert got == failing
    assert set(ch.status) <= {"pass", "fail"}


def test_blank_cell_is_empty_and_not_assessable(seed_raw):
    r = _seed_004_with(seed_raw, "一、本年新收政府信息公开申请数量 |\n69 |", "一、本年新收政府信息公开申请数量 |\n |")
    df = parse_tables(r)
    cell = df[(df.row == "t3.new") & (df.column == "natural_person")].iloc[0]
    assert (cell.raw, cell.kind, math.isnan(cell.value)) == ("", "empty", True)
    # the other cells of the row keep their columns
    assert df[(df.row == "t3.new")].value.tolist()[1:] == [1.0, 0.0, 0.0, 2.0, 0.0, 72.0]
    ch = check_tables(r)
    na = {(x.rule, x.row, x.column) for x in ch.itertuples() if x.status == "not_assessable"}
    assert na == {("R3.1", "", "natural_person"), ("R3.3", "t3.new", "total"), ("R3.4", "t3.new", "natural_person")}
    assert (ch.status != "fail").all()


@pytest.mark.parametrize("mark", ["/", "-", "—"])
def test_dash_cell_is_not_zero(seed_raw, mark):
    r = _seed_004_with(seed_raw, "(二)部分公开(区分处理的,只计这一情形,不计其他情形) |\n8 |",
                       f"(二)部分公开(区分处理的,只计这一情形,不计其他情形) |\n{mark} |")
    df = parse_tables(r)
    cell = df[(df.row == "t3.partial") & (df.column == "natural_person")].iloc[0]
    assert cell.kind == "dash"
    ch = check_tables(r)
    assert ch[(ch.rule == "R3.2") & (ch.column == "natural_person")].status.item() == "not_assessable"


def test_missing_cell_leaves_row_out(seed_raw):
    # a cell that is not in the text at all: the row cannot be aligned, its rules are not assessable
    r = _seed_004_with(seed_raw, "一、本年新收政府信息公开申请数量 |\n69 |\n", "一、本年新收政府信息公开申请数量 |\n")
    df = parse_tables(r)
    assert "t3.new" not in set(df.row)
    ch = check_tables(r)
    assert set(ch[ch.rule == "R3.1"].status) == {"not_assessable"}
    assert (ch.status != "fail").all()


# -- HTML ------------------------------------------------------------------------------------------

def _html_table3(values=T3_004, blank=None):
    def tds(row):
        cells = []
        for c, v in zip(COLS3, values[row]):
            cells.append("<td></td>" if blank == (row, c) else f"<td>{v}</td>")
        return "".join(cells)

    groups = {
        "t3.denied.": ("(三)不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                                      "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                                      "7.属于行政执法案卷", "8.属于行政查询事项"]),
        "t3.unavailable.": ("(四)无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
        "t3.not_processed.": ("(五)不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                                             "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"]),
        "t3.other_processing.": ("(六)其他处理", ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                                                 "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]),
    }
    rows = [
        "<tr><td rowspan='3' colspan='3'>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
        "<td colspan='7'>申请人情况</td></tr>",
        "<tr><td rowspan='2'>自 然 人</td><td colspan='5'>法人或其他组织</td><td rowspan='2'>总计</td></tr>",
        "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>",
        f"<tr><td colspan='3'>一、本年新收政府信息公开申请数量</td>{tds('t3.new')}</tr>",
        f"<tr><td colspan='3'>二、上年结转政府信息公开申请数量</td>{tds('t3.carried_over')}</tr>",
        f"<tr><td rowspan='22'>三、本年度办理结果</td><td colspan='2'>（一）予以公开</td>{tds('t3.granted')}</tr>",
        f"<tr><td colspan='2'>（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td>{tds('t3.partial')}</tr>",
    ]
    keys = [k for k in values if k.startswith(tuple(groups))]
    for prefix, (label, leaves) in groups.items():
        ks = [k for k in keys if k.startswith(prefix)]
        for j, (k, leaf) in enumerate(zip(ks, leaves)):
            head = f"<td rowspan='{len(ks)}'>{label}</td>" if j == 0 else ""
            rows.append(f"<tr>{head}<td>{leaf}</td>{tds(k)}</tr>")
    rows.append(f"<tr><td colspan='2'>（七）总计</td>{tds('t3.total')}</tr>")
    rows.append(f"<tr><td colspan='3'>四、结转下年度继续办理</td>{tds('t3.carry_forward')}</tr>")
    return ("<html><head><title>利州区2023年政府信息公开工作年度报告</title></head><body><div id='zoom'>"
            "<p>一、总体情况</p><p>本区认真贯彻落实政府信息公开条例,全年主动公开政府信息5656条。</p>"
            + "<p>围绕城乡居民就业增收、教育医疗、社会救助等方面公开民生领域信息,持续发布稳投资促发展、"
              "保生产保民生、减税降费等相关政策和工作进展信息,不断提升政务公开工作水平。</p>" * 6 +
            "<p>三、收到和处理政府信息公开申请情况</p><table>" + "".join(rows) + "</table>"
            "<p>五、存在的主要问题及改进情况</p><p>存在的问题:一是制度执行仍存在差距。</p></div></body></html>")


def test_html_table3_parses_like_the_text(seeds):
    r = govtext.parse_reports(_html_table3(), source="page.html")[0]
    assert r.format == "html"
    df = parse_tables(r)
    assert _t3(df) == _t3(parse_tables(seeds[S4]))
    ch = check_tables(r)
    assert set(ch.table) == {3} and (ch.status == "pass").all()
    assert [s.key for s in r.sections] == ["overview", "requests", "problems"]
    assert r.sections[1].children == ()


def test_html_empty_td_is_an_empty_cell():
    r = govtext.parse_reports(_html_table3(blank=("t3.partial", "research")), source="page.html")[0]
    df = parse_tables(r)
    row = df[df.row == "t3.partial"]
    assert row.kind.tolist() == ["number", "zero", "empty", "zero", "zero", "zero", "number"]
    assert row.value.tolist()[-1] == 8.0


# -- small layouts ----------------------------------------------------------------------------------

def test_tab_rows_with_shifted_label_and_trailing_cells(seeds):
    # seed 001 has 「3. 其他」 shifted one column left and trailing tabs on every row
    df = parse_tables(seeds[S1])
    row = df[df.row == "t3.other_processing.other"]
    assert row.column.tolist() == COLS3 and (row.kind == "zero").all()


def test_split_2019_headers_in_a_string():
    text = ("二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
            "规章\t1\t2\t3\n规范性文件\t4\t/\t6\n三、收到和处理政府信息公开申请情况")
    df = parse_tables(text)
    assert list(zip(df.row, df.column, df.raw, df.kind)) == [
        ("t2.regulations", "new_made", "1", "number"), ("t2.regulations", "new_published", "2", "number"),
        ("t2.regulations", "total_published", "3", "number"), ("t2.normative_docs", "new_made", "4", "number"),
        ("t2.normative_docs", "new_published", "/", "dash"), ("t2.normative_docs", "total_published", "6", "number"),
    ]
    assert set(df.report_id) == {"<text>"}


def test_unnamed_header_cells_fall_back_to_the_era_columns():
    text = ("第二十条第(一)项\n信息内容\t本年新\t本年新\t对外公开总数量\n规章\t0\t0\t0\n"
            "第二十条第(五)项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t1\t-8\t3")
    df = parse_tables(text)
    assert df[df.row == "t2.regulations"].column.tolist() == ["new_made", "new_published", "total_published"]
    assert df[df.raw == "-8"].value.item() == -8.0


@pytest.mark.parametrize("raw, value, kind", [
    ("0", 0.0, "zero"), ("12", 12.0, "number"), ("662.441", 662.441, "number"), ("+8", 8.0, "number"),
    ("-8", -8.0, "number"), ("1,234", 1234.0, "number"), ("", math.nan, "empty"), (" ", math.nan, "empty"),
    ("/", math.nan, "dash"), ("-", math.nan, "dash"), ("—", math.nan, "dash"), ("——", math.nan, "dash"),
    ("无", math.nan, "text"), ("一", math.nan, "text"), ("0.00", 0.0, "zero"),
])
def test_parse_cell(raw, value, kind):
    v, k = parse_cell(raw)
    assert k == kind
    assert (math.isnan(v) and math.isnan(value)) or v == value


# -- regions ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("rid", [S1, S2, S4])
def test_table_regions_cover_tables_not_headings(seeds, rid):
    r = seeds[rid]
    regions = table_regions(r)
    assert len(regions) == 3
    assert regions == sorted(regions) and all(a < b <= c for (a, b), (c, _) in zip(regions, regions[1:]))
    df = parse_tables(r)
    for row in df.itertuples():
        assert any(a <= row.start and row.end <= b for a, b in regions)
    for s in r.sections:
        assert not any(a <= s.start < b for a, b in regions)
    inside = "".join(r.text[a:b] for a, b in regions)
    assert "本年新收政府信息公开申请数量" in inside and "结果维持" in inside
    assert "存在的主要问题" not in inside and "收到和处理政府信息公开申请情况" not in inside


def test_table_regions_is_cached_and_accepts_text(seeds):
    r = seeds[S4]
    assert table_regions(r) is not table_regions(r)  # a fresh list each time
    assert table_regions(r) == table_regions(r.text)


# -- schema ----------------------------------------------------------------------------------------

def test_schema_documents_every_key(seeds):
    s = table_schema()
    assert list(s.columns) == ["table", "part", "key", "block", "label", "era"]
    assert not s.duplicated(["table", "part", "key"]).any()
    df = parse_tables(seeds)
    for part in ("row", "column", "block"):
        assert set(df[part]) <= set(s[s.part == part].key)
    assert s.set_index("key").loc["t3.other_processing", "era"] == "2019"
    assert s[(s.table == 3) & (s.part == "row") & (s.era != "2019")].shape[0] == 25


# -- prose facts -------------------------------------------------------------------------------------

FACTS = {
    "000_6ac03842c3dfdc7c": [("proactive", 28.0, "条"), ("requests_received", 3.0, "宗"), ("fees", 0.0, None)],
    "002_201993b9de74ca40": [("proactive", 13.0, "条"), ("proactive_cumulative", 391.0, "条"),
                             ("requests_received", 0.0, "件"), ("requests_denied", 0.0, "件")],
    "003_aad2c66ccec4c55e#1": [("proactive", 70.0, "条"), ("requests_received", 0.0, None), ("fees", 0.0, None)],
    "003_aad2c66ccec4c55e#2": [("proactive", 53.0, "条"), ("requests_received", 0.0, None)],
    "003_aad2c66ccec4c55e#4": [("disclosed", 76.0, "条"), ("proactive", 68.0, "条")],
    "003_aad2c66ccec4c55e#8": [("proactive", 34.0, "条"), ("requests_received", 0.0, None)],
    "004_3cd86ea425926f19": [("proactive", 5656.0, "条"), ("requests_received", 72.0, "件"),
                             ("requests_carried_over", 2.0, "件"), ("fees", 0.0, None)],
}


@pytest.mark.parametrize("rid", sorted(FACTS))
def test_prose_facts(seeds, rid):
    r = seeds[rid]
    df = extract_facts(r)
    assert list(df.columns) == FACT_COLUMNS
    assert list(zip(df.fact, df.value, df.unit)) == FACTS[rid]
    for row in df.itertuples():
        assert r.text[row.start:row.end] == row.text


def test_facts_skip_tables(seeds):
    df = extract_facts(seeds[S4])
    regions = table_regions(seeds[S4])
    assert not any(a <= s < b for s in df.start for a, b in regions)


@pytest.mark.parametrize("text, expected", [
    ("本年度共收到政府信息公开申请12宗。", [("requests_received", 12.0, "宗")]),
    ("全年共主动公开政府信息1,234条。", [("proactive", 1234.0, "条")]),
    ("依申请公开收费100元。", [("fees", 100.0, "元")]),
    ("本机关未收取任何费用。", [("fees", 0.0, None)]),
    ("一是公开不及时。", []),
])
def test_facts_in_strings(text, expected):
    df = extract_facts(text)
    assert list(zip(df.fact, df.value, df.unit)) == expected


# -- errors and robustness -------------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: parse_tables(3), "The 'report' parameter of parse_tables must be a Report, a str or an iterable"),
    (lambda: parse_tables([1]), "Got an item of type int instead"),
    (lambda: check_tables(pd.DataFrame({"a": [1]})), "must be a frame from parse_tables"),
    (lambda: table_regions(None), "The 'report' parameter of table_regions must be a Report or a str"),
    (lambda: extract_facts(2.5), "The 'report' parameter of extract_facts"),
])
def test_parameter_errors(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


_FRAGMENTS = [
    "第二十条第(一)项", "信息内容", "本年制发件数", "规章", "行政规范性文件", "(本列数据的勾稽关系为", "申请人情况",
    "自然人", "总计", "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
    "(一)予以公开", "(三)不予公开", "1.属于国家秘密", "(六)其他处理", "3.其他", "(七)总计",
    "四、结转下年度继续办理", "行政复议", "行政诉讼", "结果维持", "0", "1", "-", "/", "+8", "662.441", "\n", "\t",
    "\n|\n", "\n||\n", "主动公开政府信息70条", "收费", "元",
]


@st.composite
def table_like(draw):
    return "".join(draw(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=6)), max_size=80)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), table_like()))
def test_no_input_raises(text):
    try:
        df = parse_tables(text)
        check_tables(df)
        check_tables(text)
        regions = table_regions(text)
        extract_facts(text)
    except GovtextError:  # pragma: no cover - the only exceptions allowed
        return
    assert all(0 <= a < b <= len(text) for a, b in regions)
    assert list(df.columns) == TABLE_COLUMNS


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_fragments_of_real_tables(seeds, data):
    r = data.draw(st.sampled_from([seeds[S1], seeds[S2], seeds[S4]]))
    a = data.draw(st.integers(0, len(r.text)))
    b = data.draw(st.integers(a, len(r.text)))
    text = r.text[:a] + data.draw(st.sampled_from(["", "\n", "\t", "0\n", "|"])) + r.text[b:]
    df = parse_tables(text)
    ch = check_tables(df)
    assert set(ch.status) <= {"pass", "fail", "not_assessable"}


def test_ten_times_input_runs(seeds):
    big = "\n".join(r.text for r in seeds) * 10
    df = parse_tables(big)
    assert set(df.table) == {2, 3, 4}  # the first set of tables is read
    assert table_regions(big)
    assert len(extract_facts(big)) >= 10 * 20


def test_cells_are_made_as_read_and_are_the_same(seeds):
    from govtext import tables as tb

    text = seeds["004_3cd86ea425926f19"].text
    src = tb._Source(text)
    eager = list(tb._iter_cells(src, 0, False, 4000))
    assert len(eager) > 200
    lazy = tb._tokenize(src, 0, False, 4000)
    assert lazy[3] == eager[3] and len(lazy._buf) < len(eager)  # only a first chunk was made
    assert lazy[10:14] == eager[10:14]
    assert lazy.has(len(eager) - 1) and not lazy.has(len(eager))
    assert lazy._buf == eager
    assert not tb._tokenize(tb._Source(""), 0, False)


# ---------------------------------------------------------------------------------------------
# the frames are built once from records: the same frames as the former per-report pandas code


def _assert_same_frame(old: pd.DataFrame, new: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(old, new, check_exact=True)
    assert old.dtypes.equals(new.dtypes)
    assert type(old.index) is type(new.index) and old.index.equals(new.index)
    assert old.to_csv() == new.to_csv()


def _old_order(recs: list[tuple]) -> pd.DataFrame:
    """The former per-report frame of parse_tables: sorted and deduplicated with pandas."""
    import numpy as np

    from govtext import tables as tb

    df = pd.DataFrame(recs, columns=TABLE_COLUMNS)
    df = df.assign(_b=df["block"].map(lambda b: tb._BLOCK_ORDER.get(b, 99)),
                   _r=df["row"].map(lambda r: tb._T2_ORDER.get(r, tb._T3_ORDER.get(r, 0))),
                   _i=np.arange(len(df)))
    df = df.sort_values(["table", "_b", "_r", "_i"], kind="stable").drop(columns=["_b", "_r", "_i"])
    df = df.drop_duplicates(["table", "block", "row", "column"], keep="first")
    return df.reset_index(drop=True).astype({"table": "int64", "value": "float64", "start": "int64", "end": "int64"})


def test_records_are_ordered_and_deduplicated_like_the_frame_sort(seeds):
    import random

    from govtext import tables as tb

    rng = random.Random(0)
    for rid in (S2, S4, S1):  # (one report's records: the key has no report id)
        recs = tb._records(seeds[rid])
        dups = [t[:5] + ("x" + t[5],) + t[6:] for t in rng.sample(recs, 40)]  # same keys, other cells
        odd = [(rid, 3, "nowhere", "t3.unknown", "total", "1", 1.0, "number", 0, 1),
               (rid, 2, "art20_1", "", "col1", "2", 2.0, "number", 5, 6)]
        shuffled = recs + dups + odd
        rng.shuffle(shuffled)
        got = tb._ordered(shuffled)
        assert len(got) == len(recs) + len(odd)
        _assert_same_frame(_old_order(shuffled), tb._frame(got, TABLE_COLUMNS, tb._TABLE_DTYPES))


def test_corpus_frame_is_the_report_frames_concatenated(seeds):
    reports = list(seeds)
    with_tables = [r for r in reports if len(parse_tables(r))]
    assert 0 < len(with_tables) < len(reports)
    corpora = [reports, with_tables, reports[::-1], [r.text for r in with_tables] + ["无表格"], reports[5:7]]
    for corpus in corpora:
        old = pd.concat([parse_tables(r) for r in corpus], ignore_index=True)
        _assert_same_frame(old, parse_tables(corpus))
    # str columns when every report has tables, object when one has none (as concat makes them)
    assert parse_tables(with_tables)["report_id"].dtype != object
    assert parse_tables(reports)["report_id"].dtype == object
    _assert_same_frame(parse_tables([]), parse_tables(["无表格", "无"]))
    for r in reports:
        from govtext import tables as tb

        recs = tb._records(r)
        if recs:
            _assert_same_frame(_old_order(recs), parse_tables(r))


def test_empty_frames_are_fresh_copies():
    a = parse_tables("无表格")
    a.loc[0] = ["x", 2, "b", "r", "c", "1", 1.0, "number", 0, 1]
    b = parse_tables("无表格")
    assert len(b) == 0 and list(b.columns) == TABLE_COLUMNS
    assert str(b["table"].dtype) == "int64" and b["report_id"].dtype == object
    f = extract_facts("无")
    f["fact"] = "x"
    f.loc[0] = ["x", "y", 1.0, None, 0, 1, "z"]
    g = extract_facts("无")
    assert len(g) == 0 and list(g.columns) == FACT_COLUMNS and str(g["start"].dtype) == "int64"


def test_facts_frame_is_the_pandas_frame_of_the_records(seeds):
    from govtext import tables as tb

    def old(recs):
        df = pd.DataFrame(recs, columns=FACT_COLUMNS).astype({"value": "float64", "start": "int64", "end": "int64"})
        df["unit"] = df["unit"].astype(object).where(df["unit"].notna(), None)
        return df

    reports = list(seeds)
    for r in reports:
        _assert_same_frame(old(tb._facts_records(r)), extract_facts(r))
    _assert_same_frame(old([t for r in reports for t in tb._facts_records(r)]), extract_facts(reports))
    _assert_same_frame(old([]), extract_facts([]))
    assert extract_facts(seeds["003_aad2c66ccec4c55e#1"])["unit"].tolist()[1] is None


def test_checks_group_by_report_like_groupby(seeds):
    from govtext import tables as tb

    cells = parse_tables(list(seeds))
    extra = cells[cells.table == 3].head(3).assign(value=-1.0, raw="-1")  # later rows win, as before
    cells = pd.concat([cells, extra]).sample(frac=1, random_state=0)  # interleaved reports, other index

    def old(df):
        out = []
        for rid, part in df.groupby("report_id", sort=False):
            out.extend(tb._check_one(part, rid))
        return pd.DataFrame(out, columns=CHECK_COLUMNS).astype({"table": "int64", "expected": "float64", "actual": "float64"})

    _assert_same_frame(old(cells), check_tables(cells))
    _assert_same_frame(old(cells.iloc[:0]), check_tables(cells.iloc[:0]))
    assert (check_tables(cells).status == "fail").any()
