"""What a challenge's page shows: its typed context, built from the catalog.

Owns the content and order of a challenge page: the card, the prose, the chart, the
example posts, the references and the citation box. Like every page context, it decides;
the template only prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.analyze import DIRECT_LABEL, Stats, short_citation
from ..analysis.charts import alt_text, chart_path
from ..model.base import Status
from ..model.catalog import Catalog
from ..model.challenge import Challenge, Source
from ..model.post import Post
from . import markup
from .common import (
    AUDIENCES,
    SITE_LABELS,
    STATUS_LABELS,
    ChartView,
    FrequencyRow,
    Link,
    Recommendation,
    TreeRow,
    citation,
    link_to,
    reported_chart,
    study_path,
    tree_rows,
    written,
)


@dataclass(frozen=True)
class ExampleRow:
    """One example post."""

    url: Markup
    """The post's URL (validated http(s))."""
    name: str
    """Site and ID, e.g. `GitHub onnx/onnx#4065`, leading the line of details under the summary."""
    created: str
    """Creation date, ISO format."""
    frameworks: str
    """Frameworks, comma-separated."""
    score: str
    """Score, or empty where the site has none (the page then leaves it out)."""
    summary: str
    """Our one-line summary, the link text of the post's URL."""
    primary: Link | None
    """The post's primary label when it is another challenge (None when it is this one)."""


@dataclass(frozen=True)
class ReferenceRow:
    """One cited source."""

    citation: str
    """Formatted citation."""
    doi: Markup | None
    """DOI URL, if any."""
    doi_text: str
    """The DOI itself, as link text (empty without one)."""
    locator: str
    """Section or table cited, or empty."""
    checked: bool
    """Whether the cited content was verified against the source."""


@dataclass(frozen=True)
class RelatedRow:
    """A related challenge."""

    link: Link
    """The related challenge."""
    taxonomy: str
    """Short title of its taxonomy."""
    note: str
    """How they relate (may be empty)."""


@dataclass(frozen=True)
class ChallengePage:
    """Context of `challenge.md.j2`: everything on one challenge's page."""

    id: str
    """Permanent ID."""
    title: str
    """Current title."""
    summary: str
    """One-sentence summary (also the page's meta description)."""
    tags: tuple[str, ...]
    """Material tags: the taxonomy's short title, and the status when not active."""
    is_root: bool
    """Whether this is a taxonomy root (its page shows the whole tree)."""
    crumbs: tuple[Link, ...]
    """Ancestors from the root down."""
    status: str
    """Status label."""
    retired: bool
    """Whether the challenge is retired (the page stays, with a notice)."""
    successor: Link | None
    """The challenge this one was merged into."""
    successor_url: Markup
    """Its URL relative to this page's URL (for the redirect), or empty."""
    posts: int
    """Posts counted, descendants included."""
    direct: int
    """Posts labeled with exactly this challenge."""
    newest: str
    """Newest post's date, or an en dash."""
    unchecked: bool
    """True when some cited content is not yet verified against its source."""
    former_titles: tuple[str, ...]
    """Former titles, so search still finds the page by them."""
    contributors: tuple[str, ...]
    """Who wrote or revised the page."""
    updated: str
    """When the challenge's file last changed (ISO date), or empty outside git."""
    taxonomy: str
    """Short title of the taxonomy, in the body so that search finds it (tags are not)."""
    trend: Markup
    """Sparkline of posts per year (empty without posts)."""
    quality: str
    """Label-quality signals: labelers and share of posts with a primary label here."""
    labelers: tuple[str, ...]
    """Who labeled the posts counted on the page (a study by its short citation)."""
    description: Markup | None
    """Rendered description."""
    symptoms: tuple[str, ...]
    """Observations that reveal the challenge."""
    error_messages: tuple[Markup, ...]
    """Typical error messages, each as inline code."""
    labeling: Markup | None
    """Rendered labeling guidance."""
    recommendations: tuple[Recommendation, ...]
    """One entry per audience, always three."""
    tree: tuple[TreeRow, ...]
    """The subtree below this challenge, `PAGE_TREE_DEPTH` levels deep."""
    deeper: str
    """"12 more subcategories lie" below the listed ones (the Browse page lists them), or
    empty when the tree is complete."""
    chart: ChartView
    """Frequency chart and table."""
    study: Link | None
    """The page of the study whose taxonomy this challenge belongs to."""
    reported: str
    """Posts the study reports for this category, as text ("1,533"), or empty."""
    reported_by: str
    """Short citation of the study that reports `reported`, or empty."""
    reported_checked: bool
    """Whether `reported` was read in the study itself."""
    reported_chart: ChartView | None
    """The study's reported counts for the children, if any."""
    examples: tuple[ExampleRow, ...]
    """Example posts shown."""
    examples_total: int
    """Posts the examples were chosen from."""
    related: tuple[RelatedRow, ...]
    """Related challenges."""
    references: tuple[ReferenceRow, ...]
    """Cited sources."""
    cite_text: str
    """How to cite this challenge, as plain text."""
    cite_bibtex: Markup
    """How to cite this challenge, as a BibTeX code block."""


PAGE_TREE_DEPTH = 2
"""Levels of subcategories a challenge page lists. A root of a large taxonomy would
otherwise list every challenge in it (hundreds of rows on one page); the Browse page
has the whole tree."""


def _deeper(count: int) -> str:
    if count == 0:
        return ""
    return f"{count:,} more subcategor{'y lies' if count == 1 else 'ies lie'}"


def _posts_per_year(catalog: Catalog, stats: Stats, cid: str) -> dict[int, int]:
    """Posts per year counted under `cid`, over the catalog's whole span of years."""
    counts = {year: 0 for year in stats.overview.years}
    for value, per_challenge in stats.facets["year"].items():
        counts[int(value)] = per_challenge.get(cid, 0)
    return counts


def _reference(source: Source, locator: str | None, checked: bool) -> ReferenceRow:
    doi = markup.safe_url(f"https://doi.org/{source.doi}") if source.doi else None
    return ReferenceRow(citation(source), doi, source.doi or "", written(locator) or "", checked)


CATALOG_AUTHOR = "DL Challenge Catalog contributors"


def _edition(catalog: Catalog) -> tuple[str, str]:
    release = catalog.release
    if release is None:
        return "unreleased version", ""
    return f"version {release.version}", release.date_released.isoformat()


def cite_text(catalog: Catalog, c: Challenge) -> str:
    """`DL Challenge Catalog contributors. “Title” (DLC-0005). DL Challenge Catalog, …`."""
    edition, released = _edition(catalog)
    when = f", {released}" if released else ""
    return f"{CATALOG_AUTHOR}. “{c.title}” ({c.id}). DL Challenge Catalog, {edition}{when}."


def cite_bibtex(catalog: Catalog, c: Challenge) -> str:
    """A `@misc` BibTeX entry for one challenge, keyed by its permanent ID."""
    edition, released = _edition(catalog)
    lines = [
        f"@misc{{{c.id},",
        f"  author = {{{{{CATALOG_AUTHOR}}}}},",
        f"  title = {{{{{c.title}}} ({c.id})}},",
        f"  howpublished = {{DL Challenge Catalog, {edition}}},",
    ]
    if released:
        lines.append(f"  year = {{{released[:4]}}},")
        lines.append(f"  note = {{Released {released}}},")
    return "\n".join([*lines, "}"])


def _prose_or_none(text: str | None) -> Markup | None:
    return markup.prose(text) if written(text) else None


def _example(catalog: Catalog, post: Post, cid: str) -> ExampleRow:
    return ExampleRow(
        url=markup.safe_url(post.url),
        name=f"{SITE_LABELS[post.site]} {post.post_id}",
        created=post.created.isoformat() if post.created else "date unknown",
        frameworks=", ".join(post.frameworks),
        score="" if post.score is None else str(post.score),
        summary=post.summary,
        primary=None
        if post.primary_label == cid
        else link_to(catalog, post.primary_label, "challenges"),
    )


def challenge_page(catalog: Catalog, stats: Stats, cid: str) -> ChallengePage:
    """Context of one challenge's page."""
    c: Challenge = catalog.challenges[cid]
    st = stats.by_challenge[cid]
    root = catalog.challenges[catalog.root_of(cid)]
    freq = st.frequency
    chart = ChartView(
        # The page lives in challenges/, so the chart's path is relative to that folder.
        src=Markup(chart_path(cid).removeprefix("challenges/")),
        alt=alt_text(freq, c.title),
        heading="Posts per subcategory" if freq.kind == "children" else "Posts per year",
        column="Subcategory" if freq.kind == "children" else "Year",
        rows=tuple(
            FrequencyRow(label, None if i is None else Markup(f"{i}.md"), value)
            for label, value, i in zip(freq.labels, freq.values, freq.ids, strict=True)
        ),
        note=(
            "A post labeled with several subcategories counts once in each, so the rows "
            f"can add up to more than {st.posts}. “{DIRECT_LABEL}” counts posts labeled "
            "with this category but none of its subcategories."
            if freq.kind == "children"
            else ""
        ),
    )
    tags = [root.label] + ([] if c.status is Status.ACTIVE else [STATUS_LABELS[c.status]])
    study_key, category = catalog.study_category.get(cid, ("", None))
    st_years = _posts_per_year(catalog, stats, cid)
    has_count = category is not None and category.reported_posts is not None
    return ChallengePage(
        id=c.id,
        title=c.title,
        summary=written(c.summary) or "",
        tags=tuple(tags),
        is_root=c.parent is None,
        crumbs=tuple(link_to(catalog, a, "challenges") for a in catalog.ancestors(cid)),
        status=STATUS_LABELS[c.status],
        retired=c.status is Status.RETIRED,
        successor_url=Markup(f"../{c.merged_into}/" if c.merged_into else ""),
        successor=link_to(catalog, c.merged_into, "challenges") if c.merged_into else None,
        posts=st.posts,
        direct=st.direct,
        newest=st.newest.isoformat() if st.newest else "–",
        unchecked=not all(ref.checked for ref in c.references),
        former_titles=tuple(c.former_titles),
        contributors=tuple(c.contributors),
        updated=catalog.changed[cid].isoformat() if cid in catalog.changed else "",
        taxonomy=root.label,
        trend=markup.sparkline(
            tuple(st_years.values()),
            "Posts per year: " + ", ".join(f"{y}: {n}" for y, n in st_years.items() if n),
        ),
        quality=(
            f"{len(st.labelers)} labeler{'s' * (len(st.labelers) != 1)}; "
            f"{st.primary / st.posts:.0%} of the posts have their primary label here"
            if st.posts
            else ""
        ),
        # A study's own labels are credited to the study, by its short citation.
        labelers=tuple(
            short_citation(catalog, name) if name in catalog.sources else name
            for name in st.labelers
        ),
        description=_prose_or_none(c.description),
        symptoms=tuple(s for s in c.symptoms if written(s)),
        error_messages=tuple(markup.code(m) for m in c.error_messages),
        labeling=_prose_or_none(c.labeling),
        recommendations=tuple(
            Recommendation(heading, _prose_or_none(text))
            for key, heading in AUDIENCES
            for text in [getattr(c.recommendations, key)]
        ),
        tree=tree_rows(catalog, stats, cid, "challenges", PAGE_TREE_DEPTH),
        deeper=_deeper(sum(depth > PAGE_TREE_DEPTH for _, depth in catalog.descendants(cid))),
        chart=chart,
        study=next(
            (
                Link(short_citation(catalog, key), Markup(f"../{study_path(key)}"))
                for key, s in catalog.studies.items()
                if s.root == catalog.root_of(cid)
            ),
            None,
        ),
        reported=f"{category.reported_posts:,}" if has_count else "",
        reported_by=short_citation(catalog, study_key) if has_count else "",
        reported_checked=has_count and category.checked,
        reported_chart=reported_chart(stats.reported[cid], c.title, cid, "")
        if cid in stats.reported
        else None,
        examples=tuple(_example(catalog, p, cid) for p in st.examples),
        examples_total=st.posts,
        related=tuple(
            RelatedRow(
                link_to(catalog, r.id, "challenges"),
                catalog.challenges[catalog.root_of(r.id)].label,
                r.note or "",
            )
            for r in c.related
        ),
        references=tuple(
            _reference(catalog.sources[ref.source], ref.locator, ref.checked)
            for ref in c.references
        ),
        cite_text=cite_text(catalog, c),
        cite_bibtex=markup.code_block(cite_bibtex(catalog, c), "bibtex"),
    )
