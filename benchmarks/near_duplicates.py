"""How alike are the file vectors (core/duplicates.py) of one document saved in two formats, and
of files that merely look alike? Picks the near-identical threshold (README, "Duplicates").

    python -m benchmarks.near_duplicates DATA_DIR

DATA_DIR: an index of corpus folders (the README says which). Each file's three nearest files
are listed with their cosine and how much of their wording they share (Jaccard of word trigrams).
One document in two formats is known by name: the corpus's `converted__X.docx` was made from
`poi__X.doc`.
"""

from __future__ import annotations

import os
import re
import sys

import numpy as np

from desktop_search.services import Services

NEAREST = 3
SHOWN = 0.9  # pairs listed from this cosine up
CONVERTED = re.compile(r"^(?:converted__(.+)\.docx|poi__(.+)\.doc)$")


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return set(zip(words, words[1:], words[2:])) or {(word,) for word in words}


def converted_from(path: str) -> str | None:
    found = CONVERTED.match(os.path.basename(path))
    return (found.group(1) or found.group(2)) if found else None


def main(data_dir: str) -> None:
    services = Services.open(data_dir)
    try:
        files, matrix = services.duplicates().file_vectors()
        catalog = services.store.catalog
        wording = [trigrams(" ".join(p.text for p in catalog.passages_of(f.key))) for f in files]
    finally:
        services.close()
    names = [os.path.basename(f.path) for f in files]
    similarity = matrix @ matrix.T
    np.fill_diagonal(similarity, -1.0)
    pairs: dict[tuple[int, int], tuple[float, float]] = {}
    for i in range(len(files)):
        for j in np.argsort(-similarity[i])[:NEAREST].tolist():
            a, b = min(i, j), max(i, j)
            shared = len(wording[a] & wording[b]) / max(1, len(wording[a] | wording[b]))
            pairs[(a, b)] = (float(similarity[a, b]), shared)
    print(f"{len(files)} files, {len(pairs)} nearest pairs")
    formats = [
        (value, names[a], names[b])
        for (a, b), (value, _) in pairs.items()
        if converted_from(files[a].path) is not None
        and converted_from(files[a].path) == converted_from(files[b].path)
    ]
    print("one document, .doc and .docx: " + ", ".join(f"{v:.4f}" for v, _, _ in sorted(formats)))
    unlike = [value for value, shared in pairs.values() if shared < 0.2]
    print(f"nearest pairs sharing under 20% of their wording: highest cosine {max(unlike):.4f}")
    for (a, b), (value, shared) in sorted(pairs.items(), key=lambda item: -item[1][0]):
        if value >= SHOWN:
            print(f"  {value:.4f}  shared {shared:4.0%}  {names[a]}  {names[b]}")


if __name__ == "__main__":
    main(sys.argv[1])
