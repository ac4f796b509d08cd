"""The "Find your challenge" index and its Python mirror of find.js: the same ranking as
`catalog suggest`'s word model when nothing is cut, the cut keeps each challenge's
strongest terms, the bytes are the same on every run, and words are found as the
suggester finds them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata

import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from conftest import REPO
from generator.analysis.siteindex import (
    SCALE,
    SUGGEST_INDEX,
    TOP_TERMS,
    index_json,
    index_scores,
    rank_with_index,
    site_index,
    tokens,
)
from generator.analysis.suggest import Suggester
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.site.build import generate

ERRORS = {
    # Verbatim from the error_messages of the challenge each is expected to find.
    "RuntimeError: CUDA out of memory. Tried to allocate": "DLC-0013",
    "A protocol message was rejected because it was too big (more than 1073741824 bytes).": (
        "DLC-0065"
    ),
    "No OpKernel was registered to support Op 'PyFunc'": "DLC-0048",
}
"""Three real error messages and the challenge whose page quotes each."""

DESCRIPTIONS = [
    "Some of the operators in the model are not supported by the standard TensorFlow Lite runtime",
    "My Keras model converted to TF Lite gives different predictions on Android than in Python",
    "How can I run a PyTorch model in the browser with ONNX.js?",
    "tensorflow serving docker container returns 404 for my model",
    "Could not find base path /models/model for servable model",
]

UNCUT = 10**6
"""More terms per challenge than any has: the index keeps the whole model."""


@pytest.fixture(scope="module")
def real_catalog():
    from generator.settings import Settings

    return validate(load(Settings(root=REPO)))[0]


@pytest.fixture(scope="module")
def real_suggester(real_catalog) -> Suggester:
    """The word model the site's index is exported from (no character n-grams)."""
    return Suggester(real_catalog, characters=False)


def _same_ranking(suggester: Suggester, texts: list[str]) -> None:
    index = site_index(suggester, top_terms=UNCUT)
    for text in texts:
        expected = suggester.suggest(text, 5)
        found = rank_with_index(index, text, 5)
        assert [(s.cid, s.title, s.terms) for s in found] == [
            (s.cid, s.title, s.terms) for s in expected
        ], text
        # Weights and frequencies are rounded to 4 decimals: scores move by a unit of the
        # 3rd decimal at most once rounded themselves.
        assert [s.score for s in found] == pytest.approx([s.score for s in expected], abs=0.0011), (
            text
        )


def test_an_uncut_index_ranks_as_the_suggester_on_the_tiny_catalog(tiny):
    catalog, _ = validate(load(tiny))
    texts = [
        "The alpha fixture model fails to convert",
        "beta leaf conversion crash",
        "fixture taxonomy branch category",
    ]
    suggester = Suggester(catalog, characters=False)
    assert all(suggester.suggest(text, 5) for text in texts)  # every text finds something
    _same_ranking(suggester, texts)


def test_an_uncut_index_ranks_as_the_suggester_on_the_real_catalog(real_suggester):
    _same_ranking(real_suggester, [*ERRORS, *DESCRIPTIONS])


def test_the_cut_index_keeps_each_challenges_strongest_terms_and_the_first_answer(
    real_suggester, real_catalog
):
    """The published index keeps `TOP_TERMS` weights per challenge, none weaker than a
    weight it drops; the first answer to each real error message stays `catalog
    suggest`'s (character n-grams included) and names the challenge that quotes the
    message (top-5 can differ below the first: the accuracy page measures what the cut
    and the n-grams cost)."""
    suggest = Suggester(real_catalog).suggest
    index = site_index(real_suggester)
    uncut = site_index(real_suggester, top_terms=UNCUT)
    assert len(index_json(index).encode()) < 250_000
    for cut, full in zip(index["challenges"], uncut["challenges"], strict=True):
        kept = [w for _, w in cut["weights"]]
        dropped = [w for _, w in full["weights"]][len(kept) :]
        assert len(kept) == min(TOP_TERMS, len(full["weights"])), cut["id"]
        assert kept == sorted(kept, reverse=True), cut["id"]
        assert not dropped or min(kept) >= max(dropped), cut["id"]
    for text, quoting in ERRORS.items():
        first = rank_with_index(index, text, 1)
        assert [s.cid for s in first] == [suggest(text, 1)[0].cid] == [quoting]
    assert [rank_with_index(index, t, 1)[0].cid for t in DESCRIPTIONS] == [
        suggest(t, 1)[0].cid for t in DESCRIPTIONS
    ]


def test_scores_are_those_the_ranking_orders_by(real_suggester):
    index = site_index(real_suggester)
    text = next(iter(ERRORS))
    scores = index_scores(index, text)
    ranked = rank_with_index(index, text, 3)
    best = sorted(scores, key=lambda cid: (-scores[cid], cid))[:3]
    assert [s.cid for s in ranked] == best
    assert [s.score for s in ranked] == [round(scores[cid], 3) for cid in best]
    assert set(scores) == set(real_suggester.ids)


def test_the_index_layout(tiny):
    catalog, _ = validate(load(tiny))
    index = site_index(Suggester(catalog, characters=False))
    assert sorted(index) == ["challenges", "format", "idf", "terms"]
    assert index["terms"] == sorted(index["terms"])
    assert len(index["idf"]) == len(index["terms"])
    first = index["challenges"][0]
    assert {k: first[k] for k in ("id", "title", "page", "parent")} == {
        "id": "DLC-0001",
        "title": "Fixture taxonomy",
        "page": "challenges/DLC-0001/",
        "parent": 0,  # a root is its own parent
    }
    positions = {c["id"]: i for i, c in enumerate(index["challenges"])}
    for c in index["challenges"]:
        parent = catalog.challenges[c["id"]].parent
        assert c["parent"] == positions[parent or c["id"]], c["id"]
    assert all(isinstance(w, int) and 0 < w <= SCALE for _, w in first["weights"])


def test_an_index_of_another_format_is_refused():
    with pytest.raises(ValueError) as error:
        rank_with_index({"format": 1, "terms": [], "idf": [], "challenges": []}, "model")
    assert str(error.value) == "suggest index has format 1; expected 2"


def test_text_sharing_no_kept_word_ranks_nothing(tiny):
    catalog, _ = validate(load(tiny))
    index = site_index(Suggester(catalog, characters=False))
    assert rank_with_index(index, "zzyzx qwertyuiop the") == []


INDEX_BYTES = """
import sys
from pathlib import Path
from generator.analysis.siteindex import index_json, site_index
from generator.analysis.suggest import Suggester
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.settings import Settings
catalog, _ = validate(load(Settings(root=Path(sys.argv[1]))))
sys.stdout.write(index_json(site_index(Suggester(catalog, characters=False))))
"""


def test_the_index_is_the_same_bytes_in_every_run(tiny):
    """Two processes with different string hashing (set and dict orders) write the same
    index, and the generator publishes exactly those bytes."""
    runs = [
        subprocess.run(
            [sys.executable, "-c", INDEX_BYTES, str(REPO)],
            capture_output=True,
            check=True,
            cwd=REPO,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert json.loads(runs[0])["format"] == 2
    generate(tiny)
    catalog, _ = validate(load(tiny))
    published = (tiny.docs_dir / SUGGEST_INDEX).read_bytes()
    assert published == index_json(site_index(Suggester(catalog, characters=False))).encode()


def test_words_are_found_as_the_suggester_finds_them(real_suggester):
    analyzer = real_suggester.vectorizer.build_analyzer()
    text = "tf.lite.TFLiteConverter: Conv2D op_v2 x 3d café tfliteé naïve ÉTAT \u212aeras İnput"
    found = tokens(text)
    assert found == [
        "tf",
        "lite",
        "tfliteconverter",
        "conv2d",
        "op_v2",
        "keras",  # the Kelvin sign lowercases to k
        "nput",  # İ lowercases to i and a combining dot, which is no word character
    ]
    assert [w for w in found if w not in ENGLISH_STOP_WORDS] == analyzer(text)


def test_pythons_word_characters_are_exactly_letters_numbers_and_underscore():
    """find.js spells Python's `\\w` as `[\\p{L}\\p{N}_]`: true for every code point of
    Python's Unicode database, so both find word boundaries in the same places."""
    word = re.compile(r"\w")
    differ = [
        hex(cp)
        for cp in range(sys.maxunicode + 1)
        if bool(word.match(chr(cp))) != (unicodedata.category(chr(cp))[0] in "LN" or chr(cp) == "_")
    ]
    assert differ == []
