"""`catalog import-study FOLDER`: a published study's taxonomy and labeled data in one step.

Owns what an import writes: a challenge per category (new ones beside their parent's
file, with hints where prose belongs), the ID register, the study's and its data sets'
source entries, the study file's `categories`, and `data/<key>.csv` with every artifact
and its labels. The import owns only what comes from the study: titles and parents of its
challenges, its source entries, its categories block and its data file. Prose, hand-made
summaries of posts and everything else are never touched, so a second run with the same
input changes nothing and one with changed input updates only what the study says.

Everything is planned in memory, applied to a scratch copy of the project and validated
there as a whole; only then are the changed files written, each atomically.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import Problem, ValidationFailed
from ..inputs.didyoumean import suggest
from ..inputs.load import POST_COLUMNS, REGISTRY_FILE, SOURCES_FILE, STUDIES_DIR, load
from ..inputs.validate import validate
from ..model.catalog import Catalog
from ..model.vocab import LIST_SEPARATOR, SCAFFOLD_HINT
from ..pages.markup import slug
from ..settings import CITATION_FILE, QUEUE_DIR, RELEASES_DIR, Settings
from ..site.write import atomic_write
from .export import modeline
from .scaffold import Written, next_id, yaml_scalar
from .studyinput import StudyInput, TaxonomyRow, read_study

H = SCAFFOLD_HINT


@dataclass
class Plan:
    """The files an import changes: path relative to the project → new text."""

    files: dict[str, str] = field(default_factory=dict)
    """Every file's intended text."""
    notes: list[tuple[str, str]] = field(default_factory=list)
    """`(path, what)` for the report."""


def _top_block(text: str, key: str) -> tuple[int, int] | None:
    """Line span `[start, end)` of top-level `key:` and its indented body, or None."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            end = i + 1
            while end < len(lines) and (
                lines[end].startswith((" ", "\t")) or not lines[end].strip()
            ):
                end += 1
            while end > i + 1 and not lines[end - 1].strip():
                end -= 1  # trailing blank lines belong to what follows
            return i, end
    return None


def _replace_block(text: str, key: str, block: str) -> str:
    """`text` with top-level `key`'s block replaced by `block` (appended when absent)."""
    span = _top_block(text, key)
    lines = text.splitlines(keepends=True)
    if span is None:
        return text + ("" if text.endswith("\n") else "\n") + block
    start, end = span
    return "".join([*lines[:start], block, *lines[end:]])


def _source_block(key: str, source) -> str:
    data = source.model_dump(exclude_defaults=True, mode="json")
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"{key}:\n" + "".join(f"  {line}\n" for line in body.splitlines())


def _categories_block(study: StudyInput, ids: dict[str, str], parents: dict[str, str]) -> str:
    lines = ["categories:\n"]
    for row in study.taxonomy:
        item = {"id": ids[row.code], "code": row.code, "name": row.name}
        if row.count is not None:
            item["reported_posts"] = row.count
        if row.share is not None:
            item["reported_share"] = row.share
        item["locator"] = row.locator
        item["checked"] = row.checked
        flow = yaml.safe_dump(
            item, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=True
        ).strip()
        lines.append(f"  - {flow}\n")
    return "".join(lines)


def _challenge_text(
    cid: str, row: TaxonomyRow | None, title: str, parent: str | None, key: str, summary: str
) -> str:
    locator = row.locator if row else f"{H}Where in the study"
    checked = "true" if row and row.checked else "false"
    return f"""id: {cid}  # permanent: never change or reuse it
title: {yaml_scalar(title)}
parent: {parent or "null"}
summary: {yaml_scalar(summary)}
description: |
  {H}What goes wrong, and why it is hard. Markdown; link other challenges as [title](DLC-0001).
labeling: |
  {H}When to label a post with this challenge, and which neighbour to use instead.
recommendations:
  developers: null
  vendors: null
  researchers: null
references:
  - source: {key}
    locator: {yaml_scalar(locator)}
    checked: {checked}  # true only after reading it in the study itself
"""


def _retitled(text: str, old: str, new: str) -> str:
    """A challenge file renamed from `old` to `new`, the old title kept in `former_titles`."""
    text = re.sub(r"(?m)^title: .*$", lambda _: f"title: {yaml_scalar(new)}", text, count=1)
    data = yaml.safe_load(text)
    former = [t for t in (data.get("former_titles") or []) if t != new]
    if old not in former:
        former.append(old)
    block = "former_titles:\n" + "".join(f"  - {yaml_scalar(t)}\n" for t in former)
    if _top_block(text, "former_titles") is not None:
        return _replace_block(text, "former_titles", block)
    return re.sub(r"(?m)^(title: .*\n)", lambda m: m.group(1) + block, text, count=1)


def plan(settings: Settings, catalog: Catalog, study: StudyInput) -> Plan:
    """What the import changes, given the current (valid) catalog."""
    out = Plan()
    key = study.study.key
    root_dir = settings.root
    read = lambda rel: (root_dir / rel).read_text(encoding="utf-8")  # noqa: E731

    # Which challenge stands for each code: the input's mapping, else the last import's.
    study_rel = f"catalog/{STUDIES_DIR}/{key}.yaml"
    previous = (
        {c.code: c.id for c in catalog.studies[key].categories if c.code}
        if (key in catalog.studies)
        else {}
    )
    registry_rel = f"catalog/{REGISTRY_FILE}"
    registry = read(registry_rel)
    fresh: list[str] = []

    def issue() -> str:
        """The next ID after the register and those issued by this import."""
        fresh.append(next_id(registry + "".join(f" {i}" for i in fresh)))
        return fresh[-1]

    ids = {row.code: row.id or previous.get(row.code) or issue() for row in study.taxonomy}

    root = study.study.root
    if isinstance(root, str):
        root_id = root
    elif key in catalog.studies:
        root_id = catalog.studies[key].root
    else:
        root_id = issue()
        rel = f"catalog/{slug(key)}.yaml"
        out.files[rel] = modeline(settings, root_dir / rel) + _challenge_text(
            root_id, None, root.title, None, key, root.summary
        )
        out.notes.append((rel, f"{root_id} “{root.title}”, the study's root"))

    parents = {
        row.code: ids[row.parent_code] if row.parent_code else root_id for row in study.taxonomy
    }
    files = dict(catalog.files)
    if not isinstance(root, str) and root_id not in files:
        files[root_id] = f"catalog/{slug(key)}.yaml"
    for row in study.taxonomy:  # parents come before their children in the file order
        cid, parent = ids[row.code], parents[row.code]
        if cid in catalog.challenges:
            rel = catalog.files[cid]
            text = out.files.get(rel) or read(rel)
            current = catalog.challenges[cid]
            title = row.title or current.title  # an empty title keeps the page's own
            if current.title != title:
                text = _retitled(text, current.title, title)
                out.notes.append((rel, f"{cid} renamed “{title}” (was “{current.title}”)"))
            if current.parent != parent:
                text = re.sub(r"(?m)^parent: .*$", f"parent: {parent}", text, count=1)
                out.notes.append((rel, f"{cid} moved under {parent}"))
            out.files[rel] = text
            continue
        title = row.title or row.name
        parent_file = Path(files.get(parent) or f"catalog/{slug(key)}.yaml")
        rel = (parent_file.with_suffix("") / f"{slug(row.code)}-{slug(title)}.yaml").as_posix()
        files[cid] = rel
        summary = f"{H}One sentence: what goes wrong, for whom."
        out.files[rel] = modeline(settings, root_dir / rel) + _challenge_text(
            cid, row, title, parent, key, summary
        )
        out.notes.append((rel, f"{cid} “{title}” ({row.code}) under {parent}"))

    if fresh:
        new_registry = registry + ("" if registry.endswith("\n") else "\n")
        new_registry += "".join(f"  - {cid}\n" for cid in fresh)
        out.files[registry_rel] = new_registry
        out.notes.append((registry_rel, "registered " + ", ".join(fresh)))

    sources_rel = f"catalog/{SOURCES_FILE}"
    sources = read(sources_rel)
    for skey, source in [(key, study.study.source), *study.study.datasets.items()]:
        if catalog.sources.get(skey) != source:
            sources = _replace_block(sources, skey, _source_block(skey, source))
            out.notes.append((sources_rel, f"source {skey}"))
    out.files[sources_rel] = sources

    block = _categories_block(study, ids, parents)
    if (root_dir / study_rel).is_file():
        text = _replace_block(read(study_rel), "categories", block)
    else:
        text = (
            modeline(settings, root_dir / study_rel)
            + (
                f"source: {key}\nroot: {root_id}\n"
                f"summary: {yaml_scalar(H + 'One or two sentences on what the study did.')}\n"
                f"method: |\n  {H}How the data was collected and labeled, in our words.\n"
                f"findings: |\n  {H}Headline findings, in our words.\n"
                "implications:\n  developers: null\n  vendors: null\n  researchers: null\n"
            )
            + block
        )
    out.files[study_rel] = text
    out.notes.append((study_rel, f"{len(study.taxonomy)} categories"))

    out.files[f"data/{key}.csv"] = _posts_csv(settings, catalog, study, ids)
    out.notes.append((f"data/{key}.csv", f"{len(study.posts)} posts"))
    return out


def _posts_csv(settings: Settings, catalog: Catalog, study: StudyInput, ids: dict) -> str:
    """The study's data file; summaries written by hand since the last import are kept, and
    so are the labels, handle and summary of a post a contributor has relabeled (taken
    from a labeling queue: the study's own label is kept in its `labeler_labels`)."""
    key = study.study.key
    kept = {p.key: p.summary for p in catalog.posts if p.labeled_by == key and p.summary}
    taken = {
        p.key: p
        for p in catalog.posts
        if p.labeled_by != key and any(name == key for name, _ in p.labeler_labels)
    }
    agreed: dict[str, list[str]] = {}
    own: dict[str, list[str]] = {}
    for label in study.labels:
        cid = ids[label.code]
        if label.labeler == key:
            if cid not in agreed.setdefault(label.post, []):
                agreed[label.post].append(cid)
        else:
            own.setdefault(label.post, []).append(f"{label.labeler}={cid}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(POST_COLUMNS)
    for post_key, cells in study.posts.items():
        labels = agreed[post_key]
        row = {
            **cells,
            "primary_label": labels[0],
            "other_labels": LIST_SEPARATOR.join(labels[1:]),
            "labeled_by": key,
            "summary": cells["summary"] or kept.get(post_key, ""),
            "labeler_labels": LIST_SEPARATOR.join(own.get(post_key, [])),
        }
        if post_key in taken:
            post = taken[post_key]
            row |= {
                "primary_label": post.primary_label,
                "other_labels": LIST_SEPARATOR.join(post.other_labels),
                "labeled_by": post.labeled_by,
                "summary": post.summary or "",
                "labeler_labels": LIST_SEPARATOR.join(
                    [*own.get(post_key, []), *(f"{key}={cid}" for cid in labels)]
                ),
            }
        writer.writerow([row[c] for c in POST_COLUMNS])
    return buffer.getvalue()


def _scratch_check(settings: Settings, changes: Plan) -> None:
    """Apply `changes` to a copy of the project and validate it whole; raise its problems."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        for name in ("catalog", "data", QUEUE_DIR, RELEASES_DIR):
            if (settings.root / name).is_dir():
                shutil.copytree(settings.root / name, copy / name)
        if (settings.root / CITATION_FILE).is_file():
            shutil.copy(settings.root / CITATION_FILE, copy / CITATION_FILE)
        for rel, text in changes.files.items():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            (copy / rel).write_text(text, encoding="utf-8")
        validate(load(Settings(root=copy)))  # raises with every problem


def import_study(settings: Settings, folder: Path) -> list[Written]:
    """Import the study in `folder`; return what was written (nothing when up to date)."""
    study, problems = read_study(folder)
    if study is None:
        raise ValidationFailed(
            [
                Problem(f"{folder.name}/{p.file}", p.line, p.field, p.message, p.hint)
                for p in problems
            ]
        )
    catalog, _ = validate(load(settings))  # the catalog must be valid before it grows
    titles = {cid: c.title for cid, c in catalog.challenges.items()}
    unknown = [
        Problem(
            f"{folder.name}/taxonomy.csv",
            study.lines[row.code],
            "id",
            f"unknown challenge '{row.id}'",
            suggest(row.id, catalog.challenges, titles) or "leave it empty to make a new one",
        )
        for row in study.taxonomy
        if row.id is not None and row.id not in catalog.challenges
    ]
    root = study.study.root
    if isinstance(root, str) and root not in catalog.challenges:
        unknown.append(
            Problem(f"{folder.name}/study.yaml", 0, "root", f"unknown challenge '{root}'", "")
        )
    if unknown:
        raise ValidationFailed(unknown)
    changes = plan(settings, catalog, study)
    changed = {
        rel: text
        for rel, text in changes.files.items()
        if not (settings.root / rel).is_file()
        or (settings.root / rel).read_text(encoding="utf-8") != text
    }
    if not changed:
        return []
    _scratch_check(settings, Plan(changes.files))
    for rel, text in changed.items():
        (settings.root / rel).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(settings.root / rel, text.encode("utf-8"))
    return [Written(rel, 1, what) for rel, what in changes.notes if rel in changed]
