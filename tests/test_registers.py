"""The registers and the recognisers that read them, on the sources' own text and on tricky negatives."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from lxml import etree

from cablegram.convert.registers import Correction, Registers, load_registers
from cablegram.xmlio import parse

REPO = Path(__file__).resolve().parents[1]
TEI_DIR = REPO / "tei"
SOURCES = sorted((REPO / "sources").glob("*.txt"))
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
REGISTER_FILES = ("persons.xml", "places.xml", "organisations.xml", "corrections.xml")


@pytest.fixture(scope="module")
def registers() -> Registers:
    return load_registers(TEI_DIR)


def found(registers: Registers, text: str) -> list[tuple[str, str, bool]]:
    return [(text[m.start : m.end], m.entry.key, m.pseudonym) for m in registers.find_names(text)]


# --- the register files --------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", REGISTER_FILES)
def test_register_file_is_tei_with_schema_pis_and_its_own_id(filename: str) -> None:
    tree = parse(TEI_DIR / filename)
    root = tree.getroot()
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    assert root.get(XML_ID) == filename.removesuffix(".xml")
    pis = [
        node.text or ""
        for node in root.itersiblings(preceding=True)
        if isinstance(node, etree._ProcessingInstruction)
    ]
    assert any("../schema/cablegram.rng" in pi for pi in pis)
    assert any("../schema/cablegram.sch" in pi for pi in pis)
    declared = set(root.xpath("//t:langUsage/t:language/@ident", namespaces=NS))
    assert set(root.xpath("//@xml:lang")) <= declared


def test_register_ids_are_unique_lowercase_slugs_never_document_ids() -> None:
    ids = [
        i
        for f in REGISTER_FILES[:3]
        for i in parse(TEI_DIR / f)
        .getroot()
        .xpath("//t:person/@xml:id|//t:place/@xml:id|//t:org/@xml:id", namespaces=NS)
    ]
    assert len(ids) == len(set(ids))
    for ident in ids:
        assert re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", ident), ident
        assert not ident.startswith("wc-")


def test_every_registered_form_is_found_as_its_own_entry(registers: Registers) -> None:
    for filename, entry_tag, name_tag in (
        ("persons.xml", "person", "persName"),
        ("places.xml", "place", "placeName"),
        ("organisations.xml", "org", "orgName"),
    ):
        for element in parse(TEI_DIR / filename).getroot().iterfind(f".//t:{entry_tag}", NS):
            for name in element.iterfind(f"t:{name_tag}", NS):
                text = name.text or ""
                matches = registers.find_names(text)
                assert [(m.start, m.end, m.entry.key) for m in matches] == [
                    (0, len(text), element.get(XML_ID))
                ], text
                assert matches[0].pseudonym == (name.get("type") == "pseudonym")


def test_authority_ids_are_only_the_verified_ones() -> None:
    idnos = {
        (element.get(XML_ID), idno.get("type"), idno.text)
        for f in REGISTER_FILES[:3]
        for element in parse(TEI_DIR / f).getroot().xpath("//*[t:idno]", namespaces=NS)
        for idno in element.iterfind("t:idno", NS)
    }
    assert idnos == {
        ("stalin", "wikidata", "Q855"),
        ("mao-zedong", "wikidata", "Q5816"),
        ("china", "wikidata", "Q148"),
        ("north-korea", "wikidata", "Q423"),
        ("south-korea", "wikidata", "Q884"),
        ("soviet-union", "wikidata", "Q15180"),
        ("united-states", "wikidata", "Q30"),
    }


def test_entries_carry_kind_ref_and_english_label(registers: Registers) -> None:
    stalin = registers.entries["stalin"]
    assert (stalin.kind, stalin.ref, stalin.label) == ("person", "persons.xml#stalin", "Joseph Stalin")
    assert registers.entries["mao-zedong"].label == "Mao Zedong"
    assert registers.entries["beijing"].ref == "places.xml#beijing"
    assert registers.entries["rgaspi"].kind == "org"
    assert registers.entries["soviet-embassy-beijing"].ref == "organisations.xml#soviet-embassy-beijing"


# --- find_names on the sources -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Для Мао-Дзе-Дуна.",
            [("Мао-Дзе-Дуна", "mao-zedong", False)],
        ),
        (
            "В беседе с корейскими товарищами Филиппов и его друзья высказали мнение",
            [("Филиппов", "stalin", True)],
        ),
        ('Ф и л и п п о в".', [("Ф и л и п п о в", "stalin", True)]),
        ("F I L I P P O V [STALIN]", [("F I L I P P O V", "stalin", True), ("STALIN", "stalin", False)]),
        (
            "П Е К И Н\n\nКРАСОВСКОМУ для МАО ЦЗЕ-ДУНА",
            [
                ("П Е К И Н", "beijing", False),
                ("КРАСОВСКОМУ", "krasovsky", False),
                ("МАО ЦЗЕ-ДУНА", "mao-zedong", False),
            ],
        ),
        (
            "1. Тов. Сталину\n 2. Тов. Молотову\n 3. Тов. Вышинскому",
            [
                ("Сталину", "stalin", False),
                ("Молотову", "molotov", False),
                ("Вышинскому", "vyshinsky", False),
            ],
        ),
        ("Передано т.Булганину [из Сочи]", [("Булганину", "bulganin", False), ("Сочи", "sochi", False)]),
        (
            "Для немедленной передачи Мао Цзэдуну или Чжоу Эньлаю.",
            [("Мао Цзэдуну", "mao-zedong", False), ("Чжоу Эньлаю", "zhou-enlai", False)],
        ),
        ("ЧЖОУ ЭНЬ-ЛАЮ", [("ЧЖОУ ЭНЬ-ЛАЮ", "zhou-enlai", False)]),
        ("по поступившим ко мне сегодня сведениям из Москвы", [("Москвы", "moscow", False)]),
        ("приказ Ким Ир Сена об отводе частей", [("Ким Ир Сена", "kim-il-sung", False)]),
        ("путь в сторону 38 параллели", [("38 параллели", "parallel-38", False)]),
        ("обеспечить 38-параллель.Но", [("38-параллель", "parallel-38", False)]),
        ("в Северной и Южной Корее", [("Южной Корее", "south-korea", False)]),
        ("между Китаем и Кореей", [("Китаем", "china", False), ("Кореей", "korea", False)]),
        ("посоветовавщись с товарищем Филипповым.", [("Филипповым", "stalin", True)]),
        ("Для товарища ФИЛИППОВА.", [("ФИЛИППОВА", "stalin", True)]),
        (
            "Выпустил Плотников 14.У.50г. РОЩИН",
            [("Плотников", "plotnikov", False), ("РОЩИН", "roshchin", False)],
        ),
        ("в Управление Генштаба Сов. Армии", [("Генштаба Сов. Армии", "general-staff", False)]),
        ("в IV часть ОС ЦК ВКП(б)", [("ОС ЦК ВКП(б)", "special-department", False)]),
        ("МВД СССР\n\nИсход. № 8600", [("МВД СССР", "mfa-ussr", False)]),
        (
            "Ciphered Telegram No. 8600, Vyshinsky to Mao\nZedong",
            [
                ("Vyshinsky", "vyshinsky", False),
                ("Mao\nZedong", "mao-zedong", False),
            ],
        ),
        (
            "Destination: PEKING To Whom: SovAmbassador",
            [
                ("PEKING", "beijing", False),
                ("SovAmbassador", "soviet-embassy-beijing", False),
            ],
        ),
        (
            "To BEIJING, SOVIET AMBASSADOR",
            [
                ("BEIJING", "beijing", False),
                ("SOVIET AMBASSADOR", "soviet-embassy-beijing", False),
            ],
        ),
        (
            "Soviet Ambassador to China N.V. Roschin relays",
            [("China", "china", False), ("N.V. Roschin", "roshchin", False)],
        ),
        (
            "the landing of the U.S. troops at Jemulpo [Incheon]",
            [
                ("U.S.", "united-states", False),
                ("Jemulpo", "incheon", False),
                ("Incheon", "incheon", False),
            ],
        ),
        (
            "the 38th parallel in the region of Gaeseong [Kaesong].",
            [
                ("38th parallel", "parallel-38", False),
                ("Gaeseong", "kaesong", False),
                ("Kaesong", "kaesong", False),
            ],
        ),
        (
            "the Command of the Korean People's Army and the command of the Chinese volunteer units",
            [
                ("Korean People's Army", "kpa", False),
                ("Chinese volunteer units", "cpv", False),
            ],
        ),
        (
            "made available to CWIHP by the South Korean Embassy in Washington.",
            [
                ("CWIHP", "cwihp", False),
                ("South Korean Embassy in Washington", "rok-embassy-washington", False),
            ],
        ),
        (
            "The cable contains Stalin's personal response to Mao's 13 May telegram.",
            [
                ("Stalin", "stalin", False),
                ("Mao", "mao-zedong", False),
            ],
        ),
        (
            "to the IV Unit of the OS [Special Department]]\nVKP(b) CC Incoming",
            [
                ("OS", "special-department", False),
                ("Special Department", "special-department", False),
                ("VKP(b) CC", "vkpb-cc", False),
            ],
        ),
        (
            "Soviet Union (USSR), People's Republic of China (PRC), Korea",
            [
                ("Soviet Union", "soviet-union", False),
                ("USSR", "soviet-union", False),
                ("People's Republic of China", "china", False),
                ("PRC", "china", False),
                ("Korea", "korea", False),
            ],
        ),
    ],
)
def test_find_names_in_source_text(
    registers: Registers, text: str, expected: list[tuple[str, str, bool]]
) -> None:
    assert found(registers, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In a conversation with the Korean comrades",  # an adjective, not Korea
        "the Chinese government would make a final decision",
        "the situation of our Korean friends; the Koreans; the Chinese divisions",
        "Kim",  # a family name alone is not Kim Il Sung
        "the os and the un; a prc",  # abbreviations match only in capitals
        "The Soviet Ambassador said",  # a title in running text, not the telegraphic address
        "Maoist, Stalinist, Moscovite, Seoulite",
        "корейских товарищей, китайское правительство, китайско-советского договора",
        "Сталинград, пекинский, московский",
        "Making copies is prohibited",
        "ОСОБАЯ и О С О Б А Я",
    ],
)
def test_find_names_no_false_positives(registers: Registers, text: str) -> None:
    assert found(registers, text) == []


def test_find_names_matches_whole_words_only(registers: Registers) -> None:
    assert found(registers, "XStalin StalinX Stalin1 1Stalin") == []
    assert found(registers, "(Stalin)") == [("Stalin", "stalin", False)]


def test_find_names_sees_through_known_ocr_misreadings(registers: Registers) -> None:
    text = 'МИЛЮПОВ 14 июля"\n\n"Товарищ МАО ЦЭЕ-ДУН!'
    assert found(registers, text) == [("МИЛЮПОВ", "stalin", True), ("МАО ЦЭЕ-ДУН", "mao-zedong", False)]
    assert found(registers, "КРАСОВСКОМУ для МАО ЦЭЕ-ДУНА") == [
        ("КРАСОВСКОМУ", "krasovsky", False),
        ("МАО ЦЭЕ-ДУНА", "mao-zedong", False),
    ]
    assert found(registers, "БИЛИЦПОВ 14 июля") == [("БИЛИЦПОВ", "stalin", True)]


def test_find_names_offsets_are_in_the_given_text_after_a_length_changing_correction(tmp_path: Path) -> None:
    _write_register(
        tmp_path, "persons.xml", "listPerson", '<person xml:id="ivanov"><persName>Иванов</persName></person>'
    )
    _write_corrections(tmp_path, [("Ивнов", "Иванов"), ("копин", "копий")])
    registers = load_registers(tmp_path)
    text = "снятие копин; тов. Ивнов и Иванову"
    assert [(text[m.start : m.end], m.entry.key) for m in registers.find_names(text)] == [
        ("Ивнов", "ivanov"),
        ("Иванову", "ivanov"),
    ]


def test_russian_case_endings_are_a_rule_not_a_list(tmp_path: Path) -> None:
    _write_register(
        tmp_path,
        "persons.xml",
        "listPerson",
        '<person xml:id="petrov"><persName xml:lang="ru">Петров</persName></person>'
        '<person xml:id="zhukovsky"><persName xml:lang="ru">Жуковский</persName></person>'
        '<person xml:id="sokolova"><persName xml:lang="ru">Соколова</persName></person>',
    )
    registers = load_registers(tmp_path)
    text = (
        "Петрову, Петровым, ПЕТРОВА, Жуковскому, Жуковского, Соколовой, П е т р о в у; Петровский, Петровка"
    )
    assert [(text[m.start : m.end], m.entry.key) for m in registers.find_names(text)] == [
        ("Петрову", "petrov"),
        ("Петровым", "petrov"),
        ("ПЕТРОВА", "petrov"),
        ("Жуковскому", "zhukovsky"),
        ("Жуковского", "zhukovsky"),
        ("Соколовой", "sokolova"),
        ("П е т р о в у", "petrov"),
    ]


def test_a_form_in_capitals_matches_only_in_capitals(tmp_path: Path) -> None:
    _write_register(tmp_path, "organisations.xml", "listOrg", '<org xml:id="os"><orgName>OS</orgName></org>')
    registers = load_registers(tmp_path)
    assert [(m.start, m.end) for m in registers.find_names("the OS and the os, Os")] == [(4, 6)]


def test_longest_match_wins(registers: Registers) -> None:
    assert found(registers, "MFA USSR") == [("MFA USSR", "mfa-ussr", False)]
    assert found(registers, "Archive of the President of the Russian Federation") == [
        ("Archive of the President of the Russian Federation", "aprf", False)
    ]


def test_find_names_over_all_sources_is_fast(registers: Registers) -> None:
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    started = time.perf_counter()
    total = sum(len(registers.find_names(text)) for text in texts)
    assert time.perf_counter() - started < 1.0
    assert total > 200


# --- find_corrections ----------------------------------------------------------------------------------


def test_find_corrections_in_source_text(registers: Registers) -> None:
    text = "Далее товарищ Мао Цзе-дун уназал, что … лишь посоветовавщись с товарищем Филипповым."
    assert [(c.sic, c.corr) for c in registers.find_corrections(text)] == [
        ("уназал", "указал"),
        ("посоветовавщись", "посоветовавшись"),
    ]
    line = "МИЛЮПОВ 14 июля"
    assert registers.find_corrections(line) == [Correction(0, 7, "МИЛЮПОВ", "ФИЛИППОВ")]


def test_find_corrections_whole_words_and_exact_case_only(registers: Registers) -> None:
    assert registers.find_corrections("Снятие копий воспрещается; копинг; КОПИН; Милюпов") == []


def test_every_correction_is_met_in_a_source(registers: Registers) -> None:
    texts = "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)
    items = (
        parse(TEI_DIR / "corrections.xml")
        .getroot()
        .xpath("//t:list[@type='corrections']/t:item", namespaces=NS)
    )
    assert len(items) >= 8
    for item in items:
        sic = item.findtext("t:choice/t:sic", namespaces=NS)
        corr = item.find("t:choice/t:corr", NS)
        assert corr is not None and corr.get("resp") == "#edition"
        assert sic and corr.text and sic != corr.text
        assert [c.sic for c in registers.find_corrections(texts) if c.sic == sic], sic


# --- lookup --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Mao Zedong", "mao-zedong"),
        ("Cde. Filippov", "stalin"),
        ("Filippov [Stalin]", "stalin"),
        ("Filippov (Stalin)", "stalin"),
        ("Roshchin", "roshchin"),
        ("Roschin", "roshchin"),
        ("BEIJING", "beijing"),
        ("Peking", "beijing"),
        ("Comrade MAO ZEDONG", "mao-zedong"),
        ("General RIDGWAY", "ridgway"),
        ("Тов. Сталину", "stalin"),
        ("т.Булганину", "bulganin"),
        ("Krosovsky", "krasovsky"),
        ("Russian Presidential Archives", "aprf"),
        ("Wilson Center Digital Archive", "wilson-center"),
        ("History and Public Policy Program Digital Archive", "wilson-center"),
        ("СОВПОСОЛ", "soviet-embassy-beijing"),
    ],
)
def test_lookup(registers: Registers, name: str, key: str) -> None:
    entry = registers.lookup(name)
    assert entry is not None and entry.key == key


@pytest.mark.parametrize(
    "name", ["", "Kim", "Mao Zedong and Zhou Enlai", "Comrade", "Korean", "Stalin's office"]
)
def test_lookup_refuses_what_is_not_one_name(registers: Registers, name: str) -> None:
    assert registers.lookup(name) is None


def test_missing_registers_are_empty_not_an_error(tmp_path: Path) -> None:
    registers = load_registers(tmp_path / "absent")
    assert registers.entries == {}
    assert registers.find_names("Stalin") == []
    assert registers.find_corrections("МИЛЮПОВ") == []
    assert registers.lookup("Stalin") is None


# --- helpers -------------------------------------------------------------------------------------------

_HEADER = (
    "<teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt>"
    "<sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>"
)


def _write_register(directory: Path, filename: str, list_tag: str, content: str, attrs: str = "") -> None:
    (directory / filename).write_text(
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{_HEADER}<text><body><{list_tag}{attrs}>{content}</{list_tag}>'
        "</body></text></TEI>",
        encoding="utf-8",
    )


def _write_corrections(directory: Path, pairs: list[tuple[str, str]]) -> None:
    items = "".join(f"<item><choice><sic>{s}</sic><corr>{c}</corr></choice></item>" for s, c in pairs)
    _write_register(directory, "corrections.xml", "list", items, ' type="corrections"')
