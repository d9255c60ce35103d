"""A resident of xã Đồng Xuân asks on a 360 px phone; the head sends it to the commune; the
commune officer answers; the resident confirms; the area's public page shows the answer without
personal data."""

import io
import re
from pathlib import Path

import pytest
from harness import audit, exact, last_code, phone_sign_in, sign_in, t, visit
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def photo_with_gps(tmp_path) -> Path:
    im = Image.new("RGB", (320, 240), (30, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 18.0, 0.0), 3: "E", 4: (105.0, 12.0, 0.0)}
    path = tmp_path / "o-ga.jpg"
    im.save(path, format="JPEG", exif=exif)
    return path


@pytest.fixture
def categories(e2e_world):
    from django.utils import translation

    from caunoi.feedback import services

    with translation.override("vi"):  # the names a Vietnamese officer's click would store
        return services.categories_ensure_defaults(actor=None, commune=e2e_world.commune_a)


def test_ask_escalate_answer_confirm_public(
    e2e_world, e2e_settings, categories, phone, new_page, tmp_path
):
    e2e_settings.SMS_BACKEND = "file"
    w = e2e_world
    area_url = f"/khu/{w.area_a1.code}/"

    # The resident signs in with a code and asks, with a photo carrying GPS.
    phone_sign_in(phone, e2e_settings, w.resident_a1.phone)
    visit(phone, area_url, "feedback-area-before")
    phone.get_by_role("link", name=exact("Ask a question or report a problem")).click()
    audit(phone, "feedback-ask")
    phone.get_by_role("button", name=exact("Send the question")).click()
    expect(phone.get_by_role("alert")).to_contain_text(t("Choose a category."))
    audit(phone, "feedback-ask-error")
    phone.get_by_label(t("Category", context="question")).select_option(
        label=t("Roads, lanes and bridges")
    )
    phone.get_by_label(t("Your question or report")).fill(
        "Đường vào Khu 3 có ổ gà lớn trước nhà ông Bùi Văn Tâm, xe máy ngã nhiều lần."
    )
    phone.get_by_label(t("Place (optional)")).fill("Trước cổng chợ")
    phone.get_by_label(t("Photos (optional, at most 3)")).set_input_files(photo_with_gps(tmp_path))
    phone.get_by_role("button", name=exact("Send the question")).click()
    expect(phone.get_by_role("status")).to_contain_text(w.area_a1.name)
    audit(phone, "feedback-asked")
    question_url = phone.url
    pk = int(re.search(r"/hoi-dap/(\d+)/", question_url).group(1))

    # The head sees it on their home page and sends it to the commune.
    head = new_page("phone")
    phone_sign_in(head, e2e_settings, w.head_a1.phone)
    expect(head.get_by_role("heading", name=t("Questions waiting for your answer"))).to_be_visible()
    audit(head, "feedback-head-home")
    head.get_by_role("link", name=re.compile(f"#{pk}")).click()
    audit(head, "feedback-head-question")
    expect(head.get_by_label(t("Your answer"))).to_be_visible()  # answering comes first
    head.get_by_role("link", name=exact("Send to the commune…")).click()
    audit(head, "feedback-head-escalate")
    head.get_by_label(t("What the commune should know (optional)")).fill(
        "Cần xã bố trí kinh phí vá đường."
    )
    head.get_by_role("button", name=exact("Send to the commune")).click()
    expect(head.get_by_role("status")).to_contain_text(t("Sent to the commune."))
    expect(head.get_by_label(t("Your answer"))).to_have_count(0)

    # The commune officer answers and redacts the name from the public text.
    officer = new_page("phone")
    sign_in(officer, "xa_a")
    officer.goto(f"/hoi-dap/{pk}/")
    audit(officer, "feedback-officer-question")
    officer.get_by_label(t("Your answer")).fill("UBND xã sẽ vá ổ gà trước ngày 15 tháng này.")
    officer.get_by_label(t("The question as shown publicly")).fill(
        "Đường vào Khu 3 có ổ gà lớn, xe máy ngã nhiều lần."
    )
    officer.get_by_role("button", name=exact("Send the answer")).click()
    expect(officer.get_by_role("status")).to_be_visible()
    audit(officer, "feedback-answered")
    visit(officer, f"/xa/{w.commune_a.code}/hoi-dap/", "feedback-commune-list")
    officer.get_by_role("link", name=exact("Statistics")).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(
        t("Statistics of questions and answers")
    )
    audit(officer, "feedback-commune-stats")

    # The resident is told, says "not yet" without a reason (refused), then "yes".
    phone.goto("/")
    expect(phone.get_by_role("heading", name=t("New answers for you"))).to_be_visible()
    audit(phone, "feedback-resident-home")
    phone.get_by_role(
        "link",
        name=t("Your question #%(request)s has an answer. Has it been resolved?") % {"request": pk},
    ).click()
    expect(phone.get_by_role("heading", name=t("Has it been resolved?"))).to_be_visible()
    audit(phone, "feedback-confirm")
    phone.get_by_label(t("No, not yet")).check()
    phone.get_by_role("button", name=exact("Send my reply")).click()
    expect(phone.get_by_role("alert")).to_contain_text(
        t("Tell us what is still not resolved, so the answer can be better.")
    )
    audit(phone, "feedback-confirm-error")
    phone.get_by_label(t("Yes, it is resolved")).check()
    phone.get_by_role("button", name=exact("Send my reply")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        t("Thank you. The question is marked resolved.")
    )

    # Anyone sees the answer on the area's page, without the resident's name or phone.
    public = new_page("phone")
    visit(public, area_url, "feedback-area-public")
    main = public.get_by_role("main")
    expect(main).to_contain_text("UBND xã sẽ vá ổ gà")
    expect(main).to_contain_text("Đường vào Khu 3 có ổ gà lớn, xe máy ngã nhiều lần.")
    text = main.inner_text()
    assert w.resident_a1.full_name not in text and "Bùi Văn Tâm" not in text
    assert w.resident_a1.phone not in text
    public.get_by_role("link", name=re.compile(t("Roads, lanes and bridges"))).click()
    audit(public, "feedback-public-detail")
    visit(public, f"/xa/{w.commune_a.code}/cau-hoi-thuong-gap/?q=o+ga", "feedback-faq-search")
    expect(public.get_by_role("main")).to_contain_text("UBND xã sẽ vá ổ gà")
    public.go_back()
    src = public.get_by_role("img").first.get_attribute("src")
    body = public.request.get(src).body()
    assert not Image.open(io.BytesIO(body)).getexif().get(0x8825)  # no GPS left


def test_ask_without_an_account_with_a_one_time_code(e2e_world, e2e_settings, categories, phone):
    e2e_settings.SMS_BACKEND = "file"
    w = e2e_world
    visit(phone, f"/khu/{w.area_a1.code}/hoi/", "feedback-ask-anonymous")
    phone.get_by_label(t("Category", context="question")).select_option(
        label=t("Papers and procedures")
    )
    phone.get_by_label(t("Your question or report")).fill(
        "Xin hỏi thủ tục làm căn cước cho cụ già?"
    )
    phone.get_by_label(t("Your name")).fill("Trần Thị Lan")
    phone.get_by_label(t("Phone number"), exact=True).fill("0987 654 321")
    phone.get_by_role("button", name=exact("Continue")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(t("Type the code"))
    audit(phone, "feedback-ask-code")
    phone.get_by_label(t("Code from the SMS")).fill(
        last_code(e2e_settings.SMS_FILE_PATH, "0987654321")
    )
    phone.get_by_role("button", name=exact("Send the question")).click()
    expect(phone.get_by_role("status")).to_contain_text(w.area_a1.name)
    expect(phone.get_by_role("main")).to_contain_text("Xin hỏi thủ tục làm căn cước")
    audit(phone, "feedback-asked-anonymous")


def test_the_head_sees_what_is_masked_before_publishing(
    e2e_world, e2e_settings, categories, phone, new_page
):
    """A resident's complaint names a neighbour and gives numbers; the head answers on the phone,
    seeing what the public will read and what was masked; checks an edit; keeps a street's name
    masked by mistake; the public page shows the masked version only."""
    from caunoi.feedback import services
    from caunoi.territory.services import household_create

    w = e2e_world
    household_create(
        actor=None, area=w.area_a1, code="08119-03-009", representative_name="Lê Văn Hùng"
    )
    req = services.request_create(
        actor=w.resident_a1,
        area=w.area_a1,
        category=categories[0],
        text=(
            "Ông Lê Văn Hùng ở số nhà 12 ngõ 5 đường Lê Văn Hùng đổ phế thải ra lòng đường. "
            "Gọi tôi 0987 654 321."
        ),
        public=True,
    )
    e2e_settings.SMS_BACKEND = "file"
    phone_sign_in(phone, e2e_settings, w.head_a1.phone)
    phone.goto(f"/hoi-dap/{req.pk}/tra-loi/")
    preview = phone.get_by_role("region", name=t("What the public will read"))
    expect(preview).to_contain_text(t("[name]"))
    expect(preview).to_contain_text("0987 654 321")  # listed among what was masked
    audit(phone, "feedback-public-version")
    phone.get_by_label(t("The question as shown publicly")).fill(
        "Có người đổ phế thải ra đường Lê Văn Hùng, trước số nhà 12 ngõ 5."
    )
    phone.get_by_label(re.compile("Lê Văn Hùng")).check()
    phone.get_by_role("button", name=exact("Check the public version")).click()
    preview = phone.get_by_role("region", name=t("What the public will read"))
    expect(preview).to_contain_text(
        f"Có người đổ phế thải ra đường Lê Văn Hùng, trước {t('[house number]')} ngõ 5."
    )
    audit(phone, "feedback-public-version-checked")
    phone.get_by_label(t("Your answer")).fill("Khu đã nhắc, thứ bảy này dọn.")
    phone.get_by_role("button", name=exact("Send the answer")).click()
    expect(phone.get_by_role("status")).to_be_visible()

    public = new_page("phone")
    visit(public, f"/hoi-dap/{req.pk}/", "feedback-public-masked")
    main = public.get_by_role("main")
    expect(main).to_contain_text("đường Lê Văn Hùng")
    assert "0987" not in main.inner_text() and "số nhà 12" not in main.inner_text()
