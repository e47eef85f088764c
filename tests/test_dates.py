"""Dates as the telegrams and archive pages write them; and the numbers that are not dates."""

from __future__ import annotations

from itertools import pairwise

import pytest

from cablegram.convert.dates import DateMatch, find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("May 14, 1950", "1950-05-14"),  # page dates
        ("October 01, 1950", "1950-10-01"),
        ("June 30, 1951", "1951-06-30"),
        ("14 May 1950", "1950-05-14"),  # translations
        ("1 October 1950", "1950-10-01"),
        ("30 June 1951", "1951-06-30"),
        ("07/14/1951", "1951-07-14"),  # DOCUMENT INFORMATION, US order
        ("14/У 195 0 з.", "1950-05-14"),  # Cyrillic У for V, OCR space in the year, з. read for г.
        ("14/У-50 г.", "1950-05-14"),
        ("1.X.50", "1950-10-01"),
        ("1.X..50 г.", "1950-10-01"),
        ("1.X.50г.", "1950-10-01"),
        ("14.У.50г.", "1950-05-14"),
        ("14.7.51 г.", "1951-07-14"),
        ("15 VII 1951 г.", "1951-07-15"),
        ('"14" июля 1951 г.', "1951-07-14"),
        ("1 октября 1950 г.", "1950-10-01"),
        ("1 октября 1950г.", "1950-10-01"),
        ("июнь 1950 г.", "1950-06"),
        ("June 1994", "1994-06"),
        ("1950", "1950"),
        ("1950-05-14", "1950-05-14"),
        ("  May 14, 1950. ", "1950-05-14"),
    ],
)
def test_parse_date_whole_strings(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("14.У.", "1950-05-14"),
        ("14 мая", "1950-05-14"),
        ("13 мая", "1950-05-13"),
        ("16 сентября", "1950-09-16"),
        ("14 July", "1950-07-14"),
        ("28 June", "1950-06-28"),
        ("July 10-15", "1950-07-10"),
    ],
)
def test_parse_date_takes_the_context_year_when_the_text_has_none(text: str, iso: str) -> None:
    assert parse_date(text, context_year=1950) == iso


def test_without_a_year_or_context_a_day_is_an_iso_month_day() -> None:
    assert parse_date("14 мая") == "--05-14"
    assert parse_date("28 June") == "--06-28"
    assert parse_date("29 February") == "--02-29"


@pytest.mark.parametrize(
    "text",
    [
        "31 June 1951",  # no such day
        "14/13/1950",  # no such month either way
        "30 February",
        "1950-13-01",
        "15/Ил. 1951 г.",  # an OCR reading that is not a Roman numeral: not guessed
        "No. 8600",
        "38th parallel",
        "Form No. 17",
        "4:10",
        "26/11",
        "Listy 95-96",
        "5-6 divisions",
        "No. 335/III",
        "f. 558, op. 11, d. 334, ll.0055",
        "",
        "May",
        "May 14, 1950 and 14 May 1950",  # two dates are not one
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text, context_year=1950) is None


def spans(text: str, context_year: int | None = None) -> list[tuple[str, str]]:
    return [(text[d.start : d.end], d.iso) for d in find_dates(text, context_year=context_year)]


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        (
            "Получена 4 час. 10 мин. 14/У 195 0 з.\n Отправлена 5 час. 30 мин. 14/У 195 0 з.",
            None,
            [("14/У 195 0 з.", "1950-05-14"), ("14/У 195 0 з.", "1950-05-14")],
        ),
        ("5 экз. нб\n 14/У-50 г.\n\n26/11\n N 4058/мин", None, [("14/У-50 г.", "1950-05-14")]),
        ("Received on 4:10 am, 14 May 1950", None, [("14 May 1950", "1950-05-14")]),
        ("On 1.X.50 [1 October 1950]", None, [("1.X.50", "1950-10-01"), ("1 October 1950", "1950-10-01")]),
        ("1.X.50г. в 3ч.00м.", None, [("1.X.50г.", "1950-10-01")]),
        ("Москва еще 16 сентября предупреждала", 1950, [("16 сентября", "1950-09-16")]),
        (
            "14 мая в 16 часов 40 минут посетил … в беседе с ним вечером 13 мая",
            1950,
            [("14 мая", "1950-05-14"), ("13 мая", "1950-05-13")],
        ),
        (
            "8 экз.ам Отпеч. 14.У. 19-15 Разослано 20° /4. Выпустил Плотников 14.У.50г. РОЩИН",
            1950,
            [("14.У.", "1950-05-14"), ("14.У.50г.", "1950-05-14")],
        ),
        ("At 1640 14 May I visited Cde. Mao Zedong", 1950, [("14 May", "1950-05-14")]),
        ("Получили Вашу шифровку за № 3511 от 13 июля.", 1951, [("13 июля", "1951-07-13")]),
        ("Отп. Лаврешина. 14.7.51 г. № 1118.", None, [("14.7.51 г.", "1951-07-14")]),
        ('"14" июля 1951 г.\n\n548 ПОДЛЕЖИТ ВОЗВРАТУ', None, [('"14" июля 1951 г.', "1951-07-14")]),
        ("Бх. № 2394 от 15 VII 1951 г.", None, [("15 VII 1951 г.", "1951-07-15")]),
        ("your point of view in the 1[3] July telegram", 1951, []),  # the bracket is the brackets stage's
        ("our telegram of 13 July. Then", 1951, [("13 July", "1951-07-13")]),  # the period is the sentence's
        ("VKP(b) CC Incoming N° 545/2394/shs 15 July 1951]", None, [("15 July 1951", "1951-07-15")]),
        ("<b>Date</b>\t07/14/1951", None, [("07/14/1951", "1951-07-14")]),
        ("visit to Moscow in June 1994, and", None, [("June 1994", "1994-06")]),
        ("Your statement of 28 June regarding an armistice", 1951, [("28 June", "1951-06-28")]),
        ("Issuing No. 8600 … Form No. 17 … the 38th parallel … Listy 95-96 … No. 335/III", 1950, []),
        ("the 1 [First] and 2 [Second] Army Groups", 1950, []),
        ("You may 14 times", 1950, []),  # the verb, not the month
        ("31 June 1951", None, []),  # impossible, and no shorter "June 1951" inside it
    ],
)
def test_find_dates_in_source_text(text: str, year: int | None, expected: list[tuple[str, str]]) -> None:
    assert spans(text, year) == expected


def test_find_dates_range_gives_start_and_end() -> None:
    text = "our representatives will be prepared to meet with your representatives July 10-15."
    assert find_dates(text, context_year=1951) == [DateMatch(71, 81, "1951-07-10", "1951-07-15")]
    assert find_dates("10-15 July 1951") == [DateMatch(0, 15, "1951-07-10", "1951-07-15")]
    assert find_dates("July 15-10", context_year=1951) == []  # a range runs forwards


def test_find_dates_two_digit_years_are_nineteen_hundreds() -> None:
    assert [d.iso for d in find_dates("1.X.50 и 14.7.51 г. и 14/У-50 г.")] == [
        "1950-10-01",
        "1951-07-14",
        "1950-05-14",
    ]


def test_find_dates_is_sorted_and_non_overlapping() -> None:
    text = "May 14, 1950 … 14 May 1950 … 14/У 195 0 з. … 1 октября 1950 г."
    found = find_dates(text)
    assert [d.start for d in found] == sorted(d.start for d in found)
    assert all(a.end <= b.start for a, b in pairwise(found))
    assert [d.iso for d in found] == ["1950-05-14", "1950-05-14", "1950-05-14", "1950-10-01"]
