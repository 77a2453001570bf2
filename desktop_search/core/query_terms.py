"""Filters typed in the query: `type:pdf`, `in:reports`, `modified:2024-03`, `after:2024-03-01`,
`before:2024-06-30`, `modified:lastweek`, `name:invoice`. What is not one of these (`http:`,
`note:x`, `C:\\path`, a date that is no date) stays in the text and is searched for."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from desktop_search.core.filters import Filters
from desktop_search.core.kinds import kinds_named

_TERM = re.compile(r'(?<!\S)(type|in|modified|after|before|name):("[^"]+"|\S+)', re.IGNORECASE)
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_SEPARATORS = {os.sep, "/"}
DAY = 86400.0
# Relative periods, `modified:WORD`: (days back from the start of today, days back for the end).
_RELATIVE = {"today": (0, None), "yesterday": (1, 0)}
_PAST = {"lastweek": 7, "lastmonth": 30, "lastyear": 365}
# What each syntax looks like, for --help and the window's help (one example each).
SYNTAX = (
    ("type:pdf", "only this kind of file: pdf, word, presentation, spreadsheet, image, email, code…"),
    ("in:reports", "only files under a folder of this name, or this path (in:~/Documents)"),
    ("modified:2024-03", "dated in this year, month or day"),
    ("modified:lastweek", "today, yesterday, lastweek, lastmonth or lastyear"),
    ("after:2024-03-01", "dated on or after this day"),
    ("before:2024-06-30", "dated on or before this day"),
    ("name:invoice", "the file's name holds this word"),
    ('"exact phrase"', "these words together, in this order"),
    ("-draft", "leave out files with this word"),
)


@dataclass(frozen=True)
class Terms:
    text: str  # the query without its filters: what is searched for
    filters: Filters = field(default_factory=Filters)


def split_terms(text: str, now: float | None = None) -> Terms:
    """The filters typed in text, and the rest. now: the time relative dates count from."""
    kinds: list[str] = []
    folders: list[str] = []
    folder_names: list[str] = []
    name_words: list[str] = []
    after: list[float] = []
    before: list[float] = []

    def take(match: re.Match[str]) -> str:
        key, value = match.group(1).lower(), match.group(2).strip('"')
        if key == "type" and kinds_named(value):
            kinds.extend(kinds_named(value))
        elif key == "in" and (value.startswith("~") or os.path.isabs(value)):
            folders.append(os.path.abspath(os.path.expanduser(value)))
        elif key == "in" and not _SEPARATORS & set(value) and value.strip("."):
            folder_names.append(value)
        elif key == "name" and value:
            name_words.append(value)
        elif key in ("modified", "after", "before") and (span := period(value, now)):
            if key != "before":
                after.append(span[0])
            if key != "after" and span[1] is not None:
                before.append(span[1])
        else:
            return match.group(0)  # not a filter: searched as text
        return " "

    rest = " ".join(_TERM.sub(take, text).split())
    filters = Filters(
        tuple(dict.fromkeys(kinds)),
        tuple(dict.fromkeys(folders)),
        max(after, default=None),
        min(before, default=None),
        tuple(dict.fromkeys(folder_names)),
        tuple(dict.fromkeys(name_words)),
    )
    return Terms(rest, filters)


def period(value: str, now: float | None = None) -> tuple[float, float | None] | None:
    """(first, last instant) of a day, month or year (2024, 2024-03, 2024-03-05), or of a period
    back from now (today, yesterday, lastweek, lastmonth, lastyear; no last: up to now, each from
    the start of its first day); None if value is neither."""
    value = value.lower()
    today = dt.datetime.fromtimestamp(now) if now is not None else dt.datetime.now()
    midnight = today.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    if value in _RELATIVE:
        back, end = _RELATIVE[value]
        return midnight - back * DAY, None if end is None else midnight - end * DAY - 0.001
    if value in _PAST:
        return midnight - _PAST[value] * DAY, None
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        first = dt.datetime(year, month or 1, day or 1)
        if day:
            last = first + dt.timedelta(days=1)
        elif month:
            last = dt.datetime(year + month // 12, month % 12 + 1, 1)
        else:
            last = dt.datetime(year + 1, 1, 1)
    except ValueError:  # 2024-13, 2024-02-30: not a date, so text
        return None
    return first.timestamp(), last.timestamp() - 0.001
