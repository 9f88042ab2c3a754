"""Exceptions and warnings raised by govtext.

Every error govtext raises on bad input or bad parameters is a :class:`GovtextError`.
Each class also subclasses the builtin exception a caller would already catch
(``ValueError``, ``UnicodeError``, ``ImportError``, ...), as attrs and scikit-learn do, so
``except ValueError`` keeps working. Messages say *what* went wrong and *where* (the file,
the report id, the parameter).
"""

from __future__ import annotations

__all__ = [
    "BinaryInputError",
    "EmptyInputError",
    "EncodingError",
    "GovtextError",
    "GovtextWarning",
    "InputError",
    "InputTooLargeError",
    "InvalidParameterError",
    "MalformedInputError",
    "MissingDependencyError",
    "NotAReportError",
    "NotFittedError",
]


class GovtextError(Exception):
    """Base class of every exception govtext raises on purpose."""


class InputError(GovtextError, ValueError):
    """Outside data that govtext cannot use.

    Parameters
    ----------
    message : str
        What is wrong.
    source : str, optional
        The file (or report id) the data came from; prefixed to the message.
    """

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        self.reason = message
        msg = f"{source}: {message}" if source else message
        super().__init__(msg)


class EmptyInputError(InputError):
    """The input is empty or holds only whitespace and page chrome."""


class BinaryInputError(InputError):
    """The input is binary data (an image, a PDF, an archive, NUL bytes)."""


class EncodingError(InputError, UnicodeError):
    """The bytes cannot be decoded with any supported or requested encoding."""


class InputTooLargeError(InputError):
    """The input exceeds a documented size limit (``max_bytes``)."""


class MalformedInputError(InputError):
    """The input is structurally broken (HTML without a body, a malformed table, ...)."""


class NotAReportError(InputError):
    """The text is readable but is not a government information-disclosure annual report."""


class InvalidParameterError(GovtextError, ValueError, TypeError):
    """A parameter has a wrong type or value.

    Messages follow scikit-learn: "The 'threshold' parameter of ReuseDetector must be a float
    in [0, 1]. Got 1.5 instead."
    """


class NotFittedError(GovtextError, ValueError, AttributeError):
    """An estimator was used before ``fit``."""


class MissingDependencyError(GovtextError, ImportError):
    """An optional dependency is needed; the message names the extra to install."""


class GovtextWarning(UserWarning):
    """Warnings about data quality that do not stop processing."""
