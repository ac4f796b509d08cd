"""Stage 5, render: fill the Markdown templates with the page contexts.

Owns the Jinja2 environment. Templates are logic-free: they loop, branch on
presence and print fields of a typed context (see `common`). Escaping is
automatic: `finalize` runs every printed value through `markup.md_text`
unless it is already `Markup`, so a template cannot forget to escape
contributed text. `StrictUndefined` turns a missing field into an error.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..analysis import changes, progress
from ..analysis.analyze import Stats
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


def environment() -> jinja2.Environment:
    """The one Jinja2 environment; every filter is registered here."""
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
    env = environment()
    challenge_template = env.get_template("challenge.md.j2")
    pages = {
        common.page_path(cid): challenge_template.render(
            page=challenge.challenge_page(catalog, stats, cid)
        )
        for cid in progress.bar(catalog.challenges, len(catalog.challenges), "pages")
    }
    pages["index.md"] = env.get_template("home.md.j2").render(page=home.home_page(catalog, stats))
    pages["challenges/index.md"] = env.get_template("browse.md.j2").render(
        page=home.browse_page(catalog, stats)
    )
    study = env.get_template("study.md.j2")
    for key in catalog.studies:
        pages[common.study_path(key)] = study.render(
            page=studypages.study_page(catalog, stats, key)
        )
    pages["studies/index.md"] = env.get_template("studies.md.j2").render(
        page=studypages.studies_page(catalog)
    )
    pages[studypages.VERIFY_PAGE] = env.get_template("verify.md.j2").render(
        page=studypages.verify_page(catalog)
    )
    pages[helplabel.INDEX] = env.get_template("help-label-index.md.j2").render(
        page=helplabel.index_page(catalog)
    )
    area = env.get_template("help-label.md.j2")
    for path, area_page in helplabel.area_pages(catalog).items():
        pages[path] = area.render(page=area_page)
    audience = env.get_template("audience.md.j2")
    for key, _ in common.AUDIENCES:
        pages[views.audience_path(key)] = audience.render(page=views.audience_page(catalog, key))
    facet = env.get_template("facet.md.j2")
    for kind, _ in views.FACET_KINDS:
        for value in stats.facet_totals[kind]:
            pages[views.facet_path(kind, value)] = facet.render(
                page=views.facet_page(catalog, stats, kind, value)
            )
    pages["facets/index.md"] = env.get_template("facets.md.j2").render(
        page=views.facets_page(stats)
    )
    pages["filter.md"] = env.get_template("filter.md.j2").render(page=views.filter_page(stats))
    pages[views.FILTER_INDEX] = views.filter_index(catalog)
    pages["statistics/index.md"] = env.get_template("statistics.md.j2").render(
        page=statspage.statistics_page(catalog, stats)
    )
    pages["matrix.md"] = env.get_template("matrix.md.j2").render(
        page=matrix.matrix_page(catalog, stats)
    )
    history = changes.history(catalog)
    pages["changes/index.md"] = env.get_template("changes.md.j2").render(
        page=changespage.changes_page(catalog, history)
    )
    for release in history:
        pages[f"changes/{changespage.json_name(release.version)}"] = release.to_json()
    pages["ids.json"] = ids_json(catalog)
    pages["data.md"] = env.get_template("data.md.j2").render(
        page=datapage.data_page(catalog, list(schemas.schemas()), schemas.tables)
    )
    return {path: text.encode("utf-8") for path, text in sorted(pages.items())}


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
