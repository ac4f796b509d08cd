"""Stage 5, render: fill the Markdown templates with the page contexts.

Owns the Jinja2 environment. Templates are logic-free: they loop, branch on
presence and print fields of a typed context (see `common`). Escaping is
automatic: `finalize` runs every printed value through `markup.md_text`
unless it is already `Markup`, so a template cannot forget to escape
contributed text. `StrictUndefined` turns a missing field into an error.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Collection
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..analysis import changes, progress
from ..analysis.analyze import Stats
from ..inputs.memo import Memo
from ..model.catalog import Catalog
from . import (
    challenge,
    changespage,
    common,
    datapage,
    helplabel,
    home,
    markup,
    matrix,
    schemas,
    statspage,
    studypages,
    views,
)

TEMPLATE_DIR = Path(__file__).parent / "templates"


def _finalize(value: object) -> object:
    # Called for every printed value (hundreds of thousands on a large catalog): the two
    # common kinds are tested first, by exact type.
    kind = type(value)
    if kind is Markup:
        return value
    if kind is str:
        return markup.md_text(value)
    if isinstance(value, jinja2.Undefined):
        return str(value)  # StrictUndefined raises here, naming the missing field
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool):
        raise TypeError("print a flag through a branch, not as text")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return markup.md_text(value)
    raise TypeError(f"templates may print text and numbers only, not {type(value).__name__}")


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment; every filter is registered here.

    Made once per process: compiling the templates again on every run of a warm process
    would cost more than rendering the few pages a save changes. (Jinja still reloads a
    template whose file changed.)"""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,  # output is Markdown, escaped by `_finalize` instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["yaml_str"] = markup.yaml_str
    env.filters["posts"] = posts
    env.filters["num"] = num
    return env


def num(count: int) -> str:
    """`1,533`: counts with thousands separators, the same everywhere."""
    return f"{count:,}"


def posts(count: int) -> str:
    """`1 post`, `1,533 posts`."""
    return f"{num(count)} post" if count == 1 else f"{num(count)} posts"


def render_all(catalog: Catalog, stats: Stats) -> dict[str, bytes]:
    """Every generated page, as `{path relative to docs/: UTF-8 bytes}`."""
    pages = {**challenge_pages(catalog, stats, catalog.challenges), **site_pages(catalog, stats)}
    pages[views.FILTER_INDEX] = views.filter_index(catalog).encode("utf-8")
    return dict(sorted(pages.items()))


def challenge_pages(catalog: Catalog, stats: Stats, cids: Collection[str]) -> dict[str, bytes]:
    """The pages of challenges `cids`, by path.

    A challenge's page shows its own figures, its descendants' counts and the catalog's
    span of years, nothing else of the statistics: a warm run that changed only some
    challenges' figures renders only theirs (see `site.warm`).
    """
    template = environment().get_template("challenge.md.j2")
    return {
        common.page_path(cid): template.render(
            page=challenge.challenge_page(catalog, stats, cid)
        ).encode("utf-8")
        for cid in progress.bar(cids, len(cids), "pages")
    }


def site_pages(catalog: Catalog, stats: Stats, memo: Memo | None = None) -> dict[str, bytes]:
    """Every generated page but the challenge pages and the filter's index, by path.

    With `memo` (kept by a warm process), a page whose context equals the one it was last
    rendered from is not rendered again: after a save most contexts are unchanged, and
    building one costs far less than rendering it. (A page is a pure function of its
    context and template.)
    """
    env = environment()
    pages: dict[str, bytes] = {}

    def page(path: str, template: str, context: object) -> None:
        kept = memo.find(path) if memo is not None else None
        if kept is not None and kept[0] == context:
            pages[path] = kept[1]
            return
        pages[path] = env.get_template(template).render(page=context).encode("utf-8")
        if memo is not None:
            memo.keep(path, (context, pages[path]))

    page("index.md", "home.md.j2", home.home_page(catalog, stats))
    page("challenges/index.md", "browse.md.j2", home.browse_page(catalog, stats))
    for key in catalog.studies:
        page(common.study_path(key), "study.md.j2", studypages.study_page(catalog, stats, key))
    page("studies/index.md", "studies.md.j2", studypages.studies_page(catalog))
    page(studypages.VERIFY_PAGE, "verify.md.j2", studypages.verify_page(catalog))
    waiting = helplabel.waiting_posts(catalog)
    page(helplabel.INDEX, "help-label-index.md.j2", helplabel.index_page(catalog, waiting))
    for path, area_page in helplabel.area_pages(catalog, waiting).items():
        page(path, "help-label.md.j2", area_page)
    for key, _ in common.AUDIENCES:
        page(views.audience_path(key), "audience.md.j2", views.audience_page(catalog, key))
    tree = views.facet_tree(catalog)
    for kind, _ in views.FACET_KINDS:
        for value in stats.facet_totals[kind]:
            context = views.facet_page(catalog, stats, kind, value, tree)
            page(views.facet_path(kind, value), "facet.md.j2", context)
    page("facets/index.md", "facets.md.j2", views.facets_page(stats))
    page("filter.md", "filter.md.j2", views.filter_page(stats))
    page("statistics/index.md", "statistics.md.j2", statspage.statistics_page(catalog, stats))
    page("matrix.md", "matrix.md.j2", matrix.matrix_page(catalog, stats))
    history = changes.history(catalog)
    page("changes/index.md", "changes.md.j2", changespage.changes_page(catalog, history))
    data = datapage.data_page(catalog, list(schemas.schemas()), schemas.tables)
    page("data.md", "data.md.j2", data)
    texts = {"ids.json": ids_json(catalog)}
    for release in history:
        texts[f"changes/{changespage.json_name(release.version)}"] = release.to_json()
    pages.update({path: text.encode("utf-8") for path, text in texts.items()})
    return pages


def ids_json(catalog: Catalog) -> str:
    """Every challenge ID ever issued with its current title, former titles, status and
    successor: what tools need to resolve an old link. Published at `/ids.json`."""
    entries = [
        {
            "id": cid,
            "title": c.title,
            "former_titles": list(c.former_titles),
            "status": c.status.value,
            "replaced_by": c.merged_into,
            "page": f"challenges/{cid}/",
        }
        for cid, c in catalog.challenges.items()
    ]
    return json.dumps({"ids": entries}, indent=2, ensure_ascii=False) + "\n"
