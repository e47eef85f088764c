"""`cablegram deposit --verify DIR`: re-check a package that was built before (issue 6, item 5).

DIR is a bag (it holds `bagit.txt`) or the package directory that `cablegram deposit` writes (bags and
their zips). Every check runs and reports, none stops the others (STYLE.md §2).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cablegram import xmlio
from cablegram.deposit.bagcheck import check_bag, check_zip, info_problems
from cablegram.deposit.bagformat import REQUIRED_INFO, WRITER_INFO
from cablegram.deposit.cmif import check_cmif
from cablegram.deposit.corpus import Corpus, check_corpus_tree, check_members
from cablegram.deposit.datacite import check_datacite
from cablegram.diagnostics import CablegramError, Diagnostic, error
from cablegram.edition import REGISTER_FILES
from cablegram.tei import XML_ID, tei

CORPUS_NAME = "corpus.xml"
METADATA = ("metadata/datacite.xml", "metadata/cmif.xml", "metadata/.zenodo.json")
OWN_INFO = tuple(label for label in REQUIRED_INFO if label not in WRITER_INFO)  # the caller's labels


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
    metadata = {}
    for name in METADATA:
        data = _read(bag_dir / name, f"{display}/{name}", problems)
        if data is not None:
            metadata[name] = data
    return problems + _check_metadata_bytes(metadata, display)


def _check_metadata_bytes(metadata: dict[str, bytes], display: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    datacite = metadata.get("metadata/datacite.xml")
    if datacite is not None:
        problems.extend(check_datacite(datacite, f"{display}/metadata/datacite.xml"))
    cmif = metadata.get("metadata/cmif.xml")
    if cmif is not None:
        problems.extend(check_cmif(cmif, f"{display}/metadata/cmif.xml"))
    zenodo = metadata.get("metadata/.zenodo.json")
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
    from cablegram.validate import check_files

    problems: list[Diagnostic] = []
    tei_dir = bag_dir / "data" / "tei"
    files = sorted(p for p in tei_dir.glob("*.xml") if p.name != CORPUS_NAME)
    if not files:
        return [error(f"{display}/data/tei", 1, 1, "no TEI files in the payload", "deposit-missing")]
    # The validator's file-by-file checks, then its cross-file rules over exactly these files (not corpus.xml,
    # which repeats every document's ids).
    found, checks = check_files(files, display=lambda path: f"{display}/data/tei/{path.name}")
    problems.extend(found)
    corpus = tei_dir / CORPUS_NAME
    corpus_display = f"{display}/data/tei/{CORPUS_NAME}"
    if not corpus.is_file():
        problems.append(error(corpus_display, 1, 1, "missing from the package", "deposit-missing"))
        return problems
    try:
        tree = xmlio.parse(corpus)
    except CablegramError as exc:
        problems.extend(exc.diagnostics)
        return problems
    problems.extend(check_corpus_tree(tree, bag_dir / "data" / "schema", corpus_display))
    members = {m.get(XML_ID) for m in tree.getroot().iterfind(tei("TEI"))}
    for path, check in zip(files, checks, strict=True):
        root_id = check.facts.doc_id
        if path.name not in REGISTER_FILES and root_id and root_id not in members:
            problems.append(
                error(corpus_display, 1, 1, f"{path.name} is not a member of the corpus", "corpus-incomplete")
            )
    return problems


def check_contents(
    display: str,
    *,
    metadata: dict[str, bytes],
    corpus: Corpus,
    schema_dir: Path,
    info: dict[str, str],
    tei_files: list[Path] | None,
    shown: Callable[[Path], str] = str,
) -> list[Diagnostic]:
    """The checks of a package before it is written (`build_deposit`), each one made once.

    `metadata`: the files of metadata/ (DataCite against its XSD, CMIF against its RelaxNG and Schematron,
    .zenodo.json's keys); `corpus` with `check_members` (the header, the first member, ids unique across
    members: linear, where `--verify` runs the grammar over the whole file); bag-info.txt's labels; and
    `tei_files` with the edition's validator, unless None: the caller (the build) has just validated them.
    Not made again: the checksums and the zip, computed from the very bytes written (`--verify` re-reads
    them), and the TEI files, the whole corpus against the grammar, when the build has validated its members.
    """
    problems = _check_metadata_bytes(metadata, display)
    problems.extend(check_members(corpus, schema_dir, f"{display}/data/tei/{CORPUS_NAME}"))
    problems.extend(info_problems(info, display, required=OWN_INFO))
    if tei_files is not None:
        from cablegram.validate import check_files

        found, _ = check_files(tei_files, display=shown)
        problems.extend(found)
    return problems
