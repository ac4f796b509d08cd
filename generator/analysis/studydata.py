"""A study's figures recomputed from its own labeled data in `data/`.

Owns the comparison of what a study reports with what its data gives: for each category,
the posts the study labeled there (each post once, descendants included; by the study's
own label, which a post a contributor labels more finely keeps in `labeler_labels`),
their share of the posts the study put in the taxonomy under the same top category, and
the share of them without an accepted answer. The study page prints both side by side, and a test
fails on any difference the study file does not list as a known discrepancy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model.catalog import Catalog


@dataclass(frozen=True)
class Recomputed:
    """One category's figures, recomputed from the study's labeled posts."""

    posts: int
    """Posts the study labeled with it or a descendant."""
    share: str | None
    """Their share of the study's taxonomy posts under the same top category, like
    `19.8%` (one decimal, as studies print it); None for a top category."""
    unanswered: str | None
    """Share of its posts without an accepted answer; None when none records it."""

    def matches(self, reported_posts: int | None, reported_share: str | None) -> bool:
        """Whether the study's own figures agree with these (those it reports at all)."""
        if reported_posts is not None and reported_posts != self.posts:
            return False
        return not (self.share and reported_share and reported_share != self.share)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%"


def recompute(catalog: Catalog, key: str) -> dict[str, Recomputed]:
    """The recomputed figures of every category of study `key`, by challenge ID."""
    study = catalog.studies[key]
    tops = {c.id for c in study.categories if catalog.challenges[c.id].parent == study.root}
    under: Counter[str] = Counter()
    placed: Counter[str] = Counter()  # posts below a top category, not on it directly
    unanswered: Counter[str] = Counter()
    recorded: Counter[str] = Counter()
    for post in catalog.posts:
        labels = post.study_labels(key)
        if not labels:
            continue
        reached: set[str] = set()
        deeper: set[str] = set()
        for label in labels:
            chain = {label, *catalog.ancestors(label)}
            reached |= chain
            if label not in tops:
                deeper |= chain
        under.update(reached)
        placed.update(deeper)
        if post.accepted_answer is not None:
            recorded.update(reached)
            if not post.accepted_answer:
                unanswered.update(reached)
    result = {}
    for category in study.categories:
        cid = category.id
        top = next((a for a in [cid, *catalog.ancestors(cid)] if a in tops), None)
        share = (
            _percent(placed[cid], placed[top])
            if top is not None and top != cid and placed[top]
            else None
        )
        result[cid] = Recomputed(
            posts=under[cid],
            share=share,
            unanswered=_percent(unanswered[cid], recorded[cid]) if recorded[cid] else None,
        )
    return result
