"""The search index's runner (cablegram.search.Indexing) with a stand-in for pagefind's binary: bundles made
AT_ONCE at a time and every one of them, a failure reported as a warning, a stop that leaves no process.

The real pagefind is run by the web edition's tests (tests/test_html_site.py)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cablegram import search


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A pagefind that logs its start and end (with its output directory) and makes pagefind-ui.js; how
    long it takes and how it ends are read from files beside it."""
    script = tmp_path / "pagefind"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, sys, time\n"
        "from pathlib import Path\n"
        f"here = Path({str(tmp_path)!r})\n"
        "out = sys.argv[sys.argv.index('--output-subdir') + 1]\n"
        "with open(here / 'log', 'a') as log: print('start', out, os.getpid(), file=log)\n"
        "time.sleep(float((here / 'seconds').read_text()))\n"
        "if (here / 'fail').exists(): sys.exit('index broken')\n"
        "(here / 'site' / out).mkdir(parents=True, exist_ok=True)\n"
        "(here / 'site' / out / 'pagefind-ui.js').touch()\n"
        "with open(here / 'log', 'a') as log: print('end', out, file=log)\n"
    )
    script.chmod(0o755)
    (tmp_path / "seconds").write_text("0.3")
    (tmp_path / "site").mkdir()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    search._pagefind.cache_clear()
    yield tmp_path
    search._pagefind.cache_clear()


def _bundles(count: int) -> list[search.Bundle]:
    return [search.Bundle(f"pagefind-{n}", (f"wc-{n}",)) for n in range(1, count + 1)]


def _events(log: Path) -> list[list[str]]:
    return [line.split() for line in log.read_text().splitlines()] if log.exists() else []


def test_every_bundle_is_made_and_never_more_than_at_once(stand_in: Path) -> None:
    todo = _bundles(5)
    made, problems = search.start(stand_in / "site", todo).finish()
    assert (made, problems) == (True, [])
    events = _events(stand_in / "log")
    assert sorted(e[1] for e in events if e[0] == "end") == sorted(b.directory for b in todo)
    running, most = 0, 0
    for event in events:
        running += 1 if event[0] == "start" else -1
        most = max(most, running)
    assert most == search.AT_ONCE


def test_a_failed_bundle_is_a_warning_and_the_index_is_not_made(stand_in: Path) -> None:
    (stand_in / "fail").touch()
    made, problems = search.start(stand_in / "site", _bundles(3)).finish()
    assert not made
    assert [(p.rule, p.severity.value) for p in problems] == [("html-search", "warning")]
    assert "index broken" in problems[0].message


def test_stop_kills_the_running_bundles_and_starts_no_other(stand_in: Path) -> None:
    (stand_in / "seconds").write_text("30")
    indexing = search.start(stand_in / "site", _bundles(4))
    deadline = time.monotonic() + 10
    while len(_events(stand_in / "log")) < search.AT_ONCE and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    indexing.stop()
    assert time.monotonic() - started < 5
    events = _events(stand_in / "log")
    assert [e[0] for e in events] == ["start"] * search.AT_ONCE  # none ended, none other began
    for event in events:
        with pytest.raises(ProcessLookupError):
            os.kill(int(event[2]), 0)
