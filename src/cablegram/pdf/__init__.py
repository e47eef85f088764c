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

from datetime import UTC, datetime
from pathlib import Path

from cablegram.diagnostics import Diagnostic, error
from cablegram.edition import Edition
from cablegram.fsutil import atomic_write
from cablegram.pdf.render import DEFAULT_VARIANT, Attachment

__all__ = ["DEFAULT_VARIANT", "build_pdfs"]


def build_pdfs(
    edition: Edition,
    documents: list[Path],
    out_dir: Path,
    *,
    volume_size: int | None = None,
    variant: str = DEFAULT_VARIANT,
    build_date: str | None = None,
) -> list[Diagnostic]:
    """Render every document into `out_dir`/<id>.pdf, then the volume(s) from those that rendered.

    `volume_size` splits the volume into edition-1.pdf, edition-2.pdf … of at most that many documents
    (default: one edition.pdf). A document whose rendering fails (a character no font covers, a refused
    URL) gets an error and no PDF, and is left out of the volume. Returns every diagnostic; raises
    CablegramError only when the print stylesheet itself cannot be compiled or run.
    """
    from cablegram.pdf.render import PdfRenderer, missing_fonts
    from cablegram.pdf.transform import PrintTransform
    from cablegram.pdf.volume import render_volumes

    date = build_date if build_date is not None else datetime.now(UTC).date().isoformat()
    absent = missing_fonts()
    if absent:
        return [
            error(
                "xslt/print/print.css",
                1,
                1,
                f"font family {family!r} is not installed (Debian: fonts-noto-core fonts-noto-cjk)",
                "pdf-font",
            )
            for family in absent
        ]
    transform = PrintTransform(edition, documents, build_date=date)
    renderer = PdfRenderer(variant=variant, build_date=date)
    diagnostics: list[Diagnostic] = list(renderer.setup_diagnostics)
    rendered_ok = []
    for source in transform.documents:
        html, messages = transform.document_html(source)
        diagnostics.extend(messages)
        target = out_dir / f"{source.doc_id}.pdf"
        rendered = renderer.render(
            html,
            output=edition.relative(target),
            sources=[source.path],
            attachments=[_tei_attachment(source.path)],
        )
        diagnostics.extend(rendered.diagnostics)
        if rendered.pdf is not None:
            atomic_write(target, rendered.pdf)
            rendered_ok.append(source)
    if rendered_ok:
        registers = [p for p in edition.registers() if p.name != "corrections.xml"]
        _, found = render_volumes(
            transform, renderer, rendered_ok, out_dir, volume_size=volume_size, registers=registers
        )
        diagnostics.extend(found)
    return diagnostics


def _tei_attachment(path: Path) -> Attachment:
    return Attachment(path.name, path.read_bytes(), f"TEI P5 source of this document: {path.name}")
