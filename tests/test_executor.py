"""executor.Beside, one call in a process of its own beside the build's work, and the module that
`python -m cablegram` runs, which worker processes import again."""

from __future__ import annotations

import multiprocessing
import os
import runpy
import sys
import time

import pytest

from cablegram.executor import Beside, Done


def test_a_call_beside_runs_in_another_process_and_returns_its_value() -> None:
    pid = Beside(os.getpid).result()
    assert isinstance(pid, int) and pid != os.getpid()
    assert Beside(sorted, [3, 1, 2], reverse=True).result() == [3, 2, 1]
    assert not multiprocessing.active_children()  # result() does not leave the process behind


def test_a_call_beside_raises_its_exception_in_this_process() -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        Beside(int, "not a number").result()
    assert not multiprocessing.active_children()


def test_a_call_beside_that_is_stopped_leaves_no_process() -> None:
    pending = Beside(time.sleep, 600)
    assert multiprocessing.active_children()
    pending.stop()
    assert not multiprocessing.active_children()


def test_done_is_the_same_call_made_here() -> None:
    assert Done(os.getpid).result() == os.getpid()
    with pytest.raises(ValueError):
        Done(int, "not a number")


def test_a_worker_importing_the_main_module_again_runs_no_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # spawn and forkserver workers import the main module of `python -m cablegram` as __mp_main__; a
    # command line there must not run (it ran a build of its own, which found the build locked)
    monkeypatch.setattr(sys, "argv", ["cablegram", "--version"])
    runpy.run_module("cablegram", run_name="__mp_main__", alter_sys=False)
    assert capsys.readouterr().out == ""
    with pytest.raises(SystemExit) as stopped:
        runpy.run_module("cablegram", run_name="__main__", alter_sys=False)
    assert stopped.value.code == 0
    assert "cablegram" in capsys.readouterr().out
