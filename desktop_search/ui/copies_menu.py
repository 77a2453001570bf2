"""The results' context menu "Copies": the other places holding a result's very bytes, each
opened by choosing it. Shown only for a result that has copies."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMenu, QWidget

from desktop_search.ui.results_model import CopiesRole
from desktop_search.ui.results_pane import ResultsPane


class CopiesMenu(QMenu):
    def __init__(self, results: ResultsPane, open_path: Callable[[str], object], parent: QWidget) -> None:
        super().__init__("Copies", parent)
        self._results = results
        self._open_path = open_path
        self.menuAction().setVisible(False)
        self.aboutToShow.connect(self._on_self_about_to_show)
        results.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        results.model.modelReset.connect(self._on_selection_changed)

    def copies(self) -> tuple[str, ...]:
        """Every path of the selected result's bytes (itself too); () when it has no copies."""
        chosen = self._results.view.selectionModel().selectedIndexes()
        return tuple(chosen[0].data(CopiesRole) or ()) if chosen else ()

    def _on_selection_changed(self) -> None:
        copies = self.copies()
        self.menuAction().setVisible(bool(copies))
        self.setTitle(f"Copies ({len(copies)})")

    def _on_self_about_to_show(self) -> None:
        self.clear()
        for path in self.copies():
            self.addAction(path).triggered.connect(lambda _=False, chosen=path: self._open_path(chosen))
