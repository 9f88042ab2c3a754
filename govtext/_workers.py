"""Worker processes: where the reuse stage's batches run, and letting go of joblib's idle
loky workers.

The reuse stage cuts its alignment and tokenisation into batches and maps a function over them
(``govtext.reuse._map_batches``): in joblib's ``n_jobs`` processes by default, or on the runner
that :func:`run_batches_on` sets for a block (the Dask backend of :func:`govtext.analyze` sets
its executor, which submits the batches to the cluster and collects them in order).

joblib runs ``n_jobs`` work in loky's *reusable* executor: its worker processes outlive the
call and are reused by the next one, and they keep the memory of the work they did (Python
seldom returns freed memory to the system) until they have been idle for 300 s. After the
per-report stages of :func:`govtext.analyze` the two workers of a 2-core machine hold about
0.7 GiB for 10,000 reports, through the whole reuse stage that follows, whose own peak comes
on top. :func:`release_idle_workers` shuts that executor down once a parallel step is over; the
next step starts fresh workers (a second or two).

loky exposes the executor only as the module global ``reusable_executor._executor``; if a
future joblib moves it, this does nothing (the workers then time out as before).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


def release_idle_workers() -> bool:
    """Shut down joblib's reusable loky executor, if there is one; True if one was shut down.

    Call it only when no parallel work is running (between steps): it waits for the workers
    to exit.
    """
    try:
        from joblib.externals.loky import reusable_executor
    except ImportError:  # pragma: no cover - joblib without loky
        return False
    executor = getattr(reusable_executor, "_executor", None)
    if executor is None:
        return False
    executor.shutdown(wait=True)
    logger.debug("released joblib's idle loky workers")
    return True


# -- where batches of whole-corpus work run ---------------------------------------------------
#: The runner of the reuse stage's batches (alignment, tokenisation) set by
#: :func:`run_batches_on`; None: joblib decides (``n_jobs``, loky processes).
_RUNNER: ContextVar[Any] = ContextVar("govtext_batch_runner", default=None)


@contextmanager
def run_batches_on(runner: Any) -> Iterator[None]:
    """Within the block, send the reuse stage's batches to ``runner`` (an object with a
    ``map_batches(fn, batches, args)`` method that yields the results in batch order, such as
    :class:`govtext._dask.DaskExecutor`) instead of joblib. A runner with a ``share(obj)``
    method, which sends ``obj`` to its workers once and returns what stands for it in
    ``args``, gets the passage alignment as lists of report pairs plus the shared texts."""
    token = _RUNNER.set(runner)
    try:
        yield
    finally:
        _RUNNER.reset(token)


def batch_runner() -> Any:
    """The runner set by :func:`run_batches_on`, or None."""
    return _RUNNER.get()
