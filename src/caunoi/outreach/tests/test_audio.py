"""Every notice spoken: the text prepared for speech (tested as text), eSpeak NG's MP3, the audio
made by a worker on publication, the head's choice of voice and speed, the player on the notice's
page and the short link in the SMS."""

import io

import pytest
import soundfile
from django.test import Client, TestCase
from django.urls import reverse

from caunoi.core import speech
from caunoi.core.models import AuditEntry, OutboxEvent
from caunoi.outreach import audit, services
from caunoi.outreach.models import NoticeAudio
from caunoi.outreach.wording import loudspeaker_script, sms_segments, speech_text, spoken

from .factories import draft, publish

# ----------------------------------------------------------------------------- text for speech


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("UBND xã Đồng Xuân", "Ủy ban nhân dân xã Đồng Xuân"),
        ("họp KDC Khu 3", "họp khu dân cư Khu ba"),
        ("HĐND và MTTQ", "Hội đồng nhân dân và Mặt trận Tổ quốc"),
        ("gọi 0912 000 111", "gọi không chín một hai không không không một một một"),
        ("SĐT 0912000001", "số điện thoại không chín một hai không không không không không một"),
        ("đóng 150.000 đ/hộ", "đóng một trăm năm mươi nghìn đồng/hộ"),
        ("lúc 19:30 ngày 13/06/2022", "lúc mười chín giờ ba mươi phút ngày mười ba tháng sáu năm"
         " hai nghìn không trăm hai mươi hai"),
        ("ngày 4/4", "ngày mùng bốn tháng tư"),
        ("tỷ lệ 95,5%", "tỷ lệ chín mươi lăm phẩy năm phần trăm"),
        ("UBNDX", "UBNDX"),  # not an abbreviation of the list: left alone
    ],
)  # fmt: skip
def test_text_is_prepared_for_speech(written, said):
    assert spoken(written) == said


def test_the_script_and_the_audio_say_the_same_words():
    lines = loudspeaker_script(
        unit_name="Khu 3",
        announces="thông báo",
        title="Họp KDC",
        body="Họp lúc 19:30.\n\nGọi 0912000001.",
    )
    assert lines == [
        "Khu ba thông báo: Họp khu dân cư.",
        "Họp lúc mười chín giờ ba mươi phút.",
        "Gọi không chín một hai không không không không không một.",
    ]
    assert speech_text(unit_name="Khu 3", title="Họp KDC", body="Họp lúc 19:30.\n\nGọi 0912000001.")
    assert "\n".join(lines) == speech_text(
        unit_name="Khu 3", title="Họp KDC", body="Họp lúc 19:30.\n\nGọi 0912000001."
    )


# ----------------------------------------------------------------------------- eSpeak NG


@pytest.mark.parametrize("voice", speech.VOICES)
def test_each_voice_speaks_vietnamese_as_mp3(voice):
    audio = speech.speak("Ủy ban nhân dân xã thông báo họp khu dân cư.", voice=voice, rate=150)
    info = soundfile.info(io.BytesIO(audio.data))
    assert info.format == "MP3" and info.channels == 1 and info.samplerate == 22050
    assert 2 < audio.seconds < 10 and abs(info.duration - audio.seconds) < 0.3
    assert audio.content_type == "audio/mpeg"
    # Constant 24 kbit/s: 3 KB a second of speech, give or take the frame padding.
    assert len(audio.data) < audio.seconds * 3000 * 1.1


def test_a_slower_speed_takes_longer():
    text = "Mời đại diện các hộ gia đình họp tại nhà văn hóa."
    assert speech.speak(text, rate=130).seconds > speech.speak(text, rate=175).seconds * 1.15


def test_an_unknown_voice_is_refused():
    with pytest.raises(ValueError):
        speech.speak("Xin chào", voice="en")


# ----------------------------------------------------------------------------- the notice's audio


def test_publishing_has_a_worker_speak_the_notice(outreach):
    notice = publish(outreach)
    audio = NoticeAudio.objects.get(notice=notice)
    assert (audio.voice, audio.speed, audio.status) == ("vi", 150, NoticeAudio.Status.READY)
    assert audio.size == len(audio.file.read()) and audio.seconds > 3
    event = OutboxEvent.objects.get(topic=services.TOPIC_SPEAK)
    assert event.payload == {"audio": audio.pk} and event.done_at is not None
    # A second run of the task (a redelivered message) makes nothing again.
    assert services.notice_audio_make(audio_id=audio.pk).made_at == audio.made_at


def test_publishing_without_audio_when_turned_off(outreach, settings):
    settings.OUTREACH_AUDIO_ON_PUBLISH = False
    notice = publish(outreach)
    assert not NoticeAudio.objects.filter(notice=notice).exists()


def test_household_and_public_pages_carry_the_player_beside_the_text(outreach, client_for):
    notice = publish(outreach)
    audio = NoticeAudio.objects.get(notice=notice)
    client = Client()
    for c in (client_for(outreach.resident_a1), client):  # the household's page, the public one
        page = c.get(notice.get_absolute_url()).content.decode()
        assert f'<audio controls preload="none" src="{audio.get_absolute_url()}"' in page
        assert page.index("<audio") < page.index("<p>Mời đại diện các hộ họp")
        played = c.get(audio.get_absolute_url())
        assert played.status_code == 200 and played["Content-Type"] == "audio/mpeg"
        assert b"".join(played.streaming_content)[:2] in (b"ID", b"\xff\xf3")  # MPEG-2 frames
    downloaded = client.get(audio.get_absolute_url() + "?tai=1")
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert ".mp3" in downloaded["Content-Disposition"]


def test_the_head_chooses_another_voice_and_speed_and_listens(outreach, client_for):
    notice = publish(outreach)
    head = client_for(outreach.head_a1)
    url = reverse("outreach:loudspeaker", args=[notice.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        r = head.post(url, {"voice": "vi-VN-x-south", "speed": "130", "submission": "k1"})
    assert r.status_code == 302 and r["Location"] == url
    south = NoticeAudio.objects.get(notice=notice, voice="vi-VN-x-south")
    assert south.speed == 130 and south.is_ready
    page = head.get(url).content.decode()
    assert page.count("<audio") == 2 and f'href="{south.get_absolute_url()}?tai=1"' in page
    assert AuditEntry.objects.filter(action=audit.AUDIO_REQUESTED).count() == 1
    # The same choice again (or a double click) makes nothing new.
    with TestCase.captureOnCommitCallbacks(execute=True):
        head.post(url, {"voice": "vi-VN-x-south", "speed": "130", "submission": "k2"})
    assert NoticeAudio.objects.filter(notice=notice).count() == 2


def test_a_bad_choice_gets_a_clear_message_and_changes_nothing(outreach, client_for):
    notice = publish(outreach)
    head = client_for(outreach.head_a1)
    url = reverse("outreach:loudspeaker", args=[notice.pk])
    r = head.post(url, {"voice": "en", "speed": "999", "submission": "k1"})
    assert r.status_code == 200
    assert "Select a valid choice" in r.content.decode()
    assert NoticeAudio.objects.filter(notice=notice).count() == 1


def test_who_may_ask_for_another_voice(outreach, client_for):
    notice = publish(outreach)
    url = reverse("outreach:loudspeaker", args=[notice.pk])
    data = {"voice": "vi-VN-x-central", "speed": "150"}
    assert client_for(outreach.officer_a).post(url, data).status_code == 302  # the commune
    resident = client_for(outreach.resident_a1)
    assert resident.get(url).status_code == 200  # reads the script and listens
    assert "Make the audio" not in resident.get(url).content.decode()
    assert resident.post(url, data).status_code == 403
    assert client_for(outreach.officer_b).post(url, data).status_code == 403  # public notice
    hidden = draft(outreach, title="Bản nháp")
    hidden_url = reverse("outreach:loudspeaker", args=[hidden.pk])
    assert client_for(outreach.officer_b).get(hidden_url).status_code == 404
    assert client_for(outreach.officer_b).post(hidden_url, data).status_code == 404
    assert client_for(outreach.head_a1).get(hidden_url).status_code == 200


def test_a_drafts_audio_is_missing_for_others(outreach, client_for):
    notice = draft(outreach)
    with TestCase.captureOnCommitCallbacks(execute=True):
        audio = services.notice_audio_request(
            actor=outreach.head_a1, notice=notice, voice="vi", speed=150
        )  # the head listens before publishing
    assert client_for(outreach.head_a1).get(audio.get_absolute_url()).status_code == 200
    assert Client().get(audio.get_absolute_url()).status_code == 302  # to sign-in, as if missing
    assert client_for(outreach.officer_b).get(audio.get_absolute_url()).status_code == 404


def test_a_failed_audio_is_asked_again(outreach, monkeypatch):
    def broken(*a, **kw):
        raise speech.SpeechUnavailable("no library")

    monkeypatch.setattr(speech, "speak", broken)
    notice = publish(outreach)
    audio = NoticeAudio.objects.get(notice=notice)
    assert audio.status == NoticeAudio.Status.FAILED and audio.error == "no library"
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.notice_audio_request(actor=outreach.head_a1, notice=notice, voice="vi", speed=150)
    audio.refresh_from_db()
    assert audio.is_ready


def test_the_sms_carries_a_short_link_to_listen(outreach, settings):
    notice = publish(outreach, title="Họp khu dân cư tháng 6")
    client = Client()
    listen = reverse("outreach:listen", args=[notice.pk])
    assert f"Nghe: {settings.SITE_URL}{listen}" in notice.sms_text
    r = client.get(listen)
    assert r.status_code == 302 and r["Location"] == notice.get_absolute_url() + "#nghe"
    page = client.get(notice.get_absolute_url()).content.decode()
    assert f"Nghe: http://testserver{listen}" in page  # the Zalo text


def test_the_short_link_is_left_out_when_it_would_cost_another_sms(outreach):
    notice = draft(outreach, title=("Thông báo " * 6).strip())
    assert "Nghe:" not in notice.sms_text and sms_segments(notice.sms_text)[0] == 2
