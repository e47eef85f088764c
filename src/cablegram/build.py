"""The pipeline in one function: discover → convert → validate → publish (web, print, deposit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cablegram.convert.run import convert_sources
from cablegram.diagnostics import Diagnostic, Severity
from cablegram.edition import Edition

if TYPE_CHECKING:
    from cablegram.cli import Reporter


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    published: list[Path] = field(default_factory=list)  # TEI documents that reached the editions
    excluded: list[Path] = field(default_factory=list)  # sources or documents left out (--keep-going)
    stopped: bool = False  # the build stopped before publishing anything

    @property
    def ok(self) -> bool:
        return not self.stopped and not self.excluded

    def summary(self) -> str:
        if self.stopped:
            return "build stopped: fix the errors above (or use --keep-going to leave those documents out)"
        text = f"built {len(self.published)} documents"
        if self.excluded:
            names = ", ".join(p.name for p in self.excluded)
            text += f"; left out {len(self.excluded)} with errors: {names}"
        return text


def build(
    edition: Edition, output: Path, *, keep_going: bool, reporter: Reporter, date: str | None = None
) -> BuildResult:
    result = BuildResult()
    sources = edition.sources()
    with reporter.progress("converting", len(sources)) as advance:
        converted = convert_sources(edition, sources, edition.tei_dir, keep_going=keep_going, advance=advance)
    result.diagnostics.extend(converted.diagnostics)
    result.excluded.extend(converted.failed)
    if converted.failed and not keep_going:
        result.stopped = True
        return result

    documents = edition.documents()
    invalid = _validate(edition, documents, result)
    if invalid and not keep_going:
        result.stopped = True
        return result
    result.excluded.extend(sorted(invalid))
    result.published = [d for d in documents if d not in invalid]
    output.mkdir(parents=True, exist_ok=True)

    from cablegram.html import render_html  # saxonche: imported in its stage only

    with reporter.progress("web edition", len(result.published)) as advance:
        web = render_html(edition, result.published, output / "html", advance=advance)
    result.diagnostics.extend(web.diagnostics)

    from cablegram.deposit import build_deposit

    deposit = build_deposit(
        edition,
        result.published,
        output / "deposit",
        html_dir=output / "html",
        pdf_dir=output / "pdf",
        date=date,
    )
    result.diagnostics.extend(deposit.diagnostics)
    if not deposit.ok:
        result.stopped = True
    return result


def _validate(edition: Edition, documents: list[Path], result: BuildResult) -> set[Path]:
    """Validate every document and register; the documents with errors."""
    from cablegram import validate

    files = [*documents, *edition.registers()]
    found = list(validate.iter_diagnostics(files, tei_dir=edition.tei_dir))
    result.diagnostics.extend(found)
    bad_paths = {d.path for d in found if d.severity is Severity.ERROR}
    return {doc for doc in documents if edition.relative(doc) in bad_paths or str(doc) in bad_paths}
