"""Diagnostics: problems as data with a location, printed as one line only at the CLI's edge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: Severity
    message: str
    rule: str = ""

    def format(self) -> str:
        rule = f"[{self.rule}] " if self.rule else ""
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {rule}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def error(path: str, line: int, column: int, message: str, rule: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, Severity.ERROR, message, rule)


def warning(path: str, line: int, column: int, message: str, rule: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, Severity.WARNING, message, rule)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


class CablegramError(Exception):
    """An input problem the user can fix; carries every diagnostic found, not just the first."""

    def __init__(self, diagnostics: Diagnostic | list[Diagnostic]) -> None:
        self.diagnostics = [diagnostics] if isinstance(diagnostics, Diagnostic) else list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class UsageError(Exception):
    """A command line that cannot be carried out as given (exit status 2)."""
