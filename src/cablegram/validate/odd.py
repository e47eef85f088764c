"""Derive the edition's schemas from its ODD (issue 3): `schema/cablegram.odd` → `.rng`, `.sch`, `.xsd`.

The TEI Consortium's ODD processor needs the Guidelines' source (p5subset.xml); this project instead
derives its grammar from the official compiled `schema/tei_all.rng` (TEI P5 4.3.0), which makes "every
content model is a restriction of TEI P5's" true by construction:

* every pattern is copied from `tei_all.rng`; nothing is written by hand;
* elements that no `moduleRef/@include` selects (or that an `elementSpec mode="delete"` removes) become
  `notAllowed`, and `notAllowed` is propagated (a choice loses the branch, a group or element that requires it
  dies) until nothing changes;
* an `attDef` with a closed `valList` replaces the attribute's datatype with a choice of its values (the
  attribute classes of that element are inlined first, so the change stays local to the element);
  `attDef mode="delete"` drops the attribute; `usage="req"` makes an optional attribute required;
* only the patterns reachable from `TEI` are written, as one self-contained grammar that compiles in
  milliseconds (tei_all itself takes seconds).

The Schematron is the ODD's `constraintSpec`s, copied into one ISO Schematron schema (XPath 1.0, the binding
lxml's `isoschematron` runs). The XSD is trang's conversion of the generated RELAX NG.

Run `python -m cablegram.validate.odd` to regenerate; a test checks that the committed files are up to date.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from cablegram import xmlio
from cablegram.diagnostics import CablegramError, error
from cablegram.fsutil import atomic_write
from cablegram.resources import schema_dir

RNG_NS = "http://relaxng.org/ns/structure/1.0"
TEI_NS = "http://www.tei-c.org/ns/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
EG_NS = "http://www.tei-c.org/ns/Examples"
R = f"{{{RNG_NS}}}"
T = f"{{{TEI_NS}}}"
S = f"{{{SCH_NS}}}"
NS = {"rng": RNG_NS, "tei": TEI_NS, "sch": SCH_NS, "eg": EG_NS}

TEI_RELEASE = "4.3.0"
_NOT_ALLOWED = "notAllowed"
_EMPTY = "empty"


@dataclass(frozen=True)
class ValueItem:
    ident: str
    gloss: str
    desc: str
    example: str  # serialized egXML content ("" when the ODD gives none)


@dataclass(frozen=True)
class AttributeChange:
    element: str
    attribute: str
    mode: str  # change | delete | replace
    required: bool
    closed: tuple[ValueItem, ...]


@dataclass(frozen=True)
class Constraint:
    ident: str
    context: str
    test: str
    role: str
    message: str  # plain text, `value-of` shown as "…"
    source: bytes  # the sch:assert as written in the ODD


@dataclass
class Odd:
    """What the generator and the manual need from the ODD."""

    ident: str
    start: str
    modules: dict[str, tuple[str, ...]]
    deleted: set[str] = field(default_factory=set)
    attributes: list[AttributeChange] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)

    @property
    def elements(self) -> set[str]:
        selected = {name for names in self.modules.values() for name in names}
        return selected - self.deleted


def _line(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 1


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(str(t) for t in element.itertext()).split()) if element is not None else ""


def read_odd(path: Path) -> Odd:
    tree = xmlio.parse(path)
    spec = tree.find(f".//{T}schemaSpec")
    if spec is None:
        raise CablegramError(error(str(path), 1, 1, "no schemaSpec in the ODD", "odd"))
    modules: dict[str, tuple[str, ...]] = {}
    for ref in spec.iterfind(f"{T}moduleRef"):
        key = ref.get("key", "")
        include = ref.get("include")
        if include is None and key != "tei":
            # Whole modules would need the Guidelines' module map, which tei_all.rng does not carry.
            raise CablegramError(
                error(str(path), _line(ref), 1, f'moduleRef key="{key}" must list @include', "odd")
            )
        modules[key] = tuple((include or "").split())
    odd = Odd(ident=spec.get("ident", ""), start=spec.get("start", "TEI"), modules=modules)
    for element_spec in spec.iterfind(f"{T}elementSpec"):
        name = element_spec.get("ident", "")
        mode = element_spec.get("mode", "add")
        if mode == "delete":
            odd.deleted.add(name)
            continue
        examples: dict[str, str] = {}
        for exemplum in element_spec.iterfind(f"{T}exemplum"):
            eg = exemplum.find(f"{{{EG_NS}}}egXML")
            if eg is not None and exemplum.get("corresp"):
                examples[exemplum.get("corresp", "").lstrip("#")] = _serialize_example(eg)
        for att_def in element_spec.iterfind(f"{T}attList/{T}attDef"):
            items = tuple(
                ValueItem(
                    ident=item.get("ident", ""),
                    gloss=_text(item.find(f"{T}gloss")),
                    desc=_text(item.find(f"{T}desc")),
                    example=examples.get(item.get("{http://www.w3.org/XML/1998/namespace}id", ""), ""),
                )
                for item in att_def.iterfind(f"{T}valList[@type='closed']/{T}valItem")
            )
            odd.attributes.append(
                AttributeChange(
                    element=name,
                    attribute=att_def.get("ident", ""),
                    mode=att_def.get("mode", "change"),
                    required=att_def.get("usage") == "req",
                    closed=items,
                )
            )
    for constraint_spec in spec.iterfind(f"{T}constraintSpec"):
        for rule in constraint_spec.iterfind(f"{T}constraint/{S}rule"):
            for check in rule:
                if check.tag in (f"{S}assert", f"{S}report"):
                    test = check.get("test", "")
                    if check.tag == f"{S}report":
                        test = f"not({test})"
                    odd.constraints.append(
                        Constraint(
                            ident=str(check.get("id") or constraint_spec.get("ident", "")),
                            context=rule.get("context", ""),
                            test=test,
                            role=check.get("role", "error"),
                            message=_message_text(check),
                            source=etree.tostring(check),
                        )
                    )
    return odd


def _serialize_example(eg: etree._Element) -> str:
    parts = [eg.text or ""]
    for child in eg:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    text = "".join(parts)
    for prefix in (f' xmlns="{EG_NS}"',):
        text = text.replace(prefix, "")
    return text


def _message_text(check: etree._Element) -> str:
    parts = [check.text or ""]
    for child in check:
        parts.append("…" if child.tag == f"{S}value-of" else "".join(str(t) for t in child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


# --- RELAX NG ----------------------------------------------------------------------------------------


def _load_tei_all(path: Path) -> tuple[etree._Element, dict[str, etree._Element], etree._Element]:
    root = xmlio.parse(path).getroot()
    defines = {d.get("name", ""): d for d in root.iterfind(f"{R}define")}
    start = root.find(f"{R}start")
    assert start is not None
    return root, defines, start


def _strip_foreign(node: etree._Element) -> None:
    """Drop annotations and the embedded Schematron: only RELAX NG patterns are copied."""
    for child in list(node):
        if not isinstance(child.tag, str) or not child.tag.startswith(R):
            node.remove(child)
        else:
            _strip_foreign(child)


def _element_name(define: etree._Element) -> str | None:
    children = [c for c in define if isinstance(c.tag, str) and c.tag.startswith(R)]
    if len(children) == 1 and children[0].tag == f"{R}element" and children[0].get("name"):
        return children[0].get("name")
    return None


def _inline_attribute_refs(node: etree._Element, defines: dict[str, etree._Element]) -> None:
    """Replace refs to attribute-class defines (att.*) by a copy of their patterns, recursively."""
    for ref in list(node.iter(f"{R}ref")):
        name = ref.get("name", "")
        if not name.startswith("att."):
            continue
        body = copy.deepcopy(defines[name])
        _strip_foreign(body)
        group = etree.Element(f"{R}group")
        group.extend(list(body))
        _inline_attribute_refs(group, defines)
        parent = ref.getparent()
        assert parent is not None
        parent.replace(ref, group)


def _apply_attribute_change(
    element_pattern: etree._Element, change: AttributeChange, defines: dict[str, etree._Element]
) -> None:
    _inline_attribute_refs(element_pattern, defines)
    found = [a for a in element_pattern.iter(f"{R}attribute") if a.get("name") == change.attribute]
    if not found:
        raise CablegramError(
            error(
                "schema/cablegram.odd",
                1,
                1,
                f"attDef {change.element}/@{change.attribute}: no such attribute in tei_all",
                "odd",
            )
        )
    for attribute in found:
        parent = attribute.getparent()
        assert parent is not None
        if change.mode == "delete":
            parent.replace(attribute, etree.Element(f"{R}empty"))
            continue
        if change.closed:
            for child in list(attribute):
                attribute.remove(child)
            choice = etree.SubElement(attribute, f"{R}choice")
            for item in change.closed:
                etree.SubElement(choice, f"{R}value").text = item.ident
        if change.required and parent.tag == f"{R}optional":
            grand = parent.getparent()
            assert grand is not None
            grand.replace(parent, attribute)


def _simplify(node: etree._Element, dead: set[str]) -> etree._Element:
    """Return a simplified copy of a pattern; `notAllowed`/`empty` elements stand for the two constants."""
    tag = etree.QName(node).localname
    if tag == "ref":
        return etree.Element(f"{R}{_NOT_ALLOWED}") if node.get("name") in dead else copy.deepcopy(node)
    if tag in ("text", "value", "data", "name", "anyName", "nsName", "param", "empty", "notAllowed"):
        return copy.deepcopy(node)
    if tag in ("element", "attribute"):
        out = etree.Element(node.tag, {str(k): str(v) for k, v in node.attrib.items()})
        out.text = None
        parts: list[etree._Element] = []
        name_class = node.get("name") is None
        for index, child in enumerate(c for c in node if isinstance(c.tag, str)):
            if index == 0 and name_class:
                out.append(copy.deepcopy(child))  # name class
                continue
            parts.append(_simplify(child, dead))
        if any(etree.QName(p).localname == _NOT_ALLOWED for p in parts):
            return etree.Element(f"{R}{_NOT_ALLOWED}")
        for part in parts:
            if etree.QName(part).localname != _EMPTY or tag == "attribute" or len(parts) == 1:
                out.append(part)
        if tag == "element" and len(out) == (0 if node.get("name") else 1):
            etree.SubElement(out, f"{R}empty")
        return out
    children = [_simplify(c, dead) for c in node if isinstance(c.tag, str)]
    kinds = [etree.QName(c).localname for c in children]
    if tag == "choice":
        kept = [c for c, k in zip(children, kinds, strict=True) if k != _NOT_ALLOWED]
        if not kept:
            return etree.Element(f"{R}{_NOT_ALLOWED}")
        if len(kept) == 1:
            return kept[0]
        out = etree.Element(f"{R}choice")
        out.extend(kept)
        return out
    if tag in ("group", "interleave", "oneOrMore", "mixed", "list"):
        if _NOT_ALLOWED in kinds:
            return etree.Element(f"{R}{_NOT_ALLOWED}")
        kept = [c for c, k in zip(children, kinds, strict=True) if k != _EMPTY]
        if tag == "list":
            out = etree.Element(f"{R}list")
            out.extend(kept or [etree.Element(f"{R}empty")])
            return out
        if not kept:
            return etree.Element(f"{R}{_EMPTY}")
        if tag in ("group", "interleave") and len(kept) == 1:
            return kept[0]
        out = etree.Element(node.tag)
        out.extend(kept)
        return out
    if tag in ("zeroOrMore", "optional"):
        if all(k in (_NOT_ALLOWED, _EMPTY) for k in kinds):
            return etree.Element(f"{R}{_EMPTY}")
        kept = [c for c, k in zip(children, kinds, strict=True) if k != _EMPTY]
        out = etree.Element(node.tag)
        out.extend(kept)
        return out
    raise ValueError(f"unexpected RELAX NG pattern <{tag}>")


def _body(define: etree._Element, dead: set[str]) -> list[etree._Element]:
    """The simplified patterns of a define; `[notAllowed]` when it cannot match anything."""
    group = etree.Element(f"{R}group")
    for child in define:
        if isinstance(child.tag, str):
            group.append(copy.deepcopy(child))
    simple = _simplify(group, dead)
    kind = etree.QName(simple).localname
    if kind == "group":
        return list(simple)
    return [simple]


def _refs(patterns: list[etree._Element]) -> Iterator[str]:
    for pattern in patterns:
        for ref in pattern.iter(f"{R}ref"):
            yield ref.get("name", "")


def build_rng(odd: Odd, tei_all: Path) -> bytes:
    _root, defines, _start = _load_tei_all(tei_all)
    element_defines = {name: el for name, d in defines.items() if (el := _element_name(d))}
    by_element = {el: name for name, el in element_defines.items()}
    unknown = sorted(odd.elements - set(by_element))
    if unknown:
        raise CablegramError(
            error("schema/cablegram.odd", 1, 1, f"not TEI elements: {', '.join(unknown)}", "odd")
        )
    working = {name: copy.deepcopy(d) for name, d in defines.items()}
    for pattern in working.values():
        _strip_foreign(pattern)
    for change in odd.attributes:
        define = working[by_element[change.element]]
        element_pattern = define.find(f"{R}element")
        assert element_pattern is not None
        _apply_attribute_change(element_pattern, change, defines)
    dead = {name for name, el in element_defines.items() if el not in odd.elements}
    bodies: dict[str, list[etree._Element]] = {}
    while True:
        bodies = {name: _body(d, dead) for name, d in working.items() if name not in dead}
        newly = {
            name
            for name, body in bodies.items()
            if len(body) == 1 and etree.QName(body[0]).localname == _NOT_ALLOWED
        }
        if not newly:
            break
        dead |= newly
    if by_element[odd.start] in dead:
        raise CablegramError(
            error("schema/cablegram.odd", 1, 1, f"start element {odd.start} cannot match", "odd")
        )
    reachable: list[str] = []
    seen: set[str] = set()
    todo = [by_element[odd.start]]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        reachable.append(name)
        todo.extend(n for n in _refs(bodies[name]) if n not in seen)
    unreachable = sorted(odd.elements - {element_defines[n] for n in seen if n in element_defines})
    if unreachable:
        raise CablegramError(
            error("schema/cablegram.odd", 1, 1, f"selected but unreachable: {', '.join(unreachable)}", "odd")
        )
    grammar = etree.Element(
        f"{R}grammar",
        nsmap={None: RNG_NS},  # type: ignore[dict-item]
        attrib={"ns": TEI_NS, "datatypeLibrary": "http://www.w3.org/2001/XMLSchema-datatypes"},
    )
    grammar.append(
        etree.Comment(
            f' GENERATED from schema/cablegram.odd (schemaSpec ident="{odd.ident}")\n'
            "     by cablegram.validate.odd: do not edit.\n"
            "     Every pattern is copied from the TEI Consortium's tei_all.rng, TEI P5 Version "
            f"{TEI_RELEASE},\n     narrowed as the ODD says (schema/TEI-LICENCE.txt). "
            "Regenerate: python -m cablegram.validate.odd "
        )
    )
    start = etree.SubElement(grammar, f"{R}start")
    etree.SubElement(start, f"{R}ref", name=by_element[odd.start])
    for name in defines:  # tei_all's order, so that diffs of the generated file stay readable
        if name in seen:
            define = etree.SubElement(grammar, f"{R}define", name=name)
            define.extend(bodies[name])
    etree.indent(grammar, space="  ")
    return xmlio.serialize(grammar)


# --- Schematron --------------------------------------------------------------------------------------


def build_sch(odd: Odd) -> bytes:
    schema = etree.Element(
        f"{S}schema",
        nsmap={None: SCH_NS},  # type: ignore[dict-item]
        attrib={"queryBinding": "xslt"},
    )
    schema.append(
        etree.Comment(
            " GENERATED from the constraintSpecs of schema/cablegram.odd by cablegram.validate.odd: "
            "do not edit. "
            "XPath 1.0 (lxml.isoschematron). "
        )
    )
    etree.SubElement(
        schema, f"{S}title"
    ).text = "cablegram: constraints of the edition that grammar cannot express"
    etree.SubElement(schema, f"{S}ns", prefix="tei", uri=TEI_NS)
    for group in rule_groups(odd.constraints):
        pattern = etree.SubElement(schema, f"{S}pattern", id=f"p-{group[0].ident}")
        for constraint in group:
            _add_rule(pattern, constraint)
    etree.indent(schema, space="  ")
    etree.cleanup_namespaces(schema)
    return xmlio.serialize(schema)


def rule_groups(constraints: list[Constraint]) -> list[list[Constraint]]:
    """The constraints in patterns: each pattern is one pass of the Schematron over the whole document (4.5
    ms a document with a pattern per constraint, 1.2 ms grouped), but within a pattern a node fires only
    the first rule whose context it matches. So a pattern holds only rules whose contexts end in steps
    naming different elements — no node can match two of them; a context that may match any element
    (tei:*, a function, anything not understood here) keeps a pattern of its own."""
    groups: list[tuple[set[str] | None, list[Constraint]]] = []
    for constraint in constraints:
        names = _context_elements(constraint.context)
        for taken, group in groups:
            if names is not None and taken is not None and not taken & names:
                taken.update(names)
                group.append(constraint)
                break
        else:
            groups.append((set(names) if names is not None else None, [constraint]))
    return [group for _, group in groups]


def _context_elements(context: str) -> set[str] | None:
    """The TEI elements a rule context can match — its alternatives' last steps `tei:name[…]` — or None."""
    found = set()
    for alternative in context.split("|"):
        path, depth, start = alternative.strip(), 0, 0
        for index, char in enumerate(path):
            depth += {"[": 1, "]": -1}.get(char, 0)
            if char == "/" and depth == 0:
                start = index + 1
        step = re.fullmatch(r"tei:([A-Za-z][\w.-]*)(?:\[[^\[\]]*\])?", path[start:])
        if step is None:
            return None
        found.add(step.group(1))
    return found


def _add_rule(pattern: etree._Element, constraint: Constraint) -> None:
    rule = etree.SubElement(pattern, f"{S}rule", context=constraint.context)
    source = etree.fromstring(constraint.source)
    check = etree.SubElement(
        rule, f"{S}assert", test=constraint.test, id=constraint.ident, role=constraint.role
    )
    check.text = source.text
    for child in source:
        check.append(copy.deepcopy(child))


# --- XSD (trang) -------------------------------------------------------------------------------------


def build_xsd(rng: bytes) -> dict[str, bytes]:
    """trang's conversion of the generated RELAX NG: {file name: bytes} (cablegram.xsd and xml.xsd)."""
    trang = shutil.which("trang")
    if trang is None:
        raise CablegramError(
            error("schema/cablegram.rng", 1, 1, "trang is not installed (Debian: trang)", "odd")
        )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "cablegram.rng"
        src.write_bytes(rng)
        out = Path(tmp) / "out"
        out.mkdir()
        subprocess.run([trang, "-I", "rng", "-O", "xsd", str(src), str(out / "cablegram.xsd")], check=True)
        files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    note = (
        b"<!-- GENERATED by trang from schema/cablegram.rng, which derives from schema/cablegram.odd "
        b"(TEI P5 "
        + TEI_RELEASE.encode()
        + b"): do not edit. Regenerate: python -m cablegram.validate.odd -->\n"
    )
    files["cablegram.xsd"] = _hoist_pattern_types(files["cablegram.xsd"])
    return {name: _after_declaration(data, note) for name, data in files.items()}


def _hoist_pattern_types(xsd: bytes) -> bytes:
    """Name trang's repeated anonymous pattern types (TEI's `[^\\p{C}\\p{Z}]+` appears a hundred times).

    A meaning-preserving rewrite: xmlschema translates each pattern facet's regular expression anew (0.2 s
    each for TEI's Unicode classes), so one named type per distinct pattern cuts compilation from ~10 s to
    ~1.5 s.
    """
    xs = "http://www.w3.org/2001/XMLSchema"
    root = xmlio.parse_bytes(xsd, "cablegram.xsd").getroot()
    prefix = next(p for p, uri in root.nsmap.items() if uri == TEI_NS and p)
    names: dict[bytes, str] = {}
    for simple in list(root.iter(f"{{{xs}}}simpleType")):
        parent = simple.getparent()
        if simple.get("name") is not None or parent is None:
            continue
        restriction = simple.find(f"{{{xs}}}restriction")
        if (
            len(simple) != 1
            or restriction is None
            or not len(restriction)
            or any(child.tag != f"{{{xs}}}pattern" for child in restriction)
        ):
            continue
        key = etree.tostring(restriction)
        local = etree.QName(parent).localname
        attribute = {"attribute": "type", "element": "type", "list": "itemType", "restriction": "base"}.get(
            local
        )
        if local != "union" and (attribute is None or parent.get(attribute) is not None):
            continue
        if key not in names:
            names[key] = f"cablegram.pattern.{len(names) + 1}"
            named = etree.SubElement(root, f"{{{xs}}}simpleType", name=names[key])
            named.append(copy.deepcopy(restriction))
        reference = f"{prefix}:{names[key]}"
        if local == "union":
            parent.set("memberTypes", f"{parent.get('memberTypes', '')} {reference}".strip())
        else:
            assert attribute is not None
            parent.set(attribute, reference)
        parent.remove(simple)
    etree.indent(root, space="  ")
    return xmlio.serialize(root)


def _after_declaration(data: bytes, note: bytes) -> bytes:
    if data.startswith(b"<?xml"):
        end = data.index(b"?>") + 2
        return data[:end] + b"\n" + note + data[end:].lstrip(b"\n")
    return note + data


def generate(schema: Path | None = None) -> dict[str, bytes]:
    """All generated schema files, {name: bytes}, from the ODD in `schema`."""
    directory = schema or schema_dir()
    odd = read_odd(directory / "cablegram.odd")
    rng = build_rng(odd, directory / "tei_all.rng")
    files = {"cablegram.rng": rng, "cablegram.sch": build_sch(odd)}
    files.update(build_xsd(rng))
    return files


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else schema_dir()
    for name, data in generate(directory).items():
        atomic_write(directory / name, data)
        (directory / name).chmod(0o644)  # atomic_write's temporary file is private; schemas are published
        print(f"wrote {directory / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
