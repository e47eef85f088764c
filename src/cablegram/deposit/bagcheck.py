"""The checks of a bag and its zip, for `cablegram deposit --verify` (verify.py) and before a package is
written (bag-info's labels). bagit-python is the checker: an implementation other than the writer's
(bag.py), which the tests use as the independent reader too. The library checks the tag manifests' entries
but not that every tag file is listed, so `check_bag` also checks that every file of the bag is named by a
manifest.
"""

from __future__ import annotations

import contextlib
import logging
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cablegram.deposit.bagformat import CHECKSUMS, REQUIRED_INFO
from cablegram.diagnostics import Diagnostic, error, warning


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
