"""Turn a local copy of Chen et al.'s replication package into `catalog import-study` input.

    python imports/chen2020/make_input.py PACKAGE OUT
    catalog import-study OUT

PACKAGE is a checkout of github.com/chenzhenpeng18/fse2020 (read at commit cef7abd): its
`Deployment-related Posts.zip` holds the 3,023 questions as JSON lines, one file per
platform; its `Results.zip` holds `Results/RQ3/category.xlsx`, the authors' label of every
question in the taxonomy, one sheet per platform. OUT receives study.yaml and taxonomy.csv
(copied from beside this script: the paper's categories, names, shares and locators, read
in the paper) and posts.csv and labels.csv, made here:

- every question is a post, with its id, date, score, answer count, accepted-answer flag
  and frameworks from its tags; titles and bodies are never copied (Stack Overflow text is
  CC BY-SA), and summaries are left to be written by hand;
- a question the authors put in the taxonomy gets their category (`sheet_labels.csv` maps
  the sheet's strings to the paper's codes); every other question gets its platform only,
  as the study collected it for that platform.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from generator.model.vocab import FRAMEWORKS
from generator.tools.studyinput import LABELS_COLUMNS, POSTS_COLUMNS

HERE = Path(__file__).parent
STUDY = "chen2020"
PLATFORMS = {"server": ("S", "server"), "mobile": ("M", "mobile"), "browser": ("B", "browser")}
POSTS_MEMBER = "Deployment-related Posts/dl_{}_post.txt"
SHEET_MEMBER = "Results/RQ3/category.xlsx"

# Stack Overflow tags → the catalog's framework vocabulary (first match per tag).
TAGS = (
    ("tensorflow-serving", "TF Serving"),
    ("tensorflow-lite", "TF Lite"),
    ("tflite", "TF Lite"),
    ("tensorflow.js", "TF.js"),
    ("tensorflowjs", "TF.js"),
    ("tfjs", "TF.js"),
    ("torchserve", "TorchServe"),
    ("onnxruntime", "ONNX Runtime"),
    ("onnx", "ONNX"),
    ("coreml", "Core ML"),
    ("keras", "Keras"),
    ("pytorch", "PyTorch"),
    ("torch", "PyTorch"),
    ("caffe", "Caffe"),
    ("mxnet", "MXNet"),
    ("tensorflow", "TensorFlow"),
)


def frameworks(tags: list[str]) -> str:
    found = set()
    for tag in tags:
        for prefix, name in TAGS:
            if tag == prefix or tag.startswith(prefix + "-") or tag.startswith(prefix + "."):
                found.add(name)
                break
    return ";".join(n for n in FRAMEWORKS if n in found) or "other"


def tags_of(record: dict) -> list[str]:
    if record.get("Tag_list"):
        return list(record["Tag_list"])
    return [t for t in record.get("Tags", "").replace(">", " ").replace("<", " ").split() if t]


def _member(package: Path, archive: str, member: str) -> bytes:
    with zipfile.ZipFile(package / archive) as zipped:
        return zipped.read(member)


def main(package: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in ("study.yaml", "taxonomy.csv"):
        shutil.copy(HERE / name, out / name)
    codes = {
        (row["sheet"], row["label"]): row["code"]
        for row in csv.DictReader((HERE / "sheet_labels.csv").read_text("utf-8").splitlines())
    }
    posts: dict[str, list[str]] = {}
    labels: list[list[str]] = []
    sheet = load_workbook(io.BytesIO(_member(package, "Results.zip", SHEET_MEMBER)))
    in_taxonomy: dict[str, str] = {}
    for name in PLATFORMS:
        for _, url, category in sheet[name].iter_rows(min_row=2, values_only=True):
            if url:
                in_taxonomy[url.rstrip("/").rsplit("/", 1)[1]] = codes[(name, category.strip())]
    for name, (root, platform) in PLATFORMS.items():
        text = _member(package, "Deployment-related Posts.zip", POSTS_MEMBER.format(name))
        for line in text.decode("utf-8").splitlines():
            record = json.loads(line)
            qid = str(record["Id"])
            if qid not in posts:
                posts[qid] = [
                    "stackoverflow",
                    qid,
                    f"https://stackoverflow.com/questions/{qid}",
                    record["CreationDate"][:10],
                    frameworks(tags_of(record)),
                    platform,
                    str(record["Score"]),
                    str(record["AnswerCount"]),
                    "yes" if record.get("AcceptedAnswerId") else "no",
                    "",
                ]
            # Collected for this platform: its category says so when the authors put it in
            # this platform's taxonomy; otherwise the platform itself is its label.
            if not in_taxonomy.get(qid, "").startswith(root):
                labels.append(["stackoverflow", qid, STUDY, root])
    for qid, code in in_taxonomy.items():
        labels.append(["stackoverflow", qid, STUDY, code])
    with (out / "posts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(POSTS_COLUMNS)
        writer.writerows(posts.values())
    with (out / "labels.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(LABELS_COLUMNS)
        writer.writerows(labels)
    print(f"{len(posts)} posts, {len(labels)} labels, {len(in_taxonomy)} in the taxonomy → {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_input.py PACKAGE OUT")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
