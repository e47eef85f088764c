"""Grammar checks: the edition's RELAX NG (and optionally TEI's tei_all) with libxml2, in process.

libxml2 reports a line, column 0 and terse messages ("Invalid attribute reason for element supplied").
Each error also carries the XPath of the offending node, so the message is rebuilt here from the grammar
itself (which elements fit at that position, which values a closed list has) with the column found in the
source text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from cablegram import xmlio
from cablegram.diagnostics import Diagnostic, error
from cablegram.resources import schema_dir
from cablegram.validate import contentmodel

RNG_NS = "http://relaxng.org/ns/structure/1.0"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_R = f"{{{RNG_NS}}}"
DATE_ATTRIBUTES = frozenset({"when", "notBefore", "notAfter", "from", "to"})


@dataclass(frozen=True)
class ElementRules:
    """What the grammar allows inside one element, regardless of position."""

    children: frozenset[str]
    attributes: frozenset[str]  # Clark names: "type", "{http://www.w3.org/XML/1998/namespace}id"
    closed: Mapping[str, tuple[str, ...]]  # attribute → its closed list of values
    text: bool


# --- compiled schemas (once per process) ---------------------------------------------------------------


@functools.cache
def cablegram_rng() -> etree.RelaxNG:
    return etree.RelaxNG(xmlio.parse(schema_dir() / "cablegram.rng"))


@functools.cache
def tei_all_rng() -> etree.RelaxNG:
    """The TEI Consortium's tei_all (TEI P5 4.3.0): 6–8 s to compile, so only for `--tei-all`."""
    return etree.RelaxNG(xmlio.parse(schema_dir() / "tei_all.rng"))


@functools.cache
def element_rules() -> dict[str, ElementRules]:
    return rules_of(xmlio.parse(schema_dir() / "cablegram.rng").getroot())


def rules_of(grammar: etree._Element) -> dict[str, ElementRules]:
    defines = {d.get("name", ""): d for d in grammar.iterfind(f"{_R}define")}
    elements: dict[str, str] = {}
    for name, define in defines.items():
        element = define.find(f"{_R}element")
        if element is not None and len(define) == 1 and element.get("name"):
            elements[name] = element.get("name", "")
    rules: dict[str, ElementRules] = {}
    for name, element_name in elements.items():
        walker = _Walker(defines, elements)
        element_pattern = defines[name].find(f"{_R}element")
        assert element_pattern is not None
        walker.walk(element_pattern)
        rules[element_name] = ElementRules(
            children=frozenset(walker.children),
            attributes=frozenset(walker.attributes),
            closed={k: v for k, v in walker.attributes.items() if v is not None},
            text=walker.text,
        )
    return rules


class _Walker:
    """Collects what one element's pattern allows, following refs to non-element patterns."""

    def __init__(self, defines: dict[str, etree._Element], elements: dict[str, str]) -> None:
        self.defines = defines
        self.elements = elements
        self.children: set[str] = set()
        self.attributes: dict[str, tuple[str, ...] | None] = {}
        self.text = False
        self.seen: set[str] = set()

    def walk(self, node: etree._Element) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag == "ref":
                target = child.get("name", "")
                if target in self.elements:
                    self.children.add(self.elements[target])
                elif target not in self.seen:
                    self.seen.add(target)
                    self.walk(self.defines[target])
            elif tag == "attribute":
                self.attributes[_clark(child.get("name", ""))] = _closed_values(child)
            elif tag in ("text", "mixed"):
                self.text = True
                if tag == "mixed":
                    self.walk(child)
            elif tag != "element":
                self.walk(child)


def _clark(name: str) -> str:
    return f"{{{XML_NS}}}{name[4:]}" if name.startswith("xml:") else name


def _closed_values(attribute: etree._Element) -> tuple[str, ...] | None:
    patterns = [c for c in attribute if isinstance(c.tag, str) and c.tag != f"{_R}name"]
    if len(patterns) != 1:
        return None
    pattern = patterns[0]
    if pattern.tag == f"{_R}value":
        return (pattern.text or "",)
    if pattern.tag == f"{_R}choice" and all(c.tag == f"{_R}value" for c in pattern):
        return tuple(c.text or "" for c in pattern)
    return None


# --- source positions -----------------------------------------------------------------------------------


class Positions:
    """Line and column of elements and attributes in the source text (libxml2 gives no column)."""

    def __init__(self, text: str, tree: etree._ElementTree) -> None:
        self._text = text
        self._tree = tree
        self._starts: dict[etree._Element, int] | None = None
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def _index(self) -> dict[etree._Element, int]:
        if self._starts is None:
            starts: dict[etree._Element, int] = {}
            cursor = 0
            for element in self._tree.getroot().iter():
                if not isinstance(element.tag, str):
                    continue
                qname = etree.QName(element)
                prefix = element.prefix
                tag = f"{prefix}:{qname.localname}" if prefix else qname.localname
                match = re.compile(rf"<{re.escape(tag)}[\s/>]").search(self._text, cursor)
                if match is None:
                    break
                starts[element] = match.start()
                cursor = match.end() - 1
            self._starts = starts
        return self._starts

    def _line_col(self, offset: int) -> tuple[int, int]:
        line = self._line(offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _line(self, offset: int) -> int:
        low, high = 0, len(self._line_starts)
        while low + 1 < high:
            middle = (low + high) // 2
            if self._line_starts[middle] <= offset:
                low = middle
            else:
                high = middle
        return low + 1

    def of(self, element: etree._Element, attribute: str | None = None) -> tuple[int, int]:
        start = self._index().get(element)
        if start is None:
            line = element.sourceline
            return (line if isinstance(line, int) else 1), 1
        if attribute:
            end = self._text.find(">", start)
            end = end if end > 0 else len(self._text)
            name = attribute if "}" not in attribute else "xml:" + attribute.split("}")[1]
            match = re.compile(rf"\s({re.escape(name)})\s*=").search(self._text, start, end)
            if match:
                return self._line_col(match.start(1))
        return self._line_col(start)


def _name(element: etree._Element) -> str:
    return etree.QName(element).localname


def _listing(names: frozenset[str] | tuple[str, ...], limit: int = 12) -> str:
    ordered = sorted(names) if isinstance(names, frozenset) else list(names)
    shown = ", ".join(ordered[:limit])
    return shown + (f", … ({len(ordered) - limit} more)" if len(ordered) > limit else "")


_ELEMWRONG = re.compile(r"Did not expect element (\S+) there")
_EXPECTING = re.compile(r"Expecting element (\S+), got (\S+)")
_ATTR = re.compile(r"Invalid attribute (\S+) for element (\S+)")


def check(
    tree: etree._ElementTree,
    path: str,
    positions: Positions,
    *,
    schema: etree.RelaxNG | None = None,
    rule_prefix: str = "",
) -> Iterator[Diagnostic]:
    """Validate against the edition's grammar (or another one, e.g. tei_all) and explain each error."""
    grammar = schema if schema is not None else cablegram_rng()
    if grammar.validate(tree):
        return
    rules = element_rules()
    reported: set[tuple[int, str]] = set()
    for entry in grammar.error_log:
        node = _node_at(tree, entry.path)
        diagnostic: Diagnostic | None
        if rule_prefix:
            # Another grammar (tei_all): its own words, placed at the node's line and column.
            line, column = positions.of(node) if node is not None else (entry.line or 1, 1)
            diagnostic = error(path, line, column, f"{rule_prefix}: {entry.message}", rule_prefix)
        else:
            diagnostic = _explain(entry, node, path, positions, rules)
        if diagnostic is None:
            continue
        key = (diagnostic.line, diagnostic.rule)
        if key not in reported:
            reported.add(key)
            yield diagnostic


def _node_at(tree: etree._ElementTree, xpath: str | None) -> etree._Element | None:
    if not xpath:
        return None
    try:
        found = tree.xpath(xpath)
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


def _explain(
    entry: etree._LogEntry,
    node: etree._Element | None,
    path: str,
    positions: Positions,
    rules: dict[str, ElementRules],
) -> Diagnostic | None:
    message = entry.message
    line = entry.line or 1
    column = 1
    if node is not None:
        line, column = positions.of(node)
    kind = entry.type_name
    if kind == "RELAXNG_ERR_EXTRACONTENT" and not message.endswith(": text"):
        return None  # restates the ELEMWRONG error reported for the same node
    parent = node.getparent() if node is not None else None
    parent_name = _name(parent) if parent is not None else ""
    structural = bool(_ELEMWRONG.search(message) or _EXPECTING.search(message))
    if structural or kind == "RELAXNG_ERR_NOELEM" or "failed to validate content" in message:
        container = parent if structural else node
        if container is not None:
            explained = _explain_children(container, path, positions, rules)
            if explained is not None:
                return explained
    if (match := _ELEMWRONG.search(message)) or (match := _EXPECTING.search(message)):
        name = _name(node) if node is not None else match.group(match.lastindex or 1)
        if name not in rules:
            return error(
                path,
                line,
                column,
                f"<{name}> is not an element of the edition's schema",
                "rng-unknown-element",
            )
        return error(
            path, line, column, f"<{name}> is not allowed here in <{parent_name}>", "rng-element-order"
        )
    if kind in ("RELAXNG_ERR_TEXTWRONG", "RELAXNG_ERR_EXTRACONTENT"):
        where = _name(node) if node is not None else "this element"
        allowed = rules[where].children if where in rules else frozenset()
        return error(
            path,
            line,
            column,
            f"text is not allowed directly in <{where}>; wrap it in one of: {_listing(allowed)}",
            "rng-text-not-allowed",
        )
    if match := _ATTR.search(message):
        attribute, element_name = match.group(1), match.group(2)
        if node is None:
            return error(path, line, column, message, "rng-attribute")
        clark = _attribute_clark(node, attribute)
        line, column = positions.of(node, clark)
        value = node.get(clark)
        element_rules_ = rules.get(element_name)
        shown = clark if "}" not in clark else "xml:" + clark.split("}")[1]
        if element_rules_ is None or clark not in element_rules_.attributes:
            return error(
                path,
                line,
                column,
                f"@{shown} is not allowed on <{element_name}>",
                "rng-unknown-attribute",
            )
        if clark in element_rules_.closed:
            values = element_rules_.closed[clark]
            return error(
                path,
                line,
                column,
                f'{element_name}/@{shown}="{value}" is not in the closed list: {_listing(values, 30)}',
                "value-closed-list",
            )
        if attribute in DATE_ATTRIBUTES:
            return error(path, line, column, f'@{attribute}="{value}" is not an ISO 8601 date', "date-iso")
        if clark == f"{{{XML_NS}}}id":
            return error(
                path,
                line,
                column,
                f'xml:id="{value}" is not a valid identifier (an XML name) or is repeated in this file',
                "rng-id",
            )
        return error(path, line, column, f'@{shown}="{value}" is not a valid value here', "rng-datatype")
    if kind == "RELAXNG_ERR_ELEMWRONGNS" or "wrong namespace" in message:
        return error(
            path, line, column, f"{message} (the edition's documents are TEI: {TEI_NS})", "rng-namespace"
        )
    if "failed to validate content" in message:
        return None  # the error inside the content has been reported, or will be
    if kind == "RELAXNG_ERR_NOELEM":
        where = _name(node) if node is not None else "element"
        return error(path, line, column, f"<{where}> is incomplete ({message})", "rng-missing-element")
    if "failed to validate attributes" in message:
        return None  # libxml2 restates an attribute error already reported
    return error(path, line, column, message, "rng-invalid")


def _explain_children(
    container: etree._Element, path: str, positions: Positions, rules: dict[str, ElementRules]
) -> Diagnostic | None:
    children = [c for c in container if isinstance(c.tag, str)]
    container_name = _name(container)
    mismatch = contentmodel.match(
        contentmodel.cablegram_models(), container_name, [_name(c) for c in children]
    )
    if mismatch is None:
        return None
    expected = _listing(mismatch.expected) or "nothing more"
    if mismatch.end_allowed and mismatch.index < len(children):
        expected += f" or the end of <{container_name}>"
    if mismatch.index == len(children):
        line, column = positions.of(container)
        return error(
            path,
            line,
            column,
            f"<{container_name}> is incomplete: expected {expected}",
            "rng-missing-element",
        )
    child = children[mismatch.index]
    name = _name(child)
    line, column = positions.of(child)
    if name not in rules:
        return error(
            path,
            line,
            column,
            f"<{name}> is not an element of the edition's schema; expected here: {expected}",
            "rng-unknown-element",
        )
    allowed = rules[container_name].children if container_name in rules else frozenset()
    if name not in allowed:
        return error(
            path,
            line,
            column,
            f"<{name}> is not allowed in <{container_name}>; expected here: {expected}",
            "rng-element-not-allowed",
        )
    return error(
        path,
        line,
        column,
        f"<{name}> is not allowed at this position in <{container_name}>; expected here: {expected}",
        "rng-element-order",
    )


def _attribute_clark(node: etree._Element, name: str) -> str:
    if name in node.attrib:
        return name
    for key in node.attrib:
        if isinstance(key, str) and key.endswith("}" + name):
            return key
    return name


def compile_all(tei_all: bool = False) -> None:
    """Compile (and cache) the schemas now, so that a benchmark or a server pays it once, up front."""
    cablegram_rng()
    element_rules()
    if tei_all:
        tei_all_rng()


def schema_path(name: str) -> Path:
    return schema_dir() / name
