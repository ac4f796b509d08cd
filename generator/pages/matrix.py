"""The taxonomy matrices: each study's taxonomy as a table shaded by post count.

Owns the matrix page (docs/matrix.md) and its tables. Each cell links its challenge; the
shade says how many labeled posts it has, in a few levels.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.analyze import Stats
from ..model.base import Status
from ..model.catalog import Catalog
from . import markup
from .common import Link


@dataclass(frozen=True)
class Matrix:
    """One study's taxonomy as a matrix: columns are the root's categories."""

    title: str
    """The taxonomy's title."""
    study: Link
    """The study's page."""
    table: Markup
    """The matrix as an HTML table (cells carry a heat class and link their challenge)."""


@dataclass(frozen=True)
class MatrixPage:
    """Context of `matrix.md.j2`."""

    matrices: tuple[Matrix, ...]
    """One matrix per study."""


HEAT_LEVELS = 4
"""Cells are shaded in this many steps of post count (plus 0 for none)."""


def _cell(catalog: Catalog, stats: Stats, cid: str | None, top: int) -> str:
    if cid is None:
        return '<td class="dlc-empty"></td>'
    posts = stats.by_challenge[cid].posts
    level = 0 if posts == 0 else max(1, -(-HEAT_LEVELS * posts // top))
    title = markup.md_text(catalog.challenges[cid].title)
    return (
        f'<td class="dlc-heat-{level}" markdown="span">[{title}](challenges/{cid}.md)'
        f'<span class="dlc-count">{posts}</span></td>'
    )


def matrix_table(catalog: Catalog, stats: Stats, root: str, names: dict[str, str]) -> Markup:
    """Rows aligned by category name when columns share names (Chen et al.'s categories
    recur per platform), else each column lists its challenges (an ATT&CK-style matrix)."""
    columns = [c for c in catalog.children[root] if catalog.challenges[c].status is Status.ACTIVE]
    leaves = {
        col: [c for c in catalog.children[col] if catalog.challenges[c].status is Status.ACTIVE]
        for col in columns
    }
    top = max([stats.by_challenge[c].posts for cells in leaves.values() for c in cells] + [1])
    label = {
        c: names.get(c, catalog.challenges[c].title) for cells in leaves.values() for c in cells
    }
    shared = [
        n
        for n in dict.fromkeys(label[c] for cells in leaves.values() for c in cells)
        if sum(any(label[c] == n for c in cells) for cells in leaves.values()) > 1
    ]
    if shared:
        rest = [
            n
            for n in dict.fromkeys(label[c] for cells in leaves.values() for c in cells)
            if n not in shared
        ]
        rows = [
            [next((c for c in leaves[col] if label[c] == name), None) for col in columns]
            for name in sorted(shared) + sorted(rest)
        ]
    else:
        depth = max(len(cells) for cells in leaves.values())
        rows = [
            [leaves[col][i] if i < len(leaves[col]) else None for col in columns]
            for i in range(depth)
        ]
    head = "".join(
        f'<th markdown="span">[{markup.md_text(catalog.challenges[col].title)}]'
        f"(challenges/{col}.md)"
        f'<span class="dlc-count">{stats.by_challenge[col].posts}</span></th>'
        for col in columns
    )
    body = "".join(
        '<tr markdown="block">' + "".join(_cell(catalog, stats, c, top) for c in row) + "</tr>"
        for row in rows
    )
    # HTML for the table's shape, but md_in_html parses each cell (`markdown="span"`), so
    # its link is a Markdown link to the challenge's file, relative to docs/matrix.md,
    # which MkDocs and Zensical both resolve (a relative href in raw HTML they do not
    # treat alike). Titles are escaped with `md_text`, as for any Markdown.
    return Markup(
        '<div class="dlc-matrix" markdown="block"><table markdown="block">'
        f'<thead markdown="block"><tr markdown="block">{head}</tr></thead>'
        f'<tbody markdown="block">{body}</tbody></table></div>'
    )


def matrix_page(catalog: Catalog, stats: Stats) -> MatrixPage:
    """A matrix for every study with a taxonomy in the catalog."""
    matrices = []
    for key, study in catalog.studies.items():
        names = {c.id: c.name for c in study.categories}
        matrices.append(
            Matrix(
                catalog.challenges[study.root].title,
                Link(catalog.sources[key].title, Markup(f"studies/{key}.md")),
                matrix_table(catalog, stats, study.root, names),
            )
        )
    return MatrixPage(tuple(matrices))
