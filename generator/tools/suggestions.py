"""`catalog suggest`: the challenges a post or an error message is most likely about.

Owns the command's checks and report; the ranking is `analysis.suggest`'s. The catalog is
loaded and validated first, like every command, so suggestions never point at a broken
or retired challenge.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.suggest import Suggester, Suggestion
from ..inputs.load import load
from ..inputs.validate import validate
from ..settings import Settings

NO_POSTS = (
    "the catalog has no labeled posts yet: suggestions come from the challenges' own text only"
)
"""Said when nothing labeled can teach the ranking what real posts look like."""


@dataclass(frozen=True)
class Suggested:
    """What `suggest` found."""

    suggestions: list[Suggestion]
    """The ranked challenges, best first (empty when none shares a word with the text)."""
    note: str | None
    """A caveat to show with them, if any."""


def suggest(settings: Settings, text: str, top: int = 5) -> Suggested:
    """The `top` challenges for `text`, from the catalog at `settings`."""
    catalog, _ = validate(load(settings))
    suggester = Suggester(catalog)
    note = NO_POSTS if not catalog.posts else None
    return Suggested(suggester.suggest(text, top), note)


def report(found: Suggested) -> list[str]:
    """The lines `catalog suggest` prints."""
    if not found.suggestions:
        lines = ["no challenge shares a word with the text: describe the problem in more words"]
    else:
        width = max(len(s.title) for s in found.suggestions)
        lines = []
        for rank, s in enumerate(found.suggestions, start=1):
            lines.append(f"{rank}. {s.cid}  {s.title:<{width}}  {s.score:.3f}")
            lines.append(f"   matched: {', '.join(s.terms)}")
    return [*lines, *([f"note: {found.note}"] if found.note else [])]
