"""Time the deposit stage: build (bag, zip, metadata, checks), rebuild over it, and --verify.

    .venv/bin/python bench/deposit.py [--runs N]                        # the bundled edition, converted first
    .venv/bin/python bench/deposit.py --edition DIR [--validated] [--jobs N] [--runs N]

With --edition, DIR is an edition that has been built (`cablegram -C DIR build`): its tei/, build/html and
build/pdf are deposited, as `cablegram build` deposits them (--validated: as the build calls it, the documents
having been validated by the build; without, as `cablegram deposit` calls it). Each run builds a package into
a new directory ("build"), then again into the same directory ("rebuild": the previous package is replaced,
and its digests of unchanged files reused). Wall and CPU seconds (all threads), median and extremes.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Run as a script, bench/ comes first on sys.path, and bench/html.py would shadow the standard library's
# `html` (which the converter imports): take the directory off before importing anything else.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from cablegram.convert.run import convert_sources  # noqa: E402
from cablegram.deposit import build_deposit, verify_deposit  # noqa: E402
from cablegram.edition import Edition  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATE = "2026-11-30"


def _timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edition", type=Path, help="a built edition (default: the bundled one)")
    parser.add_argument("--validated", action="store_true", help="as the build calls it")
    parser.add_argument("--jobs", type=int, default=None, help="threads (default: every core)")
    parser.add_argument("--verify", action="store_true", help="also time --verify")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cablegram-bench-", dir=args.edition) as scratch:
        if args.edition is not None:
            edition = Edition.open(args.edition)
            html, pdf = args.edition / "build" / "html", args.edition / "build" / "pdf"
        else:
            root = Path(scratch) / "edition"
            root.mkdir()
            shutil.copy(REPO / "edition.toml", root)
            shutil.copytree(REPO / "sources", root / "sources")
            shutil.copytree(REPO / "tei", root / "tei")
            edition = Edition.open(root)
            convert_sources(edition, edition.sources(), edition.tei_dir, force=True)
            html, pdf = root / "build" / "html", root / "build" / "pdf"
        documents = edition.documents()
        times: dict[str, list[tuple[float, float]]] = {"build": [], "rebuild": [], "verify": []}
        for run in range(args.runs):
            out = Path(scratch) / f"deposit-{run}"
            for label in ("build", "rebuild"):
                wall, cpu, result = _timed(
                    functools.partial(
                        build_deposit,
                        edition,
                        documents,
                        out,
                        html_dir=html,
                        pdf_dir=pdf,
                        date=DATE,
                        validated=args.validated,
                        jobs=args.jobs,
                    )
                )
                assert result.ok, [d.format() for d in result.diagnostics]
                times[label].append((wall, cpu))
            if args.verify:
                wall, cpu, problems = _timed(functools.partial(verify_deposit, out))
                assert not problems, [d.format() for d in problems]
                times["verify"].append((wall, cpu))
            shutil.rmtree(out)
        size = sum(p.stat().st_size for p in html.rglob("*") if p.is_file()) if html.is_dir() else 0
        print(f"{len(documents)} documents, web edition {size / 1e6:.1f} MB, {args.runs} runs")
        for label, found in times.items():
            if not found:
                continue
            walls, cpus = [w for w, _ in found], [c for _, c in found]
            print(
                f"{label:8} wall median {statistics.median(walls):6.2f} s (min {min(walls):.2f}, "
                f"max {max(walls):.2f})  cpu median {statistics.median(cpus):6.2f} s"
            )


if __name__ == "__main__":
    main()
