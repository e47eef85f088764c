"""Putting the payload files into a new bag: build outputs (the web and print editions) are hard links into
the bag: they are replaced, never changed in place (`publish.link_or_copy`); everything else, the TEI files
first of all (an editor may change them in place), is copied, or linked to a build output of the same
content. The status of each file placed tells the writer (bag.py) what the previous bag provably holds
already (previous.py).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from cablegram.deposit.bagformat import FILE_MODE, write_new
from cablegram.deposit.previous import Previous


class Payload(NamedTuple):  # a tuple: the web edition of 10,000 documents has 30,000 files
    """One file of the payload: its path under data/, and its content or the file it comes from."""

    name: str  # POSIX path relative to data/
    data: bytes | None = None
    source: str | Path | None = None
    link: bool = False  # a build output: hard-link it rather than copy it
    sha256: str | None = None  # the caller's digest of `data`, where it has taken one
    pieces: tuple[int, ...] = ()  # lengths of the pieces in which `data` is deflated (summing to its length)


class Placed(NamedTuple):  # a tuple: 40,000 of them are made, and a frozen dataclass is slower to make
    linked: bool
    status: os.stat_result
    digests: tuple[str, str] | None  # the previous bag's, where they are provably this file's
    sha256: str | None = None  # of a payload made here


def place_batch(
    data_dir: str,
    batch: list[Payload],
    *,
    previous: Previous | None,
    by_size: Mapping[int, list[str]],
    by_digest: Mapping[str, str],
) -> list[Placed]:
    """Put payload files into the bag: hard-linked, written or copied. `by_size`, `by_digest`: the payload
    files linked already, by size and by their SHA-256 where the previous bag knew it; content equal to one
    of them is linked to it (the web edition publishes the TEI files too), which spares creating a file."""
    placed: list[Placed] = []
    for item in batch:
        target = os.path.join(data_dir, item.name)
        if item.data is not None:
            placed.append(_place_data(target, item, previous, by_size, by_digest))
            continue
        assert item.source is not None
        source = os.fspath(item.source)
        status = _link(source, target) if item.link else None
        linked = status is not None
        if status is None:
            shutil.copyfile(source, target)
            os.chmod(target, FILE_MODE)
            status = os.stat(target)
        digests = previous.digests_of(f"data/{item.name}", status) if previous is not None else None
        placed.append(Placed(linked, status, digests))
    return placed


def _place_data(
    target: str,
    item: Payload,
    previous: Previous | None,
    by_size: Mapping[int, list[str]],
    by_digest: Mapping[str, str],
) -> Placed:
    assert item.data is not None
    sha256 = item.sha256 or hashlib.sha256(item.data).hexdigest()
    # Equal SHA-256, equal bytes; else a file of the same size is compared, first one of the same name
    # (tei/x.xml, html/tei/x.xml), the usual twin.
    status = _link(by_digest[sha256], target) if sha256 in by_digest else None
    if status is None:
        same_size = by_size.get(len(item.data), ())
        for twin in sorted(same_size, key=lambda path: os.path.basename(path) != os.path.basename(target)):
            if read_file(twin) == item.data:
                status = _link(twin, target)
                if status is not None:
                    break
    linked = status is not None
    if status is None:
        write_new(target, item.data)
        status = os.stat(target)
    if previous is None:
        return Placed(linked, status, None, sha256)
    name = f"data/{item.name}"
    digests = previous.digests_of(name, status) or previous.same_content(name, sha256)
    return Placed(linked, status, digests, sha256)


def _link(source: str, target: str) -> os.stat_result | None:
    """A hard link at `target` to `source`, and its status; None where it cannot be made, or it would be
    one to something else than a regular file with the bag's mode (a symbolic link, a private file)."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:  # another file system, or links not allowed: a copy will do
        return None
    status = os.lstat(target)
    if stat.S_ISREG(status.st_mode) and stat.S_IMODE(status.st_mode) == FILE_MODE:
        return status
    os.unlink(target)
    return None


def read_file(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()
