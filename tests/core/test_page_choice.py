"""The page a result opens at, on a real manual (glpk.pdf from ../shared/eval/manuals, 177
pages): a question in the user's own words lands on the page that answers it, not on the table of
contents that lists the same words; the command line prints each file's best passages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_search.core.rescoring import navigation_share
from tests.helpers import corpus_dir, run_cli

QUESTION = "solve my linear program with rational numbers so there are no floating-point round-off errors"
ANSWER_PAGE = 45  # glp_exact: "solve LP problem in exact arithmetic"


@pytest.fixture(scope="module")
def manual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with glpk.pdf indexed (closed: each test opens it, or the CLI does)."""
    from desktop_search.services import Services

    glpk = corpus_dir().parent / "eval" / "manuals" / "docs" / "glpk.pdf"
    data_dir = tmp_path_factory.mktemp("manual")
    services = Services.open(str(data_dir))
    for _ in services.indexer().run([str(glpk)]):
        pass
    services.close()
    return data_dir


@pytest.fixture
def searcher(manual: Path) -> Iterator[Any]:
    from desktop_search.services import Services

    services = Services.open(str(manual))
    yield services.searcher()
    services.close()


def test_a_paraphrase_opens_the_manual_at_the_page_that_answers_it(searcher: Any) -> None:
    (hit,) = searcher.search(QUESTION, 1)
    assert Path(hit.path).name == "glpk.pdf"
    assert hit.best.page == ANSWER_PAGE, [p.page for p in hit.passages]


def test_the_table_of_contents_steps_back_for_the_page_it_points_to(searcher: Any) -> None:
    query = "scale the problem"  # glp_scale_prob and the scale factors: pages 33-34 (section 2.6)
    chosen = searcher.search(query, 1)[0].best
    searcher.blend = None  # the first stage alone
    first_stage = searcher.search(query, 1)[0].best
    assert navigation_share(first_stage.text) > 0.5  # the contents list every word of the query…
    assert navigation_share(chosen.text) < 0.2 and chosen.page in (33, 34)  # …the pages they point to answer


def test_the_command_line_prints_each_files_best_passages_in_order(manual: Path) -> None:
    result = run_cli("search", QUESTION, "--json", "--passages", "3", data_dir=manual)
    (hit,) = json.loads(result.stdout)
    assert hit["page"] == ANSWER_PAGE and len(hit["passages"]) == 3
    assert hit["passages"][0]["page"] == ANSWER_PAGE
    scores = [p["score"] for p in hit["passages"]]
    assert scores == sorted(scores, reverse=True)
    assert all(p["snippet"] and p["end"] > p["start"] for p in hit["passages"])
    text = run_cli("search", QUESTION, "--passages", "2", data_dir=manual).stdout
    assert "p. 45" in text.splitlines()[0] and text.splitlines()[2].lstrip().startswith("· p. ")
