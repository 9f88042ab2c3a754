"""Griffe extension: render the reST bits of govtext's numpydoc docstrings as Markdown.

govtext's docstrings are numpydoc (reST). mkdocstrings renders docstring text as Markdown, so
two reST constructs need translating before rendering:

* Sphinx roles (``:func:`read_reports```, ``:class:`~govtext.records.Report```) become inline
  code (`read_reports`, `Report`);
* doctest blocks outside an ``Examples`` section (a paragraph starting with ``>>>``, which
  reST renders as code) are fenced as ``pycon`` code; without this Markdown reads their output
  (``['county', 'township']``) as link references.

Loaded by the ``extensions`` option of the mkdocstrings Python handler in ``mkdocs.yml``. The
source files are not changed; doctests still run from them with ``pytest --doctest-modules``.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|mod|data|exc|obj|const|ref|term):`~?([^`]+)`")
_EXAMPLES = re.compile(r"^\s*Examples?\s*\n\s*-{3,}\s*$", re.M)
_FENCE = re.compile(r"^\s*(```|~~~)")


def _short(target: str) -> str:
    target = target.split("<")[-1].rstrip(">").strip() if "<" in target else target
    return target


def _fence_doctests(text: str) -> str:
    out: list[str] = []
    lines = text.split("\n")
    i, in_fence = 0, False
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
                i += 1
            out += [f"{indent}```pycon", *(indent + b for b in block), f"{indent}```"]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def translate(text: str) -> str:
    """Translate one docstring (see the module docstring)."""
    text = _ROLE.sub(lambda m: f"`{_short(m.group(1))}`", text)
    m = _EXAMPLES.search(text)
    head, tail = (text[: m.start()], text[m.start():]) if m else (text, "")
    return _fence_doctests(head) + tail


class RstDocstrings(Extension):
    """Translate Sphinx roles and free doctest blocks in every docstring."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        doc = getattr(obj, "docstring", None)
        if doc is not None and doc.value:
            doc.value = translate(doc.value)
