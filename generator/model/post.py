"""A labeled post: one row of a CSV file in `data/`.

Part of the schema (see `base`). Cells arrive as strings; the validators here turn
lists, empty cells and yes/no flags into values, and check that the URL is the
post's own.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    model_validator,
)

from .base import CatalogModel, ChallengeId, PlainText
from .vocab import FRAMEWORKS, LIST_SEPARATOR, PLATFORMS


def split_list(value: object) -> object:
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


_GITHUB_ID = re.compile(
    r"^(?P<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)(?:#(?P<number>[0-9]+)|@(?P<sha>[0-9a-f]{7,40}))$"
)
"""`owner/repo#number` for an issue or pull request, `owner/repo@sha` for a commit."""
# One compiled pattern per site (not one per post: compiling 100,000 patterns was the
# slowest step of validation); the captured ID is compared with `post_id`.
_URLS = {
    "stackoverflow": re.compile(r"https://stackoverflow\.com/(?:questions|q)/([0-9]+)(?:/[\w-]*)?"),
    "github": re.compile(
        r"https://github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/(?:issues|pull|discussions)/"
        r"([0-9]+)"
    ),
    "github-commit": re.compile(
        r"https://github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/commit/([0-9a-f]{7,40})"
    ),
}


def _labeler_labels(value: object) -> object:
    """`name=DLC-0001;name=DLC-0002` cells as a list of `(labeler, label)` pairs."""
    if not isinstance(value, str):
        return value
    pairs = []
    for item in value.split(LIST_SEPARATOR):
        if not item.strip():
            continue
        name, sep, label = item.partition("=")
        if not sep or not name.strip() or not label.strip():
            raise ValueError(f"{item.strip()!r} is not 'labeler=DLC-0001'")
        pairs.append((name.strip(), label.strip()))
    return pairs


class Post(CatalogModel):
    """A real Stack Overflow question, or GitHub issue, pull request or commit, labeled with
    challenges (a CSV row)."""

    site: Literal["stackoverflow", "github"]
    """Where the post lives."""
    post_id: str
    """The site's own ID: a question number; on GitHub `owner/repo#number` for an issue or
    pull request, `owner/repo@sha` for a commit."""
    url: str
    """The post's canonical https URL (checked against `site` and `post_id`)."""
    primary_label: ChallengeId
    """The challenge the post is mainly about."""
    other_labels: Annotated[list[ChallengeId], BeforeValidator(split_list)] = []
    """Further challenges the post is also about, separated by `;`."""
    created: Annotated[date | None, BeforeValidator(_empty_to_none)]
    """Date the post was created, `YYYY-MM-DD`; empty when the source does not record it
    (shown as unknown and left out of the counts per year, never guessed)."""
    frameworks: Annotated[
        list[Literal[FRAMEWORKS]],  # type: ignore[valid-type]
        BeforeValidator(split_list),
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
    """Who assigned the labels (GitHub handle or name), or a study's source key when the
    labels are the study's own (imported with `catalog import-study`)."""
    summary: Annotated[
        Annotated[PlainText, Field(max_length=160)] | None, BeforeValidator(_empty_to_none)
    ]
    """One line of at most 160 characters, in your own words: what went wrong. Only posts
    with a summary are shown as examples; an imported post may have none."""
    labeler_labels: Annotated[
        list[tuple[PlainText, ChallengeId]], BeforeValidator(_labeler_labels)
    ] = []
    """Optional last column: each labeler's own label, `name=DLC-0001;name=DLC-0002`, kept
    from a study's data to measure agreement; the labels above are the agreed ones. A post
    taken from a labeling queue keeps the study's own label here (`chen2020=DLC-0003`):
    the study's figures are counted from it."""

    @model_validator(mode="after")
    def _url_matches_id(self) -> Post:
        if self.site == "stackoverflow":
            if not self.post_id.isdigit():
                raise ValueError("a Stack Overflow post_id is the question number, like 51824310")
            expected: tuple[str, ...] = (self.post_id,)
        else:
            match = _GITHUB_ID.match(self.post_id)
            if not match:
                raise ValueError(
                    "a GitHub post_id is 'owner/repo#number' (issue or pull request), like "
                    "onnx/onnx#4065, or 'owner/repo@sha' (commit)"
                )
            expected = (match["repo"], match["number"] or match["sha"])
        pattern = "github-commit" if self.site == "github" and "@" in self.post_id else self.site
        found = _URLS[pattern].fullmatch(self.url)
        if not found or found.groups() != expected:
            raise ValueError(f"url {self.url!r} does not point at {self.site} post {self.post_id}")
        return self

    # Cached: read hundreds of thousands of times per run at scale (every stage walks the
    # posts' labels). A frozen model's fields never change, so neither do these; only a
    # copy made with other field values must not inherit them (see `model_copy`).
    @functools.cached_property
    def key(self) -> str:
        """Unique key of the post across all data files."""
        return f"{self.site}:{self.post_id}"

    @functools.cached_property
    def labels(self) -> tuple[str, ...]:
        """Primary label first, then the others."""
        return (self.primary_label, *self.other_labels)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Post:
        """A copy, as pydantic makes it, without the cached `key` and `labels` (pydantic
        copies the instance's dict, cached values included, and `update` may change
        the fields they are made from)."""
        copied = super().model_copy(update=update, deep=deep)
        for name in ("key", "labels"):
            copied.__dict__.pop(name, None)
        return copied

    def study_labels(self, key: str) -> list[str]:
        """The labels study `key` itself gave the post: its `labeler_labels` entries named
        `key` when it has any (kept there when a contributor labels the post more finely),
        else the post's labels when the study labeled it; else none. A study's figures are
        recomputed from these, so relabeling a post never changes them."""
        kept = [label for name, label in self.labeler_labels if name == key]
        if kept:
            return kept
        return list(self.labels) if self.labeled_by == key else []


ORDER = operator.attrgetter("site", "post_id")
"""The sort key of a catalog's posts: by site, then the site's ID (unique together)."""
