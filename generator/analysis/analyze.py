"""Stage 3, analyze: every number the site shows, computed from the catalog with pandas.

Owns the counting rules. A post counts once under every challenge it is
labeled with and once under each of their ancestors (roll-up), however many
of its labels share that ancestor. The roll-up is one join of the post-label
edges with a precomputed ancestor table, so the cost grows with posts plus
edges, not with posts times challenges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..model.base import Status
from ..model.catalog import Catalog
from ..model.post import Post
from .frequency import Frequency
from .overview import Overview, overview

EXAMPLE_LIMIT = 10
"""Most example posts listed on one challenge page."""


@dataclass(frozen=True)
class ChallengeStats:
    """Evidence for one challenge."""

    posts: int
    """Distinct posts labeled with it or any descendant."""
    direct: int
    """Posts labeled with exactly this challenge."""
    newest: date | None
    """Creation date of the newest post counted in `posts`."""
    frequency: Frequency
    """Posts per child category, or per year for a leaf."""
    examples: tuple[Post, ...]
    """Up to `EXAMPLE_LIMIT` posts with a summary: directly labeled first, primary labels
    first, newest first (a post without our summary is counted but never shown)."""
    labelers: tuple[str, ...]
    """Everyone who labeled a post counted here, sorted (credited on the page)."""
    primary: int
    """Posts counted here whose primary label is this challenge or a descendant."""


@dataclass(frozen=True)
class Stats:
    """Every figure of the site."""

    total_posts: int
    """Labeled posts in the data."""
    active_challenges: int
    """Active challenges, taxonomy roots included."""
    frameworks: int
    """Distinct frameworks named by the posts."""
    newest: date | None
    """Creation date of the newest labeled post."""
    years: tuple[int, ...]
    """Every year from the oldest to the newest post (the x axis of leaf charts)."""
    by_challenge: Mapping[str, ChallengeStats]
    """Evidence per challenge ID."""
    facets: Mapping[str, Mapping[str, Mapping[str, int]]]
    """Posts per facet kind (`framework`, `platform`, `year`), value and challenge ID
    (rolled up the tree like every count)."""
    facet_totals: Mapping[str, Mapping[str, int]]
    """Distinct posts per facet kind and value."""
    overview: Overview
    """Catalog-wide cross-tabulations for the Statistics page."""
    reported: Mapping[str, Frequency]
    """Counts a study reports for a challenge's children (cited, not computed), by parent."""


DIRECT_LABEL = "(labeled here directly)"
"""Row of a parent's frequency table for posts not labeled with any child."""


def analyze(catalog: Catalog) -> Stats:
    """Compute all statistics in one pass over the posts."""
    posts = catalog.posts
    created = pd.Series(pd.to_datetime([p.created for p in posts]), dtype="datetime64[ns]")
    edges = pd.DataFrame(
        [(i, label, label == p.primary_label) for i, p in enumerate(posts) for label in p.labels],
        columns=["post", "label", "primary"],
    ).astype({"post": "int64", "label": "object", "primary": "bool"})
    ancestry = pd.DataFrame(
        [
            (cid, node, distance)
            for cid in catalog.challenges
            for distance, node in enumerate([cid, *reversed(catalog.ancestors(cid))])
        ],
        columns=["label", "challenge", "distance"],
    )
    # Grouping by a categorical with the IDs in sorted order gives the same groups, in
    # the same order, as grouping the strings, without hashing 100,000s of them each time.
    ancestry["challenge"] = pd.Categorical(
        ancestry["challenge"], categories=sorted(catalog.challenges)
    )
    rolled = (
        edges.merge(ancestry, on="label")
        .assign(created=lambda df: created.to_numpy()[df["post"].to_numpy()])
        # One row per (challenge, post), keeping the closest and primary label.
        .sort_values(
            ["challenge", "distance", "primary", "created", "post"],
            ascending=[True, True, False, False, True],
            kind="stable",
        )
        .drop_duplicates(["challenge", "post"])
    )
    # A post whose creation date is unknown counts everywhere but in the years.
    rolled["year"] = rolled["created"].dt.year.astype("Int64")
    counts = rolled.groupby("challenge").size()
    direct = rolled[rolled["distance"] == 0].groupby("challenge").size()
    newest = rolled.groupby("challenge")["created"].max()
    per_year = rolled.groupby(["challenge", "year"]).size()
    summarized = pd.Series([p.summary is not None for p in posts], dtype="bool")
    shown = rolled[summarized.to_numpy()[rolled["post"].to_numpy()]]
    examples = shown.groupby("challenge").head(EXAMPLE_LIMIT).groupby("challenge")["post"]
    example_posts = {cid: tuple(posts[i] for i in idx) for cid, idx in examples}
    primary = (
        edges[edges["primary"]]
        .merge(ancestry, on="label")
        .drop_duplicates(["challenge", "post"])
        .groupby("challenge")
        .size()
    )
    labeled_by = pd.Series([p.labeled_by for p in posts], dtype="object")
    labelers = (
        rolled.assign(by=labeled_by.to_numpy()[rolled["post"].to_numpy()])
        .groupby("challenge")["by"]
        .unique()
    )

    facet_values = {
        "framework": pd.DataFrame(
            [(i, fw) for i, p in enumerate(posts) for fw in p.frameworks],
            columns=["post", "value"],
        ),
        "platform": pd.DataFrame({"post": range(len(posts)), "value": [p.platform for p in posts]}),
        "year": pd.DataFrame(
            [(i, str(p.created.year)) for i, p in enumerate(posts) if p.created is not None],
            columns=["post", "value"],
        ),
    }
    facets, facet_totals = {}, {}
    for kind, values in facet_values.items():
        counted = rolled[["challenge", "post"]].merge(values, on="post")
        table = counted.groupby(["value", "challenge"]).size()
        facets[kind] = {
            value: {cid: int(n) for cid, n in group.droplevel(0).items()}
            for value, group in table.groupby(level=0)
        }
        facet_totals[kind] = {
            value: int(n) for value, n in values.groupby("value")["post"].nunique().items()
        }

    years = (
        tuple(range(int(created.dt.year.min()), int(created.dt.year.max()) + 1))
        if created.notna().any()
        else ()
    )
    # Plain dicts for the per-challenge look-ups: a pandas `get` costs microseconds each.
    counts_of, direct_of, primary_of = (
        {cid: int(n) for cid, n in series.items() if n} for series in (counts, direct, primary)
    )
    newest_of = {cid: when.date() for cid, when in newest.items() if not pd.isna(when)}
    labelers_of = {cid: tuple(sorted(names)) for cid, names in labelers.items() if len(names)}
    per_year_of = {key: int(n) for key, n in per_year.items() if n}
    by_challenge = {}
    for cid in catalog.challenges:
        by_challenge[cid] = ChallengeStats(
            posts=counts_of.get(cid, 0),
            direct=direct_of.get(cid, 0),
            newest=newest_of.get(cid),
            frequency=frequency_of(catalog, cid, counts_of, direct_of, per_year_of, years),
            examples=example_posts.get(cid, ()),
            labelers=labelers_of.get(cid, ()),
            primary=primary_of.get(cid, 0),
        )
    return Stats(
        total_posts=len(posts),
        active_challenges=sum(c.status is Status.ACTIVE for c in catalog.challenges.values()),
        frameworks=len({f for p in posts for f in p.frameworks}),
        newest=max((p.created for p in posts if p.created is not None), default=None),
        years=years,
        by_challenge=by_challenge,
        facets=facets,
        facet_totals=facet_totals,
        overview=overview(catalog, rolled, years),
        reported=reported_frequencies(catalog),
    )


def short_citation(catalog: Catalog, key: str) -> str:
    """`Chen et al. (2020)`: how charts and tables name a source."""
    source = catalog.sources[key]
    surname = source.authors[0].split()[-1]
    others = (
        " et al."
        if len(source.authors) > 2
        else (f" and {source.authors[1].split()[-1]}" if len(source.authors) == 2 else "")
    )
    return f"{surname}{others} ({source.year})"


def reported_frequencies(catalog: Catalog) -> dict[str, Frequency]:
    """For each challenge whose children stand for study categories with a reported count:
    those counts, in child order, labeled with the study that reports them."""
    result = {}
    for cid, children in catalog.children.items():
        rows = [
            (child, catalog.study_category[child])
            for child in children
            if child in catalog.study_category
            and catalog.study_category[child][1].reported_posts is not None
        ]
        if rows:
            key = rows[0][1][0]
            result[cid] = Frequency(
                "children",
                tuple(catalog.challenges[child].title for child, _ in rows),
                tuple(category.reported_posts for _, (_, category) in rows),
                tuple(child for child, _ in rows),
                cited=short_citation(catalog, key),
            )
    return result


def frequency_of(
    catalog: Catalog,
    cid: str,
    counts: Mapping[str, int],
    direct: Mapping[str, int],
    per_year: Mapping[tuple[str, int], int],
    years: tuple[int, ...],
) -> Frequency:
    """A challenge's chart numbers: posts per active child (and those labeled with it
    directly), or per year of `years` for a leaf. Shared with `delta`, which updates them."""
    children = [c for c in catalog.children[cid] if catalog.challenges[c].status is Status.ACTIVE]
    if not children:
        values = tuple(per_year.get((cid, year), 0) for year in years)
        return Frequency("years", tuple(str(y) for y in years), values, (None,) * len(years))
    labels = [catalog.challenges[c].title for c in children]
    values = [counts.get(c, 0) for c in children]
    ids: list[str | None] = list(children)
    here = direct.get(cid, 0)
    if here:
        labels.append(DIRECT_LABEL)
        values.append(here)
        ids.append(None)
    return Frequency("children", tuple(labels), tuple(values), tuple(ids))
