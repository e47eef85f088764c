"""Where the shipped schema/ and xslt/ directories are, installed or in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _package_dir(name: str) -> Path:
    try:
        located = Path(str(resources.files(f"cablegram.{name}")))
        if located.is_dir():
            return located
    except ModuleNotFoundError:
        pass
    # A plain checkout on sys.path without installation: the directories sit at the repository's top.
    return Path(__file__).resolve().parents[2] / name


def schema_dir() -> Path:
    return _package_dir("schema")


def xslt_dir() -> Path:
    return _package_dir("xslt")
