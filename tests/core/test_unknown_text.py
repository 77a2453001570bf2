"""Files of a type we do not know by name are still read when their bytes are text."""

from __future__ import annotations

import shutil

from desktop_search.core.scanner import scan
from tests.helpers import CORPUS


def test_text_under_an_unknown_name_is_found_and_binary_is_not(tmp_path, services_factory):
    licence = CORPUS / "licenses" / "octave-doc.copyright"
    shutil.copy(licence, tmp_path / "octave.copyright")
    (tmp_path / "TODO-2024").write_text("ring the plumber about the boiler, then renew the passport\n")
    (tmp_path / "notes.nfo").write_bytes("Grüße aus Köln: das Treffen ist am Montag\n".encode("latin-1"))
    shutil.copy(CORPUS / "images" / "notext" / "pillow__flower.jpg", tmp_path / "flower.dat")
    (tmp_path / "empty.xyz").write_bytes(b"")
    found = sorted(f.path.rsplit("/", 1)[1] for f in scan(str(tmp_path)))
    assert found == ["TODO-2024", "notes.nfo", "octave.copyright"]

    services = services_factory()
    list(services.indexer().run([str(tmp_path)]))
    statuses = {r.path.rsplit("/", 1)[1]: (r.status, r.kind) for r in services.store.catalog.files()}
    assert set(statuses.values()) == {("indexed", "text")}
    hits = services.searcher().search("plumber boiler", 3, mode="keyword")
    assert hits and hits[0].path.endswith("TODO-2024")
    hits = services.searcher().search("Treffen Montag", 3, mode="keyword")
    assert hits and hits[0].path.endswith("notes.nfo")
