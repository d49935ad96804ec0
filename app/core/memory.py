"""The C allocator (glibc's malloc) told to give freed memory back to the system; elsewhere nothing.

Left to its defaults, glibc kept ~140 MB the app had freed (the soak benchmark, issue 27 item 5):
- Each Whisper pass, the labeller and the meaning model allocate tens of MB for a moment (the encoder's
  attention alone is 6 x 1500 x 1500 floats, 54 MB). glibc serves the first such block with mmap and
  returns it on free, but then raises its mmap threshold to that size (up to 32 MB) and its trim
  threshold to twice that, so every later one lands in a heap, which keeps up to 64 MB free at its top.
- Every thread that allocates (capture, Whisper, speech, each background job) may get its own heap
  ("arena"), up to 8 per core, each holding its own freed memory.

So blocks of MMAP_THRESHOLD and more are always mapped and unmapped (fixing the threshold also fixes the
trim threshold), and threads share ARENA_MAX arenas. Measured on the soak's first rounds, the resident
memory after a round went from ~550 MB to ~445 MB; the time to feedback after Stop did not change.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import linecache
import logging
import platform
import sys

log = logging.getLogger(__name__)

# mallopt parameters (glibc's malloc.h)
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value, kept fixed
ARENA_MAX = 2

_state: dict[str, bool] = {}


def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (Linux); None on macOS, Windows, musl."""
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def return_freed_memory() -> bool:
    """Sets glibc's allocator up as described above; True if it was. Call it at start-up, before the
    threads that allocate start (arenas made before keep serving their threads); later calls do nothing."""
    if "tuned" in _state:
        return _state["tuned"]
    libc = _glibc()
    tuned = False
    if libc is not None:
        try:
            tuned = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
                libc.mallopt(M_ARENA_MAX, ARENA_MAX)
            )
        except AttributeError:  # a C library without mallopt
            tuned = False
        if not tuned:
            log.warning("glibc's allocator could not be set to return freed memory")
    _state["tuned"] = tuned
    return tuned


def forget_module_sources() -> None:
    """PySide6 reads the source of every module imported after it (to see whether the module uses its
    `__feature__` switches), and Python's line cache keeps every line: ~9 MB of text for numpy, scipy,
    onnxruntime, faster-whisper and the rest, 11-16 MB of the app's memory (measured). The cache only
    serves tracebacks, which read the files again when they need them. Call it on the GUI thread when
    no other thread is importing: a thread reading the cache while it is emptied could fail."""
    linecache.clearcache()
