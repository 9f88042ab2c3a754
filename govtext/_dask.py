"""The Dask backend of :func:`govtext.analyze` (needs the ``dask`` extra: ``distributed``).

What runs where
---------------
* **Workers:** the per-report stages (:data:`govtext.pipeline.PER_REPORT_STAGES`: structure,
  tables and checks, statements, and the ``reports`` table with the metadata stated in each
  text), plus reading: the parsing of table rows (decoding, HTML extraction, normalisation)
  when the source is a ``.parquet``/``.csv`` table, or the reading of report files (a
  partition is a list of files; workers need the same paths). Each partition is one task; the
  function it runs (:func:`govtext.pipeline._run_partition`) shares no state between
  partitions. It also runs the reuse stage's per-report step
  (:meth:`govtext.ReuseDetector.prepare`). A lower-priority follow-up task per partition
  tokenises its reports for the measures, on the worker that holds them, and keeps their
  word units packed (:func:`govtext.measures._pack_reports`); they stay on the workers, where
  the measures run as one task (:class:`FollowupEntries`) while the client goes on with the
  reuse stage. The reuse stage's passage alignment runs on the workers in
  batches (:meth:`DaskExecutor.map_batches`).
* **Client:** listing the files, or streaming the table's rows in chunks (cheap: no parsing);
  the sha256 of the inputs for the manifest; concatenating the partitions' tables *in corpus
  order* (never in completion order); and the cross-report steps of the ``reuse`` stage
  (LSH candidates and verification, labels, similarity, families), which
  :class:`govtext.ReuseDetector` fits on the whole corpus from the prepared partitions.

So tables never depend on partitioning, worker count or task order: every per-report table is
the concatenation, in corpus order, of functions of single reports, and the reuse stage sees
the same corpus as the local backend.

Reports travel between processes by pickle (``Report.__reduce__`` ships ``meta`` as a dict and
restores its read-only proxy; cached derived structure such as ``Report.sections`` travels with
the report, so the follow-up task does not recompute it). The client frees a report's cached
sections and sentence layout as its partition arrives (``govtext.pipeline._drop_derived``).
"""

from __future__ import annotations

import logging
import math
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from govtext.exceptions import InvalidParameterError, MissingDependencyError

__all__ = ["DaskExecutor", "dask_executor"]

logger = logging.getLogger(__name__)

#: Upper bound on reports (or table rows) per partition with the Dask backend.
MAX_PARTITION_SIZE = 1000
#: Partitions per worker thread when ``npartitions`` is not given.
PARTITIONS_PER_THREAD = 4


def _partition_task(kind: str, payload: Any, stages: list[str], params: dict) -> dict[str, Any]:
    """The task run on a worker."""
    from govtext.pipeline import _run_partition

    return _run_partition(kind, payload, stages, params)


def _distributed():
    try:
        import distributed
    except ImportError:
        msg = "backend='dask' needs dask and distributed: pip install 'govtext[dask]'"
        raise MissingDependencyError(msg) from None
    return distributed


def _merged_call(fn: Callable, parts: list, *args: Any) -> Any:
    return fn(list(parts), *args)


def _in_order(submitted: Iterator, limit: int, take: Callable[[Any], Any]) -> Iterator[Any]:
    """``take(item)`` of each item of ``submitted`` (futures, or tuples of them), in order,
    drawing the next item only while fewer than ``limit`` are in flight; what is still in flight
    when the consumer stops is cancelled."""
    pending: deque = deque()
    try:
        for item in submitted:
            pending.append(item)
            while len(pending) >= limit:
                yield take(pending.popleft())
        while pending:
            yield take(pending.popleft())
    finally:
        for item in pending:
            for fut in item if isinstance(item, tuple) else (item,):
                fut.cancel()


class FollowupEntries:
    """Results computed on the workers (one per partition), used where they are: ``submit(fn,
    *args)`` returns the future of ``fn(list of the results in partition order, *args)``, run
    on a worker (Dask moves the parts to it). The parts are released with the last future that
    needs them."""

    def __init__(self, client: Any, futures: list) -> None:
        self.client = client
        self._futures = futures

    def submit(self, fn: Callable, *args: Any) -> Any:
        futs, self._futures = self._futures, []  # the task holds them from now on
        key = f"govtext-{fn.__name__}-{uuid.uuid4().hex[:12]}"
        return self.client.submit(_merged_call, fn, futs, *args, key=key, pure=False)


class DaskExecutor:
    """Runs partitions on a Dask cluster and returns their results in submission order.

    At most ``2 * threads + 1`` partitions are in flight (submitted and not yet collected), so
    neither the client nor the workers hold the whole corpus's intermediates at once.
    """

    def __init__(self, client: Any, *, owned: tuple = (), npartitions: int | None = None) -> None:
        self.client = client
        self._owned = owned
        self.npartitions = npartitions
        self._follow: list = []  # futures of the last map's follow tasks
        nthreads = client.nthreads()
        if not nthreads:
            client.wait_for_workers(1)
            nthreads = client.nthreads()
        self.threads = max(1, sum(nthreads.values()))

    def partition_size(self, n: int) -> int:
        """Items per partition for ``n`` reports or rows."""
        if self.npartitions:
            return max(1, math.ceil(n / self.npartitions))
        return max(1, min(MAX_PARTITION_SIZE, math.ceil(n / (PARTITIONS_PER_THREAD * self.threads))))

    def map(self, parts: Iterable[tuple[str, Any]], stages: list[str], params: dict,
            follow: Callable[[dict], Any] | None = None) -> Iterator[dict]:
        """Run the partitions; yield their results in order.

        ``follow``, if given, is run on each partition's result by the worker that holds it,
        after the partitions waiting to run (lower priority); its results stay on the workers
        (:meth:`followup_entries`), so that work overlaps what the client does next."""
        token = uuid.uuid4().hex[:12]  # task keys only; never part of a result
        self._follow = []

        def submitted() -> Iterator[tuple]:
            for k, (kind, payload) in enumerate(parts):
                [data] = self.client.scatter([payload], hash=False)
                fut = self.client.submit(_partition_task, kind, data, stages, params,
                                         key=f"govtext-partition-{token}-{k}", pure=False)
                if follow is not None:
                    self._follow.append(self.client.submit(follow, fut, key=f"govtext-follow-{token}-{k}",
                                                           pure=False, priority=-1))
                yield fut, data

        return _in_order(submitted(), 2 * self.threads + 1, self._collect)

    @classmethod
    def _collect(cls, item: tuple) -> dict:
        fut, data = item
        try:
            return cls._take(fut)
        finally:
            data.release()

    def followup_entries(self) -> FollowupEntries:
        """The results of the last :meth:`map`'s ``follow`` tasks, left on the workers:
        ``submit(fn, *args)`` runs ``fn(results in partition order, *args)`` on a worker."""
        futs, self._follow = self._follow, []
        return FollowupEntries(self.client, futs)

    def share(self, obj: Any) -> Any:
        """Send ``obj`` to every worker once; the returned future stands for it in the
        ``args`` of :meth:`map_batches` (released when the last reference to it goes)."""
        [fut] = self.client.scatter([obj], broadcast=True, hash=False)
        return fut

    def map_batches(self, fn: Callable, batches: Iterable, args: tuple) -> Iterator[Any]:
        """``fn(batch, *args)`` for each batch as tasks of the cluster, results in batch order
        (the runner of the reuse stage's batches, see :func:`govtext._workers.run_batches_on`).

        At most ``8 * threads + 2`` batches are in flight, so the batches are cut while the
        workers run the previous ones and neither side holds all of them at once. The window
        is wide because the results are taken in order: a slow batch at its head stops new
        submissions while the other workers finish theirs, and the alignment batches differ in
        cost (related pairs are aligned whole, the others only around their anchors)."""
        token = uuid.uuid4().hex[:12]
        name = getattr(fn, "__name__", "batch")
        submitted = (self.client.submit(fn, batch, *args, key=f"govtext-{name}-{token}-{k}", pure=False)
                     for k, batch in enumerate(batches))
        return _in_order(submitted, 8 * self.threads + 2, self._take)

    @staticmethod
    def _take(fut: Any) -> Any:
        try:
            return fut.result()
        finally:
            fut.release()

    def close(self) -> None:
        for fut in self._follow:
            fut.cancel()
        self._follow = []
        for obj in self._owned:
            try:
                obj.close()
            except Exception:  # pragma: no cover - best effort at shutdown
                logger.debug("closing %r failed", obj, exc_info=True)


def dask_executor(*, client: Any = None, n_workers: int | None = None,
                  npartitions: int | None = None) -> DaskExecutor:
    """An executor on ``client`` (a ``distributed.Client`` or a scheduler address), or on a
    new ``LocalCluster`` of ``n_workers`` single-threaded processes (closed with the
    executor)."""
    distributed = _distributed()
    if client is None:
        cluster = distributed.LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1,
                                           processes=True, dashboard_address=None,
                                           silence_logs=logging.ERROR)
        try:
            cl = distributed.Client(cluster, set_as_default=False)
        except Exception:
            cluster.close()
            raise
        return DaskExecutor(cl, owned=(cl, cluster), npartitions=npartitions)
    if isinstance(client, (str, os.PathLike)):
        cl = distributed.Client(str(client), set_as_default=False)
        return DaskExecutor(cl, owned=(cl,), npartitions=npartitions)
    if isinstance(client, distributed.Client):
        return DaskExecutor(client, npartitions=npartitions)
    msg = ("The 'client' parameter of analyze must be a distributed.Client, a scheduler address or "
           f"None. Got {type(client).__name__} instead.")
    raise InvalidParameterError(msg)
