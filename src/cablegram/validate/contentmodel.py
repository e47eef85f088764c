"""Which child elements the grammar expects at a given position (for messages libxml2 leaves terse).

The content models of `cablegram.rng` are read as regular expressions over child element names (text,
attributes and datatypes ignored) and matched with Brzozowski derivatives, so that an error can say
"expected: title" instead of "Did not expect element respStmt there". Used only on invalid documents.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from lxml import etree

from cablegram import xmlio
from cablegram.resources import schema_dir

_R = "{http://relaxng.org/ns/structure/1.0}"

# A pattern is a nested tuple: ("empty",), ("none",), ("sym", name), ("choice", a, b), ("group", a, b),
# ("interleave", a, b), ("many", p) for one or more.
Pattern = tuple[object, ...]
EMPTY: Pattern = ("empty",)
NONE: Pattern = ("none",)


def _choice(a: Pattern, b: Pattern) -> Pattern:
    if a == NONE:
        return b
    if b == NONE or a == b:
        return a
    return ("choice", a, b)


def _sequence(kind: str, a: Pattern, b: Pattern) -> Pattern:
    """A group or an interleave of two patterns, simplified the same way for both."""
    if NONE in (a, b):
        return NONE
    if a == EMPTY:
        return b
    if b == EMPTY:
        return a
    return (kind, a, b)


def _group(a: Pattern, b: Pattern) -> Pattern:
    return _sequence("group", a, b)


def _interleave(a: Pattern, b: Pattern) -> Pattern:
    return _sequence("interleave", a, b)


@functools.cache
def nullable(p: Pattern) -> bool:
    kind = p[0]
    if kind == "empty":
        return True
    if kind in ("none", "sym"):
        return False
    if kind == "choice":
        return nullable(p[1]) or nullable(p[2])  # type: ignore[arg-type]
    if kind in ("group", "interleave"):
        return nullable(p[1]) and nullable(p[2])  # type: ignore[arg-type]
    return nullable(p[1])  # type: ignore[arg-type]


@functools.cache
def first(p: Pattern) -> frozenset[str]:
    kind = p[0]
    if kind == "sym":
        return frozenset({str(p[1])})
    if kind in ("empty", "none"):
        return frozenset()
    a: Pattern = p[1]  # type: ignore[assignment]
    if kind == "many":
        return first(a)
    b: Pattern = p[2]  # type: ignore[assignment]
    if kind == "group" and not nullable(a):
        return first(a)
    return first(a) | first(b)


@functools.cache
def derive(p: Pattern, name: str) -> Pattern:
    kind = p[0]
    if kind == "sym":
        return EMPTY if p[1] == name else NONE
    if kind in ("empty", "none"):
        return NONE
    a: Pattern = p[1]  # type: ignore[assignment]
    if kind == "many":
        return _group(derive(a, name), _choice(p, EMPTY))
    b: Pattern = p[2]  # type: ignore[assignment]
    if kind == "choice":
        return _choice(derive(a, name), derive(b, name))
    if kind == "group":
        step = _group(derive(a, name), b)
        return _choice(step, derive(b, name)) if nullable(a) else step
    return _choice(_interleave(derive(a, name), b), _interleave(a, derive(b, name)))


class Models:
    """The content model of every element of a grammar, as child-name patterns."""

    def __init__(self, grammar: etree._Element) -> None:
        self._defines = {d.get("name", ""): d for d in grammar.iterfind(f"{_R}define")}
        self._elements: dict[str, str] = {}
        for name, define in self._defines.items():
            element = define.find(f"{_R}element")
            if element is not None and len(define) == 1 and element.get("name"):
                self._elements[name] = element.get("name", "")
        self._by_element = {v: k for k, v in self._elements.items()}
        self._converted: dict[str, Pattern] = {}

    def model(self, element: str) -> Pattern | None:
        define = self._by_element.get(element)
        if define is None:
            return None
        pattern = self._defines[define].find(f"{_R}element")
        assert pattern is not None
        return self._sequence(list(pattern))

    def _sequence(self, nodes: list[etree._Element]) -> Pattern:
        result = EMPTY
        for node in nodes:
            if isinstance(node.tag, str):
                result = _group(result, self._convert(node))
        return result

    def _convert(self, node: etree._Element) -> Pattern:
        kind = etree.QName(node).localname
        if kind == "ref":
            name = node.get("name", "")
            if name in self._elements:
                return ("sym", self._elements[name])
            if name not in self._converted:
                self._converted[name] = self._sequence(list(self._defines[name]))
            return self._converted[name]
        if kind == "choice":
            result = NONE
            for child in node:
                if isinstance(child.tag, str):
                    result = _choice(result, self._convert(child))
            return result
        if kind in ("group", "mixed"):
            return self._sequence(list(node))
        if kind == "interleave":
            result = EMPTY
            for child in node:
                if isinstance(child.tag, str):
                    result = _interleave(result, self._convert(child))
            return result
        if kind == "oneOrMore":
            return ("many", self._sequence(list(node)))
        if kind == "zeroOrMore":
            return _choice(("many", self._sequence(list(node))), EMPTY)
        if kind == "optional":
            return _choice(self._sequence(list(node)), EMPTY)
        if kind == "notAllowed":
            return NONE
        if kind == "element":
            return ("sym", node.get("name", "*"))
        return EMPTY  # text, attribute, data, value, list, empty


@dataclass(frozen=True)
class Mismatch:
    index: int  # the child that does not fit, or len(children) when the element ends too early
    expected: frozenset[str]
    end_allowed: bool


def match(models: Models, element: str, children: list[str]) -> Mismatch | None:
    """Where `children` first leaves `element`'s content model, and what it expected there."""
    pattern = models.model(element)
    if pattern is None:
        return None
    for index, child in enumerate(children):
        step = derive(pattern, child)
        if step == NONE:
            return Mismatch(index, first(pattern), nullable(pattern))
        pattern = step
    if not nullable(pattern):
        return Mismatch(len(children), first(pattern), False)
    return None


@functools.cache
def cablegram_models() -> Models:
    return Models(xmlio.parse(schema_dir() / "cablegram.rng").getroot())
