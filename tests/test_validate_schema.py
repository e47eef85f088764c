"""The ODD and what derives from it: generated schemas up to date, values glossed and exemplified, manual."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from cablegram.validate import render_manual
from cablegram.validate.grammar import element_rules
from cablegram.validate.odd import generate, read_odd

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema"
ODD = read_odd(SCHEMA / "cablegram.odd")
TEI = "{http://www.tei-c.org/ns/1.0}"


@pytest.mark.skipif(
    shutil.which("trang") is None, reason="Debian's trang is not installed (make test installs it)"
)
def test_generated_schemas_are_up_to_date() -> None:
    for name, data in generate(SCHEMA).items():
        assert (SCHEMA / name).read_bytes() == data, (
            f"schema/{name} is stale: run python -m cablegram.validate.odd"
        )


def test_generated_files_say_they_derive_from_the_odd() -> None:
    for name in ("cablegram.rng", "cablegram.sch", "cablegram.xsd"):
        assert "GENERATED" in (SCHEMA / name).read_text(encoding="utf-8")[:1000]
        assert "cablegram.odd" in (SCHEMA / name).read_text(encoding="utf-8")[:1000]


def test_every_value_has_a_gloss_and_an_example() -> None:
    odd = etree.parse(str(SCHEMA / "cablegram.odd"))
    for item in odd.iter(f"{TEI}valItem"):
        ident = item.get("{http://www.w3.org/XML/1998/namespace}id")
        spec = next(item.iterancestors(f"{TEI}elementSpec"))
        assert (item.findtext(f"{TEI}gloss") or "").strip(), f"{ident}: no gloss"
        examples = spec.findall(f"{TEI}exemplum[@corresp='#{ident}']")
        assert examples, f"{ident}: no example"
        text = etree.tostring(examples[0], encoding="unicode")
        attribute = item.getparent().getparent().get("ident")  # type: ignore[union-attr]
        assert f'{attribute}="{item.get("ident")}"' in text, f"{ident}: the example does not use the value"


def test_closed_lists_are_in_the_grammar() -> None:
    rules = element_rules()
    for change in ODD.attributes:
        assert rules[change.element].closed[change.attribute] == tuple(v.ident for v in change.closed)


def test_grammar_has_exactly_the_selected_elements() -> None:
    assert set(element_rules()) == ODD.elements


def test_schematron_has_every_constraint() -> None:
    sch = etree.parse(str(SCHEMA / "cablegram.sch"))
    ids = [a.get("id") for a in sch.iter("{http://purl.oclc.org/dsdl/schematron}assert")]
    assert sorted(ids) == sorted(c.ident for c in ODD.constraints)  # each once (grouped into patterns)


def test_manual_lists_every_element_value_and_rule(tmp_path: Path) -> None:
    out = tmp_path / "manual.html"
    render_manual(out)
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE")
    elements = set(re.findall(r'<tr id="el-([^"]+)"', html))
    assert elements == ODD.elements
    values = set(re.findall(r'data-element="([^"]+)" data-attribute="([^"]+)" data-value="([^"]+)"', html))
    assert values == {(c.element, c.attribute, v.ident) for c in ODD.attributes for v in c.closed}
    assert set(re.findall(r'data-rule="([^"]+)"', html)) == {c.ident for c in ODD.constraints}
    assert '&lt;supplied reason="identification" resp="#archive"&gt;' in html


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("tei:correspDesc", {"correspDesc"}),
        ("tei:body/tei:div[@type = 'translation']", {"div"}),
        ("tei:persName[@ref] | tei:placeName[@ref]", {"persName", "placeName"}),
        ("/tei:TEI", {"TEI"}),
        ("tei:TEI[starts-with(@xml:id, 'wc-')]//tei:*[@xml:id]", None),  # any element
        ("tei:*[@when]", None),
        ("tei:p[tei:hi[@rend]]", None),  # not understood: a pattern of its own
    ],
)
def test_rule_contexts_are_read_for_grouping(context: str, expected: set[str] | None) -> None:
    from cablegram.validate.odd import _context_elements

    assert _context_elements(context) == expected


def test_grouped_patterns_report_what_one_pattern_per_constraint_reports() -> None:
    """The Schematron groups rules whose contexts name different elements into one pattern (one pass over
    the document instead of one per rule); on every document and fixture it reports exactly what a pattern
    per constraint reports."""
    from lxml import isoschematron

    from cablegram import xmlio
    from cablegram.diagnostics import CablegramError

    S = "{http://purl.oclc.org/dsdl/schematron}"
    grouped = xmlio.parse(SCHEMA / "cablegram.sch")
    patterns = grouped.getroot().findall(f"{S}pattern")
    assert len(patterns) < len(grouped.getroot().findall(f"{S}pattern/{S}rule"))
    apart = copy.deepcopy(grouped)
    for pattern in apart.getroot().findall(f"{S}pattern"):
        for index, rule in enumerate(pattern.findall(f"{S}rule")[1:], start=1):
            alone = etree.SubElement(apart.getroot(), f"{S}pattern", id=f"{pattern.get('id')}-{index}")
            alone.append(rule)
    schematrons = [isoschematron.Schematron(tree, store_report=True) for tree in (grouped, apart)]
    files = [
        *sorted((ROOT / "tei").glob("*.xml")),
        *sorted((ROOT / "tests" / "fixtures" / "validate").rglob("*.xml")),
    ]
    checked = failing = 0
    for path in files:
        try:
            tree = xmlio.parse(path)
        except CablegramError:
            continue  # not well-formed (or refused): outside Schematron's scope
        reports = []
        for schematron in schematrons:
            schematron.validate(tree)
            report = schematron.validation_report
            reports.append(
                sorted(
                    (f.get("id"), f.get("location"))
                    for f in report.iter("{*}failed-assert", "{*}successful-report")
                )
            )
        assert reports[0] == reports[1], path
        checked += 1
        failing += bool(reports[0])
    assert checked > 60 and failing > 20  # the invalid fixtures do fail
