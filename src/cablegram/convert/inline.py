"""Phrase-level encoding of one block of source text: brackets, handwriting, strike-through,
letter-spacing, OCR corrections, names, dates, classification marks and line breaks (ENCODING.md §4)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from cablegram.convert import brackets
from cablegram.convert.brackets import BracketKind
from cablegram.convert.dates import find_dates
from cablegram.convert.registers import Registers
from cablegram.tei import Node, element

_HANDWRITING = re.compile(r"(?<![*\w])\*(?![*\s])([^*]+?)(?<!\s)\*(?![*\w])")
_STRIKE = re.compile(r"~~(.+?)~~", re.S)
_SPACED = re.compile(r"(?<![\w.])([^\W\d_](?: [^\W\d_]){2,})(?![\w])")
# Each markup pattern with a string that any text it matches contains.
_MARKUP = (("strike", _STRIKE, "~~"), ("hand", _HANDWRITING, "*"), ("spaced", _SPACED, " "))
_LEVEL_ORDER = {"cls-secret": 1, "cls-top-secret": 2, "cls-strictly-secret": 3}
# Longest alternatives first, so that "top secret" is not read as "secret".
_CLASSIFICATION = re.compile(
    r"(?P<top>\bсов(?:ершенно)?\.?\s*секретно\b|\btop\s+secret\b)"
    r"|(?P<strict>\bстрого\s+секретно\b|\bstrictly\s+secret\b)"
    r"|(?P<secret>(?<![\w.] )\bсекретно\b|\bsecret\b)"
    r"|(?P<special>\bособая\b|\bspecial\b(?!\s*(?:no\b|number|№|n\b|department|unit|attention|\d)))",
    re.I,
)
_KIND_TAG = {"person": "persName", "place": "placeName", "org": "orgName"}
_FUNCTION_BEFORE_PLACE = re.compile(r"(?:\bfrom|\bиз|\bот)\s*$", re.I)


@dataclass
class InlineContext:
    """What inline encoding needs to know and what it reports back to the header."""

    doc_id: str
    registers: Registers
    context_year: int | None = None
    header_zone: bool = False  # classification marks are read only in the telegram form's heading
    languages: list[str] = field(default_factory=list)
    hands: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)  # classification categories not struck through
    places_to: list[str] = field(default_factory=list)
    places_from: list[str] = field(default_factory=list)
    unmatched_brackets: int = 0

    def use_language(self, tag: str) -> None:
        if tag not in self.languages:
            self.languages.append(tag)

    def hand_id(self) -> str:
        ident = f"{self.doc_id}-hand1"
        if ident not in self.hands:
            self.hands.append(ident)
        return ident

    def effective_level(self) -> str:
        return max(self.levels, key=lambda c: _LEVEL_ORDER.get(c, 0), default="")


def encode(text: str, ctx: InlineContext, *, struck: bool = False) -> list[Node]:
    """Encode `text` into a list of strings and TEI elements, in order."""
    nodes: list[Node] = []
    position = 0
    while position < len(text):
        found = _next_markup(text, position)
        if found is None:
            nodes.extend(_leaf(text[position:], ctx, struck=struck))
            break
        start, end, make = found
        nodes.extend(_leaf(text[position:start], ctx, struck=struck))
        nodes.extend(make(nodes, ctx, struck))
        position = end
    return _merge_strings(nodes)


MakeNodes = Callable[[list[Node], InlineContext, bool], list[Node]]


def _next_markup(text: str, position: int) -> tuple[int, int, MakeNodes] | None:
    """The earliest source markup at or after `position`: (start, end, function making its nodes)."""
    candidates: list[tuple[int, int, brackets.Bracket | re.Match[str]]] = []
    pairs, unmatched = brackets.find_brackets(text)
    for pair in pairs:
        if pair.start >= position:
            candidates.append((pair.start, 0, pair))
            break
    for kind, pattern, needs in _MARKUP:
        match = pattern.search(text, position) if needs in text else None  # no search where it cannot match
        if match:
            candidates.append((match.start(), {"strike": 1, "hand": 2, "spaced": 3}[kind], match))
    if not candidates:
        return None
    start, _, found = min(candidates, key=lambda c: (c[0], c[1]))
    if isinstance(found, brackets.Bracket):
        return _bracket_markup(text, found, unmatched)
    match = found
    if match.re is _STRIKE:
        return (
            start,
            match.end(),
            lambda _n, ctx, _s: [
                element("del", {"rend": "strikethrough"}, encode(match.group(1), ctx, struck=True))
            ],
        )
    if match.re is _HANDWRITING:
        return (
            start,
            match.end(),
            lambda _n, ctx, s: [
                element(
                    "hi",
                    {"rend": "handwritten", "hand": f"#{ctx.hand_id()}"},
                    encode(match.group(1), ctx, struck=s),
                )
            ],
        )
    return start, match.end(), lambda _n, ctx, s: _spaced(match.group(1), ctx, s)


def _spaced(spaced: str, ctx: InlineContext, struck: bool) -> list[Node]:
    word = spaced.replace(" ", "")
    hi = element("hi", {"rend": "spaced"}, [word])
    entry = ctx.registers.lookup(word)
    if entry is not None:
        return [element(_KIND_TAG[entry.kind], {"ref": entry.ref}, [hi])]
    level = _classification_of(word)
    if ctx.header_zone and level:
        return [_classification_seg(level, [hi], ctx, struck)]
    return [hi]


def _bracket_markup(text: str, pair: brackets.Bracket, unmatched: list[int]) -> tuple[int, int, MakeNodes]:
    content = text[pair.inner_start : pair.inner_end]
    end = pair.end

    def make(previous: list[Node], ctx: InlineContext, struck: bool) -> list[Node]:
        known = (
            bool(ctx.registers.find_names(content.strip()))
            or ctx.registers.lookup(content.strip()) is not None
        )
        reading = brackets.classify(text, pair, is_known_name=known)
        inner = text[reading.body_start : pair.inner_end] if reading.body_start else content
        if reading.kind is BracketKind.GAP:
            return [element("gap", {"reason": reading.detail})]
        if reading.kind is BracketKind.STAMP:
            return [
                element("stamp", {"type": reading.detail}, encode(inner.strip() + extra, ctx, struck=struck))
            ]
        if reading.kind is BracketKind.NOTE:
            return [element("note", {"type": reading.detail, "resp": "#archive"}, encode(inner, ctx))]
        if reading.kind is BracketKind.SIC:
            return _mark_sic(previous)
        if reading.kind is BracketKind.TEXT:
            return [text[pair.start : end]]
        if reading.detail == "source-term":
            ctx.use_language("ru-Latn")
            foreign = element("foreign", {"xml:lang": "ru-Latn"}, [content])
            return [element("supplied", {"reason": "source-term", "resp": "#archive"}, [foreign])]
        return [
            element(
                "supplied",
                {"reason": reading.detail, "resp": "#archive"},
                encode(content, ctx, struck=struck),
            )
        ]

    # A stamp whose closing bracket came too early: a stray "]" later in the block closes it.
    extra = ""
    if re.match(r"\s*(?:stamp|штамп)\s*:", content, re.I):
        later = [u for u in unmatched if u >= pair.end and text[u] == "]"]
        if later:
            extra = text[pair.end : later[-1]]
            end = later[-1] + 1
    return pair.start, end, make


def _mark_sic(previous: list[Node]) -> list[Node]:
    """`word [SIC]`: the word before the bracket is the reading the archive marked as sic."""
    if previous and isinstance(previous[-1], str):
        match = re.search(r"(\S+)(\s*)$", previous[-1])
        if match:
            previous[-1] = previous[-1][: match.start()]
            return [element("sic", {}, [match.group(1)]), match.group(2)]
    return [element("sic", {}, [])]


def _leaf(text: str, ctx: InlineContext, *, struck: bool) -> list[Node]:
    """Plain text: corrections, then names, dates and classification marks; newlines become <lb/>."""
    if not text:
        return []
    nodes: list[Node] = []
    position = 0
    for correction in ctx.registers.find_corrections(text):
        nodes.extend(_names_and_dates(text[position : correction.start], ctx, struck))
        choice = element(
            "choice",
            {},
            [element("sic", {}, [correction.sic]), element("corr", {"resp": "#edition"}, [correction.corr])],
        )
        entry = ctx.registers.lookup(correction.corr)
        nodes.append(element(_KIND_TAG[entry.kind], {"ref": entry.ref}, [choice]) if entry else choice)
        position = correction.end
    nodes.extend(_names_and_dates(text[position:], ctx, struck))
    return nodes


def _names_and_dates(text: str, ctx: InlineContext, struck: bool) -> list[Node]:
    spans: list[tuple[int, int, etree._Element]] = []
    for name in ctx.registers.find_names(text):
        attrs = {"ref": name.entry.ref}
        if name.pseudonym and name.entry.kind == "person":
            attrs["type"] = "pseudonym"
        spans.append(
            (
                name.start,
                name.end,
                element(_KIND_TAG[name.entry.kind], attrs, _lines(text[name.start : name.end])),
            )
        )
        if name.entry.kind == "place" and ctx.header_zone:
            bucket = ctx.places_from if _FUNCTION_BEFORE_PLACE.search(text[: name.start]) else ctx.places_to
            bucket.append(name.entry.key)
    taken = [(s, e) for s, e, _ in spans]
    for date in find_dates(text, context_year=ctx.context_year):
        if not any(s < date.end and date.start < e for s, e in taken):
            spans.append(
                (
                    date.start,
                    date.end,
                    element("date", {"when": date.iso}, _lines(text[date.start : date.end])),
                )
            )
            taken.append((date.start, date.end))
    if ctx.header_zone:
        for match in _CLASSIFICATION.finditer(text):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                level = _level_of_match(match)
                spans.append(
                    (match.start(), match.end(), _classification_seg(level, [match.group(0)], ctx, struck))
                )
                taken.append((match.start(), match.end()))
    spans.sort(key=lambda span: span[0])
    nodes: list[Node] = []
    position = 0
    for start, end, node in spans:
        nodes.extend(_lines(text[position:start]))
        nodes.append(node)
        position = end
    nodes.extend(_lines(text[position:]))
    return nodes


def _level_of_match(match: re.Match[str]) -> str:
    if match.group("top"):
        return "cls-top-secret"
    if match.group("strict"):
        return "cls-strictly-secret"
    if match.group("secret"):
        return "cls-secret"
    return "cls-special"


def _classification_of(word: str) -> str:
    match = _CLASSIFICATION.fullmatch(word)
    return _level_of_match(match) if match else ""


def _classification_seg(level: str, children: list[Node], ctx: InlineContext, struck: bool) -> etree._Element:
    kind = "handling" if level == "cls-special" else "classification"
    if kind == "classification" and not struck:
        ctx.levels.append(level)
    return element("seg", {"type": kind, "ana": f"#{level}"}, children)


def _lines(text: str) -> list[Node]:
    """Source line breaks inside a block become <lb/>; the indentation of continuation lines goes."""
    parts = text.split("\n")
    nodes: list[Node] = [parts[0]]
    for part in parts[1:]:
        nodes.append(element("lb"))
        nodes.append(part.lstrip(" \t"))
    return nodes


def _merge_strings(nodes: list[Node]) -> list[Node]:
    merged: list[Node] = []
    for node in nodes:
        if isinstance(node, str) and merged and isinstance(merged[-1], str):
            merged[-1] += node
        elif not (isinstance(node, str) and not node):
            merged.append(node)
    return merged
