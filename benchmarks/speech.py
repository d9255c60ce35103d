"""Speech benchmark: a typical and a long notice spoken by eSpeak NG (caunoi.core.speech), and the
size of a minute of it in the chosen format (MP3, constant 24 kbit/s) against the others.

    make bench-speech

For each notice and voice: seconds of audio made per CPU second (synthesis and encoding, this
process's CPU time), and bytes per minute of audio. Then, for the typical notice, what the other
encodings would cost (bytes per minute, CPU): MP3 at 32 kbit/s, Ogg/Vorbis at libsndfile's
default, Ogg/Opus at 16 kHz. Goal: a typical notice made well within a minute on this machine
(the issue's "heard within a minute"), a minute of audio ≤ 250 KB (3G).
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")

import django  # noqa: E402

django.setup()

from caunoi.core import speech  # noqa: E402
from caunoi.outreach.wording import speech_text  # noqa: E402

TYPICAL = speech_text(
    unit_name="Khu 3",
    title="Họp KDC Khu 3 về đóng góp làm đường",
    body=(
        "UBND xã Đồng Xuân đề nghị đại diện các hộ gia đình họp lúc 19:30 ngày 13/06/2022 tại "
        "nhà văn hóa Khu 3 để bàn việc đóng góp làm đường bê tông ngõ 2.\n\n"
        "Mức đóng góp dự kiến 500.000 đ mỗi hộ; hộ nghèo, hộ cận nghèo được miễn.\n\n"
        "Mọi ý kiến xin gọi trưởng khu, số 0912 000 001."
    ),
)
LONG = speech_text(
    unit_name="Xã Đồng Xuân",
    title="Kế hoạch phòng chống lụt bão năm 2022",
    body="\n\n".join(
        f"Mục {i}: UBND xã yêu cầu các KDC kiểm tra đê, kênh mương trước ngày {i}/7/2022; "
        f"mỗi hộ chuẩn bị đèn pin, áo phao và lương thực cho 3 ngày; tổ xung kích {i} gồm "
        f"{10 + i} người trực 24/24 giờ; kinh phí {i * 1_500_000:,} đồng từ quỹ phòng chống "
        "thiên tai. Khi có tin bão, nghe loa truyền thanh và gọi 0210 3851 234.".replace(",", ".")
        for i in range(1, 16)
    ),
)


def cpu() -> float:
    return time.process_time()


def measure(name: str, text: str, voice: str) -> None:
    speech.speak("khởi động", voice=voice)  # load the library once, outside the timing
    start = cpu()
    audio = speech.speak(text, voice=voice, rate=150)
    spent = cpu() - start
    per_minute = len(audio.data) / audio.seconds * 60
    print(
        f"{name:8} {voice:16} {len(text):5} chars  {audio.seconds:6.1f} s audio  "
        f"{spent:5.2f} s CPU  {audio.seconds / spent:6.0f} s audio per CPU s  "
        f"{len(audio.data) / 1024:6.1f} KiB  {per_minute / 1000:5.0f} KB per minute"
    )


def formats(text: str) -> None:
    import numpy as np

    samples, rate = speech.pcm(text, voice="vi", rate=150)
    seconds = len(samples) / 2 / rate
    pcm = np.frombuffer(samples, dtype=np.int16)
    resampled = np.interp(
        np.arange(int(len(pcm) * 16000 / rate)) * rate / 16000, np.arange(len(pcm)), pcm
    ).astype(np.int16)
    choices = [
        ("MP3 24 kbit/s (chosen)", lambda: speech.encode_mp3(samples, rate, kbps=24)),
        ("MP3 32 kbit/s", lambda: speech.encode_mp3(samples, rate, kbps=32)),
        ("Ogg/Vorbis default", lambda: _write(pcm, rate, "OGG", "VORBIS")),
        ("Ogg/Opus 16 kHz", lambda: _write(resampled, 16000, "OGG", "OPUS")),
    ]
    print(f"\nEncodings of the typical notice ({seconds:.1f} s of audio):")
    for label, encode in choices:
        start = cpu()
        data = encode()
        spent = cpu() - start
        print(
            f"  {label:24} {len(data) / seconds * 60 / 1000:6.0f} KB per minute  {spent:5.2f} s CPU"
        )


def _write(pcm, rate: int, fmt: str, subtype: str) -> bytes:
    import soundfile

    out = io.BytesIO()
    soundfile.write(out, pcm, rate, format=fmt, subtype=subtype)
    return out.getvalue()


def main() -> None:
    for voice in speech.VOICES:
        measure("typical", TYPICAL, voice)
    measure("long", LONG, "vi")
    formats(TYPICAL)


if __name__ == "__main__":
    main()
