"""Shared fixtures: the real seed corpus, loaded once per test session."""

from __future__ import annotations

import pytest

from govtext.datasets import load_seeds, seeds_path


@pytest.fixture(scope="session")
def seeds():
    """The 12 seed reports (a Corpus)."""
    return load_seeds()


@pytest.fixture(scope="session")
def seed_dir():
    return seeds_path()


@pytest.fixture(scope="session")
def seed_raw(seed_dir):
    """Raw text of each seed file, keyed by its three-digit prefix."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(seed_dir.glob("*.txt"))}
