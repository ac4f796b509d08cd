"""One schema, three uses: JSON Schemas for editors, field tables for people, validation.

Owns the committed files derived from `models`: `schemas/*.json`, the field
tables between `<!-- generated: fields:… -->` markers in CONTRIBUTING.md and
data/README.md, and the `yaml-language-server` line at the top of every catalog
file that points editors at its schema. `catalog export` rewrites them;
`catalog export --check` (run by the tests) fails when any is out of date.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from .downloads import CatalogExport, ChallengeRow, EdgeRow
from .load import REGISTRY_FILE, SOURCES_FILE, STUDIES_DIR
from .models import (
    Challenge,
    Figure,
    Post,
    Recommendations,
    Reference,
    Registry,
    Related,
    Source,
    SourceKey,
    Study,
    StudyCategory,
    StudyTable,
)
from .settings import Settings
from .write import atomic_write

SCHEMA_DIR = "schemas"
"""Folder of the JSON Schemas, relative to the project root (also published on the site)."""

DOCUMENTED_FILES = ("CONTRIBUTING.md", "data/README.md")
"""Files whose field tables are generated."""

_MARKER = re.compile(r"(<!-- generated: fields:(\w+) -->\n)(.*?)(<!-- end generated -->)", re.S)
_MODELINE = re.compile(r"\A# yaml-language-server: \$schema=\S*\n")

TABLES: dict[str, tuple[type[BaseModel], ...]] = {
    "challenge": (Challenge, Recommendations, Related, Reference),
    "source": (Source,),
    "study": (Study, Figure, StudyTable, StudyCategory),
    "registry": (Registry,),
    "post": (Post,),
    "downloads": (ChallengeRow, EdgeRow),
}
"""Which models each `fields:<name>` marker documents, main model first."""


def schemas() -> dict[str, str]:
    """Every JSON Schema, by file name."""
    documents = {
        "challenge.schema.json": Challenge.model_json_schema(),
        "study.schema.json": Study.model_json_schema(),
        "sources.schema.json": TypeAdapter(dict[SourceKey, Source]).json_schema(),
        "ids.schema.json": Registry.model_json_schema(),
        "post.schema.json": Post.model_json_schema(),
        "catalog-download.schema.json": CatalogExport.model_json_schema(),
        "challenges-row.schema.json": ChallengeRow.model_json_schema(),
        "edges-row.schema.json": EdgeRow.model_json_schema(),
    }
    return {
        name: json.dumps(
            {"$schema": "https://json-schema.org/draft/2020-12/schema", **doc},
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
        for name, doc in documents.items()
    }


def _allowed(prop: dict) -> str:
    """` One of: a, b.` for fields with a fixed set of values."""
    for candidate, lead in ((prop, "One of"), (prop.get("items", {}), "Each one of")):
        if "enum" in candidate:
            return f" {lead}: " + ", ".join(f"`{v}`" for v in candidate["enum"]) + "."
    return ""


def field_table(model: type[BaseModel]) -> str:
    """A Markdown table of the model's fields, from their docstrings."""
    props = model.model_json_schema(mode="validation").get("properties", {})
    rows = ["| Field | Required | Meaning |", "| --- | --- | --- |"]
    for name, info in model.model_fields.items():
        meaning = " ".join((info.description or "").split())
        meaning += _allowed(props.get(name, {}))
        rows.append(f"| `{name}` | {'yes' if info.is_required() else 'no'} | {meaning} |")
    return "\n".join(rows) + "\n"


def tables(name: str) -> str:
    """The generated block for a `fields:<name>` marker."""
    models = TABLES[name]
    parts = [field_table(models[0])]
    for model in models[1:]:
        parts.append(f"\n`{model.__name__}`: {(model.__doc__ or '').splitlines()[0]}\n\n")
        parts.append(field_table(model))
    return "".join(parts)


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
