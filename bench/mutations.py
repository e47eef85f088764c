"""The mutation engine shared by `bench/fuzz.py` and `tests/test_properties.py` (issue 7, fuzzing).

An input is either one of the five real page exports of `sources/` mutated a few times, or a page made
from scratch out of the fragments the reader looks for (labels, dates, brackets, URLs, markdown). The
mutations are those that archive exports and hand edits actually produce, plus hostile text: dropped,
duplicated and swapped lines, stray and nested brackets, quotes, markdown and HTML residue, `~~` and `*`,
combining marks, right-to-left text and controls, C0/C1 control characters, non-characters, truncation.

Everything draws from one `random.Random`-like object, so an input is reproducible from its seed (the
fuzzer) and shrinkable (hypothesis passes its own `randoms()`).

`check_conversion()` runs one input through the converter exactly as `cablegram convert` does (bytes →
decode → lines → page → TEI) and says what happened: refused with a `CablegramError` (fine), converted
into well-formed TEI valid against `schema/cablegram.rng` (fine), anything else (a crash or an invalid
output: a bug).
"""

from __future__ import annotations

import random
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from lxml import etree

from cablegram.config import EditionConfig
from cablegram.convert.builder import build_document
from cablegram.convert.page import read_page
from cablegram.convert.reader import decode_source, read_lines
from cablegram.convert.registers import Registers
from cablegram.diagnostics import CablegramError

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "sources"


# hypothesis' `randoms()` are `random.Random` subclasses, so one type fits both callers.
Rng = random.Random


@cache
def seed_texts() -> tuple[str, ...]:
    """The real page exports, decoded (read once per process)."""
    return tuple(p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt")))


# --- fragments ------------------------------------------------------------------------------------------

BRACKETS = (
    "[",
    "]",
    "[[",
    "]]",
    "[...]",
    "[…]",
    "[signature]",
    "[Stamp: ",
    "[Stamp: SUBJECT TO RETURN]",
    "[sic]",
    "[illegible]",
    "[Note: ",
    "[Stalin]",
    "[pristupit k ",
    "[pri etom bilo ogovoreno]",
    "[ ]",
    "[]",
    "[из Сочи]",
    "[BEIJING]",
    "(",
    ")",
    "[Stamp: [",
    "1[3]",
    "Com[rade]",
)
QUOTES = ('"', "“", "”", "„", "«", "»", "'", "’", '""', '"""', "‘")
MARKDOWN = (
    "**",
    "__",
    "# ",
    "## ",
    "###### ",
    "- ",
    "* ",
    "• ",
    "---",
    "***",
    "===",
    "`",
    "> ",
    "<b>",
    "</b>",
    "<br/>",
    "<span class='x'>",
    "![scan](x.png)",
    "[link](https://example.org/document/123)",
    "<https://digitalarchive.wilsoncenter.org/document/",
    "\\*",
    "\\~",
    "\\[",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#x1F;",
    "&#xFFFE;",
    "&#65535;",
    "&#1114111;",
    "&nbsp;",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?xml version='1.0'?>",
    "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    "&e;",
    "doc('file:///etc/passwd')",
)
EMPHASIS = ("~~", "~", "*", "*~~", "~~*", "***", "* *", "~~ ~~")
UNICODE = (
    "\u0301",  # combining acute
    "\u0308\u0308\u0308",  # stacked diaeresis
    "\u0483",  # combining Cyrillic titlo
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u202c",
    "\u2066\u2069",  # isolates
    "שלום",
    "مرحبا",
    "\u200b",  # zero width space
    "\u200d",
    "\ufeff",  # BOM in the middle
    "\u00ad",  # soft hyphen
    "\u00a0",
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u0085",  # next line (C1)
    "\u009c",
    "\ufffd",
    "\ufffe",  # non-characters: not allowed in XML
    "\uffff",
    "\U0001f600",
    "\U0010fffd",
    "𝕏",
    "ǅ",
    "ﬁ",
    "İ",
    "ß",
    "Σ",
    "\u3000",
    "中华人民共和国",
    "ё",
    "Ѣѣ",
    "І",
    "\u0410\u0306",
)
CONTROLS = (*tuple(chr(c) for c in [*range(0, 32), 127]), "\r", "\r\n", "\t", "\x0b", "\x0c")
LINES = (
    "Citation:",
    "Summary:",
    "Credits:",
    "Original Language:",
    "Contents:",
    "• Citation",
    "DOCUMENT INFORMATION",
    "Record ID\t123456",
    "Title\tTelegram",
    "Date\t07/14/1951",
    "Associated People & Organizations",
    "Associated Places",
    "Associated Topics",
    "get citation",
    "VIEW DOCUMENT IN: English",
    "Page 1 of 2",
    "May 14, 1950",
    "c. 1950",
    "May 14-15, 1950",
    "31/II 1950 г.",
    "1950-13-03",
    "00/00/0000",
    "February 30, 1951",
    "Ciphered Telegram No. 8600, Vyshinsky to Mao Zedong",
    "Ciphered Telegram, Filippov (Stalin) to Mao Zedong and Zhou Enlai (via Roshchin)",
    "Cable No. 4153, Filippov [Stalin] to Krasovsky, for Mao Zedong",
    "To , from",
    "https://digitalarchive.wilsoncenter.org/document/115976",
    "<http://digitalarchive.wilsoncenter.org/document/>",
    '"Ciphered Telegram," May 14, 1950, Wilson Center Digital Archive, APRF, f. 45, op. 1, d. 334, ll. 55.',
    "APRF, f. 45, op. 1, d. , ll. -",
    "Translated by",
    "Копии:",
    "Copies:",
    "1. Тов. Сталину",
    "2. Comr. Molotov",
    "Для Мао-Дзе-Дуна.",
    "For Mao Zedong.",
    '"Тов. Мао-Дзе-Дун !',
    "Ф и л и п п о в",
    "F I L I P P O V [STALIN]",
    "ФИЛИППОВ",
    "верно: *Филиппов*",
    "Authenticated: Section Chief",
    "Colonel [signature]",
    "[Stamp: SUBJECT TO RETURN",
    "МВД СССР",
    "Шифрованная телеграмма",
    "CIPHERED TELEGRAM",
    "О С О Б А Я",
    "СОВ. СЕКРЕТНО",
    "~~СЕКРЕТНО~~",
    "- 2 -",
    "Greetings,",
    "Привет",
    "1 октября 1950 г.",
    "30 June 1951",
    "No. 335/III",
    "",
    "",
    "",
)


# --- mutations: each takes the page's lines and the random source, and returns new lines ---------------

Lines = list[str]
Mutation = Callable[[Lines, Rng], Lines]


def _index(lines: Lines, rng: Rng) -> int:
    return rng.randrange(0, len(lines)) if lines else 0


def _insert_text(lines: Lines, rng: Rng, fragment: str) -> Lines:
    """Put `fragment` at a random position of a random line (a new line if the page is empty)."""
    if not lines:
        return [fragment]
    i = _index(lines, rng)
    line = lines[i]
    at = rng.randrange(0, len(line) + 1)
    return [*lines[:i], line[:at] + fragment + line[at:], *lines[i + 1 :]]


def drop_line(lines: Lines, rng: Rng) -> Lines:
    if not lines:
        return lines
    i = _index(lines, rng)
    return lines[:i] + lines[i + 1 :]


def drop_block(lines: Lines, rng: Rng) -> Lines:
    if not lines:
        return lines
    i = _index(lines, rng)
    return lines[:i] + lines[i + rng.randrange(1, 30) :]


def duplicate_line(lines: Lines, rng: Rng) -> Lines:
    if not lines:
        return lines
    i = _index(lines, rng)
    return lines[: i + 1] + lines[i:]


def duplicate_block(lines: Lines, rng: Rng) -> Lines:
    if not lines:
        return lines
    i = _index(lines, rng)
    j = min(len(lines), i + rng.randrange(1, 40))
    return lines[:j] + lines[i:j] + lines[j:]


def swap_lines(lines: Lines, rng: Rng) -> Lines:
    if len(lines) < 2:
        return lines
    i, j = _index(lines, rng), _index(lines, rng)
    out = list(lines)
    out[i], out[j] = out[j], out[i]
    return out


def move_line(lines: Lines, rng: Rng) -> Lines:
    if len(lines) < 2:
        return lines
    out = list(lines)
    line = out.pop(_index(out, rng))
    out.insert(_index(out, rng), line)
    return out


def insert_line(lines: Lines, rng: Rng) -> Lines:
    i = rng.randrange(0, len(lines) + 1)
    return [*lines[:i], rng.choice(LINES), *lines[i:]]


def join_lines(lines: Lines, rng: Rng) -> Lines:
    if len(lines) < 2:
        return lines
    i = rng.randrange(0, len(lines) - 1)
    return [*lines[:i], lines[i] + rng.choice(("", " ", "-")) + lines[i + 1], *lines[i + 2 :]]


def split_line(lines: Lines, rng: Rng) -> Lines:
    if not lines:
        return lines
    i = _index(lines, rng)
    at = rng.randrange(0, len(lines[i]) + 1)
    return [*lines[:i], lines[i][:at], lines[i][at:], *lines[i + 1 :]]


def truncate(lines: Lines, rng: Rng) -> Lines:
    """Cut the export anywhere, mid-line included (a download that stopped)."""
    text = "\n".join(lines)
    return text[: rng.randrange(0, len(text) + 1)].split("\n") if text else lines


def shout(lines: Lines, rng: Rng) -> Lines:
    if not lines:
        return lines
    i = _index(lines, rng)
    return [*lines[:i], lines[i].upper(), *lines[i + 1 :]]


def space_letters(lines: Lines, rng: Rng) -> Lines:
    if not lines:
        return lines
    i = _index(lines, rng)
    return [*lines[:i], " ".join(lines[i]), *lines[i + 1 :]]


def digits(lines: Lines, rng: Rng) -> Lines:
    """Change one digit (record numbers, dates, folio numbers)."""
    spots = [(i, j) for i, line in enumerate(lines) for j, c in enumerate(line) if c.isdigit()]
    if not spots:
        return lines
    i, j = rng.choice(spots)
    line = lines[i]
    return [*lines[:i], line[:j] + str(rng.randrange(0, 10)) + line[j + 1 :], *lines[i + 1 :]]


def bracket(lines: Lines, rng: Rng) -> Lines:
    return _insert_text(lines, rng, rng.choice(BRACKETS))


def quote(lines: Lines, rng: Rng) -> Lines:
    return _insert_text(lines, rng, rng.choice(QUOTES))


def markdown(lines: Lines, rng: Rng) -> Lines:
    return _insert_text(lines, rng, rng.choice(MARKDOWN))


def emphasis(lines: Lines, rng: Rng) -> Lines:
    return _insert_text(lines, rng, rng.choice(EMPHASIS))


def unicode(lines: Lines, rng: Rng) -> Lines:
    return _insert_text(lines, rng, rng.choice(UNICODE))


def random_character(lines: Lines, rng: Rng) -> Lines:
    """Any code point but a surrogate (those cannot be written as UTF-8)."""
    code = rng.randrange(0, 0x110000)
    if 0xD800 <= code <= 0xDFFF:
        code = 0xFFFD
    return _insert_text(lines, rng, chr(code))


def control(lines: Lines, rng: Rng) -> Lines:
    return _insert_text(lines, rng, rng.choice(CONTROLS))


def wrap_emphasis(lines: Lines, rng: Rng) -> Lines:
    """`~~…~~` or `*…*` around a span of a line, or across lines."""
    if not lines:
        return lines
    mark = rng.choice(("~~", "*", "**"))
    out = _insert_text(lines, rng, mark)
    return _insert_text(out, rng, mark)


MUTATIONS: tuple[Mutation, ...] = (
    drop_line,
    drop_block,
    duplicate_line,
    duplicate_block,
    swap_lines,
    move_line,
    insert_line,
    join_lines,
    split_line,
    truncate,
    shout,
    space_letters,
    digits,
    bracket,
    bracket,
    quote,
    markdown,
    emphasis,
    wrap_emphasis,
    unicode,
    unicode,
    random_character,
    control,
)


def random_page(rng: Rng) -> str:
    """A page from scratch: fragments the reader looks for, in random order, with random prose."""
    words = ("Filippov", "[Stalin]", "Mao", "Zedong", "Товарищ", "Москва", "the", "and", "1950", "No.", "—")
    lines = []
    for _ in range(rng.randrange(0, 40)):
        if rng.random() < 0.5:
            lines.append(rng.choice(LINES))
        else:
            lines.append(" ".join(rng.choice(words) for _ in range(rng.randrange(0, 30))))
    return "\n".join(lines)


def mutated_page(rng: Rng, *, max_mutations: int = 8) -> str:
    """A real page with 1–`max_mutations` mutations (one input in ten is made from scratch)."""
    text = random_page(rng) if rng.random() < 0.1 else rng.choice(seed_texts())
    lines = text.split("\n")
    for _ in range(rng.randrange(1, max_mutations + 1)):
        lines = rng.choice(MUTATIONS)(lines, rng)
    return "\n".join(lines)


def make_input(rng: Rng) -> bytes:
    """One fuzz input as the bytes of a source file (UTF-8, as `sources/*.txt` are written)."""
    return mutated_page(rng).encode("utf-8")


# --- one run of the converter ---------------------------------------------------------------------------


class Outcome(StrEnum):
    CONVERTED = "converted"  # valid TEI
    REFUSED = "refused"  # a CablegramError: a diagnostic for the user
    CRASHED = "crashed"  # any other exception: a bug
    INVALID = "invalid"  # TEI written but not well-formed or not valid: a bug


@dataclass
class Result:
    outcome: Outcome
    detail: str = ""  # the traceback or the validation errors

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.CONVERTED, Outcome.REFUSED)


def check_conversion(
    data: bytes,
    registers: Registers,
    config: EditionConfig,
    schema: etree.RelaxNG,
    *,
    path: str = "sources/fuzz.txt",
) -> Result:
    """Convert `data` as `cablegram convert` would, and judge the result."""
    try:
        page = read_page(read_lines(decode_source(data, path)), path)
        document = build_document(page, registers, config)
    except CablegramError as exc:
        if not exc.diagnostics or any("\n" in d.format() for d in exc.diagnostics):
            return Result(Outcome.CRASHED, f"a diagnostic that is not one line: {exc!r}")
        return Result(Outcome.REFUSED, str(exc))
    except Exception:
        return Result(Outcome.CRASHED, traceback.format_exc())
    try:
        tree = etree.fromstring(document.xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return Result(Outcome.INVALID, f"not well-formed: {exc}")
    if not schema.validate(tree):
        errors = "\n".join(f"{e.line}: {e.message}" for e in schema.error_log)
        return Result(Outcome.INVALID, f"not valid against cablegram.rng:\n{errors}")
    return Result(Outcome.CONVERTED)


def load_schema() -> etree.RelaxNG:
    from cablegram.validate.grammar import cablegram_rng

    return cablegram_rng()


__all__ = [
    "MUTATIONS",
    "Outcome",
    "Result",
    "check_conversion",
    "load_schema",
    "make_input",
    "mutated_page",
    "random_page",
    "seed_texts",
]
