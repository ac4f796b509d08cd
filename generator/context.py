"""What each kind of page shows: one typed context per page kind, built from the catalog.

Owns every decision about content and order (sorting, formatting, links), so
the templates only loop, branch on presence and print. Values that carry
markup are `Markup` made by `markup`; everything else is plain data that the
template environment escapes on output.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from . import markup
from .analyze import DIRECT_LABEL, Stats, short_citation
from .catalog import Catalog
from .charts import alt_text, chart_path
from .models import Challenge, Post, Source, Status
from .vocab import SCAFFOLD_HINT

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
class Recommendation:
    """Recommendations for one audience."""

    heading: str
    """Section heading naming the audience."""
    body: Markup | None
    """Rendered prose, or None when there is no recommendation yet."""


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
    """Who labeled the posts counted on the page."""
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


def _link(catalog: Catalog, cid: str, from_dir: str) -> Link:
    prefix = "" if from_dir == "challenges" else "challenges/"
    return Link(catalog.challenges[cid].title, Markup(f"{prefix}{cid}.md"))


PAGE_TREE_DEPTH = 2
"""Levels of subcategories a challenge page lists. A root of a large taxonomy would
otherwise list every challenge in it (hundreds of rows on one page); the Browse page
has the whole tree."""


def _tree(
    catalog: Catalog, stats: Stats, cid: str, from_dir: str, max_depth: int | None = None
) -> tuple[TreeRow, ...]:
    return tuple(
        TreeRow(
            Markup("    " * (depth - 1)),
            _link(catalog, node, from_dir),
            stats.by_challenge[node].posts,
            ""
            if catalog.challenges[node].status is Status.ACTIVE
            else STATUS_LABELS[catalog.challenges[node].status],
        )
        for node, depth in catalog.descendants(cid)
        if max_depth is None or depth <= max_depth
    )


def _deeper(count: int) -> str:
    if count == 0:
        return ""
    return f"{count:,} more subcategor{'y lies' if count == 1 else 'ies lie'}"


def citation(source: Source) -> str:
    """`Authors (year). Title. Venue, pp. X.` — plain text, escaped on output."""
    authors = (
        source.authors[0] + " et al." if len(source.authors) > 2 else " and ".join(source.authors)
    )
    pages = f", pp. {source.pages}" if source.pages else ""
    arxiv = f" arXiv:{source.arxiv}." if source.arxiv else ""
    return f"{authors} ({source.year}). {source.title}. {source.venue}{pages}.{arxiv}"


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


def written(text: str | None) -> str | None:
    """`text`, unless it is missing or still the scaffold's hint (never shown to readers)."""
    return None if not text or text.startswith(SCAFFOLD_HINT) else text


def _prose_or_none(text: str | None) -> Markup | None:
    return markup.prose(text) if written(text) else None


def _example(catalog: Catalog, post: Post, cid: str) -> ExampleRow:
    return ExampleRow(
        url=markup.safe_url(post.url),
        name=f"{SITE_LABELS[post.site]} {post.post_id}",
        created=post.created.isoformat(),
        frameworks=", ".join(post.frameworks),
        score="" if post.score is None else str(post.score),
        summary=post.summary,
        primary=None
        if post.primary_label == cid
        else _link(catalog, post.primary_label, "challenges"),
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
        crumbs=tuple(_link(catalog, a, "challenges") for a in catalog.ancestors(cid)),
        status=STATUS_LABELS[c.status],
        retired=c.status is Status.RETIRED,
        successor_url=Markup(f"../{c.merged_into}/" if c.merged_into else ""),
        successor=_link(catalog, c.merged_into, "challenges") if c.merged_into else None,
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
        labelers=st.labelers,
        description=_prose_or_none(c.description),
        symptoms=tuple(s for s in c.symptoms if written(s)),
        error_messages=tuple(markup.code(m) for m in c.error_messages),
        labeling=_prose_or_none(c.labeling),
        recommendations=tuple(
            Recommendation(heading, _prose_or_none(text))
            for key, heading in AUDIENCES
            for text in [getattr(c.recommendations, key)]
        ),
        tree=_tree(catalog, stats, cid, "challenges", PAGE_TREE_DEPTH),
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
                _link(catalog, r.id, "challenges"),
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


def _taxonomies(catalog: Catalog, stats: Stats, from_dir: str) -> tuple[TaxonomySummary, ...]:
    return tuple(
        TaxonomySummary(
            link=_link(catalog, root, from_dir),
            summary=catalog.challenges[root].summary,
            challenges=sum(
                catalog.challenges[n].status is Status.ACTIVE for n, _ in catalog.descendants(root)
            ),
            posts=stats.by_challenge[root].posts,
            tree=_tree(catalog, stats, root, from_dir),
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
                _link(catalog, cid, "challenges"),
                cid,
                catalog.challenges[catalog.root_of(cid)].label,
                stats.by_challenge[cid].posts,
                STATUS_LABELS[catalog.challenges[cid].status],
            )
            for cid in order
        ),
    )


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
