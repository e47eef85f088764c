"""The deposit package (issue 6): a BagIt bag of the whole edition, its zip, and the metadata around it.

    build/deposit/                      the package directory (`-o DIR`)
      <name>/                           the bag (BagIt 1.0, SHA-256 and SHA-512 manifests)
        bagit.txt  bag-info.txt  manifest-*.txt  tagmanifest-*.txt
        metadata/datacite.xml           DataCite 4.5, the edition as a whole
        metadata/cmif.xml               CMIF 1.1, one correspDesc per telegram
        metadata/.zenodo.json           Zenodo deposition metadata
        data/tei/                       the documents, the registers, corpus.xml (teiCorpus)
        data/schema/                    ODD, RelaxNG, XSD, Schematron (+ cablegram-corpus.rng)
        data/html/  data/pdf/           the web and print editions, where they were built
        data/README.txt  data/LICENCE.txt
      <name>.zip                        the bag, zipped reproducibly
      .deposit-cache.json               what the next deposit may take over (cache.py); not in the bag

`<name>` is the last part of the edition's identifier (`urn:cablegram:korean-war-telegrams` →
`korean-war-telegrams`). Its contents are checked before anything is written (`check_contents`), the package
is written into a temporary directory beside DIR and only then renamed into place: a failed run leaves the
previous package as it was. `cablegram deposit --verify` re-checks everything of a package (`verify_deposit`).

Each document is read once, and parsed once, for the metadata and for corpus.xml, unless the previous
package's cache knows its bytes: a rebuild parses only the documents that changed, and takes over the
metadata files when their inputs are the same (cache.py). Each payload file is read once, for both digests
and the zip, or not at all where the previous package provably holds it already (previous.py); the web
and print editions are hard-linked into the bag.

Every date in the metadata comes from `--date`, else from `SOURCE_DATE_EPOCH` (reproducible-builds.org),
else from the newest modification time of the inputs; never from the clock, except `Bagging-Date`, which
records when the bag was made. Two builds from the same inputs give byte-identical metadata files.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cablegram import __version__, xmlio
from cablegram.deposit.bag import BagReport, write_bag
from cablegram.deposit.bagformat import DIR_MODE
from cablegram.deposit.cache import CACHE_NAME, Earlier, canonical, digest_of, tool_key
from cablegram.deposit.cache import save as save_cache
from cablegram.deposit.cmif import build_cmif
from cablegram.deposit.corpus import CORPUS_RNG, CORPUS_RNG_NAME, Member, assemble_corpus, corpus_member
from cablegram.deposit.datacite import build_datacite, build_zenodo
from cablegram.deposit.place import Payload
from cablegram.deposit.records import Registers, Telegram, telegram_from_record, telegram_record
from cablegram.deposit.verify import CORPUS_NAME, check_contents, verify_deposit
from cablegram.diagnostics import CablegramError, Diagnostic, error, has_errors
from cablegram.edition import Edition
from cablegram.executor import default_jobs
from cablegram.resources import schema_dir

__all__ = ["DepositResult", "build_deposit", "package_name", "resolve_date", "verify_deposit"]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_README = "data/README.txt"


@dataclass
class DepositResult:
    package_dir: Path
    bag_dir: Path | None = None  # None when the package was not (re)placed
    zip_path: Path | None = None
    date: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    report: BagReport | None = None  # what writing the bag did (files, bytes, links, digests reused)

    @property
    def ok(self) -> bool:
        return self.bag_dir is not None and not has_errors(self.diagnostics)


def package_name(identifier: str) -> str:
    """The bag's directory name: the identifier's last part, reduced to safe characters."""
    last = re.split(r"[:/]", identifier.strip().rstrip("/:"))[-1] if identifier.strip() else ""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", last).strip(".-")
    return name or "edition"


def resolve_date(date: str | None, inputs: list[Path]) -> str:
    """The publication date: explicit, else SOURCE_DATE_EPOCH, else the newest input's modification day."""
    if date is not None:
        try:
            if not _ISO_DAY.match(date):
                raise ValueError(date)
            dt.date.fromisoformat(date)
        except ValueError:
            raise CablegramError(
                error("--date", 1, 1, f"{date!r} is not a date of the form YYYY-MM-DD", "deposit-date")
            ) from None
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    newest = max((p.stat().st_mtime for p in inputs if p.exists()), default=0.0)
    return dt.datetime.fromtimestamp(newest, dt.UTC).date().isoformat()


def build_deposit(
    edition: Edition,
    documents: list[Path],
    out_dir: Path,
    *,
    html_dir: Path | None = None,
    pdf_dir: Path | None = None,
    date: str | None = None,
    validated: bool = False,
    previous: Path | None = None,
    jobs: int | None = None,
    html_ready: Callable[[], None] | None = None,
) -> DepositResult:
    """Build the package for `documents` (the TEI files that reached the editions) into `out_dir`.

    `validated`: the caller (the build) has just validated the documents and the registers, so the deposit
    does not run the validator over them again. `previous`: an earlier package of this edition (default:
    the one in `out_dir`) whose digests may be reused for files that are provably unchanged (previous.py).
    `jobs`: threads that hash and deflate (default: every core). `html_ready`: called before the files of
    `html_dir` are listed (the build's search index may be in the making until then).
    """
    config = edition.config
    registers = edition.registers()
    config_file = edition.root / "edition.toml"
    day = resolve_date(date, [*documents, *registers, config_file])
    result = DepositResult(package_dir=out_dir, date=day)
    if not documents:
        result.diagnostics.append(
            error(edition.relative(edition.tei_dir), 1, 1, "no documents to deposit", "deposit-empty")
        )
        return result
    _refuse_foreign(out_dir)

    # Gather everything before anything is written (STYLE.md §1). Each document is read once; it is parsed
    # only if the previous package's cache does not know its bytes (cache.py).
    shown = _shown(edition)
    index = Registers.load(registers)
    name = package_name(config.identifier)
    earlier = Earlier.load(previous if previous is not None else out_dir, name)
    workers = jobs if jobs is not None else default_jobs()
    sources, digests = _read_all(documents, shown, workers)
    records: list[tuple[str, str, str]] = []  # sha256, telegram record (canonical JSON), its digest
    members: list[Member] = []
    for path, data, sha256 in zip(documents, sources, digests, strict=True):
        known = earlier.known(sha256)
        if known is not None and known.member is not None:
            record, record_digest, member = known.record, known.record_digest, known.member
        else:
            root = xmlio.parse_bytes(data, str(path)).getroot()
            record = canonical(telegram_record(root))
            record_digest = hashlib.sha256(record.encode("utf-8")).hexdigest()
            member = corpus_member(root)  # last: it takes the tree over
        records.append((sha256, record, record_digest))
        members.append(member)
    corpus = assemble_corpus(
        config,
        members,
        date=day,
        reread=lambda i: xmlio.parse_bytes(sources[i], str(documents[i])).getroot(),
    )
    html = html_dir if html_dir is not None and html_dir.is_dir() else None
    pdf = pdf_dir if pdf_dir is not None and pdf_dir.is_dir() else None
    formats = ["application/tei+xml", "application/xml"]
    formats += ["text/html"] if html else []
    formats += ["application/pdf"] if pdf else []
    register_data = [path.read_bytes() for path in registers]
    metadata_key = digest_of(
        [
            tool_key(),
            dataclasses.asdict(config),
            day,
            formats,
            [html is not None, pdf is not None],
            [
                [path.name, hashlib.sha256(data).hexdigest()]
                for path, data in zip(registers, register_data, strict=True)
            ],
            [[shown(path), record[2]] for path, record in zip(documents, records, strict=True)],
        ]
    )
    reused = earlier.metadata(metadata_key)
    if reused is not None:  # made of the same inputs, and checked, by the previous deposit
        made, problems = reused
        result.diagnostics.extend(problems)
    else:
        telegrams = [
            telegram_from_record(json.loads(record), path, index, shown(path))
            for path, (_, record, _) in zip(documents, records, strict=True)
        ]
        cmif, problems = build_cmif(config, telegrams, date=day)
        result.diagnostics.extend(problems)
        datacite, problems = build_datacite(config, telegrams, date=day, formats=formats)
        result.diagnostics.extend(problems)
        made = {
            "metadata/datacite.xml": datacite,
            "metadata/cmif.xml": cmif,
            "metadata/.zenodo.json": build_zenodo(config, telegrams, date=day),
            _README: _readme(edition, telegrams, day, html, pdf).encode("utf-8"),
        }
    if has_errors(result.diagnostics):
        return result
    made_problems = list(result.diagnostics)
    metadata = {key: data for key, data in made.items() if key.startswith("metadata/")}
    corpus_data = corpus.data
    corpus_sha256 = hashlib.sha256(corpus_data).hexdigest()
    if html_ready is not None:
        html_ready()
    payload = [
        *(
            Payload(f"tei/{path.name}", data=data, sha256=sha256)
            for path, data, sha256 in zip(documents, sources, digests, strict=True)
        ),
        *(
            Payload(f"tei/{path.name}", data=data)
            for path, data in zip(registers, register_data, strict=True)
        ),
        Payload(f"tei/{CORPUS_NAME}", data=corpus_data, sha256=corpus_sha256, pieces=corpus.pieces()),
        *(Payload(f"schema/{name}", source=path) for name, path in _tree_files(schema_dir())),
        Payload(f"schema/{CORPUS_RNG_NAME}", data=CORPUS_RNG.encode("utf-8")),
        *(Payload(f"html/{name}", source=path, link=True) for name, path in _tree_files(html)),
        *(Payload(f"pdf/{name}", source=path, link=True) for name, path in _tree_files(pdf)),
        Payload(_README.removeprefix("data/"), data=made[_README]),
        Payload("LICENCE.txt", data=_licence(edition).encode("utf-8")),
    ]
    info = _bag_info(edition)
    found = check_contents(
        edition.relative(out_dir / name),
        metadata={} if reused is not None else metadata,  # checked when they were made
        corpus=corpus,
        schema_dir=schema_dir(),
        info=info,
        tei_files=None if validated else [*documents, *registers],
        shown=shown,
    )
    result.diagnostics.extend(found)
    if has_errors(found):
        return result

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        scratch.chmod(DIR_MODE)
        result.report = write_bag(
            scratch / name,
            payload,
            info,
            metadata,
            scratch / f"{name}.zip",
            date=day,
            previous=(previous if previous is not None else out_dir) / name,
            pieces=earlier.pieces,
            jobs=workers,
        )
        # What was made of the same inputs next time is taken over only if no check found anything in it.
        clean = reused is not None or not found
        save_cache(
            scratch / CACHE_NAME,
            documents=records,
            corpus=corpus,
            corpus_sha256=corpus_sha256,
            metadata=(metadata_key, made, made_problems) if clean else None,
            pieces=result.report.pieces,
        )
        _install(scratch, out_dir)
    finally:
        if scratch.exists():
            shutil.rmtree(scratch)
    result.bag_dir = out_dir / name
    result.zip_path = out_dir / f"{name}.zip"
    return result


def _shown(edition: Edition) -> Callable[[Path], str]:
    """edition.relative, without resolving every document's path: they are all in tei/."""
    tei_dir = edition.tei_dir
    tei_shown = edition.relative(tei_dir)

    def shown(path: Path) -> str:
        return f"{tei_shown}/{path.name}" if path.parent == tei_dir else edition.relative(path)

    return shown


def _read_all(
    documents: list[Path], shown: Callable[[Path], str], jobs: int
) -> tuple[list[bytes], list[str]]:
    """Every document's bytes and their SHA-256, read and hashed by `jobs` threads (both release the GIL),
    in runs of documents: a task for each of 10,000 would cost more than it saves."""

    def read(paths: list[Path]) -> list[tuple[bytes, str]]:
        return [(data, hashlib.sha256(data).hexdigest()) for data in (_read(p, shown(p)) for p in paths)]

    runs = [documents[start : start + 256] for start in range(0, len(documents), 256)]
    with concurrent.futures.ThreadPoolExecutor(max(1, jobs), thread_name_prefix="deposit-read") as pool:
        found = [pair for done in pool.map(read, runs) for pair in done]
    return [data for data, _ in found], [sha256 for _, sha256 in found]


def _read(path: Path, display: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CablegramError(error(display, 1, 1, f"cannot read file: {exc.strerror}", "io")) from None


def _refuse_foreign(out_dir: Path) -> None:
    """Replace only what a deposit wrote: an empty directory, or bags and zips."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise CablegramError(error(str(out_dir), 1, 1, "exists and is not a directory", "deposit-output"))
    for entry in out_dir.iterdir():
        if entry.is_dir() and (entry / "bagit.txt").is_file():
            continue
        if entry.name == CACHE_NAME and entry.is_file():
            continue
        if entry.is_file() and entry.suffix == ".zip":
            continue
        raise CablegramError(
            error(
                str(out_dir),
                1,
                1,
                f"holds {entry.name}, which is not part of a deposit "
                "package; give an empty or new directory with -o",
                "deposit-output",
            )
        )


def _install(scratch: Path, out_dir: Path) -> None:
    """Swap the finished package into place with renames, the old one removed only afterwards."""
    old: Path | None = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
        old.rmdir()
        os.replace(out_dir, old)
    os.replace(scratch, out_dir)
    if old is not None:
        shutil.rmtree(old)


def _tree_files(source: Path | None) -> list[tuple[str, str]]:
    """The files of a directory by POSIX path below it, sorted; without hidden files, caches or Python modules
    (the schema directory is a package). Walked with scandir, whose entries know their type: the web
    edition of 10,000 documents has 30,000 files, and a stat and a Path of each cost a second: paths
    are strings."""
    if source is None:
        return []
    found: list[tuple[str, str]] = []
    pending = [("", os.fspath(source))]
    while pending:
        prefix, directory = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):  # as os.walk: links to directories are not followed
                    if entry.name != "__pycache__":
                        pending.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.is_file() and not entry.name.endswith((".py", ".pyc")):
                    found.append((f"{prefix}{entry.name}", entry.path))
    return sorted(found)


def _bag_info(edition: Edition) -> dict[str, str]:
    config = edition.config
    info = {
        "Source-Organization": config.publisher or "cablegram",
        "External-Description": config.description or config.title,
        "External-Identifier": config.identifier or config.base_url or config.title,
        "Bagging-Date": dt.date.today().isoformat(),  # the one date from the clock: when the bag was made
    }
    if config.contact:
        info["Contact-Email" if "@" in config.contact else "Contact-Name"] = config.contact
    return info


def _readme(
    edition: Edition, telegrams: list[Telegram], day: str, html: Path | None, pdf: Path | None
) -> str:
    config = edition.config
    lines = [config.title, "=" * len(config.title), ""]
    if config.description:
        lines += [config.description, ""]
    lines += [
        f"Identifier:  {config.identifier or '-'}",
        f"Online:      {config.base_url or '-'}",
        f"Publisher:   {config.publisher or '-'}",
        f"Editors:     {', '.join(config.editors) or '-'}",
        f"Contact:     {config.contact or '-'}",
        f"Licence:     {config.licence} <{config.licence_url}>",
        f"Date:        {day}",
        "",
        "Contents of this package (a BagIt 1.0 bag, RFC 8493; this file is in its payload, data/)",
        "",
        "  data/tei/        the TEI P5 documents, one per telegram, and the registers persons.xml,",
        "                   places.xml, organisations.xml (and corrections.xml); corpus.xml holds all",
        "                   documents in one teiCorpus",
        "  data/schema/     the edition's schema: cablegram.odd (ODD), cablegram.rng (RelaxNG),",
        "                   cablegram.xsd, cablegram.sch (Schematron), tei_all.rng with its licence;",
        "                   cablegram-corpus.rng validates corpus.xml",
    ]
    if html is not None:
        lines.append("  data/html/       the web edition (open index.html)")
    if pdf is not None:
        lines.append("  data/pdf/        the print edition")
    lines += [
        "  metadata/        datacite.xml (DataCite 4.5), cmif.xml (CMIF 1.1, for correspSearch),",
        "                   .zenodo.json (Zenodo)",
        "",
        "Check the package with `cablegram deposit --verify DIR`, or its checksums with any BagIt tool",
        "(e.g. `bagit.py --validate DIR`).",
        "",
        f"Documents ({len(telegrams)})",
        "",
    ]
    for telegram in sorted(telegrams, key=lambda t: (t.dates[:1], t.ident)):
        when = telegram.dates[0] if telegram.dates else "undated"
        lines.append(f"  {telegram.ident}  {when}  {telegram.title}")
    lines += ["", f"Packaged by cablegram {__version__}.", ""]
    return "\n".join(lines)


def _licence(edition: Edition) -> str:
    config = edition.config
    return "\n".join(
        [
            f"{config.title}",
            "",
            f"The edition (its TEI files, registers, web and print editions and metadata) is published by "
            f"{config.publisher or 'its editors'} under the licence {config.licence}:",
            f"  {config.licence_url}",
            "",
            "The texts of the documents and their translations are the archive's; see each TEI file's header",
            "(publicationStmt/availability and sourceDesc) for the archive and its terms.",
            "",
            "data/schema/tei_all.rng is the TEI Consortium's schema: see data/schema/TEI-LICENCE.txt.",
            "",
        ]
    )
