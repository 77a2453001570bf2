"""A user-only local channel over which a running instance (the window, or `desktop-search serve`)
answers the command line's requests, so a query skips the start-up (imports, the model, Chroma).

One Unix domain socket per user and data directory, in $XDG_RUNTIME_DIR or else a 0700 folder of
the user's in the temp directory; the socket itself is 0600, and a peer of another user is hung up
on. Each way, one JSON object per line: a request is a dict, a reply is {"ok": true, ...} or
{"ok": false, "error": "..."}. Several requests may share a connection; several clients are served
at once. Only the standard library here: the client side is imported before anything heavy.
Windows would need a named pipe instead; the channel is Linux and macOS only (SUPPORTED).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import socketserver
import stat
import struct
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

RUNTIME_DIR_ENV = "XDG_RUNTIME_DIR"
MAX_LINE = 1 << 20  # a request longer than this is refused
REPLY_TIMEOUT = 600.0  # a query on a busy instance can take seconds; a hung one must not hang us
SUPPORTED = sys.platform != "win32" and hasattr(socket, "AF_UNIX")

Answer = Callable[[dict[str, Any]], dict[str, Any]]


class ChannelError(Exception):
    """The channel cannot be used safely (a folder others can reach), or is served already."""


def socket_path(data_dir: str | os.PathLike[str]) -> Path:
    """The channel of data_dir for this user."""
    if not SUPPORTED:
        raise ChannelError("serving queries needs Unix domain sockets (Linux, macOS)")
    key = f"{os.getuid()}\0{os.path.realpath(data_dir)}".encode("utf-8", "surrogatepass")
    return _private_dir() / f"desktop-search-{hashlib.sha256(key).hexdigest()[:16]}.sock"


def _private_dir() -> Path:
    runtime = os.environ.get(RUNTIME_DIR_ENV)
    if runtime and _is_private(Path(runtime)):
        return Path(runtime)
    folder = Path(tempfile.gettempdir()) / f"desktop-search-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    if not _is_private(folder):
        raise ChannelError(f"{folder} is not a folder only you can use; remove it to serve queries")
    return folder


def _is_private(folder: Path) -> bool:
    try:
        info = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


class Channel:
    """A client's connection to a running instance."""

    def __init__(self, connection: socket.socket) -> None:
        self._socket = connection
        self._file = connection.makefile("rwb")

    @classmethod
    def connect(cls, path: Path) -> Channel | None:
        """The instance listening on path, or None when none does (no socket, or a stale one)."""
        if not SUPPORTED:
            return None
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(str(path))
        except OSError:
            connection.close()
            return None
        connection.settimeout(REPLY_TIMEOUT)
        return cls(connection)

    def ask(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """The reply to request, or None if the instance went away without one."""
        try:
            self._file.write(json.dumps(request, ensure_ascii=False).encode() + b"\n")
            self._file.flush()
            line = self._file.readline(MAX_LINE * 64)
        except OSError:
            return None
        reply = json.loads(line) if line.endswith(b"\n") else None
        return reply if isinstance(reply, dict) else None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._file.close()
        self._socket.close()

    def __enter__(self) -> Channel:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class QueryServer:
    """Answers requests on the channel at path with answer (called on the connection's thread;
    an exception becomes an error reply)."""

    def __init__(self, path: Path, answer: Answer) -> None:
        self.path = path
        self.answer = answer
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._inode = 0

    def start(self) -> None:
        """Listen (replacing a socket a crashed instance left), and serve on a thread of its own.
        Raises ChannelError when another live instance answers on the path."""
        if Channel.connect(self.path) is not None:
            raise ChannelError(f"another instance already answers on {self.path}")
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # nobody answered on it: left behind by a crash
        server = _Server(str(self.path), self)
        os.chmod(self.path, 0o600)  # the folder is private already; the socket says so too
        self._inode = self.path.stat().st_ino
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="query-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening, hang up on the clients (an answer under way is finished first), and
        remove the socket if it is still ours."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.hang_up()
        server.server_close()  # waits for the connections' threads
        with contextlib.suppress(OSError):
            if self.path.stat().st_ino == self._inode:
                self.path.unlink()

    def reply(self, line: bytes) -> dict[str, Any]:
        if not line.endswith(b"\n"):
            return {"ok": False, "error": f"a request is one JSON line of at most {MAX_LINE} bytes"}
        try:
            request = json.loads(line)
        except ValueError as error:
            return {"ok": False, "error": f"not JSON: {error}"}
        if not isinstance(request, dict):
            return {"ok": False, "error": "a request is a JSON object"}
        try:
            return self.answer(request)
        except Exception as error:  # one bad request costs only its own reply
            return {"ok": False, "error": f"{type(error).__name__}: {error}"}


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = False  # server_close() waits for them: no answer outlives the services
    block_on_close = True

    def __init__(self, path: str, owner: QueryServer) -> None:
        self.owner = owner
        self.clients: set[socket.socket] = set()
        self.clients_lock = threading.Lock()
        self.closing = False
        super().__init__(path, _Handler)

    def hang_up(self) -> None:
        with self.clients_lock:
            self.closing = True
            for client in self.clients:
                with contextlib.suppress(OSError):
                    client.shutdown(socket.SHUT_RDWR)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        connection: socket.socket = self.request
        if not _same_user(connection):
            return
        with self.server.clients_lock:
            if self.server.closing:
                return
            self.server.clients.add(connection)
        try:
            while line := self.rfile.readline(MAX_LINE + 1):
                reply = self.server.owner.reply(line)
                self.wfile.write(json.dumps(reply, ensure_ascii=False).encode() + b"\n")
                self.wfile.flush()
                if not line.endswith(b"\n"):
                    return  # the rest of an overlong line is not a request
        except OSError:
            pass  # the client went away
        finally:
            with self.server.clients_lock:
                self.server.clients.discard(connection)


def _same_user(connection: socket.socket) -> bool:
    """The peer runs as this user (Linux tells; elsewhere the private folder is the guard)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return bool(uid == os.getuid())
