"""The Dask executor (issue 8): a LocalCluster on loopback builds the same bytes as the local executor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cablegram.cli import main
from tests.test_parallel import DATE, make_edition, outputs

distributed = pytest.importorskip("distributed")


def test_dask_builds_the_same_bytes_as_the_local_executor(tmp_path: Path) -> None:
    local = make_edition(tmp_path / "local")
    # The local build runs in a fresh process, as the Dask workers do: a test process that has rendered PDFs
    # before keeps font state that was once seen to change PDF bytes (noted on issue 8).
    command = [
        sys.executable,
        "-m",
        "cablegram",
        "-C",
        str(local),
        "build",
        "-q",
        "--date",
        DATE,
        "--jobs",
        "1",
    ]
    assert subprocess.run(command, check=False).returncode == 0
    remote = make_edition(tmp_path / "dask")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    try:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        status = main(
            ["-C", str(remote), "build", "-q", "--date", DATE, "--executor", "dask", "--scheduler", address]
        )
    finally:
        cluster.close()
    assert status == 0
    one, two = outputs(local / "build"), outputs(remote / "build")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
