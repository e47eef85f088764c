"""The build's record of file digests: taken over only while a file's status shows no edit."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cablegram.digests import DIGESTS_NAME, RACY_NS, FileDigests


def _age(path: Path, seconds: float) -> None:
    """Back-date `path`, as a file edited long before the build."""
    status = path.stat()
    old = status.st_mtime_ns - int(seconds * 1e9)
    os.utime(path, ns=(old, old))


def _overwrite_keeping_times(path: Path, data: bytes) -> None:
    """Write `data` over the start of `path` in place (the same inode) and put its times back: only the
    change time tells of the edit."""
    status = path.stat()
    with path.open("r+b") as handle:
        handle.write(data)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_settled_file_is_not_read_again(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"Filippov to Mao Zedong")
    _age(source, 60)
    first = FileDigests(tmp_path)
    assert first.of(source) == _sha(b"Filippov to Mao Zedong")
    assert first.hashed == 1
    first.save()

    again = FileDigests(tmp_path)
    assert again.of(source) == _sha(b"Filippov to Mao Zedong")
    assert again.hashed == 0


def test_an_edit_is_seen_by_size_time_or_a_new_file(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"first")
    _age(source, 60)
    digests = FileDigests(tmp_path)
    digests.of(source)
    digests.save()

    source.write_bytes(b"second, longer")  # size and time differ
    assert FileDigests(tmp_path).of(source) == _sha(b"second, longer")

    status = source.stat()
    replaced = tmp_path / "new.txt"
    replaced.write_bytes(b"second, LONGER")  # same size, the old time, but a new inode
    os.utime(replaced, ns=(status.st_atime_ns, status.st_mtime_ns))
    os.replace(replaced, source)
    assert FileDigests(tmp_path).of(source) == _sha(b"second, LONGER")


def test_a_file_modified_just_before_the_hashing_is_hashed_again(tmp_path: Path) -> None:
    """An edit in the same clock tick as the reading keeps the recorded size and time: such a file is not
    trusted until a later build has hashed it."""
    source = tmp_path / "a.txt"
    source.write_bytes(b"12345")
    digests = FileDigests(tmp_path)
    digests.of(source)
    digests.save()
    _overwrite_keeping_times(source, b"54321")
    later = FileDigests(tmp_path)
    assert later.of(source) == _sha(b"54321")
    assert later.hashed == 1


def test_the_record_is_a_cache(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"text")
    _age(source, 2 * RACY_NS / 1e9)
    (tmp_path / DIGESTS_NAME).write_text("{not json", encoding="utf-8")
    digests = FileDigests(tmp_path)
    assert digests.of(source) == _sha(b"text")
    assert digests.hashed == 1
    digests.save()  # replaces the damaged record
    again = FileDigests(tmp_path)
    assert again.of(source) == _sha(b"text")
    assert again.hashed == 0


def test_a_file_asked_for_twice_in_a_run_is_read_once_unless_written_between(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"first")
    digests = FileDigests(tmp_path)
    assert digests.of(source) == digests.of(source) == _sha(b"first")
    assert digests.hashed == 1
    _overwrite_keeping_times(source, b"FIRST")  # same size: only the change time moves
    assert digests.of(source) == _sha(b"FIRST")
    assert digests.hashed == 2
