"""The whole analysis in one call: :func:`analyze` and :func:`write_outputs`.

``analyze`` reads a corpus and runs every stage, returning a dict of DataFrames keyed by table
name; ``write_outputs`` writes them (CSV with a UTF-8 BOM so Excel opens Chinese correctly, and
Parquet when pyarrow is installed) with a ``manifest.json`` that lets a reader re-run the exact
analysis: govtext and dependency versions, every parameter, input files with sha256, what was
skipped and why, and timings.

Tables are deterministic: the same input and parameters give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from govtext.exceptions import InvalidParameterError
from govtext.records import Corpus

__all__ = ["AnalysisResult", "analyze", "write_outputs"]

logger = logging.getLogger(__name__)


@dataclass
class AnalysisResult:
    """Tables produced by :func:`analyze`, plus provenance.

    Attributes
    ----------
    tables : dict of str to DataFrame
        ``reports`` (one row per report, with metadata), ``skipped`` (inputs that gave no
        report, with the reason), and one table per later stage.
    corpus : Corpus
    params : dict
        Every parameter of the run.
    timings : dict of str to float
        Seconds per stage (not part of the tables, so tables stay byte-identical).
    inputs : list of dict
        Input files with size and sha256.
    """

    tables: dict[str, pd.DataFrame]
    corpus: Corpus
    params: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    inputs: list[dict[str, Any]] = field(default_factory=list)


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
    frames = [fn(r) for r in corpus]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _structure(corpus: Corpus, params: dict) -> dict[str, pd.DataFrame]:
    from govtext.sections import sections_frame
    from govtext.sentences import items_frame, sentences_frame

    return {"sections": sections_frame(corpus), "sentences": sentences_frame(corpus), "items": items_frame(corpus)}


def _tables(corpus: Corpus, params: dict) -> dict[str, pd.DataFrame]:
    from govtext.tables import check_tables, extract_facts, parse_tables

    cells = parse_tables(corpus)
    return {"tables": cells, "table_checks": check_tables(cells), "facts": _per_report(extract_facts, corpus)}


def _statements(corpus: Corpus, params: dict) -> dict[str, pd.DataFrame]:
    from govtext.statements import extract_statements

    return {"statements": extract_statements(corpus)}


#: Tables of the reuse stage: the fitted attributes of :class:`govtext.ReuseDetector` (same
#: columns), named without the trailing underscore. ``report_scores`` carries the per-report
#: research measures (boilerplate, redundancy, specificity) and ``yoy`` the year-over-year
#: measures, computed with the detector's cohorts.
REUSE_TABLES = ("units", "pairs", "clusters", "passages", "report_scores", "similarity", "families", "yoy")


def _reuse(corpus: Corpus, params: dict) -> dict[str, pd.DataFrame]:
    from govtext.reuse import ReuseDetector

    det = ReuseDetector(**params.get("reuse", {}), progress=params.get("progress", False))
    det.fit(corpus)
    return {name: getattr(det, f"{name}_").reset_index(drop=True) for name in REUSE_TABLES}


def _stages() -> list[tuple[str, Callable[[Corpus, dict], dict[str, pd.DataFrame]]]]:
    """Stages after reading, in order. Each takes the corpus and params, returns tables."""
    return [("structure", _structure), ("tables", _tables), ("statements", _statements), ("reuse", _reuse)]


#: Stage names, in the order they run.
STAGES = ("structure", "tables", "statements", "reuse")

#: Parameters ``analyze`` takes through ``**params`` (and a ``--config`` file may set):
#: ``stages`` (the stages to run, default all of :data:`STAGES`) and ``reuse`` (keyword
#: parameters of :class:`govtext.ReuseDetector`, e.g. ``{"threshold": 0.7}``).
PARAMETERS = ("stages", "reuse")


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
    return out


def analyze(source: str | os.PathLike | Iterable[str | os.PathLike] | Corpus, *, errors: str = "skip",
            progress: bool = False, **params: Any) -> AnalysisResult:
    """Run the whole govtext pipeline on a corpus.

    Parameters
    ----------
    source : path, directory, iterable of paths, or Corpus
    errors : {"skip", "warn", "raise"}
        How unreadable inputs are handled (default: record them in the ``skipped`` table).
    progress : bool
        Progress bars on stderr.
    **params
        Parameters of the stages (all recorded in the manifest): ``stages``, the stages to run
        (default all of :data:`STAGES`); ``reuse``, a mapping of :class:`govtext.ReuseDetector`
        parameters (e.g. ``reuse={"threshold": 0.7, "cohort": ["year"]}``). Unknown names raise
        :class:`~govtext.exceptions.InvalidParameterError`.

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
    from govtext.read import read_reports

    stage_params = _check_params(params)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if isinstance(source, Corpus):
        corpus, inputs = source, []
    else:
        sources = [source] if isinstance(source, (str, os.PathLike)) else list(source)
        corpus = Corpus()
        for s in sources:
            corpus = corpus + read_reports(s, errors=errors, progress=progress)
        inputs = [{"path": p.as_posix(), "bytes": p.stat().st_size, "sha256": _sha256(p)} for p in _input_files(sources)]
    timings["read"] = time.perf_counter() - t0
    tables: dict[str, pd.DataFrame] = {"reports": corpus.to_frame(), "skipped": corpus.skipped.copy()}
    all_params = {"errors": errors, **stage_params}
    for name, stage in _stages():
        if name in STAGES and name not in stage_params["stages"]:
            continue
        t = time.perf_counter()
        tables.update(stage(corpus, {**all_params, "progress": progress}))
        timings[name] = time.perf_counter() - t
    return AnalysisResult(tables=tables, corpus=corpus, params=all_params, timings=timings, inputs=inputs)


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
    for name, df in result.tables.items():
        if not isinstance(name, str) or not _SAFE_NAME.fullmatch(name):
            msg = f"table name {name!r} is not a safe file name (letters, digits and _ only)"
            raise InvalidParameterError(msg)
        files = []
        csv_path = (root / f"{name}.csv").resolve()
        if csv_path.parent != root:
            msg = f"output path {csv_path} escapes {root}"
            raise InvalidParameterError(msg)
        df.to_csv(csv_path, index=False, encoding="utf-8-sig", lineterminator="\n")
        files.append(csv_path.name)
        if parquet:
            pq_path = root / f"{name}.parquet"
            df.to_parquet(pq_path, index=False)
            files.append(pq_path.name)
        written[name] = files
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
            "tables": {k: len(v) for k, v in result.tables.items()},
        },
        "skipped": result.tables["skipped"].to_dict("records") if "skipped" in result.tables else [],
        "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
        "files": written,
    }
    with open(root / "manifest.json", "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2, default=str)
    return written
