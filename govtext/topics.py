"""Topics of problems and improvement measures: a readable lexicon and a data-driven model.

Two ways to say what a statement (:mod:`govtext.statements`) is about:

* **The lexicon** (:class:`TopicLexicon`, :func:`load_lexicon`, :func:`assign_topics`): a fixed,
  documented scheme for both kinds -- timeliness, completeness and scope, standardisation and
  quality, staff capacity and training, awareness and publicity, policy interpretation and
  response, platforms and new media, supervision and assessment, mechanisms and rules, request
  handling, and ``other`` -- assigned by keywords kept in ``govtext/data/topics.json``. A
  statement gets every topic with at least one keyword in its text (phrases listed under
  ``exclude``, such as 规范性文件 for ``quality``, are masked first); the *primary* topic has the
  most distinct keywords, ties going to the topic whose first keyword comes earliest in the text
  (a point's title comes first), then to the scheme order. No keyword: the fallback ``other``.
  Researchers change the scheme by editing a copy of the JSON file and loading it with
  :func:`load_lexicon`; :meth:`TopicLexicon.explain` shows which keywords fired.
* **The model** (:class:`TopicModel`): topics discovered in a new corpus with scikit-learn --
  TF-IDF over the words of :class:`govtext.tokenize.Tokenizer` (default stopwords, no
  punctuation, no numbers), then NMF or k-means, deterministic for a given ``random_state``. It
  reports the top terms and example statements of every topic.

:func:`topic_table` cross-tabulates topics by report (or any other column).

Examples
--------
>>> from govtext.topics import assign_topics
>>> assign_topics(["一是业务人员的业务素质有待进一步提高;", "信息发布的及时性有待提高。", "无"])
[('capacity',), ('timeliness',), ('other',)]
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from govtext.exceptions import InputError, InvalidParameterError, NotFittedError

__all__ = [
    "TOPIC_KEYS",
    "TOPIC_STOPWORDS",
    "Topic",
    "TopicLexicon",
    "TopicModel",
    "assign_topics",
    "load_lexicon",
    "topic_table",
]

#: Keys of the bundled topic scheme, in its order (``other`` is the fallback).
TOPIC_KEYS = (
    "timeliness",
    "completeness",
    "quality",
    "capacity",
    "awareness",
    "interpretation",
    "platforms",
    "supervision",
    "mechanisms",
    "requests",
    "other",
)

#: Stock words of the genre dropped by :class:`TopicModel` (``stop_words="genre"``): they occur
#: in most statements of both kinds and would top every topic.
TOPIC_STOPWORDS = (
    "政府信息公开", "信息公开", "政府信息", "政务公开", "公开", "信息", "工作", "政务", "进一步",
    "加强", "不够", "存在", "问题", "方面", "提高", "完善", "推进", "部分", "有待", "开展", "相关",
    "做好", "积极", "不断", "切实", "继续", "主要", "我镇", "我乡", "我区", "我县", "我局", "我们",
    "不足", "还需", "仍需", "需要", "确保", "落实", "各项", "方式", "以及",
)

_CN = "一二三四五六七八九十"
_ENUM_RE = re.compile(
    rf"^\s*(?:[{_CN}]{{1,3}}是|\d{{1,2}}[.、](?:是)?|[(（](?:[{_CN}]{{1,3}}|\d{{1,2}})[)）]"
    rf"|[\u2460-\u2473]|第[{_CN}]{{1,3}}[,、:])\s*"
)
_TITLE_END_RE = re.compile(r"[,。;:!?]")


def _strip_enumerator(text: str) -> str:
    """The text without a leading enumerator (``一是``, ``1.``, ``(一)``, ``1、``, ``①``)."""
    return _ENUM_RE.sub("", text, count=1)


# --------------------------------------------------------------------------------------------
# lexicon


@dataclass(frozen=True)
class Topic:
    """One topic of a :class:`TopicLexicon`.

    Attributes
    ----------
    key : str
        Short identifier (``"timeliness"``).
    label, label_zh : str
        Readable names (English, Chinese).
    description : str
        What the topic covers.
    keywords : tuple of str
        Substrings of the normalised text that mark the topic.
    exclude : tuple of str
        Phrases masked before this topic's keywords are searched (``规范性文件``).
    """

    key: str
    label: str
    label_zh: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


class TopicLexicon:
    """A keyword scheme that assigns topics to statements.

    Parameters
    ----------
    topics : sequence of Topic
        In order (the order breaks ties).
    fallback : str, default "other"
        The topic of a text with no keyword.
    name : str, optional

    Examples
    --------
    >>> lex = load_lexicon()
    >>> lex.keys[:3]
    ('timeliness', 'completeness', 'quality')
    >>> lex.assign("三是政务新媒体运维管理缺乏创新举措,部分账号内容单调、形式单一、互动不够等问题。")
    ('platforms', 'completeness', 'interpretation')
    >>> lex.explain("信息公开的时效性还不够,宣传工作还不够。")
    {'timeliness': ['时效'], 'awareness': ['宣传']}
    """

    def __init__(self, topics: Sequence[Topic], *, fallback: str = "other", name: str = "") -> None:
        topics = tuple(topics)
        if not topics or not all(isinstance(t, Topic) for t in topics):
            msg = "The 'topics' parameter of TopicLexicon must be a non-empty sequence of Topic."
            raise InvalidParameterError(msg)
        keys = [t.key for t in topics]
        if len(set(keys)) != len(keys):
            dup = sorted({k for k in keys if keys.count(k) > 1})
            msg = f"The 'topics' parameter of TopicLexicon must have unique keys. Got {dup} twice."
            raise InvalidParameterError(msg)
        if not isinstance(fallback, str) or not fallback or fallback in keys:
            msg = (f"The 'fallback' parameter of TopicLexicon must be a non-empty str that is not a "
                   f"topic key. Got {fallback!r} instead.")
            raise InvalidParameterError(msg)
        self.topics = topics
        self.fallback = fallback
        self.name = name

    @property
    def keys(self) -> tuple[str, ...]:
        """Topic keys in order, then the fallback."""
        return tuple(t.key for t in self.topics) + (self.fallback,)

    def __repr__(self) -> str:
        return f"TopicLexicon({len(self.topics)} topics + {self.fallback!r})"

    def _hits(self, text: str) -> list[tuple[int, int, int, int, str, list[str]]]:
        """(-n_title_keywords, -n_keywords, first position, order, key, keywords) per topic found."""
        body = _strip_enumerator(text)
        title = len(_TITLE_END_RE.split(body, maxsplit=1)[0])
        found = []
        for order, topic in enumerate(self.topics):
            masked = body
            for phrase in topic.exclude:
                masked = masked.replace(phrase, "\0" * len(phrase))
            words = []
            first = len(body)
            in_title = 0
            for kw in topic.keywords:
                p = masked.find(kw)
                if p >= 0:
                    words.append(kw)
                    first = min(first, p)
                    in_title += p + len(kw) <= title
            if words:
                found.append((-in_title, -len(words), first, order, topic.key, words))
        found.sort()
        return found

    def assign(self, text: str) -> tuple[str, ...]:
        """Topics of one text, primary first; ``(fallback,)`` when no keyword matches."""
        if not isinstance(text, str):
            msg = f"The 'text' parameter of TopicLexicon.assign must be a str. Got {type(text).__name__} instead."
            raise InvalidParameterError(msg)
        hits = self._hits(text)
        return tuple(h[4] for h in hits) if hits else (self.fallback,)

    def explain(self, text: str) -> dict[str, list[str]]:
        """The keywords of each topic found in ``text`` (in the order of :meth:`assign`)."""
        return {h[4]: h[5] for h in self._hits(text)}

    def to_frame(self) -> pd.DataFrame:
        """One row per topic: ``key, label, label_zh, description, keywords, exclude`` (the
        lists joined with ``、``), then the fallback row."""
        rows = [(t.key, t.label, t.label_zh, t.description, "、".join(t.keywords), "、".join(t.exclude))
                for t in self.topics]
        rows.append((self.fallback, "Other", "其他", "No keyword of any topic.", "", ""))
        return pd.DataFrame(rows, columns=["key", "label", "label_zh", "description", "keywords", "exclude"])


def _lexicon_from_mapping(data: Any, source: str) -> TopicLexicon:
    try:
        topics = []
        for t in data["topics"]:
            kws = tuple(str(k) for k in t["keywords"])
            if not all(kws):
                raise ValueError("empty keyword")
            topics.append(Topic(str(t["key"]), str(t.get("label", t["key"])), str(t.get("label_zh", "")),
                                str(t.get("description", "")), kws,
                                tuple(str(x) for x in t.get("exclude", ()))))
        return TopicLexicon(topics, fallback=str(data.get("fallback", "other")), name=str(data.get("name", "")))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        msg = ("a topic lexicon must be a JSON object with 'topics': a list of objects with 'key' "
               f"and 'keywords' (non-empty strings); reading it failed: {exc}")
        raise InputError(msg, source=source) from None


_DEFAULT: TopicLexicon | None = None


def load_lexicon(path: str | os.PathLike | Mapping | None = None) -> TopicLexicon:
    """Load a topic lexicon.

    Parameters
    ----------
    path : path-like, mapping or None
        A JSON file in the format of ``govtext/data/topics.json`` (``{"fallback": ...,
        "topics": [{"key", "label", "label_zh", "description", "keywords", "exclude"}, ...]}``),
        the parsed mapping itself, or None for the bundled scheme.

    Returns
    -------
    TopicLexicon

    Raises
    ------
    InputError
        When the file is not a valid lexicon.

    Examples
    --------
    >>> lex = load_lexicon({"topics": [{"key": "training", "keywords": ["培训"]}]})
    >>> lex.assign("加强业务培训"), lex.assign("完善制度")
    (('training',), ('other',))
    """
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            ref = resources.files("govtext") / "data" / "topics.json"
            _DEFAULT = _lexicon_from_mapping(json.loads(ref.read_text(encoding="utf-8")), "govtext/data/topics.json")
        return _DEFAULT
    if isinstance(path, Mapping):
        return _lexicon_from_mapping(path, "<mapping>")
    if not isinstance(path, (str, os.PathLike)):
        msg = f"The 'path' parameter of load_lexicon must be a path, a mapping or None. Got {type(path).__name__} instead."
        raise InvalidParameterError(msg)
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as exc:
        msg = f"cannot read the topic lexicon: {exc}"
        raise InputError(msg, source=os.fspath(path)) from None
    return _lexicon_from_mapping(data, os.fspath(path))


def _texts(statements: Any, caller: str) -> list[str]:
    """Texts of a statements DataFrame (``text`` column), of Statement records or of strings."""
    if isinstance(statements, str):
        msg = f"The 'statements' parameter of {caller} must be an iterable of texts, not a str. Got {statements[:20]!r} instead."
        raise InvalidParameterError(msg)
    if isinstance(statements, pd.DataFrame):
        if "text" not in statements.columns:
            msg = f"The 'statements' parameter of {caller} needs a 'text' column. Got {list(statements.columns)} instead."
            raise InvalidParameterError(msg)
        return [str(t) for t in statements["text"]]
    if isinstance(statements, pd.Series):
        return [str(t) for t in statements]
    if not isinstance(statements, Iterable):
        msg = f"The 'statements' parameter of {caller} must be a DataFrame or an iterable. Got {type(statements).__name__} instead."
        raise InvalidParameterError(msg)
    out = []
    for s in statements:
        text = s if isinstance(s, str) else getattr(s, "text", None)
        if not isinstance(text, str):
            msg = f"The 'statements' parameter of {caller} must hold str or Statement records. Got {type(s).__name__} instead."
            raise InvalidParameterError(msg)
        out.append(text)
    return out


def assign_topics(statements: Any, lexicon: TopicLexicon | None = None) -> list[tuple[str, ...]]:
    """Topics of every statement, primary first (see :class:`TopicLexicon`).

    Parameters
    ----------
    statements : DataFrame (``text`` column), iterable of Statement or of str
    lexicon : TopicLexicon, optional
        Default: the bundled scheme (:func:`load_lexicon`).

    Returns
    -------
    list of tuple of str
    """
    lex = load_lexicon() if lexicon is None else lexicon
    if not isinstance(lex, TopicLexicon):
        msg = f"The 'lexicon' parameter of assign_topics must be a TopicLexicon. Got {type(lex).__name__} instead."
        raise InvalidParameterError(msg)
    return [lex.assign(t) for t in _texts(statements, "assign_topics")]


def topic_table(statements: pd.DataFrame, *, by: str = "report_id", kind: str | None = "problem",
                column: str = "topic", groups: Iterable | None = None,
                lexicon: TopicLexicon | None = None) -> pd.DataFrame:
    """Count statements by topic: one row per value of ``by``, one column per topic.

    Parameters
    ----------
    statements : DataFrame
        From :func:`govtext.statements.extract_statements` (needs ``by``, ``kind`` and either
        ``topic`` or ``topics``).
    by : str, default "report_id"
        The column to group by (``report_id``, ``year``, ``agency`` after a merge, ...).
    kind : {"problem", "measure"} or None
        Keep only this kind (None: both).
    column : {"topic", "topics"}
        ``topic`` counts each statement once, under its primary topic; ``topics`` counts it
        under every topic it has.
    groups : iterable, optional
        Rows to show, in this order, also when they have no statement (``corpus.ids``: a report
        that states no problem is a row of zeros). Default: the values of ``by`` found, sorted.
    lexicon : TopicLexicon, optional
        Fixes the column order (default: the bundled scheme).

    Returns
    -------
    DataFrame
        int64 counts; index ``by`` (sorted), columns the topics in scheme order (topics that
        never occur are kept, so tables of different corpora line up), plus ``total`` (number of
        statements).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"report_id": ["a", "a", "b"], "kind": ["problem"] * 3,
    ...                    "topic": ["timeliness", "capacity", "timeliness"]})
    >>> topic_table(df)[["timeliness", "capacity", "total"]]
               timeliness  capacity  total
    report_id
    a                   1         1      2
    b                   1         0      1
    """
    if not isinstance(statements, pd.DataFrame):
        msg = f"The 'statements' parameter of topic_table must be a DataFrame. Got {type(statements).__name__} instead."
        raise InvalidParameterError(msg)
    if column not in ("topic", "topics"):
        msg = f"The 'column' parameter of topic_table must be 'topic' or 'topics'. Got {column!r} instead."
        raise InvalidParameterError(msg)
    need = [by, column] + (["kind"] if kind is not None else [])
    missing = [c for c in need if c not in statements.columns]
    if missing:
        msg = f"topic_table needs the columns {missing} in 'statements'. Got {list(statements.columns)} instead."
        raise InvalidParameterError(msg)
    if kind is not None and kind not in ("problem", "measure"):
        msg = f"The 'kind' parameter of topic_table must be 'problem', 'measure' or None. Got {kind!r} instead."
        raise InvalidParameterError(msg)
    lex = load_lexicon() if lexicon is None else lexicon
    frame = statements if kind is None else statements.loc[statements["kind"] == kind]
    if groups is None:
        groups = sorted(set(frame[by]), key=str)
    else:
        if isinstance(groups, str) or not isinstance(groups, Iterable):
            msg = f"The 'groups' parameter of topic_table must be an iterable of values of {by!r}. Got {groups!r} instead."
            raise InvalidParameterError(msg)
        groups = list(dict.fromkeys(groups))
        extra = sorted(set(frame[by]) - set(groups), key=str)
        if extra:
            msg = f"The 'groups' parameter of topic_table misses values of {by!r} found in the statements: {extra[:5]}."
            raise InvalidParameterError(msg)
    cols = list(lex.keys)
    counts = {g: dict.fromkeys(cols, 0) for g in groups}
    totals = dict.fromkeys(groups, 0)
    for g, value in zip(frame[by], frame[column]):
        totals[g] += 1
        values = (value,) if isinstance(value, str) else tuple(value)
        for v in values:
            if v not in cols:  # a topic outside the lexicon: a column of its own, at the end
                cols.append(v)
                for row in counts.values():
                    row[v] = 0
            counts[g][v] += 1
    out = pd.DataFrame([[counts[g][c] for c in cols] + [totals[g]] for g in groups],
                       columns=[*cols, "total"], index=pd.Index(groups, name=by))
    return out.astype("int64")


# --------------------------------------------------------------------------------------------
# data-driven topics


class _Analyzer:
    """Tokens for TF-IDF: govtext words without stopwords, punctuation, numbers or enumerators."""

    def __init__(self, tokenizer: Any, stop: frozenset[str] = frozenset()) -> None:
        self.tokenizer = tokenizer
        self.stop = stop

    def __call__(self, text: str) -> list[str]:
        return [t for t in self.tokenizer(_strip_enumerator(text))
                if len(t) > 1 and t not in self.stop and any("\u4e00" <= ch <= "\u9fff" for ch in t)]


_METHODS = ("nmf", "kmeans")


class TopicModel(BaseEstimator):
    """Discover topics of statements: TF-IDF with the govtext tokenizer, then NMF or k-means.

    Parameters
    ----------
    n_topics : int, default 8
        Number of topics (NMF components or k-means clusters).
    method : {"nmf", "kmeans"}, default "nmf"
        NMF (``init="nndsvda"``) gives every statement a weight on every topic, its topic being
        the largest; k-means (``n_init=10``) gives each statement one cluster.
    n_top_terms : int, default 10
        Terms listed per topic in :attr:`topics_`.
    n_examples : int, default 3
        Example statements listed per topic (the closest to the topic: highest NMF weight or
        smallest distance to the centroid).
    stop_words : "genre", None or collection of str, default "genre"
        Terms left out of the model: ``"genre"`` is :data:`TOPIC_STOPWORDS` (the stock words of
        the genre, such as 政府信息公开, 进一步, 加强, 不够), ``None`` keeps everything.
    min_df, max_df : int or float, default 1 and 0.5
        Passed to :class:`sklearn.feature_extraction.text.TfidfVectorizer` (``max_df=0.5``
        drops terms found in more than half of the statements).
    tokenizer : Tokenizer, optional
        Default ``Tokenizer(stopwords="default", drop_punct=True)``; tokens without a Han
        character and one-character tokens are dropped, as are leading enumerators.
    random_state : int, default 0
        Seed of NMF's initialisation / k-means.

    Attributes
    ----------
    vectorizer_ : TfidfVectorizer
    estimator_ : NMF or KMeans
    terms_ : ndarray of str
        The vocabulary, in column order.
    components_ : ndarray of shape (n_topics, n_terms)
        Term weights per topic (NMF components or k-means centroids).
    labels_ : ndarray of int
        The topic of every training statement.
    weights_ : ndarray of shape (n_statements, n_topics)
        NMF weights, or for k-means the one-hot cluster membership.
    topics_ : DataFrame
        One row per topic: ``topic`` (int), ``size`` (statements whose topic it is),
        ``top_terms`` (list of str, best first), ``examples`` (list of str).

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> from govtext.statements import extract_statements
    >>> stmts = extract_statements(load_seeds())
    >>> model = TopicModel(n_topics=4, random_state=0).fit(stmts)
    >>> model.components_.shape[0], len(model.labels_) == len(stmts)
    (4, True)
    >>> list(model.topics_.columns)
    ['topic', 'size', 'top_terms', 'examples']
    """

    def __init__(self, *, n_topics: int = 8, method: str = "nmf", n_top_terms: int = 10,
                 n_examples: int = 3, stop_words: Any = "genre", min_df: int | float = 1,
                 max_df: int | float = 0.5, tokenizer: Any = None, random_state: int | None = 0) -> None:
        self.n_topics = n_topics
        self.method = method
        self.n_top_terms = n_top_terms
        self.n_examples = n_examples
        self.stop_words = stop_words
        self.min_df = min_df
        self.max_df = max_df
        self.tokenizer = tokenizer
        self.random_state = random_state

    def set_params(self, **params: Any) -> TopicModel:
        """Set constructor parameters (scikit-learn's ``set_params``; an unknown name raises
        :class:`~govtext.exceptions.InvalidParameterError`)."""
        try:
            return super().set_params(**params)
        except ValueError as exc:
            raise InvalidParameterError(str(exc)) from None

    def _validate(self) -> None:
        def bad(name: str, what: str) -> InvalidParameterError:
            return InvalidParameterError(
                f"The {name!r} parameter of TopicModel must be {what}. Got {getattr(self, name)!r} instead.")

        for name in ("n_topics", "n_top_terms"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise bad(name, "an int >= 1")
        v = self.n_examples
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise bad("n_examples", "an int >= 0")
        if self.method not in _METHODS:
            raise bad("method", f"one of {list(_METHODS)}")
        rs = self.random_state
        if rs is not None and (isinstance(rs, bool) or not isinstance(rs, (int, np.integer))):
            raise bad("random_state", "an int or None")

    def _analyzer(self) -> _Analyzer:
        tok = self.tokenizer
        if tok is None:
            from govtext.tokenize import Tokenizer

            tok = Tokenizer(stopwords="default", drop_punct=True)
        elif not callable(tok):
            msg = f"The 'tokenizer' parameter of TopicModel must be a callable (a Tokenizer). Got {type(tok).__name__} instead."
            raise InvalidParameterError(msg)
        sw = self.stop_words
        if sw is None:
            stop: frozenset[str] = frozenset()
        elif isinstance(sw, str):
            if sw != "genre":
                msg = f"The 'stop_words' parameter of TopicModel must be 'genre', None or a collection of str. Got {sw!r} instead."
                raise InvalidParameterError(msg)
            stop = frozenset(TOPIC_STOPWORDS)
        else:
            try:
                stop = frozenset(sw)
            except TypeError:
                stop = None  # type: ignore[assignment]
            if stop is None or not all(isinstance(w, str) for w in stop):
                msg = f"The 'stop_words' parameter of TopicModel must be 'genre', None or a collection of str. Got {sw!r} instead."
                raise InvalidParameterError(msg)
        return _Analyzer(tok, stop)

    def fit(self, statements: Any, y: Any = None) -> TopicModel:
        """Fit the vectorizer and the topic model.

        Parameters
        ----------
        statements : DataFrame (``text`` column), iterable of Statement or of str
        y : ignored

        Returns
        -------
        self
        """
        from sklearn.cluster import KMeans
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._validate()
        texts = _texts(statements, "TopicModel.fit")
        if len(texts) < self.n_topics:
            msg = (f"The 'n_topics' parameter of TopicModel must not exceed the number of statements "
                   f"({len(texts)}). Got {self.n_topics} instead.")
            raise InvalidParameterError(msg)
        vec = TfidfVectorizer(analyzer=self._analyzer(), min_df=self.min_df, max_df=self.max_df,
                              sublinear_tf=True)
        try:
            x = vec.fit_transform(texts)
        except ValueError as exc:  # empty vocabulary
            msg = f"TopicModel.fit: no terms to model ({exc})."
            raise InvalidParameterError(msg) from None
        if self.method == "nmf":
            est = NMF(n_components=self.n_topics, init="nndsvda", random_state=self.random_state, max_iter=1000)
            weights = est.fit_transform(x)
            components = est.components_
            labels = weights.argmax(axis=1)
            closeness = weights[np.arange(len(texts)), labels]
        else:
            est = KMeans(n_clusters=self.n_topics, n_init=10, random_state=self.random_state)
            labels = est.fit_predict(x)
            components = est.cluster_centers_
            weights = np.zeros((len(texts), self.n_topics))
            weights[np.arange(len(texts)), labels] = 1.0
            closeness = -est.transform(x)[np.arange(len(texts)), labels]
        self.vectorizer_ = vec
        self.estimator_ = est
        self.terms_ = vec.get_feature_names_out()
        self.components_ = np.asarray(components)
        self.labels_ = np.asarray(labels, dtype=np.int64)
        self.weights_ = np.asarray(weights)
        self.topics_ = self._describe(texts, closeness)
        return self

    def _describe(self, texts: list[str], closeness: np.ndarray) -> pd.DataFrame:
        rows = []
        for k in range(self.n_topics):
            comp = self.components_[k]
            # stable: by weight descending, then by term
            order = np.lexsort((self.terms_, -comp))
            top = [str(self.terms_[i]) for i in order[: self.n_top_terms] if comp[i] > 0]
            members = np.flatnonzero(self.labels_ == k)
            best = members[np.lexsort((members, -closeness[members]))][: self.n_examples]
            rows.append((k, len(members), top, [texts[i] for i in best]))
        return pd.DataFrame(rows, columns=["topic", "size", "top_terms", "examples"]).astype(
            {"topic": "int64", "size": "int64"})

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            msg = "This TopicModel instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator."
            raise NotFittedError(msg)

    def transform(self, statements: Any) -> np.ndarray:
        """Topic weights of new statements: NMF weights, or negative distances to the k-means
        centroids (larger is closer)."""
        self._check_fitted()
        x = self.vectorizer_.transform(_texts(statements, "TopicModel.transform"))
        if self.method == "nmf":
            return self.estimator_.transform(x)
        return -self.estimator_.transform(x)

    def predict(self, statements: Any) -> np.ndarray:
        """The topic of each statement (argmax of :meth:`transform`)."""
        return np.asarray(self.transform(statements).argmax(axis=1), dtype=np.int64)

    def fit_predict(self, statements: Any, y: Any = None) -> np.ndarray:
        """``fit(statements).labels_``."""
        return self.fit(statements).labels_

    def top_terms(self, n: int | None = None) -> list[list[str]]:
        """The ``n`` (default ``n_top_terms``) best terms of each topic."""
        self._check_fitted()
        n = self.n_top_terms if n is None else n
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            msg = f"The 'n' parameter of TopicModel.top_terms must be an int >= 1. Got {n!r} instead."
            raise InvalidParameterError(msg)
        out = []
        for comp in self.components_:
            order = np.lexsort((self.terms_, -comp))
            out.append([str(self.terms_[i]) for i in order[:n] if comp[i] > 0])
        return out
