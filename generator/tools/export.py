"""One schema, three uses: JSON Schemas for editors, field tables for people, validation.

Owns the committed files derived from the models (`model`, through `pages.schemas`):
`schemas/*.json`, the field tables between `<!-- generated: fields:… -->` markers in
CONTRIBUTING.md and data/README.md, and the `yaml-language-server` line at the top of
every catalog file that points editors at its schema. `catalog export` rewrites them;
`catalog export --check` (run by the tests) fails when any is out of date.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..inputs.load import REGISTRY_FILE, SOURCES_FILE, STUDIES_DIR
from ..pages.schemas import SCHEMA_DIR, schemas, tables
from ..settings import Settings
from ..site.write import atomic_write

DOCUMENTED_FILES = ("CONTRIBUTING.md", "data/README.md")
"""Files whose field tables are generated."""

_MARKER = re.compile(r"(<!-- generated: fields:(\w+) -->\n)(.*?)(<!-- end generated -->)", re.S)
_MODELINE = re.compile(r"\A# yaml-language-server: \$schema=\S*\n")


def _schema_for(rel: Path) -> str:
    if rel.parts == (SOURCES_FILE,):
        return "sources.schema.json"
    if rel.parts == (REGISTRY_FILE,):
        return "ids.schema.json"
    if rel.parts[0] == STUDIES_DIR:
        return "study.schema.json"
    return "challenge.schema.json"


def modeline(settings: Settings, path: Path) -> str:
    """The editor line that points a catalog file at its JSON Schema."""
    schema = settings.root / SCHEMA_DIR / _schema_for(path.relative_to(settings.catalog_dir))
    relative = Path(os.path.relpath(schema, path.parent)).as_posix()
    return f"# yaml-language-server: $schema={relative}\n"


@dataclass(frozen=True)
class Export:
    """Every committed derived file, as it should be."""

    files: dict[Path, bytes]
    """Absolute path → intended bytes."""


def expected(settings: Settings) -> Export:
    """What the schema files, field tables and editor lines should contain."""
    files = {settings.root / SCHEMA_DIR / name: text.encode() for name, text in schemas().items()}
    for rel in DOCUMENTED_FILES:
        path = settings.root / rel
        text = path.read_text(encoding="utf-8")
        files[path] = _MARKER.sub(lambda m: m[1] + tables(m[2]) + m[4], text).encode()
    for path in sorted(settings.catalog_dir.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        files[path] = (modeline(settings, path) + _MODELINE.sub("", text)).encode()
    return Export(files)


def export(settings: Settings, check: bool = False) -> list[str]:
    """Bring the derived files up to date (or, with `check`, only list the stale ones)."""
    stale = []
    for path, data in expected(settings).files.items():
        if not path.is_file() or path.read_bytes() != data:
            stale.append(settings.rel(path))
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(path, data)
    return stale
