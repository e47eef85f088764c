"""The print edition (issue 5): DIR/<id>.pdf for every document and DIR/edition.pdf for the volume.

TEI → print HTML with XSLT 3.0 (xslt/print/print.xsl, which imports the web edition's xslt/common/ modules
and html/text.xsl rather than copying them) → PDF with WeasyPrint, styled by CSS Paged Media
(xslt/print/print.css). Python only orchestrates: the stylesheet is compiled once and WeasyPrint's CSS and
fonts are loaded once per run, however many documents are rendered.

The PDFs are PDF/A-3u by default (ISO 19005-3, level U): fonts embedded and subset, every glyph mapped to
Unicode, an sRGB output intent, XMP metadata, and the TEI sources attached as associated files with the
relationship "Source" (part 3 allows any file format as an attachment; parts 1 and 2 do not). WeasyPrint 70
can also write PDF/UA-1 (tagged, `variant="pdf/ua-1"`), but a file cannot declare both, and the archival
variant serves the deposit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cablegram.diagnostics import CablegramError, Diagnostic, error
from cablegram.edition import Edition
from cablegram.executor import SerialExecutor, Task
from cablegram.fsutil import atomic_write, output_path
from cablegram.pdf.render import DEFAULT_VARIANT, Attachment
from cablegram.pdf.volume import DocumentLayout

if TYPE_CHECKING:
    from cablegram.executor import Executor
    from cablegram.pdf.render import PdfRenderer
    from cablegram.pdf.transform import PrintTransform

__all__ = ["DEFAULT_VARIANT", "DocumentLayout", "DocumentPdfTask", "VolumePdfTask", "build_pdfs"]

File = tuple[str, bytes]  # a TEI file as a worker gets it: its path (for diagnostics) and its bytes


@dataclass(frozen=True)
class PrintSetup:
    """What every PDF worker sets up once: the print stylesheet with the edition's parameters, WeasyPrint's
    CSS and fonts, the registers (as bytes: a worker may be on another machine)."""

    edition: Edition
    out_dir: str  # names the PDFs in diagnostics
    variant: str
    date: str
    registers: tuple[File, ...]
    key: str = field(default_factory=lambda: uuid.uuid4().hex)  # names this set-up in the workers' caches

    def make(self) -> tuple[PrintTransform, PdfRenderer]:
        from cablegram.pdf.render import PdfRenderer
        from cablegram.pdf.transform import PrintTransform

        transform = PrintTransform(self.edition, [], build_date=self.date, registers=self.registers)
        return transform, PdfRenderer(variant=self.variant, build_date=self.date)


@dataclass(frozen=True)
class PdfResult:
    pdf: bytes | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    raised: bool = False  # the stylesheet failed: build_pdfs raises, as it always did
    setup: tuple[Diagnostic, ...] = ()  # what loading the CSS reported (the same in every worker)
    layout: DocumentLayout | None = None  # a document's: predicts its pages in the volume
    pages: int = 0  # of the PDF


@dataclass(frozen=True)
class DocumentPdfTask(Task["tuple[PrintTransform, PdfRenderer]", File, PdfResult]):
    """One document's PDF."""

    setup_: PrintSetup
    key: str = "pdf-documents"

    def setup(self) -> tuple[PrintTransform, PdfRenderer]:
        return self.setup_.make()

    def run(self, context: tuple[PrintTransform, PdfRenderer], item: File) -> PdfResult:
        transform, renderer = context
        path, data = Path(item[0]), item[1]
        try:
            source = transform.load_bytes(data, path)
            html, messages = transform.document_html(source)
            target = output_path(Path(self.setup_.out_dir), source.doc_id, ".pdf", source=str(path))
        except CablegramError as exc:
            return PdfResult(diagnostics=tuple(exc.diagnostics), raised=True)
        rendered = renderer.render(
            html,
            output=self.setup_.edition.relative(target),
            sources=[path],
            attachments=[Attachment(path.name, data, f"TEI P5 source of this document: {path.name}")],
        )
        return PdfResult(
            rendered.pdf,
            (*messages, *rendered.diagnostics),
            setup=tuple(renderer.setup_diagnostics),
            layout=DocumentLayout.of(source.doc_id, rendered.anchors),
            pages=rendered.pages,
        )


@dataclass(frozen=True)
class VolumeItem:
    """A volume to render. Saxon orders nodes of different documents by the order in which the documents
    were loaded, and the front matter's figures follow that order: so `files` come in the edition's order
    and are loaded in it, as a single-process run loads them."""

    name: str  # edition.pdf, edition-1.pdf …
    label: str  # "Volume 1 of 3", or ""
    files: tuple[str, ...]  # the volume's documents and those that bring principles, in the edition's order
    documents: tuple[str, ...]  # the volume's documents (paths), in date order
    principles: tuple[str, ...]  # the documents that bring the edition's editorial principles (front matter)
    data: tuple[bytes, ...] = ()  # the bytes of `files`, read just before the volume goes to a worker
    layouts: tuple[DocumentLayout | None, ...] = ()  # of `documents`, from their own PDFs, where known

    def loaded(self) -> VolumeItem:
        return replace(self, data=tuple(Path(path).read_bytes() for path in self.files))


@dataclass(frozen=True)
class VolumePdfTask(Task["tuple[PrintTransform, PdfRenderer, list[Attachment]]", VolumeItem, PdfResult]):
    """One volume: its documents, laid out until the index's page numbers settle."""

    setup_: PrintSetup
    key: str = "pdf-volumes"

    def setup(self) -> tuple[PrintTransform, PdfRenderer, list[Attachment]]:
        transform, renderer = self.setup_.make()
        attachments = [
            Attachment(name, data, f"TEI P5 source of this register: {name}")
            for name, data in self.setup_.registers
        ]
        return transform, renderer, attachments

    def run(
        self, context: tuple[PrintTransform, PdfRenderer, list[Attachment]], item: VolumeItem
    ) -> PdfResult:
        from cablegram.pdf.volume import render_volume

        transform, renderer, attachments = context
        try:
            loaded = {
                path: transform.load_bytes(data, Path(path))
                for path, data in zip(item.files, item.data, strict=True)
            }
            chunk = [loaded[path] for path in item.documents]
            transform.set_corpus([loaded[path] for path in item.principles])
            pdf, found = render_volume(
                transform,
                renderer,
                chunk,
                Path(self.setup_.out_dir) / item.name,
                item.label,
                attachments,
                item.layouts,
            )
        except CablegramError as exc:
            return PdfResult(diagnostics=tuple(exc.diagnostics), raised=True)
        finally:
            transform.set_corpus([])
        return PdfResult(pdf, tuple(found))


def principle_sources(principles: Sequence[tuple[Path, Sequence[str]]]) -> list[Path]:
    """Of the edition's documents (in order, each with its editorial principles as normalize-space() gives
    them), those that bring a principle first: the front matter reads nothing else of the corpus."""
    seen: set[str] = set()
    found = []
    for path, texts in principles:
        new = [t for t in texts if t not in seen]
        if new:
            found.append(path)
            seen.update(new)
    return found


def font_problems() -> list[Diagnostic]:
    from cablegram.pdf.render import missing_fonts

    return [
        error(
            "xslt/print/print.css",
            1,
            1,
            f"font family {family!r} is not installed (Debian: fonts-noto-core fonts-noto-cjk)",
            "pdf-font",
        )
        for family in missing_fonts()
    ]


def render_documents(
    setup: PrintSetup,
    documents: Sequence[Path],
    *,
    executor: Executor | None = None,
    advance: Callable[[], None] = lambda: None,
) -> Iterator[tuple[Path, PdfResult]]:
    """Each document's PDF, rendered by the executor's workers, in the order of `documents`."""
    from cablegram.executor import Lazy

    task = DocumentPdfTask(setup, key=f"pdf:{setup.key}")
    items = Lazy(len(documents), lambda index: (str(documents[index]), documents[index].read_bytes()))
    yield from zip(documents, (executor or SerialExecutor()).map(task, items, advance=advance), strict=True)


def render_volume_pdfs(
    setup: PrintSetup,
    volumes: Sequence[VolumeItem],
    *,
    executor: Executor | None = None,
    advance: Callable[[], None] = lambda: None,
) -> Iterator[tuple[VolumeItem, PdfResult]]:
    """Each volume's PDF, rendered by the executor's workers; a volume's files are read when it is sent."""
    from cablegram.executor import Lazy

    task = VolumePdfTask(setup, key=f"volume:{setup.key}")
    items = Lazy(len(volumes), lambda index: volumes[index].loaded())
    yield from zip(volumes, (executor or SerialExecutor()).map(task, items, advance=advance), strict=True)


def plan_volumes(
    documents: Sequence[Path],
    ordered: Sequence[Path],
    volume_size: int | None,
    principles: Sequence[Path],
    layouts: Mapping[Path, DocumentLayout | None] | None = None,
) -> list[VolumeItem]:
    """The volumes of `ordered` (documents in date order), at most `volume_size` documents each;
    `documents` gives the edition's order; `layouts`, the documents' layouts in their own PDFs."""
    from cablegram.pdf.volume import split, volume_names

    chunks = split(ordered, volume_size)
    names = volume_names(len(chunks), volume_size, len(ordered))
    rank = {path: index for index, path in enumerate(documents)}
    volumes = []
    for chunk, (name, label) in zip(chunks, names, strict=True):
        files = sorted({*chunk, *principles}, key=lambda p: rank.get(p, len(rank)))
        volumes.append(
            VolumeItem(
                name,
                label,
                tuple(str(p) for p in files),
                tuple(str(p) for p in chunk),
                tuple(str(p) for p in principles),
                layouts=tuple((layouts or {}).get(p) for p in chunk),
            )
        )
    return volumes


def build_pdfs(
    edition: Edition,
    documents: list[Path],
    out_dir: Path,
    *,
    volume_size: int | None = None,
    variant: str = DEFAULT_VARIANT,
    build_date: str | None = None,
    executor: Executor | None = None,
    advance: Callable[[], None] = lambda: None,
) -> list[Diagnostic]:
    """Render every document into `out_dir`/<id>.pdf, then the volume(s) from those that rendered.

    `volume_size` splits the volume into edition-1.pdf, edition-2.pdf … of at most that many documents
    (default: one edition.pdf). A document whose rendering fails (a character no font covers, a refused
    URL) gets an error and no PDF, and is left out of the volume. Returns every diagnostic; raises
    CablegramError only when the print stylesheet itself cannot be compiled or run. The documents and the
    volumes are rendered by `executor`'s workers (default: in this process).
    """
    from cablegram import xmlio
    from cablegram.html import date_order
    from cablegram.pdf.transform import print_registers
    from cablegram.validate import document_facts

    date = build_date if build_date is not None else datetime.now(UTC).date().isoformat()
    absent = font_problems()
    if absent:
        return absent
    setup = PrintSetup(edition, str(out_dir), variant, date, tuple(print_registers(edition)))
    diagnostics: list[Diagnostic] = []
    facts = {path: document_facts(xmlio.parse(path)) for path in documents}
    rendered_ok: list[Path] = []
    layouts: dict[Path, DocumentLayout | None] = {}
    for path, result in render_documents(setup, documents, executor=executor, advance=advance):
        if result.raised:
            raise CablegramError(list(result.diagnostics))
        if path == documents[0]:
            diagnostics.extend(result.setup)
        diagnostics.extend(result.diagnostics)
        if result.pdf is not None:
            atomic_write(out_dir / f"{facts[path].doc_id or path.stem}.pdf", result.pdf)
            rendered_ok.append(path)
            layouts[path] = result.layout
    if rendered_ok:
        by_id = {facts[p].doc_id: p for p in rendered_ok}
        order = date_order([(f.doc_id, f.title, f.when) for p, f in facts.items() if p in set(rendered_ok)])
        principles = principle_sources([(p, facts[p].principles) for p in documents])
        volumes = plan_volumes(documents, [by_id[i] for i in order], volume_size, principles, layouts)
        for volume, result in render_volume_pdfs(setup, volumes, executor=executor):
            if result.raised:
                raise CablegramError(list(result.diagnostics))
            diagnostics.extend(result.diagnostics)
            if result.pdf is not None:
                atomic_write(out_dir / volume.name, result.pdf)
    return diagnostics
