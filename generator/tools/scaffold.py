"""Scaffolding for contributors: a new challenge file, a new labeled-post row.

Owns the only writes to `catalog/` and `data/`. Both commands read and validate
the whole catalog first, refuse anything that would make it invalid (with the
same `file:line: field: problem — hint` messages as `validate`), and only then
write, atomically. What they write passes validation as it stands; the hints a
new challenge file carries (starting with `SCAFFOLD_HINT`) are reported as
warnings until a person replaces them.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import Problem, ValidationFailed
from ..inputs.csvio import LoadedRow
from ..inputs.didyoumean import suggest
from ..inputs.load import REGISTRY_FILE, REQUIRED_COLUMNS, RawInput, load
from ..inputs.schemaerrors import schema_problems
from ..inputs.validate import validate
from ..model.base import Status
from ..model.catalog import Catalog
from ..model.challenge import Challenge
from ..model.post import Post, split_list
from ..model.vocab import LIST_SEPARATOR, SCAFFOLD_HINT
from ..pages.markup import slug
from ..settings import Settings
from ..site.write import atomic_write
from .export import modeline

COMMAND_LINE = "command line"
"""What `Problem.file` says for a problem with the command's own arguments."""

_URLS = (
    (
        re.compile(
            r"https?://(?:www\.)?stackoverflow\.com/(?:questions|q)/(\d+)(?:/[^?#]*)?(?:[?#].*)?"
        ),
        "stackoverflow",
    ),
    (
        re.compile(
            r"https?://(?:www\.)?github\.com/([\w.-]+/[\w.-]+)/(issues|pull|discussions)/(\d+)"
            r"(?:[/?#].*)?"
        ),
        "github",
    ),
)


_OPTIONS = {
    "site": "URL",
    "post_id": "URL",
    "url": "URL",
    "primary_label": "--label",
    "other_labels": "--label",
    "created": "--created",
    "frameworks": "--framework",
    "platform": "--platform",
    "score": "--score",
    "answer_count": "--answers",
    "labeled_by": "--by",
    "summary": "--summary",
}
"""The `add-post` option behind each post column, so messages name what the user typed."""


@dataclass(frozen=True)
class Written:
    """What a scaffolding command wrote, for its report."""

    path: str
    """File written or appended to, relative to the project root."""
    line: int
    """Line where the new content starts."""
    what: str
    """One line describing it."""
    verb: str = "wrote"
    """What was done to the file: `wrote`, `appended`, or `updated` (a row relabeled in
    place)."""


def refuse(field: str, message: str, hint: str = "") -> ValidationFailed:
    return ValidationFailed([Problem(COMMAND_LINE, 0, field, message, hint)])


def _checked(settings: Settings) -> tuple[RawInput, Catalog]:
    raw = load(settings)
    catalog, _ = validate(raw)  # raises with every problem: fix the catalog first
    return raw, catalog


def _resolve(catalog: Catalog, field: str, cid: str) -> Challenge:
    titles = {i: c.title for i, c in catalog.challenges.items()}
    challenge = catalog.challenges.get(cid)
    if challenge is None:
        raise refuse(
            field,
            f"unknown challenge '{cid}'",
            suggest(cid, catalog.challenges, titles) or "see `catalog stats` for IDs",
        )
    if challenge.status is not Status.ACTIVE:
        successor = f"; use '{challenge.merged_into}'" if challenge.merged_into else ""
        raise refuse(
            field, f"'{cid}' is {challenge.status.value}{successor}", "choose an active challenge"
        )
    return challenge


# --- new challenge -------------------------------------------------------------------------


def next_id(registry_text: str) -> str:
    """One more than the highest ID ever issued (IDs are never reused)."""
    numbers = [int(n) for n in re.findall(r"DLC-(\d{4})", registry_text)]
    return f"DLC-{max(numbers, default=0) + 1:04d}"


def _folder_for(settings: Settings, catalog: Catalog, parent: str) -> Path:
    """Beside the parent's other children if they share a folder, else a folder named
    after the parent's file."""
    siblings = {Path(catalog.files[c]).parent for c in catalog.children[parent]}
    if len(siblings) == 1:
        return settings.root / siblings.pop()
    parent_file = settings.root / catalog.files[parent]
    return parent_file.with_suffix("")


def challenge_text(
    cid: str, title: str, parent: str, source: str, schema_line: str, author: str | None
) -> str:
    """A complete, valid challenge file whose free-text fields hold hints to replace."""
    h = SCAFFOLD_HINT
    contributors = f"\n  - {author}" if author else " []"
    return f"""{schema_line}# See CONTRIBUTING.md. Replace every text starting with "{h.strip()}".
id: {cid}  # permanent: never change or reuse it
title: {yaml_scalar(title)}
parent: {parent}
summary: "{h}One sentence: what goes wrong, for whom."
description: |
  {h}What goes wrong, and why it is hard in deep learning specifically. Markdown;
  link other challenges as [their title](DLC-0001).
symptoms:
  - "{h}An observation that reveals the problem, in words"
error_messages: []  # typical error messages, verbatim, one per item
labeling: |
  {h}When to label a post with this challenge, and which neighbour to use instead.
recommendations:  # null means "no specific recommendation yet"
  developers: |
    {h}What application developers can do: name the tools, APIs or practices.
  vendors: null
  researchers: null
related: []  # - {{id: DLC-0001, note: how they relate}}
references:
  - source: {source}
    locator: "{h}Where in the source: section, table or page"
    checked: false  # true only after reading it in the source itself
contributors:{contributors}
"""


def yaml_scalar(text: str) -> str:
    """`text` as a double-quoted YAML scalar (what the scaffold and an import write)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_challenge(
    settings: Settings, parent: str, title: str, author: str | None = None
) -> list[Written]:
    """Write the next challenge file under `parent` and register its ID."""
    _, catalog = _checked(settings)
    _resolve(catalog, "--parent", parent)
    if any(c.title.lower() == title.lower() for c in catalog.challenges.values()):
        raise refuse(
            "--title",
            f"a challenge titled '{title}' exists already",
            "improve that one, or choose a distinct title",
        )
    registry = settings.catalog_dir / REGISTRY_FILE
    registry_text = registry.read_text(encoding="utf-8")
    cid = next_id(registry_text)
    folder = _folder_for(settings, catalog, parent)
    path = folder / f"{slug(title)}.yaml"
    n = 2
    while path.exists():
        path, n = folder / f"{slug(title)}-{n}.yaml", n + 1
    parent_refs = catalog.challenges[parent].references
    source = parent_refs[0].source if parent_refs else next(iter(catalog.sources))
    text = challenge_text(cid, title, parent, source, modeline(settings, path), author)
    try:  # what we write must validate as it stands
        Challenge.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise ValidationFailed(
            schema_problems(exc, Challenge, COMMAND_LINE, lambda loc: 0, "--title: ")
        ) from None
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"))
    separator = "" if registry_text.endswith("\n") else "\n"
    atomic_write(registry, f"{registry_text}{separator}  - {cid}\n".encode())
    registry_line = registry_text.count("\n") + (1 if separator else 0) + 1
    return [
        Written(settings.rel(path), 1, f"{cid} “{title}” under {parent}"),
        Written(settings.rel(registry), registry_line, f"registered {cid}"),
    ]


# --- add post ------------------------------------------------------------------------------


def parse_url(url: str) -> tuple[str, str, str]:
    """`(site, post_id, canonical url)` of a Stack Overflow question or GitHub issue URL."""
    for pattern, site in _URLS:
        match = pattern.fullmatch(url.strip())
        if match and site == "stackoverflow":
            number = match[1]
            return site, number, f"https://stackoverflow.com/questions/{number}"
        if match:
            repo, kind, number = match[1], match[2], match[3]
            return site, f"{repo}#{number}", f"https://github.com/{repo}/{kind}/{number}"
    raise refuse(
        "URL",
        f"'{url}' is not a Stack Overflow question or GitHub issue URL",
        "use https://stackoverflow.com/questions/<number> or "
        "https://github.com/<owner>/<repo>/issues/<number>",
    )


def target_file(settings: Settings, raw: RawInput, catalog: Catalog, label: str) -> Path:
    """The data file holding most posts of the label's area, else `data/<area slug>.csv`."""
    area = catalog.area(label)
    counts = Counter(
        row.path
        for row in raw.rows
        if row.get("primary_label") in catalog.challenges
        and catalog.area(row.values["primary_label"]) == area
    )
    if counts:
        best = max(sorted(counts), key=lambda path: counts[path])
        return settings.root / best
    return settings.data_dir / f"{slug(catalog.challenges[area].label)}.csv"


def add_post(
    settings: Settings,
    url: str,
    labels: list[str],
    frameworks: list[str],
    summary: str,
    created: str,
    platform: str,
    labeled_by: str,
    score: int | None = None,
    answers: int | None = None,
    accepted: bool | None = None,
) -> Written:
    """Append one labeled post to the right data file, refusing duplicates and unknown labels;
    a post waiting in a labeling queue has its row relabeled instead (see `_taken`)."""
    site, post_id, canonical = parse_url(url)
    raw, catalog = _checked(settings)
    if not labels:
        raise refuse("--label", "at least one label is needed", "the first is the primary one")
    for label in labels:
        _resolve(catalog, "--label", label)
    key = f"{site}:{post_id}"
    listed = next(
        (row for row in raw.rows if f"{row.get('site')}:{row.get('post_id')}" == key), None
    )
    if listed is not None and not _waits(catalog, key):
        raise refuse(
            "URL",
            f"post {post_id} is already listed at {listed.path}:{listed.line}",
            "add your labels to that row instead",
        )
    values = {
        "site": site,
        "post_id": post_id,
        "url": canonical,
        "primary_label": labels[0],
        "other_labels": LIST_SEPARATOR.join(labels[1:]),
        "created": created,
        "frameworks": LIST_SEPARATOR.join(frameworks),
        "platform": platform,
        "score": "" if score is None else str(score),
        "answer_count": "" if answers is None else str(answers),
        "accepted_answer": "" if accepted is None else ("yes" if accepted else "no"),
        "labeled_by": labeled_by,
        "summary": summary,
        "labeler_labels": "",
    }
    if listed is not None:
        values = _taken(catalog, listed, values)
    try:
        Post.model_validate(values)
        date.fromisoformat(values["created"])
    except ValidationError as exc:
        problems = schema_problems(exc, Post, COMMAND_LINE, lambda loc: 0)
        raise ValidationFailed(
            [
                Problem(p.file, p.line, _OPTIONS.get(p.field, p.field), p.message, p.hint)
                for p in problems
            ]
        ) from None
    except ValueError:
        raise refuse("--created", f"'{created}' is not a date", "write it as YYYY-MM-DD") from None
    if listed is not None:
        return _replace_row(settings, listed, values)
    path = target_file(settings, raw, catalog, labels[0])
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # A new file gets the required columns; an existing one keeps its own header (with or
    # without the optional last columns).
    columns = next(csv.reader([existing.partition("\n")[0]])) if existing else REQUIRED_COLUMNS
    if not existing:
        writer.writerow(columns)
    writer.writerow([values[column] for column in columns])
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, (existing + buffer.getvalue()).encode("utf-8"))
    line = (existing + buffer.getvalue()).count("\n")
    return Written(settings.rel(path), line, f"{post_id} labeled {', '.join(labels)}", "appended")


def _waits(catalog: Catalog, key: str) -> bool:
    """Whether post `key` is in a labeling queue and still waits for a finer label."""
    queued = {item.key for items in catalog.queues.values() for item in items}
    return key in queued and catalog.queued(next(p for p in catalog.posts if p.key == key))


def _taken(catalog: Catalog, row: LoadedRow, given: dict[str, str]) -> dict[str, str]:
    """The cells of a queued post's row once a contributor labels it: their labels,
    frameworks, platform, handle and summary; the row's recorded date, score, answers and
    accepted answer (the study's record, which its figures count); and each queue's study
    label kept in `labeler_labels` (`chen2020=DLC-0003`), so the study's figures stay."""
    if "labeler_labels" not in row.values:
        raise refuse(
            "URL",
            f"{row.path} has no labeler_labels column to keep the study's label in",
            "add the column to the file's header (and an empty cell to each row)",
        )
    post = next(p for p in catalog.posts if p.key == given["site"] + ":" + given["post_id"])
    kept = [f"{name}={label}" for name, label in post.labeler_labels]
    for study in catalog.queues:
        if not any(name == study for name, _ in post.labeler_labels):
            kept += [f"{study}={label}" for label in post.study_labels(study)]
    recorded = ("url", "created", "score", "answer_count", "accepted_answer")
    return {
        **given,
        **{column: row.values[column] for column in recorded},
        "labeler_labels": LIST_SEPARATOR.join(kept),
    }


def _replace_row(settings: Settings, row: LoadedRow, values: dict[str, str]) -> Written:
    """Rewrite line `row.line` of its file with `values` (rows are one line each: no cell
    may hold a line break), leaving every other byte as it was."""
    path = settings.root / row.path
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([values[c] for c in row.values])
    lines[row.line - 1] = buffer.getvalue()
    atomic_write(path, "".join(lines).encode("utf-8"))
    labels = [values["primary_label"], *split_list(values["other_labels"])]
    return Written(
        row.path,
        row.line,
        f"{values['post_id']} labeled {', '.join(labels)}, taken from the labeling queue "
        "(kept its recorded date, score and answers, and the study's label)",
        "updated",
    )
