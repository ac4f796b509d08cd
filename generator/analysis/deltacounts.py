"""The running counts behind `delta`: counters that add and take out one post, the
difficulty measures kept as counts, an example's sort order, and the posts two catalogs
do not share.

Split from `delta` to keep it short; nothing else uses them.
"""

from __future__ import annotations

import dataclasses
import operator
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..model.post import Post
from .overview import Difficulty

UNKNOWN_DAY = 1 << 40
"""Sorts after every negated ordinal: posts of unknown date come last among examples."""


def bump(counter: dict, key: object, sign: int) -> None:
    """Add `sign` to `counter[key]`, dropping the key at zero (absent means none, as in
    `analyze`, which never lists a zero count)."""
    n = counter.get(key, 0) + sign
    if n:
        counter[key] = n
    else:
        del counter[key]


def median(scores: dict[int, int], n: int) -> float | None:
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


@dataclass(slots=True)
class RunningDifficulty:
    """Running counts behind one `Difficulty`."""

    accepted: int = 0
    """Posts with an accepted answer."""
    known: int = 0
    """Posts whose accepted-answer status is recorded."""
    scores: dict[int, int] = dataclasses.field(default_factory=dict)
    """How many posts have each recorded score."""
    scored: int = 0
    """Posts whose score is recorded."""

    def add(self, post: Post, sign: int) -> None:
        if post.accepted_answer is not None:
            self.known += sign
            self.accepted += sign * post.accepted_answer
        if post.score is not None:
            self.scored += sign
            bump(self.scores, post.score, sign)

    @classmethod
    def of(cls, posts: Iterable[Post]) -> RunningDifficulty:
        """The counts of `posts`."""
        answered: Counter[bool | None] = Counter()
        scores: Counter[int | None] = Counter()
        for post in posts:
            answered[post.accepted_answer] += 1
            scores[post.score] += 1
        scores.pop(None, None)
        known = answered[True] + answered[False]
        return cls(answered[True], known, dict(scores), sum(scores.values()))

    def figures(self, posts: int) -> Difficulty:
        return Difficulty(
            posts=posts,
            with_answer_status=self.known,
            accepted_share=self.accepted / self.known if self.known else None,
            with_score=self.scored,
            median_score=median(self.scores, self.scored),
        )


def example_order(post: Post) -> tuple:
    """The end of an example's sort key, after distance and rank: newest first, unknown
    dates last, then (site, post_id), which is the order of `catalog.posts`; then the post,
    never compared since (site, post_id) is unique."""
    day = UNKNOWN_DAY if post.created is None else -post.created.toordinal()
    return (day, post.site, post.post_id, post)


def difference(old: tuple[Post, ...], new: tuple[Post, ...]) -> tuple[list[Post], list[Post]]:
    """(posts only in `old`, posts only in `new`) by identity: an unchanged post is usually
    the very same object. Both are in (site, post_id) order, so the edits lie between a
    common beginning and a common end, found in C; between them, a set difference of ids
    (both tuples are alive, so no two different objects share an id)."""
    if old is new:
        return [], []
    start = same_for(old, new)
    stop = min(len(old), len(new)) - start
    end = min(same_for(reversed(old), reversed(new)), stop)
    old, new = old[start : len(old) - end], new[start : len(new) - end]
    old_by_id = dict(zip(map(id, old), old, strict=True))
    new_by_id = dict(zip(map(id, new), new, strict=True))
    return (
        [old_by_id[i] for i in old_by_id.keys() - new_by_id.keys()],
        [new_by_id[i] for i in new_by_id.keys() - old_by_id.keys()],
    )


def same_for(old: Iterable[Post], new: Iterable[Post]) -> int:
    """How many posts at the start of both are the same objects."""
    same = list(map(operator.is_, old, new))
    return same.index(False) if False in same else len(same)
