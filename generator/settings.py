"""Where the generator reads and writes, and how strict it is.

One immutable object built by the CLI (or a test) and passed down; no stage
reads global configuration or the current directory on its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

GENERATED_DIRS: tuple[str, ...] = (
    "challenges",
    "studies",
    "schemas",
    "data",
    "audiences",
    "facets",
    "statistics",
    "changes",
    "help-label",
)
"""Folders of `docs/` the generator owns entirely (git-ignored; stale files removed)."""

GENERATED_FILES: tuple[str, ...] = (
    "index.md",
    "verify.md",
    "ids.json",
    "data.md",
    "filter.md",
    "matrix.md",
)

"""Single files of `docs/` the generator owns (git-ignored)."""

CITATION_FILE = "CITATION.cff"
"""How to cite the catalog, at the project root; its version and date go into citations."""

RELEASES_DIR = "releases"
"""Folder of release snapshots (`<version>.json`), at the project root."""

QUEUE_DIR = "queue"
"""Folder of labeling queues (`<study>.csv`: suggested challenges for a study's posts that
are labeled only coarsely), at the project root. Not under `data/`, whose every CSV file
is read as posts."""


@dataclass(frozen=True)
class Settings:
    """Paths and switches of one generator run."""

    root: Path
    """Project root: the folder holding `mkdocs.yml`, `catalog/` and `data/`."""
    strict: bool = False
    """Treat warnings as errors."""

    @property
    def catalog_dir(self) -> Path:
        """Challenge YAML files and the bibliography."""
        return self.root / "catalog"

    @property
    def data_dir(self) -> Path:
        """Labeled-post CSV files."""
        return self.root / "data"

    @property
    def queue_dir(self) -> Path:
        """Labeling queues: suggested challenges for coarsely labeled posts."""
        return self.root / QUEUE_DIR

    @property
    def docs_dir(self) -> Path:
        """MkDocs' source folder; the generator writes only its owned parts."""
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        """The built site."""
        return self.root / "site"

    @property
    def cache_dir(self) -> Path:
        """Charts drawn before, by a digest of their data and style (git-ignored)."""
        return self.root / ".cache" / "charts"

    @property
    def mkdocs_yml(self) -> Path:
        """MkDocs configuration."""
        return self.root / "mkdocs.yml"

    def rel(self, path: Path) -> str:
        """`path` relative to the root, with forward slashes, for messages."""
        # By the string first: `Path.relative_to` costs more than reading a file, and a
        # warm run asks this for each of a thousand files after every save.
        text, root = str(path), str(self.root) + os.sep
        if text.startswith(root) and os.sep == "/":
            return text[len(root) :]
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
