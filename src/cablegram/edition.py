"""An edition on disk: `edition.toml`, `sources/`, `tei/` (documents and registers), `schema/`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from cablegram.config import EditionConfig, load_config
from cablegram.fsutil import RelativeNames

REGISTER_FILES = ("persons.xml", "places.xml", "organisations.xml", "corrections.xml")


@dataclass(frozen=True)
class Edition:
    root: Path
    config: EditionConfig

    @classmethod
    def open(cls, root: Path) -> Edition:
        return cls(root, load_config(root))

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def tei_dir(self) -> Path:
        return self.root / "tei"

    def sources(self) -> list[Path]:
        return sorted(self.sources_dir.glob("*.txt"))

    def documents(self) -> list[Path]:
        """The encoded documents of `tei/`, registers excluded."""
        return sorted(p for p in self.tei_dir.glob("*.xml") if p.name not in REGISTER_FILES)

    def registers(self) -> list[Path]:
        return [self.tei_dir / name for name in REGISTER_FILES if (self.tei_dir / name).exists()]

    def relative(self, path: Path) -> str:
        """A path as the user should read it in a diagnostic: relative to the edition when inside it."""
        return _names_under(self.root)(path)


@functools.lru_cache(maxsize=8)
def _names_under(root: Path) -> RelativeNames:
    # one per edition and process: each directory is resolved once, not once per file named
    return RelativeNames(root)
