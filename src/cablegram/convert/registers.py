"""The registers (persons, places, organisations, corrections) and the recognisers that read from them.

The registers are TEI files in `tei/` (ENCODING.md §1); they hold every name form met in the sources. What
the sources add to those forms is handled by rule here, not by listing variants:

- upper case and letter-spacing (`ПЕКИН`, `П Е К И Н`, `Ф и л и п п о в`);
- Russian case endings on a registered nominative (`Сталину`, `Мао-Дзе-Дуна`, `Вышинскому`, `Москвы`);
- line breaks and extra spaces inside a multi-word name, a hyphen written as a space or a line break;
- OCR misreadings listed in the corrections register (`МИЛЮПОВ` is found as Filippov).

A register form written entirely in capitals (`USSR`, `OS`, `SOVIET AMBASSADOR`) is an abbreviation or a
heading form: it matches only in capitals, so that `os` or a title-case phrase is not taken for it.
All patterns are compiled once: when the registers are loaded, or (the name patterns, one per first
character) the first time a word starts with that character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Literal

from lxml import etree

from cablegram.convert.memo import per_document
from cablegram.xmlio import parse

TEI_NS = "http://www.tei-c.org/ns/1.0"
_NS = {"tei": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

Kind = Literal["person", "place", "org"]

# (file, kind, entry element, name element)
_REGISTER_FILES: tuple[tuple[str, Kind, str, str], ...] = (
    ("persons.xml", "person", "person", "persName"),
    ("places.xml", "place", "place", "placeName"),
    ("organisations.xml", "org", "org", "orgName"),
)
CORRECTIONS_FILE = "corrections.xml"


@dataclass(frozen=True)
class Entry:
    key: str  # the register's xml:id: "stalin"
    kind: Kind
    ref: str  # the URI a document uses: "persons.xml#stalin"
    label: str  # preferred English name


@dataclass(frozen=True)
class NameMatch:
    start: int  # offsets into the text given to find_names
    end: int
    entry: Entry
    pseudonym: bool


@dataclass(frozen=True)
class Correction:
    start: int
    end: int
    sic: str
    corr: str


@dataclass(frozen=True)
class _Form:
    text: str
    entry: Entry
    pseudonym: bool


# --- normalisation -------------------------------------------------------------------------------------

_LETTER_SPACED = re.compile(r"(?<!\w)\w(?: \w){2,}(?!\w)")


def collapse_spacing(text: str) -> str:
    """`Ф и л и п п о в` → `Филиппов`: three or more single letters separated by single spaces."""
    return _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)


def _is_capitals(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# --- Russian case endings ------------------------------------------------------------------------------
# A registered Russian form is in the nominative; its words may take the endings of the other cases.
# (ending of the nominative, endings it alternates with). The first rule whose ending fits wins.
_RU_DECLENSION: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ий", ("ий", "ого", "ому", "им", "ом")),  # Вышинский, Красовский
    ("ый", ("ый", "ого", "ому", "ым", "ом")),  # Десятый
    ("ой", ("ой", "ого", "ому", "ым", "ом")),
    ("ая", ("ая", "ой", "ую", "ою")),  # Северная, Южная
    ("а", ("а", "ы", "и", "е", "у", "ой", "ою")),  # Москва, Лаврешина
    ("я", ("я", "и", "е", "ю", "ей", "ею")),  # Корея
    ("ь", ("ь", "я", "ю", "ем", "е", "и", "ью", "ей")),  # параллель
    ("й", ("й", "я", "ю", "ем", "е")),  # Эньлай, Китай
)
_CONSONANT_ENDINGS = ("", "а", "у", "ом", "ым", "е", "ы")  # Сталин, Филиппов, Пекин, Мао-Дзе-Дун
_CYRILLIC_CONSONANT = re.compile(r"[бвгджзклмнпрстфхцчшщ]$")


def _declension(word: str) -> tuple[str, tuple[str, ...]]:
    """Split a Russian word into stem and the endings it may take; other words take none."""
    if len(word) < 3 or not any(c.islower() for c in word):
        return word, ("",)
    lower = word.lower()
    for ending, endings in _RU_DECLENSION:
        if lower.endswith(ending) and re.search("[а-яё]", lower[: -len(ending)]):
            return word[: -len(ending)], endings
    if _CYRILLIC_CONSONANT.search(lower):
        return word, _CONSONANT_ENDINGS
    return word, ("",)


# --- pattern building ----------------------------------------------------------------------------------

_HYPHEN = r"(?:[-‐‑]\s*|\s+)"  # a hyphen may also be printed as a space or broken across a line
_APOSTROPHE = "['’ʼ]"


def _chars(text: str) -> str:
    out = []
    for char in text:
        if char in "-‐‑":
            out.append(_HYPHEN)
        elif char in "'’ʼ":
            out.append(_APOSTROPHE)
        else:
            out.append(re.escape(char))
    return "".join(out)


def _spaced(text: str) -> str:
    return " ".join(re.escape(c) for c in text)


def _alternatives(options: Iterable[str]) -> str:
    ordered = sorted(set(options), key=len, reverse=True)  # longest first: leftmost-longest with `re`
    return "(?:" + "|".join(ordered) + ")"


def _word_pattern(word: str) -> str:
    stem, endings = _declension(word)
    plain = _chars(stem) + _alternatives(_chars(e) for e in endings)
    if len(word) >= 3 and word.isalpha():
        spaced = _spaced(stem) + _alternatives((" " + _spaced(e)) if e else "" for e in endings)
        return f"(?:{plain}|{spaced})"
    return plain


def _form_pattern(form: str) -> str:
    body = r"\s+".join(_word_pattern(word) for word in form.split())
    return f"(?-i:{body})" if _is_capitals(form) else body


_BEFORE = r"(?<![^\W_])"  # not preceded by a letter or digit
_AFTER = r"(?![^\W_])"  # not followed by one


class _NameMatcher:
    """All name forms as one alternation, longest first, tried at each word start; at a given word start,
    only the forms whose first character can be the one there are put in the alternation.

    The forms left out fail at their first character, so the match found (position, form, extent) is the
    one the alternation of all forms finds; with a hundred forms or more, trying each at every word start
    cost more than all the rest of the search. Each first character's pattern is compiled the first time
    a word starts with it.
    """

    def __init__(self, forms: list[_Form]) -> None:
        self._forms = forms
        self._ordered = sorted(range(len(forms)), key=lambda i: len(forms[i].text), reverse=True)
        firsts = {c for form in forms for c in (form.text[0].lower(), form.text[0].upper())}
        self._first = "[" + "".join(re.escape(c) for c in sorted(firsts)) + "]"
        self._starts = re.compile(f"{_BEFORE}(?={self._first})", re.IGNORECASE)
        self._by_first: dict[str, re.Pattern[str] | None] = {}

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Non-overlapping matches in text order, as `re.finditer` of the whole alternation gives them."""
        position = 0
        for start in self._starts.finditer(text):
            at = start.start()
            if at < position:
                continue
            char = text[at]
            if char not in self._by_first:
                self._by_first[char] = self._compile(char)
            pattern = self._by_first[char]
            match = pattern.match(text, at) if pattern is not None else None
            if match is not None:
                position = match.end()
                yield match

    def form(self, match: re.Match[str]) -> _Form:
        return self._forms[int((match.lastgroup or "f0")[1:])]

    def _compile(self, char: str) -> re.Pattern[str] | None:
        body = "|".join(
            f"(?P<f{i}>{_form_pattern(self._forms[i].text)})"
            for i in self._ordered
            if _may_begin_with(self._forms[i].text, char)
        )
        return re.compile(f"{_BEFORE}(?={self._first})(?:{body}){_AFTER}", re.IGNORECASE) if body else None


def _may_begin_with(form: str, char: str) -> bool:
    """Whether the pattern of `form` can match a text starting with `char`: its first element is the form's
    first character, escaped, under the flags of the form (`_form_pattern`), except that a hyphen or an
    apostrophe there becomes a class (kept, to be safe)."""
    first = form[0]
    if first in "-‐‑'’ʼ":
        return True
    return re.fullmatch(re.escape(first), char, 0 if _is_capitals(form) else re.IGNORECASE) is not None


# --- the registers -------------------------------------------------------------------------------------

_HONORIFIC = re.compile(
    r"^(?:cde|comr|comrade|gen|general|col|colonel|тов|т|товарищ[ау]?|полковник|генерал)(?:\.\s*|\s+)",
    re.IGNORECASE,
)
_NAME_RESIDUE = re.compile(r"[\s\[\]().,;:!?\"'“”«»*/-]*")


class Registers:
    """Entries of the three name registers, their name forms, and the corrections register."""

    def __init__(self, forms: list[_Form], corrections: dict[str, str]) -> None:
        self.entries: dict[str, Entry] = {}
        for form in forms:
            self.entries.setdefault(form.entry.key, form.entry)
        self._names = _NameMatcher(forms) if forms else None
        self._corrections = dict(corrections)
        self._sics = (
            re.compile(_BEFORE + _alternatives(re.escape(s) for s in corrections) + _AFTER)
            if corrections
            else None
        )

    def find_corrections(self, text: str) -> list[Correction]:
        """Known OCR misreadings in text: whole words, exactly as written in the corrections register."""
        return list(self._corrections_in(text)) if self._sics is not None else []

    @per_document  # a text's names are looked for after its corrections, in the same text
    def _corrections_in(self, text: str) -> tuple[Correction, ...]:
        assert self._sics is not None
        return tuple(
            Correction(m.start(), m.end(), m.group(0), self._corrections[m.group(0)])
            for m in self._sics.finditer(text)
        )

    def find_names(self, text: str) -> list[NameMatch]:
        """Registered names in text: whole words, non-overlapping, leftmost-longest, in text order.

        Names are looked for in the corrected reading, so that a misread name (`МИЛЮПОВ`) is still linked;
        the offsets are those of the text given.
        """
        return list(self._names_in(text)) if self._names is not None else []

    @per_document  # a block is read as a signature, then as text
    def _names_in(self, text: str) -> tuple[NameMatch, ...]:
        assert self._names is not None
        reading, spans = _apply(text, self.find_corrections(text))
        matches = []
        for m in self._names.finditer(reading):
            form = self._names.form(m)
            start, end = _original(m.start(), spans, False), _original(m.end(), spans, True)
            matches.append(NameMatch(start, end, form.entry, form.pseudonym))
        return tuple(matches)

    def lookup(self, name: str) -> Entry | None:
        """The entry a whole name string stands for ("Cde. Filippov", "BEIJING", "Filippov (Stalin)")."""
        text = name.strip()
        while (m := _HONORIFIC.match(text)) is not None:
            text = text[m.end() :]
        matches = self.find_names(text)
        if not matches or len({m.entry.key for m in matches}) != 1:
            return None
        residue = "".join(text[a.end : b.start] for a, b in pairwise(matches))
        residue += text[: matches[0].start] + text[matches[-1].end :]
        return matches[0].entry if _NAME_RESIDUE.fullmatch(residue) else None


def _apply(text: str, corrections: list[Correction]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The corrected reading of text, and (reading start, reading end, text start, text end) per change."""
    parts: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    position = length = 0
    for c in corrections:
        parts.append(text[position : c.start])
        length += c.start - position
        spans.append((length, length + len(c.corr), c.start, c.end))
        parts.append(c.corr)
        length += len(c.corr)
        position = c.end
    parts.append(text[position:])
    return "".join(parts), spans


def _original(offset: int, spans: list[tuple[int, int, int, int]], is_end: bool) -> int:
    """Map an offset of the corrected reading back to the text; inside a change, to the change's edge."""
    delta = 0
    for start, end, text_start, text_end in spans:
        if offset <= start:
            break
        if offset >= end:
            delta += (text_end - text_start) - (end - start)
            continue
        return text_end if is_end else text_start
    return offset + delta


# --- loading -------------------------------------------------------------------------------------------


def _text(element: etree._Element) -> str:
    return " ".join(str(element.xpath("string()")).split())


def _read_register(path: Path, kind: Kind, entry_tag: str, name_tag: str) -> list[_Form]:
    if not path.is_file():
        return []
    forms: list[_Form] = []
    for element in parse(path).getroot().iterfind(f".//tei:{entry_tag}", _NS):
        key = element.get(XML_ID, "")
        names = element.findall(f"tei:{name_tag}", _NS)
        english = [n for n in names if n.get(XML_LANG) == "en"]
        preferred = [n for n in english if n.get("type") is None] or english or names
        if not key or not preferred:
            continue
        entry = Entry(key, kind, f"{path.name}#{key}", _text(preferred[0]))
        # Register forms are given as met ("F I L I P P O V", "ПЕКИН"); spacing and case are the matcher's
        # business, so a form differing from another only in these adds nothing.
        texts = {collapse_spacing(_text(n)): n.get("type") == "pseudonym" for n in reversed(names)}
        mixed = {t.casefold() for t in texts if not _is_capitals(t)}
        for text, pseudonym in reversed(texts.items()):
            if text and not (_is_capitals(text) and text.casefold() in mixed):
                forms.append(_Form(text, entry, pseudonym))
    return forms


def _read_corrections(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    corrections: dict[str, str] = {}
    for choice in parse(path).getroot().iterfind(".//tei:list[@type='corrections']/tei:item/tei:choice", _NS):
        sic, corr = choice.find("tei:sic", _NS), choice.find("tei:corr", _NS)
        if sic is not None and corr is not None and _text(sic) and _text(corr):
            corrections.setdefault(_text(sic), _text(corr))
    return corrections


def load_registers(tei_dir: Path) -> Registers:
    """Read the registers from tei_dir; a missing file gives an empty register."""
    forms: list[_Form] = []
    for filename, kind, entry_tag, name_tag in _REGISTER_FILES:
        forms.extend(_read_register(tei_dir / filename, kind, entry_tag, name_tag))
    return Registers(forms, _read_corrections(tei_dir / CORRECTIONS_FILE))
