"""Bytes → lines: decode an archive page export and remove the export's own formatting.

Only UTF-8 is accepted (a BOM is dropped silently); anything else is refused with one diagnostic that
names the first byte that is not UTF-8, so the user can re-save the file instead of getting mojibake.
Line numbers are those of the source file: a line whose whole content is formatting (a `-----` rule)
stays as an empty line, so paragraph breaks and numbering are kept.

Kept on purpose for the body encoder: `*single asterisks*` (handwriting), `~~strike~~`, and the escaped
forms `\\*` and `\\~`, which mean a literal asterisk or tilde and must not be mistaken for markup.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from cablegram.convert.model import Line
from cablegram.diagnostics import CablegramError, error

_RESAVE = "re-save it as UTF-8"
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return mark a binary file.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
# Code points XML 1.0 cannot hold that are not C0 controls: the non-characters and lone surrogates.
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of the byte at `offset`, counting CR, LF and CRLF as breaks."""
    head = data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    line = head.count(b"\n") + 1
    last = head[head.rfind(b"\n") + 1 :]
    return line, len(last.decode("utf-8", errors="replace")) + 1


def decode_source(data: bytes, path: str) -> str:
    """Decode a page export: UTF-8 with or without BOM, line ends normalised to LF."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            message = f"the file is {name}, not UTF-8; {_RESAVE}"
            raise CablegramError(error(path, 1, 1, message, "encoding"))
    control = _CONTROL.search(data)
    if control:
        line, column = _position(data, control.start())
        byte = control.group()[0]
        kind = "a NUL byte (UTF-16 or a binary file?)" if byte == 0 else f"control byte 0x{byte:02X}"
        message = f"{kind}: the file is not UTF-8 text; {_RESAVE}"
        raise CablegramError(error(path, line, column, message, "encoding"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        byte = data[exc.start]
        hint = " (Windows-1251 or another legacy code page?)" if byte >= 0x80 else ""
        message = f"byte 0x{byte:02X} is not UTF-8{hint}; {_RESAVE}"
        raise CablegramError(error(path, line, column, message, "encoding")) from None
    forbidden = _NOT_XML.search(text)
    if forbidden:
        before = text[: forbidden.start()]
        line, column = before.count("\n") + 1, forbidden.start() - (before.rfind("\n") + 1) + 1
        message = (
            f"U+{ord(forbidden.group()):04X} is not a character XML can hold; remove it and convert again"
        )
        raise CablegramError(error(path, line, column, message, "encoding"))
    if not text.strip():
        message = "the file is empty: no text to convert; export the archive page again"
        raise CablegramError(error(path, 1, 1, message, "encoding"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_RULE = re.compile(r"^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|(?:=\s*){3,})$")
_TAG = re.compile(r"</?(?:b|i|u|em|strong|span|font|p|div|br|hr|small|big)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)\s]*\)")
_LINK = re.compile(r"\[([^\[\]]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"(\*\*|__)(?=[^\s*_])(.+?)(?<=[^\s*_])\1")
_BOLD_OPEN = re.compile(r"^(\s*)\*\*(?=\S)")
_BOLD_CLOSE = re.compile(r"(?<=\S)\*\*(\s*)$")
_ESCAPE = re.compile(r"\\([\\`_{}\[\]()#+\-.!<>|\"'])")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_INVISIBLE = str.maketrans({"\u200b": "", "\ufeff": "", "\u00ad": "", "\u00a0": " ", "\f": "", "\v": ""})
_HAS_INVISIBLE = re.compile("[" + "".join(re.escape(chr(c)) for c in _INVISIBLE) + "]")


def _link(match: re.Match[str]) -> str:
    label, url = match.group(1), match.group(2)
    return url if label.strip() == url else f"{label} <{url}>"


def clean_line(text: str) -> str:
    """Remove export formatting from one line; what remains is the document's (or page's) text."""
    if _RULE.match(text):
        return ""
    # Each step only where the line has a character its pattern needs: most lines have no formatting.
    heading = _HEADING.match(text) if "#" in text else None
    if heading:
        text = heading.group(1)
    if "<" in text:
        text = _TAG.sub("", text)
    if "](" in text:
        text = _IMAGE.sub("", text)
        text = _LINK.sub(_link, text)
    if "**" in text or "__" in text:
        text = _BOLD.sub(r"\2", text)
        text = _BOLD_OPEN.sub(r"\1", text)
        text = _BOLD_CLOSE.sub(r"\1", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return (text.translate(_INVISIBLE) if _HAS_INVISIBLE.search(text) else text).rstrip()


def read_lines(text: str) -> list[Line]:
    """Every line of a decoded export, cleaned, numbered as in the file (blank lines included)."""
    if text.endswith("\n"):
        text = text[:-1]
    return [Line(number, clean_line(raw)) for number, raw in enumerate(text.split("\n"), start=1)]


def read_source(path: Path) -> list[Line]:
    """Read a page export from disk; encoding problems raise `CablegramError` with one diagnostic."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CablegramError(error(str(path), 1, 1, f"cannot read file: {exc.strerror}", "io")) from None
    return read_lines(decode_source(data, str(path)))
