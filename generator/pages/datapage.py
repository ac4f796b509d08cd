"""What the Data page shows: the downloads, their schemas and the data dictionary."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.downloads import DOWNLOAD_DIR
from ..model.catalog import Catalog


@dataclass(frozen=True)
class Download:
    """One downloadable file."""

    name: str
    """File name."""
    href: Markup
    """Link, relative to the Data page."""
    what: str
    """What it holds."""
    rows: int
    """Records in it."""


@dataclass(frozen=True)
class DataPage:
    """Context of `data.md.j2`."""

    downloads: tuple[Download, ...]
    """The download files."""
    schemas: tuple[str, ...]
    """JSON Schema file names, published under `schemas/`."""
    challenge_fields: Markup
    """Field tables of challenge files (generated from the models)."""
    post_fields: Markup
    """Field table of post rows."""
    download_fields: Markup
    """Field tables of `challenges.csv` and `edges.csv` rows."""


def data_page(catalog: Catalog, schema_names: list[str], tables) -> DataPage:
    """Context of the Data page; `tables(name)` gives the generated field tables."""
    edges = sum(len(p.labels) * len(p.frameworks) for p in catalog.posts)

    def link(name: str) -> Markup:
        return Markup(f"{DOWNLOAD_DIR}/{name}")

    return DataPage(
        downloads=(
            Download(
                "catalog.json",
                link("catalog.json"),
                "The catalog: challenges, counts, sources and studies (the posts are in posts.csv)",
                len(catalog.challenges),
            ),
            Download(
                "challenges.csv",
                link("challenges.csv"),
                "One row per challenge, with its place in the tree and its counts",
                len(catalog.challenges),
            ),
            Download(
                "posts.csv",
                link("posts.csv"),
                "Every labeled post, in the same columns as the catalog's data files",
                len(catalog.posts),
            ),
            Download(
                "edges.csv",
                link("edges.csv"),
                "One row per post, challenge and framework (an edge list)",
                edges,
            ),
            Download(
                "ids.json",
                Markup("ids.json"),
                "Every challenge ID ever issued, with its status and successor",
                len(catalog.challenges),
            ),
        ),
        schemas=tuple(schema_names),
        challenge_fields=Markup(tables("challenge")),
        post_fields=Markup(tables("post")),
        download_fields=Markup(tables("downloads")),
    )
