"""A founding study: its method, reported figures and categories (`catalog/_studies/`).

Part of the schema (see `base`). Figures a study reports are kept apart from counts
computed from our posts: each carries its locator and a `checked` flag.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
    model_validator,
)

from .base import CatalogModel, ChallengeId, Markdown, PlainText, SourceKey
from .challenge import Recommendations


class Figure(CatalogModel):
    """A figure or fact a study reports, with where it was read."""

    label: PlainText
    """What the figure is, in our words ("Stack Overflow posts analysed")."""
    value: PlainText
    """The figure as printed in the source ("3,023", "70.7%")."""
    locator: PlainText
    """Where in the study it is reported (section, table, abstract)."""
    checked: bool
    """True when read in the study itself; false marks it as not yet verified."""
    via: PlainText | None = None
    """The secondary source it was taken from, when not read in the study itself."""


class StudyTable(CatalogModel):
    """A small table of facts from a study (e.g. projects and their challenges)."""

    title: PlainText
    """Caption of the table."""
    columns: list[PlainText] = Field(min_length=1)
    """Column headers."""
    rows: list[list[PlainText]]
    """Cells, row by row, as many per row as there are columns."""
    locator: PlainText
    """Where in the study the table's content is reported."""
    checked: bool
    """True when every cell was read in the study itself."""
    via: PlainText | None = None
    """The secondary source, when not read in the study itself."""

    @model_validator(mode="after")
    def _rectangular(self) -> StudyTable:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"a row has {len(row)} cells for {len(self.columns)} columns")
        return self


class StudyCategory(CatalogModel):
    """One category of a study's taxonomy and the challenge that represents it."""

    id: ChallengeId
    """The catalog challenge for this category."""
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$")] | None = None
    """The study's own code for the category (`S.2.3`); coded siblings appear in the order
    of this list, the study's order."""
    name: PlainText
    """The category's name as the study gives it."""
    reported_posts: int | None = Field(default=None, ge=0)
    """Posts the study reports for the category; `null` when not (yet) recorded."""
    reported_share: Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)?%$")] | None = None
    """The share of its platform's (or parent's) posts the study reports, like `19.8%`."""
    locator: PlainText
    """Where in the study the category (and count) appears."""
    checked: bool
    """True when the name and count were read in the study itself."""
    via: PlainText | None = None
    """The secondary source, when not read in the study itself."""


class KnownDiscrepancy(CatalogModel):
    """A place where a study's figure and its own published data disagree."""

    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$")]
    """The category's code in the study."""
    note: PlainText
    """What differs and why, in our words (with the counts on both sides)."""


class Study(CatalogModel):
    """A founding study: its page, reported figures and expected categories.

    Lives in `catalog/_studies/<source key>.yaml`. The `categories` list is the
    study's taxonomy as the study names it: validation fails when one of them
    has no challenge, so no category can be lost silently.
    """

    source: SourceKey
    """Key of the study in `catalog/_sources.yaml`."""
    root: ChallengeId
    """The taxonomy root that represents the study in the catalog."""
    summary: PlainText = Field(max_length=300)
    """One or two sentences on what the study did."""
    method: Markdown
    """How the data was collected, filtered and labeled, in our words."""
    findings: Markdown
    """Headline findings, in our words; every number in it must be one of the figures."""
    implications: Recommendations
    """What the findings mean for each audience, in our words."""
    notes: Markdown | None = None
    """Caveats, open questions, and where sources disagree."""
    known_discrepancies: list[KnownDiscrepancy] = []
    """Categories whose figures the study's data does not reproduce, each explained; the
    study page lists them, and a test fails on any other difference."""
    data_terms: Markdown | None = None
    """The terms under which the study's own data (its labeled posts, replication package)
    may be reused, as its authors state them and where; `null` while not recorded. Shown on
    the study's page: data taken from a study keeps its terms, not the catalog's licence."""
    figures: list[Figure] = []
    """Figures and facts the study reports."""
    tables: list[StudyTable] = []
    """Tables of facts from the study."""
    categories: list[StudyCategory] = Field(min_length=1)
    """Every category of the study's taxonomy, with the challenge that represents it."""
