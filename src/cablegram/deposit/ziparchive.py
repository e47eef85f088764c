"""A reproducible zip writer that takes entries already compressed (APPNOTE.TXT 6.3.10, with Zip64).

`zipfile` compresses inside `writestr`, in the calling thread, so the deposit could not deflate on more than
one core; here each entry arrives with its CRC-32 and its data, deflated (raw DEFLATE, as `zlib` makes it
with wbits=-15) or stored, and is written as it comes. Every entry gets the same timestamp, Unix mode 0644
and no extra fields except Zip64's, so the same entries in the same order give the same bytes. Zip64 records
are written only where a size, an offset or the number of entries needs them, as `zipfile` does.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

STORED = 0
DEFLATED = 8
LEVEL = 6  # zlib's default, as zipfile uses it

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR64 = struct.Struct("<4sLQL")
_MARK = 0xFFFFFFFF  # a 32-bit field at this value says "see the Zip64 extra field"
_COUNT_MARK = 0xFFFF
# From these values on, Zip64 records are needed (lowered by the tests to write a small Zip64 archive).
ZIP64_FROM = _MARK
ZIP64_COUNT_FROM = _COUNT_MARK + 1
_UNIX = 3
_MODE = 0o100644 << 16  # a regular file, rw-r--r--


def deflate(data: bytes) -> bytes:
    """Raw DEFLATE of `data`, as zipfile writes it (level 6, default memory level and strategy)."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def deflate_piece(data: bytes | memoryview) -> bytes:
    """One piece of a file deflated in pieces: raw DEFLATE that ends with a sync flush (an empty stored
    block, byte-aligned, not final), so that pieces deflated apart, in any thread or in an earlier run,
    joined and followed by FINISH, make one valid stream (as pigz makes them). Each piece starts without a
    dictionary: a piece costs its own bytes and nothing of its neighbours."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


FINISH = zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush()  # the final block, empty, of a pieced stream


def dos_stamp(date: str) -> tuple[int, int]:
    """(time, date) in MS-DOS format for midnight of `date` (YYYY-MM-DD), not before 1980."""
    year, month, day = (int(part) for part in date.split("-"))
    if year < 1980:
        year, month, day = 1980, 1, 1
    return 0, (year - 1980) << 9 | month << 5 | day


@dataclass(frozen=True)
class _Entry:
    name: bytes
    flags: int
    method: int
    crc: int
    compressed: int
    size: int
    offset: int


class ZipWriter:
    """Entries are written in the order they are added; `close()` writes the central directory."""

    def __init__(self, path: Path, *, date: str) -> None:
        self._file: BinaryIO = path.open("wb")
        self._time, self._date = dos_stamp(date)
        self._entries: list[_Entry] = []
        self._offset = 0

    def __enter__(self) -> ZipWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, name: str, *, method: int, crc: int, size: int, data: bytes) -> None:
        """One file: `data` is its content (STORED) or its raw DEFLATE stream (DEFLATED)."""
        encoded, flags, header = self._local(name, method, crc, size, len(data))
        self._file.write(header)
        self._file.write(data)
        self._entries.append(_Entry(encoded, flags, method, crc, len(data), size, self._offset))
        self._offset += len(header) + len(data)

    def copy(self, block: bytes | memoryview, entries: Sequence[tuple[str, int, int, int, int]]) -> bool:
        """Files of another zip, back to back in `block` (local headers and data) and given as (name,
        method, CRC-32, size, length as stored): written as they stand, one write for all of them, if each
        local header is, byte for byte, the one that `add` writes (else nothing is written: False)."""
        at, found = 0, []
        with memoryview(block) as view:
            for name, method, crc, size, compressed in entries:
                encoded, flags, header = self._local(name, method, crc, size, compressed)
                if view[at : at + len(header)] != header:
                    return False
                found.append(_Entry(encoded, flags, method, crc, compressed, size, self._offset + at))
                at += len(header) + compressed
            if at != len(view):
                return False
            self._file.write(view)
        self._entries.extend(found)
        self._offset += at
        return True

    def _local(
        self, name: str, method: int, crc: int, size: int, compressed: int
    ) -> tuple[bytes, int, bytes]:
        """A file's name as stored, its flags, and its local header (with the name and extra field)."""
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800  # bit 11: the name is UTF-8
        zip64 = size >= ZIP64_FROM or compressed >= ZIP64_FROM
        extra = struct.pack("<2H2Q", 1, 16, size, compressed) if zip64 else b""
        version = 45 if zip64 else 20
        header = _LOCAL.pack(
            b"PK\x03\x04",
            version,
            0,
            flags,
            method,
            self._time,
            self._date,
            crc,
            _MARK if zip64 else compressed,
            _MARK if zip64 else size,
            len(encoded),
            len(extra),
        )
        return encoded, flags, header + encoded + extra

    def close(self) -> None:
        if self._file.closed:
            return
        start = self._offset
        for entry in self._entries:
            fields = []
            size, compressed, offset = entry.size, entry.compressed, entry.offset
            if size >= ZIP64_FROM:
                fields.append(size)
                size = _MARK
            if compressed >= ZIP64_FROM:
                fields.append(compressed)
                compressed = _MARK
            if offset >= ZIP64_FROM:
                fields.append(offset)
                offset = _MARK
            extra = struct.pack(f"<2H{len(fields)}Q", 1, 8 * len(fields), *fields) if fields else b""
            version = 45 if fields else 20
            record = _CENTRAL.pack(
                b"PK\x01\x02",
                version,
                _UNIX,
                version,
                0,
                entry.flags,
                entry.method,
                self._time,
                self._date,
                entry.crc,
                compressed,
                size,
                len(entry.name),
                len(extra),
                0,
                0,
                0,
                _MODE,
                offset,
            )
            self._file.write(record + entry.name + extra)
            self._offset += len(record) + len(entry.name) + len(extra)
        count, length = len(self._entries), self._offset - start
        if count >= ZIP64_COUNT_FROM or length >= ZIP64_FROM or start >= ZIP64_FROM:
            end64 = self._offset
            self._file.write(
                _END64.pack(b"PK\x06\x06", _END64.size - 12, 45, 45, 0, 0, count, count, length, start)
            )
            self._file.write(_LOCATOR64.pack(b"PK\x06\x07", 0, end64, 1))
            count, length, start = _COUNT_MARK, _MARK, _MARK
        self._file.write(_END.pack(b"PK\x05\x06", 0, 0, count, count, length, start, 0))
        self._file.close()
