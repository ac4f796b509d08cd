"""`catalog import-study`: a study's taxonomy and labeled data in one step, and every refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import tree_bytes, write_files
from generator.errors import ValidationFailed
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.tools.importstudy import import_study

STUDY = """key: demo2021
source:
  authors: [Dee Example, Eve Example]
  title: A Demo Study of Deployment Questions
  venue: Demo Conference
  year: 2021
datasets:
  demo2021-data:
    kind: dataset
    authors: [Dee Example, Eve Example]
    title: Replication package of the demo study
    venue: GitHub
    year: 2021
    url: https://github.com/example/demo-package
    commit: 0123456789abcdef0123456789abcdef01234567
    cites: demo2021
root: {title: A demo study's taxonomy, summary: Deployment questions as the demo study sorts them.}
"""
TAXONOMY = """code,parent_code,name,title,share,count,locator,checked,id
A,,Serving,,60.0%,3,Figure 1,yes,
A.1,A,Procedure,Serving procedure,20.0%,1,Section 4.1,yes,
A.2,A,Batching,,40.0%,2,Section 4.2,no,
B,,Conversion,,40.0%,2,Figure 1,yes,DLC-0003
"""
POSTS = """site,post_id,url,created,frameworks,platform,score,answer_count,accepted_answer,summary
stackoverflow,101,https://stackoverflow.com/questions/101,2019-05-01,TensorFlow,server,3,1,yes,
stackoverflow,102,https://stackoverflow.com/questions/102,,TF Serving,server,0,0,no,
github,example/r#7,https://github.com/example/r/pull/7,2020-01-02,PyTorch,server,,,,Adds batching.
github,example/repo@abcdef1,https://github.com/example/repo/commit/abcdef1,2020-02-03,ONNX,mobile,,,,
"""
LABELS = """site,post_id,labeler,code
stackoverflow,101,demo2021,A.1
stackoverflow,101,ann,A.1
stackoverflow,101,bob,A.2
stackoverflow,102,demo2021,A.2
github,example/r#7,demo2021,A.2
github,example/r#7,demo2021,A.1
github,example/repo@abcdef1,demo2021,B
"""


def study_folder(root: Path, **changes: str) -> Path:
    files = {
        "study.yaml": STUDY,
        "taxonomy.csv": TAXONOMY,
        "posts.csv": POSTS,
        "labels.csv": LABELS,
        **changes,
    }
    return write_files(root / "demo", files)


def problems_of(tiny, folder: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as failed:
        import_study(tiny, folder)
    return [str(p) for p in failed.value.problems]


def test_a_study_is_imported_whole_and_a_second_run_changes_nothing(tiny, tmp_path):
    folder = study_folder(tmp_path)
    written = import_study(tiny, folder)
    assert written, "the first run writes"
    catalog, _ = validate(load(tiny))
    study = catalog.studies["demo2021"]
    codes = {c.code: c for c in study.categories}
    assert [c.code for c in study.categories] == ["A", "A.1", "A.2", "B"]
    new_root = study.root
    assert catalog.challenges[new_root].parent is None
    serving, procedure, batching = (codes[c].id for c in ("A", "A.1", "A.2"))
    assert catalog.challenges[serving].parent == new_root
    assert catalog.challenges[procedure].title == "Serving procedure"
    assert catalog.challenges[batching].title == "Batching"  # the name when no title
    assert codes["B"].id == "DLC-0003"  # mapped, not duplicated
    assert catalog.challenges["DLC-0003"].parent == new_root
    assert codes["A.2"].reported_share == "40.0%" and codes["A.2"].checked is False
    assert catalog.sources["demo2021-data"].commit == "0123456789abcdef0123456789abcdef01234567"
    # siblings in the study's order, not by title ("Serving procedure" > "Batching")
    assert catalog.children[serving] == (procedure, batching)

    posts = {p.post_id: p for p in catalog.posts if p.labeled_by == "demo2021"}
    assert set(posts) == {"101", "102", "example/r#7", "example/repo@abcdef1"}
    assert posts["101"].labels == (procedure,)
    assert posts["101"].labeler_labels == [("ann", procedure), ("bob", batching)]
    assert posts["102"].created is None and posts["102"].summary is None
    assert posts["example/r#7"].labels == (batching, procedure)
    registered = yaml.safe_load((tiny.catalog_dir / "_ids.yaml").read_text())["ids"]
    assert {new_root, serving, procedure, batching} <= set(registered)

    before = tree_bytes(tiny.root)
    assert import_study(tiny, folder) == []
    assert tree_bytes(tiny.root) == before


def test_a_changed_study_updates_what_it_wrote_and_keeps_hand_written_text(tiny, tmp_path):
    import_study(tiny, study_folder(tmp_path))
    catalog, _ = validate(load(tiny))
    codes = {c.code: c.id for c in catalog.studies["demo2021"].categories}
    page = tiny.root / catalog.files[codes["A.1"]]
    written_by_hand = "Serving starts with a model export the server accepts."
    page.write_text(
        page.read_text().replace(
            next(line for line in page.read_text().splitlines() if line.startswith("summary:")),
            f"summary: {written_by_hand}",
        )
    )
    data = tiny.data_dir / "demo2021.csv"
    data.write_text(
        data.read_text().replace(
            ",server,3,1,yes,demo2021,,", ",server,3,1,yes,demo2021,Asks how to serve.,"
        )
    )

    renamed = TAXONOMY.replace(
        "A.1,A,Procedure,Serving procedure,", "A.1,A,Procedure,How to serve,"
    )
    import_study(tiny, study_folder(tmp_path, **{"taxonomy.csv": renamed}))
    catalog, _ = validate(load(tiny))
    c = catalog.challenges[codes["A.1"]]
    assert (c.title, c.former_titles, c.summary) == (
        "How to serve",
        ["Serving procedure"],
        written_by_hand,
    )
    post = next(p for p in catalog.posts if p.post_id == "101")
    assert post.summary == "Asks how to serve."  # kept: the input has none


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"taxonomy.csv": TAXONOMY.replace("A.2,A,", "A..2,A,")},
            "demo/taxonomy.csv:4: code: String should match pattern "
            "'^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*$'",
        ),
        (
            {"taxonomy.csv": TAXONOMY.replace("A.2,A,", "A.2,Z,")},
            "demo/taxonomy.csv:4: parent_code: unknown parent code 'Z' — did you mean 'A'?",
        ),
        (
            {"taxonomy.csv": TAXONOMY + "A.1,A,Again,,,,Section 9,yes,\n"},
            "demo/taxonomy.csv:6: code: code 'A.1' is used twice (first on line 3) — "
            "give every category its own code",
        ),
        (
            {"posts.csv": POSTS + POSTS.splitlines()[1] + "\n"},
            "demo/posts.csv:6: post_id: duplicate artifact 101 (first on line 2) — "
            "list each artifact once; give it several labels in labels.csv",
        ),
        (
            {"labels.csv": LABELS + "stackoverflow,102,ann,\n"},
            "demo/labels.csv:9: code: labeler 'ann' gives no label — "
            "write the category's code, or drop the row",
        ),
        (
            {"posts.csv": POSTS.replace(",2019-05-01,", ",May 2019,")},
            "demo/posts.csv:2: created: 'May 2019' is not a date — "
            "write YYYY-MM-DD, or leave it empty when the date is unknown",
        ),
        (
            {"labels.csv": LABELS.replace("stackoverflow,102,demo2021,A.2\n", "")},
            "demo/posts.csv:3: post_id: artifact 102 has no label of the study's own — "
            "add a row to labels.csv with labeler 'demo2021'",
        ),
        (
            {"labels.csv": LABELS + "stackoverflow,102,ann,A.9\n"},
            "demo/labels.csv:9: code: unknown code 'A.9' — did you mean 'A.1'?",
        ),
    ],
    ids=[
        "bad code",
        "unknown parent code",
        "duplicate code",
        "duplicate artifact",
        "labeler without label",
        "unparseable date",
        "no study label",
        "unknown label code",
    ],
)
def test_bad_input_is_refused_exactly_and_nothing_is_written(tiny, tmp_path, changes, expected):
    before = tree_bytes(tiny.catalog_dir), tree_bytes(tiny.data_dir)
    assert expected in problems_of(tiny, study_folder(tmp_path, **changes))
    assert (tree_bytes(tiny.catalog_dir), tree_bytes(tiny.data_dir)) == before


def test_every_problem_is_reported_at_once(tiny, tmp_path):
    folder = study_folder(
        tmp_path,
        **{
            "taxonomy.csv": TAXONOMY.replace("A.2,A,", "A.2,Z,"),
            "posts.csv": POSTS.replace(",2019-05-01,", ",soon,"),
        },
    )
    found = problems_of(tiny, folder)
    assert any("parent_code: unknown parent code 'Z'" in p for p in found)
    assert any("created: 'soon' is not a date" in p for p in found)


def test_a_mapped_challenge_must_exist(tiny, tmp_path):
    folder = study_folder(tmp_path, **{"taxonomy.csv": TAXONOMY.replace("DLC-0003", "DLC-0999")})
    assert problems_of(tiny, folder) == [
        "demo/taxonomy.csv:5: id: unknown challenge 'DLC-0999' — leave it empty to make a new one"
    ]


def test_the_documented_columns_are_the_ones_read():
    """CONTRIBUTING.md shows each file's header; the reader uses exactly those."""
    from generator.tools import studyinput

    guide = (Path(__file__).parents[1] / "CONTRIBUTING.md").read_text()
    for header in (
        studyinput.TAXONOMY_COLUMNS,
        studyinput.POSTS_COLUMNS,
        studyinput.LABELS_COLUMNS,
    ):
        assert ",".join(header) in guide
    assert TAXONOMY.splitlines()[0].split(",") == list(studyinput.TAXONOMY_COLUMNS)


def test_a_second_import_keeps_a_post_a_contributor_relabeled(tiny, tmp_path):
    """A post taken from a labeling queue keeps its new label, handle and summary; the
    study's own label stays in labeler_labels, updated by the import."""
    folder = study_folder(tmp_path)
    import_study(tiny, folder)
    catalog, _ = validate(load(tiny))
    codes = {c.code: c.id for c in catalog.studies["demo2021"].categories}
    data = tiny.data_dir / "demo2021.csv"
    url = "stackoverflow,102,https://stackoverflow.com/questions/102"
    old = f"{url},{codes['A.2']},,,TF Serving,server,0,0,no,demo2021,,\n"
    new = (
        f"{url},{codes['A.1']},,,TF Serving,server,0,0,no,octocat,Batches wait too long.,"
        f"demo2021={codes['A.2']}\n"
    )
    assert old in data.read_text()
    data.write_text(data.read_text().replace(old, new))
    before = tree_bytes(tiny.root)
    assert import_study(tiny, folder) == []
    assert tree_bytes(tiny.root) == before
    relabeled = LABELS.replace("stackoverflow,102,demo2021,A.2", "stackoverflow,102,demo2021,B")
    import_study(tiny, study_folder(tmp_path / "again", **{"labels.csv": relabeled}))
    post = next(p for p in validate(load(tiny))[0].posts if p.post_id == "102")
    assert (post.labels, post.labeled_by) == ((codes["A.1"],), "octocat")
    assert post.labeler_labels == [("demo2021", "DLC-0003")]
