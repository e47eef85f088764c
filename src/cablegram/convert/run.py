"""Convert an edition's sources into `tei/`, guarding hand edits (issue: nothing is overwritten silently)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from cablegram.convert.builder import build_document
from cablegram.convert.page import read_page
from cablegram.convert.reader import read_source
from cablegram.convert.registers import load_registers
from cablegram.diagnostics import CablegramError, Diagnostic, error, warning
from cablegram.edition import Edition
from cablegram.fsutil import atomic_write
from cablegram.manifest import FileState, Manifest


@dataclass
class ConvertReport:
    written: list[Path] = field(default_factory=list)
    current: list[Path] = field(default_factory=list)
    out_of_date: list[Path] = field(default_factory=list)  # what --check found missing or stale
    hand_edited: list[Path] = field(default_factory=list)  # kept as they are
    failed: list[Path] = field(default_factory=list)  # sources that could not be converted
    diagnostics: list[Diagnostic] = field(default_factory=list)

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
) -> ConvertReport:
    report = ConvertReport()
    registers = load_registers(edition.tei_dir)
    manifest = Manifest.load(out_dir)
    seen: dict[str, Path] = {}
    for source in sources:
        shown = edition.relative(source)
        try:
            page = read_page(read_source(source), shown)
            if page.doc_id in seen:
                raise CablegramError(
                    error(
                        shown,
                        1,
                        1,
                        f"record {page.doc_id} is also in {edition.relative(seen[page.doc_id])}; "
                        "remove one of the two sources",
                        "duplicate-record",
                    )
                )
            seen[page.doc_id] = source
            document = build_document(page, registers, edition.config)
        except CablegramError as exc:
            report.diagnostics.extend(_shown(d, str(source), shown) for d in exc.diagnostics)
            report.failed.append(source)
            advance()
            if not keep_going:
                break
            continue
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
        state = manifest.state(target, document.xml)
        if state is FileState.CURRENT:
            report.current.append(target)
            manifest.record(target.name, document.xml)
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
            atomic_write(target, document.xml)
            manifest.record(target.name, document.xml)
            report.written.append(target)
        advance()
    if not check:
        manifest.save()
    return report
