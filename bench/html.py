"""Benchmark of the HTML stage (issue 4): document pages per second, the stylesheet compiled once.

    .venv/bin/python bench/html.py [--rounds N]

Reports the compile time, the time per document page (the five documents rendered N times each by one
compiled executable, as `render_html` does), and the whole stage for the edition (every page, assets and TEI
copies; search index excluded, then included). Target: ≥10× faster per document than the TEI Consortium's
Stylesheets run by Saxon-HE in batch, measured at ~28 ms per document on this machine kind (TOOLCHAIN.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path, and its name would hide the standard
# library's `html` (which the converter imports): take the directory off before importing anything else.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from cablegram.convert.run import convert_sources  # noqa: E402
from cablegram.edition import Edition  # noqa: E402
from cablegram.html import NAMESPACES, REGISTER_PAGES, render_html  # noqa: E402
from cablegram.xslt import Stylesheet, stylesheet_dir  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PEER_MS_PER_DOC = 28.0  # TEI Stylesheets (profiles/default/html) with Saxon-HE 9.9, batch mode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="renders of each document (default 200)")
    args = parser.parse_args()
    edition = Edition.open(REPO)
    with tempfile.TemporaryDirectory() as scratch:
        documents = edition.documents() or sorted(
            convert_sources(edition, edition.sources(), Path(scratch) / "tei", force=True).written
        )

        start = time.perf_counter()
        sheet = Stylesheet(stylesheet_dir() / "html" / "edition.xsl", NAMESPACES)
        compile_ms = (time.perf_counter() - start) * 1000
        docs = [sheet.load(path) for path in documents]
        sheet.set_param("cg:corpus", docs)
        sheet.set_param("cg:registers", [sheet.load(edition.tei_dir / f"{n}.xml") for n in REGISTER_PAGES])
        for doc in docs:  # warm-up (JIT-less native code, but caches and first-use allocations)
            sheet.apply(doc, "html:document")
        per_round = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            for doc in docs:
                sheet.apply(doc, "html:document")
            per_round.append((time.perf_counter() - start) * 1000 / len(docs))
        ms_per_doc = statistics.median(per_round)

        stage = {}
        for search in (False, True):
            start = time.perf_counter()
            render_html(edition, documents, Path(scratch) / f"html-{search}", search=search, manual=False)
            stage[search] = time.perf_counter() - start

    print(f"documents: {len(documents)}; rounds: {args.rounds}")
    print(f"compile edition.xsl once:           {compile_ms:8.1f} ms")
    print(
        f"document page (median per doc):     {ms_per_doc:8.2f} ms  "
        f"(min {min(per_round):.2f}, max {max(per_round):.2f})"
    )
    print(
        f"TEI Stylesheets + Saxon-HE batch:   {PEER_MS_PER_DOC:8.2f} ms  "
        f"→ {PEER_MS_PER_DOC / ms_per_doc:.0f}× faster"
    )
    print(f"whole HTML stage, no search index:  {stage[False] * 1000:8.0f} ms")
    print(f"whole HTML stage with pagefind:     {stage[True] * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
