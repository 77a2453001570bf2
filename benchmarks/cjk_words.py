"""Chinese, Japanese and Korean words from the middle of a sentence: how often their page is first.

Indexes every tldr page of the shared corpus (12 languages) into DATA_DIR (kept, so a second run,
or a run of older code against the same index, only searches), then for each zh, zh_TW, ja and ko
page searches a substring of 2, 3 or 4 CJK characters found in that page only, and substrings of 4
and 6 with their halves swapped (a query whose words the text holds in another order).

    python -m benchmarks.cjk_words DATA_DIR [keyword|hybrid]
"""

from __future__ import annotations

import random
import re
import sys

from benchmarks.common import CORPUS
from desktop_search.services import Services

RUN = r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]"
LANGUAGES = ("zh", "zh_TW", "ja", "ko")
CASES = ((2, False), (3, False), (4, False), (4, True), (6, True))  # (characters, halves swapped)


def main(data_dir: str, mode: str = "keyword") -> None:
    tldr = CORPUS / "text" / "tldr"
    texts = {path: path.read_text(encoding="utf-8") for path in sorted(tldr.rglob("*.md"))}
    services = Services.open(data_dir)
    try:
        if not services.store.catalog.passage_count():
            for _ in services.indexer().run([str(tldr)]):
                pass
        searcher = services.searcher()
        for size, swapped in CASES:
            rng = random.Random(size)
            tried = first = top = 0
            for page in (path for path in texts if path.parts[-3] in {f"pages.{lang}" for lang in LANGUAGES}):
                runs = re.findall(f"{RUN}{{{size},}}", texts[page])
                pieces = [run[i : i + size] for run in runs for i in range(len(run) - size + 1)]
                unique = [piece for piece in pieces if sum(piece in text for text in texts.values()) == 1]
                if not unique:
                    continue
                word = rng.choice(unique)
                if swapped:
                    word = word[size // 2 :] + word[: size // 2]
                paths = [hit.path for hit in searcher.search(word, 10, mode=mode)]
                tried += 1
                first += bool(paths) and paths[0] == str(page)
                top += str(page) in paths
            name = f"{size} characters" + (", halves swapped" if swapped else "")
            print(f"{name}: {tried} queries, first {first}, in the top 10 {top}")
    finally:
        services.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
