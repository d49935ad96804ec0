"""Where the STAR labeller comes from: shipped inside the app (trained on the built-in training answers),
else saved before in the user's cache folder, else trained; and the person's own labeller, trained
with the answers whose labels they corrected."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from app.analysis.decode import DecoderCosts
from app.analysis.sections import Labeller
from app.analysis.star import StarLabeller
from app.analysis.stories import Story, training_stories
from app.bank.questions import Bank
from app.core import paths

_DEFAULT: dict[str, Labeller] = {}
_LOCK = threading.Lock()


def model_key(stories: Sequence[Story], costs: DecoderCosts) -> str:
    """What the trained labeller depends on: the training stories, the code that makes it (features,
    variants, decoder, settings) and the decoder costs, so that a changed model is never loaded from an
    old file. Not the library's version: the file holds numbers, which any version reads alike."""
    import hashlib

    from app.analysis import decode, encoder, grammar, star, star_arrays, star_features
    from app.analysis import stories as stories_module

    digest = hashlib.sha256(f"{costs}|{encoder.model_version()}".encode())
    modules = (star, star_features, stories_module, decode, encoder, grammar, star_arrays)
    for module_file in (m.__file__ for m in modules if m.__file__):
        digest.update(Path(module_file).read_bytes())
    digest.update(grammar.verb_forms_path().read_bytes())
    for s in stories:
        digest.update(repr((s.texts, s.labels, s.group, s.place)).encode())
    return digest.hexdigest()[:20]


def shipped_path() -> Path:
    """The fallback labeller trained on the built-in training data, made by `python main.py
    train-labeller` and shipped as numbers (.npz): training takes ~30 s on 2 cores, loading ~0.3 s."""
    return paths.resource("star_labeller.npz")


def _read(path: Path, key: str) -> StarLabeller | None:
    """The labeller stored at `path` if it was made with `key`; None if it is missing, stale or
    damaged (then it is trained again)."""
    import zipfile

    from app.analysis.star_arrays import from_bytes

    try:
        loaded = from_bytes(path.read_bytes(), key)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        return None
    return loaded if isinstance(loaded, StarLabeller) else None


def _load_shipped(key: str) -> StarLabeller | None:
    """The shipped labeller if it was made from exactly these stories, code and costs."""
    return _read(shipped_path(), key)


def write_shipped(labeller: StarLabeller, key: str) -> Path:
    from app.analysis.star_arrays import to_bytes
    from app.core.files import atomic_write_bytes

    atomic_write_bytes(shipped_path(), to_bytes(labeller, key))
    return shipped_path()


def load_or_train(
    stories: Sequence[Story], cache: Path | None, costs: DecoderCosts | None = None, shipped: bool = True
) -> StarLabeller:
    """The shipped labeller when it fits; else one saved before in the user's cache folder; else trained
    (~30 s in a fresh process) and saved there. A cache file that cannot be read is trained again and
    replaced, never an error."""
    import logging

    from app.analysis.star_arrays import to_bytes
    from app.core.files import atomic_write_bytes

    log = logging.getLogger(__name__)
    costs = costs or DecoderCosts()
    key = model_key(stories, costs)
    if shipped and (found := _load_shipped(key)) is not None:
        return found
    path = cache / f"star-labeller-{key}.npz" if cache else None
    if path and path.exists():
        if (loaded := _read(path, key)) is not None:
            return loaded
        log.warning("STAR labeller cache %s unreadable: training again", path)
    log.info(
        "training the STAR labeller on %d stories (another bank, or the person's corrections)", len(stories)
    )
    labeller = StarLabeller.train(stories, costs)
    if path:
        try:
            for old in [
                *path.parent.glob("star-labeller-*.npz"),
                *path.parent.glob("star-labeller-*.pickle"),
            ]:
                old.unlink(missing_ok=True)
            atomic_write_bytes(path, to_bytes(labeller, key))
        except OSError as err:  # a full disk costs the next start a second, nothing more
            log.warning("could not save the STAR labeller to %s: %s", path, err)
    return labeller


def _bank_key(bank: Bank) -> str:
    return f"{bank.source}:{len(bank.questions)}:{bank.questions[0].id}"


def learn_corrections(bank: Bank, corrected: Sequence[Story]) -> Labeller:
    """The person's own labeller, where the fallback labels: the training answers plus the answers
    whose labels they corrected, trained in the background (~30 s, cached until the corrections change)
    and then used for every new answer. The contextual labeller is not retrained on the person's
    machine (that needs PyTorch): it stays, since on spoken answers it beats the fallback with or
    without the corrections."""
    from app.core import paths

    current = default_labeller(bank)
    if current.kind != "fallback":
        return current
    labeller = load_or_train([*training_stories(bank), *corrected], paths.cache_dir(), shipped=False)
    with _LOCK:
        _DEFAULT[_bank_key(bank)] = labeller
    return labeller


_FALLBACK_WHY: dict[str, str] = {}


def default_labeller(bank: Bank) -> Labeller:
    """The contextual labeller (shipped as ONNX and numbers: no training, whatever library versions
    are installed); if it cannot load, the fallback, trained once per bank and kept in memory and in
    the user's cache folder, and `fallback_reason` says why."""
    from app.analysis.contextual import ContextualUnavailable, shared_model
    from app.analysis.contextual_labeller import ContextualLabeller
    from app.core import paths

    key = _bank_key(bank)
    with _LOCK:
        if key not in _DEFAULT:
            labeller: Labeller
            # The words labeller labels alone if the model cannot load, and is mixed into it if it can.
            words = load_or_train(training_stories(bank), paths.cache_dir())
            words.scores(["Ready."])  # loads the verb lexicon now, not at the first Stop
            try:
                labeller = ContextualLabeller(shared_model(), words)
                labeller.read_parts(["Ready."])  # the first run sets onnxruntime up: now, not at Stop
            except ContextualUnavailable as err:
                import logging

                logging.getLogger(__name__).warning("%s: using the fallback STAR labeller", err)
                _FALLBACK_WHY["why"] = str(err)
                labeller = words
            _DEFAULT[key] = labeller
        return _DEFAULT[key]


def loaded_labeller() -> Labeller | None:
    """The labeller the app has already loaded (for any bank), for a caller that reads a few sentences
    and has no bank at hand: the follow-up judge."""
    with _LOCK:
        return next(iter(_DEFAULT.values()), None)


def fallback_reason() -> str | None:
    """Why the app labels with the fallback, once `default_labeller` has found it must; else None."""
    return _FALLBACK_WHY.get("why")
