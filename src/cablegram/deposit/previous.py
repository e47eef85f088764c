"""What a rebuilt package takes over from the previous one (of this code: its Bag-Software-Agent), as
provably the same content, rather than computing it again (bag.py writes; this module reads the old):
- the digests and the zip entry of a file that is the very inode which the previous bag still holds under
  the same path (so the inode cannot have been reused for another file), last modified before that bag was
  begun (its bagit.txt, written before anything is hashed): the digests were taken of the bytes it holds
  now, and its zip entry was made from the same bytes in the same pass. This relies, as make and rsync do,
  on writes updating the modification time (nobody writes into a build output and sets its time back);
- the digests and the zip entry of a file made here (a TEI file, metadata) whose SHA-256 is the one that the
  previous bag's manifest gives for the same path;
- the deflated pieces of a pieced file whose SHA-256 is that of a piece of the previous zip
  (`BagReport.pieces`, which the caller keeps and gives back as `pieces`).
The zip entries taken over are read from one mapping of the previous zip. Deflating again the same bytes
with the same zlib gives the same stream, so the package is the one that a fresh run writes.
"""

from __future__ import annotations

import mmap
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from cablegram.deposit.bagformat import AGENT, CHECKSUMS, decode_path
from cablegram.deposit.ziparchive import DEFLATED, FINISH, STORED, ZipWriter, central_directory

# A file modified this little before the previous bag was begun might have been modified after it (a clock
# adjusted between the two): its digest is computed again.
_RACY_NS = 1_000_000_000
_HEADER = 30  # the fixed part of a zip's local file header


class ZipEntry(NamedTuple):  # a tuple: 40,000 of them are made
    offset: int  # of its local header
    compressed: int
    method: int
    crc: int
    size: int
    position: int  # its place in the zip


class Previous:
    """The previous bag: its digests, when it was begun, and its zip (mapped), with where it holds each file
    and each piece of a pieced file."""

    def __init__(
        self, bag_dir: Path, begun_ns: int, digests: dict[str, tuple[str, str]], zip_path: Path
    ) -> None:
        self.bag_dir = bag_dir
        self._bag = os.fspath(bag_dir)
        self.begun_ns = begun_ns
        self.digests = digests
        self.entries: dict[str, ZipEntry] = {}
        self.pieces: dict[str, tuple[int, int]] = {}  # sha256 → (offset in the zip, deflated length)
        self.tables: dict[str, dict[str, Any]] = {}  # the pieces of each pieced file, as BagReport gives them
        self._archive: mmap.mmap | None = None
        self._fd: int | None = None  # the zip's, for copying from it (ZipWriter.copy)
        try:
            self._fd = os.open(zip_path, os.O_RDONLY)
            self._archive = mmap.mmap(self._fd, 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # no zip, or an empty one
            return
        self.entries = zip_entries(self._archive, bag_dir.name)

    @classmethod
    def load(cls, bag_dir: Path | None, pieces: Mapping[str, Any] | None = None) -> Previous | None:
        if bag_dir is None:
            return None
        try:
            info = (bag_dir / "bag-info.txt").read_text(encoding="utf-8")
            if f"Bag-Software-Agent: {AGENT}\n" not in info:
                return None  # not written by this code: bagit.txt may not mark its beginning
            begun_ns = (bag_dir / "bagit.txt").stat().st_mtime_ns
            found: list[dict[str, str]] = [{}, {}]
            for kind in ("manifest", "tagmanifest"):
                for index, algorithm in enumerate(CHECKSUMS):
                    text = (bag_dir / f"{kind}-{algorithm}.txt").read_text(encoding="utf-8")
                    found[index].update(_manifest(text))
        except (OSError, UnicodeDecodeError):
            return None
        sha256, sha512 = found
        digests = {name: (digest, sha512[name]) for name, digest in sha256.items() if name in sha512}
        previous = cls(bag_dir, begun_ns, digests, bag_dir.with_name(f"{bag_dir.name}.zip"))
        previous._load_pieces(pieces or {})
        return previous

    def _load_pieces(self, pieces: Mapping[str, Any]) -> None:
        """Where the previous zip holds each piece of its pieced files, as the previous run reported them;
        only for an entry that is, by its size, CRC-32 and deflated length, the one reported."""
        for name, known in pieces.items():
            entry = self.entries.get(name)
            if entry is None:
                continue
            try:
                lengths = [
                    (str(sha256), int(size), int(deflated)) for sha256, size, deflated in known["pieces"]
                ]
                same = (entry.method, entry.crc, entry.size, entry.compressed) == (
                    DEFLATED,
                    int(known["crc"]),
                    sum(size for _, size, _ in lengths),
                    sum(deflated for _, _, deflated in lengths) + len(FINISH),
                )
            except (KeyError, TypeError, ValueError):
                continue
            start = self._data_start(entry) if same else None
            if start is None:
                continue
            for sha256, _, deflated in lengths:
                self.pieces.setdefault(sha256, (start, deflated))
                start += deflated
            self.tables[name] = {"crc": entry.crc, "pieces": [list(piece) for piece in lengths]}

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
        if self._fd is not None:
            os.close(self._fd)

    def _data_start(self, entry: ZipEntry) -> int | None:
        archive = self._archive
        if archive is None:
            return None
        header = archive[entry.offset : entry.offset + _HEADER]
        if len(header) != _HEADER or not header.startswith(b"PK\x03\x04"):
            return None
        start = entry.offset + _HEADER + int.from_bytes(header[26:28], "little")
        start += int.from_bytes(header[28:30], "little")
        return start if start + entry.compressed <= len(archive) else None

    def entry(self, name: str, size: int) -> ZipEntry | None:
        """The previous zip's entry of `name` (bag-relative), when it holds `size` bytes."""
        entry = self.entries.get(name)
        if entry is None or entry.size != size or self._data_start(entry) is None:
            return None
        return entry

    def copy(self, archive: ZipWriter, top: str, run: list[tuple[str, ZipEntry]]) -> None:
        """Entries of the previous zip that follow each other there, into `archive` as they stand: one
        write of them all where their local headers are those that `archive` writes (the same date), else
        one by one."""
        assert self._archive is not None
        first, last = run[0][1], run[-1][1]
        end = self._data_start(last)
        assert end is not None
        entries = [(f"{top}/{name}", e.method, e.crc, e.size, e.compressed) for name, e in run]
        source = (self._fd, first.offset) if self._fd is not None else None
        with memoryview(self._archive) as whole, whole[first.offset : end + last.compressed] as block:
            if archive.copy(block, entries, source=source):
                return
        for (name, method, crc, size, _), (_, entry) in zip(entries, run, strict=True):
            start = self._data_start(entry)
            assert start is not None
            archive.add(
                name, method=method, crc=crc, size=size, data=self._archive[start : start + entry.compressed]
            )

    def stored(self, name: str, size: int) -> tuple[ZipEntry, bytes] | None:
        """The previous zip's entry of `name` (bag-relative), when it holds `size` bytes."""
        entry = self.entries.get(name)
        if entry is None or entry.size != size:
            return None
        start = self._data_start(entry)
        if start is None or self._archive is None:
            return None
        return entry, self._archive[start : start + entry.compressed]

    def piece(self, sha256: str) -> bytes | None:
        """A piece deflated by the previous run, by the SHA-256 of its bytes."""
        found = self.pieces.get(sha256)
        if found is None or self._archive is None:
            return None
        return self._archive[found[0] : found[0] + found[1]]

    def digests_of(self, name: str, placed: os.stat_result) -> tuple[str, str] | None:
        """The previous digests of `name` (bag-relative), if the file placed there is provably unchanged."""
        known = self.digests.get(name)
        if known is None or placed.st_mtime_ns >= self.begun_ns - _RACY_NS:
            return None
        try:
            previous = os.lstat(os.path.join(self._bag, name))
        except OSError:
            return None
        same = (previous.st_dev, previous.st_ino) == (placed.st_dev, placed.st_ino)
        return known if same and stat.S_ISREG(previous.st_mode) else None

    def same_content(self, name: str, sha256: str) -> tuple[str, str] | None:
        """The previous digests of `name`, if they are those of bytes with this SHA-256."""
        known = self.digests.get(name)
        return known if known is not None and known[0] == sha256 else None


def _manifest(text: str) -> dict[str, str]:
    """A manifest's digests by path. Split at line feeds only, as bagit-python reads manifests (splitlines
    would also split at the other line breaks of Unicode, which a path may hold); paths decoded only where
    the text has an encoded one: 40,000 lines."""
    pairs = (line.partition("  ") for line in text.removesuffix("\n").split("\n") if line)
    if "%0" not in text:
        return {name: digest for digest, _, name in pairs}
    return {decode_path(name): digest for digest, _, name in pairs}


def zip_entries(archive: bytes | mmap.mmap, top: str) -> dict[str, ZipEntry]:
    """Where the zip of a previous package holds each file of its bag (none when it cannot be read)."""
    prefix = f"{top}/"
    return {
        entry.name.removeprefix(prefix): ZipEntry(
            entry.offset, entry.compressed, entry.method, entry.crc, entry.size, index
        )
        for index, entry in enumerate(central_directory(archive) or ())
        if entry.name.startswith(prefix) and entry.method in (STORED, DEFLATED)
    }
