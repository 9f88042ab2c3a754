"""A browsable view of template reuse: :func:`write_reuse_view`.

The view is a static, self-contained HTML site (no server, no network, no CDN: inline CSS and
JavaScript only) that opens from the file system:

* ``index.html`` lists the reports with their label shares, boilerplate and template family
  (click a column heading to sort);
* ``reports/<name>.html``, one page per report, shows the report's text with every unit
  highlighted by its label (``template``, ``copied``, ``recycled``, ``own``) and the aligned
  passages it shares with other reports underlined. Clicking a passage opens a side-by-side
  panel with the other reports that share it, the matching span highlighted in its context,
  and a link to that report's page.

The pages are safe to open whatever the reports contain: every piece of text and metadata is
escaped (:func:`html.escape`), the data the script needs travels in a
``<script type="application/json">`` block with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped,
the script builds the panel with ``textContent`` only (never ``innerHTML``) and binds its
handlers with ``addEventListener`` (no inline ``on…=`` attribute), and a Content-Security-Policy
allows no network access and no script but the page's own (by its SHA-256, computed when the
page is written). File names come from report ids through :func:`page_name` (a slug plus a
hash), so no id can write outside the output directory.

The output is deterministic: the same tables and corpus give byte-identical files.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from govtext.exceptions import InputError, InvalidParameterError, NotFittedError

__all__ = ["REQUIRED_TABLES", "VIEW_LABELS", "page_name", "write_reuse_view"]

logger = logging.getLogger(__name__)

#: Labels highlighted in the view, in the order of the legend.
VIEW_LABELS = ("template", "copied", "recycled", "own")
#: Tables the view needs (the reuse tables of :func:`govtext.pipeline.analyze`, or the
#: attributes of a fitted :class:`govtext.ReuseDetector` without the trailing ``_``), with the
#: columns it reads. ``families`` is optional.
REQUIRED_TABLES = {
    "units": ("report_id", "start", "end", "label"),
    "passages": ("report_a", "a_start", "a_end", "report_b", "b_start", "b_end", "label", "score"),
    "report_scores": ("report_id",),
}
_OPTIONAL_TABLES = {"families": ("report_id", "family")}
_PRECEDENCE = {"template": 0, "recycled": 1, "copied": 2, "own": 3}
_DESCRIBE = {
    "template": "template: wording most reports of the cohort share",
    "copied": "copied: shared with a related report of another agency",
    "recycled": "recycled: re-used from the agency's earlier report",
    "own": "own: found in no related report",
}
_SLUG_BAD = re.compile(r"[^A-Za-z0-9_-]+")
_SLUG_MAX = 40
_DIGEST_CHARS = 12
# The names page_name gives (what a view may remove from its reports/ directory).
_PAGE_NAME_RE = re.compile(rf"[A-Za-z0-9_-]{{1,{_SLUG_MAX}}}-[0-9a-f]{{{_DIGEST_CHARS}}}\.html")
_NUM_CLASS = ' class="n"'


# --------------------------------------------------------------------------------------------
# the stylesheet and the script (one script for every page, so one CSP hash)

_CSS = """\
:root{--template:#c9d8ff;--copied:#ffc9c9;--recycled:#ffe3a3;--own:#e3f2e1;--ink:#1d1d1f;
--muted:#5f6368;--line:#d6d6d6;--accent:#8a1c1c}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.6 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",
"WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;color:var(--ink);background:#fafafa}
header{padding:12px 20px;border-bottom:1px solid var(--line);background:#fff}
header h1{font-size:20px;margin:4px 0}
nav a,a{color:#1a4fa0}
.meta{color:var(--muted);margin:2px 0;font-size:13px}
.meta span{margin-right:14px}
.legend{display:flex;flex-wrap:wrap;gap:8px 16px;margin:8px 0 2px;font-size:13px}
.legend .key{display:inline-block;width:14px;height:14px;border:1px solid var(--line);
vertical-align:-2px;margin-right:4px}
.key.l-template{background:var(--template)}.key.l-copied{background:var(--copied)}
.key.l-recycled{background:var(--recycled)}.key.l-own{background:var(--own)}
.key.p{background:#fff;border:0;border-bottom:3px solid var(--accent)}
main{display:flex;gap:16px;padding:16px 20px;align-items:flex-start}
#text{flex:1 1 60%;min-width:0;white-space:pre-wrap;word-break:break-word;background:#fff;
border:1px solid var(--line);padding:16px;margin:0;font:inherit}
.u.l-template{background:var(--template)}.u.l-copied{background:var(--copied)}
.u.l-recycled{background:var(--recycled)}.u.l-own{background:var(--own)}
.u.l-heading{font-weight:600}
mark.p{background:transparent;color:inherit;border-bottom:3px solid var(--accent);cursor:pointer}
mark.p:hover,mark.p:focus{outline:2px solid var(--accent);outline-offset:0}
mark.p.active{background:#ffeb3b}
#panel{flex:1 1 40%;min-width:0;position:sticky;top:8px;max-height:calc(100vh - 16px);
overflow:auto;background:#fff;border:1px solid var(--line);padding:12px 16px}
#panel h2{font-size:16px;margin:0 0 8px}
.card{border-top:1px solid var(--line);padding:8px 0}
.card h3{font-size:14px;margin:0 0 6px}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:10px}
.side h4{font-size:12px;color:var(--muted);margin:0 0 4px;font-weight:600}
.ctx{white-space:pre-wrap;word-break:break-word;font-size:13px;background:#f6f6f6;padding:6px}
.ctx mark.hit{background:#ffeb3b}
table{border-collapse:collapse;background:#fff;font-size:13px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
th button{font:inherit;font-weight:600;border:0;background:none;cursor:pointer;padding:0}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
.bar{display:inline-flex;width:120px;height:10px;border:1px solid var(--line);vertical-align:middle}
.bar span{display:block;height:100%}
.bar .l-template{background:var(--template)}.bar .l-copied{background:var(--copied)}
.bar .l-recycled{background:var(--recycled)}.bar .l-own{background:var(--own)}
section.below{padding:0 20px 20px}
.wrap{padding:16px 20px}
button.open-p{font:inherit;font-size:12px;cursor:pointer}
"""

_SCRIPT = """\
(function () {
  "use strict";
  var dataEl = document.getElementById("govtext-data");
  var data = dataEl ? JSON.parse(dataEl.textContent) : {};
  var safeHref = /^(\\.\\.\\/)?(reports\\/)?[A-Za-z0-9_-]+\\.html(#at-[0-9]+-[0-9]+)?$/;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  /* index: sortable table */
  var table = document.getElementById("reports");
  if (table && table.tHead) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var b = th.querySelector("button");
      if (b) { b.addEventListener("click", function () { sortBy(col, th); }); }
    });
  }
  function sortBy(col, th) {
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var num = th.getAttribute("data-type") === "num";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute("data-v"), y = b.cells[col].getAttribute("data-v");
      var r;
      if (x === "" || y === "") {
        r = (x === "" ? 1 : 0) - (y === "" ? 1 : 0);
      } else {
        r = num ? parseFloat(x) - parseFloat(y) : (x < y ? -1 : (x > y ? 1 : 0));
        if (!asc) { r = -r; }
      }
      return r || (Number(a.getAttribute("data-i")) - Number(b.getAttribute("data-i")));
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  /* report page: passages and the side-by-side panel */
  var text = document.getElementById("text");
  var panel = document.getElementById("panel");
  var list = document.getElementById("panel-list");
  var passages = data.passages || [];

  function context(c) {
    var d = el("div", "ctx");
    d.appendChild(document.createTextNode(c.before));
    d.appendChild(el("mark", "hit", c.match));
    d.appendChild(document.createTextNode(c.after));
    return d;
  }
  function card(p) {
    var c = el("div", "card");
    c.setAttribute("data-passage", String(p.id));
    var score = typeof p.score === "number" ? p.score.toFixed(3) : "\\u2014";
    var matched = typeof p.matched === "number" ? String(p.matched) : "\\u2014";
    c.appendChild(el("h3", null, p.label + " \\u00b7 score " + score + " \\u00b7 " +
                     matched + " matched characters"));
    c.appendChild(el("p", "meta", p.role === "target"
      ? "This report (the later one) holds text of " + p.other.id + "."
      : p.other.id + " (the later one) holds text of this report."));
    var sbs = el("div", "sbs");
    var here = el("div", "side here");
    here.appendChild(el("h4", null, "This report, characters " + p.start + "\\u2013" + p.end));
    here.appendChild(context(p.here));
    var there = el("div", "side other");
    var h = el("h4");
    var a = el("a", "other-link", p.other.id);
    if (safeHref.test(p.other.href)) { a.setAttribute("href", p.other.href); }
    h.appendChild(a);
    h.appendChild(document.createTextNode((p.other.title ? " \\u2014 " + p.other.title : "") +
      ", characters " + p.other.start + "\\u2013" + p.other.end));
    there.appendChild(h);
    there.appendChild(context(p.other));
    sbs.appendChild(here);
    sbs.appendChild(there);
    c.appendChild(sbs);
    return c;
  }
  function openPassages(ids) {
    if (!panel || !list) { return; }
    var wanted = {};
    ids.forEach(function (i) { wanted[i] = true; });
    Array.prototype.forEach.call(document.querySelectorAll("mark.p"), function (m) {
      var on = m.getAttribute("data-p").split(" ").some(function (i) { return wanted[i]; });
      m.classList.toggle("active", on);
    });
    while (list.firstChild) { list.removeChild(list.firstChild); }
    ids.forEach(function (i) { if (passages[i]) { list.appendChild(card(passages[i])); } });
    panel.hidden = false;
  }
  function idsOf(node) {
    return node.getAttribute("data-p").split(" ").map(Number);
  }
  if (text) {
    text.addEventListener("click", function (ev) {
      var m = ev.target.closest ? ev.target.closest("mark.p") : null;
      if (m) { openPassages(idsOf(m)); }
    });
    text.addEventListener("keydown", function (ev) {
      if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches &&
          ev.target.matches("mark.p")) {
        ev.preventDefault();
        openPassages(idsOf(ev.target));
      }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("button.open-p"), function (b) {
    b.addEventListener("click", function () {
      openPassages(idsOf(b));
      var first = document.querySelector("mark.p.active");
      if (first && first.scrollIntoView) { first.scrollIntoView({block: "center"}); }
    });
  });
  var close = document.getElementById("panel-close");
  if (close && panel) {
    close.addEventListener("click", function () {
      panel.hidden = true;
      Array.prototype.forEach.call(document.querySelectorAll("mark.p.active"), function (m) {
        m.classList.remove("active");
      });
    });
  }
  var at = /^#at-([0-9]+)-([0-9]+)$/.exec(window.location.hash);
  if (at) {
    var hits = passages.filter(function (p) {
      return String(p.start) === at[1] && String(p.end) === at[2];
    }).map(function (p) { return p.id; });
    if (hits.length) {
      openPassages(hits);
      var m = document.querySelector("mark.p.active");
      if (m && m.scrollIntoView) { m.scrollIntoView({block: "center"}); }
    }
  }
  document.documentElement.setAttribute("data-view-ready", "1");
})();
"""


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return ("default-src 'none'; base-uri 'none'; form-action 'none'; img-src data:; "
            f"style-src 'unsafe-inline'; script-src 'sha256-{digest}'")


# --------------------------------------------------------------------------------------------
# small helpers


def page_name(report_id: str) -> str:
    """The file name of a report's page: a slug of the id plus a short hash of it.

    Only ``A-Z a-z 0-9 _ -`` survive in the slug (at most 40 characters), and the first 12
    hex digits of the SHA-256 of the UTF-8 id follow it, so two ids never share a page, the
    name is never a reserved device name (``CON``, ``NUL``) and no id can leave the directory.

    Parameters
    ----------
    report_id : str

    Returns
    -------
    str

    Examples
    --------
    >>> page_name("003_aad2c66ccec4c55e#3")
    '003_aad2c66ccec4c55e_3-07ede66ad540.html'
    >>> page_name("../../etc/passwd")
    'etc_passwd-3754d6cb3a38.html'
    """
    if not isinstance(report_id, str):
        msg = f"report ids must be strings; got {report_id!r} ({type(report_id).__name__})."
        raise InputError(msg)
    slug = _SLUG_BAD.sub("_", report_id).strip("_-")[:_SLUG_MAX].strip("_-") or "report"
    digest = hashlib.sha256(report_id.encode("utf-8", "surrogatepass")).hexdigest()[:_DIGEST_CHARS]
    return f"{slug}-{digest}.html"


def _e(value: Any) -> str:
    """Escape a value for HTML text and quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def _json_for_script(obj: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _is_missing(x: Any) -> bool:
    if x is None or x is pd.NA:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _num(x: Any) -> float | None:
    if _is_missing(x):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _pct(x: float | None) -> str:
    return "\u2014" if x is None else f"{100 * x:.1f}%"


def _fixed(x: float | None, digits: int = 3) -> str:
    return "\u2014" if x is None else f"{x:.{digits}f}"


def _sort_value(x: Any) -> str:
    """``data-v`` of a table cell: a fixed-format number, a string, or empty (missing)."""
    if _is_missing(x):
        return ""
    if isinstance(x, bool):
        return str(int(x))
    if isinstance(x, int | float) or hasattr(x, "dtype"):
        v = _num(x)
        if v is None:
            return ""
        return str(int(v)) if v.is_integer() else repr(round(v, 6))
    return str(x)


def _text_of(value: Any) -> str | None:
    return None if _is_missing(value) else str(value)


# --------------------------------------------------------------------------------------------
# inputs


def _tables_of(source: Any) -> dict[str, pd.DataFrame]:
    from govtext.reuse import ReuseDetector

    if isinstance(source, ReuseDetector):
        if not hasattr(source, "units_"):
            msg = ("This ReuseDetector instance is not fitted yet. Call 'fit' with the corpus "
                   "before writing its reuse view.")
            raise NotFittedError(msg)
        names = list(REQUIRED_TABLES) + list(_OPTIONAL_TABLES)
        return {n: getattr(source, f"{n}_") for n in names if hasattr(source, f"{n}_")}
    tables = getattr(source, "tables", source)  # an AnalysisResult holds its tables
    if isinstance(tables, Mapping):
        return dict(tables)
    msg = ("write_reuse_view: source must be a fitted ReuseDetector, an AnalysisResult or a "
           f"mapping of table names to DataFrames; got {type(source).__name__}.")
    raise InvalidParameterError(msg)


def _check_tables(tables: dict[str, Any]) -> None:
    missing = [n for n in REQUIRED_TABLES if n not in tables]
    if missing:
        msg = (f"write_reuse_view: the reuse table(s) {', '.join(map(repr, missing))} are missing "
               "(run the 'reuse' stage of govtext.analyze, or pass a fitted ReuseDetector).")
        raise InputError(msg)
    for name, cols in {**REQUIRED_TABLES, **_OPTIONAL_TABLES}.items():
        if name not in tables:
            continue
        df = tables[name]
        if not isinstance(df, pd.DataFrame):
            msg = f"write_reuse_view: table {name!r} must be a DataFrame; got {type(df).__name__}."
            raise InputError(msg)
        lacking = [c for c in cols if c not in df.columns]
        if lacking:
            msg = (f"write_reuse_view: table {name!r} lacks the column(s) "
                   f"{', '.join(map(repr, lacking))}.")
            raise InputError(msg)


def _reports_of(corpus: Any, source: Any) -> dict[str, Any]:
    if corpus is None:
        corpus = getattr(source, "corpus", None)
        if corpus is None:
            msg = ("write_reuse_view: corpus is required (the reports whose text the view "
                   "shows), unless source is an AnalysisResult.")
            raise InvalidParameterError(msg)
    if isinstance(corpus, str | bytes) or (hasattr(corpus, "text") and hasattr(corpus, "id")):
        msg = ("write_reuse_view: corpus must be an iterable of reports (a Corpus); got a "
               f"{type(corpus).__name__} object.")
        raise InvalidParameterError(msg)
    try:
        reports = list(corpus)
    except TypeError:
        msg = f"write_reuse_view: corpus must be an iterable of reports; got {type(corpus).__name__}."
        raise InvalidParameterError(msg) from None
    out: dict[str, Any] = {}
    for k, r in enumerate(reports):
        if not (hasattr(r, "id") and hasattr(r, "text")):
            msg = f"write_reuse_view: corpus item {k} is a {type(r).__name__} object, not a Report."
            raise InvalidParameterError(msg)
        if not isinstance(r.id, str) or not isinstance(r.text, str):
            msg = f"write_reuse_view: corpus item {k} has a non-string id or text."
            raise InputError(msg)
        if r.id in out:
            msg = f"write_reuse_view: report ids must be unique; {r.id!r} occurs twice in corpus."
            raise InputError(msg)
        out[r.id] = r
    return dict(sorted(out.items()))


def _span(row: Any, table: str, rid: Any, s_col: str, e_col: str, reports: dict) -> tuple[int, int]:
    if rid not in reports:
        msg = (f"write_reuse_view: table {table!r} refers to report {rid!r}, which is not in "
               "the corpus.")
        raise InputError(msg)
    try:
        s, e = int(getattr(row, s_col)), int(getattr(row, e_col))
    except (TypeError, ValueError):
        msg = (f"write_reuse_view: table {table!r}, report {rid!r}: span "
               f"({getattr(row, s_col)!r}, {getattr(row, e_col)!r}) is not a pair of integers.")
        raise InputError(msg) from None
    n = len(reports[rid].text)
    if not 0 <= s <= e <= n:
        msg = (f"write_reuse_view: table {table!r}, report {rid!r}: span ({s}, {e}) is outside "
               f"its text (length {n}).")
        raise InputError(msg)
    return s, e


# --------------------------------------------------------------------------------------------
# what each page shows


def _title_of(report: Any) -> str | None:
    try:
        return _text_of(getattr(report.metadata, "title", None))
    except Exception:  # noqa: BLE001 - a report without metadata still gets a page
        logger.debug("no metadata for report %r", report.id, exc_info=True)
        return None


def _units_by_report(units: pd.DataFrame, reports: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {rid: [] for rid in reports}
    has = {c: c in units.columns for c in ("unit_id", "boilerplate", "source_report_id")}
    for k, row in enumerate(units.itertuples(index=False)):
        rid = row.report_id
        s, e = _span(row, "units", rid, "start", "end", reports)
        label = row.label
        if not isinstance(label, str):
            msg = f"write_reuse_view: table 'units', report {rid!r}: label {label!r} is not a string."
            raise InputError(msg)
        out[rid].append({
            "uid": int(row.unit_id) if has["unit_id"] and not _is_missing(row.unit_id) else k,
            "start": s, "end": e, "label": label,
            "boilerplate": _num(row.boilerplate) if has["boilerplate"] else None,
            "source": _text_of(row.source_report_id) if has["source_report_id"] else None,
        })
    for rid, us in out.items():
        us.sort(key=lambda u: (u["start"], u["end"], u["uid"]))
        for prev, cur in zip(us, us[1:]):
            if cur["start"] < prev["end"]:
                msg = (f"write_reuse_view: table 'units', report {rid!r}: units "
                       f"({prev['start']}, {prev['end']}) and ({cur['start']}, {cur['end']}) overlap.")
                raise InputError(msg)
    return out


def _passages_by_report(passages: pd.DataFrame, reports: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {rid: [] for rid in reports}
    has_matched = "matched_chars" in passages.columns
    for row in passages.itertuples(index=False):
        a, b = row.report_a, row.report_b
        sa, ea = _span(row, "passages", a, "a_start", "a_end", reports)
        sb, eb = _span(row, "passages", b, "b_start", "b_end", reports)
        label = row.label if isinstance(row.label, str) else str(row.label)
        common = {"label": label, "score": _num(row.score),
                  "matched": int(row.matched_chars) if has_matched and not _is_missing(row.matched_chars) else None}
        out[b].append({**common, "role": "target", "start": sb, "end": eb,
                       "other": a, "other_start": sa, "other_end": ea})
        out[a].append({**common, "role": "source", "start": sa, "end": ea,
                       "other": b, "other_start": sb, "other_end": eb})
    for ps in out.values():
        ps.sort(key=lambda p: (p["start"], p["end"], p["other"], p["other_start"], p["other_end"],
                               p["role"], p["label"]))
    return out


def _context(text: str, s: int, e: int, n: int) -> dict[str, str]:
    a, b = max(0, s - n), min(len(text), e + n)
    return {"before": ("\u2026" if a > 0 else "") + text[a:s], "match": text[s:e],
            "after": text[e:b] + ("\u2026" if b < len(text) else "")}


def _render_text(text: str, units: list[dict], frags: list[dict]) -> str:
    """The report text as HTML: unit spans by label, passage marks inside them."""
    cuts = {0, len(text)}
    for u in units:
        cuts.update((u["start"], u["end"]))
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for pid, p in enumerate(frags):
        if p["end"] > p["start"]:
            cuts.update((p["start"], p["end"]))
            starts.setdefault(p["start"], []).append(pid)
            ends.setdefault(p["end"], []).append(pid)
    points = sorted(cuts)
    out: list[str] = []
    active: set[int] = set()
    ui, n_units = 0, len(units)
    open_unit: dict | None = None

    def unit_tag(u: dict) -> str:
        label = u["label"]
        cls = f"l-{label}" if label in _PRECEDENCE or label in ("short", "heading") else "l-other"
        tip = label if u["boilerplate"] is None else f"{label} \u00b7 boilerplate {u['boilerplate']:.2f}"
        if u["source"]:
            tip += f" \u00b7 source {u['source']}"
        return (f'<span class="u {cls}" id="u{u["uid"]}" data-u="{u["uid"]}" data-start="{u["start"]}" '
                f'data-end="{u["end"]}" data-label="{_e(label)}" title="{_e(tip)}">')

    for x, y in zip(points, points[1:] + [None]):
        if open_unit is not None and open_unit["end"] == x:
            out.append("</span>")
            open_unit = None
        while ui < n_units and units[ui]["start"] == x and units[ui]["end"] == x:
            out.append(unit_tag(units[ui]) + "</span>")
            ui += 1
        if y is None:
            break
        if open_unit is None and ui < n_units and units[ui]["start"] == x:
            open_unit = units[ui]
            ui += 1
            out.append(unit_tag(open_unit))
        active.difference_update(ends.get(x, ()))
        active.update(starts.get(x, ()))
        piece = _e(text[x:y])
        if active:
            ids = sorted(active)
            lab = min((frags[i]["label"] for i in ids), key=lambda lb: (_PRECEDENCE.get(lb, 9), lb))
            cls = f"p-{lab}" if lab in _PRECEDENCE else "p-other"
            out.append(f'<mark class="p {cls}" tabindex="0" data-p="{" ".join(map(str, ids))}">'
                       f"{piece}</mark>")
        else:
            out.append(piece)
    if open_unit is not None:  # pragma: no cover - every unit ends inside the text
        out.append("</span>")
    return "".join(out)


def _page(title: str, body: str, data: Any, csp: str) -> str:
    from govtext import __version__

    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="govtext {_e(__version__)}">\n'
        f"<title>{_e(title)}</title>\n<style>\n{_CSS}</style>\n</head>\n<body>\n{body}"
        f'<script type="application/json" id="govtext-data">{_json_for_script(data)}</script>\n'
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def _legend(counts: Mapping[str, int] | None = None) -> str:
    items = []
    for lab in VIEW_LABELS:
        n = f" ({counts.get(lab, 0)} units)" if counts is not None else ""
        items.append(f'<span><span class="key l-{lab}"></span>{_e(_DESCRIBE[lab])}{n}</span>')
    items.append('<span><span class="key p"></span>underlined: a passage aligned with another '
                 "report (click to compare)</span>")
    return f'<div class="legend" id="legend">{"".join(items)}</div>\n'


def _bar(shares: Mapping[str, float | None]) -> str:
    parts = []
    for lab in VIEW_LABELS:
        v = shares.get(lab)
        if v is not None and v > 0:
            parts.append(f'<span class="l-{lab}" style="width:{100 * v:.2f}%" '
                         f'title="{lab} {_pct(v)}"></span>')
    return f'<span class="bar">{"".join(parts)}</span>'


def _report_page(rid: str, report: Any, info: dict, units: list[dict], frags: list[dict],
                 names: dict[str, str], titles: dict[str, str | None], texts: dict[str, str],
                 context: int, csp: str) -> str:
    text = report.text
    title = titles[rid] or rid
    meta = [f"<span>id: {_e(rid)}</span>"]
    for key in ("agency", "year", "level", "era"):
        if info.get(key) is not None:
            meta.append(f"<span>{key}: {_e(info[key])}</span>")
    if info.get("family") is not None:
        meta.append(f"<span>family: {_e(info['family'])}</span>")
    shares = " \u00b7 ".join(f"{lab} {_pct(info['shares'].get(lab))}" for lab in VIEW_LABELS)
    counts: dict[str, int] = {}
    for u in units:
        counts[u["label"]] = counts.get(u["label"], 0) + 1
    data_passages = []
    for pid, p in enumerate(frags):
        other = p["other"]
        data_passages.append({
            "id": pid, "role": p["role"], "label": p["label"],
            "score": None if p["score"] is None else round(p["score"], 3), "matched": p["matched"],
            "start": p["start"], "end": p["end"],
            "here": _context(text, p["start"], p["end"], context),
            "other": {"id": other, "title": titles.get(other), "start": p["other_start"],
                      "end": p["other_end"],
                      "href": f"{names[other]}#at-{p['other_start']}-{p['other_end']}",
                      **_context(texts[other], p["other_start"], p["other_end"], context)},
        })
    rows = []
    for pid, p in enumerate(frags):
        other = p["other"]
        snippet = text[p["start"]:p["end"]]
        snippet = snippet if len(snippet) <= 60 else snippet[:60] + "\u2026"
        rows.append(
            f'<tr><td><button type="button" class="open-p" data-p="{pid}">compare</button></td>'
            f'<td><a href="{names[other]}#at-{p["other_start"]}-{p["other_end"]}">{_e(other)}</a></td>'
            f'<td>{_e(p["label"])}</td><td class="n">{_fixed(p["score"])}</td>'
            f'<td class="n">{p["start"]}\u2013{p["end"]}</td>'
            f'<td class="n">{p["other_start"]}\u2013{p["other_end"]}</td>'
            f"<td>{_e(snippet)}</td></tr>"
        )
    passages_html = (
        '<table id="passages"><thead><tr><th></th><th>other report</th><th>label</th>'
        "<th>score</th><th>span here</th><th>span there</th><th>text</th></tr></thead>"
        f'<tbody>{"".join(rows)}</tbody></table>' if rows else
        "<p>This report shares no aligned passage with another report.</p>"
    )
    body = (
        '<header>\n<nav><a href="../index.html">\u2190 all reports</a></nav>\n'
        f"<h1>{_e(title)}</h1>\n"
        f'<p class="meta">{"".join(meta)}</p>\n'
        f'<p class="meta" id="shares">characters by label: {_e(shares)}</p>\n'
        f"{_legend(counts)}</header>\n"
        f'<main>\n<pre id="text" class="report-text">{_render_text(text, units, frags)}</pre>\n'
        '<aside id="panel" hidden aria-live="polite">\n'
        '<button type="button" id="panel-close">close</button>\n'
        "<h2>Shared passage</h2>\n<div id=\"panel-list\"></div>\n</aside>\n</main>\n"
        f'<section class="below"><h2>Passages shared with other reports ({len(frags)})</h2>\n'
        f"{passages_html}\n</section>\n"
    )
    return _page(f"{title} \u2014 govtext reuse view", body,
                 {"report": rid, "passages": data_passages}, csp)


def _index_page(title: str, infos: dict[str, dict], names: dict[str, str],
                titles: dict[str, str | None], n_passages: int, csp: str,
                lsl: bool) -> str:
    cols = [("report", "str"), ("title", "str"), ("agency", "str"), ("year", "num"),
            ("level", "str"), ("family", "num")]
    cols += [(lab, "num") for lab in VIEW_LABELS]
    cols += [("labels", None), ("boilerplate", "num")]
    if lsl:
        cols.append(("boilerplate (LSL)", "num"))
    cols += [("passages", "num"), ("shares with", "num")]
    head = "".join(
        f'<th data-type="{t}"><button type="button">{_e(c)}</button></th>' if t else f"<th>{_e(c)}</th>"
        for c, t in cols)
    rows = []
    for i, (rid, info) in enumerate(infos.items()):
        sh = info["shares"]
        cells = [
            (rid, f'<a href="reports/{names[rid]}">{_e(rid)}</a>', ""),
            (titles[rid], _e(titles[rid] or ""), ""),
            (info.get("agency"), _e(info.get("agency") or ""), ""),
            (info.get("year"), _e(info.get("year") if info.get("year") is not None else ""), "n"),
            (info.get("level"), _e(info.get("level") or ""), ""),
            (info.get("family"), _e(info.get("family") if info.get("family") is not None else ""), "n"),
        ]
        cells += [(sh.get(lab), _pct(sh.get(lab)), "n") for lab in VIEW_LABELS]
        cells.append((None, _bar(sh), "skip"))
        cells.append((info["boilerplate"], _fixed(info["boilerplate"]), "n"))
        if lsl:
            cells.append((info["lsl"], _fixed(info["lsl"]), "n"))
        cells += [(info["n_passages"], str(info["n_passages"]), "n"),
                  (info["n_others"], str(info["n_others"]), "n")]
        tds = "".join(
            f"<td>{h}</td>" if kind == "skip" else
            f'<td{_NUM_CLASS if kind == "n" else ""} data-v="{_e(_sort_value(v))}">{h}</td>'
            for v, h, kind in cells)
        rows.append(f'<tr data-i="{i}" data-report="{_e(rid)}">{tds}</tr>')
    fams: dict[Any, list[str]] = {}
    for rid, info in infos.items():
        if info.get("family") is not None:
            fams.setdefault(info["family"], []).append(rid)
    shared = [(f, m) for f, m in sorted(fams.items(), key=lambda kv: (kv[1][0], str(kv[0])))
              if len(m) > 1]
    fam_html = "".join(
        f'<li>family {_e(f)}: ' + ", ".join(f'<a href="reports/{names[r]}">{_e(r)}</a>' for r in m)
        + "</li>" for f, m in shared)
    fam_block = (f"<ul id=\"families\">{fam_html}</ul>" if shared else
                 "<p id=\"families\">Every report is a family of its own (no two reports are "
                 "close enough to share a template).</p>")
    body = (
        f"<header>\n<h1>{_e(title)}</h1>\n"
        f'<p class="meta">{len(infos)} reports \u00b7 {n_passages} aligned passages \u00b7 '
        f"{len(shared)} families of two or more reports. Label columns: share of each report's "
        "narrative characters; boilerplate: the character-weighted mean share of the cohort's "
        "reports holding each unit. Click a column heading to sort.</p>\n"
        f"{_legend()}</header>\n"
        f'<div class="wrap">\n<table id="reports"><thead><tr>{head}</tr></thead>\n'
        f'<tbody>{"".join(rows)}</tbody></table>\n'
        f"<h2>Template families</h2>\n{fam_block}\n</div>\n"
    )
    return _page(title, body, {"reports": list(infos)}, csp)


# --------------------------------------------------------------------------------------------
# public


def write_reuse_view(source: Any, corpus: Iterable[Any] | None, out_dir: str | os.PathLike, *,
                     title: str = "govtext reuse view", context_chars: int = 120) -> list[Path]:
    """Write a static, self-contained HTML site to browse the reuse found in a corpus.

    ``out_dir/index.html`` lists the reports (label shares, boilerplate, family; sortable);
    ``out_dir/reports/<name>.html`` (pages of reports this view does not show, left by an
    earlier write, are removed) shows each report's text highlighted by unit label, with
    the passages it shares underlined: clicking one opens a side-by-side panel with the other
    reports' matching spans in context. The pages need no server and no network (open
    ``index.html`` in a browser); they escape all text and carry a Content-Security-Policy
    (see :mod:`govtext.view`). Files of the same names are overwritten; other files in
    ``out_dir`` are left alone.

    Parameters
    ----------
    source : ReuseDetector, AnalysisResult or mapping of str to DataFrame
        A fitted :class:`govtext.ReuseDetector`, the result of :func:`govtext.analyze` (its
        tables ``units``, ``passages``, ``report_scores`` and, optionally, ``families``), or
        a mapping holding those tables (same columns as the detector's attributes).
    corpus : Corpus or iterable of Report, or None
        The reports the tables describe (their text is shown). ``None`` only with an
        AnalysisResult, whose ``corpus`` is used. Every report gets a page.
    out_dir : path
        Output directory (created if missing).
    title : str, default="govtext reuse view"
        Title of the index page.
    context_chars : int, default=120
        Characters of context shown around each span in the side-by-side panel.

    Returns
    -------
    list of pathlib.Path
        The files written: ``index.html`` first, then the report pages in report-id order.

    Raises
    ------
    NotFittedError
        If ``source`` is a detector that has not been fitted.
    InputError
        If a table is missing or lacks a column, a row names a report that is not in
        ``corpus``, a span lies outside its report's text, or two units of a report overlap.
    InvalidParameterError
        If ``out_dir`` is an existing file, or another parameter has a wrong type or value.

    See Also
    --------
    page_name : the file name of a report's page.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from govtext import ReuseDetector, write_reuse_view
    >>> from govtext.datasets import load_seeds
    >>> corpus = load_seeds()
    >>> det = ReuseDetector(measures=False).fit(corpus)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_reuse_view(det, corpus, tmp)
    ...     page = paths[1].read_text(encoding="utf-8")
    ...     names = [p.relative_to(tmp).as_posix() for p in paths]
    >>> len(paths), names[:2]
    (13, ['index.html', 'reports/000_6ac03842c3dfdc7c-....html'])
    >>> '<span class="u l-own"' in page and '<mark class="p p-copied"' in page
    True
    """
    if not isinstance(title, str):
        msg = f"The 'title' parameter of write_reuse_view must be a str. Got {title!r} instead."
        raise InvalidParameterError(msg)
    if isinstance(context_chars, bool) or not isinstance(context_chars, int) or context_chars < 0:
        msg = ("The 'context_chars' parameter of write_reuse_view must be an int >= 0. "
               f"Got {context_chars!r} instead.")
        raise InvalidParameterError(msg)
    try:
        out = Path(out_dir)
    except TypeError:
        msg = f"The 'out_dir' parameter of write_reuse_view must be a path. Got {out_dir!r} instead."
        raise InvalidParameterError(msg) from None
    tables = _tables_of(source)
    _check_tables(tables)
    reports = _reports_of(corpus, source)

    units = _units_by_report(tables["units"], reports)
    frags = _passages_by_report(tables["passages"], reports)
    scores = tables["report_scores"]
    for rid in scores["report_id"]:
        if rid not in reports:
            msg = (f"write_reuse_view: table 'report_scores' refers to report {rid!r}, which is "
                   "not in the corpus.")
            raise InputError(msg)
    score_rows = {row["report_id"]: row for row in scores.to_dict("records")}
    families: dict[str, Any] = {}
    if "families" in tables:
        for rid, fam in zip(tables["families"]["report_id"], tables["families"]["family"]):
            if rid not in reports:
                msg = (f"write_reuse_view: table 'families' refers to report {rid!r}, which is "
                       "not in the corpus.")
                raise InputError(msg)
            families[rid] = None if _is_missing(fam) else (int(fam) if _num(fam) is not None and float(fam).is_integer() else str(fam))

    names = {rid: page_name(rid) for rid in reports}
    if len(set(names.values())) != len(names):  # pragma: no cover - a 48-bit hash collision
        msg = "write_reuse_view: two report ids map to the same page name."
        raise InputError(msg)
    titles = {rid: _title_of(r) for rid, r in reports.items()}

    infos: dict[str, dict] = {}
    for rid, report in reports.items():
        row = score_rows.get(rid, {})
        shares = {lab: _num(row.get(f"share_{lab}")) for lab in VIEW_LABELS}
        md = None
        info: dict[str, Any] = {"shares": shares}
        for key in ("agency", "year", "level", "era"):
            v = row.get(key)
            if _is_missing(v):
                if md is None:
                    try:
                        md = report.metadata
                    except Exception:  # noqa: BLE001
                        md = False
                v = getattr(md, key, None) if md else None
            if key == "year" and _num(v) is not None and float(v).is_integer():
                v = int(v)
            info[key] = None if _is_missing(v) else v
        info["family"] = families.get(rid)
        weighted = [(u["boilerplate"], u["end"] - u["start"]) for u in units[rid]
                    if u["boilerplate"] is not None and u["end"] > u["start"]]
        total = sum(w for _, w in weighted)
        info["boilerplate"] = sum(b * w for b, w in weighted) / total if total else None
        info["lsl"] = _num(row.get("boilerplate_lsl"))
        info["n_passages"] = len(frags[rid])
        info["n_others"] = len({p["other"] for p in frags[rid]})
        infos[rid] = info

    # where to write
    if out.exists() and not out.is_dir():
        msg = f"write_reuse_view: out_dir {str(out)!r} exists and is not a directory."
        raise InvalidParameterError(msg)
    pages_dir = out / "reports"
    if pages_dir.exists() and not pages_dir.is_dir():
        msg = f"write_reuse_view: {str(pages_dir)!r} exists and is not a directory."
        raise InvalidParameterError(msg)
    pages_dir.mkdir(parents=True, exist_ok=True)
    root = out.resolve()
    pages_root = pages_dir.resolve()
    if pages_root.parent != root:
        msg = f"write_reuse_view: {str(pages_dir)!r} leads outside {str(root)!r}."
        raise InvalidParameterError(msg)

    csp = _csp(_SCRIPT)
    written: list[Path] = []

    def write(path: Path, content: str) -> None:
        if path.resolve().parent not in (root, pages_root):
            msg = f"write_reuse_view: refusing to write {str(path)!r} outside {str(root)!r}."
            raise InvalidParameterError(msg)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
        written.append(path)

    n_passages = len(tables["passages"])
    write(out / "index.html", _index_page(title, infos, names, titles, n_passages, csp,
                                          lsl="boilerplate_lsl" in scores.columns))
    texts = {rid: r.text for rid, r in reports.items()}
    for rid, report in reports.items():
        write(pages_dir / names[rid], _report_page(rid, report, infos[rid], units[rid], frags[rid],
                                                   names, titles, texts, context_chars, csp))
    # pages of reports that an earlier view in this directory showed and this one does not
    # (a rerun on another corpus) would still be browsable and look current: remove them. Only
    # files named as report pages are (a slug, a dash, 12 hex digits, .html).
    keep = {p.name for p in written}
    stale = [p for p in sorted(pages_dir.iterdir())
             if p.name not in keep and p.is_file() and _PAGE_NAME_RE.fullmatch(p.name)]
    for p in stale:
        p.unlink()
    logger.info("reuse view: wrote %d pages to %s (%d stale report pages removed)", len(written), out,
                len(stale))
    return written
