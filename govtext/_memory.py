"""Giving freed heap memory back to the system between the steps of a long run.

glibc's ``malloc`` keeps the memory that Python frees (small objects, strings, the buffers of
pickled partitions) in its heaps for reuse; it returns only the free memory at the very top of
a heap. Large numpy and pandas buffers, however, are ``mmap``-ed on their own and never reuse
those heaps. A step that frees millions of small objects and then builds large arrays (the
reuse stage does this at every step) therefore holds both: the freed heap pages count in the
process's resident memory, and its peak, although nothing uses them.

:func:`release_freed_memory` calls glibc's ``malloc_trim(0)``, which hands every whole free
page of the heaps back to the system (``madvise(MADV_DONTNEED)``), between steps. It changes
no result. Measured on 10,000 synthetic reports (``analyze``, ``n_jobs=2``, same machine,
consecutive runs, trimming at these step boundaries): peak memory of the process tree 2.23 ->
1.99 GiB, wall time unchanged (209.8 and 205.8 s). On other C libraries (macOS, Windows, musl)
it does nothing. Dask's nannies start their workers with ``MALLOC_TRIM_THRESHOLD_`` lowered for
the same reason.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from typing import Any

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_UNSET: Any = object()
_trim: Any = _UNSET


def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None where there is none."""
    global _trim
    if _trim is _UNSET:
        _trim = None
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                fn = libc.malloc_trim  # AttributeError on C libraries without it (musl)
                fn.argtypes = [ctypes.c_size_t]
                fn.restype = ctypes.c_int
                _trim = fn
            except (OSError, AttributeError):
                logger.debug("malloc_trim is not available; freed memory stays with the process")
    return _trim


def release_freed_memory() -> bool:
    """Return the heaps' free pages to the system (glibc ``malloc_trim(0)``).

    Returns
    -------
    bool
        True if ``malloc_trim`` was called (glibc), False where it does not exist.
    """
    fn = _malloc_trim()
    if fn is None:
        return False
    fn(0)
    return True


class DiskStash:
    """One object put aside on disk while other steps run, then read back once.

    The reuse stage's passage inputs (the units' texts, clause fragments and aligned texts,
    1.8 GB at 100,000 reports) are needed before the pairs step and again only after the labels
    step, whose peaks they would otherwise add to; :func:`govtext.analyze` puts the partitions'
    reports and packed measures units aside the same way (:func:`put_aside`) while the reuse
    stage runs. The object is pickled to a temporary file
    under :func:`tempfile.gettempdir` (``TMPDIR``), removed when it is read back or when the
    stash is garbage collected.
    """

    def __init__(self) -> None:
        self._path: str | None = None
        self._cleanup: Any = None

    def put(self, obj: Any) -> bool:
        """Pickle ``obj`` to disk. False (the caller keeps it in memory) when it cannot be
        written, e.g. a full disk; the reason is logged."""
        import os
        import pickle
        import tempfile
        import weakref

        fd, path = tempfile.mkstemp(prefix="govtext-stash-", suffix=".pkl")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(obj, fh, protocol=5)
        except OSError as exc:
            logger.warning("could not put data aside on disk (%s); it stays in memory", exc)
            _remove(path)
            return False
        self._path = path
        self._cleanup = weakref.finalize(self, _remove, path)
        return True

    def take(self) -> Any:
        """The object put aside (the file is removed)."""
        import pickle

        from govtext.exceptions import InputError

        if self._path is None:
            raise InputError("nothing was put aside on disk (DiskStash.put was not called or failed)")
        path, self._path = self._path, None
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except OSError as exc:
            msg = f"data put aside in {path} cannot be read back ({exc}); was the temporary directory cleaned?"
            raise InputError(msg) from None
        finally:
            self._cleanup()


def put_aside(obj: Any) -> Any:
    """``obj`` waiting on disk: a :class:`DiskStash` holding it, or ``obj`` itself when it
    cannot be written (kept in memory; :meth:`DiskStash.put` logs why). :func:`take_back`
    returns it either way. A :class:`DiskStash` is already aside: it is returned as it is."""
    if isinstance(obj, DiskStash):
        return obj
    stash = DiskStash()
    return stash if stash.put(obj) else obj


def take_back(held: Any) -> Any:
    """The object :func:`put_aside` was given (read back from disk, once, if it went there)."""
    return held.take() if isinstance(held, DiskStash) else held


def _remove(path: str) -> None:
    import os

    try:
        os.remove(path)
    except OSError:
        pass


class ReportRef:
    """A report put aside on disk while the reuse stage runs: what that stage still reads of it.

    :func:`govtext.analyze` prepares each report for the reuse stage in its partition (units,
    shingles, narratives) and tokenises it for the measures there; after that,
    :meth:`govtext.ReuseDetector.fit` reads only a report's ``id`` and its metadata fields
    (``meta`` first, then ``metadata``). The report itself (texts, offsets, removed debris:
    about 20 kB each, 2 GB at 100,000 reports) waits on disk and is read back once the reuse
    stage is over. Reading anything else of a reference is a bug in govtext, and says so.
    """

    __slots__ = ("id", "meta", "metadata")

    def __init__(self, report: Any) -> None:
        self.id = report.id
        self.meta = report.meta
        self.metadata = report.metadata

    def __getattr__(self, name: str) -> Any:
        # only attributes outside __slots__ get here (text, sections, ...); protocols probe
        # dunder names (pickle, numpy), which must stay plain missing attributes
        if name.startswith("__") or name in ReportRef.__slots__:
            raise AttributeError(name)
        msg = (f"report {self.id!r} is on disk while the reuse stage runs; its {name!r} was read "
               "(govtext._memory.ReportRef holds only id, meta and metadata)")
        raise RuntimeError(msg)

    def __repr__(self) -> str:
        return f"ReportRef({self.id!r})"
