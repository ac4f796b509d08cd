"""Every kind of broken input: an exact message, exit code 1, no traceback, nothing written.

Each case starts from the tiny fixture, generated once, then breaks one thing and runs
`catalog generate`; `docs/` must be byte-for-byte what it was.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import TINY, tree_bytes
from generator.cli import main
from generator.site.build import generate

LEAF_B = (TINY / "catalog/leaf-b.yaml").read_text()
POSTS = (TINY / "data/posts.csv").read_text()
HEADER = POSTS.splitlines()[0]

CASES: dict[str, tuple[dict[str, bytes], list[str]]] = {
    "malformed YAML": (
        {"catalog/leaf-b.yaml": b"id: DLC-0004\ntitle: [unclosed\n"},
        [
            "catalog/leaf-b.yaml:3: invalid YAML: expected ',' or ']', but got '<stream end>' — "
            "check indentation and quoting near that line"
        ],
    ),
    "malformed CSV": (
        {"data/posts.csv": (POSTS + 'github,"unclosed\n').encode()},
        ["data/posts.csv:5: invalid CSV: unexpected end of data — check the quotes on that line"],
    ),
    "wrong type": (
        {"catalog/leaf-b.yaml": LEAF_B.replace("title: Beta leaf", "title: 42").encode()},
        [
            "catalog/leaf-b.yaml:2: title: Input should be a valid string — write it as text, in "
            "quotes if it looks like a number or a date"
        ],
    ),
    "wrong encoding": (
        {"catalog/leaf-b.yaml": LEAF_B.replace("Beta leaf", "Béta leaf").encode("latin-1")},
        ["catalog/leaf-b.yaml:2: not valid UTF-8 (byte 0xe9) — save the file as UTF-8"],
    ),
    "control character": (
        {"catalog/leaf-b.yaml": b"id: DLC-0004\x00\n"},
        [
            "catalog/leaf-b.yaml:1: the file contains a control character (#x0000) — remove it; "
            "catalog files are plain text"
        ],
    ),
    "empty CSV": (
        {"data/more.csv": b""},
        [f"data/more.csv: the file is empty — start it with the header line: {HEADER}"],
    ),
    "huge file": (
        {"data/huge.csv": b"x" * 1_000_001},
        [
            "data/huge.csv: file is 1,000,001 bytes, over the 1,000,000 byte limit — split it into "
            "smaller files"
        ],
    ),
    "list instead of fields": (
        {"catalog/leaf-b.yaml": b"- id: DLC-0004\n"},
        [
            "catalog/leaf-b.yaml:1: expected a mapping of fields — start from an existing "
            "challenge file"
        ],
    ),
    "parent cycle": (
        {
            "catalog/branch.yaml": (TINY / "catalog/branch.yaml")
            .read_text()
            .replace("parent: DLC-0001", "parent: DLC-0004")
            .encode()
        },
        [
            "catalog/branch.yaml:3: parent: parents form a cycle: DLC-0002 → DLC-0004 → DLC-0002 — "
            "a taxonomy is a tree; one of them needs another parent"
        ],
    ),
    "duplicate ID across files": (
        {"catalog/copy.yaml": LEAF_B.encode()},
        [
            "catalog/leaf-b.yaml:1: id: duplicate ID 'DLC-0004', also used by catalog/copy.yaml — "
            "a new challenge takes the next free ID; IDs are never reused"
        ],
    ),
    "alias bomb": (
        {
            "catalog/leaf-b.yaml": (
                b"id: DLC-0004\na: &a [x, x, x, x, x, x, x, x, x]\n"
                b"b: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n"
            )
        },
        [
            "catalog/leaf-b.yaml:2: YAML anchors and aliases are not allowed "
            "(found '&a' or '*a') — write the value out in full"
        ],
    ),
    "ID escaping the output folder": (
        {
            "catalog/evil.yaml": LEAF_B.replace("id: DLC-0004", "id: ../../../etc/passwd")
            .replace("title: Beta leaf", "title: Evil")
            .encode()
        },
        [
            "catalog/evil.yaml:1: id: '../../../etc/passwd' is not a challenge ID — IDs look like "
            "DLC-0042"
        ],
    ),
    "unknown label": (
        {"data/posts.csv": POSTS.replace(",DLC-0002,", ",DLC-0077,").encode()},
        [
            "data/posts.csv:4: primary_label: unknown challenge 'DLC-0077' — did you mean "
            "'DLC-0001' (Fixture taxonomy)?"
        ],
    ),
}


@pytest.mark.parametrize("kind", CASES)
def test_broken_input_is_reported_exactly_and_writes_nothing(tiny, kind):
    files, messages = CASES[kind]
    generate(tiny)
    before = tree_bytes(tiny.docs_dir)
    for rel, data in files.items():
        (tiny.root / rel).write_bytes(data)
    result = CliRunner().invoke(main, ["generate", "--root", str(tiny.root)])
    lines = [line for line in result.stderr.splitlines() if not line.endswith("(warning)")]
    assert result.exit_code == 1, result.stderr
    assert lines[:-1] == messages
    assert lines[-1].startswith("validation failed: ") and lines[-1].endswith(
        "; nothing was written"
    )
    assert "Traceback" not in result.output + result.stderr
    assert tree_bytes(tiny.docs_dir) == before


def test_a_broken_link_is_reported_and_editor_lock_files_are_not_inputs(tiny):
    generate(tiny)
    before = tree_bytes(tiny.docs_dir)
    # Emacs marks a file being edited with a dangling link beside it; vim a swap file.
    (tiny.catalog_dir / ".#leaf-b.yaml").symlink_to("user@host.4242:1700000000")
    (tiny.catalog_dir / ".leaf-b.yaml.swp").write_bytes(b"\x00binary")
    result = CliRunner().invoke(main, ["generate", "--root", str(tiny.root)])
    assert result.exit_code == 0, result.stderr
    assert tree_bytes(tiny.docs_dir) == before

    (tiny.catalog_dir / "gone.yaml").symlink_to("nowhere.yaml")
    result = CliRunner().invoke(main, ["generate", "--root", str(tiny.root)])
    assert result.exit_code == 1 and "Traceback" not in result.output + result.stderr
    assert result.stderr.splitlines()[0] == (
        "catalog/gone.yaml: cannot read it: No such file or directory — restore the file or "
        "remove it"
    )
    assert tree_bytes(tiny.docs_dir) == before
