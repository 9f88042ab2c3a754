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
from govtext.normalize import normalize, normalize_text  # noqa: E402
from govtext.read import parse_reports, read_reports  # noqa: E402
from govtext.records import Corpus, Report  # noqa: E402

__all__ = [
    "Corpus",
    "GovtextError",
    "GovtextWarning",
    "InputError",
    "InvalidParameterError",
    "NotFittedError",
    "Report",
    "__version__",
    "datasets",
    "normalize",
    "normalize_text",
    "parse_reports",
    "read_reports",
]
