"""The whole pipeline measured on a synthetic corpus (issue 8, item 2).

    .venv/bin/python bench/run.py --count 1000 --jobs 2 [--seed 1] [--work DIR] [--pdf-sample 100]
        [--peer-stylesheets /work/peers/Stylesheets] [--json bench-results.json] [--no-build]

For each stage (convert, validate, html, pdf, deposit) and for the whole `cablegram build`, with `--jobs 1`
and `--jobs N`: wall time, documents per second and peak RSS (of the largest process: each measurement
runs in a fresh child process, workers included). Per document (one process, warm): median and p95. In the
same run, a floor — parsing and serializing each TEI file with lxml, and an identity transform of it with
saxonche — and every stage's per-document median as a multiple of that floor. With --peer-stylesheets (a
checkout of the TEI Consortium's Stylesheets) and Debian's Saxon-HE, FOP and jing: the TEI Stylesheets'
HTML profile in one Saxon batch, their FO profile + FOP per document (on a sample), and jing with
tei_all.rng, on the same TEI files, side by side with ours. PDF figures come from `--pdf-sample` documents
(all of them with --pdf-sample 0).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # bench/html.py would shadow the standard library's html package
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]
REGISTERS = ("persons.xml", "places.xml", "organisations.xml", "corrections.xml")
SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")
DATE = "2026-11-30"


# -- measured in a child process (--stage), so that peak RSS is the stage's own ----------------------


def _stage(name: str, edition_dir: Path, jobs: int, out: Path, sample: int) -> dict[str, Any]:
    from cablegram.edition import Edition
    from cablegram.executor import make_executor

    edition = Edition.open(edition_dir)
    executor = make_executor(jobs)
    documents = edition.documents()
    start = time.perf_counter()
    count = len(documents)
    if name == "convert":
        from cablegram.convert.run import convert_sources

        sources = edition.sources()
        count = len(sources)
        convert_sources(edition, sources, out / "tei", executor=executor)
    elif name == "validate":
        from cablegram.validate import check_files

        found, _ = check_files([*documents, *edition.registers()], executor=executor)
        assert not [d for d in found if d.severity == "error"], found[:3]
    elif name == "html":
        from cablegram.html import render_html

        pdfs = {p.stem: p for p in sorted((out.parent / "pdf-out").glob("wc-*.pdf"))}
        render_html(edition, documents, out / "html", pdfs=pdfs, executor=executor, date=DATE)
    elif name == "pdf":
        from cablegram.pdf import build_pdfs

        chosen = documents[:sample] if sample else documents
        count = len(chosen)
        build_pdfs(edition, chosen, out / "pdf", build_date=DATE, executor=executor, volume_size=200)
    elif name == "deposit":
        from cablegram.deposit import build_deposit

        # validated: as the build calls it (the validate stage has just checked documents and registers)
        build_deposit(
            edition,
            documents,
            out / "deposit",
            html_dir=out / "html",
            pdf_dir=out / "pdf",
            date=DATE,
            validated=True,
        )
    elif name == "build":
        from cablegram.cli import main as cablegram

        executor.close()
        status = cablegram(
            ["-C", str(edition_dir), "build", "-q", "-o", str(out), "--date", DATE, "--jobs", str(jobs)]
        )
        assert status == 0, status
    else:
        raise SystemExit(f"unknown stage {name}")
    executor.close()
    # peak RSS of the largest process: this one or one of its workers (ru_maxrss is in KiB on Linux)
    rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {"wall": time.perf_counter() - start, "count": count, "rss_mb": round(rss / 1024, 1)}


def _run_child(args: list[str]) -> dict[str, Any]:
    """Run `bench/run.py --stage …` in a fresh process: its figures (wall time, peak RSS)."""
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr[-3000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    result: dict[str, Any] = json.loads(lines[-1]) if lines else {"wall": wall}
    result["stderr"] = done.stderr[-2000:]
    return result


# -- per document, one process, warm --------------------------------------------------------------


def _per_document(edition_dir: Path, sample: int, pdf_sample: int) -> dict[str, list[float]]:
    from lxml import etree

    from cablegram.convert.run import ConvertTask
    from cablegram.edition import Edition
    from cablegram.executor import run_one
    from cablegram.fsutil import sha256_bytes
    from cablegram.html import HtmlSettings, PageItem, PageTask, register_files
    from cablegram.pdf import DocumentPdfTask, PrintSetup
    from cablegram.pdf.transform import print_registers
    from cablegram.validate import ValidateTask, register_bytes

    edition = Edition.open(edition_dir)
    documents = edition.documents()[:sample]
    sources = edition.sources()[:sample]
    times: dict[str, list[float]] = {
        k: [] for k in ("floor-lxml", "floor-saxon", "convert", "validate", "html")
    }
    times["pdf"] = []

    def timed(key: str, run: Callable[..., object], *args: Any) -> None:
        start = time.perf_counter()
        run(*args)
        times[key].append(time.perf_counter() - start)

    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    identity = processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_text='<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:mode on-no-match="shallow-copy"/></xsl:stylesheet>'
    )
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for path in documents:
        data = path.read_bytes()
        timed("floor-lxml", lambda d: etree.tostring(etree.fromstring(d, parser), encoding="utf-8"), data)
        timed("floor-saxon", lambda d: identity.transform_to_string(xdm_node=processor.parse_xml(xml_text=d)),
              data.decode("utf-8"))  # fmt: skip
    convert = ConvertTask.for_edition(edition)
    for source in sources:
        item = (edition.relative(source), str(source), source.read_bytes())
        run_one(convert, item)  # the first run sets up (once per worker): not counted
        break
    for source in sources:
        item = (edition.relative(source), str(source), source.read_bytes())
        timed("convert", run_one, convert, item)
    validate = ValidateTask(register_bytes(edition.registers()), key="bench-validate")
    run_one(validate, (str(documents[0]), documents[0].name, documents[0].read_bytes()))
    for path in documents:
        item3 = (str(path), path.name, path.read_bytes())
        timed("validate", run_one, validate, item3)
    settings = HtmlSettings.of(edition, search=True, date=DATE)
    pages = PageTask(settings, register_bytes(register_files(edition)), key="bench-html")
    neighbour = ("wc-000000", "A neighbour")
    run_one(pages, PageItem(str(documents[0]), documents[0].read_bytes(), neighbour, neighbour, True))
    for path in documents:
        # as the build gives it: validated just before (above), so its digest lets Saxon parse it directly
        data = path.read_bytes()
        page = PageItem(str(path), data, neighbour, neighbour, True, path.stem, sha256_bytes(data))
        timed("html", run_one, pages, page)
    setup = PrintSetup(
        edition, str(edition_dir / "build-bench"), "pdf/a-3u", DATE, tuple(print_registers(edition))
    )
    pdf = DocumentPdfTask(setup, key="bench-pdf")
    run_one(pdf, (str(documents[0]), documents[0].read_bytes()))
    for path in documents[:pdf_sample]:
        file = (str(path), path.read_bytes())
        timed("pdf", run_one, pdf, file)
    return times


# -- peers ----------------------------------------------------------------------------------------


def _peers(stylesheets: Path, tei: Sequence[Path], pdf_sample: int, work: Path) -> dict[str, float]:
    """Seconds per document of the TEI Consortium's route on the same files."""
    found: dict[str, float] = {}
    if not SAXON_JAR.is_file() or shutil.which("java") is None:
        print("peers: Debian's libsaxonhe-java is not installed", file=sys.stderr)
        return found
    source = work / "peer-in"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    for path in tei:
        shutil.copy(path, source / path.name)
    target = work / "peer-html"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    start = time.perf_counter()
    subprocess.run(
        ["java", "-jar", str(SAXON_JAR), f"-s:{source}", f"-xsl:{stylesheets}/profiles/default/html/to.xsl",
         f"-o:{target}"],
        check=True, capture_output=True,
    )  # fmt: skip
    found["html"] = (time.perf_counter() - start) / len(tei)
    if shutil.which("jing"):
        start = time.perf_counter()
        subprocess.run(["jing", str(REPO / "schema" / "tei_all.rng"), *map(str, tei)], capture_output=True)
        found["validate"] = (time.perf_counter() - start) / len(tei)
    if shutil.which("fop") and pdf_sample:
        config = work / "fop.xconf"
        config.write_text(
            '<fop version="1.0"><renderers><renderer mime="application/pdf"><fonts><auto-detect/></fonts>'
            "</renderer></renderers></fop>"
        )
        chosen = list(tei)[: min(pdf_sample, 10)]
        start = time.perf_counter()
        for path in chosen:
            fo = work / f"{path.stem}.fo"
            subprocess.run(
                ["java", "-jar", str(SAXON_JAR), f"-s:{path}",
                 f"-xsl:{stylesheets}/profiles/default/fo/to.xsl", f"-o:{fo}"],
                check=True, capture_output=True,
            )  # fmt: skip
            subprocess.run(
                ["fop", "-c", str(config), "-fo", str(fo), "-pdf", str(work / f"{path.stem}.pdf")],
                check=True, capture_output=True,
            )  # fmt: skip
        found["pdf"] = (time.perf_counter() - start) / len(chosen)
    return found


# -- the report -----------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f}"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


def prepare(work: Path, count: int, seed: int) -> Path:
    edition = work / "edition"
    if (edition / "sources").is_dir() and len(list((edition / "sources").glob("*.txt"))) == count:
        return edition
    shutil.rmtree(edition, ignore_errors=True)
    (edition / "tei").mkdir(parents=True)
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "corpus.py"), "--seed", str(seed), "--count", str(count),
         "--out", str(edition / "sources")],
        check=True, capture_output=True,
    )  # fmt: skip
    shutil.copy(REPO / "edition.toml", edition / "edition.toml")
    for name in REGISTERS:
        shutil.copy(REPO / "tei" / name, edition / "tei" / name)
    return edition


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--sample", type=int, default=200, help="documents timed one by one")
    parser.add_argument("--pdf-sample", type=int, default=100, help="documents rendered to PDF (0: all)")
    parser.add_argument("--peer-stylesheets", type=Path)
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--no-build", action="store_true", help="skip the whole-build measurements")
    parser.add_argument("--build-jobs", type=int, nargs="*", default=None,
                        help="--jobs of the whole-build measurements (default: 1 and N)")  # fmt: skip
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--edition", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:  # the child process of one measurement
        print(json.dumps(_stage(args.stage, args.edition, args.jobs, args.out, args.pdf_sample)))
        return 0

    args.build_jobs = args.build_jobs if args.build_jobs is not None else [1, args.jobs]
    work = args.work or Path(tempfile.mkdtemp(prefix="cablegram-bench-"))
    edition = prepare(work, args.count, args.seed)
    me = [sys.executable, str(Path(__file__).resolve())]
    results: dict[str, Any] = {"count": args.count, "seed": args.seed, "jobs": args.jobs, "stages": {}}
    # convert once into the edition itself (the other stages read tei/)
    subprocess.run([sys.executable, "-m", "cablegram", "-C", str(edition), "convert", "-q"], check=True)
    for jobs in sorted({1, args.jobs}):
        out = work / f"out-{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        for stage in ("convert", "validate", "pdf", "html", "deposit"):
            found = _run_child(
                [*me, "--stage", stage, "--edition", str(edition), "--jobs", str(jobs), "--out", str(out),
                 "--pdf-sample", str(args.pdf_sample)]
            )  # fmt: skip
            if stage == "pdf":
                (out.parent / "pdf-out").mkdir(exist_ok=True)
            results["stages"].setdefault(stage, {})[str(jobs)] = found
            print(f"  {stage:9} --jobs {jobs}: {found['wall']:.1f} s for {found['count']}", file=sys.stderr)
        if not args.no_build:
            build_dir = work / f"build-{jobs}"
            shutil.rmtree(build_dir, ignore_errors=True)
            if jobs not in args.build_jobs:
                continue
            command = [
                *me,
                "--stage",
                "build",
                "--edition",
                str(edition),
                "--jobs",
                str(jobs),
                "--out",
                str(build_dir),
            ]
            first = _run_child(command)
            results["stages"].setdefault("build", {})[str(jobs)] = first | {"count": args.count}
            print(f"  build     --jobs {jobs}: {first['wall']:.1f} s", file=sys.stderr)
            if jobs == args.jobs:
                again = _run_child(command)
                results["rebuild-unchanged"] = again["wall"]
                source = sorted((edition / "sources").glob("*.txt"))[
                    len(list((edition / "sources").glob("*.txt"))) // 2
                ]
                text = source.read_text(encoding="utf-8")
                source.write_text(_corrected(text), encoding="utf-8")
                try:
                    one = _run_child(command)
                finally:
                    source.write_text(text, encoding="utf-8")
                results["rebuild-one-changed"] = one["wall"]
    _settle()
    per_doc = _per_document(edition, args.sample, args.pdf_sample or args.sample)
    results["per_document"] = {
        key: {"median": statistics.median(v), "p95": _p95(v), "n": len(v)} for key, v in per_doc.items() if v
    }
    floor = results["per_document"]["floor-lxml"]["median"] + results["per_document"]["floor-saxon"]["median"]
    results["floor"] = floor
    if args.peer_stylesheets:
        _settle()
        results["peers"] = _peers(args.peer_stylesheets, sorted(edition.glob("tei/wc-*.xml"))[: args.sample],
                                  args.pdf_sample, work)  # fmt: skip
    for stage in results["stages"].values():
        for found in stage.values():
            found.pop("stderr", None)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    _print(results)
    return 0


def _settle() -> None:
    """Let the kernel write out what the builds left in its cache before timing one document at a time: in
    a run without this pause, the writeback's CPU made the per-document medians 15-45% higher than on a
    quiet machine (web pages 3.6 ms against 2.5)."""
    os.sync()
    time.sleep(3)


def _corrected(text: str) -> str:
    """A correction in the text of a letter, as an editor makes one: a sentence added to its last paragraph
    (the last long line of the page export; the summary stands near the top)."""
    lines = text.splitlines(keepends=True)
    last = max(i for i, line in enumerate(lines) if len(line) > 200)
    lines[last] = lines[last].rstrip("\n") + " Noted.\n"
    return "".join(lines)


def _print(results: dict[str, Any]) -> None:
    jobs = str(results["jobs"])
    per = results["per_document"]
    peers = results.get("peers", {})
    floor = results["floor"]
    print(f"\n{results['count']} documents (seed {results['seed']}); floor {_ms(floor)} ms/doc "
          f"(lxml parse+serialize {_ms(per['floor-lxml']['median'])}, saxonche identity "
          f"{_ms(per['floor-saxon']['median'])})\n")  # fmt: skip
    head = (f"| stage | wall --jobs 1 (s) | wall --jobs {jobs} (s) | docs/s --jobs {jobs} | median ms/doc | "
            "p95 ms/doc | × floor | peak RSS MB | peer ms/doc | peer ÷ ours (stage, --jobs N) |")  # fmt: skip
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    for name in ("convert", "validate", "html", "pdf", "deposit", "build"):
        stage = results["stages"].get(name)
        if not stage:
            continue
        one, many = stage.get("1", {}), stage.get(jobs, stage.get("1", {}))
        count = many.get("count") or results["count"]
        rate = count / many["wall"] if many.get("wall") else 0.0
        doc = per.get(name)
        median = _ms(doc["median"]) if doc else "–"
        p95 = _ms(doc["p95"]) if doc else "–"
        times = f"{doc['median'] / floor:.0f}" if doc else "–"
        rss = max(x or 0 for x in (one.get("rss_mb"), many.get("rss_mb")))
        peer = peers.get(name)
        ratio = f"{peer / (many['wall'] / count):.1f}×" if peer else "–"
        walls = f"{one.get('wall', 0):.1f} | {many.get('wall', 0):.1f}"
        print(f"| {name} | {walls} | {rate:.1f} | {median} | {p95} | "
              f"{times} | {rss:.0f} | {_ms(peer) if peer else '–'} | {ratio} |")  # fmt: skip
    if "rebuild-unchanged" in results:
        print(f"\nrebuild, nothing changed: {results['rebuild-unchanged']:.1f} s; "
              f"one document changed: {results['rebuild-one-changed']:.1f} s")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
