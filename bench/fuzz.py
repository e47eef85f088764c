"""Fuzz the converter with mutated page exports (issue 7): it must never crash nor write invalid TEI.

    python bench/fuzz.py --seed S --count N [--jobs J] [--crashes DIR]

Input number i is made by `bench.mutations.make_input(random.Random(f"{S}:{i}"))`, so any single input is
reproducible from the seed and its number, whatever the number of worker processes. Each input is
converted as `cablegram convert` would (see `bench.mutations.check_conversion`); a refusal with a
`CablegramError` is a correct answer. Prints `inputs tried`, `crashes` and `invalid outputs written`, and
exits 1 unless both of the latter are 0. With `--crashes DIR`, each failing input is written to
`DIR/<kind>-<seed>-<i>.txt` with the traceback or validation errors in `DIR/<kind>-<seed>-<i>.log`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

if __name__ == "__main__":  # run as a script: import from the repository, not bench/ (its html.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # would shadow the standard library's)

from lxml import etree

from bench.mutations import Outcome, Result, check_conversion, load_schema, make_input
from cablegram.convert.registers import Registers, load_registers
from cablegram.edition import Edition

REPO = Path(__file__).resolve().parents[1]

_state: tuple[Registers, Edition, etree.RelaxNG] | None = None


def _setup() -> tuple[Registers, Edition, etree.RelaxNG]:
    global _state
    if _state is None:
        edition = Edition.open(REPO)
        _state = (load_registers(edition.tei_dir), edition, load_schema())
    return _state


def run_one(job: tuple[int, int]) -> tuple[int, bytes, Result]:
    seed, index = job
    registers, edition, schema = _setup()
    data = make_input(random.Random(f"{seed}:{index}"))
    return index, data, check_conversion(data, registers, edition.config, schema)


def _results(seed: int, count: int, jobs: int) -> Iterator[tuple[int, bytes, Result]]:
    work = ((seed, i) for i in range(count))
    if jobs <= 1:
        yield from map(run_one, work)
        return
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_setup) as pool:
        yield from pool.imap_unordered(run_one, work, chunksize=32)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz the converter with mutated page exports.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--crashes", type=Path, help="write failing inputs and their logs here")
    args = parser.parse_args(argv)
    if args.crashes:
        args.crashes.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    outcomes: Counter[Outcome] = Counter()
    first_lines: Counter[str] = Counter()
    for index, data, result in _results(args.seed, args.count, args.jobs):
        outcomes[result.outcome] += 1
        if result.ok:
            continue
        last = result.detail.strip().splitlines()[-1] if result.detail.strip() else ""
        first_lines[f"{result.outcome}: {re.sub(r'[0-9]+', 'N', last)[:160]}"] += 1  # one line per kind
        if args.crashes:
            stem = args.crashes / f"{result.outcome}-{args.seed}-{index}"
            stem.with_suffix(".txt").write_bytes(data)
            stem.with_suffix(".log").write_text(
                f"python bench/fuzz.py --seed {args.seed}: input {index}\n\n{result.detail}", encoding="utf-8"
            )
    elapsed = time.perf_counter() - started
    tried = sum(outcomes.values())
    print(f"inputs tried: {tried}")
    print(f"converted: {outcomes[Outcome.CONVERTED]}")
    print(f"refused with a diagnostic: {outcomes[Outcome.REFUSED]}")
    print(f"crashes: {outcomes[Outcome.CRASHED]}")
    print(f"invalid outputs written: {outcomes[Outcome.INVALID]}")
    print(f"seconds: {elapsed:.1f} ({args.jobs} jobs)")
    for line, n in first_lines.most_common(20):
        print(f"  {n:6d} × {line}")
    return 0 if outcomes[Outcome.CRASHED] == 0 and outcomes[Outcome.INVALID] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
