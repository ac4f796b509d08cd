"""The `catalog` command: help, exit codes, messages; and the README's commands stay true."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import REPO, write_files
from generator.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_help_lists_every_command_and_exit_code():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("validate", "generate", "build", "serve", "stats"):
        assert re.search(rf"^\s+{command}\s", result.output, re.M), command
    text = " ".join(result.output.split())
    assert "Exit codes: 0 success, 1 invalid catalog, 2 bad command line, 3 MkDocs build" in text


@pytest.mark.parametrize("command", ["validate", "generate", "build", "serve", "stats"])
def test_each_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "--root" in result.output


def test_python_dash_m_is_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("Usage: catalog [OPTIONS] COMMAND [ARGS]...")


def test_validate_ok(tiny):
    result = run("validate", "--root", str(tiny.root))
    assert (result.exit_code, result.output) == (0, "ok: 6 challenges, 3 posts\n")


def test_validate_reports_every_problem_and_exits_1(tiny):
    write_files(
        tiny.root,
        {"catalog/leaf-b.yaml": "id: DLC-0004\n: broken\n", "data/more.csv": "site,post_id\n"},
    )
    before = sorted(p for p in tiny.root.rglob("*"))
    result = CliRunner().invoke(main, ["validate", "--root", str(tiny.root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "catalog/leaf-b.yaml:2: invalid YAML: expected <block end>, but found ':'"
        " — check indentation and quoting near that line"
    )
    assert result.stderr.splitlines()[-1] == "validation failed: 2 errors; nothing was written"
    assert sorted(p for p in tiny.root.rglob("*")) == before


def test_strict_turns_warnings_into_errors(tiny):
    text = (
        (tiny.catalog_dir / "leaf-b.yaml")
        .read_text()
        .replace("researchers: Look into beta.", "researchers: null")
    )
    write_files(tiny.root, {"catalog/leaf-b.yaml": text})
    assert run("validate", "--root", str(tiny.root)).exit_code == 0
    assert (
        CliRunner().invoke(main, ["validate", "--strict", "--root", str(tiny.root)]).exit_code == 1
    )


def test_generate_then_stats(tiny):
    first = run("generate", "--root", str(tiny.root)).output
    written = re.fullmatch(r"docs/: (\d+) written, 0 unchanged, 0 removed\n", first)
    assert written, first
    assert run("generate", "--root", str(tiny.root)).output == (
        f"docs/: 0 written, {written[1]} unchanged, 0 removed\n"
    )
    lines = run("stats", "--root", str(tiny.root)).output.splitlines()
    assert lines[0] == "4 active challenges, 3 labeled posts, 4 frameworks, newest post 2021-06-17"
    assert lines[2].startswith("DLC-0001  Fixture taxonomy") and lines[2].endswith("3 posts")
    assert lines[3].startswith("  DLC-0002  Branch category")


def test_missing_catalog_folder(tmp_path):
    result = CliRunner().invoke(main, ["validate", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "catalog: folder not found"


def test_readme_gives_the_two_commands_and_they_exist():
    readme = (REPO / "README.md").read_text()
    makefile = (REPO / "Makefile").read_text()
    assert "make site" in readme and "make test" in readme and "make serve" in readme
    for target in ("site", "serve", "test", "golden"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    ci = [
        line
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert ci[-1] == "make test", ci  # CI runs the README's command, and nothing after it
    assert re.search(r"^\tbrowser=\$\$\(\$\(FIND_BROWSER\)\) && ", makefile, re.M)


def test_the_workflow_auditor_runs_at_one_pinned_version_everywhere():
    """zizmor runs in `make lint`, the checks workflow and pre-commit: one version, so a
    workflow that passes one of them passes all three."""
    pinned = re.findall(r'"zizmor==([0-9.]+)"', (REPO / "pyproject.toml").read_text())
    workflow = (REPO / ".github" / "workflows" / "checks.yml").read_text()
    hook = (REPO / ".pre-commit-config.yaml").read_text()
    assert len(pinned) == 1
    assert re.findall(r"zizmor==([0-9.]+)", workflow) == pinned
    assert re.findall(r"zizmor==([0-9.]+)", hook) == pinned


def test_contributing_headings_match_make_targets():
    contributing = (REPO / "CONTRIBUTING.md").read_text()
    for target in re.findall(r"^([a-z]+):.*## ", (REPO / "Makefile").read_text(), re.M):
        if target != "help":
            assert f"`make {target}`" in contributing, target


def test_data_dictionary_lists_every_field():
    from generator.model.challenge import Challenge, Source
    from generator.model.post import Post
    from generator.model.study import Study

    dictionary = (REPO / "data" / "README.md").read_text()
    for model in (Challenge, Post, Source, Study):
        for name in model.model_fields:
            assert re.search(rf"^\| `{name}` \|", dictionary, re.M), f"{model.__name__}.{name}"


def test_generated_paths_are_git_ignored_and_cleaned():
    from generator.settings import GENERATED_DIRS, GENERATED_FILES

    ignored = (REPO / ".gitignore").read_text().splitlines()
    clean = next(line for line in (REPO / "Makefile").read_text().splitlines() if "rm -rf" in line)
    for path in [f"docs/{d}" for d in GENERATED_DIRS] + [f"docs/{f}" for f in GENERATED_FILES]:
        assert f"/{path}" in ignored or f"/{path}/" in ignored, path
        assert f" {path} " in clean, path


def test_github_format_annotates_each_problem(tiny):
    write_files(tiny.root, {"data/more.csv": "site,post_id\n"})
    result = CliRunner().invoke(main, ["validate", "--format", "github", "--root", str(tiny.root)])
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=data/more.csv,line=1,title=catalog::missing column(s): url, primary_label,"
        " other_labels, created, frameworks, platform, score, answer_count, accepted_answer, "
        "labeled_by, summary — the header must be: site,post_id,url,primary_label,other_labels,"
        "created,frameworks,platform,score,answer_count,accepted_answer,labeled_by,summary\n"
    )


def test_citation_file_matches_the_package_version():
    import tomllib

    import yaml

    citation = yaml.safe_load((REPO / "CITATION.cff").read_text())
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert citation["version"] == project["version"]
    assert citation["cff-version"] == "1.2.0" and citation["title"] == "DL Challenge Catalog"
