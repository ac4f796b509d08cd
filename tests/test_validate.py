"""Stages 1–2: every kind of broken input gives an exact, actionable message."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TINY, project_from, write_files
from generator.errors import Severity, ValidationFailed
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.settings import Settings

HEADER = (
    "site,post_id,url,primary_label,other_labels,created,frameworks,platform,score,"
    "answer_count,accepted_answer,labeled_by,summary\n"
)
ROW = (
    "github,onnx/onnx#4065,https://github.com/onnx/onnx/issues/4065,{label},,2022-03-13,"
    "{fw},mobile,,,,tester,A real issue used as test input.\n"
)


def problems(tmp_path: Path, files: dict[str, str | bytes], strict: bool = False) -> list[str]:
    """Messages for the tiny fixture with `files` added or replaced ('' deletes a file)."""
    project_from(TINY, tmp_path)
    for rel in [r for r, c in files.items() if c == ""]:
        (tmp_path / rel).unlink()
    write_files(tmp_path, {r: c for r, c in files.items() if c != ""})
    with pytest.raises(ValidationFailed) as caught:
        validate(load(Settings(root=tmp_path)), strict=strict)
    return [str(p) for p in caught.value.problems]


def test_the_fixture_is_valid(tiny):
    catalog, warnings = validate(load(tiny))

    assert list(catalog.challenges) == [f"DLC-000{i}" for i in range(1, 7)]
    assert catalog.roots == ("DLC-0001",)
    assert catalog.children["DLC-0002"] == ("DLC-0003", "DLC-0004", "DLC-0005")
    assert len(catalog.posts) == 3
    assert warnings == []


def test_bad_yaml(tmp_path):
    assert problems(tmp_path, {"catalog/leaf-b.yaml": "id: DLC-0004\ntitle: [unclosed\n"}) == [
        "catalog/leaf-b.yaml:3: invalid YAML: expected ',' or ']', but got '<stream end>'"
        " — check indentation and quoting near that line"
    ]


def test_unknown_parent_suggests_the_closest_id(tmp_path):
    text = (
        (TINY / "catalog/leaf-b.yaml").read_text().replace("parent: DLC-0002", "parent: DLC-0020")
    )
    assert problems(tmp_path, {"catalog/leaf-b.yaml": text}) == [
        "catalog/leaf-b.yaml:3: parent: unknown challenge 'DLC-0020'"
        " — did you mean 'DLC-0002' (Branch category)?"
    ]


def test_parent_given_by_title_suggests_its_id(tmp_path):
    text = (
        (TINY / "catalog/leaf-b.yaml")
        .read_text()
        .replace("parent: DLC-0002", "parent: Branch category")
    )
    assert problems(tmp_path, {"catalog/leaf-b.yaml": text}) == [
        "catalog/leaf-b.yaml:3: parent: 'Branch category' is not a challenge ID"
        " — IDs look like DLC-0042"
    ]


def test_duplicate_id_names_both_files(tmp_path):
    text = (TINY / "catalog/leaf-b.yaml").read_text().replace("id: DLC-0004", "id: DLC-0003")
    found = problems(tmp_path, {"catalog/leaf-b.yaml": text})
    assert (
        "catalog/leaf-b.yaml:1: id: duplicate ID 'DLC-0003', also used by "
        "catalog/leaf-a.yaml — a new challenge takes the next free ID; IDs are "
        "never reused"
    ) in found


def test_unknown_label_in_a_post(tmp_path):
    assert problems(
        tmp_path, {"data/more.csv": HEADER + ROW.format(label="DLC-0033", fw="ONNX")}
    ) == [
        "data/more.csv:2: primary_label: unknown challenge 'DLC-0033'"
        " — did you mean 'DLC-0003' (Alpha leaf)?"
    ]


def test_label_of_a_merged_challenge_points_to_its_successor(tmp_path):
    assert problems(
        tmp_path, {"data/more.csv": HEADER + ROW.format(label="DLC-0005", fw="ONNX")}
    ) == [
        "data/more.csv:2: primary_label: 'DLC-0005' was merged into 'DLC-0003'"
        " — label the post 'DLC-0003'"
    ]


def test_framework_typo_suggests_the_right_name(tmp_path):
    assert problems(
        tmp_path, {"data/more.csv": HEADER + ROW.format(label="DLC-0003", fw="ONNX;Tensorflow")}
    ) == ["data/more.csv:2: frameworks: 'Tensorflow' is not allowed — did you mean 'TensorFlow'?"]


def test_unknown_field_suggests_the_right_name(tmp_path):
    text = (TINY / "catalog/leaf-b.yaml").read_text().replace("summary:", "sumary:")
    assert problems(tmp_path, {"catalog/leaf-b.yaml": text}) == [
        "catalog/leaf-b.yaml:1: summary: required field is missing — add it (see CONTRIBUTING.md)",
        "catalog/leaf-b.yaml:4: sumary: unknown field — did you mean 'summary'?",
    ]


def test_cycle_is_reported_once(tmp_path):
    text = (
        (TINY / "catalog/branch.yaml").read_text().replace("parent: DLC-0001", "parent: DLC-0003")
    )
    assert problems(tmp_path, {"catalog/branch.yaml": text}) == [
        "catalog/branch.yaml:3: parent: parents form a cycle: DLC-0002 → DLC-0003 → DLC-0002"
        " — a taxonomy is a tree; one of them needs another parent"
    ]


def test_url_must_match_the_post_id(tmp_path):
    row = ROW.format(label="DLC-0003", fw="ONNX").replace("issues/4065", "issues/4066")
    assert problems(tmp_path, {"data/more.csv": HEADER + row}) == [
        "data/more.csv:2: url 'https://github.com/onnx/onnx/issues/4066' does not point at "
        "github post onnx/onnx#4065"
    ]


def test_javascript_url_is_refused(tmp_path):
    row = ROW.format(label="DLC-0003", fw="ONNX").replace(
        "https://github.com/onnx/onnx/issues/4065", "javascript:alert(1)"
    )
    assert problems(tmp_path, {"data/more.csv": HEADER + row}) == [
        "data/more.csv:2: url 'javascript:alert(1)' does not point at github post onnx/onnx#4065"
    ]


def test_duplicate_post_across_files(tmp_path):
    row = ROW.format(label="DLC-0003", fw="ONNX")
    assert problems(tmp_path, {"data/a.csv": HEADER + row, "data/b.csv": HEADER + row}) == [
        "data/b.csv:2: post_id: post onnx/onnx#4065 is already listed at data/a.csv:2"
        " — merge the two rows' labels"
    ]


def test_csv_header_problems(tmp_path):
    header = HEADER.replace("summary", "sumary").replace("score,", "")
    assert problems(tmp_path, {"data/more.csv": header}) == [
        "data/more.csv:1: missing column(s): score, summary — the header must be: "
        + HEADER.strip(),
        "data/more.csv:1: sumary: unknown column — did you mean 'summary'?",
    ]


def test_row_with_a_wrong_number_of_cells(tmp_path):
    row = ROW.format(label="DLC-0003", fw="ONNX").replace("A real issue", "A real, issue")
    assert problems(tmp_path, {"data/more.csv": HEADER + row}) == [
        "data/more.csv:2: row has 14 cells, the header has 13 — quote cells that contain commas"
    ]


def test_file_not_in_utf8(tmp_path):
    assert problems(tmp_path, {"data/more.csv": HEADER.encode() + "é".encode("latin-1")}) == [
        "data/more.csv:2: not valid UTF-8 (byte 0xe9) — save the file as UTF-8"
    ]


def test_markup_in_a_title_is_refused(tmp_path):
    text = (
        (TINY / "catalog/leaf-b.yaml")
        .read_text()
        .replace("title: Beta leaf", "title: Beta <script>alert(1)</script>")
    )
    assert problems(tmp_path, {"catalog/leaf-b.yaml": text}) == [
        "catalog/leaf-b.yaml:2: title: must be plain text without '<' or '>'"
    ]


def test_prose_link_to_an_unknown_challenge(tmp_path):
    text = (
        (TINY / "catalog/leaf-b.yaml")
        .read_text()
        .replace("description: Beta goes wrong.", "description: Beta, see [x](DLC-0040).")
    )
    assert problems(tmp_path, {"catalog/leaf-b.yaml": text}) == [
        "catalog/leaf-b.yaml:5: description: links to unknown challenge 'DLC-0040'"
        " — did you mean 'DLC-0004' (Beta leaf)?"
    ]


def test_every_problem_is_reported_at_once(tmp_path):
    found = problems(
        tmp_path,
        {
            "catalog/leaf-b.yaml": "id: DLC-0004\ntitle: [unclosed\n",
            "data/more.csv": HEADER + ROW.format(label="DLC-0033", fw="ONNX"),
        },
    )
    assert [f.split(":")[0] for f in found] == ["catalog/leaf-b.yaml", "data/more.csv"]


def test_missing_bibliography(tmp_path):
    found = problems(tmp_path, {"catalog/_sources.yaml": ""})
    assert found[0] == (
        "catalog/_sources.yaml: bibliography file not found"
        " — create it with the sources that challenges cite"
    )


def test_warnings_pass_unless_strict(tmp_path):
    text = (
        (TINY / "catalog/leaf-b.yaml")
        .read_text()
        .replace("researchers: Look into beta.", "researchers: null")
    )
    write_files(tmp_path, {})
    found = problems(tmp_path, {"catalog/leaf-b.yaml": text}, strict=True)
    assert found == [
        "catalog/leaf-b.yaml:7: recommendations: no recommendation for any "
        "audience yet — write at least one"
    ]
    _, warnings = validate(load(Settings(root=tmp_path)))
    assert [w.severity for w in warnings] == [Severity.WARNING]
    assert str(warnings[0]).endswith("write at least one (warning)")


STUDY = "catalog/_studies/study2020.yaml"


def test_study_category_without_a_challenge(tmp_path):
    text = (TINY / STUDY).read_text().replace("id: DLC-0004", "id: DLC-0014")
    assert problems(tmp_path, {STUDY: text}) == [
        "catalog/_studies/study2020.yaml:43: categories.id: the study's category 'Beta' has no "
        "challenge: unknown challenge 'DLC-0014' — did you mean 'DLC-0004' (Beta leaf)?"
    ]


def test_study_root_must_be_a_root_and_match_its_file(tmp_path):
    text = (TINY / STUDY).read_text().replace("root: DLC-0001", "root: DLC-0002")
    found = problems(tmp_path, {"catalog/_studies/other.yaml": text, STUDY: ""})
    assert found == [
        "catalog/_studies/other.yaml:1: source: 'study2020' does not match the file name "
        "'other.yaml' — rename the file to study2020.yaml",
        "catalog/_studies/other.yaml:2: root: 'DLC-0002' is not a taxonomy root (its parent is "
        "'DLC-0001') — use the ID of a challenge whose parent is null",
    ]


def test_reserved_names(tmp_path):
    found = problems(tmp_path, {"catalog/_notes.yaml": "a: 1\n"})
    assert found == [
        "catalog/_notes.yaml: names starting with '_' are reserved — rename it; reserved are "
        "catalog/_sources.yaml, catalog/_ids.yaml and catalog/_studies/<source>.yaml"
    ]


def test_a_published_id_cannot_disappear(tmp_path):
    assert problems(tmp_path, {"catalog/leaf-b.yaml": ""}) == [
        "catalog/_ids.yaml:8: ids: 'DLC-0004' was issued but no challenge file has it — "
        "published IDs stay: restore the file and set `status: retired`, or `status: merged` "
        "with `merged_into`",
        "catalog/_studies/study2020.yaml:43: categories.id: the study's category 'Beta' has no "
        "challenge: unknown challenge 'DLC-0004' — did you mean 'DLC-0001' (Fixture taxonomy)?",
        "catalog/leaf-a.yaml:6: description: links to unknown challenge 'DLC-0004' — did you "
        "mean 'DLC-0001' (Fixture taxonomy)?",
        "catalog/leaf-a.yaml:20: related.id: unknown challenge 'DLC-0004' — did you mean "
        "'DLC-0001' (Fixture taxonomy)?",
        "data/posts.csv:2: other_labels: unknown challenge 'DLC-0004' — did you mean "
        "'DLC-0001' (Fixture taxonomy)?",
    ]


def test_a_new_id_must_be_registered(tmp_path):
    text = (TINY / "catalog/leaf-b.yaml").read_text().replace("DLC-0004", "DLC-0007")
    found = problems(
        tmp_path,
        {
            "catalog/leaf-b.yaml": text,
            "catalog/_ids.yaml": (TINY / "catalog/_ids.yaml")
            .read_text()
            .replace("  - DLC-0004\n", ""),
        },
    )
    assert (
        "catalog/leaf-b.yaml:1: id: 'DLC-0007' is not in catalog/_ids.yaml — create "
        "challenges with `catalog new challenge`, which registers the ID" in found
    )


def test_style_warnings(tmp_path):
    text = (TINY / "catalog/leaf-b.yaml").read_text()
    text = text.replace("summary: The second leaf.", "summary: " + "x" * 201)
    text = text.replace("description: Beta goes wrong.", "description: ✎ What goes wrong.")
    text = text.replace("    locator: Section 4\n", "")
    posts = (TINY / "data/posts.csv").read_text().replace(",DLC-0003,DLC-0004,", ",DLC-0003,,")
    found = problems(tmp_path, {"catalog/leaf-b.yaml": text, "data/posts.csv": posts}, strict=True)
    assert found == [
        "catalog/leaf-b.yaml:1: id: no example posts yet — label a real post with "
        "`catalog add-post URL --label DLC-0004 …`",
        "catalog/leaf-b.yaml:4: summary: summary is 201 characters long — keep it to one "
        "sentence of at most 200; link previews cut the rest",
        "catalog/leaf-b.yaml:5: description: still holds the scaffold's hint — replace it "
        "with your own text",
        "catalog/leaf-b.yaml:12: references: reference gives no locator — say where in the "
        "source: a section, table or page",
    ]
