"""Figures: the right bars, cells and labels, and Chinese that renders (no missing glyphs).

Every figure is rendered to PNG in memory while warnings are recorded: matplotlib warns
``Glyph … missing from font(s) …`` for every character it draws as an empty box, so no such
warning means every Chinese label was drawn with real glyphs. A control test shows the check
catches tofu when only DejaVu Sans is available.
"""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from govtext import _fonts  # noqa: E402
from govtext.exceptions import InvalidParameterError, MissingDependencyError  # noqa: E402
from govtext.plot import (  # noqa: E402
    plot_boilerplate,
    plot_problem_topics,
    plot_sections,
    plot_shared_passages,
    plot_similarity,
    plot_table_checks,
    plot_year_over_year,
    save_figures,
    use_cjk_font,
)
from govtext.sections import sections_frame  # noqa: E402
from govtext.tables import check_tables  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(autouse=True)
def _no_font_override(monkeypatch):
    monkeypatch.delenv(_fonts.ENV_VAR, raising=False)


def missing_glyph_warnings(fig) -> list[str]:
    """Render ``fig`` to PNG and return matplotlib's missing-glyph warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png", dpi=50)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def texts(labels) -> list[str]:
    return [t.get_text() for t in labels]


def has_han(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


# --------------------------------------------------------------------------------------------
# hand-made frames in the documented shapes

IDS = ["r1", "r2", "r3", "r4", "r5"]
AGENCY = {"r1": "方城镇人民政府", "r2": "峰市镇人民政府", "r3": "平昌关镇人民政府", "r4": "利州区人民政府",
          "r5": "某县人民政府"}


@pytest.fixture
def similarity() -> pd.DataFrame:
    fam = {"r1": "甲", "r2": "乙", "r3": "甲", "r4": "乙", "r5": "甲"}
    rows = []
    for i, a in enumerate(IDS):
        for b in IDS[i + 1:]:
            s = 0.8 if fam[a] == fam[b] else 0.1
            rows.append((a, b, s, s + 0.05))
    return pd.DataFrame(rows, columns=["report_a", "report_b", "jaccard", "cosine"])


@pytest.fixture
def families() -> pd.DataFrame:
    return pd.DataFrame({"report_id": IDS, "family": ["甲", "乙", "甲", "乙", "甲"]})


@pytest.fixture
def report_scores() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 12
    shares = rng.dirichlet([1, 1, 1, 1], n)
    return pd.DataFrame({
        "report_id": [f"r{i}" for i in range(n)],
        "year": [2013] * 4 + [2020] * 4 + [2023] * 4,
        "level": ["township", "county", "department", None] * 3,
        "share_template": shares[:, 0], "share_copied": shares[:, 1],
        "share_recycled": shares[:, 2], "share_own": shares[:, 3],
        "boilerplate_lsl": rng.uniform(0, 1, n),
    })


@pytest.fixture
def clusters() -> pd.DataFrame:
    return pd.DataFrame({
        "cluster_id": [3, 1, 2, 0],
        "size": [5, 9, 9, 2],
        "n_reports": [5, 8, 8, 2],
        "n_agencies": [4, 8, 7, 2],
        "exemplar": ["二是信息公开的及时性有待提高。", "依据《中华人民共和国政府信息公开条例》要求,现公布本年度报告。",
                     "本报告中所列数据的统计期限自1月1日起至12月31日止。", "如对本报告有疑问,请与本机关联系。"],
    })


@pytest.fixture
def yoy() -> pd.DataFrame:
    rows = []
    for k, agency in enumerate(["方城镇人民政府", "峰市镇人民政府", "利州区人民政府"]):
        for year in (2021, 2022, 2023):
            rows.append((agency, year - 1, year, 0.5 + 0.1 * k, 0.4, 0.3, 0.3, 0.2))
    return pd.DataFrame(rows, columns=["agency", "year_from", "year_to", "cosine", "jaccard", "edit_sim",
                                       "diff_sim", "stickiness"])


@pytest.fixture
def statements() -> pd.DataFrame:
    return pd.DataFrame({
        "report_id": ["r1", "r1", "r1", "r2", "r2", "r3"],
        "kind": ["problem", "problem", "measure", "problem", "problem", "problem"],
        "topic": ["timeliness", "capacity", "supervision", "timeliness", "timeliness", "platforms"],
    })


# --------------------------------------------------------------------------------------------
# fonts


def test_a_cjk_font_is_found_and_draws_chinese():
    font = _fonts.find_cjk_font()
    assert _fonts.missing_glyphs(font) == []
    # matplotlib resolves the family name to the very face that was checked
    found = font_manager.findfont(font_manager.FontProperties(family=font.name), fallback_to_default=False)
    assert str(getattr(found, "path", found)) == font.path
    assert int(getattr(found, "face_index", 0)) == font.face_index


def test_missing_glyph_check_catches_tofu():
    fig, ax = plt.subplots()
    ax.set_title("政府信息公开", fontfamily=["DejaVu Sans"])
    assert len(missing_glyph_warnings(fig)) == 6


def test_no_cjk_font_is_a_clear_error():
    with pytest.raises(MissingDependencyError, match="apt-get install fonts-noto-cjk"):
        _fonts.find_cjk_font(families=("No Such Font", "DejaVu Sans"))


@pytest.mark.parametrize("value, match", [("/nonexistent/font.ttf", "no such font file"),
                                          ("DejaVu Sans", "has no glyph for"),
                                          ("No Such Family", "neither a font file nor a font family")])
def test_bad_font_override_is_an_error(monkeypatch, statements, value, match):
    monkeypatch.setenv(_fonts.ENV_VAR, value)
    with pytest.raises(MissingDependencyError, match=match):
        plot_problem_topics(statements)


def test_font_override_by_path(monkeypatch):
    font = _fonts.find_cjk_font()
    monkeypatch.setenv(_fonts.ENV_VAR, font.path)
    chosen = _fonts.find_cjk_font()
    assert chosen.path == font.path and _fonts.missing_glyphs(chosen) == []


def test_use_cjk_font_sets_the_default(monkeypatch):
    monkeypatch.setitem(matplotlib.rcParams, "font.sans-serif", list(matplotlib.rcParams["font.sans-serif"]))
    monkeypatch.setitem(matplotlib.rcParams, "font.family", list(matplotlib.rcParams["font.family"]))
    font = use_cjk_font()
    assert matplotlib.rcParams["font.sans-serif"][0] == font.name
    fig, ax = plt.subplots()
    ax.set_title("存在的主要问题及改进情况")
    assert missing_glyph_warnings(fig) == []


# --------------------------------------------------------------------------------------------
# each figure


def test_table_checks_on_the_seeds(seeds):
    checks = check_tables(seeds)
    labels = seeds.to_frame().set_index("report_id")["agency"]
    ax = plot_table_checks(checks, labels=labels, lang="zh")
    ids = list(dict.fromkeys(checks.report_id))
    assert texts(ax.get_yticklabels()) == [labels[i] for i in ids]
    assert all(has_han(t) for t in texts(ax.get_yticklabels()))
    assert [len(c) for c in ax.containers] == [3, 3, 3]  # pass, fail, not assessable
    widths = [p.get_width() for p in ax.containers[0]]
    assert widths == [float((checks.report_id.eq(i) & checks.status.eq("pass")).sum()) for i in ids]
    assert texts(ax.get_legend().get_texts()) == ["通过", "未通过", "无法评估"]
    assert missing_glyph_warnings(ax.figure) == []


def test_table_checks_marks_failures():
    checks = pd.DataFrame({"report_id": ["a", "a", "a", "b"], "status": ["pass", "fail", "fail", "not_assessable"]})
    ax = plot_table_checks(checks)
    assert [p.get_width() for p in ax.containers[1]] == [2.0, 0.0]
    assert [t.get_text() for t in ax.texts] == [" 2 fail"]


def test_sections_on_the_seeds(seeds):
    frame = sections_frame(seeds)
    ax = plot_sections(frame, lang="zh")
    top = frame[frame.level == 1]
    keys = set(top.key)
    assert len(ax.containers) == len(keys)
    assert all(len(c) == len(seeds) for c in ax.containers)
    # the stacked bars add up to each report's length (top-level sections tile the text)
    totals = np.sum([[p.get_width() for p in c] for c in ax.containers], axis=0)
    assert totals.tolist() == [float(len(r.text)) for r in seeds]
    legend = texts(ax.get_legend().get_texts())
    assert legend[:3] == ["前言", "总体情况", "主动公开"] and len(legend) == len(keys)
    assert missing_glyph_warnings(ax.figure) == []


def test_sections_level_2():
    sec = pd.DataFrame({"report_id": ["a", "a", "a"], "key": ["overview", "proactive", "requests"],
                        "level": [1, 2, 2], "start": [0, 5, 20], "end": [50, 20, 50]})
    ax = plot_sections(sec, level=2)
    assert texts(ax.get_legend().get_texts()) == ["proactive disclosure", "requests"]
    assert [c[0].get_width() for c in ax.containers] == [15.0, 30.0]


def test_problem_topics(statements):
    ax = plot_problem_topics(statements, labels=AGENCY, lang="zh")
    image = ax.images[0].get_array()
    assert image.shape == (3, 3)  # topics that occur x reports
    assert texts(ax.get_yticklabels()) == ["及时性", "队伍能力与培训", "平台与新媒体"]
    assert texts(ax.get_xticklabels()) == [AGENCY["r1"], AGENCY["r2"], AGENCY["r3"]]
    assert image[0].tolist() == [1, 2, 0]  # timeliness in r1, r2, r3
    assert sorted(t.get_text() for t in ax.texts) == sorted(["1", "2", "0", "1", "0", "0", "0", "0", "1"])
    assert missing_glyph_warnings(ax.figure) == []


def test_problem_topics_by_year_from_reports(statements):
    reports = pd.DataFrame({"report_id": ["r1", "r2", "r3"], "year": [2013, 2023, 2023]})
    ax = plot_problem_topics(statements, by="year", reports=reports, normalize=True, kind=None)
    assert texts(ax.get_xticklabels()) == ["2013", "2023"]
    image = ax.images[0].get_array()
    assert np.allclose(image.sum(axis=0), 1.0)  # shares of each year's statements
    with pytest.raises(InvalidParameterError, match="pass 'reports'"):
        plot_problem_topics(statements, by="year")


def test_problem_topics_on_the_seeds(seeds):
    st_mod = pytest.importorskip("govtext.statements")
    st = st_mod.extract_statements(seeds)
    ax = plot_problem_topics(st, by="year", reports=seeds.to_frame(), lang="zh")
    assert texts(ax.get_xticklabels()) == sorted({str(y) for y in seeds.to_frame().year})
    assert missing_glyph_warnings(ax.figure) == []


def test_similarity_orders_by_family(similarity, families):
    ax = plot_similarity(similarity, families, labels=AGENCY)
    image = np.asarray(ax.images[0].get_array())
    assert image.shape == (5, 5) and np.allclose(np.diag(image), 1.0)
    order = [next(k for k, v in AGENCY.items() if v == t) for t in texts(ax.get_yticklabels())]
    fam = dict(zip(families.report_id, families.family))
    runs = [fam[r] for r in order]
    assert runs in (["甲"] * 3 + ["乙"] * 2, ["乙"] * 2 + ["甲"] * 3)  # each family contiguous
    expected = similarity.set_index(["report_a", "report_b"]).cosine  # the default measure
    a, b = sorted([order[0], order[1]])
    assert image[0, 1] == pytest.approx(expected[(a, b)])
    # the dendrogram (n - 1 merges) and the family strip are drawn above the heatmap
    from matplotlib.collections import LineCollection

    dendro = [c for a in ax.child_axes for c in a.collections if isinstance(c, LineCollection)]
    assert sum(len(c.get_segments()) for c in dendro) == 4
    strip_labels = sorted(t.get_text() for a in ax.child_axes for t in a.texts)
    assert strip_labels == ["乙", "甲"]
    assert missing_glyph_warnings(ax.figure) == []


def test_similarity_unlisted_pairs_are_zero():
    sim = pd.DataFrame({"report_a": ["a"], "report_b": ["b"], "jaccard": [0.5], "cosine": [0.5]})
    fam = pd.DataFrame({"report_id": ["a", "b", "c"], "family": ["F", "F", None]})
    ax = plot_similarity(sim, fam, measure="jaccard")
    image = np.asarray(ax.images[0].get_array())
    order = texts(ax.get_yticklabels())
    assert image[order.index("a"), order.index("c")] == 0.0
    assert image[order.index("a"), order.index("b")] == 0.5


@pytest.mark.parametrize("by, expected", [("year", ["2013\n(n=4)", "2020\n(n=4)", "2023\n(n=4)"]),
                                          ("level", ["县区级\n(n=3)", "乡镇街道\n(n=3)", "部门\n(n=3)"])])
def test_boilerplate_boxes(report_scores, by, expected):
    ax = plot_boilerplate(report_scores, by=by, lang="zh")
    assert texts(ax.get_xticklabels()) == expected
    assert len(ax.patches) == len(expected)  # one box per group
    points = sum(len(c.get_offsets()) for c in ax.collections)
    assert points == report_scores[by].notna().sum()
    assert missing_glyph_warnings(ax.figure) == []


def test_boilerplate_shares(report_scores):
    ax = plot_boilerplate(report_scores, by="year", measure="shares", lang="zh")
    assert [len(c) for c in ax.containers] == [3, 3, 3, 3]
    tops = np.sum([[p.get_height() for p in c] for c in ax.containers], axis=0)
    assert np.allclose(tops, 1.0)  # the four shares add up to 1
    assert texts(ax.get_legend().get_texts()) == ["自有", "沿用", "复制", "模板"]  # top of the stack first
    assert missing_glyph_warnings(ax.figure) == []


def test_shared_passages(clusters):
    ax = plot_shared_passages(clusters, top=3, width=12, lang="zh")
    labels = texts(ax.get_yticklabels())
    # most widely shared first: n_reports, then size (both 8/9 tie) then cluster_id
    assert labels == ["依据《中华人民共和国政…", "本报告中所列数据的统计…", "二是信息公开的及时性有…"]
    assert [p.get_width() for p in ax.patches] == [8.0, 8.0, 5.0]
    assert texts(ax.texts) == [" 8 (8 个机关)", " 8 (7 个机关)", " 5 (4 个机关)"]
    assert missing_glyph_warnings(ax.figure) == []


def test_year_over_year(yoy):
    ax = plot_year_over_year(yoy, lang="zh")
    assert len(ax.lines) == 4  # three agencies and the median
    legend = texts(ax.get_legend().get_texts())
    assert legend == ["利州区人民政府", "峰市镇人民政府", "方城镇人民政府", "中位数"]
    median = ax.lines[-1].get_ydata()
    assert np.allclose(median, [0.6, 0.6, 0.6])
    assert texts(ax.get_xticklabels()) == ["2021", "2022", "2023"]
    assert missing_glyph_warnings(ax.figure) == []
    ax = plot_year_over_year(yoy, max_legend=2, measure="stickiness")
    assert len(ax.lines) == 4 and texts(ax.get_legend().get_texts()) == ["median"]


def test_draws_on_a_given_axes(statements):
    fig, (left, right) = plt.subplots(1, 2)
    ax = plot_problem_topics(statements, ax=right)
    assert ax is right and not left.images


@pytest.mark.parametrize("call, match", [
    (lambda: plot_table_checks([1, 2]), "must be a pandas DataFrame"),
    (lambda: plot_table_checks(pd.DataFrame({"report_id": ["a"]})), r"\['status'\] missing"),
    (lambda: plot_table_checks(pd.DataFrame({"report_id": ["a"], "status": ["ok"]})), "unknown statuses"),
    (lambda: plot_sections(pd.DataFrame(columns=["report_id", "key", "level", "start", "end"]), level=0), "'level'"),
    (lambda: plot_boilerplate(pd.DataFrame({"report_id": ["a"], "year": [1]}), by="month"), "'by' parameter"),
    (lambda: plot_boilerplate(pd.DataFrame({"report_id": ["a"], "year": [1]}), measure="nope"), "'measure'"),
    (lambda: plot_similarity(pd.DataFrame({"report_a": ["a"], "report_b": ["b"], "cosine": [1.5]})), r"\[0, 1\]"),
    (lambda: plot_similarity(pd.DataFrame({"report_a": ["a"], "report_b": ["b"], "cosine": [1]}), method="ward"), "'method'"),
    (lambda: plot_shared_passages(pd.DataFrame(columns=["cluster_id", "n_reports", "exemplar"]), top=0), "'top'"),
    (lambda: plot_year_over_year(pd.DataFrame({"agency": ["a"], "year_to": [1], "cosine": [1]}), lang="fr"), "'lang'"),
])
def test_bad_input_is_a_clear_error(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


def test_empty_frames_draw_a_note():
    ax = plot_shared_passages(pd.DataFrame(columns=["cluster_id", "n_reports", "exemplar"]), lang="zh")
    assert texts(ax.texts) == ["无数据"]
    assert missing_glyph_warnings(ax.figure) == []


def test_save_figures(tmp_path, seeds, clusters, yoy, report_scores):
    tables = {"sections": sections_frame(seeds), "table_checks": check_tables(seeds), "clusters": clusters,
              "yoy": yoy, "reports": seeds.to_frame(), "similarity": pd.DataFrame(),
              "report_scores": report_scores.drop(columns="boilerplate_lsl")}
    written = save_figures(tables, tmp_path / "figures", lang="zh", dpi=40)
    # no similarity rows, and report scores without boilerplate_lsl: only the reuse shares
    assert written == ["reuse_shares_by_level.png", "reuse_shares_by_year.png", "sections.png",
                       "shared_passages.png", "table_checks.png", "year_over_year.png"]
    for name in written:
        assert (tmp_path / "figures" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plt.get_fignums() == []  # figures are closed
    assert save_figures({"reports": seeds.to_frame()}, tmp_path / "none") == []
    assert not (tmp_path / "none").exists()
    # a measure with no value at all draws no (empty) figure; one value is enough
    nan_scores = report_scores.assign(boilerplate_lsl=float("nan"))
    drawn = save_figures({"report_scores": nan_scores}, tmp_path / "nan", dpi=40)
    assert "boilerplate_by_year.png" not in drawn and "reuse_shares_by_year.png" in drawn
    nan_scores.loc[nan_scores.index[0], "boilerplate_lsl"] = 0.5
    assert "boilerplate_by_year.png" in save_figures({"report_scores": nan_scores}, tmp_path / "one", dpi=40)
