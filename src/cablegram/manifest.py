"""The hand-edit guard: `tei/.generated.json` remembers the hash of every file the converter wrote.

A file whose bytes still hash to what was written is the converter's and may be regenerated; a file that
differs was edited by hand and is never overwritten without `--force`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from cablegram.fsutil import atomic_write, sha256_bytes

MANIFEST_NAME = ".generated.json"


class FileState(StrEnum):
    MISSING = "missing"
    CURRENT = "current"  # on disk exactly as the converter would write it now
    STALE = "stale"  # written by the converter, since changed upstream (source, registers, tool)
    HAND_EDITED = "hand-edited"  # differs from what the converter last wrote


@dataclass
class Manifest:
    path: Path
    hashes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, tei_dir: Path) -> Manifest:
        path = tei_dir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            hashes = {str(k): str(v) for k, v in data.get("files", {}).items()}
        except (OSError, ValueError, AttributeError):
            hashes = {}
        return cls(path, hashes)

    def state(self, target: Path, new_bytes: bytes) -> FileState:
        if not target.exists():
            return FileState.MISSING
        current = target.read_bytes()
        if current == new_bytes:
            return FileState.CURRENT
        if self.hashes.get(target.name) == sha256_bytes(current):
            return FileState.STALE
        return FileState.HAND_EDITED

    def record(self, name: str, data: bytes) -> None:
        self.hashes[name] = sha256_bytes(data)

    def save(self) -> None:
        payload = {"files": dict(sorted(self.hashes.items()))}
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        if not self.path.exists() or self.path.read_text(encoding="utf-8") != text:
            atomic_write(self.path, text)
