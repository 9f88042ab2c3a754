"""The package surface: every public name resolves, and ``import govtext`` is cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

import govtext


@pytest.mark.parametrize("name", sorted(govtext.__all__))
def test_every_public_name_resolves(name):
    value = getattr(govtext, name)
    assert value is not None
    if name not in {"__version__", "datasets"}:
        # re-exported from the module that defines it, not a copy
        assert getattr(value, "__module__", "").startswith("govtext.")


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'ReuseDetecter'"):
        govtext.ReuseDetecter  # noqa: B018


def test_dir_lists_the_public_api():
    assert set(govtext.__all__) <= set(dir(govtext))


def test_import_does_not_load_the_heavy_dependencies():
    """Names load on first use: ``import govtext`` (and so ``govtext --help``) does not import
    pandas, scikit-learn, jieba or OpenCC; using a name does."""
    code = ("import sys, govtext; heavy = {'pandas', 'sklearn', 'jieba', 'opencc', 'matplotlib'};"
            "print(sorted(heavy & set(sys.modules)));"
            "govtext.ReuseDetector; print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "[]"
    assert "sklearn" in out[1] and "pandas" in out[1]


@pytest.mark.parametrize("name", ["normalize", "sentences"])
def test_functions_named_like_their_module_win_over_the_submodule(name):
    import importlib

    importlib.import_module(f"govtext.{name}")  # the import system binds the submodule on the package...
    assert callable(getattr(govtext, name))  # ...but govtext.normalize stays the function
    assert getattr(govtext, name).__module__ == f"govtext.{name}"
