"""Catalog-wide statistics for the Statistics page, computed with pandas.

Owns the cross-tabulations: posts per top-level category and platform, posts per
year and taxonomy, and the difficulty measures the deployment study uses (share of
posts with an accepted answer, median score) per category against the catalog's
average. A measure with no recorded data is reported as missing, never as zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..model.base import Status
from ..model.catalog import Catalog
from ..model.vocab import PLATFORMS
from .frequency import Frequency


@dataclass(frozen=True)
class Difficulty:
    """How hard the posts of a group were to get answered."""

    posts: int
    """Posts in the group."""
    with_answer_status: int
    """Posts whose accepted-answer status is recorded."""
    accepted_share: float | None
    """Share of those with an accepted answer; None when none is recorded."""
    with_score: int
    """Posts whose score is recorded."""
    median_score: float | None
    """Median score of those; None when none is recorded."""


@dataclass(frozen=True)
class Overview:
    """The numbers of the Statistics page."""

    categories: tuple[str, ...]
    """Top-level categories (children of taxonomy roots), in tree order."""
    platforms: tuple[str, ...]
    """Platforms, in `PLATFORMS` order."""
    by_platform: Mapping[str, Mapping[str, int]]
    """Posts per top-level category and platform."""
    roots: tuple[str, ...]
    """Taxonomy roots."""
    years: tuple[int, ...]
    """Every year from the oldest to the newest post."""
    by_year: Mapping[str, Mapping[int, int]]
    """Posts per taxonomy root and year."""
    difficulty: Mapping[str, Difficulty]
    """Difficulty per top-level category."""
    overall: Difficulty
    """Difficulty over every post."""
    per_category: Frequency
    """Posts per top-level category, for the chart."""
    per_year: Frequency
    """Posts per year over the whole catalog (each post once), for the chart."""


def _difficulty(frame: pd.DataFrame) -> Difficulty:
    accepted = frame["accepted"].dropna()
    scores = frame["score"].dropna()
    return Difficulty(
        posts=len(frame),
        with_answer_status=len(accepted),
        accepted_share=float(accepted.mean()) if len(accepted) else None,
        with_score=len(scores),
        median_score=float(scores.median()) if len(scores) else None,
    )


def overview(catalog: Catalog, rolled: pd.DataFrame, years: tuple[int, ...]) -> Overview:
    """Cross-tabulate the rolled-up (challenge, post) pairs from `analyze`."""
    posts = catalog.posts
    facts = pd.DataFrame(
        {
            "post": range(len(posts)),
            "platform": [p.platform for p in posts],
            "year": pd.array([p.created and p.created.year for p in posts], dtype="Int64"),
            "accepted": pd.array([p.accepted_answer for p in posts], dtype="boolean"),
            "score": pd.array([p.score for p in posts], dtype="Int64"),
        }
    )
    pairs = rolled[["challenge", "post"]].merge(facts, on="post")
    categories = tuple(
        child
        for root in catalog.roots
        for child in catalog.children[root]
        if catalog.challenges[child].status is Status.ACTIVE
    )
    platform_table = pairs.groupby(["challenge", "platform"]).size()
    year_table = pairs.groupby(["challenge", "year"]).size()
    # One grouping serves the totals and the difficulty measures (each row is one post).
    groups = {c: frame for c, frame in pairs.groupby("challenge") if c in categories}
    empty = pairs.iloc[0:0]
    by_category = {c: groups.get(c, empty) for c in categories}
    totals = {c: len(by_category[c]) for c in categories}
    per_year = facts.groupby("year")["post"].nunique()
    return Overview(
        per_category=Frequency(
            "children",
            tuple(catalog.challenges[c].title for c in categories),
            tuple(totals[c] for c in categories),
            categories,
        ),
        per_year=Frequency(
            "years",
            tuple(str(y) for y in years),
            tuple(int(per_year.get(y, 0)) for y in years),
            (None,) * len(years),
        ),
        categories=categories,
        platforms=PLATFORMS,
        by_platform={
            c: {p: int(platform_table.get((c, p), 0)) for p in PLATFORMS} for c in categories
        },
        roots=catalog.roots,
        years=years,
        by_year={r: {y: int(year_table.get((r, y), 0)) for y in years} for r in catalog.roots},
        difficulty={c: _difficulty(by_category[c]) for c in categories},
        overall=_difficulty(facts),
    )
