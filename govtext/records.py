"""Records: :class:`Report` and the :class:`Corpus` that holds them.

Records are frozen dataclasses; derive changed copies with :func:`dataclasses.replace`.
All spans are half-open character offsets into ``Report.text`` unless said otherwise;
``Report.raw_span`` maps them back to ``Report.raw`` (the decoded source of the report) and
``Report.source_span`` to the decoded source file.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd

from govtext.normalize import Removed, _LazyRemoved

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = ["Corpus", "Report", "SKIPPED_COLUMNS"]

SKIPPED_COLUMNS = ["path", "index", "start", "end", "reason", "error"]


class _Runs:
    """An integer array held as runs of ``a[i] - i``: ``starts`` (where each run begins) and
    ``shifts`` (its ``a[i] - i``).

    A normalised text's offsets into its raw text step by one almost everywhere (they jump
    only where debris, spaces or line breaks were removed), so a few hundred runs replace the
    8 bytes per character of an int64 array: at 100,000 reports the two offset arrays of every
    report would take about 3.5 GB.
    """

    __slots__ = ("n", "starts", "shifts", "dtype")

    def __init__(self, n: int, starts: np.ndarray, shifts: np.ndarray, dtype: np.dtype) -> None:
        self.n, self.starts, self.shifts, self.dtype = n, starts, shifts, dtype

    @staticmethod
    def of(a: np.ndarray) -> _Runs | np.ndarray:
        """Runs of ``a`` (a 1-d integer array), or ``a`` itself when runs would not be smaller."""
        n = a.shape[0]
        if a.ndim != 1 or a.dtype.kind not in "iu" or n == 0:
            return a
        d = a.astype(np.int64, copy=False) - np.arange(n, dtype=np.int64)
        starts = np.flatnonzero(d[1:] != d[:-1]) + 1
        if 4 * (starts.size + 1) > n:
            return a
        starts = np.concatenate(([0], starts)).astype(np.int64 if n >= 2**31 else np.int32)
        return _Runs(n, starts, d[starts], a.dtype)

    def array(self) -> np.ndarray:
        lengths = np.diff(np.append(self.starts.astype(np.int64), self.n))
        out = np.repeat(self.shifts, lengths)
        out += np.arange(self.n, dtype=np.int64)
        return out.astype(self.dtype, copy=False)

    def at(self, i: int) -> int:
        k = int(np.searchsorted(self.starts, i, side="right")) - 1
        return i + int(self.shifts[k])

    def __reduce__(self) -> tuple[Any, tuple]:
        return _Runs, (self.n, self.starts, self.shifts, self.dtype)


class _CompactOffsets:
    """The ``offsets`` and ``offset_ends`` fields of :class:`Report`: stored as :class:`_Runs`,
    read as arrays.

    A data descriptor (a dataclass field whose default is a descriptor goes through it, as
    ``removed`` does). Each read builds a new int array (a few microseconds per thousand
    characters); :meth:`Report.raw_span` reads single positions without building it. Pickled
    reports (worker processes, Dask) carry the runs.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}_runs"

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return None  # the field's default
        value = obj.__dict__.get(self.slot)
        return value.array() if type(value) is _Runs else value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = None if value is None or value is self else _Runs.of(np.asarray(value))

    def at(self, obj: Any, i: int) -> int:
        """``obj.<field>[i]`` without building the array."""
        value = obj.__dict__[self.slot]
        return value.at(i) if type(value) is _Runs else int(value[i])

    def length(self, obj: Any) -> int:
        value = obj.__dict__.get(self.slot)
        return value.n if type(value) is _Runs else len(value)


@dataclass(frozen=True)
class Report:
    """One annual report.

    Attributes
    ----------
    id : str
        Stable identifier derived from the source and the report's place in it:
        ``"000_6ac03842c3dfdc7c"`` for a file with one report, ``"003_aad2c66ccec4c55e#3"`` for
        the third report of a compilation. In a directory, the path relative to it (POSIX,
        without the suffix) is used.
    text : str
        Normalised text (simplified script, folded widths, debris removed). Every analysis works
        on this text; every span refers to it.
    raw : str
        The decoded source text of this report (for HTML pages: the text extracted from the
        page, tables as tab-separated rows).
    source : str
        The file it came from (or the ``source`` given to :func:`govtext.parse_reports`).
    index : int
        1-based position of the report in its source (compilations hold several).
    span : tuple of int
        ``(start, end)`` of ``raw`` in the decoded source file.
    encoding : str
        The encoding the bytes were decoded with (``"utf-8"``, ``"gb18030"``, ``"big5"``, ...,
        ``"str"`` for text given as a string).
    script : str
        ``"simplified"``, ``"traditional"`` or ``"mixed"``, detected on ``raw``.
    offsets, offset_ends : numpy.ndarray
        ``text[i]`` came from ``raw[offsets[i]:offset_ends[i]]``.
    removed : tuple of Removed
        Debris removed by normalisation, with spans in ``raw`` (the records are made from a
        compact log when the field is first read).
    header : tuple of (str, str)
        Metadata candidates from the page's header block (``index_no``, ``publisher``,
        ``doc_number``, ``published``, ...).
    warnings : tuple of str
        Data-quality notes (spam lines, mojibake, ...).
    format : str
        ``"text"`` or ``"html"``.
    page_title : str or None
        The HTML ``<title>``, when the source is a page.
    meta : mapping
        Extra metadata supplied by the caller (e.g. columns of :func:`govtext.read_table`).
    """

    id: str
    text: str
    raw: str
    source: str
    index: int = 1
    span: tuple[int, int] = (0, 0)
    encoding: str = "str"
    script: str = "simplified"
    offsets: np.ndarray = field(default=_CompactOffsets(), repr=False, compare=False)  # type: ignore[assignment]
    offset_ends: np.ndarray = field(default=_CompactOffsets(), repr=False, compare=False)  # type: ignore[assignment]
    removed: tuple[Removed, ...] = field(default=_LazyRemoved(), repr=False)  # type: ignore[assignment]
    header: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    warnings: tuple[str, ...] = field(default=(), repr=False)
    format: str = "text"
    page_title: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        d = self.__dict__
        if d.get(_OFFSETS.slot) is None:
            starts = np.arange(len(self.text), dtype=np.int64)
            object.__setattr__(self, "offsets", starts)
            object.__setattr__(self, "offset_ends", starts + 1)
        elif d.get(_ENDS.slot) is None:
            object.__setattr__(self, "offset_ends", self.offsets + 1)
        n_starts, n_ends = _OFFSETS.length(self), _ENDS.length(self)
        if n_starts != len(self.text) or n_ends != len(self.text):
            msg = (
                f"Report {self.id!r}: offsets must have one entry per character of text "
                f"({len(self.text)}); got {n_starts} and {n_ends}."
            )
            raise ValueError(msg)
        if not isinstance(self.meta, MappingProxyType):
            object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    def __hash__(self) -> int:  # the id is the identity within a corpus (in-process only)
        return hash((self.id, self.source, self.index))

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        # pickle (multiprocessing, joblib, Dask workers): ``meta`` is a read-only
        # MappingProxyType, which does not pickle, so it travels as a dict; cached derived
        # structure (sections, metadata, the sentence layout) travels with the report.
        state = dict(self.__dict__)
        state["meta"] = dict(self.meta)
        return _rebuild_report, (state,)

    # -- spans ---------------------------------------------------------------------------
    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to the span of ``raw`` it came from.

        Examples
        --------
        >>> from govtext import parse_reports
        >>> r = parse_reports("兰山区方城镇 2023 年政府信息公开工作年度报告\\n一、总体情况 本镇主动公开信息。")[0]
        >>> s, e = r.raw_span(0, 10)
        >>> r.text[0:10], r.raw[s:e]
        ('兰山区方城镇2023', '兰山区方城镇 2023')
        """
        n = len(self.text)
        if not (0 <= start <= end <= n):
            msg = f"span ({start}, {end}) is outside the text of report {self.id!r} (length {n})."
            raise ValueError(msg)
        if start == end:
            p = _OFFSETS.at(self, start) if start < n else (_ENDS.at(self, n - 1) if n else 0)
            return p, p
        return _OFFSETS.at(self, start), _ENDS.at(self, end - 1)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to the decoded source file."""
        a, b = self.raw_span(start, end)
        return a + self.span[0], b + self.span[0]

    # -- derived structure (computed on first access, cached) ----------------------------
    @functools.cached_property
    def sections(self) -> tuple:
        """Canonical sections (see :func:`govtext.sections.split_sections`)."""
        from govtext.sections import split_sections

        return split_sections(self)

    @functools.cached_property
    def metadata(self) -> Any:
        """Metadata stated in the text (see :func:`govtext.metadata.extract_metadata`)."""
        from govtext.metadata import extract_metadata

        return extract_metadata(self)


class Corpus(Sequence[Report]):
    """An ordered collection of reports plus the record of what could not be read.

    Parameters
    ----------
    reports : iterable of Report
    skipped : DataFrame or list of dict, optional
        One row per input that yielded no report, with columns ``path``, ``index``, ``start``,
        ``end`` (span in the decoded file, or -1), ``reason`` (short code) and ``error`` (the
        full message).

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> corpus = load_seeds()
    >>> len(corpus), corpus[0].id
    (12, '000_6ac03842c3dfdc7c')
    >>> corpus["003_aad2c66ccec4c55e#3"].index
    3
    >>> corpus.skipped["reason"].tolist(), corpus.skipped["path"].str.endswith("003_aad2c66ccec4c55e.txt").tolist()
    (['preface'], [True])
    """

    def __init__(self, reports: Iterable[Report] = (), skipped: pd.DataFrame | None = None) -> None:
        self._reports = tuple(reports)
        self._by_id = {r.id: r for r in self._reports}
        if len(self._by_id) != len(self._reports):
            seen: set[str] = set()
            dup = next(r.id for r in self._reports if r.id in seen or seen.add(r.id))
            msg = f"report ids must be unique within a corpus; {dup!r} occurs twice."
            raise ValueError(msg)
        # Skip rows are kept as records and turned into a DataFrame on first access: building a
        # DataFrame costs milliseconds, which matters when reports are parsed one at a time.
        if skipped is None:
            self._skip_rows: list[dict] | None = []
            self._skipped: pd.DataFrame | None = None
        elif isinstance(skipped, pd.DataFrame):
            self._skip_rows, self._skipped = None, skipped.reset_index(drop=True)
        else:
            self._skip_rows, self._skipped = list(skipped), None

    @property
    def skipped(self) -> pd.DataFrame:
        """Inputs that gave no report: ``path, index, start, end, reason, error`` (see above)."""
        if self._skipped is None:
            df = pd.DataFrame(self._skip_rows, columns=SKIPPED_COLUMNS)
            self._skipped = df.astype({"index": "int64", "start": "int64", "end": "int64"})
        return self._skipped

    def _skip_records(self) -> list[dict]:
        return list(self._skip_rows) if self._skip_rows is not None else self._skipped.to_dict("records")

    @overload
    def __getitem__(self, key: int | str) -> Report: ...
    @overload
    def __getitem__(self, key: slice) -> Corpus: ...

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            try:
                return self._by_id[key]
            except KeyError:
                msg = f"no report with id {key!r} in this corpus."
                raise KeyError(msg) from None
        if isinstance(key, slice):
            return Corpus(self._reports[key], self._skip_records())
        return self._reports[key]

    def __len__(self) -> int:
        return len(self._reports)

    def __iter__(self) -> Iterator[Report]:
        return iter(self._reports)

    def __repr__(self) -> str:
        return f"Corpus({len(self)} reports, {len(self.skipped)} skipped)"

    @property
    def ids(self) -> list[str]:
        """Report ids in corpus order."""
        return [r.id for r in self._reports]

    def __add__(self, other: Corpus) -> Corpus:
        return Corpus(self._reports + tuple(other), self._skip_records() + other._skip_records())

    def to_frame(self) -> pd.DataFrame:
        """One row per report: reading facts plus the metadata stated in the text.

        Columns: ``report_id, source, index, encoding, script, format, n_chars, n_raw_chars,
        n_warnings`` then the fields of :class:`govtext.metadata.Metadata` when that module is
        available.
        """
        rows = []
        for r in self._reports:
            row = {
                "report_id": r.id,
                "source": r.source,
                "index": r.index,
                "encoding": r.encoding,
                "script": r.script,
                "format": r.format,
                "n_chars": len(r.text),
                "n_raw_chars": len(r.raw),
                "n_warnings": len(r.warnings),
            }
            row.update(_metadata_row(r))
            rows.append(row)
        df = pd.DataFrame(rows, columns=_frame_columns())
        if "year" in df.columns:  # missing years stay missing (nullable integer), never 0 or NaN floats
            df["year"] = df["year"].astype("Int64")
        return df


def _metadata_row(report: Report) -> dict[str, Any]:
    try:
        from govtext.metadata import metadata_row
    except ImportError:
        return {}
    return metadata_row(report)


def _frame_columns() -> list[str]:
    base = ["report_id", "source", "index", "encoding", "script", "format", "n_chars", "n_raw_chars", "n_warnings"]
    try:
        from govtext.metadata import METADATA_COLUMNS
    except ImportError:
        return base
    return base + list(METADATA_COLUMNS)


# the descriptors of the two offset fields (their runs are read without building the arrays)
_OFFSETS: _CompactOffsets = Report.__dict__["offsets"]
_ENDS: _CompactOffsets = Report.__dict__["offset_ends"]


def _rebuild_report(state: dict[str, Any]) -> Report:
    """Unpickle a :class:`Report` (see ``Report.__reduce__``)."""
    obj = Report.__new__(Report)
    state = dict(state)
    state["meta"] = MappingProxyType(state.get("meta") or {})
    obj.__dict__.update(state)  # frozen dataclass: bypass __setattr__, as pickle itself does
    return obj
