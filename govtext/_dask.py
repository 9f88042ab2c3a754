"""The Dask backend of :func:`govtext.analyze` (needs the ``dask`` extra: ``distributed``).

What runs where
---------------
* **Workers:** the per-report stages (:data:`govtext.pipeline.PER_REPORT_STAGES`: structure,
  tables and checks, statements, and the ``reports`` table with the metadata stated in each
  text), plus reading: the parsing of table rows (decoding, HTML extraction, normalisation)
  when the source is a ``.parquet``/``.csv`` table, or the reading of report files (a
  partition is a list of files; workers need the same paths). Each partition is one task; the
  function it runs (:func:`govtext.pipeline._run_partition`) shares no state between
  partitions.
* **Client:** listing the files, or streaming the table's rows in chunks (cheap: no parsing);
  the sha256 of the inputs for the manifest; concatenating the partitions' tables *in corpus
  order* (never in completion order); and the ``reuse`` stage, which fits
  :class:`govtext.ReuseDetector` on the whole corpus. The detector's public API takes a corpus
  and nothing else (no precomputed units, shingles or signatures), so its MinHash, LSH and
  verification cannot be split across workers without a seam in ``ReuseDetector.fit``.

So tables never depend on partitioning, worker count or task order: every per-report table is
the concatenation, in corpus order, of functions of single reports, and the reuse stage sees
the same corpus as the local backend.

Reports travel between processes by pickle (``Report.__reduce__`` ships ``meta`` as a dict and
restores its read-only proxy; cached derived structure such as ``Report.sections`` travels with
the report, so the client does not recompute it).
"""

from __future__ import annotations

import logging
import math
import os
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
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


class DaskExecutor:
    """Runs partitions on a Dask cluster and returns their results in submission order.

    At most ``2 * threads + 1`` partitions are in flight (submitted and not yet collected), so
    neither the client nor the workers hold the whole corpus's intermediates at once.
    """

    def __init__(self, client: Any, *, owned: tuple = (), npartitions: int | None = None) -> None:
        self.client = client
        self._owned = owned
        self.npartitions = npartitions
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

    def map(self, parts: Iterable[tuple[str, Any]], stages: list[str], params: dict) -> Iterator[dict]:
        token = uuid.uuid4().hex[:12]  # task keys only; never part of a result
        limit = 2 * self.threads + 1
        pending: deque = deque()
        try:
            for k, (kind, payload) in enumerate(parts):
                [data] = self.client.scatter([payload], hash=False)
                fut = self.client.submit(_partition_task, kind, data, stages, params,
                                         key=f"govtext-partition-{token}-{k}", pure=False)
                pending.append((fut, data))
                while len(pending) >= limit:
                    yield self._collect(pending.popleft())
            while pending:
                yield self._collect(pending.popleft())
        finally:
            for fut, data in pending:
                fut.cancel()
                data.cancel()

    @staticmethod
    def _collect(item: tuple) -> dict:
        fut, data = item
        try:
            return fut.result()
        finally:
            fut.release()
            data.release()

    def close(self) -> None:
        for obj in self._owned:
            try:
                obj.close()
            except Exception:  # pragma: no cover - best effort at shutdown
                logger.debug("closing %r failed", obj, exc_info=True)


def _joblib_on(executor: DaskExecutor):
    """A ``joblib.parallel_config`` that sends joblib work (the reuse stage's alignment and
    tokenisation batches) to the executor's cluster; results keep their submission order."""
    import joblib

    _distributed()  # importing distributed registers joblib's "dask" backend
    return joblib.parallel_config(backend="dask", n_jobs=-1, client=executor.client)


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
