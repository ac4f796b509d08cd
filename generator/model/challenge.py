"""A challenge and what it cites: recommendations, related challenges, references, sources.

Part of the schema (see `base`): each field's docstring is its documentation and its
JSON Schema `description`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    model_validator,
)

from .base import CatalogModel, ChallengeId, Markdown, OneLine, PlainText, SourceKey, Status


class Recommendations(CatalogModel):
    """What each audience can do about a challenge. `null` means none yet."""

    developers: Markdown | None
    """For application developers who build and ship DL software."""
    vendors: Markdown | None
    """For vendors of DL frameworks, converters and serving tools."""
    researchers: Markdown | None
    """For researchers in software engineering and machine learning."""


class Related(CatalogModel):
    """A link to another challenge, possibly in another taxonomy."""

    id: ChallengeId
    """The related challenge's ID."""
    note: PlainText | None = None
    """How the two relate, in one line."""


class Reference(CatalogModel):
    """A citation of a source for what the challenge page states."""

    source: SourceKey
    """Key of an entry in `catalog/_sources.yaml`."""
    locator: PlainText | None = None
    """Where in the source (section, table, page)."""
    checked: bool
    """True when what the page attributes to the source was read in the source itself.

    False marks it as not yet verified: the page says so and invites a check.
    """


class Challenge(CatalogModel):
    """One node of a taxonomy: a challenge, a category of challenges, or a taxonomy root."""

    id: ChallengeId
    """Permanent opaque ID, `DLC-` and four digits; the page stays at `/challenges/<id>/`.

    Never changed on rename or move, never reused.
    """
    title: PlainText = Field(max_length=100)
    """Current name of the challenge: plain text, one line, no `<` or `>`."""
    short_title: PlainText | None = Field(default=None, max_length=40)
    """Short name for breadcrumbs and tags (defaults to the title)."""
    parent: ChallengeId | None
    """ID of the parent challenge; `null` makes this challenge a taxonomy root."""
    status: Status = Status.ACTIVE
    """`active`, `merged` (into `merged_into`) or `retired`."""
    merged_into: ChallengeId | None = None
    """With status `merged`: the challenge that replaces this one."""
    former_titles: list[PlainText] = []
    """Titles this challenge had before, so old links and searches still find it."""
    summary: PlainText = Field(max_length=240)
    """One sentence: what the challenge is. Used in tables and link previews."""
    description: Markdown
    """What goes wrong and why it is hard in deep learning, in our own words."""
    symptoms: list[PlainText] = []
    """Observations that reveal the challenge, in words."""
    error_messages: list[OneLine] = []
    """Typical error messages, verbatim, so that search finds the page from a pasted error."""
    labeling: Markdown
    """When to label a post with this challenge, and which neighbour to use instead."""
    recommendations: Recommendations
    """What application developers, framework vendors and researchers can do (`null` for one
    audience shows "no specific recommendation yet")."""
    related: list[Related] = []
    """Related challenges, in this taxonomy or another."""
    references: list[Reference] = Field(min_length=1)
    """Sources for what this page states; at least one."""
    contributors: list[PlainText] = []
    """GitHub handles of the people who wrote or revised this page (credited on it)."""

    @model_validator(mode="after")
    def _merged_has_target(self) -> Challenge:
        if self.status is Status.MERGED and self.merged_into is None:
            raise ValueError("status 'merged' needs a 'merged_into' challenge ID")
        if self.status is not Status.MERGED and self.merged_into is not None:
            raise ValueError("'merged_into' is only allowed with status 'merged'")
        return self

    @property
    def label(self) -> str:
        """The short name used in breadcrumbs and tags."""
        return self.short_title or self.title


class Source(CatalogModel):
    """A publication or data set the catalog cites (an entry of `catalog/_sources.yaml`)."""

    kind: Literal["publication", "dataset"] = "publication"
    """`dataset` for a replication package or other published data, cited by `url` and
    `commit`; `publication` for a paper, book or article."""
    authors: list[PlainText] = Field(min_length=1)
    """Authors in citation order, as `First Last`."""
    title: PlainText
    """Title of the publication."""
    venue: PlainText
    """Conference, journal or publisher."""
    year: int = Field(ge=1950, le=2100)
    """Year of publication."""
    pages: PlainText | None = None
    """Page range in the proceedings."""
    doi: Annotated[str, Field(pattern=r"^10\.[0-9]{4,9}/\S+$")] | None = None
    """Digital Object Identifier, without the `https://doi.org/` prefix."""
    arxiv: Annotated[str, Field(pattern=r"^[0-9]{4}\.[0-9]{4,5}$")] | None = None
    """arXiv identifier of a public preprint."""
    url: Annotated[str, Field(pattern=r"^https://\S+$")] | None = None
    """Where a data set can be had (its repository), an https URL."""
    commit: Annotated[str, Field(pattern=r"^[0-9a-f]{7,40}$")] | None = None
    """The version of a data set that was read: the repository's commit."""
    cites: SourceKey | None = None
    """For a data set: the publication it belongs to (whose citation its users owe)."""
