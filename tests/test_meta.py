"""Guards on the test suite itself."""

import ast
from pathlib import Path


def test_no_assert_on_a_constant():
    """`assert "text"` (a forgotten `in page`) can never fail."""
    found = []
    for path in sorted(Path(__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assert) and isinstance(node.test, ast.Constant | ast.JoinedStr):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []
