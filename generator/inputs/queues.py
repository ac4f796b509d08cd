"""The rules of the labeling queues (`queue/<study>.csv`).

Owns what a queue row must satisfy beyond its own schema: the file names a study; the
row names a post listed in `data/`, once; each suggestion is an active challenge below
the label that study gave the post. That label is the study's own (`Post.study_labels`),
not the post's current one, so that a post a contributor has labeled more finely keeps a
valid row: it has simply left the queue.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from ..errors import Problem
from ..model.post import Post
from ..model.queue import QueueItem
from ..model.study import Study
from ..settings import QUEUE_DIR
from .didyoumean import suggest
from .load import RawInput
from .rules import Found, label_fault
from .schemaerrors import schema_problems

RERUN = "rerun `catalog queue-suggest` to recompute the queue"
"""The fix for a stale suggestion: queues are computed, never edited by hand."""


def check_queues(
    found: Found, raw: RawInput, posts: list[Post], studies: Mapping[str, Study]
) -> dict[str, tuple[QueueItem, ...]]:
    """Every queue whose rows are all valid, by study key; the problems go to `found`."""
    if not raw.queues:  # nothing to check: skip the look-ups over every post
        return {}
    by_key = {post.key: post for post in posts}
    listed = {f"{row.get('site')}:{row.get('post_id')}" for row in raw.rows}
    queues = {}
    for key, rows in sorted(raw.queues.items()):
        if key not in studies:
            found.problems.append(
                Problem(
                    f"{QUEUE_DIR}/{key}.csv",
                    0,
                    "",
                    f"no study '{key}': a queue file is named after the study whose labels "
                    "it refines",
                    suggest(key, studies)
                    or "rename it to <source key>.csv of a study in catalog/_studies/",
                )
            )
            continue
        items = []
        seen: dict[str, int] = {}
        for row in rows:
            try:
                item = QueueItem.model_validate(row.values)
            except ValidationError as exc:
                found.problems.extend(
                    schema_problems(exc, QueueItem, row.path, lambda loc, r=row: r.line)
                )
                continue

            def problem(field: str, message: str, hint: str, row=row) -> None:
                found.problems.append(Problem(row.path, row.line, field, message, hint))

            if item.key in seen:
                problem(
                    "post_id",
                    f"post {item.post_id} is already queued at line {seen[item.key]}",
                    "keep one row per post",
                )
                continue
            seen[item.key] = row.line
            post = by_key.get(item.key)
            if post is None:
                if item.key not in listed:  # a listed but invalid post has its own error
                    problem(
                        "post_id",
                        f"post {item.post_id} is not in data/",
                        "queue only posts listed in data/; " + RERUN,
                    )
                continue
            if _suggestions_ok(found, item, post, key, problem):
                items.append(item)
        queues[key] = tuple(items)  # complete unless a problem was reported
    return queues


def _suggestions_ok(found: Found, item: QueueItem, post: Post, key: str, problem) -> bool:
    """Whether every suggestion of `item` is active and below study `key`'s label of
    `post`; reports each that is not."""
    labels = post.study_labels(key)
    if not labels:
        problem(
            "post_id",
            f"post {post.post_id} has no label from {key}",
            f"keep the study's label in its labeler_labels cell, as {key}=DLC-0001 "
            "(see CONTRIBUTING.md, Help label)",
        )
        return False
    ok = True
    for cid in item.suggestions:
        fault = label_fault(found, cid, f"suggest '{{into}}' instead, or {RERUN}")
        if fault is not None:
            ok = False
            if fault[0]:
                problem("suggestions", *fault)
        elif not set(labels) & set(_ancestors(found, cid)):
            ok = False
            problem(
                "suggestions",
                f"'{cid}' is not below the post's label from {key} ({', '.join(labels)})",
                f"suggest challenges below {' or '.join(labels)}; {RERUN}",
            )
    if len(set(item.suggestions)) != len(item.suggestions):
        ok = False
        problem("suggestions", "a suggestion is repeated", "list each challenge once")
    return ok


def _ancestors(found: Found, cid: str) -> list[str]:
    """`cid`'s parent, its parent's parent, and so on (stopping at a cycle, reported
    elsewhere)."""
    chain: list[str] = []
    parent = found.challenges[cid].parent
    while parent is not None and parent in found.challenges and parent not in chain:
        chain.append(parent)
        parent = found.challenges[parent].parent
    return chain
