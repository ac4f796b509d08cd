"""MkDocs' build in pieces the preview can redo one page at a time.

`full_build` is `mkdocs.commands.build.build` step by step, but it keeps what the build
made (configuration, files, navigation, Jinja environment, the plugins and each page's
populated state) in a `SiteState`, and each page's search-index entries apart, so that
`preview.PreviewBuilder` can later read, render and write single pages again
(`rebuild_pages`), refill the tags listings (`refill_listings`) and rewrite the search
index in a full build's order (`write_index`).

The pages are read and written by MkDocs' own functions (`_populate_page`,
`_build_page`, `_build_theme_template`): MkDocs is pinned (1.6.1), and
`tests/test_preview.py` checks that the result equals a plain `mkdocs build` after every
kind of edit, so an upgrade that changes them fails a test instead of the preview.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

SEARCH_PLUGIN = "material/search"
TAGS_PLUGIN = "material/tags"

Stamp = tuple[int, int, int]
"""A file's inode, modification time (ns) and size: an atomic replace changes the
inode, an in-place write the time or size."""


@dataclass
class SiteState:
    """Everything a build keeps for the next one: MkDocs' objects, populated."""

    config: MkDocsConfig
    """The loaded configuration; its plugins hold the search index and the tags."""
    files: Files
    """Every file of the site, each documentation page with its `Page`."""
    nav: Navigation
    """The navigation, rendered into every page."""
    env: jinja2.Environment
    """The theme's Jinja environment after the plugins' `on_env`."""
    pages: list[File]
    """The documentation pages, in the order MkDocs builds them (the index's order)."""
    nav_looks: dict[str, tuple[Any, Any]]
    """Title and front matter of each page in the navigation, by source path."""
    titled: set[str]
    """Pages whose navigation title is given in mkdocs.yml (their content cannot change it)."""
    entries: dict[str, list[dict]] = field(default_factory=dict)
    """Each page's search-index entries, by source path."""
    stamps: dict[str, Stamp] = field(default_factory=dict)
    """Every file of `docs/` as it was read, by path relative to `docs/`."""
    theme_stamps: dict[str, Stamp] = field(default_factory=dict)
    """`mkdocs.yml` and the theme overrides as they were read."""

    def plugin(self, name: str) -> Any:
        """The configured plugin `name`, or None."""
        return self.config.plugins.get(name)


def full_build(config_file: Path, site_dir: Path) -> SiteState:
    """`mkdocs build` of `config_file` into `site_dir`, keeping its objects."""
    from mkdocs import utils
    from mkdocs.commands import build as mk
    from mkdocs.config import load_config
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    # Material prints a banner about MkDocs 2 on import unless this is set; it sets it
    # itself once it has printed, so this changes nothing but the noise.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    theme_stamps = theme_stamps_of(config_file)
    stamps = dict(walk(config_file.parent / "docs"))
    config = load_config(str(config_file), site_dir=str(site_dir))
    # As `mkdocs build` does, not `serve`: the preview shows what will be published.
    config.plugins.on_startup(command="build", dirty=False)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        pages = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
        for file in pages:
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
            mk._populate_page(page_of(file), config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(inclusion=InclusionLevel.is_included)
        for template in sorted(config.theme.static_templates):
            mk._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mk._build_extra_template(template, files, config, nav)
        in_nav = {page.file.src_uri for page in nav.pages}
        looks = {f.src_uri: look(page_of(f)) for f in pages if f.src_uri in in_nav}
        titled = set(_titled(config.nav or []))
        state = SiteState(config, files, nav, env, pages, looks, titled)
        state.stamps, state.theme_stamps = stamps, theme_stamps
        build_pages(state, pages)
        write_index(state)
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        raise
    return state


def repopulate(state: SiteState, page: Page) -> None:
    """Read and render `page` again, first forgetting what the tags plugin took from it
    (its tags, its listings): the plugin only ever adds."""
    from mkdocs.commands.build import _populate_page

    tags = state.plugin(TAGS_PLUGIN)
    if tags is not None:
        tags.mappings.data.pop(page.url, None)
        tags.listings.data = {x for x in tags.listings.data if x.page.file is not page.file}
    _populate_page(page, state.config, state.files)


def listing_pages(state: SiteState) -> set[str]:
    """Source paths of the pages that hold a tags listing."""
    tags = state.plugin(TAGS_PLUGIN)
    return set() if tags is None else {x.page.file.src_uri for x in tags.listings.data}


def refill_listings(state: SiteState) -> list[File]:
    """Fill every tags listing anew from every page's tags, as the plugin's `on_env` does
    in a full build (it rewrites tags.json too); return the listing pages, to rebuild.

    A filled-in listing cannot be refilled, so its page is read again first.
    """
    tags = state.plugin(TAGS_PLUGIN)
    if tags is None:
        return []
    for rel in sorted(listing_pages(state)):
        repopulate(state, page_of(state.files.get_file_from_path(rel)))
    order_mappings(state)
    tags.on_env(state.env, config=state.config, files=state.files)
    return [f for f in state.pages if f.src_uri in listing_pages(state)]


def order_mappings(state: SiteState) -> None:
    """Put the tag mappings back in page order: a page read again went to the end, and
    the order decides tags.json and ties between equal titles in a listing."""
    tags = state.plugin(TAGS_PLUGIN)
    if tags is not None:
        data = tags.mappings.data
        order = (page_of(f).url for f in state.pages)
        tags.mappings.data = {url: data[url] for url in order if url in data}


def build_pages(state: SiteState, pages: Iterable[File]) -> None:
    """Write each page's HTML and check its anchor links, keeping the search-index entries
    its build added (the plugin appends them to one list; they are kept apart by page)."""
    from mkdocs.commands.build import _build_page

    search = state.plugin(SEARCH_PLUGIN)
    index = search.search_index.entries if search is not None else []
    level = state.config.validation.links.anchors
    for file in pages:
        index.clear()
        page = page_of(file)
        _build_page(
            page,
            state.config,
            state.pages,
            state.nav,
            state.env,
            excluded=file.inclusion.is_excluded(),
        )
        state.entries[file.src_uri] = list(index)
        page.validate_anchor_links(files=state.files, log_level=level)


def write_index(state: SiteState) -> None:
    """Write the search index in page order (Material's `on_post_build` writes whatever
    its index holds)."""
    search = state.plugin(SEARCH_PLUGIN)
    if search is not None:
        search.search_index.entries = [e for f in state.pages for e in state.entries[f.src_uri]]
    state.config.plugins.on_post_build(config=state.config)


def page_of(file: File | None) -> Page:
    assert file is not None and file.page is not None  # every page has one after a build
    return file.page


def look(page: Page) -> tuple[Any, Any]:
    """What the navigation shows of a page: its title, and front matter such as its icon."""
    return page.title, dict(page.meta)


def _titled(items: list) -> Iterator[str]:
    """Paths given with a title in mkdocs.yml's `nav` (`- Home: index.md`)."""
    for item in items:
        if isinstance(item, dict):
            for value in item.values():
                if isinstance(value, str):
                    yield value
                elif isinstance(value, list):
                    yield from _titled(value)


def theme_stamps_of(config_file: Path) -> dict[str, Stamp]:
    """Stamps of `mkdocs.yml` and of every file in the theme overrides beside it."""
    stamps = dict(walk(config_file.parent / "overrides"))
    stamps["mkdocs.yml"] = stamp(config_file) or (0, 0, 0)
    return stamps


def walk(folder: Path, prefix: str = "") -> Iterator[tuple[str, Stamp]]:
    """(relative path, stamp) of every file below `folder`, skipping hidden names as
    MkDocs does (the generator's temporary `.tmp-*` files among them)."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=True):
            yield from walk(Path(entry.path), f"{prefix}{entry.name}/")
        else:
            info = entry.stat()
            yield f"{prefix}{entry.name}", (info.st_ino, info.st_mtime_ns, info.st_size)


def stamp(path: Path) -> Stamp | None:
    """`path`'s stamp, or None when there is no such file."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size
