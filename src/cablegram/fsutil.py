"""File-system helpers: every output is written atomically, so a failed run never leaves half a file."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _default_mode()
_FSYNC_EACH = [True]


@contextlib.contextmanager
def one_sync_at_the_end() -> Iterator[None]:
    """Inside, atomic_write does not fsync each file: a build writing thousands of files into a private
    staging directory makes them durable with one os.sync() before its atomic switch (issue 8). The rename
    still makes each file whole or absent."""
    previous = _FSYNC_EACH[0]
    _FSYNC_EACH[0] = False
    try:
        yield
    finally:
        _FSYNC_EACH[0] = previous


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write to a temporary file in the same directory, fsync, then rename over the target."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _FILE_MODE)  # mkstemp makes 0600; published files must be readable by others
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if _FSYNC_EACH[0]:
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}")
_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?", re.IGNORECASE)


def output_path(directory: Path, stem: str, suffix: str, *, source: str = "") -> Path:
    """The file `stem + suffix` in `directory`, for a stem that comes from a document (its xml:id).

    A stem that could leave the directory (`../`, an absolute path), hide (a leading dot) or name a device
    on some systems (`CON`, `NUL` …) is refused: output names come from untrusted files (issue 7)."""
    from cablegram.diagnostics import CablegramError, error

    if not _SAFE_NAME.fullmatch(stem) or ".." in stem or _RESERVED.fullmatch(stem):
        raise CablegramError(
            error(
                source or str(directory),
                1,
                1,
                f"the id {stem!r} cannot name an output file; give the "
                "document an id of letters, digits, '-', '_' and '.'",
                "output-name",
            )
        )
    target = directory / f"{stem}{suffix}"
    # The name has no separator and is not "." or "..": only a symbolic link in its place could lead out
    # (one lstat, where resolving both paths cost a system call per component for every output file).
    if target.is_symlink():
        raise CablegramError(
            error(source or str(directory), 1, 1, f"{stem!r} leaves {directory}", "output-name")
        )
    return target


class RelativeNames:
    """Paths as diagnostics name them: `str(path.resolve().relative_to(base))` when inside `base`, else the
    path as given — with each directory resolved once. Resolving costs a system call per path component, and
    a build names 10,000 files in one directory (issue 8: a rebuild with nothing changed); os.path's string
    functions, not pathlib's objects, for the same reason."""

    def __init__(self, base: Path) -> None:
        self.base = str(base.resolve())
        self._inside = os.path.join(self.base, "")
        self._dirs: dict[str, str] = {}
        self._names: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        name = self._names.get(path)
        if name is None:
            name = self._names[path] = self._name(path)
        return name

    def _name(self, path: Path) -> str:
        given = os.fspath(path)
        parent, name = os.path.split(given)
        if name in ("", ".", "..") or os.path.islink(given):
            resolved = os.path.realpath(given)
        else:  # a file that is not a link resolves to where its directory resolves
            real = self._dirs.get(parent)
            if real is None:
                real = self._dirs[parent] = os.path.realpath(parent or ".")
            resolved = os.path.join(real, name)
        if resolved == self.base:
            return "."
        return resolved[len(self._inside) :] if resolved.startswith(self._inside) else str(path)
