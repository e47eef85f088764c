"""`metadata/cmif.xml`: the Correspondence Metadata Interchange Format 1.1 (TEI Correspondence SIG).

One `correspDesc` per telegram, pointing with `@ref` at the telegram's page in the web edition and with
`@source` at the one `bibl` that describes the edition. The official schema is the authority where its
documentation says otherwise (issue 6):
- `fileDesc` admits only titleStmt, publicationStmt and sourceDesc, so the statement about what the export
  leaves out (a `notesStmt` in the issue) is a `note` in the source `bibl`, and each telegram whose
  intermediary was left out says so in a `note` of its own correspDesc;
- the CMIF file's own URL is `idno type="url"`; `bibl` must carry `@type` (online) and an `xml:id`, which
  is a name-based UUID (RFC 4122 §4.3) of the edition's identifier: stable from build to build, and chosen
  to begin with a letter, as an XML id must.
CMIF knows only `sent` and `received`: `transmitted` actions are left out. Dates are days (times of day are
dropped). A cover name is exported as the real person: the register entry's preferred name and authority URI.
"""

from __future__ import annotations

import functools
import itertools
import re
import uuid
from pathlib import Path

from lxml import etree

from cablegram import xmlio
from cablegram.config import EditionConfig
from cablegram.deposit.records import Action, Name, Telegram
from cablegram.deposit.schematron import line_of, locate, run
from cablegram.diagnostics import CablegramError, Diagnostic, Severity, error, warning
from cablegram.tei import element

SCHEMA_DIR = Path(__file__).parent / "schemas" / "cmif"
RNG_PATH = SCHEMA_DIR / "cmi-customization.rng"
SCH_PATH = SCHEMA_DIR / "cmif.sch"
CMIF_RNG_URL = (
    "https://raw.githubusercontent.com/TEI-Correspondence-SIG/CMIF/master/schema/cmi-customization.rng"
)
CMIF_FILE_NAME = "cmif.xml"  # where the web edition publishes this file, under base_url
_DAY = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")
_CODE = re.compile(r"\[([EW]\d{4})\]")

NOTE = (
    "Exported from the TEI headers (profileDesc/correspDesc) of the edition's documents. CMIF records only "
    "the sending and the receiving of a letter: an intermediary through whom a telegram was transmitted "
    '(correspAction type="transmitted" in the TEI files) is left out and named in a note of that '
    'telegram\'s correspDesc. A person who signed with a cover name (such as "Filippov" for Stalin) is '
    "given as the real person, with that person's authority URI. Dates are days; the times of day that some "
    "telegrams carry are in the TEI files. Persons and places without a verified authority identifier are "
    "given by name only."
)


def document_url(config: EditionConfig, ident: str) -> str:
    """The telegram's page in the web edition (`<base_url><id>.html`)."""
    return f"{config.base_url.rstrip('/')}/{ident}.html" if config.base_url else f"{ident}.html"


def bibl_id(config: EditionConfig) -> str:
    """A UUID derived from the edition's identifier (or base URL): the same on every build."""
    name = config.identifier or config.base_url or config.title
    for attempt in itertools.count():
        candidate = uuid.uuid5(uuid.NAMESPACE_URL, name if attempt == 0 else f"{name}#{attempt}")
        if candidate.hex[0] in "abcdef":
            return str(candidate)
    raise AssertionError("unreachable")


def build_cmif(
    config: EditionConfig, telegrams: list[Telegram], *, date: str
) -> tuple[bytes, list[Diagnostic]]:
    """The CMIF file for the telegrams; warnings for telegrams that cannot be exported."""
    problems: list[Diagnostic] = []
    source_id = bibl_id(config)
    editors = config.editors or ((config.publisher,) if config.publisher else ("cablegram",))
    title_stmt = element(
        "titleStmt",
        children=[
            element("title", children=[f"{config.title}: correspondence metadata (CMIF)"]),
            *(element("editor", children=[name]) for name in editors),
        ],
    )
    publisher: list[str | etree._Element] = (
        [element("ref", {"target": config.base_url}, [config.publisher or config.base_url])]
        if config.base_url
        else [config.publisher or "cablegram"]
    )
    publication_stmt = element(
        "publicationStmt",
        children=[
            element("publisher", children=publisher),
            element(
                "idno",
                {"type": "url"},
                [f"{config.base_url.rstrip('/')}/{CMIF_FILE_NAME}" if config.base_url else CMIF_FILE_NAME],
            ),
            element("date", {"when": date}),
            element(
                "availability",
                children=[
                    element("licence", {"target": config.licence_url}, [config.licence]),
                ],
            ),
        ],
    )
    bibl_children: list[str | etree._Element] = [f"{config.title}. {config.publisher or 'cablegram'}"]
    if config.base_url:
        bibl_children += [", ", element("ref", {"target": config.base_url}, [config.base_url])]
    bibl_children += [".", element("note", children=[NOTE])]
    source_desc = element(
        "sourceDesc",
        children=[
            element("bibl", {"type": "online", "xml:id": source_id}, bibl_children),
        ],
    )
    descs = []
    for telegram in sorted(telegrams, key=lambda t: (t.dates[:1], t.ident)):
        desc, problem = _correspdesc(config, telegram, source_id)
        if problem is not None:
            problems.append(problem)
        if desc is not None:
            descs.append(desc)
    root = element(
        "TEI",
        children=[
            element(
                "teiHeader",
                children=[
                    element("fileDesc", children=[title_stmt, publication_stmt, source_desc]),
                    element("profileDesc", children=descs),
                ],
            ),
            element("text", children=[element("body", children=[element("p")])]),
        ],
    )
    model = etree.ProcessingInstruction(
        "xml-model",
        f'href="{CMIF_RNG_URL}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"',
    )
    root.addprevious(model)
    etree.indent(root, space="  ")
    return xmlio.serialize(root.getroottree()), problems


def _correspdesc(
    config: EditionConfig, telegram: Telegram, source_id: str
) -> tuple[etree._Element | None, Diagnostic | None]:
    sent = [a for a in telegram.actions if a.type == "sent"]
    received = [a for a in telegram.actions if a.type == "received"]
    missing = [kind for kind, found in (("sent", sent), ("received", received)) if not found]
    if missing:
        return None, warning(
            telegram.display,
            1,
            1,
            f'left out of cmif.xml: the header has no correspAction type="{missing[0]}"',
            "cmif-incomplete",
        )
    desc = element("correspDesc", {"ref": document_url(config, telegram.ident), "source": f"#{source_id}"})
    for action in (*sent, *received):
        desc.append(_action(action))
    for action in telegram.actions:
        if action.type in ("sent", "received"):
            continue
        names = ", ".join(_label(n) for n in action.names) or "an intermediary"
        verb = "Transmitted via" if action.type == "transmitted" else f"Also ({action.type}):"
        desc.append(
            element(
                "note",
                children=[
                    f"{verb} {names}. CMIF records only the sender and the addressee; "
                    "the TEI file has the full record."
                ],
            )
        )
    return desc, None


def _label(name: Name) -> str:
    return name.entry.label if name.entry is not None else name.text


def _action(action: Action) -> etree._Element:
    node = element("correspAction", {"type": action.type})
    for name in action.names:
        uri = name.entry.uri if name.entry is not None else None
        node.append(element(name.element, {"ref": uri or ""}, [_label(name)]))
    for place in action.places:
        uri = place.entry.uri if place.entry is not None else None
        node.append(element("placeName", {"ref": uri or ""}, [_label(place)]))
    for attribute, value in action.dates:
        day = value.split("T", 1)[0]
        if _DAY.match(day):
            node.append(element("date", {attribute: day}))
            break
    return node


@functools.cache
def _rng() -> etree.RelaxNG:
    return etree.RelaxNG(xmlio.parse(RNG_PATH))


def check_cmif(data: bytes, display: str) -> list[Diagnostic]:
    """The CMIF file against the official RelaxNG and every rule of cmif.sch (run with saxonche)."""
    try:
        tree = xmlio.parse_bytes(data, display)
    except CablegramError as exc:
        return exc.diagnostics
    problems: list[Diagnostic] = []
    schema = _rng()
    if not schema.validate(tree):
        for entry in schema.error_log:
            problems.append(error(display, entry.line or 1, entry.column + 1, entry.message, "cmif-rng"))
    for finding in run(SCH_PATH, data):
        node = locate(tree, finding.location)
        line = line_of(node)
        code = _CODE.search(finding.text)
        rule = f"cmif-{code.group(1)}" if code else f"cmif-{finding.ident or finding.pattern}"
        severity = Severity.ERROR if finding.role in ("error", "fatal") else Severity.WARNING
        problems.append(Diagnostic(display, line, 1, severity, finding.text, rule))
    return problems
