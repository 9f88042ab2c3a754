"""Chinese word tokenisation with one canonical output for two backends.

:class:`Tokenizer` segments report text with `jieba <https://github.com/fxsjy/jieba>`_ or with
its Rust port `rjieba <https://pypi.org/project/rjieba/>`_ (about 19 times faster; the
``govtext[fast]`` extra) and gives the *same tokens* with either. The canonical rule:

1. With ``normalize=True`` (the default) the text first goes through
   :func:`govtext.normalize.normalize_text` (OpenCC t2s with the 著→着 fix, width folding,
   scrape-debris and space removal), so traditional input gives the tokens of its simplified
   form. Offsets from :meth:`Tokenizer.tokenize_with_spans` then refer to the *normalised* text.
2. The text is cut into maximal runs of Han characters ``[\\u4e00-\\u9fd5]`` (jieba's own Han
   range) and everything else. Each Han run is segmented on its own by the backend, with the
   main jieba dictionary, govtext's domain dictionary (``govtext/data/userdict.txt``), the
   place names and the user words, identically added to both backends: every word gets an
   explicit frequency (no ``suggest_freq``, whose floating-point rounding differs), and jieba's
   dictionary total follows jieba-rs's rule (distinct words only; re-adding a word replaces its
   frequency instead of adding to it), so both compute the same path probabilities. The Han runs
   of a text go to the backend in one call, joined by newlines, where both cut.
3. Everything else is tokenised by one regular expression (:data:`NON_HAN_PATTERN`), the same
   for both backends. At each position the first matching kind wins (its tag in brackets):

   - ``email`` (``email``): ``xxgk@np.gov.cn``;
   - ``url`` (``url``): ``http(s)://…``, ``www.…`` or a bare host name ending in a common TLD
     (cn, com, net, org, gov, edu, …): ``lzq.gov.cn``, ``www.lyls.gov.cn``;
   - ``date`` (``t``): ``YYYY-M-D`` with ``-``, ``/`` or ``.``: ``2024-01-22``;
   - ``tel`` (``tel``): ``0539-2657000``, ``0597—5731954``, ``400-123-4567``;
   - ``time`` (``t``): ``9:30``, ``10:30:00``;
   - ``eng`` (``eng``): a run of ASCII letters and digits with at least one letter, parts
     joined by ``-``: ``5G``, ``GK1225-1``, ``PDF``;
   - ``num`` (``m``): digits with an optional sign (only when not glued to a letter or digit
     before it), thousands groups, decimals and a trailing ``%``: ``+8``, ``662.441``,
     ``1,234``, ``50%``; ``2020-2021`` is ``2020``, ``-``, ``2021``;
   - ``other`` (``x``): a run of any other letters or digits (kana, full-width forms when not
     normalised, CJK extension ideographs, ``〇``);
   - ``punct`` (``x``): a run of one repeated punctuation or symbol character: ``,``,
     ``……``, ``——``, ``||||``.

   Whitespace separates tokens and is never a token, so the tokens tile the non-space text.
   Dictionary words that mix Han and ASCII (``B超``, ``T恤``) are therefore split.

Part-of-speech tags (:meth:`Tokenizer.pos_tag`) are looked up, not guessed: a Han token gets the
tag of the govtext/user dictionary entry, else of jieba's main dictionary, else ``x`` (a word
the HMM built); non-Han tokens get the tag of their kind (list above). This keeps the tags
identical across backends and consistent with :meth:`Tokenizer.tokenize` (``jieba.posseg``
segments differently from ``jieba.cut`` and runs at about 92 k chars/s).

Each :class:`Tokenizer` owns its backend instance (``jieba.Tokenizer()`` or ``rjieba.Jieba()``),
never jieba's module-level state; jieba's prefix-dictionary cache goes to the govtext cache
directory (``$GOVTEXT_CACHE``, else ``$XDG_CACHE_HOME/govtext``, else ``~/.cache/govtext``),
never to the shared temporary directory, and its "Building prefix dict" log lines are silenced.

Examples
--------
>>> from govtext.tokenize import Tokenizer
>>> tok = Tokenizer(place_names=["方城镇"])
>>> tok("方城镇依申请公开政府信息3宗,电话:0539-2657000")
['方城镇', '依申请公开', '政府信息', '3', '宗', ',', '电话', ':', '0539-2657000']
"""

from __future__ import annotations

import logging
import os
import re
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from govtext.exceptions import InputError, InvalidParameterError, MissingDependencyError

__all__ = [
    "DEFAULT_PLACE_FREQ",
    "DEFAULT_WORD_FREQ",
    "HAN_CHARS",
    "NON_HAN_PATTERN",
    "Tokenizer",
    "default_cache_dir",
    "load_stopwords",
    "load_userdict",
    "place_names_from_agency",
    "place_names_from_text",
]

logger = logging.getLogger(__name__)

#: Characters segmented by the dictionary backend (jieba's own Han range, U+4E00–U+9FD5).
HAN_CHARS = "\u4e00-\u9fd5"

#: Frequency given to a user word added without one (see ``userdict_sources.md``).
DEFAULT_WORD_FREQ = 100
#: Frequency given to every place name (tag ``ns``).
DEFAULT_PLACE_FREQ = 100

_BACKENDS = ("auto", "jieba", "rjieba")
_SEP = "\n"  # joins the Han runs of a text for one backend call; both backends cut there
_HAN_SPLIT = re.compile(f"([{HAN_CHARS}]+)")
_HAN_WORD = re.compile(f"[{HAN_CHARS}]+")

_TLDS = "cn|com|net|org|gov|edu|int|mil|info|biz|top|xyz|io|hk|mo|tw|uk|us"
#: The one pattern that tokenises non-Han text (see the module docstring for the kinds).
NON_HAN_PATTERN = (
    r"(?P<email>[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})"
    r"|(?P<url>(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]*[A-Za-z0-9/#=&_~\-]"
    r"|(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+(?:" + _TLDS + r")(?![A-Za-z0-9\-])"
    r"(?:/[A-Za-z0-9\-._~/?#=&%+]*[A-Za-z0-9/#=&_~\-])?)"
    r"|(?P<date>[0-9]{4}(?P<ds>[-/.])[0-9]{1,2}(?P=ds)[0-9]{1,2}(?![0-9]))"
    r"|(?P<tel>[0-9]{3,4}[-—–][0-9]{7,8}(?![0-9])|[0-9]{3}[-—–][0-9]{3,4}[-—–][0-9]{4}(?![0-9]))"
    r"|(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9]))"
    r"|(?P<eng>[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)"
    r"|(?P<num>(?:(?<![A-Za-z0-9])[+\-−])?(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)"
    r"(?:\.[0-9]+)?%?)"
    r"|(?P<other>[^\W_A-Za-z0-9" + HAN_CHARS + r"]+)"
    r"|(?P<punct>(?P<p>[^\w\s]|_)(?P=p)*)"
)
_NON_HAN_RE = re.compile(NON_HAN_PATTERN)
_KIND_TAGS = {
    "email": "email",
    "url": "url",
    "date": "t",
    "tel": "tel",
    "time": "t",
    "eng": "eng",
    "num": "m",
    "other": "x",
    "punct": "x",
}
_PUNCT = "punct"
_HAN = "han"

# Memo of the tokenised non-Han segments ("," "。" "2023" ...): a pure function of the segment.
_MEMO_MAX = 100_000
_SEG_MEMO: dict[str, tuple[tuple[str, str, int], ...]] = {}
_SEG_TOKENS: dict[bool, dict[str, tuple[str, ...]]] = {False: {}, True: {}}

_BUILD_LOCK = threading.RLock()
_MAIN_TAGS: dict[str, str] | None = None


# --------------------------------------------------------------------------------------------
# data files


def _data_path(name: str) -> Path:
    return Path(str(resources.files("govtext") / "data" / name))


def load_userdict(path: str | os.PathLike | None = None) -> dict[str, tuple[int, str]]:
    """Read a dictionary in jieba's userdict format (``word [freq [tag]]``, one a line).

    Blank lines and lines starting with ``#`` are skipped. A missing frequency becomes
    :data:`DEFAULT_WORD_FREQ`, a missing tag ``nz``.

    Parameters
    ----------
    path : str or path-like, optional
        The file; by default govtext's domain dictionary ``govtext/data/userdict.txt``.

    Returns
    -------
    dict
        ``{word: (freq, tag)}``; a later line for the same word wins.

    Raises
    ------
    govtext.exceptions.InputError
        A line is not ``word [freq [tag]]`` with an integer frequency >= 1.

    Examples
    --------
    >>> entries = load_userdict()
    >>> entries["政府信息公开"]
    (50, 'n')
    """
    path = _data_path("userdict.txt") if path is None else Path(path)
    out: dict[str, tuple[int, str]] = {}
    with open(path, encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, 1):
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            try:
                freq = int(parts[1]) if len(parts) > 1 else DEFAULT_WORD_FREQ
            except ValueError:
                freq = -1
            if len(parts) > 3 or freq < 1:
                msg = (
                    f"line {lineno}: expected 'word [freq [tag]]' with an integer freq >= 1. "
                    f"Got {line.strip()!r} instead."
                )
                raise InputError(msg, source=str(path))
            out[parts[0]] = (freq, parts[2] if len(parts) > 2 else "nz")
    return out


def load_stopwords(path: str | os.PathLike | None = None) -> frozenset[str]:
    """Read a stopword list (one word a line; ``#`` starts a comment line).

    Parameters
    ----------
    path : str or path-like, optional
        The file; by default govtext's list ``govtext/data/stopwords.txt`` (closed-class
        function words and discourse markers; the principle is stated at the top of the file).

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> sw = load_stopwords()
    >>> "的" in sw, "加强" in sw
    (True, False)
    """
    path = _data_path("stopwords.txt") if path is None else Path(path)
    with open(path, encoding="utf-8-sig") as fh:
        return frozenset(w for w in (line.strip() for line in fh) if w and not w.startswith("#"))


def default_cache_dir() -> Path:
    """The govtext cache directory.

    ``$GOVTEXT_CACHE`` if set, else ``$XDG_CACHE_HOME/govtext``, else ``~/.cache/govtext``.
    jieba's prefix-dictionary cache is kept in its ``jieba`` subdirectory.
    """
    env = os.environ.get("GOVTEXT_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "govtext"


def _main_tags() -> dict[str, str]:
    """Tags of jieba's main dictionary (the file both backends are built from)."""
    global _MAIN_TAGS
    if _MAIN_TAGS is None:
        with _BUILD_LOCK:
            if _MAIN_TAGS is None:
                tags: dict[str, str] = {}
                dict_file = resources.files("jieba") / "dict.txt"
                with dict_file.open("r", encoding="utf-8") as fh:
                    for line in fh:
                        parts = line.split()
                        if len(parts) >= 3:
                            tags[parts[0]] = parts[2]
                _MAIN_TAGS = tags
    return _MAIN_TAGS


# --------------------------------------------------------------------------------------------
# non-Han segments


def _segment_detail(seg: str) -> tuple[tuple[str, str, int], ...]:
    """Tokens of a non-Han segment as ``(token, kind, start)``, memoised."""
    got = _SEG_MEMO.get(seg)
    if got is None:
        got = tuple(
            (m.group(), m.lastgroup or _PUNCT, m.start()) for m in _NON_HAN_RE.finditer(seg)
        )
        if len(_SEG_MEMO) >= _MEMO_MAX:
            _SEG_MEMO.clear()
        _SEG_MEMO[seg] = got
    return got


def _segment_tokens(seg: str, drop_punct: bool) -> tuple[str, ...]:
    """Token strings of a non-Han segment (without punctuation if ``drop_punct``), memoised."""
    memo = _SEG_TOKENS[drop_punct]
    got = memo.get(seg)
    if got is None:
        got = tuple(t for t, kind, _ in _segment_detail(seg) if not (drop_punct and kind == _PUNCT))
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[seg] = got
    return got


# --------------------------------------------------------------------------------------------
# backends


def _import_jieba() -> Any:
    """Import jieba without its import-time warnings (pkg_resources, invalid escapes)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
    return jieba


@contextmanager
def _quiet_jieba() -> Iterator[None]:
    """Silence jieba's logger (it logs to stderr at DEBUG) for the block, then restore it."""
    jlog = logging.getLogger("jieba")
    old = jlog.level
    jlog.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        jlog.setLevel(old)


class _JiebaBackend:
    name = "jieba"

    def __init__(self, words: Mapping[str, tuple[int, str]], cache_dir: Path) -> None:
        jieba = _import_jieba()
        tk = jieba.Tokenizer()
        jieba_dir = cache_dir / "jieba"
        try:
            jieba_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # read-only home: jieba then only fails to write its cache
            logger.debug("cannot create the jieba cache directory %s: %s", jieba_dir, exc)
        tk.tmp_dir = str(jieba_dir)
        tk.cache_file = "jieba.cache"
        with _quiet_jieba():
            tk.initialize()
        # jieba counts the duplicated dictionary line of "B超" twice in its total, jieba-rs once;
        # use jieba-rs's rule (sum over distinct words) so both compute the same log-probabilities.
        tk.total = sum(tk.FREQ.values())
        for word, (freq, tag) in words.items():
            old = tk.FREQ.get(word, 0)
            tk.add_word(word, freq, tag)
            tk.total -= old  # jieba-rs replaces the old frequency, jieba adds to it
        self._tk = tk

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._tk.lcut(text, HMM=hmm)


class _RjiebaBackend:
    name = "rjieba"

    def __init__(self, words: Mapping[str, tuple[int, str]]) -> None:
        import rjieba

        jb = rjieba.Jieba()
        for word, (freq, tag) in words.items():
            jb.add_word(word, freq, tag)
        self._jb = jb

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._jb.cut(text, hmm)


def _rjieba_available() -> bool:
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return False
    return True


class _Impl:
    """The state a Tokenizer builds on first use (never pickled)."""

    __slots__ = ("backend", "stopwords", "user_tags")

    def __init__(self, backend: Any, stopwords: frozenset[str] | None, user_tags: dict) -> None:
        self.backend = backend
        self.stopwords = stopwords
        self.user_tags = user_tags


# --------------------------------------------------------------------------------------------
# the tokenizer

_PARAMS = (
    "backend",
    "hmm",
    "userdict",
    "user_words",
    "place_names",
    "stopwords",
    "drop_punct",
    "normalize",
    "cache_dir",
)


class Tokenizer:
    """Segment Chinese report text into words, identically with jieba or rjieba.

    The backend and dictionaries are built on first use, not in ``__init__``. Instances are
    callable (``tok(text)`` is ``tok.tokenize(text)``), so they serve as a scikit-learn
    ``analyzer``; they pickle without their backend, which the copy rebuilds lazily.

    Parameters
    ----------
    backend : {"auto", "jieba", "rjieba"}, default="auto"
        ``auto`` uses rjieba when it is installed (``pip install govtext[fast]``), else jieba.
        Both give the same tokens (see the module docstring).
    hmm : bool, default=True
        Let jieba's HMM join characters the dictionaries do not know (``我镇``, ``依规``).
    userdict : "default", None or path-like, default="default"
        Domain dictionary in jieba's format: ``"default"`` is govtext's
        ``data/userdict.txt`` (report vocabulary such as 政府信息公开, 依申请公开, 勾稽关系;
        sources in ``data/userdict_sources.md``), ``None`` adds nothing.
    user_words : collection, optional
        More words: each a str or a tuple ``(word,)``, ``(word, freq)`` or ``(word, freq, tag)``.
        Default frequency :data:`DEFAULT_WORD_FREQ`, tag ``nz``. Words must be Han text; with
        ``normalize=True`` they are normalised first. They override the userdict.
    place_names : collection of str, optional
        Place names kept whole (``方城镇`` instead of ``方/城镇``), added with frequency
        :data:`DEFAULT_PLACE_FREQ` and tag ``ns``. See :func:`place_names_from_text` and
        :func:`place_names_from_agency`.
    stopwords : None, "default" or collection of str, default=None
        Tokens to drop: ``"default"`` is govtext's list (function words and discourse markers,
        see :func:`load_stopwords`).
    drop_punct : bool, default=False
        Drop punctuation and symbol tokens (kind ``punct``).
    normalize : bool, default=True
        Run :func:`govtext.normalize.normalize_text` on the text first. Offsets returned by
        :meth:`tokenize_with_spans` then refer to the normalised text.
    cache_dir : path-like, optional
        Where jieba keeps its prefix-dictionary cache (in a ``jieba`` subdirectory); default
        :func:`default_cache_dir`.

    See Also
    --------
    place_names_from_text : Place names from the agency names in a report.
    govtext.normalize.normalize_text : The normalisation applied first.

    Examples
    --------
    >>> tok = Tokenizer(place_names=["方城镇"])
    >>> tok.tokenize("本列数据的勾稽关系为:第一项加第二项之和")
    ['本列', '数据', '的', '勾稽关系', '为', ':', '第一项', '加', '第二项', '之', '和']
    >>> tok.tokenize_with_spans("方城镇 2023年")
    [('方城镇', 0, 3), ('2023', 3, 7), ('年', 7, 8)]
    >>> tok.pos_tag("www.lyls.gov.cn 行政复议")
    [('www.lyls.gov.cn', 'url'), ('行政复议', 'n')]
    >>> Tokenizer(stopwords="default", drop_punct=True)("我镇的政務公開工作,進一步加強。")
    ['我镇', '政务公开', '工作', '加强']
    """

    def __init__(
        self,
        *,
        backend: str = "auto",
        hmm: bool = True,
        userdict: Any = "default",
        user_words: Any = None,
        place_names: Any = None,
        stopwords: Any = None,
        drop_punct: bool = False,
        normalize: bool = True,
        cache_dir: Any = None,
    ) -> None:
        self.backend = backend
        self.hmm = hmm
        self.userdict = userdict
        self.user_words = user_words
        self.place_names = place_names
        self.stopwords = stopwords
        self.drop_punct = drop_punct
        self.normalize = normalize
        self.cache_dir = cache_dir

    # -- scikit-learn style parameters, repr and pickling ------------------------------------

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters, as scikit-learn's ``get_params``."""
        return {name: getattr(self, name) for name in _PARAMS}

    def set_params(self, **params: Any) -> Tokenizer:
        """Set constructor parameters; the backend is rebuilt on next use."""
        for name, value in params.items():
            if name not in _PARAMS:
                msg = f"Invalid parameter {name!r} for Tokenizer. Valid parameters: {_PARAMS}."
                raise InvalidParameterError(msg)
            setattr(self, name, value)
        self.__dict__.pop("_impl", None)
        return self

    def __repr__(self) -> str:
        defaults = Tokenizer().get_params()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k]]
        return f"Tokenizer({', '.join(changed)})"

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _PARAMS}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- lazy build ---------------------------------------------------------------------------

    @property
    def backend_(self) -> str:
        """The backend in use (``"jieba"`` or ``"rjieba"``); builds the tokenizer if needed."""
        return self._get_impl().backend.name

    def _get_impl(self) -> _Impl:
        impl = self.__dict__.get("_impl")
        if impl is None:
            with _BUILD_LOCK:
                impl = self.__dict__.get("_impl")
                if impl is None:
                    impl = self._build()
                    self.__dict__["_impl"] = impl
        return impl

    def _bad(self, name: str, expected: str, value: Any) -> InvalidParameterError:
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
        msg = f"The {name!r} parameter of Tokenizer must be {expected}. Got {shown} instead."
        return InvalidParameterError(msg)

    def _collection(self, name: str, value: Any) -> list:
        if isinstance(value, (str, bytes, Mapping, Iterator)) or not isinstance(value, Iterable):
            raise self._bad(name, "None or a collection (list, tuple, set)", value)
        return list(value)

    def _word(self, name: str, word: Any, norm: Any) -> str:
        if not isinstance(word, str):
            raise self._bad(name, "a collection of str", word)
        w = norm(word) if norm is not None else word
        if not _HAN_WORD.fullmatch(w):
            raise self._bad(
                name, f"a collection of Han words (characters {HAN_CHARS!r} only)", word
            )
        return w

    def _build(self) -> _Impl:
        if self.backend not in _BACKENDS:
            raise self._bad("backend", "one of {'auto', 'jieba', 'rjieba'}", self.backend)
        for name in ("hmm", "drop_punct", "normalize"):
            if not isinstance(getattr(self, name), bool):
                raise self._bad(name, "a bool", getattr(self, name))
        if self.cache_dir is not None and not isinstance(self.cache_dir, (str, os.PathLike)):
            raise self._bad("cache_dir", "None or a path", self.cache_dir)
        norm = None
        if self.normalize:
            from govtext.normalize import normalize_text as norm

        words: dict[str, tuple[int, str]] = {}
        if self.userdict is not None:
            if isinstance(self.userdict, str) and self.userdict == "default":
                words.update(load_userdict())
            elif isinstance(self.userdict, (str, os.PathLike)):
                for w, entry in load_userdict(self.userdict).items():
                    words[self._word("userdict", w, norm)] = entry
            else:
                raise self._bad("userdict", "'default', None or a path", self.userdict)
        if self.place_names is not None:
            for name in self._collection("place_names", self.place_names):
                words[self._word("place_names", name, norm)] = (DEFAULT_PLACE_FREQ, "ns")
        if self.user_words is not None:
            for item in self._collection("user_words", self.user_words):
                words.update([self._user_word(item, norm)])

        stop: frozenset[str] | None = None
        if self.stopwords is not None:
            if isinstance(self.stopwords, str) and self.stopwords == "default":
                stop = load_stopwords()
            else:
                items = self._collection("stopwords", self.stopwords)
                if not all(isinstance(w, str) for w in items):
                    raise self._bad("stopwords", "None, 'default' or a collection of str", items)
                stop = frozenset(items)

        words = dict(sorted(words.items()))
        name = self.backend
        if name == "auto":
            name = "rjieba" if _rjieba_available() else "jieba"
        if name == "rjieba":
            if not _rjieba_available():
                msg = (
                    "Tokenizer(backend='rjieba') needs the optional dependency rjieba; "
                    "install it with `pip install govtext[fast]` (or use backend='jieba')."
                )
                raise MissingDependencyError(msg)
            backend: Any = _RjiebaBackend(words)
        else:
            cache = Path(self.cache_dir) if self.cache_dir is not None else default_cache_dir()
            backend = _JiebaBackend(words, cache)
        logger.debug("Tokenizer built: backend=%s, %d added words", name, len(words))
        return _Impl(backend, stop, {w: tag for w, (_, tag) in words.items()})

    def _user_word(self, item: Any, norm: Any) -> tuple[str, tuple[int, str]]:
        expected = "a collection of str or (word, freq, tag) tuples with an int freq >= 1"
        if isinstance(item, str):
            item = (item,)
        if not isinstance(item, tuple) or not 1 <= len(item) <= 3:
            raise self._bad("user_words", expected, item)
        word = self._word("user_words", item[0], norm)
        freq = item[1] if len(item) > 1 else DEFAULT_WORD_FREQ
        tag = item[2] if len(item) > 2 else "nz"
        if isinstance(freq, bool) or not isinstance(freq, int) or freq < 1:
            raise self._bad("user_words", expected, item)
        if not isinstance(tag, str) or not tag or tag.split() != [tag]:
            raise self._bad("user_words", expected, item)
        return word, (freq, tag)

    # -- tokenisation -------------------------------------------------------------------------

    def _prepare(self, text: Any, method: str) -> str:
        if not isinstance(text, str):
            msg = (
                f"The 'text' parameter of Tokenizer.{method} must be a str. "
                f"Got {type(text).__name__} instead."
            )
            raise InvalidParameterError(msg)
        if self.normalize:
            from govtext.normalize import normalize_text

            text = normalize_text(text)
        return text

    def tokenize(self, text: str) -> list[str]:
        """Split a text into tokens.

        Parameters
        ----------
        text : str

        Returns
        -------
        list of str
            The tokens in text order, after the ``stopwords`` and ``drop_punct`` filters.

        Examples
        --------
        >>> Tokenizer().tokenize("政务新媒体账号6个,见lzq.gov.cn")
        ['政务新媒体', '账号', '6', '个', ',', '见', 'lzq.gov.cn']
        """
        impl = self._get_impl()
        text = self._prepare(text, "tokenize")
        drop_punct = self.drop_punct
        parts = _HAN_SPLIT.split(text)
        out: list[str] = list(_segment_tokens(parts[0], drop_punct))
        if len(parts) > 1:
            cut = impl.backend.cut(_SEP.join(parts[1::2]), self.hmm)
            memo = _SEG_TOKENS[drop_punct]
            index = cut.index
            extend = out.extend
            pos = 0
            # parts = [seg0, han0, seg1, han1, ..., hanN, segN+1]; the cut of han_k ends at the
            # k-th separator, and seg_k+1 follows it.
            for seg in parts[2:-1:2]:
                end = index(_SEP, pos)
                extend(cut[pos:end])
                toks = memo.get(seg)
                extend(toks if toks is not None else _segment_tokens(seg, drop_punct))
                pos = end + 1
            extend(cut[pos:])
            extend(_segment_tokens(parts[-1], drop_punct))
        if impl.stopwords:
            stop = impl.stopwords
            out = [t for t in out if t not in stop]
        return out

    __call__ = tokenize

    def _analyze(self, text: str) -> list[tuple[str, int, int, str]]:
        """``(token, start, end, kind)`` for every token of an already prepared text."""
        impl = self._get_impl()
        parts = _HAN_SPLIT.split(text)
        n_han = len(parts) // 2
        cut = impl.backend.cut(_SEP.join(parts[1::2]), self.hmm) if n_han else []
        out: list[tuple[str, int, int, str]] = []
        offset = 0
        pos = 0
        for i, part in enumerate(parts):
            if i % 2 == 0:
                for tok, kind, rel in _segment_detail(part):
                    start = offset + rel
                    out.append((tok, start, start + len(tok), kind))
            else:
                end = cut.index(_SEP, pos) if i < 2 * n_han - 1 else len(cut)
                start = offset
                for tok in cut[pos:end]:
                    out.append((tok, start, start + len(tok), _HAN))
                    start += len(tok)
                if start != offset + len(part):  # pragma: no cover - a backend contract breach
                    msg = f"the {impl.backend.name} backend did not tile the Han run {part!r}"
                    raise RuntimeError(msg)
                pos = end + 1
            offset += len(part)
        stop = impl.stopwords
        if stop or self.drop_punct:
            drop_punct = self.drop_punct
            out = [
                t
                for t in out
                if not (drop_punct and t[3] == _PUNCT) and not (stop and t[0] in stop)
            ]
        return out

    def _pos_tag_many(self, texts: Sequence[str]) -> list[tuple[list[str], list[str]]]:
        """``(tokens, tags)`` of each text, as :meth:`pos_tag` gives them, with one backend call.

        The Han runs of all texts are joined by ``_SEP`` (where both backends cut, so every
        run is segmented exactly as on its own) and cut at once; the per-call overhead of
        :meth:`pos_tag` is paid once for the batch instead of once per sentence.
        """
        impl = self._get_impl()
        user = impl.user_tags
        main = _main_tags()
        kind_tags = _KIND_TAGS
        split = _HAN_SPLIT.split
        prepared = [self._prepare(t, "pos_tag") for t in texts]
        all_parts = [split(t) for t in prepared]
        runs = [r for parts in all_parts for r in parts[1::2]]
        cut = impl.backend.cut(_SEP.join(runs), self.hmm) if runs else []
        index = cut.index
        n_runs = len(runs)
        k_run = 0  # Han runs consumed so far
        pos = 0
        stop = impl.stopwords
        drop_punct = self.drop_punct
        out: list[tuple[list[str], list[str]]] = []
        for parts in all_parts:
            toks: list[str] = []
            tags: list[str] = []
            for i, part in enumerate(parts):
                if i % 2 == 0:
                    if part:
                        for tok, kind, _rel in _segment_detail(part):
                            if (drop_punct and kind == _PUNCT) or (stop and tok in stop):
                                continue
                            toks.append(tok)
                            tags.append(kind_tags[kind])
                else:
                    k_run += 1
                    end = index(_SEP, pos) if k_run < n_runs else len(cut)
                    n = 0
                    for tok in cut[pos:end]:
                        n += len(tok)
                        if stop and tok in stop:
                            continue
                        toks.append(tok)
                        tags.append(user.get(tok) or main.get(tok, "x"))
                    if n != len(part):  # pragma: no cover - a backend contract breach
                        msg = f"the {impl.backend.name} backend did not tile the Han run {part!r}"
                        raise RuntimeError(msg)
                    pos = end + 1
            out.append((toks, tags))
        return out

    def tokenize_with_spans(self, text: str) -> list[tuple[str, int, int]]:
        """Tokens with their character offsets.

        Parameters
        ----------
        text : str

        Returns
        -------
        list of (str, int, int)
            ``(token, start, end)``, half-open offsets into the text: the given text when
            ``normalize=False``, the *normalised* text (``normalize_text(text)``) otherwise.
            Without filters the tokens tile the non-space characters, so
            ``text[start:end] == token``, offsets increase and never overlap.

        Examples
        --------
        >>> Tokenizer(normalize=False).tokenize_with_spans("电话 0597—5731954")
        [('电话', 0, 2), ('0597—5731954', 3, 15)]
        """
        text = self._prepare(text, "tokenize_with_spans")
        return [(t, s, e) for t, s, e, _ in self._analyze(text)]

    def pos_tag(self, text: str) -> list[tuple[str, str]]:
        """Tokens with part-of-speech tags.

        The tokens are those of :meth:`tokenize`. Han tokens take the tag of the govtext or user
        dictionary entry (place names ``ns``), else of jieba's main dictionary (ICTCLAS-style:
        ``n``, ``v``, ``vn``, ``uj``, ...), else ``x``; other tokens the tag of their kind:
        ``m`` (number), ``t`` (date, time), ``tel``, ``url``, ``email``, ``eng``, ``x``
        (punctuation and other symbols).

        Parameters
        ----------
        text : str

        Returns
        -------
        list of (str, str)

        Examples
        --------
        >>> Tokenizer().pos_tag("2024-01-22发布政务新媒体信息")
        [('2024-01-22', 't'), ('发布', 'v'), ('政务新媒体', 'n'), ('信息', 'n')]
        """
        text = self._prepare(text, "pos_tag")
        user = self._get_impl().user_tags
        main = _main_tags()
        return [
            (t, (user.get(t) or main.get(t, "x")) if kind == _HAN else _KIND_TAGS[kind])
            for t, _, _, kind in self._analyze(text)
        ]


# --------------------------------------------------------------------------------------------
# place names

# (suffix, shortest name, longest name): the name is what precedes the suffix.
_ADMIN_UNITS = (
    ("自治区", 2, 8),
    ("自治州", 2, 8),
    ("自治县", 2, 8),
    ("自治旗", 2, 8),
    ("民族乡", 2, 4),
    ("特别行政区", 2, 2),
    ("街道", 2, 4),
    ("办事处", 2, 4),
    ("社区", 2, 4),
    ("省", 2, 3),
    ("市", 2, 4),
    ("州", 2, 3),
    ("盟", 2, 4),
    ("区", 2, 3),
    ("县", 1, 3),
    ("旗", 2, 4),
    ("乡", 2, 3),
    ("镇", 2, 3),
    ("村", 2, 3),
)
# A name never starts with these (各乡镇, 我县, 该区, 第八篇乡 are not places) ...
_NOT_NAME_START = set("各我该此这每诸其第")
# ... and a one-character county name is none of these (全县, 本县, 市县).
_NOT_ONE_CHAR_NAME = _NOT_NAME_START | set("本全两一市省区乡镇村")
# Text before a name found in running text may end with a function word or preposition
# (由峰市镇…, 请与峰市镇…, 可在永定区…, 通过广元市…); it must, or the name must start the run.
_FUNCTION_END = set("的了和与及或并在于由从自向对为以将把被给经过据按照至到是即请同跟往")
# ... and a name in running text never starts with one of these (与沛县 in 请与沛县).
_NOT_RUN_START = set("与由请在对为把被给的了是及或并按照据经往跟至到即")
_INSTITUTION_TAIL = re.compile(r"(?:人民政府|政府)$")
_AGENCY_RE = re.compile(f"([{HAN_CHARS}]+?)人民政府")
_TITLE_RE = re.compile(
    f"([{HAN_CHARS}]+?)[ \\t]*[0-9]{{4}}[ \\t]*年度?[ \\t]*[{HAN_CHARS}]{{0,12}}?政府信息公[开開]"
)


def _units_at(name: str, i: int) -> list[int]:
    """Ends j such that ``name[i:j]`` is one administrative unit, shortest first."""
    if name[i] in _NOT_NAME_START:
        return []
    ends = set()
    for suffix, lo, hi in _ADMIN_UNITS:
        if lo == 1 and name[i] in _NOT_ONE_CHAR_NAME:
            lo = 2
        for n in range(lo, hi + 1):
            if name.startswith(suffix, i + n):
                ends.add(i + n + len(suffix))
    return sorted(ends)


def _decompose(name: str, i: int = 0) -> list[str] | None:
    """Split ``name[i:]`` into administrative units covering it exactly (most units wins)."""
    if i == len(name):
        return []
    best: list[str] | None = None
    for j in _units_at(name, i):
        rest = _decompose(name, j)
        if rest is not None and (best is None or len(rest) + 1 > len(best)):
            best = [name[i:j], *rest]
    return best


def _prefix_units(name: str) -> list[str]:
    """Administrative units at the start of ``name``, left to right, shortest unit first."""
    out: list[str] = []
    i = 0
    while i < len(name):
        ends = _units_at(name, i)
        # prefer an end from which the rest still starts with a unit (or the end of the name)
        ends_ok = [j for j in ends if j == len(name) or _units_at(name, j)]
        j = (ends_ok or ends or [0])[0]
        if not j:
            break
        out.append(name[i:j])
        i = j
    return out


def _from_run(run: str) -> list[str]:
    """Place names in the Han run that precedes an agency anchor (``…人民政府``, a title year)."""
    run = _INSTITUTION_TAIL.sub("", run)
    best: list[str] = []
    for i in range(len(run)):
        if (i and run[i - 1] not in _FUNCTION_END) or run[i] in _NOT_RUN_START:
            continue
        units = _decompose(run, i)
        # after a lead-in, a one-character county name is too weak (于都县 is not 于 + 都县)
        if units and not (i and len(units[0]) == 2):
            best = units  # the largest i that qualifies wins: drop a leading 由/请与/在 ...
    return best


def place_names_from_agency(name: str, *, normalize: bool = True) -> list[str]:
    """Place names in an agency name, from its leading administrative units.

    The name is read left to right as units ending in an administrative suffix (省 自治区 市
    州 盟 区 县 旗 乡 镇 街道 办事处 村 社区, with name lengths of 2–3 characters, 1–3 for 县, up
    to 4 for 市/盟/旗/街道 and 8 for 自治X), stopping at the first part that is not a unit.

    Parameters
    ----------
    name : str
        An agency name such as ``兰山区方城镇人民政府``.
    normalize : bool, default=True
        Normalise the name first (:func:`govtext.normalize.normalize_text`).

    Returns
    -------
    list of str
        The units in order of appearance.

    Examples
    --------
    >>> place_names_from_agency("龙岩市永定区峰市镇人民政府")
    ['龙岩市', '永定区', '峰市镇']
    >>> place_names_from_agency("舒兰市市场监督管理局")
    ['舒兰市']
    """
    if not isinstance(name, str):
        msg = f"place_names_from_agency() expects a str. Got {type(name).__name__} instead."
        raise InvalidParameterError(msg)
    if normalize:
        from govtext.normalize import normalize_text

        name = normalize_text(name)
    return _prefix_units(_INSTITUTION_TAIL.sub("", name.strip()))


def place_names_from_text(text: str, *, normalize: bool = True) -> list[str]:
    """Place names of the agencies named in a report.

    Conservative: only names right before ``人民政府`` (``请与峰市镇人民政府`` → 峰市镇) and
    before the report year of a title (``龙岩市永定区峰市镇2020年政府信息公开…``) are read, and
    a name must split completely into administrative units (see
    :func:`place_names_from_agency`) after an optional lead-in ending in a function word
    (由, 与, 在, 通过, ...). Generic references (我镇, 各乡镇, 镇人民政府) give nothing.

    Parameters
    ----------
    text : str
    normalize : bool, default=True
        Normalise the text first (:func:`govtext.normalize.normalize_text`), so traditional
        text gives simplified names, as the tokenizer sees them.

    Returns
    -------
    list of str
        Distinct names, sorted.

    Examples
    --------
    >>> place_names_from_text("如有疑问,请与峰市镇人民政府联系。龙岩市永定区人民政府")
    ['峰市镇', '永定区', '龙岩市']
    """
    if not isinstance(text, str):
        msg = f"place_names_from_text() expects a str. Got {type(text).__name__} instead."
        raise InvalidParameterError(msg)
    if normalize:
        from govtext.normalize import normalize_text

        text = normalize_text(text)
    found: set[str] = set()
    for pattern in (_AGENCY_RE, _TITLE_RE):
        pos = 0
        while True:
            m = pattern.search(text, pos)
            if m is None:
                break
            found.update(_from_run(m.group(1)))
            pos = m.end()
    return sorted(found)
