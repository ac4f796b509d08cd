"""Incremental statistics: the `Stats` of a catalog whose posts were edited, from the last ones.

Owns the warm path of `analyze` for `catalog serve`. `analyze` recounts every post with
pandas (about a second at 100,000 posts); after a save that only added, changed, relabeled
or deleted posts, `Tally.update` moves the counts of just those posts, along their labels'
ancestor paths, and rebuilds the figures of the challenges on those paths. The counting
rules are `analyze`'s and the result must equal what it returns for the same catalog, dict
order included (tests/test_delta.py checks this after each of hundreds of random edits):

- a post counts once under each challenge it is labeled with or is below, at the closest
  of those labels, and primary rather than other when two are equally close;
- examples are a challenge's summarized posts by (distance, primary first, newest first with
  unknown dates last, position in `catalog.posts`), which is the (site, post_id) order;
- facets count a post once per listed framework and once for its platform and year under
  each challenge it counts in; `facet_totals` count distinct posts;
- difficulty: share of recorded accepted answers and median of recorded scores (an even
  count gives the mean of the two middle scores, as pandas does, in floats).

Anything but the posts changed (a challenge, source or study) and `update` declines: the
caller runs `analyze` and makes a new `Tally`.
"""

from __future__ import annotations

import bisect
import dataclasses
import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..model.catalog import Catalog
from ..model.challenge import Challenge
from ..model.post import Post
from ..model.vocab import PLATFORMS
from .analyze import EXAMPLE_LIMIT, ChallengeStats, Stats, frequency_of
from .deltacounts import (
    UNKNOWN_DAY,
    RunningDifficulty,
    bump,
    difference,
    example_order,
)
from .frequency import Frequency
from .overview import Overview

FACET_KINDS = ("framework", "platform", "year")
"""The kinds of `Stats.facets`, in `analyze`'s order."""


@dataclass(frozen=True)
class Update:
    """What one `Tally.update` found: the new statistics and what they changed."""

    stats: Stats
    """Equal to `analyze(catalog)` for the catalog passed to `update`."""
    affected: frozenset[str]
    """Exactly the challenge IDs whose `ChallengeStats` or facet counts differ from the
    previous statistics (so their pages and charts need rendering again)."""
    span_changed: bool
    """The span of years changed: every leaf's chart and table (posts per year) and the
    Statistics page's years with it. The catalog-wide figures (total posts, newest post,
    frameworks, `overview`) change with almost every edit and are not flagged: the pages
    that show them (home, Statistics) are affected by any change of the posts."""
    facets: frozenset[tuple[str, str]]
    """Exactly the (kind, value) facets whose counts per challenge or total changed (their
    facet pages need rendering again)."""
    posts: frozenset[str]
    """Keys of the posts added, changed or deleted (for the downloads that list posts)."""


class Tally:
    """Per-challenge memberships of the last catalog, kept to update `Stats` for post edits.

    Made once from a full run (`Tally(catalog, analyze(catalog))`); each `update` then
    describes the catalog it was given, so it can be called after every save. Making one
    allocates a few small tuples per (challenge, post) pair, half a million at 100,000
    posts, none in a reference cycle: with the cyclic collector paused while it runs (as
    `site.build` pauses it for loading) it takes half the time.
    """

    def __init__(self, catalog: Catalog, stats: Stats) -> None:
        self._catalog = catalog
        self._stats = stats
        self._paths = {cid: (cid, *reversed(catalog.ancestors(cid))) for cid in catalog.challenges}
        # Most posts have one label: their memberships are their label's path.
        self._single = {
            cid: {node: (distance, 0) for distance, node in enumerate(path)}
            for cid, path in self._paths.items()
        }
        self._categories = frozenset(stats.overview.categories)
        self._dirty: set[tuple[str, str]] = set()
        # The additive counts are in `stats` already (it is `analyze(catalog)`): counting
        # them again post by post would take most of the time this takes.
        by = stats.by_challenge
        self._counts = {cid: s.posts for cid, s in by.items() if s.posts}
        self._direct = {cid: s.direct for cid, s in by.items() if s.direct}
        self._primary = {cid: s.primary for cid, s in by.items() if s.primary}
        self._facets = {
            kind: {value: dict(counts) for value, counts in values.items()}
            for kind, values in stats.facets.items()
        }
        self._totals = {kind: dict(totals) for kind, totals in stats.facet_totals.items()}
        posts = catalog.posts
        self._all_dates = dict(Counter(p.created for p in posts if p.created is not None))
        self._all_years: dict[int, int] = {}
        for day, n in self._all_dates.items():
            self._all_years[day.year] = self._all_years.get(day.year, 0) + n
        self._all_frameworks = dict(Counter(f for p in posts for f in p.frameworks))
        self._newest = {cid: s.newest for cid, s in by.items() if s.newest is not None}
        self._labelers = {cid: set(s.labelers) for cid, s in by.items()}
        # Each challenge's posts, by key, as (no summary, (distance, rank), example order
        # ending with the post): the examples are the summarized ones among the smallest
        # entries. A newest post or a labeler's last post taken out is found again among
        # them (`_settle`).
        self._members: dict[str, dict[str, tuple]] = {cid: {} for cid in catalog.challenges}
        in_category: dict[str, list[Post]] = {cid: [] for cid in self._categories}
        for post in posts:
            member, key, order = self._memberships(post), post.key, example_order(post)
            hidden = post.summary is None
            for cid, place in member.items():
                self._members[cid][key] = (hidden, place, order)
            for cid in self._categories.intersection(member):
                in_category[cid].append(post)
        self._difficulty = {cid: RunningDifficulty.of(found) for cid, found in in_category.items()}
        self._difficulty[None] = RunningDifficulty.of(posts)
        self._top: dict[str, list[tuple]] = {}
        """The `EXAMPLE_LIMIT` smallest entries of the challenges that had an update, kept
        while no post among them is taken out (else found again)."""
        self._stale: set[str] = set()
        """Challenges whose newest post was taken out."""
        self._gone: set[tuple[str, str]] = set()
        """(challenge, labeler) of the posts taken out."""

    def update(self, catalog: Catalog) -> Update | None:
        """The statistics of `catalog`, which differs from the last one in its posts (and
        challenges' text) only; None (and nothing updated) when anything else changed."""
        last = self._catalog
        if not _same_tree(last, catalog):
            return None
        removed, added = difference(last.posts, catalog.posts)
        gone = {p.key: p for p in removed}
        came = {p.key: p for p in added}
        changed = {k for k in gone.keys() | came.keys() if gone.get(k) != came.get(k)}
        touched: set[str] = set()
        for key in changed:
            for post, sign in ((gone.get(key), -1), (came.get(key), 1)):
                if post is not None:
                    touched.update(self._add(post, sign))
        self._catalog = catalog
        old = self._stats
        stats = self._stats = self._figures(catalog, old, touched)
        facets = frozenset(
            (kind, value)
            for kind, value in self._dirty
            if stats.facets[kind].get(value) != old.facets[kind].get(value)
            or stats.facet_totals[kind].get(value) != old.facet_totals[kind].get(value)
        )
        self._dirty.clear()
        # Only the touched challenges can differ, or every leaf when the span of years did.
        candidates = catalog.challenges if stats.years != old.years else touched
        affected = frozenset(
            cid
            for cid in candidates
            if stats.by_challenge[cid] != old.by_challenge[cid]
            or (cid in touched and _facet_counts(stats, cid) != _facet_counts(old, cid))
        )
        return Update(stats, affected, stats.years != old.years, facets, frozenset(changed))

    def _memberships(self, post: Post) -> dict[str, tuple[int, int]]:
        """(distance, 0 if primary else 1) of the closest label, for each challenge the
        post counts under."""
        if not post.other_labels:
            return self._single[post.primary_label]  # shared: callers only read it
        best: dict[str, tuple[int, int]] = {}
        for label in post.labels:
            rank = 0 if label == post.primary_label else 1
            for distance, node in enumerate(self._paths[label]):
                here = best.get(node)
                if here is None or (distance, rank) < here:
                    best[node] = (distance, rank)
        return best

    def _add(self, post: Post, sign: int) -> Iterable[str]:
        """Count `post` in (sign 1) or out (sign -1); return the challenges it counts under."""
        members = self._memberships(post)
        created, key = post.created, post.key
        year = None if created is None else str(created.year)
        values = {
            "framework": post.frameworks,
            "platform": (post.platform,),
            "year": () if year is None else (year,),
        }
        order = example_order(post)
        hidden = post.summary is None
        for cid, place in members.items():
            entry = (hidden, place, order)
            bump(self._counts, cid, sign)
            if not place[0]:
                bump(self._direct, cid, sign)
            if sign > 0:
                self._members[cid][key] = entry
                top = self._top.get(cid)
                if top is not None and (len(top) < EXAMPLE_LIMIT or entry < top[-1]):
                    bisect.insort(top, entry)
                    del top[EXAMPLE_LIMIT:]
                if created is not None and created > self._newest.get(cid, date.min):
                    self._newest[cid] = created
                self._labelers[cid].add(post.labeled_by)
                self._gone.discard((cid, post.labeled_by))
            else:
                del self._members[cid][key]
                if entry in self._top.get(cid, ()):
                    del self._top[cid]
                if created is not None and created == self._newest.get(cid):
                    self._stale.add(cid)
                self._gone.add((cid, post.labeled_by))
            for kind, listed in values.items():
                for value in listed:
                    bump(self._facets[kind].setdefault(value, {}), cid, sign)
                    if not self._facets[kind][value]:
                        del self._facets[kind][value]
            if cid in self._categories:
                self._difficulty[cid].add(post, sign)
        for cid in self._paths[post.primary_label]:
            bump(self._primary, cid, sign)
        self._difficulty[None].add(post, sign)
        for kind, listed in values.items():
            for value in set(listed):
                bump(self._totals[kind], value, sign)
                self._dirty.add((kind, value))
        for framework in post.frameworks:
            bump(self._all_frameworks, framework, sign)
        if created is not None:
            bump(self._all_dates, created, sign)
            bump(self._all_years, created.year, sign)
        return members.keys()

    def _settle(self) -> None:
        """Find the newest post and the labelers again where posts were taken out: a scan
        of one challenge's posts, only for those that lost their newest one or a labeler
        (who may have labeled others there)."""
        for cid in self._stale:
            day = min((e[-1][0] for e in self._members[cid].values()), default=UNKNOWN_DAY)
            if day == UNKNOWN_DAY:
                self._newest.pop(cid, None)
            else:
                self._newest[cid] = date.fromordinal(-day)
        for cid, name in self._gone:
            if not any(e[-1][-1].labeled_by == name for e in self._members[cid].values()):
                self._labelers[cid].discard(name)
        self._stale.clear()
        self._gone.clear()

    def _figures(self, catalog: Catalog, old: Stats, touched: set[str]) -> Stats:
        """New `Stats` from the counts, rebuilding only what `touched` challenges and the
        dirty facet values need; the rest is shared with `old` (never mutated)."""
        years = (
            tuple(range(min(self._all_years), max(self._all_years) + 1)) if self._all_years else ()
        )
        self._settle()
        redo = catalog.challenges if years != old.years else touched
        by_challenge = dict(old.by_challenge)
        for cid in redo:
            by_challenge[cid] = self._challenge(catalog, cid, years, old, touched)
        facets, facet_totals = {}, {}
        for kind in FACET_KINDS:
            counts, before = self._facets[kind], old.facets[kind]
            facets[kind] = {
                value: dict(sorted(counts[value].items()))
                if (kind, value) in self._dirty or value not in before
                else before[value]
                for value in sorted(v for v, by in counts.items() if by)
            }
            facet_totals[kind] = dict(sorted(self._totals[kind].items()))
        return Stats(
            total_posts=len(catalog.posts),
            active_challenges=old.active_challenges,
            frameworks=len(self._all_frameworks),
            newest=max(self._all_dates, default=None),
            years=years,
            by_challenge=by_challenge,
            facets=facets,
            facet_totals=facet_totals,
            overview=self._overview(old.overview, years, facets, len(catalog.posts)),
            reported=old.reported,
        )

    def _challenge(
        self, catalog: Catalog, cid: str, years: tuple[int, ...], old: Stats, touched: set[str]
    ) -> ChallengeStats:
        """One challenge's figures: all of them if its posts changed, else (the years span
        changed) only its frequency."""
        per_year = self._facets["year"]
        frequency = frequency_of(
            catalog,
            cid,
            self._counts,
            self._direct,
            {(cid, y): per_year.get(str(y), {}).get(cid, 0) for y in years},
            years,
        )
        if cid not in touched:
            return dataclasses.replace(old.by_challenge[cid], frequency=frequency)
        top = self._top.get(cid)
        if top is None:  # a scan: the first update of this challenge, or an example gone
            top = self._top[cid] = heapq.nsmallest(EXAMPLE_LIMIT, self._members[cid].values())
        return ChallengeStats(
            posts=self._counts.get(cid, 0),
            direct=self._direct.get(cid, 0),
            newest=self._newest.get(cid),
            frequency=frequency,
            examples=tuple(e[-1][-1] for e in top if not e[0]),
            labelers=tuple(sorted(self._labelers[cid])),
            primary=self._primary.get(cid, 0),
        )

    def _overview(
        self, old: Overview, years: tuple[int, ...], facets: dict, total: int
    ) -> Overview:
        """`overview` from the counts: the catalog-only parts are the old ones."""
        categories = old.categories

        def count(kind: str, value: str, cid: str) -> int:
            return facets[kind].get(value, {}).get(cid, 0)

        per_year = tuple(self._all_years.get(y, 0) for y in years)
        return dataclasses.replace(
            old,
            per_category=dataclasses.replace(
                old.per_category, values=tuple(self._counts.get(c, 0) for c in categories)
            ),
            per_year=Frequency(
                "years", tuple(str(y) for y in years), per_year, (None,) * len(years)
            ),
            by_platform={c: {p: count("platform", p, c) for p in PLATFORMS} for c in categories},
            years=years,
            by_year={r: {y: count("year", str(y), r) for y in years} for r in old.roots},
            difficulty={c: self._difficulty[c].figures(self._counts.get(c, 0)) for c in categories},
            overall=self._difficulty[None].figures(total),
        )


def _same_tree(last: Catalog, new: Catalog) -> bool:
    """Whether everything `analyze` reads besides the posts is unchanged: of a challenge,
    only its place in the tree, status and title (a description or a recommendation
    edited while previewing changes no figure)."""
    return (
        [_shape(c) for c in last.challenges.values()]
        == [_shape(c) for c in new.challenges.values()]
        and last.sources == new.sources
        and last.studies == new.studies
    )


def _shape(c: Challenge) -> tuple:
    return (c.id, c.title, c.parent, c.status, c.merged_into)


def _facet_counts(stats: Stats, cid: str) -> dict[tuple[str, str], int]:
    """Every facet count of one challenge, by (kind, value)."""
    return {
        (kind, value): by[cid]
        for kind, values in stats.facets.items()
        for value, by in values.items()
        if cid in by
    }
