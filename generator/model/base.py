"""The schema's building blocks: ID and text formats, the base model, a challenge's status.

The `model` package owns the schema: `challenge`, `post`, `study` and `release` define
what each input file holds, on the base defined here. It is the single source for
validation (pydantic checks every YAML document and CSV row against it) and, through
pydantic's JSON Schema export, for the schemas editors use. Each field's docstring is its
documentation and becomes its JSON Schema `description`.

The package imports nothing else of the generator: every other stage depends on it. The
allowed values live in `vocab`, apart, so the command line can offer them without
importing pydantic.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
)

CHALLENGE_ID_PATTERN = r"^DLC-[0-9]{4}$"
"""Challenge IDs: `DLC-` and four digits. Opaque and permanent (never reused)."""

PROSE_CHALLENGE_LINK = re.compile(r"\]\((DLC-[0-9]{4})\)")
"""A link to another challenge inside prose: `[text](DLC-0003)`."""

SOURCE_KEY_PATTERN = r"^[a-z][a-z0-9-]{1,40}$"


def _plain_text(value: str) -> str:
    """Reject markup in fields that reach HTML attributes and titles unescaped.

    MkDocs copies a page's `title` into `<title>` and the navigation without
    escaping, so plain-text fields must not carry angle brackets at all; a
    newline would break the one-line places (tables, headings) they appear in.
    """
    if "<" in value or ">" in value:
        raise ValueError("must be plain text without '<' or '>'")
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    if value != value.strip() or not value:
        raise ValueError("must not be empty or start or end with spaces")
    return value


PlainText = Annotated[str, AfterValidator(_plain_text)]
"""One line of plain text: rendered escaped, never as Markdown or HTML."""


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value or not value.strip():
        raise ValueError("must be a single, non-empty line")
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]
"""One line of any text, shown only as escaped code (error messages may contain '<')."""

Markdown = Annotated[str, Field(min_length=1)]
"""CommonMark prose. Rendered with raw HTML disabled; links may be http(s), mailto, or
another challenge's ID (`[text](DLC-0003)`)."""

ChallengeId = Annotated[str, Field(pattern=CHALLENGE_ID_PATTERN)]
SourceKey = Annotated[str, Field(pattern=SOURCE_KEY_PATTERN)]


class CatalogModel(BaseModel):
    # Frozen: the validated catalog is read by every later stage and must not
    # change under them. `extra="forbid"` turns a misspelt field into an error
    # instead of silently dropping it. Attribute docstrings become the JSON
    # Schema descriptions, so the schema and this file cannot drift.
    model_config = ConfigDict(
        frozen=True, extra="forbid", use_attribute_docstrings=True, str_strip_whitespace=False
    )


class Status(StrEnum):
    """Life-cycle state of a challenge. IDs are never deleted, only retired."""

    ACTIVE = "active"
    MERGED = "merged"
    RETIRED = "retired"
