"""Slides, sheets and OpenDocument files found end to end: indexed with the real model through the
command line, then searched by their manifest phrase and by a rewording, and the best passage
says which slide or sheet it is on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import CORPUS, copy_files, manifest, run_cli

OFFICE = CORPUS / "office"
# (file, a rewording of what one of its slides or sheets says, where that is; None: flowing text)
FILES = {
    "pptx/good/poi__45541_Footer.pptx": (
        "swapping debt owed by poor countries for investment in water",
        "slide 5",
    ),
    "pptx/good/poi__ececapstonespring2012.pptx": (
        "a lap pad that lets a deaf person feel music through vibration",
        "slide 7",
    ),
    "xlsx/good/poi__DataTableCities.xlsx": (
        "average coordinates of the biggest metropolises",
        "sheet Formula",
    ),
    "xlsx/good/poi__simple-monthly-budget.xlsx": (
        "income versus expenses for the month",
        "sheet Simple Monthly Budget",
    ),
    "odf/good/odfpy__serious_poem.odt": ("a child waiting alone on a ship in flames", None),
    "odf/good/odfpy__countrystatistics.ods": ("how crowded each European country is", "sheet Population"),
    "odf/good/tika__testODP_NPE.odp": (
        "an illness that only makes sense within one particular culture",
        "slide 3",
    ),
}
# Where each file's manifest sample is (a pattern; the ODP's sample is a footer on every slide).
SAMPLE_WHERE = {
    "pptx/good/poi__45541_Footer.pptx": "slide 1",
    "pptx/good/poi__ececapstonespring2012.pptx": "slide 1",
    "xlsx/good/poi__DataTableCities.xlsx": "sheet Formula",
    "xlsx/good/poi__simple-monthly-budget.xlsx": "sheet Simple Monthly Budget",
    "odf/good/odfpy__serious_poem.odt": None,
    "odf/good/odfpy__countrystatistics.ods": "sheet HDI",
    "odf/good/tika__testODP_NPE.odp": r"slide \d+",
}


def sample(name: str) -> str:
    family, _, file = name.partition("/")
    (row,) = [row for row in manifest(OFFICE / family) if row["file"] == file]
    assert row["sample"], name
    return row["sample"]


@pytest.fixture(scope="module")
def office_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The chosen files among every good presentation (as distractors), indexed once."""
    folder = tmp_path_factory.mktemp("office-files")
    copy_files([OFFICE / name for name in FILES], folder)
    copy_files(sorted((OFFICE / "pptx" / "good").glob("*.pp*")), folder)
    data = tmp_path_factory.mktemp("office-index")
    run_cli("index", str(folder), data_dir=data)
    return data


@pytest.fixture(scope="module")
def top3(office_index: Path) -> dict[str, list[dict]]:
    """query -> its three best hits, for every query below (one run of the command line)."""
    queries = [sample(name) for name in FILES] + [query for query, _ in FILES.values()]
    lines = run_cli(
        "search", "--queries", "-", "--limit", "3", data_dir=office_index, input="\n".join(queries) + "\n"
    ).stdout.splitlines()
    return {record["query"]: record["hits"] for record in map(json.loads, lines)}


def assert_found(hits: list[dict], name: str, where: str | None) -> None:
    """name is among the hits, and its best passage is where the pattern says ("slide 5" also
    matches "slide 5: Its title"); None: a flowing text, without a place."""
    names = [Path(hit["path"]).name for hit in hits]
    assert Path(name).name in names, names
    found = hits[names.index(Path(name).name)]["where"]
    if where is None:
        assert not found
    else:
        assert re.fullmatch(rf"{where}(: .+)?", found), found


@pytest.mark.parametrize("name", FILES)
def test_found_by_its_own_words(top3, name):
    assert_found(top3[sample(name)], name, SAMPLE_WHERE[name])


@pytest.mark.parametrize("name", FILES)
def test_found_by_other_words(top3, name):
    query, where = FILES[name]
    assert_found(top3[query], name, where)


def test_every_chosen_file_was_indexed(office_index):
    chosen = {Path(name).name for name in FILES}
    files = json.loads(run_cli("status", "--json", data_dir=office_index).stdout)["files"]
    statuses = {Path(f["path"]).name: f["status"] for f in files if Path(f["path"]).name in chosen}
    assert statuses == dict.fromkeys(chosen, "indexed")
