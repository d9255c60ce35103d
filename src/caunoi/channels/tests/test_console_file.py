"""The console and file backends, and what every backend gets: a recipient, a text cut to the
channel's longest, the backend the setting names."""

import json

import pytest

from caunoi import channels
from caunoi.channels import Message, Receipt, SendError

TEXT = "Mã xác nhận Cầu Nối: 123456. Mã có hiệu lực 5 phút. Đừng đưa mã cho ai."


def test_the_file_backend_appends_readable_json_lines(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "out" / "sms.jsonl")
    settings.SMS_SENDER = "CAUNOI"
    channels.send(channels.SMS, Message(to="0912000001", text=TEXT))
    receipt = channels.send(channels.SMS, Message(to="0912000002", text="Xin chào", reference="d9"))
    raw = (tmp_path / "out" / "sms.jsonl").read_text(encoding="utf-8")
    assert "Mã xác nhận Cầu Nối: 123456" in raw  # readable, not \u-escaped
    lines = [json.loads(line) for line in raw.splitlines()]
    assert [(r["to"], r["text"], r["sender"]) for r in lines] == [
        ("0912000001", TEXT, "CAUNOI"),
        ("0912000002", "Xin chào", "CAUNOI"),
    ]
    assert "reference" not in lines[0] and lines[1]["reference"] == "d9"
    assert lines[1]["at"] == receipt.at.isoformat()


def test_the_zalo_file_is_its_own(settings, tmp_path):
    settings.SMS_BACKEND = settings.ZALO_BACKEND = "file"
    settings.ZALO_FILE_PATH = str(tmp_path / "zalo.jsonl")
    channels.send(channels.ZALO, Message(to="0912000001", text="Thông báo"))
    [line] = (tmp_path / "zalo.jsonl").read_text(encoding="utf-8").splitlines()
    assert {k: v for k, v in json.loads(line).items() if k != "at"} == {
        "to": "0912000001",
        "text": "Thông báo",
    }
    assert not (tmp_path / "sms.jsonl").exists()


def test_a_file_that_cannot_be_written_may_be_retried(settings, tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "taken" / "sms.jsonl")
    with pytest.raises(SendError, match="Cannot write the SMS file") as info:
        channels.send(channels.SMS, Message(to="0912000001", text=TEXT))
    assert info.value.retry is True


@pytest.mark.parametrize(("channel", "label"), [("sms", "SMS"), ("zalo", "Zalo")])
def test_the_console_backend_prints_and_logs(settings, capsys, caplog, channel, label):
    settings.SMS_BACKEND = settings.ZALO_BACKEND = "console"
    with caplog.at_level("INFO", logger="caunoi.channels"):
        receipt = channels.send(channel, Message(to="0912000001", text=TEXT))
    assert f"[{label} to 0912000001] {TEXT}" in capsys.readouterr().out
    assert "0912000001" in caplog.text
    assert receipt.channel == channel


class Recorder:
    """A backend named by its dotted path: built with the channel's spec."""

    sent: list = []

    def __init__(self, spec):
        self.spec = spec

    def send(self, message):
        Recorder.sent.append((self.spec.name, message))
        return Receipt(self.spec.name, message.to, message.reference)


RECORDER = f"{__name__}.Recorder"


def test_a_dotted_path_backend(settings):
    settings.SMS_BACKEND = settings.ZALO_BACKEND = RECORDER
    Recorder.sent.clear()
    channels.send(channels.SMS, Message(to="0912000001", text=TEXT, reference="d1"))
    channels.send(channels.ZALO, Message(to="0912000002", text="Xin chào"))
    assert Recorder.sent == [
        ("sms", Message(to="0912000001", text=TEXT, reference="d1")),
        ("zalo", Message(to="0912000002", text="Xin chào")),
    ]


def test_an_unknown_backend_never_works(settings):
    settings.SMS_BACKEND = "nowhere.Nothing"
    with pytest.raises(SendError, match="Unknown SMS_BACKEND") as info:
        channels.send(channels.SMS, Message(to="0912000001", text=TEXT))
    assert info.value.retry is False


def test_an_unknown_channel_never_works():
    with pytest.raises(SendError, match="No such channel") as info:
        channels.get_backend("pigeon")
    assert info.value.retry is False


@pytest.mark.parametrize(("channel", "what"), [("sms", "phone number"), ("email", "e-mail")])
def test_no_recipient_never_works(settings, channel, what):
    settings.SMS_BACKEND = RECORDER
    Recorder.sent.clear()
    with pytest.raises(SendError, match=f"No {what}") as info:
        channels.send(channel, Message(to="", text=TEXT))
    assert info.value.retry is False
    assert Recorder.sent == []


@pytest.mark.parametrize(("channel", "longest"), [("sms", 280), ("zalo", 2000)])
def test_a_long_text_is_cut_to_the_channel_s_longest(settings, channel, longest):
    settings.SMS_BACKEND = settings.ZALO_BACKEND = RECORDER
    Recorder.sent.clear()
    channels.send(channel, Message(to="0912000001", text="ạ" * 10_000))
    assert len(Recorder.sent[0][1].text) == longest == channels.SPECS[channel].max_text


def test_the_default_backend_is_the_console(settings):
    settings.SMS_BACKEND = ""
    assert isinstance(channels.get_backend(channels.SMS), channels.backends.ConsoleBackend)
