"""The whole analysis in one call: :func:`analyze` and :func:`write_outputs`.

``analyze`` reads a corpus and runs every stage, returning a dict of DataFrames keyed by table
name; ``write_outputs`` writes them (CSV with a UTF-8 BOM so Excel opens Chinese correctly, and
Parquet when pyarrow is installed) with a ``manifest.json`` that lets a reader re-run the exact
analysis: govtext and dependency versions, every parameter, input files with sha256, what was
skipped and why, and timings.

Tables are deterministic: the same input and parameters give byte-identical files, whatever
the backend (``"local"``, or ``"dask"`` with the per-report stages on a Dask cluster, see
:mod:`govtext._dask`), the number of partitions or the number of workers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import platform
import re
import shutil
import sys
import tempfile
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from govtext._memory import ReportRef, put_aside, take_back
from govtext.exceptions import InputError, InvalidParameterError
from govtext.records import Corpus

__all__ = ["AnalysisResult", "Tables", "analyze", "write_outputs"]

logger = logging.getLogger(__name__)


@dataclass
class AnalysisResult:
    """Tables produced by :func:`analyze`, plus provenance.

    Attributes
    ----------
    tables : mapping of str to DataFrame
        ``reports`` (one row per report, with metadata), ``skipped`` (inputs that gave no
        report, with the reason), and one table per later stage. A dict-like
        :class:`Tables`: when the corpus was processed in more than one partition, the tables
        of the per-report stages wait on disk and are read when accessed (see
        :class:`Tables`).
    corpus : Corpus
    params : dict
        Every parameter of the run.
    timings : dict of str to float
        Seconds per stage (not part of the tables, so tables stay byte-identical): ``read``,
        ``metadata`` (the ``reports`` table) and the per-report stages, summed over
        partitions, with the reuse stage's steps done there (``reuse.prepare``; with the local
        backend also ``reuse.tokenize``, the tokenisation for the measures). With
        ``backend="dask"`` these are seconds spent on the workers, plus ``partitions_wall``,
        the wall time of all partitions. Then each whole-corpus stage and the reuse stage's
        steps (``reuse.pairs``, ``reuse.measures``, ...).
    inputs : list of dict
        Input files with size and sha256.
    """

    tables: MutableMapping[str, pd.DataFrame]
    corpus: Corpus
    params: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    inputs: list[dict[str, Any]] = field(default_factory=list)


class _Spill:
    """The per-report stages' frames of each partition, pickled to a temporary directory as
    the partitions arrive, so that the whole-corpus stages do not run next to them.

    Pickle keeps every frame exactly as it was (dtypes, ``None`` against ``NaN``, tuples in
    cells), so a table read back is the table the in-memory path would have built. The
    directory is removed when the last :class:`Tables` reading from it is garbage collected
    (or at exit)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="govtext-spill-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(self.dir), True)
        self.parts: dict[str, list[Path]] = {}
        self.rows: dict[str, int] = {}
        self.n = 0

    def add(self, frames: dict[str, pd.DataFrame]) -> None:
        for name, df in frames.items():
            path = self.dir / f"{self.n:06d}-{name}.pkl"
            with open(path, "wb") as fh:
                pickle.dump(df, fh, protocol=5)
            self.parts.setdefault(name, []).append(path)
            self.rows[name] = self.rows.get(name, 0) + len(df)
        self.n += 1

    def load(self, name: str) -> pd.DataFrame:
        frames = []
        for path in self.parts[name]:
            try:
                with open(path, "rb") as fh:
                    frames.append(pickle.load(fh))
            except OSError as exc:
                msg = (f"table {name!r} was kept on disk in {self.dir} and cannot be read back "
                       f"({exc}); was the directory removed while the result was in use?")
                raise InputError(msg) from None
        return _concat(frames)


class Tables(MutableMapping):
    """The tables of :func:`analyze`: a dict of DataFrames whose per-report tables may wait on
    disk.

    When ``analyze`` runs over more than one partition of the corpus, each partition's
    per-report tables (``reports``, ``sections``, ``sentences``, ``tables``, ...) are pickled to
    a temporary directory as the partition finishes, instead of being held while the reuse
    stage runs: at 10,000 reports they are about 0.7 GB, at 100,000 about 7 GB. Such a table is
    read back and concatenated each time it is accessed (the most recently read one is kept),
    so keep a reference (``df = result.tables["sentences"]``) rather than indexing repeatedly.
    A table read back equals the one the in-memory path builds (``pickle``, then the same
    concatenation). Assigning a table keeps it in memory; ``dict(result.tables)`` reads
    everything. Pickling a ``Tables`` pickles a plain dict of every table.

    The temporary directory (under :func:`tempfile.gettempdir`, i.e. ``TMPDIR``) is removed
    when the ``Tables`` is garbage collected.
    """

    def __init__(self, items: Iterable[tuple[str, pd.DataFrame | None]] = (),
                 spill: _Spill | None = None) -> None:
        self._items: dict[str, pd.DataFrame | None] = dict(items)
        self._spill = spill
        self._last: tuple[str, pd.DataFrame] | None = None

    def __getitem__(self, name: str) -> pd.DataFrame:
        df = self._items[name]
        if df is not None:
            return df
        if self._last is not None and self._last[0] == name:
            return self._last[1]
        self._last = None  # release the previous table before reading the next
        df = self._spill.load(name)
        self._last = (name, df)
        return df

    def __setitem__(self, name: str, df: pd.DataFrame) -> None:
        if df is None:
            raise InvalidParameterError(f"Tables: a table must be a DataFrame, got None for {name!r}")
        self._items[name] = df
        if self._last is not None and self._last[0] == name:
            self._last = None

    def __delitem__(self, name: str) -> None:
        del self._items[name]
        if self._last is not None and self._last[0] == name:
            self._last = None

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def n_rows(self, name: str) -> int:
        """Rows of a table, without reading it back from disk."""
        df = self._items[name]
        return self._spill.rows[name] if df is None else len(df)

    def on_disk(self) -> list[str]:
        """Names of the tables that wait on disk."""
        return [k for k, v in self._items.items() if v is None]

    def __repr__(self) -> str:
        where = ", ".join(f"{k!r}{' (on disk)' if v is None else ''}" for k, v in self._items.items())
        return f"Tables({where})"

    def __reduce__(self):
        return (dict, (dict(self.items()),))


def _input_files(sources: Iterable[str | os.PathLike]) -> list[Path]:
    """Every file :func:`govtext.read_reports` considers for these sources, in its order: the
    files it reads and the ones it records as unsupported (never README/MANIFEST/hidden files,
    which are not inputs)."""
    from govtext.read import _iter_inputs

    files: list[Path] = []
    for src in sources:
        items, skipped = _iter_inputs(src)
        files.extend(p for p, _ in items)
        files.extend(Path(row["path"]) for row in skipped)
    return sorted(set(files), key=lambda q: q.as_posix())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _per_report(fn: Callable, corpus: Corpus) -> pd.DataFrame:
    """Concatenate a per-report function's frames (corpus order), keeping its columns when empty."""
    return _concat([fn(r) for r in corpus])


def _structure(corpus: Corpus, params: dict) -> dict[str, pd.DataFrame]:
    from govtext.sections import sections_frame
    from govtext.sentences import items_frame, sentences_frame

    return {"sections": sections_frame(corpus), "sentences": sentences_frame(corpus), "items": items_frame(corpus)}


def _tables(corpus: Corpus, params: dict) -> dict[str, pd.DataFrame]:
    from govtext.tables import check_tables, extract_facts, parse_tables

    cells = parse_tables(corpus)
    # extract_facts takes the whole corpus and builds one frame (an empty corpus keeps the
    # column-less frame of an empty concatenation)
    facts = _per_report(extract_facts, [corpus] if len(corpus) else [])
    return {"tables": cells, "table_checks": check_tables(cells), "facts": facts}


def _statements(corpus: Corpus, params: dict) -> dict[str, pd.DataFrame]:
    from govtext.statements import extract_statements

    return {"statements": extract_statements(corpus)}


#: Tables of the reuse stage: the fitted attributes of :class:`govtext.ReuseDetector` (same
#: columns), named without the trailing underscore. ``report_scores`` carries the per-report
#: research measures (boilerplate, redundancy, specificity) and ``yoy`` the year-over-year
#: measures, computed with the detector's cohorts.
REUSE_TABLES = ("units", "group_pairs", "clusters", "passages", "report_scores", "similarity", "families", "yoy")


def _reuse(corpus: Corpus, params: dict) -> dict[str, pd.DataFrame]:
    return _fit_reuse(corpus, params)[0]


def _fit_reuse(corpus: Corpus, params: dict, prepared: Iterable | None = None, measures_cache: Any = None,
               ) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """The reuse tables, plus the detector's seconds per step (``ReuseDetector.stats_``).
    ``prepared`` (the partitions' :meth:`~govtext.ReuseDetector.prepare` results, in order) and
    ``measures_cache`` are passed to :meth:`~govtext.ReuseDetector.fit`."""
    from govtext.reuse import ReuseDetector

    kw = {"n_jobs": params.get("n_jobs"), **params.get("reuse", {})}
    det = ReuseDetector(**kw, progress=params.get("progress", False))
    det.fit(corpus, prepared=prepared, measures_cache=measures_cache)
    steps = {k: float(v) for k, v in det.stats_.get("timings", {}).items() if k != "total"}
    return {name: getattr(det, f"{name}_").reset_index(drop=True) for name in REUSE_TABLES}, steps


def _drain(items: deque) -> Iterator:
    """Yield the items, removing each from ``items`` as it goes."""
    while items:
        yield items.popleft()


def _measures_entries(result: dict) -> Any:
    """A partition's reports tokenised for the measures, packed (the word units and per-report
    rows :meth:`govtext.ReuseDetector.fit` would compute for its measures step): run by the Dask
    backend on the worker that built the partition, while the client gathers the partitions
    and starts the reuse stage."""
    from govtext.reuse import _tokenize_batch

    return _tokenize_batch(result["reports"])


def _stages() -> list[tuple[str, Callable[[Corpus, dict], dict[str, pd.DataFrame]]]]:
    """Stages after reading, in order. Each takes the corpus and params, returns tables."""
    return [("structure", _structure), ("tables", _tables), ("statements", _statements), ("reuse", _reuse)]


#: Stage names, in the order they run.
STAGES = ("structure", "tables", "statements", "reuse")

#: Parameters ``analyze`` takes through ``**params`` (and a ``--config`` file may set):
#: ``stages`` (the stages to run, default all of :data:`STAGES`), ``reuse`` (keyword
#: parameters of :class:`govtext.ReuseDetector`, e.g. ``{"threshold": 0.7}``) and ``table``
#: (keyword parameters of :func:`govtext.read_table` for ``.parquet``/``.csv`` inputs, e.g.
#: ``{"text": "body", "id": "url"}``).
PARAMETERS = ("stages", "reuse", "table")

#: Stages that work report by report: they run on partitions of the corpus (in turn with the
#: local backend, on the workers with the Dask backend) and their tables are concatenated in
#: corpus order. The other stage (``reuse``) compares reports and runs on the whole corpus.
PER_REPORT_STAGES = ("structure", "tables", "statements")

#: Keys of the ``table`` parameter (keyword parameters of :func:`govtext.read_table`).
TABLE_OPTIONS = ("text", "id", "meta", "source", "encoding")

#: Backends of :func:`analyze`.
BACKENDS = ("local", "dask")

#: Reports (or table rows) per partition of the local backend when ``npartitions`` is None.
LOCAL_PARTITION_SIZE = 1000
#: Reports or rows per partition with the local backend and ``n_jobs`` processes.
LOCAL_PARALLEL_PARTITION_SIZE = 250


def _effective_jobs(n_jobs: int | None) -> int:
    if n_jobs is None or n_jobs == 1:
        return 1
    import joblib

    return joblib.effective_n_jobs(n_jobs)


def _check_params(params: dict[str, Any]) -> dict[str, Any]:
    """Validate the stage parameters; unknown names and bad values raise InvalidParameterError."""
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        msg = f"analyze: unknown parameter(s) {', '.join(map(repr, unknown))}; known: {', '.join(PARAMETERS)}"
        raise InvalidParameterError(msg)
    out: dict[str, Any] = {}
    stages = params.get("stages", STAGES)
    if isinstance(stages, str):
        stages = (stages,)
    try:
        stages = tuple(stages)
    except TypeError:
        raise InvalidParameterError(f"analyze: stages must be a list of stage names, got {stages!r}") from None
    bad = [s for s in stages if s not in STAGES]
    if bad:
        msg = f"analyze: unknown stage(s) {', '.join(map(repr, bad))}; stages are {', '.join(STAGES)}"
        raise InvalidParameterError(msg)
    out["stages"] = [s for s in STAGES if s in stages]  # canonical order, no duplicates
    reuse = params.get("reuse", {})
    if not isinstance(reuse, dict):
        raise InvalidParameterError(f"analyze: reuse must be a mapping of ReuseDetector parameters, got {reuse!r}")
    from govtext.reuse import ReuseDetector

    known = set(ReuseDetector().get_params()) - {"progress"}
    bad = sorted(set(reuse) - known)
    if bad:
        msg = (f"analyze: unknown ReuseDetector parameter(s) {', '.join(map(repr, bad))} in reuse; "
               f"known: {', '.join(sorted(known))}")
        raise InvalidParameterError(msg)
    # lists from TOML/JSON become tuples, so the detector and the manifest see one value
    out["reuse"] = {k: tuple(v) if isinstance(v, list) else v for k, v in sorted(reuse.items())}
    table = params.get("table", {})
    if not isinstance(table, dict):
        raise InvalidParameterError(f"analyze: table must be a mapping of read_table parameters, got {table!r}")
    bad = sorted(set(table) - set(TABLE_OPTIONS))
    if bad:
        msg = (f"analyze: unknown read_table parameter(s) {', '.join(map(repr, bad))} in table; "
               f"known: {', '.join(TABLE_OPTIONS)}")
        raise InvalidParameterError(msg)
    out["table"] = {k: list(v) if isinstance(v, tuple) else v for k, v in sorted(table.items())}
    return out


def _check_backend(backend: Any, npartitions: Any, n_workers: Any, n_jobs: Any = None) -> None:
    if backend not in BACKENDS:
        msg = f"The 'backend' parameter of analyze must be one of {list(BACKENDS)}. Got {backend!r} instead."
        raise InvalidParameterError(msg)
    if n_jobs is not None and (not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0):
        msg = f"The 'n_jobs' parameter of analyze must be None or a non-zero int (-1: one per core). Got {n_jobs!r} instead."
        raise InvalidParameterError(msg)
    if n_jobs is not None and backend == "dask":
        msg = "The 'n_jobs' parameter of analyze is for backend='local'; the Dask backend uses the cluster's workers."
        raise InvalidParameterError(msg)
    for name, value in (("npartitions", npartitions), ("n_workers", n_workers)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            msg = f"The {name!r} parameter of analyze must be a positive int or None. Got {value!r} instead."
            raise InvalidParameterError(msg)


def _is_table(source: Any) -> bool:
    from govtext._tableio import table_format

    return isinstance(source, (str, os.PathLike)) and table_format(source) is not None and Path(source).is_file()


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-partition (or per-report) frames in order, with dtypes that do not
    depend on where the partitions were cut.

    Empty frames are left out (their column dtypes may differ from the full ones) unless every
    frame is empty. pandas gives a column of strings the ``str`` dtype, but ``object`` when it
    is concatenated with an empty or all-missing ``object`` column, which depends on which
    reports share a partition; so an ``object`` column whose values are all strings (or
    missing) becomes ``str``, and other columns whose dtypes differ between frames are
    inferred again over the whole column."""
    full = [f for f in frames if len(f)]
    if not full:
        return frames[0].reset_index(drop=True) if frames else pd.DataFrame()
    out = full[0].reset_index(drop=True) if len(full) == 1 else pd.concat(full, ignore_index=True)
    for col in out.columns:
        series = out[col]
        if series.dtype == object:
            if pd.api.types.infer_dtype(series, skipna=True) == "string":
                out[col] = series.astype("str")
        elif len({str(f[col].dtype) for f in full}) > 1:
            out[col] = pd.Series(series.tolist(), index=out.index)
    return out


def _run_partition(kind: str, payload: Any, stages: list[str], params: dict) -> dict[str, Any]:
    """Read (if needed) and run the per-report stages on one partition.

    ``kind`` is ``"reports"`` (payload: a list of Report), ``"rows"`` (payload: ``(path,
    rows)`` of :mod:`govtext._tableio`) or ``"files"`` (payload: ``(items, pre_skips)`` of
    :func:`_read_files`). Returns the reports, their skip rows, the tables of
    the per-report stages (plus ``reports``) and the seconds each step took.
    """
    timings: dict[str, float] = {}
    t = time.perf_counter()
    if kind == "rows":
        from govtext._tableio import parse_rows

        path, rows = payload
        reports, skip_rows = parse_rows(path, rows, errors=params["errors"],
                                        encoding=params.get("table", {}).get("encoding"))
    elif kind == "files":
        reports, skip_rows = _read_files(*payload, errors=params["errors"])
    else:
        reports, skip_rows = list(payload), []
    corpus = Corpus(reports)
    timings["read"] = time.perf_counter() - t
    t = time.perf_counter()
    tables = {"reports": corpus.to_frame()}
    timings["metadata"] = time.perf_counter() - t
    for name, stage in _stages():
        if name in PER_REPORT_STAGES and name in stages:
            t = time.perf_counter()
            tables.update(stage(corpus, params))
            timings[name] = time.perf_counter() - t
    out = {"reports": reports, "skipped": skip_rows, "tables": tables, "timings": timings}
    if params.get("pack_measures"):  # the reuse stage's measures tokenise here, where the reports are
        from govtext.reuse import _tokenize_batch

        t = time.perf_counter()
        out["measures"] = _tokenize_batch(reports)
        timings["reuse.tokenize"] = time.perf_counter() - t
    if params.get("prepare_reuse"):  # the reuse stage's per-report step, done here
        from govtext.reuse import ReuseDetector

        t = time.perf_counter()
        # with the narratives' shingle counts: counted here, in parallel, rather than by the
        # reuse stage in one process (from 20,000 reports they wait on disk until it needs them)
        out["prepared"] = ReuseDetector(**params.get("reuse", {})).prepare(corpus, similarity=True)
        timings["reuse.prepare"] = time.perf_counter() - t
    if params.get("drop_derived") == "partition":
        _drop_derived(reports)  # nothing after this needs them: they need not travel back
    return out


def _drop_derived(reports: Iterable) -> None:
    """Free the reports' cached sections and sentence layout once every per-report step has
    used them (about 8 MB per 1,000 reports; read again, they are recomputed, identically).
    Their cached metadata stays: the reuse stage reads it."""
    from govtext.sentences import _LAYOUT_ATTR

    for r in reports:
        r.__dict__.pop("sections", None)
        r.__dict__.pop(_LAYOUT_ATTR, None)


def _read_files(items: list[tuple[str, str]], pre_skips: list[dict], errors: str) -> tuple[list, list[dict]]:
    """Read report files as :func:`govtext.read_reports` reads them from a directory:
    ``items`` are ``(path, base id)`` pairs (unique base ids), ``pre_skips`` the skip rows that
    come first (the files of the directory with an unsupported suffix)."""
    from dataclasses import replace

    from govtext.read import read_reports

    reports: list = []
    skip_rows = list(pre_skips)
    for path, base in items:
        got = read_reports(Path(path), errors=errors)
        stem = Path(path).stem
        reports.extend(r if base == stem else replace(r, id=base + r.id[len(stem):]) for r in got)
        skip_rows.extend(got._skip_records())
    return reports, skip_rows


def _file_partitions(sources: list, size_of: Callable[[int], int]) -> list[tuple[str, Any]] | None:
    """Partitions of report files to read on the workers (``("files", (items, pre_skips))``),
    in the order :func:`govtext.read_reports` reads them; None when two files of a source would
    get the same id (read on the client then, where ``read_reports`` disambiguates them)."""
    from govtext.read import _iter_inputs

    per_source = []
    for src in sources:
        items, skips = _iter_inputs(src)
        bases = [b for _, b in items]
        if len(set(bases)) != len(bases):
            return None
        per_source.append(([(str(p), b) for p, b in items], skips))
    n = sum(len(items) for items, _ in per_source)
    size = size_of(n)
    parts: list[tuple[str, Any]] = []
    for items, skips in per_source:
        chunks = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
        for k, chunk in enumerate(chunks):
            parts.append(("files", (chunk, skips if k == 0 else [])))
    return parts


def _partitions(source: Any, params: dict, size_of: Callable[[int], int],
                progress: bool, remote_files: bool = False) -> tuple[Iterable[tuple[str, Any]], Corpus | None, list]:
    """The partitions of a source as ``(kind, payload)``, plus a corpus read up front (path
    sources read here, whose skip rows come first; None when the partitions read) and the input
    files. With ``remote_files``, report files are read in the partitions (the Dask workers)."""
    from govtext._tableio import iter_rows, n_rows
    from govtext.read import read_reports

    topts = params["table"]
    sources = [source] if isinstance(source, (str, os.PathLike, Corpus)) else list(source)
    tables = [s for s in sources if _is_table(s)]
    if tables and len(tables) != len(sources):
        msg = "analyze: give either table files (.parquet/.csv) or report files/directories, not both"
        raise InvalidParameterError(msg)
    if tables:
        inputs = [Path(s) for s in tables]

        def gen():
            for tpath in tables:
                size = size_of(n_rows(tpath, encoding=topts.get("encoding")))
                chunks = iter_rows(tpath, chunksize=size, **topts)
                for rows in chunks:
                    yield "rows", (str(tpath), rows)

        return gen(), None, inputs
    if len(sources) == 1 and isinstance(sources[0], Corpus):
        corpus, inputs = sources[0], []
    elif remote_files and (parts := _file_partitions(sources, size_of)) is not None:
        return parts, None, _input_files(sources)
    else:
        corpus = Corpus()
        for s in sources:
            corpus = corpus + read_reports(s, errors=params["errors"], progress=progress)
        inputs = _input_files(sources)
    reps = list(corpus)
    size = size_of(len(reps))
    parts = [("reports", reps[i:i + size]) for i in range(0, len(reps), size)] or [("reports", [])]
    return parts, corpus, inputs


def analyze(source: str | os.PathLike | Iterable[str | os.PathLike] | Corpus, *, errors: str = "skip",
            progress: bool = False, backend: str = "local", client: Any = None,
            npartitions: int | None = None, n_workers: int | None = None, n_jobs: int | None = None,
            spill: bool | None = None, **params: Any) -> AnalysisResult:
    """Run the whole govtext pipeline on a corpus.

    Parameters
    ----------
    source : path, directory, iterable of paths, table file, or Corpus
        Report files and directories (read with :func:`govtext.read_reports`), or corpus
        tables ``.parquet``/``.csv`` (read with :func:`govtext.read_table`, streamed; the
        ``table`` parameter names the columns), or a :class:`~govtext.records.Corpus`.
    errors : {"skip", "warn", "raise"}
        How unreadable inputs are handled (default: record them in the ``skipped`` table).
    progress : bool
        Progress bars on stderr.
    backend : {"local", "dask"}
        ``"local"``: this machine, partition after partition (in ``n_jobs`` processes).
        ``"dask"``: the per-report stages (and the reading of the inputs) run on the workers
        of a Dask cluster (needs the ``dask`` extra); the reuse stage runs here on the whole
        corpus and sends its passage alignment and tokenisation to the workers. Both backends
        give identical tables (see ``docs/how-to/run-at-scale.md``).
    client : distributed.Client or str, optional
        With ``backend="dask"``: the client of an existing cluster, or a scheduler address
        (``"tcp://host:8786"``). Default: a ``LocalCluster`` of ``n_workers`` single-threaded
        worker processes is started for this call and closed after it.
    npartitions : int, optional
        Number of partitions of the corpus (default: 1,000 reports or rows per partition
        locally; four partitions per worker thread with Dask, at most 1,000 each). Results do
        not depend on it.
    n_workers : int, optional
        Worker processes of the ``LocalCluster`` started when ``client`` is None (default: one
        per core).
    n_jobs : int, optional
        With ``backend="local"``: processes (joblib) for the per-report stages and for the
        reuse stage's alignment and tokenisation; ``-1`` one per core, default 1. The tables
        do not depend on it, and it is not recorded in the manifest's parameters.
    spill : bool, optional
        Keep the per-report stages' tables on disk (a temporary directory) from the moment
        their partitions finish, instead of in memory next to the reuse stage (see
        :class:`Tables`); the reports ``analyze`` reads itself wait there too while the reuse
        stage runs (it reads only their ids and metadata) and are read back for the result's
        corpus. Default: when the corpus has more than one partition. The tables do not depend
        on it, and it is not recorded in the manifest.
    **params
        Parameters of the stages (all recorded in the manifest): ``stages``, the stages to run
        (default all of :data:`STAGES`); ``reuse``, a mapping of :class:`govtext.ReuseDetector`
        parameters (e.g. ``reuse={"threshold": 0.7, "cohort": ["year"]}``); ``table``, a mapping
        of :func:`govtext.read_table` parameters (``text``, ``id``, ``meta``, ``source``,
        ``encoding``). Unknown names raise :class:`~govtext.exceptions.InvalidParameterError`.

    Returns
    -------
    AnalysisResult

    Examples
    --------
    >>> from govtext.datasets import seeds_path
    >>> result = analyze(seeds_path())
    >>> len(result.tables["reports"]), result.tables["skipped"]["reason"].tolist()
    (12, ['preface'])
    """
    from govtext.read import _check_errors

    _check_errors(errors, "analyze")
    stage_params = _check_params(params)
    _check_backend(backend, npartitions, n_workers, n_jobs)
    if spill is not None and not isinstance(spill, bool):
        raise InvalidParameterError(f"The 'spill' parameter of analyze must be None, True or False. Got {spill!r} instead.")
    all_params = {"errors": errors, **stage_params}
    if not all_params["table"]:
        del all_params["table"]  # the manifest of report-file runs stays as it was
    reuse_on = "reuse" in stage_params["stages"]
    run_params = {**all_params, "table": stage_params["table"], "progress": progress,
                  "n_jobs": n_jobs, "prepare_reuse": reuse_on,
                  # the local backend tokenises for the measures in the partitions (the Dask
                  # backend in follow-up tasks on the workers, see govtext._dask)
                  "pack_measures": backend == "local" and reuse_on and stage_params["reuse"].get("measures", True)}
    wanted = [s for s in PER_REPORT_STAGES if s in stage_params["stages"]]
    t0 = time.perf_counter()
    if backend == "dask":
        from govtext._dask import dask_executor

        executor = dask_executor(client=client, n_workers=n_workers, npartitions=npartitions)
        size_of = executor.partition_size
    else:
        executor = None

        def size_of(n: int) -> int:
            if npartitions:
                return max(1, -(-n // npartitions))
            return LOCAL_PARTITION_SIZE if _effective_jobs(n_jobs) == 1 else LOCAL_PARALLEL_PARTITION_SIZE

    try:
        # the reports analyze reads itself give back their cached structure once the
        # per-report steps are done: in the partitions with the local backend (which tokenise
        # for the measures there), on arrival with Dask (whose follow-up tasks still use it);
        # a Corpus given by the caller is left as it is
        given_corpus = isinstance(source, Corpus)
        run_params["drop_derived"] = None if given_corpus else "partition" if backend == "local" else "client"
        parts, corpus, inputs = _partitions(source, run_params, size_of, progress,
                                            remote_files=executor is not None)
        timings: dict[str, float] = {"read": time.perf_counter() - t0} if corpus is not None else {}
        t_parts = time.perf_counter()
        if executor is None and _effective_jobs(n_jobs) > 1:
            import joblib

            par = joblib.Parallel(n_jobs=n_jobs, return_as="generator")
            results = par(joblib.delayed(_run_partition)(kind, payload, wanted, run_params)
                          for kind, payload in parts)
            if progress:
                from govtext._progress import progress_bar

                results = progress_bar(results, desc="partitions", unit="partition")
        elif executor is None:
            results = (_run_partition(kind, payload, wanted, run_params) for kind, payload in parts)
            if progress:
                from govtext._progress import progress_bar

                results = progress_bar(results, desc="partitions", unit="partition")
        else:
            measures = "reuse" in stage_params["stages"] and stage_params["reuse"].get("measures", True)
            results = executor.map(parts, wanted, run_params, follow=_measures_entries if measures else None)
            if progress:
                from govtext._progress import progress_bar

                results = progress_bar(results, desc="partitions", unit="partition")
        reports: list = []
        skip_rows: list[dict] = [] if corpus is None else corpus._skip_records()
        frames: dict[str, list[pd.DataFrame]] = {}  # in memory, or names only once spilled
        spilled: _Spill | None = None
        prepared: deque = deque()
        from govtext.reuse import _narrative_aside

        packed: list = []  # the measures' packed units of each partition (put_aside once spilled)
        # once the tables go to disk, the reports analyze reads itself go there too, until the
        # reuse stage is over: it reads only their ids and metadata (see _memory.ReportRef)
        aside: list | None = [] if reuse_on and not given_corpus and corpus is None else None
        for k, res in enumerate(results):
            if run_params["drop_derived"] == "client":
                _drop_derived(res["reports"])
            skip_rows.extend(res["skipped"])
            if "prepared" in res:
                # once spilling, the narratives' shingle counts wait on disk until the
                # similarity step of the reuse stage (15 MB per 1,000 reports)
                prepared.append(res["prepared"] if spilled is None else _narrative_aside(res["prepared"]))
            if spilled is None and (spill or (spill is None and k == 1)):
                # a second partition (or spill=True): the per-report tables go to disk, and
                # with them what the first partition left in memory
                spilled = _Spill()
                if frames:
                    spilled.add({name: dfs.pop() for name, dfs in frames.items()})
                packed = [put_aside(x) for x in packed]
                prepared = deque(_narrative_aside(x) for x in prepared)
                if aside is not None and reports:
                    aside.append(put_aside(reports))
                    reports = [ReportRef(r) for r in reports]
            if "measures" in res:  # the packed units wait on disk until the measures step
                packed.append(res["measures"] if spilled is None else put_aside(res["measures"]))
            if spilled is not None and aside is not None and res["reports"]:
                aside.append(put_aside(res["reports"]))
                reports.extend(ReportRef(r) for r in res["reports"])
            else:
                reports.extend(res["reports"])
            for name, df in res["tables"].items():
                frames.setdefault(name, [])
                if spilled is None:
                    frames[name].append(df)
            if spilled is not None:
                spilled.add(res["tables"])
            for name, sec in res["timings"].items():
                if name == "read" and corpus is not None:
                    continue
                timings[name] = timings.get(name, 0.0) + sec
        res = None  # the last partition's reports are on disk, or in reports
        if not frames:  # no partition at all (an empty table): the stages' empty tables
            res = _run_partition("reports", [], wanted, run_params)
            frames = {name: [df] for name, df in res["tables"].items()}
            spilled = None
        if executor is None and _effective_jobs(n_jobs) > 1:
            from govtext._workers import release_idle_workers

            release_idle_workers()  # their memory is not needed by the whole-corpus stages
        from govtext._memory import release_freed_memory

        release_freed_memory()  # the partitions' unpickling buffers (see govtext._memory)
        if backend == "dask":
            timings["partitions_wall"] = time.perf_counter() - t_parts
    except BaseException:
        if executor is not None:
            executor.close()
        raise
    try:
        return _whole_corpus_stages(reports, skip_rows, frames, stage_params, run_params, all_params,
                                    timings, inputs, backend, executor, prepared, spilled, packed, aside)
    finally:
        if executor is not None:
            executor.close()


def _whole_corpus_stages(reports: list, skip_rows: list, frames: dict, stage_params: dict,
                         run_params: dict, all_params: dict, timings: dict, inputs: list,
                         backend: str, executor: Any, prepared: deque | None = None,
                         spilled: _Spill | None = None, packed: list | None = None,
                         aside: list[Path] | None = None) -> AnalysisResult:
    """Gather the partitions into the corpus and its tables (or their names, when ``spilled``
    holds them on disk), then run the stages that compare reports (with the Dask backend,
    their joblib work goes to the cluster).

    ``aside``: the reports (lists, in order, each :func:`govtext._memory.put_aside`) that
    ``reports`` holds only references to (:class:`govtext._memory.ReportRef`); they are read
    back after the stages, for the result's corpus."""
    import contextlib

    try:
        corpus = Corpus(reports, skip_rows)
    except ValueError as exc:  # the same id from two inputs (e.g. two tables named pages.csv)
        raise InputError(f"analyze: {exc} Give the inputs distinct names or id columns.") from None

    # a spilled table is None here: Tables reads it back when it is accessed
    items = [("reports", (None if spilled else _concat(frames["reports"])) if "reports" in frames
              else corpus.to_frame()), ("skipped", corpus.skipped.copy())]
    items += [(name, None if spilled else _concat(frames[name])) for name in frames if name != "reports"]
    tables = Tables(items, spill=spilled)
    del items, frames
    for name, stage in _stages():  # the stages that compare reports: on the whole corpus
        if name in PER_REPORT_STAGES or (name in STAGES and name not in stage_params["stages"]):
            continue
        t = time.perf_counter()
        if stage is _reuse:
            given = None
            if executor is not None:
                from govtext._workers import run_batches_on

                ctx = run_batches_on(executor)
                given = executor.followup_entries()  # the measures then run on a worker
            else:
                ctx = contextlib.nullcontext()
                if packed:  # read back (if put aside) when the measures step needs them
                    given = _packed_loader(packed)
            with ctx:
                # the detector takes the partitions' preparations over (nothing here keeps them)
                out, steps = _fit_reuse(corpus, run_params, prepared=_drain(prepared) if prepared else None,
                                        measures_cache=given)
            timings.update({f"reuse.{k}": v for k, v in steps.items()})
        else:
            out = stage(corpus, run_params)
        tables.update(out)
        timings[name] = time.perf_counter() - t
    if aside:
        corpus = _reports_back(corpus, aside, skip_rows)
    inputs = [{"path": p.as_posix(), "bytes": p.stat().st_size, "sha256": _sha256(p)} for p in inputs]
    if backend == "dask":
        all_params = {**all_params, "backend": "dask"}
    return AnalysisResult(tables=tables, corpus=corpus, params=all_params, timings=timings, inputs=inputs)


def _reports_back(refs: Corpus, aside: list, skip_rows: list) -> Corpus:
    """The corpus of the reports put aside on disk (``aside``, in order), which ``refs`` (a
    corpus of their references) stood for during the reuse stage."""
    reports = [r for held in aside for r in take_back(held)]
    if [r.id for r in reports] != [r.id for r in refs]:
        raise InputError("the reports read back from disk do not match the corpus they were put "
                         "aside from; were the temporary files changed during the run?")
    return Corpus(reports, skip_rows)


def _packed_loader(packed: list) -> Callable[[], Any]:
    """A callable giving the measures the partitions' packed units, read back from disk if
    they were put aside (:class:`govtext.measures._PackedCorpus`)."""
    def load() -> Any:
        from govtext.measures import _PackedCorpus

        batches = [take_back(x) for x in packed]
        packed.clear()
        return _PackedCorpus(batches)

    return load


_SAFE_NAME = re.compile(r"[A-Za-z0-9_]+")


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    import govtext

    out = {"govtext": govtext.__version__, "python": sys.version.split()[0], "platform": platform.platform()}
    for dist in ("numpy", "pandas", "scikit-learn", "scipy", "jieba", "rjieba", "opencc", "charset-normalizer",
                 "lxml", "pyarrow", "matplotlib"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out


def write_outputs(result: AnalysisResult, out: str | os.PathLike, *, parquet: bool | None = None) -> dict[str, list[str]]:
    """Write every table as CSV (UTF-8 with BOM) and Parquet, plus ``manifest.json``.

    Parameters
    ----------
    result : AnalysisResult
    out : path
        Output directory (created). Every file written stays inside it.
    parquet : bool, optional
        Write Parquet too (default: when pyarrow is installed).

    Returns
    -------
    dict
        Table name to the files written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    root = out.resolve()
    if parquet is None:
        try:
            import pyarrow  # noqa: F401

            parquet = True
        except ImportError:
            parquet = False
    written: dict[str, list[str]] = {}
    rows: dict[str, int] = {}
    for name in list(result.tables):  # one table at a time (spilled tables are read here)
        if not isinstance(name, str) or not _SAFE_NAME.fullmatch(name):
            msg = f"table name {name!r} is not a safe file name (letters, digits and _ only)"
            raise InvalidParameterError(msg)
        files = []
        csv_path = (root / f"{name}.csv").resolve()
        if csv_path.parent != root:
            msg = f"output path {csv_path} escapes {root}"
            raise InvalidParameterError(msg)
        df = result.tables[name]
        rows[name] = len(df)
        df.to_csv(csv_path, index=False, encoding="utf-8-sig", lineterminator="\n")
        files.append(csv_path.name)
        if parquet:
            pq_path = root / f"{name}.parquet"
            df.to_parquet(pq_path, index=False)
            files.append(pq_path.name)
        written[name] = files
        del df
    manifest = {
        "govtext_manifest": 1,
        "versions": _versions(),
        "params": result.params,
        "inputs": result.inputs,
        "counts": {
            "input_files": len(result.inputs),
            "files_with_reports": len({r.source for r in result.corpus}),
            "files_skipped_whole": len(
                {str(p) for p in result.tables["skipped"]["path"]} - {r.source for r in result.corpus}
            ) if "skipped" in result.tables else 0,
            "reports": len(result.corpus),
            "skipped": len(result.tables.get("skipped", [])),
            "tables": rows,
        },
        "skipped": result.tables["skipped"].to_dict("records") if "skipped" in result.tables else [],
        "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
        "files": written,
    }
    with open(root / "manifest.json", "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2, default=str)
    return written
