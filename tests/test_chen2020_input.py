"""`imports/chen2020/make_input.py` on a small package made here, in the authors' format."""

from __future__ import annotations

import csv
import importlib.util
import json
import zipfile

from openpyxl import Workbook

from conftest import REPO

SCRIPT = REPO / "imports" / "chen2020" / "make_input.py"


def _make_input():
    spec = importlib.util.spec_from_file_location("make_input", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _question(qid, tags, accepted, created="2019-03-04T05:06:07.890"):
    record = {
        "Id": qid,
        "CreationDate": created,
        "Score": "2",
        "AnswerCount": "1",
        "Tags": "".join(f"<{t}>" for t in tags),
        "Title": "TITLE-MUST-NOT-BE-COPIED",
        "Body": "<p>BODY-MUST-NOT-BE-COPIED</p>",
        "answers": [],
    }
    if accepted:
        record["AcceptedAnswerId"] = "999"
    return json.dumps(record)


def test_the_package_becomes_posts_and_labels_without_any_post_text(tmp_path):
    package = tmp_path / "package"
    package.mkdir()
    files = {
        "server": [_question("11", ["tensorflow-serving", "docker"], True)],
        "mobile": [
            _question("21", ["tensorflow-lite", "android"], False),
            _question("11", ["tensorflow"], True),  # also in the server file
        ],
        "browser": [_question("31", ["javascript"], False)],
    }
    with zipfile.ZipFile(package / "Deployment-related Posts.zip", "w") as zipped:
        for name, lines in files.items():
            zipped.writestr(f"Deployment-related Posts/dl_{name}_post.txt", "\n".join(lines))
    book = Workbook()
    book.remove(book.active)
    sheets = {
        "server": [("https://stackoverflow.com/questions/11", "serving - model loading")],
        "mobile": [("https://stackoverflow.com/questions/21", "model conversion - procedure")],
        "browser": [],
    }
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(["id", "url", "category"])
        for n, (url, category) in enumerate(rows, start=2):
            sheet.append([n, url, category])
    book.save(tmp_path / "category.xlsx")
    with zipfile.ZipFile(package / "Results.zip", "w") as zipped:
        zipped.write(tmp_path / "category.xlsx", "Results/RQ3/category.xlsx")

    out = tmp_path / "out"
    _make_input().main(package, out)

    posts = list(csv.DictReader((out / "posts.csv").read_text(encoding="utf-8").splitlines()))
    assert [
        (p["post_id"], p["platform"], p["frameworks"], p["accepted_answer"]) for p in posts
    ] == [
        ("11", "server", "TF Serving", "yes"),
        ("21", "mobile", "TF Lite", "no"),
        ("31", "browser", "other", "no"),
    ]
    assert {p["created"] for p in posts} == {"2019-03-04"}
    assert {p["summary"] for p in posts} == {""}
    labels = list(csv.DictReader((out / "labels.csv").read_text(encoding="utf-8").splitlines()))
    assert [(row["post_id"], row["code"]) for row in labels] == [
        ("11", "M"),  # collected for mobile as well; its taxonomy label comes last
        ("31", "B"),
        ("11", "S.6.2"),
        ("21", "M.2.1"),
    ]
    assert {row["labeler"] for row in labels} == {"chen2020"}
    written = "".join(path.read_text(encoding="utf-8") for path in out.iterdir())
    assert "MUST-NOT-BE-COPIED" not in written
    assert (out / "taxonomy.csv").read_bytes() == (SCRIPT.parent / "taxonomy.csv").read_bytes()
