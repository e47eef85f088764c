"""A build killed at any moment (SIGKILL) leaves the previous complete build and every tei/ file intact,
and the next build completes (issue: nothing lost, ever)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from cablegram.cli import main
from tests.conftest import REPO


@pytest.fixture(scope="module")
def edition_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kill") / "edition"
    assert main(["init", str(root), "-q"]) == 0
    for name in ("wc-114900.txt", "wc-110374.txt"):
        shutil.copy(REPO / "sources" / name, root / "sources" / name)
    for register in ("persons.xml", "places.xml", "organisations.xml", "corrections.xml"):
        shutil.copy(REPO / "tei" / register, root / "tei" / register)
    assert main(["-C", str(root), "build", "-q"]) == 0
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "tei").glob("*.xml"))}


def test_sigkill_at_random_moments(edition_root: Path) -> None:
    output = edition_root / "build"
    tei_before = snapshot(edition_root)
    rng = random.Random(20261130)
    for delay in sorted(rng.uniform(0.2, 4.0) for _ in range(4)):
        # Touch the sources so that the killed build has conversion work to do as well.
        for source in (edition_root / "sources").glob("*.txt"):
            os.utime(source)
        process = subprocess.Popen(
            [sys.executable, "-m", "cablegram", "-C", str(edition_root), "build", "-q"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # The previous complete build is in place and readable; tei/ is whole.
        index = output / "html" / "index.html"
        assert index.is_file(), f"killed after {delay:.2f} s"
        assert b"</html>" in index.read_bytes()
        assert (output / "deposit").is_dir() and any((output / "deposit").iterdir())
        assert snapshot(edition_root) == tei_before
        for data in tei_before.values():
            etree.fromstring(data)
        assert not list((edition_root / "tei").glob(".*.tmp"))
    # The next build completes (the killed builds' lock died with them) and cleans their staging: a change
    # makes it publish, and only the build it replaced stays, until the build after it.
    replaced = (output / ".builds" / "current").resolve().name
    source = sorted((edition_root / "sources").glob("*.txt"))[0]
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert main(["-C", str(edition_root), "build", "-q"]) == 0
    current = (output / ".builds" / "current").resolve().name
    left = {p.name for p in (output / ".builds").iterdir() if not p.is_symlink()}
    assert current != replaced and left == {current, replaced}


def test_two_builds_started_at_once(edition_root: Path) -> None:
    command = [sys.executable, "-m", "cablegram", "-C", str(edition_root), "build", "-q"]
    first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    outcomes = sorted((p.wait(), p.stderr.read() if p.stderr else "") for p in (first, second))
    codes = [code for code, _ in outcomes]
    # Either the second found the first at work and said so, or (on a fast machine) they ran one after the
    # other; never two builds writing at once.
    assert codes in ([0, 0], [0, 1])
    if codes == [0, 1]:
        assert "another cablegram build is writing here" in outcomes[1][1]
    assert b"</html>" in (edition_root / "build" / "html" / "index.html").read_bytes()
    assert main(["-C", str(edition_root), "build", "-q"]) == 0
