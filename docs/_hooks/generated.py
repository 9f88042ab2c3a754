"""mkdocs hooks: generated parts of the reference pages, so they cannot go stale.

* ``<!-- API-TABLE -->`` in ``reference/govtext.md`` becomes a table of ``govtext.__all__``
  with a link to each name's documentation (plain code for a name whose module has no
  reference page);
* ``<!-- CLI-HELP -->`` in ``reference/cli.md`` becomes the ``--help`` text of ``govtext`` and
  of each of its commands, taken from the argument parser itself.
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
from pathlib import Path
from typing import Any

_REFERENCE = Path(__file__).resolve().parent.parent / "reference"


def _documented_modules() -> set[str]:
    out = set()
    for page in _REFERENCE.glob("*.md"):
        out |= set(re.findall(r"^:::\s+(govtext(?:\.\w+)*)\s*$", page.read_text(encoding="utf-8"), re.M))
    return out


def _api_table() -> str:
    import govtext

    documented = _documented_modules()
    rows = ["| name | kind | documented in |", "|---|---|---|"]
    for name in govtext.__all__:
        obj = getattr(govtext, name)
        if inspect.ismodule(obj):
            kind, module, target = "module", obj.__name__, obj.__name__
        elif name == "__version__":
            rows.append(f"| `{name}` | attribute | the version string, `{obj}` |")
            continue
        else:
            kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else "attribute"
            module = getattr(obj, "__module__", "govtext")
            target = f"{module}.{getattr(obj, '__qualname__', name)}"
        if module in documented:
            rows.append(f"| [`{name}`][{target}] | {kind} | [`{module}`][{module}] |")
        else:
            rows.append(f"| `{name}` | {kind} | `{module}` |")
    return "\n".join(rows)


def _cli_help() -> str:
    from govtext.cli import _parser

    parser = _parser()
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        parts = [("govtext", parser.format_help())]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    parts.append((f"govtext {name}", sub.format_help()))
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old
    return "\n\n".join(f"### `{title}`\n\n```text\n{text.rstrip()}\n```" for title, text in parts)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    if "<!-- API-TABLE -->" in markdown:
        markdown = markdown.replace("<!-- API-TABLE -->", _api_table())
    if "<!-- CLI-HELP -->" in markdown:
        markdown = markdown.replace("<!-- CLI-HELP -->", _cli_help())
    return markdown
