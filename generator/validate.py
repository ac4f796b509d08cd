"""Stage 2, validate: turn what `load` read into a `Catalog`, or explain why not.

Owns every rule about the input's meaning: field types and formats (through
the pydantic models), and the rules that span files: unique IDs, parents that
exist, no cycles, labels that name active challenges, unique posts. Every
problem is collected; `ValidationFailed` is raised once, at the end.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ValidationError

from .catalog import Catalog
from .errors import Problem, Severity, ValidationFailed
from .load import LoadedYaml, RawInput
from .models import (
    PROSE_CHALLENGE_LINK,
    SCAFFOLD_HINT,
    Challenge,
    Post,
    Registry,
    Source,
    Status,
    Study,
)
from .suggest import suggest


def validate(raw: RawInput, strict: bool = False) -> tuple[Catalog, list[Problem]]:
    """Check everything; return the catalog and its warnings, or raise `ValidationFailed`."""
    problems = list(raw.problems)
    sources = _validate_sources(raw.sources, problems)
    challenges, files, docs, broken = _validate_challenges(raw.challenges, problems)
    # IDs of entries that exist but failed to load or validate: references to them
    # are not reported again as "unknown"; the entry's own error says what to fix.
    broken |= raw.unreadable_ids
    _check_graph(challenges, files, docs, sources, broken, problems)
    posts = _validate_posts(raw, challenges, broken, problems)
    studies = _validate_studies(raw.studies, sources, challenges, broken, problems)
    _check_registry(raw.registry, challenges, files, docs, broken, problems)
    _style_warnings(challenges, files, docs, posts, problems)
    if strict:
        problems = [Problem(p.file, p.line, p.field, p.message, p.hint) for p in problems]
    if any(p.severity is Severity.ERROR for p in problems):
        raise ValidationFailed(problems)
    catalog = Catalog(
        challenges={cid: challenges[cid] for cid in sorted(challenges)},
        sources=dict(sorted(sources.items())),
        posts=tuple(sorted(posts, key=lambda p: (p.site, p.post_id))),
        files={cid: files[cid] for cid in sorted(files)},
        studies=dict(sorted(studies.items())),
    )
    return catalog, sorted(problems)


_TYPE_HINTS = {
    "string_type": "write it as text, in quotes if it looks like a number or a date",
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "list_type": "write a list: one item per line, each starting with '- '",
    "dict_type": "write the fields indented on the lines below",
    "model_type": "write the fields indented on the lines below",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
}
"""Hints for pydantic's type errors, which say what is wrong but not what to write."""


def schema_problems(
    exc: ValidationError, model: type[BaseModel], file: str, line_of, field_prefix: str = ""
) -> list[Problem]:
    """Translate pydantic's errors into `Problem`s with lines and plain-language hints."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        # Keep list indices out of the field name ('frameworks', not 'frameworks.1').
        field = ".".join(str(part) for part in loc if isinstance(part, str))
        message = error["msg"].removeprefix("Value error, ")
        kind = error["type"]
        hint = _TYPE_HINTS.get(kind, "")
        if kind == "missing":
            message, hint = "required field is missing", "add it (see CONTRIBUTING.md)"
        elif kind == "extra_forbidden":
            names = _field_names(model, loc[:-1])
            message = "unknown field"
            hint = suggest(str(loc[-1]), names) or "allowed: " + ", ".join(names)
        elif kind == "string_pattern_mismatch" and "DLC-" in str(error.get("ctx", {})):
            message = f"'{error['input']}' is not a challenge ID"
            hint = "IDs look like DLC-0042"
        elif kind == "literal_error":
            allowed = [
                a.strip(" '")
                for a in str(error["ctx"]["expected"]).replace(" or ", ", ").split(", ")
            ]
            message = f"'{error['input']}' is not allowed"
            hint = suggest(str(error["input"]), allowed) or "allowed: " + ", ".join(allowed)
        problems.append(Problem(file, line_of(loc), field_prefix + field, message, hint))
    return problems


def _field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the (nested) model at `loc`, for 'did you mean' on unknown fields."""
    for part in loc:
        if not isinstance(part, str):
            continue
        annotation = model.model_fields[part].annotation
        nested = [
            a
            for a in getattr(annotation, "__args__", (annotation,))
            if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if not nested:
            return []
        model = nested[0]
    return list(model.model_fields)


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


def _validate_challenges(
    loaded: list[LoadedYaml], problems: list[Problem]
) -> tuple[dict[str, Challenge], dict[str, str], dict[str, LoadedYaml], set[str]]:
    challenges: dict[str, Challenge] = {}
    files: dict[str, str] = {}
    docs: dict[str, LoadedYaml] = {}
    broken: set[str] = set()
    for item in loaded:
        if not isinstance(item.doc.data, dict):
            broken |= item.declared_ids
            problems.append(
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
            problems.extend(schema_problems(exc, Challenge, item.path, item.doc.line_of))
            broken |= item.declared_ids
            if isinstance(item.doc.data.get("id"), str):
                broken.add(item.doc.data["id"])
            continue
        if challenge.id in challenges:
            problems.append(
                Problem(
                    item.path,
                    item.doc.line_of(("id",)),
                    "id",
                    f"duplicate ID '{challenge.id}', also used by {files[challenge.id]}",
                    "a new challenge takes the next free ID; IDs are never reused",
                )
            )
            continue
        challenges[challenge.id] = challenge
        files[challenge.id] = item.path
        docs[challenge.id] = item
    return challenges, files, docs, broken


def _check_graph(
    challenges: dict[str, Challenge],
    files: dict[str, str],
    docs: dict[str, LoadedYaml],
    sources: Mapping[str, Source],
    broken: set[str],
    problems: list[Problem],
) -> None:
    titles = {cid: c.title for cid, c in challenges.items()}

    def report(cid: str, path: tuple, message: str, hint: str = "", severity=Severity.ERROR):
        field = ".".join(str(p) for p in path if isinstance(p, str))
        line = docs[cid].doc.line_of(path)
        problems.append(Problem(files[cid], line, field, message, hint, severity))

    def resolve(
        cid: str, path: tuple, ref: str, what: str = "unknown challenge"
    ) -> Challenge | None:
        """The challenge `ref` names, or None after reporting it (unless its file is broken)."""
        if ref not in challenges and ref not in broken:
            report(
                cid,
                path,
                f"{what} '{ref}'",
                suggest(ref, challenges, titles) or "use an existing challenge ID",
            )
        return challenges.get(ref)

    for cid, c in challenges.items():
        parent = c.parent and resolve(cid, ("parent",), c.parent)
        if parent and parent.status is not Status.ACTIVE and c.status is Status.ACTIVE:
            report(
                cid,
                ("parent",),
                f"parent '{c.parent}' is {parent.status.value}",
                "move this challenge under an active one",
            )
        target = c.merged_into and resolve(cid, ("merged_into",), c.merged_into)
        if target and (target.id == cid or target.status is not Status.ACTIVE):
            report(
                cid,
                ("merged_into",),
                f"'{c.merged_into}' is not an active challenge",
                "merge into an active challenge",
            )
        for i, rel in enumerate(c.related):
            if resolve(cid, ("related", i, "id"), rel.id) and rel.id == cid:
                report(cid, ("related", i, "id"), "a challenge cannot be related to itself")
        for path, text in _prose_fields(c):
            for linked in PROSE_CHALLENGE_LINK.findall(text):
                resolve(cid, path, linked, "links to unknown challenge")
        for i, ref in enumerate(c.references):
            if ref.source not in sources:
                report(
                    cid,
                    ("references", i, "source"),
                    f"unknown source '{ref.source}'",
                    suggest(ref.source, sources) or "add it to catalog/_sources.yaml",
                )
        if not any(text for _, text in c.recommendations):
            report(
                cid,
                ("recommendations",),
                "no recommendation for any audience yet",
                "write at least one",
                Severity.WARNING,
            )
    _check_cycles(challenges, files, docs, problems)


def _prose_fields(c: Challenge) -> list[tuple[tuple[str, ...], str]]:
    fields = [(("description",), c.description), (("labeling",), c.labeling)]
    for audience, text in c.recommendations:
        if text:
            fields.append((("recommendations", audience), text))
    return fields


def _check_cycles(challenges, files, docs, problems: list[Problem]) -> None:
    """Report each parent cycle once, at its smallest ID, so the fix is in one place."""
    seen: set[str] = set()
    for start in sorted(challenges):
        path: list[str] = []
        node: str | None = start
        while node in challenges and node not in seen and node not in path:
            path.append(node)
            node = challenges[node].parent
        if node is not None and node in path:
            cycle = path[path.index(node) :]
            first = min(cycle)
            loop = " → ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)], first])
            problems.append(
                Problem(
                    files[first],
                    docs[first].doc.line_of(("parent",)),
                    "parent",
                    f"parents form a cycle: {loop}",
                    "a taxonomy is a tree; one of them needs another parent",
                )
            )
        seen.update(path)


SUMMARY_WARN_LENGTH = 200
"""Link previews cut descriptions at about this many characters."""


def _style_warnings(
    challenges: Mapping[str, Challenge],
    files: Mapping[str, str],
    docs: Mapping[str, LoadedYaml],
    posts: list[Post],
    problems: list[Problem],
) -> None:
    """Things a page should have but can live without; `--strict` makes them errors."""
    labeled = {label for post in posts for label in post.labels}
    parents = {c.parent for c in challenges.values()}

    def warn(cid: str, path: tuple, message: str, hint: str) -> None:
        field = ".".join(str(p) for p in path if isinstance(p, str))
        line = docs[cid].doc.line_of(path)
        problems.append(Problem(files[cid], line, field, message, hint, Severity.WARNING))

    for cid, c in challenges.items():
        if c.status is not Status.ACTIVE:
            continue
        if len(c.summary) > SUMMARY_WARN_LENGTH:
            warn(
                cid,
                ("summary",),
                f"summary is {len(c.summary)} characters long",
                f"keep it to one sentence of at most {SUMMARY_WARN_LENGTH}; link previews "
                "cut the rest",
            )
        if cid not in parents and cid not in labeled:
            warn(
                cid,
                ("id",),
                "no example posts yet",
                f"label a real post with `catalog add-post URL --label {cid} …`",
            )
        for i, ref in enumerate(c.references):
            if not ref.locator:
                warn(
                    cid,
                    ("references", i),
                    "reference gives no locator",
                    "say where in the source: a section, table or page",
                )
        hinted = [(("summary",), c.summary), *_prose_fields(c)]
        hinted += [(("symptoms", i), text) for i, text in enumerate(c.symptoms)]
        hinted += [
            (("references", i, "locator"), ref.locator or "") for i, ref in enumerate(c.references)
        ]
        for path, text in hinted:
            if text.startswith(SCAFFOLD_HINT):
                warn(cid, path, "still holds the scaffold's hint", "replace it with your own text")


def _check_registry(
    loaded: LoadedYaml | None,
    challenges: Mapping[str, Challenge],
    files: Mapping[str, str],
    docs: Mapping[str, LoadedYaml],
    broken: set[str],
    problems: list[Problem],
) -> None:
    """Registered IDs keep their files; every challenge's ID is registered."""
    if loaded is None:
        return
    try:
        registry = Registry.model_validate(loaded.doc.data)
    except ValidationError as exc:
        problems.extend(schema_problems(exc, Registry, loaded.path, loaded.doc.line_of))
        return
    seen: set[str] = set()
    for i, cid in enumerate(registry.ids):
        line = loaded.doc.line_of(("ids", i))
        if cid in seen:
            problems.append(
                Problem(
                    loaded.path, line, "ids", f"'{cid}' is registered twice", "keep the first entry"
                )
            )
        seen.add(cid)
        if cid not in challenges and cid not in broken:
            problems.append(
                Problem(
                    loaded.path,
                    line,
                    "ids",
                    f"'{cid}' was issued but no challenge file has it",
                    "published IDs stay: restore the file and set `status: retired`, or "
                    "`status: merged` with `merged_into`",
                )
            )
    for cid in sorted(set(challenges) - seen):
        problems.append(
            Problem(
                files[cid],
                docs[cid].doc.line_of(("id",)),
                "id",
                f"'{cid}' is not in catalog/_ids.yaml",
                "create challenges with `catalog new challenge`, which registers the ID",
            )
        )


def _validate_studies(
    loaded: list[LoadedYaml],
    sources: Mapping[str, Source],
    challenges: Mapping[str, Challenge],
    broken: set[str],
    problems: list[Problem],
) -> dict[str, Study]:
    """Studies must name their source file, root, and a challenge for every category."""
    studies: dict[str, Study] = {}
    titles = {cid: c.title for cid, c in challenges.items()}
    for item in loaded:
        try:
            study = Study.model_validate(item.doc.data)
        except ValidationError as exc:
            problems.extend(schema_problems(exc, Study, item.path, item.doc.line_of))
            continue

        def report(path: tuple, message: str, hint: str = "", item=item) -> None:
            field = ".".join(str(p) for p in path if isinstance(p, str))
            problems.append(Problem(item.path, item.doc.line_of(path), field, message, hint))

        stem = item.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if study.source != stem:
            report(
                ("source",),
                f"'{study.source}' does not match the file name '{stem}.yaml'",
                f"rename the file to {study.source}.yaml",
            )
        if study.source not in sources:
            report(
                ("source",),
                f"unknown source '{study.source}'",
                suggest(study.source, sources) or "add it to catalog/_sources.yaml",
            )
        root = challenges.get(study.root)
        if root is None and study.root not in broken:
            report(
                ("root",),
                f"unknown challenge '{study.root}'",
                suggest(study.root, challenges, titles)
                or "use the ID of the study's taxonomy root",
            )
        elif root is not None and root.parent is not None:
            report(
                ("root",),
                f"'{study.root}' is not a taxonomy root (its parent is '{root.parent}')",
                "use the ID of a challenge whose parent is null",
            )
        seen: set[str] = set()
        for i, category in enumerate(study.categories):
            path = ("categories", i, "id")
            if category.id in seen:
                report(path, f"'{category.id}' is listed twice", "list each category once")
            seen.add(category.id)
            if category.id not in challenges and category.id not in broken:
                report(
                    path,
                    f"the study's category '{category.name}' has no challenge: "
                    f"unknown challenge '{category.id}'",
                    suggest(category.id, challenges, titles) or "add the challenge, or fix the ID",
                )
        if study.source in studies:
            report(("source",), f"a second study file for '{study.source}'", "merge the two")
            continue
        studies[study.source] = study
    return studies


def _validate_posts(
    raw: RawInput,
    challenges: Mapping[str, Challenge],
    broken: set[str],
    problems: list[Problem],
) -> list[Post]:
    titles = {cid: c.title for cid, c in challenges.items()}
    posts: list[Post] = []
    first_seen: dict[str, str] = {}
    for row in raw.rows:
        try:
            post = Post.model_validate(row.values)
        except ValidationError as exc:
            problems.extend(schema_problems(exc, Post, row.path, lambda loc, r=row: r.line))
            continue
        where = f"{row.path}:{row.line}"
        if post.key in first_seen:
            problems.append(
                Problem(
                    row.path,
                    row.line,
                    "post_id",
                    f"post {post.post_id} is already listed at {first_seen[post.key]}",
                    "merge the two rows' labels",
                )
            )
            continue
        first_seen[post.key] = where
        ok = True
        for column, label in [
            ("primary_label", post.primary_label),
            *(("other_labels", other) for other in post.other_labels),
        ]:
            target = challenges.get(label)
            if label in broken:
                ok = False  # its own file's error is reported already
            elif target is None:
                hint = suggest(label, challenges, titles) or "use an existing challenge ID"
                problems.append(
                    Problem(row.path, row.line, column, f"unknown challenge '{label}'", hint)
                )
                ok = False
            elif target.status is Status.MERGED:
                problems.append(
                    Problem(
                        row.path,
                        row.line,
                        column,
                        f"'{label}' was merged into '{target.merged_into}'",
                        f"label the post '{target.merged_into}'",
                    )
                )
                ok = False
            elif target.status is Status.RETIRED:
                problems.append(
                    Problem(
                        row.path,
                        row.line,
                        column,
                        f"'{label}' is retired",
                        "choose an active challenge",
                    )
                )
                ok = False
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
    return posts
