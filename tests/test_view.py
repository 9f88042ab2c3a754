"""The browsable reuse view (govtext.view): structure, exact highlights, escaping, path safety,
determinism, errors, and ``govtext analyze`` writing it.

The browser-level behaviour (the script runs under its CSP, clicking a passage opens the
side-by-side panel, hostile text stays inert) is tested in tests/test_view_browser.py.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from govtext import ReuseDetector, write_reuse_view
from govtext.datasets import load_seeds
from govtext.exceptions import InputError, InvalidParameterError, NotFittedError
from govtext.records import Corpus, Report
from govtext.view import REQUIRED_TABLES, VIEW_LABELS, page_name

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '<a href="javascript:window.__pwned=1">点击</a>',
    "</script><script>window.__pwned=1</script>",
    "\u2028\u2029 & &amp; \"'",
]


# --------------------------------------------------------------------------------------------
# helpers


class _Page(HTMLParser):
    """Collects what the tests check: tags and attributes, units with their text, the text of
    ``#text`` and of the JSON data block, and passage marks with their offsets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.units: list[dict] = []
        self.marks: list[tuple[int, int, str]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text = ""  # the text of <pre id="text">
        self._stack: list[tuple[str, dict]] = []
        self._in_text = 0
        self._unit: dict | None = None
        self._mark: tuple[int, str] | None = None
        self._script: dict | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._script, self._script_text = a, []
        if tag == "pre" and a.get("id") == "text":
            self._in_text = 1
        elif self._in_text:
            self._in_text += 1
            if tag == "span" and "u" in a.get("class", "").split():
                self._unit = {**a, "pos": len(self.text), "content": ""}
            if tag == "mark":
                self._mark = (len(self.text), a["data-p"])

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None
        if self._in_text:
            self._in_text -= 1
            if tag == "span" and self._unit is not None:
                self._unit["content"] = self.text[self._unit["pos"]:]
                self.units.append(self._unit)
                self._unit = None
            if tag == "mark" and self._mark is not None:
                self.marks.append((self._mark[0], len(self.text), self._mark[1]))
                self._mark = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)
        elif self._in_text:
            self.text += data


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def _data(page: _Page) -> dict:
    blocks = [t for a, t in page.scripts if a.get("type") == "application/json"]
    assert len(blocks) == 1
    return json.loads(blocks[0])


def _read_all(paths: list[Path], root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in paths}


# --------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def seeds() -> Corpus:
    return load_seeds()


@pytest.fixture(scope="module")
def det(seeds) -> ReuseDetector:
    return ReuseDetector(measures=False).fit(seeds)


@pytest.fixture(scope="module")
def view(det, seeds, tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("view")
    return out, write_reuse_view(det, seeds, out)


def _hostile_corpus(seeds: Corpus) -> Corpus:
    """Seed texts with hostile strings in the first line (title), inside the narrative and in
    ids; two reports share the hostile sentence so it is part of a passage."""
    base = [seeds["000_6ac03842c3dfdc7c"], seeds["001_e3992751381c814a"], seeds["004_3cd86ea425926f19"]]
    shared = "本镇" + "".join(HOSTILE) + "持续加强政府信息公开平台建设,认真做好依申请公开答复工作。"
    ids = ["<script>x</script>", "../../evil\u2028id", 'a"b&c']
    out = []
    for rid, r in zip(ids, base):
        lines = r.text.split("\n")
        text = "\n".join([HOSTILE[0] + lines[0], *lines[1:4], shared, *lines[4:]])
        out.append(Report(id=rid, text=text, raw=text, source=f"{rid}.txt"))
    return Corpus(out)


@pytest.fixture(scope="module")
def hostile(seeds, tmp_path_factory):
    corpus = _hostile_corpus(seeds)
    d = ReuseDetector(measures=False).fit(corpus)
    tables = {n: getattr(d, f"{n}_") for n in ("units", "passages", "report_scores", "families")}
    scores = tables["report_scores"].copy()
    scores["agency"] = HOSTILE[1]  # hostile metadata as well
    tables["report_scores"] = scores
    out = tmp_path_factory.mktemp("hostile")
    return corpus, d, out, write_reuse_view(tables, corpus, out, title=HOSTILE[0])


# --------------------------------------------------------------------------------------------
# structure


def test_index_and_one_page_per_report(view, seeds):
    out, paths = view
    assert paths[0] == out / "index.html"
    assert [p.name for p in paths[1:]] == [page_name(r) for r in sorted(seeds.ids)]
    assert all(p.is_file() and p.parent == out / "reports" for p in paths[1:])
    index = _parse(paths[0])
    links = {a["href"] for t, a in index.tags if t == "a" and "href" in a}
    assert {f"reports/{page_name(r)}" for r in seeds.ids} <= links
    rows = [a["data-report"] for t, a in index.tags if t == "tr" and "data-report" in a]
    assert rows == sorted(seeds.ids)
    for p in paths[1:]:
        page = _parse(p)
        assert ("a", {"href": "../index.html"}) in page.tags
        assert any(t == "aside" and a.get("id") == "panel" for t, a in page.tags)


def test_index_shows_scores_and_families(view, det):
    out, paths = view
    index = paths[0].read_text(encoding="utf-8")
    for row in det.report_scores_.itertuples():
        own = f"{100 * row.share_own:.1f}%"
        m = re.search(rf'<tr data-i="\d+" data-report="{re.escape(row.report_id)}">(.*?)</tr>', index)
        assert m and own in m.group(1)
        fam = int(det.families_.set_index("report_id").loc[row.report_id, "family"])
        assert f'data-v="{fam}">{fam}</td>' in m.group(1)


def test_page_text_and_unit_highlights_are_exact(view, det, seeds):
    out, paths = view
    for p in paths[1:]:
        page = _parse(p)
        rid = _data(page)["report"]
        text = seeds[rid].text
        assert page.text == text  # the whole report, nothing dropped or added
        expected = det.units_[det.units_.report_id == rid]
        got = [(int(u["data-start"]), int(u["data-end"]), u["data-label"]) for u in page.units]
        assert got == list(zip(expected.start, expected.end, expected.label))
        for u in page.units:
            s, e = int(u["data-start"]), int(u["data-end"])
            assert u["pos"] == s and u["content"] == text[s:e]
            assert f"l-{u['data-label']}" in u["class"].split()


def _all_labels(det) -> dict:
    """The detector's tables with the matchable units relabelled in turn template, copied,
    recycled, own (the seeds hold few reuse labels; the view shows whatever the table says)."""
    units = det.units_.copy()
    matchable = ~units.label.isin(["heading", "short"])
    units.loc[matchable, "label"] = [VIEW_LABELS[k % 4] for k in range(int(matchable.sum()))]
    return {**{n: getattr(det, f"{n}_") for n in REQUIRED_TABLES}, "units": units}


def test_every_label_is_highlighted(det, seeds, tmp_path):
    tables = _all_labels(det)
    paths = write_reuse_view(tables, seeds, tmp_path)
    counts: dict[str, int] = {}
    for p in paths[1:]:
        for u in _parse(p).units:
            counts[u["data-label"]] = counts.get(u["data-label"], 0) + 1
    assert counts == tables["units"].label.value_counts().to_dict()
    assert set(VIEW_LABELS) <= set(counts)


def test_passage_marks_and_panel_data_match_the_passages(view, det, seeds):
    out, paths = view
    for p in paths[1:]:
        page = _parse(p)
        data = _data(page)
        rid = data["report"]
        mine = det.passages_for(rid)
        assert len(data["passages"]) == len(mine)
        spans = sorted(zip(mine.start, mine.end, mine.other_report_id, mine.other_start, mine.other_end))
        got = sorted((q["start"], q["end"], q["other"]["id"], q["other"]["start"], q["other"]["end"])
                     for q in data["passages"])
        assert got == spans
        for q in data["passages"]:
            assert q["here"]["match"] == seeds[rid].text[q["start"]:q["end"]]
            other = q["other"]
            assert other["match"] == seeds[other["id"]].text[other["start"]:other["end"]]
            target = out / "reports" / other["href"].split("#")[0]
            assert target.is_file() and other["href"].endswith(f"#at-{other['start']}-{other['end']}")
            # the marks of the passage cover exactly its span
            covered = sorted((s, e) for s, e, ids in page.marks if str(q["id"]) in ids.split())
            assert covered[0][0] == q["start"] and covered[-1][1] == q["end"]
            assert all(a[1] == b[0] for a, b in zip(covered, covered[1:]))
    assert sum(len(_data(_parse(p))["passages"]) for p in paths[1:]) == 2 * len(det.passages_)


def test_csp_hash_is_the_hash_of_the_inline_script(view):
    out, paths = view
    for p in paths:
        page = _parse(p)
        csp = next(a["content"] for t, a in page.tags
                   if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
        assert "default-src 'none'" in csp and "connect-src" not in csp
        code = [t for a, t in page.scripts if "type" not in a]
        assert len(code) == 1
        digest = base64.b64encode(hashlib.sha256(code[0].encode("utf-8")).digest()).decode()
        assert f"script-src 'sha256-{digest}'" in csp
        # self-contained: no external resource of any kind
        for tag, a in page.tags:
            assert "src" not in a, (tag, a)
            if tag == "link":
                raise AssertionError(f"external link tag {a}")
            href = a.get("href", "")
            assert not re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I), href


# --------------------------------------------------------------------------------------------
# security


def test_hostile_text_is_escaped(hostile):
    corpus, d, out, paths = hostile
    assert len(paths) == 1 + len(corpus)
    for p in paths:
        raw = p.read_text(encoding="utf-8")
        page = _parse(p)
        # only the page's own two script elements; no attribute from data can run code
        assert [a.get("type") for a, _ in page.scripts] == ["application/json", None]
        assert raw.count("<script") == 2 and raw.count("</script>") == 2
        for tag, attrs in page.tags:
            assert tag != "img"
            assert not any(k.startswith("on") for k in attrs), (tag, attrs)
            assert not attrs.get("href", "").lower().startswith("javascript:")
        assert "\u2028" not in page.scripts[0][1] and "\u2029" not in page.scripts[0][1]
    index = paths[0].read_text(encoding="utf-8")
    assert html.escape(HOSTILE[1]) in index  # the hostile agency from report_scores
    assert f"<h1>{html.escape(HOSTILE[0])}</h1>" in index
    for p in paths[1:]:
        page = _parse(p)
        data = _data(page)
        text = corpus[data["report"]].text
        assert page.text == text  # every hostile string is shown as text, unchanged
        for s in HOSTILE:
            assert s in page.text
    # the hostile sentence is shared: the panel data carry it and decode to the exact text
    matches = [q["other"]["match"] for p in paths[1:] for q in _data(_parse(p))["passages"]]
    assert any(HOSTILE[0] in m for m in matches)


@pytest.mark.parametrize("rid", ["../../x", "a/b", "..", "CON", "nul", "a\\b", "x" * 500, "",
                                 "报告#1", "/etc/passwd", "C:\\x", " .hidden", "a\x00b"])
def test_page_names_are_safe(rid):
    name = page_name(rid)
    assert re.fullmatch(r"[A-Za-z0-9_-]+-[0-9a-f]{12}\.html", name)
    assert len(name) <= 60 and not name.startswith(("-", "_"))
    assert Path(name).stem.upper() not in {"CON", "NUL", "PRN", "AUX", "COM1", "LPT1"}


def test_page_names_are_distinct():
    ids = ["a/b", "a_b", "a b", "a?b", "A/B"]
    assert len({page_name(i) for i in ids}) == len(ids)


def test_hostile_ids_stay_inside_out_dir(seeds, tmp_path):
    ids = ["../../escape", "a/b/c", "CON", "y" * 300, "..", "/abs"]
    corpus = Corpus([dataclasses.replace(seeds[k], id=i) for k, i in enumerate(ids)])
    d = ReuseDetector(measures=False).fit(corpus)
    out = tmp_path / "deep" / "view"
    paths = write_reuse_view(d, corpus, out)
    root = out.resolve()
    assert len(paths) == 1 + len(ids)
    for p in paths:
        assert p.resolve().is_relative_to(root)
    files = sorted(x.relative_to(tmp_path).as_posix() for x in tmp_path.rglob("*") if x.is_file())
    assert files == sorted(p.relative_to(tmp_path).as_posix() for p in paths)


# --------------------------------------------------------------------------------------------
# determinism


def test_two_writes_are_byte_identical(det, seeds, view, tmp_path):
    out, paths = view
    again = write_reuse_view(det, seeds, tmp_path)
    assert _read_all(again, tmp_path) == _read_all(paths, out)


def test_a_rerun_on_fewer_reports_removes_their_stale_pages(det, seeds, tmp_path):
    write_reuse_view(det, seeds, tmp_path)
    (tmp_path / "reports" / "notes.html").write_text("mine", encoding="utf-8")  # not a report page
    (tmp_path / "reports" / "keep-0123456789ab.txt").write_text("mine", encoding="utf-8")
    few = ReuseDetector(measures=False).fit(seeds[:3])
    written = write_reuse_view(few, seeds[:3], tmp_path)
    pages = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert sorted(p.name for p in written if p.parent.name == "reports") == sorted(
        page_name(r.id) for r in seeds[:3])
    assert pages == sorted([page_name(r.id) for r in seeds[:3]] + ["keep-0123456789ab.txt", "notes.html"])


def test_identical_across_processes_and_hash_seeds(view, tmp_path):
    out, paths = view
    code = ("import sys; from govtext import ReuseDetector, write_reuse_view; "
            "from govtext.datasets import load_seeds; c = load_seeds(); "
            "write_reuse_view(ReuseDetector(measures=False).fit(c), c, sys.argv[1])")
    for seed in ("1", "4242"):
        target = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code, str(target)], check=True, env=env, cwd=tmp_path,
                       capture_output=True, timeout=300)
        written = sorted(p for p in target.rglob("*") if p.is_file())
        assert _read_all(written, target) == _read_all(paths, out)


# --------------------------------------------------------------------------------------------
# other sources: the tables of govtext.analyze


@pytest.fixture(scope="module")
def analysis(seeds):
    from govtext.pipeline import analyze

    return analyze(seeds, stages=["reuse"])


def test_from_analysis_tables_equals_from_detector(analysis, seeds, tmp_path):
    d = ReuseDetector().fit(seeds)  # the pipeline's defaults (measures on)
    a = write_reuse_view(analysis, None, tmp_path / "a")
    b = write_reuse_view(d, seeds, tmp_path / "b")
    assert _read_all(a, tmp_path / "a") == _read_all(b, tmp_path / "b")
    c = write_reuse_view(dict(analysis.tables), analysis.corpus, tmp_path / "c")
    assert _read_all(c, tmp_path / "c") == _read_all(a, tmp_path / "a")
    assert "boilerplate (LSL)" in a[0].read_text(encoding="utf-8")


def test_families_are_optional(det, seeds, tmp_path):
    tables = {n: getattr(det, f"{n}_") for n in REQUIRED_TABLES}
    paths = write_reuse_view(tables, seeds, tmp_path)
    assert len(paths) == 1 + len(seeds)


# --------------------------------------------------------------------------------------------
# errors


def test_unfitted_detector(seeds, tmp_path):
    with pytest.raises(NotFittedError, match="not fitted"):
        write_reuse_view(ReuseDetector(), seeds, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("missing", sorted(REQUIRED_TABLES))
def test_missing_table(det, seeds, tmp_path, missing):
    tables = {n: getattr(det, f"{n}_") for n in REQUIRED_TABLES if n != missing}
    with pytest.raises(InputError, match=f"'{missing}' are missing.*reuse"):
        write_reuse_view(tables, seeds, tmp_path)


def test_missing_column(det, seeds, tmp_path):
    tables = {n: getattr(det, f"{n}_") for n in REQUIRED_TABLES}
    tables["passages"] = tables["passages"].drop(columns=["b_end"])
    with pytest.raises(InputError, match="table 'passages' lacks the column.*'b_end'"):
        write_reuse_view(tables, seeds, tmp_path)


def test_unknown_report_and_bad_span(det, seeds, tmp_path):
    tables = {n: getattr(det, f"{n}_") for n in REQUIRED_TABLES}
    fewer = Corpus([r for r in seeds if r.id != "004_3cd86ea425926f19"])
    with pytest.raises(InputError, match="table 'units' refers to report '004_3cd86ea425926f19'"):
        write_reuse_view(tables, fewer, tmp_path)
    units = tables["units"].copy()
    units.loc[0, "end"] = len(seeds[units.loc[0, "report_id"]].text) + 5
    with pytest.raises(InputError, match=r"table 'units', report '000_6ac03842c3dfdc7c': span \(\d+, \d+\) is outside"):
        write_reuse_view({**tables, "units": units}, seeds, tmp_path)
    units = tables["units"].copy()
    units.loc[1, "start"] = units.loc[0, "start"]
    with pytest.raises(InputError, match="overlap"):
        write_reuse_view({**tables, "units": units}, seeds, tmp_path)


def test_out_dir_is_a_file(det, seeds, tmp_path):
    f = tmp_path / "file.html"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="file.html' exists and is not a directory"):
        write_reuse_view(det, seeds, f)
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "reports").write_text("x", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="reports' exists and is not a directory"):
        write_reuse_view(det, seeds, tmp_path / "v")
    assert f.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("kwargs, match", [
    ({"source": 42}, "source must be a fitted ReuseDetector"),
    ({"corpus": "text"}, "corpus must be an iterable of reports"),
    ({"corpus": None}, "corpus is required"),
    ({"corpus": [1, 2]}, "corpus item 0 is a int object"),
    ({"title": 3}, "'title' parameter of write_reuse_view must be a str"),
    ({"context_chars": -1}, "'context_chars' parameter of write_reuse_view must be an int >= 0"),
])
def test_bad_parameters(det, seeds, tmp_path, kwargs, match):
    args = {"source": det, "corpus": seeds, "out_dir": tmp_path, **kwargs}
    with pytest.raises(InvalidParameterError, match=match):
        write_reuse_view(**args)


def test_table_not_a_dataframe(seeds, tmp_path):
    tables = {"units": [], "passages": pd.DataFrame(), "report_scores": pd.DataFrame()}
    with pytest.raises(InputError, match="table 'units' must be a DataFrame"):
        write_reuse_view(tables, seeds, tmp_path)


# --------------------------------------------------------------------------------------------
# the command line


def test_analyze_writes_the_view(tmp_path, seeds, capsys):
    from govtext.cli import main
    from govtext.datasets import seeds_path

    out = tmp_path / "out"
    assert main(["analyze", str(seeds_path()), "--out", str(out), "--no-progress", "--no-figures"]) == 0
    assert "the reuse view (view/index.html)" in capsys.readouterr().err
    index = out / "view" / "index.html"
    assert index.is_file()
    pages = sorted(p.name for p in (out / "view" / "reports").iterdir())
    assert pages == sorted(page_name(r) for r in seeds.ids)
    # the view of the tables the command wrote
    assert "data-report=\"004_3cd86ea425926f19\"" in index.read_text(encoding="utf-8")


def test_analyze_no_view(tmp_path):
    from govtext.cli import main
    from govtext.datasets import seeds_path

    out = tmp_path / "out"
    assert main(["analyze", str(seeds_path()), "--out", str(out), "--no-progress", "--no-figures",
                 "--no-view"]) == 0
    assert (out / "manifest.json").is_file() and not (out / "view").exists()


def test_analyze_without_reuse_tables_skips_the_view(tmp_path, caplog):
    import logging

    from govtext.cli import main
    from govtext.datasets import seeds_path

    config = tmp_path / "structure.toml"
    config.write_text('stages = ["structure"]\n', encoding="utf-8")
    out = tmp_path / "out"
    with caplog.at_level(logging.INFO, logger="govtext.cli"):
        code = main(["analyze", str(seeds_path()), "--out", str(out), "--no-progress", "--no-figures",
                     "--config", str(config)])
    assert code == 0
    assert not (out / "view").exists()
    assert "reuse view not written" in caplog.text and "'reuse' stage did not run" in caplog.text
