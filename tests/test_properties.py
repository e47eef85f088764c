"""Properties of the converter (issue 7, item 3), with hypothesis: for random and mutated page exports the
converter raises nothing but `CablegramError`, and whatever it produces is well-formed TEI valid against
`schema/cablegram.rng`.

The inputs come from the mutation engine that `bench/fuzz.py` runs at scale (`bench/mutations.py`); here
hypothesis drives it through its own `randoms()`, so a failure shrinks to a short list of mutations.
Bounded: `max_examples` keeps the module well under 30 s, and the runs are derandomised so that the suite
gives the same answer every time.

Each bug the fuzzer found is written up in /work/notes/bugs.md with its minimal input, and that input is a
test below (a strict xfail while the bug is open). So that the properties keep guarding everything else
while a bug is open, they accept a failure only when it matches a pattern of `KNOWN_BUGS`.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bench.mutations import Outcome, Result, check_conversion, mutated_page, seed_texts
from cablegram import xmlio
from cablegram.config import EditionConfig
from cablegram.convert.registers import Registers
from cablegram.edition import Edition
from tests.conftest import REPO

SCHEMA = etree.RelaxNG(xmlio.parse(REPO / "schema" / "cablegram.rng"))  # compiled once per module

# Open bugs the fuzzer found, as patterns over a failure's detail: a failure matching one is not news.
# The fixed findings are regression tests below; add a pattern (with a strict-xfail test of its minimal
# input) for a new one, and remove it when the bug is fixed. None is open.
KNOWN_BUGS: tuple[re.Pattern[str], ...] = ()

BOUNDED = settings(
    max_examples=150,
    deadline=None,  # a long mutated page takes a second to convert
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def setup(registers: Registers, edition: Edition) -> tuple[Registers, EditionConfig]:
    return registers, edition.config


def run(data: bytes, setup: tuple[Registers, EditionConfig]) -> Result:
    registers, config = setup
    return check_conversion(data, registers, config, SCHEMA)


def assert_ok(result: Result, *, known: bool) -> None:
    if result.ok:
        return
    if known and any(bug.search(result.detail) for bug in KNOWN_BUGS):
        return
    raise AssertionError(f"{result.outcome}:\n{result.detail}")


# --- the properties ------------------------------------------------------------------------------------


@settings(BOUNDED, max_examples=250)
@given(rng=st.randoms(use_true_random=False))
def test_mutated_pages_never_crash_nor_write_invalid_tei(
    rng: random.Random, setup: tuple[Registers, EditionConfig]
) -> None:
    assert_ok(run(mutated_page(rng).encode("utf-8"), setup), known=True)


@BOUNDED
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=["Cs"]),  # surrogates cannot be written as UTF-8
        max_size=400,
    )
)
def test_random_text_never_crashes_nor_writes_invalid_tei(
    text: str, setup: tuple[Registers, EditionConfig]
) -> None:
    assert_ok(run(text.encode("utf-8"), setup), known=True)


@BOUNDED
@given(data=st.binary(max_size=400))
def test_random_bytes(data: bytes, setup: tuple[Registers, EditionConfig]) -> None:
    result = run(data, setup)
    assert result.outcome is not Outcome.CRASHED, result.detail
    assert_ok(result, known=True)


def test_the_real_sources_convert_into_valid_tei(setup: tuple[Registers, EditionConfig]) -> None:
    """The engine's starting points are sound: every unmutated source converts and validates."""
    assert len(seed_texts()) == 5
    for text in seed_texts():
        result = run(text.encode("utf-8"), setup)
        assert result.outcome is Outcome.CONVERTED, result.detail


def test_a_refusal_is_one_line(setup: tuple[Registers, EditionConfig]) -> None:
    result = run(b"\x00\x01binary", setup)
    assert result.outcome is Outcome.REFUSED and len(result.detail.splitlines()) == 1


# --- the fuzzer's findings, minimal inputs (each written up in /work/notes/bugs.md) ---------------------


@pytest.mark.parametrize("text", ["\uffffБИЛИЦПОВ", "Text \ufffe here."])
def test_non_characters_are_refused_or_dropped(text: str, setup: tuple[Registers, EditionConfig]) -> None:
    assert_ok(run(text.encode("utf-8"), setup), known=False)


def test_repeated_source_term_in_two_translations_gives_unique_ids(
    setup: tuple[Registers, EditionConfig],
) -> None:
    text = (
        "!\nИсполнение телеграфьте.\n\nfulfillment [ispolneniie telegraf'te].\n\nconversation.\n\n"
        "[Stalin].\"\n\nfulfillment [ispolneniie telegraf'te]."
    )
    assert_ok(run(text.encode("utf-8"), setup), known=False)


def test_url_with_a_bracket_gives_a_valid_ptr(setup: tuple[Registers, EditionConfig]) -> None:
    assert_ok(run(b"Some text.\n\nhttps://x.org/a]/document/115976", setup), known=False)


def test_url_with_a_bracket_in_the_host_gives_a_valid_ptr(setup: tuple[Registers, EditionConfig]) -> None:
    assert_ok(run(b"to\n\n<https://x.org[Note:\nSummary:\ntext\n\nbody", setup), known=False)


@pytest.mark.parametrize(
    "text", ["For Cde. Filippov.\n\nAuthenticated:\nRoshchin", "Для товарища ФИЛИППОВА.\n\nВерно:\nРОЩИН"]
)
def test_address_then_closer_gives_valid_tei(text: str, setup: tuple[Registers, EditionConfig]) -> None:
    assert_ok(run(text.encode("utf-8"), setup), known=False)


@pytest.mark.parametrize(
    "text",
    ['"Cde\n\n[...]\n\nFILIPPOV 14 July"', 'For Mao Zedong.\n\n"Cde. Mao Zedong!\n\n[...]\n\nFilippov."'],
)
def test_quoted_message_of_a_gap_only_gives_valid_tei(
    text: str, setup: tuple[Registers, EditionConfig]
) -> None:
    assert_ok(run(text.encode("utf-8"), setup), known=False)


def test_engine_is_reproducible() -> None:
    assert mutated_page(random.Random("x:1")) == mutated_page(random.Random("x:1"))
    assert mutated_page(random.Random("x:1")) != mutated_page(random.Random("x:2"))
