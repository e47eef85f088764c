"""`cablegram deposit --verify DIR`: re-check a package that was built before (issue 6, item 5).

DIR is a bag (it holds `bagit.txt`) or the package directory that `cablegram deposit` writes (bags and
their zips). Every check runs and reports, none stops the others (STYLE.md §2).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from cablegram import xmlio
from cablegram.deposit.bag import check_bag, check_zip
from cablegram.deposit.cmif import check_cmif
from cablegram.deposit.corpus import check_corpus
from cablegram.deposit.datacite import check_datacite
from cablegram.diagnostics import CablegramError, Diagnostic, error
from cablegram.tei import XML_ID, tei

CORPUS_NAME = "corpus.xml"


def find_bags(directory: Path) -> list[Path]:
    if (directory / "bagit.txt").is_file():
        return [directory]
    return sorted(p.parent for p in directory.glob("*/bagit.txt"))


def verify_deposit(directory: Path, *, display: str | None = None) -> list[Diagnostic]:
    """Every problem of the package or bag at `directory`: checksums, DataCite, CMIF, corpus, TEI."""
    shown = display or str(directory)
    if not directory.is_dir():
        return [error(shown, 1, 1, "no such directory", "deposit-missing")]
    bags = find_bags(directory)
    if not bags:
        return [
            error(
                shown,
                1,
                1,
                "no BagIt bag here (no bagit.txt in it or in a directory below it)",
                "deposit-missing",
            )
        ]
    problems: list[Diagnostic] = []
    for bag_dir in bags:
        bag_display = shown if bag_dir == directory else f"{shown}/{bag_dir.name}"
        problems.extend(verify_bag(bag_dir, bag_display))
        zip_path = bag_dir.with_name(f"{bag_dir.name}.zip")
        if zip_path.is_file():
            problems.extend(
                check_zip(
                    zip_path, bag_dir, f"{shown}/{zip_path.name}" if bag_dir != directory else str(zip_path)
                )
            )
    return problems


def verify_bag(bag_dir: Path, display: str) -> list[Diagnostic]:
    problems = check_bag(bag_dir, display)
    problems.extend(_check_metadata(bag_dir, display))
    problems.extend(_check_tei(bag_dir, display))
    return problems


def _read(path: Path, display: str, problems: list[Diagnostic]) -> bytes | None:
    if not path.is_file():
        problems.append(error(display, 1, 1, "missing from the package", "deposit-missing"))
        return None
    return path.read_bytes()


def _check_metadata(bag_dir: Path, display: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    datacite = _read(bag_dir / "metadata" / "datacite.xml", f"{display}/metadata/datacite.xml", problems)
    if datacite is not None:
        problems.extend(check_datacite(datacite, f"{display}/metadata/datacite.xml"))
    cmif = _read(bag_dir / "metadata" / "cmif.xml", f"{display}/metadata/cmif.xml", problems)
    if cmif is not None:
        problems.extend(check_cmif(cmif, f"{display}/metadata/cmif.xml"))
    zenodo = _read(bag_dir / "metadata" / ".zenodo.json", f"{display}/metadata/.zenodo.json", problems)
    if zenodo is not None:
        try:
            record = json.loads(zenodo.decode("utf-8"))
            missing = [k for k in ("title", "upload_type", "description", "creators") if k not in record]
            if missing:
                problems.append(
                    error(
                        f"{display}/metadata/.zenodo.json",
                        1,
                        1,
                        f"missing {', '.join(missing)}",
                        "zenodo-json",
                    )
                )
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(
                error(f"{display}/metadata/.zenodo.json", 1, 1, f"not JSON: {exc}", "zenodo-json")
            )
    return problems


def _check_tei(bag_dir: Path, display: str) -> list[Diagnostic]:
    """The TEI files with the edition's validator; the corpus with its schema, and complete."""
    problems: list[Diagnostic] = []
    tei_dir = bag_dir / "data" / "tei"
    files = sorted(p for p in tei_dir.glob("*.xml") if p.name != CORPUS_NAME)
    if not files:
        return [error(f"{display}/data/tei", 1, 1, "no TEI files in the payload", "deposit-missing")]
    problems.extend(_validate_tei(files, bag_dir, display))
    corpus = tei_dir / CORPUS_NAME
    corpus_display = f"{display}/data/tei/{CORPUS_NAME}"
    if _read(corpus, corpus_display, problems) is None:
        return problems
    problems.extend(check_corpus(corpus, bag_dir / "data" / "schema", corpus_display))
    try:
        members = {m.get(XML_ID) for m in xmlio.parse(corpus).getroot().iterfind(tei("TEI"))}
    except CablegramError:
        return problems  # the syntax error is reported by check_corpus
    for path in files:
        root_id = _root_id(path)
        if root_id and root_id.startswith("wc-") and root_id not in members:
            problems.append(
                error(corpus_display, 1, 1, f"{path.name} is not a member of the corpus", "corpus-incomplete")
            )
    return problems


def _root_id(path: Path) -> str | None:
    try:
        return xmlio.parse(path).getroot().get(XML_ID)
    except CablegramError:
        return None


def _validate_tei(files: list[Path], bag_dir: Path, display: str) -> list[Diagnostic]:
    """Run `cablegram.validate` over the payload's TEI files.

    The validator's cross-file checks read every `*.xml` of the directory, and corpus.xml repeats every
    document's ids; so the documents and registers are copied into a directory of their own first, and the
    diagnostics' paths mapped back to the package.
    """
    from cablegram import validate

    problems: list[Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="cablegram-verify-") as scratch:
        scratch_dir = Path(scratch)
        linked = []
        for path in files:
            copy = scratch_dir / path.name
            copy.write_bytes(path.read_bytes())
            linked.append(copy)
        prefixes = (str(scratch_dir.resolve()), str(scratch_dir))
        for diagnostic in validate.iter_diagnostics(linked, tei_dir=scratch_dir):
            shown = diagnostic.path
            for prefix in prefixes:
                if shown.startswith(prefix):
                    shown = f"{display}/data/tei{shown[len(prefix) :]}"
                    break
            problems.append(
                Diagnostic(
                    shown,
                    diagnostic.line,
                    diagnostic.column,
                    diagnostic.severity,
                    diagnostic.message,
                    diagnostic.rule,
                )
            )
    return problems
