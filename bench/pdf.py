"""How long the PDF stage takes: per document, warm (the stylesheet compiled, CSS and fonts loaded once),
and for the volume (two layouts, for the index's page numbers).

The reference is the TEI Consortium's XSL-FO route (TEI Stylesheets' fo/ profile + Apache FOP), about 0.8 s
per two-page document on this machine kind (issue 5); the target is at least 10x faster per document.
Times are wall-clock and CPU (process) time: the CPU figure is the steadier one on a shared machine.

    .venv/bin/python bench/pdf.py [EDITION_DIR] [--repeat N] [--variant pdf/a-3u|pdf/ua-1|none]
        [--jobs N --count K] [--floor]

With --jobs, it also renders the first K documents of the edition (a synthetic one from bench/corpus.py
has many) through the build's executor with one worker and with N, and reports the throughput: wall time
per document and per two pages, workers' start-up (imports, compiling) included.

With --floor, it measures WeasyPrint's own floor instead: pages of plain justified paragraphs in one font,
at the print edition's page size, without running heads, footnotes or PDF/A: what any document costs
per page before the edition's typography adds to it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, bench/ comes first on sys.path, and bench/html.py would shadow the standard library's
# html package, which WeasyPrint's HTML parser imports.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

REFERENCE_FOP_SECONDS = 0.8  # TEI Stylesheets + Apache FOP, per two-page document (issue 5)


def _timed(label: str, start: float, cpu: float) -> None:
    wall, used = 1000 * (time.perf_counter() - start), 1000 * (time.process_time() - cpu)
    print(f"{label:44} {wall:8.1f} ms wall {used:8.1f} ms cpu")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("edition", nargs="?", type=Path, default=Path("."))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variant", default="pdf/a-3u")
    parser.add_argument("--jobs", type=int, default=0, help="also measure throughput with N workers")
    parser.add_argument("--count", type=int, default=40, help="documents for the throughput measurement")
    parser.add_argument("--floor", action="store_true", help="WeasyPrint's floor: plain pages, one font")
    args = parser.parse_args()
    if args.floor:
        return floor(max(args.repeat, 5))
    if args.jobs:
        return throughput(args.edition, args.count, args.jobs)

    start, cpu = time.perf_counter(), time.process_time()
    import saxonche  # noqa: F401
    import weasyprint  # noqa: F401

    _timed("import saxonche + weasyprint (once per run)", start, cpu)

    from cablegram.edition import Edition
    from cablegram.pdf.render import PdfRenderer
    from cablegram.pdf.transform import PrintTransform
    from cablegram.pdf.volume import DocumentLayout, render_volume

    edition = Edition.open(args.edition)
    documents = edition.documents()
    start, cpu = time.perf_counter(), time.process_time()
    transform = PrintTransform(edition, documents, build_date="2026-01-01")
    _timed(f"compile print.xsl, parse {len(documents)} TEI + registers", start, cpu)
    start, cpu = time.perf_counter(), time.process_time()
    renderer = PdfRenderer(variant=args.variant, build_date="2026-01-01")
    _timed("parse print.css, load fonts (once per run)", start, cpu)
    # warm-up: the first rendering loads the fonts' faces into WeasyPrint's caches
    renderer.render(transform.document_html(transform.documents[0])[0], output="warm-up")

    print(f"\nper document ({args.variant}), best of {args.repeat}: XSLT, layout, PDF writing")
    totals, cpus, pages_total = [], [], 0
    layouts: dict[str, DocumentLayout | None] = {}
    for source in transform.documents:
        runs = []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            html, _ = transform.document_html(source)
            t1 = time.perf_counter()
            renderer.render(html, output=source.doc_id, write=False)
            t2 = time.perf_counter()
            rendered = renderer.render(html, output=source.doc_id)
            t3, c3 = time.perf_counter(), time.process_time()
            # the second render() repeats the layout: writing alone is its time minus a layout
            write = (t3 - t2) - (t2 - t1)
            runs.append((t1 - t0, t2 - t1, max(write, 0.0), (t1 - t0) + (t3 - t2), c3 - c0 - (t2 - t1)))
        best = min(runs, key=lambda r: r[3])
        totals.append(best[3])
        cpus.append(min(r[4] for r in runs))
        pages_total += rendered.pages
        layouts[source.doc_id] = DocumentLayout.of(source.doc_id, rendered.anchors)
        print(
            f"  {source.doc_id:12} {rendered.pages} pp.  xslt {1000 * best[0]:6.1f}"
            f"  layout {1000 * best[1]:7.1f}  write {1000 * best[2]:6.1f}  total {1000 * best[3]:7.1f} ms"
        )
    mean = statistics.mean(totals)
    per_two_pages = mean / (pages_total / len(totals)) * 2
    print(
        f"  mean per document: {1000 * mean:.1f} ms wall ({pages_total / len(totals):.1f} pages), "
        f"{1000 * per_two_pages:.1f} ms per two pages"
    )
    print(
        f"  vs the XSL-FO route ({1000 * REFERENCE_FOP_SECONDS:.0f} ms per two-page document): "
        f"{REFERENCE_FOP_SECONDS / per_two_pages:.1f}x faster (target 10x)"
    )

    # the volume as the build makes it: its pages predicted from the documents' layouts above, laid out once
    ordered = transform.date_order(transform.documents)
    with tempfile.TemporaryDirectory() as out:
        start, cpu = time.perf_counter(), time.process_time()
        pdf, _ = render_volume(
            transform,
            renderer,
            ordered,
            Path(out) / "edition.pdf",
            "",
            [],
            [layouts[s.doc_id] for s in ordered],
        )
        assert pdf is not None
        _timed(f"\nvolume of {len(ordered)} documents (front matter, one layout, writing)", start, cpu)
    return 0


def floor(repeat: int) -> int:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    sentence = "The Soviet government considers it necessary to inform Comrade Mao Zedong of the following. "
    html = "<html><body>" + f"<p>{sentence * 8}</p>" * 20 + "</body></html>"
    fonts = FontConfiguration()
    css = CSS(
        string="@page { size: 170mm 240mm; margin: 20mm 18mm 22mm 24mm } "
        'body { font: 10pt/1.38 "Noto Serif", serif; text-align: justify }',
        font_config=fonts,
    )
    layouts, writings, pages = [], [], 0
    for _ in range(repeat + 1):  # the first run loads the font: not counted
        cpu = time.process_time()
        document = HTML(string=html).render(stylesheets=[css], font_config=fonts)
        laid_out = time.process_time()
        document.write_pdf()
        layouts.append(laid_out - cpu)
        writings.append(time.process_time() - laid_out)
        pages = len(document.pages)
    layout, writing = statistics.median(layouts[1:]), statistics.median(writings[1:])
    print(f"WeasyPrint floor, {pages} plain pages: layout {1000 * layout / pages:.1f} ms a page, "
          f"writing {1000 * writing / pages:.1f} ms a page (CPU time, median of {repeat})")  # fmt: skip
    return 0


def throughput(edition_dir: Path, count: int, jobs: int) -> int:
    """Documents' PDFs rendered by the build's executor (fresh workers: start-up included)."""
    from cablegram.edition import Edition
    from cablegram.executor import make_executor
    from cablegram.pdf import PrintSetup, render_documents
    from cablegram.pdf.transform import print_registers

    edition = Edition.open(edition_dir)
    documents = edition.documents()[:count]
    setup = PrintSetup(edition, "out", "pdf/a-3u", "2026-01-01", tuple(print_registers(edition)))
    print(f"throughput: {len(documents)} documents, PDF/A-3u, fresh worker processes")
    for workers in sorted({1, jobs}):
        executor = make_executor(workers)
        start = time.perf_counter()
        pages = 0
        for _, result in render_documents(setup, documents, executor=executor):
            assert result.pdf is not None, result.diagnostics
            pages += result.pages
        wall = time.perf_counter() - start
        executor.close()
        two = 2 * wall / pages
        print(
            f"  --jobs {workers}: {wall:6.1f} s, {1000 * wall / len(documents):6.1f} ms per document, "
            f"{1000 * two:6.1f} ms per two pages ({pages} pages): "
            f"{REFERENCE_FOP_SECONDS / two:.1f}x the XSL-FO route"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
