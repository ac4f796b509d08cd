"""The `stats` command's text: the catalog as indented trees with post counts."""

from __future__ import annotations

from ..analysis.analyze import Stats
from ..model.base import Status
from ..model.catalog import Catalog
from ..pages.render import posts


def stats_text(catalog: Catalog, stats: Stats) -> str:
    """The catalog as indented trees with post counts, after headline figures."""
    lines = [
        f"{stats.active_challenges} active challenges, {stats.total_posts} labeled posts, "
        f"{stats.frameworks} frameworks, newest post {stats.newest or '-'}",
        "",
    ]
    for root in catalog.roots:
        for cid, depth in [(root, 0), *catalog.descendants(root)]:
            c = catalog.challenges[cid]
            status = "" if c.status is Status.ACTIVE else f" [{c.status.value}]"
            name = f"{'  ' * depth}{cid}  {c.title}{status}"
            lines.append(f"{name:<72} {posts(stats.by_challenge[cid].posts):>11}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
