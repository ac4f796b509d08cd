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

import dataclasses
import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..model.catalog import Catalog
from ..model.post import Post
from ..model.vocab import PLATFORMS
from .analyze import EXAMPLE_LIMIT, ChallengeStats, Stats, _frequency
from .frequency import Frequency
from .overview import Difficulty, Overview

FACET_KINDS = ("framework", "platform", "year")
"""The kinds of `Stats.facets`, in `analyze`'s order."""

_UNKNOWN_DAY = 1 << 40
"""Sorts after every negated ordinal: posts of unknown date come last among examples."""


@dataclass(frozen=True)
class Update:
    """What one `Tally.update` found: the new statistics and what they changed."""

    stats: Stats
    """Equal to `analyze(catalog)` for the catalog passed to `update`."""
    affected: frozenset[str]
    """Exactly the challenge IDs whose `ChallengeStats` or facet counts differ from the
    previous statistics (so their pages and charts need rendering again)."""
    span_changed: bool
    """The years span changed, or another figure every page shows (total posts, newest
    post, frameworks count), so pages beyond `affected` may need rendering again."""
    posts: frozenset[str]
    """Keys of the posts added, changed or deleted (for the downloads that list posts)."""


def _bump(counter: dict, key: object, sign: int) -> None:
    """Add `sign` to `counter[key]`, dropping the key at zero (absent means none, as in
    `analyze`, which never lists a zero count)."""
    n = counter.get(key, 0) + sign
    if n:
        counter[key] = n
    else:
        del counter[key]


def _median(scores: dict[int, int], n: int) -> float | None:
    """Median of a multiset of scores with `n` members, as pandas computes it."""
    if not n:
        return None
    wanted = {(n - 1) // 2, n // 2}
    found: list[float] = []
    seen = 0
    for score in sorted(scores):
        seen += scores[score]
        while wanted and min(wanted) < seen:
            wanted.discard(min(wanted))
            found.append(float(score))
        if not wanted:
            break
    return found[0] if len(found) == 1 else (found[0] + found[1]) / 2


class _Difficulty:
    """Running counts behind one `Difficulty`."""

    __slots__ = ("accepted", "known", "scored", "scores")

    def __init__(self) -> None:
        self.accepted = 0
        self.known = 0
        self.scores: dict[int, int] = {}
        self.scored = 0

    def add(self, post: Post, sign: int) -> None:
        if post.accepted_answer is not None:
            self.known += sign
            self.accepted += sign * post.accepted_answer
        if post.score is not None:
            self.scored += sign
            _bump(self.scores, post.score, sign)

    def figures(self, posts: int) -> Difficulty:
        return Difficulty(
            posts=posts,
            with_answer_status=self.known,
            accepted_share=self.accepted / self.known if self.known else None,
            with_score=self.scored,
            median_score=_median(self.scores, self.scored),
        )


class Tally:
    """Per-challenge memberships of the last catalog, kept to update `Stats` for post edits.

    Made once from a full run (`Tally(catalog, analyze(catalog))`); each `update` then
    describes the catalog it was given, so it can be called after every save.
    """

    def __init__(self, catalog: Catalog, stats: Stats) -> None:
        self._catalog = catalog
        self._stats = stats
        self._paths = {cid: (cid, *reversed(catalog.ancestors(cid))) for cid in catalog.challenges}
        self._categories = frozenset(stats.overview.categories)
        self._counts: dict[str, int] = {}
        self._direct: dict[str, int] = {}
        self._primary: dict[str, int] = {}
        self._dates: dict[str, dict[date, int]] = {cid: {} for cid in catalog.challenges}
        self._labelers: dict[str, dict[str, int]] = {cid: {} for cid in catalog.challenges}
        # Candidates for examples: each summarized member's sort key, ending with the post.
        self._shown: dict[str, dict[str, tuple]] = {cid: {} for cid in catalog.challenges}
        self._facets: dict[str, dict[str, dict[str, int]]] = {k: {} for k in FACET_KINDS}
        self._totals: dict[str, dict[str, int]] = {k: {} for k in FACET_KINDS}
        self._difficulty = {cid: _Difficulty() for cid in (*self._categories, None)}
        self._all_dates: dict[date, int] = {}
        self._all_years: dict[int, int] = {}
        self._all_frameworks: dict[str, int] = {}
        self._dirty: set[tuple[str, str]] = set()
        for post in catalog.posts:
            self._add(post, 1)
        self._dirty.clear()

    def update(self, catalog: Catalog) -> Update | None:
        """The statistics of `catalog`, which differs from the last one in its posts only;
        None (and nothing updated) when anything else changed."""
        last = self._catalog
        if not _same_tree(last, catalog):
            return None
        removed, added = _difference(last.posts, catalog.posts)
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
        self._dirty.clear()
        # Only the touched challenges can differ, or every leaf when the span of years did.
        candidates = catalog.challenges if stats.years != old.years else touched
        affected = frozenset(
            cid
            for cid in candidates
            if stats.by_challenge[cid] != old.by_challenge[cid]
            or (cid in touched and _facet_counts(stats, cid) != _facet_counts(old, cid))
        )
        span_changed = (stats.years, stats.total_posts, stats.newest, stats.frameworks) != (
            old.years,
            old.total_posts,
            old.newest,
            old.frameworks,
        )
        return Update(stats, affected, span_changed, frozenset(changed))

    def _memberships(self, post: Post) -> dict[str, tuple[int, int]]:
        """(distance, 0 if primary else 1) of the closest label, for each challenge the
        post counts under."""
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
        day = _UNKNOWN_DAY if created is None else -created.toordinal()
        for cid, (distance, rank) in members.items():
            _bump(self._counts, cid, sign)
            if not distance:
                _bump(self._direct, cid, sign)
            if created is not None:
                _bump(self._dates[cid], created, sign)
            _bump(self._labelers[cid], post.labeled_by, sign)
            for kind, listed in values.items():
                for value in listed:
                    _bump(self._facets[kind].setdefault(value, {}), cid, sign)
            if post.summary is not None:
                if sign > 0:
                    self._shown[cid][key] = (distance, rank, day, post.site, post.post_id, post)
                else:
                    del self._shown[cid][key]
            if cid in self._categories:
                self._difficulty[cid].add(post, sign)
        for cid in self._paths[post.primary_label]:
            _bump(self._primary, cid, sign)
        self._difficulty[None].add(post, sign)
        for kind, listed in values.items():
            for value in set(listed):
                _bump(self._totals[kind], value, sign)
                self._dirty.add((kind, value))
        for framework in post.frameworks:
            _bump(self._all_frameworks, framework, sign)
        if created is not None:
            _bump(self._all_dates, created, sign)
            _bump(self._all_years, created.year, sign)
        return members.keys()

    def _figures(self, catalog: Catalog, old: Stats, touched: set[str]) -> Stats:
        """New `Stats` from the counts, rebuilding only what `touched` challenges and the
        dirty facet values need; the rest is shared with `old` (never mutated)."""
        years = (
            tuple(range(min(self._all_years), max(self._all_years) + 1)) if self._all_years else ()
        )
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
        frequency = _frequency(
            catalog,
            cid,
            self._counts,
            self._direct,
            {(cid, y): per_year.get(str(y), {}).get(cid, 0) for y in years},
            years,
        )
        if cid not in touched:
            return dataclasses.replace(old.by_challenge[cid], frequency=frequency)
        dates = self._dates[cid]
        return ChallengeStats(
            posts=self._counts.get(cid, 0),
            direct=self._direct.get(cid, 0),
            newest=max(dates) if dates else None,
            frequency=frequency,
            examples=tuple(
                e[-1] for e in heapq.nsmallest(EXAMPLE_LIMIT, self._shown[cid].values())
            ),
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
    """Whether everything `analyze` reads besides the posts is unchanged."""
    return (
        list(last.challenges) == list(new.challenges)
        and last.challenges == new.challenges
        and last.sources == new.sources
        and last.studies == new.studies
    )


def _difference(old: tuple[Post, ...], new: tuple[Post, ...]) -> tuple[list[Post], list[Post]]:
    """(posts only in `old`, posts only in `new`) by identity: an unchanged post is usually
    the very same object, and comparing identities of 100,000 posts is a set operation in C.
    Both tuples are alive, so no two different objects share an id."""
    if old is new:
        return [], []
    old_by_id = dict(zip(map(id, old), old, strict=True))
    new_by_id = dict(zip(map(id, new), new, strict=True))
    return (
        [old_by_id[i] for i in old_by_id.keys() - new_by_id.keys()],
        [new_by_id[i] for i in new_by_id.keys() - old_by_id.keys()],
    )


def _facet_counts(stats: Stats, cid: str) -> dict[tuple[str, str], int]:
    """Every facet count of one challenge, by (kind, value)."""
    return {
        (kind, value): by[cid]
        for kind, values in stats.facets.items()
        for value, by in values.items()
        if cid in by
    }
