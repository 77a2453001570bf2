"""The desktop window: PySide6 widgets and models on top of the Qt-free core."""
