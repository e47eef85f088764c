"""How long `cablegram validate` takes: per document (the on-save case) and for the whole of tei/.

Schemas are compiled once, up front (reported separately), as in one CLI run. For comparison: Debian's jing
(a new JVM per run) against schema/cablegram.rng and TEI's tei_all.rng, and lxml's tei_all (--tei-all).

    .venv/bin/python bench/validate.py [TEI_DIR] [--repeat N] [--tei-all]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from cablegram.resources import schema_dir
from cablegram.validate import grammar, iter_diagnostics, schematron


def _best(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("tei_dir", nargs="?", type=Path, default=Path("tei"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--tei-all", action="store_true", help="also time lxml's tei_all (compiles in ~7 s)")
    args = parser.parse_args()
    files = sorted(args.tei_dir.glob("*.xml"))
    if not files:
        parser.error(f"no XML files in {args.tei_dir}")

    start = time.perf_counter()
    grammar.compile_all()
    schematron.compiled()
    print(
        f"compile cablegram.rng + cablegram.sch (once per run): "
        f"{1000 * (time.perf_counter() - start):7.1f} ms"
    )

    print(
        f"\nper document (grammar + schematron + cross-file against all of {args.tei_dir}/), "
        f"best/median of {args.repeat}:"
    )
    for path in files:
        best, median = _best(lambda p=path: list(iter_diagnostics([p], tei_dir=args.tei_dir)), args.repeat)
        print(f"  {path.name:24} {1000 * best:7.1f} ms  {1000 * median:7.1f} ms")
    best, median = _best(lambda: list(iter_diagnostics([], tei_dir=args.tei_dir)), args.repeat)
    print(f"  {'whole directory':24} {1000 * best:7.1f} ms  {1000 * median:7.1f} ms  ({len(files)} files)")

    if args.tei_all:
        start = time.perf_counter()
        grammar.tei_all_rng()
        print(f"\nlxml tei_all.rng compile: {time.perf_counter() - start:.2f} s")
        best, median = _best(
            lambda: list(iter_diagnostics([], tei_dir=args.tei_dir, tei_all=True)), args.repeat
        )
        print(f"  whole directory with --tei-all: {1000 * best:7.1f} ms  {1000 * median:7.1f} ms")

    jing = shutil.which("jing")
    if jing:
        print("\njing (Debian; includes JVM start), whole directory:")
        for schema in ("cablegram.rng", "tei_all.rng"):
            best, median = _best(
                lambda s=schema: subprocess.run([jing, str(schema_dir() / s), *map(str, files)], check=False),
                min(args.repeat, 5),
            )
            print(f"  {schema:24} {1000 * best:7.1f} ms  {1000 * median:7.1f} ms")
    else:
        print("\njing not installed: no comparison")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
