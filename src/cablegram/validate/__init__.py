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

import collections
import contextlib
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from lxml import etree

from cablegram import XML_NS, xmlio
from cablegram.diagnostics import CablegramError, Diagnostic, Severity, error
from cablegram.executor import SerialExecutor, Task
from cablegram.fsutil import RelativeNames
from cablegram.validate import crossrefs, grammar, schematron
from cablegram.validate.crossrefs import Document
from cablegram.validate.grammar import Positions

if TYPE_CHECKING:
    from cablegram.executor import Executor

__all__ = ["FileCheck", "check_files", "is_valid", "iter_diagnostics", "render_manual", "validate"]

_DOCTYPE = re.compile(r"<!DOCTYPE\b")
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _load(path: Path, display: str) -> tuple[Document | None, list[Diagnostic]]:
    """Read, check the encoding and parse one file; problems as diagnostics, never an exception."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(display, 1, 1, f"cannot read file: {exc.strerror}", "io")]
    return _load_bytes(data, path, display)


def _load_bytes(data: bytes, path: Path, display: str) -> tuple[Document | None, list[Diagnostic]]:
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


def iter_diagnostics(
    paths: Sequence[Path],
    *,
    tei_dir: Path,
    tei_all: bool = False,
    executor: Executor | None = None,
    advance: Callable[[], None] = lambda: None,
) -> Iterator[Diagnostic]:
    """Every problem of the given files (default: all of `tei_dir`), file by file, in line order.

    Cross-file rules see the whole of `tei_dir` (registers and the other documents) even when only some files
    are asked for, so that `cablegram validate tei/wc-115976.xml` still finds a duplicate id or a dangling
    ref. The files' checks run in `executor`'s workers (default: in this process); `advance` is called once
    per given file.
    """
    requested = list(paths) if paths else sorted(tei_dir.glob("*.xml"))
    chosen = {p.resolve() for p in requested}
    others = [p for p in sorted(tei_dir.glob("*.xml")) if p.resolve() not in chosen]
    found, _ = check_files(requested, tei_all=tei_all, executor=executor, advance=advance, context=others)
    yield from found


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


# -- the same checks, file by file in an executor's workers, then across the corpus (issue 8) -----------

TEI = "{http://www.tei-c.org/ns/1.0}"
_WS = re.compile(r"[ \t\r\n]+")
_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
Pointer = tuple[str, str, str, int, int]  # element, attribute, pointer, line, column


def _xpath_space(text: str) -> str:
    """XPath's normalize-space(): only the four XML white-space characters count."""
    return _WS.sub(" ", text).strip(" \t\r\n")


@dataclass(frozen=True)
class Facts:
    """What the outputs need to know of a document without reading it again: its id, its title and date as
    the stylesheets compute them (cg:title, cg:when), and its editorial principles (print front matter)."""

    doc_id: str = ""
    title: str = ""
    when: str | None = None
    principles: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileCheck:
    """One file checked on its own: its diagnostics (unsorted), the ids it defines, the pointers into other
    documents that only the whole corpus can resolve, and its facts."""

    name: str
    display: str
    parsed: bool
    diagnostics: tuple[Diagnostic, ...] = ()
    ids: frozenset[str] = frozenset()
    shared_ids: frozenset[str] = frozenset()  # ids that may repeat across files (crossrefs.SHARED_IDS)
    pointers: tuple[Diagnostic | Pointer, ...] = ()  # dangling pointers found, and pointers left to resolve
    facts: Facts = field(default_factory=Facts)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "display": self.display,
            "parsed": self.parsed,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "ids": sorted(self.ids),
            "shared_ids": sorted(self.shared_ids),
            "pointers": [p.as_dict() if isinstance(p, Diagnostic) else list(p) for p in self.pointers],
            "facts": [self.facts.doc_id, self.facts.title, self.facts.when, list(self.facts.principles)],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileCheck:
        facts = data["facts"]
        return cls(
            name=data["name"],
            display=data["display"],
            parsed=bool(data["parsed"]),
            diagnostics=tuple(_diagnostic(d) for d in data["diagnostics"]),
            ids=frozenset(data["ids"]),
            shared_ids=frozenset(data["shared_ids"]),
            pointers=tuple(
                _diagnostic(p) if isinstance(p, dict) else (p[0], p[1], p[2], int(p[3]), int(p[4]))
                for p in data["pointers"]
            ),
            facts=Facts(facts[0], facts[1], facts[2], tuple(facts[3])),
        )


def _diagnostic(data: dict[str, Any]) -> Diagnostic:
    return Diagnostic(
        data["path"], data["line"], data["column"], Severity(data["severity"]), data["message"], data["rule"]
    )


def _shared(value: str) -> bool:
    return value in crossrefs.SHARED_IDS or value.startswith(crossrefs.SHARED_ID_PREFIXES)


def document_facts(tree: etree._ElementTree) -> Facts:
    root = tree.getroot()
    title = root.find(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}titleStmt/{TEI}title")
    # cg:when: (correspAction[@type='sent']/date/@when, sourceDesc/bibl/date/@when)[1]
    dates = [
        *root.iterfind(
            f"{TEI}teiHeader/{TEI}profileDesc/{TEI}correspDesc/{TEI}correspAction[@type='sent']/{TEI}date"
        ),
        *root.iterfind(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}sourceDesc/{TEI}bibl/{TEI}date"),
    ]
    when = next((d.get("when") for d in dates if d.get("when") is not None), None)
    principles = tuple(
        _xpath_space("".join(map(str, p.itertext())))
        for p in root.iterfind(f"{TEI}teiHeader/{TEI}encodingDesc/{TEI}editorialDecl/{TEI}p")
    )
    return Facts(
        root.get(f"{{{XML_NS}}}id", ""),
        _xpath_space("".join(map(str, title.itertext()))) if title is not None else "",
        when,
        principles,
    )


@dataclass(frozen=True)
class ValidateTask(Task[dict[str, Document], tuple[str, str, bytes], FileCheck]):
    """Check one file (display name, file name, bytes): grammar, Schematron, the file's own rules, and its
    pointers into the registers (which every worker parses once, with the schemas)."""

    registers: tuple[tuple[str, bytes], ...]
    tei_all: bool = False
    key: str = "validate"

    def setup(self) -> dict[str, Document]:
        grammar.cablegram_rng()  # compile the schemas now, once per worker
        if self.tei_all:
            grammar.tei_all_rng()
        schematron.compiled()
        corpus: dict[str, Document] = {}
        for name, data in self.registers:
            document, _ = _load_bytes(data, Path(name), name)
            if document is not None:
                corpus[name] = document
        return corpus

    def run(self, context: dict[str, Document], item: tuple[str, str, bytes]) -> FileCheck:
        display, name, data = item
        document, problems = _load_bytes(data, Path(name), display)
        if document is None:
            return FileCheck(name, display, False, tuple(problems))
        problems.extend(_single_file_checks(document, display, tei_all=self.tei_all))
        corpus = {**context, name: document}
        pointers = tuple(_local_pointers(document, corpus))
        ids = frozenset(document.ids)
        return FileCheck(
            name,
            display,
            True,
            tuple(problems),
            frozenset(v for v in ids if not _shared(v)),
            frozenset(v for v in ids if _shared(v)),
            pointers,
            document_facts(document.tree),
        )


# The elements that carry a pointer, in document order: found by libxml2, which spares asking every element
# of a document for each of nine attributes in Python (most elements do carry one: a few per cent of a
# document's validation).
_WITH_POINTERS = etree.XPath("//*[" + " or ".join(f"@{name}" for name in crossrefs.POINTER_ATTRIBUTES) + "]")


def _with_pointers(tree: etree._ElementTree) -> list[etree._Element]:
    return cast(list[etree._Element], _WITH_POINTERS(tree))


def _local_pointers(document: Document, corpus: dict[str, Document]) -> Iterator[Diagnostic | Pointer]:
    """crossrefs' pointer check, in its order, for what one file and the registers can answer; a pointer
    into another document is passed on as it is, for the corpus-wide pass."""
    for element in _with_pointers(document.tree):
        local = etree.QName(element).localname
        for attribute in crossrefs.POINTER_ATTRIBUTES:
            value = element.get(attribute)
            if value is None:
                continue
            for pointer in value.split():
                file = pointer.partition("#")[0]
                if attribute != "ref" and file and file not in corpus and not _ABSOLUTE.match(pointer):
                    line, column = document.positions.of(element, attribute)
                    yield (local, attribute, pointer, line, column)
                    continue
                problem = crossrefs._resolve(local, attribute, pointer, document, corpus)
                if problem:
                    line, column = document.positions.of(element, attribute)
                    rule = "ref-dangling" if attribute == "ref" else "pointer-dangling"
                    yield error(
                        document.display, line, column, f'{local}/@{attribute}="{pointer}": {problem}', rule
                    )


@dataclass(frozen=True)
class IdsTask(Task[None, tuple[str, str, bytes], FileCheck]):
    """Only the ids of one file (display name, file name, bytes): a file of the corpus that the cross-file
    rules need but that was not asked to be checked (`cablegram validate tei/one.xml`)."""

    key: str = "validate-ids"

    def setup(self) -> None:
        return None

    def run(self, context: None, item: tuple[str, str, bytes]) -> FileCheck:
        display, name, data = item
        document, _ = _load_bytes(data, Path(name), display)
        if document is None:
            return FileCheck(name, display, False)
        ids = frozenset(document.ids)
        return FileCheck(
            name,
            display,
            True,
            ids=frozenset(v for v in ids if not _shared(v)),
            shared_ids=frozenset(v for v in ids if _shared(v)),
        )


class _IdsOnly:
    """A stand-in for a parsed file in crossrefs' pointer resolution: only its ids are consulted."""

    def __init__(self, ids: frozenset[str]) -> None:
        self.ids = ids


def register_bytes(paths: Sequence[Path]) -> tuple[tuple[str, bytes], ...]:
    from cablegram.edition import REGISTER_FILES

    return tuple((p.name, p.read_bytes()) for p in paths if p.name in REGISTER_FILES and p.is_file())


def check_files(
    paths: Sequence[Path],
    *,
    display: Callable[[Path], str] | None = None,
    tei_all: bool = False,
    executor: Executor | None = None,
    cached: Callable[[Path], FileCheck | None] = lambda path: None,
    advance: Callable[[], None] = lambda: None,
    context: Sequence[Path] = (),
) -> tuple[list[Diagnostic], list[FileCheck]]:
    """Every problem of `paths`, and what each file's check found. `paths` and `context` together are the
    corpus (the documents and the registers): the files of `context` are read only for their ids (and the
    registers among them for their entries), and their problems are not reported. The per-file checks run
    in the executor's workers (or come from `cached`, the build's record of an unchanged file); the
    cross-file rules then run here, over the ids and pointers the workers reported, so no worker needs the
    whole corpus, and they take time linear in the corpus (one dictionary of ids)."""
    from cablegram.edition import REGISTER_FILES
    from cablegram.fsutil import sha256_bytes

    runner = executor or SerialExecutor()
    display = display or RelativeNames(Path.cwd())
    # context first: a given file of the same name as one of the context stands for it, as a given register
    registers = register_bytes([p for p in [*context, *paths] if p.name in REGISTER_FILES])

    digest = sha256_bytes(b"".join(name.encode() + b"\0" + data for name, data in registers))
    task = ValidateTask(registers, tei_all, key=f"validate:{tei_all}:{digest}")
    checks: dict[int, FileCheck] = {}
    items: list[tuple[str, str, bytes]] = []
    positions: list[int] = []
    for index, path in enumerate(paths):
        shown = display(path)
        known = cached(path)
        if known is not None and known.display == shown:
            checks[index] = known
            advance()
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            checks[index] = FileCheck(
                path.name, shown, False, (error(shown, 1, 1, f"cannot read file: {exc.strerror}", "io"),)
            )
            advance()
            continue
        items.append((shown, path.name, data))
        positions.append(index)
    around: list[FileCheck] = []
    if context:
        readable = []
        for path in context:
            with contextlib.suppress(OSError):  # an unreadable file is not in the corpus, as one not parsed
                readable.append((display(path), path.name, path.read_bytes()))
        around = list(runner.map(IdsTask(), readable, advance=lambda: None))
    for index, result in zip(positions, runner.map(task, items, advance=advance), strict=True):
        checks[index] = result
    ordered = [checks[i] for i in range(len(paths))]
    return _corpus_diagnostics(paths, ordered, around), ordered


def _corpus_diagnostics(
    paths: Sequence[Path], checks: Sequence[FileCheck], context: Sequence[FileCheck] = ()
) -> list[Diagnostic]:
    """The cross-file rules over the workers' reports — ids unique across the corpus (`context` included),
    pointers into other files — in one pass over a dictionary of ids; then per file sorted and
    de-duplicated (the grammar and the Python checks can both see one bad date or id)."""
    per_file: dict[str, list[Diagnostic]] = {c.display: list(c.diagnostics) for c in checks}
    parsed = {c.name: c for c in [*context, *checks] if c.parsed}
    counts = collections.Counter(itertools.chain.from_iterable(c.ids for c in parsed.values()))
    repeated = {value for value, count in counts.items() if count > 1}
    owners: dict[str, list[str]] = {}  # of the repeated ids only
    for check in parsed.values():
        for value in check.ids & repeated:
            owners.setdefault(value, []).append(check.name)
    stand_ins: dict[str, Any] = {name: _IdsOnly(c.ids | c.shared_ids) for name, c in parsed.items()}
    for path, check in zip(paths, checks, strict=True):
        if not check.parsed:
            continue
        if check.ids & repeated:  # rare: read the file again for the positions of the repeated ids
            document, _ = _load(path, check.display)
            if document is not None:
                for value, element in document.ids.items():
                    others = [n for n in owners.get(value, []) if n != check.name]
                    if others and not _shared(value):
                        line, column = document.positions.of(element, crossrefs.XML_ID)
                        per_file[check.display].append(
                            error(
                                check.display,
                                line,
                                column,
                                f'xml:id="{value}" is also used in {", ".join(sorted(others))}; '
                                "ids are unique across the corpus",
                                "id-duplicate-corpus",
                            )
                        )
        for entry in check.pointers:
            if isinstance(entry, Diagnostic):
                per_file[check.display].append(entry)
                continue
            local, attribute, pointer, line, column = entry
            problem = crossrefs._resolve(local, attribute, pointer, stand_ins[check.name], stand_ins)
            if problem:
                rule = "ref-dangling" if attribute == "ref" else "pointer-dangling"
                per_file[check.display].append(
                    error(check.display, line, column, f'{local}/@{attribute}="{pointer}": {problem}', rule)
                )
    found: list[Diagnostic] = []
    for check in checks:
        seen: set[tuple[int, str]] = set()
        for diagnostic in sorted(per_file.pop(check.display, []), key=lambda d: (d.line, d.column, d.rule)):
            key = (diagnostic.line, diagnostic.rule)
            if key in seen:
                continue
            seen.add(key)
            found.append(diagnostic)
    return found


def _single_file_checks(document: crossrefs.Document, display: str, *, tei_all: bool) -> list[Diagnostic]:
    """Grammar (and TEI's tei_all when asked), Schematron and the checks one file can make alone."""
    problems = list(grammar.check(document.tree, display, document.positions))
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
    return problems
