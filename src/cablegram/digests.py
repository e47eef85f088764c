"""The content digests of a build's input files, taken over while a file's status says it is unchanged.

The build decides what to redo by the sha256 of every source and TEI file (issue 8). Reading and hashing
20,000 files was most of a rebuild at 10,000 documents, so, as git's index does, each digest is kept with
the file's inode, size and modification time (ns) in `build/.digests.json`, and taken over while these are
the same. The change time is not compared: the build hard-links the TEI files into its outputs, which
changes it every build.

A digest is trusted only for a file last modified at least RACY_NS before the hashing began: an edit in the
same clock tick as the reading would leave the modification time as recorded. Such a file is hashed again
by the next build, which records it as settled. The record is a cache: missing, unreadable or from another
format, it is ignored and every file is hashed.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from cablegram.fsutil import atomic_write, sha256_bytes

DIGESTS_NAME = ".digests.json"
RACY_NS = 2_000_000_000
_FORMAT = 1


class FileDigests:
    """sha256 of files by path, from the record of `directory` where a file's status is unchanged."""

    def __init__(self, directory: Path) -> None:
        self._path = directory / DIGESTS_NAME
        self._started = time.time_ns()  # before any file of this run is read
        self._recorded: dict[str, list[Any]] = {}
        self._trusted_before = 0
        try:
            record = json.loads(self._path.read_text(encoding="utf-8"))
            if record.get("format") == _FORMAT:
                self._recorded = dict(record["files"])
                self._trusted_before = int(record["started"]) - RACY_NS
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        self._now: dict[str, list[Any]] = {}
        # within this run, by path: the status (the change time too: any write moves it) and the digest,
        # so that a file asked for twice (a TEI file by the conversion, then by the validation) is read once
        self._this_run: dict[str, tuple[tuple[int, ...], str]] = {}
        self.hashed = 0  # files read and hashed by this run

    def of(self, path: Path) -> str:
        """The digest of `path`; OSError when it cannot be read."""
        key = str(path)
        status = os.stat(path)  # before the reading: an edit after it shows in the next build's stat
        seen = [status.st_ino, status.st_size, status.st_mtime_ns]
        now = (*seen, status.st_ctime_ns)
        earlier = self._this_run.get(key)
        if earlier is not None and earlier[0] == now:
            return earlier[1]
        entry = self._recorded.get(key)
        if entry is not None and entry[:3] == seen and status.st_mtime_ns < self._trusted_before:
            digest = str(entry[3])
            self._now[key] = entry
        else:
            digest = sha256_bytes(path.read_bytes())
            self.hashed += 1
            self._now[key] = [*seen, digest]
        self._this_run[key] = (now, digest)
        return digest

    def save(self) -> None:
        """Record the digests of this run (only those asked for: files gone are forgotten)."""
        if self._now == self._recorded and not self.hashed:
            return
        record = {"format": _FORMAT, "started": self._started, "files": self._now}
        # a cache: what cannot be recorded, the next build hashes again
        with contextlib.suppress(OSError):
            atomic_write(self._path, json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n")
