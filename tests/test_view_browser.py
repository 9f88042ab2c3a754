"""The reuse view in a real browser (Chromium through Playwright), over ``file://``.

* the pages' own script runs under their Content-Security-Policy (its hash is right);
* every label is highlighted, the index sorts, clicking a copied passage opens the
  side-by-side panel with the other report's matching span highlighted and a working link;
* hostile report text (``<script>``, ``onerror=``, ``javascript:`` links) is shown as text and
  never runs; no dialog, no console error, no network request.

The browser is Debian's ``/usr/bin/chromium`` (``apt-get install chromium``; never
``playwright install``), or ``$GOVTEXT_CHROMIUM``. Without it or without the ``playwright``
package these tests are skipped with the reason, unless ``GOVTEXT_REQUIRE_BROWSER=1`` (as in CI),
where they fail. A screenshot of the panel is kept in ``$GOVTEXT_ARTIFACTS`` (default
``test-artifacts/`` in the repository).
"""

from __future__ import annotations

import importlib.util
import os
import struct
import sys
from pathlib import Path

import pytest

from govtext import ReuseDetector, write_reuse_view
from govtext.datasets import load_seeds
from govtext.view import VIEW_LABELS, page_name

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("GOVTEXT_CHROMIUM", "/usr/bin/chromium")
REQUIRE = os.environ.get("GOVTEXT_REQUIRE_BROWSER") == "1"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 860}


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set GOVTEXT_CHROMIUM)"
    return None


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    reason = _missing()
    if reason:
        if REQUIRE:
            pytest.fail(f"GOVTEXT_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
            headless=True, args=LAUNCH_ARGS, viewport=VIEWPORT, java_script_enabled=True)
        try:
            yield ctx
        finally:
            ctx.close()


class _Watch:
    """Console messages, page errors, dialogs and non-file requests of one page."""

    def __init__(self, page) -> None:
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.on("request", lambda r: None if r.url.startswith("file://") else self.requests.append(r.url))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture()
def page(browser_context):
    p = browser_context.new_page()
    watch = _Watch(p)
    try:
        yield p, watch
    finally:
        p.close()


@pytest.fixture(scope="module")
def seed_view(tmp_path_factory):
    corpus = load_seeds()
    det = ReuseDetector(measures=False).fit(corpus)
    out = tmp_path_factory.mktemp("seed-view")
    write_reuse_view(det, corpus, out)
    return corpus, det, out


def _artifacts() -> Path:
    d = Path(os.environ.get("GOVTEXT_ARTIFACTS") or ROOT / "test-artifacts")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _ready(p) -> None:
    """The page's own script ran to its end (so the CSP hash is right)."""
    assert p.evaluate("document.documentElement.getAttribute('data-view-ready')") == "1"


def _clean(watch: _Watch) -> None:
    assert watch.errors == [], watch.errors
    assert watch.dialogs == [], watch.dialogs
    assert watch.requests == [], watch.requests
    assert [m for m in watch.console if m[0] in ("error", "warning")] == []


# --------------------------------------------------------------------------------------------


def test_index_loads_and_sorts(page, seed_view):
    p, watch = page
    corpus, det, out = seed_view
    p.goto((out / "index.html").as_uri())
    _ready(p)
    rows = p.locator("#reports tbody tr")
    assert rows.count() == len(corpus)
    ids = lambda: p.eval_on_selector_all("#reports tbody tr", "rs => rs.map(r => r.dataset.report)")  # noqa: E731
    assert ids() == sorted(corpus.ids)
    p.locator("#reports thead th button", has_text="year").click()
    years = {r.report_id: int(r.year) for r in det.report_scores_.itertuples()}
    asc = sorted(corpus.ids, key=lambda r: (years[r], sorted(corpus.ids).index(r)))
    assert ids() == asc
    p.locator("#reports thead th button", has_text="year").click()
    desc = sorted(corpus.ids, key=lambda r: (-years[r], sorted(corpus.ids).index(r)))
    assert ids() == desc
    p.locator("#reports tbody tr a").first.click()
    p.wait_for_load_state()
    assert p.url.endswith(page_name(desc[0]))
    _ready(p)
    _clean(watch)


def test_seed_highlights_match_the_units(page, seed_view):
    p, watch = page
    corpus, det, out = seed_view
    for rid in corpus.ids:
        p.goto((out / "reports" / page_name(rid)).as_uri())
        _ready(p)
        units = det.units_[det.units_.report_id == rid]
        for label in VIEW_LABELS:
            n = int((units.label == label).sum())
            assert p.locator(f"#text span.u.l-{label}").count() == n, (rid, label)
        assert p.inner_text("#text") == corpus[rid].text
    _clean(watch)


def test_every_label_is_visibly_highlighted(page, seed_view, tmp_path):
    p, watch = page
    corpus, det, _ = seed_view
    # the seeds hold few reuse labels: relabel the matchable units in turn (the view shows
    # whatever the units table says)
    units = det.units_.copy()
    matchable = ~units.label.isin(["heading", "short"])
    units.loc[matchable, "label"] = [VIEW_LABELS[k % 4] for k in range(int(matchable.sum()))]
    tables = {"units": units, "passages": det.passages_, "report_scores": det.report_scores_}
    write_reuse_view(tables, corpus, tmp_path)
    seen: dict[str, set[str]] = {}
    for rid in corpus.ids:
        p.goto((tmp_path / "reports" / page_name(rid)).as_uri())
        _ready(p)
        for label in VIEW_LABELS:
            colours = p.eval_on_selector_all(
                f"#text span.u.l-{label}", "els => els.map(e => getComputedStyle(e).backgroundColor)")
            seen.setdefault(label, set()).update(colours)
    # every label appears, each in one opaque colour of its own
    assert all(seen[label] for label in VIEW_LABELS), seen
    assert all(len(seen[label]) == 1 for label in VIEW_LABELS), seen
    colours = [next(iter(seen[label])) for label in VIEW_LABELS]
    assert len(set(colours)) == 4 and "rgba(0, 0, 0, 0)" not in colours
    _clean(watch)


def test_click_copied_passage_opens_side_by_side_panel(page, seed_view):
    p, watch = page
    corpus, det, out = seed_view
    copied = det.passages_[det.passages_.label == "copied"]
    assert len(copied) > 0, "the seeds hold copied passages"
    row = copied.iloc[0]
    rid, other = row.report_b, row.report_a
    p.goto((out / "reports" / page_name(rid)).as_uri())
    _ready(p)
    assert p.locator("#panel").is_hidden()
    here = corpus[rid].text[row.b_start:row.b_end]
    there = corpus[other].text[row.a_start:row.a_end]
    # the first mark of this passage: its text starts the passage
    mark = p.locator("#text mark.p-copied", has_text=here[:4]).first
    mark.click()
    panel = p.locator("#panel")
    assert panel.is_visible()
    card = panel.locator(".card").filter(has=p.locator("a.other-link", has_text=other)).first
    assert card.locator(".side.here mark.hit").inner_text() == here
    assert card.locator(".side.other mark.hit").inner_text() == there
    heading = card.locator("h3").inner_text()
    assert heading.startswith("copied") and f"score {row.score:.3f}" in heading
    assert f"{row.matched_chars} matched characters" in heading
    active = p.eval_on_selector_all("#text mark.p.active", "ms => ms.map(m => m.textContent).join('')")
    assert here in active
    shot = _artifacts() / "reuse-view-panel.png"
    p.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (VIEWPORT["width"], VIEWPORT["height"])
    assert len(data) > 20_000  # text, colours and the panel, not a blank page
    # the link opens the other report at the matching span, with its panel open
    card.locator("a.other-link").click()
    p.wait_for_load_state()
    assert p.url.split("#")[0].endswith(page_name(other))
    assert p.url.endswith(f"#at-{row.a_start}-{row.a_end}")
    _ready(p)
    assert p.locator("#panel").is_visible()
    assert p.locator("#panel .card a.other-link", has_text=rid).count() >= 1
    _clean(watch)


def test_close_and_compare_buttons(page, seed_view):
    p, watch = page
    corpus, det, out = seed_view
    rid = det.passages_.iloc[0].report_b
    p.goto((out / "reports" / page_name(rid)).as_uri())
    _ready(p)
    n = p.locator("#passages button.open-p").count()
    assert n == len(det.passages_for(rid))
    p.locator("#passages button.open-p").first.click()
    assert p.locator("#panel").is_visible() and p.locator("#panel .card").count() == 1
    assert p.locator("#text mark.p.active").count() >= 1
    p.locator("#panel-close").click()
    assert p.locator("#panel").is_hidden() and p.locator("#text mark.p.active").count() == 0
    p.keyboard.press("Tab")  # marks are reachable and open with the keyboard
    p.locator("#text mark.p").first.focus()
    p.keyboard.press("Enter")
    assert p.locator("#panel").is_visible()
    _clean(watch)


# --------------------------------------------------------------------------------------------
# XSS


HOSTILE = ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">',
           '<a href="javascript:window.__pwned=1">点击</a>', "</script><script>alert(1)</script>"]


@pytest.fixture(scope="module")
def hostile_view(tmp_path_factory):
    from govtext.records import Corpus, Report

    seeds = load_seeds()
    shared = "本镇" + "".join(HOSTILE) + "持续加强政府信息公开平台建设,认真做好依申请公开答复工作。"
    reports = []
    for rid, sid in [('<img src=x onerror="window.__pwned=1">', "000_6ac03842c3dfdc7c"),
                     ("</script>\u2028", "001_e3992751381c814a")]:
        lines = seeds[sid].text.split("\n")
        text = "\n".join([HOSTILE[0] + lines[0], *lines[1:4], shared, *lines[4:]])
        reports.append(Report(id=rid, text=text, raw=text, source="x.txt"))
    corpus = Corpus(reports)
    det = ReuseDetector(measures=False).fit(corpus)
    out = tmp_path_factory.mktemp("hostile-view")
    tables = {n: getattr(det, f"{n}_") for n in ("units", "passages", "report_scores", "families")}
    tables["report_scores"] = tables["report_scores"].assign(agency=HOSTILE[1])
    write_reuse_view(tables, corpus, out, title=HOSTILE[0])
    return corpus, det, out


def test_hostile_text_is_inert(page, hostile_view):
    p, watch = page
    corpus, det, out = hostile_view
    p.goto((out / "index.html").as_uri())
    _ready(p)
    assert p.evaluate("typeof window.__pwned") == "undefined"
    assert HOSTILE[0] in p.inner_text("h1")
    assert HOSTILE[1] in p.inner_text("#reports")
    for rid in corpus.ids:
        p.goto((out / "reports" / page_name(rid)).as_uri())
        _ready(p)
        text = p.inner_text("#text")
        for s in HOSTILE:
            assert s in text
        assert p.locator("img").count() == 0 and p.locator("#text a, #text script").count() == 0
        assert p.locator("script").count() == 2
        # open every shared passage: the panel shows the hostile text, inert
        marks = p.locator("#text mark.p")
        assert marks.count() > 0, "the hostile sentence is a shared passage"
        shown = []
        for k in range(marks.count()):
            marks.nth(k).click()
            shown.append(p.inner_text("#panel"))
            assert p.locator("#panel img, #panel script, #panel .ctx a").count() == 0
        assert any(HOSTILE[2] in t and HOSTILE[1] in t for t in shown)
        hrefs = p.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
        assert not any(h.lower().startswith("javascript:") for h in hrefs), hrefs
        assert p.evaluate("typeof window.__pwned") == "undefined"
    _clean(watch)


def test_missing_browser_is_reported(monkeypatch):
    # the skip (or, with GOVTEXT_REQUIRE_BROWSER=1, failure) names what is missing
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", "/nonexistent/chromium")
    reason = _missing()
    if importlib.util.find_spec("playwright") is None:
        assert reason.startswith("the playwright package is not installed")
    else:
        assert reason == ("no Chromium at /nonexistent/chromium (apt-get install chromium, or set "
                          "GOVTEXT_CHROMIUM)")
