"""Reading reports as they arrive: files, directories, strings; text or HTML; any common
Chinese encoding; compilations of several reports in one file.

:func:`read_reports` and :func:`parse_reports` return a :class:`~govtext.records.Corpus`.
What cannot be read is never dropped silently: with ``errors="raise"`` (the default) the first
problem raises a :class:`~govtext.exceptions.InputError` naming the file and the reason; with
``errors="warn"`` or ``"skip"`` it becomes a row of ``corpus.skipped``.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

from govtext._html import html_to_text, looks_like_html
from govtext.exceptions import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    GovtextWarning,
    InputError,
    InputTooLargeError,
    InvalidParameterError,
    NotAReportError,
)
from govtext.normalize import Normalized, detect_script, normalize
from govtext.records import Corpus, Report

__all__ = ["DEFAULT_MAX_BYTES", "SUFFIXES", "decode_bytes", "parse_reports", "read_reports"]

logger = logging.getLogger(__name__)

#: Files larger than this are refused (``InputTooLargeError``); pass ``max_bytes`` to change it.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: Suffixes read from directories; other files are recorded as skipped (``unsupported_suffix``).
SUFFIXES = (".txt", ".html", ".htm", ".shtml", ".xhtml")
_IGNORED_NAMES = re.compile(r"^(?:MANIFEST\.csv|README(?:\.\w+)?|\..*)$", re.I)

_BINARY_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (docx/xlsx/wps?)"),
    (b"\xd0\xcf\x11\xe0", "an OLE document (doc/xls/wps)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "an executable"),
)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Decoders for what the detector names: GB2312/GBK are subsets of GB18030; cp950 and Big5-HKSCS
# extend Big5.
_CODEC = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "hz": "gb18030",
    "big5": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "cp950",
    "utf_8": "utf-8", "utf_16": "utf-16", "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be",
}
_CANDIDATES = ["gb18030", "big5hkscs", "cp950"]
_MAX_BAD_SHARE = 0.001  # at most 0.1 % undecodable bytes are replaced (and reported)


# --------------------------------------------------------------------------------------------
# decoding


def decode_bytes(data: bytes, *, encoding: str | None = None, source: str | None = None) -> tuple[str, str, list[str]]:
    """Decode the bytes of a report file.

    UTF-8 (with or without BOM), UTF-16/UTF-32 with BOM are recognised directly; otherwise
    charset-normalizer chooses between GB18030 (GB2312/GBK) and Big5, and the choice is
    verified by a strict decode. A few undecodable bytes (at most 0.1 %) are replaced by U+FFFD
    and reported in the returned warnings; more raise :class:`EncodingError`.

    Returns
    -------
    text : str
    encoding : str
        The codec used (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``gb18030``, ``big5hkscs``, ...).
    warnings : list of str

    Examples
    --------
    >>> decode_bytes("政府信息公开".encode("gb18030"))[:2]
    ('政府信息公开', 'gb18030')
    >>> decode_bytes("政府資訊公開年報,主動公開".encode("big5"))[:2]
    ('政府資訊公開年報,主動公開', 'big5hkscs')
    """
    if not data:
        raise EmptyInputError("file is empty (0 bytes)", source=source)
    if encoding is not None:
        try:
            return data.decode(encoding), encoding, []
        except LookupError:
            msg = f"The 'encoding' parameter must name a Python codec. Got {encoding!r} instead."
            raise InvalidParameterError(msg) from None
        except UnicodeDecodeError as exc:
            msg = f"cannot decode as {encoding}: invalid byte {data[exc.start:exc.start + 1]!r} at offset {exc.start}"
            raise EncodingError(msg, source=source) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                msg = f"has a {codec} byte-order mark but is not valid {codec} (offset {exc.start + len(bom)})"
                raise EncodingError(msg, source=source) from None
            return _check_text(text, codec, source), codec, []
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic) and (magic != b"MZ" or b"\x00" in data[:512]):
            raise BinaryInputError(f"is binary data ({what}), not text", source=source)
    nul = data.find(b"\x00")
    if nul >= 0:
        msg = (
            f"contains NUL bytes (first at offset {nul}): binary data, or UTF-16 without a "
            "byte-order mark (pass encoding='utf-16-le')"
        )
        raise BinaryInputError(msg, source=source)
    try:
        return _check_text(data.decode("utf-8"), "utf-8", source), "utf-8", []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    codec = _detect(data)
    order = [codec] + [c for c in _CANDIDATES if c != codec] if codec else list(_CANDIDATES)
    for c in order:
        try:
            return _check_text(data.decode(c), c, source), c, []
        except UnicodeDecodeError:
            continue
    # Nearly-clean data: replace the few bad bytes, say where.
    for c in ["utf-8"] + order:
        text = data.decode(c, errors="replace")
        bad = text.count("\ufffd") - data.decode(c, errors="ignore").count("\ufffd")
        if 0 < bad <= max(1, _MAX_BAD_SHARE * len(data)):
            first = text.index("\ufffd")
            warn = f"{bad} undecodable byte(s) replaced by U+FFFD (first at character {first}); decoded as {c}"
            return _check_text(text, c, source), c, [warn]
    msg = (
        f"cannot decode: not UTF-8 (invalid byte {data[utf8_error.start:utf8_error.start + 1]!r} at "
        f"offset {utf8_error.start}), nor GB18030 or Big5; pass encoding=... if you know it"
    )
    raise EncodingError(msg, source=source)


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(
        data[: 2 * 1024 * 1024],
        cp_isolation=["gb18030", "big5", "cp950", "utf_8", "big5hkscs"],
        explain=False,
    ).best()
    if best is None:
        return None
    return _CODEC.get(best.encoding, best.encoding)


def _check_text(text: str, codec: str, source: str | None) -> str:
    sample = text[:65536]
    if sample:
        ctrl = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
        if ctrl > 0.05 * len(sample):
            msg = f"decoded as {codec} but {ctrl} of the first {len(sample)} characters are control characters: binary data?"
            raise BinaryInputError(msg, source=source)
    return text


# --------------------------------------------------------------------------------------------
# compilations

_PART_RE = re.compile(
    r"^[ \t\u3000|]*第(?P<num>[一二三四五六七八九十]{1,3}|\d{1,3})篇[ \t\u3000:：]*", re.M
)
_CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九", 0)}


def _cn_to_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_NUM[s[1]]
    if s.endswith("十"):
        return _CN_NUM[s[0]] * 10
    if "十" in s:
        a, b = s.split("十")
        return _CN_NUM[a] * 10 + _CN_NUM[b]
    return _CN_NUM.get(s, -1)


def split_compilation(text: str) -> list[tuple[int, int, int, str]]:
    """Find the parts of a compilation (``第一篇`` … ``第八篇`` at line starts).

    Returns ``(start, end, number, marker)`` for each part (``start`` after the marker), or an
    empty list when the text is a single report. Markers count only in an unbroken sequence
    ``1, 2, 3, …`` of at least two.

    >>> [p[2] for p in split_compilation("前言\\n第一篇 报告甲\\n第二篇 报告乙")]
    [1, 2]
    """
    if "篇" not in text:  # (every marker holds it; a quick test before the line-by-line scan)
        return []
    marks = [m for m in _PART_RE.finditer(text)]
    seq = []
    expect = 1
    for m in marks:
        if _cn_to_int(m.group("num")) == expect:
            seq.append(m)
            expect += 1
    if len(seq) < 2:
        return []
    parts = []
    for k, m in enumerate(seq):
        end = seq[k + 1].start() if k + 1 < len(seq) else len(text)
        parts.append((m.end(), end, k + 1, m.group().strip()))
    return parts


# --------------------------------------------------------------------------------------------
# building reports

_REPORT_CUE_RE = re.compile(r"信息公开|政务公开|公开政府信息|依申请公开")
_HAN_RE = re.compile("[\u3400-\u9fff]")


_stored_removed = vars(Normalized)["removed"].stored


def _count_han(text: str, at_most: int) -> int:
    """Number of Han characters in ``text``, counted up to ``at_most``."""
    return sum(1 for _ in itertools.islice(_HAN_RE.finditer(text), at_most))


def _make_report(raw: str, *, rid: str, source: str, index: int, span: tuple[int, int], encoding: str,
                 fmt: str, page_title: str | None, extra_warnings: list[str], meta: dict | None = None) -> Report:
    n = normalize(raw)
    if not n.text.strip():
        what = "only page debris" if n.removed else "only whitespace"
        raise EmptyInputError(f"report {rid!r} holds {what}", source=source)
    if _count_han(n.text, 20) < 20 or not _REPORT_CUE_RE.search(n.text):
        first = n.text.strip().split("\n", 1)[0][:40]
        msg = (
            f"text {rid!r} does not read as a government information-disclosure report "
            f"(no mention of 信息公开/政务公开; starts {first!r})"
        )
        raise NotAReportError(msg, source=source)
    return Report(
        id=rid,
        text=n.text,
        raw=raw,
        source=source,
        index=index,
        span=span,
        encoding=encoding,
        script=detect_script(raw),
        offsets=n.starts,
        offset_ends=n.ends,
        removed=_stored_removed(n),  # (the records are made when first read)
        header=n.header,
        warnings=tuple(extra_warnings) + n.warnings,
        format=fmt,
        page_title=page_title,
        meta=meta or {},
    )


def _reports_from_text(decoded: str, *, base_id: str, source: str, encoding: str, fmt: str,
                       page_title: str | None, warns: list[str], skip_rows: list[dict],
                       errors: str, meta: dict | None = None) -> list[Report]:
    parts = split_compilation(decoded)
    if not parts:
        return [_make_report(decoded, rid=base_id, source=source, index=1, span=(0, len(decoded)),
                             encoding=encoding, fmt=fmt, page_title=page_title, extra_warnings=warns, meta=meta)]
    out = []
    preface = decoded[: parts[0][0] - len(parts[0][3])]
    first_marker = decoded.find(parts[0][3])
    if preface.strip():
        skip_rows.append(_skip_row(source, 0, 0, max(first_marker, 0), "preface",
                                   "text before 第一篇 is a preface, not a report"))
    for start, end, num, _marker in parts:
        rid = f"{base_id}#{num}"
        try:
            out.append(_make_report(decoded[start:end], rid=rid, source=source, index=num, span=(start, end),
                                    encoding=encoding, fmt=fmt, page_title=page_title,
                                    extra_warnings=warns, meta=meta))
        except InputError as exc:
            _handle(exc, errors, skip_rows, source, num, (start, end))
    return out


def _skip_row(path: str, index: int, start: int, end: int, reason: str, error: str) -> dict:
    return {"path": path, "index": index, "start": start, "end": end, "reason": reason, "error": error}


_REASONS = {
    EmptyInputError: "empty",
    BinaryInputError: "binary",
    EncodingError: "undecodable",
    InputTooLargeError: "too_large",
    NotAReportError: "not_a_report",
}


def _reason(exc: InputError) -> str:
    for cls, code in _REASONS.items():
        if isinstance(exc, cls):
            return code
    return "malformed"


def _handle(exc: InputError, errors: str, skip_rows: list[dict], path: str, index: int,
            span: tuple[int, int] = (-1, -1)) -> None:
    if errors == "raise":
        raise exc
    skip_rows.append(_skip_row(path, index, span[0], span[1], _reason(exc), str(exc)))
    if errors == "warn":
        warnings.warn(str(exc), GovtextWarning, stacklevel=4)
    logger.info("skipped %s: %s", path, exc)


def _check_errors(errors: str, caller: str) -> None:
    if errors not in ("raise", "warn", "skip"):
        msg = f"The 'errors' parameter of {caller} must be one of {{'raise', 'warn', 'skip'}}. Got {errors!r} instead."
        raise InvalidParameterError(msg)


def _skipped_frame(rows: list[dict]) -> list[dict]:
    """Skip rows for a :class:`Corpus` (which builds its DataFrame on first access)."""
    return rows


# --------------------------------------------------------------------------------------------
# public API


def parse_reports(text: str | bytes, *, source: str = "<string>", id: str | None = None,
                  errors: str = "raise", encoding: str | None = None, html: bool | None = None,
                  meta: dict | None = None) -> Corpus:
    """Parse one text (or HTML page, or compilation) into reports.

    Parameters
    ----------
    text : str or bytes
        The report text; bytes are decoded as by :func:`read_reports`.
    source : str
        Where the text came from (kept on each report, used in messages).
    id : str, optional
        Base report id (default: ``source``'s stem, or ``"report"`` for ``"<string>"``).
    errors : {"raise", "warn", "skip"}
        What to do with a part that is not readable (see :func:`read_reports`).
    encoding : str, optional
        Codec for bytes input (detected when omitted).
    html : bool, optional
        Treat the text as an HTML page (detected when omitted).
    meta : dict, optional
        Extra metadata attached to every report (``Report.meta``).

    Returns
    -------
    Corpus

    Examples
    --------
    >>> corpus = parse_reports("某镇2023年政府信息公开工作年度报告\\n一、总体情况\\n本镇主动公开政府信息28条。")
    >>> corpus[0].id, corpus[0].text.split("\\n")[0]
    ('report', '某镇2023年政府信息公开工作年度报告')
    """
    _check_errors(errors, "parse_reports")
    base = id or (Path(source).stem if source != "<string>" else "report")
    skip_rows: list[dict] = []
    try:
        warns: list[str] = []
        if isinstance(text, bytes):
            decoded, enc, warns = decode_bytes(text, encoding=encoding, source=source)
            head = text[:4096]
        elif isinstance(text, str):
            decoded, enc = text, "str"
            head = text[:4096].encode("utf-8", "replace")
        else:
            msg = f"parse_reports() expects str or bytes. Got {type(text).__name__} instead."
            raise InvalidParameterError(msg)
        if not decoded.strip():
            raise EmptyInputError("text is empty", source=source)
        is_html = looks_like_html(head) if html is None else html
        title = None
        fmt = "text"
        if is_html:
            decoded, title = html_to_text(decoded, source=source)
            fmt = "html"
        reports = _reports_from_text(decoded, base_id=base, source=source, encoding=enc, fmt=fmt,
                                     page_title=title, warns=warns, skip_rows=skip_rows, errors=errors, meta=meta)
    except InputError as exc:
        _handle(exc, errors, skip_rows, source, 0)
        reports = []
    return Corpus(reports, _skipped_frame(skip_rows))


def _iter_inputs(source) -> tuple[list[tuple[Path, str]], list[dict]]:
    """(path, base id) pairs in a deterministic order, plus skip rows for unsupported files."""
    skip_rows: list[dict] = []
    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if p.is_dir():
            items = []
            for f in sorted(p.rglob("*"), key=lambda q: q.relative_to(p).as_posix()):
                if not f.is_file():
                    continue
                rel = f.relative_to(p)
                if any(part.startswith(".") for part in rel.parts) or _IGNORED_NAMES.match(f.name):
                    continue
                if f.suffix.lower() not in SUFFIXES:
                    skip_rows.append(_skip_row(str(f), 0, -1, -1, "unsupported_suffix",
                                               f"{f}: suffix {f.suffix or '(none)'!r} is not one of {', '.join(SUFFIXES)}"))
                    continue
                items.append((f, rel.with_suffix("").as_posix()))
            return items, skip_rows
        if p.exists():
            return [(p, p.stem)], skip_rows
        msg = f"no such file or directory: {str(p)!r}"
        raise FileNotFoundError(msg)
    if isinstance(source, bytes):
        msg = "read_reports() expects a path, a directory or an iterable of paths; use parse_reports() for bytes."
        raise InvalidParameterError(msg)
    items = []
    for q in source:
        q = Path(q)
        if not q.exists():
            msg = f"no such file: {str(q)!r}"
            raise FileNotFoundError(msg)
        items.append((q, q.stem))
    return items, skip_rows


def read_reports(source: str | os.PathLike | Iterable[str | os.PathLike], *, errors: str = "raise",
                 encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 progress: bool = False) -> Corpus:
    """Read reports from a file, a directory (recursively) or an iterable of paths.

    Parameters
    ----------
    source : path, directory or iterable of paths
        Directories are walked recursively for ``.txt``, ``.html``, ``.htm``, ``.shtml`` and
        ``.xhtml`` files (sorted by relative path); other files are recorded as skipped.
        ``MANIFEST.csv``, ``README*`` and hidden files are not inputs.
    errors : {"raise", "warn", "skip"}
        ``"raise"``: the first unreadable input raises an :class:`~govtext.exceptions.InputError`
        naming the file and the reason. ``"warn"``/``"skip"``: it is recorded in
        ``corpus.skipped`` (with a :class:`~govtext.exceptions.GovtextWarning` for ``"warn"``).
    encoding : str, optional
        Force a codec (otherwise detected per file and recorded on each report).
    max_bytes : int
        Larger files raise :class:`~govtext.exceptions.InputTooLargeError`.
    progress : bool
        Show a progress bar (needs tqdm).

    Returns
    -------
    Corpus
        Reports in input order (compilations expanded in place) and ``skipped``.

    Examples
    --------
    >>> from govtext.datasets import seeds_path
    >>> corpus = read_reports(seeds_path())
    >>> [r.id for r in corpus][:3]
    ['000_6ac03842c3dfdc7c', '001_e3992751381c814a', '002_201993b9de74ca40']
    >>> corpus["003_aad2c66ccec4c55e#8"].script, corpus["003_aad2c66ccec4c55e#8"].encoding
    ('traditional', 'utf-8')
    """
    _check_errors(errors, "read_reports")
    if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes <= 0:
        msg = f"The 'max_bytes' parameter of read_reports must be a positive int. Got {max_bytes!r} instead."
        raise InvalidParameterError(msg)
    items, skip_rows = _iter_inputs(source)
    reports: list[Report] = []
    iterator = items
    if progress:
        from govtext._progress import progress_bar

        iterator = progress_bar(items, desc="reading", unit="file")
    seen: dict[str, int] = {}
    for path, base in iterator:
        spath = str(path)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise InputTooLargeError(f"file is {size:,} bytes, over max_bytes={max_bytes:,}", source=spath)
            data = path.read_bytes()
            if not data:
                raise EmptyInputError("file is empty (0 bytes)", source=spath)
            decoded, enc, warns = decode_bytes(data, encoding=encoding, source=spath)
            if not decoded.strip():
                raise EmptyInputError("file holds only whitespace", source=spath)
            is_html = path.suffix.lower() in (".html", ".htm", ".shtml", ".xhtml") or looks_like_html(data[:4096])
            title, fmt = None, "text"
            if is_html:
                decoded, title = html_to_text(decoded, source=spath)
                fmt = "html"
            if base in seen:  # same stem from two iterable entries: disambiguate deterministically
                seen[base] += 1
                base = f"{base}~{seen[base]}"
            else:
                seen[base] = 1
            reports.extend(_reports_from_text(decoded, base_id=base, source=spath, encoding=enc, fmt=fmt,
                                              page_title=title, warns=warns, skip_rows=skip_rows, errors=errors))
        except InputError as exc:
            _handle(exc, errors, skip_rows, spath, 0)
        except OSError as exc:
            err = InputError(f"cannot read file: {exc.strerror or exc}", source=spath)
            _handle(err, errors, skip_rows, spath, 0)
    return Corpus(reports, _skipped_frame(skip_rows))


# --------------------------------------------------------------------------------------------
# tables (Parquet / CSV): one row per scraped page; internals in govtext/_tableio.py

__all__ += ["iter_table", "read_table"]


def iter_table(path: str | os.PathLike, *, text: str = "text", id: str | None = None,
               meta: Iterable[str] | None = None, source: str | None = None, errors: str = "skip",
               encoding: str | None = None, chunksize: int = 1000, progress: bool = False):
    """Stream a corpus table as one :class:`~govtext.records.Corpus` per chunk of rows.

    The iterator form of :func:`read_table` (same parameters, same reports, same skip rows, in
    the same order): only one chunk of rows is parsed and held at a time, so a corpus larger
    than memory can be processed chunk by chunk.

    Parameters
    ----------
    path, text, id, meta, source, errors, encoding, progress
        As in :func:`read_table`.
    chunksize : int
        Rows per chunk (Parquet batches, CSV chunks).

    Yields
    ------
    Corpus
        The reports of one chunk of rows and the rows it skipped.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from govtext.datasets import load_seeds
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pages.csv"
    >>> pd.DataFrame({"text": [r.raw for r in load_seeds()[:3]]}).to_csv(path, index=False)
    >>> [len(c) for c in iter_table(path, chunksize=2)]
    [2, 1]
    """
    from govtext import _tableio

    _check_errors(errors, "read_table")
    chunks = _tableio.iter_rows(path, text=text, id=id, meta=meta, source=source, encoding=encoding,
                                chunksize=chunksize)
    if progress:
        from govtext._progress import progress_bar

        chunks = progress_bar(chunks, desc="reading", unit="chunk")
    for rows in chunks:
        reports, skip_rows = _tableio.parse_rows(str(path), rows, errors=errors, encoding=encoding)
        yield Corpus(reports, _skipped_frame(skip_rows))


def read_table(path: str | os.PathLike, *, text: str = "text", id: str | None = None,
               meta: Iterable[str] | None = None, source: str | None = None, errors: str = "skip",
               encoding: str | None = None, progress: bool = False) -> Corpus:
    """Read a corpus stored as a table: Parquet or CSV, one row per scraped page.

    Each row's text cell (plain text, HTML, or bytes in any encoding :func:`read_reports`
    reads) is parsed as by :func:`parse_reports`, so a row holding a compilation gives several
    reports. The file is streamed (Parquet batches, CSV chunks; see :func:`iter_table`).

    Parameters
    ----------
    path : path
        A ``.parquet``/``.pq`` file (needs pyarrow) or a ``.csv``/``.tsv`` file (optionally
        compressed: ``.csv.gz``, ...).
    text : str
        The column holding the page text.
    id : str, optional
        A column of report ids. Default, or for an empty cell: ``"{file stem}/{row:07d}"``
        (0-based row index). A repeated id gets ``~2``, ``~3``, ... in row order, as
        :func:`read_reports` does for files with the same name; a row holding a compilation
        gives ``"{id}#1"``, ``"{id}#2"``, ...
    meta : list of str, optional
        Columns carried into each report's ``Report.meta`` (default: every column other than
        ``text``, ``id`` and ``source``; ``[]`` for none). Empty cells (null, NaN, blank)
        become None. CSV cells are strings; Parquet cells keep their type.
    source : str, optional
        A column (e.g. the page URL) that becomes ``Report.source``; default
        ``"{path}#row{index}"``.
    errors : {"skip", "warn", "raise"}
        Rows that give no report (empty or null cell, a cell that is not text, undecodable
        bytes, a text that is not a report) are recorded in ``corpus.skipped`` with
        ``path = "{path}#row{index}"`` (``"warn"`` also warns); ``"raise"`` raises on the first.
    encoding : str, optional
        The CSV file's codec (default: UTF-8, else detected) and the codec of bytes cells
        (default: detected per cell).
    progress : bool
        Progress bar over chunks of rows (needs tqdm).

    Returns
    -------
    Corpus
        Reports in row order and ``skipped``.

    Raises
    ------
    InvalidParameterError
        A named column is missing (the message names the column and the file), or the file
        is neither Parquet nor CSV.

    Notes
    -----
    **Metadata precedence.** Table columns go to ``Report.meta``; what the text states goes
    to ``Report.metadata`` (:func:`govtext.extract_metadata`). Where govtext needs a field
    (``agency``, ``year``, ``level``, ``era`` for the cohorts of :class:`govtext.ReuseDetector`)
    ``Report.meta`` comes first and ``Report.metadata`` fills what the table leaves empty. The
    ``reports`` table of :func:`govtext.analyze` shows the extracted metadata.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from govtext.datasets import load_seeds
    >>> seeds = load_seeds()
    >>> df = pd.DataFrame({"url": ["http://a/1", "http://a/2", "http://a/3"],
    ...                    "body": [seeds[0].raw, "", seeds[1].raw], "province": ["山东", "河南", "河南"]})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pages.parquet"
    >>> df.to_parquet(path)
    >>> corpus = read_table(path, text="body", source="url")
    >>> [(r.id, r.source, dict(r.meta)) for r in corpus]
    [('pages/0000000', 'http://a/1', {'province': '山东'}), ('pages/0000002', 'http://a/3', {'province': '河南'})]
    >>> corpus.skipped[["index", "reason"]].to_dict("records"), corpus.skipped["path"][0].endswith("#row1")
    ([{'index': 0, 'reason': 'empty'}], True)
    """
    reports: list[Report] = []
    skip_rows: list[dict] = []
    for chunk in iter_table(path, text=text, id=id, meta=meta, source=source, errors=errors,
                            encoding=encoding, progress=progress):
        reports.extend(chunk)
        skip_rows.extend(chunk._skip_records())
    return Corpus(reports, _skipped_frame(skip_rows))
