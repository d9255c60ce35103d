"""Commendation in the browser at 360 px: the Đồng Xuân officer proposes a head with the
scorecard's evidence and a reason; the commune chair approves; the decision downloads as Word
and reads back; the head consents and the area's public page shows it."""

import datetime
import io

import pytest
from harness import audit, phone_sign_in, sign_in, t
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _data(world):
    from caunoi.people.models import Role
    from caunoi.reports.tests.helpers import task_done
    from caunoi.testing import give, make_person

    task_done(world, world.area_a1, world.head_a1)
    give(make_person("Trịnh Văn Chủ", username="chutich"), Role.COMMUNE_LEADER, world.commune_a)


def test_propose_approve_and_download_the_decision(
    e2e_world, e2e_settings, phone, new_page, tmp_path
):
    from docx import Document

    e2e_settings.SMS_BACKEND = "file"
    _data(e2e_world)
    year = datetime.date.today().year
    sign_in(phone, "xa_a")
    phone.goto(f"/xa/{e2e_world.commune_a.code}/khen-thuong/")
    audit(phone, "commendations-commune")
    phone.get_by_role("link", name=t("Propose heads for commendation")).click()
    audit(phone, "commendation-propose")
    phone.locator(f"[name=pick_{e2e_world.area_a1.pk}]").check()
    phone.locator(f"[name=reason_{e2e_world.area_a1.pk}]").fill(
        f"Hoàn thành xuất sắc nhiệm vụ năm {year}, 100% việc đúng hạn"
    )
    phone.get_by_role("button", name=t("Send the proposal")).click()
    audit(phone, "commendation-proposal")
    expect(phone.get_by_role("main")).to_contain_text("Hoàng Văn Sơn")
    address = phone.url

    chair = new_page("phone")
    sign_in(chair, "chutich")
    chair.goto(address)
    audit(chair, "commendation-to-decide")
    chair.get_by_label(t("Approve")).check()
    chair.get_by_role("button", name=t("Record the decision")).click()
    audit(chair, "commendation-decided")
    with chair.expect_download() as download:
        chair.get_by_role("link", name=t("Decision (Word, to edit)")).click()
    path = tmp_path / "quyet-dinh.docx"
    download.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for table in doc.tables for row in table.rows for c in row.cells]
    )
    assert "QUYẾT ĐỊNH" in text and "Hoàng Văn Sơn" in text and "Giấy khen" in text

    head = new_page("phone")
    phone_sign_in(head, e2e_settings, "0912000001")
    head.goto(f"/khu/{e2e_world.area_a1.code}/khen-thuong/")
    audit(head, "commendation-own")
    head.get_by_label(t("Yes, show it")).check()
    head.get_by_role("button", name=t("Save my choice")).click()
    audit(head, "commendation-consented")
    public = new_page("phone")
    public.goto(f"/khu/{e2e_world.area_a1.code}/")
    audit(public, "area-public-commendation")
    expect(public.get_by_role("main")).to_contain_text("Hoàng Văn Sơn")
