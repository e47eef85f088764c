"""`cablegram.validate`: one case file per rule, every schema gives the same verdicts, the corpus is valid."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from cablegram.diagnostics import CablegramError, Severity
from cablegram.validate import is_valid, iter_diagnostics, validate
from cablegram.validate.crossrefs import bcp47_problem, parse_date
from cablegram.validate.report import format_summary, to_json

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "validate"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"
TEI = ROOT / "tei"
SCHEMA = ROOT / "schema"
JING = shutil.which("jing")

VALID_FILES = sorted(VALID.glob("*.xml"))
INVALID_FILES = sorted(INVALID.glob("*.invalid.xml"))
_HEADER = re.compile(r"<!-- rule: (?P<rule>\S+) line: (?P<line>\d+)(?: as: (?P<as>\S+))?")


def header(path: Path) -> dict[str, str]:
    """The first-line comment of a case file: rule, expected line, and the name to validate it under."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        text = data.decode("utf-8", errors="replace")
        if "\ufffd" in text[:200]:
            text = data.decode("cp1251")
    match = _HEADER.search("\n".join(text.splitlines()[:2]))
    assert match, f"{path.name}: no '<!-- rule: … line: … -->' comment on its first lines"
    root_id = re.search(r'<TEI[^>]*xml:id="([^"]+)"', text)
    name = match.group("as") or (f"{root_id.group(1)}.xml" if root_id else "wc-900002.xml")
    return {"rule": match.group("rule"), "line": match.group("line"), "as": name}


def place(path: Path, directory: Path) -> Path:
    target = directory / header(path)["as"]
    shutil.copyfile(path, target)
    return target


# --- the case files --------------------------------------------------------------------------------


def test_there_are_enough_cases() -> None:
    assert len(INVALID_FILES) >= 40
    assert len({header(p)["rule"] for p in INVALID_FILES}) >= 40


def test_valid_fixtures_are_valid() -> None:
    problems = list(iter_diagnostics([], tei_dir=VALID))
    assert problems == [], "\n".join(d.format() for d in problems)


@pytest.mark.parametrize("case", INVALID_FILES, ids=lambda p: p.name.removesuffix(".invalid.xml"))
def test_invalid_fixture_rejected_with_rule_and_line(case: Path, tmp_path: Path) -> None:
    expected = header(case)
    path = place(case, tmp_path)
    problems = [d for d in iter_diagnostics([path], tei_dir=VALID) if d.severity is Severity.ERROR]
    found = {(d.rule, d.line) for d in problems}
    report = "\n".join(d.format() for d in problems)
    assert (expected["rule"], int(expected["line"])) in found, report
    assert {d.line for d in problems} == {int(expected["line"])}, f"errors off the expected line:\n{report}"


def test_diagnostic_format_and_column(tmp_path: Path) -> None:
    path = place(INVALID / "value-closed-list.supplied-reason.invalid.xml", tmp_path)
    [problem] = list(iter_diagnostics([path], tei_dir=VALID))
    line = path.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith("reason=")
    assert problem.format().startswith(f"{path}:{problem.line}:{problem.column}: error: [value-closed-list] ")
    assert '"identity"' in problem.message and "identification" in problem.message


def test_grammar_errors_name_the_expected_elements(tmp_path: Path) -> None:
    path = place(INVALID / "rng-element-order.missing-title.invalid.xml", tmp_path)
    [problem] = list(iter_diagnostics([path], tei_dir=VALID))
    assert "expected here: title" in problem.message


def test_xml_model_missing_is_a_warning(tmp_path: Path) -> None:
    text = (VALID / "wc-900001.xml").read_text(encoding="utf-8")
    path = tmp_path / "wc-900001.xml"
    path.write_text(
        "\n".join(line for line in text.splitlines() if "xml-model" not in line), encoding="utf-8"
    )
    problems = list(iter_diagnostics([path], tei_dir=VALID))
    assert [(d.rule, d.severity) for d in problems] == [("xml-model", Severity.WARNING)]
    assert is_valid([path], tei_dir=VALID)


def test_validate_raises_with_all_diagnostics(tmp_path: Path) -> None:
    paths = [place(INVALID / name, tmp_path) for name in ("date-iso.invalid.xml",)]
    with pytest.raises(CablegramError) as caught:
        validate(paths, tei_dir=VALID)
    assert [d.rule for d in caught.value.diagnostics] == ["date-iso"]
    assert not is_valid(paths, tei_dir=VALID)
    validate([VALID / "wc-115976.xml"], tei_dir=VALID)


def test_summary_and_json() -> None:
    assert format_summary([], 5) == "5 files: all valid"
    problems = list(iter_diagnostics([INVALID / "empty-p.invalid.xml"], tei_dir=VALID))
    summary = format_summary(problems, 2)
    assert summary.startswith("2 files, 1 invalid: ") and "error" in summary
    assert json.loads(to_json(problems))[0]["rule"] in {"empty-p", "filename-id"}


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1950", True),
        ("1950-05", True),
        ("1950-05-14", True),
        ("1950-02-29", False),
        ("1952-02-29", True),
        ("1950-13", False),
        ("1950-05-14T04:10:00", True),
        ("1950-05-14T25:00", False),
        ("14/V 1950", False),
    ],
)
def test_iso_dates(value: str, ok: bool) -> None:
    assert parse_date(value) is ok


@pytest.mark.parametrize(
    ("tag", "ok"),
    [
        ("en", True),
        ("ru-Latn", True),
        ("zh-Hant-TW", True),
        ("x-private", True),
        ("i-klingon", True),
        ("en-a", False),
        ("ru_RU", False),
        ("ru-1901-1901", False),
        ("en--gb", False),
    ],
)
def test_bcp47(tag: str, ok: bool) -> None:
    assert (bcp47_problem(tag) == "") is ok


# --- the schemas agree ----------------------------------------------------------------------------------

GRAMMAR_RULES = {
    "rng-unknown-element", "rng-element-not-allowed", "rng-element-order", "rng-missing-element",
    "rng-text-not-allowed", "rng-unknown-attribute", "rng-datatype", "rng-id", "rng-namespace",
    "value-closed-list",
}  # fmt: skip


def _cases_in_scope(rules: set[str]) -> list[Path]:
    return [p for p in INVALID_FILES if header(p)["rule"] in rules]


@pytest.fixture(scope="session")
def xsd() -> object:
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema10(
        str(SCHEMA / "cablegram.xsd"), base_url=str(SCHEMA), defuse="always", allow="sandbox"
    )


def _lxml_tree(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, collect_ids=False))


AGREEMENT = VALID_FILES + _cases_in_scope(GRAMMAR_RULES)


@pytest.fixture(scope="session")
def jing_verdicts() -> dict[str, bool]:
    """jing's verdict on every file of the agreement corpus, in one JVM run."""
    if JING is None:
        pytest.skip("Debian's jing is not installed (make test installs it)")
    result = subprocess.run(
        [JING, str(SCHEMA / "cablegram.rng"), *map(str, AGREEMENT)], capture_output=True, text=True
    )
    failing = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    return {str(p): str(p) not in failing for p in AGREEMENT}


@pytest.mark.parametrize("path", AGREEMENT, ids=lambda p: p.name)
def test_rng_xsd_and_jing_agree(path: Path, xsd: object, jing_verdicts: dict[str, bool]) -> None:
    from cablegram.validate.grammar import cablegram_rng

    valid = path.parent == VALID
    tree = _lxml_tree(path)
    assert cablegram_rng().validate(tree) is valid, "RELAX NG (libxml2)"
    assert xsd.is_valid(tree) is valid, "XSD (xmlschema)"  # type: ignore[attr-defined]
    assert jing_verdicts[str(path)] is valid, "RELAX NG (jing)"


@pytest.mark.parametrize("path", VALID_FILES + INVALID_FILES, ids=lambda p: p.name)
def test_schematron_scope(path: Path) -> None:
    """Schematron fails exactly the cases of its own rules (on grammatical documents), and no valid file."""
    from cablegram.validate.grammar import Positions
    from cablegram.validate.schematron import check, compiled

    rule = header(path)["rule"] if path.parent == INVALID else ""
    sch = etree.parse(str(SCHEMA / "cablegram.sch"))
    sch_rules = {a.get("id") for a in sch.iter("{http://purl.oclc.org/dsdl/schematron}assert")}
    compiled()
    try:
        tree = _lxml_tree(path)
    except (etree.XMLSyntaxError, OSError):
        pytest.skip("not well-formed: outside Schematron's scope")
    if tree.docinfo.internalDTD is not None or rule.startswith("xml-"):
        pytest.skip("refused before validation")
    errors = {d.rule for d in check(tree, str(path), Positions(path.read_text("utf-8"), tree))}
    errors.discard("xml-model")
    if rule in sch_rules:
        assert errors == {rule}
    elif rule in GRAMMAR_RULES or not rule:
        assert errors <= ({"lang-declared"} if rule == "rng-namespace" else set()), errors


# --- conformance: tei_all, and the real corpus ----------------------------------------------------------


def test_tei_all_is_the_named_release() -> None:
    head = (SCHEMA / "tei_all.rng").read_text(encoding="utf-8")[:2000]
    assert "TEI Edition: Version\xa04.3.0" in head
    assert "4.3.0" in (SCHEMA / "TEI-LICENCE.txt").read_text(encoding="utf-8")


@pytest.mark.skipif(JING is None, reason="Debian's jing is not installed (make test installs it)")
def test_jing_valid_fixtures_against_both_schemas() -> None:
    for schema in ("cablegram.rng", "tei_all.rng"):
        result = subprocess.run(
            [JING, str(SCHEMA / schema), *map(str, VALID_FILES)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout


CORPUS = sorted(TEI.glob("*.xml"))


@pytest.mark.skipif(not CORPUS, reason="tei/ is empty")
def test_corpus_is_valid() -> None:
    problems = [d for d in iter_diagnostics([], tei_dir=TEI) if d.severity is Severity.ERROR]
    assert problems == [], "\n".join(d.format() for d in problems)


@pytest.mark.skipif(not CORPUS or JING is None, reason="tei/ is empty or jing is not installed")
@pytest.mark.parametrize("schema", ["cablegram.rng", "tei_all.rng"])
def test_corpus_valid_under_jing(schema: str) -> None:
    result = subprocess.run([JING, str(SCHEMA / schema), *map(str, CORPUS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_tei_all_option_reports_conformance(tmp_path: Path) -> None:
    """--tei-all: the official grammar (compiled once per process) runs too, with its own rule id."""
    path = place(INVALID / "rng-unknown-element.invalid.xml", tmp_path)
    rules = {d.rule for d in iter_diagnostics([path], tei_dir=VALID, tei_all=True)}
    assert rules == {"rng-unknown-element", "tei-all"}
    assert list(iter_diagnostics(VALID_FILES, tei_dir=VALID, tei_all=True)) == []


WARNING_FILES = sorted(INVALID.glob("*.warning.xml"))


@pytest.mark.parametrize("case", WARNING_FILES, ids=lambda p: p.name.removesuffix(".warning.xml"))
def test_warning_fixture_warns_with_rule_and_line(case: Path, tmp_path: Path) -> None:
    """Worth a look but not a failed build: a letter may cite a date long before it (date-span); a
    [signature] may stand outside a recognised signature block (gap-signature-in-signed)."""
    expected = header(case)
    found = list(iter_diagnostics([place(case, tmp_path)], tei_dir=VALID))
    assert [(d.rule, d.severity, d.line) for d in found] == [
        (expected["rule"], Severity.WARNING, int(expected["line"]))
    ]
