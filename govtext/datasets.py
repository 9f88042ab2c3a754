"""Bundled data: the seed corpus of real reports.

The five seed files (``corpora/seeds`` in the repository) are shipped inside the wheel as
package data, so :func:`load_seeds` works from an installed package as well as from a checkout.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from govtext._synth import make_synthetic_corpus
from govtext.read import read_reports
from govtext.records import Corpus

__all__ = ["load_seeds", "make_synthetic_corpus", "seeds_path"]


def seeds_path() -> Path:
    """Directory holding the seed report files.

    Looks for the package data first (installed wheel), then for ``corpora/seeds`` beside the
    package (a source checkout or an editable install).
    """
    packaged = resources.files("govtext") / "data" / "seeds"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "corpora" / "seeds"
    if checkout.is_dir():
        return checkout
    msg = "the seed corpus is missing from this installation (expected govtext/data/seeds)"
    raise FileNotFoundError(msg)


def load_seeds(*, progress: bool = False) -> Corpus:
    """Load the seed corpus: 12 real reports from five published files.

    ``000`` 兰山区方城镇 2023 (web scrape with pipe debris), ``001`` 平昌关镇 2023 (tab tables),
    ``002`` 龙岩市永定区峰市镇 2020 (2019 format, one table cell per line), ``003`` eight 2013
    town reports in traditional script in one compilation (its content-farm preface is
    recorded in ``corpus.skipped``, not read as a report), ``004`` 广元市利州区 2023.

    Returns
    -------
    Corpus

    Examples
    --------
    >>> corpus = load_seeds()
    >>> len(corpus)
    12
    >>> sorted({r.script for r in corpus})
    ['simplified', 'traditional']
    """
    return read_reports(seeds_path(), errors="raise", progress=progress)
