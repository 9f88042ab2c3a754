"""Reading corpora stored as tables (Parquet or CSV): the internals of
:func:`govtext.read.read_table` and :func:`govtext.read.iter_table`.

A table holds one row per scraped page. Reading is split in two so that the Dask backend of
:func:`govtext.analyze` can ship the expensive half to workers:

1. :func:`iter_rows` (cheap, on the caller's side) streams the file in chunks of rows (Parquet
   batches, CSV chunks), assigns every row its report id (disambiguating duplicates in row
   order) and returns plain tuples :class:`Row`;
2. :func:`parse_rows` (the expensive half: decoding, HTML extraction, normalisation) turns a
   list of rows into reports and skip records, with no state shared between calls, so the
   result never depends on how the rows were split.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from govtext.exceptions import (
    EmptyInputError,
    EncodingError,
    InputError,
    InvalidParameterError,
    MalformedInputError,
    MissingDependencyError,
)

#: Suffixes read as Parquet and as CSV (compressed CSV is read by pandas).
PARQUET_SUFFIXES = (".parquet", ".pq")
CSV_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz", ".csv.bz2", ".csv.xz", ".csv.zst")
#: Rows per chunk when streaming a table.
DEFAULT_CHUNKSIZE = 1000


class Row(NamedTuple):
    """One row of a corpus table, ready to parse: its 0-based index, the report id, the text
    cell, the source cell (or None) and the metadata cells."""

    index: int
    id: str
    text: Any
    source: str | None
    meta: dict


def table_format(path: str | os.PathLike) -> str | None:
    """``"parquet"``, ``"csv"`` or None from a path's suffix."""
    name = Path(path).name.lower()
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    return None


def _check_path(path: str | os.PathLike) -> tuple[Path, str]:
    p = Path(path)
    fmt = table_format(p)
    if fmt is None:
        msg = (f"read_table reads Parquet ({', '.join(PARQUET_SUFFIXES)}) and CSV "
               f"({', '.join(CSV_SUFFIXES)}) files; {str(p)!r} has neither suffix.")
        raise InvalidParameterError(msg)
    if not p.is_file():
        msg = f"no such file: {str(p)!r}"
        raise FileNotFoundError(msg)
    return p, fmt


def _stem(p: Path) -> str:
    name = p.name
    for suf in sorted(PARQUET_SUFFIXES + CSV_SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suf):
            return name[: -len(suf)]
    return p.stem


def _csv_encoding(p: Path, encoding: str | None) -> str:
    """The codec of a CSV file: ``encoding`` when given, else UTF-8 (with or without BOM) or
    the codec :func:`govtext.read.decode_bytes` detects on the first MiB."""
    if encoding is not None:
        return encoding
    import gzip

    opener = gzip.open if p.name.lower().endswith(".gz") else open
    with opener(p, "rb") as fh:
        head = fh.read(1 << 20)
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut at the end of the sample
            return "utf-8-sig"
    from govtext.read import decode_bytes

    try:
        return decode_bytes(head, source=str(p))[1]
    except InputError:
        return "utf-8-sig"  # the chunked reader reports where decoding fails


def columns_of(path: str | os.PathLike, *, encoding: str | None = None) -> list[str]:
    """Column names of a Parquet or CSV table, without reading its rows."""
    p, fmt = _check_path(path)
    if fmt == "parquet":
        pq = _pyarrow_parquet()
        return list(pq.ParquetFile(p).schema_arrow.names)
    import pandas as pd

    enc = _csv_encoding(p, encoding)
    sep = "\t" if ".tsv" in p.name.lower() else ","
    try:
        return list(pd.read_csv(p, nrows=0, encoding=enc, sep=sep).columns)
    except UnicodeDecodeError as exc:
        raise EncodingError(f"cannot decode the header as {enc}: {exc.reason}", source=str(p)) from None


def n_rows(path: str | os.PathLike, *, encoding: str | None = None) -> int:
    """Number of rows (Parquet: from the footer; CSV: by parsing the file once)."""
    p, fmt = _check_path(path)
    if fmt == "parquet":
        return int(_pyarrow_parquet().ParquetFile(p).metadata.num_rows)
    return sum(len(chunk) for _, chunk in _raw_chunks(p, fmt, [columns_of(p, encoding=encoding)[0]],
                                                      DEFAULT_CHUNKSIZE * 10, encoding))


def _pyarrow_parquet():
    try:
        import pyarrow.parquet as pq
    except ImportError:
        msg = "reading Parquet tables needs pyarrow: pip install 'govtext[parquet]'"
        raise MissingDependencyError(msg) from None
    return pq


def _raw_chunks(p: Path, fmt: str, columns: list[str], chunksize: int,
                encoding: str | None) -> Iterator[tuple[int, dict[str, list]]]:
    """``(first row index, {column: list of Python values})`` per chunk, in file order."""
    start = 0
    if fmt == "parquet":
        pq = _pyarrow_parquet()
        pf = pq.ParquetFile(p)
        for batch in pf.iter_batches(batch_size=chunksize, columns=columns):
            cols = {name: batch.column(name).to_pylist() for name in columns}
            yield start, cols
            start += batch.num_rows
        return
    import pandas as pd

    enc = _csv_encoding(p, encoding)
    sep = "\t" if ".tsv" in p.name.lower() else ","
    # every cell as a string (no per-chunk type inference, so values never depend on chunking);
    # empty cells are empty strings
    reader = pd.read_csv(p, chunksize=chunksize, usecols=columns, dtype=str, keep_default_na=False,
                         na_filter=False, encoding=enc, sep=sep)
    try:
        for chunk in reader:
            yield start, {name: chunk[name].tolist() for name in columns}
            start += len(chunk)
    except UnicodeDecodeError as exc:
        msg = f"cannot decode as {enc} after row {start} ({exc.reason}); pass encoding=..."
        raise EncodingError(msg, source=str(p)) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise MalformedInputError(f"malformed CSV after row {start}: {exc}", source=str(p)) from None
    finally:
        reader.close()


def _plain(value: Any) -> Any:
    """A metadata cell as a plain Python value; missing (None, NaN, empty string) is None."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def resolve_columns(path: str | os.PathLike, *, text: str, id: str | None, meta: Sequence[str] | None,
                    source: str | None, encoding: str | None = None) -> tuple[list[str], list[str]]:
    """Check the named columns exist; return (columns to read, metadata columns)."""
    p, _ = _check_path(path)
    have = columns_of(p, encoding=encoding)
    for what, name in (("text", text), ("id", id), ("source", source)):
        if name is None and what != "text":
            continue
        if not isinstance(name, str):
            msg = f"The {what!r} parameter of read_table must be a column name (str). Got {name!r} instead."
            raise InvalidParameterError(msg)
        if name not in have:
            msg = (f"The {what!r} parameter of read_table names column {name!r}, which is not in "
                   f"{str(p)!r} (columns: {', '.join(map(repr, have))}).")
            raise InvalidParameterError(msg)
    special = {text, id, source} - {None}
    if meta is None:
        meta_cols = [c for c in have if c not in special]
    else:
        if isinstance(meta, str):
            meta = [meta]
        meta_cols = list(dict.fromkeys(meta))
        missing = [c for c in meta_cols if c not in have]
        if missing:
            msg = (f"The 'meta' parameter of read_table names column(s) {', '.join(map(repr, missing))}, "
                   f"which are not in {str(p)!r} (columns: {', '.join(map(repr, have))}).")
            raise InvalidParameterError(msg)
    cols = list(dict.fromkeys([text] + [c for c in (id, source) if c is not None] + meta_cols))
    return cols, meta_cols


def iter_rows(path: str | os.PathLike, *, text: str = "text", id: str | None = None,
              meta: Sequence[str] | None = None, source: str | None = None,
              encoding: str | None = None, chunksize: int = DEFAULT_CHUNKSIZE) -> Iterator[list[Row]]:
    """Stream a table as lists of :class:`Row` (one list per chunk), ids assigned.

    Ids: the ``id`` cell (as a string), or ``"{file stem}/{row:07d}"`` when there is no id
    column or the cell is empty. A repeated id gets ``~2``, ``~3``, ... in row order (as
    :func:`govtext.read_reports` does for files with the same name).
    """
    if not isinstance(chunksize, int) or isinstance(chunksize, bool) or chunksize < 1:
        msg = f"The 'chunksize' parameter of read_table must be a positive int. Got {chunksize!r} instead."
        raise InvalidParameterError(msg)
    p, fmt = _check_path(path)
    cols, meta_cols = resolve_columns(p, text=text, id=id, meta=meta, source=source, encoding=encoding)
    stem = _stem(p)
    seen: dict[str, int] = {}
    for start, data in _raw_chunks(p, fmt, cols, chunksize, encoding):
        rows = []
        n = len(data[text])
        for k in range(n):
            i = start + k
            rid = _plain(data[id][k]) if id is not None else None
            rid = str(rid).strip() if rid is not None else f"{stem}/{i:07d}"
            if rid in seen:
                seen[rid] += 1
                rid = f"{rid}~{seen[rid]}"
            else:
                seen[rid] = 1
            src = _plain(data[source][k]) if source is not None else None
            rows.append(Row(i, rid, data[text][k], None if src is None else str(src),
                            {c: _plain(data[c][k]) for c in meta_cols}))
        yield rows


def location(path: str | os.PathLike, index: int) -> str:
    """Where a row is: ``"{path}#row{index}"`` (used as the source of its reports and as the
    ``path`` of its rows in ``corpus.skipped``)."""
    return f"{path}#row{index}"


def parse_rows(path: str, rows: Sequence[Row], *, errors: str, encoding: str | None):
    """Parse rows into ``(reports, skip rows)``; no state is shared between calls."""
    from govtext.read import _handle, parse_reports

    reports: list = []
    skip_rows: list[dict] = []
    for row in rows:
        loc = location(path, row.index)
        value = row.text
        try:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                raise EmptyInputError("text cell is empty (null)", source=loc)
            if isinstance(value, (bytearray, memoryview)):
                value = bytes(value)
            if not isinstance(value, (str, bytes)):
                msg = f"text cell holds {type(value).__name__} {value!r:.40}, not text"
                raise MalformedInputError(msg, source=loc)
            if not value.strip():
                raise EmptyInputError("text cell is empty", source=loc)
            corpus = parse_reports(value, source=loc, id=row.id, errors=errors, encoding=encoding,
                                   meta=row.meta)
        except InputError as exc:
            _handle(exc, errors, skip_rows, loc, 0)
            continue
        got = list(corpus)
        if row.source is not None:
            got = [replace(r, source=row.source) for r in got]
        reports.extend(got)
        skip_rows.extend(corpus._skip_records())
    return reports, skip_rows
