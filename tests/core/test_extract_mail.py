"""The e-mail extractor on the corpus's mail (every file against its manifest row), on mail built to
be hostile (nesting, part and size bombs), and end to end: indexed, then found from the command line."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest

from desktop_search.core import extract
from desktop_search.core.extract import ERROR, INDEXED
from desktop_search.core.extract.mail import MAX_DEPTH, MAX_PARTS, mail_date
from tests.helpers import CORPUS, manifest, outcome, run_cli, squashed

EMAIL = CORPUS / "email"
PDF = CORPUS / "pdf" / "good" / "samplefiles__pdflatex-4-pages.pdf"
KINDS = {"eml": "email", "mbox": "mbox"}


def by_label(pages: list[extract.Page]) -> dict[str, str]:
    return {page.label or "": page.text for page in pages}


@pytest.mark.parametrize("row", manifest(EMAIL), ids=lambda row: row["file"])
def test_every_mail_is_read_with_its_subject_sample_and_messages(row):
    status, kind, pages = outcome(EMAIL / row["file"])
    # Even the mails the reference read no body from (missing body, a boundary Python misreads, an
    # unknown charset) have a subject and a sender to find.
    assert status == INDEXED, kind
    assert kind == KINDS[row["kind"]]
    text = squashed(" ".join(page.text for page in pages))
    if row["sample"]:
        assert squashed(row["sample"]) in text
    for subject in row["subject"].split(" | "):
        assert squashed(subject) in text
    numbers = [page.number for page in pages]
    assert len(numbers) == len(set(numbers)), "page numbers are unique within a file"
    messages = [page for page in pages if page.number is not None and page.number <= int(row["messages"])]
    assert [page.number for page in messages] == list(range(1, int(row["messages"]) + 1))
    if kind == "mbox":
        assert all((page.label or "").startswith(f"message {page.number}") for page in messages)
    if row["category"] == "charset":
        assert "\ufffd" not in text


def test_charsets_the_reference_could_not_read():
    pages = extract.extract(EMAIL / "mail__ks_c_5601-1987.eml")[1]
    assert pages[0].text.endswith("스티해")  # ks_c_5601-1987 read as Windows' code page 949
    pages = extract.extract(EMAIL / "mail__raw_email10.eml")[1]
    assert "Envoyé par le service de messagerie texte" in pages[0].text  # charset=X-UNKNOWN


def test_damaged_multiparts_keep_their_body():
    # An unquoted boundary holding "=": Python's parser finds no parts; the extractor reads it again.
    for name, words in (
        ("mail__raw_email_with_illegal_boundary.eml", "This is an outlook test"),
        ("mail__raw_email_bad_time.eml", "This message has been scanned for viruses"),
    ):
        (page,) = extract.extract(EMAIL / name)[1]
        assert words in squashed(page.text)
    (page,) = extract.extract(EMAIL / "mail__missing_body.eml")[1]
    assert page.text.startswith("Subject: REDACTED\nFrom: SCS_2")  # the header lines, no body


def test_attachments_and_attached_messages_are_parts_of_the_mail():
    pages = by_label(extract.extract(EMAIL / "mail__attachment_nonascii_filename.eml")[1])
    assert pages["ciële.txt"].strip() == "Hi there."
    pages = by_label(extract.extract(EMAIL / "mail__japanese_attachment_long_name.eml")[1])
    assert pages["かきくけこかきくけこかきくけこかきくけこかきくけこ.txt"].strip() == "this is the data"
    # A message attached base64-encoded, and a text file beside it.
    pages = by_label(extract.extract(EMAIL / "tika__testGroupWiseEml.eml")[1])
    assert pages["test.eml"].startswith("Subject: test2\n") and pages["test.eml"].endswith("test2")
    assert pages["Neues Textdokument.txt"] == "ssssssssssssssssssssss"
    pages = by_label(extract.extract(EMAIL / "mail__attachment_message_rfc822.eml")[1])
    assert "to see what the message looks like" in pages["ForwardedMessage.eml"]


def test_an_attachment_that_cannot_be_read_is_left_out():
    # Its PDF is truncated (MuPDF finds no page): the mail indexes without it.
    (page,) = extract.extract(EMAIL / "mail__attachment_pdf.eml")[1]
    assert page.number == 1 and "Just attaching another PDF" in page.text


def test_a_pdf_attachment_gives_its_pages_after_the_messages(tmp_path):
    forwarded = EmailMessage()
    forwarded["Subject"] = "Fonts and sample text"
    forwarded.set_content("The original message.")
    forwarded.add_attachment(PDF.read_bytes(), maintype="application", subtype="pdf", filename="inner.pdf")
    mail = EmailMessage()
    mail["Subject"] = "Quarterly report"
    mail.set_content("The report is attached.")
    mail.add_attachment(PDF.read_bytes(), maintype="application", subtype="pdf", filename="report.pdf")
    mail.add_attachment(forwarded)
    path = tmp_path / "report.eml"
    path.write_bytes(bytes(mail))
    pdf_pages = extract.extract(PDF)[1]

    pages = extract.extract(path)[1]

    assert [page.number for page in pages] == list(range(1, 11))
    assert [page.label for page in pages] == [
        "Quarterly report",
        *(f"report.pdf, p. {n}" for n in range(1, 5)),
        "attached: Fonts and sample text",
        *(f"attached: Fonts and sample text › inner.pdf, p. {n}" for n in range(1, 5)),
    ]
    assert [page.text for page in pages[1:5]] == [page.text for page in pdf_pages]
    assert pages[5].text == "Subject: Fonts and sample text\n\nThe original message."


def test_bombs_end_at_the_budgets(tmp_path):
    # Messages attached inside each other 40 deep; 2,000 small text attachments; one attachment that
    # decodes to 55 MB (more than all attachments of a file may).
    inner = EmailMessage()
    inner.set_content("nesting level 40")
    for level in range(39, 0, -1):
        outer = EmailMessage()
        outer["Subject"] = f"level {level}"
        outer.set_content(f"nesting level {level}")
        outer.add_attachment(inner)
        inner = outer
    mail = EmailMessage()
    mail["Subject"] = "bombs"
    mail.set_content("the top message")
    mail.add_attachment(inner)
    placeholder = b"the huge attachment"
    mail.add_attachment(placeholder, maintype="text", subtype="plain", filename="huge.txt")
    mail.add_attachment("the small attachment after it", filename="small.txt")
    for number in range(2000):
        mail.add_attachment(f"tiny attachment {number}", filename=f"tiny{number}.txt")
    huge = base64.b64encode(b"huge attachment " * (55 << 16))  # lines of any length are allowed
    path = tmp_path / "bombs.eml"
    path.write_bytes(bytes(mail).replace(base64.b64encode(placeholder), huge, 1))
    assert path.stat().st_size > 70 << 20

    pages = extract.extract(path)[1]

    texts = squashed(" ".join(page.text for page in pages))
    assert pages[0].label == "bombs" and "the top message" in pages[0].text
    assert [f"nesting level {n}" in texts for n in range(1, 6)] == [n <= MAX_DEPTH for n in range(1, 6)]
    tiny = [page for page in pages if (page.label or "").startswith("tiny")]
    assert 100 < len(tiny) < MAX_PARTS
    assert "tiny attachment 0" in texts and "tiny attachment 1999" not in texts
    assert "huge attachment" not in texts and "the small attachment after it" in texts


def test_files_that_are_not_mail(tmp_path):
    note = tmp_path / "note.eml"
    note.write_text("Just a note, saved with the wrong name.\nNothing here is a header.\n")
    assert outcome(note)[:2] == (ERROR, "not an e-mail message")
    folder = tmp_path / "notes.mbox"
    folder.write_text("Subject-less notes\nwith no From line at all\n")
    assert outcome(folder)[0] == ERROR


def test_apple_mail_emlx(tmp_path):
    message = b"Subject: Kept in Apple Mail\r\nFrom: a@example.com\r\n\r\nThe body of the message.\r\n"
    plist = b'<?xml version="1.0"?>\n<plist version="1.0"><dict><key>flags</key></dict></plist>\n'
    path = tmp_path / "12345.emlx"
    path.write_bytes(f"{len(message)}\n".encode() + message + plist)
    (page,) = extract.extract(path)[1]
    assert page.label == "Kept in Apple Mail"
    assert page.text == "Subject: Kept in Apple Mail\nFrom: a@example.com\n\nThe body of the message."


def seconds(text: str, hours: float) -> float:
    return (
        datetime.strptime(text, "%d %b %Y %H:%M:%S")
        .replace(tzinfo=timezone(timedelta(hours=hours)))
        .timestamp()
    )


def test_mail_date():
    assert mail_date(EMAIL / "mail__basic_email.eml") == seconds("22 Nov 2008 15:04:59", 11)
    assert mail_date(EMAIL / "mail__raw_email_with_illegal_boundary.eml") == seconds(
        "21 Oct 2007 19:38:13", 10
    )
    # An mbox: its newest message (the third of three, in India's time zone).
    assert mail_date(EMAIL / "tika__complex.mbox") == seconds("01 Jun 2009 11:33:13", 5.5)
    assert mail_date(EMAIL / "mail__raw_email_bad_time.eml") is None  # "30 Jun 3609": impossible
    assert mail_date(EMAIL / "mail__japanese_iso_2022.eml") is None  # no Date header
    assert mail_date(EMAIL / "tika__simple.mbox") is None  # nor in its messages


def test_mail_date_of_a_date_without_a_zone_is_utc(tmp_path):
    path = tmp_path / "nozone.eml"
    path.write_text("Subject: x\nDate: Sat, 22 Nov 2008 15:04:59\n\nbody\n")
    assert mail_date(path) == datetime(2008, 11, 22, 15, 4, 59, tzinfo=UTC).timestamp()
    path.write_text("Subject: x\nDate: the day before yesterday\n\nbody\n")
    assert mail_date(path) is None


@pytest.fixture(scope="module")
def mail_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("mail-index")
    run_cli("index", str(EMAIL), data_dir=data)
    return data


def search(data: Path, query: str) -> list[dict[str, object]]:
    hits = json.loads(run_cli("search", query, "--json", "--limit", "3", data_dir=data).stdout)
    assert isinstance(hits, list)
    return hits


@pytest.mark.parametrize(
    "query, name, where",
    [
        ("Hope it works well!", "mail__basic_email.eml", "Testing 123"),
        (
            "when do reducers begin fetching the outputs of finished map tasks",
            "tika__complex.mbox",
            r"message [123]: Re: question about when shuffle/sort st…",
        ),
        (
            "the message could not be delivered for hours",
            "mail__report_422.eml",
            "Warning: could not send message for past 8 hours",
        ),
        ("ssssssssssssssssssssss", "tika__testGroupWiseEml.eml", "Neues Textdokument.txt"),
        ("a forwarded mail about another PDF", "mail__attachment_message_rfc822.eml", "ForwardedMessage.eml"),
    ],
)
def test_mail_is_found_by_its_words_and_meaning(mail_index, query, name, where):
    hits = search(mail_index, query)
    names = [Path(str(hit["path"])).name for hit in hits]
    assert name in names, names
    hit = hits[names.index(name)]
    assert re.fullmatch(where, str(hit["where"])), hit["where"]


def test_messages_nested_thousands_deep_keep_their_headers(tmp_path):
    # Deeper than Python's parser can recurse: the outer message's header lines are still read.
    path = tmp_path / "deep.eml"
    nested = b"Content-Type: message/rfc822\r\n\r\nSubject: nested\r\n" * 3000
    path.write_bytes(b"Subject: Very deep\r\nFrom: a@example.com\r\n" + nested + b"\r\nthe bottom\r\n")
    (page,) = extract.extract(path)[1]
    assert page.text == "Subject: Very deep\nFrom: a@example.com"
