"""Reading a study to import: its description, taxonomy, artifacts and labels, all checked.

Owns the import format (documented in CONTRIBUTING.md, "Importing a study"): a folder with
`study.yaml` (the study, its data set and where its taxonomy hangs), `taxonomy.csv` (one
row per category, with the study's own code), `posts.csv` (one row per labeled artifact)
and `labels.csv` (one row per label a labeler gave an artifact). Every problem in every
file is collected, with its file, line and column, before anything is planned.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import Problem
from ..inputs.didyoumean import suggest
from ..inputs.schemaerrors import schema_problems
from ..inputs.yamlio import YamlError, parse_yaml
from ..model.base import ChallengeId, PlainText, SourceKey
from ..model.challenge import Source
from ..model.post import Post

STUDY_FILE = "study.yaml"
TAXONOMY_FILE = "taxonomy.csv"
POSTS_FILE = "posts.csv"
LABELS_FILE = "labels.csv"

TAXONOMY_COLUMNS = (
    "code",
    "parent_code",
    "name",
    "title",
    "share",
    "count",
    "locator",
    "checked",
    "id",
)
"""`taxonomy.csv`: the header, in this order."""
POSTS_COLUMNS = (
    "site",
    "post_id",
    "url",
    "created",
    "frameworks",
    "platform",
    "score",
    "answer_count",
    "accepted_answer",
    "summary",
)
"""`posts.csv`: the header, in this order (the post columns of `data/`, without labels)."""
LABELS_COLUMNS = ("site", "post_id", "labeler", "code")
"""`labels.csv`: the header, in this order."""

CODE_PATTERN = r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class NewRoot(_Strict):
    """A taxonomy root the import creates for the study."""

    title: PlainText
    """The root's title."""
    summary: PlainText
    """One sentence: what the study's taxonomy covers."""


class StudyDescription(_Strict):
    """`study.yaml`: which study, which data set, and where its taxonomy hangs."""

    key: SourceKey
    """The study's key in `catalog/_sources.yaml` (and the name of its files)."""
    source: Source
    """The study's bibliographic entry."""
    datasets: dict[SourceKey, Source] = {}
    """Its data sets (replication packages), by key, each with `kind: dataset`, `url` and
    `commit`."""
    root: ChallengeId | NewRoot
    """The existing challenge its top categories hang under, or a root to create."""


class TaxonomyRow(_Strict):
    """One category of the study's taxonomy."""

    code: Annotated[str, Field(pattern=CODE_PATTERN)]
    """The study's own code, unique: `S.2.3`. Siblings keep the order of the file."""
    parent_code: Annotated[str, Field(pattern=CODE_PATTERN)] | None
    """The parent category's code; empty for a top category (under the root)."""
    name: PlainText
    """The category's name as the study gives it."""
    title: PlainText | None
    """The catalog page's title; empty: the name for a new page, and an existing page
    keeps its own."""
    share: Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)?%$")] | None
    """The share the study reports, like `19.8%`."""
    count: Annotated[int, Field(ge=0)] | None
    """The number of posts the study reports."""
    locator: PlainText
    """Where in the study the category appears (section, figure)."""
    checked: bool
    """`yes` when name and figures were read in the study itself."""
    id: ChallengeId | None
    """An existing challenge that stands for this category; empty: the import makes one."""


@dataclass(frozen=True)
class Label:
    """One label one labeler gave one artifact."""

    post: str
    """The artifact's key, `site:post_id`."""
    labeler: str
    """Who gave it: the study's key for the study's own (agreed) label."""
    code: str
    """The category's code."""


@dataclass(frozen=True)
class StudyInput:
    """Everything in an import folder, checked."""

    study: StudyDescription
    """The study."""
    taxonomy: tuple[TaxonomyRow, ...]
    """Its categories, in file order."""
    posts: dict[str, dict[str, str]]
    """Each artifact's cells, by key `site:post_id`, in file order."""
    labels: tuple[Label, ...]
    """Every label, in file order."""
    lines: dict[str, int]
    """The line of each category in `taxonomy.csv`, by code (for messages)."""


def _rows(folder: Path, name: str, columns: tuple[str, ...], problems: list[Problem]):
    """`(line, cells)` of each row of a CSV file whose header is `columns`."""
    path = folder / name
    if not path.is_file():
        problems.append(Problem(name, 0, "", "file not found", f"add {name} to the folder"))
        return []
    text = path.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = tuple(next(reader, ()))
        if header != columns:
            problems.append(
                Problem(name, 1, "", "unexpected header", "it must be: " + ",".join(columns))
            )
            return []
        rows, line = [], reader.line_num + 1
        for cells in reader:
            if len(cells) != len(columns):
                problems.append(
                    Problem(name, line, "", f"row has {len(cells)} cells, not {len(columns)}", "")
                )
            elif any(c.strip() for c in cells):
                rows.append((line, dict(zip(columns, cells, strict=True))))
            line = reader.line_num + 1
        return rows
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, "", f"invalid CSV: {exc}", ""))
        return []


def _validated(model, data, name: str, line: int, problems: list[Problem]):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(schema_problems(exc, model, name, lambda loc: line))
        return None


def read_study(folder: Path) -> tuple[StudyInput | None, list[Problem]]:
    """The import folder, checked; or None and every problem found."""
    problems: list[Problem] = []
    study = None
    path = folder / STUDY_FILE
    if not path.is_file():
        problems.append(Problem(STUDY_FILE, 0, "", "file not found", "describe the study in it"))
    else:
        try:
            doc = parse_yaml(path.read_text(encoding="utf-8"))
            study = _validated(StudyDescription, doc.data, STUDY_FILE, 1, problems)
        except YamlError as exc:
            problems.append(Problem(STUDY_FILE, exc.line, "", exc.message, "fix the YAML"))

    taxonomy: dict[str, TaxonomyRow] = {}
    where: dict[str, int] = {}
    for line, cells in _rows(folder, TAXONOMY_FILE, TAXONOMY_COLUMNS, problems):
        data = {k: (v.strip() or None) for k, v in cells.items()}
        if data["checked"] not in ("yes", "no"):
            problems.append(Problem(TAXONOMY_FILE, line, "checked", "must be yes or no", ""))
            continue
        data["checked"] = data["checked"] == "yes"
        row = _validated(TaxonomyRow, data, TAXONOMY_FILE, line, problems)
        if row is None:
            continue
        if row.code in taxonomy:
            problems.append(
                Problem(
                    TAXONOMY_FILE,
                    line,
                    "code",
                    f"code '{row.code}' is used twice (first on line {where[row.code]})",
                    "give every category its own code",
                )
            )
            continue
        taxonomy[row.code], where[row.code] = row, line
    for code, row in taxonomy.items():
        if row.parent_code is not None and row.parent_code not in taxonomy:
            problems.append(
                Problem(
                    TAXONOMY_FILE,
                    where[code],
                    "parent_code",
                    f"unknown parent code '{row.parent_code}'",
                    suggest(row.parent_code, taxonomy) or "leave it empty for a top category",
                )
            )
    for code in taxonomy:  # a chain of parents must end
        seen, at = {code}, taxonomy[code].parent_code
        while at in taxonomy and at not in seen:
            seen.add(at)
            at = taxonomy[at].parent_code
        if at in seen:
            problems.append(
                Problem(TAXONOMY_FILE, where[code], "parent_code", "the parents form a cycle", "")
            )

    posts: dict[str, dict[str, str]] = {}
    post_line: dict[str, int] = {}
    for line, cells in _rows(folder, POSTS_FILE, POSTS_COLUMNS, problems):
        key = f"{cells['site']}:{cells['post_id']}"
        if key in posts:
            problems.append(
                Problem(
                    POSTS_FILE,
                    line,
                    "post_id",
                    f"duplicate artifact {cells['post_id']} (first on line {post_line[key]})",
                    "list each artifact once; give it several labels in labels.csv",
                )
            )
            continue
        if cells["created"].strip():
            try:
                date.fromisoformat(cells["created"].strip())
            except ValueError:
                problems.append(
                    Problem(
                        POSTS_FILE,
                        line,
                        "created",
                        f"'{cells['created']}' is not a date",
                        "write YYYY-MM-DD, or leave it empty when the date is unknown",
                    )
                )
                continue
        probe = {**cells, "primary_label": "DLC-0000", "other_labels": "", "labeled_by": "x"}
        if _validated(Post, probe, POSTS_FILE, line, problems) is not None:
            posts[key], post_line[key] = cells, line

    labels: list[Label] = []
    for line, cells in _rows(folder, LABELS_FILE, LABELS_COLUMNS, problems):
        key = f"{cells['site']}:{cells['post_id']}"
        labeler, code = cells["labeler"].strip(), cells["code"].strip()
        if key not in posts and key not in post_line:
            problems.append(
                Problem(
                    LABELS_FILE,
                    line,
                    "post_id",
                    f"no artifact {cells['post_id']}",
                    "list it in posts.csv first",
                )
            )
        elif not labeler:
            problems.append(Problem(LABELS_FILE, line, "labeler", "missing", "name the labeler"))
        elif not code:
            problems.append(
                Problem(
                    LABELS_FILE,
                    line,
                    "code",
                    f"labeler '{labeler}' gives no label",
                    "write the category's code, or drop the row",
                )
            )
        elif code not in taxonomy:
            problems.append(
                Problem(
                    LABELS_FILE,
                    line,
                    "code",
                    f"unknown code '{code}'",
                    suggest(code, taxonomy) or "use a code from taxonomy.csv",
                )
            )
        else:
            labels.append(Label(key, labeler, code))
    if study is not None:
        agreed = {label.post for label in labels if label.labeler == study.key}
        for key, line in post_line.items():
            if key in posts and key not in agreed:
                problems.append(
                    Problem(
                        POSTS_FILE,
                        line,
                        "post_id",
                        f"artifact {posts[key]['post_id']} has no label of the study's own",
                        f"add a row to labels.csv with labeler '{study.key}'",
                    )
                )
    if problems or study is None:
        return None, problems
    return StudyInput(study, tuple(taxonomy.values()), posts, tuple(labels), where), []
