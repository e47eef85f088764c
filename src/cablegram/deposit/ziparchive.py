"""A reproducible zip writer that takes entries already compressed (APPNOTE.TXT 6.3.10, with Zip64), and a
reader of the central directory of the zips that it writes.

`zipfile` compresses inside `writestr`, in the calling thread, so the deposit could not deflate on more than
one core; here each entry arrives with its CRC-32 and its data, deflated (raw DEFLATE, as `zlib` makes it
with wbits=-15) or stored, and is written as it comes. Every entry gets the same timestamp, Unix mode 0644
and no extra fields except Zip64's, so the same entries in the same order give the same bytes. Zip64 records
are written only where a size, an offset or the number of entries needs them, as `zipfile` does.
"""

from __future__ import annotations

import mmap
import os
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, NamedTuple

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
_EXTRA = struct.Struct("<2H")
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


class _Entry(NamedTuple):  # a tuple: 40,000 of them are made
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

    def copy(
        self,
        block: bytes | memoryview,
        entries: Sequence[tuple[str, int, int, int, int]],
        *,
        source: tuple[int, int] | None = None,
    ) -> bool:
        """Files of another zip, back to back in `block` (local headers and data) and given as (name,
        method, CRC-32, size, length as stored): written as they stand, one write for all of them, if each
        local header is, byte for byte, the one that `add` writes (else nothing is written: False).
        `source`: the other zip's file descriptor and where `block` begins in it, to copy from it inside
        the kernel (copy_file_range, without a pass through this process's memory; half the time)."""
        at, found = 0, []
        local = self._local
        with memoryview(block) as view:
            for name, method, crc, size, compressed in entries:
                encoded, flags, header = local(name, method, crc, size, compressed)
                if view[at : at + len(header)] != header:
                    return False
                found.append(_Entry(encoded, flags, method, crc, compressed, size, self._offset + at))
                at += len(header) + compressed
            if at != len(view):
                return False
            if source is None or not self._copy_range(*source, at):
                self._file.write(view)
        self._entries.extend(found)
        self._offset += at
        return True

    def _copy_range(self, fd: int, offset: int, length: int) -> bool:
        """`length` bytes of the file `fd` from `offset` on, appended; False (nothing appended) where the
        kernel cannot copy them."""
        if not hasattr(os, "copy_file_range"):
            return False
        self._file.flush()
        out, done = self._file.fileno(), 0
        try:
            while done < length:
                copied = os.copy_file_range(fd, out, length - done, offset + done)
                if copied <= 0:
                    raise OSError("the source ended early")
                done += copied
        except OSError:
            if done:  # undone, to be written from memory instead
                os.ftruncate(out, self._offset)
            self._file.seek(self._offset)
            return False
        self._file.seek(self._offset + length)  # the buffered writer learns where the file ends now
        return True

    def _local(
        self, name: str, method: int, crc: int, size: int, compressed: int
    ) -> tuple[bytes, int, bytes]:
        """A file's name as stored, its flags, and its local header (with the name and extra field)."""
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800  # bit 11: the name is UTF-8
        if size < ZIP64_FROM and compressed < ZIP64_FROM:
            header = _LOCAL.pack(
                b"PK\x03\x04",
                20,
                0,
                flags,
                method,
                self._time,
                self._date,
                crc,
                compressed,
                size,
                len(encoded),
                0,
            )
            return encoded, flags, header + encoded
        extra = struct.pack("<2H2Q", 1, 16, size, compressed)
        header = _LOCAL.pack(
            b"PK\x03\x04",
            45,
            0,
            flags,
            method,
            self._time,
            self._date,
            crc,
            _MARK,
            _MARK,
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


class CentralEntry(NamedTuple):  # a tuple: a zip of 10,000 documents has 40,000 of them
    name: str
    offset: int  # of its local header
    compressed: int
    method: int
    crc: int
    size: int


def central_directory(archive: bytes | memoryview | mmap.mmap) -> list[CentralEntry] | None:
    """The entries of a zip (`archive`: all of it, e.g. mapped), in the order of its central directory; None
    when it is not a zip that this reader understands (one disk, no comment, Zip64 where needed, as
    `ZipWriter` writes them). Read directly rather than with zipfile, which makes a ZipInfo of each entry:
    a quarter of a second for the 40,000 entries of a 10,000-document edition."""
    try:
        return _central_directory(memoryview(archive))
    except (struct.error, ValueError, UnicodeDecodeError, StopIteration):
        return None


def _central_directory(view: memoryview) -> list[CentralEntry] | None:
    end = len(view) - _END.size
    if end < 0:
        return None
    signature, disk, _, _, count, length, start, comment = _END.unpack_from(view, end)
    if signature != b"PK\x05\x06" or disk != 0 or comment != 0:
        return None
    if count == _COUNT_MARK or length == _MARK or start == _MARK:
        locator = end - _LOCATOR64.size
        signature, _, end64, _ = _LOCATOR64.unpack_from(view, locator)
        if signature != b"PK\x06\x07":
            return None
        signature, _, _, _, _, _, _, count, length, start = _END64.unpack_from(view, end64)
        if signature != b"PK\x06\x06":
            return None
    directory = bytes(view[start : start + length])  # a few MB: sliced as bytes, without views of views
    found: list[CentralEntry] = []
    at, make, unpack = 0, CentralEntry._make, _CENTRAL.unpack_from
    while at < length:
        (signature, _, _, _, _, flags, method, _, _, crc, compressed, size, name_length, extra_length,
         comment_length, _, _, _, offset) = unpack(directory, at)  # fmt: skip
        if signature != b"PK\x01\x02":
            return None
        at += _CENTRAL.size
        # Names decoded as zipfile decodes them: UTF-8 where flagged, else code page 437.
        name = directory[at : at + name_length].decode("utf-8" if flags & 0x800 else "cp437")
        if size == _MARK or compressed == _MARK or offset == _MARK:
            extra = memoryview(directory)[at + name_length : at + name_length + extra_length]
            size, compressed, offset = _zip64(extra, size, compressed, offset)
        found.append(make((name, offset, compressed, method, crc, size)))
        at += name_length + extra_length + comment_length
    return found if at == length and len(found) == count else None


def _zip64(extra: memoryview, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    """The sizes and offset that a central record marks as being in its Zip64 extra field, in the order of
    APPNOTE 4.5.3 (only those marked are there)."""
    at = 0
    while at + _EXTRA.size <= len(extra):
        kind, length = _EXTRA.unpack_from(extra, at)
        at += _EXTRA.size
        if kind == 1:
            values = iter(struct.unpack_from(f"<{length // 8}Q", extra, at))
            size = next(values) if size == _MARK else size
            compressed = next(values) if compressed == _MARK else compressed
            offset = next(values) if offset == _MARK else offset
            return size, compressed, offset
        at += length
    raise ValueError("a Zip64 size without its extra field")
