"""Where a build's outputs go: a private staging directory, switched into place in one atomic step.

`DIR/html`, `DIR/pdf` and `DIR/deposit` are symbolic links into `DIR/.builds/current`, itself a link to
the newest complete build. A build writes into a fresh `DIR/.builds/<token>/` and, only when every stage
has finished, replaces the `current` link with `os.replace` — atomic on POSIX. A build that dies at any
moment therefore leaves the previous complete build in place, and the next one starts afresh. The build
a switch replaces stays beside the current one until the next build that publishes removes it. A lock on
`DIR/.lock` (released by the kernel when its holder dies, so never stale) keeps two builds apart.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from cablegram.diagnostics import CablegramError, error

STAGES = ("html", "pdf", "deposit")
_HELD: list[int] = []  # the descriptors of the locks this process holds
BUILDS = ".builds"
CURRENT = "current"
_SWEPT = ".swept-"  # an old build being removed


@contextlib.contextmanager
def build_lock(output: Path) -> Iterator[None]:
    output.mkdir(parents=True, exist_ok=True)
    path = output / ".lock"
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise CablegramError(
                error(
                    str(output),
                    1,
                    1,
                    f"another cablegram build is writing here ({holder}); wait for it to finish",
                    "build-locked",
                )
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        _HELD.append(handle.fileno())
        try:
            yield
        finally:
            _HELD.remove(handle.fileno())
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def forget_inherited_locks() -> None:
    """In a worker forked while a build holds its lock: close the inherited descriptor. The lock belongs to
    the open file, so a worker outliving a killed build would otherwise keep every later build out."""
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


def new_staging(output: Path) -> Path:
    """A fresh directory for this build's outputs, beside the previous builds."""
    builds = output / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    token = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    staging = builds / token
    suffix = 1
    while staging.exists():
        suffix += 1
        staging = builds / f"{token}-{suffix}"
    staging.mkdir()
    return staging


def current_build(output: Path) -> Path | None:
    link = output / BUILDS / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def publish(output: Path, staging: Path) -> None:
    """Make `staging` the current build in one step; then point the stage links at it, once (and remove the
    link of a stage it does not have: `build --no-pdf` publishes no print edition). The build it replaces
    stays until the next build sweeps it (sweep_old_builds)."""
    builds = output / BUILDS
    temporary = builds / f".{CURRENT}-{staging.name}"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(staging.name, temporary)
    os.replace(temporary, builds / CURRENT)
    for stage in STAGES:
        link = output / stage
        target = Path(BUILDS) / CURRENT / stage
        wanted = (staging / stage).is_dir()
        if wanted and link.is_symlink() and Path(os.readlink(link)) == target:
            continue
        if link.is_symlink() or link.is_file():
            link.unlink()
        elif link.is_dir():
            # An output directory of an older build layout: kept aside, not deleted.
            os.replace(link, builds / f"{stage}-previous-{staging.name}")
        if wanted:
            os.symlink(target, link)


def link_or_copy(source: Path, target: Path) -> None:
    """Put `source` at `target` as a hard link (a copy across file systems). Only for build outputs: they
    are replaced (atomic_write), never changed in place, so a link shares nothing that could change."""
    from cablegram.fsutil import atomic_write

    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.link")
    try:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        os.link(source, temporary)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        atomic_write(target, source.read_bytes())


def link_new(source: str, target: str) -> bool:
    """Hard-link `source` at `target`, a name not yet taken in an existing directory of a build being
    staged: one system call, where link_or_copy's safe replacement takes four (10,000 of them were a
    second of every rebuild). False when `source` does not exist."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        return False
    except OSError:  # the name is taken, or another file system: replace it safely
        link_or_copy(Path(source), Path(target))
    return True


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


class Sweep:
    """Old builds being removed by a process of their own (`rm -rf`): wait() before the build returns."""

    def __init__(self, process: subprocess.Popen[bytes] | None = None) -> None:
        self._process = process

    def wait(self) -> None:
        if self._process is not None:
            self._process.wait()
            self._process = None


def sweep_old_builds(output: Path) -> Sweep:
    """Start removing every build but the current one: the one before it, which publish() keeps, and what
    killed builds left. Each is renamed first, so that nothing half-removed passes for a build; `rm -rf`
    then removes them beside this build's own work, which would otherwise wait for some 70,000 unlinks at
    10,000 documents (an edition's builds share most files as hard links, so keeping one more costs little
    space)."""
    builds = output / BUILDS
    if not builds.is_dir():
        return Sweep()
    current = current_build(output)
    doomed: list[Path] = []
    for entry in sorted(builds.iterdir()):
        if entry.is_symlink() or not entry.is_dir() or (current is not None and entry.name == current.name):
            continue
        if not entry.name.startswith(_SWEPT):
            swept = builds / f"{_SWEPT}{entry.name}"
            try:
                os.replace(entry, swept)
            except OSError:
                continue  # left for a later build
            entry = swept
        doomed.append(entry)
    if not doomed:
        return Sweep()
    remover = shutil.which("rm")
    if remover is None:
        for entry in doomed:
            shutil.rmtree(entry, ignore_errors=True)
        return Sweep()
    command = [remover, "-rf", "--", *map(str, doomed)]
    return Sweep(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
