"""`catalog new challenge` and `catalog add-post`: valid output, clear refusals, nothing
written on refusal, and the whole contributor path from scaffold to built page."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import tree_bytes
from generator.cli import main
from generator.errors import ValidationFailed
from generator.site.build import build_site, check
from generator.tools.scaffold import parse_url

POST = "https://github.com/keras-team/keras/issues/850"


def run(root, *args: str):
    return CliRunner().invoke(
        main,
        [*args[:2], "--root", str(root), *args[2:]]
        if args[0] == "new"
        else [args[0], "--root", str(root), *args[1:]],
    )


def test_new_challenge_writes_a_valid_file_and_registers_its_id(tiny):
    result = run(
        tiny.root,
        "new",
        "challenge",
        "--parent",
        "DLC-0002",
        "--title",
        "Gamma prime",
        "--author",
        "octocat",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "wrote catalog/gamma-prime.yaml:1  DLC-0007 “Gamma prime” under DLC-0002",
        "wrote catalog/_ids.yaml:11  registered DLC-0007",
        "next: replace the texts starting with '✎' (start with the summary), then run "
        "`make test` and look at it with `make serve`",
    ]
    text = (tiny.catalog_dir / "gamma-prime.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/challenge.schema.json\n")
    assert "contributors:\n  - octocat\n" in text
    assert (tiny.catalog_dir / "_ids.yaml").read_text().endswith("  - DLC-0006\n  - DLC-0007\n")
    catalog, _, warnings = check(tiny)
    assert catalog.challenges["DLC-0007"].parent == "DLC-0002"
    assert {w.message for w in warnings if w.file == "catalog/gamma-prime.yaml"} == {
        "no example posts yet",
        "still holds the scaffold's hint",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--parent", "DLC-0020", "--title", "X"],
            "command line: --parent: unknown challenge 'DLC-0020' — did you mean 'DLC-0002' "
            "(Branch category)?",
        ),
        (
            ["--parent", "DLC-0006", "--title", "X"],
            "command line: --parent: 'DLC-0006' is retired — choose an active challenge",
        ),
        (
            ["--parent", "DLC-0002", "--title", "alpha leaf"],
            "command line: --title: a challenge titled 'alpha leaf' exists already — improve that "
            "one, or choose a distinct title",
        ),
        (
            ["--parent", "DLC-0002", "--title", "Alpha <script>"],
            "command line: --title: title: must be plain text without '<' or '>'",
        ),
    ],
)
def test_new_challenge_refusals_write_nothing(tiny, args, message):
    before = tree_bytes(tiny.root)
    result = run(tiny.root, "new", "challenge", *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == message
    assert tree_bytes(tiny.root) == before


def test_add_post_appends_to_the_file_of_its_area(tiny):
    result = run(
        tiny.root,
        "add-post",
        POST,
        "--label",
        "DLC-0004",
        "--label",
        "DLC-0003",
        "--framework",
        "Keras",
        "--summary",
        "Seeds, set early, still vary.",
        "--created",
        "2015-10-18",
        "--platform",
        "general",
        "--by",
        "octocat",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "appended data/posts.csv:5  keras-team/keras#850 labeled DLC-0004, DLC-0003"
    )
    assert (tiny.data_dir / "posts.csv").read_text().splitlines()[-1] == (
        "github,keras-team/keras#850,https://github.com/keras-team/keras/issues/850,DLC-0004,"
        'DLC-0003,2015-10-18,Keras,general,,,,octocat,"Seeds, set early, still vary."'
    )
    catalog, _, _ = check(tiny)
    assert len(catalog.posts) == 4


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://stackoverflow.com/questions/51824310/how-to-convert?noredirect=1",
            ("stackoverflow", "51824310", "https://stackoverflow.com/questions/51824310"),
        ),
        (
            "https://github.com/onnx/onnx/issues/4065#issuecomment-1",
            ("github", "onnx/onnx#4065", "https://github.com/onnx/onnx/issues/4065"),
        ),
        (
            "https://github.com/pytorch/pytorch/pull/7",
            ("github", "pytorch/pytorch#7", "https://github.com/pytorch/pytorch/pull/7"),
        ),
    ],
)
def test_urls_give_site_and_id(url, expected):
    assert parse_url(url) == expected


@pytest.mark.parametrize(
    ("args", "messages"),
    [
        (
            [POST, "--label", "DLC-0040"],
            [
                "command line: --label: unknown challenge 'DLC-0040' — did you mean 'DLC-0004' "
                "(Beta leaf)?"
            ],
        ),
        (
            [POST, "--label", "DLC-0005"],
            [
                "command line: --label: 'DLC-0005' is merged; use 'DLC-0003' — choose an active "
                "challenge"
            ],
        ),
        (
            ["https://github.com/tensorflow/tensorflow/issues/33765", "--label", "DLC-0004"],
            [
                "command line: URL: post tensorflow/tensorflow#33765 is already listed at "
                "data/posts.csv:2 — add your labels to that row instead"
            ],
        ),
        (
            ["https://example.org/q/1", "--label", "DLC-0004"],
            [
                "command line: URL: 'https://example.org/q/1' is not a Stack Overflow question "
                "or GitHub issue URL — use https://stackoverflow.com/questions/<number> or "
                "https://github.com/<owner>/<repo>/issues/<number>"
            ],
        ),
        (
            [POST, "--label", "DLC-0004", "--framework", "Tensorflow", "--created", "2015-10-32"],
            [
                "command line: --created: Input should be a valid date or datetime, day value is "
                "outside expected range — write the date as YYYY-MM-DD",
                "command line: --framework: 'Tensorflow' is not allowed — "
                "did you mean 'TensorFlow'?",
            ],
        ),
    ],
)
def test_add_post_refusals_write_nothing(tiny, args, messages):
    defaults = {
        "--framework": "Keras",
        "--summary": "s",
        "--created": "2015-10-18",
        "--platform": "general",
        "--by": "octocat",
    }
    extra = [x for k, v in defaults.items() if k not in args for x in (k, v)]
    before = tree_bytes(tiny.root)
    result = run(tiny.root, "add-post", *args, *extra)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:-1] == messages
    assert tree_bytes(tiny.root) == before


def test_scaffolds_refuse_to_run_on_a_broken_catalog(tiny):
    (tiny.catalog_dir / "leaf-b.yaml").write_text("id: DLC-0004\ntitle: [broken\n")
    with pytest.raises(ValidationFailed):
        check(tiny)
    result = run(tiny.root, "new", "challenge", "--parent", "DLC-0002", "--title", "New")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("catalog/leaf-b.yaml:3: invalid YAML")


# Real GitHub issues that the walkthrough may label, in case one is in data/ already.
WALKTHROUGH_POSTS = [
    ("https://github.com/keras-team/keras/issues/10201", "2018-05-15"),
    ("https://github.com/tensorflow/tensorflow/issues/42426", "2020-08-17"),
    ("https://github.com/onnx/onnx-tensorflow/issues/874", "2021-02-24"),
]


@pytest.mark.slow
def test_a_new_contributor_adds_a_challenge_and_a_post(real):
    """The path CONTRIBUTING.md promises: two scaffold commands, one edit, a green build."""
    catalog, stats, _ = check(real)
    before = stats.by_challenge["DLC-0003"].posts
    result = run(
        real.root,
        "new",
        "challenge",
        "--parent",
        "DLC-0003",
        "--title",
        "Scaffold walkthrough (test)",
        "--author",
        "octocat",
    )
    assert result.exit_code == 0, result.output
    path = real.root / result.output.split()[1].rsplit(":", 1)[0]
    text = path.read_text().replace(
        "✎ One sentence: what goes wrong, for whom.",
        "Fine-tuning a model on the phone itself fails or drains it.",
    )
    path.write_text(text)
    new_id = next(line.split()[1] for line in text.splitlines() if line.startswith("id:"))
    listed = {p.url for p in catalog.posts}
    url, created = next((u, c) for u, c in WALKTHROUGH_POSTS if u not in listed)
    result = run(
        real.root,
        "add-post",
        url,
        "--label",
        new_id,
        "--framework",
        "Keras",
        "--summary",
        "A real post.",
        "--created",
        created,
        "--platform",
        "mobile",
        "--by",
        "octocat",
    )
    assert result.exit_code == 0, result.output
    generated = build_site(real)
    assert generated.stats.by_challenge["DLC-0003"].posts == before + 1
    page = (real.site_dir / "challenges" / new_id / "index.html").read_text()
    assert "Fine-tuning a model on the phone itself fails or drains it." in page
    assert "✎" not in page and "Not written yet." in page
    assert f"../charts/{new_id}.svg" in page
    assert new_id in (real.site_dir / "challenges" / "DLC-0003" / "index.html").read_text()
