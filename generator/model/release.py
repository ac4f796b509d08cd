"""The ID register (`catalog/_ids.yaml`) and release snapshots (`releases/`).

Part of the schema (see `base`). Every issued ID stays in the register so a published
URL never disappears; a snapshot records what a release contained, for What's new.
"""

from __future__ import annotations

from datetime import date

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from .base import CatalogModel, ChallengeId, Status


class Registry(CatalogModel):
    """The register of every challenge ID ever issued (`catalog/_ids.yaml`).

    A published ID must keep a page forever: removing a challenge file is an
    error while its ID is registered, and an ID is never taken off the list.
    `catalog new challenge` issues the next number and appends it here.
    """

    ids: list[ChallengeId] = Field(min_length=1)
    """Every challenge ID ever issued, oldest first; never remove or reuse one."""


class Release(BaseModel):
    """The catalog's version and release date, read from `CITATION.cff` (for citations)."""

    model_config = ConfigDict(
        frozen=True, use_attribute_docstrings=True, populate_by_name=True, extra="ignore"
    )

    version: str = Field(min_length=1)
    """Version of the catalog, as in `pyproject.toml`."""
    date_released: date = Field(alias="date-released")
    """Date of that version."""


class SnapshotEntry(CatalogModel):
    """A challenge as it stood at a release."""

    title: str
    """Its title then."""
    parent: str | None
    """Its parent then."""
    status: Status
    """Its status then."""
    merged_into: str | None = None
    """Its successor then, if merged."""


class Snapshot(CatalogModel):
    """The catalog at a release (`releases/<version>.json`), written by `catalog release`.

    Consecutive snapshots give the changelog and `changes-<version>.json`; the last one
    against the working catalog gives the unreleased changes.
    """

    version: str = Field(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")
    """The release's version (as in CITATION.cff)."""
    date: date
    """The release's date."""
    challenges: dict[str, SnapshotEntry]
    """Every challenge by ID."""
    posts: list[str]
    """Keys (`site:post_id`) of every labeled post."""
