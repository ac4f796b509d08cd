"""The "Help label" pages: the labeling queues, for contributors to take posts from.

Owns the pages' contexts: an index (how to take a post, where the suggestions come from,
how many posts wait and how many have left) and one page per area (the category under a
taxonomy root, for Chen et al. the platform) listing the posts that still wait, newest
first, each with its link, date, current label and the suggested challenges. A post
leaves its queue when a contributor labels it with a challenge that has no subcategories
(`Catalog.queued`); its row stays in `queue/` and is only counted. One page per area
keeps each page a size a browser opens at once, and the lists are kept out of the search
index by the templates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.analyze import short_citation
from ..model.catalog import Catalog
from ..model.post import Post
from ..model.queue import QueueItem
from . import markup
from .common import Link, link_to

HELP_LABEL_DIR = "help-label"
"""Folder of `docs/` holding the pages (URL `/help-label/`)."""

INDEX = f"{HELP_LABEL_DIR}/index.md"
"""The index page, relative to `docs/`."""


def area_path(cid: str) -> str:
    """Path of an area's list, relative to `docs/`; named by the area's permanent ID."""
    return f"{HELP_LABEL_DIR}/{cid}.md"


@dataclass(frozen=True)
class QueueRow:
    """A post waiting for a finer label."""

    post: Link
    """The post itself, on its site (the link text is its ID)."""
    created: str
    """When it was posted, `YYYY-MM-DD`, or `date unknown`."""
    labels: tuple[Link, ...]
    """Its current labels: categories with subcategories."""
    suggestions: tuple[Link, ...]
    """The suggested challenges still below its current labels, best first (may be empty
    once the post is labeled more finely than the queue was computed for)."""


@dataclass(frozen=True)
class AreaPage:
    """One area's waiting posts."""

    heading: str
    """`Help label: ` and the area's title."""
    area: Link
    """The area's challenge page."""
    rows: tuple[QueueRow, ...]
    """Its waiting posts, newest first (unknown dates last)."""


@dataclass(frozen=True)
class AreaEntry:
    """An area's line on the index."""

    link: Link
    """Its list of waiting posts."""
    waiting: int
    """How many of its posts wait."""


@dataclass(frozen=True)
class Provenance:
    """Where one queue's suggestions come from."""

    study: Link
    """The study whose coarse labels the queue refines."""
    package_commit: str
    """The commit of the study's data set the text was read from (`unknown` if none)."""
    rows: int
    """Posts in the queue file, waiting or not."""


@dataclass(frozen=True)
class HelpLabelIndex:
    """The index page."""

    areas: tuple[AreaEntry, ...]
    """Each area with posts waiting, in taxonomy order."""
    waiting: int
    """Posts waiting, over all areas."""
    left: int
    """Queued posts labeled finely since (their rows stay, counted here)."""
    sources: tuple[Provenance, ...]
    """One per queue, by study key."""


Waiting = tuple[dict[str, list[tuple[Post, QueueItem]]], int]
"""Waiting posts with their queue rows by area, and how many queued posts left."""


def waiting_posts(catalog: Catalog) -> Waiting:
    """Waiting posts with their queue rows by area, and how many queued posts left
    (computed once for the index and the area pages)."""
    by_area: dict[str, list[tuple[Post, QueueItem]]] = defaultdict(list)
    seen: set[str] = set()
    left = 0
    for items in catalog.queues.values():
        for item in items:
            if item.key in seen:  # queued by two studies: listed once
                continue
            seen.add(item.key)
            post = catalog.post(item.key)
            assert post is not None, item.key  # validate checked that it is in data/
            if catalog.queued(post):
                by_area[catalog.area(post.primary_label)].append((post, item))
            else:
                left += 1
    return by_area, left


def _order(catalog: Catalog) -> dict[str, int]:
    """Each challenge's position in the taxonomy (roots by title, children in order)."""
    return {cid: i for i, (cid, _) in enumerate(catalog.tree_order)}


def index_page(catalog: Catalog, waiting: Waiting | None = None) -> HelpLabelIndex:
    """The index: each area with its count of posts waiting, and the queues' sources."""
    by_area, left = waiting or waiting_posts(catalog)
    order = _order(catalog)
    areas = tuple(
        AreaEntry(
            Link(catalog.challenges[cid].title, Markup(f"{cid}.md")),
            len(by_area[cid]),
        )
        for cid in sorted(by_area, key=order.__getitem__)
    )
    sources = tuple(
        Provenance(
            Link(short_citation(catalog, key), Markup(f"../studies/{key}.md")),
            catalog.dataset_commit(key),
            len(items),
        )
        for key, items in catalog.queues.items()
    )
    return HelpLabelIndex(areas, sum(a.waiting for a in areas), left, sources)


def area_pages(catalog: Catalog, waiting: Waiting | None = None) -> dict[str, AreaPage]:
    """Every area's list of waiting posts, by path relative to `docs/`."""
    by_area, _ = waiting or waiting_posts(catalog)
    pages = {}
    for cid, queued in by_area.items():
        rows = [
            _row(catalog, post, item)
            for post, item in sorted(
                queued,
                key=lambda pair: (
                    pair[0].created is None,
                    -(pair[0].created.toordinal() if pair[0].created else 0),
                    pair[0].site,
                    pair[0].post_id,
                ),
            )
        ]
        title = catalog.challenges[cid].title
        pages[area_path(cid)] = AreaPage(f"Help label: {title}", _link(catalog, cid), tuple(rows))
    return pages


def _link(catalog: Catalog, cid: str) -> Link:
    link = link_to(catalog, cid, "challenges")
    return Link(catalog.challenges[cid].label, Markup(f"../challenges/{link.href}"))


def _row(catalog: Catalog, post: Post, item: QueueItem) -> QueueRow:
    below = {d for label in post.labels for d, _ in catalog.descendants(label)}
    return QueueRow(
        post=Link(post.post_id, markup.safe_url(post.url)),
        created=post.created.isoformat() if post.created else "date unknown",
        labels=tuple(_link(catalog, label) for label in post.labels),
        suggestions=tuple(_link(catalog, cid) for cid in item.suggestions if cid in below),
    )
