"""Fuzzing every entry point that takes outside data (issue #10, "Hardening").

Inputs are the real seed reports (``corpora/seeds``), mutated: truncation, byte flips, wrong
encodings, NUL bytes, pipe floods, spam lines, hostile HTML. The property is always the same:
:func:`govtext.parse_reports` either returns reports that satisfy the record invariants (offsets
map into ``raw``, sections tile the text, tables/checks/statements come back with their
documented columns) or raises a :class:`~govtext.exceptions.GovtextError` with a message; with
``errors="skip"`` it never raises and every input becomes reports or skip rows.

Inputs that once broke something are kept in ``tests/fuzz_corpus/`` and replayed here. The
coverage-guided harness (atheris) is ``benchmarks/fuzz_atheris.py``; see
``docs/how-to/fuzzing.md``. Every hypothesis test is bounded (``max_examples``) so the whole file
runs in about a minute.
"""

from __future__ import annotations

import json
import os
import socket
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from govtext.datasets import seeds_path
from govtext.exceptions import BinaryInputError, GovtextError
from govtext.normalize import normalize
from govtext.read import parse_reports, read_reports
from govtext.records import SKIPPED_COLUMNS
from govtext.sections import split_sections
from govtext.statements import STATEMENT_COLUMNS, extract_statements
from govtext.tables import CHECK_COLUMNS, TABLE_COLUMNS, check_tables, parse_tables

SEED_FILES = sorted(seeds_path().glob("*.txt"))
SEEDS = [p.read_bytes() for p in SEED_FILES]
SEED_TEXTS = [b.decode("utf-8") for b in SEEDS]
SMALL = min(SEEDS, key=len)  # the truncation sweep runs on the shortest seed
CORPUS_DIR = Path(__file__).parent / "fuzz_corpus"

#: ``GOVTEXT_FUZZ_SCALE=50 pytest tests/test_fuzz.py`` runs 50x the examples (the long run; CI runs 1x).
SCALE = max(1, int(os.environ.get("GOVTEXT_FUZZ_SCALE", "1")))
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                derandomize=SCALE == 1, database=None)


def fuzz(n: int):
    """Settings for a bounded property: ``n`` examples (times GOVTEXT_FUZZ_SCALE)."""
    return settings(FUZZ, max_examples=n * SCALE)


SPAM = [
    "澳门新葡京娱乐城 真人百家乐 注册就送888元 www.xpj-casino.com",
    "文(wen)章(zhang)来(lai)源(yuan)：本(ben)站(zhan)",
    "【版权声明】本站部分内容来自互联网，如有侵权请联系删除 QQ:123456789",
    "点击查看更多>> 上一篇：下一篇：返回顶部 打印本页 关闭窗口",
    "加微信 weixin_888 领取红包 | 快三 | 时时彩 | 六合彩 |",
]


# --------------------------------------------------------------------------------------------
# the property


def check_report(r) -> None:
    """The invariants of one report and of every stage run on it."""
    n, m = len(r.text), len(r.raw)
    assert n > 0
    starts, ends = np.asarray(r.offsets), np.asarray(r.offset_ends)
    assert len(starts) == n and len(ends) == n
    assert (starts >= 0).all() and (ends <= m).all() and (starts <= ends).all()
    assert (np.diff(starts) >= 0).all(), "offsets must be non-decreasing"
    a, b = r.raw_span(0, n)
    assert 0 <= a <= b <= m
    for i in (0, n // 3, n // 2, n - 1):
        a, b = r.raw_span(i, i + 1)
        assert 0 <= a <= b <= m
    assert 0 <= r.span[0] <= r.span[1]
    # sections tile the text, children tile inside their parent
    secs = split_sections(r)
    assert secs, "a non-empty text has at least one section"
    assert secs[0].start == 0 and secs[-1].end == n
    for s, t in zip(secs, secs[1:]):
        assert s.end == t.start
    for top in secs:
        for s in top.walk():
            assert s.start <= s.heading_end <= s.end
            assert s.heading == r.text[s.start:s.heading_end] or s.heading == ""
            for c, d in zip(s.children, s.children[1:]):
                assert c.end == d.start
            if s.children:
                assert s.start <= s.children[0].start and s.children[-1].end <= s.end
    # tables, checks, statements: documented columns, spans inside the text
    cells = parse_tables(r)
    assert list(cells.columns) == TABLE_COLUMNS
    assert ((cells["start"] >= 0) & (cells["start"] <= cells["end"]) & (cells["end"] <= n)).all()
    checks = check_tables(cells)
    assert list(checks.columns) == CHECK_COLUMNS
    assert set(checks["status"]) <= {"pass", "fail", "not_assessable"}
    st_ = extract_statements(r)
    assert list(st_.columns) == STATEMENT_COLUMNS
    assert ((st_["start"] >= 0) & (st_["start"] < st_["end"]) & (st_["end"] <= n)).all()
    assert st_["text"].map(lambda t: bool(t.strip())).all()


def check_input(data: bytes | str, **kw):
    """Result-or-GovtextError with ``errors="raise"``; never raises with ``errors="skip"``.

    Returns the corpus (or the exception) of the ``errors="raise"`` call.
    """
    try:
        corpus = parse_reports(data, errors="raise", **kw)
    except GovtextError as exc:
        assert str(exc).strip(), f"{type(exc).__name__} without a message"
        outcome = exc
    else:
        assert len(corpus) >= 1
        ids = [r.id for r in corpus]
        assert len(set(ids)) == len(ids)
        for r in corpus:
            check_report(r)
        outcome = corpus
    skipped = parse_reports(data, errors="skip", **kw)
    assert list(skipped.skipped.columns) == SKIPPED_COLUMNS
    assert len(skipped) + len(skipped.skipped) >= 1, "every input is reports or skip rows"
    assert skipped.skipped["error"].map(lambda e: bool(str(e).strip())).all()
    if isinstance(outcome, GovtextError):
        assert len(skipped.skipped) >= 1
    else:
        assert [r.id for r in skipped] == [r.id for r in outcome]
    return outcome


# --------------------------------------------------------------------------------------------
# the seeds themselves, and the regression corpus


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seeds_satisfy_the_invariants(path):
    corpus = check_input(path.read_bytes(), source=str(path))
    assert not isinstance(corpus, GovtextError)


REGRESSIONS = sorted(p for p in CORPUS_DIR.glob("*") if p.suffix in (".txt", ".html", ".bin"))


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: p.name)
def test_regression_corpus(path):
    """Every kept input ends in reports or a GovtextError (never anything else)."""
    check_input(path.read_bytes(), source=path.name)


# --------------------------------------------------------------------------------------------
# truncation


@pytest.mark.parametrize("cut", range(0, len(SMALL), 97))
def test_truncation_sweep(cut):
    out = check_input(SMALL[:cut])
    if cut == 0:
        assert isinstance(out, GovtextError) and "empty" in str(out)


@pytest.mark.parametrize("side", ["prefix", "suffix"])
def test_truncation_at_every_position_reads_or_raises(side):
    """Reading (the entry point every stage depends on) at every cut of the shortest seed, byte by
    byte, keeping the head or the tail: reports whose offsets map into ``raw``, or a GovtextError
    with a message. (The whole-stage invariants run on every 97th cut above.)"""
    for cut in range(len(SMALL) + 1):
        data = SMALL[:cut] if side == "prefix" else SMALL[cut:]
        try:
            corpus = parse_reports(data, errors="raise")
        except GovtextError as exc:
            assert str(exc).strip(), (cut, type(exc).__name__)
            continue
        for r in corpus:
            n, m = len(r.text), len(r.raw)
            assert n and len(r.offsets) == n == len(r.offset_ends), cut
            assert 0 <= int(r.offsets[0]) and int(r.offset_ends[-1]) <= m, cut


@fuzz(25)
@given(seed=st.sampled_from(SEEDS), frac=st.floats(0, 1), head=st.booleans())
def test_random_truncation(seed, frac, head):
    k = int(frac * len(seed))
    check_input(seed[:k] if head else seed[k:])


# --------------------------------------------------------------------------------------------
# byte flips, NUL bytes


@fuzz(30)
@given(seed=st.sampled_from(SEEDS),
       flips=st.lists(st.tuples(st.floats(0, 0.9999), st.integers(0, 255)), min_size=1, max_size=40))
def test_byte_flips(seed, flips):
    data = bytearray(seed)
    for f, b in flips:
        data[int(f * len(data))] = b
    check_input(bytes(data))


@fuzz(15)
@given(seed=st.sampled_from(SEEDS), where=st.lists(st.floats(0, 1), min_size=1, max_size=5))
def test_nul_bytes_are_refused_with_their_offset(seed, where):
    data = bytearray(seed)
    for f in sorted(where, reverse=True):
        data.insert(int(f * len(data)), 0)
    out = check_input(bytes(data))
    assert isinstance(out, BinaryInputError)
    assert f"offset {bytes(data).index(0)}" in str(out)


@fuzz(10)
@given(seed=st.sampled_from(SEED_TEXTS), where=st.lists(st.floats(0, 1), min_size=1, max_size=5))
def test_nul_characters_in_str_input(seed, where):
    text = seed
    for f in sorted(where, reverse=True):
        k = int(f * len(text))
        text = text[:k] + "\x00" + text[k:]
    out = check_input(text)
    if not isinstance(out, GovtextError):
        assert all("\x00" not in r.text for r in out)


# --------------------------------------------------------------------------------------------
# encodings


def _traditional() -> str:
    """The seed compilation's traditional-script part (Big5-encodable)."""
    return parse_reports(SEEDS[3])[-1].raw


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "utf-16", "utf-16-be-bom", "utf-32", "utf-8-sig", "big5"])
def test_reencoded_seed_reads_the_same(codec):
    text = _traditional() if codec == "big5" else SEED_TEXTS[0]
    if codec == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(codec)
    want = parse_reports(text)
    got = check_input(data)
    assert not isinstance(got, GovtextError), got
    assert [r.text for r in got] == [r.text for r in want]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_says_how_to_read_it(codec):
    out = check_input(SEED_TEXTS[0].encode(codec))
    assert isinstance(out, BinaryInputError) and "utf-16" in str(out)


@pytest.mark.parametrize("i", range(len(SEEDS)))
def test_wrong_encodings(i):
    text = SEED_TEXTS[i]
    check_input(SEEDS[i], encoding="latin-1")  # mislabelled: decodes, reads as mojibake
    check_input(text.encode("utf-8").decode("latin-1").encode("utf-8"))  # double-encoded
    check_input(text.encode("big5", errors="replace"))  # simplified text squeezed into Big5
    check_input(text.encode("gb18030"), encoding="big5")  # wrong forced codec
    check_input(text.encode("utf-8")[1:].decode("utf-8", "ignore").encode("utf-16-le"))  # shifted


# --------------------------------------------------------------------------------------------
# pipe floods, spam lines


@fuzz(15)
@given(seed=st.sampled_from(SEED_TEXTS), where=st.floats(0, 1), count=st.integers(1, 20000),
       sep=st.sampled_from(["|", " | ", "｜", "|\n", "||\t"]))
def test_pipe_floods(seed, where, count, sep):
    k = int(where * len(seed))
    check_input((seed[:k] + sep * count + seed[k:]).encode("utf-8"))


@fuzz(20)
@given(seed=st.sampled_from(SEED_TEXTS),
       spam=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(SPAM)), min_size=1, max_size=12))
def test_spam_lines(seed, spam):
    lines = seed.split("\n")
    for f, s in spam:
        lines.insert(int(f * len(lines)), s)
    check_input("\n".join(lines))


@fuzz(10)
@given(seed=st.sampled_from(SEED_TEXTS), glossed=st.floats(0, 1))
def test_pinyin_glosses(seed, glossed):
    """``文(wen)章(zhang)``: a gloss after some Han characters."""
    k = int(glossed * len(seed))
    tail = "".join(f"{ch}(x)" if "\u4e00" <= ch <= "\u9fff" else ch for ch in seed[k:k + 400])
    check_input(seed[:k] + tail + seed[k + 400:])


# --------------------------------------------------------------------------------------------
# HTML


def _html_body(text: str) -> str:
    return "".join(f"<p>{line}</p>" for line in text.split("\n"))


WRAPPERS = {
    "plain": lambda b: f"<html><head><title>年报</title></head><body><div id='zoom'>{b}</div></body></html>",
    "unclosed": lambda b: "<html><body><div><table><tr><td><span><p>" + b,
    "nested_200": lambda b: "<html><body>" + "<div>" * 200 + b + "</div>" * 200 + "</body></html>",
    "nested_2000_unclosed": lambda b: "<html><body>" + "<div><span>" * 1000 + b,
    "entity_lt": lambda b: "<html><body><p>" + "&lt;" * 100_000 + "</p>" + b + "</body></html>",
    "entity_numeric": lambda b: "<html><body><p>" + "&#20013;&#x6587;&#0;&#xD800;&#1114112;" * 20_000 + "</p>" + b,
    "script": lambda b: ("<html><body onload=\"alert('XSS-ONLOAD')\"><script>document.write('XSS-SCRIPT')</script>"
                         "<img src=x onerror=\"alert('XSS-ONERROR')\"><a href=\"javascript:alert('XSS-HREF')\">首页</a>"
                         f"<div>{b}</div><iframe src='http://127.0.0.1:1/'>XSS-IFRAME</iframe></body></html>"),
    "comment_cdata": lambda b: "<html><body><!-- <p>信息公开 XSS-COMMENT --><![CDATA[ x ]]><?php echo 1 ?>" + b,
    "broken_tags": lambda b: "<html><body><<<p>>><div <p class=\"</div>\">" + b + "</tr></td></table></body>",
}


@pytest.mark.parametrize("wrapper", sorted(WRAPPERS))
@pytest.mark.parametrize("i", [0, 3])
def test_html_wrappers(wrapper, i):
    page = WRAPPERS[wrapper](_html_body(SEED_TEXTS[i]))
    for data in (page, page.encode("utf-8")):
        out = check_input(data)
        if not isinstance(out, GovtextError):
            assert all(r.format == "html" for r in out)
            for r in out:
                assert "XSS" not in r.text, "scripts, handlers, comments and iframes are dropped"


@fuzz(15)
@given(i=st.integers(0, len(SEEDS) - 1), depth=st.integers(0, 2000), cut=st.floats(0, 1),
       tag=st.sampled_from(["div", "span", "table", "p", "font", "b"]), closed=st.booleans())
def test_html_nesting_and_truncation(i, depth, cut, tag, closed):
    body = _html_body(SEED_TEXTS[i])
    page = "<html><body>" + f"<{tag}>" * depth + body + (f"</{tag}>" * depth if closed else "")
    check_input(page[: max(12, int(cut * len(page)))].encode("utf-8"))


def test_deeply_nested_page_is_read_or_the_error_names_the_depth():
    page = (CORPUS_DIR / "nested_300_closed.html").read_bytes()
    out = check_input(page)
    assert not isinstance(out, GovtextError) or "nest" in str(out) or "depth" in str(out)


def test_doctype_entities_are_not_expanded_and_nothing_is_fetched(tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FILE-CONTENT", encoding="utf-8")
    calls = []

    def no_network(self, *a, **k):
        calls.append(a)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    laughs = "".join(f'<!ENTITY l{k} "{f"&l{k - 1};" * 10}">' for k in range(1, 10))
    page = (
        f'<!DOCTYPE html [<!ENTITY boom "ENTITY-EXPANDED"><!ENTITY l0 "LOL">{laughs}'
        f'<!ENTITY ext SYSTEM "{secret.as_uri()}"><!ENTITY net SYSTEM "http://127.0.0.1:9/x.dtd">'
        '<!ENTITY % pe SYSTEM "http://127.0.0.1:9/pe.dtd"> %pe;]>'
        f"<html><body><p>&boom;&ext;&net;&l9;</p>{_html_body(SEED_TEXTS[0])}</body></html>"
    )
    for data in (page, page.encode("utf-8")):
        out = check_input(data)
        assert not isinstance(out, GovtextError), out
        for r in out:
            assert "ENTITY-EXPANDED" not in r.text
            assert "SECRET-FILE-CONTENT" not in r.text
            assert "LOL" not in r.text
    assert calls == [], "nothing may be fetched"


# --------------------------------------------------------------------------------------------
# normalisation on arbitrary text

TOKENS = st.sampled_from(["|", " ", "\u3000", "\t", "\n", "\r\n", "\x0c", "\x00", "\u200b", "\ufeff", "信息公开",
                          "一、", "第一篇", "（一）", "１２３", "ＡＢ", "&amp;", "文(wen)", "\ud7ff", "𠀀", "ｈｔｔｐ://x.cn"])


@fuzz(60)
@given(parts=st.lists(st.one_of(TOKENS, st.text(max_size=20)), max_size=60))
def test_normalize_offsets_on_arbitrary_text(parts):
    src = "".join(parts)
    n = normalize(src)
    assert len(n.starts) == len(n.text) == len(n.ends)
    if len(n.text):
        assert (n.starts >= 0).all() and (n.ends <= len(src)).all() and (n.starts <= n.ends).all()
        assert (np.diff(n.starts) >= 0).all()
    for rm in n.removed:
        assert src[rm.start:rm.end] == rm.text


@fuzz(25)
@given(seed=st.sampled_from(SEED_TEXTS), parts=st.lists(st.tuples(st.floats(0, 1), TOKENS), max_size=40),
       cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 300)), max_size=5))
def test_structural_mutations(seed, parts, cuts):
    """Headings, list markers, compilation markers and table debris in random places."""
    text = seed
    for f, length in cuts:
        k = int(f * len(text))
        text = text[:k] + text[k + length:]
    for f, tok in parts:
        k = int(f * len(text))
        text = text[:k] + tok + text[k:]
    check_input(text)


# --------------------------------------------------------------------------------------------
# the reuse detector and analyze on mutated inputs


def check_detector(det, reports) -> None:
    """The invariants of a fitted ReuseDetector: every unit and passage points at the exact text
    of a report of the corpus, every report has a score row and a family, shares are shares."""
    texts = {r.id: r.text for r in reports}
    units = det.units_
    assert set(units["report_id"]) <= set(texts)
    for u in units.itertuples():
        assert 0 <= u.start < u.end <= len(texts[u.report_id])
        assert texts[u.report_id][u.start:u.end] == u.text
    assert set(units["label"]) <= {"template", "copied", "recycled", "own", "heading", "short"}
    for p in det.passages_.itertuples():
        assert 0 <= p.a_start < p.a_end <= len(texts[p.report_a])
        assert 0 <= p.b_start < p.b_end <= len(texts[p.report_b])
    pairs = det.pairs_
    assert ((pairs["jaccard"] >= 0) & (pairs["jaccard"] <= 1)).all()
    scores = det.report_scores_
    assert sorted(scores["report_id"]) == sorted(texts)
    share = scores[["share_template", "share_copied", "share_recycled", "share_own"]]
    assert ((share >= -1e-9) & (share <= 1 + 1e-9)).all().all()
    assert sorted(det.families_["report_id"]) == sorted(texts)
    sim = det.similarity_
    assert ((sim["jaccard"] >= -1e-9) & (sim["jaccard"] <= 1 + 1e-9)).all()


def _mutated_corpus(data) -> list:
    """Two to five reports built from the seeds by the mutations a scraped corpus shows: cuts,
    spam and pipe tails, exact and near duplicates (a hub of identical copies), traditional-script
    copies, reports whose narrative is a single repeated sentence, digits only."""
    import opencc

    base = [SEED_TEXTS[0], SEED_TEXTS[1], SEED_TEXTS[2], SEED_TEXTS[4]]
    texts = []
    for _ in range(data.draw(st.integers(2, 5), label="n")):
        t = data.draw(st.sampled_from(base), label="seed")
        kind = data.draw(st.sampled_from(["cut", "duplicate", "traditional", "repeat", "digits", "hub"]), label="kind")
        if kind == "cut":
            k = int(data.draw(st.floats(0.05, 1)) * len(t))
            t = t[:k] + data.draw(st.sampled_from(SPAM + ["|" * 500, "", "\n\n\n"]))
        elif kind == "duplicate" and texts:
            t = texts[-1]
        elif kind == "traditional":
            t = opencc.OpenCC("s2t").convert(t[: len(t) // 2])
        elif kind == "repeat":
            t = t[:200] + "我局进一步加强政府信息公开工作。" * data.draw(st.integers(1, 300))
        elif kind == "digits":
            t = t[:120] + "本年度主动公开信息123条,依申请公开45件。" + "0123456789" * 50
        elif kind == "hub":
            texts.extend([t] * data.draw(st.integers(2, 6)))
        texts.append(t)
    return texts


@settings(fuzz(12), phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: minutes per failure
@given(data=st.data())
def test_reuse_detector_on_mutated_corpora(data):
    """The detector on hostile corpora: a result whose every span is exact, or a GovtextError."""
    from govtext.reuse import ReuseDetector

    texts = _mutated_corpus(data)
    reports = []
    for j, t in enumerate(texts):
        reports.extend(parse_reports(t, id=f"r{j}", errors="skip"))
    method = data.draw(st.sampled_from(["lsh", "exact"]), label="method")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # small-cohort warnings are expected here
            det = ReuseDetector(method=method).fit(reports)
    except GovtextError as exc:
        assert str(exc).strip()
        assert not reports or "narrative" in str(exc) or "report" in str(exc)
        return
    check_detector(det, reports)
    # copies of one report: each sentence is clustered with the same sentence of every other copy
    # (whatever its label: copies of one agency-year are neither copied from another agency nor recycled)
    copies: dict[str, list[str]] = {}
    for r in reports:
        copies.setdefault(r.text, []).append(r.id)
    units = det.units_[det.units_["label"] != "short"]
    for ids in copies.values():
        if len(ids) > 1:
            first = units[units["report_id"] == ids[0]][["start", "end", "cluster_id"]].reset_index(drop=True)
            assert first["cluster_id"].notna().all()
            for other in ids[1:]:
                o = units[units["report_id"] == other][["start", "end", "cluster_id"]].reset_index(drop=True)
                pd.testing.assert_frame_equal(first, o)


@settings(fuzz(3), phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(data=st.data())
def test_analyze_on_mutated_folders(data, tmp_path_factory):
    """analyze (every stage) on a folder of mutated files: every file is reports or skip rows, the
    tables' spans are exact, and nothing raises with errors="skip"."""
    from govtext.pipeline import analyze, write_outputs

    root = tmp_path_factory.mktemp("fuzzin")
    texts = _mutated_corpus(data)
    for j, t in enumerate(texts):
        enc = data.draw(st.sampled_from(["utf-8", "gb18030", "utf-16"]), label="encoding")
        (root / f"f{j}.txt").write_bytes(t.encode(enc, errors="replace"))
    (root / "broken.txt").write_bytes(b"\xff\xfe\x00" + bytes(range(256)) * 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = analyze(root)
    files = {p.name for p in root.iterdir()}
    accounted = {Path(r.source).name for r in result.corpus} | {Path(p).name for p in result.tables["skipped"]["path"]}
    assert accounted == files
    t = result.tables
    texts_by_id = {r.id: r.text for r in result.corpus}
    for u in t["units"].itertuples():
        assert texts_by_id[u.report_id][u.start:u.end] == u.text
    for s in t["sentences"].itertuples():
        assert texts_by_id[s.report_id][s.start:s.end] == s.text
    written = write_outputs(result, root.parent / (root.name + "_out"), parquet=False)
    assert set(written) == set(t)


# --------------------------------------------------------------------------------------------
# accounting: every input file is reports or skip rows, and the manifest adds up


def _mixed_folder(root: Path) -> dict[str, str]:
    """Write the mixed folder; return file name -> expected outcome."""
    root.mkdir(parents=True, exist_ok=True)
    want = {}
    for p in SEED_FILES:
        (root / p.name).write_bytes(p.read_bytes())
        want[p.name] = "reports"
    (root / "empty.txt").write_bytes(b"")
    want["empty.txt"] = "empty"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    (root / "scan.png").write_bytes(png)
    want["scan.png"] = "unsupported_suffix"
    (root / "scan_named_txt.txt").write_bytes(png)
    want["scan_named_txt.txt"] = "binary"
    (root / "gbk.txt").write_bytes(SEED_TEXTS[1].encode("gbk"))
    want["gbk.txt"] = "reports"
    (root / "notes.txt").write_text("会议纪要：今天讨论了食堂的午饭安排，大家一致同意下午继续开会讨论明年的预算问题。" * 3,
                                    encoding="utf-8")
    want["notes.txt"] = "not_a_report"
    (root / "page.html").write_text(WRAPPERS["plain"](_html_body(SEED_TEXTS[4])), encoding="utf-8")
    want["page.html"] = "reports"
    (root / "report.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    want["report.docx"] = "unsupported_suffix"
    (root / "broken.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8" * 50)  # a UTF-16 BOM, then lone surrogates
    want["broken.txt"] = "undecodable"
    return want


def _account(corpus, root: Path, want: dict[str, str]) -> None:
    by_file: dict[str, list] = {}
    for r in corpus:
        by_file.setdefault(Path(r.source).name, []).append(r.id)
    skipped = corpus.skipped
    skip_files = {Path(p).name: reason for p, reason in zip(skipped["path"], skipped["reason"]) if reason != "preface"}
    for name, outcome in want.items():
        if outcome == "reports":
            assert by_file.get(name), f"{name} gave no report"
            assert name not in skip_files
        else:
            assert name not in by_file
            assert skip_files.get(name) == outcome, f"{name}: {skip_files.get(name)} != {outcome}"
    assert set(by_file) | set(skip_files) == set(want), "every file is reports or a skip row, nothing else"
    comp = SEED_FILES[3].name
    assert len(by_file[comp]) == 8 and all("#" in i for i in by_file[comp])
    prefaces = skipped[skipped["reason"] == "preface"]
    assert [Path(p).name for p in prefaces["path"]] == [comp]


def test_read_reports_accounts_for_every_file(tmp_path):
    want = _mixed_folder(tmp_path / "in")
    corpus = read_reports(tmp_path / "in", errors="skip")
    _account(corpus, tmp_path / "in", want)


def test_analyze_accounts_for_every_file(tmp_path):
    from govtext.pipeline import analyze, write_outputs

    want = _mixed_folder(tmp_path / "in")
    result = analyze(tmp_path / "in")
    _account(result.corpus, tmp_path / "in", want)
    write_outputs(result, tmp_path / "out", parquet=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    assert counts["reports"] == len(result.corpus) == len(result.tables["reports"])
    assert counts["skipped"] == len(result.tables["skipped"]) == len(manifest["skipped"])
    report_files = {Path(r.source).name for r in result.corpus}
    skip_only = {Path(p).name for p in result.tables["skipped"]["path"]} - report_files
    # every file govtext considers is a manifest input (unsupported suffixes too: they are skip rows),
    # and each one is accounted for by a report or a skip row
    assert {Path(i["path"]).name for i in manifest["inputs"]} == {Path(n).name for n in want}
    assert report_files | skip_only == {Path(n).name for n in want}


def test_manifest_counts_add_up(tmp_path):
    from govtext.pipeline import analyze, write_outputs

    want = _mixed_folder(tmp_path / "in")
    result = analyze(tmp_path / "in")
    write_outputs(result, tmp_path / "out", parquet=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    report_files = {Path(r.source).as_posix() for r in result.corpus}
    skip_only = {Path(p).as_posix() for p in result.tables["skipped"]["path"]} - report_files
    assert manifest["counts"]["input_files"] == len(report_files) + len(skip_only) == len(want)


def test_ignored_files_are_not_inputs(tmp_path):
    from govtext.pipeline import analyze

    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_bytes(SEEDS[0])
    (root / "README.txt").write_text("说明", encoding="utf-8")
    (root / ".hidden.txt").write_bytes(SEEDS[1])
    result = analyze(root)
    accounted = {Path(r.source).name for r in result.corpus} | {Path(p).name for p in result.tables["skipped"]["path"]}
    assert {Path(i["path"]).name for i in result.inputs} <= accounted


# --------------------------------------------------------------------------------------------
# output paths stay inside --out


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("name", ["../escape", "..", "/etc/passwd", "a/b", "a\\b", "", "x.csv/..", "表格", "a b",
                                  "..\\..\\evil", "con:x", "a\x00b"])
def test_hostile_table_names_are_refused(tmp_path, seeds, name):
    from govtext.pipeline import AnalysisResult, write_outputs

    result = AnalysisResult(tables={name: pd.DataFrame({"x": [1]})}, corpus=seeds, params={})
    out = tmp_path / "sub" / "out"
    with pytest.raises(ValueError, match="not a safe file name"):
        write_outputs(result, out, parquet=False)
    assert all(p.resolve().is_relative_to(out.resolve()) for p in _files_under(tmp_path))


def test_table_name_with_trailing_newline_is_refused(tmp_path, seeds):
    from govtext.pipeline import AnalysisResult, write_outputs

    result = AnalysisResult(tables={"reports\n": pd.DataFrame({"x": [1]})}, corpus=seeds, params={})
    with pytest.raises(ValueError):
        write_outputs(result, tmp_path / "out", parquet=False)


def test_hostile_table_name_error_is_a_govtext_error(tmp_path, seeds):
    from govtext.pipeline import AnalysisResult, write_outputs

    result = AnalysisResult(tables={"../x": pd.DataFrame({"x": [1]})}, corpus=seeds, params={})
    with pytest.raises(GovtextError):
        write_outputs(result, tmp_path / "out", parquet=False)


def test_report_ids_cannot_escape_the_output_directory(tmp_path):
    """Report ids come from file names; none of them may steer a path."""
    from govtext.pipeline import analyze, write_outputs

    root = tmp_path / "a" / "b" / "in"
    # names starting with "." are hidden files (ignored by read_reports), so the traversal-looking
    # ids come from names like these, in nested folders, and from ids given directly
    hostile = ["%2E%2E%2F%2E%2E%2Fetc%2Fpasswd#1.txt", "passwd#1.txt", "a..b.txt", "~root.txt", "-rf.txt",
               "a#1.txt", "con.txt", "nul.txt", "名字 带空格.txt", "x....txt"]
    sub = root / "sub" / "etc" / "passwd"
    sub.mkdir(parents=True)
    for k, name in enumerate(hostile):
        (sub / name).write_bytes(SEEDS[k % 3])
    # an id that *looks* like a traversal, given directly
    corpus = parse_reports(SEED_TEXTS[0], id="../../etc/passwd#1") + parse_reports(SEED_TEXTS[3], id="/etc/shadow")
    result = analyze(root)
    assert len(result.corpus) == len(hostile)
    assert "sub/etc/passwd/passwd#1" in result.corpus.ids
    for res, out in ((result, tmp_path / "o1" / "out"), (analyze(corpus), tmp_path / "o2" / "out")):
        before = set(_files_under(tmp_path))
        write_outputs(res, out, parquet=None)
        new = set(_files_under(tmp_path)) - before
        assert new, "something was written"
        for p in new:
            assert p.resolve().is_relative_to(out.resolve()), f"{p} escapes {out}"
        assert {p.parent for p in new} == {out}
    assert not (tmp_path / "etc").exists()
    assert "../../etc/passwd#1" in corpus.ids


def test_cli_out_paths_stay_inside(tmp_path):
    from govtext.cli import main

    sub = tmp_path / "in" / "etc"
    sub.mkdir(parents=True)
    (sub / "%2E%2E%2Fpwned#1.txt").write_bytes(SEEDS[0])
    out = tmp_path / "deep" / "out"
    before = set(_files_under(tmp_path))
    code = main(["analyze", str(tmp_path / "in"), "--out", str(out), "--no-progress", "--no-parquet", "--no-figures"])
    assert code in (0, None)
    new = set(_files_under(tmp_path)) - before
    assert new and all(p.resolve().is_relative_to(out.resolve()) for p in new)


# --------------------------------------------------------------------------------------------
# pathological sizes: they complete (timings are in benchmarks/fuzz_atheris.py --families)

PATHOLOGICAL = {
    "pipes": lambda n: "|" * n,
    "pipes_lines": lambda n: "| |\n" * (n // 4),
    "spaces": lambda n: " " * n,
    "ideographic_spaces": lambda n: "\u3000" * n,
    "headings": lambda n: "一、信息公开\n" * (n // 7),
    "list_markers": lambda n: "一是" * (n // 2),
    "digits": lambda n: "1 " * (n // 2),
}


@pytest.mark.parametrize("n", [10**5, 10**6])
@pytest.mark.parametrize("family", sorted(PATHOLOGICAL))
def test_pathological_sizes_complete(family, n):
    junk = PATHOLOGICAL[family](n)
    seed = SEED_TEXTS[0]
    text = seed[:2000] + junk + seed[2000:]
    norm = normalize(text)
    assert len(norm.starts) == len(norm.text)
    try:
        corpus = parse_reports(text.encode("utf-8"))
    except GovtextError as exc:
        assert str(exc).strip()
    else:
        assert len(corpus) >= 1
        if n == 10**5:  # the later stages at the smaller size only (time budget)
            for r in corpus:
                check_report(r)


def test_fuzz_corpus_is_small():
    """The regression inputs stay small files (the pathological sizes are built by code)."""
    assert REGRESSIONS, "tests/fuzz_corpus/ holds the regression inputs"
    assert all(p.stat().st_size <= 64 * 1024 for p in CORPUS_DIR.iterdir())

