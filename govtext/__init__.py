"""govtext: mine Chinese government information-disclosure annual reports (政府信息公开工作年度报告).

Reading (:func:`read_reports`, :func:`parse_reports`), normalisation with offsets back to the
source (:func:`normalize`), and the records they produce (:class:`Report`, :class:`Corpus`).
Later stages (sections, tables, sentences, tokenizer, statements, reuse detection) are exposed
here as they land; see ``__all__``.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from govtext import datasets  # noqa: E402
from govtext.exceptions import (  # noqa: E402
    GovtextError,
    GovtextWarning,
    InputError,
    InvalidParameterError,
    NotFittedError,
)
from govtext.measures import BoilerplateScorer, report_measures, year_over_year  # noqa: E402
from govtext.metadata import Metadata, extract_metadata  # noqa: E402
from govtext.normalize import normalize, normalize_text  # noqa: E402
from govtext.read import iter_table, parse_reports, read_reports, read_table  # noqa: E402
from govtext.records import Corpus, Report  # noqa: E402
from govtext.reuse import ReuseDetector  # noqa: E402
from govtext.sections import (  # noqa: E402
    Section,
    find_sections,
    section_at,
    sections_frame,
    split_sections,
)
from govtext.sentences import (  # noqa: E402
    Item,
    Sentence,
    items,
    items_frame,
    sentences,
    sentences_frame,
    split_sentences,
)
from govtext.statements import Statement, extract_statements  # noqa: E402
from govtext.tables import (  # noqa: E402
    check_tables,
    extract_facts,
    parse_tables,
    table_regions,
    table_schema,
)
from govtext.tokenize import Tokenizer  # noqa: E402
from govtext.view import write_reuse_view  # noqa: E402

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
    "write_reuse_view",
    "year_over_year",
]
