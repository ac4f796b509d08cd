"""The schema as published: JSON Schemas and field tables, both made from the models.

The Data page shows the field tables and links the JSON Schemas; `catalog export`
writes the same text into `schemas/`, CONTRIBUTING.md and `data/README.md`.
"""

from __future__ import annotations

import functools
import json

from pydantic import BaseModel, TypeAdapter

from ..analysis.downloads import CatalogExport, ChallengeRow, EdgeRow
from ..model.base import SourceKey
from ..model.challenge import Challenge, Recommendations, Reference, Related, Source
from ..model.post import Post
from ..model.queue import QueueItem
from ..model.release import Registry
from ..model.study import Figure, Study, StudyCategory, StudyTable

SCHEMA_DIR = "schemas"
"""Folder of the JSON Schemas, relative to the project root (also published on the site)."""

TABLES: dict[str, tuple[type[BaseModel], ...]] = {
    "challenge": (Challenge, Recommendations, Related, Reference),
    "source": (Source,),
    "study": (Study, Figure, StudyTable, StudyCategory),
    "registry": (Registry,),
    "post": (Post,),
    "queue": (QueueItem,),
    "downloads": (ChallengeRow, EdgeRow),
}
"""Which models each `fields:<name>` marker documents, main model first."""


@functools.cache
def schemas() -> dict[str, str]:
    """Every JSON Schema, by file name (made once per process: they depend on the code
    only). Callers must not change the dict."""
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
