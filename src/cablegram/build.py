"""The pipeline in one function: discover → convert → validate → publish (print, web, deposit).

Parallel (issue 8): every per-document stage runs through one executor (`cablegram.executor`: this process,
a local pool, or Dask), which yields results in document order, so the outputs are byte-identical whatever
runs them.

Incremental (issue 8): each published build carries `.state.json`, the content hashes of what it was made
from — sources, TEI files, registers, edition.toml, stylesheets, schemas, the package's code and version —
and, per output, the hash of exactly the inputs that output depends on:

    converted TEI     its source, the registers, edition.toml, the converter
    validation        the file, the registers, the schemas, the validator
    document PDF      its TEI, the registers, edition.toml, the print stylesheets, date and PDF variant
    volume PDF        its documents (in order), the documents that bring the editorial principles, …
    document page     its TEI, the registers, edition.toml, the web stylesheets, its neighbours' ids and
                      titles (previous/next), whether it has a PDF, the date
    index, registers, about, search pages, search index, deposit: everything (rebuilt on any change)

`--no-pdf` leaves the print edition out (no pdf/, no PDF links, no PDFs in the deposit) and keeps the
previous build's PDFs with their hashes in `.kept/`, out of sight, so that the next build with PDFs renders
only the documents that changed meanwhile.

A build starts its staging directory from hard links of the current build's outputs whose hash is
unchanged and renders only the rest; a build with nothing changed does nothing at all — no staging
directory, no switch — and says so. The lock, the staging directory and the atomic switch
(`cablegram.publish`) are as before: a build killed at any moment leaves the previous one in place.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cablegram import __version__, search
from cablegram.diagnostics import CablegramError, Diagnostic, Severity
from cablegram.digests import FileDigests
from cablegram.edition import Edition
from cablegram.fsutil import atomic_write, one_sync_at_the_end, sha256_bytes
from cablegram.publish import (
    Sweep,
    build_lock,
    current_build,
    discard,
    link_new,
    link_or_copy,
    new_staging,
    publish,
    sweep_old_builds,
)

if TYPE_CHECKING:
    from cablegram.cli import Reporter
    from cablegram.executor import Beside, Done, Executor
    from cablegram.html import SitePages
    from cablegram.validate import FileCheck

DEFAULT_VOLUME_SIZE = 200  # documents per volume PDF: bounds the memory of one layout (issue 8 item 5)
STATE_NAME = ".state.json"
STATE_FORMAT = 1
KEPT = ".kept"  # in a build without PDFs: the previous build's PDFs, for the next build with them
# beside the state: each document's summary for the site-wide pages, by id, taken over with its page (the
# page's key covers all a summary depends on) so that a rebuild need not make them all again
SUMMARIES_NAME = ".summaries.json"


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    published: list[Path] = field(default_factory=list)  # TEI documents that reached the editions
    excluded: list[Path] = field(default_factory=list)  # sources or documents left out (--keep-going)
    stopped: bool = False  # the build stopped before publishing anything
    unchanged: bool = False  # nothing changed since the current build: nothing was done
    rendered: dict[str, int] = field(default_factory=dict)  # outputs made afresh, per kind
    reused: dict[str, int] = field(default_factory=dict)  # outputs taken over from the previous build

    @property
    def ok(self) -> bool:
        return not self.stopped and not self.excluded

    def summary(self) -> str:
        if self.stopped:
            return "build stopped: fix the errors above (or use --keep-going to leave those documents out)"
        if self.unchanged:
            text = f"nothing changed: the build of {len(self.published)} documents is up to date"
        else:
            text = f"built {len(self.published)} documents"
            made = ", ".join(
                f"{kind} {self.rendered.get(kind, 0)} rendered, {self.reused.get(kind, 0)} reused"
                for kind in ("pdf", "html")
                if self.rendered.get(kind) or self.reused.get(kind)
            )
            if made and any(self.reused.values()):
                text += f" ({made})"
        if self.excluded:
            names = ", ".join(p.name for p in self.excluded)
            text += f"; left out {len(self.excluded)} with errors: {names}"
        return text


# -- hashes --------------------------------------------------------------------------------------------


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def tree_hash(*roots: Path, suffixes: tuple[str, ...] = ()) -> str:
    """One hash of every file under `roots`: names relative to their root, and contents."""
    digest = hashlib.sha256()
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            if "__pycache__" in path.parts or (suffixes and path.suffix not in suffixes):
                continue
            name = path.name if path == root else path.relative_to(root).as_posix()
            digest.update(f"{root.name}/{name}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """The tool's side of every output's hash: its version and code, stylesheets and schemas."""

    code: str
    html: str  # xslt/html and xslt/common, with the site's assets
    print: str  # xslt/print, xslt/common and xslt/html/text.xsl (which print.xsl imports), print.css
    manual: str  # xslt/odd
    schema: str

    @classmethod
    def of_tool(cls) -> Fingerprint:
        from cablegram.resources import schema_dir, xslt_dir

        package = Path(__file__).resolve().parent
        xslt = xslt_dir()
        code = _digest(__version__, tree_hash(package, suffixes=(".py",)))
        return cls(
            code=code,
            html=tree_hash(xslt / "html", xslt / "common"),
            print=tree_hash(xslt / "print", xslt / "common", xslt / "html" / "text.xsl"),
            manual=tree_hash(xslt / "odd"),
            schema=tree_hash(schema_dir()),
        )


# -- the state of a published build --------------------------------------------------------------------


def _load_state(build_dir: Path | None) -> dict[str, Any]:
    if build_dir is None:
        return {}
    try:
        state = json.loads((build_dir / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("format") == STATE_FORMAT else {}


def _diagnostics_json(diagnostics: Iterable[Diagnostic]) -> list[dict[str, Any]]:
    return [d.as_dict() for d in diagnostics]


def _diagnostics_of(data: Iterable[dict[str, Any]]) -> list[Diagnostic]:
    return [
        Diagnostic(d["path"], d["line"], d["column"], Severity(d["severity"]), d["message"], d["rule"])
        for d in data
    ]


# -- the build ----------------------------------------------------------------------------------------


def build(
    edition: Edition,
    output: Path,
    *,
    keep_going: bool,
    reporter: Reporter,
    date: str | None = None,
    jobs: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    volume_size: int | None = DEFAULT_VOLUME_SIZE,
    pdf: bool = True,
) -> BuildResult:
    """Convert what is missing or out of date, validate, then publish every edition. Nothing is published
    unless the whole build succeeds (or, with --keep-going, only the documents that passed); nothing is
    done when nothing changed since the current build. Without `pdf` (`--no-pdf`, the editors' quick
    rebuild) the print edition is left out: no pdf/, no PDF links on the pages, no PDFs in the deposit."""
    from cablegram.executor import make_executor

    result = BuildResult()
    with build_lock(output):
        previous_dir = current_build(output)
        previous = _load_state(previous_dir)
        tool = Fingerprint.of_tool()
        runner = make_executor(jobs, executor, scheduler)
        sweep: Sweep | None = None
        try:
            plan = _Plan(
                edition, output, tool, previous, previous_dir, date, keep_going, volume_size, runner, pdf
            )
            # the deposit hashes and deflates in threads of this process: --jobs sizes them when the
            # workers are local too
            plan.deposit_jobs = jobs if executor == "local" else None
            documents = plan.convert_and_validate(reporter, result)
            plan.digests.save()
            if result.stopped:
                return result
            result.published = documents
            if plan.unchanged(documents):
                result.unchanged = True
                result.diagnostics.extend(_diagnostics_of(previous.get("later", [])))
                return result
            sweep = sweep_old_builds(output)
            staging = new_staging(output)
            try:
                with one_sync_at_the_end():
                    plan.publish_stages(documents, staging, reporter=reporter, result=result)
                    atomic_write(staging / STATE_NAME, json.dumps(plan.state, sort_keys=True) + "\n")
                if not result.stopped:
                    os.sync()  # everything staged is on disk before the switch makes it current
            except BaseException:
                discard(staging)
                raise
            if result.stopped:
                discard(staging)
                return result
            publish(output, staging)
        finally:
            runner.close()
            if sweep is not None:
                sweep.wait()
    return result


class _Principles:
    """The documents' editorial principles, recorded in the state once per distinct text: every document
    repeats the edition's (about 1.5 KB), which made most of a 26 MB state at 10,000 documents, read and
    written by every rebuild. A recorded check names its principles by a key into state["principles"]."""

    def __init__(self, recorded: dict[str, list[str]]) -> None:
        self.recorded = recorded
        self.used: dict[str, list[str]] = {}
        self._keys: dict[tuple[str, ...], str] = {}

    def expand(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """A recorded check as FileCheck.from_json takes it; None if its principles were not recorded."""
        facts = data["facts"]
        if not isinstance(facts[3], str):
            return data
        texts = self.recorded.get(facts[3])
        return None if texts is None else {**data, "facts": [*facts[:3], texts]}

    def compact(self, check: FileCheck) -> dict[str, Any]:
        data = check.to_json()
        texts = check.facts.principles
        key = self._keys.get(texts)
        if key is None:
            key = self._keys[texts] = _digest(list(texts))[:16]
        self.used[key] = list(texts)
        data["facts"][3] = key
        return data

    def keep(self, data: dict[str, Any]) -> dict[str, Any]:
        """A recorded check taken over as it was: its principles stay recorded."""
        key = data["facts"][3]
        if isinstance(key, str):
            self.used[key] = self.recorded[key]
        return data


@dataclass
class _WebFinishing:
    """What the web stage leaves running when it returns: the pages about the whole edition, made in a
    process of their own when there is a core to spare, and the search index (pagefind). The deposit waits
    for them only when it comes to list the web edition's files, so that both run beside its own work: a
    changed summary makes the index page of a 10,000-document edition again (3 s of Saxon), and pagefind
    re-indexes a bundle after every correction (1-2 s)."""

    site: Beside[SitePages] | Done[SitePages] | None
    record_site: Callable[[dict[str, list[Diagnostic]]], list[Diagnostic]]
    indexing: search.Indexing | None
    html_dir: Path
    searchable: bool
    pages: bool
    result: BuildResult
    done: bool = False

    def wait(self) -> None:
        """Wait for both; record the site pages' diagnostics; raise what stopped the site pages."""
        if self.done:
            return
        self.done = True
        try:
            _, by_page, problems = self.site.result() if self.site is not None else ([], {}, [])
        except BaseException:
            self._stop_indexing()
            raise
        if problems:
            self._stop_indexing()
            raise CablegramError(problems)
        self.result.diagnostics.extend(self.record_site(by_page))
        if self.searchable:
            self.result.diagnostics.extend(search.finish(self.indexing, self.html_dir, pages=self.pages)[1])
        else:
            self.result.diagnostics.append(search.not_installed(self.html_dir))

    def stop(self) -> None:
        if not self.done:
            self.done = True
            if self.site is not None:
                self.site.stop()
            self._stop_indexing()

    def _stop_indexing(self) -> None:
        if self.indexing is not None:
            self.indexing.stop()


class _Plan:
    """One build: what the previous build's state says, what changed, what to render."""

    def __init__(
        self,
        edition: Edition,
        output: Path,
        tool: Fingerprint,
        previous: dict[str, Any],
        previous_dir: Path | None,
        date: str | None,
        keep_going: bool,
        volume_size: int | None,
        executor: Executor,
        with_pdf: bool = True,
    ) -> None:
        from cablegram.html import build_date

        self.edition = edition
        self.output = output
        self.tool = tool
        self.previous = previous
        self.previous_dir = previous_dir
        self.date = date
        # the dates on the pages (as render_html and build_pdfs always chose them); "today" is not part of
        # any hash: an unchanged page keeps the date of the build that made it
        explicit = date is not None or bool(os.environ.get("SOURCE_DATE_EPOCH"))
        self.html_date = build_date()
        self.pdf_date = date if date is not None else self.html_date
        self.dated = _digest(self.html_date, self.pdf_date) if explicit else ""
        self.keep_going = keep_going
        self.volume_size = volume_size
        self.executor = executor
        self.with_pdf = with_pdf
        self.deposit_jobs: int | None = None
        config_file = edition.root / "edition.toml"
        self.config_hash = sha256_bytes(config_file.read_bytes()) if config_file.is_file() else ""
        self.registers = {p.name: sha256_bytes(p.read_bytes()) for p in edition.registers()}
        self.state: dict[str, Any] = {"format": STATE_FORMAT, "version": __version__}
        self.checks: dict[Path, FileCheck] = {}
        self.tei_hashes: dict[Path, str] = {}
        self.digests = FileDigests(output)
        self.relative = edition.relative
        self._made_dirs: set[Path] = set()  # of the staging directory, for the links into it

    # -- convert and validate ------------------------------------------------------------------------

    def convert_and_validate(self, reporter: Reporter, result: BuildResult) -> list[Path]:
        from cablegram.convert.run import convert_sources

        edition = self.edition
        convert_key = _digest(self.tool.code, self.config_hash, self.registers)
        known_sources: dict[str, Any] = (
            self.previous.get("sources", {}) if self.previous.get("convert_key") == convert_key else {}
        )
        source_hashes: dict[Path, str] = {}
        skipped: set[Path] = set()

        def known(source: Path) -> Path | None:
            try:
                digest = self.digests.of(source)
            except OSError:
                return None  # the conversion reads it and says why it cannot
            source_hashes[source] = digest
            entry = known_sources.get(self.relative(source))
            if not entry or entry.get("hash") != digest:
                return None
            target: Path = edition.tei_dir / str(entry["tei"])
            try:
                if self.digests.of(target) != entry.get("tei_hash"):
                    return None
            except OSError:
                return None
            skipped.add(source)
            return target

        sources = edition.sources()
        with reporter.progress("converting", len(sources)) as advance:
            converted = convert_sources(
                edition,
                sources,
                edition.tei_dir,
                keep_going=self.keep_going,
                advance=advance,
                executor=self.executor,
                known=known,
            )
        # A source not converted again replays the warnings its conversion gave (unknown names …).
        per_source: dict[Path, list[Diagnostic]] = {}
        for source in sources:
            if source not in converted.by_source:
                continue  # not reached: the conversion stopped at an earlier failure
            found = converted.by_source[source]
            if source in skipped and source in converted.targets:
                found = _diagnostics_of(known_sources[self.relative(source)].get("diagnostics", []))
            per_source[source] = found
            result.diagnostics.extend(found)
        result.excluded.extend(converted.failed)
        if converted.failed and not self.keep_going:
            result.stopped = True
            return []
        self.state["convert_key"] = convert_key
        self.state["sources"] = {
            self.relative(source): {
                "hash": source_hashes.get(source, ""),
                "tei": target.name,
                # a TEI file taken as it was has its digest already; one converted now, or kept as
                # edited by hand, is read
                "tei_hash": self.digests.of(target),
                "diagnostics": _diagnostics_json(per_source.get(source, [])),
            }
            for source, target in sorted(converted.targets.items())
            if target not in converted.hand_edited and target.is_file()
        }

        documents = edition.documents()
        invalid = self._validate(documents, reporter, result)
        if invalid and not self.keep_going:
            result.stopped = True
            return []
        result.excluded.extend(sorted(invalid))
        return [d for d in documents if d not in invalid]

    def _validate(self, documents: list[Path], reporter: Reporter, result: BuildResult) -> set[Path]:
        """Validate every document and register (unchanged files: their recorded checks); the documents
        with errors."""
        from cablegram.validate import FileCheck, check_files

        edition = self.edition
        validate_key = _digest(self.tool.code, self.tool.schema, self.registers)
        recorded: dict[str, Any] = (
            self.previous.get("files", {}) if self.previous.get("validate_key") == validate_key else {}
        )

        # the recorded checks taken over, recorded again as they were (check_files may still refuse one)
        taken: dict[Path, tuple[FileCheck, dict[str, Any]]] = {}
        principles = _Principles(self.previous.get("principles", {}) if recorded else {})

        def cached(path: Path) -> FileCheck | None:
            try:
                digest = self.digests.of(path)
            except OSError:
                return None  # check_files reads it and reports why it cannot
            self.tei_hashes[path] = digest
            entry = recorded.get(path.name)
            if entry is None or entry.get("hash") != digest:
                return None
            whole = principles.expand(entry["check"])
            if whole is None:
                return None
            check = FileCheck.from_json(whole)
            taken[path] = (check, entry["check"])
            return check

        files = [*documents, *edition.registers()]
        with reporter.progress("validating", len(files)) as advance:
            found, checks = check_files(files, executor=self.executor, cached=cached, advance=advance)
        self.checks = dict(zip(files, checks, strict=True))
        self.state["validate_key"] = validate_key
        self.state["files"] = {
            path.name: {
                "hash": self.tei_hashes.get(path, ""),
                "check": (
                    principles.keep(taken[path][1])
                    if path in taken and taken[path][0] is check
                    else principles.compact(check)
                ),
            }
            for path, check in self.checks.items()
        }
        self.state["principles"] = principles.used
        result.diagnostics.extend(found)
        bad_paths = {d.path for d in found if d.severity is Severity.ERROR}
        if not bad_paths:
            return set()
        return {doc for doc in documents if self.relative(doc) in bad_paths or str(doc) in bad_paths}

    # -- what changed --------------------------------------------------------------------------------

    def _settings(self) -> dict[str, Any]:
        from cablegram.html import pagefind_available

        return {
            "tool": [self.tool.code, self.tool.html, self.tool.print, self.tool.manual, self.tool.schema],
            "config": self.config_hash,
            "registers": self.registers,
            "date": self.date,
            "dated": self.dated,
            "keep_going": self.keep_going,
            "volume_size": self.volume_size,
            "pdf": self.with_pdf,
            "search": pagefind_available(),
        }

    def unchanged(self, documents: list[Path]) -> bool:
        """Nothing to do: the same documents, files and settings as the current build, and it is whole."""
        self.state["inputs"] = _digest(
            self._settings(),
            [(p.name, self.tei_hashes.get(p, "")) for p in documents],
            sorted(self.state.get("sources", {}).items()),
        )
        if self.previous_dir is None or self.previous.get("inputs") != self.state["inputs"]:
            return False
        stages = ("html", "pdf", "deposit") if self.with_pdf else ("html", "deposit")
        return all((self.previous_dir / stage).is_dir() for stage in stages)

    def _reuse(self, kind: str, name: str, key: str, target: Path) -> list[Diagnostic] | None:
        """Hard-link the previous build's `kind` output `name` into `target` when its key is the same; its
        recorded diagnostics, or None when it must be made afresh."""
        entry = self.previous.get(kind, {}).get(name)
        if self.previous_dir is None or not entry or entry.get("key") != key:
            return None
        if target.parent not in self._made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(target.parent)
        if not link_new(str(self.previous_dir / entry["file"]), str(target)):
            return None
        return _diagnostics_of(entry.get("diagnostics", []))

    # -- publishing ----------------------------------------------------------------------------------

    def publish_stages(
        self, documents: list[Path], staging: Path, *, reporter: Reporter, result: BuildResult
    ) -> None:
        """The editions, in dependency order: print first (the web pages link the PDFs), then web, deposit."""
        before = len(result.diagnostics)
        facts = {path: self.checks[path].facts for path in documents}
        from cablegram.html import date_order

        order_facts = [(f.doc_id or p.stem, f.title, f.when) for p, f in facts.items()]
        order_key = _digest(order_facts, self.tool.html)
        if self.previous.get("order", {}).get("key") == order_key:
            order = list(self.previous["order"]["ids"])
        else:
            order = date_order(order_facts)
        self.state["order"] = {"key": order_key, "ids": order}
        by_id = {f.doc_id or p.stem: p for p, f in facts.items()}

        if self.with_pdf:
            pdfs = self._pdfs(documents, order, by_id, staging, reporter=reporter, result=result)
        else:
            pdfs = {}
            self._keep_pdfs(staging)
        finishing = self._html(documents, order, by_id, pdfs, staging, reporter=reporter, result=result)

        from cablegram.deposit import build_deposit

        try:
            deposit = build_deposit(
                self.edition,
                documents,
                staging / "deposit",
                html_dir=staging / "html",
                pdf_dir=staging / "pdf" if self.with_pdf else None,
                date=self.date,
                validated=True,  # convert_and_validate has just checked the documents and registers
                previous=self.previous_dir / "deposit" if self.previous_dir is not None else None,
                jobs=self.deposit_jobs,
                html_ready=finishing.wait,
            )
        except BaseException:
            finishing.stop()
            raise
        finishing.wait()  # the deposit returned early, before it listed the web edition
        result.diagnostics.extend(deposit.diagnostics)
        # what the publishing stages reported, replayed by a build that finds nothing changed
        self.state["later"] = _diagnostics_json(result.diagnostics[before:])
        if not deposit.ok or any(d.severity is Severity.ERROR for d in result.diagnostics[before:]):
            result.stopped = True

    def _keep_pdfs(self, staging: Path) -> None:
        """A build without the print edition keeps the previous build's PDFs out of sight (hard links in
        .kept/, with their keys), so that the next build with PDFs renders only what changed meanwhile
        instead of all of them."""
        if self.previous_dir is None:
            return
        for kind in ("pdf", "volumes"):
            kept: dict[str, Any] = {}
            for name, entry in sorted(self.previous.get(kind, {}).items()):
                source = self.previous_dir / entry["file"]
                if not source.is_file():
                    continue
                file = f"{KEPT}/{kind}/{source.name}"
                link_or_copy(source, staging / file)
                kept[name] = {**entry, "file": file}
            self.state[kind] = kept

    def _pdfs(
        self,
        documents: list[Path],
        order: list[str],
        by_id: dict[str, Path],
        staging: Path,
        *,
        reporter: Reporter,
        result: BuildResult,
    ) -> dict[str, Path]:
        from cablegram.executor import Lazy
        from cablegram.pdf import (
            DocumentLayout,
            PrintSetup,
            font_problems,
            plan_volumes,
            principle_sources,
            render_documents,
        )
        from cablegram.pdf import render_volume_pdfs as render_volumes
        from cablegram.pdf.render import DEFAULT_VARIANT
        from cablegram.pdf.transform import print_registers

        pdf_dir = staging / "pdf"
        pdf_dir.mkdir(parents=True, exist_ok=True)
        absent = font_problems()
        if absent:
            result.diagnostics.extend(absent)
            return {}
        common = _digest(
            self.tool.code, self.tool.print, self.config_hash, self.registers, self.dated, DEFAULT_VARIANT
        )
        self.state["pdf"] = {}
        self.state["volumes"] = {}
        keys = {path: _digest(common, self.tei_hashes.get(path, "")) for path in documents}
        todo: list[Path] = []
        done: dict[Path, list[Diagnostic] | None] = {}
        for path in documents:
            doc_id = self.checks[path].facts.doc_id or path.stem
            done[path] = self._reuse("pdf", doc_id, keys[path], pdf_dir / f"{doc_id}.pdf")
            if done[path] is None:
                todo.append(path)
        setup = PrintSetup(
            self.edition, str(pdf_dir), DEFAULT_VARIANT, self.pdf_date, tuple(print_registers(self.edition))
        )
        rendered: dict[Path, tuple[bool, list[Diagnostic]]] = {}
        layouts: dict[
            Path, DocumentLayout | None
        ] = {}  # where each document's text fell: predicts the volume
        setup_diagnostics: list[Diagnostic] = []
        with reporter.progress("print edition", len(todo)) as advance:
            for path, made in render_documents(
                setup, Lazy(len(todo), todo.__getitem__), executor=self.executor, advance=advance
            ):
                if made.raised:
                    raise CablegramError(list(made.diagnostics))
                setup_diagnostics = setup_diagnostics or list(made.setup)
                doc_id = self.checks[path].facts.doc_id or path.stem
                if made.pdf is not None:
                    atomic_write(pdf_dir / f"{doc_id}.pdf", made.pdf)
                rendered[path] = (made.pdf is not None, list(made.diagnostics))
                layouts[path] = made.layout
        result.rendered["pdf"] = len(todo)
        result.reused["pdf"] = len(documents) - len(todo)
        result.diagnostics.extend(setup_diagnostics)
        ok: list[Path] = []
        for path in documents:
            doc_id = self.checks[path].facts.doc_id or path.stem
            reused = done[path]
            diagnostics = reused if reused is not None else rendered[path][1]
            result.diagnostics.extend(diagnostics)
            if reused is not None:
                layouts[path] = DocumentLayout.from_json(
                    self.previous.get("pdf", {}).get(doc_id, {}).get("layout")
                )
            if (pdf_dir / f"{doc_id}.pdf").is_file():
                ok.append(path)
                self.state["pdf"][doc_id] = {
                    "key": keys[path],
                    "file": f"pdf/{doc_id}.pdf",
                    "diagnostics": _diagnostics_json(diagnostics),
                }
                layout = layouts.get(path)
                if layout is not None:
                    self.state["pdf"][doc_id]["layout"] = layout.to_json()
        if not ok:
            return {}
        ordered = [by_id[i] for i in order if by_id[i] in set(ok)]
        principles = principle_sources([(p, self.checks[p].facts.principles) for p in documents])
        volumes = plan_volumes(documents, ordered, self.volume_size, principles, layouts)
        volume_keys = [
            _digest(
                common,
                v.name,
                v.label,
                v.documents,
                v.principles,
                [self.tei_hashes.get(Path(f), "") for f in v.files],
            )
            for v in volumes
        ]
        todo_volumes = []
        volume_diagnostics: dict[str, list[Diagnostic]] = {}
        for volume, key in zip(volumes, volume_keys, strict=True):
            reused_volume = self._reuse("volumes", volume.name, key, pdf_dir / volume.name)
            if reused_volume is None:
                todo_volumes.append(volume)
            else:
                volume_diagnostics[volume.name] = reused_volume
        with reporter.progress("volumes", len(todo_volumes)) as advance:
            for volume, made in render_volumes(setup, todo_volumes, executor=self.executor, advance=advance):
                if made.raised:
                    raise CablegramError(list(made.diagnostics))
                if made.pdf is not None:
                    atomic_write(pdf_dir / volume.name, made.pdf)
                volume_diagnostics[volume.name] = list(made.diagnostics)
        result.rendered["volumes"] = len(todo_volumes)
        for volume, key in zip(volumes, volume_keys, strict=True):
            result.diagnostics.extend(volume_diagnostics[volume.name])
            if (pdf_dir / volume.name).is_file():
                self.state["volumes"][volume.name] = {
                    "key": key,
                    "file": f"pdf/{volume.name}",
                    "diagnostics": _diagnostics_json(volume_diagnostics[volume.name]),
                }
        return {path.stem: path for path in sorted(pdf_dir.glob("wc-*.pdf"))}

    def _html(
        self,
        documents: list[Path],
        order: list[str],
        by_id: dict[str, Path],
        pdfs: dict[str, Path],
        staging: Path,
        *,
        reporter: Reporter,
        result: BuildResult,
    ) -> _WebFinishing:
        from cablegram.executor import Beside, Done, Lazy
        from cablegram.html import (
            HtmlResult,
            HtmlSettings,
            PageItem,
            copy_site,
            in_date_order,
            make_site_pages,
            pagefind_available,
            register_files,
            site_page_inputs,
            site_summaries,
            write_pages,
        )

        html_dir = staging / "html"
        settings = HtmlSettings.of(self.edition, search=pagefind_available(), date=self.html_date)
        common = _digest(
            self.tool.code,
            self.tool.html,
            self.config_hash,
            self.registers,
            self.dated,
            settings.search,
            settings.schema_files,
        )
        titles = {doc_id: self.checks[by_id[doc_id]].facts.title for doc_id in order}
        self.state["html"] = {}
        todo: list[tuple[str, Path, tuple[str, str] | None, tuple[str, str] | None]] = []
        page_diagnostics: dict[str, list[Diagnostic]] = {}
        keys: dict[str, str] = {}
        kept = self._previous_summaries()
        summaries: dict[str, str] = {}  # by path, as write_pages and render_site take them
        for position, doc_id in enumerate(order):
            prev = order[position - 1] if position > 0 else None
            after = order[position + 1] if position + 1 < len(order) else None
            neighbours = ((prev, titles[prev]) if prev else None, (after, titles[after]) if after else None)
            path = by_id[doc_id]
            keys[doc_id] = _digest(common, self.tei_hashes.get(path, ""), neighbours, doc_id in pdfs)
            reused = self._reuse("html", doc_id, keys[doc_id], html_dir / f"{doc_id}.html")
            if reused is None:
                todo.append((doc_id, path, *neighbours))
            else:
                page_diagnostics[doc_id] = reused
                if doc_id in kept:
                    summaries[str(path)] = kept[doc_id]

        def item(index: int) -> tuple[str, PageItem]:
            doc_id, path, prev, after = todo[index]
            return doc_id, PageItem(
                str(path),
                path.read_bytes(),
                prev,
                after,
                doc_id in pdfs,
                doc_id=doc_id,
                checked=self.tei_hashes.get(path, ""),  # the digest of the bytes _validate checked
            )

        web = HtmlResult(html_dir)
        with reporter.progress("web edition", len(todo)) as advance:
            write_pages(
                Lazy(len(todo), item),
                html_dir,
                web,
                settings=settings,
                edition=self.edition,
                executor=self.executor,
                advance=advance,
                by_page=page_diagnostics,
                summaries=summaries,
            )
        result.rendered["html"] = len(todo)
        result.reused["html"] = len(order) - len(todo)
        for doc_id in order:
            found = page_diagnostics.get(doc_id, [])
            result.diagnostics.extend(found)
            self.state["html"][doc_id] = {
                "key": keys[doc_id],
                "file": f"html/{doc_id}.html",
                "diagnostics": _diagnostics_json(found),
            }
        site = HtmlResult(html_dir)
        # the search index over the finished document pages (the only ones it indexes), made while this
        # process makes the pages about the whole edition, as render_html does; a bundle whose pages are
        # all the previous build's is taken over
        bundles = search.bundles(order)
        todo_bundles = (
            self._search_bundles(bundles, keys, common, html_dir) if settings.search and order else []
        )
        indexing = search.start(html_dir, todo_bundles) if todo_bundles else None
        merged = search.merged(bundles) if settings.search else []
        site_pages: Beside[SitePages] | Done[SitePages] | None = None
        try:
            in_order = in_date_order(documents, order, by_id)
            summed = site_summaries(in_order, summaries, executor=self.executor)
            pdf_ids = sorted(key for key, pdf in pdfs.items() if pdf.is_file())
            # each page its own key, of what it reads: a page whose inputs are unchanged is taken over
            site_keys = {
                name: _digest(common, inputs, pdf_ids, merged if name == "search.html" else [])
                for name, inputs in site_page_inputs(self.edition, summed).items()
            }
            reused_site: dict[str, list[Diagnostic]] = {}
            todo_site = []
            for name, key in site_keys.items():
                reused_page = self._reuse("site", name, key, html_dir / name)
                if reused_page is None:
                    todo_site.append(name)
                else:
                    reused_site[name] = reused_page
            if todo_site:
                # in a process of its own (Beside) while this one links, copies and goes on to the deposit
                making = Beside if self.executor.jobs > 1 else Done
                site_pages = making(
                    make_site_pages,
                    self.edition,
                    summed,
                    html_dir,
                    settings=settings,
                    pdfs=pdfs,
                    search_bundles=merged,
                    only=todo_site,
                )
            result.rendered["site"] = len(todo_site)
            result.reused["site"] = len(site_keys) - len(todo_site)

            def record_site(by_page: dict[str, list[Diagnostic]]) -> list[Diagnostic]:
                found_all: list[Diagnostic] = []
                self.state["site"] = {}
                for name, key in site_keys.items():
                    found = reused_site.get(name) or by_page.get(name, [])
                    found_all.extend(found)
                    self.state["site"][name] = {
                        "key": key,
                        "file": f"html/{name}",
                        "diagnostics": _diagnostics_json(found),
                    }
                return found_all

            linked = self._link_tei([*documents, *register_files(self.edition)], html_dir / "tei")
            manual_key = _digest(self.tool.manual, self.tool.schema, self.tool.code)
            copy_site(
                self.edition,
                documents,
                html_dir,
                site,
                settings=settings,
                pdfs=pdfs,
                manual=True,
                linked=linked,
                manual_from=self._previous_manual(manual_key),
            )
            if site.manual:  # a placeholder page is no manual to take over
                self.state["manual"] = manual_key
        except BaseException:
            if site_pages is not None:
                site_pages.stop()
            if indexing is not None:
                indexing.stop()
            raise
        result.diagnostics.extend(site.diagnostics)
        by_path = {str(by_id[doc_id]): doc_id for doc_id in order}
        kept_now = {by_path[path]: summary for path, summary in summaries.items() if path in by_path}
        # the previous file when no summary changed (a correction in a letter's text): 20 MB at 10,000
        # documents, written again in a third of a second
        if (
            self.previous_dir is None
            or kept_now != kept
            or not link_new(str(self.previous_dir / SUMMARIES_NAME), str(staging / SUMMARIES_NAME))
        ):
            atomic_write(
                staging / SUMMARIES_NAME, json.dumps(kept_now, sort_keys=True, ensure_ascii=False) + "\n"
            )
        return _WebFinishing(
            site_pages,
            record_site,
            indexing,
            html_dir,
            searchable=settings.search,
            pages=bool(order),
            result=result,
        )

    def _search_bundles(
        self, bundles: list[search.Bundle], page_keys: dict[str, str], common: str, html_dir: Path
    ) -> list[search.Bundle]:
        """Record each search bundle's key (its pages' keys); hard-link those whose key is unchanged from
        the previous build; the bundles that must be made afresh."""
        recorded = self.previous.get("search", {})
        self.state["search"] = {}
        todo = []
        for bundle in bundles:
            pages = bundle.pages or tuple(page_keys)
            key = _digest(common, bundle.directory, [(doc_id, page_keys[doc_id]) for doc_id in pages])
            self.state["search"][bundle.directory] = key
            previous = self.previous_dir / "html" / bundle.directory if self.previous_dir else None
            if previous is None or recorded.get(bundle.directory) != key or not previous.is_dir():
                todo.append(bundle)
                continue
            into = html_dir / bundle.directory
            for directory, _, names in os.walk(previous):
                made = os.path.join(into, os.path.relpath(directory, previous))
                os.makedirs(made, exist_ok=True)
                for name in names:
                    link_new(os.path.join(directory, name), os.path.join(made, name))
        return todo

    def _previous_manual(self, key: str) -> Path | None:
        """The previous build's encoding manual, if it was made of the same ODD, stylesheets and code
        (`key`)."""
        if self.previous_dir is None or self.previous.get("manual") != key:
            return None
        return self.previous_dir / "html" / "about" / "encoding.html"

    def _previous_summaries(self) -> dict[str, str]:
        """The summaries the previous build kept, by document id (none when it kept none)."""
        if self.previous_dir is None:
            return {}
        try:
            kept = json.loads((self.previous_dir / SUMMARIES_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(kept, dict):
            return {}
        return {str(key): value for key, value in kept.items() if isinstance(value, str)}

    def _link_tei(self, files: list[Path], target: Path) -> list[Path]:
        """Hard-link into `target` the previous build's copies of `files` whose hash is unchanged (the
        site ships every TEI source: copying 10,000 of them again is most of a small rebuild); the files
        linked."""
        if self.previous_dir is None:
            return []
        recorded = self.previous.get("files", {})
        linked: list[Path] = []
        previous, into = str(self.previous_dir / "html" / "tei"), str(target)
        target.mkdir(parents=True, exist_ok=True)
        for path in files:
            digest = self.tei_hashes.get(path)
            if not digest or recorded.get(path.name, {}).get("hash") != digest:
                continue
            if link_new(os.path.join(previous, path.name), os.path.join(into, path.name)):
                linked.append(path)
        return linked
