"""`catalog evaluate-suggest PACKAGE`: how often the suggester names a study's own label.

Owns the measurement. The questions a study labeled are held out in folds (k-fold
cross-validation, fixed seed): for each fold the suggester is rebuilt without the held-out
posts' summaries, so no question can rank its own label from its own summary, and each
held-out question's text (title and body, read from a local copy of the study's package
and never stored) is ranked against the study's categories. Accuracy is the share of
questions whose label is first (top-1) or among the first three (top-3), at the level of
the labels themselves (leaf) and of their top-level categories under each platform
(inner). Two baselines show what the ranking adds: always guessing the most frequent
labels of the training folds (majority), and counting the question's words that appear in
a category's title and summary (plain search). The site's in-browser ranking is measured
too, from each fold's own exported index, as "Find your challenge" would rank.
"""

from __future__ import annotations

import datetime
import html
import json
import random
import re
import subprocess
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..analysis.siteindex import index_scores, site_index
from ..analysis.suggest import TOKEN_PATTERN, Suggester
from ..inputs.load import load
from ..inputs.validate import validate
from ..model.catalog import Catalog
from ..settings import Settings

POSTS_ARCHIVE = "Deployment-related Posts.zip"
"""The archive of Chen et al.'s package that holds the questions' text."""

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(TOKEN_PATTERN)


SITE = "site (in-browser index)"
"""The row of the site's "Find your challenge" ranking."""

RANKINGS = ("suggester", SITE, "plain search", "majority")
"""Every ranking measured, in the order the table shows them."""


@dataclass(frozen=True)
class Score:
    """Top-1 and top-3 accuracy of one ranking at one level."""

    top1: float
    """Share of questions whose label is ranked first."""
    top3: float
    """Share of questions whose label is among the first three."""


@dataclass(frozen=True)
class Evaluation:
    """Every measured accuracy, and what it was measured on."""

    questions: int
    """Held-out questions, each ranked once."""
    candidates: int
    """Labels the ranking chooses among."""
    folds: int
    """Cross-validation folds."""
    scores: dict[tuple[str, str], Score]
    """`(ranking, level)` → accuracy; rankings are `RANKINGS`; levels `leaf`, `inner`."""
    package_commit: str = "unknown"
    """The commit of the study's data set the catalog cites (where the text was read)."""


def question_texts(package: Path) -> dict[str, str]:
    """Title and body of every question in the package, as plain text, by question id."""
    texts = {}
    with zipfile.ZipFile(package / POSTS_ARCHIVE) as zipped:
        for name in sorted(zipped.namelist()):
            if not name.endswith("_post.txt") or "__MACOSX" in name:
                continue
            for line in zipped.read(name).decode("utf-8").splitlines():
                record = json.loads(line)
                body = html.unescape(_TAG.sub(" ", record.get("Body", "")))
                texts[str(record["Id"])] = f"{record.get('Title', '')}\n{body}"
    return texts


def folds(keys: Sequence[str], k: int, seed: int = 2020) -> list[list[str]]:
    """`keys` shuffled with a fixed seed and dealt into `k` folds of nearly equal size."""
    shuffled = sorted(keys)
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::k] for i in range(k)]


def _inner(catalog: Catalog, cid: str, platforms: set[str]) -> str:
    """The top-level category under a platform that `cid` belongs to (itself if it is one)."""
    chain = [*catalog.ancestors(cid), cid]
    for i, node in enumerate(chain):
        if node in platforms and i + 1 < len(chain):
            return chain[i + 1]
    return cid


def _score(
    ranked: list[list[str]], truth: list[str], level: Callable[[str], str] | None = None
) -> Score:
    hits1 = hits3 = 0
    for order, label in zip(ranked, truth, strict=True):
        if level is not None:  # best rank of each inner category, in order
            order = list(dict.fromkeys(level(c) for c in order))
            label = level(label)
        hits1 += order[:1] == [label]
        hits3 += label in order[:3]
    return Score(hits1 / len(truth), hits3 / len(truth))


def evaluate(catalog: Catalog, study: str, texts: dict[str, str], k: int = 5) -> Evaluation:
    """Cross-validate the suggester on the posts `study` labeled below its platforms."""
    platforms = {
        c.id
        for c in catalog.studies[study].categories
        if catalog.challenges[c.id].parent == catalog.studies[study].root
    }
    # The study's own label: a post a contributor has relabeled keeps it in labeler_labels.
    label = {p.key: p.study_labels(study)[:1] for p in catalog.posts}
    posts = {
        p.key: p
        for p in catalog.posts
        if label[p.key] and label[p.key][0] not in platforms and p.post_id in texts
    }
    truth_of = {key: label[key][0] for key in posts}
    candidates = sorted(set(truth_of.values()))
    documents = {
        cid: {w.lower() for w in _WORD.findall(f"{c.title} {c.summary}")}
        for cid, c in catalog.challenges.items()
        if cid in candidates
    }
    ranked: dict[str, list[list[str]]] = {name: [] for name in RANKINGS}
    truth: list[str] = []
    for held_out in folds(list(posts), k):
        suggester = Suggester(catalog, leave_out=held_out)
        index = site_index(suggester)
        training = Counter(truth_of[key] for key in posts if key not in held_out)
        majority = sorted(candidates, key=lambda c: (-training[c], c))
        for key in held_out:
            text = texts[posts[key].post_id]
            scores = suggester.scores(text)
            ranked["suggester"].append(sorted(candidates, key=lambda c: (-scores[c], c)))
            on_site = index_scores(index, text)
            ranked[SITE].append(sorted(candidates, key=lambda c: (-on_site[c], c)))
            ranked["majority"].append(majority)
            words = {w.lower() for w in _WORD.findall(text)}
            ranked["plain search"].append(
                sorted(candidates, key=lambda c: (-len(words & documents[c]), c))
            )
            truth.append(truth_of[key])
    inner = lambda cid: _inner(catalog, cid, platforms)  # noqa: E731
    scores = {}
    for name, orders in ranked.items():
        scores[(name, "leaf")] = _score(orders, truth)
        scores[(name, "inner")] = _score(orders, truth, inner)
    return Evaluation(len(truth), len(candidates), k, scores, catalog.dataset_commit(study))


def run(settings: Settings, package: Path, study: str = "chen2020", k: int = 5) -> Evaluation:
    """Evaluate on the catalog at `settings` with the questions' text from `package`."""
    catalog, _ = validate(load(settings))
    return evaluate(catalog, study, question_texts(package), k)


def table(result: Evaluation) -> str:
    """The results as a Markdown table."""
    rows = [
        "| Ranking | Leaf top-1 | Leaf top-3 | Inner top-1 | Inner top-3 |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in RANKINGS:
        leaf, inner = result.scores[(name, "leaf")], result.scores[(name, "inner")]
        rows.append(
            f"| {name} | {leaf.top1:.2f} | {leaf.top3:.2f} | {inner.top1:.2f} | {inner.top3:.2f} |"
        )
    return "\n".join(rows) + "\n"


NOTES = "<!-- notes: written by hand, kept by --record -->"
"""Everything after this line of the accuracy page is kept when results are recorded."""

GOALS = {("leaf", "top3"): 0.60, ("inner", "top3"): 0.85}
"""What the issue that asked for the suggester set out to reach (aims, not claims)."""


def page(result: Evaluation, catalog_commit: str, when: str) -> str:
    """The top of the accuracy page: what was measured, when, on what, and the table."""
    goals = "; ".join(
        f"{level} top-3 {result.scores[('suggester', level)].top3:.2f} against a goal of "
        f"{goal:.2f} ({'met' if result.scores[('suggester', level)].top3 >= goal else 'not met'})"
        for (level, _), goal in GOALS.items()
    )
    return (
        "# Suggestion accuracy\n\n"
        f"Measured by `catalog evaluate-suggest` on {when}: {result.questions:,} questions "
        f"that Chen et al. (2020) labeled, {result.folds}-fold cross-validation (fixed seed), "
        f"ranked among the study's {result.candidates} labels; catalog at commit "
        f"{catalog_commit}, question text from the replication package at commit "
        f"{result.package_commit}.\n\n" + table(result) + f"\nSuggester: {goals}.\n\n"
    )


def record(settings: Settings, result: Evaluation) -> Path:
    """Replace the measured part of `docs/accuracy.md` (dated, with the catalog's commit),
    keeping the notes below it; return the page's path."""
    head = subprocess.run(
        ["git", "-C", str(settings.root), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    path = settings.docs_dir / "accuracy.md"
    top = page(result, head or "unknown", datetime.date.today().isoformat())
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    notes = old[old.index(NOTES) :] if NOTES in old else NOTES + "\n"
    path.write_text(top + notes, encoding="utf-8")
    return path
