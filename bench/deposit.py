"""Time the deposit stage on the bundled edition: build (bag, zip, metadata, self-check) and --verify.

    .venv/bin/python bench/deposit.py [--runs N]

Converts the bundled sources into a scratch edition first (not timed), then builds the package N times
and verifies it N times, printing the median and the extremes of each.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from cablegram.convert.run import convert_sources
from cablegram.deposit import build_deposit, verify_deposit
from cablegram.edition import Edition

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cablegram-bench-") as scratch:
        root = Path(scratch) / "edition"
        root.mkdir()
        shutil.copy(REPO / "edition.toml", root)
        shutil.copytree(REPO / "sources", root / "sources")
        shutil.copytree(REPO / "tei", root / "tei")
        edition = Edition.open(root)
        convert_sources(edition, edition.sources(), edition.tei_dir, force=True)
        documents = edition.documents()
        out = root / "build" / "deposit"
        builds, verifies = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = build_deposit(edition, documents, out, date="2026-01-01")
            builds.append(time.perf_counter() - start)
            assert result.ok, [d.format() for d in result.diagnostics]
            start = time.perf_counter()
            problems = verify_deposit(out)
            verifies.append(time.perf_counter() - start)
            assert not problems, [d.format() for d in problems]
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        print(f"{len(documents)} documents, package {size / 1e6:.1f} MB, {args.runs} runs")
        for label, times in (("build", builds), ("verify", verifies)):
            ms = [t * 1000 for t in times]
            print(
                f"{label:7} median {statistics.median(ms):7.0f} ms  "
                f"(first {ms[0]:.0f} ms, min {min(ms):.0f}, max {max(ms):.0f})"
            )


if __name__ == "__main__":
    main()
