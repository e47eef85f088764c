"""How the CLI prints a validation run: one line per problem (Diagnostic.format), a summary, or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable

from cablegram.diagnostics import Diagnostic, Severity


def format_summary(diagnostics: Iterable[Diagnostic], n_files: int, seconds: float | None = None) -> str:
    """One line: `5 files: all valid` / `5 files, 2 invalid: 3 errors, 1 warning` (+ time when given)."""
    items = list(diagnostics)
    errors = [d for d in items if d.severity is Severity.ERROR]
    warnings = [d for d in items if d.severity is Severity.WARNING]
    files = f"{n_files} file" + ("" if n_files == 1 else "s")
    timing = f" in {seconds:.2f} s" if seconds is not None else ""
    if not errors and not warnings:
        return f"{files}: all valid{timing}"
    invalid = len({d.path for d in errors})
    parts = []
    if errors:
        parts.append(f"{len(errors)} error" + ("" if len(errors) == 1 else "s"))
    if warnings:
        parts.append(f"{len(warnings)} warning" + ("" if len(warnings) == 1 else "s"))
    state = f"{invalid} invalid" if invalid else "all valid"
    return f"{files}, {state}: {', '.join(parts)}{timing}"


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    """A JSON array of {path, line, column, severity, message, rule}, for editors and CI tools."""
    return json.dumps([d.as_dict() for d in diagnostics], ensure_ascii=False, indent=2)
