"""Where the shipped schema/ and xslt/ directories are: inside the installed package (the wheel puts
them there) or, in a checkout installed in development mode, at the top of the repository."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parents[1] / name


def schema_dir() -> Path:
    return _shipped("schema")


def xslt_dir() -> Path:
    return _shipped("xslt")
