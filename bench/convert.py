"""How long the converter takes per document: one warm process, the registers read once (as in a worker).

    .venv/bin/python bench/convert.py [EDITION_DIR] [--count N] [--cpu] [--profile FILE]

Converts the first N sources of the edition (default: all) as `cablegram convert` would, without writing,
and prints the median, p95 and total time; the first conversion warms up and is not counted. `--cpu`
measures the process's CPU time instead of wall time (steadier where other processes share the cores).
With `--profile FILE`, the conversions run under cProfile and FILE gets its statistics (the times then
include the profiler's overhead).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script: import from the repository, not bench/ (its html.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # would shadow the standard library's)

from cablegram.convert.run import ConvertTask
from cablegram.edition import Edition
from cablegram.executor import run_one


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("edition", nargs="?", type=Path, default=Path("."))
    parser.add_argument("--count", type=int, default=0, help="convert only the first N sources")
    parser.add_argument("--cpu", action="store_true", help="CPU time of this process, not wall time")
    parser.add_argument("--profile", type=Path, help="profile the conversions and write the statistics here")
    args = parser.parse_args()
    edition = Edition.open(args.edition)
    sources = edition.sources()[: args.count or None]
    if not sources:
        parser.error(f"no sources in {args.edition}")
    items = [(edition.relative(s), str(s), s.read_bytes()) for s in sources]
    task = ConvertTask.for_edition(edition)
    run_one(task, items[0])  # the first run reads the registers (once per worker): not counted

    clock = time.process_time if args.cpu else time.perf_counter
    profiler = cProfile.Profile() if args.profile else None
    times: list[float] = []
    failed = 0
    for item in items:
        if profiler is not None:
            profiler.enable()
        start = clock()
        converted = run_one(task, item)
        times.append(clock() - start)
        if profiler is not None:
            profiler.disable()
        failed += converted.xml is None
    if profiler is not None and args.profile is not None:
        profiler.dump_stats(args.profile)
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(40)

    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{'CPU' if args.cpu else 'wall'}: {len(times)} documents ({failed} refused): "
        f"median {1000 * statistics.median(times):.1f} ms, p95 {1000 * p95:.1f} ms, "
        f"max {1000 * times[-1]:.1f} ms, total {sum(times):.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
