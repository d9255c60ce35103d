"""Speech made offline on the server: eSpeak NG through the library and voice data that the PyPI
package `espeakng-loader` ships (no system package), encoded to MP3 with `soundfile`'s bundled
libsndfile.

    audio = speak("Ủy ban nhân dân xã thông báo …", voice="vi", rate=150)
    audio.data        # MP3 bytes, mono 22,050 Hz, constant 24 kbit/s
    audio.seconds     # length of the speech

The text must already be written out for speech (numbers, dates, abbreviations: the app's own
rules; `caunoi.outreach.wording.spoken` for Vietnamese): eSpeak reads "13/6" as digits.

Why MP3 at 24 kbit/s: every phone browser plays it in `<audio>` (Ogg/Opus does not play on older
iPhones) and so does the USB player of a commune's loudspeaker amplifier; at 24 kbit/s a minute of
speech is 180 KB, half of Ogg/Vorbis at its default, and eSpeak's voice (a formant synthesiser,
nothing above 5 kHz that matters) loses nothing a listener notices. Opus at 16 kHz would be about
as small but costs four times the CPU to encode here and plays in fewer places
(`benchmarks/speech.py` measures all three).

eSpeak keeps one global state per process: calls are serialised by a lock.
"""

from __future__ import annotations

import ctypes
import io
import threading
from dataclasses import dataclass

# Voices of the bundled data: northern (Hà Nội), central (Huế), southern (Sài Gòn).
VOICES = ("vi", "vi-VN-x-central", "vi-VN-x-south")
RATE_MIN, RATE_MAX = 80, 300  # words per minute eSpeak accepts sensibly
SAMPLE_RATE = 22050
MP3_KBPS = 24
# libsndfile's compression level for MPEG-2 Layer III at 22,050 Hz: 0.9 is 24 kbit/s constant.
_MP3_LEVEL = {24: 0.9, 32: 0.85, 40: 0.8}

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_RATE = 1
_CHARS_UTF8 = 1
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)

_lock = threading.Lock()
_engine: _Engine | None = None


class SpeechUnavailable(RuntimeError):
    """eSpeak NG could not be loaded or refused the voice."""


@dataclass(frozen=True)
class Audio:
    data: bytes
    seconds: float
    content_type: str = "audio/mpeg"
    extension: str = "mp3"


class _Engine:
    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError as exc:  # pragma: no cover - a dependency of the project
            raise SpeechUnavailable("espeakng-loader is not installed") from exc
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        rate = self.lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0
        )
        if rate <= 0:
            raise SpeechUnavailable("eSpeak NG did not start")
        self.sample_rate = rate
        self.chunks: list[bytes] = []
        self.callback = _CALLBACK(self._collect)  # kept referenced: the library calls it
        self.lib.espeak_SetSynthCallback(self.callback)
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]

    def _collect(self, wav, count: int, _events) -> int:
        if wav and count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def pcm(self, text: str, *, voice: str, rate: int) -> bytes:
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise SpeechUnavailable(f"no voice {voice!r}")
        self.lib.espeak_SetParameter(_ESPEAK_RATE, rate, 0)
        self.chunks = []
        data = text.encode("utf-8")
        self.lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, _CHARS_UTF8, None, None)
        self.lib.espeak_Synchronize()
        return b"".join(self.chunks)


def _get_engine() -> _Engine:
    global _engine
    if _engine is None:
        _engine = _Engine()
    return _engine


def pcm(text: str, *, voice: str = "vi", rate: int = 150) -> tuple[bytes, int]:
    """16-bit mono samples of `text` spoken, and their sample rate."""
    if voice not in VOICES:
        raise ValueError(f"unknown voice {voice!r}")
    rate = min(max(int(rate), RATE_MIN), RATE_MAX)
    with _lock:
        engine = _get_engine()
        return engine.pcm(text, voice=voice, rate=rate), engine.sample_rate


def encode_mp3(samples: bytes, sample_rate: int, *, kbps: int = MP3_KBPS) -> bytes:
    import numpy as np
    import soundfile

    out = io.BytesIO()
    soundfile.write(
        out,
        np.frombuffer(samples, dtype=np.int16),
        sample_rate,
        format="MP3",
        subtype="MPEG_LAYER_III",
        bitrate_mode="CONSTANT",
        compression_level=_MP3_LEVEL[kbps],
    )
    return out.getvalue()


def speak(text: str, *, voice: str = "vi", rate: int = 150) -> Audio:
    """`text` spoken by `voice` at `rate` words a minute, as an MP3 file."""
    samples, sample_rate = pcm(text, voice=voice, rate=rate)
    return Audio(data=encode_mp3(samples, sample_rate), seconds=len(samples) / 2 / sample_rate)
