"""What every benchmark scenario shares: where the audio is, how figures are rounded and named."""

from __future__ import annotations

import compileall
import resource
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_AUDIO = ROOT.parent / "shared" / "audio"
Figures = dict[str, float | int | str | None]


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def compiled_as_installed() -> None:
    """The app's modules byte-compiled, as a person's install has them (pip compiles on install;
    Python writes __pycache__ on the first launch). This machine sets PYTHONDONTWRITEBYTECODE, so a
    launch from the checkout compiled every module of the app from source again: ~0.15 s of start-up
    a person never pays."""
    for part in ("app", "ui"):
        compileall.compile_dir(ROOT / part, quiet=1)
    compileall.compile_file(ROOT / "main.py", quiet=1)


def audio(name: str) -> Path:
    path = SHARED_AUDIO / name
    if not path.exists():
        raise FileNotFoundError(f"benchmark audio {path} is missing (the benchmarks read ../shared/audio)")
    return path


def rate(value: float | None) -> float | None:
    """A rate rounded for the report; None (printed as null) when there was nothing to count."""
    return None if value is None else round(value, 3)
