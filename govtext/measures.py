"""Text measures of annual reports: per report, and year over year for the same agency.

Per report (:func:`report_measures`, one row per report):

* **length** -- narrative characters, words and sentences (tables excluded, as in
  :func:`govtext.sentences.sentence_spans`);
* **boilerplate** (Lang & Stice-Lawrence 2015) -- the share of a report's words that lie in
  sentences containing at least one *common* word 4-gram; :class:`BoilerplateScorer` fits the
  common 4-grams on one corpus and scores another;
* **redundancy** (Cazier & Pfeiffer; Dyer, Lang & Stice-Lawrence 2017) -- the share of word
  10-gram occurrences repeated within the report, and the share of repeated sentences;
* **specificity** (Hope, Hu & Lu 2016) -- numbers, dates, place names and organisation names per
  1,000 narrative characters, also for the problem and measure statements of part 五, and the
  share of words that are numbers (hard information);
* **readability** controls (徐巍 et al. 2021) -- characters per clause and the share of adverbs
  and conjunctions per sentence.

Year over year (:func:`year_over_year`, one row per pair of consecutive reports of an agency):
the four "Lazy Prices" similarities (Cohen, Malloy & Nguyen 2020: cosine, Jaccard, minimum edit,
simple diff), stickiness (8-gram and sentence carry-over), the Brown & Tucker (2011)
modification score and an "identical to last year" flag.

Every definition, parameter and source is on the explanation page ``docs/measures.md``; the
docstrings below state the definitions as implemented.

Shared conventions
------------------
* **Text.** Only narrative sentences (:func:`govtext.sentences.sentence_spans`: the statistical
  tables are excluded; section headings are sentences of their own) of ``Report.text``.
* **Words.** Tokens of :class:`govtext.tokenize.Tokenizer` (by default ``Tokenizer(normalize=False)``,
  as ``Report.text`` is already normalised) that contain a letter, digit or Han character:
  punctuation is not a word. With ``mask_numbers=True`` (the default) every numeric token
  (``2023``, ``1.5``, ``50%``, ``2024-01-22``, ``0539-2657000``) becomes ``<num>`` before
  n-grams, sets and sequences are formed, so that fill-in-the-blank templates
  (``本年主动公开信息X条``) and a recycled report with updated figures still match.
* **n-grams** are formed within sentences, never across a sentence boundary.
* **Tokenise once.** :func:`tokenize_reports` returns :class:`TokenizedReport` objects keyed by
  report id; every function accepts them instead of reports, or a ``cache`` dict that is filled
  on first use and reused (entries are checked against the text and the tokenizer).

Examples
--------
>>> from govtext.datasets import load_seeds
>>> from govtext.measures import report_measures, tokenize_reports
>>> corpus = load_seeds()
>>> cache = {}
>>> scores = report_measures(corpus, cache=cache)
>>> scores.sort_values("specificity").report_id.iloc[-1]  # the county report full of figures
'004_3cd86ea425926f19'
>>> sorted(cache) == sorted(corpus.ids)  # tokenised once, reused by the next call
True
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import re
import sys
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from govtext.exceptions import (
    GovtextWarning,
    InputError,
    InvalidParameterError,
    MissingDependencyError,
    NotFittedError,
)

__all__ = [
    "MEASURE_COLUMNS",
    "NUM_TOKEN",
    "SENTENCE_FLAG_COLUMNS",
    "YOY_COLUMNS",
    "BoilerplateScorer",
    "TokenizedReport",
    "boilerplate_ngrams",
    "report_measures",
    "tokenize_reports",
    "year_over_year",
]

logger = logging.getLogger(__name__)

#: Columns of :func:`report_measures`, in order.
MEASURE_COLUMNS = [
    "report_id",
    "n_chars",
    "n_tokens",
    "n_sentences",
    "boilerplate_lsl",
    "redundancy",
    "redundancy_sentences",
    "specificity",
    "n_numbers",
    "n_dates",
    "n_places",
    "n_orgs",
    "hard_info",
    "specificity_problems",
    "specificity_measures",
    "chars_per_clause",
    "adv_conj_share",
]

#: Columns of :func:`year_over_year`, in order.
YOY_COLUMNS = [
    "agency",
    "report_from",
    "report_to",
    "year_from",
    "year_to",
    "n_tokens_from",
    "n_tokens_to",
    "cosine",
    "jaccard",
    "edit_sim",
    "diff_sim",
    "stickiness",
    "stickiness_sentences",
    "identical",
    "modification",
    "modification_adj",
]

#: Columns of :meth:`BoilerplateScorer.flag_sentences`, in order.
SENTENCE_FLAG_COLUMNS = [
    "report_id",
    "sentence_index",
    "section",
    "heading",
    "text",
    "n_units",
    "n_matches",
    "boilerplate",
]

#: The unit that replaces numeric tokens when ``mask_numbers=True``.
NUM_TOKEN = "<num>"

_INT_MEASURES = ("n_chars", "n_tokens", "n_sentences", "n_numbers", "n_dates")
_NULLABLE_INT_MEASURES = ("n_places", "n_orgs")  # <NA> without part-of-speech tags

# --------------------------------------------------------------------------------------------
# token classes and hashing

_WORD_RE = re.compile(r"[^\W_]")  # a word has a letter, digit or Han character
_NUMERIC_RE = re.compile(r"[+\-−]?[0-9][0-9,.:/\-—–%]*")
_HAN_RE = re.compile("[\u4e00-\u9fd5]")

_MASK64 = (1 << 64) - 1
_P = 0x9E3779B97F4A7C15  # odd 64-bit multiplier of the n-gram key polynomial
_P_NP = np.uint64(_P)
_HASH_MEMO: dict[str, int] = {}
_HASH_MEMO_MAX = 2_000_000


def _word_hash(word: str) -> int:
    """64-bit blake2b of a unit (stable across processes, unlike Python's ``hash``)."""
    got = _HASH_MEMO.get(word)
    if got is None:
        got = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        if len(_HASH_MEMO) >= _HASH_MEMO_MAX:
            _HASH_MEMO.clear()
        _HASH_MEMO[word] = got
    return got


def _hash_units(units: Sequence[str]) -> np.ndarray:
    got = list(map(_HASH_MEMO.get, units))
    if None in got:
        got = [_word_hash(u) if h is None else h for u, h in zip(units, got)]
    return np.fromiter(got, dtype=np.uint64, count=len(units))


def _ngram_key(units: Sequence[str]) -> int:
    """The key of one n-gram, computed as :func:`_ngram_keys` does (mod 2**64)."""
    key = 0
    for i, u in enumerate(units):
        key = _word_hash(u) if i == 0 else (key * _P + _word_hash(u)) & _MASK64
    return key


# --------------------------------------------------------------------------------------------
# tokenised reports


@dataclass(frozen=True)
class TokenizedReport:
    """The narrative of one report, split into sentences and tokens (computed once, reused).

    Made by :func:`tokenize_reports`, or from your own tokens with :meth:`from_tokens`.

    Attributes
    ----------
    report_id : str
    sentences : tuple of str
        Narrative sentence texts (:func:`govtext.sentences.sentence_spans`), in text order.
    tokens : tuple of tuple of str
        Tokens of each sentence (punctuation included; it is dropped where words are counted).
    tags : tuple of tuple of str, or None
        Part-of-speech tags of the tokens (:meth:`govtext.tokenize.Tokenizer.pos_tag`); None when
        unknown, which leaves the tag-based measures (places, organisations, adverbs and
        conjunctions) NaN.
    headings : tuple of bool
        True for section headings.
    sections : tuple of str
        Top-level section key of each sentence.
    statements : tuple of (str, str, tuple of str, tuple of str)
        ``(kind, text, tokens, tags)`` of the problem and measure statements
        (:func:`govtext.statements.statements`); empty when unknown.
    key : str
        What the tokens were computed from (tokenizer parameters and a digest of the text);
        :func:`tokenize_reports` re-tokenises a cached entry whose key differs.
    """

    report_id: str
    sentences: tuple[str, ...]
    tokens: tuple[tuple[str, ...], ...]
    tags: tuple[tuple[str, ...], ...] | None = None
    headings: tuple[bool, ...] = None  # type: ignore[assignment]
    sections: tuple[str, ...] = None  # type: ignore[assignment]
    statements: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = field(default=(), repr=False)
    key: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        n = len(self.sentences)
        if self.headings is None:
            object.__setattr__(self, "headings", (False,) * n)
        if self.sections is None:
            object.__setattr__(self, "sections", ("unknown",) * n)
        lengths = {len(self.tokens), len(self.headings), len(self.sections)}
        if self.tags is not None:
            lengths.add(len(self.tags))
            if any(len(a) != len(b) for a, b in zip(self.tokens, self.tags)):
                msg = f"TokenizedReport {self.report_id!r}: every sentence needs one tag per token."
                raise InvalidParameterError(msg)
        if lengths != {n}:
            msg = (
                f"TokenizedReport {self.report_id!r}: sentences, tokens, tags, headings and sections "
                f"must have one entry per sentence ({n})."
            )
            raise InvalidParameterError(msg)

    @classmethod
    def from_tokens(cls, report_id: str, sentences: Iterable[Iterable[str]], *,
                    headings: Iterable[bool] | None = None) -> TokenizedReport:
        """Wrap pre-tokenised sentences (no tags: tag-based measures are NaN).

        Parameters
        ----------
        report_id : str
        sentences : iterable of iterable of str
            The tokens of each sentence; a sentence's text is its tokens joined without spaces.
        headings : iterable of bool, optional
            Which sentences are headings (default none).

        Examples
        --------
        >>> tr = TokenizedReport.from_tokens("r1", [["本镇", "主动", "公开", "信息", "。"]])
        >>> tr.sentences, tr.tags
        (('本镇主动公开信息。',), None)
        """
        if not isinstance(report_id, str):
            msg = f"The 'report_id' parameter of TokenizedReport.from_tokens must be a str. Got {report_id!r} instead."
            raise InvalidParameterError(msg)
        toks = []
        for s in sentences:
            if isinstance(s, str):
                msg = (
                    "The 'sentences' parameter of TokenizedReport.from_tokens must be an iterable of "
                    f"token lists. Got a str ({s[:20]!r}) instead."
                )
                raise InvalidParameterError(msg)
            toks.append(tuple(str(t) for t in s))
        return cls(
            report_id,
            tuple("".join(t) for t in toks),
            tuple(toks),
            None,
            None if headings is None else tuple(bool(h) for h in headings),
        )


_DEFAULT_TOKENIZER: Any = None


def _default_tokenizer() -> Any:
    global _DEFAULT_TOKENIZER
    if _DEFAULT_TOKENIZER is None:
        from govtext.tokenize import Tokenizer

        _DEFAULT_TOKENIZER = Tokenizer(normalize=False)
    return _DEFAULT_TOKENIZER


def _check_tokenizer(tokenizer: Any, caller: str) -> Any:
    if tokenizer is None:
        return _default_tokenizer()
    if not callable(getattr(tokenizer, "pos_tag", None)):
        msg = (
            f"The 'tokenizer' parameter of {caller} must be None or a govtext Tokenizer "
            f"(an object with a pos_tag method). Got {type(tokenizer).__name__} instead."
        )
        raise InvalidParameterError(msg)
    return tokenizer


def _tokenizer_key(tokenizer: Any) -> str:
    params = tokenizer.get_params() if callable(getattr(tokenizer, "get_params", None)) else {}
    return f"{type(tokenizer).__qualname__}{sorted(params.items(), key=lambda kv: kv[0])!r}"


def _intern_all(tokens: Iterable[str]) -> tuple[str, ...]:
    return tuple(map(sys.intern, tokens))


def _tag_texts(tokenizer: Any, texts: list[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Interned ``(tokens, tags)`` of each text, as ``tokenizer.pos_tag`` gives them.

    A govtext :class:`~govtext.tokenize.Tokenizer` (whose ``pos_tag`` is not overridden) tags
    the whole batch with one backend call; any other tokenizer is called text by text.
    """
    from govtext.tokenize import Tokenizer

    intern = sys.intern
    if isinstance(tokenizer, Tokenizer) and type(tokenizer).pos_tag is Tokenizer.pos_tag:
        return [(tuple(map(intern, toks)), tuple(map(intern, tags)))
                for toks, tags in tokenizer._pos_tag_many(texts)]
    out = []
    for s in texts:
        pairs = tokenizer.pos_tag(s)
        out.append((_intern_all(t for t, _ in pairs), _intern_all(g for _, g in pairs)))
    return out


def _tokenize_one(report: Any, tokenizer: Any, key: str) -> TokenizedReport:
    from govtext.sentences import sentence_spans

    text = report.text
    spans = sentence_spans(report)
    sents = [text[a:b] for a, b, _, _ in spans]
    heads = tuple([bool(head) for _, _, _, head in spans])
    secs = tuple([sec for _, _, sec, _ in spans])
    try:
        from govtext.statements import statements as _statements

        found = _statements(report)
    except Exception as exc:  # noqa: BLE001 - statements are optional for the measures
        logger.warning("report %r: statements not extracted (%s); specificity_problems/measures are NaN",
                       report.id, exc)
        found = ()
    found = list(found)
    tagged = _tag_texts(tokenizer, sents + [st.text for st in found])
    n = len(sents)
    toks = tuple([tt for tt, _ in tagged[:n]])
    tags = tuple([gg for _, gg in tagged[:n]])
    stmts = tuple((st.kind, st.text, tt, gg) for st, (tt, gg) in zip(found, tagged[n:]))
    return TokenizedReport(report.id, tuple(sents), toks, tags, heads, secs, stmts, key)


def _is_report(obj: Any) -> bool:
    return isinstance(getattr(obj, "id", None), str) and isinstance(getattr(obj, "text", None), str)


def _check_flag(value: Any, name: str, caller: str) -> bool:
    if not isinstance(value, bool):
        msg = f"The {name!r} parameter of {caller} must be a bool. Got {value!r} instead."
        raise InvalidParameterError(msg)
    return value


def tokenize_reports(corpus: Any, *, tokenizer: Any = None, cache: MutableMapping | None = None,
                     progress: bool = False) -> dict[str, TokenizedReport]:
    """Split each report's narrative into sentences and tagged tokens, once.

    Parameters
    ----------
    corpus : Corpus or iterable of Report
        (A mapping or iterable of :class:`TokenizedReport` is returned as a dict unchanged.)
    tokenizer : Tokenizer, optional
        Default ``Tokenizer(normalize=False)`` (``Report.text`` is already normalised). Its
        ``stopwords`` and ``drop_punct`` settings apply to every measure.
    cache : dict, optional
        Report id → :class:`TokenizedReport`. Entries whose text digest and tokenizer parameters
        match are reused; new or stale ones are computed and stored in it.
    progress : bool, default False
        Show a progress bar (needs tqdm).

    Returns
    -------
    dict
        Report id → :class:`TokenizedReport`, in corpus order. Sentences are those of
        :func:`govtext.sentences.sentence_spans` (tables excluded); statements those of
        :func:`govtext.statements.statements`.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> tr = tokenize_reports(load_seeds()[:1])["000_6ac03842c3dfdc7c"]
    >>> tr.sentences[0], tr.tokens[0][0], tr.tags[0][0]
    ('兰山区方城镇人民政府2023年政府信息公开工作年度报告', '兰山区', 'ns')
    >>> [(tr.sentences[i], tr.sections[i]) for i in range(len(tr.sentences)) if tr.headings[i]][:2]
    [('一、总体情况', 'overview'), ('(一)主动公开。', 'overview')]
    """
    caller = "tokenize_reports"
    _check_flag(progress, "progress", caller)
    if cache is not None and not isinstance(cache, MutableMapping):
        msg = f"The 'cache' parameter of {caller} must be None or a dict. Got {type(cache).__name__} instead."
        raise InvalidParameterError(msg)
    if isinstance(corpus, Mapping):
        items = list(corpus.values())
    elif isinstance(corpus, (str, bytes)) or not isinstance(corpus, Iterable):
        msg = f"The 'corpus' parameter of {caller} must be a Corpus or an iterable of Report. Got {type(corpus).__name__} instead."
        raise InvalidParameterError(msg)
    else:
        items = list(corpus)
    if items and all(isinstance(x, TokenizedReport) for x in items):
        return _unique({x.report_id: x for x in items}, items, caller)
    bad = next((x for x in items if not _is_report(x)), None)
    if bad is not None:
        msg = (
            f"The 'corpus' parameter of {caller} must hold Report objects (or TokenizedReport). "
            f"Got {type(bad).__name__} instead."
        )
        raise InvalidParameterError(msg)
    tok = _check_tokenizer(tokenizer, caller)
    tkey = _tokenizer_key(tok)
    out: dict[str, TokenizedReport] = {}
    it: Iterable = items
    if progress:
        from govtext._progress import progress_bar

        it = progress_bar(items, desc="tokenize", unit="report")
    for r in it:
        key = tkey + "|" + hashlib.blake2b(r.text.encode("utf-8"), digest_size=16).hexdigest()
        got = cache.get(r.id) if cache is not None else None
        if not (isinstance(got, TokenizedReport) and got.key == key):
            got = _tokenize_one(r, tok, key)
            if cache is not None:
                cache[r.id] = got
        out[r.id] = got
    return _unique(out, items, caller)


def _unique(out: dict, items: list, caller: str) -> dict:
    if len(out) != len(items):
        msg = f"The 'corpus' parameter of {caller} holds duplicate report ids."
        raise InputError(msg)
    return out


def _prepare(corpus: Any, tokenizer: Any, cache: Any, progress: bool, caller: str) -> tuple[dict[str, TokenizedReport], list | None]:
    """Tokenised reports plus the Report objects (None when given pre-tokenised input)."""
    if isinstance(corpus, _PackedCorpus):
        if caller not in ("report_measures", "year_over_year"):  # the others need the words
            msg = f"{caller}: packed reports hold word hashes for only report_measures and year_over_year."
            raise InvalidParameterError(msg)
        if tokenizer is not None:
            msg = f"{caller}: packed reports were tokenised by the default tokenizer; the 'tokenizer' parameter must be None."
            raise InvalidParameterError(msg)
        return corpus, None  # type: ignore[return-value]
    if isinstance(corpus, Mapping):
        toks = {}
        for rid, v in corpus.items():
            if isinstance(v, TokenizedReport):
                toks[rid] = v
            elif isinstance(v, Iterable) and not isinstance(v, (str, bytes)):
                toks[rid] = TokenizedReport.from_tokens(str(rid), v)
            else:
                msg = (
                    f"The 'corpus' parameter of {caller} must be a Corpus, an iterable of Report, or a "
                    f"mapping of report id to TokenizedReport or token lists. Got a value of type "
                    f"{type(v).__name__} for {rid!r} instead."
                )
                raise InvalidParameterError(msg)
        return toks, None
    if isinstance(corpus, (str, bytes)) or not isinstance(corpus, Iterable):
        msg = (
            f"The 'corpus' parameter of {caller} must be a Corpus, an iterable of Report, or a mapping "
            f"of report id to TokenizedReport. Got {type(corpus).__name__} instead."
        )
        raise InvalidParameterError(msg)
    items = list(corpus)
    if items and all(isinstance(x, TokenizedReport) for x in items):
        return tokenize_reports(items), None
    return tokenize_reports(items, tokenizer=tokenizer, cache=cache, progress=progress), items


# --------------------------------------------------------------------------------------------
# units: the word (or character) streams the measures count


@dataclass
class _Units:
    words: list[str] | None  # None when unpacked from a _PackedUnits batch (hashes only)
    h: np.ndarray  # uint64 hash of each unit
    sid: np.ndarray  # sentence index of each unit (int32)
    offsets: np.ndarray  # units of sentence i are h[offsets[i]:offsets[i + 1]]
    heading: np.ndarray  # bool per sentence

    @property
    def n_sent(self) -> int:
        return len(self.heading)

    def sentence_keys(self, *, headings: bool) -> list[bytes | None]:
        """One key per sentence (its unit hashes as bytes); None when empty or an excluded heading."""
        hb = self.h
        off = self.offsets
        return [
            None if off[i] == off[i + 1] or (self.heading[i] and not headings) else hb[off[i]:off[i + 1]].tobytes()
            for i in range(self.n_sent)
        ]


# token -> the units it contributes, per (unit, mask): a pure function of the token
_UNIT_MEMO: dict[tuple[str, bool], dict[str, tuple[str, ...]]] = {}
_UNIT_MEMO_MAX = 1_000_000


def _token_units(t: str, unit: str, mask: bool) -> tuple[str, ...]:
    if not _WORD_RE.search(t):
        return ()
    if mask and _NUMERIC_RE.fullmatch(t):
        return (NUM_TOKEN,)
    if unit == "char" and _HAN_RE.search(t):
        return tuple(c for c in t if not c.isspace())
    return (t,)


def _unit_strings(tr: TokenizedReport, unit: str, mask: bool) -> tuple[list[str], list[int]]:
    memo = _UNIT_MEMO.get((unit, mask))
    if memo is None or len(memo) >= _UNIT_MEMO_MAX:
        memo = _UNIT_MEMO[(unit, mask)] = {}
    get = memo.__getitem__
    chain = itertools.chain.from_iterable
    words: list[str] = []
    counts: list[int] = []
    for toks in tr.tokens:
        try:
            parts = list(map(get, toks))
        except KeyError:
            for t in toks:
                if t not in memo:
                    memo[t] = _token_units(t, unit, mask)
            parts = list(map(get, toks))
        before = len(words)
        words.extend(chain(parts))
        counts.append(len(words) - before)
    return words, counts


def _units(tr: TokenizedReport, unit: str = "word", mask: bool = True) -> _Units:
    words, counts = _unit_strings(tr, unit, mask)
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    # int32 sentence numbers (a report has far fewer than 2**31 sentences): the units of every
    # report of a corpus are held at once by the boilerplate fit, 4 bytes a word saved
    sid = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    return _Units(words, _hash_units(words), sid, offsets, np.asarray(tr.headings, dtype=bool))


def _memo_units(memo: dict, tr: TokenizedReport, unit: str, mask: bool) -> _Units:
    key = (tr.report_id, unit, mask)
    got = memo.get(key)
    if got is None:
        got = memo[key] = _units(tr, unit, mask)
    return got


def _get_units(toks: Any, memo: dict | None, rid: str, unit: str, mask: bool) -> _Units:
    """The units of report ``rid``: unpacked from a :class:`_PackedCorpus`, or computed from its
    :class:`TokenizedReport` (kept in ``memo`` unless it is None)."""
    if isinstance(toks, _PackedCorpus):
        return toks.units(rid, unit, mask)
    if memo is None:
        return _units(toks[rid], unit, mask)
    return _memo_units(memo, toks[rid], unit, mask)


@dataclass(frozen=True)
class _PackedUnits:
    """The word units (hashes, not the words) and the measures row of a batch of reports: all the
    reuse stage's measures need of them once tokenised (:func:`_pack_reports`).

    About 9 bytes a word (a 700-word report: 6 KB) where its :class:`TokenizedReport` and units
    hold about 50; few large arrays, so a batch pickles fast. Row ``i`` is report ``ids[i]``:
    its hashes ``h[word_bounds[i]:word_bounds[i + 1]]``, its sentences' word counts and heading
    flags ``sent_words`` / ``heading[sent_bounds[i]:sent_bounds[i + 1]]``."""

    ids: tuple[str, ...]
    rows: tuple[dict, ...]
    h: np.ndarray
    word_bounds: np.ndarray
    sent_words: np.ndarray
    heading: np.ndarray
    sent_bounds: np.ndarray
    redundancy_ngram: int
    mask_numbers: bool

    def units(self, i: int) -> _Units:
        """Report ``i``'s units, equal to :func:`_units` of its tokens (hashes only)."""
        s0, s1 = int(self.sent_bounds[i]), int(self.sent_bounds[i + 1])
        counts = self.sent_words[s0:s1]
        offsets = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        sid = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        h = self.h[int(self.word_bounds[i]):int(self.word_bounds[i + 1])]
        return _Units(None, h, sid, offsets, self.heading[s0:s1])


def _pack_reports(reports: Iterable, *, redundancy_ngram: int = 10, mask_numbers: bool = True) -> _PackedUnits:
    """Tokenise reports (default tokenizer) and keep only their units and measures rows (see
    :class:`_PackedUnits`): one report's tokens at a time are held."""
    tok = _default_tokenizer()
    tkey = _tokenizer_key(tok)
    ids, rows, hs, n_words, counts, heads, n_sents = [], [], [], [], [], [], []
    for r in reports:
        if not _is_report(r):
            msg = f"_pack_reports needs Report objects. Got {type(r).__name__} instead."
            raise InvalidParameterError(msg)
        key = tkey + "|" + hashlib.blake2b(r.text.encode("utf-8"), digest_size=16).hexdigest()
        tr = _tokenize_one(r, tok, key)
        u = _units(tr, "word", mask_numbers)
        ids.append(r.id)
        rows.append(_report_row(tr, u, redundancy_ngram))
        hs.append(u.h)
        n_words.append(len(u.h))
        counts.append(np.diff(u.offsets).astype(np.int32))
        heads.append(u.heading)
        n_sents.append(u.n_sent)
    word_bounds = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(n_words, out=word_bounds[1:])
    sent_bounds = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(n_sents, out=sent_bounds[1:])
    return _PackedUnits(
        tuple(ids), tuple(rows),
        np.concatenate(hs) if hs else np.empty(0, dtype=np.uint64), word_bounds,
        np.concatenate(counts) if counts else np.empty(0, dtype=np.int32),
        np.concatenate(heads) if heads else np.empty(0, dtype=bool), sent_bounds,
        int(redundancy_ngram), bool(mask_numbers))


class _PackedCorpus:
    """Packed batches (:class:`_PackedUnits`) as a corpus :func:`report_measures` and
    :func:`year_over_year` take instead of reports or tokens (same frames; only the default
    tokenizer, word units and the batches' ``mask_numbers`` / ``redundancy_ngram``).

    ``ids``: only these reports are in the corpus (default: every report of the batches);
    :attr:`missing` lists those no batch holds. Iterating gives the ids in batch order."""

    def __init__(self, batches: Iterable[_PackedUnits], ids: Iterable[str] | None = None) -> None:
        self.batches = list(batches)
        wanted = None if ids is None else set(ids)
        self._where: dict[str, tuple[int, int]] = {}
        for b, batch in enumerate(self.batches):
            for i, rid in enumerate(batch.ids):
                if wanted is not None and rid not in wanted:
                    continue
                if rid in self._where:
                    msg = f"packed reports: report id {rid!r} is in two batches."
                    raise InputError(msg)
                self._where[rid] = (b, i)
        self.missing = [] if wanted is None else sorted(wanted - set(self._where))

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, rid: object) -> bool:
        return rid in self._where

    def _batch(self, rid: str) -> tuple[_PackedUnits, int]:
        b, i = self._where[rid]
        return self.batches[b], i

    def units(self, rid: str, unit: str, mask: bool) -> _Units:
        batch, i = self._batch(rid)
        if unit != "word" or mask != batch.mask_numbers:
            msg = (f"packed reports hold word units with mask_numbers={batch.mask_numbers}; "
                   f"asked for {unit} units with mask_numbers={mask}.")
            raise InvalidParameterError(msg)
        return batch.units(i)

    def row(self, rid: str, redundancy_ngram: int, mask: bool, caller: str) -> dict[str, Any]:
        batch, i = self._batch(rid)
        if redundancy_ngram != batch.redundancy_ngram or mask != batch.mask_numbers:
            msg = (f"{caller}: packed reports were measured with redundancy_ngram="
                   f"{batch.redundancy_ngram}, mask_numbers={batch.mask_numbers}; asked for "
                   f"{redundancy_ngram}, {mask}.")
            raise InvalidParameterError(msg)
        return dict(batch.rows[i])


def _ngram_keys(u: _Units, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys of the n-grams within sentences and their start positions."""
    m = len(u.h) - n + 1
    if m <= 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    h = u.h
    key = h[:m].copy()
    for k in range(1, n):
        key = key * _P_NP + h[k:k + m]
    starts = np.flatnonzero(u.sid[:m] == u.sid[n - 1:])
    return key[starts], starts


def _isin_sorted(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    if len(sorted_keys) == 0 or len(values) == 0:
        return np.zeros(len(values), dtype=bool)
    idx = np.searchsorted(sorted_keys, values)
    idx[idx == len(sorted_keys)] = 0
    return sorted_keys[idx] == values


# --------------------------------------------------------------------------------------------
# parameter checks


def _check_int(value: Any, name: str, caller: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        msg = f"The {name!r} parameter of {caller} must be an int >= {low}. Got {value!r} instead."
        raise InvalidParameterError(msg)
    return int(value)


def _check_fraction(value: Any, name: str, caller: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not 0.0 <= float(value) <= 1.0:
        msg = f"The {name!r} parameter of {caller} must be a float in [0, 1]. Got {value!r} instead."
        raise InvalidParameterError(msg)
    return float(value)


def _check_band(df_low: Any, df_high: Any, min_mean_count: Any, caller: str) -> tuple[float, float, float | None]:
    lo = _check_fraction(df_low, "df_low", caller)
    hi = _check_fraction(df_high, "df_high", caller)
    if lo >= hi:
        msg = f"The 'df_low' parameter of {caller} must be smaller than 'df_high' ({hi!r}). Got {df_low!r} instead."
        raise InvalidParameterError(msg)
    if min_mean_count is not None and (
        isinstance(min_mean_count, bool)
        or not isinstance(min_mean_count, (int, float, np.integer, np.floating))
        or not float(min_mean_count) > 0
    ):
        msg = f"The 'min_mean_count' parameter of {caller} must be None or a float > 0. Got {min_mean_count!r} instead."
        raise InvalidParameterError(msg)
    return lo, hi, None if min_mean_count is None else float(min_mean_count)


def _check_choice(value: Any, name: str, choices: tuple, caller: str) -> Any:
    if not isinstance(value, str) or value not in choices:
        msg = f"The {name!r} parameter of {caller} must be one of {set(choices)!r}. Got {value!r} instead."
        raise InvalidParameterError(msg)
    return value


# --------------------------------------------------------------------------------------------
# boilerplate (Lang & Stice-Lawrence 2015)

_EPS = 1e-9


class BoilerplateScorer(BaseEstimator):
    """Lang & Stice-Lawrence (2015) boilerplate: fit the common n-grams, score reports.

    Following the re-implementations cited in ``measures.md`` (MoreThanSentiments, CSRtm):

    1. split each document into sentences and form word n-grams (default 4) within sentences;
    2. drop the n-grams found in ``df_high`` (75 %) or more of the documents;
    3. keep those found in at least ``df_low`` (30 %) of the documents **or** occurring on average
       at least ``min_mean_count`` (5) times per document (total occurrences in the corpus ÷ number
       of documents);
    4. boilerplate = words in sentences containing at least one kept n-gram ÷ all words.

    The band is ``df_low <= n_docs / N < df_high``. It needs a corpus of some size: with ``N``
    documents an n-gram of one document has ``df = 1/N``, which reaches ``df_low = 0.3`` when
    ``N <= 3`` (every n-gram of a report is then "common"), and with ``N = 1`` nothing is. Fit on
    a large reference corpus and score a small one (``scorer.fit(big).score(small)``, or
    :func:`boilerplate_ngrams` and ``report_measures(small, boilerplate=ngrams)``); fitting on
    fewer documents than that emits a :class:`~govtext.exceptions.GovtextWarning`.

    Parameters
    ----------
    ngram : int, default 4
        n-gram length in units.
    df_low, df_high : float, default 0.3 and 0.75
        The document-frequency band (fractions of the fitted corpus's documents).
    min_mean_count : float or None, default 5.0
        The "average at least 5 times per document" alternative to ``df_low``; None disables it.
    unit : {"word", "char"}, default "word"
        Word n-grams (jieba/rjieba tokens) or character n-grams (each Han character is a unit;
        other words stay whole); the share is then one of characters.
    mask_numbers : bool, default True
        Replace numeric tokens by :data:`NUM_TOKEN` first.
    tokenizer : Tokenizer, optional
        Used when reports (not :class:`TokenizedReport`) are passed.

    Attributes
    ----------
    ngrams_ : frozenset of tuple of str
        The kept (boilerplate) n-grams.
    ngram_table_ : DataFrame
        One row per kept n-gram: ``ngram`` (units joined by a space), ``n_docs``, ``df``
        (``n_docs / n_documents_``), ``mean_count`` (occurrences per document); by ``n_docs``
        descending, then ``ngram``.
    n_documents_ : int
        Documents fitted on (0 when made by :meth:`from_ngrams`).
    keys_ : numpy.ndarray of uint64
        Sorted 64-bit keys of the kept n-grams (blake2b hashes of the units combined by a
        polynomial mod 2**64), which :meth:`score` matches against.

    Examples
    --------
    >>> docs = {f"r{i}": TokenizedReport.from_tokens(f"r{i}", s) for i, s in enumerate([
    ...     [["本镇", "高度", "重视", "信息", "公开"], ["全年", "受理", "申请"]],
    ...     [["本镇", "高度", "重视", "信息", "公开"], ["新建", "公开", "栏"]],
    ...     [["我局", "开展", "培训"], ["全年", "受理", "申请"]],
    ...     [["我局", "更新", "网站", "栏目"]]])}
    >>> scorer = BoilerplateScorer(ngram=2, df_low=0.5, df_high=0.75, min_mean_count=None).fit(docs)
    >>> sorted(scorer.ngrams_)
    [('信息', '公开'), ('全年', '受理'), ('受理', '申请'), ('本镇', '高度'), ('重视', '信息'), ('高度', '重视')]
    >>> scorer.score(docs)[["report_id", "boilerplate_lsl"]].to_records(index=False).tolist()
    [('r0', 1.0), ('r1', 0.625), ('r2', 0.5), ('r3', 0.0)]
    """

    def __init__(self, *, ngram: int = 4, df_low: float = 0.3, df_high: float = 0.75,
                 min_mean_count: float | None = 5.0, unit: str = "word", mask_numbers: bool = True,
                 tokenizer: Any = None) -> None:
        self.ngram = ngram
        self.df_low = df_low
        self.df_high = df_high
        self.min_mean_count = min_mean_count
        self.unit = unit
        self.mask_numbers = mask_numbers
        self.tokenizer = tokenizer

    def _validate(self, caller: str) -> None:
        _check_int(self.ngram, "ngram", caller)
        _check_band(self.df_low, self.df_high, self.min_mean_count, caller)
        _check_choice(self.unit, "unit", ("word", "char"), caller)
        _check_flag(self.mask_numbers, "mask_numbers", caller)
        _check_tokenizer(self.tokenizer, caller)

    def _units_of(self, corpus: Any, cache: Any, caller: str) -> dict[str, _Units]:
        toks, _ = _prepare(corpus, self.tokenizer, cache, False, caller)
        return {rid: _units(tr, self.unit, self.mask_numbers) for rid, tr in sorted(toks.items())}

    def fit(self, corpus: Any, *, cache: MutableMapping | None = None) -> BoilerplateScorer:
        """Find the boilerplate n-grams of a corpus.

        Parameters
        ----------
        corpus : Corpus, iterable of Report, or mapping of report id to TokenizedReport
        cache : dict, optional
            See :func:`tokenize_reports`.

        Returns
        -------
        self
        """
        caller = "BoilerplateScorer.fit"
        self._validate(caller)
        units = self._units_of(corpus, cache, caller)
        return self._fit_units(units, caller)

    def _fit_units(self, units: Mapping[str, _Units], caller: str) -> BoilerplateScorer:
        n_docs = len(units)
        keys, n_in, df, mean, keep = self._band(units.values(), n_docs, caller)
        n = int(self.ngram)
        kept = keys[keep]
        # recover the units of each kept key (first occurrence in report-id order)
        found: dict[int, tuple[str, ...]] = {}
        if len(kept):
            for u in units.values():
                k, starts = _ngram_keys(u, n)
                hit = _isin_sorted(k, kept)
                for key, s in zip(k[hit].tolist(), starts[hit].tolist()):
                    if key not in found:
                        found[key] = tuple(u.words[s:s + n])
                if len(found) == len(kept):
                    break
        info = {int(k): (int(a), float(b), float(c)) for k, a, b, c in
                zip(kept.tolist(), n_in[keep].tolist(), df[keep].tolist(), mean[keep].tolist())}
        self._set(found, info, n_docs)
        return self

    def _fit_keys(self, units: Iterable[_Units], n_docs: int, caller: str) -> BoilerplateScorer:
        """Fit only what :meth:`_score_units` uses (``keys_``, the kept n-gram keys, sorted:
        those :meth:`_fit_units` finds), from units that may lack their words (packed units)."""
        keys, _, _, _, keep = self._band(units, n_docs, caller)
        self.keys_ = keys[keep].astype(np.uint64, copy=False)
        self.n_documents_ = n_docs
        return self

    def _band(self, units: Iterable[_Units], n_docs: int, caller: str) -> tuple[np.ndarray, ...]:
        """Every n-gram key of ``units`` (``n_docs`` reports, each once) with its document count,
        document frequency and mean count, and which keys are in the band."""
        if n_docs == 0:
            msg = f"{caller} needs at least one report. Got an empty corpus instead."
            raise InputError(msg)
        lo, hi, mean_min = _check_band(self.df_low, self.df_high, self.min_mean_count, caller)
        if lo * n_docs <= 1 + _EPS:
            warnings.warn(
                f"{caller}: with {n_docs} document(s), an n-gram of a single document has "
                f"df = {1 / n_docs:.2f} >= df_low = {lo}, so every n-gram can count as boilerplate; "
                "fit on a larger reference corpus (see boilerplate_ngrams).",
                GovtextWarning,
                stacklevel=4,
            )
        n = int(self.ngram)
        uniq, cnts = [], []
        for u in units:
            keys, _ = _ngram_keys(u, n)
            k, c = np.unique(keys, return_counts=True)
            uniq.append(k)
            cnts.append(c)
        # one row per (report, distinct n-gram): the temporaries are freed as soon as they are
        # used (at 100,000 reports each is about 1 GB)
        all_k = np.concatenate(uniq) if uniq else np.empty(0, dtype=np.uint64)
        del uniq
        all_c = np.concatenate(cnts) if cnts else np.empty(0, dtype=np.int64)
        del cnts
        if len(all_k):
            order = np.argsort(all_k, kind="stable")
            sk = all_k[order]
            del all_k
            sc = all_c[order]
            del all_c, order
            first = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]])
            keys = sk[first]
            n_in = np.diff(np.r_[first, len(sk)])
            total = np.add.reduceat(sc, first)
        else:
            keys = np.empty(0, dtype=np.uint64)
            n_in = total = np.empty(0, dtype=np.int64)
        df = n_in / n_docs
        mean = total / n_docs
        common = df + _EPS >= lo
        if mean_min is not None:
            common |= mean + _EPS >= mean_min
        keep = common & (df + _EPS < hi)
        return keys, n_in, df, mean, keep

    def _set(self, found: Mapping[int, tuple[str, ...]], info: Mapping[int, tuple], n_docs: int) -> None:
        rows = sorted(((" ".join(found[k]), *info[k]) for k in found), key=lambda r: (-r[1], r[0]))
        self.ngram_table_ = pd.DataFrame(rows, columns=["ngram", "n_docs", "df", "mean_count"]).astype(
            {"ngram": object, "n_docs": "int64", "df": "float64", "mean_count": "float64"})
        self.ngrams_ = frozenset(found.values())
        self.keys_ = np.array(sorted(found), dtype=np.uint64)
        self.n_documents_ = n_docs

    @classmethod
    def from_ngrams(cls, ngrams: Any, **params: Any) -> BoilerplateScorer:
        """A fitted scorer from a given set of boilerplate n-grams.

        Parameters
        ----------
        ngrams : collection of tuple of str, of str, or DataFrame
            n-grams as tuples of units, as strings of units separated by spaces, or a DataFrame
            with an ``ngram`` column (such as :attr:`ngram_table_`). All of the same length,
            which sets ``ngram``.
        **params
            Other constructor parameters (``unit``, ``mask_numbers``, ``tokenizer``).

        Returns
        -------
        BoilerplateScorer

        Examples
        --------
        >>> s = BoilerplateScorer.from_ngrams(["信息 公开"], unit="word")
        >>> s.ngram, sorted(s.ngrams_)
        (2, [('信息', '公开')])
        """
        caller = "BoilerplateScorer.from_ngrams"
        if isinstance(ngrams, pd.DataFrame):
            if "ngram" not in ngrams.columns:
                msg = f"The 'ngrams' parameter of {caller} must have an 'ngram' column. Got columns {list(ngrams.columns)} instead."
                raise InvalidParameterError(msg)
            ngrams = ngrams["ngram"].tolist()
        if isinstance(ngrams, (str, bytes)) or not isinstance(ngrams, Iterable):
            msg = f"The 'ngrams' parameter of {caller} must be a collection of n-grams. Got {type(ngrams).__name__} instead."
            raise InvalidParameterError(msg)
        grams = []
        for g in ngrams:
            t = tuple(g.split()) if isinstance(g, str) else tuple(g) if isinstance(g, (tuple, list)) else None
            if not t or not all(isinstance(x, str) and x for x in t):
                msg = f"The 'ngrams' parameter of {caller} must hold tuples of str or space-separated str. Got {g!r} instead."
                raise InvalidParameterError(msg)
            grams.append(t)
        lengths = {len(t) for t in grams}
        if len(lengths) > 1:
            msg = f"The 'ngrams' parameter of {caller} must hold n-grams of one length. Got lengths {sorted(lengths)} instead."
            raise InvalidParameterError(msg)
        if "ngram" in params and lengths and params["ngram"] != next(iter(lengths)):
            msg = f"The 'ngram' parameter of {caller} must match the n-gram length {next(iter(lengths))}. Got {params['ngram']!r} instead."
            raise InvalidParameterError(msg)
        if lengths:
            params["ngram"] = next(iter(lengths))
        self = cls(**params)
        self._validate(caller)
        found = {_ngram_key(t): t for t in sorted(set(grams))}
        self._set(found, {k: (0, math.nan, math.nan) for k in found}, 0)
        return self

    def _check_fitted(self, caller: str) -> None:
        if not hasattr(self, "keys_"):
            msg = f"This BoilerplateScorer is not fitted yet. Call 'fit' (or from_ngrams) before {caller}."
            raise NotFittedError(msg)

    def _score_units(self, u: _Units) -> tuple[int, int, int, np.ndarray, np.ndarray]:
        keys, starts = _ngram_keys(u, int(self.ngram))
        hit = _isin_sorted(keys, self.keys_)
        matches = np.bincount(u.sid[starts[hit]], minlength=u.n_sent)
        flagged = matches > 0
        per_sent = np.diff(u.offsets)
        return len(u.h), int(per_sent[flagged].sum()), int(flagged.sum()), flagged, matches

    def score(self, corpus: Any, *, cache: MutableMapping | None = None) -> pd.DataFrame:
        """Boilerplate share of each report.

        Parameters
        ----------
        corpus : Corpus, iterable of Report, or mapping of report id to TokenizedReport
        cache : dict, optional
            See :func:`tokenize_reports`.

        Returns
        -------
        DataFrame
            Sorted by ``report_id``; columns ``report_id``, ``boilerplate_lsl`` (NaN for a report
            without words), ``n_units``, ``n_boilerplate_units``, ``n_sentences``,
            ``n_boilerplate_sentences``.
        """
        caller = "BoilerplateScorer.score"
        self._check_fitted(caller)
        self._validate(caller)
        units = self._units_of(corpus, cache, caller)
        rows = []
        for rid, u in units.items():
            n, nb, ns, _, _ = self._score_units(u)
            rows.append((rid, nb / n if n else math.nan, n, nb, u.n_sent, ns))
        return pd.DataFrame(rows, columns=["report_id", "boilerplate_lsl", "n_units", "n_boilerplate_units",
                                           "n_sentences", "n_boilerplate_sentences"]).astype(
            {"report_id": object, "boilerplate_lsl": "float64", "n_units": "int64", "n_boilerplate_units": "int64",
             "n_sentences": "int64", "n_boilerplate_sentences": "int64"})

    def flag_sentences(self, corpus: Any, *, cache: MutableMapping | None = None) -> pd.DataFrame:
        """Every narrative sentence with its boilerplate flag (the sentences behind the share).

        Returns
        -------
        DataFrame
            Columns :data:`SENTENCE_FLAG_COLUMNS`: ``report_id``, ``sentence_index``,
            ``section``, ``heading``, ``text``, ``n_units`` (words or characters counted),
            ``n_matches`` (boilerplate n-gram occurrences) and ``boilerplate`` (at least one);
            by report id and sentence index.

        Examples
        --------
        >>> s = BoilerplateScorer.from_ngrams([("信息", "公开")])
        >>> d = {"r": TokenizedReport.from_tokens("r", [["信息", "公开", "。"], ["培训"]])}
        >>> s.flag_sentences(d)[["text", "n_units", "boilerplate"]].to_records(index=False).tolist()
        [('信息公开。', 2, True), ('培训', 1, False)]
        """
        caller = "BoilerplateScorer.flag_sentences"
        self._check_fitted(caller)
        self._validate(caller)
        toks, _ = _prepare(corpus, self.tokenizer, cache, False, caller)
        rows = []
        for rid, tr in sorted(toks.items()):
            u = _units(tr, self.unit, self.mask_numbers)
            _, _, _, flagged, matches = self._score_units(u)
            per_sent = np.diff(u.offsets)
            for i in range(u.n_sent):
                rows.append((rid, i, tr.sections[i], tr.headings[i], tr.sentences[i], int(per_sent[i]),
                             int(matches[i]), bool(flagged[i])))
        return pd.DataFrame(rows, columns=SENTENCE_FLAG_COLUMNS).astype(
            {"report_id": object, "sentence_index": "int64", "section": object, "heading": bool, "text": object,
             "n_units": "int64", "n_matches": "int64", "boilerplate": bool})


def boilerplate_ngrams(corpus: Any, *, ngram: int = 4, df_low: float = 0.3, df_high: float = 0.75,
                       min_mean_count: float | None = 5.0, unit: str = "word", mask_numbers: bool = True,
                       tokenizer: Any = None, cache: MutableMapping | None = None) -> frozenset[tuple[str, ...]]:
    """The Lang & Stice-Lawrence boilerplate n-grams of a (reference) corpus.

    Fit them on a large corpus and apply them to a small one with
    ``report_measures(small, boilerplate=ngrams)``; see :class:`BoilerplateScorer` for the
    definition and parameters.

    Returns
    -------
    frozenset of tuple of str

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> grams = boilerplate_ngrams(load_seeds())
    >>> ("存在", "的", "主要", "问题") in grams  # in 8 of the 12 seed reports
    True
    """
    scorer = BoilerplateScorer(ngram=ngram, df_low=df_low, df_high=df_high, min_mean_count=min_mean_count,
                               unit=unit, mask_numbers=mask_numbers, tokenizer=tokenizer)
    return scorer.fit(corpus, cache=cache).ngrams_


# --------------------------------------------------------------------------------------------
# specificity: numbers, dates, places, organisations

# Dates and times: years (1800-2099, or four Chinese digits) with optional month and day,
# month-day, ISO-like dates and clock times.
_CN_NUM = "一二三四五六七八九十"
_DATE_RE = re.compile(
    r"(?:(?<![0-9])(?:1[89]|20)[0-9]{2}|[〇零一二三四五六七八九]{4})年度?"
    rf"(?:(?:[0-9]{{1,2}}|[{_CN_NUM}]{{1,3}})月(?:(?:[0-9]{{1,2}}|[{_CN_NUM}]{{1,3}})[日号])?)?"
    r"|(?<![0-9])[0-9]{1,2}月(?:[0-9]{1,2}[日号])?"
    r"|(?<![0-9])(?:1[89]|20)[0-9]{2}(?P<s>[-/.])[0-9]{1,2}(?P=s)[0-9]{1,2}(?![0-9])"
    r"|(?<![0-9])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9])"
)
# Document references (〔2019〕60号, 令第711号) are neither numbers nor dates.
_DOCREF_RE = re.compile(r"[〔\[［【(（](?:19|20)[0-9]{2}[〕\]］】)）]\s*第?[0-9]+\s*号|第[0-9]+号")
_TITLE_RE = re.compile(r"《[^《》]*》")
_DIGIT_RE = re.compile(r"[0-9]")
_ENUM_AFTER = ".．、"
_GENERIC_START = set("我本全各该此每其")
_PLACE_SUFFIX = set("省市县区州盟旗镇乡村国街路")
_ADMIN_CHARS = set("省市县区州盟旗镇乡村")
_GENERIC_PLACES = frozenset({"城镇", "乡镇", "城乡", "城区", "市区", "郊区", "山区", "县城", "地区", "街路"})
_GENERIC_ORGS = frozenset({"人民政府", "政府", "镇政府", "乡政府", "县政府", "区政府", "市政府", "党委政府",
                           "镇党委", "党委", "党政办", "统一安排"})
_NOT_ORGS = frozenset({"统一安排"})  # jieba tags it nt
_ADV_CONJ_TAGS = frozenset({"d", "df", "dg", "c"})


def _non_han_re() -> re.Pattern:
    from govtext.tokenize import NON_HAN_PATTERN

    global _NON_HAN_RE
    if _NON_HAN_RE is None:
        _NON_HAN_RE = re.compile(NON_HAN_PATTERN)
    return _NON_HAN_RE


_NON_HAN_RE: re.Pattern | None = None


def _numbers_dates(text: str) -> tuple[int, int]:
    """Numbers and dates/times in a text (outside 《》 titles and document references)."""
    if "年" not in text and not _DIGIT_RE.search(text):
        return 0, 0
    skip = [m.span() for m in _TITLE_RE.finditer(text)] + [m.span() for m in _DOCREF_RE.finditer(text)]

    def outside(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e in skip)

    dates = [m.span() for m in _DATE_RE.finditer(text) if outside(*m.span())]
    skip += dates
    n_num = 0
    for m in _non_han_re().finditer(text):
        if m.lastgroup != "num" or not outside(*m.span()):
            continue
        a, b = m.span()
        tok = m.group()
        # enumerators: "1." / "1、" opening a point, "(1)"
        if len(tok) <= 2 and tok.isdigit():
            before = text[a - 1] if a else ""
            after = text[b] if b < len(text) else ""
            nxt = text[b + 1] if b + 1 < len(text) else ""
            if after in _ENUM_AFTER and not nxt.isdigit() and (not before or not _WORD_RE.match(before)):
                continue
            if before in "(（" and after in ")）":
                continue
        n_num += 1
    return n_num, len(dates)


def _in_titles(tokens: Sequence[str]) -> list[bool]:
    depth = 0
    out = []
    for t in tokens:
        opened = t.count("《")
        closed = t.count("》")
        depth += opened
        out.append(depth > 0 or closed > 0)
        depth = max(0, depth - closed)
    return out


def _places_orgs(tokens: Sequence[str], tags: Sequence[str]) -> tuple[int, int]:
    """Place and organisation entities among tagged tokens (runs of ns/nt tokens)."""
    if "ns" not in tags and "nt" not in tags:
        return 0, 0
    cand = [i for i, g in enumerate(tags) if g == "ns" or g == "nt"]
    if not cand:
        return 0, 0
    title = _in_titles(tokens)
    n_places = n_orgs = 0
    i_c = 0
    n = len(tokens)
    while i_c < len(cand):
        i = cand[i_c]
        j = i
        while j < n:
            if (tags[j] == "ns" or tags[j] == "nt") and tokens[j] not in _NOT_ORGS:
                j += 1
            elif j > i and tags[j - 1] == "ns" and tokens[j] in _ADMIN_CHARS:
                j += 1  # a single administrative character continues a place (方城/镇)
            else:
                break
        while i_c < len(cand) and cand[i_c] < max(j, i + 1):
            i_c += 1
        if j == i:  # a mis-tagged token (统一安排)
            continue
        if any(title[i:j]):
            continue
        run = tokens[i:j]
        places = "".join(t for t, g in zip(run, tags[i:j]) if g != "nt")
        place_ok = bool(places) and len(places) >= 2 and (
            places[-1] in _PLACE_SUFFIX or sum(g == "ns" for g in tags[i:j]) >= 2
        ) and places not in _GENERIC_PLACES
        nts = [t for t, g in zip(run, tags[i:j]) if g == "nt"]
        if nts:
            specific = place_ok or any(t not in _GENERIC_ORGS for t in nts) or _named_unit_before(tokens, i)
            n_orgs += specific
        elif place_ok:
            n_places += 1
    return n_places, n_orgs


def _named_unit_before(tokens: Sequence[str], i: int) -> bool:
    """``利昭/区/人民政府``: a named administrative unit right before a generic government word."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    if len(prev) == 1 and prev in _ADMIN_CHARS:
        if i < 2:
            return False
        name = tokens[i - 2]
        return bool(_HAN_RE.match(name)) and name[0] not in _GENERIC_START and name[-1] not in _ADMIN_CHARS
    return len(prev) >= 3 and prev[-1] in _ADMIN_CHARS and prev[0] not in _GENERIC_START and bool(_HAN_RE.match(prev))


def _entity_counts(text: str, tokens: Sequence[str], tags: Sequence[str] | None) -> tuple[int, int, float, float]:
    n_num, n_date = _numbers_dates(text)
    if tags is None:
        return n_num, n_date, math.nan, math.nan
    p, o = _places_orgs(tokens, tags)
    return n_num, n_date, p, o


_SPACE_RE = re.compile(r"\s")


def _nonspace_len(text: str) -> int:
    return len(text) - len(_SPACE_RE.findall(text)) if _SPACE_RE.search(text) else len(text)


# --------------------------------------------------------------------------------------------
# report_measures


def _metadata_frame(reports: list | None, ids: Sequence[str], metadata: Any, columns: Sequence[str],
                    caller: str) -> pd.DataFrame:
    """Metadata columns for the given report ids (missing values as None)."""
    if metadata is not None:
        if not isinstance(metadata, pd.DataFrame) or "report_id" not in metadata.columns:
            msg = (
                f"The 'metadata' parameter of {caller} must be None or a DataFrame with a 'report_id' "
                f"column (e.g. corpus.to_frame()). Got {type(metadata).__name__} instead."
            )
            raise InvalidParameterError(msg)
        missing = [c for c in columns if c not in metadata.columns]
        if missing:
            msg = f"The 'metadata' parameter of {caller} must have the columns {list(columns)}. Missing {missing}."
            raise InvalidParameterError(msg)
        md = metadata.drop_duplicates("report_id").set_index("report_id")
        out = md.reindex(list(ids))[list(columns)].astype(object)
        return out.where(out.notna(), None)
    if reports is None:
        msg = (
            f"{caller} needs report metadata ({', '.join(columns)}): pass Report objects or "
            "metadata=DataFrame with a 'report_id' column."
        )
        raise InvalidParameterError(msg)
    by_id = {r.id: r for r in reports}
    rows = []
    for rid in ids:
        md = getattr(by_id[rid], "metadata", None)
        rows.append([getattr(md, c, None) for c in columns])
    return pd.DataFrame(rows, index=list(ids), columns=list(columns), dtype=object)


def _check_cohort(cohort: Any, caller: str) -> tuple[str, ...] | None:
    if cohort is None:
        return None
    if isinstance(cohort, str):
        return (cohort,)
    if isinstance(cohort, (list, tuple)) and cohort and all(isinstance(c, str) for c in cohort):
        return tuple(cohort)
    msg = (
        f"The 'cohort' parameter of {caller} must be None, a metadata field name or a list of them "
        f"(e.g. ['year', 'era', 'level']). Got {cohort!r} instead."
    )
    raise InvalidParameterError(msg)


def _boilerplate_scores(toks: Mapping[str, TokenizedReport], reports: list | None, *, boilerplate: Any,
                        ngram: int, df_low: float, df_high: float, min_mean_count: float | None,
                        cohort: tuple[str, ...] | None, min_cohort_size: int, metadata: Any,
                        mask_numbers: bool, caller: str, memo: dict,
                        small_cohorts: str = "nan") -> dict[str, float]:
    if boilerplate is not None:
        if cohort is not None:
            msg = f"The 'cohort' parameter of {caller} must be None when 'boilerplate' is given. Got {cohort!r} instead."
            raise InvalidParameterError(msg)
        if isinstance(boilerplate, BoilerplateScorer):
            scorer = boilerplate
            scorer._check_fitted(caller)
            scorer._validate(caller)
        else:
            scorer = BoilerplateScorer.from_ngrams(boilerplate, mask_numbers=mask_numbers)
        groups = {None: sorted(toks)}
        fitted = {None: scorer}
    else:
        proto = BoilerplateScorer(ngram=ngram, df_low=df_low, df_high=df_high, min_mean_count=min_mean_count,
                                  mask_numbers=mask_numbers)
        proto._validate(caller)
        if cohort is None:
            groups = {None: sorted(toks)}
        else:
            md = _metadata_frame(reports, sorted(toks), metadata, cohort, caller)
            groups = {}
            for rid, row in md.iterrows():
                groups.setdefault(tuple(None if v is None else str(v) for v in row), []).append(rid)
        fitted = {}
    out: dict[str, float] = {}
    small = 0
    pooled: list[str] = []  # reports of small cohorts, scored against the whole corpus
    pool_ok = small_cohorts == "corpus" and len(toks) >= min_cohort_size
    for g in sorted(groups, key=lambda k: () if k is None else tuple((v is None, v or "") for v in k)):
        ids = groups[g]
        scorer = fitted.get(g)
        unit, mask = ("word", mask_numbers) if scorer is None else (scorer.unit, scorer.mask_numbers)
        if scorer is None:
            if cohort is not None and len(ids) < min_cohort_size:
                small += len(ids)
                if pool_ok:
                    pooled.extend(ids)
                else:
                    out.update(dict.fromkeys(ids, math.nan))
                continue
            scorer = BoilerplateScorer(**proto.get_params())
            with warnings.catch_warnings():
                if cohort is not None:
                    warnings.simplefilter("ignore", GovtextWarning)
                # only the keys are needed here: a cohort's units are not all held at once
                scorer._fit_keys((_get_units(toks, memo, rid, unit, mask) for rid in ids), len(ids), caller)
        for rid in ids:
            n, nb, _, _, _ = scorer._score_units(_get_units(toks, memo, rid, unit, mask))
            out[rid] = nb / n if n else math.nan
    if pooled:
        # the band fitted on the whole corpus: wording most reports carry, whatever their cohort
        everyone = sorted(toks)
        scorer = BoilerplateScorer(**proto.get_params())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GovtextWarning)
            scorer._fit_keys((_get_units(toks, memo, rid, "word", mask_numbers) for rid in everyone),
                             len(everyone), caller)
        for rid in pooled:
            n, nb, _, _, _ = scorer._score_units(_get_units(toks, memo, rid, "word", mask_numbers))
            out[rid] = nb / n if n else math.nan
    if small:
        what = ("scored against the whole corpus (small_cohorts='corpus')" if pooled
                else "their boilerplate_lsl is NaN")
        warnings.warn(
            f"{caller}: {small} report(s) are in cohorts smaller than min_cohort_size={min_cohort_size}; {what}.",
            GovtextWarning,
            stacklevel=3,
        )
    return out


def report_measures(corpus: Any, *, tokenizer: Any = None, ngram: int = 4, df_low: float = 0.3,
                    df_high: float = 0.75, min_mean_count: float | None = 5.0, boilerplate: Any = None,
                    cohort: Any = None, min_cohort_size: int = 10, small_cohorts: str = "nan",
                    metadata: pd.DataFrame | None = None, redundancy_ngram: int = 10, mask_numbers: bool = True,
                    cache: MutableMapping | None = None, progress: bool = False) -> pd.DataFrame:
    """Length, boilerplate, redundancy, specificity and readability of each report.

    Parameters
    ----------
    corpus : Corpus, iterable of Report, or mapping of report id to TokenizedReport
        (or to lists of sentence token lists, see :meth:`TokenizedReport.from_tokens`).
    tokenizer : Tokenizer, optional
        Default ``Tokenizer(normalize=False)``.
    ngram, df_low, df_high, min_mean_count
        The boilerplate n-gram and document-frequency band (see :class:`BoilerplateScorer`),
        fitted on ``corpus`` itself (or on each cohort) unless ``boilerplate`` is given.
    boilerplate : BoilerplateScorer, collection of n-grams or DataFrame, optional
        Boilerplate n-grams fitted elsewhere (a large reference corpus): a fitted scorer, the
        result of :func:`boilerplate_ngrams`, or a table with an ``ngram`` column.
    cohort : str or list of str, optional
        Fit the band within groups of reports sharing these metadata fields (``measures.md``
        recommends ``["year", "era", "level"]``, so that wording every report of a format must
        carry is above ``df_high`` of its cohort). Default: the whole corpus is one cohort.
    min_cohort_size : int, default 10
        Cohorts with fewer reports are *small* (one warning says how many reports are in them).
    small_cohorts : {"nan", "corpus"}, default "nan"
        What reports of small cohorts get: NaN ``boilerplate_lsl``, or a score against the band
        fitted on the whole corpus (when the corpus itself has at least ``min_cohort_size``
        reports; NaN otherwise).
    metadata : DataFrame, optional
        ``report_id`` plus the cohort fields; by default ``Report.metadata``.
    redundancy_ngram : int, default 10
    mask_numbers : bool, default True
        Replace numeric tokens by :data:`NUM_TOKEN` before n-grams and sentence keys.
    cache : dict, optional
        Tokenised reports by id (see :func:`tokenize_reports`).
    progress : bool, default False

    Returns
    -------
    DataFrame
        One row per report, sorted by ``report_id``, columns :data:`MEASURE_COLUMNS`:

        - ``n_chars`` -- non-whitespace characters of the narrative sentences;
          ``n_tokens`` -- words (tokens with a letter, digit or Han character);
          ``n_sentences`` -- narrative sentences, headings included;
        - ``boilerplate_lsl`` -- words in sentences holding a boilerplate 4-gram ÷ words;
        - ``redundancy`` -- occurrences of word 10-grams (within sentences) that occur more than
          once in the report ÷ all 10-gram occurrences (NaN without any 10-gram);
          ``redundancy_sentences`` -- the same for whole sentences (non-heading sentences with a
          word, compared by their word sequence);
        - ``n_numbers``, ``n_dates``, ``n_places``, ``n_orgs`` -- entity counts in the narrative
          (see below); ``specificity`` -- their sum per 1,000 ``n_chars``; ``hard_info`` --
          ``n_numbers / n_tokens``; ``specificity_problems``, ``specificity_measures`` -- the
          same sum per 1,000 characters of the report's problem / measure statements
          (:mod:`govtext.statements`; NaN when there are none);
        - ``chars_per_clause`` -- word characters per clause (:func:`govtext.sentences.split_clauses`
          of the non-heading sentences); ``adv_conj_share`` -- mean over non-heading sentences of
          the share of their words tagged adverb (``d``, ``df``, ``dg``) or conjunction (``c``).

        Entities: *numbers* are numeric tokens (``1,234``, ``1.5``, ``50%``) that are not part of
        a date, an enumerator (``1.``, ``1、``, ``(1)``) or a document reference
        (``〔2021〕30号``, ``第711号``); *dates* are years (``2023年``, ``二〇一三年度``) with an
        optional month and day, month-days (``12月31日``), ISO dates and clock times; *places* are
        runs of tokens jieba tags ``ns`` ending in a place suffix (省 市 县 区 州 盟 旗 镇 乡 村 国
        街 路) or made of two or more ``ns`` tokens, generic nouns (城镇, 乡镇, ...) excluded;
        *organisations* are runs containing an ``nt`` token, generic ones (人民政府, 镇政府,
        党委政府, ...) only when a named unit precedes them. Nothing inside 《》 (law and document
        titles) counts. jieba's ``m`` and ``t`` tags are not used: it tags 年/月/日 and the
        enumerators 一/二 as ``m``, and 目前/今后/如下 as ``t``.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> m = report_measures(load_seeds())
    >>> m.loc[m.report_id == "000_6ac03842c3dfdc7c", ["n_sentences", "n_dates", "n_places"]].to_records(index=False).tolist()
    [(59, 10, 6)]
    """
    caller = "report_measures"
    _check_int(redundancy_ngram, "redundancy_ngram", caller)
    _check_int(ngram, "ngram", caller)
    _check_int(min_cohort_size, "min_cohort_size", caller)
    if small_cohorts not in ("nan", "corpus"):
        msg = (f"The 'small_cohorts' parameter of {caller} must be one of 'nan', 'corpus'. "
               f"Got {small_cohorts!r} instead.")
        raise InvalidParameterError(msg)
    _check_flag(mask_numbers, "mask_numbers", caller)
    _check_flag(progress, "progress", caller)
    _check_band(df_low, df_high, min_mean_count, caller)
    cohort_t = _check_cohort(cohort, caller)
    _check_tokenizer(tokenizer, caller)
    toks, reports = _prepare(corpus, tokenizer, cache, progress, caller)
    if not toks:
        return _measure_frame([])
    memo: dict = {}
    bp = _boilerplate_scores(toks, reports, boilerplate=boilerplate, ngram=ngram, df_low=df_low, df_high=df_high,
                             min_mean_count=min_mean_count, cohort=cohort_t, min_cohort_size=min_cohort_size,
                             metadata=metadata, mask_numbers=mask_numbers, caller=caller, memo=memo,
                             small_cohorts=small_cohorts)
    rows = []
    for rid in sorted(toks):
        if isinstance(toks, _PackedCorpus):
            row = toks.row(rid, redundancy_ngram, mask_numbers, caller)
            row["boilerplate_lsl"] = bp[rid]
            rows.append(row)
            continue
        tr = toks[rid]
        got = cache.get(_row_key(tr, redundancy_ngram, mask_numbers)) if cache is not None else None
        if isinstance(got, dict):
            row = dict(got)  # precomputed by _precompute (e.g. in a worker process)
        else:
            row = _report_row(tr, _memo_units(memo, tr, "word", mask_numbers), redundancy_ngram)
        row["boilerplate_lsl"] = bp[rid]
        rows.append(row)
    return _measure_frame(rows)


def _row_key(tr: TokenizedReport, redundancy_ngram: int, mask_numbers: bool) -> tuple:
    """Cache key of a report's measures row (everything but the corpus-level boilerplate)."""
    return ("_row", tr.report_id, tr.key, int(redundancy_ngram), bool(mask_numbers))


def _precompute(reports: list, *, redundancy_ngram: int = 10, mask_numbers: bool = True) -> dict:
    """What :func:`report_measures` (default tokenizer) computes per report, as cache entries:
    the :class:`TokenizedReport` under the report id and its measures row under
    :func:`_row_key`. Worker processes run this on batches of reports (the reuse stage's
    ``n_jobs``); the entries are exactly what ``report_measures`` would compute itself."""
    out: dict = {}
    for rid, tr in tokenize_reports(reports).items():
        out[rid] = tr
        out[_row_key(tr, redundancy_ngram, mask_numbers)] = _report_row(
            tr, _units(tr, "word", mask_numbers), redundancy_ngram)
    return out


def _measure_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=MEASURE_COLUMNS)
    return df.astype({c: ("int64" if c in _INT_MEASURES else "Int64" if c in _NULLABLE_INT_MEASURES
                          else object if c == "report_id" else "float64") for c in MEASURE_COLUMNS})


def _report_row(tr: TokenizedReport, u: _Units, redundancy_ngram: int) -> dict[str, Any]:
    n_words = len(u.h)
    n_chars = sum(_nonspace_len(s) for s in tr.sentences)
    # redundancy
    keys, _ = _ngram_keys(u, redundancy_ngram)
    if len(keys):
        _, c = np.unique(keys, return_counts=True)
        redundancy = float(c[c > 1].sum() / c.sum())
    else:
        redundancy = math.nan
    skeys = [k for k in u.sentence_keys(headings=False) if k is not None]
    if skeys:
        counts = Counter(skeys)
        redundancy_s = sum(v for v in counts.values() if v > 1) / len(skeys)
    else:
        redundancy_s = math.nan
    # specificity
    n_num = n_date = 0
    n_place = n_org = 0.0
    tags = tr.tags
    for i, s in enumerate(tr.sentences):
        a, b, p, o = _entity_counts(s, tr.tokens[i], None if tags is None else tags[i])
        n_num += a
        n_date += b
        n_place += p
        n_org += o
    n_place_i = pd.NA if math.isnan(n_place) else int(n_place)
    n_org_i = pd.NA if math.isnan(n_org) else int(n_org)
    specificity = (n_num + n_date + n_place + n_org) / n_chars * 1000 if n_chars else math.nan
    stmt = {}
    for kind in ("problem", "measure"):
        chars = ents = 0.0
        for k, text, stoks, stags in tr.statements:
            if k != kind:
                continue
            a, b, p, o = _entity_counts(text, stoks, stags)
            chars += _nonspace_len(text)
            ents += a + b + p + o
        stmt[kind] = ents / chars * 1000 if chars else math.nan
    # readability
    from govtext.sentences import split_clauses

    n_clause = clause_chars = 0
    shares = []
    for i, s in enumerate(tr.sentences):
        if tr.headings[i]:
            continue
        for a, b in split_clauses(s):
            k = len(_WORD_RE.findall(s, a, b))
            if k:
                n_clause += 1
                clause_chars += k
        if tags is not None:
            words = [g for t, g in zip(tr.tokens[i], tags[i]) if _WORD_RE.search(t)]
            if words:
                shares.append(sum(g in _ADV_CONJ_TAGS for g in words) / len(words))
    return {
        "report_id": tr.report_id,
        "n_chars": n_chars,
        "n_tokens": n_words,
        "n_sentences": len(tr.sentences),
        "redundancy": redundancy,
        "redundancy_sentences": redundancy_s,
        "specificity": specificity,
        "n_numbers": n_num,
        "n_dates": n_date,
        "n_places": n_place_i,
        "n_orgs": n_org_i,
        "hard_info": n_num / n_words if n_words else math.nan,
        "specificity_problems": stmt["problem"],
        "specificity_measures": stmt["measure"],
        "chars_per_clause": clause_chars / n_clause if n_clause else math.nan,
        "adv_conj_share": float(np.mean(shares)) if shares else math.nan,
    }


# --------------------------------------------------------------------------------------------
# year over year


def _as_text(ids: np.ndarray) -> str | list[int]:
    """Small non-negative ints as a str, one code point each (surrogates skipped); rapidfuzz is
    fastest on str. Beyond the code-point range (over a million distinct words), a list of ints."""
    if len(ids) and int(ids.max()) >= 0x10F800:  # pragma: no cover - not reached by real reports
        return ids.tolist()
    cp = ids.astype(np.uint32)
    cp = cp + np.where(cp >= 0xD800, 0x800, 0).astype(np.uint32)
    return cp.astype("<u4").tobytes().decode("utf-32-le")


def _pair_measures(a: _Units, b: _Units, stick_n: int, lev: Any, indel: Any) -> dict[str, Any]:
    na, nb = len(a.h), len(b.h)
    out: dict[str, Any] = {"n_tokens_from": na, "n_tokens_to": nb}
    if na == 0 or nb == 0:
        out.update(cosine=math.nan, jaccard=math.nan, edit_sim=math.nan, diff_sim=math.nan,
                   stickiness=math.nan, stickiness_sentences=math.nan, identical=False)
        return out
    ua, ca = np.unique(a.h, return_counts=True)
    ub, cb = np.unique(b.h, return_counts=True)
    _, ia, ib = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    ca_f, cb_f = ca.astype(np.float64), cb.astype(np.float64)
    dot = float(np.dot(ca_f[ia], cb_f[ib]))
    out["cosine"] = min(1.0, dot / math.sqrt(float(np.dot(ca_f, ca_f)) * float(np.dot(cb_f, cb_f))))
    out["jaccard"] = len(ia) / (len(ua) + len(ub) - len(ia))
    # minimum edit distance over words: compact ids, one code point per word
    _, inv = np.unique(np.concatenate([a.h, b.h]), return_inverse=True)
    out["edit_sim"] = float(lev.normalized_similarity(_as_text(inv[:na]), _as_text(inv[na:])))
    # simple diff over sentences (the "lines" of a diff), counting the words of changed ones
    ka, kb = a.sentence_keys(headings=True), b.sentence_keys(headings=True)
    wa = [int(x) for x, k in zip(np.diff(a.offsets), ka) if k is not None]
    wb = [int(x) for x, k in zip(np.diff(b.offsets), kb) if k is not None]
    ka = [k for k in ka if k is not None]
    kb = [k for k in kb if k is not None]
    vocab = {k: i for i, k in enumerate(sorted(set(ka) | set(kb)))}
    sa = _as_text(np.array([vocab[k] for k in ka], dtype=np.int64))
    sb = _as_text(np.array([vocab[k] for k in kb], dtype=np.int64))
    changed = 0
    for op in indel.opcodes(sa, sb):
        if op.tag != "equal":
            changed += sum(wa[op.src_start:op.src_end]) + sum(wb[op.dest_start:op.dest_end])
    out["diff_sim"] = 1.0 - changed / (na + nb)
    # stickiness: this year's 8-grams (and sentences) found in last year's report
    kb_ng, _ = _ngram_keys(b, stick_n)
    ka_ng, _ = _ngram_keys(a, stick_n)
    out["stickiness"] = float(_isin_sorted(kb_ng, np.unique(ka_ng)).mean()) if len(kb_ng) else math.nan
    sa_set = {k for k in a.sentence_keys(headings=True) if k is not None}
    sb_keys = [k for k in b.sentence_keys(headings=False) if k is not None]
    out["stickiness_sentences"] = sum(k in sa_set for k in sb_keys) / len(sb_keys) if sb_keys else math.nan
    out["identical"] = bool(na == nb and np.array_equal(a.h, b.h))
    return out


def _residualise(y: np.ndarray, x: np.ndarray, degree: int) -> np.ndarray:
    out = np.full(len(y), np.nan)
    ok = np.isfinite(y) & np.isfinite(x)
    if ok.sum() < degree + 2:
        return out
    xs = x[ok]
    sd = xs.std()
    z = (xs - xs.mean()) / sd if sd > 0 else np.zeros_like(xs)
    design = np.vander(z, degree + 1, increasing=True) if sd > 0 else np.ones((len(xs), 1))
    coef, *_ = np.linalg.lstsq(design, y[ok], rcond=None)
    out[ok] = y[ok] - design @ coef
    return out


def year_over_year(corpus: Any, *, tokenizer: Any = None, metadata: pd.DataFrame | None = None,
                   stickiness_ngram: int = 8, max_gap: int | None = 1, mask_numbers: bool = True,
                   length_degree: int = 3, cache: MutableMapping | None = None,
                   progress: bool = False) -> pd.DataFrame:
    """Compare each report with the same agency's report of the previous year.

    Pairs: reports are grouped by ``agency`` and ordered by ``year``; each report of year t is
    paired with every report of the agency's latest earlier year t' when ``t - t' <= max_gap``
    (one row per pair). Reports whose agency or year is unknown are skipped: they have no known
    prior year (with ``Report.metadata``, a report whose agency could not be read has agency
    None and is skipped).

    Parameters
    ----------
    corpus : Corpus, iterable of Report, or mapping of report id to TokenizedReport
        (then ``metadata`` is required).
    tokenizer : Tokenizer, optional
    metadata : DataFrame, optional
        ``report_id``, ``agency``, ``year`` (e.g. ``corpus.to_frame()`` or your own table); by
        default ``Report.metadata``.
    stickiness_ngram : int, default 8
    max_gap : int or None, default 1
        Largest year difference paired; None pairs consecutive reports whatever the gap.
    mask_numbers : bool, default True
    length_degree : int, default 3
        Degree of the polynomial in (standardised) ``n_tokens_to`` that ``modification_adj`` is
        residualised on.
    cache : dict, optional
    progress : bool, default False

    Returns
    -------
    DataFrame
        Columns :data:`YOY_COLUMNS`, sorted by ``agency``, ``year_to``, ``report_to``,
        ``report_from``. All measures are over words (see the module docstring; numbers masked),
        from the earlier report (``from``, a) to the later (``to``, b), in [0, 1] and NaN when a
        report has no words:

        - ``cosine`` -- cosine of the term-frequency vectors;
        - ``jaccard`` -- ``|A ∩ B| / |A ∪ B|`` of the word sets;
        - ``edit_sim`` -- ``1 - lev(a, b) / max(|a|, |b|)``, lev the word-level Levenshtein
          distance (insertions, deletions, substitutions of words);
        - ``diff_sim`` -- ``1 - (words of the sentences a diff marks as deleted, inserted or
          changed) / (|a| + |b|)``: a minimal line diff (longest common subsequence) with
          sentences as lines, i.e. the changed words over twice the mean length;
        - ``stickiness`` -- share of b's word 8-gram occurrences (within sentences) that also
          occur in a; ``stickiness_sentences`` -- share of b's non-heading sentences whose word
          sequence is a sentence of a;
        - ``identical`` -- the two word sequences are equal;
        - ``modification`` -- Brown & Tucker's ``1 - cosine``; ``modification_adj`` -- its
          residual from a least-squares polynomial of degree ``length_degree`` in the
          standardised ``n_tokens_to``, over the rows of this table (NaN with fewer than
          ``length_degree + 2`` rows).

        cosine, jaccard and edit_sim are symmetric in a and b; diff_sim is up to the choice among
        equally long common subsequences; stickiness is not.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = {"a": [["本镇", "主动", "公开", "信息", "12", "条"]], "b": [["本镇", "主动", "公开", "信息", "15", "条"]]}
    >>> meta = pd.DataFrame({"report_id": ["a", "b"], "agency": ["甲镇"] * 2, "year": [2022, 2023]})
    >>> y = year_over_year(docs, metadata=meta, stickiness_ngram=4)
    >>> y[["report_from", "report_to", "cosine", "edit_sim", "stickiness", "identical"]].to_records(index=False).tolist()
    [('a', 'b', 1.0, 1.0, 1.0, True)]
    """
    caller = "year_over_year"
    stick_n = _check_int(stickiness_ngram, "stickiness_ngram", caller)
    if max_gap is not None:
        _check_int(max_gap, "max_gap", caller)
    _check_int(length_degree, "length_degree", caller, low=0)
    _check_flag(mask_numbers, "mask_numbers", caller)
    _check_flag(progress, "progress", caller)
    _check_tokenizer(tokenizer, caller)
    try:
        # rapidfuzz: a maintained C++ library whose bit-parallel Levenshtein and Indel (LCS)
        # run in O(n*m/64) on any sequence; a Python dynamic programme over two 3,000-word
        # reports takes seconds per pair, difflib computes neither measure.
        from rapidfuzz.distance import Indel, Levenshtein
    except ImportError as exc:  # pragma: no cover - rapidfuzz is a dependency
        msg = "year_over_year needs rapidfuzz for the edit and diff similarities: pip install rapidfuzz"
        raise MissingDependencyError(msg) from exc
    toks, reports = _prepare(corpus, tokenizer, cache, progress, caller)
    md = _metadata_frame(reports, sorted(toks), metadata, ("agency", "year"), caller)
    groups: dict[str, dict[int, list[str]]] = {}
    for rid, row in md.iterrows():
        agency, year = row["agency"], row["year"]
        if agency is None or year is None or (isinstance(year, float) and math.isnan(year)):
            continue
        if isinstance(agency, float) and math.isnan(agency):
            continue
        try:
            y = int(year)
        except (TypeError, ValueError):
            continue
        groups.setdefault(str(agency), {}).setdefault(y, []).append(rid)
    pairs = []
    for agency in sorted(groups):
        years = sorted(groups[agency])
        for y0, y1 in zip(years, years[1:]):
            if max_gap is not None and y1 - y0 > max_gap:
                continue
            for b in sorted(groups[agency][y1]):
                for a in sorted(groups[agency][y0]):
                    pairs.append((agency, a, b, y0, y1))
    units: dict[str, _Units] = {}
    rows = []
    last = None
    for agency, a, b, y0, y1 in pairs:
        if agency != last:  # a report is in its agency's pairs only: its units are done
            units.clear()
            last = agency
        for rid in (a, b):
            if rid not in units:
                units[rid] = _get_units(toks, None, rid, "word", mask_numbers)
        row = {"agency": agency, "report_from": a, "report_to": b, "year_from": y0, "year_to": y1}
        row.update(_pair_measures(units[a], units[b], stick_n, Levenshtein, Indel))
        rows.append(row)
    df = pd.DataFrame(rows, columns=YOY_COLUMNS)
    df["modification"] = 1.0 - df["cosine"].astype("float64")
    df["modification_adj"] = _residualise(df["modification"].to_numpy(dtype=float),
                                          df["n_tokens_to"].to_numpy(dtype=float), int(length_degree))
    df = df.sort_values(["agency", "year_to", "report_to", "report_from"], kind="stable").reset_index(drop=True)
    return df.astype({"agency": object, "report_from": object, "report_to": object, "year_from": "int64",
                      "year_to": "int64", "n_tokens_from": "int64", "n_tokens_to": "int64", "cosine": "float64",
                      "jaccard": "float64", "edit_sim": "float64", "diff_sim": "float64", "stickiness": "float64",
                      "stickiness_sentences": "float64", "identical": bool, "modification": "float64",
                      "modification_adj": "float64"})
