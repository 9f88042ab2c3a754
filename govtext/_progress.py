"""Opt-in progress bars (tqdm, on stderr). The library never shows one unless asked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

__all__ = ["progress_bar"]


def progress_bar(iterable: Iterable[T], *, desc: str, unit: str = "it", total: int | None = None) -> Iterable[T]:
    """Wrap an iterable in a tqdm bar on stderr; without tqdm, return it unchanged."""
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is in the [progress] extra
        return iterable
    return tqdm(iterable, desc=desc, unit=unit, total=total, leave=False)
