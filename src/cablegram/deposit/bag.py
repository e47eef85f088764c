"""The BagIt bag (RFC 8493) and its zip, written in one pass over the payload; checked with `bagit`.

Writing (`write_bag`): each payload file is read once, for both digests, its CRC-32 and its zip entry; the
threads of a small pool do the hashing and deflating (hashlib and zlib release the GIL), while this thread
writes the zip in the order of the bag's sorted paths. Build outputs (the web and print editions) are hard
links into the bag: they are replaced, never changed in place (`publish.link_or_copy`); everything else,
the TEI files first of all (an editor may change them in place), is copied. Files already compressed (PDF,
gzip, PNG, …: recognised by their first bytes) are stored in the zip, the rest deflated.

bagit-python made the bag before; per 1,000 documents it spent ~3 s walking, hashing with 64 KiB reads in one
process, and loading the bag twice (its path safety check resolves every manifest entry), against ~0.3 s of
hashing proper. It remains the checker (`check_bag`, for `--verify`) and the tests' independent reader.

A digest is reused from the previous bag, not computed, only where that is provably the same content: the
new payload file is the very inode that the previous bag still holds under the same path (so the inode
cannot have been reused for another file), and it was last modified before that bag was begun (its
bagit.txt, written before anything is hashed): the digest was taken of the bytes it holds now. This relies,
as make and rsync do, on writes updating the modification time (nobody writes into a build output and sets
its time back).

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
import os
import shutil
import stat
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cablegram import __version__
from cablegram.deposit.ziparchive import DEFLATED, STORED, ZipWriter, deflate
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


@dataclass(frozen=True)
class Payload:
    """One file of the payload: its path under data/, and its content or the file it comes from."""

    name: str  # POSIX path relative to data/
    data: bytes | None = None
    source: Path | None = None
    link: bool = False  # a build output: hard-link it rather than copy it


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


@dataclass(frozen=True)
class BagReport:
    files: int
    bytes: int
    linked: int
    reused: int  # digests taken from the previous bag


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
    earlier: Sequence[concurrent.futures.Future[Packed]] = (),
) -> Packed:
    """Hash and compress one file (in a worker thread: the heavy calls release the GIL). `earlier`: files of
    the same size packed before it; one with the same digests holds the same bytes, already compressed."""
    reused = digests is not None
    if digests is None:
        digests = (hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest())
    for future in earlier:  # submitted before this one, so already running or done: no deadlock
        other = future.result()
        if other.digests == digests:
            return dataclasses.replace(other, name=name, reused=reused)
    crc = zlib.crc32(data)
    if data.startswith(COMPRESSED_MAGIC):
        return Packed(name, len(data), digests, crc, STORED, data, reused)
    deflated = deflate(data)
    if len(deflated) >= len(data):
        return Packed(name, len(data), digests, crc, STORED, data, reused)
    return Packed(name, len(data), digests, crc, DEFLATED, deflated, reused)


@dataclass(frozen=True)
class _ZipEntry:
    offset: int  # of its local header
    compressed: int
    method: int
    crc: int
    size: int


@dataclass(frozen=True)
class _Previous:
    """The digests of the previous bag, when it was begun, and where its zip holds each file."""

    bag_dir: Path
    begun_ns: int
    digests: dict[str, tuple[str, str]]
    entries: dict[str, _ZipEntry] = dataclasses.field(default_factory=dict)  # by bag-relative name
    zip_path: Path | None = None

    @classmethod
    def load(cls, bag_dir: Path | None) -> _Previous | None:
        if bag_dir is None:
            return None
        try:
            info = (bag_dir / "bag-info.txt").read_text(encoding="utf-8")
            if f"Bag-Software-Agent: {AGENT}\n" not in info:
                return None  # not written by this code: bagit.txt may not mark its beginning
            begun_ns = (bag_dir / "bagit.txt").stat().st_mtime_ns
            found: list[dict[str, str]] = []
            for algorithm in CHECKSUMS:
                lines = (bag_dir / f"manifest-{algorithm}.txt").read_text(encoding="utf-8").splitlines()
                found.append({_decode_path(p): d for d, _, p in (line.partition("  ") for line in lines)})
        except (OSError, UnicodeDecodeError):
            return None
        sha256, sha512 = found
        digests = {name: (digest, sha512[name]) for name, digest in sha256.items() if name in sha512}
        zip_path = bag_dir.with_name(f"{bag_dir.name}.zip")
        return cls(bag_dir, begun_ns, digests, _zip_entries(zip_path, bag_dir.name), zip_path)

    def compressed(self, name: str, data: bytes, crc: int) -> tuple[int, bytes] | None:
        """The previous zip's entry of `name` (method, data as stored), when it holds these very bytes
        (same size and CRC-32): deflating a file again costs most of a rebuilt package."""
        entry = self.entries.get(name)
        if entry is None or self.zip_path is None or entry.size != len(data) or entry.crc != crc:
            return None
        try:
            with open(self.zip_path, "rb") as archive:
                header = os.pread(archive.fileno(), 30, entry.offset)
                if len(header) != 30 or not header.startswith(b"PK\x03\x04"):
                    return None
                start = entry.offset + 30 + int.from_bytes(header[26:28], "little")
                start += int.from_bytes(header[28:30], "little")
                stored = os.pread(archive.fileno(), entry.compressed, start)
        except OSError:
            return None
        return (entry.method, stored) if len(stored) == entry.compressed else None

    def digests_of(self, name: str, placed: os.stat_result) -> tuple[str, str] | None:
        """The previous digests of `name` (bag-relative), if the file placed there is provably unchanged."""
        known = self.digests.get(name)
        if known is None or placed.st_mtime_ns >= self.begun_ns - _RACY_NS:
            return None
        try:
            previous = os.lstat(self.bag_dir / name)
        except OSError:
            return None
        same = (previous.st_dev, previous.st_ino) == (placed.st_dev, placed.st_ino)
        return known if same and stat.S_ISREG(previous.st_mode) else None


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
            info.header_offset, info.compress_size, info.compress_type, info.CRC, info.file_size
        )
        for info in infos
        if info.filename.startswith(prefix) and info.compress_type in (STORED, DEFLATED)
    }


def _place(data_dir: str, item: Payload, twins: dict[int, list[str]]) -> tuple[bool, os.stat_result]:
    """Put one payload file into the bag: hard-linked, written or copied. Whether it is a link, and its
    status as placed. `twins`: the payload files linked already, by size; content equal to one of them is
    linked to it (the web edition publishes the TEI files too), which spares creating a file."""
    target = os.path.join(data_dir, item.name)
    if item.data is not None:
        same_size = twins.get(len(item.data), ())
        # A twin usually has the file's name (tei/x.xml, html/tei/x.xml): those are compared first.
        for twin in sorted(same_size, key=lambda path: os.path.basename(path) != os.path.basename(target)):
            if _read(twin) == item.data and _link(twin, target):
                return True, os.stat(target)
        _write_new(target, item.data)
        return False, os.stat(target)
    assert item.source is not None
    source = os.fspath(item.source)
    mode = os.lstat(source).st_mode
    if item.link and stat.S_ISREG(mode) and stat.S_IMODE(mode) == FILE_MODE and _link(source, target):
        return True, os.stat(target)
    shutil.copyfile(source, target)
    os.chmod(target, FILE_MODE)
    return False, os.stat(target)


def _link(source: str, target: str) -> bool:
    try:
        os.link(source, target)
        return True
    except OSError:  # another file system, or links not allowed: a copy will do
        return False


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _pack(
    data_dir: str,
    item: Payload,
    placed: os.stat_result,
    previous: _Previous | None,
    earlier: Sequence[concurrent.futures.Future[Packed]],
) -> Packed:
    name = f"data/{item.name}"
    digests = previous.digests_of(name, placed) if previous is not None else None
    if item.data is not None:
        data = item.data
    else:
        data = _read(os.path.join(data_dir, item.name))
        if len(data) != placed.st_size:
            raise CablegramError(
                error(
                    str(item.source), 1, 1, "changed while the deposit was being packaged", "deposit-changed"
                )
            )
    if digests is not None and previous is not None:  # unchanged since the previous package
        crc = zlib.crc32(data)
        stored = previous.compressed(name, data, crc)
        if stored is not None:
            return Packed(name, len(data), digests, crc, stored[0], stored[1], reused=True)
    return _entry(name, data, digests, earlier)


def _in_order(
    submissions: Iterable[Callable[[], concurrent.futures.Future[Packed]]], window: int
) -> Iterator[Packed]:
    """The results of the submissions in their order, with at most `window` of them in flight."""
    pending: deque[concurrent.futures.Future[Packed]] = deque()
    for submit in submissions:
        pending.append(submit())
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def write_bag(
    bag_dir: Path,
    payload: list[Payload],
    info: dict[str, str],
    tag_files: dict[str, bytes],
    zip_path: Path,
    *,
    date: str,
    previous: Path | None = None,
    jobs: int = 1,
) -> BagReport:
    """Make `bag_dir` (new) a BagIt 1.0 bag of `payload` with `info` and `tag_files` (metadata/…), and
    `zip_path` its zip, entries sorted and stamped with `date`. `previous`: an earlier bag of this package
    whose digests may be reused."""
    if any(not name.startswith("metadata/") for name in tag_files):
        raise ValueError("tag files other than the bag's own go under metadata/")
    payload = sorted(payload, key=lambda item: item.name)
    if any(a.name == b.name for a, b in itertools.pairwise(payload)):
        raise ValueError("two payload files of one name")
    bag_dir.mkdir(mode=DIR_MODE)
    bag_dir.chmod(DIR_MODE)
    bagit_txt = BAGIT_TXT.encode("utf-8")
    _write_new(bag_dir / "bagit.txt", bagit_txt)  # first: it marks when this bag was begun
    prior = _Previous.load(previous)
    directories = {bag_dir / "data" / name for item in payload for name in _parents(item.name)}
    for directory in sorted({bag_dir / "data", *directories}):
        directory.mkdir(mode=DIR_MODE)
        directory.chmod(DIR_MODE)
    workers = max(1, jobs)
    manifest: dict[str, list[str]] = {algorithm: [] for algorithm in CHECKSUMS}
    with concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="deposit") as pool:
        # The files to link or copy first, then the contents made here (which may be linked to those).
        data_dir = os.fspath(bag_dir / "data")
        status: dict[str, tuple[bool, os.stat_result]] = {}
        for items in ([i for i in payload if i.data is None], [i for i in payload if i.data is not None]):
            twins: dict[int, list[str]] = {}
            for name, (linked, placed_as) in status.items():
                if linked:
                    twins.setdefault(placed_as.st_size, []).append(os.path.join(data_dir, name))
            done = pool.map(functools.partial(_place, data_dir, twins=twins), items)
            status.update(zip((i.name for i in items), done, strict=True))
        placed = [status[item.name] for item in payload]
        size = sum(status.st_size for _, status in placed)
        info = {**info, "Bag-Software-Agent": AGENT, "Payload-Oxum": f"{size}.{len(payload)}"}
        bag_info = _tag_file(info)
        _write_new(bag_dir / "bag-info.txt", bag_info)
        tags = [_entry("bag-info.txt", bag_info), _entry("bagit.txt", bagit_txt)]
        with ZipWriter(zip_path, date=date) as archive:
            top = bag_dir.name
            for packed in tags:
                _add(archive, top, packed)
            reused = 0
            # Files of one size may be one content (the web edition repeats the TEI files): remembered.
            sizes = Counter(status.st_size for _, status in placed)
            same_size: dict[int, list[concurrent.futures.Future[Packed]]] = {}

            def submission(
                item: Payload, status: os.stat_result
            ) -> Callable[[], concurrent.futures.Future[Packed]]:
                def submit() -> concurrent.futures.Future[Packed]:
                    earlier = tuple(same_size.get(status.st_size, ()))
                    future = pool.submit(_pack, data_dir, item, status, prior, earlier)
                    if sizes[status.st_size] > 1:
                        same_size.setdefault(status.st_size, []).append(future)
                    return future

                return submit

            submissions = (
                submission(item, status) for item, (_, status) in zip(payload, placed, strict=True)
            )
            for packed in _in_order(submissions, window=workers * 16):
                _add(archive, top, packed)
                for algorithm, digest in zip(CHECKSUMS, packed.digests, strict=True):
                    manifest[algorithm].append(f"{digest}  {encode_path(packed.name)}\n")
                reused += packed.reused
            later = {f"manifest-{a}.txt": "".join(lines).encode("utf-8") for a, lines in manifest.items()}
            later.update(tag_files)
            for name in sorted(later):
                target = bag_dir / name
                target.parent.mkdir(mode=DIR_MODE, exist_ok=True)
                target.parent.chmod(DIR_MODE)
                _write_new(target, later[name])
                tags.append(_entry(name, later[name]))
                packed = tags[-1]
                _add(archive, top, packed)
            tags.sort(key=lambda packed: packed.name)
            for index, algorithm in enumerate(CHECKSUMS):
                name = f"tagmanifest-{algorithm}.txt"
                data = "".join(f"{t.digests[index]}  {encode_path(t.name)}\n" for t in tags).encode("utf-8")
                _write_new(bag_dir / name, data)
                packed = _entry(name, data)
                _add(archive, top, packed)
    zip_path.chmod(FILE_MODE)
    return BagReport(len(payload), size, sum(linked for linked, _ in placed), reused)


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
