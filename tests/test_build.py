"""`cablegram build`: validation gates publishing; outputs switch into place whole; one build at a time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cablegram.cli import main
from cablegram.publish import build_lock
from tests.conftest import REPO

SOURCES = ("wc-114900.txt", "wc-110374.txt")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small edition (two documents), built once."""
    root = tmp_path_factory.mktemp("build") / "edition"
    assert main(["init", str(root), "-q"]) == 0
    for name in SOURCES:
        shutil.copy(REPO / "sources" / name, root / "sources" / name)
    for register in ("persons.xml", "places.xml", "organisations.xml", "corrections.xml"):
        shutil.copy(REPO / "tei" / register, root / "tei" / register)
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    assert main(["-C", str(root), "build", "-q", "--date", "2026-11-30"]) == 0
    return root


def test_build_publishes_every_edition(built: Path) -> None:
    output = built / "build"
    for stage in ("html", "pdf", "deposit"):
        assert (output / stage).is_symlink() and (output / stage).is_dir()
    assert (output / "html" / "index.html").is_file()
    assert (output / "html" / "wc-114900.html").is_file()
    assert sorted(p.name for p in (built / "tei").glob("wc-*.xml")) == ["wc-110374.xml", "wc-114900.xml"]


def test_a_failed_build_leaves_the_previous_one_in_place(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = built / "build"
    before = (output / ".builds" / "current").resolve()
    index = (output / "html" / "index.html").read_bytes()
    tei = built / "tei" / "wc-110374.xml"
    good = tei.read_text(encoding="utf-8")
    try:
        tei.write_text(good.replace('reason="normalization"', 'reason="guess"'), encoding="utf-8")
        capsys.readouterr()
        assert main(["-C", str(built), "build"]) == 1
        err = capsys.readouterr().err
        assert "tei/wc-110374.xml:" in err and "[value-closed-list]" in err and "build stopped" in err
        assert (output / ".builds" / "current").resolve() == before
        assert (output / "html" / "index.html").read_bytes() == index
        # With --keep-going the good document is published and the bad one named at the end.
        assert main(["-C", str(built), "build", "--keep-going"]) == 1
        err = capsys.readouterr().err
        assert "left out 1 with errors: wc-110374.xml" in err
        assert (output / "html" / "wc-114900.html").is_file()
        assert not (output / "html" / "wc-110374.html").exists()
    finally:
        tei.write_text(good, encoding="utf-8")
    assert main(["-C", str(built), "build", "-q"]) == 0
    assert (output / "html" / "wc-110374.html").is_file()
    # the current build and the one it replaced; the builds before, and what --keep-going left, are gone
    current = (output / ".builds" / "current").resolve().name
    left = [p.name for p in (output / ".builds").iterdir() if not p.is_symlink()]
    assert current in left and len(left) == 2


def test_two_builds_do_not_run_at_once(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with build_lock(built / "build"):
        capsys.readouterr()
        assert main(["-C", str(built), "build"]) == 1
        assert "another cablegram build is writing here" in capsys.readouterr().err
