"""The date filter: any time, today, the past week, month or year, or a custom range of days
picked in a small dialog. Periods are the query language's (core/query_terms.py)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QWidget,
)

from desktop_search.core.query_terms import period

# label -> the query language's period word ("" any time)
PERIODS = (
    ("Any time", ""),
    ("Today", "today"),
    ("Past week", "lastweek"),
    ("Past month", "lastmonth"),
    ("Past year", "lastyear"),
)
CUSTOM = "Custom range…"
_RANGE = "range"  # the item data of the chosen custom range


class DateRangeDialog(QDialog):
    """Two days, both included."""

    def __init__(self, first: QDate, last: QDate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dates between")
        self.first = QDateEdit(first)
        self.last = QDateEdit(last)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.first.setAccessibleName("From")
        self.last.setAccessibleName("To")
        self.first.dateChanged.connect(self.last.setMinimumDate)
        self.last.setMinimumDate(first)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("From", self.first)
        form.addRow("To", self.last)
        form.addRow(buttons)


class DateFilter(QComboBox):
    """A file's date (its document's own, else its modification time) in a period or range."""

    range_changed = Signal()  # the chosen period or range changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Date")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # a range's label is long
        self.setToolTip("Only files dated in this period (a mail by its date, other files by last change)")
        for label, word in PERIODS:
            self.addItem(label, word)
        self.addItem(CUSTOM, CUSTOM)
        self.dialog: DateRangeDialog | None = None
        self._days: tuple[QDate, QDate] | None = None  # the custom range chosen
        self._previous = 0  # the choice to go back to when the range dialog is cancelled
        self._quiet = False
        self.currentIndexChanged.connect(self._on_current_index_changed)

    def bounds(self, now: float | None = None) -> tuple[float | None, float | None]:
        """(first, last instant) of the chosen period; None where it is open."""
        word = self.currentData()
        if word == _RANGE and self._days:
            first, last = (period(day.toString("yyyy-MM-dd"), now) for day in self._days)
            assert first is not None and last is not None
            return first[0], last[1]
        span = period(word, now) if word else None
        return span if span else (None, None)

    def set_range(self, first: QDate, last: QDate) -> None:
        """Choose the days from first to last (both included)."""
        self._days = (first, last)
        label = f"{first.toString('yyyy-MM-dd')} – {last.toString('yyyy-MM-dd')}"
        self._quiet = True
        position = self.findData(_RANGE)
        if position < 0:
            position = self.count() - 1  # just above "Custom range…"
            self.insertItem(position, label, _RANGE)
        self.setItemText(position, label)
        self.setCurrentIndex(position)
        self._quiet = False
        self._previous = position
        self.range_changed.emit()

    def _on_current_index_changed(self, index: int) -> None:
        if self._quiet:
            return
        if self.itemData(index) == CUSTOM:
            self._ask_range()
            return
        self._previous = index
        self.range_changed.emit()

    def _ask_range(self) -> None:
        today = QDate.fromString(dt.date.today().isoformat(), "yyyy-MM-dd")
        first, last = self._days or (today.addMonths(-1), today)
        self.dialog = DateRangeDialog(first, last, self)
        self.dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog.rejected.connect(self._on_dialog_rejected)
        self.dialog.open()

    def _on_dialog_accepted(self) -> None:
        assert self.dialog is not None
        self.set_range(self.dialog.first.date(), self.dialog.last.date())

    def _on_dialog_rejected(self) -> None:
        self._quiet = True
        self.setCurrentIndex(self._previous)
        self._quiet = False
