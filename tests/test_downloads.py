"""The downloads load with pandas and validate against the published JSON Schemas."""

from __future__ import annotations

import io
import json

import jsonschema
import pandas as pd
import pytest

from generator.analysis.analyze import analyze
from generator.analysis.downloads import ChallengeRow, EdgeRow, downloads
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.pages.schemas import schemas


@pytest.fixture(params=["tiny", "real"])
def files(request):
    catalog, _ = validate(load(request.getfixturevalue(request.param)))
    stats = analyze(catalog)
    return catalog, stats, downloads(catalog, stats)


def test_catalog_json_validates_against_its_schema(files):
    catalog, _, produced = files
    data = json.loads(produced["data/catalog.json"])
    schema = json.loads(schemas()["catalog-download.schema.json"])
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    assert [c["id"] for c in data["challenges"]] == list(catalog.challenges)
    assert "posts" not in data  # published once, in posts.csv


def test_csv_files_load_with_pandas_and_match_their_row_models(files):
    catalog, stats, produced = files
    challenges = pd.read_csv(io.BytesIO(produced["data/challenges.csv"]), keep_default_na=False)
    assert list(challenges.columns) == list(ChallengeRow.model_fields)
    for record in challenges.astype(str).to_dict("records"):
        row = ChallengeRow.model_validate({k: v for k, v in record.items()})
        assert row.posts == stats.by_challenge[row.id].posts
    posts = pd.read_csv(io.BytesIO(produced["data/posts.csv"]), keep_default_na=False)
    assert len(posts) == len(catalog.posts)
    edges = pd.read_csv(io.BytesIO(produced["data/edges.csv"]), keep_default_na=False)
    assert list(edges.columns) == list(EdgeRow.model_fields)
    assert len(edges) == sum(len(p.labels) * len(p.frameworks) for p in catalog.posts)
    # Counting distinct posts per primary label in the edge list gives the direct counts.
    primary = edges[edges["primary"] == "yes"].groupby("challenge")["post"].nunique()
    for cid, n in primary.items():
        assert n <= stats.by_challenge[cid].direct
