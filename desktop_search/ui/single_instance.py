"""One window per data directory: a second launch hands its folders to the first and leaves.

The first instance listens on a local socket named after the user and the data directory; a later
one connects, sends one JSON line ({"folders": [...]}) and exits. The data directory's lock stays
the real guard; this only makes the second launch useful.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 500
MAX_MESSAGE = 1 << 20


def server_name(data_dir: str | os.PathLike[str]) -> str:
    key = f"{getpass.getuser()}\0{os.path.realpath(data_dir)}".encode("utf-8", "surrogatepass")
    return "desktop-search-" + hashlib.sha256(key).hexdigest()[:16]


def send_to_running(name: str, folders: Sequence[str]) -> bool:
    """Hand folders to the instance listening on name; False if there is none."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(QByteArray(json.dumps({"folders": list(folders)}).encode() + b"\n"))
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    # Wait for the first instance to hang up, so the message is read before this process exits.
    socket.waitForDisconnected(CONNECT_TIMEOUT_MS * 4)
    socket.abort()
    return True


class InstanceServer(QObject):
    """Listens for later launches; each message is a dict, e.g. {"folders": [...]}."""

    message_received = Signal(dict)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_server_new_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # left behind by a crash: nobody answered on it
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def _on_server_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(self._on_socket_ready_read)
            socket.disconnected.connect(self._on_socket_disconnected)
            if socket.bytesAvailable():
                self._read(socket)

    def _on_socket_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _on_socket_disconnected(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._buffers.pop(socket, None)
            socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data and len(data) < MAX_MESSAGE:
            self._buffers[socket] = data
            return
        self._buffers[socket] = b""
        socket.disconnectFromServer()
        try:
            message: Any = json.loads(data.split(b"\n", 1)[0])
        except ValueError:
            return
        if isinstance(message, dict):
            self.message_received.emit(message)
