"""What the page contexts share: links between pages, taxonomy trees, chart views, labels.

Every page kind has a typed context (`challenge`, `home`, `studypages`, `views`,
`matrix`, `statspage`, `datapage`, `changespage`) that owns every decision about
content and order (sorting, formatting, links), so the templates only loop, branch on
presence and print. Values that carry markup are `Markup` made by `markup`; everything
else is plain data that the template environment escapes on output. The pieces two or
more contexts use live here.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.analyze import Stats
from ..analysis.charts import alt_text, chart_path
from ..model.base import Status
from ..model.catalog import Catalog
from ..model.challenge import Source
from ..model.vocab import SCAFFOLD_HINT

SITE_LABELS = {"stackoverflow": "Stack Overflow", "github": "GitHub"}
STATUS_LABELS = {Status.ACTIVE: "Active", Status.MERGED: "Merged", Status.RETIRED: "Retired"}
AUDIENCES = (
    ("developers", "For application developers"),
    ("vendors", "For framework vendors"),
    ("researchers", "For researchers"),
)


def page_path(cid: str) -> str:
    """Path of a challenge's page relative to `docs/` (its URL is `/challenges/<ID>/`, forever)."""
    return f"challenges/{cid}.md"


@dataclass(frozen=True)
class Link:
    """A link to a page of the site."""

    text: str
    """Link text (escaped on output)."""
    href: Markup
    """Target, relative to the linking page."""


@dataclass(frozen=True)
class TreeRow:
    """One line of a rendered taxonomy tree."""

    indent: Markup
    """Spaces that nest the list item at its depth."""
    link: Link
    """The challenge."""
    posts: int
    """Posts counted under it, descendants included."""
    status: str
    """Empty for active challenges, else the status label."""


@dataclass(frozen=True)
class FrequencyRow:
    """One row of a chart's data table."""

    label: str
    """Category title or year."""
    href: Markup | None
    """Link to the category's page, if it is one."""
    posts: int
    """Count shown by the bar."""


@dataclass(frozen=True)
class ChartView:
    """A chart and the same numbers as a table."""

    src: Markup
    """Image path relative to the page."""
    alt: str
    """Alt text describing what the chart shows."""
    heading: str
    """Section heading."""
    column: str
    """Header of the table's first column."""
    rows: tuple[FrequencyRow, ...]
    """The chart's numbers."""
    note: str
    """Caveat on how to read the numbers (may be empty)."""


@dataclass(frozen=True)
class Recommendation:
    """Recommendations for one audience."""

    heading: str
    """Section heading naming the audience."""
    body: Markup | None
    """Rendered prose, or None when there is no recommendation yet."""


def link_to(catalog: Catalog, cid: str, from_dir: str) -> Link:
    prefix = "" if from_dir == "challenges" else "challenges/"
    return Link(catalog.challenges[cid].title, Markup(f"{prefix}{cid}.md"))


def tree_rows(
    catalog: Catalog, stats: Stats, cid: str, from_dir: str, max_depth: int | None = None
) -> tuple[TreeRow, ...]:
    return tuple(
        TreeRow(
            Markup("    " * (depth - 1)),
            link_to(catalog, node, from_dir),
            stats.by_challenge[node].posts,
            ""
            if catalog.challenges[node].status is Status.ACTIVE
            else STATUS_LABELS[catalog.challenges[node].status],
        )
        for node, depth in catalog.descendants(cid)
        if max_depth is None or depth <= max_depth
    )


def citation(source: Source) -> str:
    """`Authors (year). Title. Venue, pp. X.` — plain text, escaped on output."""
    authors = (
        source.authors[0] + " et al." if len(source.authors) > 2 else " and ".join(source.authors)
    )
    pages = f", pp. {source.pages}" if source.pages else ""
    arxiv = f" arXiv:{source.arxiv}." if source.arxiv else ""
    return f"{authors} ({source.year}). {source.title}. {source.venue}{pages}.{arxiv}"


def written(text: str | None) -> str | None:
    """`text`, unless it is missing or still the scaffold's hint (never shown to readers)."""
    return None if not text or text.startswith(SCAFFOLD_HINT) else text


def study_path(key: str) -> str:
    """Path of a study's page relative to `docs/` (URL `/studies/<key>/`)."""
    return f"studies/{key}.md"


def reported_chart(freq, title: str, cid: str, prefix: str) -> ChartView:
    """The chart and table of a study's reported counts for `cid`'s children."""
    return ChartView(
        src=Markup(prefix + chart_path(cid, cited=True).removeprefix("challenges/")),
        alt=alt_text(freq, title),
        heading=f"Posts per subcategory as reported by {freq.cited}",
        column="Subcategory",
        rows=tuple(
            FrequencyRow(label, Markup(f"{prefix}{i}.md"), value)
            for label, value, i in zip(freq.labels, freq.values, freq.ids, strict=True)
        ),
        note=(
            f"These are the counts {freq.cited} reports, not counts of the catalog's own "
            "labeled posts; see the references for whether they have been checked."
        ),
    )
