"""Pydantic's validation errors as `Problem`s a contributor can act on.

Owns the wording: line numbers from the YAML line map, 'did you mean' for unknown
fields and values, and a hint saying what to write for each type error.
"""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from ..errors import Problem, Severity
from .didyoumean import suggest
from .load import LoadedYaml


def report(
    problems: list[Problem],
    loaded: LoadedYaml,
    path: tuple,
    message: str,
    hint: str = "",
    severity: Severity = Severity.ERROR,
) -> None:
    """Add a problem about the value at `path` of a YAML file, at that value's line."""
    field = ".".join(str(p) for p in path if isinstance(p, str))
    problems.append(Problem(loaded.path, loaded.doc.line_of(path), field, message, hint, severity))


_TYPE_HINTS = {
    "string_type": "write it as text, in quotes if it looks like a number or a date",
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "list_type": "write a list: one item per line, each starting with '- '",
    "dict_type": "write the fields indented on the lines below",
    "model_type": "write the fields indented on the lines below",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "too_long": "list fewer items",
}
"""Hints for pydantic's type errors, which say what is wrong but not what to write."""


def schema_problems(
    exc: ValidationError, model: type[BaseModel], file: str, line_of, field_prefix: str = ""
) -> list[Problem]:
    """Translate pydantic's errors into `Problem`s with lines and plain-language hints."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        # Keep list indices out of the field name ('frameworks', not 'frameworks.1').
        field = ".".join(str(part) for part in loc if isinstance(part, str))
        message = error["msg"].removeprefix("Value error, ")
        kind = error["type"]
        hint = _TYPE_HINTS.get(kind, "")
        if kind == "missing":
            message, hint = "required field is missing", "add it (see CONTRIBUTING.md)"
        elif kind == "extra_forbidden":
            names = _field_names(model, loc[:-1])
            message = "unknown field"
            hint = suggest(str(loc[-1]), names) or "allowed: " + ", ".join(names)
        elif kind == "string_pattern_mismatch" and "DLC-" in str(error.get("ctx", {})):
            message = f"'{error['input']}' is not a challenge ID"
            hint = "IDs look like DLC-0042"
        elif kind == "literal_error":
            allowed = [
                a.strip(" '")
                for a in str(error["ctx"]["expected"]).replace(" or ", ", ").split(", ")
            ]
            message = f"'{error['input']}' is not allowed"
            hint = suggest(str(error["input"]), allowed) or "allowed: " + ", ".join(allowed)
        problems.append(Problem(file, line_of(loc), field_prefix + field, message, hint))
    return problems


def _field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the (nested) model at `loc`, for 'did you mean' on unknown fields."""
    for part in loc:
        if not isinstance(part, str):
            continue
        annotation = model.model_fields[part].annotation
        nested = [
            a
            for a in getattr(annotation, "__args__", (annotation,))
            if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if not nested:
            return []
        model = nested[0]
    return list(model.model_fields)
