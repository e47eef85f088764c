"""The edition's configuration, `edition.toml`: typed, read once, every bad key reported at once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from cablegram.diagnostics import CablegramError, Diagnostic, error

CONFIG_NAME = "edition.toml"


@dataclass(frozen=True)
class EditionConfig:
    title: str = "Untitled edition"
    identifier: str = ""  # DOI or URN of the edition as a whole
    publisher: str = ""
    editors: tuple[str, ...] = ()
    licence: str = "CC BY 4.0"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    base_url: str = ""
    contact: str = ""
    description: str = ""
    language: str = "en"
    extra: dict[str, Any] = field(default_factory=dict)


_URL_KEYS = ("base_url", "licence_url")  # they become links on every page: only http(s) is safe
_STRING_KEYS = {f.name for f in fields(EditionConfig) if f.name not in {"editors", "extra"}}


def load_config(edition_dir: Path) -> EditionConfig:
    """Read `edition.toml` (absent: defaults). Unknown keys and wrong types are all reported together."""
    path = edition_dir / CONFIG_NAME
    if not path.exists():
        return EditionConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CablegramError(error(str(path), 1, 1, f"cannot read edition.toml: {exc}", "config")) from None
    section = data.get("edition", data)
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}
    for key, value in section.items():
        if key in _STRING_KEYS:
            if isinstance(value, str):
                values[key] = value
            else:
                problems.append(error(str(path), 1, 1, f"key {key!r} must be a string", "config"))
        elif key == "editors":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                values[key] = tuple(value)
            else:
                problems.append(error(str(path), 1, 1, "key 'editors' must be a list of strings", "config"))
        elif isinstance(value, dict):
            values.setdefault("extra", {})[key] = value
        else:
            problems.append(error(str(path), 1, 1, f"unknown key {key!r} in edition.toml", "config"))
    for key in _URL_KEYS:
        value = values.get(key, "")
        if value and not re.match(r"https?://[^\s<>\"']+$", value):
            problems.append(
                error(str(path), 1, 1, f"key {key!r} must be an http(s) URL, not {value!r}", "config")
            )
    if problems:
        raise CablegramError(problems)
    return EditionConfig(**values)
