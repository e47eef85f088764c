"""Lines → `Page`: find the archive page's metadata in any of the archive's layouts; the rest is the body.

The reader works by *kinds of line*, never by file: every rule below applies to every page of the archive
and its mirror sites. A line ends up in exactly one place:

1. a `DOCUMENT INFORMATION` block (anywhere, even mid-body) → `Page.info` (label/value pairs);
2. `Associated …` headings of the newer site → their items into `Page.info` (topics also into subjects),
   an empty heading into `Page.dropped`;
3. page chrome (`get citation`, `VIEW DOCUMENT IN`, PDF running headers and footers) → `Page.dropped`;
4. the head — date and title lines at the top (date first or title first, or both on one line);
5. the labelled sections (`Citation:`, `Summary:`, `Credits:`, `Original Language:`, `Contents:`, with or
   without a colon or bullet), in any order; a section runs to the next label, the last one to the end of
   its first paragraph (`Contents:` to the end of its item list);
6. an unlabelled citation paragraph (`"Title," date, … Digital Archive, …`) or a bare `/document/NNNN` URL;
7. everything else is the body, in source order, split into paragraphs at blank lines. Without a
   `Summary:` label, the last body paragraph before the `Associated …` headings is the summary (the newer
   layout puts the summary there).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from cablegram.convert.model import ArchivalCitation, Line, Page, Paragraph, Party
from cablegram.diagnostics import CablegramError, error

# --------------------------------------------------------------------------------------------- dates

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_DATE = (
    rf"(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\.?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<m3>{_MONTH})\.?,?\s+(?P<y3>\d{{4}})"
    r"|(?P<y4>\d{4})-(?P<mo4>\d\d)-(?P<d4>\d\d)"
    r"|(?P<mo5>\d{1,2})/(?P<d5>\d{1,2})/(?P<y5>\d{4}))"
)
_DATE_UNNAMED = re.sub(r"\?P<\w+>", "?:", _DATE)
# a date line may be a range ("May 14-15, 1950", "May 14, 1950 - June 2, 1950") or a bare year ("c. 1950")
_DATE_LINE = re.compile(
    rf"^\s*(?:{_DATE}(?:\s*[-–—]\s*{_DATE_UNNAMED})?|(?:c\.|ca\.|circa)?\s*\d{{4}})\s*$", re.IGNORECASE
)
_DATE_TITLE_LINE = re.compile(rf"^\s*(?P<date>{_DATE})\s+(?P<rest>\S.*)$", re.IGNORECASE)
_DATE_ANY = re.compile(_DATE, re.IGNORECASE)


def page_date(text: str) -> str:
    """ISO form of the archive page's own (English) date: "May 14, 1950", "07/14/1951" → "1950-05-14"."""
    match = _DATE_ANY.search(text)
    if not match:
        bare = re.search(r"(?<!\d)\d{4}(?!\d)", text)
        return bare.group() if bare else ""
    g = match.groupdict()
    year = g["y1"] or g["y2"] or g["y3"] or g["y4"] or g["y5"]
    month_name = g["m1"] or g["m2"] or g["m3"]
    month = _MONTHS[month_name[:3].lower()] if month_name else int(g["mo4"] or g["mo5"])
    day = g["d1"] or g["d2"] or g["d4"] or g["d5"]
    try:
        if day is None:
            date(int(year), month, 1)
            return f"{int(year):04d}-{month:02d}"
        return date(int(year), month, int(day)).isoformat()
    except ValueError:
        return ""


# -------------------------------------------------------------------------------------- line kinds

_LABEL = re.compile(
    r"^\s*(?:[•·▪*]\s*|-\s+)?(?P<label>citation|summary|credits?|original\s+languages?|contents?)"
    r"\s*(?::\s*(?P<value>.*?)|\s*)$",
    re.IGNORECASE,
)
_VIEW_IN = re.compile(r"^\s*view\s+document\s+in\b\s*:?\s*(?P<value>.*?)\s*$", re.IGNORECASE)
_BULLETED = re.compile(r"^\s*(?:[•·▪*]|-(?=\s))\s*")
_INFO_HEAD = re.compile(r"^\s*document\s+information\s*:?\s*$", re.IGNORECASE)
_INFO_LABELS = (
    r"identifier|title|date|type|creator|contributors?|subjects?|description|coverage|source|publisher|"
    r"rights|format|languages?|relation|author\(s\)|authors?|record\s+id|original\s+uploaded\s+date|"
    r"original\s+archive|keywords|date\s+created"
)
_INFO_ROW = re.compile(
    rf"^\s*(?P<label>(?:{_INFO_LABELS})(?:\s*\([^()]*\))?)\s*(?:(?::|\t|\s{{2,}})\s*(?P<value>.*?))?\s*$",
    re.IGNORECASE,
)
_ASSOCIATED = re.compile(
    r"^\s*associated\s+(?:people\s*(?:&|and)\s*organi[sz]ations|places|topics|documents|collections?)\s*:?\s*$",
    re.IGNORECASE,
)
_CHROME_PHRASE = (
    r"get\s+citation|(?:history\s+and\s+public\s+policy\s+program\s+|wilson\s+center\s+)?digital\s+archive|"
    r"international\s+history\s+declassified|(?:https?://)?(?:www\.|digitalarchive\.)?wilsoncenter\.org/?|"
    r"page\s+\d+\s+of\s+\d+|download\s+pdf"
)
_CHROME = re.compile(rf"^\s*(?:(?:{_CHROME_PHRASE})\s*[|•·–-]?\s*)+$", re.IGNORECASE)
_URL = re.compile(r"<?(https?://[^\s<>]+?)>?(?=[\s.,;)]*(?:\s|$))")
_URL_LINE = re.compile(r"^\s*<?https?://\S+?>?\s*$")
_RECORD = re.compile(r"/document/(\d+)(?:[/?#]|$)")
_CONTENTS_WORDS = re.compile(
    r"\b(?:scan|scans|original|translation|translations|transcript|transcription|english|russian|chinese|"
    r"korean|german|french|polish|czech|hungarian|romanian|bulgarian|mongolian|vietnamese|japanese|"
    r"document|map|photo|photograph|image|pdf)\b",
    re.IGNORECASE,
)
_QUOTED_TITLE = re.compile(r"^\s*[\"“”„«](?P<title>.+?)[\"“”»](?P<rest>.*)$", re.DOTALL)


def _fold(text: str) -> str:
    return " ".join(text.split())


def _join(texts: Iterable[str]) -> str:
    """Join hard-wrapped lines into one string, undoing end-of-line hyphenation ("armi-" + "stice")."""
    out = ""
    for raw in texts:
        text = raw.strip()
        if not text:
            continue
        if not out:
            out = text
        elif re.search(r"[^\W\d_]-$", out) and not out.endswith(" -"):
            out = out[:-1] + text if text[0].islower() else out + text
        else:
            out = f"{out} {text}"
    return _fold(out)


def _unbullet(text: str) -> str:
    return _BULLETED.sub("", text, count=1).strip()


# ------------------------------------------------------------------------------------ the scanning


@dataclass
class _Scan:
    """Working state: which lines (by index) are taken, and by what."""

    lines: list[Line]
    taken: set[int] = field(default_factory=set)  # metadata, in some Page field
    dropped: set[int] = field(default_factory=set)  # chrome
    info: list[tuple[str, str]] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    title_lines: list[str] = field(default_factory=list)
    date_text: str = ""
    associated_at: int = -1  # index of the first `Associated …` heading, or -1

    def free(self, i: int) -> bool:
        return i not in self.taken and i not in self.dropped

    def text(self, i: int) -> str:
        return self.lines[i].text

    def blank(self, i: int) -> bool:
        return not self.lines[i].text.strip()

    def next_content(self, i: int) -> int:
        """Index of the first free non-blank line at or after i (len(lines) if none)."""
        while i < len(self.lines) and (self.blank(i) or not self.free(i)):
            i += 1
        return i


def _document_information(scan: _Scan) -> None:
    """Take every `DOCUMENT INFORMATION` block: `Label<TAB>value` rows or `Label` lines with values below."""
    n = len(scan.lines)
    for head in range(n):
        if not _INFO_HEAD.match(scan.text(head)) or not scan.free(head):
            continue
        scan.taken.add(head)
        inline_style = False
        i = head + 1
        while True:
            i = scan.next_content(i)
            row = _INFO_ROW.match(scan.text(i)) if i < n else None
            if row is None:
                break
            label, value = _fold(row.group("label")), row.group("value")
            scan.taken.add(i)
            i += 1
            if value is not None:
                inline_style = True
                scan.info.append((label, value.strip()))
                continue
            if i < n and _INFO_ROW.match(scan.text(i)):
                scan.info.append((label, ""))  # `Label<TAB>` with an empty value, the next row follows
                continue
            start = scan.next_content(i)
            if (
                inline_style
                or start >= n
                or _INFO_ROW.match(scan.text(start))
                or _INFO_HEAD.match(scan.text(start))
            ):
                scan.info.append((label, ""))
                continue
            end = start
            while end < n and not scan.blank(end) and not _INFO_ROW.match(scan.text(end)):
                scan.taken.add(end)
                end += 1
            scan.info.append((label, _join(scan.text(k) for k in range(start, end))))
            i = end


def _associated(scan: _Scan) -> None:
    """Take the newer site's `Associated …` headings and their items (short lines, bullets removed)."""
    n = len(scan.lines)
    for head in range(n):
        if not scan.free(head) or not _ASSOCIATED.match(scan.text(head)):
            continue
        if scan.associated_at < 0:
            scan.associated_at = head
        heading = _fold(scan.text(head).rstrip(":"))
        items: list[int] = []
        i = scan.next_content(head + 1)
        while i < n:
            text = scan.text(i)
            if (
                _ASSOCIATED.match(text)
                or _INFO_HEAD.match(text)
                or len(text) > 80
                or text.rstrip().endswith(".")
            ):
                break
            items.append(i)
            i = scan.next_content(i + 1)
        (scan.taken if items else scan.dropped).add(head)
        for k in items:
            scan.taken.add(k)
            scan.info.append((heading, _unbullet(scan.text(k))))


def _chrome(scan: _Scan) -> None:
    for i, line in enumerate(scan.lines):
        if scan.free(i) and line.text.strip() and _CHROME.match(line.text):
            scan.dropped.add(i)


def _head(scan: _Scan, first_label: int) -> None:
    """Date and title lines at the top: before the first label, or (no label near the top) next to a date."""
    blocks: list[list[int]] = []
    i = scan.next_content(0)
    while i < first_label and len(blocks) < 3:
        block = []
        while i < first_label and not scan.blank(i):
            if scan.free(i):
                block.append(i)
            i += 1
        if block:
            blocks.append(block)
        i = scan.next_content(i)
    if not blocks:
        return
    dated = [
        b
        for b in blocks[:2]
        if any(_DATE_LINE.match(scan.text(k)) or _DATE_TITLE_LINE.match(scan.text(k)) for k in b)
    ]
    labelled_top = (
        first_label < len(scan.lines)
        and sum(map(len, blocks)) <= 6
        and (scan.next_content(blocks[-1][-1] + 1) >= first_label)
    )
    if labelled_top:
        head = [k for b in blocks for k in b]
    elif not dated and _is_title([scan.text(k) for k in blocks[0]]):
        head = blocks[0]  # a title without a date line, the body following
    elif dated:
        last = blocks.index(dated[0])
        head = [k for b in blocks[: last + 1] for k in b]
        date_only = all(_DATE_LINE.match(scan.text(k)) for k in head)
        if (
            date_only
            and len(blocks) > last + 1
            and len(blocks[last + 1]) <= 3
            and not _looks_like_body([scan.text(k) for k in blocks[last + 1]])
        ):
            head += blocks[last + 1]
        if len(head) > 4:
            return
    else:
        return
    runs: list[list[int]] = []  # runs of consecutive non-date lines: the title is one of them
    for k in head:
        scan.taken.add(k)
        text = scan.text(k).strip()
        dated_title = _DATE_TITLE_LINE.match(text)
        if _DATE_LINE.match(text) and not scan.date_text:
            scan.date_text = _fold(text)
        elif dated_title and not scan.date_text and _TITLE_HINT.search(text):
            scan.date_text = _fold(dated_title.group("date"))
            scan.title_lines.append(dated_title.group("rest"))
        elif runs and runs[-1][-1] == k - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    if not scan.title_lines and runs:
        # the first run that reads like a title ("…, X to Y", "Telegram …"), else the first run
        title = next((r for r in runs if _TITLE_HINT.search(" ".join(scan.text(k) for k in r))), runs[0])
        if len(title) <= 3:
            scan.title_lines = [scan.text(k).strip() for k in title]
            runs.remove(title)
    scan.info.extend(("Page heading", scan.text(k).strip()) for run in runs for k in run)


_TITLE_HINT = re.compile(
    r"\b(?:to|from|telegram|cable|letter|message|memorandum|record|report|note|minutes|conversation|"
    r"instructions?|directive|resolution|decree|protocol|draft)\b",
    re.IGNORECASE,
)


_DOC_TYPE_START = re.compile(
    r"^(?:ciphered|cipher|coded|telegram|cable|letter|message|memorandum|record|report|note|minutes|"
    r"conversation|draft|excerpt|directive|resolution|instructions|decree|protocol|information)\b",
    re.IGNORECASE,
)


def _is_title(texts: list[str]) -> bool:
    """A strict test for a title with no date beside it: "Ciphered Telegram, X to Y" (at most 2 lines)."""
    text = " ".join(texts)
    return (
        len(texts) <= 2
        and len(text) <= 250
        and bool(_DOC_TYPE_START.match(text))
        and bool(re.search(r"\s(?:to|from)\s", text, re.IGNORECASE))
        and not re.search(r"[А-Яа-яЁё]", text)
    )


def _looks_like_body(texts: list[str]) -> bool:
    text = " ".join(texts)
    return len(text) > 250 or bool(re.search(r"[А-Яа-яЁё]", text)) or not _TITLE_HINT.search(text)


def _label_kind(label: str) -> str:
    word = label.lower().split()[-1] if label.lower().startswith("original") else label.lower()
    return {"credit": "credits", "content": "contents", "language": "language", "languages": "language"}.get(
        word, word
    )


def _labels(scan: _Scan) -> list[tuple[int, str, str | None]]:
    found: list[tuple[int, str, str | None]] = []
    for i, line in enumerate(scan.lines):
        if not scan.free(i):
            continue
        view = _VIEW_IN.match(line.text)
        if view:
            found.append((i, "view", view.group("value") or None))
            continue
        match = _LABEL.match(line.text)
        if match:
            found.append((i, _label_kind(match.group("label")), match.group("value") or None))
    return found


def _paragraphs_between(scan: _Scan, start: int, end: int) -> list[list[int]]:
    """Free non-blank lines in [start, end) grouped at blank lines (taken/dropped lines are transparent)."""
    groups: list[list[int]] = []
    current: list[int] = []
    for i in range(start, end):
        if scan.blank(i):
            if current:
                groups.append(current)
                current = []
        elif scan.free(i):
            current.append(i)
    if current:
        groups.append(current)
    return groups


def _contents_items(scan: _Scan, start: int, inline: str | None) -> tuple[list[str], list[int]]:
    """A contents list: inline (`A, B` or `• A • B`), `- ` bullets (may be blank-separated) or plain lines."""
    items = _split_items(inline) if inline else []
    taken: list[int] = []
    i, n = start, len(scan.lines)
    bulleted = False
    while i < n:
        if scan.blank(i) or not scan.free(i):
            following = scan.next_content(i)
            if bulleted and following < n and _BULLETED.match(scan.text(following)):
                i = following
                continue
            if items:
                break
            i = following
            continue
        text = scan.text(i)
        is_bullet = bool(_BULLETED.match(text))
        if not is_bullet and (not _CONTENTS_WORDS.search(text) or len(text.split()) > 8):
            break
        bulleted = bulleted or is_bullet
        items.extend(_split_items(text))
        taken.append(i)
        i += 1
    return items, taken


def _split_items(text: str) -> list[str]:
    parts = re.split(r"\s*[•·▪]\s*|\s*,\s*|\s*;\s*", _unbullet(text))
    return [p.strip() for p in parts if p.strip()]


def _sections(scan: _Scan, labels: list[tuple[int, str, str | None]]) -> None:
    """Read the labelled sections as one cluster starting at the first label (see the module docstring)."""
    if not labels:
        return
    cluster = [labels[0]]
    seen = {labels[0][1]}
    for label in labels[1:]:
        gap = _paragraphs_between(scan, cluster[-1][0] + 1, label[0])
        if label[1] in seen or len(gap) > 3:
            break
        cluster.append(label)
        seen.add(label[1])
    for position, (index, kind, inline) in enumerate(cluster):
        # "VIEW DOCUMENT IN" and a bare bulleted tab such as "• Citation" are page chrome; labels are metadata
        chrome = kind == "view" or (inline is None and _BULLETED.match(scan.text(index)) is not None)
        # A label alone on its line is the page's structure, not text of the document or its metadata.
        (scan.dropped if chrome or inline is None else scan.taken).add(index)
        last = position == len(cluster) - 1
        end = cluster[position + 1][0] if not last else len(scan.lines)
        values: list[str] = []
        if kind in ("contents", "view"):
            items, taken = _contents_items(scan, index + 1, inline)
            if not last:
                taken += [k for group in _paragraphs_between(scan, index + 1, end) for k in group]
                items = _split_items(inline) if inline else []
                items += [item for k in sorted(set(taken)) for item in _split_items(scan.text(k))]
            target = scan.dropped if kind == "view" else scan.taken
            target.update(taken)
            values = items
        else:
            if inline:
                values.append(inline)
            groups = _paragraphs_between(scan, index + 1, end)
            if last:
                groups = groups[:1] if not inline else [g for g in groups[:1] if g[0] == index + 1]
                if kind == "language" and groups and len(groups[0]) > 2:
                    groups = [groups[0][:1]]
            for group in groups:
                scan.taken.update(group)
                values.extend(scan.text(k) for k in group)
                values.append("")  # paragraph break
        scan.sections.setdefault(kind, []).extend(values)


def _unlabelled_metadata(scan: _Scan) -> None:
    """A citation paragraph without a label (older layout) and bare `/document/NNNN` URL lines."""
    for group in _paragraphs_between(scan, 0, len(scan.lines)):
        text = _join(scan.text(k) for k in group)
        if "citation" not in scan.sections and _QUOTED_TITLE.match(text) and "Digital Archive" in text:
            scan.sections["citation"] = [scan.text(k) for k in group]
            scan.taken.update(group)
            continue
        for k in group:
            if _URL_LINE.match(scan.text(k)) and _RECORD.search(scan.text(k)):
                scan.sections.setdefault("url", []).append(scan.text(k))
                scan.taken.add(k)


def _body(scan: _Scan) -> list[Paragraph]:
    groups = _paragraphs_between(scan, 0, len(scan.lines))
    return [Paragraph(lines=tuple(scan.lines[k] for k in group)) for group in groups]


# ------------------------------------------------------------------------------------ the citation

_REPOSITORIES: tuple[tuple[str, str], ...] = (
    (
        "aprf",
        r"APRF|AP\s?RF|Archive\s+of\s+the\s+President\s+of\s+the\s+Russian\s+Federation|"
        r"(?:Russian\s+)?Presidential\s+Archives?(?:\s+of\s+the\s+Russian\s+Federation)?",
    ),
    (
        "rgaspi",
        r"RGASPI|Russian\s+State\s+Archive\s+of\s+(?:Socio-Political|Social\s+and\s+Political)\s+History",
    ),
    (
        "avprf",
        r"AVPRF|AVP\s?RF|Archive\s+of\s+(?:the\s+)?Foreign\s+Policy\s+of\s+the\s+Russian\s+Federation|"
        r"Foreign\s+Policy\s+Archive\s+of\s+the\s+Russian\s+Federation",
    ),
    ("rgani", r"RGANI|Russian\s+State\s+Archive\s+of\s+Contemporary\s+History"),
    ("tskhsd", r"TsKhSD"),
    ("garf", r"GARF|State\s+Archive\s+of\s+the\s+Russian\s+Federation"),
    ("tsamo", r"TsAMO|Central\s+Archives?\s+of\s+the\s+(?:Russian\s+)?Ministry\s+of\s+Defen[cs]e"),
    ("rgva", r"RGVA"),
    ("rgae", r"RGAE"),
    ("prc-fma", r"PRC\s+FMA|(?:Chinese|PRC)\s+Foreign\s+Ministry\s+Archives?"),
)
_KNOWN_REPOSITORY = [(key, re.compile(rf"\b(?:{pattern})\b")) for key, pattern in _REPOSITORIES]
_OTHER_REPOSITORY = re.compile(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b(?=\s*,?\s*(?:f\.|fond\b|F\.|Fond\b))")
_AFTER_REPOSITORY = re.compile(r"\s*(?:\([^()]*\))?")
_VALUE = r"№?\s*[0-9][\w/]*(?:-[0-9]\w*)?|[A-Za-z]?[0-9][\w/]*"
_LISTY_VALUE = r"\d\w*(?:\s*[-–—]\s*\d\w*)?(?:\s*,\s*\d\w*(?:\s*[-–—]\s*\d\w*)?)*"
_PART = re.compile(
    rf"[\s,;]*(?:(?P<fond>(?:fond|f)\b\.?)\s*(?P<fond_v>{_VALUE})"
    rf"|(?P<opis>(?:opis|op)\b\.?)\s*(?P<opis_v>{_VALUE})"
    rf"|(?P<delo>(?:delo|d)\b\.?)\s*(?P<delo_v>{_VALUE})"
    rf"|(?P<papka>(?:papka|pap|p)\b\.?)\s*(?P<papka_v>{_VALUE})"
    rf"|(?P<listy>(?:listy|listi|list|ll|l|ii|pp)\b\.?)\s*(?P<listy_v>{_LISTY_VALUE}))",
    re.IGNORECASE,
)


def parse_archival(text: str) -> list[ArchivalCitation]:
    """Every archival location in a citation, split into repository / fond / opis / delo / papka / listy."""
    mentions: list[tuple[int, int, str]] = []
    for key, pattern in _KNOWN_REPOSITORY:
        mentions += [(m.start(), m.end(), key) for m in pattern.finditer(text)]
    mentions += [(m.start(), m.end(), "") for m in _OTHER_REPOSITORY.finditer(text)]
    mentions.sort(key=lambda m: (m[0], -m[1]))
    found: list[ArchivalCitation] = []
    consumed = 0
    for start, end, key in mentions:
        if start < consumed:
            continue
        parts: dict[str, str] = {}
        position = _AFTER_REPOSITORY.match(text, end)
        cursor = position.end() if position else end
        last = end
        while (part := _PART.match(text, cursor)) is not None:
            name = next(k for k in ("fond", "opis", "delo", "papka", "listy") if part.group(k))
            if name in parts:
                break
            parts[name] = part.group(f"{name}_v").strip().lstrip("№").strip()
            cursor = last = part.end()
        consumed = max(last, cursor if parts else end)
        found.append(
            ArchivalCitation(
                repository=_fold(text[start:end]),
                repository_key=key,
                fond=parts.get("fond", ""),
                opis=parts.get("opis", ""),
                delo=parts.get("delo", ""),
                papka=parts.get("papka", ""),
                listy=parts.get("listy", ""),
                text=_fold(text[start:last]).rstrip(".,; "),
            )
        )
    return found


_PUBLISHER = re.compile(r"(?:^|,)\s*([A-Z][^,;\"“”]*?Digital\s+Archive)\b")
_FUNDER = re.compile(
    r"made\s+possible\s+(?:with|by|through)\s+(?:the\s+)?(?:generous\s+)?support\s+(?:from|of)\s+(.+?)\.?\s*$",
    re.IGNORECASE,
)
_TRANSLATOR = re.compile(
    r"\bTranslated\s+(?:(?:from|into)\s+\w+\s+)?(?:(?:for|exclusively\s+for)\s+[^.;]*?\s+)?by\s+"
    r"((?:[A-Z]\.\s*)*[^.;,()]+?)\s*(?:[.;,()]|$)",
)


def _url_and_rest(texts: list[str]) -> tuple[str, list[str]]:
    """The first URL in a section (the page's address) and the section's text without it."""
    url = ""
    rest: list[str] = []
    for text in texts:
        if not url:
            match = _URL.search(text)
            if match:
                url = match.group(1).rstrip(".,;)")
                text = (text[: match.start()] + text[match.end() :]).strip()
        rest.append(text)
    return url, rest


# -------------------------------------------------------------------------------------- the title

_HONORIFIC = re.compile(r"^(?:(?:Cdes?|Comrades?|Comr|Com|Tov|Tovarishch)\.?\s+)+", re.IGNORECASE)
_DOC_TYPE = re.compile(
    r"^(?:(?:ciphered|cipher|coded|secret|urgent|top|telegram|cable|letter|message|note|report|memorandum|"
    r"draft|outgoing|incoming)\s+)+(?:No\.?\s*\S+\s+)?",
    re.IGNORECASE,
)


def _party(text: str) -> Party | None:
    name = _HONORIFIC.sub("", text.strip(" ,.;:\"'“”")).strip(" ,.;:")
    return Party(name) if name else None


def parse_parties(title: str) -> tuple[Party | None, list[Party], Party | None]:
    """Sender, recipients and intermediary from "…, X to Y and Z (via W)" or "…, X to W, for Y".

    "X to W, for Y" names the person the cable was addressed through (W, such as Krasovsky, the Soviet
    military representative) and the person it was for (Y): Y is the recipient, W the intermediary.
    """
    text = _fold(title)
    to = re.search(r"\s+to\s+", text, re.IGNORECASE)
    if not to and re.search(r"[А-Яа-яЁё]", text):
        to = re.search(r"\s+[–—]\s+", text)  # Russian titles: "Шифртелеграмма, Филиппов – Мао Цзэдуну"
    if not to:
        return None, [], None
    left, right = text[: to.start()], text[to.end() :]
    parts = re.split(r",\s*|\bfrom\s+", left, flags=re.IGNORECASE)
    sender_text = parts[-1] if len(parts) > 1 else _DOC_TYPE.sub("", left)
    intermediary: Party | None = None
    via = re.search(r"\s*\((?:sent\s+|transmitted\s+)?(?:via|through)\s+([^()]+)\)", right, re.IGNORECASE)
    if not via:
        via = re.search(r"\s+(?:via|through)\s+(.+)$", right, re.IGNORECASE)
    if via:
        intermediary = _party(via.group(1))
        right = (right[: via.start()] + right[via.end() :]).strip()
    names = right
    addressed_for = re.search(r",?\s+for\s+(?:(?:transmission|delivery)\s+to\s+)?(.+)$", right, re.IGNORECASE)
    if addressed_for:
        names = addressed_for.group(1)
        through = right[: addressed_for.start()]
        if intermediary is None:
            intermediary = _party(through)
        else:
            names = f"{through} and {names}"
    recipients = [p for p in map(_party, re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", names)) if p]
    return _party(sender_text), recipients, intermediary


def _ascii_slug(text: str, words: int = 8) -> str:
    text = text.translate(_CYRILLIC)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", text)[:words])


_CYRILLIC = str.maketrans(
    dict(
        zip(
            "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
            [
                "a",
                "b",
                "v",
                "g",
                "d",
                "e",
                "e",
                "zh",
                "z",
                "i",
                "i",
                "k",
                "l",
                "m",
                "n",
                "o",
                "p",
                "r",
                "s",
                "t",
                "u",
                "f",
                "kh",
                "ts",
                "ch",
                "sh",
                "shch",
                "-",
                "y",
                "-",
                "e",
                "iu",
                "ia",
                "A",
                "B",
                "V",
                "G",
                "D",
                "E",
                "E",
                "Zh",
                "Z",
                "I",
                "I",
                "K",
                "L",
                "M",
                "N",
                "O",
                "P",
                "R",
                "S",
                "T",
                "U",
                "F",
                "Kh",
                "Ts",
                "Ch",
                "Sh",
                "Shch",
                "-",
                "Y",
                "-",
                "E",
                "Iu",
                "Ia",
            ],
            strict=True,
        )
    )
)


def derive_id(date_iso: str, title: str, sender: Party | None, recipients: list[Party], stem: str) -> str:
    """A stable id for a page without a record number: `wc-<date>-<sender>-to-<recipient>` (ASCII)."""

    def simple(party: Party) -> str:
        return re.sub(r"\s*[\[(][^\])]*[\])]", "", party.name)

    if sender and recipients:
        slug = _ascii_slug(f"{simple(sender)} to {simple(recipients[0])}")
    else:
        slug = _ascii_slug(title) or _ascii_slug(re.sub(r"^wc-", "", stem))
    return "-".join(part for part in ("wc", date_iso, slug) if part)


# ------------------------------------------------------------------------------------------ the page


def _info_value(info: list[tuple[str, str]], *labels: str) -> str:
    wanted = {label.lower() for label in labels}
    for label, value in info:
        if re.sub(r"\s*\(.*\)$", "", label).lower() in wanted and value:
            return value
    return ""


def _paragraph_texts(values: list[str]) -> list[str]:
    """Section values (lines, "" between paragraphs) → one folded string per paragraph."""
    paragraphs: list[list[str]] = [[]]
    for value in values:
        if value:
            paragraphs[-1].append(value)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [_join(p) for p in paragraphs if p]


def _prefer_citation_title(title: str, cited: str) -> str:
    def letters(text: str) -> str:
        return re.sub(r"\W+", "", text).casefold()

    if not title:
        return cited
    if cited and title.isupper() and letters(title) == letters(cited):
        return cited
    return title


_RECORD_LINE = re.compile(r"^\s*record\s+id\s*[:\t ]\s*(\d+)\s*$", re.IGNORECASE)


def _record_id_lines(scan: _Scan) -> None:
    """A `Record ID 115976` line outside a DOCUMENT INFORMATION block (some mirrors print it alone)."""
    for index, line in enumerate(scan.lines):
        match = _RECORD_LINE.match(line.text)
        if match and scan.free(index):
            scan.info.append(("Record ID", match.group(1)))
            scan.taken.add(index)


def read_page(lines: list[Line], path: str) -> Page:
    """Read an archive page export (cleaned lines, source numbering) into a `Page`."""
    scan = _Scan(list(lines))
    _document_information(scan)
    _record_id_lines(scan)
    _associated(scan)
    _chrome(scan)
    labels = _labels(scan)
    _head(scan, labels[0][0] if labels else len(scan.lines))
    _sections(scan, [label for label in labels if scan.free(label[0])])
    _unlabelled_metadata(scan)
    body = _body(scan)
    return _assemble(scan, body, path)


def _assemble(scan: _Scan, body: list[Paragraph], path: str) -> Page:
    sections = scan.sections
    url, citation_lines = _url_and_rest(sections.get("citation", []))
    citation = " ".join(_paragraph_texts(citation_lines))
    if not url:
        url, _ = _url_and_rest(sections.get("url", []) + [value for _, value in scan.info])
    summaries = _paragraph_texts(sections.get("summary", []))
    summary = "\n\n".join(summaries)
    if not summary and scan.associated_at >= 0:
        before = [p for p in body if p.lines[-1].number <= scan.lines[scan.associated_at].number]
        if before:
            summary = _join(line.text for line in before[-1].lines)
            body = [p for p in body if p is not before[-1]]
    if not body:
        line = scan.lines[-1].number if scan.lines else 1
        message = "no document text found: the page has metadata only; export the page with its document text"
        raise CablegramError(error(path, line, 1, message, "no-body"))

    quoted = _QUOTED_TITLE.match(citation)
    cited_title = quoted.group("title").strip().rstrip(",.").strip() if quoted else ""
    title = _prefer_citation_title(_join(scan.title_lines), cited_title) or _info_value(scan.info, "title")
    date_text = scan.date_text
    if not date_text:
        source = quoted.group("rest") if quoted else _info_value(scan.info, "date")
        found = _DATE_ANY.search(source)
        date_text = found.group() if found else ""

    record = _RECORD.search(url)
    record_id = record.group(1) if record else re.sub(r"\D", "", _info_value(scan.info, "record id"))
    sender, recipients, intermediary = parse_parties(title or _info_value(scan.info, "title"))
    date_iso = page_date(date_text)
    doc_id = (
        f"wc-{record_id}"
        if record_id
        else derive_id(date_iso, title, sender, recipients, PurePath(path).stem)
    )

    credits = _paragraph_texts(sections.get("credits", []))
    funder = ""
    for text in credits:
        match = _FUNDER.search(text)
        if match and not funder:
            funder = match.group(1).strip()
        scan.info.append(("Credits", text))  # verbatim, funder sentence included: nothing lost
    source_text = _info_value(scan.info, "source")
    translator = ""
    for text in [citation, *credits, source_text, summary]:
        match = _TRANSLATOR.search(text)
        if match:
            translator = match.group(1).strip()
            break
    archival = _archival(citation, source_text, _info_value(scan.info, "original archive"))
    publisher = _PUBLISHER.search(quoted.group("rest") if quoted else citation)
    language = " ".join(_paragraph_texts(sections.get("language", []))) or _info_value(scan.info, "language")
    return Page(
        path=path,
        doc_id=doc_id,
        record_id=record_id,
        title=title,
        date_text=date_text,
        date_iso=date_iso,
        url=url,
        citation=citation,
        archival=archival,
        summary=summary,
        funder=funder,
        translator=translator,
        original_language=language,
        contents=[item for item in sections.get("contents", sections.get("view", [])) if item],
        info=scan.info,
        subjects=list(_subjects(scan.info)),
        sender=sender,
        recipients=recipients,
        intermediary=intermediary,
        publisher=_fold(publisher.group(1)) if publisher else "",
        body=body,
        dropped=[scan.lines[i] for i in sorted(scan.dropped)],
    )


def _archival(citation: str, source: str, original_archive: str) -> list[ArchivalCitation]:
    quoted = _QUOTED_TITLE.match(citation)
    found = parse_archival(quoted.group("rest") if quoted else citation)
    if not found and source:
        found = parse_archival(source)
    if not found and original_archive:
        found = parse_archival(original_archive) or [
            ArchivalCitation(original_archive, "", text=original_archive)
        ]
    return found


def _subjects(info: list[tuple[str, str]]) -> Iterator[str]:
    """Subjects: `Subject`/`Keywords` values are comma lists; an `Associated Topics` item is one term."""
    seen: set[str] = set()
    for label, value in info:
        key = label.lower()
        if key in {"subject", "subjects", "keywords"}:
            terms = re.split(r"\s*[,;]\s*", value)
        elif key == "associated topics":
            terms = [value]
        else:
            continue
        for term in terms:
            if term and term not in seen:
                seen.add(term)
                yield term
