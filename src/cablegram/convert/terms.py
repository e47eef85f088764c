"""Link a transliterated source term in the translation (`[pristupit k obiednineniiu]`) to the words of
the original it transliterates, by transliterating the original and matching fuzzily (ENCODING.md §4)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from lxml import etree

from cablegram.tei import XML_ID, element, tei

_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_][\w\"'’ʹ-]*")
_THRESHOLD = 0.8


def romanize(text: str) -> str:
    """A loose Library-of-Congress romanisation, letters only, for comparison."""
    return re.sub(r"[^a-z]", "", text.lower().translate(_TRANSLIT).replace("y", "i"))


def _normal(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower()).replace("y", "i")


def link_source_terms(translation: etree._Element, original: etree._Element) -> None:
    """Give each source-term `supplied` in `translation` a `corresp` to a new `seg` in `original`."""
    existing = {
        seg.get(XML_ID, ""): romanize("".join(str(t) for t in seg.itertext())) for seg in _term_segs(original)
    }
    counter = len(existing)
    for supplied in translation.iter(tei("supplied")):
        if supplied.get("reason") != "source-term":
            continue
        term = "".join(str(t) for t in supplied.itertext())
        size = len(_WORD.findall(term))
        target = _normal(term)
        if size == 0 or len(target) < 4:
            continue
        reused = next(
            (i for i, text in existing.items() if SequenceMatcher(None, text, target).ratio() >= _THRESHOLD),
            None,
        )
        if reused:
            # Another translation layer cites the same words: point at the seg already made.
            supplied.set("corresp", f"#{reused}")
            continue
        best = _best_window(original, target, size)
        if best is None:
            continue
        node, is_tail, start, end = best
        counter += 1
        identifier = f"{original.get(XML_ID)}-term{counter}"
        _wrap(node, is_tail, start, end, identifier)
        supplied.set("corresp", f"#{identifier}")
        existing[identifier] = romanize(term)


def _term_segs(root: etree._Element) -> list[etree._Element]:
    return [seg for seg in root.iter(tei("seg")) if "-term" in seg.get(XML_ID, "")]


def _text_slots(root: etree._Element) -> list[tuple[etree._Element, bool, str]]:
    """Text nodes that may be wrapped: not OCR residue, not a correction, not inside a term seg already
    (a seg's own tail is outside it)."""
    inside = {node for seg in _term_segs(root) for node in seg.iter()}
    slots: list[tuple[etree._Element, bool, str]] = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        if node.text and node not in inside and node.tag not in {tei("ab"), tei("corr")}:
            slots.append((node, False, node.text))
        parent = node.getparent()
        if node is not root and node.tail and (parent is None or parent not in inside):
            slots.append((node, True, node.tail))
    return slots


def _best_window(
    original: etree._Element, target: str, size: int
) -> tuple[etree._Element, bool, int, int] | None:
    best: tuple[float, etree._Element, bool, int, int] | None = None
    for node, is_tail, text in _text_slots(original):
        words = list(_WORD.finditer(text))
        for width in {size - 1, size, size + 1} - {0}:
            for i in range(len(words) - width + 1):
                start, end = words[i].start(), words[i + width - 1].end()
                matcher = SequenceMatcher(None, romanize(text[start:end]), target)
                # ratio() <= quick_ratio() <= real_quick_ratio(): the cheap bounds rule most windows out.
                if matcher.real_quick_ratio() < _THRESHOLD or matcher.quick_ratio() < _THRESHOLD:
                    continue
                ratio = matcher.ratio()
                if ratio >= _THRESHOLD and (best is None or ratio > best[0]):
                    best = (ratio, node, is_tail, start, end)
    return None if best is None else best[1:]


def _wrap(node: etree._Element, is_tail: bool, start: int, end: int, identifier: str) -> None:
    text = (node.tail if is_tail else node.text) or ""
    seg = element("seg", {"xml:id": identifier}, [text[start:end]])
    seg.tail = text[end:]
    if is_tail:
        node.tail = text[:start]
        node.addnext(seg)
    else:
        node.text = text[:start]
        node.insert(0, seg)
