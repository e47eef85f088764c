"""The print volume, DIR/edition.pdf: front matter, the documents in date order, an index with pages.

Page numbers of the table of contents come from the layout itself (CSS target-counter). Those of the index
cannot: an entry lists each page once, and CSS cannot merge two mentions on one page. So the index is
printed from the page on which every name's anchor falls. Those pages are predicted from the documents'
own PDFs, laid out just before with the same page size and styles: each document starts on a new page, so
an anchor falls on the volume's page = pages of the front matter (laid out alone, a few pages) + pages of
the documents before it + its page in its own PDF. The volume is then laid out once, and the prediction
checked against where the anchors really fell. Without a prediction (a document's layout unknown), or when
it proves wrong, the volume is laid out again with the pages found, until they settle: the index comes
last, so it cannot move the pages it refers to, and an error is reported if they still move after
MAX_LAYOUTS layouts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from cablegram.diagnostics import Diagnostic, error
from cablegram.fsutil import atomic_write
from cablegram.pdf.render import Attachment, PdfRenderer
from cablegram.pdf.transform import PrintTransform, Source

T = TypeVar("T")
_NAME_ANCHOR = re.compile(r"-n\d+$")
MAX_LAYOUTS = 3


@dataclass(frozen=True)
class DocumentLayout:
    """Where a document's text fell in its own PDF: the pages it takes there without the standalone
    colophon, and the page (1 = its first) of each index anchor."""

    pages: int
    anchors: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, doc_id: str, anchors: dict[str, int]) -> DocumentLayout | None:
        """From a rendering's anchors; None when the end-of-text marker is missing."""
        end = anchors.get(f"{doc_id}-end")
        if end is None:
            return None
        return cls(end, tuple(sorted((a, p) for a, p in anchors.items() if _NAME_ANCHOR.search(a))))

    def to_json(self) -> list[Any]:
        return [self.pages, [list(anchor) for anchor in self.anchors]]

    @classmethod
    def from_json(cls, value: Any) -> DocumentLayout | None:
        try:
            pages, anchors = value
            return cls(int(pages), tuple((str(a), int(p)) for a, p in anchors))
        except (TypeError, ValueError):
            return None


def predicted_pages(front_pages: int, layouts: Sequence[DocumentLayout]) -> dict[str, int]:
    """The volume page of every index anchor, the documents following `front_pages` pages in order."""
    pages: dict[str, int] = {}
    before = front_pages
    for layout in layouts:
        pages.update((anchor, before + page) for anchor, page in layout.anchors)
        before += layout.pages
    return pages


def volume_names(count: int, volume_size: int | None, total: int) -> list[tuple[str, str]]:
    """(file name, label) of each volume: edition.pdf alone, or edition-1.pdf … with "Volume 1 of 3"."""
    if volume_size is None or volume_size >= total:
        return [("edition.pdf", "")]
    return [(f"edition-{n}.pdf", f"Volume {n} of {count}") for n in range(1, count + 1)]


def split(sources: Sequence[T], volume_size: int | None) -> list[list[T]]:
    if volume_size is not None and volume_size < 1:
        raise ValueError("volume_size must be at least 1")
    if not sources:
        return []
    size = volume_size or len(sources)
    return [list(sources[i : i + size]) for i in range(0, len(sources), size)]


def render_volumes(
    transform: PrintTransform,
    renderer: PdfRenderer,
    sources: Sequence[Source],
    out_dir: Path,
    *,
    volume_size: int | None = None,
    registers: Sequence[Path] = (),
) -> tuple[list[Path], list[Diagnostic]]:
    """Write the volume(s) of `sources` (in date order) into `out_dir`; the files written and the problems."""
    ordered = transform.date_order(sources)
    chunks = split(ordered, volume_size)
    names = volume_names(len(chunks), volume_size, len(ordered))
    written: list[Path] = []
    diagnostics: list[Diagnostic] = []
    attachments_of_registers = [_attachment(path, "register") for path in registers]
    for chunk, (name, label) in zip(chunks, names, strict=True):
        target = out_dir / name
        pdf, found = render_volume(transform, renderer, chunk, target, label, attachments_of_registers)
        diagnostics.extend(found)
        if pdf is not None:
            atomic_write(target, pdf)
            written.append(target)
    return written, diagnostics


def render_volume(
    transform: PrintTransform,
    renderer: PdfRenderer,
    chunk: Sequence[Source],
    target: Path,
    label: str,
    register_attachments: Sequence[Attachment],
    layouts: Sequence[DocumentLayout | None] = (),
) -> tuple[bytes | None, list[Diagnostic]]:
    """One volume of `chunk` (in date order): laid out until the index's page numbers settle, once when
    `layouts` (of the documents of `chunk`, in its order) predict them right."""
    shown = transform.edition.relative(target)
    paths = [s.path for s in chunk]
    diagnostics: list[Diagnostic] = []
    pages: dict[str, int] = {}
    known = [layout for layout in layouts if layout is not None]
    if chunk and len(known) == len(chunk):
        front, _ = transform.volume_html(chunk, label=label, front_only=True)
        pages = predicted_pages(renderer.render(front, output=shown, write=False).pages, known)
    rendered = None
    first = 1 if not pages else 2  # layout 1 only finds the pages: nothing is written
    for layout in range(first, MAX_LAYOUTS + 1):
        html, messages = transform.volume_html(chunk, label=label, anchor_pages=pages)
        if layout == first:
            diagnostics.extend(messages)
        final = layout > 1
        rendered = renderer.render(
            html,
            output=shown,
            sources=paths,
            attachments=[*(_attachment_of(s, "document") for s in chunk), *register_attachments],
            write=final,
        )
        found = {a: p for a, p in rendered.anchors.items() if _NAME_ANCHOR.search(a)}
        if final and found == pages:
            break
        if rendered.pdf is None and final:
            break
        pages = found
    else:
        diagnostics.append(
            error(
                shown,
                1,
                1,
                f"the index's page numbers did not settle after {MAX_LAYOUTS} layouts",
                "pdf-index",
            )
        )
        return None, diagnostics
    assert rendered is not None
    diagnostics.extend(rendered.diagnostics)
    return rendered.pdf, diagnostics


def _attachment_of(source: Source, what: str) -> Attachment:
    data = source.data if source.data is not None else source.path.read_bytes()
    return Attachment(source.path.name, data, f"TEI P5 source of this {what}: {source.path.name}")


def _attachment(path: Path, what: str) -> Attachment:
    return Attachment(path.name, path.read_bytes(), f"TEI P5 source of this {what}: {path.name}")
