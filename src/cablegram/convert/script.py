"""What script a block is written in, and whether it is OCR residue rather than text."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_LETTER = re.compile(r"[^\W\d_]")
SCRIPT_LANGUAGE = {"cyrillic": "ru", "latin": "en", "han": "zh", "hangul": "ko"}


def letter_script(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in ("CYRILLIC", "LATIN", "HANGUL", "GREEK"):
        if name.startswith(script):
            return script.lower()
    if name.startswith(("CJK", "IDEOGRAPHIC")):
        return "han"
    return "other"


def script_counts(text: str) -> Counter[str]:
    return Counter(letter_script(c) for c in _LETTER.findall(text))


def dominant_script(text: str, *, minimum: int = 3) -> str | None:
    """The script of most letters, or None for blocks with too few letters to tell (numbers, marks)."""
    counts = script_counts(text)
    counts.pop("other", None)
    counts.pop("greek", None)
    if sum(counts.values()) < minimum:
        return None
    script, _ = counts.most_common(1)[0]
    return script


def is_ocr_residue(text: str) -> bool:
    """Scrambled OCR of tables and forms: mostly one- and two-character tokens, tab-separated cells,
    scripts mixed inside tokens. Letter-spaced words (`П Е К И Н`) are short and are not residue."""
    tokens = text.split()
    if len(tokens) < 12:
        return False
    if text.count("\t") >= 8:
        return True
    short = sum(1 for t in tokens if len(t) <= 2)
    mixed = sum(1 for t in tokens if len({letter_script(c) for c in _LETTER.findall(t)} - {"other"}) > 1)
    return short / len(tokens) > 0.6 or mixed / len(tokens) > 0.2


def letter_words(text: str) -> list[str]:
    """Lower-cased words of two letters or more, for comparing blocks across copies."""
    return [w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)]
