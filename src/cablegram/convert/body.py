"""Build the TEI `body` from a page's layers: the structure of each layer (ENCODING.md §3)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from cablegram.convert import blocks, inline
from cablegram.convert.blocks import Kind
from cablegram.convert.brackets import stamp_type
from cablegram.convert.inline import InlineContext
from cablegram.convert.layers import Layer, segment
from cablegram.convert.model import BodyFacts, Line, Page, Paragraph
from cablegram.convert.registers import Registers
from cablegram.convert.terms import link_source_terms
from cablegram.tei import XML_ID, Node, append_mixed, element, tei

_MESSAGE_END = {Kind.OFFICE, Kind.ATTESTATION, Kind.DISTRIBUTION_LABEL, Kind.STAMP, Kind.LIST_ITEMS}
_MILESTONES = {Kind.GAP, Kind.PAGE_BREAK, Kind.FOLIO}
_FRAME = {Kind.SALUTE, Kind.ADDRESS, Kind.SIGNATURE, Kind.DATELINE, *_MILESTONES}


@dataclass
class Block:
    paragraph: Paragraph
    kind: Kind

    @property
    def text(self) -> str:
        return self.paragraph.text


class LayerBuilder:
    """Turns one layer's blocks into a `div` with heading blocks, a message and office notes."""

    def __init__(self, layer: Layer, ctx: InlineContext) -> None:
        self.layer = layer
        self.ctx = ctx
        self.paragraph_ids: list[str] = []

    # -- entry point -------------------------------------------------------------------------
    def build(self) -> etree._Element:
        attrs = {"type": self.layer.role, "xml:lang": self.layer.lang, "xml:id": self.layer.xml_id}
        if self.layer.n:
            attrs["n"] = self.layer.n
        if self.layer.corresp:
            attrs["corresp"] = f"#{self.layer.corresp}"
        div = element("div", attrs)
        items = [Block(p, blocks.classify(p.text, self.ctx.registers)) for p in self.layer.paragraphs]
        items = _split_mixed(items, self.ctx.registers)
        start = _message_start(items)
        self.ctx.header_zone = True
        index = 0
        while index < start:
            if items[index].kind in (Kind.DISTRIBUTION_LABEL, Kind.LIST_ITEMS):
                end = _list_end(items, index, start)
                listing = self.distribution_list(items[index:end])
                div.append(element("ab", {"type": "telegram-header"}, [listing]))
                index = end
                continue
            div.append(self.heading_block(items[index]))
            index += 1
        self.ctx.header_zone = False
        rest = items[start:]
        end = _message_end(rest)
        message = self.message(rest[:end], "message") if end else None
        if message is not None:
            div.append(message)
        for notes in self.office_notes(rest[end:], message):
            div.append(notes)
        if len(div) == 0:
            div.append(element("ab", {}, []))
        return div

    # -- heading of the telegram form ----------------------------------------------------------
    def heading_block(self, item: Block) -> etree._Element:
        milestone = self.milestone(item)
        if milestone is not None:
            return milestone
        if item.kind is Kind.RESIDUE:
            return element("ab", {"type": "ocr-residue"}, [item.text])
        return element("ab", {"type": "telegram-header"}, self.stamp_or_text(item))

    def milestone(self, item: Block) -> etree._Element | None:
        if item.kind is Kind.GAP:
            return element("gap", {"reason": "editorial"})
        if item.kind is Kind.PAGE_BREAK:
            match = blocks.PAGE_BREAK.match(item.text)
            number = next((g for g in match.groups() if g), "") if match else ""
            return element("pb", {"n": number})
        if item.kind is Kind.FOLIO:
            return element("fw", {"type": "folio"}, [item.text.strip()])
        return None

    # -- the letter ----------------------------------------------------------------------------
    def message(self, items: list[Block], div_type: str) -> etree._Element:
        """A letter: opener, paragraphs (a quoted message as floatingText), closer. With no `div_type`,
        the body of a quoted message, which quotes nothing further."""
        quoting = bool(div_type)
        container = element("div", {"type": div_type}) if quoting else element("body")
        index = 0
        while index < len(items) and items[index].kind in _MILESTONES:
            container.append(self.milestone(items[index]))  # type: ignore[arg-type]
            index += 1
        opener: list[Node] = []
        while index < len(items) and items[index].kind in (Kind.ADDRESS, Kind.SALUTE):
            item = items[index]
            if (
                quoting
                and item.kind is Kind.SALUTE
                and blocks.starts_quote(item.text)
                and _quote_end(items, index)
            ):
                break  # the salute opens a quoted message: it belongs to that message
            opener.append(self.opener_part(item))
            index += 1
        if opener:
            container.append(element("opener", {}, opener))
        closer_at = _closer_start(items, index, quoting=quoting)
        while index < closer_at:
            item = items[index]
            quote_end = _quote_end(items, index) if quoting and blocks.starts_quote(item.text) else None
            if quote_end is not None and quote_end > index:
                floating = element("floatingText", {"type": "quoted-message"})
                floating.append(self.message(items[index : quote_end + 1], ""))
                container.append(floating)
                index = quote_end + 1
                continue
            container.append(self.text_block(item))
            index += 1
        if closer_at < len(items):
            closer = self.closer(items[closer_at:])
            # A closer needs a paragraph before it; a message that is only address and signature keeps
            # them as heading parts of the division (signed and dateline may open a TEI div).
            for part in [closer] if _can_close(container) else _as_heading(closer):
                container.append(part)
        if len(container) == 0:
            container.append(element("p", {}, []))
        return container

    def opener_part(self, item: Block) -> etree._Element:
        if item.kind is Kind.ADDRESS:
            lines = [line.text.strip() for line in item.paragraph.lines if line.text.strip()]
            return element(
                "address", {}, [element("addrLine", {}, inline.encode(t, self.ctx)) for t in lines]
            )
        return element("salute", {}, inline.encode(item.text, self.ctx))

    def text_block(self, item: Block) -> etree._Element:
        milestone = self.milestone(item)
        if milestone is not None:
            return milestone
        if item.kind is Kind.RESIDUE:
            return element("ab", {"type": "ocr-residue"}, [item.text])
        identifier = f"{self.layer.xml_id}-p{len(self.paragraph_ids) + 1}"
        self.paragraph_ids.append(identifier)
        return element("p", {"xml:id": identifier}, inline.encode(item.text, self.ctx))

    def closer(self, items: list[Block]) -> etree._Element:
        parts: list[Node] = []
        pending: list[Node] = []  # role lines that head the next signature
        for item in items:
            if item.kind is Kind.DATELINE:
                parts.append(element("dateline", {}, inline.encode(item.text, self.ctx)))
            elif blocks.is_valediction(item.text):
                parts.append(element("salute", {}, inline.encode(item.text, self.ctx)))
            elif item.kind is Kind.SIGNATURE:
                parts.append(element("signed", {}, [*pending, *inline.encode(item.text, self.ctx)]))
                pending = []
            elif item.kind in _MILESTONES:
                parts.append(self.milestone(item))  # type: ignore[arg-type]
            else:
                pending.extend([*inline.encode(item.text, self.ctx), element("lb")])
        if pending:
            parts.append(element("signed", {}, pending[:-1]))
        return element("closer", {}, parts)

    # -- what the office added -----------------------------------------------------------------
    def office_notes(self, items: list[Block], previous: etree._Element | None) -> list[etree._Element]:
        """Office notes after the letter; `previous` is the division before them (the message)."""
        divs: list[etree._Element] = []
        current: etree._Element | None = None
        index = 0
        while index < len(items):
            item = items[index]
            if current is None:
                is_list = item.kind in (Kind.DISTRIBUTION_LABEL, Kind.LIST_ITEMS)
                current = element("div", {"type": "distribution" if is_list and divs else "office-notes"})
                divs.append(current)
            if item.kind is Kind.ATTESTATION:
                end = _attestation_end(items, index)
                closer = self.attestation(items[index:end])
                if len(current) == 0 and len(divs) > 1 and _can_close(divs[-2]):
                    # A division cannot consist of a closer alone: the attestation closes the one before.
                    divs.pop()
                    divs[-1].append(closer)
                elif len(current) == 0 and previous is not None and _can_close(previous):
                    divs.pop()
                    previous.append(closer)
                elif len(current) == 0:
                    # Nothing to close: the attestation heads the division instead (TEI's divTop).
                    for part in _as_heading(closer):
                        current.append(part)
                else:
                    current.append(closer)
                current = None  # nothing but a new division may follow a closer
                index = end
                continue
            if item.kind in (Kind.DISTRIBUTION_LABEL, Kind.LIST_ITEMS):
                end = _list_end(items, index, len(items))
                current.append(self.distribution_list(items[index:end]))
                index = end
                continue
            current.append(self.note_block(item))
            index += 1
        return divs

    def note_block(self, item: Block) -> etree._Element:
        milestone = self.milestone(item)
        if milestone is not None:
            return milestone
        if item.kind is Kind.RESIDUE:
            return element("ab", {"type": "ocr-residue"}, [item.text])
        return element("ab", {}, self.stamp_or_text(item))

    def stamp_or_text(self, item: Block) -> list[Node]:
        """A stamped block is a `stamp`; one written "[Stamp: …]" says so itself, inline."""
        nodes = inline.encode(item.text, self.ctx)
        if item.kind is Kind.STAMP and not item.text.lstrip().startswith("["):
            return [element("stamp", {"type": _stamp_type(item.text)}, nodes)]
        return nodes

    def attestation(self, items: list[Block]) -> etree._Element:
        first = items[0].text
        match = blocks.ATTESTATION.match(first)
        label_end = match.end() if match else 0
        parts: list[Node] = [element("seg", {"type": "attestation"}, [first[:label_end].strip()])]
        signed: list[Node] = []
        rest = first[label_end:].strip()
        if rest:
            signed.extend(inline.encode(rest, self.ctx))
        datelines: list[Node] = []
        for item in items[1:]:
            if item.kind is Kind.DATELINE:
                datelines.append(element("dateline", {}, inline.encode(item.text, self.ctx)))
            else:
                if signed:
                    signed.append(element("lb"))
                signed.extend(inline.encode(item.text, self.ctx))
        if signed:
            parts.extend([" ", element("signed", {}, signed)])
        return element("closer", {}, [*parts, *datelines])

    def distribution_list(self, items: list[Block]) -> etree._Element:
        listing = element("list", {"type": "distribution"})
        lines: list[Line] = [line for item in items for line in item.paragraph.lines if line.text.strip()]
        if lines and not blocks.LIST_ITEM.match(lines[0].text):
            listing.append(element("head", {}, inline.encode(lines[0].text.strip(), self.ctx)))
            lines = lines[1:]
        for line in lines:
            match = blocks.LIST_ITEM.match(line.text)
            if match is None:
                continue
            label = line.text[: match.end(1) + 1].strip()
            content = inline.encode(match.group(2) or "", self.ctx)
            listing.append(
                element("item", {"n": match.group(1)}, [element("label", {}, [label]), " ", *content])
            )
        if not len(listing.findall("{*}item")):
            listing.append(element("item", {}, []))
        return listing


# -- block sequencing rules ---------------------------------------------------------------------


def _split_mixed(items: list[Block], registers: Registers) -> list[Block]:
    """A block whose last line is a signature ("…\\nVYSHINSKY"), or whose first lines are marks before
    an address ("SPECIAL\\nFor Mao Zedong."), is two blocks."""
    result: list[Block] = []
    for item in items:
        lines = item.paragraph.lines
        if len(lines) > 1 and item.kind not in (Kind.SIGNATURE, Kind.RESIDUE, Kind.LIST_ITEMS):
            last = lines[-1].text
            if blocks.is_signature(last, registers) and not blocks.is_signature(item.text, registers):
                head = Paragraph(lines[:-1])
                result.append(Block(head, blocks.classify(head.text, registers)))
                result.append(Block(Paragraph(lines[-1:]), Kind.SIGNATURE))
                continue
            if item.kind is Kind.ADDRESS:
                at = next(
                    (
                        i
                        for i, line in enumerate(lines)
                        if blocks.classify(line.text, registers) is Kind.ADDRESS
                    ),
                    0,
                )
                if at:
                    head = Paragraph(lines[:at])
                    result.append(Block(head, blocks.classify(head.text, registers)))
                    result.append(Block(Paragraph(lines[at:]), Kind.ADDRESS))
                    continue
        result.append(item)
    return result


def _message_start(items: list[Block]) -> int:
    """The letter begins with its address or salute; failing those, with its first paragraph."""
    kinds = {item.kind for item in items}
    opening = {Kind.ADDRESS, Kind.SALUTE} if {Kind.ADDRESS, Kind.SALUTE} & kinds else {Kind.PROSE}
    for index, item in enumerate(items):
        if item.kind in opening or (Kind.PROSE not in kinds and _is_sentence(item)):
            # Script-less marks just before the opening (a gap, a folio number) open the message too.
            while index > 0 and items[index - 1].kind in (Kind.GAP,):
                index -= 1
            return index
    return len(items)


def _is_sentence(item: Block) -> bool:
    """A short letter has no long paragraph: its first sentence opens it."""
    return (
        item.kind is Kind.OTHER
        and len(blocks.words(item.text)) >= 3
        and bool(re.search(r"[.!?]\W*$", item.text))
    )


def _message_end(items: list[Block]) -> int:
    index = 0
    while index < len(items):
        item = items[index]
        if blocks.starts_quote(item.text):
            quote_end = _quote_end(items, index)
            if quote_end is not None:
                index = quote_end + 1
                continue
        if item.kind in _MESSAGE_END:
            return index
        if item.kind is Kind.SIGNATURE and index > 0:
            end = index + 1
            while end < len(items) and items[end].kind in (Kind.DATELINE, Kind.SIGNATURE, *_MILESTONES):
                end += 1
            return end
        index += 1
    return len(items)


def _quote_end(items: list[Block], start: int) -> int | None:
    """Index of the block closing a quotation opened at `start` (a quote spans at least two blocks)."""
    for index in range(start + 1, len(items)):
        if blocks.starts_quote(items[index].text) and not blocks.ends_quote(items[index].text):
            return None
        if blocks.ends_quote(items[index].text):
            # A quoted message has a paragraph of its own; quotation marks round a salute, a gap and a
            # signature alone are not one (TEI's body needs a block).
            has_text = any(item.kind not in _FRAME for item in items[start : index + 1])
            return index if has_text else None
    return None


def _closer_start(items: list[Block], start: int, *, quoting: bool) -> int:
    """The closer: the first signature outside quotations, with the valediction, role lines and
    dateline before it."""
    index = start
    signature = None
    while index < len(items):
        if quoting and blocks.starts_quote(items[index].text):
            quote_end = _quote_end(items, index)
            if quote_end is not None:
                index = quote_end + 1
                continue
        if items[index].kind is Kind.SIGNATURE and index > start:
            signature = index
            break
        index += 1
    if signature is None:
        return len(items)
    begin = signature
    while begin - 1 >= start and (
        items[begin - 1].kind is Kind.DATELINE
        or blocks.is_valediction(items[begin - 1].text)
        or (items[begin - 1].kind is Kind.OTHER and not re.search(r"[.!?:]\W*$", items[begin - 1].text))
    ):
        begin -= 1
    return max(begin, start + 1)


_COMMON = {tei(name) for name in ("p", "ab", "floatingText", "list", "div", "closer", "table", "quote")}
_HEADING_PARTS = {tei(name) for name in ("salute", "signed", "dateline")}


def _can_close(div: etree._Element) -> bool:
    """Whether a closer may end `div`: TEI wants common content (a paragraph, a block) before it."""
    return any(child.tag in _COMMON for child in div)


def _as_heading(closer: etree._Element) -> list[etree._Element]:
    """The parts of a closer as parts that may head a division: salute, signed and dateline may; an
    attestation label goes into the signed it introduces; milestones may stand anywhere."""
    parts: list[etree._Element] = []
    pending: list[Node] = []
    if closer.text and closer.text.strip():
        pending.append(closer.text)
    for child in closer:
        child_tail, child.tail = child.tail, None
        if child.tag in _HEADING_PARTS or child.tag not in {tei("seg")}:
            if child.tag == tei("signed") and pending:
                signed = element("signed", {}, [*pending, " "])
                append_mixed(signed, [child.text or "", *list(child)])
                child = signed
                pending = []
            parts.append(child)
        else:
            pending.append(child)
        if child_tail and child_tail.strip():
            pending.append(child_tail)
    if pending:
        parts.append(element("signed", {}, pending))
    return parts


def _list_end(items: list[Block], start: int, limit: int) -> int:
    end = start + 1
    while end < limit and items[end].kind is Kind.LIST_ITEMS:
        end += 1
    return end


def _attestation_end(items: list[Block], start: int) -> int:
    end = start + 1
    while end < len(items) and (
        items[end].kind in (Kind.SIGNATURE, Kind.DATELINE)
        or (items[end].kind is Kind.OTHER and len(blocks.words(items[end].text)) <= 4)
    ):
        end += 1
    return end


def _stamp_type(text: str) -> str:
    return stamp_type(text)


# -- the body as a whole -------------------------------------------------------------------------


def build_body(page: Page, registers: Registers) -> tuple[etree._Element, BodyFacts]:
    layers = segment(page)
    year = int(page.date_iso[:4]) if page.date_iso[:4].isdigit() else None
    ctx = InlineContext(doc_id=page.doc_id, registers=registers, context_year=year)
    body = element("body")
    built: list[tuple[Layer, LayerBuilder]] = []
    levels_by_role: dict[str, list[str]] = {}
    for layer in layers:
        ctx.use_language(layer.lang)
        builder = LayerBuilder(layer, ctx)
        before = len(ctx.levels)
        body.append(builder.build())
        levels_by_role.setdefault(layer.role, []).extend(ctx.levels[before:])
        built.append((layer, builder))
    _align_paragraphs(body, built)
    _link_terms(body, layers)
    languages = [layer.lang for layer in layers]
    languages += [lang for lang in ctx.languages if lang not in languages]
    preferred = levels_by_role.get("original") or ctx.levels
    scratch = InlineContext(doc_id=page.doc_id, registers=registers, levels=list(preferred))
    facts = BodyFacts(
        languages=languages,
        classification=scratch.effective_level(),
        hands=list(ctx.hands),
        destination_place=ctx.places_to[0] if ctx.places_to else "",
        origin_place=ctx.places_from[0] if ctx.places_from else "",
    )
    if not len(body):
        body.append(element("div", {"type": "original"}, [element("p", {}, [])]))
    return body, facts


def _align_paragraphs(body: etree._Element, built: list[tuple[Layer, LayerBuilder]]) -> None:
    """Where a translation and its original have the same number of paragraphs, pair them."""
    by_id = {layer.xml_id: builder for layer, builder in built}
    paragraphs = {node.get(XML_ID): node for node in body.iter(tei("p")) if node.get(XML_ID)}
    for layer, builder in built:
        original = by_id.get(layer.corresp)
        if original is None or not builder.paragraph_ids:
            continue
        if len(builder.paragraph_ids) != len(original.paragraph_ids):
            continue
        for mine, theirs in zip(builder.paragraph_ids, original.paragraph_ids, strict=True):
            paragraphs[mine].set("corresp", f"#{theirs}")
            paragraphs[theirs].set("corresp", f"#{mine}")


def _link_terms(body: etree._Element, layers: list[Layer]) -> None:
    divs = {div.get(XML_ID): div for div in body}
    for layer in layers:
        if layer.corresp and layer.corresp in divs:
            link_source_terms(divs[layer.xml_id], divs[layer.corresp])
