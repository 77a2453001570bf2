"""How alike are file vectors (core/duplicates.py) of the same document saved in two formats, and
of files that are merely related? Picks the near-identical threshold (README, "Duplicates").

    python -m benchmarks.near_duplicates DATA_DIR

DATA_DIR: an index of corpus folders (the README says which). Same documents are told by name:
the corpus's `converted__X.docx` was made from `poi__X.doc`, and pandoc's tests save one source
as `pandoc__X.odt`, `.rtf` and `.docx`.
"""

from __future__ import annotations

import os
import re
import sys

import numpy as np

from desktop_search.services import Services

SAME_SOURCE = re.compile(r"^(converted|poi|pandoc)__(.+)\.(doc|docx|odt|rtf)$")


def document(path: str) -> str | None:
    """The document a file is a format of, when the corpus says so by its name."""
    found = SAME_SOURCE.match(os.path.basename(path))
    if not found or (found.group(1) == "poi" and found.group(3) != "doc"):
        return None
    return f"{'pandoc' if found.group(1) == 'pandoc' else 'poi'}:{found.group(2)}"


def main(data_dir: str) -> None:
    services = Services.open(data_dir)
    try:
        files, matrix = services.duplicates().file_vectors()
    finally:
        services.close()
    names = [os.path.basename(f.path) for f in files]
    docs = [document(f.path) for f in files]
    similarity = matrix @ matrix.T
    np.fill_diagonal(similarity, -1.0)
    same = [
        (similarity[i, j], names[i], names[j])
        for i in range(len(files))
        for j in range(i + 1, len(files))
        if docs[i] is not None and docs[i] == docs[j]
    ]
    print(f"{len(files)} files with vectors; {len(same)} pairs of one document in two formats")
    for value, first, second in sorted(same):
        print(f"  same   {value:.4f}  {first}  {second}")
    nearest = []  # each file's nearest file that is not the same document
    for i in range(len(files)):
        row = similarity[i].copy()
        if docs[i] is not None:
            row[[j for j in range(len(files)) if docs[j] == docs[i]]] = -1.0
        j = int(np.argmax(row))
        nearest.append((row[j], names[i], names[j]))
    values = np.array([value for value, _, _ in nearest])
    print(
        "nearest other document: "
        + ", ".join(f"p{q} {np.percentile(values, q):.4f}" for q in (50, 90, 99))
        + f", max {values.max():.4f}"
    )
    for value, first, second in sorted(nearest, reverse=True)[:24:2]:  # each pair shows twice
        print(f"  other  {value:.4f}  {first}  {second}")


if __name__ == "__main__":
    main(sys.argv[1])
