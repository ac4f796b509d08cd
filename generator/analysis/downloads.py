"""The catalog as data: files to download, for analysis and other tools.

Owns the download formats: `catalog.json` (the challenges, their counts, the sources and
studies), `challenges.csv` (one row per challenge with its counts), `posts.csv` (every
labeled post), `edges.csv` (one row per post, challenge and framework). The posts are
published once, in the CSV files: at a hundred thousand posts a second copy in
`catalog.json` cost 35 MB of the site. Each row kind is a pydantic model, so its JSON Schema
is exported beside the others and the files can be checked against it.
"""

from __future__ import annotations

import csv
import io
import operator
from datetime import date

from pydantic import BaseModel, ConfigDict

from ..inputs.memo import Memo
from ..model.catalog import Catalog
from ..model.challenge import Challenge, Source
from ..model.post import Post
from ..model.study import Study
from .analyze import Stats

DOWNLOAD_DIR = "data"
"""Where downloads go, relative to `docs/` (URL `/data/…`)."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class ChallengeRow(_Row):
    """One row of `challenges.csv`."""

    id: str
    """Permanent ID."""
    title: str
    """Current title."""
    parent: str
    """Parent ID; empty for a taxonomy root."""
    taxonomy: str
    """ID of the taxonomy root."""
    depth: int
    """0 for a root, 1 for its children, and so on."""
    status: str
    """`active`, `merged` or `retired`."""
    merged_into: str
    """Successor's ID for a merged challenge, else empty."""
    posts: int
    """Labeled posts, descendants included."""
    direct_posts: int
    """Posts labeled with exactly this challenge."""
    newest_post: str
    """Creation date of the newest counted post, or empty."""
    page: str
    """The page's path on the site."""


class EdgeRow(_Row):
    """One row of `edges.csv`: a post, one of its challenges and one of its frameworks."""

    post: str
    """`site:post_id`."""
    challenge: str
    """A challenge the post is labeled with."""
    primary: bool
    """Whether that challenge is the post's primary label."""
    framework: str
    """One framework the post names."""
    platform: str
    """The post's platform."""
    created: date | None
    """The post's creation date; empty when the source does not record it."""


class CatalogExport(_Row):
    """`catalog.json`: the catalog, with computed counts; its posts are in `posts.csv`."""

    challenges: list[Challenge]
    """Every challenge, as in its file."""
    counts: dict[str, ChallengeRow]
    """Counts and paths per challenge ID."""
    sources: dict[str, Source]
    """The bibliography."""
    studies: dict[str, Study]
    """The founding studies."""


def _challenge_rows(catalog: Catalog, stats: Stats) -> list[ChallengeRow]:
    rows = []
    for cid, c in catalog.challenges.items():
        st = stats.by_challenge[cid]
        rows.append(
            ChallengeRow(
                id=cid,
                title=c.title,
                parent=c.parent or "",
                taxonomy=catalog.root_of(cid),
                depth=len(catalog.ancestors(cid)),
                status=c.status.value,
                merged_into=c.merged_into or "",
                posts=st.posts,
                direct_posts=st.direct,
                newest_post=st.newest.isoformat() if st.newest else "",
                page=f"challenges/{cid}/",
            )
        )
    return rows


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _cell(value: object) -> object:
    # Called for every cell of posts.csv (over a million at scale): plain text first.
    if type(value) is str:
        return value
    if isinstance(value, list):  # labels and frameworks; each labeler's label as name=label
        return ";".join(v if type(v) is str else "=".join(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def downloads(catalog: Catalog, stats: Stats) -> dict[str, bytes]:
    """Every download, by path relative to `docs/`."""
    return {**post_files(catalog), **catalog_files(catalog, stats)}


def catalog_files(catalog: Catalog, stats: Stats) -> dict[str, bytes]:
    """`catalog.json` and `challenges.csv`: the challenges with their counts."""
    challenge_rows = _challenge_rows(catalog, stats)
    export = CatalogExport(
        challenges=list(catalog.challenges.values()),
        counts={row.id: row for row in challenge_rows},
        sources=dict(catalog.sources),
        studies=dict(catalog.studies),
    )
    return {
        # pydantic's own JSON serializer: several times faster than model_dump + json.dumps.
        f"{DOWNLOAD_DIR}/catalog.json": export.model_dump_json(indent=1).encode() + b"\n",
        f"{DOWNLOAD_DIR}/challenges.csv": _csv(
            list(ChallengeRow.model_fields),
            [list(row.model_dump().values()) for row in challenge_rows],
        ),
    }


def post_files(catalog: Catalog, memo: Memo | None = None) -> dict[str, bytes]:
    """`posts.csv` and `edges.csv`: every post. They need no statistics, so a large
    generation writes them in the background while the statistics are computed.

    Each post's lines are written on their own, so that a warm process can keep, in
    `memo`, where they lie in the files it made last, and write again only the lines
    of the posts a save added or changed. (Where, not the lines themselves: those
    would be a second copy of both files, about 30 MB at 100,000 posts.)
    """
    rows = _PostRows()
    heads = [
        rows.header(list(Post.model_fields)).encode("utf-8"),
        rows.header(list(EdgeRow.model_fields)).encode("utf-8"),
    ]
    last = memo.find(_LAST_FILES) if memo is not None else None
    pieces: list[list[bytes | memoryview]] = [[heads[0]], [heads[1]]]
    ends = [len(heads[0]), len(heads[1])]
    for p in catalog.posts:
        # Keyed by the post object, which a warm process reuses for an unchanged row; the
        # entry holds the post, so its id cannot be taken by another object meanwhile.
        entry = memo.find(id(p)) if memo is not None else None
        if last is not None and entry is not None and entry[0] is p:
            lines = [memoryview(last[i])[entry[1 + 2 * i] : entry[2 + 2 * i]] for i in (0, 1)]
        else:
            lines = [text.encode("utf-8") for text in rows(p)]
        spans = []
        for i in (0, 1):
            pieces[i].append(lines[i])
            spans += [ends[i], ends[i] + len(lines[i])]
            ends[i] += len(lines[i])
        if memo is not None:
            memo.keep(id(p), (p, *spans))
    made = (b"".join(pieces[0]), b"".join(pieces[1]))
    if memo is not None:
        memo.keep(_LAST_FILES, made)
    return {f"{DOWNLOAD_DIR}/posts.csv": made[0], f"{DOWNLOAD_DIR}/edges.csv": made[1]}


_LAST_FILES = "files"
"""The memo's key for the last files made (the other keys are posts' ids)."""


class _PostRows:
    """One post's line of posts.csv and lines of edges.csv, as the csv module writes them."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self._cells = operator.attrgetter(*Post.model_fields)

    def _take(self) -> str:
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text

    def header(self, columns: list[str]) -> str:
        self._writer.writerow(columns)
        return self._take()

    def __call__(self, p: Post) -> tuple[str, str]:
        self._writer.writerow([_cell(v) for v in self._cells(p)])
        line = self._take()
        # Rows are written straight from the posts: building a model per edge (hundreds
        # of thousands at scale) cost more than everything else here. EdgeRow still
        # defines the columns and their schema, and the tests check the rows against it.
        created = p.created.isoformat() if p.created else ""
        self._writer.writerows(
            [p.key, label, _cell(label == p.primary_label), fw, p.platform, created]
            for label in p.labels
            for fw in p.frameworks
        )
        return line, self._take()
