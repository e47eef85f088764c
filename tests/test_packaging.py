"""The installed package carries its schema/ and xslt/ (the commands work outside a checkout)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_ships_schema_and_stylesheets(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("cablegram-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "cablegram/schema/cablegram.rng",
        "cablegram/schema/cablegram.odd",
        "cablegram/schema/tei_all.rng",
    } <= names
    assert any(name.startswith("cablegram/xslt/") and name.endswith(".xsl") for name in names)
    assert "cablegram/cli.py" in names
