"""One STAR Coach per data folder: a second launch brings the first window forward and ends.

Two windows on one history wrote into the same folder at once (two answers once shared a file name).
A lock file in the data folder says who runs (Qt removes it when its process has died), and a local
socket named after the folder carries the second launch's "come forward" to the first.
"""

from __future__ import annotations

import hashlib
import logging

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app.core import paths

log = logging.getLogger(__name__)


def _server_name() -> str:
    folder = str(paths.data_dir().resolve()).encode("utf-8")
    return f"star-coach-{hashlib.sha256(folder).hexdigest()[:16]}"


class SingleInstance(QObject):
    """`claim()` is True for the first launch; False means another one was asked to come forward."""

    raise_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = QLockFile(str(paths.data_dir() / "star-coach.lock"))
        self._lock.setStaleLockTime(0)  # only a dead process's lock is stale, however old
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        if not self._lock.tryLock(0):
            self._ask_first_to_come_forward()
            return False
        name = _server_name()
        QLocalServer.removeServer(name)  # a socket left by a crash
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_connection)
        if not self._server.listen(name):
            log.warning("second launches cannot reach this window: %s", self._server.errorString())
        else:
            log.info("listening for a second launch on %s", name)
        return True

    def _ask_first_to_come_forward(self) -> None:
        socket = QLocalSocket()
        socket.connectToServer(_server_name())
        if socket.waitForConnected(2000):
            socket.write(b"raise\n")
            socket.waitForBytesWritten(2000)
            socket.disconnectFromServer()
        else:
            log.warning("another STAR Coach holds the lock but did not answer: %s", socket.errorString())

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.disconnected.connect(socket.deleteLater)
            log.info("brought forward by a second launch")
            self.raise_requested.emit()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.unlock()
