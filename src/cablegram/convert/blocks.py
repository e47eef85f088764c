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


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'’.-]*", text)


def is_prose(text: str) -> bool:
    count = len(words(text))
    ends_sentence = bool(re.search(r"[.!?:;][\"”»)]*\s*$", text.strip()))
    return count >= 15 or (count >= 6 and ends_sentence)


def starts_quote(text: str) -> bool:
    return text.lstrip()[:1] in _QUOTE_OPEN


def ends_quote(text: str) -> bool:
    return bool(re.search(r"[\"”»][.,;)]?\s*$", text.strip()))


def is_dateline(text: str) -> bool:
    stripped = text.strip()
    if re.fullmatch(r"[\"“«]?(?:date|дата)[.,]?[\"”»]?", stripped, re.I):
        return True
    spans = find_dates(stripped)
    covered = sum(d.end - d.start for d in spans)
    rest = re.sub(r"[\W\d_]|г|g", "", stripped)
    return (bool(spans) and covered >= 0.6 * len(stripped.replace(" ", ""))) or (bool(spans) and not rest)


def is_signature(text: str, registers: Registers) -> bool:
    """A short block naming the signer: upper-case or letter-spaced name, or a name the registers know."""
    core = _BRACKETED.sub(" ", text)
    for date in sorted(find_dates(core), key=lambda d: -d.start):
        core = core[: date.start] + " " + core[date.end :]
    core = re.sub(r"[*\"“”«»().,!:;]", " ", core)
    if re.fullmatch(r"\s*(?:[^\W\d_]\s){2,}[^\W\d_]\s*", core):
        return True  # letter-spaced: Ф и л и п п о в
    tokens = core.split()
    if not tokens or len(tokens) > 4:
        return False
    if all((t.isupper() and len(t) >= 2) or re.fullmatch(r"[A-ZА-ЯЁ]", t) for t in tokens):
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
    if lines and all(LIST_ITEM.match(line) for line in lines) and len(words(stripped)) <= 12 * len(lines):
        return Kind.LIST_ITEMS
    if _STAMP.match(stripped):
        return Kind.STAMP
    if _OFFICE.match(stripped) and not is_prose(stripped):
        return Kind.OFFICE
    if len(words(stripped)) <= 14 and _ADDRESS.match(stripped) and not stripped.endswith("!"):
        return Kind.ADDRESS
    if len(words(stripped)) <= 8 and stripped.rstrip('"”»').rstrip().endswith("!"):
        return Kind.SALUTE
    if _SALUTE_START.match(stripped) and len(words(stripped)) <= 6 and not is_prose(stripped):
        return Kind.SALUTE
    if is_dateline(stripped):
        return Kind.DATELINE
    if is_signature(stripped, registers):
        return Kind.SIGNATURE
    if is_prose(stripped):
        return Kind.PROSE
    return Kind.OTHER


def is_valediction(text: str) -> bool:
    return bool(_VALEDICTION.match(text))
