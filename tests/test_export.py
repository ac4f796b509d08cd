"""One schema, three uses: the committed JSON Schemas, field tables and editor lines."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO
from generator.cli import main
from generator.model.challenge import Challenge
from generator.pages.schemas import SCHEMA_DIR, field_table, schemas
from generator.settings import Settings
from generator.tools.export import DOCUMENTED_FILES, export


def test_committed_files_are_up_to_date():
    """If this fails: run `make export` and commit the result."""
    assert export(Settings(root=REPO), check=True) == []


@pytest.fixture
def copy(tmp_path) -> Settings:
    for name in ("catalog", SCHEMA_DIR, "data"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "CONTRIBUTING.md", tmp_path / "CONTRIBUTING.md")
    return Settings(root=tmp_path)


def test_check_names_stale_files_and_the_command_to_refresh_them(copy):
    path = copy.root / "CONTRIBUTING.md"
    path.write_text(path.read_text().replace("| `summary` |", "| `summery` |", 1))
    (copy.catalog_dir / "deployment" / "mobile.yaml").write_text(
        "\n".join((copy.catalog_dir / "deployment" / "mobile.yaml").read_text().splitlines()[1:])
        + "\n"
    )
    result = CliRunner().invoke(main, ["export", "--check", "--root", str(copy.root)])
    assert result.exit_code == 5
    assert result.stderr == (
        "error: out of date: CONTRIBUTING.md, catalog/deployment/mobile.yaml"
        " — run `make export` and commit the result\n"
    )
    assert CliRunner().invoke(main, ["export", "--root", str(copy.root)]).output == (
        "updated 2 file(s): CONTRIBUTING.md, catalog/deployment/mobile.yaml\n"
    )
    assert export(copy, check=True) == []


def test_every_catalog_file_points_at_its_schema_and_passes_it():
    validators = {
        name: jsonschema.Draft202012Validator(json.loads(text)) for name, text in schemas().items()
    }
    for path in sorted((REPO / "catalog").rglob("*.yaml")):
        first = path.read_text().splitlines()[0]
        name = first.rsplit("/", 1)[-1]
        assert first.startswith("# yaml-language-server: $schema=") and name in validators, path
        assert (path.parent / first.split("=", 1)[1]).resolve().is_file(), path
        errors = list(validators[name].iter_errors(yaml.safe_load(path.read_text())))
        assert errors == [], (path, errors[0].message if errors else "")


def test_schema_rejects_what_validation_rejects():
    validator = jsonschema.Draft202012Validator(json.loads(schemas()["challenge.schema.json"]))
    entry = yaml.safe_load((REPO / "catalog/deployment/mobile.yaml").read_text())
    assert list(validator.iter_errors(entry)) == []
    for bad in ({"id": "DLC-12"}, {"sumary": "x"}, {"references": []}):
        assert list(validator.iter_errors({**entry, **bad})), bad


def test_field_tables_document_every_field():
    table = field_table(Challenge)
    for name, info in Challenge.model_fields.items():
        assert f"| `{name}` | {'yes' if info.is_required() else 'no'} |" in table
    for rel in DOCUMENTED_FILES:
        assert "<!-- generated: fields:challenge -->\n| Field |" in (REPO / rel).read_text()
