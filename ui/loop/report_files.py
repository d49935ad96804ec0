"""The mock loop's report written to a file, as HTML or as PDF through Qt's own printing (QPdfWriter,
no other library). Both run off the GUI thread (app.core.jobs): Qt allows painting to a PDF device in
a secondary thread, and the QTextDocument laid out there is made, used and freed on that thread only.
A file that cannot be written raises OSError with a message that says so, for the screen to show."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

from app.core.files import atomic_write_bytes


def pdf_bytes(html: str) -> bytes:
    """The page as an A4 PDF, in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setTitle("STAR Coach mock loop")
    doc = QTextDocument()
    doc.setHtml(html)
    doc.print_(writer)  # begins and ends its own painter: the PDF is whole after it
    buffer.close()
    return bytes(data.data())


def write_report(path: Path, html: str, as_pdf: bool) -> None:
    """Write the report to `path` (whole, or not at all)."""
    data = pdf_bytes(html) if as_pdf else html.encode("utf-8")
    try:
        atomic_write_bytes(path, data)
    except OSError as e:
        raise OSError(f"the folder {path.parent} cannot be written to ({e.strerror or e})") from None
