"""Audio as numbers: decoding any common file, loudness, and WAV files written a block at a time."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.speech.transcript import SpeechError

SAMPLE_RATE = 16_000  # what the recogniser wants and what we record
Samples = npt.NDArray[np.float32]

# The first bytes of the containers and streams people record or export speech in. FFmpeg guesses a
# format from any bytes, and on a program file it guesses MPEG audio whose frames change channel
# count mid-stream, which crashes PyAV (a segfault, not an exception): what starts with none of
# these is refused before FFmpeg sees it.
_SIGNATURES: tuple[tuple[int, bytes], ...] = (
    (0, b"fLaC"),  # FLAC
    (0, b"OggS"),  # Ogg: Vorbis, Opus, Speex, FLAC
    (0, b"\x1a\x45\xdf\xa3"),  # Matroska / WebM (EBML)
    (4, b"ftyp"),  # MP4, M4A, 3GP, MOV
    (4, b"moov"),  # older QuickTime
    (4, b"mdat"),
    (4, b"wide"),
    (4, b"free"),
    (0, b".snd"),  # Sun / NeXT AU
    (0, b"caff"),  # Core Audio
    (0, b"#!AMR"),  # AMR
    (0, b"ADIF"),  # AAC in ADIF
    (0, b"wvpk"),  # WavPack
    (0, b"MAC "),  # Monkey's Audio
    (0, b"TTA1"),  # True Audio
    (0, b"MPCK"),  # Musepack
    (0, b"MP+"),
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"),  # ASF: WMA
    (0, b"\x0b\x77"),  # AC-3
)
_RIFF = (b"RIFF", b"RIFX", b"RF64")  # then the form type at byte 8: WAVE (or AVI)
_RIFF_FORMS = (b"WAVE", b"AVI ")
_IFF = (b"FORM",)  # AIFF and AIFF-C
_IFF_FORMS = (b"AIFF", b"AIFC")
_ID3_HEADER = 10


def _is_mpeg_sync(head: bytes) -> bool:
    """An MPEG audio frame (MP1/2/3) or an ADTS AAC frame: 11 set bits, a valid version and layer
    (or ADTS's layer 0), a bitrate index that is not 'bad' and a sample rate that is not reserved."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    if head[1] & 0xF6 == 0xF0:  # ADTS (AAC): sync 12 bits, layer 00
        return (head[2] >> 2) & 0x0F < 13  # sampling frequency index 13-15 are reserved
    version, layer = (head[1] >> 3) & 0x03, (head[1] >> 1) & 0x03
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0x03
    return version != 1 and layer != 0 and bitrate != 0x0F and rate != 0x03


def _looks_like_audio(head: bytes) -> bool:
    if any(head[at : at + len(sig)] == sig for at, sig in _SIGNATURES):
        return True
    if head[:4] in _RIFF and head[8:12] in _RIFF_FORMS:
        return True
    if head[:4] in _IFF and head[8:12] in _IFF_FORMS:
        return True
    return _is_mpeg_sync(head)


def _id3_size(head: bytes) -> int | None:
    """The length of an ID3v2 tag at the start (header, body, footer), or None when there is none."""
    if len(head) < _ID3_HEADER or head[:3] != b"ID3" or any(b & 0x80 for b in head[6:10]):
        return None
    body = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]  # "syncsafe": 7 bits a byte
    footer = _ID3_HEADER if head[5] & 0x10 else 0
    return _ID3_HEADER + body + footer


def _check_audio_signature(path: Path) -> None:
    """Refuse, with the usual message, a file whose first bytes are those of no audio format.

    An ID3 tag (MP3s, some AAC and FLAC files) is skipped, so what follows it must be audio too."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
            tag = _id3_size(head)
            if tag is not None:
                f.seek(tag)
                head = f.read(16)
    except OSError as e:
        raise SpeechError(f"{path}: not an audio file that can be read ({e.strerror or e})") from None
    if not head:
        raise SpeechError(f"{path}: not an audio file that can be read (the file is empty)")
    if not _looks_like_audio(head):
        raise SpeechError(
            f"{path}: not an audio file that can be read (it starts like no audio format: "
            "WAV, FLAC, MP3, OGG, M4A, WebM, AIFF…)"
        )


def decode_audio(path: Path, sample_rate: int = SAMPLE_RATE) -> Samples:
    """Any format FFmpeg reads (WAV, FLAC, MP3, OGG, M4A…) as mono float32 at `sample_rate`.

    What does not start like audio is refused before FFmpeg sees it (FFmpeg took a program for MPEG
    audio and PyAV crashed the process), and what does is decoded so that no frame can crash it.
    """
    if not path.exists():
        raise SpeechError(f"{path}: file not found")
    _check_audio_signature(path)
    try:
        samples = _decode(path, sample_rate)
    except SpeechError:
        raise
    except Exception as e:  # PyAV raises many kinds; all mean the same to the user
        raise SpeechError(f"{path}: not an audio file that can be read ({e})") from None
    return samples


def _decode(path: Path, sample_rate: int) -> Samples:
    """faster-whisper's decoding (16-bit mono through FFmpeg's resampler, the same samples), but frame
    by frame: its AudioFifo takes frames whose channel count changed mid-stream without a check and
    reads past their data (the segfault on a program file FFmpeg took for MPEG audio). Here a change
    of format, channels or rate starts a new resampler instead.
    """
    import av  # PyAV; imported late, it is slow

    chunks: list[npt.NDArray[np.int16]] = []
    resampler: Any = None
    shape: tuple[str, int, int] | None = None

    def drain(frames: list[Any]) -> None:
        chunks.extend(np.asarray(f.to_ndarray(), dtype=np.int16).reshape(-1) for f in frames)

    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        if not container.streams.audio:
            raise SpeechError(f"{path}: not an audio file that can be read (it holds no audio)")
        frames = container.decode(audio=0)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                break
            except av.error.InvalidDataError:  # a damaged frame: skipped, as faster-whisper does
                continue
            now = (frame.format.name, frame.layout.nb_channels, frame.sample_rate)
            if now != shape:
                if resampler is not None:
                    drain(resampler.resample(None))
                resampler = av.AudioResampler(format="s16", layout="mono", rate=sample_rate)
                shape = now
            frame.pts = None  # as faster-whisper: no timestamp checks on damaged streams
            drain(resampler.resample(frame))
    if resampler is not None:
        drain(resampler.resample(None))
    del resampler
    gc.collect()  # PyAV's filter graphs are freed only by the collector (faster-whisper issue 390)
    pcm = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
    return pcm.astype(np.float32) / 32768.0


def rms_dbfs(x: Samples) -> float:
    """Loudness in dB relative to full scale; -120 for silence."""
    if len(x) == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))
    return 20 * np.log10(rms) if rms > 1e-6 else -120.0


def peak(x: Samples) -> float:
    return float(np.max(np.abs(x))) if len(x) else 0.0
