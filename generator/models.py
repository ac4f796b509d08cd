"""The catalog's data model: what a challenge, a source and a labeled post are.

This module owns the schema. It is the single source for validation (pydantic
checks every YAML document and CSV row against it) and, through pydantic's JSON
Schema export, for the schemas editors use. Each field's docstring is its
documentation and becomes its JSON Schema `description`.

It imports nothing else of the generator but `vocab` (the allowed values, kept apart so
the command line can offer them without importing pydantic): every other stage depends on it.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from .vocab import FRAMEWORKS, LIST_SEPARATOR, PLATFORMS

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


class _Model(BaseModel):
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


class Recommendations(_Model):
    """What each audience can do about a challenge. `null` means none yet."""

    developers: Markdown | None
    """For application developers who build and ship DL software."""
    vendors: Markdown | None
    """For vendors of DL frameworks, converters and serving tools."""
    researchers: Markdown | None
    """For researchers in software engineering and machine learning."""


class Related(_Model):
    """A link to another challenge, possibly in another taxonomy."""

    id: ChallengeId
    """The related challenge's ID."""
    note: PlainText | None = None
    """How the two relate, in one line."""


class Reference(_Model):
    """A citation of a source for what the challenge page states."""

    source: SourceKey
    """Key of an entry in `catalog/_sources.yaml`."""
    locator: PlainText | None = None
    """Where in the source (section, table, page)."""
    checked: bool
    """True when what the page attributes to the source was read in the source itself.

    False marks it as not yet verified: the page says so and invites a check.
    """


class Challenge(_Model):
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


class Source(_Model):
    """A publication the catalog cites (an entry of `catalog/sources.yaml`)."""

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


def _split_list(value: object) -> object:
    """CSV cells hold lists as `a;b;c`; an empty cell is an empty list."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]
    return value


def _empty_to_none(value: object) -> object:
    """An empty CSV cell means 'not applicable / not known', not zero."""
    return None if value == "" else value


def _yes_no(value: object) -> object:
    if value == "":
        return None
    if value in ("yes", "no"):
        return value == "yes"
    raise ValueError("must be 'yes', 'no' or empty")


_GITHUB_ID = re.compile(r"^(?P<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#(?P<number>[0-9]+)$")
# One compiled pattern per site (not one per post: compiling 100,000 patterns was the
# slowest step of validation); the captured ID is compared with `post_id`.
_URLS = {
    "stackoverflow": re.compile(r"https://stackoverflow\.com/(?:questions|q)/([0-9]+)(?:/[\w-]*)?"),
    "github": re.compile(
        r"https://github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/(?:issues|pull|discussions)/"
        r"([0-9]+)"
    ),
}


class Post(_Model):
    """A real Stack Overflow question or GitHub issue, labeled with challenges (a CSV row)."""

    site: Literal["stackoverflow", "github"]
    """Where the post lives."""
    post_id: str
    """The site's own ID: a question number, or `owner/repo#number` for GitHub."""
    url: str
    """The post's canonical https URL (checked against `site` and `post_id`)."""
    primary_label: ChallengeId
    """The challenge the post is mainly about."""
    other_labels: Annotated[list[ChallengeId], BeforeValidator(_split_list)] = []
    """Further challenges the post is also about, separated by `;`."""
    created: date
    """Date the post was created, `YYYY-MM-DD`."""
    frameworks: Annotated[
        list[Literal[FRAMEWORKS]],  # type: ignore[valid-type]
        BeforeValidator(_split_list),
        Field(min_length=1),
    ]
    """Frameworks and tools involved, separated by `;`."""
    platform: Literal[PLATFORMS]  # type: ignore[valid-type]
    """Deployment platform the post concerns."""
    score: Annotated[int | None, BeforeValidator(_empty_to_none)] = None
    """Vote score on Stack Overflow; empty where the site has none."""
    answer_count: Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(_empty_to_none)] = (
        None
    )
    """Number of answers (or comments on GitHub); empty when not recorded."""
    accepted_answer: Annotated[bool | None, BeforeValidator(_yes_no)] = None
    """`yes` when an answer was accepted, `no` when not, empty where not applicable."""
    labeled_by: PlainText
    """Who assigned the labels (GitHub handle or name)."""
    summary: PlainText = Field(max_length=160)
    """One line of at most 160 characters, in your own words: what went wrong."""

    @model_validator(mode="after")
    def _url_matches_id(self) -> Post:
        if self.site == "stackoverflow":
            if not self.post_id.isdigit():
                raise ValueError("a Stack Overflow post_id is the question number, like 51824310")
            expected: tuple[str, ...] = (self.post_id,)
        else:
            match = _GITHUB_ID.match(self.post_id)
            if not match:
                raise ValueError("a GitHub post_id is 'owner/repo#number', like onnx/onnx#4065")
            expected = (match["repo"], match["number"])
        found = _URLS[self.site].fullmatch(self.url)
        if not found or found.groups() != expected:
            raise ValueError(f"url {self.url!r} does not point at {self.site} post {self.post_id}")
        return self

    @property
    def key(self) -> str:
        """Unique key of the post across all data files."""
        return f"{self.site}:{self.post_id}"

    @property
    def labels(self) -> list[str]:
        """Primary label first, then the others."""
        return [self.primary_label, *self.other_labels]


class Figure(_Model):
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


class StudyTable(_Model):
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


class StudyCategory(_Model):
    """One category of a study's taxonomy and the challenge that represents it."""

    id: ChallengeId
    """The catalog challenge for this category."""
    name: PlainText
    """The category's name as the study gives it."""
    reported_posts: int | None = Field(default=None, ge=0)
    """Posts the study reports for the category; `null` when not (yet) recorded."""
    locator: PlainText
    """Where in the study the category (and count) appears."""
    checked: bool
    """True when the name and count were read in the study itself."""
    via: PlainText | None = None
    """The secondary source, when not read in the study itself."""


class Study(_Model):
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
    figures: list[Figure] = []
    """Figures and facts the study reports."""
    tables: list[StudyTable] = []
    """Tables of facts from the study."""
    categories: list[StudyCategory] = Field(min_length=1)
    """Every category of the study's taxonomy, with the challenge that represents it."""


class Registry(_Model):
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


class SnapshotEntry(_Model):
    """A challenge as it stood at a release."""

    title: str
    """Its title then."""
    parent: str | None
    """Its parent then."""
    status: Status
    """Its status then."""
    merged_into: str | None = None
    """Its successor then, if merged."""


class Snapshot(_Model):
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
