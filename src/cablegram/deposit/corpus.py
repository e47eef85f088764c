"""`data/tei/corpus.xml`: one `teiCorpus` with a corpus header and every document of the edition.

Each file of the edition repeats a few declarations under the same ids (`#archive`, `#edition`, the
classification taxonomy: ENCODING.md §3 "Identifiers"). In one file those ids would clash, so in the corpus
each member's recurring ids are prefixed with the member's id (`wc-115976-archive`) and the member's
pointers to them rewritten; the separate files beside corpus.xml keep them as they are.

The edition's RelaxNG has `TEI` as its only start. `cablegram-corpus.rng`, written into the package's
schema directory, includes `cablegram.rng` unchanged and adds `teiCorpus` (TEI P5's content model,
restricted to the edition's `teiHeader` and `TEI`) as the start, so that the corpus is checked against the
edition's own definitions.
"""

from __future__ import annotations

import functools
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from cablegram import TEI_NS, xmlio
from cablegram.config import EditionConfig
from cablegram.diagnostics import CablegramError, Diagnostic, error
from cablegram.tei import XML_ID, element, tei
from cablegram.validate.crossrefs import SHARED_ID_PREFIXES, SHARED_IDS

CORPUS_RNG_NAME = "cablegram-corpus.rng"
CORPUS_RNG = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- The edition's schema with teiCorpus as its start: written by `cablegram deposit` (issue 6).
     cablegram.rng itself is included unchanged. -->
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="{TEI_NS}"
         datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <include href="cablegram.rng">
    <start>
      <ref name="teiCorpus"/>
    </start>
  </include>
  <define name="teiCorpus">
    <element name="teiCorpus">
      <ref name="teiHeader"/>
      <oneOrMore>
        <ref name="TEI"/>
      </oneOrMore>
      <ref name="att.global.attributes"/>
    </element>
  </define>
</grammar>
"""


_WRAPPER_OPEN = f'<teiCorpus xmlns="{TEI_NS}">'.encode()
_WRAPPER_CLOSE = b"</teiCorpus>"
_CLOSE = b"</teiCorpus>\n"
# corpus.xml is deflated in pieces (bag.py), each ending after a member: after one whose id's CRC-32 is a
# multiple of PIECE_MEMBERS (about that many members a piece), or once the piece holds PIECE_LIMIT bytes.
PIECE_MEMBERS = 64
PIECE_LIMIT = 4 << 20


def may_recur(ident: str) -> bool:
    """The ids that the edition's documents may repeat (crossrefs.SHARED_IDS): the guess at the recurring
    ids that a member is made with before all documents are read; `assemble_corpus` redoes a member where
    the guess was wrong."""
    return ident in SHARED_IDS or ident.startswith(SHARED_ID_PREFIXES)


@dataclass(frozen=True)
class Member:
    """One document as a member of the corpus: its serialization there, and the ids it holds."""

    ident: str  # the root's xml:id (the prefix of its recurring ids)
    ids: frozenset[str]  # every xml:id below the root, as in the file
    prefixed: frozenset[str]  # those prefixed in `data`
    data: bytes  # the TEI element as it stands in corpus.xml


@dataclass(frozen=True)
class Corpus:
    head: bytes  # everything before the first member
    members: tuple[Member, ...]
    recurring: frozenset[str]

    @property
    def data(self) -> bytes:
        return b"".join([self.head, *(m.data for m in self.members), _CLOSE])

    def offsets(self) -> list[int]:
        """Where each member begins in `data`."""
        found, at = [], len(self.head)
        for member in self.members:
            found.append(at)
            at += len(member.data)
        return found

    def pieces(self) -> tuple[int, ...]:
        """The lengths of the pieces of `data` that the zip deflates one by one (bag.py). A piece ends after
        a member chosen by its id, not by its place or size, so that a changed document changes its own
        piece and no other, and the zip of a rebuilt package deflates only that piece again."""
        lengths, length = [], len(self.head)
        for member in self.members:
            length += len(member.data)
            if zlib.crc32(member.ident.encode("utf-8")) % PIECE_MEMBERS == 0 or length >= PIECE_LIMIT:
                lengths.append(length)
                length = 0
        lengths.append(length + len(_CLOSE))
        return tuple(lengths)


_IDS = etree.XPath("descendant::*/@xml:id")  # the root's own id is never prefixed
_LOCAL_POINTERS = etree.XPath("descendant-or-self::*/@*[starts-with(., '#') or contains(., ' #')]")


def _select(query: etree.XPath, root: etree._Element) -> list[etree._ElementUnicodeResult]:
    """The attributes that `query` selects, as lxml's strings that know their element and name."""
    found = query(root)
    assert isinstance(found, list)
    return [r for r in found if isinstance(r, etree._ElementUnicodeResult)]


def corpus_member(root: etree._Element, recurring: Callable[[str], bool] = may_recur) -> Member:
    """`root` (a document's TEI element; it is changed and moved) as a member of the corpus: its recurring ids
    prefixed with its own id, and the pointers to them rewritten."""
    prefix = root.get(XML_ID, "doc")
    found = _select(_IDS, root)
    ids = frozenset(str(value) for value in found)
    prefixed = frozenset(i for i in ids if recurring(i))
    if prefixed:
        for value in found:
            node = value.getparent()
            if value in prefixed and node is not None:
                node.set(XML_ID, f"{prefix}-{value}")
        for value in _select(_LOCAL_POINTERS, root):
            node, name = value.getparent(), value.attrname
            if node is None or name is None or name == XML_ID:
                continue
            tokens = str(value).split(" ")
            rewritten = [
                f"#{prefix}-{t[1:]}" if t.startswith("#") and t[1:] in prefixed else t for t in tokens
            ]
            if rewritten != tokens:
                node.set(name, " ".join(rewritten))
    root.tail = None
    # Serialized under a teiCorpus that declares the TEI namespace, as in corpus.xml: moved there, the member
    # loses its own declaration of it, now redundant (lxml), exactly as when the whole corpus is one tree.
    wrapper = element("teiCorpus")
    wrapper.append(root)
    data = etree.tostring(wrapper, encoding="UTF-8", xml_declaration=False)
    if not (data.startswith(_WRAPPER_OPEN) and data.endswith(_WRAPPER_CLOSE)):
        raise AssertionError(f"unexpected serialization of a corpus member: {data[:80]!r}")
    return Member(prefix, ids, prefixed, data[len(_WRAPPER_OPEN) : -len(_WRAPPER_CLOSE)])


def assemble_corpus(
    config: EditionConfig,
    members: Sequence[Member],
    *,
    date: str,
    reread: Callable[[int], etree._Element],
) -> Corpus:
    """corpus.xml around the members: the ids that more than one document holds are the recurring ones; a
    member made with another guess is made again from `reread(index)`, its document's root element."""
    counts = Counter(i for member in members for i in member.ids)
    recurring = frozenset(i for i, n in counts.items() if n > 1)
    final = tuple(
        m if m.prefixed == m.ids & recurring else corpus_member(reread(index), recurring.__contains__)
        for index, m in enumerate(members)
    )
    editors = config.editors or (config.publisher or "cablegram",)
    header = element(
        "teiHeader",
        children=[
            element(
                "fileDesc",
                children=[
                    element(
                        "titleStmt",
                        children=[
                            element("title", children=[config.title]),
                            *(
                                element(
                                    "respStmt",
                                    children=[
                                        element("resp", children=["edited by"]),
                                        element("name", children=[name]),
                                    ],
                                )
                                for name in editors
                            ),
                        ],
                    ),
                    element(
                        "publicationStmt",
                        children=[
                            element("publisher", children=[config.publisher or "cablegram"]),
                            element(
                                "availability",
                                children=[
                                    element("licence", {"target": config.licence_url}, [config.licence]),
                                ],
                            ),
                            *(
                                [element("idno", {"type": "URI"}, [config.identifier])]
                                if config.identifier
                                else []
                            ),
                            element("date", {"when": date}, [date]),
                        ],
                    ),
                    element(
                        "sourceDesc",
                        children=[
                            element(
                                "p",
                                children=[_corpus_note(len(final), sorted(recurring))],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )
    corpus = element("teiCorpus", {"xml:id": "corpus", "xml:lang": config.language}, [header])
    for name, schematypens in (("cablegram-corpus.rng", "http://relaxng.org/ns/structure/1.0"),):
        corpus.addprevious(
            etree.ProcessingInstruction(
                "xml-model", f'href="../schema/{name}" type="application/xml" schematypens="{schematypens}"'
            )
        )
    etree.indent(header, space="  ", level=1)
    skeleton = xmlio.serialize(corpus.getroottree())
    if not skeleton.endswith(_CLOSE):
        raise AssertionError("unexpected serialization of the corpus header")
    return Corpus(skeleton[: -len(_CLOSE)], final, recurring)


def build_corpus(config: EditionConfig, documents: Sequence[Path], *, date: str) -> bytes:
    """corpus.xml for the documents at these paths."""
    members = [corpus_member(xmlio.parse(path).getroot()) for path in documents]
    corpus = assemble_corpus(config, members, date=date, reread=lambda i: xmlio.parse(documents[i]).getroot())
    return corpus.data


def check_members(corpus: Corpus, schema_dir: Path, display: str) -> list[Diagnostic]:
    """What corpus.xml adds to its members, each of them a valid document of the edition with its recurring
    ids renamed: the root and the header, with the first member, against `cablegram-corpus.rng`; and every
    id unique across the corpus. Linear: one member goes through the grammar, not all of them (the build
    has validated each document; `check_corpus` does the whole file)."""
    if not corpus.members:
        return [error(display, 1, 1, "the corpus has no members", "corpus-rng")]
    sample = Corpus(corpus.head, corpus.members[:1], corpus.recurring).data
    problems = check_corpus_tree(xmlio.parse_bytes(sample, display), schema_dir, display, shipped=False)
    owners: dict[str, int] = {"corpus": -1}  # the member that holds an id (-1: the corpus root)
    for number, member in enumerate(corpus.members):
        for ident in [
            member.ident,
            *(f"{member.ident}-{i}" if i in member.prefixed else i for i in member.ids),
        ]:
            owner = owners.setdefault(ident, number)
            if owner != number:
                other = corpus.members[owner].ident if owner >= 0 else "the corpus root"
                problems.append(
                    error(
                        display,
                        1,
                        1,
                        f'xml:id="{ident}" of member {number + 1} ({member.ident}) is also an id in {other}',
                        "corpus-id-duplicate",
                    )
                )
    return problems


def check_corpus(corpus_path: Path, schema_dir: Path, display: str) -> list[Diagnostic]:
    """The whole corpus against the edition's RelaxNG with teiCorpus as its start (`cablegram-corpus.rng`)."""
    try:
        tree = xmlio.parse(corpus_path)
    except CablegramError as exc:
        return exc.diagnostics
    return check_corpus_tree(tree, schema_dir, display)


def check_corpus_tree(
    tree: etree._ElementTree, schema_dir: Path, display: str, *, shipped: bool = True
) -> list[Diagnostic]:
    """`tree` against cablegram-corpus.rng: the file shipped in `schema_dir`, or (not `shipped`) the one this
    version writes, beside the edition's cablegram.rng in `schema_dir`."""
    try:
        driver = schema_dir / CORPUS_RNG_NAME
        schema = etree.RelaxNG(xmlio.parse(driver)) if shipped else _written_schema(schema_dir.resolve())
    except CablegramError as exc:
        return exc.diagnostics
    except etree.RelaxNGParseError as exc:
        return [error(display, 1, 1, f"cannot compile {CORPUS_RNG_NAME}: {exc}", "corpus-schema")]
    if tree.getroot().tag != tei("teiCorpus"):
        return [error(display, 1, 1, "the root element is not teiCorpus", "corpus-root")]
    if schema.validate(tree):
        return []
    return [error(display, e.line or 1, e.column + 1, e.message, "corpus-rng") for e in schema.error_log]


@functools.lru_cache(maxsize=4)
def _written_schema(schema_dir: Path) -> etree.RelaxNG:
    return etree.RelaxNG(xmlio.parse_bytes(CORPUS_RNG.encode("utf-8"), str(schema_dir / CORPUS_RNG_NAME)))


def _corpus_note(count: int, recurring: list[str]) -> str:
    return (
        f"The {count} documents of the edition, each with its own header, in the order of their identifiers. "
        "The registers of persons, places and organisations that their names point at (persons.xml, "
        "places.xml, organisations.xml) are the files beside this one. Ids that every document repeats ("
        + ", ".join(recurring)
        + ") are prefixed with the document's id in this file, and the pointers to them rewritten to match."
    )
