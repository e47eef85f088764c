"""`cablegram init`: a new, empty edition that validates from its first file on."""

from __future__ import annotations

import shutil
from pathlib import Path

from cablegram.diagnostics import CablegramError, error
from cablegram.fsutil import atomic_write
from cablegram.resources import schema_dir

_CONFIG = """# The edition's settings: read by every cablegram command run in this directory.
[edition]
title = {title!r}
identifier = ""
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
    "persons.xml": (
        "persons",
        "Register of persons",
        '<listPerson>\n        <person xml:id="unknown-person"><persName>Unknown</persName></person>\n      </listPerson>',
    ),
    "places.xml": (
        "places",
        "Register of places",
        '<listPlace>\n        <place xml:id="unknown-place"><placeName>Unknown</placeName></place>\n      </listPlace>',
    ),
    "organisations.xml": (
        "organisations",
        "Register of organisations",
        '<listOrg>\n        <org xml:id="unknown-org"><orgName>Unknown</orgName></org>\n      </listOrg>',
    ),
}


def init_edition(target: Path, *, title: str) -> Path:
    if target.exists() and any(target.iterdir()):
        raise CablegramError(
            error(str(target), 1, 1, "directory is not empty; choose a new directory", "init")
        )
    for sub in ("sources", "tei"):
        (target / sub).mkdir(parents=True, exist_ok=True)
    atomic_write(target / "edition.toml", _CONFIG.format(title=title))
    for name, (ident, heading, body) in _REGISTERS.items():
        atomic_write(target / "tei" / name, _REGISTER.format(ident=ident, title=heading, body=body))
    shutil.copytree(schema_dir(), target / "schema", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target
