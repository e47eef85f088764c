"""Schematron checks: `schema/cablegram.sch` (from the ODD's constraintSpecs) run by lxml.isoschematron.

lxml compiles ISO Schematron (XPath 1.0 binding) to XSLT once; the SVRL report's `@location` XPaths are
evaluated on the validated tree to give each failed assertion its element's line (issue 3, STYLE.md §3).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from lxml import etree, isoschematron  # type: ignore[attr-defined]

from cablegram import xmlio
from cablegram.diagnostics import Diagnostic, Severity
from cablegram.resources import schema_dir
from cablegram.validate.grammar import Positions

SVRL = "{http://purl.oclc.org/dsdl/svrl}"


@functools.cache
def compiled() -> isoschematron.Schematron:
    return isoschematron.Schematron(xmlio.parse(schema_dir() / "cablegram.sch"), store_report=True)


def check(tree: etree._ElementTree, path: str, positions: Positions) -> Iterator[Diagnostic]:
    schematron = compiled()
    schematron.validate(tree)
    report = schematron.validation_report
    if report is None:
        return
    for failed in report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        rule = failed.get("id", "schematron")
        role = failed.get("role", "error")
        text = " ".join("".join(t.itertext()) for t in failed.iterfind(f"{SVRL}text"))
        line, column = 1, 1
        location = failed.get("location", "")
        try:
            found = tree.xpath(location) if location else []
        except etree.XPathError:
            found = []
        if isinstance(found, list) and found:
            node = found[0]
            if isinstance(node, etree._Element):
                line, column = positions.of(node)
        severity = Severity.WARNING if role in ("warning", "warn", "info") else Severity.ERROR
        yield Diagnostic(path, line, column, severity, " ".join(text.split()), rule)
