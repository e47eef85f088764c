"""The bags that this code writes (BagIt 1.0, RFC 8493): their declaration, checksums, bag-info labels, file
modes, and how manifests and bag-info.txt are written (as bagit-python writes them, so that either reads
the other's bags). Shared by the writer (bag.py), the reuse of a previous bag (previous.py) and the checks
(bagcheck.py)."""

from __future__ import annotations

import os
from pathlib import Path

from cablegram import __version__

CHECKSUMS = ("sha256", "sha512")
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
AGENT = f"cablegram {__version__}"  # bags that this code wrote: their digests may be reused (previous.py)
REQUIRED_INFO = (
    "Source-Organization",
    "External-Description",
    "Bagging-Date",
    "Bag-Software-Agent",
    "Payload-Oxum",
    "External-Identifier",
)
WRITER_INFO = ("Bag-Software-Agent", "Payload-Oxum")  # the labels that `write_bag` adds
FILE_MODE = 0o644
DIR_MODE = 0o755


def encode_path(name: str) -> str:
    """A path as a manifest line gives it (bagit-python's encoding: CR and LF percent-encoded)."""
    return name.replace("\r", "%0D").replace("\n", "%0A")


def decode_path(name: str) -> str:
    return name.replace("%0D", "\r").replace("%0A", "\n")


def tag_file(info: dict[str, str]) -> bytes:
    """bag-info.txt as bagit-python writes it: labels sorted, line breaks in values dropped."""
    lines = [f"{label}: {' '.join(info[label].splitlines())}\n" for label in sorted(info)]
    return "".join(lines).encode("utf-8")


def write_new(path: str | Path, data: bytes) -> None:
    """A new file of the bag (in the private scratch directory: the package appears by renaming it whole)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # whatever the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
