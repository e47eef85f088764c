"""Convert an edition's sources into `tei/`, guarding hand edits (issue: nothing is overwritten silently).

The conversion of one source is pure (text in, TEI bytes out) and runs as an executor task
(`cablegram.executor`, issue 8): the registers are read once per worker, each source goes to a worker as its
bytes, and the results come back in source order, so that duplicate records, the hand-edit guard and the
writes happen here, in one process, exactly as in a serial run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cablegram.config import EditionConfig
from cablegram.convert.builder import build_document
from cablegram.convert.page import read_page
from cablegram.convert.reader import decode_source, read_lines
from cablegram.convert.registers import Registers, load_registers
from cablegram.diagnostics import CablegramError, Diagnostic, error, warning
from cablegram.edition import REGISTER_FILES, Edition
from cablegram.executor import SerialExecutor, Task
from cablegram.fsutil import atomic_write
from cablegram.manifest import FileState, Manifest

if TYPE_CHECKING:
    from cablegram.executor import Executor


@dataclass(frozen=True)
class Converted:
    """What one source became: its TEI (or the diagnostics that stopped it)."""

    doc_id: str = ""
    xml: bytes | None = None
    unknown_names: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class ConvertTask(Task[tuple[Registers, EditionConfig], tuple[str, str, bytes], Converted]):
    """Convert one source (shown name, path, bytes); the registers are read once per worker."""

    registers: tuple[tuple[str, bytes], ...]
    config: EditionConfig
    key: str = "convert"

    @classmethod
    def for_edition(cls, edition: Edition) -> ConvertTask:
        files = tuple(
            (name, (edition.tei_dir / name).read_bytes())
            for name in REGISTER_FILES
            if (edition.tei_dir / name).is_file()
        )
        from cablegram.fsutil import sha256_bytes

        digest = sha256_bytes(b"".join(name.encode() + b"\0" + data for name, data in files))
        return cls(files, edition.config, key=f"convert:{digest}")

    def setup(self) -> tuple[Registers, EditionConfig]:
        # load_registers reads a directory: give it the registers' bytes in a private one (the worker
        # may be on another machine, without the edition's files).
        with tempfile.TemporaryDirectory(prefix="cablegram-registers-") as directory:
            for name, data in self.registers:
                (Path(directory) / name).write_bytes(data)
            return load_registers(Path(directory)), self.config

    def run(self, context: tuple[Registers, EditionConfig], item: tuple[str, str, bytes]) -> Converted:
        registers, config = context
        shown, path, data = item
        try:
            page = read_page(read_lines(decode_source(data, path)), shown)
            document = build_document(page, registers, config)
        except CablegramError as exc:
            found = tuple(_shown(d, path, shown) for d in exc.diagnostics)
            # the record id, when it was read, so that a duplicate is still reported as one
            return Converted(diagnostics=found)
        return Converted(document.doc_id, document.xml, tuple(document.unknown_names))


@dataclass
class ConvertReport:
    written: list[Path] = field(default_factory=list)
    current: list[Path] = field(default_factory=list)
    out_of_date: list[Path] = field(default_factory=list)  # what --check found missing or stale
    hand_edited: list[Path] = field(default_factory=list)  # kept as they are
    failed: list[Path] = field(default_factory=list)  # sources that could not be converted
    diagnostics: list[Diagnostic] = field(default_factory=list)
    targets: dict[Path, Path] = field(default_factory=dict)  # source → the TEI file that stands for it
    by_source: dict[Path, list[Diagnostic]] = field(default_factory=dict)  # each source's diagnostics

    @property
    def documents(self) -> list[Path]:
        """Every TEI file that stands for a source after this run (written, current or hand-edited)."""
        return sorted({*self.written, *self.current, *self.hand_edited, *self.out_of_date})


def _shown(diagnostic: Diagnostic, path: str, shown: str) -> Diagnostic:
    """Name the file as the user knows it (relative to the edition), whatever path a stage was given."""
    return replace(diagnostic, path=shown) if diagnostic.path == path else diagnostic


def convert_sources(
    edition: Edition,
    sources: Iterable[Path],
    out_dir: Path,
    *,
    force: bool = False,
    check: bool = False,
    keep_going: bool = False,
    advance: Callable[[], None] = lambda: None,
    executor: Executor | None = None,
    known: Callable[[Path], Path | None] | None = None,
) -> ConvertReport:
    """Convert `sources` into `out_dir`. With an `executor`, the conversions run in its workers; `known`
    (the build's incremental state) may name the TEI file a source is already known to have become, so
    that it is neither read nor converted again."""
    report = ConvertReport()
    manifest = Manifest.load(out_dir)
    items: list[tuple[str, str, bytes]] = []
    paths: list[tuple[Path, Path | None]] = []  # each source, and its TEI file when known to be current
    for source in sources:
        up_to_date = known(source) if known is not None else None
        if up_to_date is not None:
            paths.append((source, up_to_date))
            continue
        try:
            data = source.read_bytes()
        except OSError as exc:
            report.diagnostics.append(
                error(edition.relative(source), 1, 1, f"cannot read file: {exc.strerror}", "io")
            )
            report.failed.append(source)
            if not keep_going:
                return report
            continue
        paths.append((source, None))
        items.append((edition.relative(source), str(source), data))
    task = ConvertTask.for_edition(edition)
    results = (executor or SerialExecutor()).map(task, items, advance=advance)
    try:
        _collect(
            edition,
            out_dir,
            paths,
            results,
            report,
            manifest,
            force=force,
            check=check,
            keep_going=keep_going,
        )
    finally:
        results.close()  # a stop at the first failure leaves no worker running
    if not check:
        manifest.save()
    return report


def _collect(
    edition: Edition,
    out_dir: Path,
    paths: Sequence[tuple[Path, Path | None]],
    results: Iterator[Converted],
    report: ConvertReport,
    manifest: Manifest,
    *,
    force: bool,
    check: bool,
    keep_going: bool,
) -> None:
    """Take the conversions in source order: duplicates, the hand-edit guard, the writes."""
    seen: dict[str, Path] = {}
    for source, up_to_date in paths:
        before = len(report.diagnostics)
        converted = Converted(up_to_date.stem) if up_to_date is not None else next(results, Converted())
        _take(
            edition, out_dir, source, up_to_date, converted, seen, report, manifest, force=force, check=check
        )
        report.by_source[source] = report.diagnostics[before:]
        if source in report.failed and not keep_going:
            break


def _take(
    edition: Edition,
    out_dir: Path,
    source: Path,
    up_to_date: Path | None,
    converted: Converted,
    seen: dict[str, Path],
    report: ConvertReport,
    manifest: Manifest,
    *,
    force: bool,
    check: bool,
) -> None:
    shown = edition.relative(source)
    if up_to_date is not None and converted.doc_id not in seen:
        seen[converted.doc_id] = source
        report.current.append(up_to_date)
        report.targets[source] = up_to_date
        return
    if converted.xml is None or converted.doc_id in seen:
        if converted.doc_id not in seen:
            report.diagnostics.extend(converted.diagnostics)
        else:
            report.diagnostics.append(
                error(
                    shown,
                    1,
                    1,
                    f"record {converted.doc_id} is also in {edition.relative(seen[converted.doc_id])}; "
                    "remove one of the two sources",
                    "duplicate-record",
                )
            )
        report.failed.append(source)
        return
    seen[converted.doc_id] = source
    document = converted
    xml = converted.xml
    assert xml is not None
    for name in document.unknown_names:
        report.diagnostics.append(
            warning(
                shown,
                1,
                1,
                f"no register entry for {name}; add it to the registers in tei/",
                "register-candidate",
            )
        )
    target = out_dir / f"{document.doc_id}.xml"
    state = manifest.state(target, xml)
    report.targets[source] = target
    if state is FileState.CURRENT:
        report.current.append(target)
        manifest.record(target.name, xml)
    elif state is FileState.HAND_EDITED and not force:
        report.hand_edited.append(target)
        report.diagnostics.append(
            warning(
                edition.relative(target),
                1,
                1,
                "edited by hand, so not regenerated; run `cablegram convert --force` to replace it",
                "hand-edited",
            )
        )
    elif check:
        report.out_of_date.append(target)
        report.diagnostics.append(
            error(
                edition.relative(target),
                1,
                1,
                f"out of date ({state}); run `cablegram convert`",
                "out-of-date",
            )
        )
    else:
        atomic_write(target, xml)
        manifest.record(target.name, xml)
        report.written.append(target)
