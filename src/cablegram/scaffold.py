"""`cablegram init`: a new, empty edition that validates from its first file on."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from cablegram.diagnostics import CablegramError, error
from cablegram.fsutil import atomic_write
from cablegram.resources import schema_dir

_CONFIG = """# The edition's settings: read by every cablegram command run in this directory.
[edition]
title = {title!r}
identifier = {identifier!r}
publisher = ""
editors = []
licence = "CC BY 4.0"
licence_url = "https://creativecommons.org/licenses/by/4.0/"
base_url = ""
contact = ""
description = ""
language = "en"
"""

_REGISTER = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="../schema/cablegram.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
<?xml-model href="../schema/cablegram.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{ident}" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>{title}</title>
      </titleStmt>
      <publicationStmt>
        <p>Register of the edition.</p>
      </publicationStmt>
      <sourceDesc>
        <p>Compiled by the editors from the edition's sources.</p>
      </sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      {body}
    </body>
  </text>
</TEI>
"""

_REGISTERS = {
    "persons.xml": ("persons", "Register of persons", "listPerson", "person", "persName"),
    "places.xml": ("places", "Register of places", "listPlace", "place", "placeName"),
    "organisations.xml": ("organisations", "Register of organisations", "listOrg", "org", "orgName"),
}


def _register_body(listing: str, entry: str, name: str, ident: str) -> str:
    """A register starts with one placeholder entry: TEI's lists may not be empty."""
    return (
        f'<{listing}>\n        <{entry} xml:id="unknown-{ident}"><{name}>Unknown</{name}></{entry}>\n'
        f"      </{listing}>"
    )


def init_edition(target: Path, *, title: str) -> Path:
    if target.exists() and any(target.iterdir()):
        raise CablegramError(
            error(str(target), 1, 1, "directory is not empty; choose a new directory", "init")
        )
    for sub in ("sources", "tei"):
        (target / sub).mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", target.resolve().name.lower()).strip("-") or "edition"
    atomic_write(target / "edition.toml", _CONFIG.format(title=title, identifier=f"urn:cablegram:{slug}"))
    for name, (ident, heading, listing, entry, tag) in _REGISTERS.items():
        body = _register_body(listing, entry, tag, ident)
        atomic_write(target / "tei" / name, _REGISTER.format(ident=ident, title=heading, body=body))
    shutil.copytree(schema_dir(), target / "schema", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target
