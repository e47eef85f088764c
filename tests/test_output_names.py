"""Output files are named from document ids, which come from untrusted files: no id may lead out of the
output directory, hide a file or name a device (issue 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablegram.diagnostics import CablegramError
from cablegram.fsutil import output_path


@pytest.mark.parametrize(
    "stem", ["../escape", "a/../../b", "/etc/passwd", ".hidden", "..", "CON", "nul.txt", "", "a b", "a\x00b"]
)
def test_unsafe_ids_are_refused(tmp_path: Path, stem: str) -> None:
    with pytest.raises(CablegramError, match=r"output-name|cannot name an output file"):
        output_path(tmp_path, stem, ".html", source="tei/x.xml")


@pytest.mark.parametrize("stem", ["wc-115976", "wc-1950-05-14-roshchin-to-filippov", "Doc_1.v2"])
def test_document_ids_name_files_inside_the_directory(tmp_path: Path, stem: str) -> None:
    assert output_path(tmp_path, stem, ".pdf") == tmp_path / f"{stem}.pdf"


def test_a_symbolic_link_in_place_of_the_output_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.html"
    out = tmp_path / "out"
    out.mkdir()
    (out / "wc-1.html").symlink_to(outside)
    with pytest.raises(CablegramError, match="leaves"):
        output_path(out, "wc-1", ".html")
