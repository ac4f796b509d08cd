"""Cross-cutting views: the recommendations per audience, the facet pages and the filter.

Owns what the audience pages (every recommendation for one audience, grouped by
challenge), the facet pages (challenges by framework, platform and year) and the
in-browser filter's page and index show. Like every page context (see `common`), it
decides content and order; the templates only print.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.analyze import Stats
from ..model.base import Status
from ..model.catalog import Catalog
from . import markup
from .common import AUDIENCES, Link, written

FACET_KINDS = (("framework", "Framework"), ("platform", "Platform"), ("year", "Year"))
"""Facet kinds, in the order the facet index shows them, with their headings."""


def audience_path(key: str) -> str:
    """`audiences/developers.md` and so on, relative to `docs/`."""
    return f"audiences/{key}.md"


def facet_path(kind: str, value: str) -> str:
    """`facets/framework/tf-lite.md` and so on, relative to `docs/`."""
    return f"facets/{kind}/{markup.slug(value)}.md"


@dataclass(frozen=True)
class AudienceEntry:
    """One challenge's recommendation for the audience."""

    link: Link
    """The challenge."""
    taxonomy: str
    """Short title of its taxonomy."""
    body: Markup
    """The rendered recommendation."""


@dataclass(frozen=True)
class AudiencePage:
    """Context of `audience.md.j2`."""

    key: str
    """`developers`, `vendors` or `researchers`."""
    heading: str
    """E.g. "For application developers"."""
    entries: tuple[AudienceEntry, ...]
    """Challenges with a recommendation for this audience, in taxonomy order."""
    missing: int
    """Active challenges with no recommendation for this audience yet."""
    others: tuple[Link, ...]
    """The other audience pages."""


@dataclass(frozen=True)
class FacetRow:
    """A challenge on a facet page."""

    indent: Markup
    """Non-breaking spaces that show the challenge's depth."""
    link: Link
    """The challenge."""
    posts: int
    """Posts with this facet value counted under the challenge."""
    share: str
    """Those posts as a share of all the challenge's posts."""


@dataclass(frozen=True)
class FacetPage:
    """Context of `facet.md.j2`: one facet value, e.g. framework = TF Lite."""

    kind: str
    """Heading of the facet kind ("Framework")."""
    noun: str
    """The kind in running text ("framework")."""
    value: str
    """The value ("TF Lite")."""
    title: str
    """Page title ("Framework: TF Lite")."""
    description: str
    """Meta description of the page."""
    posts: int
    """Distinct posts with this value."""
    rows: tuple[FacetRow, ...]
    """Challenges with such posts, in taxonomy order."""


@dataclass(frozen=True)
class FacetValue:
    """A value on the facet index."""

    link: Link
    """Its facet page."""
    posts: int
    """Distinct posts with the value."""


@dataclass(frozen=True)
class FacetGroup:
    """One facet kind on the facet index."""

    heading: str
    """"Framework", "Platform" or "Year"."""
    values: tuple[FacetValue, ...]
    """Its values, most posts first (years in order)."""


@dataclass(frozen=True)
class FacetsPage:
    """Context of `facets.md.j2`."""

    groups: tuple[FacetGroup, ...]
    """Every facet kind."""


def audience_page(catalog: Catalog, key: str) -> AudiencePage:
    """Every recommendation for one audience, grouped by challenge."""
    headings = dict(AUDIENCES)
    entries, missing = [], 0
    for cid, _ in catalog.tree_order:
        c = catalog.challenges[cid]
        if c.status is not Status.ACTIVE:
            continue
        text = written(getattr(c.recommendations, key))
        if text is None:
            missing += 1
            continue
        entries.append(
            AudienceEntry(
                Link(c.title, Markup(f"../challenges/{cid}.md")),
                catalog.challenges[catalog.root_of(cid)].label,
                markup.prose(text, challenges_prefix="../challenges/"),
            )
        )
    return AudiencePage(
        key=key,
        heading=headings[key],
        entries=tuple(entries),
        missing=missing,
        others=tuple(Link(h, Markup(f"{k}.md")) for k, h in AUDIENCES if k != key),
    )


FacetTree = tuple[tuple[str, Markup, Link], ...]
"""Each challenge in tree order with its indent and link on a facet page."""


def facet_tree(catalog: Catalog) -> FacetTree:
    """What every facet page's rows share: made once for the thirty or so facet pages."""
    return tuple(
        (
            cid,
            Markup("&nbsp;" * 4 * depth),
            Link(catalog.challenges[cid].title, Markup(f"../../challenges/{cid}.md")),
        )
        for cid, depth in catalog.tree_order
    )


def facet_page(
    catalog: Catalog, stats: Stats, kind: str, value: str, tree: FacetTree | None = None
) -> FacetPage:
    """The challenges that posts with one facet value are labeled with; `tree` is
    `facet_tree(catalog)`, when the caller made it already."""
    counts = stats.facets[kind][value]
    by_challenge = stats.by_challenge
    rows = [
        FacetRow(indent, link, counts[cid], f"{counts[cid] / by_challenge[cid].posts:.0%}")
        for cid, indent, link in tree or facet_tree(catalog)
        if cid in counts
    ]
    heading = dict(FACET_KINDS)[kind]
    return FacetPage(
        kind=heading,
        noun=heading.lower(),
        value=value,
        title=f"{heading}: {value}",
        description=f"The challenges of labeled posts with {heading.lower()} {value}.",
        posts=stats.facet_totals[kind][value],
        rows=tuple(rows),
    )


def _ordered(kind: str, totals: dict[str, int]) -> list[str]:
    """Facet values as readers scan them: years in order, others by posts, most first."""
    if kind == "year":
        return sorted(totals)
    return sorted(totals, key=lambda v: (-totals[v], v.lower()))


def facets_page(stats: Stats) -> FacetsPage:
    """Every facet value with its post count."""
    groups = []
    for kind, heading in FACET_KINDS:
        totals = stats.facet_totals[kind]
        order = _ordered(kind, totals)
        groups.append(
            FacetGroup(
                heading,
                tuple(
                    FacetValue(
                        Link(value, Markup(facet_path(kind, value).removeprefix("facets/"))),
                        totals[value],
                    )
                    for value in order
                ),
            )
        )
    return FacetsPage(tuple(groups))


@dataclass(frozen=True)
class FilterSelect:
    """One drop-down of the filter form."""

    name: str
    """Form field name: `platform`, `framework` or `year`."""
    label: str
    """Visible label."""
    options: Markup
    """The `<option>` elements, HTML-escaped (the form is a raw HTML block)."""


@dataclass(frozen=True)
class FilterPage:
    """Context of `filter.md.j2`."""

    selects: tuple[FilterSelect, ...]
    """One drop-down per facet kind."""


FILTER_INDEX = "data/filter-index.json"
"""The filter's data, relative to `docs/`."""

FILTER_FORMAT = 2
"""Version of `filter_index`'s layout; filter.js refuses any other, so a stale cached
script never miscounts a newer index (format 1, one object per post, had no field)."""


def filter_page(stats: Stats) -> FilterPage:
    """The filter form, with every facet value as an option."""
    selects = []
    for kind, heading in FACET_KINDS:
        totals = stats.facet_totals[kind]
        order = _ordered(kind, totals)
        options = ['<option value="">any</option>'] + [
            f'<option value="{html.escape(v)}">{html.escape(v)} ({totals[v]})</option>'
            for v in order
        ]
        selects.append(FilterSelect(kind, heading, Markup("".join(options))))
    return FilterPage(tuple(selects))


def filter_index(catalog: Catalog) -> str:
    """The posts' facets and labels, and each challenge's ancestors, for the browser filter.

    The filter only asks which posts match a year, a platform and a framework, so posts
    are grouped by those facets and each group is written once as `[year, platform,
    [framework, ...], [labels, ...]]`: platforms, frameworks and labels are indexes into
    the value tables, and a post's labels are one index, or a list when it has several.
    One object per post made 9 MB at 100,000 synthetic posts; this makes 0.7 MB. Tables,
    groups and each group's posts are sorted, so the same catalog gives the same bytes.
    """
    # Each distinct set of frameworks or labels is turned into indexes once (a catalog
    # has far fewer of them than posts): this runs after every save in `catalog serve`.
    facts = [
        (
            p.created.year if p.created else None,
            p.platform,
            tuple(sorted(set(p.frameworks))),
            tuple(sorted(set(p.labels))),
        )
        for p in catalog.posts
    ]
    platforms = sorted({f[1] for f in facts})
    frameworks = sorted({fw for combo in {f[2] for f in facts} for fw in combo})
    labels = sorted({x for combo in {f[3] for f in facts} for x in combo})
    platform_at = {v: i for i, v in enumerate(platforms)}
    framework_at = {v: i for i, v in enumerate(frameworks)}
    label_at = {v: i for i, v in enumerate(labels)}
    framework_sets = {c: tuple(framework_at[f] for f in c) for c in {f[2] for f in facts}}
    label_sets = {c: tuple(label_at[x] for x in c) for c in {f[3] for f in facts}}
    groups: dict[tuple[int, int, tuple[int, ...]], list[tuple[int, ...]]] = {}
    for year, platform, fws, labs in facts:
        key = (year, platform_at[platform], framework_sets[fws])
        groups.setdefault(key, []).append(label_sets[labs])
    index = {
        "format": FILTER_FORMAT,
        "challenges": {
            cid: {"title": c.title, "ancestors": catalog.ancestors(cid)}
            for cid, c in catalog.challenges.items()
        },
        "platforms": platforms,
        "frameworks": frameworks,
        "labels": labels,
        "groups": [
            [year, platform, list(fws), [x[0] if len(x) == 1 else list(x) for x in sorted(posts)]]
            # Posts of unknown date come last, with a null year that no chosen year matches.
            for (year, platform, fws), posts in sorted(
                groups.items(), key=lambda item: (item[0][0] is None, item)
            )
        ],
    }
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def filter_counts(index: dict, **chosen: str) -> dict[str, int]:
    """What the browser filter computes (filter.js), in Python: posts matching every
    chosen facet, counted under their labels and those labels' ancestors, each challenge
    once per post (a post labeled with two siblings counts once for their parent).

    Raises `ValueError` for an index of another format, as filter.js refuses it."""
    if index.get("format") != FILTER_FORMAT:
        raise ValueError(
            f"filter index has format {index.get('format')!r}; expected {FILTER_FORMAT}"
        )
    counts: dict[str, int] = {}
    for year, platform, frameworks, posts in index["groups"]:
        if chosen.get("platform") and index["platforms"][platform] != chosen["platform"]:
            continue
        if chosen.get("year") and str(year) != chosen["year"]:
            continue
        if chosen.get("framework") and chosen["framework"] not in [
            index["frameworks"][f] for f in frameworks
        ]:
            continue
        for post in posts:
            labels = [index["labels"][x] for x in (post if isinstance(post, list) else [post])]
            reached = {
                a for label in labels for a in [label, *index["challenges"][label]["ancestors"]]
            }
            for cid in reached:
                counts[cid] = counts.get(cid, 0) + 1
    return counts
