"""Incremental statistics: after every post edit, `Tally.update` equals a full `analyze`."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import date

from conftest import write_files
from generator.analysis.analyze import analyze
from generator.analysis.delta import Tally
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.model.post import Post
from generator.model.vocab import FRAMEWORKS, PLATFORMS

SEED = 15
EDITS = 200

# A second taxonomy beside the tiny fixture's, one level deeper, with a category that is a
# leaf: roll-ups over four levels, siblings at equal distance, leaves of both kinds.
EXTRA = {
    "DLC-0007": (None, "Second taxonomy"),
    "DLC-0008": ("DLC-0007", "Leaf category"),
    "DLC-0009": ("DLC-0007", "Branch two"),
    "DLC-0010": ("DLC-0009", "Deep branch"),
    "DLC-0011": ("DLC-0010", "Deep leaf one"),
    "DLC-0012": ("DLC-0010", "Deep leaf two"),
    "DLC-0013": ("DLC-0009", "Shallow leaf"),
}
LABELS = ["DLC-0001", "DLC-0002", "DLC-0003", "DLC-0004", *EXTRA]
"""Every active challenge: what a post may be labeled with."""
LABELERS = ["ann", "bo", "cy", "study2020"]


def fixture_catalog(settings):
    files = {
        f"catalog/extra-{cid}.yaml": f"id: {cid}\ntitle: {title}\n"
        f"parent: {parent or 'null'}\nsummary: A challenge of the delta test.\n"
        "description: Made for the test.\nlabeling: Test only.\n"
        "recommendations:\n  developers: null\n  vendors: null\n  researchers: Nothing.\n"
        "references:\n  - source: study2020\n    checked: true\n"
        for cid, (parent, title) in EXTRA.items()
    }
    ids = (settings.catalog_dir / "_ids.yaml").read_text()
    files["catalog/_ids.yaml"] = ids + "".join(f"  - {cid}\n" for cid in EXTRA)
    write_files(settings.root, files)
    catalog, _ = validate(load(settings))
    return catalog


def random_post(rng: random.Random, number: int, **fields) -> Post:
    labels = rng.sample(LABELS, rng.choice((1, 1, 2, 3)))
    site = rng.choice(("stackoverflow", "github"))
    post_id = str(number) if site == "stackoverflow" else f"test/repo#{number}"
    url = (
        f"https://stackoverflow.com/questions/{number}"
        if site == "stackoverflow"
        else f"https://github.com/test/repo/issues/{number}"
    )
    values = {
        "site": site,
        "post_id": post_id,
        "url": url,
        "primary_label": labels[0],
        "other_labels": labels[1:],
        "created": random_created(rng),
        "frameworks": random_frameworks(rng),
        "platform": rng.choice(PLATFORMS),
        "score": rng.choice((None, *range(-2, 9))),
        "accepted_answer": rng.choice(("", "yes", "no")),
        "labeled_by": rng.choice(LABELERS),
        "summary": rng.choice((None, f"Test post {number}.")),
    }
    return Post.model_validate(values | fields)


def random_created(rng: random.Random) -> date | None:
    roll = rng.random()
    if roll < 0.15:
        return None
    if roll < 0.2:  # outside the usual span: the years axis grows, and shrinks on deletion
        return date(rng.choice((2009, 2011, 2027)), rng.randint(1, 12), rng.randint(1, 28))
    # Few distinct days, so that ties on date reach the next sort keys.
    return date(rng.randint(2016, 2021), rng.choice((1, 6)), rng.choice((1, 15)))


def random_frameworks(rng: random.Random) -> list[str]:
    if rng.random() < 0.05:  # a framework listed twice counts twice in facets, once in totals
        return [rng.choice(FRAMEWORKS)] * 2
    return rng.sample(FRAMEWORKS, rng.randint(1, 2))


def edit(rng: random.Random, posts: dict[str, Post], number: int) -> str:
    """Apply one random edit to `posts` (by key); return its kind."""
    kind = rng.choice(
        ("add", "add", "add", "change", "change", "relabel", "delete", "thin", "copy", "batch")
    )
    keys = sorted(posts)
    if kind == "add" or not keys:
        post = random_post(rng, number)
        posts[post.key] = post
        return "add"
    key = rng.choice(keys)
    post = posts[key]
    if kind == "change":
        field = rng.choice(
            ("created", "summary", "frameworks", "platform", "accepted", "score", "labeled_by")
        )
        new = {
            "created": lambda: random_created(rng),
            "summary": lambda: None if post.summary else f"Now summarized {number}.",
            "frameworks": lambda: random_frameworks(rng),
            "platform": lambda: rng.choice(PLATFORMS),
            "accepted": lambda: rng.choice(("", "yes", "no")),
            "score": lambda: rng.choice((None, *range(-2, 9))),
            "labeled_by": lambda: rng.choice(LABELERS),
        }[field]()
        name = "accepted_answer" if field == "accepted" else field
        values = post.model_dump() | {name: new}
        values["accepted_answer"] = {None: "", True: "yes", False: "no"}.get(
            values["accepted_answer"], values["accepted_answer"]
        )
        posts[key] = Post.model_validate(values)
    elif kind == "relabel":
        labels = rng.sample(LABELS, rng.choice((1, 2, 3)))
        if rng.random() < 0.3 and len(post.labels) > 1:  # swap primary and other
            labels = [*post.other_labels[:1], post.primary_label]
        posts[key] = post.model_copy(
            update={"primary_label": labels[0], "other_labels": labels[1:]}
        )
    elif kind == "delete":
        del posts[key]
    elif kind == "thin":  # delete from the rarest year or framework: its last post, in time
        facet = rng.choice(("year", "framework"))
        counts = Counter(
            value
            for p in posts.values()
            for value in (
                [p.created.year]
                if facet == "year" and p.created
                else p.frameworks * (facet != "year")
            )
        )
        if counts:
            rarest = min(counts, key=lambda v: (counts[v], str(v)))
            victim = min(
                k
                for k, p in posts.items()
                if (p.created and p.created.year == rarest) or rarest in p.frameworks
            )
            del posts[victim]
    elif kind == "copy":  # an equal post, but another object (a reparsed, unchanged row)
        posts[key] = post.model_copy()
    else:  # several edits in one save
        for n in range(rng.randint(2, 4)):
            edit(rng, posts, number * 10 + n)
    return kind


def with_posts(catalog, posts: dict[str, Post]):
    return dataclasses.replace(
        catalog, posts=tuple(sorted(posts.values(), key=lambda p: (p.site, p.post_id)))
    )


def facet_counts(stats, cid: str) -> dict:
    return {
        (kind, value): by[cid]
        for kind, values in stats.facets.items()
        for value, by in values.items()
        if cid in by
    }


def counts_of(tally: Tally) -> dict:
    """A tally's counts, without the catalog and statistics it describes and the examples
    it keeps from the last updates (checked in the statistics)."""
    return {k: v for k, v in vars(tally).items() if k not in ("_catalog", "_stats", "_top")}


def test_update_equals_a_full_run_after_every_edit(tiny):
    rng = random.Random(SEED)
    catalog = fixture_catalog(tiny)
    posts = {p.key: p for p in catalog.posts}
    for number in range(1000, 1040):
        post = random_post(rng, number)
        posts[post.key] = post
    catalog = with_posts(catalog, posts)
    before = analyze(catalog)
    tally = Tally(catalog, before)
    seen: Counter[str] = Counter()
    for number in range(2000, 2000 + EDITS):
        kind = edit(rng, posts, number)
        catalog = with_posts(catalog, posts)
        update = tally.update(catalog)
        expected = analyze(catalog)
        assert update is not None
        assert update.stats == expected, (number, kind)
        # repr shows every field in order, dicts in insertion order: equal output needs both.
        assert repr(update.stats) == repr(expected), (number, kind)
        differs = {
            cid
            for cid in catalog.challenges
            if before.by_challenge[cid] != expected.by_challenge[cid]
            or facet_counts(before, cid) != facet_counts(expected, cid)
        }
        assert update.affected == differs, (number, kind)  # exact, not only a cover
        assert update.span_changed == (expected.years != before.years)
        assert update.facets == {
            (kind, value)
            for kind in expected.facets
            for value in expected.facet_totals[kind].keys() | before.facet_totals[kind].keys()
            if expected.facets[kind].get(value) != before.facets[kind].get(value)
            or expected.facet_totals[kind].get(value) != before.facet_totals[kind].get(value)
        }
        seen[kind] += 1
        seen["years changed"] += expected.years != before.years
        seen["year gone"] += bool(
            before.facet_totals["year"].keys() - expected.facet_totals["year"].keys()
        )
        seen["framework gone"] += bool(
            before.facet_totals["framework"].keys() - expected.facet_totals["framework"].keys()
        )
        seen["nothing changed"] += not update.affected and not update.posts
        before = expected
        if number % 50 == 0:
            # A tally made afresh (as after a full run) counts what the updated one does.
            assert counts_of(Tally(catalog, expected)) == counts_of(tally), number
    # The sequence exercised what it is meant to, so a pass means something.
    assert all(
        seen[k] >= 3
        for k in ("add", "change", "relabel", "delete", "thin", "copy", "batch", "years changed")
    ), seen
    assert seen["year gone"] and seen["framework gone"] and seen["nothing changed"], seen
    assert len(catalog.posts) > 40


def test_update_declines_when_anything_but_the_posts_changed(tiny):
    catalog = fixture_catalog(tiny)
    tally = Tally(catalog, analyze(catalog))
    retitled = dict(catalog.challenges)
    retitled["DLC-0008"] = retitled["DLC-0008"].model_copy(update={"title": "Renamed"})
    assert tally.update(dataclasses.replace(catalog, challenges=retitled)) is None
    moved = dict(catalog.challenges)
    moved["DLC-0013"] = moved["DLC-0013"].model_copy(update={"parent": "DLC-0007"})
    assert tally.update(dataclasses.replace(catalog, challenges=moved)) is None
    assert tally.update(dataclasses.replace(catalog, sources={})) is None
    assert tally.update(dataclasses.replace(catalog, studies={})) is None
    # Declining changed nothing: the tally still describes the catalog it had.
    rng = random.Random(SEED)
    posts = {p.key: p for p in catalog.posts}
    post = random_post(rng, 7)
    posts[post.key] = post
    added = with_posts(catalog, posts)
    update = tally.update(added)
    assert update is not None and update.stats == analyze(added)
    assert update.posts == {post.key}


def test_an_unchanged_catalog_changes_nothing(tiny):
    catalog = fixture_catalog(tiny)
    stats = analyze(catalog)
    update = Tally(catalog, stats).update(catalog)
    assert update is not None
    assert update.stats == stats
    assert not (update.affected or update.span_changed or update.facets or update.posts)
