"""Where the STAR labeller comes from: shipped inside the app (trained on the built-in training answers),
else saved before in the user's cache folder, else trained; and the person's own labeller, trained
with the answers whose labels they corrected."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from app.analysis.decode import DecoderCosts
from app.analysis.star import StarLabeller
from app.analysis.stories import Story, training_stories
from app.bank.questions import Bank
from app.core import paths

_DEFAULT: dict[str, StarLabeller] = {}
_LOCK = threading.Lock()


def model_key(stories: Sequence[Story], costs: DecoderCosts) -> str:
    """What the trained labeller depends on: the training stories, the code that makes it (features,
    variants, decoder, settings), the decoder costs and the library, so that a changed model is never
    loaded from an old cache."""
    import hashlib

    import sklearn

    from app.analysis import decode, encoder, grammar, star
    from app.analysis import stories as stories_module

    digest = hashlib.sha256(f"{sklearn.__version__}|{costs}|{encoder.WEIGHTS_SHA256}".encode())
    modules = (star, stories_module, decode, encoder, grammar)
    for module_file in (m.__file__ for m in modules if m.__file__):
        digest.update(Path(module_file).read_bytes())
    digest.update(grammar.verb_forms_path().read_bytes())
    for s in stories:
        digest.update(repr((s.texts, s.labels, s.group, s.place)).encode())
    return digest.hexdigest()[:20]


def shipped_path() -> Path:
    """The labeller trained on the built-in training data, made by `python main.py train-labeller` and
    shipped: training takes ~30 s on 2 cores (two models, three presence folds), loading ~0.5 s."""
    return paths.resource("star_labeller.pickle.xz")


def _load_shipped(key: str) -> StarLabeller | None:
    """The shipped labeller if it was made from exactly these stories, code, costs and library."""
    import lzma
    import pickle

    path = shipped_path()
    try:
        data = lzma.decompress(path.read_bytes())
    except (OSError, lzma.LZMAError):
        return None
    stored_key, _, body = data.partition(b"\n")
    if stored_key.decode("ascii", "replace") != key:
        return None
    loaded = pickle.loads(body)  # our own file, inside the installed package
    return loaded if isinstance(loaded, StarLabeller) else None


def write_shipped(labeller: StarLabeller, key: str) -> Path:
    import lzma
    import pickle

    from app.core.files import atomic_write_bytes

    body = key.encode("ascii") + b"\n" + pickle.dumps(labeller, protocol=pickle.HIGHEST_PROTOCOL)
    atomic_write_bytes(shipped_path(), lzma.compress(body, preset=6))
    return shipped_path()


def load_or_train(
    stories: Sequence[Story], cache: Path | None, costs: DecoderCosts | None = None, shipped: bool = True
) -> StarLabeller:
    """The shipped labeller when it fits; else one saved before in the user's cache folder; else trained
    (~30 s in a fresh process) and saved there. A cache file that cannot be read is trained again and
    replaced, never an error."""
    import logging
    import pickle

    from app.core.files import atomic_write_bytes

    log = logging.getLogger(__name__)
    costs = costs or DecoderCosts()
    key = model_key(stories, costs)
    if shipped and (found := _load_shipped(key)) is not None:
        return found
    path = cache / f"star-labeller-{key}.pickle" if cache else None
    if path and path.exists():
        try:
            loaded = pickle.loads(path.read_bytes())  # our own file, in the user's cache folder
            if isinstance(loaded, StarLabeller):
                return loaded
        except Exception as err:  # a truncated or stale file: train again
            log.warning("STAR labeller cache %s unreadable (%s): training again", path, err)
    log.info(
        "training the STAR labeller on %d stories (another bank, or the person's corrections)", len(stories)
    )
    labeller = StarLabeller.train(stories, costs)
    if path:
        try:
            for old in path.parent.glob("star-labeller-*.pickle"):
                old.unlink(missing_ok=True)
            atomic_write_bytes(path, pickle.dumps(labeller, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as err:  # a full disk costs the next start a second, nothing more
            log.warning("could not save the STAR labeller to %s: %s", path, err)
    return labeller


def _bank_key(bank: Bank) -> str:
    return f"{bank.source}:{len(bank.questions)}:{bank.questions[0].id}"


def learn_corrections(bank: Bank, corrected: Sequence[Story]) -> StarLabeller:
    """The person's own labeller: the training answers plus the answers whose labels they corrected,
    trained in the background (~30 s, cached until the corrections change) and then used for every
    new answer."""
    from app.core import paths

    labeller = load_or_train([*training_stories(bank), *corrected], paths.cache_dir(), shipped=False)
    with _LOCK:
        _DEFAULT[_bank_key(bank)] = labeller
    return labeller


def default_labeller(bank: Bank) -> StarLabeller:
    """Trained once per bank and kept, in memory and in the user's cache folder."""
    from app.core import paths

    key = _bank_key(bank)
    with _LOCK:
        if key not in _DEFAULT:
            labeller = load_or_train(training_stories(bank), paths.cache_dir())
            labeller.scores(["Ready."])  # loads the verb lexicon (and any encoder) now, not at the first Stop
            _DEFAULT[key] = labeller
        return _DEFAULT[key]
