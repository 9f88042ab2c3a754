"""Figures of govtext results: ``plot_*(frame, ..., ax=None)`` functions returning the Axes.

Every function takes one of the documented DataFrames that govtext produces, draws on ``ax``
(a new figure when ``ax`` is None) and returns the Axes, as scikit-learn's plotting functions
do. Chinese text (agency names, passages, topic and section names with ``lang="zh"``) is drawn
with a CJK font found by :func:`govtext._fonts.find_cjk_font`; without one, the functions raise
:class:`govtext.exceptions.MissingDependencyError` instead of drawing empty boxes. matplotlib is
imported only when a function is called.

* :func:`plot_table_checks` -- checks per report by status (stacked bars), from
  :func:`govtext.tables.check_tables`;
* :func:`plot_sections` -- section length by key per report, from
  :func:`govtext.sections.sections_frame`;
* :func:`plot_problem_topics` -- statements per topic and report or year (heatmap), from
  ``govtext.statements.extract_statements``;
* :func:`plot_similarity` -- report × report similarity ordered by template family, with its
  dendrogram, from the reuse detector's ``similarity`` and ``families`` tables;
* :func:`plot_boilerplate` -- boilerplate share by year or level, from ``report_scores``;
* :func:`plot_shared_passages` -- the most widely shared passages with their report counts,
  from ``clusters``;
* :func:`plot_year_over_year` -- similarity of each agency's report to its previous one, from
  ``yoy``.

:func:`save_figures` draws every figure whose tables are present in a dict of tables (as in
:attr:`govtext.pipeline.AnalysisResult.tables`) and writes them as PNG files.
:func:`use_cjk_font` sets matplotlib's defaults so that your own Chinese labels render too.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from govtext.datasets import load_seeds
>>> from govtext.sections import sections_frame
>>> from govtext.plot import plot_sections
>>> ax = plot_sections(sections_frame(load_seeds()), lang="zh")
>>> [t.get_text() for t in ax.get_legend().get_texts()][:4]
['前言', '总体情况', '主动公开', '依申请公开']
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govtext._fonts import CJKFont, find_cjk_font, import_matplotlib
from govtext.exceptions import InvalidParameterError

__all__ = [
    "FIGURES",
    "plot_boilerplate",
    "plot_problem_topics",
    "plot_sections",
    "plot_shared_passages",
    "plot_similarity",
    "plot_table_checks",
    "plot_year_over_year",
    "save_figures",
    "use_cjk_font",
]

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# labels

_LANGS = ("en", "zh")

#: Display names of section keys (:data:`govtext.sections.SECTION_KEYS`).
_SECTION_NAMES = {
    "preamble": ("preamble", "前言"),
    "overview": ("overview", "总体情况"),
    "proactive": ("proactive disclosure", "主动公开"),
    "requests": ("requests", "依申请公开"),
    "fees": ("fees", "收费"),
    "appeals": ("reviews and lawsuits", "复议诉讼"),
    "problems": ("problems", "问题及改进"),
    "plans": ("plans", "改进措施"),
    "other": ("other matters", "其他事项"),
    "closing": ("closing", "落款"),
    "management": ("information management", "信息管理"),
    "platform": ("platforms", "平台建设"),
    "supervision": ("supervision", "监督保障"),
    "work_points": ("work points", "工作要点"),
    "proposals": ("proposals", "建议提案"),
    "innovation": ("innovation", "创新情况"),
    "unknown": ("unrecognised", "未识别"),
}
_STATUS = {
    "pass": ("pass", "通过", "#4c9a5b"),
    "fail": ("fail", "未通过", "#c8423b"),
    "not_assessable": ("not assessable", "无法评估", "#b8b8b8"),
}
_LEVELS = {
    "central": ("central", "中央"),
    "province": ("province", "省级"),
    "prefecture": ("prefecture", "地市级"),
    "county": ("county", "县区级"),
    "township": ("township", "乡镇街道"),
    "department": ("department", "部门"),
    "other": ("other", "其他"),
}
_SHARES = {
    "share_template": ("template", "模板", "#8c6bb1"),
    "share_copied": ("copied", "复制", "#e08214"),
    "share_recycled": ("recycled", "沿用", "#fdb863"),
    "share_own": ("own", "自有", "#80b1d3"),
}
_TEXT = {
    "checks": ("number of checks", "检查项数"),
    "checks_title": ("Accounting checks of the statistical tables", "统计表勾稽检查"),
    "chars": ("characters", "字数"),
    "sections_title": ("Section lengths", "各部分篇幅"),
    "problem_title": ("Problem topics", "问题主题"),
    "measure_title": ("Measure topics", "改进措施主题"),
    "both_title": ("Statement topics", "问题与措施主题"),
    "count": ("statements", "条数"),
    "share": ("share of statements", "占比"),
    "report_id": ("report", "报告"),
    "year": ("year", "年份"),
    "level": ("level", "层级"),
    "boilerplate_lsl": ("boilerplate share (LSL)", "模板化比例 (LSL)"),
    "boilerplate_title": ("Boilerplate share", "模板化比例"),
    "shares_title": ("Where the text comes from (mean shares)", "文本来源(平均比例)"),
    "shares": ("mean share of the text", "平均比例"),
    "similarity_title": ("Report similarity", "报告相似度"),
    "jaccard": ("Jaccard similarity", "Jaccard 相似度"),
    "cosine": ("cosine similarity", "余弦相似度"),
    "edit_sim": ("edit similarity", "编辑相似度"),
    "diff_sim": ("diff similarity", "差异相似度"),
    "stickiness": ("stickiness", "沿用比例"),
    "passages": ("reports sharing the passage", "含该段落的报告数"),
    "passages_title": ("Most widely shared passages", "最常见的共享段落"),
    "agencies": ("agencies", "个机关"),
    "yoy_title": ("Similarity to the agency's previous report", "与本机关上一份报告的相似度"),
    "yoy_x": ("year (compared with the agency's previous report)", "年份(与上一份报告比较)"),
    "median": ("median", "中位数"),
    "no_data": ("no data", "无数据"),
}


def _t(key: str, lang: str) -> str:
    en, zh = _TEXT[key]
    return zh if lang == "zh" else en


def _pick(pair: tuple, lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


# --------------------------------------------------------------------------------------------
# validation


def _check_frame(df: Any, columns: Sequence[str], param: str, caller: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        msg = f"The {param!r} parameter of {caller} must be a pandas DataFrame. Got {type(df).__name__} instead."
        raise InvalidParameterError(msg)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        msg = (f"The {param!r} parameter of {caller} must have the columns {list(columns)}; "
               f"{missing} missing. Got columns {list(df.columns)} instead.")
        raise InvalidParameterError(msg)
    return df


def _check_choice(value: Any, choices: Sequence[Any], param: str, caller: str) -> None:
    if value not in choices:
        msg = f"The {param!r} parameter of {caller} must be one of {list(choices)}. Got {value!r} instead."
        raise InvalidParameterError(msg)


def _check_int(value: Any, param: str, caller: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        msg = f"The {param!r} parameter of {caller} must be an int >= {low}. Got {value!r} instead."
        raise InvalidParameterError(msg)
    return int(value)


def _check_numeric(df: pd.DataFrame, column: str, param: str, caller: str) -> None:
    if column not in df.columns or not pd.api.types.is_numeric_dtype(df[column]):
        numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
        msg = (f"The {param!r} parameter of {caller} must name a numeric column of the frame "
               f"({numeric}). Got {column!r} instead.")
        raise InvalidParameterError(msg)


def _display(ids: Sequence[str], labels: Mapping | pd.Series | None, caller: str) -> list[str]:
    if labels is None:
        return [str(i) for i in ids]
    if not isinstance(labels, (Mapping, pd.Series)):
        msg = (f"The 'labels' parameter of {caller} must be a mapping or Series from report_id to "
               f"label. Got {type(labels).__name__} instead.")
        raise InvalidParameterError(msg)
    out = []
    for i in ids:
        v = labels.get(i)
        out.append(str(i) if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    return out


def _first_seen(values: pd.Series) -> list:
    return list(dict.fromkeys(values.tolist()))


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------------------------
# drawing context


def _pyplot() -> Any:
    import_matplotlib()
    import matplotlib.pyplot as plt

    return plt


@contextlib.contextmanager
def _drawing(ax: Any, figsize: tuple[float, float]) -> Iterator[tuple[Any, CJKFont, list]]:
    """Find the CJK font, create the Axes if needed, and set the font on every text drawn.

    Yields ``(ax, font, extra_axes)``; axes appended to ``extra_axes`` (colour bars,
    dendrograms) get the font too.
    """
    font = find_cjk_font()
    plt = _pyplot()
    extra: list = []
    with plt.rc_context({"font.family": font.families}):
        if ax is None:
            _, ax = plt.subplots(figsize=figsize, layout="constrained")
        yield ax, font, extra
        from matplotlib.text import Text

        for a in (ax, *extra):
            for t in a.findobj(Text):
                t.set_fontfamily(font.families)


def _no_data(ax: Any, lang: str) -> Any:
    ax.text(0.5, 0.5, _t("no_data", lang), ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


# --------------------------------------------------------------------------------------------
# tables and structure


def plot_table_checks(checks: pd.DataFrame, *, labels: Mapping | pd.Series | None = None, lang: str = "en",
                      ax: Any = None) -> Any:
    """Accounting checks per report, stacked by status (pass, fail, not assessable).

    Parameters
    ----------
    checks : DataFrame
        From :func:`govtext.tables.check_tables` (uses ``report_id`` and ``status``).
    labels : mapping or Series, optional
        Display name per ``report_id`` (e.g. ``reports.set_index("report_id")["agency"]``).
    lang : {"en", "zh"}, default "en"
        Language of the fixed labels.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per report (first report on top), one bar container per status;
        reports with a failed check have the number of failures written at the bar's end.

    Examples
    --------
    >>> import pandas as pd
    >>> checks = pd.DataFrame({"report_id": ["a", "a", "b"], "status": ["pass", "fail", "pass"]})
    >>> ax = plot_table_checks(checks)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['a', 'b']
    """
    caller = "plot_table_checks"
    _check_frame(checks, ["report_id", "status"], "checks", caller)
    _check_choice(lang, _LANGS, "lang", caller)
    unknown = sorted(set(checks["status"]) - set(_STATUS))
    if unknown:
        msg = f"The 'checks' parameter of {caller} has unknown statuses {unknown}; expected {list(_STATUS)}."
        raise InvalidParameterError(msg)
    ids = _first_seen(checks["report_id"])
    counts = (checks.groupby(["report_id", "status"]).size().unstack(fill_value=0)
              .reindex(index=ids, columns=list(_STATUS), fill_value=0))
    with _drawing(ax, (7, 0.45 * len(ids) + 1.5)) as (ax, _font, _extra):
        if not ids:
            return _no_data(ax, lang)
        y = np.arange(len(ids))
        left = np.zeros(len(ids))
        for status, (en, zh, color) in _STATUS.items():
            vals = counts[status].to_numpy(dtype=float)
            ax.barh(y, vals, left=left, color=color, label=zh if lang == "zh" else en)
            left += vals
        for yi, (n_fail, total) in enumerate(zip(counts["fail"], left)):
            if n_fail:
                ax.text(total, yi, f" {int(n_fail)} {_pick(_STATUS['fail'][:2], lang)}", va="center",
                        color=_STATUS["fail"][2])
        ax.set_yticks(y, labels=_display(ids, labels, caller))
        ax.invert_yaxis()
        ax.set_xlabel(_t("checks", lang))
        ax.set_title(_t("checks_title", lang))
        ax.legend(loc="lower right", fontsize="small")
    return ax


_SECTION_ORDER = list(_SECTION_NAMES)


def plot_sections(sections: pd.DataFrame, *, level: int = 1, labels: Mapping | pd.Series | None = None,
                  lang: str = "en", ax: Any = None) -> Any:
    """Length of each section (in characters) by canonical key, one stacked bar per report.

    Parameters
    ----------
    sections : DataFrame
        From :func:`govtext.sections.sections_frame` (uses ``report_id``, ``key``, ``level``,
        ``start``, ``end``).
    level : int, default 1
        Section depth to draw (1: top-level sections, which tile the text).
    labels : mapping or Series, optional
        Display name per ``report_id``.
    lang : {"en", "zh"}, default "en"
        Language of the section names.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per key present (canonical order: preamble, overview, proactive,
        ...), each with one bar per report (reports in the frame's order, first on top).

    Examples
    --------
    >>> import pandas as pd
    >>> sec = pd.DataFrame({"report_id": ["a", "a", "b"], "key": ["preamble", "problems", "problems"],
    ...                     "level": [1, 1, 1], "start": [0, 10, 0], "end": [10, 50, 30]})
    >>> ax = plot_sections(sec)
    >>> [len(c) for c in ax.containers], [t.get_text() for t in ax.get_legend().get_texts()]
    ([2, 2], ['preamble', 'problems'])
    """
    caller = "plot_sections"
    _check_frame(sections, ["report_id", "key", "level", "start", "end"], "sections", caller)
    level = _check_int(level, "level", caller)
    _check_choice(lang, _LANGS, "lang", caller)
    ids = _first_seen(sections["report_id"])
    part = sections.loc[sections["level"] == level]
    lengths = (part.assign(length=part["end"] - part["start"])
               .groupby(["report_id", "key"])["length"].sum().unstack(fill_value=0))
    present = set(lengths.columns)
    keys = [k for k in _SECTION_ORDER if k in present] + sorted(present - set(_SECTION_ORDER))
    lengths = lengths.reindex(index=ids, columns=keys, fill_value=0)
    with _drawing(ax, (8, 0.45 * len(ids) + 1.8)) as (ax, _font, _extra):
        if not ids or not keys:
            return _no_data(ax, lang)
        cmap = _pyplot().get_cmap("tab20")
        y = np.arange(len(ids))
        left = np.zeros(len(ids))
        for k in keys:
            vals = lengths[k].to_numpy(dtype=float)
            color = cmap(_SECTION_ORDER.index(k) % 20 if k in _SECTION_NAMES else (len(_SECTION_ORDER) + keys.index(k)) % 20)
            name = _pick(_SECTION_NAMES[k], lang) if k in _SECTION_NAMES else k
            ax.barh(y, vals, left=left, color=color, label=name)
            left += vals
        ax.set_yticks(y, labels=_display(ids, labels, caller))
        ax.invert_yaxis()
        ax.set_xlabel(_t("chars", lang))
        ax.set_title(_t("sections_title", lang))
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=False)
    return ax


def plot_problem_topics(statements: pd.DataFrame, *, by: str = "report_id", kind: str | None = "problem",
                        normalize: bool = False, reports: pd.DataFrame | None = None,
                        labels: Mapping | pd.Series | None = None, lang: str = "en", ax: Any = None) -> Any:
    """Heatmap of statement topics (rows) by report or year (columns), counts in the cells.

    Parameters
    ----------
    statements : DataFrame
        From ``govtext.statements.extract_statements`` (columns ``report_id``, ``kind``,
        ``topic``, ...; see :func:`govtext.topics.topic_table`).
    by : str, default "report_id"
        Column to group by: ``report_id``, ``year``, ``level``, ... A column not in
        ``statements`` is taken from ``reports`` (merged on ``report_id``).
    kind : {"problem", "measure"} or None, default "problem"
        Which statements (None: both).
    normalize : bool, default False
        Show each topic's share of the group's statements instead of counts.
    reports : DataFrame, optional
        One row per report with ``report_id`` and the ``by`` column (``result.tables["reports"]``
        or ``corpus.to_frame()``).
    labels : mapping or Series, optional
        Display name per ``report_id`` (when ``by="report_id"``).
    lang : {"en", "zh"}, default "en"
        Topic names in English or Chinese (the lexicon's ``label`` / ``label_zh``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The heatmap: rows are the topics that occur (lexicon order), columns the groups
        (sorted); every cell is annotated.

    Examples
    --------
    >>> import pandas as pd
    >>> st = pd.DataFrame({"report_id": ["a", "a", "b"], "kind": "problem",
    ...                    "topic": ["timeliness", "capacity", "timeliness"]})
    >>> ax = plot_problem_topics(st, lang="zh")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['及时性', '队伍能力与培训']
    """
    from govtext.topics import load_lexicon, topic_table

    caller = "plot_problem_topics"
    _check_frame(statements, ["report_id", "topic"] + (["kind"] if kind is not None else []), "statements", caller)
    _check_choice(lang, _LANGS, "lang", caller)
    _check_choice(kind, ("problem", "measure", None), "kind", caller)
    if not isinstance(normalize, bool):
        msg = f"The 'normalize' parameter of {caller} must be a bool. Got {normalize!r} instead."
        raise InvalidParameterError(msg)
    frame = statements
    if by not in frame.columns:
        if reports is None:
            msg = (f"The 'by' parameter of {caller} names a column that 'statements' lacks ({by!r}); "
                   "pass 'reports' (one row per report with report_id and that column) to take it from there.")
            raise InvalidParameterError(msg)
        _check_frame(reports, ["report_id", by], "reports", caller)
        frame = frame.merge(reports[["report_id", by]].drop_duplicates("report_id"), on="report_id", how="left")
        frame = frame.loc[frame[by].notna()]
    lex = load_lexicon()
    table = topic_table(frame, by=by, kind=kind, lexicon=lex)
    totals = table.pop("total")
    table = table.loc[:, table.sum(axis=0) > 0]
    topic_names = {t.key: (t.label, t.label_zh or t.label) for t in lex.topics}
    topic_names.setdefault(lex.fallback, ("other", "其他"))
    values = table.to_numpy(dtype=float).T  # topics x groups
    if normalize and values.size:
        values = values / np.maximum(totals.to_numpy(dtype=float), 1)[None, :]
    title = {"problem": "problem_title", "measure": "measure_title", None: "both_title"}[kind]
    groups = list(table.index)
    with _drawing(ax, (0.6 * len(groups) + 3.5, 0.4 * table.shape[1] + 1.8)) as (ax, _font, extra):
        if values.size == 0:
            return _no_data(ax, lang)
        im = ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=max(float(values.max()), 1e-9))
        vmax = float(values.max())
        for (i, j), v in np.ndenumerate(values):
            text = f"{v:.0%}" if normalize else f"{int(v)}"
            ax.text(j, i, text, ha="center", va="center", fontsize="small",
                    color="white" if v > 0.6 * vmax else "black")
        xt = _display(groups, labels, caller) if by == "report_id" else [_fmt_group(g) for g in groups]
        ax.set_xticks(np.arange(len(groups)), labels=xt, rotation=45 if by == "report_id" else 0,
                      ha="right" if by == "report_id" else "center")
        ax.set_yticks(np.arange(table.shape[1]),
                      labels=[_pick(topic_names.get(k, (k, k)), lang) for k in table.columns])
        ax.set_xlabel(_t(by, lang) if by in _TEXT else by)
        ax.set_title(_t(title, lang))
        cbar = ax.figure.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        cbar.set_label(_t("share" if normalize else "count", lang))
        if not normalize:
            from matplotlib.ticker import MaxNLocator

            cbar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        extra.append(cbar.ax)
    return ax


def _fmt_group(g: Any) -> str:
    if isinstance(g, (float, np.floating)) and float(g).is_integer():
        return str(int(g))
    return str(g)


# --------------------------------------------------------------------------------------------
# reuse


def _square(similarity: pd.DataFrame, measure: str, ids: list[str]) -> np.ndarray:
    pos = {r: i for i, r in enumerate(ids)}
    n = len(ids)
    s = np.zeros((n, n))
    a = similarity["report_a"].map(pos).to_numpy()
    b = similarity["report_b"].map(pos).to_numpy()
    v = similarity[measure].to_numpy(dtype=float)
    ok = ~np.isnan(v)
    s[a[ok], b[ok]] = v[ok]
    s[b[ok], a[ok]] = v[ok]
    np.fill_diagonal(s, 1.0)
    return s


def _linkage(s: np.ndarray, fam_codes: np.ndarray | None, method: str) -> np.ndarray:
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    d = np.clip(1.0 - s, 0.0, 1.0)
    if fam_codes is not None:
        # reports of different families are further apart than any two of the same family, so
        # every family is merged (is a subtree) before families are joined
        d = d + (fam_codes[:, None] != fam_codes[None, :])
    np.fill_diagonal(d, 0.0)
    return linkage(squareform(d, checks=False), method=method, optimal_ordering=True)


def plot_similarity(similarity: pd.DataFrame, families: pd.DataFrame | None = None, *, measure: str = "cosine",
                    method: str = "average", labels: Mapping | pd.Series | None = None, lang: str = "en",
                    cmap: str = "viridis", ax: Any = None) -> Any:
    """Report × report similarity heatmap, ordered by template family, with its dendrogram.

    Parameters
    ----------
    similarity : DataFrame
        One row per report pair: ``report_a``, ``report_b`` and the ``measure`` column
        (``jaccard``, ``cosine``; values in [0, 1]), e.g. ``ReuseDetector.similarity_``. Pairs not listed count as 0 (detectors
        list only candidate pairs); a report's similarity to itself is 1.
    families : DataFrame, optional
        ``report_id``, ``family``: the template family of each report. Reports of one family
        are kept together (each family is a subtree of the dendrogram, families joined above
        them) and a colour strip above the heatmap marks the families of two or more reports;
        reports without a family are families of their own. Without it, the order is the plain
        dendrogram's.
    measure : str, default "cosine"
        The similarity column to draw and cluster (``cosine``: the measure
        :class:`govtext.reuse.ReuseDetector` cuts its template families from, so the families
        are subtrees of the dendrogram; or ``jaccard``).
    method : {"average", "complete", "single", "weighted"}, default "average"
        Linkage of :func:`scipy.cluster.hierarchy.linkage` on ``1 - similarity``.
    labels : mapping or Series, optional
        Display name per ``report_id`` (tick labels are drawn for up to 60 reports).
    lang : {"en", "zh"}, default "en"
    cmap : str, default "viridis"
    ax : matplotlib Axes, optional
        The heatmap's Axes; the dendrogram, the family strip and the colour bar are appended
        beside it.

    Returns
    -------
    matplotlib.axes.Axes
        The heatmap (an ``n × n`` image, rows and columns in dendrogram order).

    Examples
    --------
    >>> import pandas as pd
    >>> sim = pd.DataFrame({"report_a": ["a", "a", "b"], "report_b": ["b", "c", "c"],
    ...                     "jaccard": [0.9, 0.1, 0.2], "cosine": [0.95, 0.3, 0.3]})
    >>> fam = pd.DataFrame({"report_id": ["a", "b", "c"], "family": ["F1", "F1", "F2"]})
    >>> ax = plot_similarity(sim, fam)
    >>> ax.images[0].get_array().shape
    (3, 3)
    >>> labels = [t.get_text() for t in ax.get_yticklabels()]
    >>> abs(labels.index("a") - labels.index("b"))  # family F1 side by side
    1
    """
    caller = "plot_similarity"
    _check_frame(similarity, ["report_a", "report_b"], "similarity", caller)
    _check_numeric(similarity, measure, "measure", caller)
    _check_choice(method, ("average", "complete", "single", "weighted"), "method", caller)
    _check_choice(lang, _LANGS, "lang", caller)
    vals = similarity[measure].dropna()
    if len(vals) and (vals.min() < 0 or vals.max() > 1):
        msg = f"The {measure!r} column of 'similarity' in {caller} must be in [0, 1]; got values in [{vals.min()}, {vals.max()}]."
        raise InvalidParameterError(msg)
    ids = set(similarity["report_a"].astype(str)) | set(similarity["report_b"].astype(str))
    fam_of: dict[str, str] = {}
    if families is not None:
        _check_frame(families, ["report_id", "family"], "families", caller)
        fam_of = {str(r): str(f) for r, f in zip(families["report_id"], families["family"]) if pd.notna(f)}
        ids |= set(families["report_id"].astype(str))
    ids_sorted = sorted(ids)
    sim = similarity.assign(report_a=similarity["report_a"].astype(str), report_b=similarity["report_b"].astype(str))
    s = _square(sim, measure, ids_sorted)
    n = len(ids_sorted)
    fam_names = [fam_of.get(r, f"\0{r}") for r in ids_sorted]  # no family: a family of its own
    fam_codes = None
    if families is not None:
        _, fam_codes = np.unique(np.array(fam_names, dtype=object).astype(str), return_inverse=True)
    grouped = fam_codes is not None and len(set(fam_codes.tolist())) < n  # some family has 2+ reports
    own_figure = ax is None
    with _drawing(ax, (8, 8)) as (ax, font, extra):
        if n == 0:
            return _no_data(ax, lang)
        from scipy.cluster.hierarchy import dendrogram

        strip_h = 0.035 if grouped else 0.0
        if n >= 2:
            z = _linkage(s, fam_codes, method)
            dax = ax.inset_axes([0, 1.01 + strip_h, 1, 0.2])
            tree = dendrogram(z, ax=dax, no_labels=True, link_color_func=lambda _k: "0.25")
            order = [int(i) for i in tree["leaves"]]
            dax.set_xlim(0, 10 * n)
            dax.set_axis_off()
            extra.append(dax)
        else:
            order = [0]
        m = s[np.ix_(order, order)]
        im = ax.imshow(m, cmap=cmap, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
        if grouped:
            strip = fam_codes[order]
            fax = ax.inset_axes([0, 1.005, 1, strip_h])
            fax.imshow(strip[None, :] % 20, aspect="auto", cmap="tab20", vmin=0, vmax=19,
                       interpolation="nearest", extent=(-0.5, n - 0.5, 0, 1))
            fax.set_axis_off()
            extra.append(fax)
            runs = [0] + [i + 1 for i in range(n - 1) if strip[i] != strip[i + 1]] + [n]
            for a, b in zip(runs[:-1], runs[1:]):
                if b - a >= 2 or len(runs) <= 21:  # name families (all of them when few)
                    name = fam_names[order[a]]
                    if not name.startswith("\0"):
                        fax.text((a + b - 1) / 2, 0.5, _clip(name, max(2, 2 * (b - a))), ha="center",
                                 va="center", fontsize="x-small")
            sizes = {a: b - a for a, b in zip(runs[:-1], runs[1:])}
            for a, b in zip(runs[1:-1], runs[:-2]):  # a boundary next to a family of 2+ reports
                if sizes[a] > 1 or sizes[b] > 1:
                    ax.axhline(a - 0.5, color="white", lw=1)
                    ax.axvline(a - 0.5, color="white", lw=1)
        names = _display([ids_sorted[i] for i in order], labels, caller)
        if n <= 60:
            size = "small" if n > 20 else None
            ax.set_yticks(np.arange(n), labels=names, fontsize=size)
            ax.set_xticks(np.arange(n), labels=names, rotation=90, fontsize=size)
        else:
            ax.set_xticks([])
            ax.set_yticks([])
        cbar = ax.figure.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        cbar.set_label(_t(measure, lang) if measure in _TEXT else measure)
        extra.append(cbar.ax)
        if own_figure:
            ax.figure.suptitle(_t("similarity_title", lang), fontfamily=font.families)
        else:
            (extra[0] if extra else ax).set_title(_t("similarity_title", lang))
    return ax


def _group_order(values: pd.Series, by: str) -> list:
    present = list(dict.fromkeys(v for v in values.tolist() if pd.notna(v)))
    if by == "level":
        canon = [k for k in _LEVELS if k in present]
        return canon + sorted((v for v in present if v not in _LEVELS), key=str)
    return sorted(present, key=lambda v: (not isinstance(v, (int, float, np.number)), v if isinstance(v, (int, float, np.number)) else str(v)))


def _group_label(v: Any, by: str, lang: str) -> str:
    if by == "level" and v in _LEVELS:
        return _pick(_LEVELS[v], lang)
    return _fmt_group(v)


def plot_boilerplate(report_scores: pd.DataFrame, *, by: str = "year", measure: str = "boilerplate_lsl",
                     lang: str = "en", ax: Any = None) -> Any:
    """Distribution of boilerplate by year or by administrative level.

    Parameters
    ----------
    report_scores : DataFrame
        One row per report with ``report_id``, ``year``, ``level`` and the measures
        (``boilerplate_lsl``, ``share_template``, ``share_copied``, ``share_recycled``,
        ``share_own``).
    by : {"year", "level"}, default "year"
        Grouping; levels in administrative order (central … township, department, other).
        Reports without a value are left out.
    measure : str, default "boilerplate_lsl"
        A numeric column: one box (quartiles, whiskers at 1.5 IQR) per group with every
        report as a dot. ``"shares"`` instead stacks the mean ``share_template``,
        ``share_copied``, ``share_recycled`` and ``share_own`` per group.
    lang : {"en", "zh"}, default "en"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One box (or stacked bar) per group; tick labels give the group and its number of
        reports.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"report_id": list("abcd"), "year": [2013, 2013, 2023, 2023],
    ...                        "level": ["township", "county", "township", "township"],
    ...                        "boilerplate_lsl": [0.5, 0.7, 0.2, 0.4]})
    >>> ax = plot_boilerplate(scores, by="level", lang="zh")
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['县区级\\n(n=1)', '乡镇街道\\n(n=3)']
    """
    caller = "plot_boilerplate"
    _check_choice(by, ("year", "level"), "by", caller)
    _check_choice(lang, _LANGS, "lang", caller)
    _check_frame(report_scores, ["report_id", by], "report_scores", caller)
    shares = measure == "shares"
    if shares:
        _check_frame(report_scores, ["report_id", by, *_SHARES], "report_scores", caller)
    else:
        _check_numeric(report_scores, measure, "measure", caller)
    df = report_scores.loc[report_scores[by].notna()]
    groups = _group_order(df[by], by)
    with _drawing(ax, (max(4.0, 0.8 * len(groups) + 2.5), 4.5)) as (ax, _font, _extra):
        if not groups:
            return _no_data(ax, lang)
        x = np.arange(len(groups))
        sizes = [int((df[by] == g).sum()) for g in groups]
        if shares:
            means = df.groupby(by)[list(_SHARES)].mean().reindex(groups)
            bottom = np.zeros(len(groups))
            for col, (en, zh, color) in _SHARES.items():
                v = means[col].fillna(0).to_numpy(dtype=float)
                ax.bar(x, v, bottom=bottom, color=color, label=zh if lang == "zh" else en, width=0.7)
                bottom += v
            ax.set_ylabel(_t("shares", lang))
            ax.set_title(_t("shares_title", lang))
            handles, names = ax.get_legend_handles_labels()  # legend top-down as the stack
            ax.legend(handles[::-1], names[::-1], loc="center left", bbox_to_anchor=(1.01, 0.5),
                      fontsize="small", frameon=False)
        else:
            data = [df.loc[df[by] == g, measure].dropna().to_numpy(dtype=float) for g in groups]
            ax.boxplot(data, positions=x, widths=0.6, patch_artist=True, showfliers=False,
                       boxprops={"facecolor": "#dbe9f6", "edgecolor": "0.3"}, medianprops={"color": "#c8423b"})
            rng = np.random.default_rng(0)
            for xi, d in zip(x, data):
                ax.scatter(xi + rng.uniform(-0.15, 0.15, len(d)), d, s=10, color="0.2", alpha=0.6, zorder=3)
            ax.set_ylabel(_t(measure, lang) if measure in _TEXT else measure)
            ax.set_title(_t("boilerplate_title", lang))
        ax.set_xticks(x, labels=[f"{_group_label(g, by, lang)}\n(n={k})" for g, k in zip(groups, sizes)])
        ax.set_xlim(-0.6, len(groups) - 0.4)
        ax.set_xlabel(_t(by, lang))
    return ax


def plot_shared_passages(clusters: pd.DataFrame, *, top: int = 20, width: int = 28, lang: str = "en",
                         ax: Any = None) -> Any:
    """The most widely shared passages with the number of reports that contain them.

    Parameters
    ----------
    clusters : DataFrame
        One row per cluster of copies of a passage: ``cluster_id``, ``size`` (passages),
        ``n_reports``, ``n_agencies``, ``exemplar`` (the passage's text).
    top : int, default 20
        Number of clusters drawn: the largest by ``n_reports``, then ``size``, then
        ``cluster_id``.
    width : int, default 28
        Characters of the exemplar shown as the bar's label (longer ones end in ``…``).
    lang : {"en", "zh"}, default "en"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per cluster (most widely shared on top), labelled with the start of
        its exemplar and annotated with ``n_reports`` (and ``n_agencies`` when given).

    Examples
    --------
    >>> import pandas as pd
    >>> cl = pd.DataFrame({"cluster_id": [0, 1], "size": [9, 3], "n_reports": [8, 3], "n_agencies": [8, 2],
    ...                    "exemplar": ["依据《中华人民共和国政府信息公开条例》要求", "本报告电子版可在门户网站下载"]})
    >>> ax = plot_shared_passages(cl, width=10)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['依据《中华人民共和…', '本报告电子版可在门…']
    """
    caller = "plot_shared_passages"
    _check_frame(clusters, ["cluster_id", "n_reports", "exemplar"], "clusters", caller)
    top = _check_int(top, "top", caller)
    width = _check_int(width, "width", caller, low=2)
    _check_choice(lang, _LANGS, "lang", caller)
    sort_cols = ["n_reports"] + (["size"] if "size" in clusters.columns else []) + ["cluster_id"]
    head = clusters.sort_values(sort_cols, ascending=[False] * (len(sort_cols) - 1) + [True],
                                kind="mergesort").head(top)
    with _drawing(ax, (8, 0.38 * len(head) + 1.5)) as (ax, _font, _extra):
        if head.empty:
            return _no_data(ax, lang)
        y = np.arange(len(head))
        n_rep = head["n_reports"].to_numpy(dtype=float)
        ax.barh(y, n_rep, color="#5b8db8")
        has_agencies = "n_agencies" in head.columns
        for yi, row in enumerate(head.itertuples(index=False)):
            note = f" {int(row.n_reports)}"
            if has_agencies and pd.notna(row.n_agencies):
                note += f" ({int(row.n_agencies)} {_t('agencies', lang)})"
            ax.text(row.n_reports, yi, note, va="center", fontsize="small")
        ax.set_yticks(y, labels=[_clip(t, width) for t in head["exemplar"]])
        ax.invert_yaxis()
        ax.set_xlim(0, float(n_rep.max()) * 1.3)
        ax.set_xlabel(_t("passages", lang))
        ax.set_title(_t("passages_title", lang))
    return ax


def plot_year_over_year(yoy: pd.DataFrame, *, measure: str = "cosine", max_legend: int = 10, lang: str = "en",
                        ax: Any = None) -> Any:
    """Similarity of each agency's report to its previous one, by year, with the median.

    Parameters
    ----------
    yoy : DataFrame
        One row per agency and pair of consecutive reports: ``agency``, ``year_from``,
        ``year_to`` and the measures (``cosine``, ``jaccard``, ``edit_sim``, ``diff_sim``,
        ``stickiness``).
    measure : str, default "cosine"
        The numeric column to draw.
    max_legend : int, default 10
        With at most this many agencies each has a coloured line in the legend; with more, the
        agency lines are thin and grey and only the median is labelled.
    lang : {"en", "zh"}, default "en"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One line per agency (sorted by name) and a last, thick line: the median over agencies
        per ``year_to``.

    Examples
    --------
    >>> import pandas as pd
    >>> yoy = pd.DataFrame({"agency": ["甲镇人民政府"] * 2 + ["乙镇人民政府"] * 2,
    ...                     "year_from": [2021, 2022] * 2, "year_to": [2022, 2023] * 2,
    ...                     "cosine": [0.9, 0.95, 0.5, 0.6]})
    >>> ax = plot_year_over_year(yoy)
    >>> len(ax.lines), [t.get_text() for t in ax.get_legend().get_texts()]
    (3, ['乙镇人民政府', '甲镇人民政府', 'median'])
    """
    caller = "plot_year_over_year"
    _check_frame(yoy, ["agency", "year_to"], "yoy", caller)
    _check_numeric(yoy, measure, "measure", caller)
    max_legend = _check_int(max_legend, "max_legend", caller, low=0)
    _check_choice(lang, _LANGS, "lang", caller)
    df = yoy.loc[yoy["year_to"].notna() & yoy[measure].notna()]
    agencies = sorted(set(df["agency"].astype(str)))
    years = sorted(set(df["year_to"].tolist()))
    with _drawing(ax, (7, 4.5)) as (ax, _font, _extra):
        if df.empty:
            return _no_data(ax, lang)
        legend = len(agencies) <= max_legend
        for name in agencies:
            part = df.loc[df["agency"].astype(str) == name].sort_values("year_to", kind="mergesort")
            if legend:
                ax.plot(part["year_to"], part[measure], marker="o", ms=4, lw=1.2, label=name)
            else:
                ax.plot(part["year_to"], part[measure], color="0.6", lw=0.6, alpha=0.6)
        med = df.groupby("year_to")[measure].median().reindex(years)
        ax.plot(med.index, med.to_numpy(dtype=float), color="black", lw=2.5, marker="s", label=_t("median", lang))
        ax.set_xticks(years, labels=[_fmt_group(y) for y in years])
        if df[measure].between(0, 1).all():
            ax.set_ylim(0, 1.02)
        ax.set_xlabel(_t("yoy_x", lang))
        ax.set_ylabel(_t(measure, lang) if measure in _TEXT else measure)
        ax.set_title(_t("yoy_title", lang))
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=False)
    return ax


# --------------------------------------------------------------------------------------------
# your own figures


def use_cjk_font() -> CJKFont:
    """Make a CJK font matplotlib's default sans-serif font, so Chinese labels render.

    The ``plot_*`` functions do not need this (they set the font on what they draw); call it
    before drawing your own figures with Chinese text. It changes ``matplotlib.rcParams``
    (``font.family`` and ``font.sans-serif``) for the rest of the session.

    Returns
    -------
    CJKFont
        The font found by :func:`govtext._fonts.find_cjk_font`.

    Raises
    ------
    MissingDependencyError
        If no CJK font is installed (the message says how to get one).
    """
    font = find_cjk_font()
    matplotlib = import_matplotlib()
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f != font.name]
    matplotlib.rcParams["font.sans-serif"] = [font.name, *rest]
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    return font


# --------------------------------------------------------------------------------------------
# all figures of an analysis

_SHARE_COLS = tuple(_SHARES)

#: Figures :func:`save_figures` draws: file stem -> (tables, function, keyword arguments,
#: columns needed). The tables are passed in order (``reports`` as the ``reports=`` keyword); a
#: figure is drawn when all its tables are present, not empty and have the columns needed.
FIGURES: dict[str, tuple[tuple[str, ...], Any, dict[str, Any], dict[str, tuple[str, ...]]]] = {
    "table_checks": (("table_checks",), plot_table_checks, {}, {}),
    "sections": (("sections",), plot_sections, {}, {}),
    "problem_topics_by_report": (("statements",), plot_problem_topics, {"by": "report_id"}, {}),
    "problem_topics_by_year": (("statements", "reports"), plot_problem_topics, {"by": "year"},
                               {"reports": ("report_id", "year")}),
    "similarity": (("similarity", "families"), plot_similarity, {}, {"similarity": ("cosine",)}),
    "boilerplate_by_year": (("report_scores",), plot_boilerplate, {"by": "year"},
                            {"report_scores": ("year", "boilerplate_lsl")}),
    "boilerplate_by_level": (("report_scores",), plot_boilerplate, {"by": "level"},
                             {"report_scores": ("level", "boilerplate_lsl")}),
    "reuse_shares_by_year": (("report_scores",), plot_boilerplate, {"by": "year", "measure": "shares"},
                             {"report_scores": ("year", *_SHARE_COLS)}),
    "reuse_shares_by_level": (("report_scores",), plot_boilerplate, {"by": "level", "measure": "shares"},
                              {"report_scores": ("level", *_SHARE_COLS)}),
    "shared_passages": (("clusters",), plot_shared_passages, {}, {}),
    "year_over_year": (("yoy",), plot_year_over_year, {}, {}),
}


def save_figures(tables: Mapping[str, pd.DataFrame], out: str | os.PathLike, *, lang: str = "en",
                 dpi: int = 150) -> list[str]:
    """Draw every figure of :data:`FIGURES` whose tables are present and write it as PNG.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        E.g. :attr:`govtext.pipeline.AnalysisResult.tables`. Figures whose tables are missing,
        empty or lack a column the figure needs are not drawn.
    out : path
        Directory (created when a figure is drawn) for the ``<name>.png`` files.
    lang : {"en", "zh"}, default "en"
    dpi : int, default 150

    Returns
    -------
    list of str
        Names of the files written, sorted.

    Raises
    ------
    MissingDependencyError
        If matplotlib or a CJK font is missing (and some figure has its tables).
    """
    caller = "save_figures"
    _check_choice(lang, _LANGS, "lang", caller)
    dpi = _check_int(dpi, "dpi", caller)

    def ready(need: tuple[str, ...], cols: dict[str, tuple[str, ...]]) -> bool:
        # every table present and not empty, with the columns needed, and every numeric column
        # needed has a value (no figure of an all-NaN measure)
        if not all(isinstance(tables.get(n), pd.DataFrame) and len(tables[n]) for n in need):
            return False
        if not all(set(c) <= set(tables[t].columns) for t, c in cols.items()):
            return False
        return all(not pd.api.types.is_float_dtype(tables[t][c]) or tables[t][c].notna().any()
                   for t, cs in cols.items() for c in cs)

    todo = [(stem, need, fn, kw) for stem, (need, fn, kw, cols) in FIGURES.items() if ready(need, cols)]
    if not todo:
        return []
    plt = _pyplot()
    find_cjk_font()  # fail before creating anything
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, need, fn, kw in todo:
        args = [tables[n] for n in need if n != "reports"]
        extra = {"reports": tables["reports"]} if "reports" in need else {}
        ax = fn(*args, lang=lang, **kw, **extra)
        ax.figure.savefig(out / f"{stem}.png", dpi=dpi, metadata={"Software": None})
        plt.close(ax.figure)
        written.append(f"{stem}.png")
        logger.info("figure %s written", stem)
    return sorted(written)
