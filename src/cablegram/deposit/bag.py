"""The BagIt bag (RFC 8493) and its zip, written in one pass over the payload.

Writing (`write_bag`): each payload file is placed into the bag (place.py), then read once, for both
digests, its CRC-32 and its zip entry; the threads of a small pool do the hashing and deflating (hashlib and
zlib release the GIL) in batches of files, while this thread writes the zip in the order of the bag's
sorted paths. Files already compressed (PDF, gzip, PNG, …: recognised by their first bytes) are stored in
the zip, the rest deflated; a large file that the caller gives in pieces (corpus.xml) is deflated piece by
piece, in parallel (`ziparchive.deflate_piece`). What the previous package provably holds already is taken
over from it rather than computed again (previous.py).

bagit-python made the bag before; per 1,000 documents it spent ~3 s walking, hashing with 64 KiB reads in one
process, and loading the bag twice (its path safety check resolves every manifest entry), against ~0.3 s of
hashing proper. It remains the checker (bagcheck.py, for `--verify`) and the tests' independent reader.

The tag manifests cover bagit.txt, bag-info.txt, the manifests and `metadata/`.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import hashlib
import itertools
import os
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cablegram.deposit.bagformat import (
    AGENT,
    BAGIT_TXT,
    CHECKSUMS,
    DIR_MODE,
    FILE_MODE,
    encode_path,
    tag_file,
    write_new,
)
from cablegram.deposit.place import Payload, Placed, place_batch, read_file
from cablegram.deposit.previous import Previous, ZipEntry
from cablegram.deposit.ziparchive import DEFLATED, FINISH, STORED, ZipWriter, deflate, deflate_piece
from cablegram.diagnostics import CablegramError, error

# The first bytes of formats that are compressed already: deflating them again costs time and gains ~3 %.
COMPRESSED_MAGIC = (
    b"%PDF-",  # PDF: its streams are deflated
    b"\x1f\x8b",  # gzip (Pagefind's index and fragments)
    b"PK\x03\x04",  # zip, and what is made of it (EPUB, DOCX, ODT)
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"wOFF",
    b"wOF2",
    b"\x28\xb5\x2f\xfd",  # Zstandard
    b"BZh",
    b"\xfd7zXZ\x00",
)
# A file modified this little before the previous bag was begun might have been modified after it (a clock

# Files go to the threads in batches: a future per file (40,000 of them for 10,000 documents) cost more
# than placing and packing most of the files it stood for.
_BATCH_FILES = 256
_BATCH_BYTES = 8 << 20


@dataclass(frozen=True)
class Packed:
    """A bag file hashed and ready for the zip."""

    name: str  # POSIX path relative to the bag
    size: int
    digests: tuple[str, str]  # sha256, sha512
    crc: int
    method: int
    data: bytes  # the zip entry's data: deflated or stored
    reused: bool = False
    pieces: tuple[tuple[str, int, int], ...] = ()  # a pieced file's: sha256, length, deflated length


@dataclass(frozen=True)
class BagReport:
    files: int
    bytes: int
    linked: int
    reused: int  # digests taken from the previous bag
    pieces: dict[str, Any] = field(default_factory=dict)  # JSON, for `write_bag(pieces=…)` of the next run


def _entry(
    name: str,
    data: bytes,
    digests: tuple[str, str] | None = None,
    *,
    sha256: str | None = None,
    same: dict[object, Packed] | None = None,
    key: object = None,
) -> Packed:
    """Hash and compress one file (in a worker thread: the heavy calls release the GIL). `same`: files
    packed already, by `key` (an inode) and by their digests; one of them with these bytes is taken over."""
    reused = digests is not None
    if same is not None and key is not None and key in same:
        return dataclasses.replace(same[key], name=name, reused=reused)
    if digests is None:
        digests = (sha256 or hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest())
    other = same.get(digests) if same is not None else None
    if other is not None:
        return dataclasses.replace(other, name=name, reused=reused)
    crc = zlib.crc32(data)
    packed = Packed(name, len(data), digests, crc, STORED, data, reused)
    if not data.startswith(COMPRESSED_MAGIC):
        deflated = deflate(data)
        if len(deflated) < len(data):
            packed = Packed(name, len(data), digests, crc, DEFLATED, deflated, reused)
    if same is not None:
        same[digests] = packed
        if key is not None:
            same[key] = packed
    return packed


def _pack(
    data_dir: str,
    item: Payload,
    placed: Placed,
    previous: Previous | None,
    same: dict[object, Packed],
) -> Packed:
    name = f"data/{item.name}"
    size = placed.status.st_size
    taken = _taken_over(name, size, placed.digests, previous)
    if taken is not None:
        return taken
    if item.data is not None:
        data = item.data
    else:
        data = read_file(os.path.join(data_dir, item.name))
        if len(data) != size:
            raise CablegramError(
                error(
                    str(item.source), 1, 1, "changed while the deposit was being packaged", "deposit-changed"
                )
            )
    digests, sha256 = placed.digests, placed.sha256
    if digests is None and previous is not None and name in previous.digests:
        # A copy (of the schema) has a new inode: the same bytes as before if it has the same SHA-256.
        sha256 = sha256 or hashlib.sha256(data).hexdigest()
        digests = previous.same_content(name, sha256)
        taken = _taken_over(name, size, digests, previous)
        if taken is not None:
            return taken
    key = (placed.status.st_dev, placed.status.st_ino) if placed.linked else None
    return _entry(name, data, digests, sha256=sha256, same=same, key=key)


def _taken_over(
    name: str, size: int, digests: tuple[str, str] | None, previous: Previous | None
) -> Packed | None:
    """The previous zip's entry of a file whose digests are those of the previous bag's (same bytes)."""
    if digests is None or previous is None:
        return None
    found = previous.stored(name, size)
    if found is None:
        return None
    entry, stored = found
    return Packed(name, size, digests, entry.crc, entry.method, stored, reused=True)


def _pack_pieced(
    item: Payload,
    placed: Placed,
    digests: concurrent.futures.Future[tuple[str, str, int]],
    pieces: list[concurrent.futures.Future[tuple[str, int, bytes]]],
) -> Packed:
    """A pieced file, from its digests and deflated pieces (worked out by other tasks, submitted earlier)."""
    assert item.data is not None
    sha256, sha512, crc = digests.result()
    done = [piece.result() for piece in pieces]
    deflated = b"".join([*(data for _, _, data in done), FINISH])
    reused = placed.digests is not None
    name = f"data/{item.name}"
    if len(deflated) >= len(item.data):
        return Packed(name, len(item.data), (sha256, sha512), crc, STORED, item.data, reused)
    made = tuple((digest, length, len(data)) for digest, length, data in done)
    return Packed(name, len(item.data), (sha256, sha512), crc, DEFLATED, deflated, reused, made)


def _digests(data: bytes, sha256: str | None) -> tuple[str, str, int]:
    return sha256 or hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest(), zlib.crc32(data)


def _piece(data: memoryview, previous: Previous | None) -> tuple[str, int, bytes]:
    sha256 = hashlib.sha256(data).hexdigest()
    known = previous.piece(sha256) if previous is not None else None
    return sha256, len(data), known if known is not None else deflate_piece(data)


def _batches(items: list[Any], size: Callable[[Any], int]) -> Iterator[list[Any]]:
    """`items` in runs of at most _BATCH_FILES files and about _BATCH_BYTES bytes."""
    batch: list[Any] = []
    total = 0
    for item in items:
        batch.append(item)
        total += size(item)
        if len(batch) >= _BATCH_FILES or total >= _BATCH_BYTES:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


class _Ahead:
    """The files packed by the batches that `submissions` submit, in their order, with at most `window`
    batches in flight (submitted from the start: the threads work while this one copies)."""

    def __init__(
        self, submissions: Iterator[Callable[[], concurrent.futures.Future[list[Packed]]]], window: int
    ) -> None:
        self._submissions = submissions
        self._window = window
        self._pending: deque[concurrent.futures.Future[list[Packed]]] = deque()
        self._ready: deque[Packed] = deque()
        self._fill()

    def _fill(self) -> None:
        while len(self._pending) < self._window:
            submit = next(self._submissions, None)
            if submit is None:
                return
            self._pending.append(submit())

    def next(self) -> Packed:
        while not self._ready:
            done = self._pending.popleft()
            self._fill()
            self._ready.extend(done.result())
        return self._ready.popleft()


def write_bag(
    bag_dir: Path,
    payload: list[Payload],
    info: dict[str, str],
    tag_files: dict[str, bytes],
    zip_path: Path,
    *,
    date: str,
    previous: Path | None = None,
    pieces: Mapping[str, Any] | None = None,
    jobs: int = 1,
) -> BagReport:
    """Make `bag_dir` (new) a BagIt 1.0 bag of `payload` with `info` and `tag_files` (metadata/…), and
    `zip_path` its zip, entries sorted and stamped with `date`. `previous`: an earlier bag of this package
    whose digests and zip entries may be reused; `pieces`: the `BagReport.pieces` of the run that made it."""
    if any(not name.startswith("metadata/") for name in tag_files):
        raise ValueError("tag files other than the bag's own go under metadata/")
    payload = sorted(payload, key=lambda item: item.name)
    if any(a.name == b.name for a, b in itertools.pairwise(payload)):
        raise ValueError("two payload files of one name")
    if any(item.pieces and (item.data is None or sum(item.pieces) != len(item.data)) for item in payload):
        raise ValueError("the pieces of a payload file do not make up its data")
    bag_dir.mkdir(mode=DIR_MODE)
    bag_dir.chmod(DIR_MODE)
    bagit_txt = BAGIT_TXT.encode("utf-8")
    write_new(bag_dir / "bagit.txt", bagit_txt)  # first: it marks when this bag was begun
    prior = Previous.load(previous, pieces)
    try:
        with concurrent.futures.ThreadPoolExecutor(max(1, jobs), thread_name_prefix="deposit") as pool:
            return _write(bag_dir, payload, info, tag_files, zip_path, date, prior, pool, max(1, jobs))
    finally:
        if prior is not None:
            prior.close()


def _write(
    bag_dir: Path,
    payload: list[Payload],
    info: dict[str, str],
    tag_files: dict[str, bytes],
    zip_path: Path,
    date: str,
    prior: Previous | None,
    pool: concurrent.futures.ThreadPoolExecutor,
    workers: int,
) -> BagReport:
    bagit_txt = BAGIT_TXT.encode("utf-8")
    data_dir = os.fspath(bag_dir / "data")
    # As strings: 40,000 payload files make Path objects cost a second.
    directories = {parent for item in payload for parent in _parents(item.name)}
    for directory in [data_dir, *(os.path.join(data_dir, name) for name in sorted(directories))]:
        os.mkdir(directory, DIR_MODE)
        os.chmod(directory, DIR_MODE)
    # The files to link or copy first, then the contents made here (which may be linked to those).
    status: dict[str, Placed] = {}
    for items in ([i for i in payload if i.data is None], [i for i in payload if i.data is not None]):
        by_size: dict[int, list[str]] = {}
        by_digest: dict[str, str] = {}
        for name, earlier in status.items():
            if earlier.linked:
                by_size.setdefault(earlier.status.st_size, []).append(os.path.join(data_dir, name))
                if earlier.digests is not None:
                    by_digest.setdefault(earlier.digests[0], os.path.join(data_dir, name))

        place = functools.partial(place_batch, data_dir, previous=prior, by_size=by_size, by_digest=by_digest)
        batches = list(_batches(items, lambda _: 1))
        for batch, placed_batch in zip(batches, pool.map(place, batches), strict=True):
            status.update(zip((item.name for item in batch), placed_batch, strict=True))
    placed = [status[item.name] for item in payload]
    size = sum(p.status.st_size for p in placed)
    info = {**info, "Bag-Software-Agent": AGENT, "Payload-Oxum": f"{size}.{len(payload)}"}
    bag_info = tag_file(info)
    write_new(bag_dir / "bag-info.txt", bag_info)

    # A pieced file made anew: its digests and each piece, as tasks of their own, ahead of the batches
    # (which wait for them: submitted first, they are taken first, so that no batch waits for a task that
    # has no thread).
    pieced: dict[str, Callable[[], Packed]] = {}
    made_pieces: dict[str, Any] = {}
    for number, (item, where) in enumerate(zip(payload, placed, strict=True)):
        if not item.pieces or item.data is None:
            continue
        name = f"data/{item.name}"
        # Taken over whole only with its pieces known: the next run needs them, and a fresh one reports them.
        if (
            prior is not None
            and name in prior.tables
            and _taken_over(name, len(item.data), where.digests, prior)
        ):
            made_pieces[name] = prior.tables[name]
            continue
        where = placed[number] = where._replace(digests=None)
        digests = pool.submit(_digests, item.data, where.sha256)
        view, start, parts = memoryview(item.data), 0, []
        for length in item.pieces:
            parts.append(pool.submit(_piece, view[start : start + length], prior))
            start += length
        pieced[item.name] = functools.partial(_pack_pieced, item, where, digests, parts)
    same: dict[object, Packed] = {}

    def pack(batch: list[tuple[Payload, Placed]]) -> list[Packed]:
        return [
            pieced[item.name]() if item.name in pieced else _pack(data_dir, item, where, prior, same)
            for item, where in batch
        ]

    def submission(
        batch: list[tuple[Payload, Placed]],
    ) -> Callable[[], concurrent.futures.Future[list[Packed]]]:
        return functools.partial(pool.submit, pack, batch)

    # The files provably unchanged since the previous zip are copied from it as they stand, in runs; the
    # others are packed by the threads, in batches, ahead of this thread, which writes the zip in order.
    taken: list[ZipEntry | None] = [
        prior.entry(f"data/{item.name}", where.status.st_size)
        if prior is not None and where.digests is not None and item.name not in pieced
        else None
        for item, where in zip(payload, placed, strict=True)
    ]
    todo = [(item, where) for item, where, entry in zip(payload, placed, taken, strict=True) if entry is None]
    ahead = _Ahead(map(submission, _batches(todo, lambda pair: pair[1].status.st_size)), window=workers * 4)
    manifest: dict[str, list[str]] = {algorithm: [] for algorithm in CHECKSUMS}
    reused = 0
    tags = [_entry("bag-info.txt", bag_info), _entry("bagit.txt", bagit_txt)]
    with ZipWriter(zip_path, date=date) as archive:
        top = bag_dir.name
        for packed in tags:
            _add(archive, top, packed)
        run: list[tuple[str, ZipEntry]] = []
        for item, where, entry in zip(payload, placed, taken, strict=True):
            name = f"data/{item.name}"
            if entry is not None and where.digests is not None:
                if run and entry.position != run[-1][1].position + 1 and prior is not None:
                    prior.copy(archive, top, run)
                    run = []
                run.append((name, entry))
                sums = where.digests
                reused += 1
            else:
                if run and prior is not None:
                    prior.copy(archive, top, run)
                    run = []
                packed = ahead.next()
                _add(archive, top, packed)
                sums = packed.digests
                reused += packed.reused
                if packed.pieces:
                    made_pieces[name] = {"crc": packed.crc, "pieces": [list(p) for p in packed.pieces]}
            for algorithm, digest in zip(CHECKSUMS, sums, strict=True):
                manifest[algorithm].append(f"{digest}  {encode_path(name)}\n")
        if run and prior is not None:
            prior.copy(archive, top, run)
        later = {f"manifest-{a}.txt": "".join(lines).encode("utf-8") for a, lines in manifest.items()}
        later.update(tag_files)
        # The manifests (4 MB and 7 MB for 10,000 documents) are deflated each by a thread of its own.
        packing = {name: pool.submit(_tag_entry, name, later[name], prior) for name in sorted(later)}
        for name, pending in packing.items():
            target = bag_dir / name
            target.parent.mkdir(mode=DIR_MODE, exist_ok=True)
            target.parent.chmod(DIR_MODE)
            write_new(target, later[name])
            tags.append(pending.result())
            _add(archive, top, tags[-1])
        tags.sort(key=lambda packed: packed.name)
        for index, algorithm in enumerate(CHECKSUMS):
            name = f"tagmanifest-{algorithm}.txt"
            data = "".join(f"{t.digests[index]}  {encode_path(t.name)}\n" for t in tags).encode("utf-8")
            write_new(bag_dir / name, data)
            _add(archive, top, _entry(name, data))
    zip_path.chmod(FILE_MODE)
    return BagReport(len(payload), size, sum(p.linked for p in placed), reused, made_pieces)


def _tag_entry(name: str, data: bytes, previous: Previous | None) -> Packed:
    """A tag file, its digests and zip entry taken over where the previous bag had the same bytes."""
    if previous is not None:
        digests = previous.same_content(name, hashlib.sha256(data).hexdigest())
        found = previous.stored(name, len(data)) if digests is not None else None
        if digests is not None and found is not None:
            entry, stored = found
            return Packed(name, len(data), digests, entry.crc, entry.method, stored)
    return _entry(name, data)


def _add(archive: ZipWriter, top: str, packed: Packed) -> None:
    archive.add(
        f"{top}/{packed.name}", method=packed.method, crc=packed.crc, size=packed.size, data=packed.data
    )


def _parents(name: str) -> Iterator[str]:
    parts = name.split("/")[:-1]
    for end in range(1, len(parts) + 1):
        yield "/".join(parts[:end])
