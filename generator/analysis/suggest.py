"""Which challenge is this? Challenges ranked for a post or an error message, with reasons.

Owns the ranking. Each active challenge is one document built only from what the
repository says about it and its active descendants: their titles, summaries,
descriptions, symptoms, error messages and labeling guidance, and our one-line summaries
of the posts labeled with them. A query is matched against those documents by TF-IDF
cosine similarity (scikit-learn), on word tokens that keep identifiers whole
(`tf.lite.TFLiteConverter` gives `tf`, `lite`, `tfliteconverter`) and, unless asked not
to, also on character 3- to 5-grams within words, averaged. A challenge's score is the
mean of its own match and its parent's (a root counts as its own parent): the parent's
document gathers the whole branch, so a post that clearly belongs to an area lifts every
challenge in it, and the own match picks among them. The reason shown for a suggestion is
the query's words that weigh most in the challenge's own word match.

Why TF-IDF: the documents are short, technical and few (one per challenge); error
messages share rare identifiers with the page that quotes them, which inverse document
frequency rewards, and the model needs no training beyond counting, so it is rebuilt in
about a second and evaluated honestly by leaving posts out (see `tools/evaluate`).
Why the branch documents, the parent's share and the character n-grams: each raised the
cross-validated accuracy on Chen et al.'s questions, and a choice made on the training
folds alone (nested cross-validation) picked all three in every fold; BM25, bigrams,
untransformed term counts and a logistic regression fitted on our post summaries did not
help (docs/accuracy.md lists every variant tried). Character n-grams catch identifiers
written apart or inflected (`TFLiteConverter`, `tflite_convert`); the site's index keeps
the word model only (see `siteindex`), so its ranking is this one without them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..model.base import Status
from ..model.catalog import Catalog
from ..model.vocab import SCAFFOLD_HINT

TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z0-9_]+\b"
"""Words of two or more characters starting with a letter: identifiers stay whole."""

CHARACTER_NGRAMS = (3, 5)
"""Lengths of the character n-grams matched within words (scikit-learn's `char_wb`)."""

WEIGHTS = {"title": 3, "summary": 2, "error_messages": 2}
"""How many times a field counts in a challenge's document (others count once)."""


@dataclass(frozen=True)
class Suggestion:
    """One ranked challenge."""

    cid: str
    """The challenge's ID."""
    title: str
    """Its title."""
    score: float
    """Mean of the query's similarity to the challenge's document and to its parent's,
    each a cosine (averaged over words and character n-grams), 0 to 1."""
    terms: tuple[str, ...]
    """The query's words that count most in the match, strongest first."""


def _text(value: str | None) -> str:
    return "" if not value or value.startswith(SCAFFOLD_HINT) else value


def document(catalog: Catalog, cid: str, summaries: Collection[str]) -> str:
    """Everything the repository says about challenge `cid`, fields weighted."""
    c = catalog.challenges[cid]
    fields = {
        "title": c.title,
        "summary": _text(c.summary),
        "description": _text(c.description),
        "symptoms": " ".join(c.symptoms),
        "error_messages": " ".join(c.error_messages),
        "labeling": _text(c.labeling),
    }
    parts = [" ".join([text] * WEIGHTS.get(name, 1)) for name, text in fields.items()]
    return "\n".join([*parts, *summaries])


class Suggester:
    """The ranking model for one catalog; `leave_out` posts lend it none of their text.

    `characters=False` leaves out the character n-grams: the word model alone, which is
    what the site's index exports (fitting the n-grams would only cost it time)."""

    def __init__(self, catalog: Catalog, leave_out: Collection[str] = (), characters: bool = True):
        self.ids = [cid for cid, c in catalog.challenges.items() if c.status is Status.ACTIVE]
        self.titles = {cid: catalog.challenges[cid].title for cid in self.ids}
        position = {cid: i for i, cid in enumerate(self.ids)}
        self.parents = [
            position.get(catalog.challenges[cid].parent or cid, i) for i, cid in enumerate(self.ids)
        ]
        """Each challenge's parent, as a position in `ids`: its own when it is a root or
        its parent is retired."""
        said: dict[str, list[str]] = {cid: [] for cid in self.ids}
        excluded = set(leave_out)
        for post in catalog.posts:
            if post.summary and post.key not in excluded:
                for label in post.labels:
                    if label in said:
                        said[label].append(post.summary)
        own = [document(catalog, cid, said[cid]) for cid in self.ids]
        # A branch document is the challenge's own and its descendants' text together.
        # Counting each own document once and adding the counts up each branch gives the
        # same counts as counting the joined text, without reading text once per ancestor.
        from scipy.sparse import csr_matrix

        rows, cols = [], []
        for i, cid in enumerate(self.ids):
            for j in [i, *(position[d] for d, _ in catalog.descendants(cid) if d in position)]:
                rows.append(i)
                cols.append(j)
        branch = csr_matrix(([1] * len(rows), (rows, cols)), shape=(len(own), len(own)))
        # Imported here: a page build that finds nothing changed never needs scikit-learn,
        # and `siteindex` reads this module's constants without loading it.
        from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

        self.vectorizer = CountVectorizer(token_pattern=TOKEN_PATTERN, stop_words="english")
        self.weighting = TfidfTransformer(sublinear_tf=True)
        self.matrix = self.weighting.fit_transform(branch @ self.vectorizer.fit_transform(own))
        self.vocabulary = self.vectorizer.get_feature_names_out()
        self.characters = None
        if characters:
            # The n-grams of each distinct whitespace-separated word, counted once: scikit-
            # learn's `char_wb` takes n-grams within such words, so a document's n-gram
            # counts are its word counts times each word's n-grams (n-gramming every
            # occurrence would take seconds).
            spaced = CountVectorizer(token_pattern=r"(?u)\S+")
            counts = spaced.fit_transform(own)
            self.characters = CountVectorizer(analyzer="char_wb", ngram_range=CHARACTER_NGRAMS)
            grams = self.characters.fit_transform(spaced.get_feature_names_out())
            self.character_weighting = TfidfTransformer(sublinear_tf=True)
            self.character_matrix = self.character_weighting.fit_transform(
                branch @ (counts @ grams)
            )

    def _match(self, text: str):
        """The query's word vector, each challenge's own word match, and its score (own
        match and its parent's, averaged), in `ids` order."""
        query = self.weighting.transform(self.vectorizer.transform([text]))
        words = (self.matrix @ query.T).toarray().ravel()
        own = words
        if self.characters is not None:
            grams = self.character_weighting.transform(self.characters.transform([text]))
            own = (words + (self.character_matrix @ grams.T).toarray().ravel()) / 2
        return query, words, (own + own[self.parents]) / 2

    def scores(self, text: str) -> dict[str, float]:
        """The score of `text` for every challenge, by ID."""
        return dict(zip(self.ids, self._match(text)[2], strict=True))

    def suggest(self, text: str, top: int = 5) -> list[Suggestion]:
        """The `top` challenges for `text`, best first; ties by ID, so the order is the same
        on every run. Challenges whose own document shares no word with the text are never
        suggested, however well their parent matches."""
        query, words, scores = self._match(text)
        order = sorted(
            (i for i in range(len(self.ids)) if words[i] > 0),
            key=lambda i: (-scores[i], self.ids[i]),
        )
        found = []
        columns = query.nonzero()[1]
        for i in order[:top]:
            weights = {w: query[0, w] * self.matrix[i, w] for w in columns}
            terms = sorted((w for w in columns if weights[w] > 0), key=lambda w: -weights[w])
            found.append(
                Suggestion(
                    self.ids[i],
                    self.titles[self.ids[i]],
                    round(float(scores[i]), 3),
                    tuple(str(self.vocabulary[w]) for w in terms[:5]),
                )
            )
        return found
