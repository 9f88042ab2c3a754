"""The documentation builds with ``mkdocs build --strict`` and its examples run.

* The site (mkdocs.yml, docs/) builds in strict mode: a broken link, a missing page in the nav,
  an API reference object that cannot be found or a docstring that cannot be rendered fails.
* Every ``pycon`` block (``>>>`` lines and their output) in docs/ runs as a doctest, page by
  page in one namespace, as in a session a reader would type.
"""

from __future__ import annotations

import doctest
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_hooks" not in p.parts)
_PYCON = re.compile(r"^(?P<indent>[ \t]*)```pycon[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)


def _pycon_blocks(text: str) -> list[str]:
    out = []
    for m in _PYCON.finditer(text):
        indent = m.group("indent")
        lines = [ln[len(indent):] if ln.startswith(indent) else ln for ln in m.group("body").splitlines()]
        out.append("\n".join(lines))
    return out


PAGES_WITH_EXAMPLES = [p for p in PAGES if _pycon_blocks(p.read_text(encoding="utf-8"))]


def test_pycon_blocks_are_found():
    text = "x\n```pycon\n>>> 1 + 1\n2\n```\n    ```pycon\n    >>> 'a'\n    'a'\n    ```\n"
    assert _pycon_blocks(text) == [">>> 1 + 1\n2", ">>> 'a'\n'a'"]
    assert {p.name for p in PAGES_WITH_EXAMPLES} >= {"tutorial.md", "validate-tables.md"}


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_examples_run(page, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    source = "\n\n".join(_pycon_blocks(page.read_text(encoding="utf-8")))
    parser = doctest.DocTestParser()
    test = parser.get_doctest(source, {"__name__": "__docs__"}, page.name, str(page), 0)
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    runner = doctest.DocTestRunner(optionflags=flags)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)
    assert runner.tries > 0


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None,
                    reason="mkdocs is not installed (pip install -e '.[dev]')")
def test_mkdocs_build_strict(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
         "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    site = tmp_path / "site"
    # the reference pages are rendered from the docstrings, the generated parts are filled in
    plot_page = (site / "reference" / "plot" / "index.html").read_text(encoding="utf-8")
    assert "plot_similarity" in plot_page and "MissingDependencyError" in plot_page
    api_page = (site / "reference" / "govtext" / "index.html").read_text(encoding="utf-8")
    assert "API-TABLE" not in api_page and 'href="../read/#govtext.read.read_reports"' in api_page
    cli_page = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "CLI-HELP" not in cli_page and "--max-statements" in cli_page
    # Sphinx roles are translated, not printed
    for page in (site / "reference").rglob("index.html"):
        assert ":func:`" not in page.read_text(encoding="utf-8"), page


def test_every_public_module_has_a_reference_page():
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (DOCS / "reference").glob("*.md"))
    documented = set(re.findall(r"^:::\s+(govtext\.\w+)\s*$", pages, re.M))
    modules = {f"govtext.{p.stem}" for p in (ROOT / "govtext").glob("*.py")
               if not p.stem.startswith("_") and p.stem not in ("cli",)}
    missing = sorted(modules - documented)
    assert missing == [], f"add docs/reference/<module>.md with '::: <module>' (and a nav entry) for {missing}"


def test_griffe_extension_translates_rst():
    spec = importlib.util.spec_from_file_location("griffe_rst", DOCS / "_hooks" / "griffe_rst.py")
    pytest.importorskip("griffe")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = ("See :func:`read_reports` and :class:`~govtext.records.Report`.\n\n"
            ">>> f(1)\n['a', 'b']\n\nExamples\n--------\n>>> g()\n1\n")
    out = mod.translate(text)
    assert "See `read_reports` and `govtext.records.Report`." in out
    assert "```pycon\n>>> f(1)\n['a', 'b']\n```" in out
    assert out.endswith("Examples\n--------\n>>> g()\n1\n")  # numpydoc Examples are left to griffe
