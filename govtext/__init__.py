"""govtext: mine Chinese government information-disclosure annual reports (政府信息公开工作年度报告).

Reading (:func:`read_reports`, :func:`parse_reports`, :func:`read_table`), normalisation with
offsets back to the source (:func:`normalize`), the records they produce (:class:`Report`,
:class:`Corpus`), and every later stage (sections, tables, sentences, tokenizer, statements, reuse
detection, the whole pipeline :func:`analyze`, the reuse view) are re-exported here; see
``__all__``. Names are imported on first use (PEP 562), so ``import govtext`` stays fast and
``govtext --help`` does not pay for pandas, scikit-learn or jieba.
"""

from __future__ import annotations

import importlib
import logging
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from govtext.exceptions import (  # noqa: E402
    GovtextError,
    GovtextWarning,
    InputError,
    InvalidParameterError,
    NotFittedError,
)

#: Public name -> module that defines it (imported on first access).
_LAZY: dict[str, str] = {
    "BoilerplateScorer": "govtext.measures",
    "Corpus": "govtext.records",
    "Item": "govtext.sentences",
    "Metadata": "govtext.metadata",
    "Report": "govtext.records",
    "ReuseDetector": "govtext.reuse",
    "Section": "govtext.sections",
    "Sentence": "govtext.sentences",
    "Statement": "govtext.statements",
    "Tokenizer": "govtext.tokenize",
    "analyze": "govtext.pipeline",
    "check_tables": "govtext.tables",
    "datasets": "govtext.datasets",
    "extract_facts": "govtext.tables",
    "extract_metadata": "govtext.metadata",
    "extract_statements": "govtext.statements",
    "find_sections": "govtext.sections",
    "items": "govtext.sentences",
    "items_frame": "govtext.sentences",
    "iter_table": "govtext.read",
    "normalize": "govtext.normalize",
    "normalize_text": "govtext.normalize",
    "parse_reports": "govtext.read",
    "parse_tables": "govtext.tables",
    "read_reports": "govtext.read",
    "read_table": "govtext.read",
    "report_measures": "govtext.measures",
    "section_at": "govtext.sections",
    "sections_frame": "govtext.sections",
    "sentences": "govtext.sentences",
    "sentences_frame": "govtext.sentences",
    "split_sections": "govtext.sections",
    "split_sentences": "govtext.sentences",
    "table_regions": "govtext.tables",
    "table_schema": "govtext.tables",
    "write_outputs": "govtext.pipeline",
    "write_reuse_view": "govtext.view",
    "year_over_year": "govtext.measures",
}

if TYPE_CHECKING:  # static analysers and IDEs see ordinary imports
    from govtext import datasets
    from govtext.measures import BoilerplateScorer, report_measures, year_over_year
    from govtext.metadata import Metadata, extract_metadata
    from govtext.normalize import normalize, normalize_text
    from govtext.pipeline import analyze, write_outputs
    from govtext.read import iter_table, parse_reports, read_reports, read_table
    from govtext.records import Corpus, Report
    from govtext.reuse import ReuseDetector
    from govtext.sections import Section, find_sections, section_at, sections_frame, split_sections
    from govtext.sentences import (
        Item,
        Sentence,
        items,
        items_frame,
        sentences,
        sentences_frame,
        split_sentences,
    )
    from govtext.statements import Statement, extract_statements
    from govtext.tables import (
        check_tables,
        extract_facts,
        parse_tables,
        table_regions,
        table_schema,
    )
    from govtext.tokenize import Tokenizer
    from govtext.view import write_reuse_view


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'govtext' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if name == "datasets" else getattr(mod, name)  # datasets is a module, the rest are names in one
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


#: Public functions named like the module that defines them.
_SHADOWED = frozenset({"normalize", "sentences"})


class _Package(types.ModuleType):
    """The import system binds every imported submodule as an attribute of its package
    (``govtext.normalize = <module govtext.normalize>``); for the public functions named like
    their module, the function wins, as with an eager ``from govtext.normalize import normalize``."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "BoilerplateScorer",
    "Corpus",
    "GovtextError",
    "GovtextWarning",
    "InputError",
    "InvalidParameterError",
    "Item",
    "Metadata",
    "NotFittedError",
    "Report",
    "ReuseDetector",
    "Section",
    "Sentence",
    "Statement",
    "Tokenizer",
    "__version__",
    "analyze",
    "check_tables",
    "datasets",
    "extract_facts",
    "extract_metadata",
    "extract_statements",
    "find_sections",
    "items",
    "items_frame",
    "iter_table",
    "normalize",
    "normalize_text",
    "parse_reports",
    "parse_tables",
    "read_reports",
    "read_table",
    "report_measures",
    "section_at",
    "sections_frame",
    "sentences",
    "sentences_frame",
    "split_sections",
    "split_sentences",
    "table_regions",
    "table_schema",
    "write_outputs",
    "write_reuse_view",
    "year_over_year",
]
