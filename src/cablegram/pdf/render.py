"""Print HTML → PDF with WeasyPrint: fonts, variant, attachments, and failures that are loud.

WeasyPrint is imported here, inside the PDF stage (~0.75 s: never at the CLI's start, STYLE.md point 12).
One `PdfRenderer` parses print.css and keeps WeasyPrint's font configuration for the whole run, so that
rendering many documents re-parses and re-loads nothing. It fetches nothing either: its URL fetcher serves
files of the package's print directory only and stops the rendering on any other URL (issue 5).

A character that no installed font covers comes out of WeasyPrint as a `.notdef` glyph with a logged
warning; here it is an error naming the TEI file, the line and column where the character is, and the
character itself (issue 5, point 4). Its PDF is not written.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cablegram.diagnostics import Diagnostic, error, warning
from cablegram.resources import xslt_dir

# PDF/A-3u: archival (ISO 19005-3), every glyph mapped to Unicode, fonts embedded, sRGB output intent; part 3
# allows the TEI sources to travel inside the PDF as attachments ("Source"). See cablegram.pdf.__init__.
DEFAULT_VARIANT = "pdf/a-3u"
VARIANTS = ("pdf/a-3u", "pdf/a-3a", "pdf/a-3b", "pdf/a-2b", "pdf/ua-1", "none")
FONT_FAMILIES = ("Noto Serif", "Noto Serif CJK SC")
XHTML = "{http://www.w3.org/1999/xhtml}"
_NOTDEF = re.compile(
    r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.*)" \(U\+([0-9A-F]+)\)'
)


def print_dir() -> Path:
    return xslt_dir() / "print"


def css_path() -> Path:
    return print_dir() / "print.css"


@dataclass
class Rendered:
    """One rendering: the PDF (None when rendering failed), where each anchor fell, the problems."""

    pdf: bytes | None
    pages: int = 0
    anchors: dict[str, int] = field(default_factory=dict)  # element id → page number (1-based)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class Attachment:
    """A file carried inside the PDF (PDF/A-3 "associated file")."""

    name: str
    data: bytes
    description: str
    media_type: str = "application/tei+xml"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _weasyprint_log() -> Iterator[_Collector]:
    """Collect WeasyPrint's warnings for one rendering instead of letting them scroll past."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    previous = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous


def missing_fonts() -> list[str]:
    """The families print.css needs that fontconfig does not know (empty when fc-list is not there)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return [family for family in FONT_FAMILIES if family not in families]


def _local_fetcher(root: Path) -> Any:
    """A WeasyPrint URL fetcher that serves files under `root` and refuses, fatally, everything else."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    allowed = root.resolve()

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

        def fetch(self, url: str, headers: Any = None) -> Any:
            from urllib.parse import unquote, urlsplit

            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or not path.is_relative_to(allowed) or not path.is_file():
                raise FatalURLFetchingError(
                    f"refused to fetch {url}: only the print edition's own files are served"
                )
            return URLFetcherResponse(url, path.read_bytes())

    return LocalOnly()


def print_tree(html: str) -> ElementTree.Element:
    """The print stylesheet's output (XHTML syntax) as the tree WeasyPrint's HTML5 parser would build: the
    same elements, without namespace.

    The text is Saxon's own serialization of the print stylesheet's result, not input: whatever a source
    held arrives as escaped character data, and there is no DOCTYPE to expand. So the standard library's
    C parser reads it; going through WeasyPrint's pure-Python HTML5 parser gave the same tree (and the same
    PDF bytes) at 20-50 times the cost."""
    root = ElementTree.fromstring(html)
    for element in root.iter():
        if element.tag.startswith(XHTML):
            element.tag = element.tag[len(XHTML) :]
    return root


def _tree_html_class(weasyprint: Any) -> Any:
    """weasyprint.HTML made from a parsed tree. WeasyPrint 70 builds one only from text, which it parses
    itself; this sets what its constructor sets after parsing (pinned: weasyprint>=70,<71)."""
    import cssselect2

    class TreeHTML(weasyprint.HTML):  # type: ignore[misc,name-defined]
        def __init__(self, root: ElementTree.Element, base_url: str, url_fetcher: Any) -> None:
            # no super().__init__(): it would parse text
            self.base_url = base_url
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

    return TreeHTML


class PdfRenderer:
    """WeasyPrint set up once: stylesheet, fonts, fetcher, PDF variant."""

    def __init__(self, *, variant: str = DEFAULT_VARIANT, build_date: str = "") -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        if variant not in VARIANTS:
            raise ValueError(f"unknown PDF variant {variant!r}; one of {', '.join(VARIANTS)}")
        self._weasyprint = weasyprint
        self.variant = None if variant == "none" else variant
        self._fetcher = _local_fetcher(print_dir())
        self._base_url = print_dir().as_uri() + "/"
        self._tree_html = _tree_html_class(weasyprint)
        self._font_config = FontConfiguration()
        with _weasyprint_log() as log:
            self._css = weasyprint.CSS(
                filename=str(css_path()), font_config=self._font_config, url_fetcher=self._fetcher
            )
        self.setup_diagnostics = [
            warning(str(css_path()), 1, 1, record.getMessage(), "weasyprint") for record in log.records
        ]
        self._when = _timestamp(build_date)

    def render(
        self,
        html: str,
        *,
        output: str,
        sources: Sequence[Path] = (),
        attachments: Sequence[Attachment] = (),
        write: bool = True,
    ) -> Rendered:
        """Lay out `html` and (with `write`) make the PDF. `output` names the PDF in diagnostics; `sources`
        are the TEI files searched for a character that no font covers."""
        from weasyprint.urls import FatalURLFetchingError

        with _weasyprint_log() as log:
            try:
                tree = self._tree_html(print_tree(html), self._base_url, self._fetcher)
                document = tree.render(stylesheets=[self._css], font_config=self._font_config)
                anchors = {
                    anchor: number
                    for number, page in enumerate(document.pages, start=1)
                    for anchor in page.anchors
                }
                data = self._write(document, attachments) if write else None
            except FatalURLFetchingError as exc:
                return Rendered(
                    None, diagnostics=[error(output, 1, 1, str(exc.__cause__ or exc), "pdf-fetch")]
                )
        diagnostics = [self._diagnostic(record, output, sources) for record in log.records]
        failed = any(d.severity == "error" for d in diagnostics)
        return Rendered(None if failed else data, len(document.pages), anchors, diagnostics)

    def _write(self, document: Any, attachments: Sequence[Attachment]) -> bytes:
        options: dict[str, Any] = {"uncompressed_pdf": False, "custom_metadata": False}
        if self.variant:
            options["pdf_variant"] = self.variant
        if self.variant and self.variant.startswith("pdf/a-") and self.variant[6] in "1 2":
            attachments = ()  # PDF/A-1 and -2 allow no (non-PDF) attachments
        if attachments:
            options["attachments"] = [
                self._weasyprint.Attachment(
                    file_obj=io.BytesIO(item.data),
                    name=item.name,
                    description=item.description,
                    created=self._when,
                    modified=self._when,
                    relationship="Source",
                    url_fetcher=self._fetcher,
                )
                for item in attachments
            ]
        # The PDF's identifier is derived from its content (pydyf), not random: a rebuild is byte-identical.
        result: bytes = document.write_pdf(**options)
        return result

    def _diagnostic(self, record: logging.LogRecord, output: str, sources: Sequence[Path]) -> Diagnostic:
        message = record.getMessage()
        match = _NOTDEF.search(message)
        if match is None:
            make = error if record.levelno >= logging.ERROR else warning
            return make(output, 1, 1, f"WeasyPrint: {message}", "weasyprint")
        char, code = match.group(1), match.group(2)
        text = f'character "{char}" (U+{code}) has no glyph in any installed font (.notdef) in {output}'
        for source in sources:
            found = _locate(source, char)
            if found:
                return error(str(source), found[0], found[1], text, "pdf-notdef")
        return error(output, 1, 1, text, "pdf-notdef")


def _locate(path: Path, char: str) -> tuple[int, int] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    index = text.find(char)
    if index < 0:
        return None
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _timestamp(build_date: str) -> datetime:
    try:
        return datetime.fromisoformat(build_date).replace(tzinfo=UTC)
    except ValueError:
        return datetime(1970, 1, 1, tzinfo=UTC)
