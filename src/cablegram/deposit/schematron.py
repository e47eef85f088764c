"""ISO Schematron with the XSLT 2 query binding, compiled to XSLT 3.0 and run by saxonche.

`cmif.sch` declares `queryBinding="xslt2"` and uses XPath 2.0 (`matches()`), which lxml.isoschematron
(XPath 1.0) cannot run. This module compiles the subset of Schematron that such small rule files use, the
way SchXslt does: one XSLT mode per pattern, one template per rule (earlier rules of a pattern win, by
priority), the asserts and reports of a rule as `xsl:if`, then the traversal goes on into attributes and
children. Anything outside the subset (phases, abstract patterns or rules, includes, diagnostics, global
`let`) is refused with an error, so a newer rule file can never be checked by half without anyone knowing.

Each failed assertion or successful report comes back as a `Finding` with the element's line, found by
walking the XPath 3.0 `path()` of the node in the lxml tree.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from cablegram import xmlio
from cablegram.diagnostics import CablegramError, error

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
S = f"{{{SCH_NS}}}"
XSL = f"{{{XSL_NS}}}"
SVRL = f"{{{SVRL_NS}}}"

_SUPPORTED_IN_SCHEMA = {"title", "ns", "pattern", "p"}
_SUPPORTED_IN_RULE = {"assert", "report", "let"}
_STEPS = re.compile(r"/(Q\{[^}]*\}[^/\[]+\[\d+\]|[^/]+)")  # a namespace URI may itself contain "/"
_STEP = re.compile(r"^(?:Q\{(?P<ns>[^}]*)\})?(?P<name>[^\[]+)\[(?P<index>\d+)\]$")


@dataclass(frozen=True)
class Finding:
    kind: str  # failed-assert | successful-report
    pattern: str
    ident: str  # the assert's @id, else ""
    role: str  # error | warning | info | …
    text: str  # the message, white space normalised
    location: str  # XPath 3.0 path() of the node


def compile_to_xslt(schema: etree._ElementTree, path: str) -> bytes:
    """The XSLT 3.0 stylesheet for a Schematron schema; unsupported constructs are an error."""
    root = schema.getroot()
    binding = root.get("queryBinding", "xslt")
    if root.tag != f"{S}schema" or binding not in ("xslt2", "xslt3"):
        raise CablegramError(
            error(
                path,
                1,
                1,
                f"not an ISO Schematron schema with an XSLT 2/3 query binding (queryBinding={binding!r})",
                "schematron-unsupported",
            )
        )
    nsmap: dict[str | None, str] = {"xsl": XSL_NS, "svrl": SVRL_NS}
    for ns in root.iterfind(f"{S}ns"):
        nsmap[str(ns.get("prefix"))] = str(ns.get("uri"))
    sheet = etree.Element(
        f"{XSL}stylesheet",
        nsmap=nsmap,  # type: ignore[arg-type]
        attrib={"version": "3.0", "exclude-result-prefixes": "#all"},
    )
    etree.SubElement(sheet, f"{XSL}output", method="xml", indent="no")
    main = etree.SubElement(sheet, f"{XSL}template", match="/")
    output = etree.SubElement(main, f"{SVRL}schematron-output")
    for child in root:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if not child.tag.startswith(S) or local not in _SUPPORTED_IN_SCHEMA:
            _unsupported(child, path)
    for number, pattern in enumerate(root.iterfind(f"{S}pattern"), start=1):
        if pattern.get("abstract") == "true" or pattern.get("is-a"):
            _unsupported(pattern, path)
        mode = f"p{number}"
        pattern_id = pattern.get("id", mode)
        etree.SubElement(output, f"{XSL}apply-templates", select=".", mode=mode)
        fallback = etree.SubElement(
            sheet, f"{XSL}template", match="document-node()|@*|node()", mode=mode, priority="-10"
        )
        etree.SubElement(fallback, f"{XSL}apply-templates", select="@*|node()", mode=mode)
        rules = [r for r in pattern if isinstance(r.tag, str)]
        for order, rule in enumerate(rules):
            if rule.tag == f"{S}p" or rule.tag == f"{S}title":
                continue
            if rule.tag != f"{S}rule" or rule.get("abstract") == "true":
                _unsupported(rule, path)
            template = etree.SubElement(
                sheet, f"{XSL}template", match=str(rule.get("context")), mode=mode, priority=str(1000 - order)
            )
            for check in rule:
                if not isinstance(check.tag, str):
                    continue
                local = etree.QName(check).localname
                if not check.tag.startswith(S) or local not in _SUPPORTED_IN_RULE:
                    _unsupported(check, path)
                if local == "let":
                    etree.SubElement(
                        template,
                        f"{XSL}variable",
                        name=str(check.get("name")),
                        select=str(check.get("value")),
                    )
                    continue
                test = str(check.get("test"))
                condition = f"not({test})" if local == "assert" else test
                branch = etree.SubElement(template, f"{XSL}if", test=condition)
                kind = "failed-assert" if local == "assert" else "successful-report"
                finding = etree.SubElement(
                    branch,
                    f"{SVRL}{kind}",
                    attrib={
                        "pattern": pattern_id,
                        "id": check.get("id", ""),
                        "role": check.get("role", "error"),
                        "location": "{path()}",
                    },
                )
                text = etree.SubElement(finding, f"{SVRL}text")
                _message(check, text, path)
            etree.SubElement(template, f"{XSL}apply-templates", select="@*|node()", mode=mode)
    return etree.tostring(sheet, xml_declaration=True, encoding="UTF-8")


def _unsupported(node: etree._Element, path: str) -> None:
    name = etree.QName(node).localname if isinstance(node.tag, str) else "node"
    raise CablegramError(
        error(
            path,
            line_of(node),
            1,
            f"Schematron element <{name}> is not supported by cablegram's XSLT 2 runner",
            "schematron-unsupported",
        )
    )


def line_of(node: etree._Element | None) -> int:
    line = getattr(node, "sourceline", None)
    return line if isinstance(line, int) and line > 0 else 1


def _message(check: etree._Element, target: etree._Element, path: str) -> None:
    """Copy an assertion's message, turning <name/> and <value-of/> into their XSLT equivalents."""
    last: etree._Element | None = None

    def add_text(value: str | None) -> None:
        if not value:
            return
        if last is None:
            target.text = (target.text or "") + value
        else:
            last.tail = (last.tail or "") + value

    add_text(check.text)
    for child in check:
        if not isinstance(child.tag, str):
            add_text(child.tail)
            continue
        local = etree.QName(child).localname
        if child.tag == f"{S}name":
            last = etree.SubElement(target, f"{XSL}value-of", select=f"name({child.get('path', '.')})")
        elif child.tag == f"{S}value-of":
            last = etree.SubElement(target, f"{XSL}value-of", select=str(child.get("select")))
        elif local in ("emph", "dir", "span"):
            literal = "".join(str(s) for s in child.itertext()).replace("'", "''")
            last = etree.SubElement(target, f"{XSL}value-of", select=f"'{literal}'")
        else:
            _unsupported(child, path)
        add_text(child.tail)


@functools.cache
def _processor() -> Any:
    from saxonche import PySaxonProcessor  # heavy: imported only when a Schematron runs (STYLE.md §12)

    return PySaxonProcessor(license=False)


@functools.cache
def _compiled(schema_path: Path) -> Any:
    stylesheet = compile_to_xslt(xmlio.parse(schema_path), str(schema_path))
    compiler = _processor().new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_text=stylesheet.decode("utf-8"))


def run(schema_path: Path, document: bytes) -> list[Finding]:
    """Every failed assertion and successful report of `document` against the schema at `schema_path`."""
    executable = _compiled(schema_path.resolve())
    node = _processor().parse_xml(xml_text=document.decode("utf-8"))
    report = executable.transform_to_string(xdm_node=node)
    tree = etree.fromstring(report.encode("utf-8"))
    findings = []
    for found in tree:
        if not isinstance(found.tag, str):
            continue
        text = " ".join("".join(str(s) for s in t.itertext()) for t in found.iterfind(f"{SVRL}text"))
        findings.append(
            Finding(
                etree.QName(found).localname,
                str(found.get("pattern")),
                str(found.get("id", "")),
                str(found.get("role", "error")),
                " ".join(text.split()),
                str(found.get("location", "")),
            )
        )
    return findings


def locate(tree: etree._ElementTree, location: str) -> etree._Element | None:
    """The element that an XPath 3.0 `path()` names (for an attribute or text node: its parent element)."""
    steps = _STEPS.findall(location)
    current: etree._Element | None = None
    for step in steps:
        if step.startswith("@") or step.startswith("text()") or step.startswith("comment()"):
            break
        match = _STEP.match(step)
        if not match:
            return current
        tag = f"{{{match['ns']}}}{match['name']}" if match["ns"] else match["name"]
        if current is None:
            root = tree.getroot()
            current = root if root.tag == tag else None
            if current is None:
                return None
            continue
        candidates = [c for c in current if c.tag == tag]
        index = int(match["index"]) - 1
        if index >= len(candidates):
            return current
        current = candidates[index]
    return current
