"""`catalog queue-suggest PACKAGE`: the labeling queue of a study's coarsely labeled posts.

Owns the computation of `queue/<study>.csv`. A study may label many posts only with a
coarse category: Chen et al. (2020) read a sample of their 3,023 questions by hand and
gave the others only their platform (server and cloud, mobile, browser). Each post whose
labels from the study are all categories with subcategories is queued with the three
challenges below those labels that `catalog suggest`'s ranking (`analysis.suggest`, fitted
on the repository's own text) puts first for the question's title and body. The text is
read from a local copy of the study's replication package (as `evaluate-suggest` reads
it, for Chen et al. github.com/chenzhenpeng18/fse2020) and never stored: the queue holds
IDs only. The same catalog and package give the same file, byte for byte (ties are broken
by ID). Posts whose text the package lacks, or that share no word with any candidate, are
left out and counted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..analysis.suggest import Suggester
from ..inputs.didyoumean import suggest
from ..inputs.load import QUEUE_COLUMNS, load
from ..inputs.validate import validate
from ..model.catalog import Catalog
from ..model.queue import MAX_SUGGESTIONS, QueueItem
from ..model.vocab import LIST_SEPARATOR
from ..settings import QUEUE_DIR, Settings
from ..site.write import atomic_write
from .evaluate import question_texts
from .scaffold import refuse


@dataclass(frozen=True)
class Queue:
    """A computed labeling queue, and what was left out of it."""

    study: str
    """The study's source key (the file is `queue/<study>.csv`)."""
    items: tuple[QueueItem, ...]
    """One per queued post, in the catalog's post order."""
    without_text: int
    """Coarsely labeled posts whose text the package does not hold."""
    unmatched: int
    """Coarsely labeled posts whose text shares no word with any candidate challenge."""
    package_commit: str
    """The commit of the study's data set the catalog cites."""


def compute(catalog: Catalog, study: str, texts: dict[str, str]) -> Queue:
    """The queue of `study`'s coarsely labeled posts, suggested from `texts` (by post id)."""
    suggester = Suggester(catalog)
    active = set(suggester.ids)
    items = []
    without_text = unmatched = 0
    for post in catalog.posts:
        labels = post.study_labels(study)
        if not labels or not all(catalog.children[label] for label in labels):
            continue  # not labeled by the study, or labeled finely by it
        text = texts.get(post.post_id) if post.site == "stackoverflow" else None
        if text is None:
            without_text += 1
            continue
        below = {cid for label in labels for cid, _ in catalog.descendants(label)} & active
        scores = suggester.scores(text)
        ranked = sorted((cid for cid in below if scores[cid] > 0), key=lambda c: (-scores[c], c))
        if not ranked:
            unmatched += 1
            continue
        items.append(
            QueueItem(site=post.site, post_id=post.post_id, suggestions=ranked[:MAX_SUGGESTIONS])
        )
    return Queue(study, tuple(items), without_text, unmatched, catalog.dataset_commit(study))


def csv_text(queue: Queue) -> str:
    """The queue as `queue/<study>.csv`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(QUEUE_COLUMNS.names)
    for item in queue.items:
        writer.writerow([item.site, item.post_id, LIST_SEPARATOR.join(item.suggestions)])
    return buffer.getvalue()


def run(settings: Settings, package: Path, study: str = "chen2020") -> tuple[Queue, str]:
    """Compute the queue of `study` from the catalog at `settings` and the package's text,
    write it to `queue/<study>.csv`; return it and the file's path."""
    rel = f"{QUEUE_DIR}/{study}.csv"
    raw = load(settings)
    # The queue being recomputed is not read: a stale one (a suggested challenge since
    # retired) is what this command fixes, so it must not stop it.
    raw.queues.pop(study, None)
    raw.problems = [p for p in raw.problems if p.file != rel]
    catalog, _ = validate(raw)
    if study not in catalog.studies:
        raise refuse(
            "--study",
            f"no study '{study}'",
            suggest(study, catalog.studies) or "use a source key from catalog/_studies/",
        )
    queue = compute(catalog, study, question_texts(package))
    path = settings.queue_dir / f"{study}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, csv_text(queue).encode("utf-8"))
    return queue, rel
