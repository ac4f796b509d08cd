"""Stage 2, validate: turn what `load` read into a `Catalog`, or explain why not.

Owns every rule about the input's meaning: field types and formats (through
the pydantic models), and the rules that span files: unique IDs, parents that
exist, no cycles, labels that name active challenges, unique posts, queued posts and
their suggestions (`queues`). Every problem is collected; `ValidationFailed` is raised
once, at the end.
"""

from __future__ import annotations

import bisect

from pydantic import ValidationError

from ..errors import Problem, Severity, ValidationFailed
from ..model.base import Status
from ..model.catalog import Catalog
from ..model.challenge import Challenge, Source
from ..model.post import ORDER, Post
from ..model.release import Release, Snapshot
from . import rules
from .load import LoadedRow, LoadedYaml, RawInput
from .memo import InputMemo
from .queues import check_queues
from .rules import Found
from .schemaerrors import schema_problems


def validate(
    raw: RawInput, strict: bool = False, memo: InputMemo | None = None
) -> tuple[Catalog, list[Problem]]:
    """Check everything; return the catalog and its warnings, or raise `ValidationFailed`.

    With a `memo` (kept by a warm process between runs), a row whose cells passed the
    schema before is not checked against it again; every other rule runs as usual.
    """
    found = Found(problems=list(raw.problems), broken=set(raw.unreadable_ids))
    sources = _validate_sources(raw.sources, found.problems)
    _validate_challenges(found, raw.challenges)
    rules.check_graph(found, sources)
    memo = memo or InputMemo()
    posts, labeled, parts = _validate_posts(found, raw, memo)
    studies = rules.check_studies(found, raw.studies, sources)
    queues = check_queues(found, raw, posts, studies)
    rules.check_registry(found, raw.registry)
    rules.style_warnings(found, labeled)
    release = _validate_release(found, raw.citation)
    snapshots = _validate_snapshots(found, raw.releases)
    problems = found.problems
    if strict:
        problems = [Problem(p.file, p.line, p.field, p.message, p.hint) for p in problems]
    if any(p.severity is Severity.ERROR for p in problems):
        raise ValidationFailed(problems)
    catalog = Catalog(
        challenges={cid: found.challenges[cid] for cid in sorted(found.challenges)},
        sources=dict(sorted(sources.items())),
        posts=_in_order(parts, memo),
        files={cid: found.docs[cid].path for cid in sorted(found.docs)},
        changed={
            cid: raw.changed[found.docs[cid].path]
            for cid in sorted(found.docs)
            if found.docs[cid].path in raw.changed
        },
        studies=dict(sorted(studies.items())),
        release=release,
        snapshots=snapshots,
        queues=queues,
    )
    return catalog, sorted(problems)


def _validate_sources(loaded: LoadedYaml | None, problems: list[Problem]) -> dict[str, Source]:
    if loaded is None:
        return {}
    data = loaded.doc.data
    if not isinstance(data, dict):
        problems.append(Problem(loaded.path, 1, "", "expected a mapping of source keys to sources"))
        return {}
    sources = {}
    for key, value in data.items():
        try:
            sources[key] = Source.model_validate(value)
        except ValidationError as exc:
            problems.extend(
                schema_problems(
                    exc,
                    Source,
                    loaded.path,
                    lambda loc, k=key: loaded.doc.line_of((k, *loc)),
                    f"{key}.",
                )
            )
    return sources


def _validate_release(found: Found, loaded: LoadedYaml | None) -> Release | None:
    """The version and date in CITATION.cff, which citations on the pages quote."""
    if loaded is None:
        return None
    try:
        return Release.model_validate(loaded.doc.data)
    except ValidationError as exc:
        found.problems.extend(schema_problems(exc, Release, loaded.path, loaded.doc.line_of))
        return None


def _validate_snapshots(found: Found, releases: list[tuple[str, object]]) -> tuple[Snapshot, ...]:
    """Release snapshots, oldest first."""
    snapshots = []
    for path, data in releases:
        try:
            snapshots.append(Snapshot.model_validate(data))
        except ValidationError as exc:
            found.problems.extend(schema_problems(exc, Snapshot, path, lambda loc: 0))
    return tuple(sorted(snapshots, key=lambda s: tuple(int(n) for n in s.version.split("."))))


def _validate_challenges(found: Found, loaded: list[LoadedYaml]) -> None:
    """Each file against the schema; IDs unique across files."""
    for item in loaded:
        if not isinstance(item.doc.data, dict):
            found.broken |= item.declared_ids
            found.problems.append(
                Problem(
                    item.path,
                    1,
                    "",
                    "expected a mapping of fields",
                    "start from an existing challenge file",
                )
            )
            continue
        try:
            challenge = Challenge.model_validate(item.doc.data)
        except ValidationError as exc:
            found.problems.extend(schema_problems(exc, Challenge, item.path, item.doc.line_of))
            found.broken |= item.declared_ids
            if isinstance(item.doc.data.get("id"), str):
                found.broken.add(item.doc.data["id"])
            continue
        if challenge.id in found.challenges:
            found.problems.append(
                Problem(
                    item.path,
                    item.doc.line_of(("id",)),
                    "id",
                    f"duplicate ID '{challenge.id}', also used by {found.docs[challenge.id].path}",
                    "a new challenge takes the next free ID; IDs are never reused",
                )
            )
            continue
        found.challenges[challenge.id] = challenge
        found.docs[challenge.id] = item


def _post(row: LoadedRow, memo: InputMemo) -> Post | None:
    """The row's post as validated in an earlier run, if it was."""
    same = memo.rows.find(id(row))
    if same is not None and same[0] is row:
        return same[1]
    post = memo.rows.find(_cells(row))
    if post is not None:
        memo.rows.keep(id(row), (row, post))
    return post


def _cells(row: LoadedRow) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A row's column names and cells: the memo's key for its post, made of the two
    tuples the row holds (a tuple of (name, cell) pairs would cost a thousand bytes
    more per row: about 100 MB kept at 100,000 posts)."""
    return (row.header, row.cells)


def _validate_posts(
    found: Found, raw: RawInput, memo: InputMemo
) -> tuple[list[Post], set[str], list[list[Post]]]:
    """Each row against the schema; posts unique; labels name active challenges. Returns
    the valid posts in file order, every challenge they are labeled with, and the posts
    of each file (a file unchanged since a warm process's last run: the same list)."""
    challenges, broken, problems = found.challenges, found.broken, found.problems
    posts: list[Post] = []
    parts: list[list[Post]] = []
    labeled: set[str] = set()
    first_seen: dict[str, LoadedRow] = {}
    # Labels no rule can object to: almost every post has only these, and is let through
    # without the per-label checks below (100,000 rows are checked after every save in
    # `catalog serve`).
    usable = frozenset(
        cid for cid, c in challenges.items() if c.status is Status.ACTIVE and cid not in broken
    )
    for rows in raw.post_files:
        # A file unchanged since a warm process's last run, whose every row passed then
        # with the same usable labels, passes again as a whole unless a post of it
        # appeared in an earlier file meanwhile.
        kept = memo.rows.find(("file", id(rows)))
        if (
            kept is not None
            and kept[0] is rows
            and kept[1] == usable
            and first_seen.keys().isdisjoint(kept[3])
        ):
            first_seen.update(kept[3])
            posts.extend(kept[2])
            parts.append(kept[2])
            labeled |= kept[4]
            continue
        start, before = len(posts), len(problems)
        _validate_rows(found, rows, memo, usable, first_seen, posts)
        file_posts = posts[start:]
        parts.append(file_posts)
        file_labels = frozenset(label for post in file_posts for label in post.labels)
        labeled |= file_labels
        if len(problems) == before and len(file_posts) == len(rows):
            by_key = {p.key: row for p, row in zip(file_posts, rows, strict=True)}
            memo.rows.keep(("file", id(rows)), (rows, usable, file_posts, by_key, file_labels))
    return posts, labeled, parts


RESORT_ABOVE = 1000
"""Sort all the posts again when more changed than this since the last run."""


def _in_order(parts: list[list[Post]], memo: InputMemo) -> tuple[Post, ...]:
    """The posts of `parts` (one list per file) sorted by site and ID.

    In a warm process: the last run's order, with the posts that left taken out and
    those that came put in, instead of a sort of every post after every save. Only the
    files whose list is not the last run's are compared post by post. The result is a
    sort's: no two valid posts share a site and ID.
    """
    last = memo.rows.find(("order",))
    result: list[Post] | None = None
    if last is not None:
        before, ordered = last  # kept alive by the memo: their ids stay their own
        was, now = {id(part) for part in before}, {id(part) for part in parts}
        out = [p for part in before if id(part) not in now for p in part]
        into = [p for part in parts if id(part) not in was for p in part]
        out_ids, into_ids = {id(p) for p in out}, {id(p) for p in into}
        left = [p for p in out if id(p) not in into_ids]
        came = [p for p in into if id(p) not in out_ids]
        if len(left) + len(came) <= RESORT_ABOVE:
            result = list(ordered)
            for post in left:  # first: a changed post leaves and comes back, same ID
                del result[bisect.bisect_left(result, ORDER(post), key=ORDER)]
            for post in came:
                bisect.insort(result, post, key=ORDER)
    if result is None:
        result = sorted((p for part in parts for p in part), key=ORDER)
    ordered = tuple(result)
    memo.rows.keep(("order",), (parts, ordered))
    return ordered


def _validate_rows(
    found: Found,
    rows: list[LoadedRow],
    memo: InputMemo,
    usable: frozenset[str],
    first_seen: dict[str, LoadedRow],
    posts: list[Post],
) -> None:
    """`_validate_posts` for the rows of one file, row by row."""
    problems = found.problems
    for row in rows:
        post = _post(row, memo)
        if post is None:
            try:
                post = Post.model_validate(row.values)
            except ValidationError as exc:
                problems.extend(schema_problems(exc, Post, row.path, lambda loc, r=row: r.line))
                continue
            # By the row object (the same while its file is unchanged, see `load`), which
            # the entry holds so that its id stays its own; and by its cells, for a row
            # of a changed file that did not change itself.
            memo.rows.keep(id(row), (row, post))
            memo.rows.keep(_cells(row), post)
        earlier = first_seen.get(post.key)
        if earlier is not None:
            problems.append(
                Problem(
                    row.path,
                    row.line,
                    "post_id",
                    f"post {post.post_id} is already listed at {earlier.path}:{earlier.line}",
                    "merge the two rows' labels",
                )
            )
            continue
        first_seen[post.key] = row
        labels = post.labels
        if (
            not post.labeler_labels
            and all(label in usable for label in labels)
            and (len(labels) == 1 or len(set(labels)) == len(labels))
        ):
            posts.append(post)
            continue
        ok = True
        for column, label in [
            ("primary_label", post.primary_label),
            *(("other_labels", other) for other in post.other_labels),
            *(("labeler_labels", other) for _, other in post.labeler_labels),
        ]:
            fault = rules.label_fault(found, label, "label the post '{into}'")
            if fault is not None:
                ok = False
                if fault[0]:
                    problems.append(Problem(row.path, row.line, column, *fault))
        if len(set(post.labels)) != len(post.labels):
            problems.append(
                Problem(
                    row.path,
                    row.line,
                    "other_labels",
                    "a label is repeated",
                    "list each challenge once",
                )
            )
            ok = False
        if ok:
            posts.append(post)
