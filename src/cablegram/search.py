"""The web edition's search index: pagefind, run over the finished document pages.

One index for every language: all pages are lang="en" (the interface), the layers carry their own lang, so
a Russian word finds the Russian original (TOOLCHAIN.md: pagefind makes one index per page language, and a
search from an English page would not see the others). pagefind's command line, not its Python API, which
sends each page through a pipe and reads one answer per 0.1 s.

pagefind holds the whole index in memory while it makes it: about 2.7 GB for 10,000 document pages. So an
edition of more than SHARD_PAGES documents gets several indexes ("bundles": pagefind/, pagefind-2/, …),
made two at a time (AT_ONCE) and searched together by the search page (pagefind's mergeIndex). A document's
bundle is picked by a hash of its id, so a rebuild after one document changed makes one bundle again and
takes the others over (cablegram.build).
"""

from __future__ import annotations

import functools
import hashlib
import math
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cablegram.diagnostics import Diagnostic, warning

# Documents per bundle: about 0.13 GB and 1.2 s of pagefind's time each. A rebuild after one correction
# makes its bundle again, beside its other work on a machine of two cores: at 2,000 documents a bundle was
# half of the rebuild of a 10,000-document edition. But the search page fetches a part of every bundle for
# each query, so an edition has at most MAX_BUNDLES, and the bundles of a larger one grow.
SHARD_PAGES = 500
MAX_BUNDLES = 32
TIMEOUT = 300  # seconds per bundle
# pagefind keeps about 1.4 of two cores busy on its own; two at once fill them (two bundles of 500 pages:
# 1.7 s instead of 2.1)
AT_ONCE = 2


@dataclass(frozen=True)
class Bundle:
    """One pagefind index: its directory in the site and the ids of the document pages it indexes (none:
    every page of the site, as pagefind finds them)."""

    directory: str
    pages: tuple[str, ...] = ()


def bundles(doc_ids: Sequence[str]) -> list[Bundle]:
    """The bundles of an edition of these documents: one, pagefind/, up to SHARD_PAGES documents; at most
    MAX_BUNDLES."""
    count = max(1, min(MAX_BUNDLES, math.ceil(len(doc_ids) / SHARD_PAGES)))
    if count == 1:
        return [Bundle("pagefind")]
    shards: list[list[str]] = [[] for _ in range(count)]
    for doc_id in doc_ids:
        shards[int.from_bytes(hashlib.sha256(doc_id.encode("utf-8")).digest()[:4], "big") % count].append(
            doc_id
        )
    return [
        Bundle("pagefind" if index == 0 else f"pagefind-{index + 1}", tuple(sorted(pages)))
        for index, pages in enumerate(shards)
        if pages
    ]


def merged(made: Sequence[Bundle]) -> list[str]:
    """The bundles the search page merges into the first one's results (pagefind/ loads itself)."""
    return [bundle.directory for bundle in made[1:]]


def not_installed(out_dir: Path) -> Diagnostic:
    message = "pagefind is not installed (pip install 'pagefind[extended]'): the site has no search index"
    return warning(str(out_dir), 1, 1, message, "html-search")


@dataclass
class Indexing:
    """pagefind over some bundles of `out_dir`, AT_ONCE at a time, in a thread: started, not waited for."""

    out_dir: Path
    todo: Sequence[Bundle]
    problems: list[Diagnostic] = field(default_factory=list)
    _running: list[subprocess.Popen[str]] = field(default_factory=list)
    _stopped: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _thread: threading.Thread | None = None

    def start(self) -> Indexing:
        self._thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        waiting = list(self.todo)
        while waiting or self._running:
            with self._lock:
                if self._stopped:
                    return
                while waiting and len(self._running) < AT_ONCE:
                    try:
                        self._running.append(_launch(self.out_dir, waiting.pop(0)))
                    except OSError as exc:
                        self._fail(f"pagefind failed: {exc}")
                        return
            # the oldest first: bundles are of one size, so it is also the first to end
            oldest = self._running[0]
            try:
                stdout, stderr = oldest.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired as exc:
                oldest.kill()
                oldest.communicate()
                self._fail(f"pagefind failed: {exc}")
                self.stop_running()
                return
            with self._lock:
                self._running.remove(oldest)
            if oldest.returncode != 0 and not self._stopped:
                self._fail(f"pagefind failed: {' '.join((stderr or stdout).split())[:500]}")
                self.stop_running()
                return

    def _fail(self, message: str) -> None:
        self.problems.append(warning(str(self.out_dir), 1, 1, message, "html-search"))

    def finish(self) -> tuple[bool, list[Diagnostic]]:
        """Wait for every bundle: whether all were made, and what went wrong."""
        if self._thread is not None:
            self._thread.join()
        made = not self.problems and all(
            (self.out_dir / bundle.directory / "pagefind-ui.js").is_file() for bundle in self.todo
        )
        return made, self.problems

    def stop(self) -> None:
        """Stop now (the build failed): kill the running pagefinds, start no other."""
        with self._lock:
            self._stopped = True
        self.stop_running()
        if self._thread is not None:
            self._thread.join()

    def stop_running(self) -> None:
        """Kill the pagefinds still running, and reap them: no process outlives the stop."""
        with self._lock:
            running = list(self._running)
        for process in running:
            if process.poll() is None:
                process.kill()
            process.wait()


def start(out_dir: Path, todo: Sequence[Bundle]) -> Indexing:
    return Indexing(out_dir, todo).start()


def finish(indexing: Indexing | None, out_dir: Path, *, pages: bool) -> tuple[bool, list[Diagnostic]]:
    """Wait for `indexing` (None: no bundle had to be made). An edition without document pages has nothing
    marked for indexing: pagefind then indexes the site's other pages, now."""
    if not pages:
        indexing = start(out_dir, [Bundle("pagefind")])
    return indexing.finish() if indexing is not None else (True, [])


def _launch(out_dir: Path, bundle: Bundle) -> subprocess.Popen[str]:
    return subprocess.Popen(
        _command(out_dir, bundle), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@functools.cache
def _pagefind() -> list[str]:
    """pagefind's binary itself (pagefind's own lookup: $PAGEFIND_BINARY_PATH, then its wheels), not
    `python -m pagefind`, which starts Python to exec it: 0.1 s of a core for each bundle."""
    try:
        from pagefind.service import get_executable

        found = get_executable()
    except ImportError:
        found = None
    return [str(found)] if found is not None else [sys.executable, "-m", "pagefind"]


def _command(out_dir: Path, bundle: Bundle) -> list[str]:
    command = [
        *_pagefind(),
        "--site",
        str(out_dir),
        "--output-subdir",
        bundle.directory,
        "--force-language",
        "en",
        "--silent",
    ]
    if bundle.pages:  # pagefind's glob syntax: {a.html,b.html} matches either name
        command += ["--glob", "{" + ",".join(f"{page}.html" for page in bundle.pages) + "}"]
    return command
