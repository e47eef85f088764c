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
import hashlib
import os
import re
import uuid
from collections.abc import Callable, Collection, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cablegram import __version__
from cablegram import search as search_index
from cablegram.diagnostics import CablegramError, Diagnostic, warning
from cablegram.edition import Edition
from cablegram.executor import Lazy, SerialExecutor, Task
from cablegram.fsutil import atomic_write, one_sync_at_the_end, output_path, sha256_bytes
from cablegram.resources import schema_dir

if TYPE_CHECKING:
    from cablegram.executor import Executor
    from cablegram.xslt import Document, ParamValue, Stylesheet

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


@dataclass(frozen=True)
class HtmlSettings:
    """The stylesheet's edition-wide parameters: the same for every page, so set once per worker."""

    title: str
    description: str
    editors: tuple[str, ...]
    publisher: str
    licence: str
    licence_url: str
    base_url: str
    version: str
    date: str
    search: bool
    schema_files: tuple[str, ...]

    @classmethod
    def of(
        cls, edition: Edition, *, search: bool, version: str | None = None, date: str | None = None
    ) -> HtmlSettings:
        config = edition.config
        return cls(
            config.title,
            config.description,
            tuple(config.editors),
            config.publisher,
            config.licence,
            config.licence_url,
            config.base_url,
            version or __version__,
            date or build_date(),
            search,
            tuple(name for name in SCHEMA_FILES if (schema_dir() / name).is_file()),
        )

    def apply(self, sheet: Stylesheet) -> None:
        params: dict[str, ParamValue] = {
            "cg:edition-title": self.title,
            "cg:edition-description": self.description,
            "cg:edition-editors": list(self.editors),
            "cg:edition-publisher": self.publisher,
            "cg:licence": self.licence,
            "cg:licence-url": self.licence_url,
            "cg:base-url": self.base_url,
            "cg:version": self.version,
            "cg:build-date": self.date,
            "html:search": self.search,
            "html:schema-files": list(self.schema_files),
        }
        for name, value in params.items():
            sheet.set_param(name, value)


Neighbour = tuple[str, str]  # (id, title) of the previous or next document in date order
# what make_site_pages returns: the pages written, each page's diagnostics, what stopped it
SitePages = tuple[list[Path], dict[str, list[Diagnostic]], list[Diagnostic]]


@dataclass(frozen=True)
class PageItem:
    """One document page to render: the TEI as bytes (a worker may not see the edition's files), its
    neighbours' ids and titles (all a page shows of them), and whether it has a PDF. `checked`: the SHA-256
    of the bytes the build has validated (parsed with xmlio) as the document `doc_id`; bytes with that
    digest go to Saxon without being parsed again (Stylesheet.load_checked)."""

    path: str
    data: bytes
    prev: Neighbour | None
    next: Neighbour | None
    has_pdf: bool
    doc_id: str = ""
    checked: str = ""


@dataclass(frozen=True)
class Page:
    html: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()
    failed: bool = False
    summary: str = ""  # what the site-wide pages need of the document (xslt/html/summary.xsl), as XML


@dataclass(frozen=True)
class PageTask(Task["tuple[Stylesheet, list[Document]]", PageItem, Page]):
    """Render document pages: the stylesheet compiled and the registers loaded once per worker."""

    settings: HtmlSettings
    registers: tuple[tuple[str, bytes], ...]  # the register pages' files (persons, places, organisations)
    key: str = "html-pages"

    def setup(self) -> tuple[Stylesheet, list[Document]]:
        from cablegram.xslt import Stylesheet, stylesheet_dir

        sheet = Stylesheet(stylesheet_dir() / "html" / "edition.xsl", NAMESPACES)
        registers = [sheet.load_bytes(data, name) for name, data in self.registers]
        sheet.set_param("cg:registers", registers)
        self.settings.apply(sheet)
        return sheet, registers

    def run(self, context: tuple[Stylesheet, list[Document]], item: PageItem) -> Page:
        sheet, _ = context
        try:
            if item.checked and item.doc_id and sha256_bytes(item.data) == item.checked:
                document = sheet.load_checked(item.data, item.path, item.doc_id)
            else:
                document = sheet.load_bytes(item.data, item.path)
            sheet.set_param("html:pdf-ids", [document.doc_id] if item.has_pdf else [])
            # a neighbour is its id and title, given as strings: no tree to build for either
            for side, neighbour in (("prev", item.prev), ("next", item.next)):
                sheet.set_param(f"html:{side}", neighbour[0] if neighbour else None)
                sheet.set_param(f"html:{side}-title", neighbour[1] if neighbour else None)
            html = sheet.apply(document, "html:document")
            # the document is in Saxon now: reading its summary here spares the main process the TEI
            summary = sheet.apply(document, "html:summary")
        except CablegramError as exc:  # returned, not raised: it crosses a process boundary
            sheet.messages(item.path)
            return Page(diagnostics=tuple(exc.diagnostics), failed=True)
        return Page(html, tuple(sheet.messages(item.path)), summary=summary)


@dataclass(frozen=True)
class SummaryTask(Task["Stylesheet", tuple[str, bytes], Page]):
    """Summaries alone, of documents whose page was not rendered in this run (a rebuild reuses it)."""

    key: str = "html-summaries"

    def setup(self) -> Stylesheet:
        from cablegram.xslt import Stylesheet, stylesheet_dir

        return Stylesheet(stylesheet_dir() / "html" / "edition.xsl", NAMESPACES)

    def run(self, context: Stylesheet, item: tuple[str, bytes]) -> Page:
        path, data = item
        try:
            summary = context.apply(context.load_bytes(data, path), "html:summary")
        except CablegramError as exc:
            context.messages(path)
            return Page(diagnostics=tuple(exc.diagnostics), failed=True)
        return Page(diagnostics=tuple(context.messages(path)), summary=summary)


def date_order(facts: Sequence[tuple[str, str, str | None]]) -> list[str]:
    """The document ids in the edition's date order (cg:date-order), from (id, title, when) alone: sorted
    by the stylesheet that orders the site's pages (summary.xsl), in one small tree."""
    from lxml import etree

    from cablegram.xslt import Stylesheet, stylesheet_dir

    site = etree.Element(f"{{{NAMESPACES['html']}}}site", nsmap={"html": NAMESPACES["html"]})
    for doc_id, title, when in facts:
        doc = etree.SubElement(site, f"{{{NAMESPACES['html']}}}doc", id=doc_id, title=title)
        if when is not None:
            doc.set("when", when)
    sheet = Stylesheet(stylesheet_dir() / "html" / "edition.xsl", NAMESPACES)
    sheet.set_param("html:summaries", sheet.load_bytes(etree.tostring(site, encoding="utf-8"), "date order"))
    return sheet.call_strings("html:date-order-ids")


def in_date_order(documents: Sequence[Path], order: Sequence[str], paths: Mapping[str, Path]) -> list[Path]:
    """`documents` in date order (`order`: their ids in date order, `paths`: id → file), for site_summaries:
    the site's pages list the documents in that order, and summaries given so spare the stylesheet a sorted
    copy of them (summary.xsl). A file without an id in `order` comes last."""
    rank = {doc_id: index for index, doc_id in enumerate(order)}
    ids = {path: doc_id for doc_id, path in paths.items()}
    return sorted(documents, key=lambda path: rank.get(ids.get(path, ""), len(order)))


def page_items(
    paths: Mapping[str, Path],
    order: Sequence[str],
    titles: Mapping[str, str],
    pdf_ids: set[str],
    *,
    wanted: set[str] | None = None,
) -> Lazy[tuple[str, PageItem]]:
    """(id, item) of the document pages in date order (`wanted`: only those ids), `paths` mapping ids to
    files. Lazy: a file is read when a worker is about to get it, so 10,000 documents are never all in
    memory at once."""
    chosen = [position for position, doc_id in enumerate(order) if wanted is None or doc_id in wanted]

    def item(index: int) -> tuple[str, PageItem]:
        position = chosen[index]
        doc_id = order[position]
        prev = order[position - 1] if position > 0 else None
        after = order[position + 1] if position + 1 < len(order) else None
        path = paths[doc_id]
        return doc_id, PageItem(
            str(path),
            path.read_bytes(),
            (prev, titles[prev]) if prev else None,
            (after, titles[after]) if after else None,
            doc_id in pdf_ids,
        )

    return Lazy(len(chosen), item)


def register_files(edition: Edition) -> list[Path]:
    return [p for name in REGISTER_PAGES if (p := edition.tei_dir / f"{name}.xml").is_file()]


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
    executor: Executor | None = None,
) -> HtmlResult:
    """Render the web edition of `documents` into `out_dir`.

    `pdfs` maps document ids to PDFs of the print edition (copied to DIR/pdf/ and linked); `search`
    builds the pagefind index when pagefind is installed; `manual` renders DIR/about/encoding.html from
    the ODD. Raises CablegramError (with every diagnostic) when a document cannot be read or rendered.
    The document pages are rendered by `executor`'s workers (default: in this process).
    """
    result = HtmlResult(out_dir)
    pdfs = dict(pdfs or {})
    with_search = search and pagefind_available()
    settings = HtmlSettings.of(edition, search=with_search, version=version, date=date)
    pdf_ids = {key for key, pdf in pdfs.items() if pdf.is_file()}

    # 1. gather everything before any page is written (STYLE.md 1): the date order needs only the
    # documents' ids, titles and dates
    from cablegram import xmlio
    from cablegram.validate import document_facts

    facts = []
    paths: dict[str, Path] = {}
    problems: list[Diagnostic] = []
    for path in documents:
        try:
            found = document_facts(xmlio.parse(path))
        except CablegramError as exc:
            problems.extend(exc.diagnostics)
            continue
        facts.append((found.doc_id or path.stem, found.title, found.when))
        paths[found.doc_id or path.stem] = path
    if problems:
        raise CablegramError(problems)
    order = date_order(facts)
    titles = {doc_id: title for doc_id, title, _ in facts}

    # Thousands of small files: each is still written whole or not at all (atomic_write renames), and one
    # sync at the end makes them durable instead of one fsync per file (as a build does, issue 8).
    with one_sync_at_the_end():
        # 2. the document pages, in the workers, which also return each document's summary
        summaries: dict[str, str] = {}
        items = page_items(paths, order, titles, pdf_ids)
        write_pages(
            items,
            out_dir,
            result,
            settings=settings,
            edition=edition,
            executor=executor,
            advance=advance,
            summaries=summaries,
        )
        # 3. the search index, over the finished document pages (the only ones it indexes: they alone
        # are data-pagefind-body), while this process makes the pages about the whole edition and copies
        # what the pages link to
        bundles = search_index.bundles(order)
        indexing = search_index.start(out_dir, bundles) if with_search and result.pages else None
        try:
            render_site(
                edition,
                in_date_order(documents, order, paths),
                out_dir,
                result,
                settings=settings,
                pdfs=pdfs,
                manual=manual,
                summaries=summaries,
                executor=executor,
                search_bundles=search_index.merged(bundles) if with_search else [],
            )
        except BaseException:
            if indexing is not None:
                indexing.stop()
            raise
        if with_search:
            result.search_index, problems = search_index.finish(indexing, out_dir, pages=bool(result.pages))
            result.diagnostics.extend(problems)
        elif search:
            result.diagnostics.append(search_index.not_installed(out_dir))
    os.sync()
    return result


def write_pages(
    items: Sequence[tuple[str, PageItem]],
    out_dir: Path,
    result: HtmlResult,
    *,
    settings: HtmlSettings,
    edition: Edition,
    executor: Executor | None = None,
    advance: Callable[[], None] = lambda: None,
    by_page: dict[str, list[Diagnostic]] | None = None,
    summaries: dict[str, str] | None = None,
) -> None:
    """Render and write the document pages of `items`; raise CablegramError with every failure at the end.
    `by_page` receives each page's diagnostics, `summaries` each document's summary (by its path) for
    render_site."""
    from cablegram.validate import register_bytes

    task = PageTask(settings, register_bytes(register_files(edition)))
    task = PageTask(task.settings, task.registers, key=f"html-pages:{uuid.uuid4().hex}")
    problems: list[Diagnostic] = []
    taken: dict[int, tuple[str, str]] = {}  # index → (id, path): each item is made (its file read) once

    def take(index: int) -> PageItem:
        doc_id, item = items[index]
        taken[index] = (doc_id, item.path)
        return item

    pages = (executor or SerialExecutor()).map(task, Lazy(len(items), take), advance=advance)
    for index, page in enumerate(pages):
        doc_id, path = taken.pop(index)
        if page.failed:
            problems.extend(page.diagnostics)
            continue
        try:
            target = output_path(out_dir, doc_id, ".html")
        except CablegramError as exc:
            problems.extend(exc.diagnostics)
            continue
        atomic_write(target, page.html)
        result.pages.append(target)
        result.diagnostics.extend(page.diagnostics)
        if by_page is not None:
            by_page[doc_id] = list(page.diagnostics)
        if summaries is not None:
            summaries[path] = page.summary
    if problems:
        raise CablegramError(problems)


def site_summaries(
    documents: Sequence[Path],
    summaries: MutableMapping[str, str] | None = None,
    *,
    executor: Executor | None = None,
) -> bytes:
    """The summaries of `documents` (xslt/html/summary.xsl) as one XML document, in the order of
    `documents`: taken from `summaries` (by path, as write_pages returns them), the others made by
    `executor`'s workers (a rebuild that rendered only some pages) and added to `summaries`, for the caller
    to keep."""
    known = summaries if summaries is not None else {}
    missing = [path for path in documents if str(path) not in known]
    if missing:
        problems: list[Diagnostic] = []
        items = Lazy(len(missing), lambda index: (str(missing[index]), missing[index].read_bytes()))
        made = (executor or SerialExecutor()).map(SummaryTask(), items, advance=lambda: None)
        for path, page in zip(missing, made, strict=True):
            if page.failed:
                problems.extend(page.diagnostics)
            known[str(path)] = page.summary
        if problems:
            raise CablegramError(problems)
    parts = [f'<html:site xmlns:html="{NAMESPACES["html"]}">'.encode()]
    parts.extend(known[str(path)].encode("utf-8") for path in documents)
    parts.append(b"</html:site>")
    return b"\n".join(parts)


def render_site(
    edition: Edition,
    documents: Sequence[Path],
    out_dir: Path,
    result: HtmlResult,
    *,
    settings: HtmlSettings,
    pdfs: Mapping[str, Path],
    manual: bool = True,
    copies: bool = True,
    summaries: MutableMapping[str, str] | None = None,
    executor: Executor | None = None,
    linked: Collection[Path] = (),
    search_bundles: Sequence[str] = (),
) -> None:
    """The pages about the whole edition (index, registers, about, search), made from the documents'
    summaries (`summaries`, by path, from write_pages; those missing are made by `executor`'s workers and
    added to it), and (with `copies`) what the pages link to (`copy_site`). `search_bundles`: the search
    indexes beyond pagefind/ that the search page merges (cablegram.search)."""
    site = site_summaries(documents, summaries, executor=executor)
    write_site_pages(
        edition, site, out_dir, result, settings=settings, pdfs=pdfs, search_bundles=search_bundles
    )
    if copies:
        copy_site(
            edition, documents, out_dir, result, settings=settings, pdfs=pdfs, manual=manual, linked=linked
        )


def site_pages(edition: Edition) -> list[str]:
    """The file names of the pages about the whole edition, in the order write_site_pages makes them."""
    return [
        "index.html",
        *(f"{path.stem}.html" for path in register_files(edition)),
        "about.html",
        "search.html",
    ]


# parts of the summaries (summary.xsl) that some site pages do not read; Saxon writes "<" in text and ">" in
# attribute values as "&lt;" and "&gt;"
_MENTIONS = re.compile(rb"<html:mention [^>]*/>")
_WITHOUT_MENTIONS = ("index.html", "about.html", "search.html")  # the site pages that read no mention
_ABOUT_THE_TEXT = re.compile(rb"<html:(from|to|lang|summary)\b[^>]*?(?:/>|>[^<]*</html:\1>)")


def site_page_inputs(edition: Edition, site: bytes) -> dict[str, str]:
    """Per page about the whole edition (site_pages), a digest of what it reads of `site` (the summaries as
    site_summaries gives them): a page whose digest, registers and settings are a previous build's is that
    build's page, and a rebuild takes it over. As summary.xsl says, the index and about pages read no
    mention, the register pages no correspondent, language or abstract, the search page no summary: a
    changed abstract makes the index and about pages again, not the 40 MB of register pages of a
    10,000-document edition, and a changed mention the register pages."""
    but_mentions = hashlib.sha256(_MENTIONS.sub(b"", site)).hexdigest()
    for_registers = hashlib.sha256(_ABOUT_THE_TEXT.sub(b"", site)).hexdigest()
    found = dict.fromkeys(site_pages(edition), for_registers)
    found.update(dict.fromkeys(_WITHOUT_MENTIONS, but_mentions))
    found["search.html"] = ""  # it reads no summary at all
    return found


def write_site_pages(
    edition: Edition,
    site: bytes,
    out_dir: Path,
    result: HtmlResult,
    *,
    settings: HtmlSettings,
    pdfs: Mapping[str, Path],
    search_bundles: Sequence[str] = (),
    only: Collection[str] | None = None,
    by_page: dict[str, list[Diagnostic]] | None = None,
) -> None:
    """The pages about the whole edition (index, registers, about, search) from `site`, the documents'
    summaries as site_summaries gives them (fastest in date order: summary.xsl); `search_bundles` as for
    render_site. `only`: the file names of the pages to make (site_pages), `by_page` receives each page's
    diagnostics."""
    from cablegram.xslt import Stylesheet, stylesheet_dir

    sheet = Stylesheet(stylesheet_dir() / "html" / "edition.xsl", NAMESPACES)
    problems: list[Diagnostic] = []
    registers = []
    for path in register_files(edition):
        try:
            registers.append(sheet.load(path))
        except CablegramError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise CablegramError(problems)
    settings.apply(sheet)
    # the index and about pages read no mention (site_page_inputs): made alone, as after a changed summary,
    # they get the summaries without them, less than half the bytes for Saxon to load
    wanted = site_pages(edition) if only is None else only
    if all(name in _WITHOUT_MENTIONS for name in wanted):
        site = _MENTIONS.sub(b"", site)
    sheet.set_param("html:summaries", sheet.load_made(site, str(out_dir / "index.html")))
    sheet.set_param("cg:registers", registers)
    sheet.set_param("html:pdf-ids", [key for key, pdf in pdfs.items() if pdf.is_file()])
    sheet.set_param("html:search-bundles", list(search_bundles))

    def write(name: str, make: Callable[[], str], source: Path | str) -> None:
        if only is not None and name not in only:
            return
        target = out_dir / name
        atomic_write(target, make())
        result.pages.append(target)
        found = sheet.messages(source)
        result.diagnostics.extend(found)
        if by_page is not None:
            by_page[name] = found

    write("index.html", lambda: sheet.call("html:index"), "index.html")
    for register in registers:

        def page(register: Document = register) -> str:
            sheet.set_param("html:register", register)
            return sheet.call("html:register")

        write(f"{register.path.stem}.html", page, register.path)
    write("about.html", lambda: sheet.call("html:about"), "about.html")
    write("search.html", lambda: sheet.call("html:search"), "search.html")


def make_site_pages(
    edition: Edition,
    site: bytes,
    out_dir: Path,
    *,
    settings: HtmlSettings,
    pdfs: Mapping[str, Path],
    search_bundles: Sequence[str],
    only: Collection[str],
) -> SitePages:
    """write_site_pages as a call that can run in a process of its own (executor.Beside): the pages it
    wrote, each page's diagnostics, and the problems that stopped it, returned rather than raised, as a
    CablegramError does not survive the trip between processes. For a caller that makes its files durable
    with one sync at its end (the build): the pages are not synced one by one."""
    written = HtmlResult(out_dir)
    by_page: dict[str, list[Diagnostic]] = {}
    try:
        with one_sync_at_the_end():
            write_site_pages(
                edition,
                site,
                out_dir,
                written,
                settings=settings,
                pdfs=pdfs,
                search_bundles=search_bundles,
                only=only,
                by_page=by_page,
            )
    except CablegramError as exc:
        return written.pages, by_page, exc.diagnostics
    return written.pages, by_page, []


def copy_site(
    edition: Edition,
    documents: Sequence[Path],
    out_dir: Path,
    result: HtmlResult,
    *,
    settings: HtmlSettings,
    pdfs: Mapping[str, Path],
    manual: bool = True,
    linked: Collection[Path] = (),
    manual_from: Path | None = None,
) -> None:
    """What the pages link to: assets, TEI sources, schemas, PDFs, the encoding manual. `linked`: TEI
    sources already in DIR/tei/ (a build links those unchanged since its previous build); `manual_from`:
    the encoding manual as an earlier build made it of the same ODD and stylesheets, taken over."""
    from cablegram.xslt import stylesheet_dir

    _copy_tree(stylesheet_dir() / "html" / "assets", out_dir / "assets")
    done = set(linked)
    for path in [*documents, *register_files(edition)]:
        if path not in done:
            _copy(path, out_dir / "tei" / path.name)
    for name in settings.schema_files:
        _copy(schema_dir() / name, out_dir / "schema" / name)
    from cablegram.publish import link_or_copy

    for key, pdf in pdfs.items():
        if pdf.is_file():  # a build output: never changed in place, so a hard link is a copy
            link_or_copy(pdf, out_dir / "pdf" / f"{key}.pdf")
    target = out_dir / "about" / "encoding.html"
    if manual and manual_from is not None and manual_from.is_file():
        link_or_copy(manual_from, target)
        result.manual = True
        return
    result.manual = manual and _render_manual(target, result)
    if not result.manual:
        _placeholder_manual(target, edition, result)


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


def serve(directory: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """`cablegram serve`: a local HTTP server for the built site (search needs HTTP, not file://)."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(directory))
    with ThreadingHTTPServer((host, port), handler) as server:
        print(f"serving {directory} at http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
