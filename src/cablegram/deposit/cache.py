"""What a deposit keeps beside its package (never in the bag), so that the next one redoes only what changed.

    <package>/.deposit-cache.json

- per document, by the SHA-256 of its bytes: its `telegram_record` (the header as the metadata use it), kept
  as its canonical JSON text, which is parsed only when the metadata are made again (parsing 10,000 records
  was most of reading the cache), and where its member stands in the package's corpus.xml (with the ids
  it holds and those prefixed there), so that a rebuild parses only the documents that changed and takes
  the others' members from the previous corpus.xml (whose SHA-256 is kept too, and checked before a byte
  of it is used);
- the key of the metadata (the tool, edition.toml, the date, the formats, the registers and every
  document's telegram record) with the SHA-256 of the files made of them, when all checks found nothing in
  them: a rebuild with the same key takes the previous bag's files, if they still hold those bytes, without
  making or checking them again (the checks are functions of the bytes and of this code);
- `BagReport.pieces`: where the previous zip holds each deflated piece of corpus.xml (bag.py).

Everything is keyed by `tool_key()` too, the code and the libraries that made it: another version, or
another zlib, starts afresh. The file is written with the package and replaced with it (atomically); one
that cannot be read, or that is of another format, is no cache. What it holds depends only on the package's
inputs, so a rebuilt package's cache is byte for byte that of a fresh one.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from cablegram import __version__
from cablegram.deposit.corpus import Corpus, Member
from cablegram.diagnostics import Diagnostic, Severity
from cablegram.fsutil import atomic_write

CACHE_NAME = ".deposit-cache.json"
FORMAT = 2
_LIBRARIES = ("datacite", "jsonschema", "xmlschema", "saxonche", "lxml")


@functools.cache
def tool_key() -> str:
    """The code and the libraries that cached data were made with: cablegram's modules (the parser, the
    converter's ids, the deposit), its shipped schemas, and the versions of what validates, serializes and
    deflates."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{__version__}\0{zlib.ZLIB_RUNTIME_VERSION}\0{etree.LIBXML_VERSION}\0".encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name} {importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} -\0".encode())
    files = [*package.rglob("*.py"), *(package / "deposit" / "schemas").rglob("*")]
    for path in sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def canonical(value: object) -> str:
    """A JSON value, written in one canonical way."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def digest_of(value: object) -> str:
    """SHA-256 of a JSON value, written in one canonical way."""
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Known:
    """A document as the previous deposit found it."""

    record: str  # its telegram_record, as canonical() writes it
    record_digest: str
    member: Member | None  # None: its member is not to be had (corpus.xml changed or gone)


@dataclass
class Earlier:
    """The cache that the previous package left (empty: none, or not usable)."""

    bag_dir: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)
    _corpus: bytes | None = None
    _corpus_read: bool = False

    @classmethod
    def load(cls, package_dir: Path, bag_name: str) -> Earlier:
        try:
            data = json.loads((package_dir / CACHE_NAME).read_bytes())
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("tool") != tool_key():
            return cls()
        return cls(package_dir / bag_name, data)

    @property
    def pieces(self) -> dict[str, Any]:
        found = self.data.get("pieces")
        return found if isinstance(found, dict) else {}

    def known(self, sha256: str) -> Known | None:
        """The document with these bytes, if the previous deposit had it."""
        documents = self.data.get("documents")
        entry = documents.get(sha256) if isinstance(documents, dict) else None
        if entry is None:
            return None
        try:
            record, record_digest, (ident, ids, prefixed, offset, length) = (
                entry["record"],
                entry["record_digest"],
                entry["member"],
            )
            if not isinstance(record, str):
                return None
            corpus = self._previous_corpus()
            data = corpus[offset : offset + length] if corpus is not None else b""
            if len(data) != length:
                return Known(record, str(record_digest), None)
            return Known(
                record, str(record_digest), Member(str(ident), frozenset(ids), frozenset(prefixed), data)
            )
        except (KeyError, TypeError, ValueError):
            return None

    def _previous_corpus(self) -> bytes | None:
        """The previous bag's corpus.xml, if it holds the bytes that the cache describes."""
        if not self._corpus_read:
            self._corpus_read = True
            if self.bag_dir is not None:
                try:
                    data = (self.bag_dir / "data" / "tei" / "corpus.xml").read_bytes()
                except OSError:
                    data = b""
                if hashlib.sha256(data).hexdigest() == self.data.get("corpus"):
                    self._corpus = data
        return self._corpus

    def metadata(self, key: str) -> tuple[dict[str, bytes], list[Diagnostic]] | None:
        """The previous bag's metadata files (and README), with what making them reported, if they were made
        of the same inputs (`key`), all checks found nothing in them, and they still hold those bytes."""
        earlier = self.data.get("metadata")
        if self.bag_dir is None or not isinstance(earlier, dict) or earlier.get("key") != key:
            return None
        try:
            files = {}
            for name, sha256 in earlier["files"].items():
                data = (self.bag_dir / name).read_bytes()
                if hashlib.sha256(data).hexdigest() != sha256:
                    return None
                files[str(name)] = data
            problems = [
                Diagnostic(
                    d["path"], d["line"], d["column"], Severity(d["severity"]), d["message"], d["rule"]
                )
                for d in earlier["diagnostics"]
            ]
        except (OSError, KeyError, TypeError, ValueError):
            return None
        return files, problems


def save(
    path: Path,
    *,
    documents: Sequence[tuple[str, str, str]],
    corpus: Corpus,
    corpus_sha256: str,
    metadata: tuple[str, dict[str, bytes], list[Diagnostic]] | None,
    pieces: dict[str, Any],
) -> None:
    """Write the cache for the next deposit: `documents` (sha256, telegram record as canonical() writes it,
    its digest) in the
    corpus's order; `metadata` (key, files by bag path, what making them reported) when all checks found
    nothing in them."""
    entries: dict[str, Any] = {}
    for (sha256, record, record_digest), member, offset in zip(
        documents, corpus.members, corpus.offsets(), strict=True
    ):
        entries[sha256] = {
            "record": record,
            "record_digest": record_digest,
            "member": [member.ident, sorted(member.ids), sorted(member.prefixed), offset, len(member.data)],
        }
    data: dict[str, Any] = {
        "format": FORMAT,
        "tool": tool_key(),
        "corpus": corpus_sha256,
        "documents": entries,
        "pieces": pieces,
    }
    if metadata is not None:
        key, files, problems = metadata
        data["metadata"] = {
            "key": key,
            "files": {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)},
            "diagnostics": [d.as_dict() for d in problems],
        }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    atomic_write(path, text + "\n")
