"""The validated catalog as one object, with the tree queries every stage needs.

Built only by `validate`; read by every later stage.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .challenge import Challenge, Source
from .post import ORDER, Post
from .queue import QueueItem
from .release import Release, Snapshot
from .study import Study, StudyCategory


@dataclass(frozen=True)
class Catalog:
    """The whole validated input: what every later stage reads.

    Built only by `validate`, which guarantees that parents, labels and
    references resolve and that the challenge graph is a forest.
    """

    challenges: Mapping[str, Challenge]
    """Every challenge by ID, in ID order."""
    sources: Mapping[str, Source]
    """Every cited source by key."""
    posts: tuple[Post, ...]
    """Every labeled post, in (site, post_id) order."""
    files: Mapping[str, str]
    """Path of the YAML file each challenge came from (for messages and 'edit' links)."""
    studies: Mapping[str, Study] = field(default_factory=dict)
    """Founding studies by source key."""
    release: Release | None = None
    """Version and date of the catalog (from CITATION.cff), for citations."""
    changed: Mapping[str, date] = field(default_factory=dict)
    """When each challenge's file last changed (from git; empty outside a checkout)."""
    snapshots: tuple[Snapshot, ...] = ()
    """Release snapshots, oldest first (for the changelog)."""
    queues: Mapping[str, tuple[QueueItem, ...]] = field(default_factory=dict)
    """Labeling queues by study key (`queue/<key>.csv`), rows in file order."""
    children: Mapping[str, tuple[str, ...]] = field(init=False)
    """IDs of each challenge's children: a study's coded categories first, in the study's
    order (that of its `categories` list), then the others by title."""
    study_category: Mapping[str, tuple[str, StudyCategory]] = field(init=False)
    """For challenges that stand for a study's category: the study key and the category."""

    def __post_init__(self) -> None:
        reported = {
            cat.id: (key, cat) for key, study in self.studies.items() for cat in study.categories
        }
        position = {
            cat.id: i for study in self.studies.values() for i, cat in enumerate(study.categories)
        }
        object.__setattr__(self, "study_category", reported)
        kids: dict[str, list[str]] = {cid: [] for cid in self.challenges}
        for challenge in self.challenges.values():
            if challenge.parent is not None:
                kids[challenge.parent].append(challenge.id)

        def order(cid: str) -> tuple:
            # A study's coded categories keep the study's own order (its file's order:
            # codes like "S", "M", "B" need not sort); the rest follow by title.
            if cid in reported and reported[cid][1].code is not None:
                return (0, position[cid], "", cid)
            return (1, 0, self.challenges[cid].title.lower(), cid)

        ordered = {cid: tuple(sorted(ids, key=order)) for cid, ids in kids.items()}
        object.__setattr__(self, "children", ordered)

    @property
    def roots(self) -> tuple[str, ...]:
        """Taxonomy roots, sorted by title."""
        roots = [c.id for c in self.challenges.values() if c.parent is None]
        return tuple(sorted(roots, key=lambda i: self.challenges[i].title.lower()))

    def ancestors(self, cid: str) -> list[str]:
        """IDs from the root down to `cid`'s parent."""
        chain: list[str] = []
        parent = self.challenges[cid].parent
        while parent is not None:
            chain.append(parent)
            parent = self.challenges[parent].parent
        return chain[::-1]

    def root_of(self, cid: str) -> str:
        """ID of the taxonomy root `cid` belongs to."""
        path = self.ancestors(cid)
        return path[0] if path else cid

    def area(self, cid: str) -> str:
        """The top-level category `cid` lies in: the root's child on its path (for Chen et
        al.'s taxonomy, the platform), or the root itself."""
        path = [*self.ancestors(cid), cid]
        return path[1] if len(path) > 1 else path[0]

    def dataset_commit(self, study: str) -> str:
        """The short commit of the data set the catalog cites for `study` (its replication
        package), or `unknown`."""
        commits = [
            s.commit for s in self.sources.values() if s.kind == "dataset" and s.cites == study
        ]
        return commits[0][:7] if commits and commits[0] else "unknown"

    def queued(self, post: Post) -> bool:
        """Whether `post` still waits for a finer label: every label it has is a category
        with subcategories (a taxonomy root or an inner category)."""
        return all(self.children[label] for label in post.labels)

    @cached_property
    def tree_order(self) -> tuple[tuple[str, int], ...]:
        """`(id, depth)` of every challenge, each root (by title) followed by its
        descendants depth-first: the order of every page that lists the whole tree.

        Computed once per catalog: a warm run's site pages walk it thirty times."""
        return tuple(
            (cid, depth)
            for root in self.roots
            for cid, depth in ((root, 0), *self.descendants(root))
        )

    def post(self, key: str) -> Post | None:
        """The post with `key` (`site:post_id`), found by bisection in the sorted posts
        (building a dictionary of 100,000 posts per run would cost more)."""
        site, _, post_id = key.partition(":")
        posts = self.posts
        i = bisect.bisect_left(posts, (site, post_id), key=ORDER)
        return posts[i] if i < len(posts) and posts[i].key == key else None

    def descendants(self, cid: str) -> Iterator[tuple[str, int]]:
        """`(id, depth)` of every descendant, depth-first in child order."""
        stack = [(child, 1) for child in reversed(self.children[cid])]
        while stack:
            node, depth = stack.pop()
            yield node, depth
            stack.extend((child, depth + 1) for child in reversed(self.children[node]))
