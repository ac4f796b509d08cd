"""What the home page and the Browse page show: the taxonomies and every challenge."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.analyze import Stats
from ..model.base import Status
from ..model.catalog import Catalog
from .common import STATUS_LABELS, Link, TreeRow, link_to, tree_rows


@dataclass(frozen=True)
class TaxonomySummary:
    """A taxonomy as listed on the home and browse pages."""

    link: Link
    """Its root page."""
    summary: str
    """Root's summary."""
    challenges: int
    """Active challenges below the root."""
    posts: int
    """Labeled posts in the taxonomy."""
    tree: tuple[TreeRow, ...]
    """Its whole tree."""


@dataclass(frozen=True)
class HomePage:
    """Context of `home.md.j2`."""

    taxonomies: tuple[TaxonomySummary, ...]
    """Every taxonomy."""
    challenges: int
    """Active challenges, roots included."""
    posts: int
    """Labeled posts."""
    frameworks: int
    """Distinct frameworks in the posts."""
    newest: str
    """Date of the newest labeled post, or an en dash."""


@dataclass(frozen=True)
class IndexRow:
    """One challenge in the A–Z table of the browse page."""

    link: Link
    """The challenge."""
    id: str
    """Its ID."""
    taxonomy: str
    """Short title of its taxonomy."""
    posts: int
    """Posts counted."""
    status: str
    """Status label."""


@dataclass(frozen=True)
class BrowsePage:
    """Context of `browse.md.j2` (the `challenges/` index page)."""

    taxonomies: tuple[TaxonomySummary, ...]
    """Every taxonomy with its tree."""
    rows: tuple[IndexRow, ...]
    """Every challenge, by title."""


def _taxonomies(catalog: Catalog, stats: Stats, from_dir: str) -> tuple[TaxonomySummary, ...]:
    return tuple(
        TaxonomySummary(
            link=link_to(catalog, root, from_dir),
            summary=catalog.challenges[root].summary,
            challenges=sum(
                catalog.challenges[n].status is Status.ACTIVE for n, _ in catalog.descendants(root)
            ),
            posts=stats.by_challenge[root].posts,
            tree=tree_rows(catalog, stats, root, from_dir),
        )
        for root in catalog.roots
    )


def home_page(catalog: Catalog, stats: Stats) -> HomePage:
    """Context of the home page."""
    return HomePage(
        taxonomies=_taxonomies(catalog, stats, ""),
        challenges=stats.active_challenges,
        posts=stats.total_posts,
        frameworks=stats.frameworks,
        newest=stats.newest.isoformat() if stats.newest else "–",
    )


def browse_page(catalog: Catalog, stats: Stats) -> BrowsePage:
    """Context of the browse page (`challenges/index.md`)."""
    order = sorted(catalog.challenges, key=lambda i: (catalog.challenges[i].title.lower(), i))
    return BrowsePage(
        taxonomies=_taxonomies(catalog, stats, "challenges"),
        rows=tuple(
            IndexRow(
                link_to(catalog, cid, "challenges"),
                cid,
                catalog.challenges[catalog.root_of(cid)].label,
                stats.by_challenge[cid].posts,
                STATUS_LABELS[catalog.challenges[cid].status],
            )
            for cid in order
        ),
    )
