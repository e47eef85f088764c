"""Link a transliterated source term in the translation (`[pristupit k obiednineniiu]`) to the words of
the original it transliterates, by transliterating the original and matching fuzzily (ENCODING.md §4)."""

from __future__ import annotations

import re
from itertools import accumulate

from lxml import etree

from cablegram.convert.similar import Similar
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
_NOT_LETTER = re.compile(r"[^a-z]")
_THRESHOLD = 0.8


def romanize(text: str) -> str:
    """A loose Library-of-Congress romanisation, letters only, for comparison."""
    return _NOT_LETTER.sub("", text.lower().translate(_TRANSLIT).replace("y", "i"))


def _normal(text: str) -> str:
    return _NOT_LETTER.sub("", text.lower()).replace("y", "i")


def link_source_terms(translation: etree._Element, original: etree._Element) -> None:
    """Give each source-term `supplied` in `translation` a `corresp` to a new `seg` in `original`."""
    existing = {
        seg.get(XML_ID, ""): romanize("".join(str(t) for t in seg.itertext())) for seg in _term_segs(original)
    }
    counter = len(existing)
    windows = _Windows()  # the original's windows, romanised once for all the terms
    for supplied in translation.iter(tei("supplied")):
        if supplied.get("reason") != "source-term":
            continue
        term = "".join(str(t) for t in supplied.itertext())
        size = len(_WORD.findall(term))
        target = _normal(term)
        if size == 0 or len(target) < 4:
            continue
        similar = Similar(target, _THRESHOLD)
        reused = next((i for i, text in existing.items() if similar.ratio(text) is not None), None)
        if reused:
            # Another translation layer cites the same words: point at the seg already made.
            supplied.set("corresp", f"#{reused}")
            continue
        best = _best_window(original, similar, size, windows)
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


class _Windows:
    """A text's words and their romanisation, split once for all the terms.

    `romanize` works character by character (lower(), translate(), replace() and the letter filter; the
    one contextual lowering, of a final Greek sigma, gives no Latin letter either way), so a window's
    romanisation is that of its words and the gaps between them, joined, and its length their sum: a
    window too short or too long to reach the threshold is passed over without being built, and so is
    one with too few letters that occur in the term at all (a count that adds up over the pieces too).
    """

    def __init__(self) -> None:
        self._split: dict[str, tuple[list[tuple[int, int]], list[str], list[int]]] = {}
        self._romanized: dict[str, str] = {}  # words and gaps recur: "в", "и", ", "

    def of(self, text: str) -> tuple[list[tuple[int, int]], list[str], list[int]]:
        """Word spans; romanised word, gap, word, … gap, word; and the running length of the latter."""
        found = self._split.get(text)
        if found is None:
            spans = [word.span() for word in _WORD.finditer(text)]
            pieces: list[str] = []
            for i, (start, end) in enumerate(spans):
                if i:
                    pieces.append(self._romanize(text[spans[i - 1][1] : start]))
                pieces.append(self._romanize(text[start:end]))
            found = self._split[text] = (spans, pieces, [0, *accumulate(map(len, pieces))])
        return found

    def _romanize(self, piece: str) -> str:
        roman = self._romanized.get(piece)
        if roman is None:
            roman = self._romanized[piece] = romanize(piece)
        return roman


def _best_window(
    original: etree._Element, target: Similar, size: int, windows: _Windows
) -> tuple[etree._Element, bool, int, int] | None:
    best: tuple[float, etree._Element, bool, int, int] | None = None
    lengths, needed = target.lengths, target.needed()
    for node, is_tail, text in _text_slots(original):
        spans, pieces, running = windows.of(text)
        shared: list[int] | None = None  # running count of the pieces' letters that the term has
        for width in {size - 1, size, size + 1} - {0}:
            for i in range(len(spans) - width + 1):
                first, last = 2 * i, 2 * (i + width) - 1  # the window's pieces
                length = running[last] - running[first]
                if length not in lengths:
                    continue  # the ratio's first bound, from the length alone
                if shared is None:
                    shared = target.shared_at_most(pieces)
                if shared[last] - shared[first] < needed[length - lengths.start]:
                    continue  # a bound on the second one
                ratio = target.ratio("".join(pieces[first:last]))
                if ratio is not None and (best is None or ratio > best[0]):
                    best = (ratio, node, is_tail, spans[i][0], spans[i + width - 1][1])
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
