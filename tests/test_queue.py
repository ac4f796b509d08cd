"""Labeling queues: loading and its exact errors, a study's figures after a post leaves the
queue, `add-post` taking a queued post, and `catalog queue-suggest`."""

from __future__ import annotations

import json
import zipfile

import pytest
from click.testing import CliRunner

from conftest import QUEUE, QUEUED_POSTS, TINY, project_from, tree_bytes, write_files, write_queue
from generator.analysis.studydata import recompute
from generator.cli import main
from generator.errors import ValidationFailed
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.pages import helplabel
from generator.settings import Settings

WAITING = "https://github.com/pytorch/pytorch/issues/19190"
"""A queued post that still waits (the fixture study labeled it only `DLC-0002`)."""


def _catalog(settings: Settings):
    return validate(load(settings))[0]


def _problems(tmp_path, files: dict[str, str]) -> list[str]:
    settings = project_from(TINY, tmp_path)
    write_queue(settings)
    write_files(tmp_path, files)
    with pytest.raises(ValidationFailed) as caught:
        validate(load(settings))
    return [str(p) for p in caught.value.problems]


def test_the_fixture_queue_loads_in_file_order(tiny):
    write_queue(tiny)
    catalog = _catalog(tiny)
    assert [item.post_id for item in catalog.queues["study2020"]] == [
        "pytorch/pytorch#19190",
        "huggingface/transformers#7922",
        "jantic/DeOldify#219",
        "MVIG-SJTU/AlphaPose#567",
    ]
    assert catalog.queues["study2020"][0].suggestions == ["DLC-0003", "DLC-0004"]


def test_a_catalog_without_a_queue_folder_has_no_queue(tiny):
    assert not tiny.queue_dir.exists()
    assert _catalog(tiny).queues == {}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "github,onnx/onnx#4065,DLC-0003",
            "queue/study2020.csv:6: post_id: post onnx/onnx#4065 is not in data/ — queue only "
            "posts listed in data/; rerun `catalog queue-suggest` to recompute the queue",
        ),
        (
            "github,pytorch/pytorch#19190,DLC-0003",
            "queue/study2020.csv:6: post_id: post pytorch/pytorch#19190 is already queued at "
            "line 2 — keep one row per post",
        ),
        (
            "github,tensorflow/tensorflow#33765,DLC-0003",
            "queue/study2020.csv:6: post_id: post tensorflow/tensorflow#33765 has no label from "
            "study2020 — keep the study's label in its labeler_labels cell, as "
            "study2020=DLC-0001 (see CONTRIBUTING.md, Help label)",
        ),
        (
            "github,jantic/DeOldify#219,DLC-0040",
            "queue/study2020.csv:5: suggestions: unknown challenge 'DLC-0040' — did you mean "
            "'DLC-0004' (Beta leaf)?",
        ),
        (
            "github,jantic/DeOldify#219,DLC-0006",
            "queue/study2020.csv:5: suggestions: 'DLC-0006' is retired — choose an active "
            "challenge",
        ),
        (
            "github,jantic/DeOldify#219,DLC-0005",
            "queue/study2020.csv:5: suggestions: 'DLC-0005' was merged into 'DLC-0003' — "
            "suggest 'DLC-0003' instead, or rerun `catalog queue-suggest` to recompute the queue",
        ),
        (
            "github,jantic/DeOldify#219,DLC-0003;DLC-0003",
            "queue/study2020.csv:5: suggestions: a suggestion is repeated — list each "
            "challenge once",
        ),
        (
            "github,jantic/DeOldify#219,DLC-0002;DLC-0003;DLC-0004;DLC-0001",
            "queue/study2020.csv:5: suggestions: Value should have at most 3 items after "
            "validation, not 4 — list fewer items",
        ),
        (
            "github,jantic/DeOldify#219,DLC-3",
            "queue/study2020.csv:5: suggestions: 'DLC-3' is not a challenge ID — IDs look like "
            "DLC-0042",
        ),
    ],
)
def test_each_bad_queue_row_is_reported_exactly(tmp_path, row, message):
    # A bad row about jantic/DeOldify#219 replaces its row (landing on line 5); others
    # are added after the fixture's queue (line 6).
    queue = QUEUE
    if "jantic" in row:
        queue = QUEUE.replace("github,jantic/DeOldify#219,DLC-0002;DLC-0003;DLC-0004\n", "")
    assert _problems(tmp_path, {"queue/study2020.csv": queue + row + "\n"}) == [message]


def test_a_suggestion_above_or_beside_the_study_label_is_refused(tmp_path):
    queue = QUEUE.replace(
        "pytorch/pytorch#19190,DLC-0003;DLC-0004", "pytorch/pytorch#19190,DLC-0001"
    )
    assert _problems(tmp_path, {"queue/study2020.csv": queue}) == [
        "queue/study2020.csv:2: suggestions: 'DLC-0001' is not below the post's label from "
        "study2020 (DLC-0002) — suggest challenges below DLC-0002; rerun `catalog "
        "queue-suggest` to recompute the queue"
    ]


def test_a_queue_file_is_named_after_a_study(tmp_path):
    assert _problems(tmp_path, {"queue/study2021.csv": QUEUE}) == [
        "queue/study2021.csv: no study 'study2021': a queue file is named after the study whose "
        "labels it refines — did you mean 'study2020'?"
    ]


def test_a_bad_queue_header_says_what_it_must_be(tmp_path):
    found = _problems(tmp_path, {"queue/study2020.csv": "site,post,suggestions\n"})
    assert found == [
        "queue/study2020.csv:1: missing column(s): post_id — the header must be: "
        "site,post_id,suggestions",
        "queue/study2020.csv:1: post: unknown column — remove it",
    ]


def test_a_queue_file_in_a_subfolder_is_refused(tmp_path):
    assert _problems(tmp_path, {"queue/old/study2020.csv": QUEUE}) == [
        "queue/old/study2020.csv: a queue file in a subfolder — move it to queue/, named after "
        "the study: <source key>.csv"
    ]


def _relabel(settings: Settings, old: str, new: str) -> None:
    path = settings.data_dir / "queued.csv"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_study_counts_a_relabeled_post_by_its_own_label(tiny):
    write_queue(tiny)
    before = recompute(_catalog(tiny), "study2020")
    assert before["DLC-0002"].posts == 3  # two it labeled there, one taken since
    assert before["DLC-0003"].posts == 0
    # A contributor labels the waiting post finely and keeps the study's label.
    _relabel(
        tiny,
        "DLC-0002,,2019-04-12,PyTorch,server,,,no,study2020,,",
        "DLC-0003,,2019-04-12,PyTorch,server,,,no,octocat,Fixed.,study2020=DLC-0002",
    )
    assert recompute(_catalog(tiny), "study2020") == before
    # Without the kept label the study's figures would change, and its queue says so.
    _relabel(tiny, "octocat,Fixed.,study2020=DLC-0002", "octocat,Fixed.,")
    with pytest.raises(ValidationFailed) as caught:
        _catalog(tiny)
    assert [str(p) for p in caught.value.problems] == [
        "queue/study2020.csv:2: post_id: post pytorch/pytorch#19190 has no label from "
        "study2020 — keep the study's label in its labeler_labels cell, as study2020=DLC-0001 "
        "(see CONTRIBUTING.md, Help label)"
    ]
    (tiny.queue_dir / "study2020.csv").unlink()
    assert recompute(_catalog(tiny), "study2020")["DLC-0002"].posts == 2


def _add(settings: Settings, url: str, *labels: str):
    args = [x for label in labels for x in ("--label", label)]
    return CliRunner().invoke(
        main,
        [
            "add-post",
            "--root",
            str(settings.root),
            url,
            *args,
            "--framework",
            "PyTorch",
            "--framework",
            "TorchServe",
            "--summary",
            "Serving a model, the worker dies on the first request.",
            "--created",
            "2019-04-13",
            "--platform",
            "server",
            "--by",
            "octocat",
        ],
    )


def test_add_post_takes_a_queued_post_by_relabeling_its_row(tiny):
    write_queue(tiny)
    figures = recompute(_catalog(tiny), "study2020")
    result = _add(tiny, WAITING, "DLC-0003")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "updated data/queued.csv:2  pytorch/pytorch#19190 labeled DLC-0003, taken from the "
        "labeling queue (kept its recorded date, score and answers, and the study's label)"
    )
    lines = (tiny.data_dir / "queued.csv").read_text().splitlines()
    assert lines[1] == (
        "github,pytorch/pytorch#19190,https://github.com/pytorch/pytorch/issues/19190,DLC-0003,,"
        "2019-04-12,PyTorch;TorchServe,server,,,no,octocat,"
        '"Serving a model, the worker dies on the first request.",study2020=DLC-0002'
    )
    assert lines[:1] + lines[2:] == QUEUED_POSTS.splitlines()[:1] + QUEUED_POSTS.splitlines()[2:]
    catalog = _catalog(tiny)
    assert recompute(catalog, "study2020") == figures
    index = helplabel.index_page(catalog)
    assert (index.waiting, index.left) == (2, 2)


def test_add_post_refuses_a_listed_post_that_waits_in_no_queue(tiny):
    write_queue(tiny)
    before = tree_bytes(tiny.root)
    taken = _add(tiny, "https://github.com/MVIG-SJTU/AlphaPose/issues/567", "DLC-0003")
    assert taken.exit_code == 1
    assert taken.stderr.splitlines()[0] == (
        "command line: URL: post MVIG-SJTU/AlphaPose#567 is already listed at "
        "data/queued.csv:5 — add your labels to that row instead"
    )
    assert tree_bytes(tiny.root) == before


STUDY_POST = (
    "stackoverflow,41709402,https://stackoverflow.com/questions/41709402,DLC-0002,,2017-01-18,"
    "TensorFlow,server,-1,1,yes,study2020,,\n"
)
"""A real Stack Overflow question (ID and date from `data/chen2020.csv`), which the
fixture study labeled only with its branch."""


def _package(folder, texts: dict[str, tuple[str, str]]):
    """A replication package of the shape `question_texts` reads: JSON lines of questions
    (test-made titles and bodies)."""
    folder.mkdir()
    with zipfile.ZipFile(folder / "Deployment-related Posts.zip", "w") as zipped:
        lines = [
            json.dumps({"Id": int(qid), "Title": title, "Body": f"<p>{body}</p>"})
            for qid, (title, body) in texts.items()
        ]
        zipped.writestr("posts/server_post.txt", "".join(line + "\n" for line in lines))
    return folder


def test_queue_suggest_ranks_only_below_the_study_label_and_is_repeatable(tiny, tmp_path):
    write_queue(tiny)
    write_files(tiny.root, {"data/queued.csv": QUEUED_POSTS + STUDY_POST})
    package = _package(
        tmp_path / "package", {"41709402": ("Beta goes wrong", "Looks like beta, not alpha.")}
    )
    result = CliRunner().invoke(
        main, ["queue-suggest", "--root", str(tiny.root), str(package), "--study", "study2020"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "wrote queue/study2020.csv  1 queued posts (package at commit unknown); left out: "
        "4 without text in the package, 0 sharing no word with a candidate\n"
    )
    written = (tiny.queue_dir / "study2020.csv").read_bytes()
    assert written == b"site,post_id,suggestions\nstackoverflow,41709402,DLC-0004;DLC-0003\n"
    CliRunner().invoke(
        main, ["queue-suggest", "--root", str(tiny.root), str(package), "--study", "study2020"]
    )
    assert (tiny.queue_dir / "study2020.csv").read_bytes() == written
    assert _catalog(tiny).queues["study2020"][0].post_id == "41709402"


def test_queue_suggest_recomputes_a_stale_queue_and_refuses_an_unknown_study(tiny, tmp_path):
    write_queue(tiny)
    write_files(tiny.root, {"queue/study2020.csv": QUEUE.replace("DLC-0004\n", "DLC-0006\n")})
    package = _package(tmp_path / "package", {})
    stale = CliRunner().invoke(
        main, ["queue-suggest", "--root", str(tiny.root), str(package), "--study", "study2020"]
    )
    assert stale.exit_code == 0, stale.output
    assert (tiny.queue_dir / "study2020.csv").read_text() == "site,post_id,suggestions\n"
    unknown = CliRunner().invoke(
        main, ["queue-suggest", "--root", str(tiny.root), str(package), "--study", "study2021"]
    )
    assert unknown.exit_code == 1
    assert unknown.stderr.splitlines()[0] == (
        "command line: --study: no study 'study2021' — did you mean 'study2020'?"
    )


def test_the_help_label_index_counts_waiting_and_departed_posts(tiny):
    write_queue(tiny)
    index = helplabel.index_page(_catalog(tiny))
    assert [(a.link.text, a.waiting) for a in index.areas] == [
        ("Fixture taxonomy", 1),
        ("Branch category", 2),
    ]
    assert (index.waiting, index.left) == (3, 1)
    pages = helplabel.area_pages(_catalog(tiny))
    branch = pages["help-label/DLC-0002.md"]
    assert [row.post.text for row in branch.rows] == [
        "huggingface/transformers#7922",
        "pytorch/pytorch#19190",
    ]  # newest first


def test_the_committed_queue_holds_every_platform_only_question_of_chen2020(real):
    """`queue/chen2020.csv` was computed from the package for every question the study
    labeled with a platform alone; a post taken since stays in it, counted as taken."""
    catalog = _catalog(real)
    platforms = set(catalog.children[catalog.studies["chen2020"].root])
    coarse = {
        post.key
        for post in catalog.posts
        if post.study_labels("chen2020") and set(post.study_labels("chen2020")) <= platforms
    }
    assert len(coarse) == 2436
    assert {item.key for item in catalog.queues["chen2020"]} == coarse
