"""Personal data out of what is published of a question (issue 13, item 7): the names of the
area's residents, the asker's own, e-mail addresses, ID-card, phone and house numbers are masked in
the public text; the head sees that version and what was masked before publishing, can check an
edit without saving it, and can keep a piece masked by mistake; the original stays private. The
same on both databases (run with DATABASE_URL=postgres://…)."""

import unicodedata

import pytest

from caunoi.core.models import AuditEntry
from caunoi.feedback import services
from caunoi.feedback.models import Request, Status
from caunoi.testing import add_household

from .conftest import ask

pytestmark = pytest.mark.django_db

COMPLAINT = (
    "Nhà ông Nguyễn Văn Thật ở số nhà 12 ngõ 5 đổ rác ra mương, chị Thảo nhà bên cũng khổ. "
    "Tôi là Đỗ Minh Khoa, CCCD 025190001234, gọi 0987 654 321 hoặc khoa.dm@gmail.com."
)


@pytest.fixture
def neighbour(world):
    """A second household of Khu 3, whose representative the question names."""
    address = "Số 12 ngõ 5, Khu 3"
    return add_household(
        world.area_a1, 2, "Nguyễn Văn Thật", phone="0912 000 222", address=address, members=3
    )


@pytest.fixture
def complaint(world, cats, neighbour):
    return ask(world, cats, text=COMPLAINT, contact_name="Đỗ Minh Khoa")


def test_the_public_text_masks_residents_the_asker_and_numbers(world, complaint):
    public = complaint.public_text
    for private in [
        "Nguyễn Văn Thật",  # a household's representative in the area
        "Thảo",  # a resident (her mandate's household), by her given name after "chị"
        "Đỗ Minh Khoa",  # the asker, who typed their own name
        "025190001234",
        "0987",
        "khoa.dm@gmail.com",
        "số nhà 12",
    ]:
        assert private not in public, private
    assert public.startswith("Nhà ông [name] ở [house number] ngõ 5 đổ rác ra mương")
    assert complaint.text == COMPLAINT  # the original, kept whole for the staff


def test_a_name_from_another_area_is_not_a_resident_here(world, cats):
    req = ask(world, cats, text="Ông Ngô Văn Hải bên Hanh Cù nói đường sắp làm.")
    assert "Ngô Văn Hải" in req.public_text  # Khu 1 of xã Hanh Cù: not this area's resident


def test_the_head_sees_the_public_version_and_what_was_masked(client_for, world, complaint):
    page = client_for(world.head_a1).get(f"/hoi-dap/{complaint.pk}/tra-loi/").content.decode()
    assert "What the public will read" in page
    assert "Nhà ông [name] ở [house number] ngõ 5" in page
    for piece, kind in [
        ("Nguyễn Văn Thật", "a resident&#x27;s name"),
        ("số nhà 12", "a house number or address"),
        ("025190001234", "an ID-card number"),
        ("0987 654 321", "a phone number"),
        ("khoa.dm@gmail.com", "an e-mail address"),
    ]:
        assert f"<strong>{piece}</strong> — {kind}" in page
    # the question's page offers the same, with the answer form
    detail = client_for(world.head_a1).get(f"/hoi-dap/{complaint.pk}/").content.decode()
    assert "What the public will read" in detail and "<strong>Nguyễn Văn Thật</strong>" in detail


def test_checking_an_edit_writes_nothing(client_for, world, complaint):
    head = client_for(world.head_a1)
    audits = AuditEntry.objects.count()
    r = head.post(
        f"/hoi-dap/{complaint.pk}/tra-loi/",
        {
            "answer": "Khu đã nhắc hộ gia đình.",
            "public_text": "Hộ bà Bùi Thị Thảo, số nhà 1, đổ rác ra mương.",
            "check": "1",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200 and "Hộ bà [name], [house number], đổ rác ra mương." in page
    assert "<strong>Bùi Thị Thảo</strong>" in page
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN and AuditEntry.objects.count() == audits


def test_answering_publishes_the_masked_version_and_the_public_never_sees_the_original(
    client, client_for, world, complaint
):
    head = client_for(world.head_a1)
    r = head.post(
        f"/hoi-dap/{complaint.pk}/tra-loi/",
        {"answer": "Khu đã nhắc hộ gia đình, tuần này dọn mương.", "public_text": COMPLAINT},
    )
    assert r.status_code == 302
    client.logout()
    page = client.get(f"/hoi-dap/{complaint.pk}/").content.decode()
    assert "Khu đã nhắc hộ gia đình" in page and "Nhà ông [name]" in page
    for private in ["Nguyễn Văn Thật", "Đỗ Minh Khoa", "0987", "gmail", "025190001234"]:
        assert private not in page
    faq = client.get(f"/khu/{world.area_a1.code}/").content.decode()
    assert "Nguyễn Văn Thật" not in faq


def test_the_head_keeps_a_piece_masked_by_mistake_and_it_is_audited(client_for, world, cats):
    add_household(world.area_a1, 3, "Lê Văn Hùng", members=1)
    req = ask(world, cats, text="Đường Lê Văn Hùng ngập sau mưa, ông Lê Văn Hùng đã báo.")
    assert req.public_text == "Đường [name] ngập sau mưa, ông [name] đã báo."
    head = client_for(world.head_a1)
    page = head.get(f"/hoi-dap/{req.pk}/cong-khai/").content.decode()
    assert 'name="keep" value="Lê Văn Hùng"' in page
    r = head.post(
        f"/hoi-dap/{req.pk}/cong-khai/",
        {"public_text": "Đường Lê Văn Hùng ngập sau mưa.", "keep": ["Lê Văn Hùng"]},
    )
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.public_text == "Đường Lê Văn Hùng ngập sau mưa." and req.public_kept == [
        "Lê Văn Hùng"
    ]
    entry = AuditEntry.objects.filter(action="feedback.request.redacted").latest("pk")
    assert entry.after["public_kept"] == ["Lê Văn Hùng"]
    # the head's edit is what the form shows next time, with the choice ticked
    page = head.get(f"/hoi-dap/{req.pk}/cong-khai/").content.decode()
    assert "Đường Lê Văn Hùng ngập sau mưa.</textarea>" in page
    assert 'value="Lê Văn Hùng" checked' in page.replace('" id="id_keep_0" checked', '" checked')
    # a piece nobody kept cannot be smuggled in: what the masking did not find is no choice
    r = head.post(
        f"/hoi-dap/{req.pk}/cong-khai/",
        {"public_text": "Gọi 0912 345 678.", "keep": ["0912 345 678", "bất kỳ"]},
    )
    assert r.status_code == 200 and "bất kỳ" in r.content.decode()
    req.refresh_from_db()
    assert "0912" not in req.public_text


def test_the_answer_is_masked_for_the_public_and_whole_for_the_asker(
    client, client_for, world, complaint
):
    head = client_for(world.head_a1)
    answer = "Đã nhắc ông Nguyễn Văn Thật dọn mương; cần gì gọi tôi 0912 000 001."
    page = head.post(
        f"/hoi-dap/{complaint.pk}/tra-loi/", {"answer": answer, "check": "1"}
    ).content.decode()
    assert "The answer, as the public will read it" in page
    assert "Đã nhắc ông [name] dọn mương; cần gì gọi tôi [phone]." in page
    assert head.post(f"/hoi-dap/{complaint.pk}/tra-loi/", {"answer": answer}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.answer == answer
    assert complaint.public_answer == "Đã nhắc ông [name] dọn mương; cần gì gọi tôi [phone]."
    assert (
        "Nguyễn Văn Thật"
        in client_for(world.resident_a1).get(f"/hoi-dap/{complaint.pk}/").content.decode()
    )  # the asker reads the whole answer
    client.logout()
    public = client.get(f"/hoi-dap/{complaint.pk}/").content.decode()
    assert "dọn mương" in public and "Nguyễn Văn Thật" not in public and "0912" not in public
    item = client.get(f"/open311/v2/requests/{complaint.pk}.json").json()[0]
    assert "Nguyễn Văn Thật" not in item["status_notes"] and "[name]" in item["status_notes"]


def test_bad_input_on_the_public_text(client_for, world, complaint):
    head = client_for(world.head_a1)
    r = head.post(f"/hoi-dap/{complaint.pk}/cong-khai/", {"public_text": "   "})
    assert r.status_code == 200 and "Write the text to show publicly" in r.content.decode()
    nfd = unicodedata.normalize("NFD", "Nhà ông Nguyễn Văn Thật xây lấn mương")
    r = head.post(f"/hoi-dap/{complaint.pk}/cong-khai/", {"public_text": nfd})
    assert r.status_code == 302
    complaint.refresh_from_db()
    assert complaint.public_text.startswith("Nhà ông [name] xây lấn mương")


def test_open311_publishes_the_masked_text_and_place(client, world, cats, neighbour, api_key):
    r = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": cats["roads"].code,
            "attribute[area]": world.area_a1.code,
            "address_string": "Trước số nhà 12 ngõ 5",
            "description": "Ông Nguyễn Văn Thật đổ phế thải. Tôi là Trần Lan, lan.tran@yahoo.com",
            "first_name": "Lan",
            "last_name": "Trần",
            "phone": "0987 000 111",
        },
    )
    assert r.status_code == 201
    req = Request.objects.get(pk=r.json()[0]["service_request_id"])
    services.request_answer(actor=world.head_a1, request=req, answer="Đã nhắc.")
    Request.objects.filter(pk=req.pk).update(public=True)
    item = client.get(f"/open311/v2/requests/{req.pk}.json").json()[0]
    assert item["description"] == "Ông [name] đổ phế thải. Tôi là [name], [e-mail]"
    assert item["address"].startswith("Trước [house number] ngõ 5")
    # the client that posted it reads its own words
    own = client.get(f"/open311/v2/requests/{req.pk}.json", {"api_key": api_key}).json()[0]
    assert "Nguyễn Văn Thật" in own["description"] and "số nhà 12" in own["address"]


def test_an_answer_given_before_masking_is_masked_once_and_never_shown_whole(
    client, world, complaint
):
    # as migration 0005 finds it: answered and public, with no public copy of the answer
    Request.objects.filter(pk=complaint.pk).update(
        answer="Đã nhắc ông Nguyễn Văn Thật; gọi 0912 000 001.",
        public_answer="",
        public=True,
        status=Status.ANSWERED,
    )
    public = client.get(f"/hoi-dap/{complaint.pk}/")
    assert public.status_code == 200  # shown, without the answer it has no public copy of
    assert (
        "Nguyễn Văn Thật" not in public.content.decode() and "0912" not in public.content.decode()
    )
    assert services.public_answers_fill() == 1
    complaint.refresh_from_db()
    assert complaint.public_answer == "Đã nhắc ông [name]; gọi [phone]."
    assert "Đã nhắc ông [name]" in client.get(f"/hoi-dap/{complaint.pk}/").content.decode()
    assert services.public_answers_fill() == 0  # once
