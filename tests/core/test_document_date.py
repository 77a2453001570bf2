"""A mail is dated by its Date: header, not by when the file was saved: shown and filtered so."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop_search.core.filters import Filters
from tests.helpers import CORPUS, copy_files

MAIL = CORPUS / "email" / "mail__basic_email.eml"
SENT = datetime(2008, 11, 22, 4, 4, 59, tzinfo=UTC).timestamp()  # 15:04:59 +1100


def test_a_mail_is_shown_and_filtered_by_its_date_header(tmp_path, services_factory):
    (copied,) = copy_files([MAIL], tmp_path / "mail")
    assert copied.stat().st_mtime > SENT + 86400 * 365  # the copy is new; the mail is from 2008
    services = services_factory()
    list(services.indexer().run([str(tmp_path / "mail")]))
    searcher = services.searcher()
    (hit,) = searcher.search("email", 5, mode="keyword")
    assert hit.mtime == SENT
    for mode in ("keyword", "vector"):
        before = searcher.search("email", 5, Filters(modified_before=SENT + 60), mode=mode)
        after = searcher.search("email", 5, Filters(modified_after=SENT + 60), mode=mode)
        assert [h.path for h in before] == [str(copied)] and after == []
