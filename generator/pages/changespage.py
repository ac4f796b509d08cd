"""What the "What's new" page shows, one section per release."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.changes import UNRELEASED, Changes
from ..model.catalog import Catalog
from .common import Link


@dataclass(frozen=True)
class ReleaseView:
    """One release on the page."""

    heading: str
    """"0.1.0 (2026-11-27)" or "Not yet released"."""
    json: Markup
    """Link to its `changes-<version>.json`."""
    added: tuple[Link, ...]
    """Challenges added."""
    renamed: tuple[str, ...]
    """"DLC-0005: old → new" lines."""
    moved: tuple[str, ...]
    """"DLC-0005: DLC-0003 → DLC-0002" lines."""
    merged: tuple[str, ...]
    """"DLC-0005 into DLC-0003" lines."""
    retired: tuple[str, ...]
    """IDs retired."""
    posts_added: int
    """Labeled posts added."""


@dataclass(frozen=True)
class ChangesPage:
    """Context of `changes.md.j2`."""

    releases: tuple[ReleaseView, ...]
    """Newest first."""


def json_name(version: str) -> str:
    """`changes-0.1.0.json`."""
    return f"changes-{version}.json"


def changes_page(catalog: Catalog, history: list[Changes]) -> ChangesPage:
    """Context of the What's new page."""

    def link(cid: str) -> Link:
        title = catalog.challenges[cid].title if cid in catalog.challenges else cid
        return Link(title, Markup(f"../challenges/{cid}.md"))

    return ChangesPage(
        tuple(
            ReleaseView(
                heading="Not yet released"
                if c.version == UNRELEASED
                else f"{c.version} ({c.date})",
                json=Markup(json_name(c.version)),
                added=tuple(link(cid) for cid in c.added),
                renamed=tuple(f"{r['id']}: {r['from']} → {r['to']}" for r in c.renamed),
                moved=tuple(
                    f"{m['id']}: {m['from'] or 'root'} → {m['to'] or 'root'}" for m in c.moved
                ),
                merged=tuple(f"{m['id']} into {m['into']}" for m in c.merged),
                retired=tuple(c.retired),
                posts_added=len(c.posts_added),
            )
            for c in history
        )
    )
