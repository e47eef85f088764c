"""Validation of the edition's TEI files (issue 3): grammar, Schematron and cross-file checks in one run.

Three forms that collect before they fail (STYLE.md §2): `iter_diagnostics()` yields every problem,
`validate()` raises one CablegramError carrying all of them, `is_valid()` answers yes or no.
Schemas are compiled once per process (module-level caches in grammar.py and schematron.py).

Rule ids (each diagnostic's `rule`):
  file:       xml-encoding, xml-syntax, no-dtd, io
  grammar:    rng-unknown-element, rng-element-not-allowed, rng-element-order, rng-text-not-allowed,
              rng-unknown-attribute, value-closed-list, rng-datatype, rng-id, rng-namespace, rng-content,
              rng-invalid; tei-all (with --tei-all)
  schematron: the ODD's constraintSpec idents (see schema/cablegram.sch)
  crossrefs:  filename-id, id-duplicate, id-duplicate-corpus, ref-dangling, pointer-dangling, date-iso,
              date-span, lang-bcp47
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from cablegram import xmlio
from cablegram.diagnostics import CablegramError, Diagnostic, Severity, error
from cablegram.validate import crossrefs, grammar, schematron
from cablegram.validate.crossrefs import Document
from cablegram.validate.grammar import Positions

__all__ = ["is_valid", "iter_diagnostics", "render_manual", "validate"]

_DOCTYPE = re.compile(r"<!DOCTYPE\b")
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load(path: Path, display: str) -> tuple[Document | None, list[Diagnostic]]:
    """Read, check the encoding and parse one file; problems as diagnostics, never an exception."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(display, 1, 1, f"cannot read file: {exc.strerror}", "io")]
    declared = _DECLARED_ENCODING.match(data)
    if declared and declared.group(1).decode().lower().replace("_", "-") not in ("utf-8", "utf8"):
        name = declared.group(1).decode()
        return None, [
            error(
                display, 1, 1, f'declared encoding "{name}": the edition\'s files are UTF-8', "xml-encoding"
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            error(
                display,
                line,
                column,
                f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                "xml-encoding",
            )
        ]
    doctype = _DOCTYPE.search(text)
    if doctype:  # refused by xmlio too; found here to point at its line
        line = text.count("\n", 0, doctype.start()) + 1
        column = doctype.start() - (text.rfind("\n", 0, doctype.start()) + 1) + 1
        return None, [
            error(
                display,
                line,
                column,
                "document type declarations are not accepted; remove the <!DOCTYPE …>",
                "no-dtd",
            )
        ]
    try:
        tree = xmlio.parse_bytes(data, display)
    except CablegramError as exc:
        return None, exc.diagnostics
    document = Document(
        path=path, display=display, tree=tree, positions=Positions(text.lstrip("\ufeff"), tree)
    )
    return document, list(crossrefs.index_ids(document))


def iter_diagnostics(paths: Sequence[Path], *, tei_dir: Path, tei_all: bool = False) -> Iterator[Diagnostic]:
    """Every problem of the given files (default: all of `tei_dir`), file by file, in line order.

    Cross-file rules see the whole of `tei_dir` (registers and the other documents) even when only some files
    are asked for, so that `cablegram validate tei/wc-115976.xml` still finds a duplicate id or a dangling
    ref.
    """
    requested = list(paths) if paths else sorted(tei_dir.glob("*.xml"))
    corpus: dict[str, Document] = {}
    for other in sorted(tei_dir.glob("*.xml")) if tei_dir.is_dir() else []:
        if other.resolve() in {p.resolve() for p in requested}:
            continue
        document, _ = _load(other, _display(other))
        if document is not None:
            corpus[other.name] = document
    documents: list[Document] = []
    per_file: dict[str, list[Diagnostic]] = {}
    for path in requested:
        display = _display(path)
        document, problems = _load(path, display)
        per_file[display] = problems
        if document is None:
            continue
        corpus[path.name] = document
        documents.append(document)
        problems.extend(grammar.check(document.tree, display, document.positions))
        if tei_all:
            problems.extend(
                grammar.check(
                    document.tree,
                    display,
                    document.positions,
                    schema=grammar.tei_all_rng(),
                    rule_prefix="tei-all",
                )
            )
        problems.extend(schematron.check(document.tree, display, document.positions))
        problems.extend(crossrefs.check_document(document))
    for diagnostic in crossrefs.check_corpus(documents, corpus):
        per_file.setdefault(diagnostic.path, []).append(diagnostic)
    for path in requested:
        seen: set[tuple[int, str]] = set()
        for diagnostic in sorted(per_file.get(_display(path), []), key=lambda d: (d.line, d.column, d.rule)):
            key = (diagnostic.line, diagnostic.rule)
            if key in seen:  # the grammar and the Python check can both see one bad date or id
                continue
            seen.add(key)
            yield diagnostic


def validate(paths: Sequence[Path], *, tei_dir: Path, tei_all: bool = False) -> None:
    """Raise CablegramError carrying every error (warnings do not fail) when any file is invalid."""
    problems = list(iter_diagnostics(paths, tei_dir=tei_dir, tei_all=tei_all))
    if any(d.severity is Severity.ERROR for d in problems):
        raise CablegramError(problems)


def is_valid(paths: Sequence[Path], *, tei_dir: Path, tei_all: bool = False) -> bool:
    return not any(
        d.severity is Severity.ERROR for d in iter_diagnostics(paths, tei_dir=tei_dir, tei_all=tei_all)
    )


def render_manual(out_path: Path) -> None:
    """Render the ODD into the HTML encoding manual (xslt/odd/manual.xsl, run with saxonche)."""
    from cablegram.validate.manual import render  # saxonche is heavy: import it only here

    render(out_path)
