"""A queued post: one row of a labeling queue, `queue/<study>.csv`.

Part of the schema (see `base`). A queue lists posts a study labeled only with a coarse
category (for Chen et al., the platform), each with the finer challenges `catalog
queue-suggest` ranked first for its text, so that contributors can take one and label it
finely. The file's name is the study's source key: the suggestions lie below the label
that study gave the post, which the post keeps (in `labeler_labels`) after it is
relabeled.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from .base import CatalogModel, ChallengeId
from .post import split_list

MAX_SUGGESTIONS = 3
"""Challenges suggested per queued post: the ranking's top three."""


class QueueItem(CatalogModel):
    """A post waiting for a finer label, with the challenges suggested for it (a CSV row)."""

    site: Literal["stackoverflow", "github"]
    """Where the post lives; with `post_id`, names a post listed in `data/`."""
    post_id: str
    """The site's own ID of the post, as in `data/`."""
    suggestions: Annotated[
        list[ChallengeId],
        BeforeValidator(split_list),
        Field(min_length=1, max_length=MAX_SUGGESTIONS),
    ]
    """The challenges suggested for the post, best first, separated by `;`: each below the
    label the study gave it. Computed by `catalog queue-suggest`, never by hand."""

    @property
    def key(self) -> str:
        """The key of the post it names (as `Post.key`)."""
        return f"{self.site}:{self.post_id}"
