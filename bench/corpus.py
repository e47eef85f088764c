"""Synthetic archive page exports for benchmarks and tests (issue 8, item 1).

    python bench/corpus.py --seed S --count N --out DIR

writes `DIR/wc-NNNNNN.txt`: pages of the same shape as `sources/` (the Wilson Center Digital Archive's
ciphered telegrams): a date line, a title "Ciphered Telegram No. NNNN, X to Y", labelled sections
(Citation with an APRF reference and a unique `/document/NNNNNN` URL, Summary, Credits, Original Language,
Contents), then a Russian original (telegram-form heading, address, salute, paragraphs, signature, dateline,
office notes, distribution list) and its English translation with the archive's bracketed insertions
(`Filippov [Stalin]`, `[pristupit k …]`, `[...]`, `[signature]`, `[Stamp: …]`).

Names come from the edition's registers (`tei/persons.xml`, `tei/places.xml`), read with the hardened
parser. Dates fall in 1945–1991. Paragraph counts and lengths are drawn from the five real sources' letters
(measured on their TEI: words per `p` of the message). The same seed gives byte-identical files: every
document draws from its own `random.Random(f"{seed}:{index}")`, and string seeds are hashed with SHA-512,
independent of PYTHONHASHSEED.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

if __name__ == "__main__":  # run as a script: import from the repository, not bench/ (its html.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # would shadow the standard library's)

from lxml import etree

from cablegram.xmlio import parse

REPO = Path(__file__).resolve().parents[1]
TEI_NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Measured on the seed documents' TEI (words per message paragraph of the Russian originals; the English
# translations run about 1.4 times longer): wc-115976 [61], wc-114900 [67, 46], wc-113729 [32, 110, 56, 24],
# wc-117420 [39]; wc-110374 (translation only) has three long paragraphs.
PARAGRAPH_COUNTS = (1, 2, 4, 1, 3)
PARAGRAPH_WORDS = (61, 67, 46, 32, 110, 56, 24, 39)
FIRST_RECORD = 200_000  # above the real record numbers of the edition (110374–117420)
LAST_RECORD = 999_999

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_RU_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# Parallel sentences (Russian original, English translation) in the register of the seed telegrams.
# `{place_ru}`/`{place_en}` take a place of the register in the nominative; a `[…]` in the English is the
# archive's own bracket (a source term or a gloss).
SENTENCES: tuple[tuple[str, str], ...] = (
    (
        "В беседе с корейскими товарищами Филиппов и его друзья высказали мнение, что в силу изменившейся "
        "международной обстановки они согласны с предложением корейцев приступить к объединению.",
        "In a conversation with the Korean comrades Filippov [Stalin] and his friends expressed the opinion "
        "that, in light of the changed international situation, they agree with the proposal of the Koreans "
        "to move toward reunification [pristupit k obiedineniiu].",
    ),
    (
        "При этом было оговорено, что вопрос должен быть решен окончательно китайскими и корейскими "
        "товарищами совместно.",
        "In this regard a qualification was made [pri etom bilo ogovoreno] that the question should be "
        "decided finally by the Chinese and Korean comrades together.",
    ),
    (
        "Подробности беседы могут рассказать Вам корейские товарищи.",
        "The Korean comrades can tell you the details of the conversation.",
    ),
    (
        "Мы подробно обсудили все факты, имеющие отношение к вопросу о переговорах с противником.",
        "We discussed in detail all the facts which relate to the issue of the negotiations with the enemy.",
    ),
    (
        "Мы пришли к единогласному выводу, что Ваша точка зрения совершенно правильна.",
        "We have come to the unanimous conclusion that your point of view is absolutely correct.",
    ),
    (
        "Однако по поступившим ко мне сегодня сведениям я вижу, что положение становится отчаянным.",
        "However, judging by the information that I have received today, I see that the situation is "
        "getting desperate.",
    ),
    (
        "Следует немедленно отвести с юга хотя бы четыре дивизии и создать фронт севернее города {place_ru}.",
        "At least four divisions should be withdrawn from the south immediately and a front line set up "
        "north of the city of {place_en}.",
    ),
    (
        "Я ничего не сообщал и не думаю сообщать об этом корейским товарищам.",
        "I have not informed and am not going to inform the Korean comrades about this.",
    ),
    (
        "Товарищ Мао Цзэдун сообщил, что корейские товарищи детально информировали его о положении в стране.",
        "Cde. Mao Zedong reported that the Korean comrades had informed him in detail about the situation "
        "in the country.",
    ),
    (
        "Он согласен с оценкой обстановки в Северной и Южной Корее, а также с оценкой соотношения сил.",
        "He agreed with the assessment of the situation in North and South Korea and also with the "
        "assessment of the correlation of forces.",
    ),
    (
        "Окончательное решение китайское правительство примет лишь посоветовавшись с товарищем Филипповым.",
        "The Chinese government would make a final decision only after consulting with Cde. Filippov "
        "[Stalin].",
    ),
    (
        "Необходимо решительно отказаться от встречи в районе {place_ru} и требовать переговоров на "
        "38 параллели.",
        "It is necessary decisively to refuse a meeting in the area of {place_en} and to demand negotiations "
        "at the 38th parallel.",
    ),
    (
        "Ваши телеграммы о перемирии получены и переданы товарищу Сталину.",
        "Your telegrams about an armistice have been received and passed on to Cde. Stalin.",
    ),
    (
        "Китайские дивизии могли бы фигурировать как добровольные, конечно, с китайским командованием во "
        "главе.",
        "The Chinese divisions could be considered as volunteers [dobrovol'nye], with Chinese in command at "
        "the head, of course.",
    ),
    (
        "Поставки будут произведены в сроки, согласованные с правительством в городе {place_ru}.",
        "The deliveries will be made within the time agreed with the government in {place_en}.",
    ),
    (
        "Прошу сообщить Ваше мнение по этому вопросу не позднее завтрашнего дня.",
        "Please report your opinion on this question no later than tomorrow [ne pozdnee zavtrashnego dnia].",
    ),
)

# Telegram-form heading lines: (Russian, English). Kept to the forms of the seeds.
FORM_LINES: tuple[tuple[str, str], ...] = (
    ("Снятие копий воспрещается", "Making copies is prohibited"),
    ("Шифрованная телеграмма", "CIPHERED TELEGRAM"),
)
CLASSIFICATIONS: tuple[tuple[str, str], ...] = (
    ("СОВ. СЕКРЕТНО", "Top Secret"),
    ("СЕКРЕТНО", "Secret"),
    ("Строго секретно", "Strictly Secret"),
)
STAMPS = ("SUBJECT TO RETURN", "SUBJECT TO RETURN to the IV Unit of the OS [Special Department]", "Secret")


@dataclass(frozen=True)
class Person:
    key: str
    en: str  # short English form: "Vyshinsky"
    ru: str  # Russian nominative: "Вышинский"


@dataclass(frozen=True)
class Place:
    key: str
    en: str
    ru: str


# Who writes and who receives, by register key (the entries must exist in tei/persons.xml).
SENDERS = ("stalin", "vyshinsky", "molotov", "bulganin", "malenkov")
RECIPIENTS = ("mao-zedong", "zhou-enlai", "roshchin", "krasovsky")
COPIES = ("stalin", "molotov", "malenkov", "bulganin", "vyshinsky")
PLACES = ("seoul", "moscow", "beijing")


def _forms(entry: etree._Element, name_tag: str) -> dict[str, list[str]]:
    """Regular (untyped, not all-capitals) name forms of a register entry, by language."""
    forms: dict[str, list[str]] = {"en": [], "ru": []}
    for name in entry.iterfind(f"t:{name_tag}", TEI_NS):
        lang, text = name.get(XML_LANG), name.text or ""
        if lang in forms and name.get("type") is None and text and not text.isupper():
            forms[lang].append(text)
    return forms


def _short(forms: list[str]) -> str:
    """The form telegrams use: "Vyshinsky" rather than "Andrey Vyshinsky", but "Mao Zedong" stays whole."""
    first = forms[0]
    return next((f for f in forms[1:] if first.endswith(f" {f}")), first)


def load_names(tei_dir: Path) -> tuple[dict[str, Person], dict[str, Place]]:
    """Persons and places with a regular English and Russian form, keyed by register id."""
    persons: dict[str, Person] = {}
    for entry in parse(tei_dir / "persons.xml").iterfind(".//t:person", TEI_NS):
        forms = _forms(entry, "persName")
        if forms["en"] and forms["ru"]:
            key = entry.get(XML_ID) or ""
            persons[key] = Person(key, _short(forms["en"]), forms["ru"][0])
    places: dict[str, Place] = {}
    for entry in parse(tei_dir / "places.xml").iterfind(".//t:place", TEI_NS):
        forms = _forms(entry, "placeName")
        if forms["en"] and forms["ru"]:
            key = entry.get(XML_ID) or ""
            places[key] = Place(key, forms["en"][0], forms["ru"][0])
    return persons, places


# --- Russian case forms of the register's nominatives (the converter matches them by rule) -------------


def _inflect_word(word: str, case: str) -> str:
    endings = {
        "ий": {"gen": "ого", "dat": "ому"},
        "ай": {"gen": "ая", "dat": "аю"},
        "а": {"gen": "ы", "dat": "е"},
    }
    for ending, by_case in endings.items():
        if word.endswith(ending):
            return word[: -len(ending)] + by_case[case]
    if word[-1:].lower() in "бвгджзклмнпрстфхцчшщ":
        return word + {"gen": "а", "dat": "у"}[case]
    return word


def inflect(name: str, case: str) -> str:
    """Genitive ("Для Мао Цзэдуна") or dative ("Тов. Сталину"): only the last word of a name declines."""
    words = name.split(" ")
    return " ".join([*words[:-1], _inflect_word(words[-1], case)])


def letter_spaced(text: str) -> str:
    return " ".join(text)


# --- one page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    persons: dict[str, Person]
    places: dict[str, Place]


def _random_date(rng: random.Random) -> date:
    start, end = date(1945, 1, 1), date(1991, 12, 31)
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _paragraphs(rng: random.Random, names: Names) -> list[tuple[str, str]]:
    """Message paragraphs as (Russian, English), with counts and lengths drawn from the real letters."""
    out = []
    for _ in range(rng.choice(PARAGRAPH_COUNTS)):
        target = rng.choice(PARAGRAPH_WORDS)
        ru: list[str] = []
        en: list[str] = []
        words = 0
        pool = rng.sample(SENTENCES, len(SENTENCES))  # no sentence twice in one paragraph
        while words < target and pool:
            ru_sentence, en_sentence = pool.pop()
            place = names.places[rng.choice([p for p in PLACES if p in names.places])]
            ru_sentence = ru_sentence.replace("{place_ru}", inflect(place.ru, "gen"))
            en_sentence = en_sentence.replace("{place_en}", place.en)
            ru.append(ru_sentence)
            en.append(en_sentence)
            words += len(ru_sentence.split())
        if rng.random() < 0.1:
            en.append("[...]")
        out.append((" ".join(ru), " ".join(en)))
    return out


def make_page(rng: random.Random, record: int, names: Names) -> str:
    """One page export as text (LF line ends, final newline)."""
    day = _random_date(rng)
    sender = names.persons[rng.choice([k for k in SENDERS if k in names.persons])]
    recipient = names.persons[rng.choice([k for k in RECIPIENTS if k in names.persons and k != sender.key])]
    number = rng.randrange(1000, 10000)
    special = rng.randrange(100, 1000)
    pseudonymous = sender.key == "stalin"
    sender_en = "Filippov [Stalin]" if pseudonymous else sender.en
    signature_ru = "Филиппов" if pseudonymous else sender.ru
    signature_en = "Filippov [Stalin]" if pseudonymous else sender.en.upper()
    title = f"Ciphered Telegram No. {number}, {sender_en} to {recipient.en}"
    date_en = f"{MONTHS_EN[day.month - 1]} {day.day:02d}, {day.year}"
    date_ru = f"{day.day} {MONTHS_RU_GENITIVE[day.month - 1]} {day.year} г."
    date_en_dmy = f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    form_date = f"{day.day}/{ROMAN[day.month - 1]} {day.year} г."
    fond_delo = rng.randrange(300, 400)
    first_leaf = rng.randrange(1, 150)
    leaves = f"{first_leaf}-{first_leaf + rng.randrange(1, 4)}"
    classification = rng.choice(CLASSIFICATIONS)
    paragraphs = _paragraphs(rng, names)
    copies = [names.persons[k] for k in COPIES if k in names.persons]
    copies = rng.sample(copies, rng.randrange(2, len(copies) + 1))
    quoted = rng.random() < 0.5
    lines: list[str] = []
    add = lines.append

    # -- the archive page's head and labelled sections
    add("")
    add(date_en)
    add(f"**{title}**" if rng.random() < 0.5 else title)
    add("")
    add("Citation:")
    add("")
    add(
        f'"{title}", {date_en}, Wilson Center Digital Archive, APRF, f. 45, op. 1, d. {fond_delo}, '
        f"ll. {leaves}. <https://digitalarchive.wilsoncenter.org/document/{record}>"
    )
    add("")
    add("Summary:")
    add("")
    add(
        f"{sender.en} writes to {recipient.en} about the situation in Korea and the negotiations, "
        f"{rng.choice(['asking for a reply', 'relaying a decision', 'giving advice'])}."
    )
    add("")
    add("Credits:")
    add("")
    add("This document was made possible with support from Leon Levy Foundation")
    add("")
    add("Original Language:")
    add("")
    add("Russian")
    add("")
    add("Contents:")
    add("")
    add("Original Scan")
    add("Translation - English")
    add("")

    # -- the Russian original: the telegram form, then the letter
    add("МИД СССР")
    add("")
    add(f"Исход. № {number}")
    add("")
    add(f"Получена {rng.randrange(1, 24)} час. {rng.randrange(0, 60):02d} мин. {form_date}")
    add("")
    add(classification[0])
    add("")
    for ru, _ in FORM_LINES:
        add(ru)
        add("")
    add(f"Спец. № {special}")
    add("")
    add("Куда")
    add("")
    add("ПЕКИН")
    add("")
    add("Кому")
    add("")
    add("СОВПОСОЛ")
    add("")
    add(f"Экз. № {rng.randrange(1, 9)}")
    add("")
    add(letter_spaced("ОСОБАЯ"))
    add("")
    add(f"Для {inflect(recipient.ru, 'gen')}.")
    add("")
    add(f"{chr(34) if quoted else ''}Тов. {recipient.ru}!")
    add("")
    for ru, _ in paragraphs:
        add(ru)
        add("")
    close = '"' if quoted else ""
    add(f"{letter_spaced(signature_ru) if rng.random() < 0.5 else signature_ru.upper()}{close}.")
    add("")
    add(date_ru)
    add("")
    add(f"{len(copies)} экз. нб")
    add(f" {day.day}/{ROMAN[day.month - 1]}-{day.year % 100:02d} г.")
    add("")
    add(f"верно: *{rng.choice(['Макаров', 'Плотников', 'Лаврешина'])}*")
    add("")
    add("Копии:")
    add("")
    for n, person in enumerate(copies, start=1):
        add(f"{n}. Тов. {inflect(person.ru, 'dat')}")
    add("")

    # -- the English translation
    add("MFA USSR")
    add(classification[1])
    add("")
    add(FORM_LINES[0][1])
    add(f"Special no. {special}")
    add("")
    add(f"Issuing No. {number}")
    add(f"Received on {rng.randrange(1, 12)}:{rng.randrange(0, 60):02d} am, {date_en_dmy}")
    add(FORM_LINES[1][1])
    add("")
    add("Destination: PEKING To Whom: SovAmbassador")
    add("")
    add("SPECIAL")
    add(f"For {recipient.en}.")
    add("")
    add(f"{chr(34) if quoted else ''}Cde. {recipient.en}!")
    add("")
    for _, en in paragraphs:
        add(en)
        add("")
    add(f"{signature_en}{chr(34) if quoted else ''}.")
    add("")
    add(date_en_dmy)
    add("")
    add(f"{len(copies)} copies")
    add(date_en_dmy)
    add("")
    add("Authenticated: Section Chief")
    add("Colonel [signature]")
    add("")
    add(f"[Stamp: {rng.choice(STAMPS)}]")
    add("")
    add("Copies:")
    for n, person in enumerate(copies, start=1):
        add(f"{n}. Comr. {person.en}")
    return "\n".join(lines) + "\n"


def generate(seed: int, count: int, out: Path, tei_dir: Path = REPO / "tei") -> list[Path]:
    """Write `count` pages into `out`; the same seed always writes the same bytes."""
    persons, places = load_names(tei_dir)
    names = Names(persons, places)
    records = random.Random(seed).sample(range(FIRST_RECORD, LAST_RECORD + 1), count)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index, record in enumerate(records):
        text = make_page(random.Random(f"{seed}:{index}"), record, names)
        path = out / f"wc-{record}.txt"
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--tei", type=Path, default=REPO / "tei", help="where the registers are")
    args = parser.parse_args(argv)
    if not 0 <= args.count <= LAST_RECORD - FIRST_RECORD + 1:
        parser.error(f"--count must be between 0 and {LAST_RECORD - FIRST_RECORD + 1}")
    started = time.perf_counter()
    written = generate(args.seed, args.count, args.out, args.tei)
    elapsed = time.perf_counter() - started
    print(f"{len(written)} pages written to {args.out} in {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
