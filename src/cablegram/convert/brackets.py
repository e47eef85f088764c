"""Square brackets in a source: find them (nested, spanning lines) and decide what each one does.

The reason of a `supplied` is decided by what the bracket does, never by its position (ENCODING.md §4):
identification, normalization, gloss, omitted, context, source-term. `[...]`, `[signature]`, `[Stamp: …]`
and `[SIC]` are other editorial signs; `[email protected]` is a site artefact and stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum


class BracketKind(StrEnum):
    SUPPLIED = "supplied"
    GAP = "gap"
    STAMP = "stamp"
    SIC = "sic"
    NOTE = "note"
    TEXT = "text"  # not editorial: keep the brackets as they stand


@dataclass(frozen=True)
class Bracket:
    start: int  # offset of "["
    end: int  # offset after the matching "]"
    inner_start: int
    inner_end: int


_SQUARE = re.compile(r"[\[\]]")


def find_brackets(text: str) -> tuple[list[Bracket], list[int]]:
    """Top-level bracket pairs (nesting is kept inside) and the offsets of unmatched brackets."""
    pairs: list[Bracket] = []
    unmatched: list[int] = []
    stack: list[int] = []
    for found in _SQUARE.finditer(text):  # the brackets alone: most blocks have none
        index = found.start()
        if text[index] == "[":
            stack.append(index)
        else:
            if not stack:
                unmatched.append(index)
                continue
            opening = stack.pop()
            if not stack:
                pairs.append(Bracket(opening, index + 1, opening + 1, index))
    unmatched.extend(stack)
    return pairs, sorted(unmatched)


_GAP_EDITORIAL = re.compile(r"^\s*(?:\.{2,}|…|\.\s\.\s\.)\s*$")
_GAP_SIGNATURE = re.compile(
    r"^\s*(?:signature|signed|illegible signature|signature illegible|подпись)\s*$", re.I
)
_GAP_ILLEGIBLE = re.compile(r"^\s*(?:illegible|unreadable|unclear|неразборчиво|нрзб\.?)\s*$", re.I)
_STAMP = re.compile(r"^\s*(?:stamp|штамп)\s*:?\s*", re.I)
_SIC = re.compile(r"^\s*sic!?\s*$", re.I)
_NOTE = re.compile(r"^\s*(?:translator'?s'? note|editor'?s'? note|ed\. note|note)\s*:\s*", re.I)
_SITE_ARTEFACT = re.compile(r"email\s+protected|cdn-cgi", re.I)
_PREPOSITIONS = {
    "to", "from", "in", "at", "via", "by", "for", "of", "on",
    "в", "во", "из", "от", "к", "ко", "на", "для", "с", "со", "по",
}  # fmt: skip
_ENGLISH_FUNCTION_WORDS = {
    "the", "a", "an", "of", "and", "to", "in", "with", "for", "on", "by", "at", "from", "as", "is", "was",
    "him", "her", "them", "it", "his", "their", "this", "that", "not", "be", "or", "are", "were", "has",
    "have", "had", "which", "who", "he", "she", "they", "we", "you", "i", "my", "our", "your",
}  # fmt: skip
_TRANSLIT_CLUSTER = re.compile(r"(?:iu|ia|ie|ii|zh|kh|shch|sch|ts|'|”|ogo|ykh|ikh|nyi|skii|tel)", re.I)
_STAMP_TYPES = (
    ("declassification", re.compile(r"declassif|рассекреч", re.I)),
    ("return", re.compile(r"return|возврат", re.I)),
    ("receipt", re.compile(r"receiv|получ", re.I)),
    ("registration", re.compile(r"incoming|outgoing|registr|вх\.|исх\.|no\.|№", re.I)),
)


@dataclass(frozen=True)
class Reading:
    """What one bracket is: its kind and, for `supplied`, `gap`, `stamp` and `note`, the detail."""

    kind: BracketKind
    detail: str = ""  # supplied reason, gap reason, stamp type or note type
    body_start: int = 0  # offset of the content to encode inside the element (after "Stamp:" etc.)


def stamp_type(content: str) -> str:
    for name, pattern in _STAMP_TYPES:
        if pattern.search(content):
            return name
    return "other"


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'’-]*", text)


def looks_transliterated(content: str) -> bool:
    """Latin-script Russian: no English function words, lower case, and tell-tale letter clusters."""
    words = _words(content)
    if not words or re.search(r"[^\x00-\x7f'’]", content):
        return False
    lowered = [w.lower() for w in words]
    if any(w in _ENGLISH_FUNCTION_WORDS for w in lowered) or any(c.isupper() for c in content):
        return False
    clustered = sum(1 for w in lowered if _TRANSLIT_CLUSTER.search(w))
    return clustered >= 1 and (len(words) >= 2 or clustered == len(words))


def _previous_word(text: str, position: int) -> str:
    match = re.search(r"([\w.’'-]+)\W*$", text[:position])
    return match.group(1) if match else ""


def similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a.lower(), b.lower()).ratio()


def classify(text: str, bracket: Bracket, *, is_known_name: bool) -> Reading:
    """Decide what the bracket at `bracket` in `text` does.

    `is_known_name` tells whether the bracket's content names an entry of the registers.
    """
    content = text[bracket.inner_start : bracket.inner_end]
    stripped = content.strip()
    if _GAP_EDITORIAL.match(content) or not stripped:
        return Reading(BracketKind.GAP, "editorial")
    if _GAP_SIGNATURE.match(content):
        return Reading(BracketKind.GAP, "signature")
    if _GAP_ILLEGIBLE.match(content):
        return Reading(BracketKind.GAP, "illegible")
    stamp = _STAMP.match(content)
    if stamp:
        return Reading(BracketKind.STAMP, stamp_type(content), bracket.inner_start + stamp.end())
    if _SIC.match(content):
        return Reading(BracketKind.SIC)
    note = _NOTE.match(content)
    if note:
        return Reading(BracketKind.NOTE, "editorial", bracket.inner_start + note.end())
    if _SITE_ARTEFACT.search(content):
        return Reading(BracketKind.TEXT)
    reason = supplied_reason(text, bracket, content=stripped, is_known_name=is_known_name)
    return Reading(BracketKind.SUPPLIED, reason, bracket.inner_start)


def supplied_reason(text: str, bracket: Bracket, *, content: str, is_known_name: bool) -> str:
    before = text[: bracket.start]
    after = text[bracket.end : bracket.end + 1]
    attached_before = bool(before) and (before[-1].isalnum())
    attached_after = bool(after) and after.isalnum()
    if attached_before or attached_after:
        return "omitted"  # Com[rade], 1[3]: restores letters of a word
    if looks_transliterated(content):
        return "source-term"
    previous = _previous_word(before, len(before))
    first_word = (_words(content) or [""])[0].lower()
    if previous and re.search(r"\d", previous):
        return "normalization"  # 1 [First], 1.X.50 [1 October 1950]
    is_caps_name = content.isupper() and len(content) > 2
    previous_is_function = (
        previous.lower() in _PREPOSITIONS or not previous or before.rstrip()[-1:] in ",;:(—–-"
    )
    if first_word in _PREPOSITIONS and (is_known_name or any(w[0].isupper() for w in _words(content)[1:])):
        return "context"  # [из Сочи], [from Moscow]
    if previous_is_function and (is_known_name or is_caps_name):
        return "context"  # to [BEIJING]
    if re.fullmatch(r"[A-ZА-ЯЁ]{1,5}\.?", previous) and not content.isupper():
        return "gloss"  # the OS [Special Department]: an abbreviation spelt out
    if is_known_name:
        # The same referent: another romanisation is a normalization, another name an identification.
        return "normalization" if similar(previous, content) >= 0.6 else "identification"
    if content[:1].islower():
        return "omitted"  # communication [with him]
    words = _words(content)
    if previous[:1].isupper() and similar(previous, content) >= 0.6:
        return "normalization"  # Gaeseong [Kaesong]
    if len(words) >= 2 and all(w[0].isupper() for w in words):
        return "identification"
    return "gloss"
