"""Stage 1, load: read every input file into memory, with positions.

Owns the file layout of the input (which files are challenges, which are posts, which
are labeling queues) and everything that can go wrong before a value is interpreted:
size, encoding, YAML and CSV syntax (`yamlio`, `csvio`). It interprets nothing;
`validate` does.
Problems are collected, never raised, so one run reports them all.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..model.post import Post
from ..model.queue import QueueItem
from ..settings import CITATION_FILE, QUEUE_DIR, RELEASES_DIR, Settings
from .csvio import Columns, LoadedRow, read_rows
from .memo import InputMemo
from .yamlio import YamlDocument, YamlError, parse_yaml

MAX_FILE_BYTES = 1_000_000
"""Larger input files are refused: no honest catalog entry or post file is this big
(split posts over several CSV files), and a cap keeps a hostile file from
exhausting memory."""

SOURCES_FILE = "_sources.yaml"
"""Name of the bibliography file in `catalog/`; other `_*.yaml` names are reserved."""

REGISTRY_FILE = "_ids.yaml"
"""The register of every challenge ID ever issued, in `catalog/`."""

STUDIES_DIR = "_studies"
"""Folder of `catalog/` holding one file per founding study, named after its source key."""

POST_COLUMNS: tuple[str, ...] = tuple(Post.model_fields)
"""Every column a post file may have, in this order."""

OPTIONAL_COLUMNS: tuple[str, ...] = ("labeler_labels",)
"""Last columns a post file may leave out: only imported study data needs them."""

REQUIRED_COLUMNS: tuple[str, ...] = POST_COLUMNS[: -len(OPTIONAL_COLUMNS)]
"""The header every post file starts with, in this order."""

_POST_FILE = Columns(POST_COLUMNS, len(OPTIONAL_COLUMNS))

QUEUE_COLUMNS = Columns(tuple(QueueItem.model_fields))
"""The header of a labeling queue (`queue/<study>.csv`)."""


@dataclass(frozen=True)
class LoadedYaml:
    """A parsed YAML file."""

    path: str
    """Path relative to the project root, as shown in messages."""
    doc: YamlDocument
    """The parsed document with its line map."""
    declared_ids: frozenset[str] = frozenset()
    """Challenge IDs an `id:` line of the text names, found by plain text search, so that
    a file that fails validation still counts as declaring them."""


@dataclass
class RawInput:
    """Everything read from disk, not yet interpreted."""

    challenges: list[LoadedYaml] = field(default_factory=list)
    """Challenge files, in path order."""
    sources: LoadedYaml | None = None
    """The bibliography file, if present and parseable."""
    studies: list[LoadedYaml] = field(default_factory=list)
    """Study files, in path order."""
    registry: LoadedYaml | None = None
    """The register of every challenge ID ever issued, if present and parseable."""
    releases: list[tuple[str, object]] = field(default_factory=list)
    """Release snapshots (`releases/*.json`): path and parsed JSON."""
    citation: LoadedYaml | None = None
    """`CITATION.cff`, if present and parseable: the catalog's version and date."""
    changed: dict[str, date] = field(default_factory=dict)
    """Date of the last commit that touched each catalog file (empty outside git)."""

    rows: list[LoadedRow] = field(default_factory=list)
    """Post rows from every CSV file, in path then line order."""
    post_files: list[list[LoadedRow]] = field(default_factory=list)
    """The same rows, one list per file (the very list a memo kept while a file is
    unchanged, which lets a warm run validate it as a whole)."""
    queues: dict[str, list[LoadedRow]] = field(default_factory=dict)
    """Rows of each labeling queue (`queue/<study>.csv`), by the file's name without
    `.csv`, in line order."""
    problems: list[Problem] = field(default_factory=list)
    """What could not be read."""
    unreadable_ids: set[str] = field(default_factory=set)
    """IDs found by a plain text search in YAML files that failed to parse, so that
    references to them are not reported as unknown on top of the parse error."""


def load(settings: Settings, memo: InputMemo | None = None) -> RawInput:
    """Read the catalog and data folders. Never raises for bad input.

    With a `memo` (kept by a warm process between runs), a file whose text was parsed
    before is not parsed again.
    """
    memo = memo or InputMemo()
    raw = RawInput()
    catalog_dir, data_dir = settings.catalog_dir, settings.data_dir
    if not catalog_dir.is_dir():
        raw.problems.append(Problem(settings.rel(catalog_dir), 0, "", "folder not found"))
        return raw
    for path in _inputs(catalog_dir, "*.yaml"):
        parts = path.parts[len(catalog_dir.parts) :]
        loaded = _load_yaml(path, settings, raw, memo)
        if parts == (SOURCES_FILE,):
            raw.sources = loaded
        elif parts == (REGISTRY_FILE,):
            raw.registry = loaded
        elif len(parts) == 2 and parts[0] == STUDIES_DIR:
            if loaded is not None:
                raw.studies.append(loaded)
        elif any(part.startswith("_") for part in parts):
            raw.problems.append(
                Problem(
                    settings.rel(path),
                    0,
                    "",
                    "names starting with '_' are reserved",
                    f"rename it; reserved are catalog/{SOURCES_FILE}, "
                    f"catalog/{REGISTRY_FILE} and catalog/{STUDIES_DIR}/<source>.yaml",
                )
            )
        elif loaded is not None:
            raw.challenges.append(loaded)
    for path in _inputs(catalog_dir, "*.yml"):
        raw.problems.append(
            Problem(settings.rel(path), 0, "", "catalog files must end in '.yaml'", "rename it")
        )
    required = [
        (
            REGISTRY_FILE,
            raw.registry,
            "ID register not found",
            "create it with every challenge ID ever issued (`ids:` and a list)",
        ),
        (
            SOURCES_FILE,
            raw.sources,
            "bibliography file not found",
            "create it with the sources that challenges cite",
        ),
    ]
    for name, loaded, message, hint in required:
        if loaded is None and not (catalog_dir / name).exists():
            raw.problems.append(Problem(settings.rel(catalog_dir / name), 0, "", message, hint))
    for path in sorted((settings.root / RELEASES_DIR).glob("*.json")):
        read = _read_text(path, settings, raw.problems, memo)
        if read is not None:
            try:
                raw.releases.append((settings.rel(path), json.loads(read[0])))
            except json.JSONDecodeError as exc:
                raw.problems.append(
                    Problem(
                        settings.rel(path),
                        exc.lineno,
                        "",
                        f"invalid JSON: {exc.msg}",
                        "it is written by `catalog release`; restore it",
                    )
                )
    raw.changed = last_changed(settings)
    citation = settings.root / CITATION_FILE
    if citation.is_file():
        raw.citation = _load_yaml(citation, settings, raw, memo)
    if data_dir.is_dir():
        for path in _inputs(data_dir, "*.csv"):
            rows = _load_csv(path, settings, _POST_FILE, raw.problems, memo)
            raw.post_files.append(rows)
            raw.rows.extend(rows)
    if settings.queue_dir.is_dir():  # optional: a catalog need not have a queue
        for path in _inputs(settings.queue_dir, "*.csv"):
            if path.parent != settings.queue_dir:
                raw.problems.append(
                    Problem(
                        settings.rel(path),
                        0,
                        "",
                        "a queue file in a subfolder",
                        f"move it to {QUEUE_DIR}/, named after the study: <source key>.csv",
                    )
                )
                continue
            raw.queues[path.stem] = _load_csv(path, settings, QUEUE_COLUMNS, raw.problems, memo)
    return raw


def last_changed(settings: Settings) -> dict[str, date]:
    """When each file under `catalog/` last changed, from one pass over the git log.

    Outside a git checkout (or without git) there is no history, and pages simply
    show no date. A shallow clone gives every file its one commit's date, so the
    deploy workflow fetches the full history.
    """
    try:
        result = subprocess.run(
            [
                "git",
                "-C",
                str(settings.root),
                "log",
                "--format=%x00%cs",
                "--name-only",
                "--",
                "catalog",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if result.returncode != 0:
        return {}
    prefix = _git_prefix(settings)
    changed: dict[str, date] = {}
    for entry in result.stdout.split("\0")[1:]:
        day, *names = entry.strip().splitlines()
        for name in names:
            rel = name.removeprefix(prefix)
            changed.setdefault(rel, date.fromisoformat(day))  # newest commit comes first
    return changed


def _git_prefix(settings: Settings) -> str:
    """The project's path inside its git repository ('' at the top), for `git log` names."""
    result = subprocess.run(
        ["git", "-C", str(settings.root), "rev-parse", "--show-prefix"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


def _inputs(folder: Path, pattern: str) -> list[Path]:
    """Files matching `pattern` below `folder`, sorted, hidden ones left out: editors keep
    lock and backup files beside the one being edited (`.#leaf.yaml`), and those are
    not catalog entries.

    Walked with `os.walk` rather than `Path.rglob`, which costs a tenth of a second per
    thousand files in pure Python: a warm run lists the inputs after every save. Like
    `rglob`, it does not descend into links to folders, and names a folder that matches
    (reading it then reports a problem)."""
    found = []
    for top, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found += [
            Path(top, name)
            for name in (*folders, *names)
            if not name.startswith(".") and fnmatch.fnmatchcase(name, pattern)
        ]
    return sorted(found, key=lambda path: path.parts)  # the order of `sorted(paths)`


def _status(path: Path, settings: Settings, problems: list[Problem]) -> os.stat_result | None:
    """The file's status, or None with a problem reported (gone, or too large to read)."""
    rel = settings.rel(path)
    try:
        status = path.stat()
    except OSError as exc:  # a broken link, or removed while we were reading
        problems.append(
            Problem(rel, 0, "", f"cannot read it: {exc.strerror}", "restore the file or remove it")
        )
        return None
    if status.st_size > MAX_FILE_BYTES:
        problems.append(
            Problem(
                rel,
                0,
                "",
                f"file is {status.st_size:,} bytes, over the {MAX_FILE_BYTES:,} byte limit",
                "split it into smaller files",
            )
        )
        return None
    return status


def _read_text(
    path: Path,
    settings: Settings,
    problems: list[Problem],
    memo: InputMemo,
    status: os.stat_result | None = None,
) -> tuple[str, bytes] | None:
    """The file's text and the digest of its bytes (read together: a key made from the
    digest then always names the text parsed), or None with a problem reported.
    `status` is the file's, when the caller took it already."""
    rel = settings.rel(path)
    status = status or _status(path, settings, problems)
    if status is None:
        return None
    try:
        data, digest = memo.read(path, status)
    except OSError as exc:
        problems.append(
            Problem(rel, 0, "", f"cannot read it: {exc.strerror}", "restore the file or remove it")
        )
        return None
    try:
        return data.decode("utf-8-sig"), digest
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                rel,
                line,
                "",
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                "save the file as UTF-8",
            )
        )
        return None


def _kept(memo: InputMemo, path: Path, status: os.stat_result, *kind: str) -> Any:
    """What was kept of `path` under `kind` and the digest of its bytes, if the file is
    unchanged since it was last read (then it is not even read again); else None."""
    digest = memo.known(path, status)
    return memo.files.find((*kind, digest)) if digest is not None else None


_ID_LINE = re.compile(r"^(?:- )?id:\s*['\"]?(DLC-[0-9]{4})\b", re.MULTILINE)


def _load_yaml(path: Path, settings: Settings, raw: RawInput, memo: InputMemo) -> LoadedYaml | None:
    status = _status(path, settings, raw.problems)
    if status is None:
        return None
    kept = _kept(memo, path, status, "yaml")
    if kept is None:
        read = _read_text(path, settings, raw.problems, memo, status)
        if read is None:
            # Undecodable: still find the IDs it declares. (Unreadable: nothing to find;
            # too large was ruled out by `_status`.)
            if path.is_file():
                text = path.read_bytes().decode("utf-8", errors="replace")
                raw.unreadable_ids.update(_ID_LINE.findall(text))
            return None
        text, digest = read
        declared = frozenset(_ID_LINE.findall(text))
        try:
            kept = (parse_yaml(text), declared)
        except YamlError as exc:
            raw.problems.append(Problem(settings.rel(path), exc.line, "", exc.message, exc.hint))
            raw.unreadable_ids.update(declared)
            return None
        memo.files.keep(("yaml", digest), kept)
    doc, declared = kept
    return LoadedYaml(settings.rel(path), doc, declared)


def _load_csv(
    path: Path,
    settings: Settings,
    columns: Columns,
    problems: list[Problem],
    memo: InputMemo,
) -> list[LoadedRow]:
    status = _status(path, settings, problems)
    if status is None:
        return []
    rel = settings.rel(path)
    kept = _kept(memo, path, status, "csv", rel)
    if kept is None:
        read = _read_text(path, settings, problems, memo, status)
        if read is None:
            return []
        text, digest = read
        found: list[Problem] = []  # a pure function of the text: kept with the rows
        kept = (read_rows(rel, text, columns, found), found)
        memo.files.keep(("csv", rel, digest), kept)
    rows, found = kept
    problems.extend(found)
    return rows
