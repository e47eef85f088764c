"""The command line: the one place where problems become lines on stderr and an exit status."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from cablegram import __version__
from cablegram.diagnostics import CablegramError, Diagnostic, Severity, UsageError
from cablegram.edition import Edition
from cablegram.status import ExitStatus

if TYPE_CHECKING:
    from cablegram.executor import Executor


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is an exception for `main` to report, not an exit from deep inside."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


class Reporter:
    """Prints diagnostics and summaries according to --quiet / --verbose."""

    def __init__(self, stream: TextIO, *, quiet: bool, verbose: bool) -> None:
        self.stream = stream
        self.quiet = quiet
        self.verbose = verbose

    warnings = 0  # counted for --strict, which turns warnings into a failure

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.warnings += sum(1 for d in diagnostics if d.severity is Severity.WARNING)
        for diagnostic in diagnostics:
            if self.quiet and diagnostic.severity is not Severity.ERROR:
                continue
            print(diagnostic.format(), file=self.stream)

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message, file=self.stream)

    def detail(self, message: str) -> None:
        if self.verbose:
            print(message, file=self.stream)

    @contextmanager
    def progress(self, label: str, total: int) -> Iterator[Callable[[], None]]:
        """A progress bar on a terminal for more than one file; silence otherwise."""
        if self.quiet or total <= 1 or not self.stream.isatty():
            yield lambda: None
            return
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(file=self.stream), transient=True) as bar:
            task = bar.add_task(label, total=total)
            yield lambda: bar.advance(task)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: at least 1")
    return value


Command = Callable[[argparse.Namespace, Reporter], ExitStatus]


def _add_jobs(parser: argparse.ArgumentParser) -> None:
    """-j/--jobs, the same on every command that works document by document (issue 8)."""
    parser.add_argument(
        "-j", "--jobs", type=_positive, metavar="N", help="worker processes (default: the number of cores)"
    )


def _add_volume_size(parser: argparse.ArgumentParser) -> None:
    from cablegram.build import DEFAULT_VOLUME_SIZE

    parser.add_argument(
        "--volume-size",
        type=_positive,
        default=DEFAULT_VOLUME_SIZE,
        metavar="N",
        help=f"at most N documents per volume PDF (default: {DEFAULT_VOLUME_SIZE}; a smaller edition has one "
        "edition.pdf)",
    )


@contextmanager
def _executor(args: argparse.Namespace) -> Iterator[Executor]:
    """The executor of `--jobs` for one command, closed (its workers gone) whatever happens."""
    from cablegram.executor import make_executor

    runner = make_executor(args.jobs)
    try:
        yield runner
    finally:
        runner.close()


def _edition(args: argparse.Namespace) -> Edition:
    root = Path(args.directory)
    if not root.is_dir():
        raise UsageError(f"cablegram: -C {root}: no such directory")
    return Edition.open(root)


def _output(args: argparse.Namespace, default: Path) -> Path:
    """The directory given with -o, else the stage's default."""
    return Path(args.output) if args.output else default


def _sources(edition: Edition, given: Sequence[str]) -> list[Path]:
    if not given:
        return edition.sources()
    paths = [Path(p) if Path(p).is_absolute() else edition.root / p for p in given]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise UsageError(f"cablegram: no such source file: {', '.join(missing)}")
    return paths


# -- commands ----------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, out: Reporter) -> ExitStatus:
    from cablegram.scaffold import init_edition

    created = init_edition(Path(args.target), title=args.title)
    out.info(f"created a new edition in {created}")
    return ExitStatus.OK


def cmd_convert(args: argparse.Namespace, out: Reporter) -> ExitStatus:
    from cablegram.convert.run import convert_sources

    edition = _edition(args)
    sources = _sources(edition, args.sources)
    out_dir = _output(args, edition.tei_dir)
    with out.progress("converting", len(sources)) as advance, _executor(args) as runner:
        report = convert_sources(
            edition,
            sources,
            out_dir,
            force=args.force,
            check=args.check,
            keep_going=args.keep_going,
            advance=advance,
            executor=runner,
        )
    out.diagnostics(report.diagnostics)
    for path in report.written:
        out.detail(f"wrote {edition.relative(path)}")
    if args.check:
        out.info(
            f"{len(sources)} sources checked: {len(report.out_of_date)} out of date, "
            f"{len(report.hand_edited)} edited by hand, {len(report.failed)} failed"
        )
    else:
        out.info(
            f"{len(sources)} sources: {len(report.written)} written, {len(report.current)} up to date, "
            f"{len(report.hand_edited)} edited by hand (kept), {len(report.failed)} failed"
        )
    return ExitStatus.BAD_INPUT if report.failed or report.out_of_date else ExitStatus.OK


def cmd_validate(args: argparse.Namespace, out: Reporter) -> ExitStatus:
    from cablegram import validate
    from cablegram.validate import report

    edition = _edition(args)
    files = [Path(f) for f in args.files] if args.files else [*edition.documents(), *edition.registers()]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise UsageError(f"cablegram validate: no such file: {', '.join(missing)}")
    with out.progress("validating", len(files)) as advance, _executor(args) as runner:
        diagnostics = list(
            validate.iter_diagnostics(
                files, tei_dir=edition.tei_dir, tei_all=args.tei_all, executor=runner, advance=advance
            )
        )
    if args.format == "json":
        print(report.to_json(diagnostics))
    else:
        out.diagnostics(diagnostics)
        out.info(report.format_summary(diagnostics, len(files)))
    errors = any(d.severity is Severity.ERROR for d in diagnostics)
    return ExitStatus.BAD_INPUT if errors else ExitStatus.OK


def cmd_html(args: argparse.Namespace, out: Reporter) -> ExitStatus:
    from cablegram.html import render_html

    edition = _edition(args)
    output = _output(args, edition.root / "build" / "html")
    documents = edition.documents()
    with out.progress("web edition", len(documents)) as advance, _executor(args) as runner:
        result = render_html(edition, documents, output, advance=advance, executor=runner)
    out.diagnostics(result.diagnostics)
    out.info(result.summary())
    return ExitStatus.OK


def cmd_serve(args: argparse.Namespace, out: Reporter) -> ExitStatus:
    from cablegram.html import serve

    edition = _edition(args)
    directory = Path(args.directory_served) if args.directory_served else edition.root / "build" / "html"
    if not (directory / "index.html").is_file():
        raise UsageError(f"cablegram serve: no site in {directory}; run cablegram html first")
    serve(directory, port=args.port)
    return ExitStatus.OK


def cmd_pdf(args: argparse.Namespace, out: Reporter) -> ExitStatus:
    from cablegram.pdf import build_pdfs

    edition = _edition(args)
    out_dir = _output(args, edition.root / "build" / "pdf")
    documents = edition.documents()
    with out.progress("print edition", len(documents)) as advance, _executor(args) as runner:
        diagnostics = build_pdfs(
            edition, documents, out_dir, volume_size=args.volume_size, executor=runner, advance=advance
        )
    out.diagnostics(diagnostics)
    out.info(f"print edition in {out_dir}")
    return ExitStatus.BAD_INPUT if any(d.severity is Severity.ERROR for d in diagnostics) else ExitStatus.OK


def cmd_deposit(args: argparse.Namespace, out: Reporter) -> ExitStatus:
    from cablegram.deposit import build_deposit, verify_deposit

    if args.verify:
        problems = verify_deposit(Path(args.verify))
        out.diagnostics(problems)
        failed = any(d.severity is Severity.ERROR for d in problems)
        out.info(f"{args.verify}: {'not a valid' if failed else 'a valid'} deposit package")
        return ExitStatus.BAD_INPUT if failed else ExitStatus.OK
    edition = _edition(args)
    build_dir = edition.root / "build"
    output = _output(args, build_dir / "deposit")
    result = build_deposit(
        edition,
        edition.documents(),
        output,
        html_dir=build_dir / "html",
        pdf_dir=build_dir / "pdf",
        date=args.date,
    )
    out.diagnostics(result.diagnostics)
    if result.bag_dir is not None and result.zip_path is not None:
        out.info(f"deposit package in {output}: bag {result.bag_dir.name}/, {result.zip_path.name}")
    return ExitStatus.OK if result.ok else ExitStatus.BAD_INPUT


def cmd_build(args: argparse.Namespace, out: Reporter) -> ExitStatus:
    from cablegram.build import build

    edition = _edition(args)
    output = _output(args, edition.root / "build")
    result = build(
        edition,
        output,
        keep_going=args.keep_going,
        reporter=out,
        date=args.date,
        jobs=args.jobs,
        executor=args.executor,
        scheduler=args.scheduler,
        volume_size=args.volume_size,
        pdf=args.pdf,
    )
    out.diagnostics(result.diagnostics)
    out.info(result.summary())
    return ExitStatus.OK if result.ok else ExitStatus.BAD_INPUT


# -- the parser ----------------------------------------------------------------------------------


def _command(
    commands: Any, common: argparse.ArgumentParser, name: str, run: Command, *, help: str, description: str
) -> argparse.ArgumentParser:
    """A subcommand that takes the common options and runs `run`."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name, parents=[common], help=help, description=description
    )
    parser.set_defaults(run=run)
    return parser


def make_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "-C",
        dest="directory",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="work on the edition in DIR (default: the current directory)",
    )
    common.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print errors only"
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="say more; with an internal error, print the traceback",
    )
    common.add_argument(
        "--strict",
        action="store_true",
        default=argparse.SUPPRESS,
        help="treat warnings as errors (exit status 1)",
    )
    common.add_argument(
        "--traceback",
        action="store_true",
        default=argparse.SUPPRESS,
        help="re-raise internal errors (for bug reports)",
    )

    parser = _Parser(
        prog="cablegram",
        parents=[common],
        description="Build a TEI scholarly edition from archive page exports.",
    )
    parser.add_argument("--version", action="version", version=f"cablegram {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    init = _command(
        commands,
        common,
        "init",
        cmd_init,
        help="start a new edition in a directory",
        description="Create DIR with edition.toml, sources/, tei/ and schema/.",
    )
    init.add_argument("target", metavar="DIR")
    init.add_argument("--title", default="Untitled edition", help="the edition's title")

    convert = _command(
        commands,
        common,
        "convert",
        cmd_convert,
        help="convert sources into TEI",
        description="Convert archive page exports (default: sources/*.txt) into "
        "TEI files in tei/. Files edited by hand are never overwritten without --force.",
    )
    convert.add_argument("sources", nargs="*", metavar="SOURCE")
    convert.add_argument("-o", "--output", metavar="DIR", help="write TEI files to DIR (default: tei/)")
    convert.add_argument("--force", action="store_true", help="overwrite TEI files edited by hand")
    convert.add_argument("--check", action="store_true", help="write nothing; exit 1 if tei/ is out of date")
    convert.add_argument(
        "--keep-going", action="store_true", help="convert the other sources after a failure"
    )
    _add_jobs(convert)

    validate = _command(
        commands,
        common,
        "validate",
        cmd_validate,
        help="validate TEI files",
        description="Check TEI files against the edition's RelaxNG, Schematron "
        "and cross-file rules (default: every file of tei/).",
    )
    validate.add_argument("files", nargs="*", metavar="FILE")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument("--tei-all", action="store_true", help="also check conformance with TEI's tei_all")
    _add_jobs(validate)

    build = _command(
        commands,
        common,
        "build",
        cmd_build,
        help="build the whole edition",
        description="Convert what is missing or out of date, validate, then publish "
        "every output into DIR (default: build/).",
    )
    build.add_argument("-o", "--output", metavar="DIR")
    build.add_argument(
        "--keep-going",
        action="store_true",
        help="leave invalid documents out of the editions and report them at the end",
    )
    build.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="publication date of the deposit metadata (default: $SOURCE_DATE_EPOCH, else the newest input)",
    )
    _add_jobs(build)
    build.add_argument(
        "--executor",
        choices=["local", "dask"],
        default="local",
        help="run the per-document work here (local) or on a Dask cluster (needs --scheduler)",
    )
    build.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="the Dask scheduler's address")
    _add_volume_size(build)
    build.add_argument(
        "--no-pdf",
        dest="pdf",
        action="store_false",
        help="leave out the print edition (a quick rebuild): no build/pdf, no PDF links on the web pages, "
        "no data/pdf in the deposit; the PDFs of the previous build are kept for a later build with them",
    )

    pdf = _command(
        commands,
        common,
        "pdf",
        cmd_pdf,
        help="render the print edition (PDF)",
        description="Render DIR/<id>.pdf for every document and DIR/edition.pdf for the volume "
        "(default: build/pdf/).",
    )
    pdf.add_argument("-o", "--output", metavar="DIR")
    _add_volume_size(pdf)
    _add_jobs(pdf)

    deposit = _command(
        commands,
        common,
        "deposit",
        cmd_deposit,
        help="package the edition for deposit",
        description="Write a BagIt bag of the edition (TEI, schema, web and print editions, DataCite, CMIF "
        "and Zenodo metadata) and its zip into DIR (default: build/deposit/), or re-check one with --verify.",
    )
    target = deposit.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", metavar="DIR")
    target.add_argument("--verify", metavar="DIR", help="re-check the package (or bag) in DIR; write nothing")
    deposit.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="publication date of the metadata (default: $SOURCE_DATE_EPOCH, else the newest input file)",
    )

    html = _command(
        commands,
        common,
        "html",
        cmd_html,
        help="build the web edition",
        description="Render the TEI documents and registers as a static web edition in DIR "
        "(default: build/html/), with its search index.",
    )
    html.add_argument("-o", "--output", metavar="DIR")
    _add_jobs(html)

    serve = _command(
        commands,
        common,
        "serve",
        cmd_serve,
        help="serve the web edition over HTTP (search needs it)",
        description="Serve DIR (default: build/html/) at http://127.0.0.1:PORT/ until interrupted.",
    )
    serve.add_argument("directory_served", nargs="?", metavar="DIR")
    serve.add_argument("-p", "--port", type=int, default=8000)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    words = list(argv if argv is not None else sys.argv[1:])
    traceback_wanted = "--traceback" in words
    verbose_wanted = "-v" in words or "--verbose" in words
    try:
        args = parser.parse_args(argv)
        defaults = (
            ("directory", "."),
            ("quiet", False),
            ("verbose", False),
            ("traceback", False),
            ("strict", False),
        )
        for name, default in defaults:
            if not hasattr(args, name):
                setattr(args, name, default)
        if not getattr(args, "run", None):
            parser.print_help(sys.stderr)
            return ExitStatus.USAGE
        out = Reporter(sys.stderr, quiet=args.quiet, verbose=args.verbose)
        status: ExitStatus = args.run(args, out)
        if status is ExitStatus.OK and args.strict and out.warnings:
            print(f"cablegram: {out.warnings} warning(s) and --strict: failing", file=sys.stderr)
            return ExitStatus.BAD_INPUT
        return int(status)
    except SystemExit as exc:  # --help and --version end parsing with status 0
        return int(exc.code or 0)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return ExitStatus.USAGE
    except CablegramError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return ExitStatus.BAD_INPUT
    except KeyboardInterrupt:
        print("cablegram: interrupted", file=sys.stderr)
        return ExitStatus.INTERRUPTED
    except Exception as exc:
        if traceback_wanted:
            raise
        if verbose_wanted:
            traceback.print_exc()
        print(
            f"cablegram: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug; run again with --verbose for the traceback and report it)",
            file=sys.stderr,
        )
        return ExitStatus.INTERNAL
