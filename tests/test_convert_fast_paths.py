"""The converter's shortcuts give the answers of the plain computations they stand for.

Each fast path (bounds before difflib's ratio, the name matcher's per-letter patterns, the date forms'
gates, script codes, the romanisation of a window from its parts, the export-formatting steps skipped
where a line lacks their character) is compared here with the computation it replaces, written out plainly,
on generated inputs. The byte-identity of whole conversions is checked by the golden files and by
`bench/convert.py` against a reference directory.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cablegram.convert import dates, reader
from cablegram.convert.brackets import Bracket, find_brackets
from cablegram.convert.registers import _AFTER, _BEFORE, Registers, _form_pattern
from cablegram.convert.script import (
    _LETTER,
    dominant_script,
    is_ocr_residue,
    letter_script,
    script_counts,
)
from cablegram.convert.similar import Similar, _ratio
from cablegram.convert.terms import romanize

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, database=None)

# Small alphabets make similar strings likely; the long ones reach difflib's autojunk (200 characters).
_SHORT = st.text(alphabet="abcdeiou ", max_size=40)
_LONG = st.text(alphabet="абвгдеиклмнопрст ", min_size=150, max_size=320)


# --- Similar: difflib's ratio, thresholded -------------------------------------------------------------


def _difflib(a: str, b: str, threshold: float) -> float | None:
    ratio = SequenceMatcher(None, a, b).ratio()
    return ratio if ratio >= threshold else None


@SETTINGS
@given(a=_SHORT, b=_SHORT, threshold=st.sampled_from([0.5, 0.8, 0.9, 1.0]))
def test_similar_is_difflib_on_short_strings(a: str, b: str, threshold: float) -> None:
    assert Similar(b, threshold).ratio(a) == _difflib(a, b, threshold)


@settings(SETTINGS, max_examples=60)
@given(a=_LONG, b=_LONG, cut=st.integers(0, 150))
def test_similar_is_difflib_on_long_strings(a: str, b: str, cut: int) -> None:
    # b and a variant of b (its tail replaced): similar enough to pass the bounds
    for first in (a, b[:cut] + a[cut:], b):
        assert Similar(b, 0.8).ratio(first) == _difflib(first, b, 0.8)


@SETTINGS
@given(b=_SHORT, threshold=st.sampled_from([0.1, 0.5, 2 / 3, 0.8, 1.0]))
def test_similar_lengths_are_those_of_the_first_bound(b: str, threshold: float) -> None:
    similar = Similar(b, threshold)
    upper = int(2 * len(b) / threshold) + 10
    passing = [n for n in range(upper) if _ratio(min(n, len(b)), n + len(b)) >= threshold]
    assert list(similar.lengths) == passing
    for n, needed in zip(similar.lengths, similar.needed(), strict=True):
        assert needed == min(m for m in range(n + 1) if _ratio(m, n + len(b)) >= threshold)


@SETTINGS
@given(parts=st.lists(_SHORT, max_size=8), b=_SHORT)
def test_shared_at_most_adds_up_over_parts(parts: list[str], b: str) -> None:
    running = Similar(b, 0.8).shared_at_most(parts)
    for i in range(len(parts) + 1):
        for j in range(i, len(parts) + 1):
            joined = "".join(parts[i:j])
            assert running[j] - running[i] == sum(1 for c in joined if c in b)
            shared = sum((Counter(joined) & Counter(b)).values())
            assert shared <= running[j] - running[i]


# --- romanisation: a window's is that of its parts ----------------------------------------------------

_MIXED = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБЩЯΣσς İIı ,.-'’\"1ʹzyY", max_size=30)


@SETTINGS
@given(parts=st.lists(_MIXED, max_size=6))
def test_romanize_works_piece_by_piece(parts: list[str]) -> None:
    assert romanize("".join(parts)) == "".join(map(romanize, parts))


# --- scripts -------------------------------------------------------------------------------------------

_SCRIPTS = st.text(
    alphabet="abcXYZабвЖЗΣσςαΩ한국中文١٢12_ \t\n\u3000\u2003²Ⅻé\u0301ǅﬁßẞİᲀ-–.,!?*", max_size=80
)


def _script_counts(text: str) -> Counter[str]:
    return Counter(letter_script(c) for c in _LETTER.findall(text))


def _is_ocr_residue(text: str) -> bool:
    tokens = text.split()
    if len(tokens) < 12:
        return False
    if text.count("\t") >= 8:
        return True
    short = sum(1 for t in tokens if len(t) <= 2)
    mixed = sum(1 for t in tokens if len({letter_script(c) for c in _LETTER.findall(t)} - {"other"}) > 1)
    return short / len(tokens) > 0.6 or mixed / len(tokens) > 0.2


@SETTINGS
@given(text=_SCRIPTS, tokens=st.lists(st.text(alphabet="aбΣ한中1²é", min_size=1, max_size=4), max_size=30))
def test_scripts_are_read_as_letter_by_letter(text: str, tokens: list[str]) -> None:
    for sample in (text, " ".join(tokens), "\t".join(tokens)):
        counts = script_counts(sample)
        assert counts == _script_counts(sample)
        assert list(counts) == list(_script_counts(sample))  # the order most_common() keeps for ties
        plain = _script_counts(sample)
        plain.pop("other", None)
        plain.pop("greek", None)
        expected = plain.most_common(1)[0][0] if sum(plain.values()) >= 3 else None
        assert dominant_script(sample) == expected
        assert is_ocr_residue(sample) == _is_ocr_residue(sample)


# --- names: per-letter patterns find what the alternation of all forms finds ---------------------------


def _all_forms(registers: Registers) -> re.Pattern[str]:
    forms = registers._names._forms if registers._names else []
    ordered = sorted(range(len(forms)), key=lambda i: len(forms[i].text), reverse=True)
    body = "|".join(f"(?P<f{i}>{_form_pattern(forms[i].text)})" for i in ordered)
    firsts = {c for form in forms for c in (form.text[0].lower(), form.text[0].upper())}
    first = "[" + "".join(re.escape(c) for c in sorted(firsts)) + "]"
    return re.compile(f"{_BEFORE}(?={first})(?:{body}){_AFTER}", re.IGNORECASE)


@pytest.fixture(scope="module")
def every_form(registers: Registers) -> re.Pattern[str]:
    return _all_forms(registers)


def _found(matches: object) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in matches]  # type: ignore[attr-defined]


@settings(SETTINGS, max_examples=200)
@given(data=st.data())
def test_name_matcher_is_the_alternation_of_all_forms(
    data: st.DataObject, registers: Registers, every_form: re.Pattern[str]
) -> None:
    assert registers._names is not None
    names = [form.text for form in registers._names._forms]
    pieces = st.one_of(
        st.sampled_from(names),
        st.sampled_from(names).map(str.upper),
        st.sampled_from(names).map(str.lower),
        st.sampled_from(names).map(lambda n: " ".join(n)),  # letter-spaced
        st.sampled_from(names).map(lambda n: n + "у"),  # a case ending
        st.text(alphabet="aKkSsſ\u212aMмСс -'’.,\n", max_size=6),
    )
    text = "".join(data.draw(st.lists(pieces, max_size=8)))
    assert _found(registers._names.finditer(text)) == _found(every_form.finditer(text))


# --- dates: every gate is part of any text its form matches -------------------------------------------

_DATE_PIECES = [
    "May", "MAY", "Sept.", "October", "of", "июля", "ИЮЛЯ", "июне", "г.", "г", "года", "з.", "У", "Х", "I",
    "IV", "VII", "X", "І", "/", ".", "..", "-", "–", " ", "  ", "\n", ",", '"', "“", "»", "st", "th", "19",
    "1950", "195 0", "14", "7", "07", "31", "13", "1951г.", "a", "б", "٣", "Июля", "ᲀ", "ᲂ", "ſ", "K",
]  # fmt: skip


@settings(SETTINGS, max_examples=1000)
@given(pieces=st.lists(st.sampled_from(_DATE_PIECES), max_size=12))
def test_date_gates_are_in_every_match(pieces: list[str]) -> None:
    text = "".join(pieces)
    for pattern, _, gate in dates._PATTERNS:
        for match in pattern.finditer(text):
            assert gate.search(match.group(0)), (pattern.pattern, match.group(0))
    if not re.search(r"\d", text):
        assert all(not pattern.search(text) for pattern, _, _ in dates._PATTERNS)


# --- export formatting and brackets ---------------------------------------------------------------------


def _clean_line(text: str) -> str:
    if reader._RULE.match(text):
        return ""
    heading = reader._HEADING.match(text)
    if heading:
        text = heading.group(1)
    text = reader._TAG.sub("", text)
    text = reader._IMAGE.sub("", text)
    text = reader._LINK.sub(reader._link, text)
    text = reader._BOLD.sub(r"\2", text)
    text = reader._BOLD_OPEN.sub(r"\1", text)
    text = reader._BOLD_CLOSE.sub(r"\1", text)
    text = reader._ENTITY.sub(lambda m: html.unescape(m.group()), text)
    text = reader._ESCAPE.sub(r"\1", text)
    return text.translate(reader._INVISIBLE).rstrip()


_MARKUP = ["#", "## ", "<b>", "</i>", "<br/>", "*", "**", "_", "__", "![x](y)", "[a](https://b.c)", "](",
           "&amp;", "&#42;", "&#92;", "\\", "\\*", "---", " ", "a", "б", "\u200b", "\u00a0", "\f",
           "&#173;"]  # fmt: skip


@settings(SETTINGS, max_examples=1000)
@given(pieces=st.lists(st.sampled_from(_MARKUP), max_size=10))
def test_clean_line_is_every_step_in_turn(pieces: list[str]) -> None:
    line = "".join(pieces)
    assert reader.clean_line(line) == _clean_line(line)


def _find_brackets(text: str) -> tuple[list[Bracket], list[int]]:
    pairs: list[Bracket] = []
    unmatched: list[int] = []
    stack: list[int] = []
    for index, char in enumerate(text):
        if char == "[":
            stack.append(index)
        elif char == "]":
            if not stack:
                unmatched.append(index)
                continue
            opening = stack.pop()
            if not stack:
                pairs.append(Bracket(opening, index + 1, opening + 1, index))
    unmatched.extend(stack)
    return pairs, sorted(unmatched)


@SETTINGS
@given(text=st.text(alphabet="[]a ", max_size=20))
def test_brackets_are_found_as_char_by_char(text: str) -> None:
    assert find_brackets(text) == _find_brackets(text)
