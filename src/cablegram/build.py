"""The pipeline in one function: discover → convert → validate → publish (web, print, deposit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cablegram.convert.run import convert_sources
from cablegram.diagnostics import Diagnostic, Severity
from cablegram.edition import Edition
from cablegram.publish import build_lock, discard, new_staging, publish

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
    """Convert what is missing or out of date, validate, then publish every edition. Nothing is published
    unless the whole build succeeds (or, with --keep-going, only the documents that passed)."""
    result = BuildResult()
    with build_lock(output):
        documents = _convert_and_validate(edition, keep_going=keep_going, reporter=reporter, result=result)
        if result.stopped:
            return result
        result.published = documents
        staging = new_staging(output)
        try:
            _publish_stages(edition, documents, staging, reporter=reporter, result=result, date=date)
        except BaseException:
            discard(staging)
            raise
        if result.stopped:
            discard(staging)
            return result
        publish(output, staging)
    return result


def _convert_and_validate(
    edition: Edition, *, keep_going: bool, reporter: Reporter, result: BuildResult
) -> list[Path]:
    sources = edition.sources()
    with reporter.progress("converting", len(sources)) as advance:
        converted = convert_sources(edition, sources, edition.tei_dir, keep_going=keep_going, advance=advance)
    result.diagnostics.extend(converted.diagnostics)
    result.excluded.extend(converted.failed)
    if converted.failed and not keep_going:
        result.stopped = True
        return []
    documents = edition.documents()
    invalid = _validate(edition, documents, result)
    if invalid and not keep_going:
        result.stopped = True
        return []
    result.excluded.extend(sorted(invalid))
    return [d for d in documents if d not in invalid]


def _publish_stages(
    edition: Edition,
    documents: list[Path],
    staging: Path,
    *,
    reporter: Reporter,
    result: BuildResult,
    date: str | None,
) -> None:
    """The editions, in dependency order: print first (the web pages link the PDFs), then web, deposit."""
    from cablegram.pdf import build_pdfs  # WeasyPrint: imported in its stage only

    before = len(result.diagnostics)

    pdf_dir = staging / "pdf"
    with reporter.progress("print edition", len(documents)) as advance:
        result.diagnostics.extend(build_pdfs(edition, documents, pdf_dir, build_date=date))
        advance()
    pdfs = {path.stem: path for path in sorted(pdf_dir.glob("wc-*.pdf"))}

    from cablegram.html import render_html  # saxonche: imported in its stage only

    with reporter.progress("web edition", len(documents)) as advance:
        web = render_html(edition, documents, staging / "html", pdfs=pdfs, advance=advance)
    result.diagnostics.extend(web.diagnostics)

    from cablegram.deposit import build_deposit

    deposit = build_deposit(
        edition, documents, staging / "deposit", html_dir=staging / "html", pdf_dir=pdf_dir, date=date
    )
    result.diagnostics.extend(deposit.diagnostics)
    if not deposit.ok or any(d.severity is Severity.ERROR for d in result.diagnostics[before:]):
        result.stopped = True


def _validate(edition: Edition, documents: list[Path], result: BuildResult) -> set[Path]:
    """Validate every document and register; the documents with errors."""
    from cablegram import validate

    files = [*documents, *edition.registers()]
    found = list(validate.iter_diagnostics(files, tei_dir=edition.tei_dir))
    result.diagnostics.extend(found)
    bad_paths = {d.path for d in found if d.severity is Severity.ERROR}
    return {doc for doc in documents if edition.relative(doc) in bad_paths or str(doc) in bad_paths}
