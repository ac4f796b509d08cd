"""Safe YAML reading that remembers where every value came from.

Contributed YAML is untrusted. We parse with PyYAML's safe loader, refuse
anchors and aliases outright (they are never needed in a catalog entry and are
the vehicle of "billion laughs" memory bombs), and record the line of every
mapping key and sequence item so validation errors can point at a line.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (its wheels are): the same
documents and marks, several times faster than the pure-Python one."""

Path_ = tuple[str | int, ...]
"""Location of a value inside a document: keys and list indices from the top."""


class YamlError(Exception):
    """Raised by `parse_yaml` for text that is not acceptable YAML; carries a line."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML document and the line of each value in it."""

    data: object
    """The document as plain Python values (dicts, lists, scalars)."""
    lines: dict[Path_, int]
    """1-based line of each value, keyed by its path; `()` is the document itself."""

    def line_of(self, path: Path_) -> int:
        """Line of `path`, or of its nearest ancestor that exists (a missing field's parent)."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document, refusing aliases, tags and multiple documents.

    libyaml parses; when it finds a problem, the pure-Python parser runs again so
    that the message (which contributors see, and tests assert) is always the same.
    """
    try:
        return _parse(text, _LOADER)
    except (yaml.YAMLError, YamlError):
        if _LOADER is yaml.SafeLoader:
            raise
    return _parse(text, yaml.SafeLoader)  # raises the canonical YamlError


def _parse(text: str, loader_class) -> YamlDocument:
    """Parse with `loader_class`; YAML problems become `YamlError` except under libyaml,
    whose errors the caller replaces with the pure-Python parser's."""
    fast = loader_class is not yaml.SafeLoader
    loader = None
    try:
        loader = loader_class(text)  # refuses control characters at once
        _reject_aliases(text, loader_class)
        node = loader.get_single_node()
        if node is None:
            raise YamlError(1, "the file is empty", "copy an existing entry as a starting point")
        lines: dict[Path_, int] = {}
        data = _convert(node, (), lines, loader)
    except yaml.reader.ReaderError as exc:
        if fast:
            raise
        line = text[: exc.position].count("\n") + 1
        raise YamlError(
            line,
            f"the file contains a control character (#x{exc.character:04x})",
            "remove it; catalog files are plain text",
        ) from None
    except yaml.MarkedYAMLError as exc:
        if fast:
            raise
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or str(exc)
        raise YamlError(line, f"invalid YAML: {problem}", _yaml_hint(problem)) from None
    except yaml.YAMLError as exc:
        if fast:
            raise
        raise YamlError(1, f"invalid YAML: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDocument(data, lines)


def _reject_aliases(text: str, loader_class) -> None:
    """Scan the event stream (cheap, nothing constructed) for anchors, aliases and tags.

    Explicit tags (`!!python/object`, `!!binary`, even `!!str`) are refused too: a
    catalog entry never needs one, and the safe loader would ignore some of them
    silently on collections.
    """
    documents = 0
    for event in yaml.parse(text, Loader=loader_class):
        line = event.start_mark.line + 1
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlError(
                line,
                f"YAML anchors and aliases are not allowed (found '&{anchor}' or '*{anchor}')",
                "write the value out in full",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not isinstance(event, yaml.DocumentStartEvent):
            raise YamlError(
                line,
                f"YAML tags are not allowed (found '{tag}')",
                "write the value plainly, in quotes if needed",
            )
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError(
                    line,
                    "the file holds more than one YAML document",
                    "keep one entry per file and remove the '---' line",
                )


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "quote values that contain ': ' (colon and space)"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return "check indentation and quoting near that line"


def _convert(node: yaml.Node, path: Path_, lines: dict[Path_, int], loader) -> object:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                raise YamlError(key_node.start_mark.line + 1, f"key {key!r} is not a text key")
            if key in result:
                raise YamlError(
                    key_node.start_mark.line + 1,
                    f"field '{key}' appears twice",
                    "keep one of the two",
                )
            result[key] = _convert(value_node, (*path, key), lines, loader)
            # A key's own line is more useful than its value's for block scalars.
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), lines, loader) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node)
    except ValueError as exc:  # e.g. a date like 2019-02-30 that the resolver accepted
        raise YamlError(node.start_mark.line + 1, f"invalid value {node.value!r}: {exc}") from None
