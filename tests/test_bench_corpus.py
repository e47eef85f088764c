"""The synthetic corpus generator (issue 8, item 1): deterministic, and every page converts into valid TEI."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.corpus import generate, main
from cablegram.convert.builder import build_document
from cablegram.convert.page import read_page
from cablegram.convert.reader import read_lines, read_source
from cablegram.convert.registers import load_registers
from cablegram.diagnostics import Severity
from cablegram.edition import REGISTER_FILES, Edition
from cablegram.validate import iter_diagnostics
from tests.conftest import REPO


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.txt"))}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    assert main(["--seed", "42", "--count", "12", "--out", str(tmp_path / "a")]) == 0
    assert main(["--seed", "42", "--count", "12", "--out", str(tmp_path / "b")]) == 0
    first = _files(tmp_path / "a")
    assert len(first) == 12
    assert _files(tmp_path / "b") == first
    generate(43, 12, tmp_path / "c")
    assert _files(tmp_path / "c") != first


def test_pages_have_the_shape_of_the_sources(tmp_path: Path) -> None:
    paths = generate(5, 30, tmp_path)
    records = [p.stem for p in paths]
    assert len(set(records)) == 30  # unique record numbers, one file each
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for label in ("Citation:", "Summary:", "Original Language:", "Contents:", "Копии:", "Copies:"):
            assert f"\n{label}\n" in text
        assert f"/document/{path.stem.removeprefix('wc-')}>" in text
        assert "APRF, f. 45, op. 1, d. " in text and "Ciphered Telegram No. " in text
        assert "[signature]" in text and "[Stamp: " in text
        year = int(text.split("\n")[1].rsplit(" ", 1)[1])
        assert 1945 <= year <= 1991


def test_every_generated_page_converts_into_valid_tei(tmp_path: Path) -> None:
    edition = Edition.open(REPO)
    tei_dir = tmp_path / "tei"
    tei_dir.mkdir()
    for name in REGISTER_FILES:
        shutil.copy(REPO / "tei" / name, tei_dir / name)
    registers = load_registers(tei_dir)
    written = []
    for source in generate(2026, 8, tmp_path / "sources"):
        page = read_page(read_source(source), str(source))
        document = build_document(page, registers, edition.config)
        assert document.doc_id == source.stem
        assert document.unknown_names == []
        target = tei_dir / f"{document.doc_id}.xml"
        target.write_bytes(document.xml)
        written.append(target)
    diagnostics = list(iter_diagnostics(written, tei_dir=tei_dir))
    assert [d.format() for d in diagnostics if d.severity is Severity.ERROR] == []


def test_the_benchmarks_correction_changes_a_letters_text_not_its_header(tmp_path: Path) -> None:
    """bench/run.py's one-document-changed rebuild: the edit reaches the TEI body, and nothing of the
    header, so it measures a correction, not a new summary or date."""
    from lxml import etree

    from bench.run import _corrected

    edition = Edition.open(REPO)
    registers = load_registers(REPO / "tei")
    tei = "{http://www.tei-c.org/ns/1.0}"
    for source in generate(7, 5, tmp_path / "sources"):
        text = source.read_text(encoding="utf-8")
        trees = []
        for version in (text, _corrected(text)):
            page = read_page(read_lines(version), str(source))
            trees.append(etree.fromstring(build_document(page, registers, edition.config).xml))
        before, after = trees
        assert etree.tostring(before.find(f"{tei}teiHeader")) == etree.tostring(after.find(f"{tei}teiHeader"))
        assert "Noted." not in "".join(before.find(f"{tei}text").itertext())
        assert "Noted." in "".join(after.find(f"{tei}text").itertext())
