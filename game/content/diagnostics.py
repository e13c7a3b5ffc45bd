"""Problems found in content files, reported the way compilers do.

Every problem carries its file, line and column (1-based), so a modder can jump
straight to it: ``scenarios/x.yaml:12:5: error: unknown party 'sudmrak' (did you
mean 'sudmark'?)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import attrs

from game.engine.expr import did_you_mean

__all__ = ["ContentError", "Diagnostic", "Severity", "did_you_mean"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # advice that is no problem: `envoy validate` prints it, counts it nowhere


@attrs.frozen
class Diagnostic:
    file: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.col}: {self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class ContentError(ValueError):
    """Raised when content cannot be used; carries every problem found at once."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))
