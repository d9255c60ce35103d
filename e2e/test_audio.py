"""A notice published by the Khu 3 head is heard on its page (a resident's phone, signed out) and
the head picks the southern voice, listens and downloads it for the loudspeaker."""

import pytest
from harness import audit, exact, sign_in, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_published_notice_is_heard_and_downloaded(e2e_world, new_page):
    from django.test import TestCase

    from caunoi.outreach import services

    w = e2e_world
    w.head_a1.username, w.head_a1.is_active = "truongkhu", True
    w.head_a1.set_password("correct-horse-battery")
    w.head_a1.save()
    notice = services.notice_create(
        actor=w.head_a1, unit=w.area_a1, areas=[w.area_a1], category="meeting",
        title="Họp KDC Khu 3",
        body="UBND xã mời đại diện các hộ họp lúc 19:30 ngày 13/06/2022. Gọi 0912000001.",
    )  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.notice_publish(actor=w.head_a1, notice=notice)

    resident = new_page("phone")
    visit(resident, f"/thong-bao/{notice.pk}/", "audio-notice-public")
    player = resident.locator("#nghe audio")
    expect(player).to_have_count(1)
    assert resident.evaluate(
        "async () => { const a = document.querySelector('#nghe audio'); a.muted = true;"
        " await a.play(); await new Promise(r => setTimeout(r, 300)); return a.currentTime > 0; }"
    ), "the audio does not play"

    head = new_page("phone")
    sign_in(head, "truongkhu")
    visit(head, f"/thong-bao/{notice.pk}/loa/", "audio-loudspeaker")
    expect(head.get_by_role("main")).to_contain_text("Ủy ban nhân dân xã mời đại diện")
    head.get_by_label(t("Voice")).select_option("vi-VN-x-south")
    head.get_by_label(t("Speed")).select_option("130")
    head.get_by_role("button", name=exact("Make the audio")).click()
    expect(head.get_by_role("main").locator("audio")).to_have_count(2)
    audit(head, "audio-loudspeaker-two-voices")
    with head.expect_download() as info:
        head.get_by_role("link", name=exact("Download for the loudspeaker (MP3)")).last.click()
    assert info.value.suggested_filename.endswith(".mp3")
