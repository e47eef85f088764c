"""The web edition (issue 4): TEI → a static site in DIR (default build/html/).

Python only orchestrates: it gathers every input first (documents, registers, the date order), compiles
`xslt/html/edition.xsl` once, runs it per page with parameters, and writes each file atomically. The site
follows the Endings Project's principles: no server-side code, no query strings, the TEI sources shipped in
`DIR/tei/` and linked from every page, the version and build date on every page.

    DIR/<id>.html  index.html  persons.html places.html organisations.html  about.html  search.html
    DIR/about/encoding.html   (the ODD manual, cablegram.validate.render_manual)
    DIR/assets/   site.css print.css site.js        DIR/tei/  DIR/schema/  DIR/pdf/  DIR/pagefind/
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cablegram import __version__
from cablegram.diagnostics import CablegramError, Diagnostic, warning
from cablegram.edition import Edition
from cablegram.fsutil import atomic_write
from cablegram.resources import schema_dir

NAMESPACES = {"cg": "urn:cablegram:xslt", "html": "urn:cablegram:xslt:html"}
# The registers that get a page of their own (corrections.xml is the converter's, not the reader's).
REGISTER_PAGES = ("persons", "places", "organisations")
SCHEMA_FILES = ("cablegram.odd", "cablegram.rng", "cablegram.sch", "cablegram.xsd")


@dataclass
class HtmlResult:
    out_dir: Path
    pages: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    search_index: bool = False  # a pagefind index was built
    manual: bool = False  # the encoding manual was rendered from the ODD

    def summary(self) -> str:
        search = "with search index" if self.search_index else "without search index"
        return f"web edition: {len(self.pages)} pages in {self.out_dir} ({search})"


def build_date() -> str:
    """Today, or the date of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.datetime.now(dt.UTC).date().isoformat()


def pagefind_available() -> bool:
    """pagefind's binary ships in the wheels pagefind[bin] / pagefind[extended], not in plain `pagefind`."""
    import importlib.util

    wheels = ("pagefind_bin_extended", "pagefind_bin")
    return any(importlib.util.find_spec(name) is not None for name in wheels)


def render_html(
    edition: Edition,
    documents: Sequence[Path],
    out_dir: Path,
    *,
    pdfs: Mapping[str, Path] | None = None,
    search: bool = True,
    manual: bool = True,
    version: str | None = None,
    date: str | None = None,
    advance: Callable[[], None] = lambda: None,
) -> HtmlResult:
    """Render the web edition of `documents` into `out_dir`.

    `pdfs` maps document ids to PDFs of the print edition (copied to DIR/pdf/ and linked); `search`
    builds the pagefind index when pagefind is installed; `manual` renders DIR/about/encoding.html from
    the ODD. Raises CablegramError (with every diagnostic) when a document cannot be read or rendered.
    """
    from cablegram.xslt import Stylesheet, stylesheet_dir

    result = HtmlResult(out_dir)
    pdfs = dict(pdfs or {})
    with_search = search and pagefind_available()

    # 1. gather everything before any page is written (STYLE.md 1)
    sheet = Stylesheet(stylesheet_dir() / "html" / "edition.xsl", NAMESPACES)
    problems: list[Diagnostic] = []
    docs = []
    for path in documents:
        try:
            docs.append(sheet.load(path))
        except CablegramError as exc:
            problems.extend(exc.diagnostics)
    registers = []
    for name in REGISTER_PAGES:
        path = edition.tei_dir / f"{name}.xml"
        if path.is_file():
            try:
                registers.append(sheet.load(path))
            except CablegramError as exc:
                problems.extend(exc.diagnostics)
    if problems:
        raise CablegramError(problems)
    schema_files = [name for name in SCHEMA_FILES if (schema_dir() / name).is_file()]
    config = edition.config
    params: dict[str, object] = {
        "cg:corpus": docs,
        "cg:registers": registers,
        "cg:edition-title": config.title,
        "cg:edition-description": config.description,
        "cg:edition-editors": list(config.editors),
        "cg:edition-publisher": config.publisher,
        "cg:licence": config.licence,
        "cg:licence-url": config.licence_url,
        "cg:base-url": config.base_url,
        "cg:version": version or __version__,
        "cg:build-date": date or build_date(),
        "html:pdf-ids": [key for key, pdf in pdfs.items() if pdf.is_file()],
        "html:search": with_search,
        "html:schema-files": schema_files,
    }
    for name, value in params.items():
        sheet.set_param(name, value)  # type: ignore[arg-type]
    order = sheet.call_strings("cg:date-order-ids")
    by_id = {doc.doc_id: doc for doc in docs}

    # 2. the pages
    def write(name: str, html: str, source: Path | str) -> None:
        target = out_dir / name
        atomic_write(target, html)
        result.pages.append(target)
        result.diagnostics.extend(sheet.messages(source))

    for position, doc_id in enumerate(order):
        doc = by_id[doc_id]
        sheet.set_param("html:prev", order[position - 1] if position > 0 else None)
        sheet.set_param("html:next", order[position + 1] if position + 1 < len(order) else None)
        write(f"{doc_id}.html", sheet.apply(doc, "html:document"), doc.path)
        advance()
    sheet.set_param("html:prev", None)
    sheet.set_param("html:next", None)
    write("index.html", sheet.call("html:index"), "index.html")
    for register in registers:
        sheet.set_param("html:register", register)
        write(f"{register.path.stem}.html", sheet.call("html:register"), register.path)
    write("about.html", sheet.call("html:about"), "about.html")
    write("search.html", sheet.call("html:search"), "search.html")

    # 3. what the pages link to: assets, TEI sources, schemas, PDFs, the encoding manual
    _copy_tree(stylesheet_dir() / "html" / "assets", out_dir / "assets")
    for path in [*(doc.path for doc in docs), *(reg.path for reg in registers)]:
        _copy(path, out_dir / "tei" / path.name)
    for name in schema_files:
        _copy(schema_dir() / name, out_dir / "schema" / name)
    for key, pdf in pdfs.items():
        if pdf.is_file():
            _copy(pdf, out_dir / "pdf" / f"{key}.pdf")
    result.manual = manual and _render_manual(out_dir / "about" / "encoding.html", result)
    if not result.manual:
        _placeholder_manual(out_dir / "about" / "encoding.html", edition, result)

    # 4. the search index, built over the finished pages
    if with_search:
        result.search_index = _pagefind(out_dir, result)
    elif search:
        message = "pagefind is not installed (pip install 'pagefind[extended]'): the site has no search index"
        result.diagnostics.append(warning(str(out_dir), 1, 1, message, "html-search"))
    return result


def _copy(source: Path, target: Path) -> None:
    atomic_write(target, source.read_bytes())


def _copy_tree(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file():
            _copy(path, target / path.relative_to(source))


def _render_manual(target: Path, result: HtmlResult) -> bool:
    """The encoding manual from the ODD, by the schema engineer's stage (cablegram.validate.render_manual)."""
    try:
        from cablegram.validate import render_manual

        render_manual(target)
    except (ImportError, AttributeError) as exc:
        message = f"the encoding manual is not available yet ({exc}); a placeholder page links to the ODD"
        result.diagnostics.append(warning(str(target), 1, 1, message, "html-manual"))
        return False
    return target.is_file()


def _placeholder_manual(target: Path, edition: Edition, result: HtmlResult) -> None:
    from html import escape

    title = escape(edition.config.title)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Encoding manual — {title}</title>"
        '<link rel="stylesheet" href="../assets/site.css"></head><body><main id="main">'
        "<h1>Encoding manual</h1><p>The manual is generated from the edition's ODD, "
        '<a href="../schema/cablegram.odd">cablegram.odd</a>. '
        'See also the <a href="../about.html">about page</a>.'
        "</p></main></body></html>\n"
    )
    atomic_write(target, page)
    result.pages.append(target)


def _pagefind(out_dir: Path, result: HtmlResult) -> bool:
    """One index for every language: all pages are lang="en" (the interface), the layers carry their own
    lang, so a Russian word finds the Russian original (TOOLCHAIN.md: pagefind makes one index per page
    language, and a search from an English page would not see the others)."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(out_dir),
        "--output-subdir",
        "pagefind",
        "--force-language",
        "en",
        "--silent",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        result.diagnostics.append(warning(str(out_dir), 1, 1, f"pagefind failed: {exc}", "html-search"))
        return False
    if done.returncode != 0:
        message = " ".join((done.stderr or done.stdout).split())[:500]
        result.diagnostics.append(warning(str(out_dir), 1, 1, f"pagefind failed: {message}", "html-search"))
        return False
    return (out_dir / "pagefind" / "pagefind-ui.js").is_file()


def serve(directory: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """`cablegram serve`: a local HTTP server for the built site (search needs HTTP, not file://)."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(directory))
    with ThreadingHTTPServer((host, port), handler) as server:
        print(f"serving {directory} at http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
