"""What script a block is written in, and whether it is OCR residue rather than text."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from cablegram.convert.memo import per_document

_LETTER = re.compile(r"[^\W\d_]")
SCRIPT_LANGUAGE = {"cyrillic": "ru", "latin": "en", "han": "zh", "hangul": "ko"}


@functools.cache  # a page has a few dozen distinct letters, met thousands of times
def letter_script(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in ("CYRILLIC", "LATIN", "HANGUL", "GREEK"):
        if name.startswith(script):
            return script.lower()
    if name.startswith(("CJK", "IDEOGRAPHIC")):
        return "han"
    return "other"


# Each script as one character, for reading a text's scripts with one str.translate().
_CODE = {"cyrillic": "c", "latin": "l", "hangul": "k", "greek": "g", "han": "h", "other": "o"}
_SCRIPT_OF_CODE = {code: script for script, code in _CODE.items()}


class _ScriptCodes(dict[int, str | None]):
    """A str.translate() table, filled as characters are met: a letter (a `_LETTER`) becomes the code of
    its script, white space (what str.split() splits at) a space, anything else goes."""

    def __missing__(self, point: int) -> str | None:
        char = chr(point)
        code = " " if char.isspace() else _CODE[letter_script(char)] if _LETTER.match(char) else None
        self[point] = code
        return code


_SCRIPT_CODES = _ScriptCodes()


@per_document  # read for the residue test and for the dominant script
def script_codes(text: str) -> str:
    """text with each letter replaced by its script's code, white space by a space, the rest removed."""
    return text.translate(_SCRIPT_CODES)


def script_counts(text: str) -> Counter[str]:
    # The scripts in the order of their first letter in the text (which most_common() keeps for ties).
    counts: Counter[str] = Counter()
    for code, count in Counter(script_codes(text)).items():
        if code != " ":
            counts[_SCRIPT_OF_CODE[code]] += count
    return counts


def dominant_script(text: str, *, minimum: int = 3) -> str | None:
    """The script of most letters, or None for blocks with too few letters to tell (numbers, marks)."""
    counts = script_counts(text)
    counts.pop("other", None)
    counts.pop("greek", None)
    if sum(counts.values()) < minimum:
        return None
    script, _ = counts.most_common(1)[0]
    return script


@per_document  # the layer split and the block classifier both ask
def is_ocr_residue(text: str) -> bool:
    """Scrambled OCR of tables and forms: mostly one- and two-character tokens, tab-separated cells,
    scripts mixed inside tokens. Letter-spaced words (`П Е К И Н`) are short and are not residue."""
    tokens = text.split()
    if len(tokens) < 12:
        return False
    if text.count("\t") >= 8:
        return True
    short = sum(1 for t in tokens if len(t) <= 2)
    if short / len(tokens) > 0.6:
        return True
    # The tokens' letters as script codes, "other" left out: one such token per token of text that has
    # letters of the named scripts (white space stays in place), mixed where it holds two codes.
    codes = script_codes(text).replace(_CODE["other"], "")
    mixed = sum(1 for t in codes.split() if t.strip(t[0]))
    return mixed / len(tokens) > 0.2


def letter_words(text: str) -> list[str]:
    """Lower-cased words of two letters or more, for comparing blocks across copies."""
    return [w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)]


# Frequent function words, for telling two Latin-script languages apart (an English translation of a
# German, Polish or French original). Words two lists share are not evidence and are removed below.
_FUNCTION_WORDS = {
    "en": "the and of to in that is was with for on it as by be this are not have from we will which would",
    "de": "der die das und ist nicht mit den dem des zu ein eine wir sie auf für von auch wird sich im es",
    "fr": "le la les et des du est que qui dans pour une un pas nous sur avec au aux ce cette sont",
    "pl": "się nie na że do jest jak ale od przez po tak dla są oraz który która także",
    "cs": "se na že je jako pro ale jsou byl bylo který která také podle",
    "hu": "az és hogy nem egy meg van volt kell csak már mint vagy ezt",
    "es": "el los las del que por con una para es al lo como más pero sus",
    "it": "il di che per non una del della con sono da si gli le alla",
    "ro": "și în că cu pe din pentru este sunt nu la care ale sau",
}
_WORD_SETS = {lang: set(words.split()) for lang, words in _FUNCTION_WORDS.items()}


def latin_language(text: str, candidates: tuple[str, ...]) -> str | None:
    """Which of `candidates` a Latin-script block is written in, or None when it does not say."""
    shared = {w for a in candidates for b in candidates if a != b for w in _WORD_SETS[a] & _WORD_SETS[b]}
    tokens = re.findall(r"[^\W\d_]+", text.lower())
    scores = {lang: sum(1 for t in tokens if t in _WORD_SETS[lang] - shared) for lang in candidates}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] < 2 * max(ranked[1][1], 1)):
        return None
    return ranked[0][0]
