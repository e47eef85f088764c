"""Segment a page's body into layers: original(s), archive transcription, translation (ENCODING.md §3).

Layers are told apart by script, then, inside one script, by repetition: a second copy of the original
or a transcription begins by repeating the opening blocks of the layer before it. The page's `Contents:`
list (in page order) names what each layer is; without it, the first layer in the original's language is
the original and a later one a transcription.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cablegram.convert.model import Page, Paragraph
from cablegram.convert.script import (
    SCRIPT_LANGUAGE,
    dominant_script,
    is_ocr_residue,
    latin_language,
    letter_words,
)
from cablegram.convert.similar import Similar

_GAP_ONLY = re.compile(r"^\s*\[\s*(?:\.{2,}|…)\s*\]\s*$")
_DIGITS_ONLY = re.compile(r"^\s*\d{1,4}\s*$")
_OPENING = re.compile(
    r"^\s*(?:to|for|dear|для|кому|an|à|do|тов\.?|товарищ|cde\.?|comrade|genossen?|camarade)\s", re.I
)
_LANGUAGE_NAMES = {
    "russian": "ru", "english": "en", "chinese": "zh", "korean": "ko", "german": "de", "french": "fr",
    "mongolian": "mn", "vietnamese": "vi", "japanese": "ja", "polish": "pl", "czech": "cs",
    "hungarian": "hu", "romanian": "ro", "bulgarian": "bg", "ukrainian": "uk", "spanish": "es",
}  # fmt: skip
_LATIN_DETECTABLE = {"de", "fr", "pl", "cs", "hu", "es", "it", "ro"}
_SCRIPT_OF_LANGUAGE = {
    "ru": "cyrillic", "uk": "cyrillic", "bg": "cyrillic", "mn": "cyrillic", "zh": "han", "ja": "han",
    "ko": "hangul",
}  # fmt: skip


@dataclass
class Layer:
    role: str  # "original" | "transcription" | "translation"
    lang: str
    paragraphs: list[Paragraph]
    xml_id: str = ""
    n: str = ""  # copy number when the page holds several copies of the original
    corresp: str = ""  # id of the layer a translation translates
    ids: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ContentsEntry:
    role: str
    lang: str  # "" when the entry names no language ("Original Scan")


def parse_contents(entries: list[str], original_language: str) -> list[ContentsEntry]:
    """`Original Scan`, `Transcript - Russian`, `English Translation`, `Scan of Original Document` …"""
    parsed: list[ContentsEntry] = []
    original = language_code(original_language) or "ru"
    for entry in entries:
        lowered = entry.lower()
        lang = next((code for name, code in _LANGUAGE_NAMES.items() if name in lowered), "")
        if "translat" in lowered:
            parsed.append(ContentsEntry("translation", lang or "en"))
        elif "transcri" in lowered:
            parsed.append(ContentsEntry("transcription", lang or original))
        elif "scan" in lowered or "original" in lowered:
            parsed.append(ContentsEntry("original", lang or original))
    return parsed


def language_code(name: str) -> str:
    lowered = name.lower()
    return next((code for key, code in _LANGUAGE_NAMES.items() if key in lowered), "")


def _label(paragraph: Paragraph, latin: tuple[str, ...]) -> str | None:
    """The block's script, or for Latin script on a page with a Latin-script original in another
    language than English, "latin:<language>" (None where the block does not tell)."""
    if is_ocr_residue(paragraph.text):
        return None
    script = dominant_script(paragraph.text)
    if script == "latin" and latin:
        language = latin_language(paragraph.text, latin)
        return f"latin:{language}" if language else None
    return script


def _letters(paragraph: Paragraph) -> int:
    return sum(map(str.isalpha, paragraph.text))


def split_by_script(
    paragraphs: list[Paragraph], latin: tuple[str, ...] = ()
) -> list[tuple[str, list[Paragraph]]]:
    labels = [_label(p, latin) for p in paragraphs]
    _smooth(paragraphs, labels)
    runs: list[tuple[str, list[Paragraph]]] = []
    pending: list[Paragraph] = []  # script-less blocks waiting for the run they belong to
    for paragraph, label in zip(paragraphs, labels, strict=True):
        if label is None:
            pending.append(paragraph)
            continue
        if runs and runs[-1][0] == label:
            runs[-1][1].extend(pending)
            runs[-1][1].append(paragraph)
        else:
            # Folio numbers and address lines at a boundary open the next layer (they stand at the head of
            # a scan or a letter); anything else script-less closes the previous one.
            opening = next((i for i, p in enumerate(pending) if _OPENING.match(p.text)), len(pending))
            tail = pending[:opening]
            while tail and _DIGITS_ONLY.match(tail[-1].text):
                tail = tail[:-1]
            head = pending[len(tail) :]
            if runs:
                runs[-1][1].extend(tail)
            else:
                head = pending
            runs.append((label, [*head, paragraph]))
        pending = []
    if runs:
        runs[-1][1].extend(pending)
    elif pending:
        runs.append(("latin", pending))
    return runs


def _smooth(paragraphs: list[Paragraph], labels: list[str | None]) -> None:
    """A short run in another script between two runs of one script belongs to them ("SD 00444",
    "262 N 4074 Jun" in a Russian scan); so does a tiny run at either end of the page."""
    indexed = [i for i, label in enumerate(labels) if label is not None]
    groups: list[list[int]] = []
    for i in indexed:
        if groups and labels[groups[-1][-1]] == labels[i]:
            groups[-1].append(i)
        else:
            groups.append([i])
    scripts = [labels[group[0]] for group in groups]
    for g, group in enumerate(groups):
        letters = sum(_letters(paragraphs[i]) for i in group)
        if letters >= 25 or len(group) > 2:
            continue
        before = scripts[g - 1] if g > 0 else None
        after = scripts[g + 1] if g + 1 < len(groups) else None
        if before is not None and before == after:
            neighbour: str | None = before
        elif letters < 10 and (before is None) != (after is None):
            neighbour = before or after
        else:
            continue
        for i in group:
            labels[i] = neighbour


def _word_overlap(candidate: Paragraph, prefix: list[Paragraph]) -> bool:
    words = set(letter_words(candidate.text))
    if not words:
        return any(candidate.text.strip() == p.text.strip() for p in prefix)
    return any(len(words & set(letter_words(p.text))) / len(words) >= 0.5 for p in prefix)


def split_repeats(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Split a same-script run where it starts again: a block repeating an earlier one of the layer."""
    # Each block's words, joined as compared: a block is compared with every block of its layer before it
    # (blocks are told by their position, so that equal ones stay apart).
    words = [letter_words(p.text) for p in paragraphs]
    joined = [" ".join(w) for w in words]
    layers: list[list[int]] = [[]]
    for index, paragraph_words in enumerate(words):
        current = layers[-1]
        match = None
        # Only blocks with substance count: short formulas ("Тов. Мао-Дзе-Дун !") recur inside one text.
        if len(paragraph_words) >= 4 and sum(map(len, paragraph_words)) >= 20 and len(current) >= 3:
            similar = Similar(joined[index], 0.8)
            for position, earlier in enumerate(current):
                if similar.ratio(joined[earlier]) is not None:
                    match = position
                    break
        if match is None:
            current.append(index)
            continue
        start = _restart_point([paragraphs[i] for i in current], match)
        layers[-1] = current[:start]
        layers.append([*current[start:], index])
    return [[paragraphs[i] for i in layer] for layer in layers if layer]


def _restart_point(current: list[Paragraph], match: int) -> int:
    """Walk back from the end of the current layer over blocks that also repeat its opening blocks
    (or are gaps, or too short to tell); the new layer starts at the earliest repeating one."""
    prefix = current[: max(match, 1)]
    start = len(current)
    for index in range(len(current) - 1, match, -1):
        paragraph = current[index]
        if _GAP_ONLY.match(paragraph.text) or _word_overlap(paragraph, prefix):
            start = index
        elif len(letter_words(paragraph.text)) > 2:
            break
    return start


def segment(page: Page) -> list[Layer]:
    contents = parse_contents(page.contents, page.original_language)
    original_lang = language_code(page.original_language) or "ru"
    latin = ("en", original_lang) if original_lang in _LATIN_DETECTABLE else ()
    runs = split_by_script(page.body, latin)
    pieces: list[tuple[str, list[Paragraph]]] = []
    for script, paragraphs in runs:
        pieces.extend((script, part) for part in split_repeats(paragraphs))
    layers = _assign_roles(pieces, contents, original_lang)
    _assign_ids(page.doc_id, layers)
    return layers


def _assign_roles(
    pieces: list[tuple[str, list[Paragraph]]], contents: list[ContentsEntry], original_lang: str
) -> list[Layer]:
    layers: list[Layer] = []
    by_script: dict[str, list[int]] = {}
    for index, (script, _) in enumerate(pieces):
        by_script.setdefault(script, []).append(index)
    roles: dict[int, tuple[str, str]] = {}
    for script, indexes in by_script.items():
        lang = _language_for_script(script, original_lang, contents)
        listed = [e.role for e in contents if e.lang == lang]
        for index, role in zip(indexes, _roles_for(len(indexes), listed, lang == original_lang), strict=True):
            roles[index] = (role, lang)
    for index, (_, paragraphs) in enumerate(pieces):
        role, lang = roles[index]
        layers.append(Layer(role=role, lang=lang, paragraphs=paragraphs))
    return layers


def _language_for_script(script: str, original_lang: str, contents: list[ContentsEntry]) -> str:
    if script.startswith("latin:"):
        return script.removeprefix("latin:")
    if _SCRIPT_OF_LANGUAGE.get(original_lang) == script:
        return original_lang
    if script == "latin" and original_lang not in _SCRIPT_OF_LANGUAGE:
        return (
            original_lang if not any(e.role == "translation" and e.lang == "en" for e in contents) else "en"
        )
    return SCRIPT_LANGUAGE.get(script, "und")


def _roles_for(count: int, listed: list[str], is_original_language: bool) -> list[str]:
    """Roles of `count` layers of one language, in page order, from the roles the Contents list gives."""
    if not listed:
        listed = ["original", "transcription"] if is_original_language else ["translation"]
        listed = listed[:count] if count <= len(listed) else listed
    if count <= len(listed):
        if count < len(listed) and "original" in listed and "transcription" in listed:
            # The scan is on the page as an image only: what text there is, is the transcription.
            listed = [r for r in listed if r != "original"] + ["original"]
        return listed[:count]
    # More layers than the list names: the extra ones are further copies of the original.
    extra = count - len(listed)
    at = listed.index("original") if "original" in listed else 0
    role = listed[at]
    return listed[:at] + [role] * (extra + 1) + listed[at + 1 :]


def _assign_ids(doc_id: str, layers: list[Layer]) -> None:
    originals = [layer for layer in layers if layer.role == "original"]
    for layer in layers:
        if layer.role == "original":
            if len(originals) > 1:
                layer.n = str(originals.index(layer) + 1)
            layer.xml_id = f"{doc_id}-{layer.lang}{layer.n}"
        elif layer.role == "transcription":
            layer.xml_id = f"{doc_id}-{layer.lang}-tr"
        else:
            layer.xml_id = f"{doc_id}-{layer.lang}"
    taken: set[str] = set()
    for layer in layers:
        base, suffix = layer.xml_id, 2
        while layer.xml_id in taken:
            layer.xml_id = f"{base}-{suffix}"
            suffix += 1
        taken.add(layer.xml_id)
    target = originals[0] if originals else next((la for la in layers if la.role == "transcription"), None)
    if target is not None:
        for layer in layers:
            if layer.role == "translation":
                layer.corresp = target.xml_id
