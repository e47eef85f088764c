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

`<name>` is the last part of the edition's identifier (`urn:cablegram:korean-war-telegrams` →
`korean-war-telegrams`). The package is built in a temporary directory beside DIR, checked with
`verify_deposit`, and only then renamed into place: a failed run leaves the previous package as it was.

Every date in the metadata comes from `--date`, else from `SOURCE_DATE_EPOCH` (reproducible-builds.org),
else from the newest modification time of the inputs; never from the clock, except `Bagging-Date`, which
records when the bag was made. Two builds from the same inputs give byte-identical metadata files.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cablegram import __version__
from cablegram.deposit.bag import make_bag, write_zip
from cablegram.deposit.cmif import build_cmif
from cablegram.deposit.corpus import CORPUS_RNG, CORPUS_RNG_NAME, build_corpus
from cablegram.deposit.datacite import build_datacite, build_zenodo
from cablegram.deposit.records import Registers, Telegram, read_telegram
from cablegram.deposit.verify import CORPUS_NAME, verify_bag, verify_deposit
from cablegram.diagnostics import CablegramError, Diagnostic, error, has_errors
from cablegram.edition import Edition
from cablegram.resources import schema_dir

__all__ = ["DepositResult", "build_deposit", "package_name", "resolve_date", "verify_deposit"]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class DepositResult:
    package_dir: Path
    bag_dir: Path | None = None  # None when the package was not (re)placed
    zip_path: Path | None = None
    date: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)

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
) -> DepositResult:
    """Build the package for `documents` (the TEI files that reached the editions) into `out_dir`."""
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

    # Gather everything before anything is written (STYLE.md §1).
    index = Registers.load(registers)
    telegrams = [read_telegram(p, index, edition.relative(p)) for p in documents]
    html = html_dir if html_dir is not None and html_dir.is_dir() else None
    pdf = pdf_dir if pdf_dir is not None and pdf_dir.is_dir() else None
    formats = ["application/tei+xml", "application/xml"]
    formats += ["text/html"] if html else []
    formats += ["application/pdf"] if pdf else []
    cmif, problems = build_cmif(config, telegrams, date=day)
    result.diagnostics.extend(problems)
    datacite, problems = build_datacite(config, telegrams, date=day, formats=formats)
    result.diagnostics.extend(problems)
    zenodo = build_zenodo(config, telegrams, date=day)
    corpus = build_corpus(config, documents, date=day)
    if has_errors(result.diagnostics):
        return result

    name = package_name(config.identifier)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        bag_dir = scratch / name
        bag_dir.mkdir()
        _copy_payload(bag_dir, documents, registers, html, pdf)
        (bag_dir / "tei" / CORPUS_NAME).write_bytes(corpus)
        (bag_dir / "schema" / CORPUS_RNG_NAME).write_text(CORPUS_RNG, encoding="utf-8")
        (bag_dir / "README.txt").write_text(_readme(edition, telegrams, day, html, pdf), encoding="utf-8")
        (bag_dir / "LICENCE.txt").write_text(_licence(edition), encoding="utf-8")
        _normalise_modes(scratch)
        make_bag(
            bag_dir,
            _bag_info(edition),
            {
                "metadata/datacite.xml": datacite,
                "metadata/cmif.xml": cmif,
                "metadata/.zenodo.json": zenodo,
            },
        )
        write_zip(bag_dir, scratch / f"{name}.zip", date=day)
        _normalise_modes(scratch)
        found = verify_bag(bag_dir, edition.relative(out_dir / name))
        result.diagnostics.extend(found)
        if has_errors(found):
            return result
        _install(scratch, out_dir)
    finally:
        if scratch.exists():
            shutil.rmtree(scratch)
    result.bag_dir = out_dir / name
    result.zip_path = out_dir / f"{name}.zip"
    return result


def _refuse_foreign(out_dir: Path) -> None:
    """Replace only what a deposit wrote: an empty directory, or bags and zips."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise CablegramError(error(str(out_dir), 1, 1, "exists and is not a directory", "deposit-output"))
    for entry in out_dir.iterdir():
        if entry.is_dir() and (entry / "bagit.txt").is_file():
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


def _copy_payload(
    bag_dir: Path, documents: list[Path], registers: list[Path], html: Path | None, pdf: Path | None
) -> None:
    tei_dir = bag_dir / "tei"
    tei_dir.mkdir()
    for path in [*documents, *registers]:
        shutil.copyfile(path, tei_dir / path.name)
    _copy_tree(schema_dir(), bag_dir / "schema")
    if html is not None:
        _copy_tree(html, bag_dir / "html")
    if pdf is not None:
        _copy_tree(pdf, bag_dir / "pdf")


def _copy_tree(source: Path, target: Path) -> None:
    """Files only, without hidden files, caches or Python modules (the schema directory is a package)."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if not path.is_file() or path.suffix in (".py", ".pyc"):
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)


def _normalise_modes(root: Path) -> None:
    """Files 0644 and directories 0755, whatever the umask or the temporary directory's mode was."""
    root.chmod(0o755)
    for path in root.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


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
