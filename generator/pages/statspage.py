"""What the Statistics page shows: its charts' numbers, tables and notes."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.analyze import Stats
from ..analysis.charts import alt_text
from ..analysis.overview import Difficulty
from ..model.catalog import Catalog
from .common import Link


@dataclass(frozen=True)
class PlatformRow:
    """A top-level category's posts per platform."""

    link: Link
    """The category."""
    counts: tuple[int, ...]
    """Posts per platform, in the page's column order."""
    total: int
    """Posts in the category."""


@dataclass(frozen=True)
class YearRow:
    """Posts of one year, per taxonomy."""

    year: int
    """The year."""
    counts: tuple[int, ...]
    """Posts per taxonomy, in the page's column order."""


@dataclass(frozen=True)
class DifficultyRow:
    """The difficulty measures of one group of posts."""

    name: str
    """Category title, or "All posts"."""
    href: Markup | None
    """Link to the category."""
    posts: int
    """Posts in the group."""
    accepted: str
    """Share with an accepted answer and the number it is based on, or an en dash."""
    median_score: str
    """Median score and the number it is based on, or an en dash."""


@dataclass(frozen=True)
class StatisticsPage:
    """Context of `statistics.md.j2`."""

    categories_chart: Markup
    """Path of the posts-per-category chart."""
    categories_alt: str
    """Its alt text."""
    years_chart: Markup
    """Path of the posts-per-year chart."""
    years_alt: str
    """Its alt text."""
    platforms: tuple[str, ...]
    """Platform column headers."""
    platform_rows: tuple[PlatformRow, ...]
    """Posts per top-level category and platform."""
    taxonomies: tuple[str, ...]
    """Taxonomy column headers."""
    year_rows: tuple[YearRow, ...]
    """Posts per year and taxonomy."""
    difficulty: tuple[DifficultyRow, ...]
    """Difficulty per top-level category, then for all posts."""
    measured: bool
    """Whether any post records an answer status or a score."""


def _difficulty_row(name: str, href: Markup | None, d: Difficulty) -> DifficultyRow:
    accepted = (
        "–" if d.accepted_share is None else f"{d.accepted_share:.0%} of {d.with_answer_status}"
    )
    median = "–" if d.median_score is None else f"{d.median_score:g} (of {d.with_score})"
    return DifficultyRow(name, href, d.posts, accepted, median)


def statistics_page(catalog: Catalog, stats: Stats) -> StatisticsPage:
    """Context of the Statistics page."""
    o = stats.overview

    def link(cid: str) -> Link:
        return Link(catalog.challenges[cid].title, Markup(f"../challenges/{cid}.md"))

    return StatisticsPage(
        categories_chart=Markup("categories.svg"),
        categories_alt=alt_text(o.per_category, "the catalog"),
        years_chart=Markup("years.svg"),
        years_alt=alt_text(o.per_year, "the catalog"),
        platforms=o.platforms,
        platform_rows=tuple(
            PlatformRow(
                link(c),
                tuple(o.by_platform[c][p] for p in o.platforms),
                stats.by_challenge[c].posts,
            )
            for c in o.categories
        ),
        taxonomies=tuple(catalog.challenges[r].label for r in o.roots),
        year_rows=tuple(YearRow(y, tuple(o.by_year[r][y] for r in o.roots)) for y in o.years),
        difficulty=(
            *(
                _difficulty_row(
                    catalog.challenges[c].title, Markup(f"../challenges/{c}.md"), o.difficulty[c]
                )
                for c in o.categories
            ),
            _difficulty_row("All posts", None, o.overall),
        ),
        measured=o.overall.with_answer_status > 0 or o.overall.with_score > 0,
    )
