"""`catalog suggest` and its evaluation: ranked challenges with reasons, every input kind
refused or read clearly, add-post's use of it, and cross-validation without leakage."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import tree_bytes, write_files
from generator.analysis.suggest import Suggester
from generator.cli import main
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.tools.evaluate import RANKINGS, Evaluation, Score, folds, table

TFLITE = (
    "Some of the operators in the model are not supported by the standard TensorFlow Lite runtime"
)


def suggest(root, *args: str, stdin: bytes | str | None = None):
    return CliRunner().invoke(main, ["suggest", "--root", str(root), *args], input=stdin)


def test_an_unsupported_operator_error_ranks_the_conversion_challenge_first(real):
    result = suggest(real.root, TFLITE, "--top", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. DLC-0076  Converting models with unsupported operators")
    assert lines[1].startswith("   matched: ")
    assert {"operators", "lite", "supported"} <= set(lines[1].split(": ")[1].split(", "))
    assert len([line for line in lines if line[:1].isdigit()]) == 3


def test_text_comes_from_an_argument_a_file_or_standard_input_alike(tiny, tmp_path):
    text = "The alpha fixture model fails to convert"
    by_argument = suggest(tiny.root, text)
    by_file = suggest(tiny.root, "--file", str(write_files(tmp_path, {"q.txt": text}) / "q.txt"))
    by_stdin = suggest(tiny.root, stdin=text)
    by_dash = suggest(tiny.root, "--file", "-", stdin=text)
    assert by_argument.exit_code == 0, by_argument.output
    assert by_argument.stdout == by_file.stdout == by_stdin.stdout == by_dash.stdout
    assert by_argument.stdout.startswith("1. DLC-")


def test_empty_and_non_utf8_input_are_refused_with_what_to_do(tiny):
    empty = suggest(tiny.root, stdin="  \n")
    assert empty.exit_code == 2
    assert empty.stderr.splitlines()[-1] == (
        "Error: no text to match: give a post's title and body, or an error message"
    )
    latin1 = suggest(tiny.root, stdin="caf\xe9 model".encode("latin-1"))
    assert latin1.exit_code == 2
    assert latin1.stderr.splitlines()[-1] == (
        "Error: the input is not UTF-8 text (byte 3): save it as UTF-8 and try again"
    )


def test_a_catalog_without_labeled_posts_says_so(tiny):
    posts = tiny.data_dir / "posts.csv"
    posts.write_text(posts.read_text().splitlines()[0] + "\n")
    result = suggest(tiny.root, "alpha model conversion")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "note: the catalog has no labeled posts yet: suggestions come from the challenges' "
        "own text only"
    )


def test_text_sharing_no_word_gets_no_suggestion(tiny):
    result = suggest(tiny.root, "zzyzx qwertyuiop")
    assert result.stdout == (
        "no challenge shares a word with the text: describe the problem in more words\n"
    )


def test_add_post_without_a_label_shows_suggestions_and_refuses_outside_a_terminal(tiny):
    before = tree_bytes(tiny.root)
    result = CliRunner().invoke(
        main,
        [
            "add-post",
            "--root",
            str(tiny.root),
            "https://github.com/keras-team/keras/issues/850",
            "--framework",
            "Keras",
            "--summary",
            "The alpha fixture model fails to convert",
            "--created",
            "2015-10-18",
            "--platform",
            "general",
            "--by",
            "octocat",
        ],
    )
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith("1. DLC-")
    assert errors[-2] == (
        "command line: --label: no label given — pass --label with one of the IDs above "
        "(or another)"
    )
    assert tree_bytes(tiny.root) == before


def test_folds_deal_every_post_once_with_a_fixed_seed():
    keys = [f"stackoverflow:{n}" for n in range(23)]
    dealt = folds(keys, 5)
    assert sorted(k for fold in dealt for k in fold) == sorted(keys)
    assert [len(fold) for fold in dealt] == [5, 5, 5, 4, 4]
    assert folds(list(reversed(keys)), 5) == dealt  # the input order does not matter


def test_a_held_out_post_lends_its_summary_to_no_ranking(tiny):
    """No leakage: a word only a post's summary contains ranks its label while the post is
    in the model, and nothing once the post is held out: every score is then the one of a
    catalog that never had the post (character n-grams included)."""
    without, _ = validate(load(tiny))
    with (tiny.data_dir / "posts.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "stackoverflow,777,https://stackoverflow.com/questions/777,DLC-0004,,2020-01-01,"
            "Keras,general,1,0,no,study2020,The xylophonic converter crashes.\n"
        )
    catalog, _ = validate(load(tiny))
    assert Suggester(catalog).scores("xylophonic")["DLC-0004"] > 0
    held_out = Suggester(catalog, leave_out=["stackoverflow:777"])
    assert set(held_out.scores("xylophonic").values()) == {0.0}
    text = "The xylophonic converter crashes on the alpha fixture model"
    assert Suggester(catalog).scores(text) != Suggester(without).scores(text)
    assert held_out.scores(text) == Suggester(without).scores(text)


def test_the_accuracy_table_shows_every_ranking_in_order():
    score = {"leaf": Score(0.5, 0.75), "inner": Score(0.25, 1.0)}
    result = Evaluation(
        10, 4, 5, {(name, level): s for name in RANKINGS for level, s in score.items()}
    )
    assert table(result) == (
        "| Ranking | Leaf top-1 | Leaf top-3 | Inner top-1 | Inner top-3 |\n"
        "| --- | ---: | ---: | ---: | ---: |\n"
        "| suggester | 0.50 | 0.75 | 0.25 | 1.00 |\n"
        "| site (in-browser index) | 0.50 | 0.75 | 0.25 | 1.00 |\n"
        "| plain search | 0.50 | 0.75 | 0.25 | 1.00 |\n"
        "| majority | 0.50 | 0.75 | 0.25 | 1.00 |\n"
    )


def test_counting_each_document_once_gives_the_branch_documents_tf_idf(tiny):
    """The suggester adds counts up each branch instead of joining the text (and n-grams
    each distinct word once): the weights are exactly those of scikit-learn's vectorizers
    fitted on the joined branch documents."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from generator.analysis.suggest import CHARACTER_NGRAMS, TOKEN_PATTERN, document

    catalog, _ = validate(load(tiny))
    suggester = Suggester(catalog)
    said = {
        c: [p.summary for p in catalog.posts if c in p.labels and p.summary] for c in suggester.ids
    }
    joined = [
        "\n".join(
            document(catalog, c, said[c])
            for c in [cid, *(d for d, _ in catalog.descendants(cid))]
            if c in said
        )
        for cid in suggester.ids
    ]
    words = TfidfVectorizer(token_pattern=TOKEN_PATTERN, sublinear_tf=True, stop_words="english")
    grams = TfidfVectorizer(analyzer="char_wb", ngram_range=CHARACTER_NGRAMS, sublinear_tf=True)
    assert abs(words.fit_transform(joined) - suggester.matrix).max() < 1e-12
    assert abs(grams.fit_transform(joined) - suggester.character_matrix).max() < 1e-12
    assert list(grams.get_feature_names_out()) == list(suggester.characters.get_feature_names_out())
