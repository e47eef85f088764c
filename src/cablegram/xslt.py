"""XSLT 3.0 through saxonche: compile once per run, run with parameters, capture messages.

STYLE.md 9 and 12, TOOLCHAIN.md (saxonche): compiling costs 4–40 ms and a run of the compiled executable
0.2–0.6 ms per small document, so a stage compiles its entry stylesheet once and reuses it. Documents reach
Saxon only as trees built from bytes that `cablegram.xmlio` has parsed safely (in this call, or earlier in
the run, when the bytes are checked to be the same), or from XML that cablegram's own stylesheets wrote
(`load_made`), after the same refusal of any DOCTYPE — Saxon never loads a URI itself. `xsl:message` output
is saved (not written to the native stderr) and returned as diagnostics. saxonche is imported here, inside
the stage that needs it, never at the CLI's start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from cablegram import XML_NS
from cablegram.diagnostics import CablegramError, Diagnostic, error, warning
from cablegram.xmlio import doctype_refused, has_doctype, parse, parse_bytes, serialize

_LOCATION = re.compile(r"line (\d+)(?:,? column (\d+))?", re.IGNORECASE)


ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"


def lock_down(processor: Any) -> None:
    """After compiling (imports are read then), forbid every URI scheme: a running stylesheet can then read
    no file and fetch nothing (doc(), unparsed-text(), collection() fail with FOUT1170), whatever a
    document contains. Documents and registers reach stylesheets as parameters, never by URI."""
    processor.set_configuration_property(ALLOWED_PROTOCOLS, "")


def stylesheet_dir() -> Path:
    """The shipped xslt/ directory (next to this module when installed, at the top of a checkout)."""
    from cablegram.resources import xslt_dir

    return xslt_dir()


def clark(name: str, namespaces: Mapping[str, str]) -> str:
    """A prefixed name as a Clark name, which saxonche takes for parameters and templates."""
    prefix, _, local = name.rpartition(":")
    return f"{{{namespaces[prefix]}}}{local}" if prefix else local


class Document:
    """A TEI file parsed safely by xmlio and handed to Saxon as a tree; `path` is kept for diagnostics."""

    def __init__(self, path: Path, node: Any, doc_id: str) -> None:
        self.path = path
        self.node = node
        self.doc_id = doc_id  # TEI/@xml:id


# A parameter value: a string, a boolean, a sequence of strings, or (sequences of) parsed documents.
ParamValue = str | bool | int | Document | Iterable[str] | Iterable[Document] | None


class Stylesheet:
    """One compiled XSLT 3.0 stylesheet (its entry module imports the rest)."""

    def __init__(self, path: Path, namespaces: Mapping[str, str]) -> None:
        from saxonche import PySaxonApiError, PySaxonProcessor  # heavy: imported in the stage only

        self.path = path
        self.namespaces = dict(namespaces)
        self._error_type = PySaxonApiError
        self._proc = PySaxonProcessor(license=False)
        compiler = self._proc.new_xslt30_processor()
        try:
            self._exe = compiler.compile_stylesheet(stylesheet_file=str(path))
        except PySaxonApiError as exc:
            raise CablegramError(self._diagnostic(str(path), exc, "xslt-compile")) from None
        if self._exe is None:  # some saxonche versions report compile errors only on the processor
            raise CablegramError(error(str(path), 1, 1, "the stylesheet does not compile", "xslt-compile"))
        self._exe.set_save_xsl_message(True)
        lock_down(self._proc)
        self._builder = self._proc.new_document_builder()
        self._keep: dict[str, list[Any]] = {}  # per parameter: the XDM values Saxon points at

    # -- inputs ------------------------------------------------------------------------------------

    def load(self, path: Path) -> Document:
        """Parse a file with the one hardened parser, then build Saxon's tree from its bytes."""
        return self._document(parse(path), path)

    def load_bytes(self, data: bytes, name: str) -> Document:
        """The same from bytes in memory (tests, tools); `name` stands for the path in diagnostics."""
        return self._document(parse_bytes(data, name), Path(name))

    def load_checked(self, data: bytes, name: str, doc_id: str) -> Document:
        """Bytes that xmlio has parsed safely already in this run (the build validated them, and the caller
        has checked that these are the bytes it validated): Saxon builds its tree from them directly. A
        second parse and a serialization were a third of the time a web page took. The DOCTYPE scan is
        repeated, as it costs nothing; bytes that are not UTF-8 take the way of load_bytes."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return self.load_bytes(data, name)
        return self._direct(data, text, name, doc_id)

    def load_made(self, data: bytes, name: str) -> Document:
        """XML that cablegram's own stylesheets wrote, in this build or the previous one (the summaries the
        site's pages are made from, 19 MB at 10,000 documents): Saxon builds its tree from the bytes
        directly, 0.4 s sooner than through the hardened parser. The DOCTYPE scan stays, and bytes that
        are not well-formed (a damaged file of the previous build) are an error naming `name`."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return self.load_bytes(data, name)
        try:
            return self._direct(data, text, name, Path(name).stem)
        except self._error_type as exc:
            raise CablegramError(self._diagnostic(name, exc, "xml-syntax")) from None

    def _direct(self, data: bytes, text: str, name: str, doc_id: str) -> Document:
        if has_doctype(data):
            raise CablegramError(doctype_refused(name))
        path = Path(name)
        self._builder.set_base_uri(path.absolute().as_uri())
        return Document(path, self._builder.parse_xml(xml_text=text), doc_id)

    def _document(self, tree: etree._ElementTree, path: Path) -> Document:
        doc_id = tree.getroot().get(f"{{{XML_NS}}}id") or path.stem
        self._builder.set_base_uri(path.absolute().as_uri())  # absolute(), not resolve(): no system calls
        return Document(path, self._builder.parse_xml(xml_text=serialize(tree).decode("utf-8")), doc_id)

    def set_param(self, name: str, value: ParamValue) -> None:
        # The values kept alive for a parameter are released when it is set again: a stage that sets
        # parameters per document (neighbours, PDF ids) would otherwise keep every document's values.
        kept: list[Any] = []
        xdm = self._xdm(value, kept)
        kept.append(xdm)
        self._exe.set_parameter(clark(name, self.namespaces), xdm)
        self._keep[name] = kept

    def _xdm(self, value: ParamValue, keep: list[Any]) -> Any:
        proc = self._proc
        if value is None:
            return proc.empty_sequence()
        if isinstance(value, bool):
            return proc.make_boolean_value(value)
        if isinstance(value, int):
            return proc.make_integer_value(value)
        if isinstance(value, str):
            return proc.make_string_value(value)
        if isinstance(value, Document):
            return value.node
        sequence = proc.empty_sequence()
        for item in value:
            xdm = item.node if isinstance(item, Document) else proc.make_string_value(item)
            # saxonche keeps no Python reference to the items of a sequence: without this the atomic values
            # are freed while Saxon still points at them (a segmentation fault in the next call).
            keep.append(xdm)
            sequence.add_xdm_item(xdm)
        keep.append(sequence)
        return sequence

    # -- runs --------------------------------------------------------------------------------------

    def apply(self, document: Document, mode: str) -> str:
        """Apply templates to a document in `mode`; the serialized result."""
        self._exe.set_initial_mode(clark(mode, self.namespaces))
        try:
            result = self._exe.apply_templates_returning_string(xdm_value=document.node)
        except self._error_type as exc:
            raise CablegramError(self._diagnostic(str(document.path), exc, "xslt-run")) from None
        return str(result or "")

    def call(self, template: str) -> str:
        """Call a named template; the serialized result."""
        try:
            result = self._exe.call_template_returning_string(clark(template, self.namespaces))
        except self._error_type as exc:
            raise CablegramError(self._diagnostic(str(self.path), exc, "xslt-run")) from None
        return str(result or "")

    def call_strings(self, template: str) -> list[str]:
        """Call a named template declared as="xs:string*"; its items (which must hold no white space)."""
        try:
            value = self._exe.call_template_returning_value(clark(template, self.namespaces))
        except self._error_type as exc:
            raise CablegramError(self._diagnostic(str(self.path), exc, "xslt-run")) from None
        if value is None:
            return []
        return " ".join(value.item_at(i).string_value for i in range(value.size)).split()

    def messages(self, path: Path | str) -> list[Diagnostic]:
        """The xsl:message output since the last call, as warnings about `path` (then forgotten)."""
        found = self._exe.get_xsl_messages()
        self._exe.clear_xsl_messages()
        if found is None:
            return []
        texts = [found.item_at(i).string_value for i in range(found.size)]
        return [warning(str(path), 1, 1, text.removeprefix("cablegram-warning: "), "xslt") for text in texts]

    def _diagnostic(self, path: str, exc: Exception, rule: str) -> Diagnostic:
        message = " ".join(str(exc).split()) or type(exc).__name__
        match = _LOCATION.search(message)
        line, column = (int(match.group(1)), int(match.group(2) or 0)) if match else (1, 0)
        return error(path, line, column + 1 if column else 1, message, rule)
