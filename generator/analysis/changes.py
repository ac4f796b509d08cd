"""What changed between releases: the changelog page and `changes-<version>.json`.

Owns the comparison of release snapshots (`releases/<version>.json`, written by
`catalog release`) with each other and with the working catalog. It is built from
this versioned record, not from git tags, so it works on any checkout, shallow CI
clones included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields

from ..model.base import Status
from ..model.catalog import Catalog
from ..model.release import Snapshot, SnapshotEntry

UNRELEASED = "unreleased"
"""Version name of the changes since the last release."""


@dataclass(frozen=True)
class Changes:
    """The changes of one release (or of the unreleased work) against the one before."""

    version: str
    """The release's version, or `unreleased`."""
    date: str
    """The release's date (ISO), or empty."""
    added: list[str]
    """IDs of challenges added."""
    renamed: list[dict[str, str]]
    """`{id, from, to}` for every changed title."""
    moved: list[dict[str, str | None]]
    """`{id, from, to}` for every changed parent."""
    merged: list[dict[str, str | None]]
    """`{id, into}` for challenges merged in this release."""
    retired: list[str]
    """IDs of challenges retired in this release."""
    posts_added: list[str]
    """Keys of labeled posts added."""

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not any(
            (self.added, self.renamed, self.moved, self.merged, self.retired, self.posts_added)
        )

    def to_json(self) -> str:
        """The machine-readable diff, published as `changes-<version>.json`."""
        # A shallow dict, not `asdict`: the values are already JSON (strings, lists and
        # dicts of strings), and deep-copying 100,000 post keys cost a second.
        fields_ = {f.name: getattr(self, f.name) for f in fields(self)}
        return json.dumps(fields_, indent=2, ensure_ascii=False) + "\n"


def snapshot(catalog: Catalog, version: str, date: str) -> Snapshot:
    """The catalog as it stands, as a release snapshot."""
    return Snapshot.model_validate(
        {
            "version": version,
            "date": date,
            "challenges": {
                cid: SnapshotEntry(
                    title=c.title, parent=c.parent, status=c.status, merged_into=c.merged_into
                )
                for cid, c in catalog.challenges.items()
            },
            "posts": [p.key for p in catalog.posts],
        }
    )


def diff(before: Snapshot | None, after: Snapshot, version: str, date: str) -> Changes:
    """What `after` changed relative to `before` (everything, for the first release)."""
    old = before.challenges if before else {}
    new = after.challenges
    kept = [cid for cid in new if cid in old]
    return Changes(
        version=version,
        date=date,
        added=sorted(set(new) - set(old)),
        renamed=[
            {"id": c, "from": old[c].title, "to": new[c].title}
            for c in kept
            if old[c].title != new[c].title
        ],
        moved=[
            {"id": c, "from": old[c].parent, "to": new[c].parent}
            for c in kept
            if old[c].parent != new[c].parent
        ],
        merged=[
            {"id": c, "into": new[c].merged_into}
            for c in sorted(new)
            if new[c].status is Status.MERGED
            and (c not in old or old[c].status is not Status.MERGED)
        ],
        retired=[
            c
            for c in sorted(new)
            if new[c].status is Status.RETIRED
            and (c not in old or old[c].status is not Status.RETIRED)
        ],
        posts_added=sorted(set(after.posts) - set(before.posts if before else [])),
    )


def history(catalog: Catalog) -> list[Changes]:
    """Every release's changes, newest first, after the unreleased ones (if any)."""
    releases = []
    previous: Snapshot | None = None
    for snap in catalog.snapshots:
        releases.append(diff(previous, snap, snap.version, snap.date.isoformat()))
        previous = snap
    current = snapshot(catalog, "0.0.0", "1970-01-01")
    pending = diff(previous, current, UNRELEASED, "")
    return ([pending] if not pending.empty or not releases else []) + releases[::-1]
