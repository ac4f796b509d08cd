"""The rules that span files: references between challenges, studies and the ID register.

Owns everything `validate` checks after each file passed its own schema: parents,
merges, related challenges and prose links resolve; no parent cycles; studies map
every category to a challenge; every issued ID keeps its file; and the style
warnings that `--strict` turns into errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from ..errors import Problem, Severity
from ..model.base import PROSE_CHALLENGE_LINK, Status
from ..model.challenge import Challenge, Source
from ..model.release import Registry
from ..model.study import Study
from ..model.vocab import SCAFFOLD_HINT
from .didyoumean import suggest
from .load import LoadedYaml
from .schemaerrors import report, schema_problems

SUMMARY_WARN_LENGTH = 200
"""Link previews cut descriptions at about this many characters."""


@dataclass
class Found:
    """The challenges that passed their own schema, and what every rule needs with them."""

    challenges: dict[str, Challenge] = field(default_factory=dict)
    """Valid challenges by ID."""
    docs: dict[str, LoadedYaml] = field(default_factory=dict)
    """The file each valid challenge came from."""
    broken: set[str] = field(default_factory=set)
    """IDs declared by files that failed to load or validate. References to them are not
    reported again as unknown: the file's own error says what to fix."""
    problems: list[Problem] = field(default_factory=list)
    """Every problem found so far."""

    @property
    def titles(self) -> dict[str, str]:
        """Titles by ID, for 'did you mean' hints."""
        return {cid: c.title for cid, c in self.challenges.items()}

    def report(
        self,
        cid: str,
        path: tuple,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        """A problem with the value at `path` of challenge `cid`'s file."""
        report(self.problems, self.docs[cid], path, message, hint, severity)

    def unknown(self, ref: str) -> bool:
        """Whether `ref` names no challenge at all (not even one whose file is broken)."""
        return ref not in self.challenges and ref not in self.broken

    def hint_for(self, ref: str, fallback: str = "use an existing challenge ID") -> str:
        """'did you mean …' for an unknown ID, else `fallback`."""
        return suggest(ref, self.challenges, self.titles) or fallback


def label_fault(found: Found, label: str, merged_hint: str) -> tuple[str, str] | None:
    """What is wrong with naming challenge `label` where an active one is needed (a post's
    label, a queued post's suggestion), as `(message, hint)`: unknown, merged (`merged_hint`
    says what to do, with `{into}` for its successor) or retired. `("", "")` when the
    challenge's own file failed to load (that error is reported already); None when fine."""
    target = found.challenges.get(label)
    if label in found.broken:
        return "", ""
    if target is None:
        return f"unknown challenge '{label}'", found.hint_for(label)
    if target.status is Status.MERGED:
        into = target.merged_into
        return f"'{label}' was merged into '{into}'", merged_hint.format(into=into)
    if target.status is Status.RETIRED:
        return f"'{label}' is retired", "choose an active challenge"
    return None


def prose_fields(c: Challenge) -> list[tuple[tuple[str, ...], str]]:
    """Paths and texts of a challenge's Markdown fields."""
    fields = [(("description",), c.description), (("labeling",), c.labeling)]
    for audience, text in c.recommendations:
        if text:
            fields.append((("recommendations", audience), text))
    return fields


def check_graph(found: Found, sources: Mapping[str, Source]) -> None:
    """Parents, merges, related challenges, prose links and sources resolve; no cycles."""

    def resolve(cid: str, path: tuple, ref: str, what: str = "unknown challenge"):
        if found.unknown(ref):
            found.report(cid, path, f"{what} '{ref}'", found.hint_for(ref))
        return found.challenges.get(ref)

    for cid, c in found.challenges.items():
        parent = c.parent and resolve(cid, ("parent",), c.parent)
        if parent and parent.status is not Status.ACTIVE and c.status is Status.ACTIVE:
            found.report(
                cid,
                ("parent",),
                f"parent '{c.parent}' is {parent.status.value}",
                "move this challenge under an active one",
            )
        target = c.merged_into and resolve(cid, ("merged_into",), c.merged_into)
        if target and (target.id == cid or target.status is not Status.ACTIVE):
            found.report(
                cid,
                ("merged_into",),
                f"'{c.merged_into}' is not an active challenge",
                "merge into an active challenge",
            )
        for i, rel in enumerate(c.related):
            if resolve(cid, ("related", i, "id"), rel.id) and rel.id == cid:
                found.report(cid, ("related", i, "id"), "a challenge cannot be related to itself")
        for path, text in prose_fields(c):
            for linked in PROSE_CHALLENGE_LINK.findall(text):
                resolve(cid, path, linked, "links to unknown challenge")
        for i, ref in enumerate(c.references):
            if ref.source not in sources:
                found.report(
                    cid,
                    ("references", i, "source"),
                    f"unknown source '{ref.source}'",
                    suggest(ref.source, sources) or "add it to catalog/_sources.yaml",
                )
        if not any(text for _, text in c.recommendations):
            found.report(
                cid,
                ("recommendations",),
                "no recommendation for any audience yet",
                "write at least one",
                Severity.WARNING,
            )
    _check_cycles(found)


def _check_cycles(found: Found) -> None:
    """Report each parent cycle once, at its smallest ID, so the fix is in one place."""
    challenges = found.challenges
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
            found.report(
                first,
                ("parent",),
                f"parents form a cycle: {loop}",
                "a taxonomy is a tree; one of them needs another parent",
            )
        seen.update(path)


def style_warnings(found: Found, labeled: set[str]) -> None:
    """Things a page should have but can live without; `--strict` makes them errors.
    `labeled` holds every challenge some post is labeled with."""
    parents = {c.parent for c in found.challenges.values()}

    def warn(cid: str, path: tuple, message: str, hint: str) -> None:
        found.report(cid, path, message, hint, Severity.WARNING)

    for cid, c in found.challenges.items():
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
        hinted = [(("summary",), c.summary), *prose_fields(c)]
        hinted += [(("symptoms", i), text) for i, text in enumerate(c.symptoms)]
        hinted += [
            (("references", i, "locator"), ref.locator or "") for i, ref in enumerate(c.references)
        ]
        for path, text in hinted:
            if text.startswith(SCAFFOLD_HINT):
                warn(cid, path, "still holds the scaffold's hint", "replace it with your own text")


def check_registry(found: Found, loaded: LoadedYaml | None) -> None:
    """Registered IDs keep their files; every challenge's ID is registered."""
    if loaded is None:
        return
    try:
        registry = Registry.model_validate(loaded.doc.data)
    except ValidationError as exc:
        found.problems.extend(schema_problems(exc, Registry, loaded.path, loaded.doc.line_of))
        return
    seen: set[str] = set()
    for i, cid in enumerate(registry.ids):
        if cid in seen:
            report(
                found.problems,
                loaded,
                ("ids", i),
                f"'{cid}' is registered twice",
                "keep the first entry",
            )
        seen.add(cid)
        if found.unknown(cid):
            report(
                found.problems,
                loaded,
                ("ids", i),
                f"'{cid}' was issued but no challenge file has it",
                "published IDs stay: restore the file and set `status: retired`, or "
                "`status: merged` with `merged_into`",
            )
    for cid in sorted(set(found.challenges) - seen):
        found.report(
            cid,
            ("id",),
            f"'{cid}' is not in catalog/_ids.yaml",
            "create challenges with `catalog new challenge`, which registers the ID",
        )


def check_studies(
    found: Found, loaded: list[LoadedYaml], sources: Mapping[str, Source]
) -> dict[str, Study]:
    """Studies must name their source file, root, and a challenge for every category."""
    studies: dict[str, Study] = {}
    for item in loaded:
        try:
            study = Study.model_validate(item.doc.data)
        except ValidationError as exc:
            found.problems.extend(schema_problems(exc, Study, item.path, item.doc.line_of))
            continue

        def problem(path: tuple, message: str, hint: str = "", item=item) -> None:
            report(found.problems, item, path, message, hint)

        stem = item.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if study.source != stem:
            problem(
                ("source",),
                f"'{study.source}' does not match the file name '{stem}.yaml'",
                f"rename the file to {study.source}.yaml",
            )
        if study.source not in sources:
            problem(
                ("source",),
                f"unknown source '{study.source}'",
                suggest(study.source, sources) or "add it to catalog/_sources.yaml",
            )
        root = found.challenges.get(study.root)
        if found.unknown(study.root):
            problem(
                ("root",),
                f"unknown challenge '{study.root}'",
                found.hint_for(study.root, "use the ID of the study's taxonomy root"),
            )
        elif root is not None and root.parent is not None:
            problem(
                ("root",),
                f"'{study.root}' is not a taxonomy root (its parent is '{root.parent}')",
                "use the ID of a challenge whose parent is null",
            )
        seen: set[str] = set()
        for i, category in enumerate(study.categories):
            path = ("categories", i, "id")
            if category.id in seen:
                problem(path, f"'{category.id}' is listed twice", "list each category once")
            seen.add(category.id)
            if found.unknown(category.id):
                problem(
                    path,
                    f"the study's category '{category.name}' has no challenge: "
                    f"unknown challenge '{category.id}'",
                    found.hint_for(category.id, "add the challenge, or fix the ID"),
                )
        if study.source in studies:
            problem(("source",), f"a second study file for '{study.source}'", "merge the two")
            continue
        studies[study.source] = study
    return studies
