"""What the study pages and the "help verify" page show: typed contexts built from the catalog.

Owns the pages about the founding studies (method, findings, reported figures,
expected categories, BibTeX) and the list of every fact not yet checked
against its source. Like every page context (see `common`), it decides content and order; templates
only print.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.analyze import Stats, short_citation
from ..analysis.studydata import Recomputed, recompute
from ..model.catalog import Catalog
from ..model.challenge import Source
from ..model.study import StudyCategory
from . import markup
from .common import AUDIENCES, ChartView, Link, Recommendation, citation, reported_chart, study_path

VERIFY_PAGE = "verify.md"
"""The page listing every unchecked fact, relative to `docs/`."""


@dataclass(frozen=True)
class FigureRow:
    """A figure the study reports."""

    label: str
    """What the figure is."""
    value: str
    """The figure as printed."""
    locator: str
    """Where in the study."""
    checked: bool
    """Read in the study itself."""
    via: str
    """Secondary source, or empty."""


@dataclass(frozen=True)
class TableView:
    """A table of facts from the study."""

    title: str
    """Caption."""
    header: tuple[str, ...]
    """Column headers."""
    rows: tuple[tuple[str, ...], ...]
    """Cells."""
    locator: str
    """Where in the study."""
    checked: bool
    """Every cell read in the study itself."""
    via: str
    """Secondary source, or empty."""


@dataclass(frozen=True)
class CategoryRow:
    """A category of the study's taxonomy."""

    indent: Markup
    """Non-breaking spaces that show the category's depth."""
    name: str
    """The study's name for it."""
    link: Link
    """The catalog challenge that represents it."""
    reported: str
    """The share (or else the count of posts) the study reports, or an en dash."""
    recomputed: str
    """The same figure recomputed from the study's labeled data, or an en dash."""
    unanswered: str
    """Share of the study's posts there without an accepted answer, recomputed, or a dash."""
    discrepancy: str
    """Why the two differ, when that is a known discrepancy; else empty."""
    labeled: int
    """Posts labeled with it in the catalog (descendants included)."""
    checked: bool
    """Name and count read in the study itself."""


@dataclass(frozen=True)
class StudyPage:
    """Context of `study.md.j2`."""

    key: str
    """Source key."""
    title: str
    """The study's title."""
    short: str
    """Short citation, e.g. `Chen et al. (2020)`."""
    citation: str
    """Full citation."""
    doi: Markup | None
    """DOI URL."""
    doi_text: str
    """DOI as text (empty without one)."""
    arxiv: Markup | None
    """arXiv abstract URL."""
    arxiv_text: str
    """arXiv ID (empty without one)."""
    summary: str
    """What the study did."""
    taxonomy: Link
    """The study's taxonomy root in the catalog."""
    unchecked: bool
    """Some figure, table or category is not yet checked against the study."""
    method: Markup
    """Rendered method section."""
    findings: Markup
    """Rendered findings section."""
    implications: tuple[Recommendation, ...]
    """What the findings mean for each audience."""
    notes: Markup | None
    """Rendered notes, if any."""
    data_terms: Markup | None
    """Rendered terms of the study's own data, if recorded."""
    figures: tuple[FigureRow, ...]
    """Reported figures."""
    tables: tuple[TableView, ...]
    """Tables of facts."""
    categories: tuple[CategoryRow, ...]
    """The study's categories in taxonomy order."""
    chart: ChartView | None
    """Reported counts of the root's children, if the study reports them."""
    bibtex: Markup
    """A BibTeX entry, as a code block."""


@dataclass(frozen=True)
class StudyIndexRow:
    """A study on the studies index."""

    link: Link
    """Its page."""
    citation: str
    """Full citation."""
    summary: str
    """What it did."""


@dataclass(frozen=True)
class StudiesPage:
    """Context of `studies.md.j2` (the `studies/` index)."""

    studies: tuple[StudyIndexRow, ...]
    """Every study."""


@dataclass(frozen=True)
class VerifyRow:
    """One fact not yet checked against its source."""

    link: Link
    """The page that shows it."""
    what: str
    """The fact, briefly."""
    source: str
    """Short citation of the source to check against."""
    locator: str
    """Where in the source to look."""
    via: str
    """Where it was taken from instead, or empty."""


@dataclass(frozen=True)
class VerifyPage:
    """Context of `verify.md.j2`: every unchecked fact, to invite verification."""

    rows: tuple[VerifyRow, ...]
    """Unchecked facts, by source then page."""


def bibtex(key: str, source: Source) -> str:
    """A BibTeX entry built from the bibliography (values never contain braces)."""
    fields = [
        ("author", " and ".join(source.authors)),
        ("title", source.title),
        ("booktitle", source.venue),
        ("year", str(source.year)),
        ("pages", (source.pages or "").replace("–", "--")),
        ("doi", source.doi or ""),
        ("eprint", source.arxiv or ""),
    ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@inproceedings{{{key},\n{body}}}"


def _prose(text: str) -> Markup:
    # A study's page is docs/studies/<key>.md: challenge links go up to docs/challenges/.
    return markup.prose(text, challenges_prefix="../challenges/")


def _reported(c: StudyCategory) -> str:
    if c.reported_share is not None and c.reported_posts is None:
        return c.reported_share
    return "–" if c.reported_posts is None else f"{c.reported_posts:,}"


def _recomputed(c: StudyCategory, again: Recomputed) -> str:
    """The recomputed figure that compares with what `_reported` prints."""
    if c.reported_share is not None and c.reported_posts is None:
        return again.share or "–"
    return f"{again.posts:,}" if again.posts else "–"


def study_page(catalog: Catalog, stats: Stats, key: str) -> StudyPage:
    """Context of one study's page."""
    study = catalog.studies[key]
    source = catalog.sources[key]
    depth = {study.root: 0} | dict(catalog.descendants(study.root))
    order = {cid: i for i, cid in enumerate(depth)}
    categories = sorted(study.categories, key=lambda c: (order.get(c.id, len(order)), c.id))
    freq = stats.reported.get(study.root)
    again = recompute(catalog, key)
    known = {d.code: d.note for d in study.known_discrepancies}
    return StudyPage(
        key=key,
        title=source.title,
        short=short_citation(catalog, key),
        citation=citation(source),
        doi=markup.safe_url(f"https://doi.org/{source.doi}") if source.doi else None,
        doi_text=source.doi or "",
        arxiv=markup.safe_url(f"https://arxiv.org/abs/{source.arxiv}") if source.arxiv else None,
        arxiv_text=source.arxiv or "",
        summary=study.summary,
        taxonomy=Link(
            catalog.challenges[study.root].title, Markup(f"../challenges/{study.root}.md")
        ),
        unchecked=not all(
            item.checked for item in (*study.figures, *study.tables, *study.categories)
        ),
        method=_prose(study.method),
        findings=_prose(study.findings),
        implications=tuple(
            Recommendation(heading, _prose(text) if text else None)
            for key_, heading in AUDIENCES
            for text in [getattr(study.implications, key_)]
        ),
        notes=_prose(study.notes) if study.notes else None,
        data_terms=_prose(study.data_terms) if study.data_terms else None,
        figures=tuple(
            FigureRow(f.label, f.value, f.locator, f.checked, f.via or "") for f in study.figures
        ),
        tables=tuple(
            TableView(
                t.title,
                tuple(t.columns),
                tuple(tuple(r) for r in t.rows),
                t.locator,
                t.checked,
                t.via or "",
            )
            for t in study.tables
        ),
        categories=tuple(
            CategoryRow(
                indent=Markup("&nbsp;" * 4 * max(depth.get(c.id, 1) - 1, 0)),
                name=c.name,
                link=Link(catalog.challenges[c.id].title, Markup(f"../challenges/{c.id}.md")),
                reported=_reported(c),
                recomputed=_recomputed(c, again[c.id]),
                unanswered=again[c.id].unanswered or "–",
                discrepancy=known.get(c.code or "", ""),
                labeled=stats.by_challenge[c.id].posts,
                checked=c.checked,
            )
            for c in categories
        ),
        chart=None
        if freq is None
        else reported_chart(
            freq, catalog.challenges[study.root].title, study.root, "../challenges/"
        ),
        bibtex=markup.code_block(bibtex(key, source), "bibtex"),
    )


def studies_page(catalog: Catalog) -> StudiesPage:
    """Context of the studies index."""
    return StudiesPage(
        tuple(
            StudyIndexRow(
                Link(catalog.sources[key].title, Markup(f"{key}.md")),
                citation(catalog.sources[key]),
                study.summary,
            )
            for key, study in catalog.studies.items()
        )
    )


def verify_page(catalog: Catalog) -> VerifyPage:
    """Every fact marked `checked: false`, with where to check it."""
    rows: list[tuple[str, VerifyRow]] = []
    for key, study in catalog.studies.items():
        page = Link(f"Study: {short_citation(catalog, key)}", Markup(study_path(key)))
        short = short_citation(catalog, key)
        for f in study.figures:
            if not f.checked:
                rows.append(
                    (key, VerifyRow(page, f"{f.label}: {f.value}", short, f.locator, f.via or ""))
                )
        for t in study.tables:
            if not t.checked:
                rows.append(
                    (key, VerifyRow(page, f"Table: {t.title}", short, t.locator, t.via or ""))
                )
        for c in study.categories:
            if not c.checked:
                count = "" if c.reported_posts is None else f" ({c.reported_posts:,} posts)"
                rows.append(
                    (
                        key,
                        VerifyRow(
                            Link(catalog.challenges[c.id].title, Markup(f"challenges/{c.id}.md")),
                            f"Category “{c.name}”{count}",
                            short,
                            c.locator,
                            c.via or "",
                        ),
                    )
                )
    for cid, challenge in catalog.challenges.items():
        for ref in challenge.references:
            if not ref.checked:
                rows.append(
                    (
                        ref.source,
                        VerifyRow(
                            Link(challenge.title, Markup(f"challenges/{cid}.md")),
                            "What the page attributes to this source",
                            short_citation(catalog, ref.source),
                            ref.locator or "",
                            "",
                        ),
                    )
                )
    rows.sort(key=lambda item: (item[0], item[1].link.href, item[1].what))
    return VerifyPage(tuple(row for _, row in rows))
