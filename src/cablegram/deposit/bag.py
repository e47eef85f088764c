"""The BagIt bag (RFC 8493) and its zip, written in one pass over the payload; checked with `bagit`.

Writing (`write_bag`): each payload file is read once, for both digests, its CRC-32 and its zip entry; the
threads of a small pool do the hashing and deflating (hashlib and zlib release the GIL) in batches of
files, while this thread writes the zip in the order of the bag's sorted paths. Build outputs (the web and
print editions) are hard links into the bag: they are replaced, never changed in place
(`publish.link_or_copy`); everything else, the TEI files first of all (an editor may change them in place),
is copied, or linked to a build output of the same content. Files already compressed (PDF, gzip, PNG, …:
recognised by their first bytes) are stored in the zip, the rest deflated; a large file that the caller
gives in pieces (corpus.xml) is deflated piece by piece, in parallel (`ziparchive.deflate_piece`).

bagit-python made the bag before; per 1,000 documents it spent ~3 s walking, hashing with 64 KiB reads in one
process, and loading the bag twice (its path safety check resolves every manifest entry), against ~0.3 s of
hashing proper. It remains the checker (`check_bag`, for `--verify`) and the tests' independent reader.

A rebuilt package takes over from the previous one (of this code: its Bag-Software-Agent) what is provably
the same content, rather than computing it again:
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

The tag manifests cover bagit.txt, bag-info.txt, the manifests and `metadata/`. The library checks the tag
manifests' entries but not that every tag file is listed, so `check_bag` also checks that every file of the
bag is named by a manifest.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import functools
import hashlib
import itertools
import logging
import mmap
import os
import shutil
import stat
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from cablegram import __version__
from cablegram.deposit.ziparchive import DEFLATED, FINISH, STORED, ZipWriter, deflate, deflate_piece
from cablegram.diagnostics import CablegramError, Diagnostic, error, warning

CHECKSUMS = ("sha256", "sha512")
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
AGENT = f"cablegram {__version__}"  # bags that this code wrote: their digests may be reused (see above)
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
# adjusted between the two): its digest is computed again.
_RACY_NS = 1_000_000_000
# Files go to the threads in batches: a future per file (40,000 of them for 10,000 documents) cost more
# than placing and packing most of the files it stood for.
_BATCH_FILES = 256
_BATCH_BYTES = 8 << 20
_HEADER = 30  # the fixed part of a zip's local file header


@dataclass(frozen=True)
class Payload:
    """One file of the payload: its path under data/, and its content or the file it comes from."""

    name: str  # POSIX path relative to data/
    data: bytes | None = None
    source: str | Path | None = None
    link: bool = False  # a build output: hard-link it rather than copy it
    sha256: str | None = None  # the caller's digest of `data`, where it has taken one
    pieces: tuple[int, ...] = ()  # lengths of the pieces in which `data` is deflated (summing to its length)


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


@contextlib.contextmanager
def _quiet_library() -> Iterator[None]:
    """bagit logs every problem it finds as a warning (on stderr, when logging is not configured); here
    each one becomes a diagnostic instead, printed once at the CLI's edge (STYLE.md §3)."""
    logger = logging.getLogger("bagit")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


# -- writing -------------------------------------------------------------------------------------------


def encode_path(name: str) -> str:
    """A path as a manifest line gives it (bagit-python's encoding: CR and LF percent-encoded)."""
    return name.replace("\r", "%0D").replace("\n", "%0A")


def _decode_path(name: str) -> str:
    return name.replace("%0D", "\r").replace("%0A", "\n")


def _tag_file(info: dict[str, str]) -> bytes:
    """bag-info.txt as bagit-python writes it: labels sorted, line breaks in values dropped."""
    lines = [f"{label}: {' '.join(info[label].splitlines())}\n" for label in sorted(info)]
    return "".join(lines).encode("utf-8")


def _write_new(path: str | Path, data: bytes) -> None:
    """A new file of the bag (in the private scratch directory: the package appears by renaming it whole)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # whatever the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


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


@dataclass(frozen=True)
class _ZipEntry:
    offset: int  # of its local header
    compressed: int
    method: int
    crc: int
    size: int
    index: int  # its place in the zip


class _Previous:
    """The previous bag: its digests, when it was begun, and its zip (mapped), with where it holds each file
    and each piece of a pieced file."""

    def __init__(
        self, bag_dir: Path, begun_ns: int, digests: dict[str, tuple[str, str]], zip_path: Path
    ) -> None:
        self.bag_dir = bag_dir
        self._bag = os.fspath(bag_dir)
        self.begun_ns = begun_ns
        self.digests = digests
        self.entries: dict[str, _ZipEntry] = {}
        self.pieces: dict[str, tuple[int, int]] = {}  # sha256 → (offset in the zip, deflated length)
        self.tables: dict[str, dict[str, Any]] = {}  # the pieces of each pieced file, as BagReport gives them
        self._archive: mmap.mmap | None = None
        try:
            with open(zip_path, "rb") as handle:
                self._archive = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # no zip, or an empty one
            return
        self.entries = _zip_entries(zip_path, bag_dir.name)

    @classmethod
    def load(cls, bag_dir: Path | None, pieces: Mapping[str, Any] | None = None) -> _Previous | None:
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
                    for line in text.splitlines():
                        digest, _, name = line.partition("  ")
                        found[index][_decode_path(name)] = digest
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

    def _data_start(self, entry: _ZipEntry) -> int | None:
        archive = self._archive
        if archive is None:
            return None
        header = archive[entry.offset : entry.offset + _HEADER]
        if len(header) != _HEADER or not header.startswith(b"PK\x03\x04"):
            return None
        start = entry.offset + _HEADER + int.from_bytes(header[26:28], "little")
        start += int.from_bytes(header[28:30], "little")
        return start if start + entry.compressed <= len(archive) else None

    def entry(self, name: str, size: int) -> _ZipEntry | None:
        """The previous zip's entry of `name` (bag-relative), when it holds `size` bytes."""
        entry = self.entries.get(name)
        if entry is None or entry.size != size or self._data_start(entry) is None:
            return None
        return entry

    def copy(self, archive: ZipWriter, top: str, run: list[tuple[str, _ZipEntry]]) -> None:
        """Entries of the previous zip that follow each other there, into `archive` as they stand: one
        write of them all where their local headers are those that `archive` writes (the same date), else
        one by one."""
        assert self._archive is not None
        first, last = run[0][1], run[-1][1]
        end = self._data_start(last)
        assert end is not None
        entries = [(f"{top}/{name}", e.method, e.crc, e.size, e.compressed) for name, e in run]
        with memoryview(self._archive) as whole, whole[first.offset : end + last.compressed] as block:
            if archive.copy(block, entries):
                return
        for (name, method, crc, size, _), (_, entry) in zip(entries, run, strict=True):
            start = self._data_start(entry)
            assert start is not None
            archive.add(
                name, method=method, crc=crc, size=size, data=self._archive[start : start + entry.compressed]
            )

    def stored(self, name: str, size: int) -> tuple[_ZipEntry, bytes] | None:
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


def _zip_entries(zip_path: Path, top: str) -> dict[str, _ZipEntry]:
    """Where the zip of a previous package holds each file of its bag (none when it cannot be read)."""
    import zipfile

    try:
        with zipfile.ZipFile(zip_path) as archive:
            infos = archive.infolist()
    except (OSError, zipfile.BadZipFile):
        return {}
    prefix = f"{top}/"
    return {
        info.filename.removeprefix(prefix): _ZipEntry(
            info.header_offset, info.compress_size, info.compress_type, info.CRC, info.file_size, index
        )
        for index, info in enumerate(infos)
        if info.filename.startswith(prefix) and info.compress_type in (STORED, DEFLATED)
    }


class _Placed(NamedTuple):  # a tuple: 40,000 of them are made, and a frozen dataclass is slower to make
    linked: bool
    status: os.stat_result
    digests: tuple[str, str] | None  # the previous bag's, where they are provably this file's
    sha256: str | None = None  # of a payload made here


def _place(
    data_dir: str,
    item: Payload,
    previous: _Previous | None,
    by_size: Mapping[int, list[str]],
    by_digest: Mapping[str, str],
) -> _Placed:
    """Put one payload file into the bag: hard-linked, written or copied. `by_size`, `by_digest`: the
    payload files linked already, by size and by their SHA-256 where the previous bag knew it; content
    equal to one of them is linked to it (the web edition publishes the TEI files too), which spares
    creating a file."""
    target = os.path.join(data_dir, item.name)
    name = f"data/{item.name}"
    if item.data is not None:
        sha256 = item.sha256 or hashlib.sha256(item.data).hexdigest()
        # Equal SHA-256, equal bytes; else a file of the same size is compared, first one of the same name
        # (tei/x.xml, html/tei/x.xml), the usual twin.
        linked = sha256 in by_digest and _link(by_digest[sha256], target)
        if not linked:
            same_size = by_size.get(len(item.data), ())
            for twin in sorted(
                same_size, key=lambda path: os.path.basename(path) != os.path.basename(target)
            ):
                if _read(twin) == item.data and _link(twin, target):
                    linked = True
                    break
        if not linked:
            _write_new(target, item.data)
        placed = os.stat(target)
        if previous is None:
            return _Placed(linked, placed, None, sha256)
        digests = previous.digests_of(name, placed) or previous.same_content(name, sha256)
        return _Placed(linked, placed, digests, sha256)
    assert item.source is not None
    source = os.fspath(item.source)
    linked = item.link and _link(source, target)
    if linked:  # of a regular file with the bag's mode only (not of a symbolic link, not of a private file)
        placed = os.lstat(target)
        if not stat.S_ISREG(placed.st_mode) or stat.S_IMODE(placed.st_mode) != FILE_MODE:
            os.unlink(target)
            linked = False
    if not linked:
        shutil.copyfile(source, target)
        os.chmod(target, FILE_MODE)
        placed = os.stat(target)
    return _Placed(linked, placed, previous.digests_of(name, placed) if previous is not None else None)


def _place_batch(
    data_dir: str,
    batch: list[Payload],
    *,
    previous: _Previous | None,
    by_size: Mapping[int, list[str]],
    by_digest: Mapping[str, str],
) -> list[_Placed]:
    return [_place(data_dir, item, previous, by_size, by_digest) for item in batch]


def _link(source: str, target: str) -> bool:
    try:
        os.link(source, target, follow_symlinks=False)
        return True
    except OSError:  # another file system, or links not allowed: a copy will do
        return False


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _pack(
    data_dir: str,
    item: Payload,
    placed: _Placed,
    previous: _Previous | None,
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
        data = _read(os.path.join(data_dir, item.name))
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
    name: str, size: int, digests: tuple[str, str] | None, previous: _Previous | None
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
    placed: _Placed,
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


def _piece(data: memoryview, previous: _Previous | None) -> tuple[str, int, bytes]:
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
    _write_new(bag_dir / "bagit.txt", bagit_txt)  # first: it marks when this bag was begun
    prior = _Previous.load(previous, pieces)
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
    prior: _Previous | None,
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
    status: dict[str, _Placed] = {}
    for items in ([i for i in payload if i.data is None], [i for i in payload if i.data is not None]):
        by_size: dict[int, list[str]] = {}
        by_digest: dict[str, str] = {}
        for name, earlier in status.items():
            if earlier.linked:
                by_size.setdefault(earlier.status.st_size, []).append(os.path.join(data_dir, name))
                if earlier.digests is not None:
                    by_digest.setdefault(earlier.digests[0], os.path.join(data_dir, name))

        place = functools.partial(
            _place_batch, data_dir, previous=prior, by_size=by_size, by_digest=by_digest
        )
        batches = list(_batches(items, lambda _: 1))
        for batch, placed_batch in zip(batches, pool.map(place, batches), strict=True):
            status.update(zip((item.name for item in batch), placed_batch, strict=True))
    placed = [status[item.name] for item in payload]
    size = sum(p.status.st_size for p in placed)
    info = {**info, "Bag-Software-Agent": AGENT, "Payload-Oxum": f"{size}.{len(payload)}"}
    bag_info = _tag_file(info)
    _write_new(bag_dir / "bag-info.txt", bag_info)

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

    def pack(batch: list[tuple[Payload, _Placed]]) -> list[Packed]:
        return [
            pieced[item.name]() if item.name in pieced else _pack(data_dir, item, where, prior, same)
            for item, where in batch
        ]

    def submission(
        batch: list[tuple[Payload, _Placed]],
    ) -> Callable[[], concurrent.futures.Future[list[Packed]]]:
        return functools.partial(pool.submit, pack, batch)

    # The files provably unchanged since the previous zip are copied from it as they stand, in runs; the
    # others are packed by the threads, in batches, ahead of this thread, which writes the zip in order.
    taken: list[_ZipEntry | None] = [
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
        run: list[tuple[str, _ZipEntry]] = []
        for item, where, entry in zip(payload, placed, taken, strict=True):
            name = f"data/{item.name}"
            if entry is not None and where.digests is not None:
                if run and entry.index != run[-1][1].index + 1 and prior is not None:
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
        for name in sorted(later):
            target = bag_dir / name
            target.parent.mkdir(mode=DIR_MODE, exist_ok=True)
            target.parent.chmod(DIR_MODE)
            _write_new(target, later[name])
            tags.append(_tag_entry(name, later[name], prior))
            _add(archive, top, tags[-1])
        tags.sort(key=lambda packed: packed.name)
        for index, algorithm in enumerate(CHECKSUMS):
            name = f"tagmanifest-{algorithm}.txt"
            data = "".join(f"{t.digests[index]}  {encode_path(t.name)}\n" for t in tags).encode("utf-8")
            _write_new(bag_dir / name, data)
            _add(archive, top, _entry(name, data))
    zip_path.chmod(FILE_MODE)
    return BagReport(len(payload), size, sum(p.linked for p in placed), reused, made_pieces)


def _tag_entry(name: str, data: bytes, previous: _Previous | None) -> Packed:
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


def info_problems(
    info: dict[str, str], display: str, *, required: tuple[str, ...] = REQUIRED_INFO
) -> list[Diagnostic]:
    """bag-info.txt's `required` labels, and the contact that repositories expect."""
    problems = [
        error(f"{display}/bag-info.txt", 1, 1, f"no {label}", "bag-info")
        for label in required
        if not info.get(label)
    ]
    if not (info.get("Contact-Email") or info.get("Contact-Name")):
        # Optional in RFC 8493, expected by repositories: worth a warning, not a failed build.
        problems.append(
            warning(
                f"{display}/bag-info.txt",
                1,
                1,
                "no Contact-Email or Contact-Name; set `contact` in edition.toml",
                "bag-info",
            )
        )
    return problems


# -- checking ------------------------------------------------------------------------------------------


def bag_files(bag_dir: Path) -> list[str]:
    """Every file of the bag as a POSIX path relative to it, sorted."""
    return sorted(p.relative_to(bag_dir).as_posix() for p in bag_dir.rglob("*") if p.is_file())


def check_bag(bag_dir: Path, display: str) -> list[Diagnostic]:
    """Structure, version, bag-info, every checksum, and every file listed in a manifest."""
    import bagit  # type: ignore[import-untyped]

    with _quiet_library():
        return _check_bag(bagit, bag_dir, display)


def _check_bag(bagit: Any, bag_dir: Path, display: str) -> list[Diagnostic]:
    try:
        bag = bagit.Bag(str(bag_dir))
    except bagit.BagError as exc:
        return [error(f"{display}/bagit.txt", 1, 1, f"not a readable bag: {exc}", "bag-structure")]
    problems: list[Diagnostic] = []
    if bag.version_info != (1, 0):
        problems.append(
            error(f"{display}/bagit.txt", 1, 1, f"BagIt-Version is {bag.version}, not 1.0", "bag-version")
        )
    for algorithm in CHECKSUMS:
        if not (bag_dir / f"manifest-{algorithm}.txt").is_file():
            problems.append(error(display, 1, 1, f"no manifest-{algorithm}.txt", "bag-manifest"))
        if not (bag_dir / f"tagmanifest-{algorithm}.txt").is_file():
            problems.append(error(display, 1, 1, f"no tagmanifest-{algorithm}.txt", "bag-manifest"))
    problems.extend(info_problems({k: str(v) for k, v in bag.info.items()}, display))
    # `Bag.validate()` stops at its first failing stage (Payload-Oxum, then completeness, then checksums).
    # A report should name every broken file, so when it fails, the completeness and checksum stages are
    # also run on their own (the library's methods for them; bagit is pinned to >=1.9,<2).
    try:
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        found = [exc]
        for stage in (bag._validate_completeness, lambda: bag._validate_entries(1)):
            try:
                stage()
            except bagit.BagValidationError as more:
                found.append(more)
        seen: set[Diagnostic] = set()
        for failure in found:
            for problem in _details(failure, display):
                if problem not in seen:
                    seen.add(problem)
                    problems.append(problem)
    except bagit.BagError as exc:
        problems.append(error(display, 1, 1, str(exc), "bag-invalid"))
    listed = {entry.replace(os.sep, "/") for entry in bag.entries}
    for name in bag_files(bag_dir):
        if name.startswith("tagmanifest-") or name in listed:
            continue
        if not name.startswith("data/"):  # the library reports unlisted payload files itself
            problems.append(
                error(f"{display}/{name}", 1, 1, f"{name} is not listed in any manifest", "bag-unlisted")
            )
    return problems


def _details(failure: Exception, display: str) -> list[Diagnostic]:
    details = getattr(failure, "details", [])
    if not details:
        message = str(getattr(failure, "message", failure))
        rule = "bag-oxum" if "Oxum" in message else "bag-invalid"
        return [error(f"{display}/bag-info.txt", 1, 1, message, rule)]
    rules = {
        "ChecksumMismatch": "bag-checksum",
        "FileMissing": "bag-missing",
        "UnexpectedFile": "bag-unlisted",
    }
    return [
        error(f"{display}/{getattr(d, 'path', '')}", 1, 1, str(d), rules.get(type(d).__name__, "bag-invalid"))
        for d in details
    ]


def check_zip(zip_path: Path, bag_dir: Path, display: str) -> list[Diagnostic]:
    """The zip holds exactly the bag's files, byte for byte (compared by CRC-32 and size)."""
    import zipfile

    problems: list[Diagnostic] = []
    try:
        with zipfile.ZipFile(zip_path) as archive:
            entries = {
                i.filename.split("/", 1)[1]: i
                for i in archive.infolist()
                if "/" in i.filename and not i.is_dir()
            }
            broken = archive.testzip()
    except (OSError, zipfile.BadZipFile) as exc:
        return [error(display, 1, 1, f"not a readable zip: {exc}", "zip-invalid")]
    if broken is not None:
        problems.append(error(display, 1, 1, f"{broken}: CRC error in the zip", "zip-invalid"))
    files = bag_files(bag_dir)
    for name in files:
        entry = entries.get(name)
        if entry is None:
            problems.append(error(display, 1, 1, f"{name} is in the bag but not in the zip", "zip-mismatch"))
            continue
        data = (bag_dir / name).read_bytes()
        if entry.file_size != len(data) or zlib.crc32(data) != entry.CRC:
            problems.append(
                error(display, 1, 1, f"{name} differs between the bag and the zip", "zip-mismatch")
            )
    for name in sorted(set(entries) - set(files)):
        problems.append(error(display, 1, 1, f"{name} is in the zip but not in the bag", "zip-mismatch"))
    return problems
