"""'Did you mean …?' hints for mistyped IDs, field names and values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA


def suggest(value: str, candidates: Iterable[str], titles: Mapping[str, str] | None = None) -> str:
    """A 'did you mean' hint for a mistyped name or ID ('' when nothing is close).

    With `titles` (ID → title), a value that is a challenge's title (a common
    slip: writing the name instead of the ID) suggests that challenge's ID.
    """
    candidates = list(candidates)
    titles = titles or {}
    by_title = {title.lower(): cid for cid, title in titles.items()}
    if value.lower() in by_title:
        cid = by_title[value.lower()]
        return f"did you mean '{cid}' ({titles[cid]})?"
    lowered = {c.lower(): c for c in candidates}
    if value.lower() in lowered:
        return f"did you mean '{lowered[value.lower()]}'?"
    # Edit distance with transpositions: 'DLC-0020' is one swap from 'DLC-0002'.
    # Ties go to the first candidate in sorted order, so the hint is stable.
    best = process.extractOne(
        value, sorted(candidates), scorer=OSA.distance, score_cutoff=max(1, len(value) // 3)
    )
    if best is None:
        return ""
    name = f" ({titles[best[0]]})" if best[0] in titles else ""
    return f"did you mean '{best[0]}'{name}?"
