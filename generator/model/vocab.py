"""The catalog's closed vocabularies: the values a post's cells and a scaffold may hold.

Kept apart from the models (which validate against them) because the command line offers
these values as choices, and importing them must not cost the import of pydantic.
"""

from __future__ import annotations

SCAFFOLD_HINT = "✎ "
"""Starts every hint that `catalog new challenge` writes in place of real text;
validation warns while one is left."""

FRAMEWORKS: tuple[str, ...] = (
    "Caffe",
    "Core ML",
    "Keras",
    "MXNet",
    "ONNX",
    "ONNX Runtime",
    "PyTorch",
    "TensorFlow",
    "TF Lite",
    "TF Serving",
    "TF.js",
    "TorchServe",
    "other",
)
"""Allowed values of a post's `frameworks` column (kept short so facets stay useful)."""

PLATFORMS: tuple[str, ...] = ("server", "mobile", "browser", "general")
"""Allowed values of a post's `platform` column; `general` is platform-independent."""


LIST_SEPARATOR = ";"
"""Separator of multi-valued CSV cells (`other_labels`, `frameworks`)."""
