"""Stage 1 helper: safe YAML with line numbers."""

import pytest

from generator.inputs.yamlio import YamlError, parse_yaml


def test_records_the_line_of_every_key_and_item():
    doc = parse_yaml("id: DLC-0001\nrelated:\n  - id: DLC-0002\n    note: x\ndescription: |\n  t\n")
    assert doc.data == {
        "id": "DLC-0001",
        "related": [{"id": "DLC-0002", "note": "x"}],
        "description": "t\n",
    }
    assert doc.line_of(("related", 0, "note")) == 4
    assert doc.line_of(("description",)) == 5
    # A missing field points at its nearest existing parent.
    assert doc.line_of(("related", 0, "missing")) == 3


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        (
            "a: &x 1\nb: *x\n",
            1,
            "YAML anchors and aliases are not allowed (found '&x' or '*x')",
            "write the value out in full",
        ),
        (
            "a: 1\nb: c: d\n",
            2,
            "invalid YAML: mapping values are not allowed here",
            "quote values that contain ': ' (colon and space)",
        ),
        ("", 1, "the file is empty", "copy an existing entry as a starting point"),
        (
            "# only a comment\n",
            1,
            "the file is empty",
            "copy an existing entry as a starting point",
        ),
        ("a: 1\na: 2\n", 2, "field 'a' appears twice", "keep one of the two"),
        ("a: 2019-02-30\n", 1, "invalid value '2019-02-30': day is out of range for month", ""),
        (
            "a: !!python/object/apply:os.system [echo]\n",
            1,
            "YAML tags are not allowed (found 'tag:yaml.org,2002:python/object/apply:os.system')",
            "write the value plainly, in quotes if needed",
        ),
        (
            "a: !!str 1\n",
            1,
            "YAML tags are not allowed (found 'tag:yaml.org,2002:str')",
            "write the value plainly, in quotes if needed",
        ),
        (
            "a: 1\n---\nb: 2\n",
            2,
            "the file holds more than one YAML document",
            "keep one entry per file and remove the '---' line",
        ),
        (
            "a:\n\tb: 1\n",
            2,
            "invalid YAML: found character '\\t' that cannot start any token",
            "indent with spaces, not tabs",
        ),
    ],
)
def test_refuses_bad_yaml_with_line_and_hint(text, line, message, hint):
    with pytest.raises(YamlError) as caught:
        parse_yaml(text)
    assert (caught.value.line, caught.value.message, caught.value.hint) == (line, message, hint)


def test_billion_laughs_is_refused_before_expansion():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(YamlError, match="anchors and aliases are not allowed"):
        parse_yaml(bomb)
