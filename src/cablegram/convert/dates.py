"""Dates in the forms the telegrams and the archive pages write them, read into ISO 8601.

English (`May 14, 1950`, `14 May 1950`, `07/14/1951` in the US order of the archive's metadata), Russian
(`"14" июля 1951 г.`, `1 октября 1950 г.`, `14 мая`), and the office forms of the telegrams, whose month is a
Roman numeral, often typed or read with Cyrillic look-alikes (`14/У 195 0 з.` is 14 May 1950: `У` for V, an
OCR space inside the year, `з.` read for `г.`; `1.X..50 г.`, `15 VII 1951 г.`), or an Arabic one
(`14.7.51 г.`). Two-digit years are 19xx. A date without a year takes `context_year`; without one it is
given as an ISO 8601 month-day (`--05-14`, XML Schema gMonthDay, which TEI's @when accepts).

Only unambiguous forms are read: an OCR reading that is not a Roman numeral (`15/Ил.`), numbers without a
month (`No. 8600`, `26/11`, `38th parallel`) and times (`4:10`, `19-15`) are not dates. Impossible dates
(month 13, 31 June) are rejected, and the text they occupy yields no shorter date either.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from cablegram.convert.memo import per_document


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    iso: str  # "1950-05-14"; "1950-05" or "1950" when partial; "--05-14" with no year known
    to: str | None = None  # the end of a range ("July 10-15"): @from = iso, @to = to


_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_RU_GENITIVE = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}  # fmt: skip
_RU_OTHER = {  # nominative and prepositional, for a month with its year ("в июне 1950 г.")
    "январь": 1, "январе": 1, "февраль": 2, "феврале": 2, "март": 3, "марте": 3, "апрель": 4,
    "апреле": 4, "май": 5, "мае": 5, "июнь": 6, "июне": 6, "июль": 7, "июле": 7, "август": 8,
    "августе": 8, "сентябрь": 9, "сентябре": 9, "октябрь": 10, "октябре": 10, "ноябрь": 11,
    "ноябре": 11, "декабрь": 12, "декабре": 12,
}  # fmt: skip
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
          "XI": 11, "XII": 12}  # fmt: skip
# Cyrillic letters typed or read for Roman numerals: У for V, Х for X, І for I.
_ROMAN_LOOKALIKES = str.maketrans({"У": "V", "Х": "X", "І": "I"})


def _names(months: dict[str, int], *, title_case: bool) -> str:
    # English month names only capitalised or in capitals, so that "may" the verb is never a month.
    forms = {f for name in months for f in ((name.capitalize(), name.upper()) if title_case else (name,))}
    return "|".join(sorted(forms, key=len, reverse=True))


_EN_FULL = dict(list(_EN_MONTHS.items())[:12])
_EN_ABBR = dict(list(_EN_MONTHS.items())[12:])
# An abbreviation may take its period ("Oct."); a full name never takes one (that is the sentence's).
_EN = rf"(?P<mon>(?:{_names(_EN_FULL, title_case=True)})|(?:{_names(_EN_ABBR, title_case=True)})\.?)"
_RU_GEN = rf"(?i:(?P<mon>{_names(_RU_GENITIVE, title_case=False)}))"
_RU_OTH = rf"(?i:(?P<mon>{_names(_RU_OTHER, title_case=False)}))"
_RM = r"(?P<rom>[XХ][IІ]{0,2}|[IІ][XХ]|[IІ][VУ]|[VУ][IІ]{0,3}|[IІ]{1,3})"
_DAY = r"(?<![\w/.,:-])(?P<day>\d{1,2})(?!\d)"
_DAY2 = r"(?P<day2>\d{1,2})(?!\d)"
_YEAR = r"(?P<year>(?:1[89]|20)\d ?\d)(?!\d)"  # one OCR space tolerated: "195 0"
_YY = r"(?P<yy>\d{2})(?![\d:-])"
_SUFFIX = r"(?:\s*(?:года|г\.|г(?![^\W_])|з\.))?"  # "г." after a Russian year; "з." is its OCR misreading
_END = r"(?![^\W_])"
_RANGE = r"\s*[-–]\s*"

Reading = tuple[int | None, int | None, int | None, int | None]  # year, month, day, range end day


def _reading(m: re.Match[str]) -> Reading:
    groups = {k: v for k, v in m.groupdict().items() if v}
    year = int(groups["year"].replace(" ", "")) if "year" in groups else None
    if "yy" in groups:
        year = 1900 + int(groups["yy"])
    month: int | None = None
    if "rom" in groups:
        month = _ROMAN[groups["rom"].translate(_ROMAN_LOOKALIKES)]
    elif "num" in groups:
        month = int(groups["num"])
    elif "mon" in groups:
        name = groups["mon"].lower().rstrip(".")
        month = _EN_MONTHS.get(name) or _RU_GENITIVE.get(name) or _RU_OTHER[name]
    day_text = groups.get("day") or groups.get("dq")  # dq: a quoted day, "14" июля
    day = int(day_text) if day_text else None
    return year, month, day, int(groups["day2"]) if "day2" in groups else None


def _us_numeric(m: re.Match[str]) -> Reading:
    first, second = int(m["a"]), int(m["b"])
    # The archive's metadata writes month/day/year; read day/month only where that cannot be meant.
    month, day = (first, second) if first <= 12 else (second, first)
    return int(m["year"]), month, day, None


# Each form with what any text it matches must contain (a part of the form itself, searched alone, which
# is quicker than the form): the form is tried only where that is found. An English month name begins
# with one of its capitals; a Russian one is in Cyrillic, whose letters (in any case) are not ASCII.
_EN_INITIAL = "[JFMASOND]"
_NOT_ASCII = r"[^\x00-\x7f]"
_Form = tuple[re.Pattern[str], Callable[[re.Match[str]], Reading], re.Pattern[str]]
_PATTERNS: tuple[_Form, ...] = tuple(
    (re.compile(p), b, re.compile(g))
    for p, b, g in (
        # ISO 8601 as such
        (r"(?<![\w-])(?P<year>\d{4})-(?P<num>\d{2})-(?P<day>\d{2})(?![\w-])", _reading, r"\d-\d"),
        # May 14, 1950 · October 01, 1950 · July 10-15 · July 14
        (rf"(?<![\w-]){_EN}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:{_RANGE}{_DAY2})?(?!\d)"
         rf"(?:,?\s+{_YEAR})?{_END}", _reading, _EN_INITIAL),
        # 14 May 1950 · 1 October 1950 · 28 June · 10-15 July
        (rf"{_DAY}(?:st|nd|rd|th)?(?:{_RANGE}{_DAY2})?\s+(?:of\s+)?{_EN}(?:,?\s+{_YEAR})?{_END}", _reading,
         _EN_INITIAL),
        # June 1994
        (rf"(?<![\w-]){_EN}\s+{_YEAR}{_END}", _reading, _EN_INITIAL),
        # "14" июля 1951 г. · 1 октября 1950 г. · 14 мая
        (rf"(?:(?<![\w/.,:-])[\"“«„](?P<dq>\d{{1,2}})[\"”»“]|{_DAY})\s*{_RU_GEN}(?:\s+{_YEAR}{_SUFFIX})?{_END}",
         _reading, _NOT_ASCII),
        # в июне 1950 г.
        (rf"(?<![\w-]){_RU_OTH}\s+{_YEAR}{_SUFFIX}{_END}", _reading, _NOT_ASCII),
        # 14/У 195 0 з. · 14/У-50 г. · 26/II
        (rf"{_DAY}\s*/\s*{_RM}(?:(?:[-./]{{1,2}}\s*|\s+){_YEAR}{_SUFFIX}|[-./]{{1,2}}{_YY}{_SUFFIX})?{_END}",
         _reading, r"\d\s*/\s*[XХIІVУ]"),
        # 1.X.50 · 1.X..50 г. · 1.X.50г. · 14.У.50г. · 14.У.
        (rf"{_DAY}\.{_RM}(?:\.{{1,2}}{_YY}{_SUFFIX}|\.?\s*{_YEAR}{_SUFFIX}|\.(?![\w]))?{_END}", _reading,
         r"\d\.[XХIІVУ]"),
        # 15 VII 1951 г.
        (rf"{_DAY}\s+{_RM}\s+{_YEAR}{_SUFFIX}{_END}", _reading, r"\d\s+[XХIІVУ]"),
        # 14.7.51 г. · 14.07.1951
        (rf"{_DAY}\.(?P<num>\d{{1,2}})\.(?:{_YEAR}|{_YY}){_SUFFIX}(?![\w.])", _reading, r"\d\.\d"),
        # 07/14/1951
        (r"(?<![\w/.-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})(?![\w/])", _us_numeric, r"\d/\d"),
        # 1950 г.
        (rf"(?<![\w/.-]){_YEAR}\s*(?:года|г\.|г(?![^\W_])){_END}", _reading, r"\d\s*г"),
    )
)  # fmt: skip


def _iso(year: int | None, month: int, day: int | None) -> str | None:
    """The ISO form, or None for an impossible date (a day is checked against a leap year if no year)."""
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}" if year is not None else None
    try:
        datetime.date(year if year is not None else 2000, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"--{month:02d}-{day:02d}"


_DIGIT = re.compile(r"\d")


def find_dates(text: str, *, context_year: int | None = None) -> list[DateMatch]:
    """Dates inside running text, in text order, non-overlapping (the earliest, then the longest, wins)."""
    if _DIGIT.search(text) is None:
        return []  # every form has a day or a year in digits: most blocks need no pattern tried
    return list(_find_dates(text, context_year))


@per_document  # a block is read as a dateline, as a signature and as text
def _find_dates(text: str, context_year: int | None) -> tuple[DateMatch, ...]:
    candidates: list[tuple[int, int, str | None, str | None]] = []
    for pattern, read, part in _PATTERNS:
        if part.search(text) is None:
            continue
        for m in pattern.finditer(text):
            year, month, day, day2 = read(m)
            known = year if year is not None else context_year
            if month is None:
                iso = f"{year:04d}" if year is not None else None
            elif day is None:
                iso = _iso(year, month, None)
            else:
                iso = _iso(known, month, day)
            to = _iso(known, month, day2) if month is not None and day2 is not None else None
            if day2 is not None and (to is None or day is None or day2 <= day):
                iso = None
            candidates.append((m.start(), m.end(), iso, to))
    candidates.sort(key=lambda c: (c[0], -c[1]))
    found: list[DateMatch] = []
    position = 0
    for start, end, iso, to in candidates:
        if start < position:
            continue
        position = end
        if iso is not None:  # an impossible date still claims its text, so no shorter reading inside it
            found.append(DateMatch(start, end, iso, to))
    return tuple(found)


_ISO_LIKE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def parse_date(text: str, *, context_year: int | None = None) -> str | None:
    """The ISO form of a string that is one date as a whole ("May 14, 1950", "14/У 195 0 з.", "1950")."""
    value = " ".join(text.split()).strip(" ,;:()[]")
    if _ISO_LIKE.fullmatch(value):
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1:
            return value
        return _iso(parts[0], parts[1], parts[2] if len(parts) == 3 else None)
    for candidate in (value, value.rstrip(".")):
        matches = find_dates(candidate, context_year=context_year)
        if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(candidate):
            return matches[0].iso
    return None
