"""The print volume, DIR/edition.pdf: front matter, the documents in date order, an index with pages.

Page numbers of the table of contents come from the layout itself (CSS target-counter). Those of the index
cannot: an entry lists each page once, and CSS cannot merge two mentions on one page. So the volume is laid
out twice: the first layout (nothing written) tells on which page every name's anchor fell; the second
prints the index from that. The index comes last, so it cannot move the pages it refers to; a third layout
is made only if the anchors moved all the same, and an error is reported if they still do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from cablegram.diagnostics import Diagnostic, error
from cablegram.fsutil import atomic_write
from cablegram.pdf.render import Attachment, PdfRenderer
from cablegram.pdf.transform import PrintTransform, Source

T = TypeVar("T")
_NAME_ANCHOR = re.compile(r"-n\d+$")
MAX_LAYOUTS = 3


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
) -> tuple[bytes | None, list[Diagnostic]]:
    """One volume of `chunk` (in date order): laid out until the index's page numbers settle."""
    shown = transform.edition.relative(target)
    paths = [s.path for s in chunk]
    diagnostics: list[Diagnostic] = []
    pages: dict[str, int] = {}
    rendered = None
    for layout in range(1, MAX_LAYOUTS + 1):
        html, messages = transform.volume_html(chunk, label=label, anchor_pages=pages)
        if layout == 1:
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
