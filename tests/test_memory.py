"""The allocator set to give freed memory back (app/core/memory.py): on glibc a freed block of a few
MB leaves the process at once, however many such blocks came before; elsewhere nothing is done."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

from app.core import memory

ROOT = Path(__file__).resolve().parent.parent


# The test machines are Debian (scripts/setup.sh): glibc is part of the environment, not a reason to skip.


# In a fresh process: in one that freed large blocks before the call (a test that loaded the models),
# a block may come back from those, which stay in the heap.
_FREED = """
import ctypes, sys
from pathlib import Path
from app.core import memory

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

tuned = sys.argv[1] == "tuned"
if tuned:
    assert memory.return_freed_memory()
    assert memory.return_freed_memory()  # a second call changes nothing and says the same
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
size = 24 * 1024 * 1024
kept = []
for _ in range(3):  # with glibc's defaults the second block on stays in the heap once freed
    block = libc.malloc(size)
    libc.memset(block, 1, size)
    touched = rss_mb()
    libc.free(block)
    kept.append(round(rss_mb() - touched + 24))
print(kept)
"""


def test_freed_blocks_leave_the_process() -> None:
    assert platform.libc_ver()[0] == "glibc", "the tests run on a glibc Linux (scripts/setup.sh)"

    def kept(mode: str) -> list[int]:
        out = subprocess.run(
            [sys.executable, "-c", _FREED, mode], capture_output=True, text=True, check=True, cwd=ROOT
        )
        return [int(v) for v in out.stdout.strip().strip("[]").split(",")]

    assert max(kept("tuned")) <= 4  # MB of each 24 MB block still resident once freed
    assert max(kept("default")) >= 20  # what the test would see without the call


def test_nothing_is_done_without_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "_state", {})
    monkeypatch.setattr(platform, "libc_ver", lambda: ("", ""))
    assert memory._glibc() is None or not sys.platform.startswith("linux")
    assert memory.return_freed_memory() is False


def test_module_sources_are_forgotten_and_read_again() -> None:
    import linecache

    here = str(Path(__file__))
    first = linecache.getlines(here)
    assert here in linecache.cache
    memory.forget_module_sources()
    assert here not in linecache.cache
    assert linecache.getlines(here) == first  # a traceback still shows its lines
