"""The print stylesheet (xslt/print/print.xsl) compiled once and run for every document and volume.

`cablegram.xslt` (the shared compile-once runner) does not exist yet; this is the small part of it that the
print edition needs, kept private to the package so that it can be replaced by an import later. saxonche
is imported here, inside the PDF stage, never at the CLI's start (STYLE.md point 12). Documents reach
Saxon as nodes built from text that `cablegram.xmlio` has already parsed and vetted: Saxon itself never
loads a URI. Compile errors and dynamic errors become diagnostics; xsl:message output is captured, not
left on the native stderr (TOOLCHAIN.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from cablegram import __version__, xmlio
from cablegram.diagnostics import CablegramError, Diagnostic, error, warning
from cablegram.edition import Edition
from cablegram.resources import schema_dir, xslt_dir
from cablegram.xslt import lock_down

CG = "urn:cablegram:xslt"
REGISTERS = ("persons.xml", "places.xml", "organisations.xml")  # corrections.xml is the converter's
PRINT = "urn:cablegram:xslt:print"


def print_registers(edition: Edition) -> list[tuple[str, bytes]]:
    """The registers the print edition reads and attaches, as (name, bytes)."""
    return [(p.name, p.read_bytes()) for p in edition.registers() if p.name != "corrections.xml"]


def stylesheet_path() -> Path:
    return xslt_dir() / "print" / "print.xsl"


@dataclass(frozen=True)
class Source:
    """A TEI file as Saxon sees it: its path (for diagnostics) and its node."""

    path: Path
    doc_id: str
    node: Any  # saxonche.PyXdmNode (saxonche ships no type information)
    data: bytes | None = None  # the file's bytes, when it came as bytes (a worker without the files)


class PrintTransform:
    """Compile print.xsl once; set the edition-wide parameters once; transform many times."""

    def __init__(
        self,
        edition: Edition,
        documents: Sequence[Path],
        *,
        build_date: str = "",
        version: str = __version__,
        registers: Sequence[tuple[str, bytes]] | None = None,
    ) -> None:
        """`registers`: the registers' (name, bytes) when the edition's files are not at hand (a worker);
        default: read from the edition's tei/."""
        from saxonche import PySaxonApiError, PySaxonProcessor  # heavy: only in the PDF stage

        self._api_error = PySaxonApiError
        self._processor = PySaxonProcessor(license=False)
        self.edition = edition
        stylesheet = stylesheet_path()
        compiler = self._processor.new_xslt30_processor()
        try:
            self._executable = compiler.compile_stylesheet(stylesheet_file=str(stylesheet))
        except PySaxonApiError as exc:
            raise CablegramError(error(str(stylesheet), 1, 1, f"print stylesheet: {exc}", "xslt")) from None
        self._executable.set_save_xsl_message(True)
        lock_down(self._processor)  # from here on no stylesheet may read a URI (README: security model)
        self._values: dict[str, Any] = {}
        self.documents = [self.load(path) for path in documents]
        self._by_path = {source.path: source for source in self.documents}
        if registers is None:
            registers = print_registers(edition)
        register_sources = [self.load_bytes(data, Path(name)) for name, data in registers]
        config = edition.config
        self.set_corpus(self.documents)
        self._set("registers", self._sequence(s.node for s in register_sources))
        self._set("edition-title", self._string(config.title))
        self._set("edition-editors", self._strings(config.editors))
        self._set("edition-description", self._string(config.description))
        self._set("edition-publisher", self._string(config.publisher))
        self._set("licence", self._string(config.licence))
        self._set("licence-url", self._string(config.licence_url))
        self._set("base-url", self._string(config.base_url))
        self._set("version", self._string(version))
        self._set("build-date", self._string(build_date))
        odd = schema_dir() / "cablegram.odd"
        if odd.is_file():
            self._set("odd", self.load(odd).node, PRINT)

    # -- values ----------------------------------------------------------------------------------

    def set_corpus(self, sources: Sequence[Source]) -> None:
        """$cg:corpus: what the volume's front matter reads across the edition (its editorial principles)."""
        self._set("corpus", self._sequence(s.node for s in sources))

    def load(self, path: Path) -> Source:
        """Parse with the one hardened parser, then hand Saxon the vetted text (never a URI to load)."""
        return self._source(xmlio.parse(path), path)

    def load_bytes(self, data: bytes, path: Path) -> Source:
        """The same from bytes; `path` names the file in diagnostics."""
        return self._source(xmlio.parse_bytes(data, str(path)), path, data)

    def _source(self, tree: etree._ElementTree, path: Path, data: bytes | None = None) -> Source:
        text = etree.tostring(tree.getroot(), encoding="unicode")
        node = self._processor.parse_xml(xml_text=text, encoding="UTF-8")
        doc_id = tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id") or path.stem
        return Source(path, doc_id, node, data)

    def source(self, path: Path) -> Source:
        return self._by_path.get(path) or self.load(path)

    def _string(self, value: str) -> Any:
        return self._processor.make_string_value(value)

    def _strings(self, values: Sequence[str]) -> Any:
        sequence = self._processor.empty_sequence()
        for value in values:
            sequence.add_xdm_item(self._processor.make_string_value(value))
        return sequence

    def _sequence(self, nodes: Any) -> Any:
        sequence = self._processor.empty_sequence()
        for node in nodes:
            sequence.add_xdm_item(node)
        return sequence

    def _set(self, name: str, value: Any, namespace: str = CG) -> None:
        # saxonche does not keep the Python value alive: once it is garbage-collected, the executable holds
        # a dangling pointer and the next transformation crashes the process. So the values stay here.
        key = f"{{{namespace}}}{name}"
        self._values[key] = value
        self._executable.set_parameter(key, value)

    # -- transformations -------------------------------------------------------------------------

    def document_html(self, source: Source) -> tuple[str, list[Diagnostic]]:
        """The print HTML of one document (mode print:document)."""
        self._executable.set_initial_mode(f"Q{{{PRINT}}}document")
        return self._run(
            source.path,
            lambda: self._executable.apply_templates_returning_string(
                xdm_value=source.node, encoding="UTF-8"
            ),
        )

    def volume_html(
        self,
        sources: Sequence[Source],
        *,
        label: str = "",
        anchor_pages: dict[str, int] | None = None,
        front_only: bool = False,
    ) -> tuple[str, list[Diagnostic]]:
        """The print HTML of a volume (template print:volume); `anchor_pages` from a first rendering or a
        prediction; `front_only`: its front matter alone."""
        self._set("volume-docs", self._sequence(s.node for s in sources), PRINT)
        self._set("volume-label", self._string(label), PRINT)
        self._set("front-only", self._processor.make_boolean_value(front_only), PRINT)
        pages = [f"{anchor} {page}" for anchor, page in sorted((anchor_pages or {}).items())]
        self._set("anchor-pages", self._strings(pages), PRINT)
        path = self.edition.root / "edition.pdf"
        return self._run(
            path,
            lambda: self._executable.call_template_returning_string(f"{{{PRINT}}}volume", encoding="UTF-8"),
        )

    def date_order(self, sources: Sequence[Source]) -> list[Source]:
        """The sources in the edition's date order (cg:date-order: undated last, then by id)."""
        self._set("volume-docs", self._sequence(s.node for s in sources), PRINT)
        path = self.edition.root / "edition.pdf"
        ids, _ = self._run(
            path,
            lambda: self._executable.call_template_returning_string(
                f"{{{PRINT}}}date-order", encoding="UTF-8"
            ),
        )
        by_id = {s.doc_id: s for s in sources}
        return [by_id[i] for i in ids.split() if i in by_id]

    def _run(self, path: Path, transform: Any) -> tuple[str, list[Diagnostic]]:
        shown = self.edition.relative(path)
        self._executable.clear_xsl_messages()
        try:
            html = transform()
        except self._api_error as exc:
            raise CablegramError(error(shown, 1, 1, f"print stylesheet: {exc}", "xslt")) from None
        diagnostics = [warning(shown, 1, 1, message, "xslt-message") for message in self._messages()]
        if not html:
            raise CablegramError(error(shown, 1, 1, "print stylesheet produced nothing", "xslt"))
        return str(html), diagnostics

    def _messages(self) -> list[str]:
        messages = self._executable.get_xsl_messages()
        if messages is None:
            return []
        found = []
        for index in range(messages.size):
            item = messages.item_at(index)
            text = " ".join(str(item.string_value if hasattr(item, "string_value") else item).split())
            found.append(text.removeprefix("cablegram-warning: "))
        return found
