"""The site's "Find your challenge" index, and the ranking the page computes from it.

Owns the static index the browser ranks with (`data/suggest-index.json`) and
`rank_with_index`, the Python mirror of `docs/javascripts/find.js`: the same ranking in
the same order, so tests and `catalog evaluate-suggest` measure what readers get.

The index is the suggester's word model (see `suggest`; the character n-grams are left
out, as they would multiply the file and the script) cut down to what a page can fetch
cheaply: each active challenge keeps its parent's position, as the score averages a
challenge's own match with its parent's, and its `TOP_TERMS` strongest term weights, and only the
terms some challenge keeps have an inverse document frequency. Weights are written as whole
ten-thousandths (4 decimals, two characters shorter each) and frequencies rounded to 4
decimals; everything is sorted, so the same catalog gives the same bytes.

What the cut changes: a challenge's dropped terms count nothing (their weights are the
challenge's weakest), and a query's words outside the kept terms are ignored, also when
the query is normalized: a match is the cosine in the kept terms only, a little lower
than the word model's where a dropped term matched and higher where the query had words no
challenge keeps. Uncut, the index ranks as `Suggester(catalog, characters=False)`; cut and
without the character n-grams, it agrees with `catalog suggest` wherever those do not
decide; the accuracy page measures both on the same questions.

Tokens: the text is lowercased, then words are found with the suggester's `TOKEN_PATTERN`.
Python's `\\b` is Unicode-aware (`é` is a word character, so `tfliteé` is no token), while
JavaScript's `\\b` knows only ASCII even with the `u` flag. find.js therefore writes the
boundaries out as `(?<![\\p{L}\\p{N}_])…(?![\\p{L}\\p{N}_])`: Python's `\\w` is exactly
letters, numbers and `_` (tested over every code point), so both find the same words.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable

from ..model.catalog import Catalog
from .suggest import TOKEN_PATTERN, Suggester, Suggestion

SUGGEST_INDEX = "data/suggest-index.json"
"""Where the index is published, relative to `docs/`."""

SUGGEST_FORMAT = 2
"""Version of the index's layout; find.js refuses any other, so a stale cached script
never misranks a newer index."""

SCALE = 10_000
"""Weights are stored as whole multiples of 1 / SCALE."""

TOP_TERMS = 100
"""Term weights kept per challenge: the strongest, which decide most rankings."""

MATCHED_TERMS = 5
"""Matched words shown per result, as `catalog suggest` shows them."""

_WORD = re.compile(TOKEN_PATTERN)


def site_index(suggester: Suggester, top_terms: int = TOP_TERMS) -> dict:
    """The index as JSON-able data.

    `terms` lists the kept terms alphabetically and `idf` their inverse document
    frequencies; each challenge (in the suggester's order, which is the catalog's) has
    `weights`, pairs `[term's position in terms, weight in ten-thousandths]`, strongest
    first (ties by term), and `parent`, its parent's position in `challenges` (its own
    for a root).
    """
    vocabulary = [str(t) for t in suggester.vocabulary]
    idf = suggester.weighting.idf_
    matrix = suggester.matrix.tocsr()
    strongest: list[list[tuple[int, float]]] = []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        pairs = [
            (int(col), round(float(w) * SCALE))
            for col, w in zip(matrix.indices[start:end], matrix.data[start:end], strict=True)
        ]
        pairs.sort(key=lambda p: (-p[1], vocabulary[p[0]]))
        strongest.append([p for p in pairs[:top_terms] if p[1] > 0])
    kept = sorted({col for pairs in strongest for col, _ in pairs}, key=lambda c: vocabulary[c])
    position = {col: i for i, col in enumerate(kept)}
    return {
        "format": SUGGEST_FORMAT,
        "terms": [vocabulary[c] for c in kept],
        "idf": [round(float(idf[c]), 4) for c in kept],
        "challenges": [
            {
                "id": cid,
                "title": suggester.titles[cid],
                "page": f"challenges/{cid}/",
                "parent": parent,
                "weights": [[position[col], w] for col, w in pairs],
            }
            for cid, pairs, parent in zip(suggester.ids, strongest, suggester.parents, strict=True)
        ],
    }


def index_json(index: dict) -> str:
    """The index as published: compact, keys sorted, one trailing newline."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def tokens(text: str) -> list[str]:
    """The words of `text` as the suggester and find.js see them."""
    return _WORD.findall(text.lower())


def _total(values: Iterable[float]) -> float:
    """Left-to-right float sum, as JavaScript adds: Python 3.12's `sum` compensates rounding
    errors, which would make the last digits differ from find.js's."""
    total = 0.0
    for value in values:
        total += value
    return total


def _query(index: dict, text: str) -> dict[int, float]:
    """The text's kept terms with their normalized weights: (1 + ln count) × idf, L2."""
    position = {term: i for i, term in enumerate(index["terms"])}
    counts = Counter(position[w] for w in tokens(text) if w in position)
    weights = {t: (1 + math.log(n)) * index["idf"][t] for t, n in sorted(counts.items())}
    norm = math.sqrt(_total(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def _check(index: dict) -> None:
    if index.get("format") != SUGGEST_FORMAT:
        raise ValueError(
            f"suggest index has format {index.get('format')!r}; expected {SUGGEST_FORMAT}"
        )


def _parts(query: dict[int, float], challenge: dict) -> dict[int, float]:
    """What each of the query's terms adds to the challenge's score, in the index's order."""
    return {t: query[t] * (w / SCALE) for t, w in challenge["weights"] if t in query}


def _own(query: dict[int, float], index: dict) -> list[dict[int, float]]:
    """Each challenge's own match, term by term, in the index's order."""
    return [_parts(query, c) for c in index["challenges"]]


def _score(own: list[float], challenge: dict, i: int) -> float:
    """A challenge's score: the mean of its own match and its parent's."""
    return (own[i] + own[challenge["parent"]]) / 2


def index_scores(index: dict, text: str) -> dict[str, float]:
    """Every challenge's score for `text`, by ID, as find.js computes it.

    Raises `ValueError` for an index of another format, as find.js refuses it."""
    _check(index)
    own = [_total(parts.values()) for parts in _own(_query(index, text), index)]
    return {c["id"]: _score(own, c, i) for i, c in enumerate(index["challenges"])}


def rank_with_index(index: dict, text: str, top: int = 5) -> list[Suggestion]:
    """The `top` challenges for `text`, best first, ties by ID; challenges whose own
    weights share no kept word with the text are left out. Each comes with the query's
    words that count most in its own match, strongest first (ties alphabetical). Scores
    are rounded to 3 decimals, as the page shows them; the order is decided before
    rounding."""
    _check(index)
    matched = _own(_query(index, text), index)
    own = [_total(parts.values()) for parts in matched]
    found = []
    for i, (c, parts) in enumerate(zip(index["challenges"], matched, strict=True)):
        if own[i] > 0:
            terms = sorted(parts, key=lambda t: (-parts[t], index["terms"][t]))
            words = tuple(index["terms"][t] for t in terms[:MATCHED_TERMS])
            found.append(Suggestion(c["id"], c["title"], _score(own, c, i), words))
    found.sort(key=lambda s: (-s.score, s.cid))
    return [Suggestion(s.cid, s.title, round(s.score, 3), s.terms) for s in found[:top]]


def index_file(catalog: Catalog) -> dict[str, bytes]:
    """The published index, by path under `docs/`: what "Find your challenge" ranks from.

    It needs no statistics, and fitting it (with scikit-learn's import) costs seconds at
    scale, so a generation builds it in the background child with the post downloads."""
    index = site_index(Suggester(catalog, characters=False))
    return {SUGGEST_INDEX: index_json(index).encode("utf-8")}
