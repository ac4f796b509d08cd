"""Which challenge is this? Challenges ranked for a post or an error message, with reasons.

Owns the ranking. Each active challenge is one document built only from what the
repository says about it: its title, summary, description, symptoms, error messages and
labeling guidance, and our one-line summaries of the posts labeled with it. A query is
matched against those documents by TF-IDF cosine similarity (scikit-learn), on word
tokens that keep identifiers whole (`tf.lite.TFLiteConverter` gives `tf`, `lite`,
`tfliteconverter`). The reason shown for a suggestion is the query's words that weigh
most in the match.

Why TF-IDF: the documents are short, technical and few (one per challenge); error
messages share rare identifiers with the page that quotes them, which inverse document
frequency rewards, and the model needs no training beyond counting, so it is rebuilt in
well under a second and evaluated honestly by leaving posts out (see `tools/evaluate`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..model.base import Status
from ..model.catalog import Catalog
from ..model.vocab import SCAFFOLD_HINT

TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z0-9_]+\b"
"""Words of two or more characters starting with a letter: identifiers stay whole."""

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
    """Cosine similarity of the query and the challenge's document, 0 to 1."""
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
    """The ranking model for one catalog; `leave_out` posts lend it none of their text."""

    def __init__(self, catalog: Catalog, leave_out: Collection[str] = ()):
        self.ids = [cid for cid, c in catalog.challenges.items() if c.status is Status.ACTIVE]
        self.titles = {cid: catalog.challenges[cid].title for cid in self.ids}
        said: dict[str, list[str]] = {cid: [] for cid in self.ids}
        excluded = set(leave_out)
        for post in catalog.posts:
            if post.summary and post.key not in excluded:
                for label in post.labels:
                    if label in said:
                        said[label].append(post.summary)
        # Imported here: a page build that finds nothing changed never needs scikit-learn,
        # and `siteindex` reads this module's constants without loading it.
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(
            token_pattern=TOKEN_PATTERN, sublinear_tf=True, stop_words="english"
        )
        self.matrix = self.vectorizer.fit_transform(
            [document(catalog, cid, said[cid]) for cid in self.ids]
        )
        self.vocabulary = self.vectorizer.get_feature_names_out()

    def _match(self, text: str):
        """The query's vector and its similarity to each challenge, in `ids` order."""
        query = self.vectorizer.transform([text])
        return query, (self.matrix @ query.T).toarray().ravel()

    def scores(self, text: str) -> dict[str, float]:
        """The similarity of `text` to every challenge, by ID."""
        return dict(zip(self.ids, self._match(text)[1], strict=True))

    def suggest(self, text: str, top: int = 5) -> list[Suggestion]:
        """The `top` challenges for `text`, best first; ties by ID, so the order is the same
        on every run. Challenges that share no word with the text are never suggested."""
        query, scores = self._match(text)
        order = sorted(range(len(self.ids)), key=lambda i: (-scores[i], self.ids[i]))
        found = []
        words = query.nonzero()[1]
        for i in order[:top]:
            if scores[i] <= 0:
                break
            weights = {w: query[0, w] * self.matrix[i, w] for w in words}
            terms = sorted((w for w in words if weights[w] > 0), key=lambda w: -weights[w])
            found.append(
                Suggestion(
                    self.ids[i],
                    self.titles[self.ids[i]],
                    round(float(scores[i]), 3),
                    tuple(str(self.vocabulary[w]) for w in terms[:5]),
                )
            )
        return found
