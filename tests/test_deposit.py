"""The deposit package (issue 6): bag, DataCite, CMIF, teiCorpus, --verify.

The package is built once per module from the bundled edition's sources, converted into a scratch edition;
each test that breaks something breaks a copy (STYLE.md §8: break a known-good artefact, assert the error).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import uuid
import zipfile
import zlib
from pathlib import Path

import bagit
import pytest
from lxml import etree

from cablegram import xmlio
from cablegram.convert.run import convert_sources
from cablegram.deposit import DepositResult, build_deposit, package_name, resolve_date, verify_deposit
from cablegram.deposit import cmif as cmif_module
from cablegram.deposit.cmif import bibl_id, check_cmif
from cablegram.deposit.corpus import check_corpus
from cablegram.deposit.datacite import check_datacite, doi_of, spdx_licence
from cablegram.deposit.schematron import compile_to_xslt
from cablegram.diagnostics import CablegramError, Severity
from cablegram.edition import Edition

REPO = Path(__file__).resolve().parents[1]
SHARED_CMIF = REPO.parent / "shared" / "schemas" / "cmif"
NS = {"t": "http://www.tei-c.org/ns/1.0", "dc": "http://datacite.org/schema/kernel-4"}
DATE = "2026-11-30"
NAME = "korean-war-telegrams"
METADATA = ("metadata/datacite.xml", "metadata/cmif.xml", "metadata/.zenodo.json")


def _scratch_edition(root: Path) -> Edition:
    """A copy of the bundled edition with its sources converted into tei/."""
    root.mkdir()
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "tei", root / "tei")
    edition = Edition.open(root)
    report = convert_sources(edition, edition.sources(), edition.tei_dir, force=True)
    assert not report.failed, [d.format() for d in report.diagnostics]
    return edition


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Edition:
    return _scratch_edition(tmp_path_factory.mktemp("deposit") / "edition")


@pytest.fixture(scope="module")
def built(scratch: Edition) -> DepositResult:
    html = scratch.root / "build" / "html"
    (html / "assets").mkdir(parents=True)
    (html / "index.html").write_text("<!doctype html><title>edition</title>\n", encoding="utf-8")
    (html / "assets" / "edition.css").write_text("body { margin: 0 }\n", encoding="utf-8")
    result = build_deposit(
        scratch,
        scratch.documents(),
        scratch.root / "build" / "deposit",
        html_dir=html,
        pdf_dir=scratch.root / "build" / "pdf",
        date=DATE,
    )
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


@pytest.fixture
def bag(built: DepositResult) -> Path:
    assert built.bag_dir is not None
    return built.bag_dir


@pytest.fixture
def package_copy(built: DepositResult, tmp_path: Path) -> Path:
    """A copy of the whole package directory, free to break."""
    target = tmp_path / "deposit"
    shutil.copytree(built.package_dir, target)
    return target


# -- the bag ------------------------------------------------------------------------------------------


def test_layout_and_names(built: DepositResult) -> None:
    assert built.bag_dir == built.package_dir / NAME
    assert built.zip_path == built.package_dir / f"{NAME}.zip"
    # the cache of what the next deposit may take over lies beside the bag, never in it
    assert sorted(p.name for p in built.package_dir.iterdir()) == [".deposit-cache.json", NAME, f"{NAME}.zip"]
    assert package_name("urn:cablegram:korean-war-telegrams") == NAME
    assert package_name("https://doi.org/10.5281/zenodo.123") == "zenodo.123"
    assert package_name("") == "edition"


def test_bag_validates_with_bagit(bag: Path) -> None:
    loaded = bagit.Bag(str(bag))
    loaded.validate()  # raises on any problem
    assert (bag / "bagit.txt").read_bytes() == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    assert loaded.version_info == (1, 0)
    assert sorted(loaded.algorithms) == ["sha256", "sha512"]
    for kind in ("manifest", "tagmanifest"):
        for algorithm in ("sha256", "sha512"):
            assert (bag / f"{kind}-{algorithm}.txt").is_file()
    info = loaded.info
    assert info["Source-Organization"] == "cablegram"
    assert info["Contact-Email"] == "editors@example.org"
    assert info["External-Identifier"] == "urn:cablegram:korean-war-telegrams"
    assert info["External-Description"].startswith("A TEI P5 edition of Soviet ciphered telegrams")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["Bagging-Date"])
    assert info["Bag-Software-Agent"] == "cablegram 0.1.0"
    payload = [p for p in (bag / "data").rglob("*") if p.is_file()]
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"


def test_payload_holds_every_document_and_every_file_is_in_a_manifest(scratch: Edition, bag: Path) -> None:
    tei = bag / "data" / "tei"
    for path in [*scratch.documents(), *scratch.registers()]:
        assert (tei / path.name).read_bytes() == path.read_bytes(), path.name
    assert {p.name for p in scratch.documents()} == {
        "wc-110374.xml",
        "wc-113729.xml",
        "wc-114900.xml",
        "wc-115976.xml",
        "wc-117420.xml",
    }
    for name in ("cablegram.odd", "cablegram.rng", "cablegram.xsd", "cablegram.sch", "cablegram-corpus.rng"):
        assert (bag / "data" / "schema" / name).is_file(), name
    assert (bag / "data" / "html" / "index.html").is_file()
    assert (bag / "data" / "html" / "assets" / "edition.css").is_file()
    assert not (bag / "data" / "pdf").exists()  # no build/pdf: skipped
    assert (
        (bag / "data" / "README.txt")
        .read_text(encoding="utf-8")
        .startswith("Stalin, Mao and the Korean War: Ciphered Telegrams, 1950–1951\n")
    )
    assert "CC BY 4.0" in (bag / "data" / "LICENCE.txt").read_text(encoding="utf-8")
    listed: set[str] = set()
    for manifest in bag.glob("*manifest-sha256.txt"):
        listed |= {line.split(maxsplit=1)[1] for line in manifest.read_text(encoding="utf-8").splitlines()}
    files = {p.relative_to(bag).as_posix() for p in bag.rglob("*") if p.is_file()}
    assert files - listed == {"tagmanifest-sha256.txt", "tagmanifest-sha512.txt"}
    assert set(METADATA) <= listed


def test_one_changed_payload_byte_fails_bagit_and_verify(package_copy: Path) -> None:
    bag = package_copy / NAME
    target = bag / "data" / "tei" / "wc-115976.xml"
    data = bytearray(target.read_bytes())
    position = data.index(b"Vyshinsky")
    data[position] = ord("W")
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError) as raised:
        bagit.Bag(str(bag)).validate()
    mismatches = [d for d in raised.value.details if isinstance(d, bagit.ChecksumMismatch)]
    assert sorted((d.path, d.algorithm) for d in mismatches) == [
        ("data/tei/wc-115976.xml", "sha256"),
        ("data/tei/wc-115976.xml", "sha512"),
    ]
    problems = verify_deposit(package_copy, display="pkg")
    checksum = [d for d in problems if d.rule == "bag-checksum"]
    assert [d.path for d in checksum] == [f"pkg/{NAME}/data/tei/wc-115976.xml"] * 2
    assert sorted(d.message.split(" validation failed")[0] for d in checksum) == [
        "data/tei/wc-115976.xml sha256",
        "data/tei/wc-115976.xml sha512",
    ]
    zipped = [d for d in problems if d.rule == "zip-mismatch"]
    assert [d.message for d in zipped] == ["data/tei/wc-115976.xml differs between the bag and the zip"]


def test_verify_reports_unlisted_and_missing_files(package_copy: Path) -> None:
    bag = package_copy / NAME
    (bag / "metadata" / "notes.txt").write_text("not in any manifest\n", encoding="utf-8")
    (bag / "data" / "tei" / "stray.xml").write_text("<x/>\n", encoding="utf-8")
    (bag / "data" / "LICENCE.txt").unlink()
    problems = verify_deposit(bag, display="bag")
    found = {(d.rule, d.path) for d in problems if d.rule.startswith("bag-")}
    assert ("bag-unlisted", "bag/metadata/notes.txt") in found
    assert ("bag-unlisted", "bag/data/tei/stray.xml") in found
    assert ("bag-missing", "bag/data/LICENCE.txt") in found


def test_verify_accepts_the_package_or_the_bag_and_finds_nothing(built: DepositResult) -> None:
    assert built.bag_dir is not None
    assert verify_deposit(built.package_dir) == []
    assert verify_deposit(built.bag_dir) == []


def test_verify_of_a_directory_without_a_bag(tmp_path: Path) -> None:
    [problem] = verify_deposit(tmp_path, display="x")
    assert problem.rule == "deposit-missing"
    assert problem.message.startswith("no BagIt bag here")


def _infolist(archive: zipfile.ZipFile) -> list[tuple[str, int, int, int, int, int]]:
    """What ziparchive.central_directory reads of each entry, as zipfile reads it."""
    return [
        (i.filename, i.header_offset, i.compress_size, i.compress_type, i.CRC, i.file_size)
        for i in archive.infolist()
    ]


def test_zip_holds_the_bag(built: DepositResult) -> None:
    from cablegram.deposit.ziparchive import central_directory

    assert built.zip_path is not None and built.bag_dir is not None
    assert central_directory(built.zip_path.read_bytes()[:-1]) is None  # not a zip: no end record
    with zipfile.ZipFile(built.zip_path) as archive:
        assert central_directory(built.zip_path.read_bytes()) == _infolist(archive)
        names = sorted(archive.namelist())
        cmif = (built.bag_dir / "metadata" / "cmif.xml").read_bytes()
        assert archive.read(f"{NAME}/metadata/cmif.xml") == cmif
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 30, 0, 0, 0)}
    files = sorted(
        f"{NAME}/{p.relative_to(built.bag_dir).as_posix()}" for p in built.bag_dir.rglob("*") if p.is_file()
    )
    assert names == files


# -- DataCite -------------------------------------------------------------------------------------------


def test_datacite_is_valid_and_complete(bag: Path) -> None:
    data = (bag / "metadata" / "datacite.xml").read_bytes()
    assert check_datacite(data, "datacite.xml") == []
    root = etree.fromstring(data)

    def texts(path: str) -> list[str]:
        return [e.text or "" for e in root.iterfind(path, NS)]

    assert texts("dc:identifier") == ["urn:cablegram:korean-war-telegrams"]
    assert root.find("dc:identifier", NS).get("identifierType") == "URN"
    assert texts("dc:creators/dc:creator/dc:creatorName") == ["cablegram editorial team"]
    assert texts("dc:titles/dc:title") == ["Stalin, Mao and the Korean War: Ciphered Telegrams, 1950–1951"]
    assert texts("dc:publisher") == ["cablegram"]
    assert texts("dc:publicationYear") == ["2026"]
    assert root.find("dc:resourceType", NS).get("resourceTypeGeneral") == "Dataset"
    assert texts("dc:language") == ["en"]
    assert texts("dc:dates/dc:date") == [DATE, "1950-05-14/1951-07-14"]
    assert "Korean War" in texts("dc:subjects/dc:subject")
    stalin = root.find("dc:subjects/dc:subject[@valueURI='http://www.wikidata.org/entity/Q855']", NS)
    assert stalin is not None and stalin.text == "Joseph Stalin"
    assert texts("dc:relatedIdentifiers/dc:relatedIdentifier") == [
        f"https://digitalarchive.wilsoncenter.org/document/{n}"
        for n in (110374, 113729, 114900, 115976, 117420)
    ]
    assert {e.get("relationType") for e in root.iterfind("dc:relatedIdentifiers/*", NS)} == {"IsDerivedFrom"}
    rights = root.find("dc:rightsList/dc:rights", NS)
    assert rights.get("rightsIdentifier") == "CC-BY-4.0"
    assert rights.get("rightsURI") == "https://creativecommons.org/licenses/by/4.0/"
    assert [e.get("descriptionType") for e in root.iterfind("dc:descriptions/dc:description", NS)] == [
        "Abstract",
        "TableOfContents",
        "TechnicalInfo",
    ]
    assert "text/html" in texts("dc:formats/dc:format")


def test_broken_datacite_is_reported_with_its_line(bag: Path) -> None:
    data = (bag / "metadata" / "datacite.xml").read_bytes()
    broken = data.replace(b'dateType="Issued"', b'dateType="Published"')
    [problem] = check_datacite(broken, "datacite.xml")
    assert problem.rule == "datacite-xsd"
    assert problem.line == broken[: broken.index(b"Published")].count(b"\n") + 1
    assert "'Published'" in problem.message and "dateType" in problem.message
    missing = re.sub(rb"\s*<publicationYear>2026</publicationYear>", b"", data)
    [problem] = check_datacite(missing, "datacite.xml")
    assert "publicationYear" in problem.message


@pytest.mark.parametrize("check", [check_datacite, check_cmif])
def test_hostile_metadata_is_refused_by_the_safe_parser(check: object) -> None:
    hostile = (
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<resource xmlns="http://datacite.org/schema/kernel-4">&x;</resource>\n'
    )
    assert callable(check)
    [problem] = check(hostile, "metadata/hostile.xml")
    assert problem.format() == (
        "metadata/hostile.xml:1:1: error: [no-dtd] document type declarations are "
        "not accepted; remove the <!DOCTYPE …>"
    )


def test_zenodo_json(bag: Path) -> None:
    record = json.loads((bag / "metadata" / ".zenodo.json").read_text(encoding="utf-8"))
    assert record["upload_type"] == "dataset"
    assert record["license"] == "cc-by-4.0"
    assert record["publication_date"] == DATE
    assert record["language"] == "eng"
    assert record["creators"] == [{"name": "cablegram editorial team"}]
    assert record["keywords"] == ["Korean War", "Sino-Soviet relations"]


def test_identifier_and_licence_helpers() -> None:
    assert doi_of("https://doi.org/10.5281/zenodo.42") == "10.5281/zenodo.42"
    assert doi_of("doi:10.1000/xyz") == "10.1000/xyz"
    assert doi_of("urn:cablegram:x") is None
    assert spdx_licence("CC BY 4.0") == "CC-BY-4.0"
    assert spdx_licence("CC BY-NC-SA 4.0") == "CC-BY-NC-SA-4.0"
    assert spdx_licence("CC0 1.0") == "CC0-1.0"
    assert spdx_licence("All rights reserved") is None


# -- CMIF -----------------------------------------------------------------------------------------------


@pytest.fixture
def cmif(bag: Path) -> bytes:
    return (bag / "metadata" / "cmif.xml").read_bytes()


def test_cmif_valid_against_the_official_rng_with_jing(bag: Path) -> None:
    jing = shutil.which("jing")
    assert jing, "Debian's jing is needed for this test: apt-get install jing"
    rng = SHARED_CMIF / "cmi-customization.rng" if SHARED_CMIF.is_dir() else cmif_module.RNG_PATH
    done = subprocess.run(
        [jing, str(rng), str(bag / "metadata" / "cmif.xml")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_cmif_satisfies_cmif_sch_and_lxml_rng(cmif: bytes) -> None:
    assert check_cmif(cmif, "cmif.xml") == []


def test_shipped_cmif_schema_is_the_official_one() -> None:
    if not SHARED_CMIF.is_dir():
        pytest.skip("../shared/schemas/cmif is not beside this checkout")
    for name in ("cmi-customization.rng", "cmif.sch"):
        assert (cmif_module.SCHEMA_DIR / name).read_bytes() == (SHARED_CMIF / name).read_bytes(), name


def test_cmif_content(cmif: bytes) -> None:
    root = etree.fromstring(cmif)
    bibl = root.find(".//t:sourceDesc/t:bibl", NS)
    bibl_uuid = bibl.get("{http://www.w3.org/XML/1998/namespace}id")
    assert str(uuid.UUID(bibl_uuid)) == bibl_uuid and bibl_uuid[0].isalpha()
    assert bibl.get("type") == "online"
    assert "intermediary" in "".join(bibl.find("t:note", NS).itertext())
    assert root.find(".//t:publicationStmt/t:idno", NS).get("type") == "url"
    descs = {d.get("ref"): d for d in root.iterfind(".//t:correspDesc", NS)}
    assert sorted(descs) == [
        f"https://example.org/cablegram/{i}.html"
        for i in ("wc-110374", "wc-113729", "wc-114900", "wc-115976", "wc-117420")
    ]
    assert {d.get("source") for d in descs.values()} == {f"#{bibl_uuid}"}
    # Filippov is exported as Stalin, with Stalin's authority URI.
    sent = descs["https://example.org/cablegram/wc-110374.html"].find("t:correspAction[@type='sent']", NS)
    [person] = sent.iterfind("t:persName", NS)
    assert (person.text, person.get("ref")) == ("Joseph Stalin", "http://www.wikidata.org/entity/Q855")
    assert sent.find("t:date", NS).get("when") == "1951-06-30"
    # The intermediary (Roshchin) is left out and named in a note.
    via = descs["https://example.org/cablegram/wc-113729.html"]
    assert {a.get("type") for a in via.iterfind("t:correspAction", NS)} == {"sent", "received"}
    assert "Roshchin" not in "".join(t for a in via.iterfind("t:correspAction", NS) for t in a.itertext())
    assert via.find("t:note", NS).text.startswith("Transmitted via N. V. Roshchin.")
    # A person without a verified authority identifier has no @ref.
    vyshinsky = descs["https://example.org/cablegram/wc-115976.html"].find(".//t:persName", NS)
    assert (vyshinsky.text, vyshinsky.get("ref")) == ("Andrey Vyshinsky", None)
    # Dates are days, never times.
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.get("when")) for d in root.iterfind(".//t:date", NS))


def _cmif_rule(data: bytes, rule: str) -> list[tuple[int, Severity]]:
    return [(d.line, d.severity) for d in check_cmif(data, "cmif.xml") if d.rule == rule]


def _line_of(data: bytes, needle: bytes, occurrence: int = 0) -> int:
    position = -1
    for _ in range(occurrence + 1):
        position = data.index(needle, position + 1)
    return data[:position].count(b"\n") + 1


# Each rule of cmif.sch, broken once on a copy of the real file (the rules are run through saxonche, and
# these cases show that each one of them fires, on the right line, with its severity).
def test_cmif_sch_E0001_sent_required(cmif: bytes) -> None:
    broken = cmif.replace(b'<correspAction type="sent">', b'<correspAction type="received">', 1)
    assert _cmif_rule(broken, "cmif-E0001") == [(_line_of(broken, b"<correspDesc "), Severity.ERROR)]


def test_cmif_sch_E0002_received_required(cmif: bytes) -> None:
    broken = cmif.replace(b'<correspAction type="received">', b'<correspAction type="sent">', 1)
    assert _cmif_rule(broken, "cmif-E0002") == [(_line_of(broken, b"<correspDesc "), Severity.ERROR)]


def test_cmif_sch_E0003_source_must_point_at_the_bibl(cmif: bytes) -> None:
    broken = re.sub(rb'source="#[^"]+"', b'source="#nowhere"', cmif, count=1)
    assert _cmif_rule(broken, "cmif-E0003") == [(_line_of(broken, b"<correspDesc "), Severity.ERROR)]


def test_cmif_sch_E0004_date_needs_a_dating_attribute(cmif: bytes) -> None:
    broken = cmif.replace(b'<date when="1950-05-14"/>', b"<date/>", 1)
    assert _cmif_rule(broken, "cmif-E0004") == [(_line_of(broken, b"<date/>"), Severity.ERROR)]


def test_cmif_sch_W0001_bibl_id_should_be_a_uuid(cmif: bytes) -> None:
    bibl_uuid = re.search(rb'<bibl type="online" xml:id="([^"]+)"', cmif).group(1)
    broken = cmif.replace(bibl_uuid, b"edition")
    assert _cmif_rule(broken, "cmif-W0001") == [(_line_of(broken, b"<bibl "), Severity.WARNING)]


def test_cmif_rng_errors_are_reported(cmif: bytes) -> None:
    broken = cmif.replace(b'<idno type="url">', b'<idno type="URI">')
    problems = [d for d in check_cmif(broken, "cmif.xml") if d.rule == "cmif-rng"]
    assert problems and problems[0].line == _line_of(broken, b'<idno type="URI">')


def test_schematron_runner_refuses_what_it_does_not_implement(tmp_path: Path) -> None:
    schema = tmp_path / "phases.sch"
    schema.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">\n'
        '  <phase id="p"/>\n</schema>\n',
        encoding="utf-8",
    )
    with pytest.raises(CablegramError) as raised:
        compile_to_xslt(xmlio.parse(schema), str(schema))
    [problem] = raised.value.diagnostics
    assert (problem.line, problem.rule) == (2, "schematron-unsupported")
    assert "<phase>" in problem.message


def test_bibl_id_is_stable_and_starts_with_a_letter(scratch: Edition) -> None:
    first = bibl_id(scratch.config)
    assert first == bibl_id(scratch.config) == "c08c73b6-7247-5300-a912-aedb0bd36e9d"


# -- the teiCorpus ------------------------------------------------------------------------------------


def test_corpus_is_valid_and_complete(bag: Path) -> None:
    corpus = bag / "data" / "tei" / "corpus.xml"
    assert check_corpus(corpus, bag / "data" / "schema", "corpus.xml") == []
    jing = shutil.which("jing")
    assert jing
    done = subprocess.run(
        [jing, str(bag / "data" / "schema" / "cablegram-corpus.rng"), str(corpus)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout
    root = etree.parse(str(corpus)).getroot()
    assert root.tag == "{http://www.tei-c.org/ns/1.0}teiCorpus"
    members = [m.get("{http://www.w3.org/XML/1998/namespace}id") for m in root.iterfind("t:TEI", NS)]
    assert members == ["wc-110374", "wc-113729", "wc-114900", "wc-115976", "wc-117420"]
    assert root.find("t:teiHeader/t:fileDesc/t:titleStmt/t:title", NS).text.startswith("Stalin, Mao")
    # Recurring ids are prefixed, and the pointers follow them.
    [member] = root.xpath("t:TEI[@xml:id='wc-115976']", namespaces=NS)
    assert member.xpath(".//t:respStmt[@xml:id='wc-115976-archive']", namespaces=NS)
    resp = {s.get("resp") for s in member.iter("{http://www.tei-c.org/ns/1.0}supplied")}
    assert resp <= {"#wc-115976-archive", "#wc-115976-edition"} and resp
    assert member.find(".//t:catRef", NS).get("target").startswith("#wc-115976-cls-")


def test_broken_corpus_is_reported(tmp_path: Path, bag: Path) -> None:
    corpus = tmp_path / "corpus.xml"
    data = (bag / "data" / "tei" / "corpus.xml").read_bytes()
    corpus.write_bytes(re.sub(rb"<teiHeader>.*?</teiHeader>", b"", data, count=1, flags=re.S))
    problems = check_corpus(corpus, bag / "data" / "schema", "corpus.xml")
    assert problems and {d.rule for d in problems} == {"corpus-rng"}


def test_verify_runs_the_tei_validator_on_the_payload(package_copy: Path) -> None:
    bag = package_copy / NAME
    target = bag / "data" / "tei" / "wc-115976.xml"
    text = target.read_text(encoding="utf-8")
    target.write_text(
        text.replace("<abstract>", "<abstrakt>", 1).replace("</abstract>", "</abstrakt>", 1), encoding="utf-8"
    )
    line = text[: text.index("<abstract>")].count("\n") + 1
    problems = verify_deposit(bag, display="bag")
    tei = [d for d in problems if d.path == "bag/data/tei/wc-115976.xml" and not d.rule.startswith("bag-")]
    assert tei and tei[0].line == line and tei[0].rule.startswith("rng-"), [d.format() for d in tei]


# -- reproducibility, dates, safety ----------------------------------------------------------------------


def test_two_builds_give_identical_metadata(scratch: Edition, built: DepositResult, tmp_path: Path) -> None:
    again = build_deposit(scratch, scratch.documents(), tmp_path / "again", date=DATE)
    assert again.ok and again.bag_dir is not None and built.bag_dir is not None
    # The first build had a web edition: datacite.xml (formats) and README.txt (contents) say so.
    for name in ("metadata/cmif.xml", "metadata/.zenodo.json", "data/tei/corpus.xml", "data/LICENCE.txt"):
        assert (again.bag_dir / name).read_bytes() == (built.bag_dir / name).read_bytes(), name
    third = build_deposit(scratch, scratch.documents(), tmp_path / "third", date=DATE)
    assert third.bag_dir is not None
    for name in (*METADATA, "data/tei/corpus.xml", "data/README.txt", "data/LICENCE.txt"):
        assert (third.bag_dir / name).read_bytes() == (again.bag_dir / name).read_bytes(), name


def test_dates_come_from_the_inputs_not_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "a.xml"
    source.write_text("<a/>", encoding="utf-8")
    import os

    os.utime(source, (0, 946_684_800))  # 2000-01-01
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert resolve_date(None, [source]) == "2000-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert resolve_date(None, [source]) == "2023-11-14"
    assert resolve_date("1999-12-31", [source]) == "1999-12-31"
    with pytest.raises(CablegramError) as raised:
        resolve_date("2026-13-01", [source])
    assert raised.value.diagnostics[0].format() == (
        "--date:1:1: error: [deposit-date] '2026-13-01' is not a date of the form YYYY-MM-DD"
    )


def test_a_foreign_output_directory_is_never_replaced(scratch: Edition, tmp_path: Path) -> None:
    target = tmp_path / "home"
    target.mkdir()
    (target / "thesis.tex").write_text("precious\n", encoding="utf-8")
    with pytest.raises(CablegramError) as raised:
        build_deposit(scratch, scratch.documents(), target, date=DATE)
    assert raised.value.diagnostics[0].rule == "deposit-output"
    assert (target / "thesis.tex").read_text(encoding="utf-8") == "precious\n"


def test_a_failed_run_leaves_the_previous_package(
    scratch: Edition, package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sorted(
        (p.relative_to(package_copy).as_posix(), p.read_bytes())
        for p in package_copy.rglob("*")
        if p.is_file()
    )
    from cablegram import deposit
    from cablegram.diagnostics import error

    monkeypatch.setattr(
        deposit, "check_contents", lambda display, **_: [error(display, 1, 1, "boom", "test")]
    )
    result = build_deposit(scratch, scratch.documents(), package_copy, date="2030-01-01")
    assert not result.ok and result.bag_dir is None
    assert [d.message for d in result.diagnostics if d.rule == "test"] == ["boom"]
    after = sorted(
        (p.relative_to(package_copy).as_posix(), p.read_bytes())
        for p in package_copy.rglob("*")
        if p.is_file()
    )
    assert after == before
    assert [p.name for p in package_copy.parent.iterdir() if p.name.startswith(".")] == []


def test_no_documents_is_an_error(scratch: Edition, tmp_path: Path) -> None:
    result = build_deposit(scratch, [], tmp_path / "empty", date=DATE)
    assert not result.ok
    assert [d.rule for d in result.diagnostics] == ["deposit-empty"]
    assert not (tmp_path / "empty").exists()


# -- writing at scale: links, reuse, the zip ------------------------------------------------------------


def test_build_outputs_are_linked_and_sources_are_not(scratch: Edition, built: DepositResult) -> None:
    assert built.bag_dir is not None and built.report is not None
    html = scratch.root / "build" / "html"
    assert (built.bag_dir / "data" / "html" / "index.html").stat().st_ino == (
        html / "index.html"
    ).stat().st_ino
    # The TEI files of tei/ may be edited in place: the bag holds copies of them, never links.
    source = scratch.tei_dir / "wc-115976.xml"
    assert (built.bag_dir / "data" / "tei" / source.name).stat().st_ino != source.stat().st_ino
    assert built.report.linked == 2  # index.html and edition.css


def test_private_files_and_symbolic_links_are_copied_not_linked(scratch: Edition, tmp_path: Path) -> None:
    html = tmp_path / "html"
    html.mkdir()
    (html / "public.html").write_text("<p>public</p>\n", encoding="utf-8")
    (html / "public.html").chmod(0o644)
    (html / "private.html").write_text("<p>private</p>\n", encoding="utf-8")
    (html / "private.html").chmod(0o600)
    (tmp_path / "elsewhere.html").write_text("<p>elsewhere</p>\n", encoding="utf-8")
    (html / "pointer.html").symlink_to(tmp_path / "elsewhere.html")
    result = build_deposit(scratch, scratch.documents(), tmp_path / "out", html_dir=html, date=DATE)
    assert result.ok and result.bag_dir is not None and result.report is not None
    assert result.report.linked == 1
    placed = result.bag_dir / "data" / "html"
    assert (placed / "public.html").stat().st_ino == (html / "public.html").stat().st_ino
    for name in ("private.html", "pointer.html"):
        assert not (placed / name).is_symlink()
        assert (placed / name).stat().st_ino != (html / name).stat().st_ino, name
        assert (placed / name).stat().st_mode & 0o777 == 0o644, name
    assert (placed / "pointer.html").read_text(encoding="utf-8") == "<p>elsewhere</p>\n"
    assert verify_deposit(tmp_path / "out") == []


def test_zip_stores_what_is_compressed_already(scratch: Edition, tmp_path: Path) -> None:
    pdf = tmp_path / "pdf"
    pdf.mkdir()
    (pdf / "edition.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 64)
    html = tmp_path / "html"
    (html / "pagefind").mkdir(parents=True)
    (html / "pagefind" / "a.pf_fragment").write_bytes(b"\x1f\x8b\x08\x00" + b"z" * 4000)
    (html / "index.html").write_text("<p>edition</p>\n" * 200, encoding="utf-8")
    result = build_deposit(
        scratch, scratch.documents(), tmp_path / "out", html_dir=html, pdf_dir=pdf, date=DATE
    )
    assert result.ok and result.zip_path is not None
    with zipfile.ZipFile(result.zip_path) as archive:
        kinds = {i.filename.split("/", 1)[1]: i.compress_type for i in archive.infolist()}
        assert archive.testzip() is None
    assert kinds["data/pdf/edition.pdf"] == zipfile.ZIP_STORED
    assert kinds["data/html/pagefind/a.pf_fragment"] == zipfile.ZIP_STORED
    assert kinds["data/html/index.html"] == kinds["data/tei/wc-115976.xml"] == zipfile.ZIP_DEFLATED
    assert verify_deposit(tmp_path / "out") == []


def test_zip64_archive_is_read_by_zipfile_and_unzip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cablegram.deposit import ziparchive

    # Every size, offset and count "needs" Zip64: the records that a >4 GiB or >65,535-entry zip has.
    monkeypatch.setattr(ziparchive, "ZIP64_FROM", 0)
    monkeypatch.setattr(ziparchive, "ZIP64_COUNT_FROM", 0)
    path = tmp_path / "a.zip"
    files = {"top/a.txt": b"alpha\n" * 100, "top/b/é.txt": b"beta\n", "top/c.txt": b""}
    with ziparchive.ZipWriter(path, date="2026-11-30") as archive:
        for name, data in files.items():
            deflated = ziparchive.deflate(data)
            archive.add(name, method=ziparchive.DEFLATED, crc=zlib.crc32(data), size=len(data), data=deflated)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert {name: archive.read(name) for name in archive.namelist()} == files
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 30, 0, 0, 0)}
        assert ziparchive.central_directory(path.read_bytes()) == _infolist(archive)
    unzip = shutil.which("unzip")
    if unzip:
        done = subprocess.run([unzip, "-tq", str(path)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr


def test_zip_entries_copied_from_another_zip_are_the_entries_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cablegram.deposit import ziparchive

    files = {f"top/{n}.txt": f"file {n}\n".encode() * (n + 1) for n in range(6)}

    def write(path: Path) -> None:
        with ziparchive.ZipWriter(path, date=DATE) as archive:
            for name, data in files.items():
                deflated = ziparchive.deflate(data)
                archive.add(
                    name, method=ziparchive.DEFLATED, crc=zlib.crc32(data), size=len(data), data=deflated
                )

    write(tmp_path / "added.zip")
    source = (tmp_path / "added.zip").read_bytes()
    entries = ziparchive.central_directory(source)
    assert entries is not None
    runs = [
        [(e.name, e.method, e.crc, e.size, e.compressed) for e in entries[:2]],
        [(e.name, e.method, e.crc, e.size, e.compressed) for e in entries[2:]],
    ]
    starts = [entries[0].offset, entries[2].offset, source.index(b"PK\x01\x02")]
    copy_file_range = os.copy_file_range
    calls: list[int] = []

    def halfway(fd: int, out: int, count: int, offset: int) -> int:
        # copies a part of what it is asked for, then fails: the writer takes back what it copied
        calls.append(count)
        if len(calls) % 2 == 0:
            raise OSError(18, "cross-device")
        return copy_file_range(fd, out, max(1, count // 2), offset)

    for label, fake in (("kernel", None), ("fallback", halfway)):
        if fake is not None:
            monkeypatch.setattr(os, "copy_file_range", fake)
        with (
            (tmp_path / "added.zip").open("rb") as handle,
            ziparchive.ZipWriter(tmp_path / f"{label}.zip", date=DATE) as archive,
        ):
            for run, start, end in zip(runs, starts[:-1], starts[1:], strict=True):
                assert archive.copy(source[start:end], run, source=(handle.fileno(), start))
        assert (tmp_path / f"{label}.zip").read_bytes() == source, label
    assert calls  # the fake was called
    with ziparchive.ZipWriter(tmp_path / "other-date.zip", date="2026-12-01") as archive:
        assert not archive.copy(source[starts[0] : starts[1]], runs[0])  # another date: other headers


def test_manifests_of_the_previous_bag_are_read_as_bagit_writes_them() -> None:
    from cablegram.deposit.previous import _manifest

    assert _manifest("aa  data/a.txt\nbb  data/b c.txt\n") == {"data/a.txt": "aa", "data/b c.txt": "bb"}
    assert _manifest("aa  data/a%0Ab%0D.txt\n") == {"data/a\nb\r.txt": "aa"}
    assert _manifest("aa  data/a\u2028b.txt\n") == {"data/a\u2028b.txt": "aa"}  # a line break only in Unicode
    assert _manifest("") == {}


def test_rebuild_reuses_digests_of_unchanged_links_only(
    scratch: Edition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cablegram.deposit import bag as bag_module

    html = tmp_path / "html"
    html.mkdir()
    for name in ("a.html", "b.html"):
        (html / name).write_text(f"<p>{name}</p>\n", encoding="utf-8")
        (html / name).chmod(0o644)
        os.utime(html / name, ns=(0, 1_000_000_000))  # long before the first bag was begun
    out = tmp_path / "deposit"
    first = build_deposit(scratch, scratch.documents(), out, html_dir=html, date=DATE)
    assert first.ok and first.report is not None and first.report.reused == 0
    manifest = (out / NAME / "manifest-sha512.txt").read_bytes()
    archive = (out / f"{NAME}.zip").read_bytes()
    deflated: list[bytes] = []
    deflate = bag_module.deflate
    monkeypatch.setattr(bag_module, "deflate", lambda data: deflated.append(data) or deflate(data))
    again = build_deposit(scratch, scratch.documents(), out, html_dir=html, date=DATE)
    # Every file's digests are taken over: the links' by their inode, the files made or copied here by their
    # SHA-256; their zip entries are the previous zip's, not deflated again.
    assert again.ok and again.report is not None and again.report.reused == again.report.files == 23
    assert deflated and not {b"<p>a.html</p>\n", b"<p>b.html</p>\n"} & set(deflated)
    assert not [data for data in deflated if data.startswith(b"<?xml")]
    assert (out / NAME / "manifest-sha512.txt").read_bytes() == manifest
    assert (out / f"{NAME}.zip").read_bytes() == archive  # a reproducible zip
    # Written in place (the previous bag shares the inode, and now fails its check): computed again.
    with (html / "b.html").open("r+b") as handle:
        handle.write(b"<p>B")
    deflated.clear()
    third = build_deposit(scratch, scratch.documents(), out, html_dir=html, date=DATE)
    assert third.ok and third.report is not None and third.report.reused == third.report.files - 1
    assert b"<p>B.html</p>\n" in deflated
    assert (out / NAME / "data" / "html" / "b.html").read_bytes() == b"<p>B.html</p>\n"
    assert bagit.Bag(str(out / NAME)).validate()
    assert verify_deposit(out) == []


def test_caller_validated_documents_are_not_validated_again(scratch: Edition, tmp_path: Path) -> None:
    root = tmp_path / "edition"
    shutil.copytree(scratch.root, root, ignore=shutil.ignore_patterns("build"))
    edition = Edition.open(root)
    target = edition.tei_dir / "wc-115976.xml"
    target.write_text(
        target.read_text(encoding="utf-8")
        .replace("<abstract>", "<abstrakt>", 1)
        .replace("</abstract>", "</abstrakt>", 1),
        encoding="utf-8",
    )
    checked = build_deposit(edition, edition.documents(), tmp_path / "a", date=DATE)
    assert not checked.ok and not (tmp_path / "a").exists()
    assert {d.path for d in checked.diagnostics if d.rule.startswith("rng-")} == {"tei/wc-115976.xml"}
    trusted = build_deposit(edition, edition.documents(), tmp_path / "b", date=DATE, validated=True)
    assert trusted.ok
    assert [d.path for d in verify_deposit(tmp_path / "b", display="b") if d.rule.startswith("rng-")] == [
        f"b/{NAME}/data/tei/wc-115976.xml"
    ]


def test_corpus_prefixes_exactly_the_ids_that_recur(scratch: Edition) -> None:
    from cablegram.deposit.corpus import build_corpus

    one = etree.fromstring(build_corpus(scratch.config, scratch.documents()[:1], date=DATE))
    assert one.xpath("//t:respStmt/@xml:id", namespaces=NS) == ["archive", "edition"]
    two = etree.fromstring(build_corpus(scratch.config, scratch.documents()[:2], date=DATE))
    first = scratch.documents()[0].stem
    assert two.xpath("t:TEI[1]//t:respStmt/@xml:id", namespaces=NS) == [
        f"{first}-archive",
        f"{first}-edition",
    ]


def test_corpus_ids_unique_across_members(scratch: Edition) -> None:
    from cablegram.deposit.corpus import assemble_corpus, check_members, corpus_member
    from cablegram.resources import schema_dir

    roots = [xmlio.parse(p).getroot() for p in scratch.documents()[:2]]
    roots[1].set(
        "{http://www.w3.org/XML/1998/namespace}id", roots[0].get("{http://www.w3.org/XML/1998/namespace}id")
    )
    corpus = assemble_corpus(
        scratch.config, [corpus_member(r) for r in roots], date=DATE, reread=lambda i: roots[i]
    )
    problems = check_members(corpus, schema_dir(), "corpus.xml")
    assert problems and {d.rule for d in problems} == {"corpus-id-duplicate"}


# -- rebuilding from the previous package's cache --------------------------------------------------------


def _package_files(package: Path) -> dict[str, bytes]:
    """Every file of a package directory (the bag, the zip, the cache beside them), by relative path."""
    return {
        p.relative_to(package).as_posix(): p.read_bytes() for p in sorted(package.rglob("*")) if p.is_file()
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def rebuilt(scratch: Edition, tmp_path: Path) -> tuple[Edition, Path, Path]:
    """An edition and a web edition, packaged once into deposit-1/."""
    root = tmp_path / "edition"
    shutil.copytree(scratch.root, root, ignore=shutil.ignore_patterns("build"))
    html = tmp_path / "html"
    (html / "tei").mkdir(parents=True)
    (html / "index.html").write_text("<p>edition</p>\n", encoding="utf-8")
    for document in scratch.documents():  # the web edition publishes the TEI files too
        shutil.copy(document, html / "tei" / document.name)
    edition = Edition.open(root)
    first = build_deposit(edition, edition.documents(), tmp_path / "deposit-1", html_dir=html, date=DATE)
    assert first.ok, [d.format() for d in first.diagnostics]
    return edition, html, tmp_path / "deposit-1"


def test_rebuild_after_one_word_changed_parses_one_document_and_equals_a_fresh_deposit(
    rebuilt: tuple[Edition, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cablegram.deposit import bag as bag_module

    edition, html, first = rebuilt
    changed = edition.tei_dir / "wc-115976.xml"
    _edit(changed, "Подробности беседы", "Подробности разговора")  # in the body: the header is as it was
    parsed: list[str] = []
    parse_bytes = xmlio.parse_bytes
    monkeypatch.setattr(
        xmlio,
        "parse_bytes",
        lambda data, name, *a, **k: parsed.append(name) or parse_bytes(data, name, *a, **k),
    )
    pieces: list[bytes] = []
    deflate_piece = bag_module.deflate_piece
    monkeypatch.setattr(
        bag_module, "deflate_piece", lambda data: pieces.append(bytes(data)) or deflate_piece(data)
    )
    again = build_deposit(
        edition,
        edition.documents(),
        tmp_path / "deposit-2",
        html_dir=html,
        date=DATE,
        previous=first,
        validated=True,  # as the build calls it: the validator would parse every document
    )
    assert again.ok and again.report is not None and again.bag_dir is not None
    # Only the changed document was parsed (the metadata, made of the unchanged headers, were taken over),
    # and only the piece of corpus.xml that holds it deflated again.
    assert [Path(name).name for name in parsed if Path(name).name.startswith("wc-")] == [changed.name]
    assert len(pieces) == 1 and "Подробности разговора".encode() in pieces[0]
    assert again.report.reused == again.report.files - 2  # the document, corpus.xml
    monkeypatch.undo()

    fresh = build_deposit(edition, edition.documents(), tmp_path / "fresh", html_dir=html, date=DATE)
    assert fresh.ok
    assert _package_files(tmp_path / "deposit-2") == _package_files(tmp_path / "fresh")
    # The new bytes are in the bag, its manifest, the zip and the corpus.
    new = changed.read_bytes()
    assert (again.bag_dir / "data" / "tei" / changed.name).read_bytes() == new
    manifest = (again.bag_dir / "manifest-sha256.txt").read_text(encoding="utf-8")
    assert f"{hashlib.sha256(new).hexdigest()}  data/tei/{changed.name}\n" in manifest
    with zipfile.ZipFile(tmp_path / "deposit-2" / f"{NAME}.zip") as archive:
        assert archive.read(f"{NAME}/data/tei/{changed.name}") == new
        corpus = archive.read(f"{NAME}/data/tei/corpus.xml")
    assert "Подробности разговора".encode() in corpus and "Подробности беседы".encode() not in corpus
    assert verify_deposit(tmp_path / "deposit-2") == []


def test_rebuild_after_a_title_changed_makes_the_metadata_again(
    rebuilt: tuple[Edition, Path, Path], tmp_path: Path
) -> None:
    edition, html, first = rebuilt
    changed = edition.tei_dir / "wc-115976.xml"
    old_title = "Ciphered Telegram No. 8600, Vyshinsky to Mao Zedong"
    _edit(changed, f"<title>{old_title}</title>", f"<title>{old_title} (revised)</title>")
    again = build_deposit(
        edition, edition.documents(), tmp_path / "deposit-2", html_dir=html, date=DATE, previous=first
    )
    assert again.ok and again.bag_dir is not None
    fresh = build_deposit(edition, edition.documents(), tmp_path / "fresh", html_dir=html, date=DATE)
    assert fresh.ok
    assert _package_files(tmp_path / "deposit-2") == _package_files(tmp_path / "fresh")
    for name in ("metadata/datacite.xml", "data/README.txt"):
        assert f"{old_title} (revised)" in (again.bag_dir / name).read_text(encoding="utf-8"), name
    assert f"{old_title} (revised)" not in (first / NAME / "metadata" / "datacite.xml").read_text(
        encoding="utf-8"
    )
    assert verify_deposit(tmp_path / "deposit-2") == []


def test_a_cache_that_does_not_match_its_package_is_not_trusted(
    rebuilt: tuple[Edition, Path, Path], tmp_path: Path
) -> None:
    edition, html, first = rebuilt
    # corpus.xml of the previous bag no longer holds what the cache says: the members are made again
    corpus = first / NAME / "data" / "tei" / "corpus.xml"
    corpus.write_bytes(corpus.read_bytes().replace(b"Vyshinsky", b"Vyshinskx"))
    (first / NAME / "metadata" / "cmif.xml").write_bytes(b"<broken/>")  # nor is this taken over
    again = build_deposit(
        edition, edition.documents(), tmp_path / "deposit-2", html_dir=html, date=DATE, previous=first
    )
    fresh = build_deposit(edition, edition.documents(), tmp_path / "fresh", html_dir=html, date=DATE)
    assert again.ok and fresh.ok
    assert _package_files(tmp_path / "deposit-2") == _package_files(tmp_path / "fresh")
    assert b"Vyshinskx" not in (tmp_path / "deposit-2" / NAME / "data" / "tei" / "corpus.xml").read_bytes()
