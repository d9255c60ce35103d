"""VietQR payloads built in-house, cross-checked with vietqr-emvco, crc_hqx and zbar."""

import binascii
import shutil
import subprocess

import pytest
from vietqr_emvco import VietQRParser

from caunoi.core.money import format_vnd, parse_vnd
from caunoi.funds import vietqr


def parse_tlv(data: str) -> dict[str, str]:
    """One level of TLV fields, read back as a banking app would."""
    out, i = {}, 0
    while i < len(data):
        tag, length = data[i : i + 2], int(data[i + 2 : i + 4])
        out[tag] = data[i + 4 : i + 4 + length]
        i += 4 + length
    return out


def test_crc_matches_the_standard_check_value_and_crc_hqx():
    assert vietqr.crc16("123456789") == "29B1"
    for data in ["000201", "x" * 50, "00020101021238570010A0000007270127"]:
        assert int(vietqr.crc16(data), 16) == binascii.crc_hqx(data.encode(), 0xFFFF)


def test_crc_is_zero_padded():
    # 1 payload in 16 has a CRC below 0x1000: it must still be 4 hex digits.
    small = [a for a in range(1000, 1200) if int(vietqr.crc16(str(a)), 16) < 0x1000]
    assert small and all(len(vietqr.crc16(str(a))) == 4 for a in small)


def test_payload_parses_back_with_vietqr_emvco():
    payload = vietqr.payload(
        vietqr.Transfer(
            bank_bin="970405",
            account="3100205123456",
            amount=150_000,
            purpose="D001 08119-01-001 Quỹ khuyến học Đồng Xuân",
            name="Hoàng Văn Sơn",
        )
    )
    assert payload.isascii()
    parsed = VietQRParser.parse(payload)
    assert parsed["bank_bin"] == "970405"
    assert parsed["account_number"] == "3100205123456"
    assert parsed["amount"] == 150000
    assert parsed["memo"] == "D001 08119-01-001 QUY KHU"  # cut to 25 characters, ASCII
    assert parsed["merchant_name"] == "HOANG VAN SON"
    assert VietQRParser.verify_checksum(payload)
    body, crc = payload[:-4], payload[-4:]
    assert int(crc, 16) == binascii.crc_hqx(body.encode(), 0xFFFF)
    fields = parse_tlv(payload)
    assert fields["01"] == "12" and fields["53"] == "704" and fields["58"] == "VN"
    assert all(len(v) <= 99 for v in fields.values())


def test_accents_stripped_including_d_bar():
    assert vietqr.ascii_upper("Đóng góp đường bê tông Ðồng") == "DONG GOP DUONG BE TONG DONG"
    assert vietqr.ascii_upper("Quỹ\u0301 NFD e\u0301") == "QUY NFD E"


def test_static_payload_without_amount():
    payload = vietqr.payload(vietqr.Transfer(bank_bin="970405", account="123"))
    assert parse_tlv(payload)["01"] == "11" and "54" not in parse_tlv(payload)
    assert VietQRParser.verify_checksum(payload)


@pytest.mark.parametrize(
    "kw",
    [
        {"bank_bin": "97040", "account": "1"},
        {"bank_bin": "970405", "account": "1" * 20},
        {"bank_bin": "970405", "account": "số tài khoản"},
        {"bank_bin": "970405", "account": "1", "amount": -1},
    ],
)
def test_bad_fields_refused(kw):
    with pytest.raises(vietqr.VietQRError):
        vietqr.payload(vietqr.Transfer(**kw))


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools not installed")
def test_png_decodes_with_zbar(tmp_path):
    payload = vietqr.payload(
        vietqr.Transfer(
            bank_bin="970405", account="3100205123456", amount=100_000, purpose="D001 08119-03-001"
        )
    )
    path = tmp_path / "qr.png"
    path.write_bytes(vietqr.png(payload))
    out = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == payload
    assert VietQRParser.verify_checksum(out)


@pytest.mark.parametrize(
    "typed,amount",
    [("1.250.000", 1250000), ("1250000", 1250000), ("1 250 000 đ", 1250000), ("200000₫", 200000)],
)
def test_parse_vnd_accepts_vietnamese_typing(typed, amount):
    assert parse_vnd(typed) == amount
    assert format_vnd(amount).replace("\u00a0", " ").endswith(" ₫")


@pytest.mark.parametrize(
    "typed", ["", "0", "-100", "12,5", "abc", "1e6", "٣٠٠", "9" * 16, "2000000000"]
)
def test_parse_vnd_refuses(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_vnd(typed)
