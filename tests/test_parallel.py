"""Parallel and incremental builds (issue 8): `--jobs 1` and `--jobs 2` give byte-identical outputs; a
rebuild with nothing changed does nothing; one changed document is rendered again with the pages that
depend on it, and the rest is taken over; a changed stylesheet renders again every page it affects."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from cablegram.cli import main
from cablegram.html import pagefind_available
from tests.conftest import REPO

SOURCES = ("wc-114900.txt", "wc-110374.txt")
REGISTERS = ("persons.xml", "places.xml", "organisations.xml", "corrections.xml")
DATE = "2026-11-30"


def make_edition(root: Path) -> Path:
    assert main(["init", str(root), "-q"]) == 0
    for name in SOURCES:
        shutil.copy(REPO / "sources" / name, root / "sources" / name)
    for register in REGISTERS:
        shutil.copy(REPO / "tei" / register, root / "tei" / register)
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    return root


def outputs(build: Path) -> dict[str, bytes]:
    """Every published file, by its path under build/ (through the stage links)."""
    found = {}
    for stage in ("html", "pdf", "deposit"):
        for path in sorted((build / stage).rglob("*")):
            if path.is_file():
                found[str(path.relative_to(build))] = path.read_bytes()
    return found


def assert_as_a_fresh_build(root: Path, fresh: Path, options: list[str]) -> None:
    """What `root` published is, byte for byte, what a full build with `options` of a copy of its inputs
    (`fresh`, without the build) publishes."""
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build"))
    assert main(["-C", str(fresh), *options]) == 0
    one, two = outputs(root / "build"), outputs(fresh / "build")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_edition(tmp_path_factory.mktemp("serial") / "edition")
    assert main(["-C", str(root), "build", "-q", "--date", DATE, "--jobs", "1"]) == 0
    return root


def test_jobs_1_and_jobs_2_give_the_same_bytes(serial: Path, tmp_path: Path) -> None:
    root = make_edition(tmp_path / "edition")
    assert main(["-C", str(root), "build", "-q", "--date", DATE, "--jobs", "2"]) == 0
    one, two = outputs(serial / "build"), outputs(root / "build")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert "pdf/edition.pdf" in one and "html/wc-114900.html" in one


def test_nothing_changed_means_nothing_done(serial: Path, capsys: pytest.CaptureFixture[str]) -> None:
    builds = serial / "build" / ".builds"
    current = (builds / "current").resolve()
    entries = sorted(p.name for p in builds.iterdir())
    capsys.readouterr()
    assert main(["-C", str(serial), "build", "--date", DATE, "--jobs", "1"]) == 0
    assert "nothing changed" in capsys.readouterr().err
    assert (builds / "current").resolve() == current  # no switch
    assert sorted(p.name for p in builds.iterdir()) == entries  # no staging directory either


def test_the_state_records_the_shared_editorial_principles_once(serial: Path) -> None:
    state = json.loads((serial / "build" / ".builds" / "current" / ".state.json").read_text(encoding="utf-8"))
    keys = [entry["check"]["facts"][3] for name, entry in state["files"].items() if name.startswith("wc-")]
    assert len(keys) == 2 and all(isinstance(key, str) for key in keys)
    assert len(set(keys)) == 1  # the converter gives both documents the same principles
    texts = state["principles"][keys[0]]
    assert any("xml:lang" in text for text in texts)


def test_one_changed_document_is_all_that_is_rendered_again(
    serial: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cablegram.html import SummaryTask

    build = serial / "build"
    # the pages about the whole edition too: the change is in a letter's text, not in what they show of it
    unchanged = (
        "html/wc-110374.html",
        "pdf/wc-110374.pdf",
        "html/tei/wc-110374.xml",
        "html/index.html",
        "html/persons.html",
        "html/about/encoding.html",
    )
    before = {name: (build / name).stat().st_ino for name in unchanged}
    index = (build / "html" / "index.html").read_bytes()
    source = serial / "sources" / "wc-114900.txt"
    text = source.read_text(encoding="utf-8")
    assert "Thanking me for the reply" in text
    source.write_text(
        text.replace("Thanking me for the reply", "Thanking me warmly for the reply", 1), encoding="utf-8"
    )
    capsys.readouterr()

    def made_again(*args: object) -> None:
        raise AssertionError("a summary was made again: the previous build's was not taken over")

    # the unchanged page's summary comes from the previous build, the changed one's with its page
    monkeypatch.setattr(SummaryTask, "run", made_again)
    assert main(["-C", str(serial), "build", "--date", DATE, "--jobs", "1"]) == 0
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert "pdf 1 rendered, 1 reused, html 1 rendered, 1 reused" in err
    # the unchanged document's page, PDF and TEI copy, and the site's pages, are the previous build's files,
    # linked, not made again
    for name, inode in before.items():
        assert (build / name).stat().st_ino == inode
    assert b"warmly" in (build / "html" / "wc-114900.html").read_bytes()
    assert (build / "html" / "index.html").read_bytes() != index or b"warmly" not in index
    assert b"warmly" in (build / "html" / "tei" / "wc-114900.xml").read_bytes()
    # and the result is what a full build of the same inputs gives
    assert_as_a_fresh_build(serial, serial.parent / "fresh", ["build", "-q", "--date", DATE, "--jobs", "1"])


def test_an_edit_keeping_size_and_time_right_after_a_build_is_still_seen(tmp_path: Path) -> None:
    """The build takes a file's recorded digest over while its inode, size and time are the same
    (cablegram.digests), but not for a file modified just before the build read it: an edit in the same
    clock tick would keep all three."""
    root = make_edition(tmp_path / "edition")
    options = ["-C", str(root), "build", "-q", "--no-pdf", "--date", DATE]
    assert main(options) == 0
    source = root / "sources" / "wc-114900.txt"
    status = source.stat()
    data = source.read_bytes()
    assert b"Thanking me for the reply" in data
    with source.open("r+b") as handle:  # in place: the same inode and size
        handle.write(data.replace(b"Thanking me for the reply", b"THANKING ME FOR THE REPLY", 1))
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert main(options) == 0
    assert b"THANKING ME FOR THE REPLY" in (root / "build" / "html" / "wc-114900.html").read_bytes()


def test_a_changed_summary_makes_the_site_pages_again(tmp_path: Path) -> None:
    """The index, registers, about and search pages are taken over only while every summary is the same."""
    root = make_edition(tmp_path / "edition")
    command = ["-C", str(root), "build", "-q", "--date", DATE, "--jobs", "1", "--no-pdf"]
    assert main(command) == 0
    index = root / "build" / "html" / "index.html"
    assert b"relays a Chinese assessment" in index.read_bytes()
    source = root / "sources" / "wc-114900.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("relays a Chinese assessment", "relays a Chinese view", 1), encoding="utf-8"
    )
    assert main(command) == 0
    assert b"relays a Chinese view" in index.read_bytes()
    assert_as_a_fresh_build(root, tmp_path / "fresh", command[2:])


def test_a_changed_stylesheet_renders_again_the_pages_it_affects(
    serial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cablegram import resources

    xslt = tmp_path / "xslt"
    shutil.copytree(resources.xslt_dir(), xslt)
    page = xslt / "html" / "page.xsl"
    text = page.read_text(encoding="utf-8")
    marker = "<!-- issue 8: a changed web stylesheet -->"
    page.write_text(text.replace("</xsl:stylesheet>", f"{marker}\n</xsl:stylesheet>"), encoding="utf-8")
    monkeypatch.setattr(resources, "xslt_dir", lambda: xslt)
    pdf = serial / "build" / "pdf" / "wc-110374.pdf"
    inode = pdf.stat().st_ino
    capsys.readouterr()
    assert main(["-C", str(serial), "build", "--date", DATE, "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    # every web page again; the print stylesheets did not change, so no PDF is rendered again
    assert "pdf 0 rendered, 2 reused, html 2 rendered, 0 reused" in err
    assert pdf.stat().st_ino == inode


def _pdf_links(html: Path) -> list[str]:
    return sorted(
        f"{page.name}: {link}"
        for page in html.rglob("*.html")
        for link in re.findall(r'href="([^"]*\.pdf)"', page.read_text(encoding="utf-8"))
    )


def _bag_pdfs(build: Path) -> list[str]:
    return sorted(p.name for p in (build / "deposit").rglob("*") if p.suffix == ".pdf")


def test_without_pdfs_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--no-pdf leaves the print edition out everywhere; switching it on and off keeps the state right."""
    root = make_edition(tmp_path / "edition")
    build = root / "build"
    command = ["-C", str(root), "build", "--date", DATE, "--jobs", "1"]
    assert main([*command, "-q", "--no-pdf"]) == 0
    assert not (build / "pdf").exists() and (build / "html" / "wc-114900.html").is_file()
    assert _pdf_links(build / "html") == [] and _bag_pdfs(build) == []
    assert not list((build / "html").rglob("*.pdf"))
    capsys.readouterr()
    assert main([*command, "--no-pdf"]) == 0
    assert "nothing changed" in capsys.readouterr().err

    # with PDFs: every one is rendered, linked from the pages and in the deposit
    assert main(command) == 0
    assert sorted(p.name for p in (build / "pdf").glob("*.pdf")) == [
        "edition.pdf",
        "wc-110374.pdf",
        "wc-114900.pdf",
    ]
    assert _pdf_links(build / "html") == [
        "wc-110374.html: pdf/wc-110374.pdf",
        "wc-114900.html: pdf/wc-114900.pdf",
    ]
    assert {"wc-110374.pdf", "wc-114900.pdf", "edition.pdf"} <= set(_bag_pdfs(build))
    with_pdfs = outputs(build)

    # off again, then on again: the PDFs kept out of sight are taken over, not rendered again
    assert main([*command, "-q", "--no-pdf"]) == 0
    assert not (build / "pdf").exists() and _pdf_links(build / "html") == [] and _bag_pdfs(build) == []
    capsys.readouterr()
    assert main(command) == 0
    assert "pdf 0 rendered, 2 reused" in capsys.readouterr().err
    assert outputs(build) == with_pdfs


@pytest.mark.skipif(not pagefind_available(), reason="pagefind[extended] is not installed")
def test_one_changed_document_makes_only_its_search_bundle_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edition large enough for several search bundles (here: one page each) makes again only the
    bundle of the changed document; the others are the previous build's files."""
    from cablegram import search

    monkeypatch.setattr(search, "SHARD_PAGES", 1)
    root = make_edition(tmp_path / "edition")
    command = ["-C", str(root), "build", "-q", "--date", DATE, "--jobs", "1", "--no-pdf"]
    assert main(command) == 0
    html = root / "build" / "html"
    bundles = {b.directory: b.pages for b in search.bundles([Path(name).stem for name in SOURCES])}
    assert len(bundles) == 2
    other = next(directory for directory, pages in bundles.items() if "wc-114900" not in pages)
    changed = next(directory for directory, pages in bundles.items() if "wc-114900" in pages)
    inodes = {p: p.stat().st_ino for p in (html / other).rglob("*") if p.is_file()}
    entry = (html / changed / "pagefind-entry.json").stat().st_ino
    source = root / "sources" / "wc-114900.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("Thanking me for the reply", "Thanking me warmly for the reply", 1), encoding="utf-8"
    )
    assert main(command) == 0
    assert inodes and all(p.stat().st_ino == inode for p, inode in inodes.items())
    assert (html / changed / "pagefind-entry.json").stat().st_ino != entry
    # and the result is what a full build of the same inputs gives
    assert_as_a_fresh_build(root, tmp_path / "fresh", command[2:])
