"""What each block of a layer is: telegram-form heading, address, salute, paragraph, signature,
dateline, office note, attestation, distribution list, stamp, page break, folio mark or OCR residue.

The rules are about the telegram genre and its formulas in Russian and English, never about one file.
"""

from __future__ import annotations

import re
from enum import StrEnum

from cablegram.convert.dates import find_dates
from cablegram.convert.registers import Registers
from cablegram.convert.script import is_ocr_residue


class Kind(StrEnum):
    RESIDUE = "residue"
    GAP = "gap"
    PAGE_BREAK = "page-break"
    FOLIO = "folio"
    ADDRESS = "address"
    SALUTE = "salute"
    SIGNATURE = "signature"
    DATELINE = "dateline"
    ATTESTATION = "attestation"
    DISTRIBUTION_LABEL = "distribution-label"
    LIST_ITEMS = "list-items"
    STAMP = "stamp"
    OFFICE = "office"
    PROSE = "prose"
    OTHER = "other"


GAP_ONLY = re.compile(r"^\s*\[\s*(?:\.{2,}|…)\s*\]\s*$")
PAGE_BREAK = re.compile(r"^\s*[-–—]\s*(\d{1,3})\s*[-–—]\s*$|^\s*(?:page|стр\.?|с\.)\s*(\d{1,3})\s*$", re.I)
FOLIO = re.compile(r"^\s*(\d{1,4})\s*$")
_ADDRESS = re.compile(r"^\s*(?:\d+\s+)?(?:\S+\s+){0,3}?(?:для|for)\s+\S", re.I)
_SALUTE_START = re.compile(
    r"^\s*[\"“«„]?\s*(?:(?:dear\s+)?(?:cde\.?|comrade|тов\.?|товарищ|уважаемый|dear)\b)", re.I
)
ATTESTATION = re.compile(r"^\s*(?:верно|authenticated|true copy|copy correct)\s*:?", re.I)
DISTRIBUTION_LABEL = re.compile(
    r"^\s*(?:копии|рассылка|разослано|copies|distribution(?:\s+list)?(?:\s+numbering)?|copies to)\s*:?\s*$",
    re.I,
)
LIST_ITEM = re.compile(r"^\s*(?:N\s?|№\s?)?(\d{1,2})[.)](?:\s+(\S.*)|\s*)$")
_STAMP = re.compile(
    r"^\s*(?:\d+\s+)?(?:подлежит\s+возврат|возвращению\s+подлежит|снятые\s+копии|\[\s*stamp\s*:|subject\s+to\s+return)",
    re.I,
)
_OFFICE = re.compile(
    r"^\s*(?:\d+\s*(?:экз|copies|copy)\b|отп(?:еч)?\.|отпечатано|one copy|printed|copies? printed|исп\.|"
    r"no\.\s*\d+/|№\s*\d+/|вх\.|исх\.\s*№?\s*\d+/|разослано|\d+/\d+\s*$)",
    re.I,
)
_QUOTE_OPEN = '"“«„'
_QUOTE_CLOSE = '"”»“'
_VALEDICTION = re.compile(
    r"^\s*(?:привет|с (?:коммунистическим )?приветом|greetings|regards|with greetings)\W*$", re.I
)
_BRACKETED = re.compile(r"\[[^\]]*\]")
_NAME_WORD = re.compile(r"^(?:[A-ZА-ЯЁ][A-ZА-ЯЁ'’-]+|[A-ZА-ЯЁ]\.?|[A-ZА-ЯЁ][a-zа-яё'’-]+)$")


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SENTENCE_END = re.compile(r"[.!?:;][\"”»)]*\s*$")
_QUOTE_END = re.compile(r"[\"”»][.,;)]?\s*$")
_DATE_LABEL = re.compile(r"[\"“«]?(?:date|дата)[.,]?[\"”»]?", re.I)
_NOT_DATE_WORD = re.compile(r"[\W\d_]|г|g")
_SIGNATURE_MARKS = re.compile(r"[*\"“”«»().,!:;]")
_LETTER_SPACED = re.compile(r"\s*(?:[^\W\d_]\s){2,}[^\W\d_]\s*")
_INITIAL = re.compile(r"[A-ZА-ЯЁ]")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_prose(text: str) -> bool:
    return _is_prose(text, len(words(text)))


def _is_prose(text: str, count: int) -> bool:
    """is_prose, with the number of words of text already counted."""
    ends_sentence = bool(_SENTENCE_END.search(text.strip()))
    return count >= 15 or (count >= 6 and ends_sentence)


def starts_quote(text: str) -> bool:
    return text.lstrip()[:1] in _QUOTE_OPEN


def ends_quote(text: str) -> bool:
    return bool(_QUOTE_END.search(text.strip()))


def is_dateline(text: str) -> bool:
    stripped = text.strip()
    if _DATE_LABEL.fullmatch(stripped):
        return True
    spans = find_dates(stripped)
    if not spans:
        return False
    covered = sum(d.end - d.start for d in spans)
    return covered >= 0.6 * len(stripped.replace(" ", "")) or not _NOT_DATE_WORD.sub("", stripped)


def is_signature(text: str, registers: Registers) -> bool:
    """A short block naming the signer: upper-case or letter-spaced name, or a name the registers know."""
    core = _BRACKETED.sub(" ", text)
    for date in sorted(find_dates(core), key=lambda d: -d.start):
        core = core[: date.start] + " " + core[date.end :]
    core = _SIGNATURE_MARKS.sub(" ", core)
    if _LETTER_SPACED.fullmatch(core):
        return True  # letter-spaced: Ф и л и п п о в
    tokens = core.split()
    if not tokens or len(tokens) > 4:
        return False
    if all((t.isupper() and len(t) >= 2) or _INITIAL.fullmatch(t) for t in tokens):
        return any(len(t) >= 3 for t in tokens)
    entry = registers.lookup(" ".join(tokens))
    return entry is not None and entry.kind == "person"


def classify(text: str, registers: Registers) -> Kind:
    stripped = text.strip()
    if is_ocr_residue(text):
        return Kind.RESIDUE
    if GAP_ONLY.match(stripped):
        return Kind.GAP
    if PAGE_BREAK.match(stripped):
        return Kind.PAGE_BREAK
    if FOLIO.match(stripped):
        return Kind.FOLIO
    if ATTESTATION.match(stripped):
        return Kind.ATTESTATION
    if DISTRIBUTION_LABEL.match(stripped.splitlines()[0]):
        return Kind.DISTRIBUTION_LABEL
    lines = [line for line in stripped.splitlines() if line.strip()]
    count = len(words(stripped))
    if lines and all(LIST_ITEM.match(line) for line in lines) and count <= 12 * len(lines):
        return Kind.LIST_ITEMS
    if _STAMP.match(stripped):
        return Kind.STAMP
    if _OFFICE.match(stripped) and not _is_prose(stripped, count):
        return Kind.OFFICE
    if count <= 14 and _ADDRESS.match(stripped) and not stripped.endswith("!"):
        return Kind.ADDRESS
    if count <= 8 and stripped.rstrip('"”»').rstrip().endswith("!"):
        return Kind.SALUTE
    if _SALUTE_START.match(stripped) and count <= 6 and not _is_prose(stripped, count):
        return Kind.SALUTE
    if is_dateline(stripped):
        return Kind.DATELINE
    if is_signature(stripped, registers):
        return Kind.SIGNATURE
    if _is_prose(stripped, count):
        return Kind.PROSE
    return Kind.OTHER


def is_valediction(text: str) -> bool:
    return bool(_VALEDICTION.match(text))
