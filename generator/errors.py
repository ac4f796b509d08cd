"""Problems found in the input, and the exceptions the pipeline raises.

Every stage reports bad input as `Problem` values instead of raising at the
first one, so a contributor sees everything to fix in one run. The CLI maps
each exception class to an exit code (see `EXIT_CODES`); nothing else in the
package decides exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is. Warnings become errors under `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, pointing at where to fix it."""

    file: str
    """Path of the offending file, relative to the project root."""
    line: int
    """1-based line in `file`; 0 when the problem concerns the file as a whole."""
    field: str
    """Dotted field path (YAML) or column name (CSV); empty for file-level problems."""
    message: str
    """What is wrong, stated as a fact about the input."""
    hint: str = ""
    """What to do about it (a suggestion, the allowed values); may be empty."""
    severity: Severity = Severity.ERROR
    """Whether this blocks the build."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        hint = f" — {self.hint}" if self.hint else ""
        tag = " (warning)" if self.severity is Severity.WARNING else ""
        return f"{where}:{field} {self.message}{hint}{tag}"


class CatalogError(Exception):
    """Base class of every error the generator raises on purpose."""


class ValidationFailed(CatalogError):
    """Raised by `validate` (and `load`) when the input has errors.

    Carries every problem found, so the CLI can print them all at once.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = sum(p.severity is Severity.ERROR for p in self.problems)
        super().__init__(f"{errors} error(s) in the catalog")


class SiteBuildFailed(CatalogError):
    """Raised by `build` when `mkdocs build --strict` fails.

    The generated Markdown is valid input but MkDocs rejected it (a broken
    link, a warning under strict mode); the previous `site/` is kept.
    """


class OutputPathError(CatalogError):
    """Raised by `write` when an output path would land outside its folder.

    IDs are validated before this point, so reaching it means a bug in the
    generator, not bad input; it is checked anyway because writing outside
    `docs/` would be destructive.
    """


class ServeFailed(CatalogError):
    """Raised by `catalog serve` when the preview cannot listen on its address (the port
    is taken, the host is not this machine's), before anything is generated."""


class ExportStale(CatalogError):
    """Raised by `catalog export --check` when a committed derived file (a JSON Schema, a
    field table, an editor line) no longer matches the models."""


EXIT_CODES: dict[type[CatalogError], int] = {
    ValidationFailed: 1,
    SiteBuildFailed: 3,
    OutputPathError: 4,
    ExportStale: 5,
}
"""Exit codes of the `catalog` command (2 is click's usage error)."""
